//! The .mc language: a scanner that tracks line and column, and the parser that resolves
//! names, ids and values as mc.exe does.

use crate::model::{
    Diagnostic, IdType, Item, LanguageName, Message, MessageFile, NameValue, Preamble, Text,
};
use std::collections::HashMap;
use werr_quote::quoted;

/// Choices that change the values the parser computes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// `-c`: set the customer bit (bit 29) in every message value.
    pub customer_bit: bool,
}

/// mc.exe's predefined severity names.
const DEFAULT_SEVERITIES: [(&str, u32); 4] = [
    ("Success", 0),
    ("Informational", 1),
    ("Warning", 2),
    ("Error", 3),
];

/// mc.exe's predefined facility names.
const DEFAULT_FACILITIES: [(&str, u32); 2] = [("System", 0x0FF), ("Application", 0xFFF)];

/// Parses a message text file (already decoded to text).
///
/// Returns the model, with warnings for input mc.exe would reject but werr accepts; or the
/// first error, located by line and column.
pub fn parse(text: &str, options: ParseOptions) -> Result<MessageFile, Diagnostic> {
    Parser::new(text, options).run()
}

/// Which `*Names` table a parenthesised list fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Severity,
    Facility,
    Language,
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    /// Byte offset where the current line starts.
    line_start: usize,
    /// The last column computed: (byte offset, column there). Counting on from it keeps the
    /// columns of a long line linear in its length; counting from the line start at every
    /// call is quadratic.
    column_mark: std::cell::Cell<(usize, u32)>,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn column(&self) -> u32 {
        let (mark, mark_column) = self.column_mark.get();
        // The mark counts only when it lies on the current line, at or before the position.
        let (from, column) = if (self.line_start..=self.pos).contains(&mark) {
            (mark, mark_column)
        } else {
            (self.line_start, 1)
        };
        let counted = self.text[from..self.pos].chars().count();
        let column = column.saturating_add(u32::try_from(counted).unwrap_or(u32::MAX));
        self.column_mark.set((self.pos, column));
        column
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.line_start = self.pos;
        }
        Some(c)
    }

    /// Skips spaces and tabs (not line ends).
    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r' | '\u{feff}')) {
            self.bump();
        }
    }

    /// The rest of the current line (without the line end), and moves past the line end.
    fn take_line(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        let (line, advance, newline) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1, true),
            None => (rest, rest.len(), false),
        };
        self.pos += advance;
        if newline {
            self.line += 1;
            self.line_start = self.pos;
        }
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// A token: a run of characters up to white space or one of `=():;`.
    fn take_token(&mut self) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || matches!(c, '=' | '(' | ')' | ':' | ';') {
                break;
            }
            self.bump();
        }
        &self.text[start..self.pos]
    }
}

/// A message being read: keywords seen so far.
struct Pending {
    id: Option<(IdSpec, u32, u32)>,
    symbol: Option<String>,
    id_type: IdType,
    output_base: u8,
    /// Index in `items` once the message is written (at the end of its first text).
    committed: Option<usize>,
    line: u32,
}

#[derive(Clone, Copy)]
enum IdSpec {
    Implicit,
    Absolute(u32),
    Relative(u32),
}

struct Parser<'a> {
    cur: Cursor<'a>,
    options: ParseOptions,
    file: MessageFile,
    severity_index: HashMap<String, usize>,
    facility_index: HashMap<String, usize>,
    language_index: HashMap<String, usize>,
    id_type: IdType,
    output_base: u8,
    severity: u8,
    facility: u16,
    /// Last message number per facility, for implicit and relative ids.
    last_id: HashMap<u16, u32>,
    pending: Option<Pending>,
    preamble_written: bool,
}

fn error(line: u32, column: u32, message: String, hint: Option<&str>) -> Diagnostic {
    Diagnostic {
        line,
        column,
        message,
        hint: hint.map(str::to_owned),
    }
}

fn describe(token: &str) -> String {
    if token.is_empty() {
        "nothing".to_owned()
    } else {
        quoted(token).to_string()
    }
}

/// A character of the input as a message shows it ([`quoted`]).
fn describe_char(c: char) -> String {
    quoted(c.encode_utf8(&mut [0; 4])).to_string()
}

/// Parses a C integer constant: `0x1F`, `017` (octal), `42`, with an optional `L`/`U` suffix.
pub(crate) fn parse_number(token: &str) -> Option<u32> {
    let t = token.trim_end_matches(['L', 'l', 'U', 'u']);
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if t.len() > 1 && t.starts_with('0') {
        u32::from_str_radix(&t[1..], 8).ok()
    } else if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, options: ParseOptions) -> Parser<'a> {
        let mut p = Parser {
            cur: Cursor {
                text,
                pos: 0,
                line: 1,
                line_start: 0,
                column_mark: std::cell::Cell::new((0, 1)),
            },
            options,
            file: MessageFile::default(),
            severity_index: HashMap::new(),
            facility_index: HashMap::new(),
            language_index: HashMap::new(),
            id_type: IdType::Plain,
            output_base: 16,
            severity: 0,
            facility: 0,
            last_id: HashMap::new(),
            pending: None,
            preamble_written: false,
        };
        for (name, value) in DEFAULT_SEVERITIES {
            p.define(Table::Severity, name, value, None);
        }
        for (name, value) in DEFAULT_FACILITIES {
            p.define(Table::Facility, name, value, None);
        }
        p.define_language(LanguageName {
            name: "English".into(),
            id: 0x409,
            file: "MSG00001".into(),
            code_page: None,
        });
        p
    }

    fn define(&mut self, table: Table, name: &str, value: u32, symbol: Option<String>) {
        let (list, index) = match table {
            Table::Severity => (&mut self.file.severities, &mut self.severity_index),
            Table::Facility => (&mut self.file.facilities, &mut self.facility_index),
            Table::Language => unreachable!("languages go through define_language"),
        };
        let entry = NameValue {
            name: name.to_owned(),
            value,
            symbol,
        };
        match index.get(name) {
            Some(&i) => list[i] = entry,
            None => {
                index.insert(name.to_owned(), list.len());
                list.push(entry);
            }
        }
    }

    fn define_language(&mut self, language: LanguageName) {
        self.language_index
            .insert(language.name.clone(), self.file.languages.len());
        self.file.languages.push(language);
    }

    fn warn(&mut self, line: u32, column: u32, message: String, hint: &str) {
        self.file.warnings.push(Diagnostic {
            line,
            column,
            message,
            hint: Some(hint.to_owned()),
        });
    }

    fn run(mut self) -> Result<MessageFile, Diagnostic> {
        loop {
            self.skip_space_and_comments();
            let Some(c) = self.cur.peek() else { break };
            let (line, column) = (self.cur.line, self.cur.column());
            if !(c.is_ascii_alphabetic() || c == '_') {
                let found = self.cur.take_token();
                let found = if found.is_empty() {
                    describe_char(c)
                } else {
                    describe(found)
                };
                return Err(error(
                    line,
                    column,
                    format!("found {found}; expected a keyword such as MessageId=, SymbolicName= or Language="),
                    Some("message text must follow a Language=NAME line and end with a line holding only `.`"),
                ));
            }
            let keyword = self.cur.take_token();
            self.expect_equals(keyword)?;
            self.statement(keyword, line, column)?;
        }
        self.finish_message()?;
        Ok(self.file)
    }

    /// Skips white space; `;` comments become header comment items.
    fn skip_space_and_comments(&mut self) {
        loop {
            match self.cur.peek() {
                Some(c) if c.is_whitespace() || c == '\u{feff}' => {
                    self.cur.bump();
                }
                Some(';') => {
                    self.cur.bump();
                    let comment = self.cur.take_line();
                    self.file.items.push(Item::Comment(comment.to_owned()));
                }
                _ => return,
            }
        }
    }

    fn expect_equals(&mut self, keyword: &str) -> Result<(), Diagnostic> {
        while matches!(self.cur.peek(), Some(' ' | '\t')) {
            self.cur.bump();
        }
        if self.cur.peek() == Some('=') {
            self.cur.bump();
            return Ok(());
        }
        let (line, column) = (self.cur.line, self.cur.column());
        let found = self
            .cur
            .peek()
            .map_or("the end of the file".to_owned(), |c| {
                if c == '\n' || c == '\r' {
                    "the end of the line".to_owned()
                } else {
                    describe_char(c)
                }
            });
        Err(error(
            line,
            column,
            format!("found {found} after {}; expected `=`", quoted(keyword)),
            Some("statements have the form Keyword=value"),
        ))
    }

    /// Reads a required value token after `=`, which may follow on a later line.
    fn value(&mut self, keyword: &str) -> Result<(&'a str, u32, u32), Diagnostic> {
        self.cur.skip_blanks();
        while matches!(self.cur.peek(), Some('\n')) {
            self.cur.bump();
            self.cur.skip_blanks();
        }
        let (line, column) = (self.cur.line, self.cur.column());
        let token = self.cur.take_token();
        if token.is_empty() {
            let found = self
                .cur
                .peek()
                .map_or("the end of the file".to_owned(), describe_char);
            return Err(error(
                line,
                column,
                format!("found {found} after {}=; expected a value", quoted(keyword)),
                None,
            ));
        }
        Ok((token, line, column))
    }

    fn keyword_is(keyword: &str, name: &str) -> bool {
        keyword.eq_ignore_ascii_case(name)
    }

    fn statement(&mut self, keyword: &str, line: u32, column: u32) -> Result<(), Diagnostic> {
        let is = |name: &str| Self::keyword_is(keyword, name);
        if is("MessageId") {
            return self.message_id(line);
        }
        if is("SeverityNames") || is("FacilityNames") || is("LanguageNames") {
            self.end_message_if_texts()?;
            let table = if is("SeverityNames") {
                Table::Severity
            } else if is("FacilityNames") {
                Table::Facility
            } else {
                Table::Language
            };
            return self.names(table, keyword);
        }
        if is("MessageIdTypedef") || is("MessageIdTypedefMacro") {
            self.end_message_if_texts()?;
            let (value, _, _) = self.value(keyword)?;
            let id_type = if is("MessageIdTypedef") {
                IdType::Typedef(value.to_owned())
            } else {
                IdType::Macro(value.to_owned())
            };
            self.id_type = id_type.clone();
            if let Some(p) = &mut self.pending {
                p.id_type = id_type;
            }
            return Ok(());
        }
        if is("OutputBase") {
            let (value, vl, vc) = self.value(keyword)?;
            let base = match parse_number(value) {
                Some(10) => 10,
                Some(16) => 16,
                _ => {
                    return Err(error(
                        vl,
                        vc,
                        format!(
                            "found {} for OutputBase; expected 10 or 16",
                            describe(value)
                        ),
                        None,
                    ))
                }
            };
            self.output_base = base;
            if let Some(p) = &mut self.pending {
                if p.committed.is_none() {
                    p.output_base = base;
                }
            }
            return Ok(());
        }
        if (is("Severity") || is("Facility") || is("SymbolicName") || is("Language"))
            && self.pending.is_none()
        {
            return Err(error(
                line,
                column,
                format!("found {}= outside a message; expected MessageId= first", quoted(keyword)),
                Some("every message definition starts with a MessageId= line (its value may be empty)"),
            ));
        }
        if is("Severity") {
            let (value, vl, vc) = self.value(keyword)?;
            self.severity = self.resolve_severity(value, vl, vc)?;
            return Ok(());
        }
        if is("Facility") {
            let (value, vl, vc) = self.value(keyword)?;
            self.facility = self.resolve_facility(value, vl, vc)?;
            return Ok(());
        }
        if is("SymbolicName") {
            let (value, _, _) = self.value(keyword)?;
            if let Some(p) = &mut self.pending {
                p.symbol = Some(value.to_owned());
            }
            return Ok(());
        }
        if is("Language") {
            return self.language_text(keyword, line);
        }
        Err(error(
            line,
            column,
            format!("found unknown keyword {}; expected one of MessageId, Severity, Facility, SymbolicName, Language, OutputBase, MessageIdTypedef, MessageIdTypedefMacro, SeverityNames, FacilityNames, LanguageNames", quoted(keyword)),
            None,
        ))
    }

    /// Header keywords after a message's text end that message.
    fn end_message_if_texts(&mut self) -> Result<(), Diagnostic> {
        if self.pending.as_ref().is_some_and(|p| p.committed.is_some()) {
            self.finish_message()?;
        }
        Ok(())
    }

    fn message_id(&mut self, line: u32) -> Result<(), Diagnostic> {
        self.finish_message()?;
        if !self.preamble_written {
            self.preamble_written = true;
            self.file.items.push(Item::Preamble(Preamble {
                facilities: self.file.facilities.clone(),
                severities: self.file.severities.clone(),
            }));
        }
        while matches!(self.cur.peek(), Some(' ' | '\t')) {
            self.cur.bump();
        }
        let (vl, vc) = (self.cur.line, self.cur.column());
        let spec = match self.cur.peek() {
            Some('+') => {
                self.cur.bump();
                let token = self.cur.take_token();
                match parse_number(token) {
                    Some(n) => IdSpec::Relative(n),
                    None => {
                        return Err(error(
                            vl,
                            vc,
                            format!("found +{} for MessageId; expected +NUMBER", quoted(token)),
                            None,
                        ))
                    }
                }
            }
            Some(c) if c.is_ascii_digit() => {
                let token = self.cur.take_token();
                match parse_number(token) {
                    Some(n) => IdSpec::Absolute(n),
                    None => {
                        return Err(error(
                            vl,
                            vc,
                            format!(
                                "found {} for MessageId; expected a number such as 0x1083 or 4227",
                                describe(token)
                            ),
                            None,
                        ))
                    }
                }
            }
            _ => IdSpec::Implicit,
        };
        self.pending = Some(Pending {
            id: Some((spec, vl, vc)),
            symbol: None,
            id_type: self.id_type.clone(),
            output_base: self.output_base,
            committed: None,
            line,
        });
        Ok(())
    }

    fn finish_message(&mut self) -> Result<(), Diagnostic> {
        let Some(p) = self.pending.take() else {
            return Ok(());
        };
        if p.committed.is_none() {
            self.warn(
                p.line,
                1,
                "message has no text; expected at least one Language=NAME block".into(),
                "the message gets a header #define but no entry in any message table",
            );
            self.commit(p, None)?;
        }
        Ok(())
    }

    /// Resolves the value of the pending message and writes it to `items`; mc.exe does this
    /// when the first text is complete, so comments after it follow its `#define`.
    fn commit(&mut self, p: Pending, first_text: Option<Text>) -> Result<usize, Diagnostic> {
        let (spec, vl, vc) = p.id.unwrap_or((IdSpec::Implicit, p.line, 1));
        let previous = self.last_id.get(&self.facility).copied().unwrap_or(0);
        let id = match spec {
            IdSpec::Implicit => previous + 1,
            IdSpec::Relative(n) => previous.saturating_add(n),
            IdSpec::Absolute(n) => n,
        };
        if id > 0xFFFF {
            return Err(error(
                vl,
                vc,
                format!("message id {id:#x} does not fit in 16 bits; expected at most 0xFFFF"),
                Some(
                    "severity and facility come from Severity= and Facility=, not from MessageId=",
                ),
            ));
        }
        self.last_id.insert(self.facility, id);
        let customer = self.options.customer_bit;
        let value = (u32::from(self.severity) << 30)
            | (u32::from(customer) << 29)
            | (u32::from(self.facility) << 16)
            | id;
        let index = self.file.items.len();
        self.file.items.push(Item::Message(Message {
            id: id as u16,
            severity: self.severity,
            facility: self.facility,
            customer,
            value,
            symbol: p.symbol,
            id_type: p.id_type,
            output_base: p.output_base,
            texts: first_text.into_iter().collect(),
            line: p.line,
        }));
        Ok(index)
    }

    fn lookup(
        index: &HashMap<String, usize>,
        list: &[NameValue],
        name: &str,
    ) -> Option<(usize, bool)> {
        if let Some(&i) = index.get(name) {
            return Some((i, true));
        }
        list.iter()
            .position(|nv| nv.name.eq_ignore_ascii_case(name))
            .map(|i| (i, false))
    }

    /// A name of SeverityNames or FacilityNames: as declared, or (with a warning) declared with
    /// other letter case, or the entry's `:SYMBOL` used in place of its name.
    fn resolve_declared(
        &mut self,
        table: Table,
        name: &str,
        line: u32,
        column: u32,
    ) -> Option<u32> {
        let (index, list, kind, keyword) = match table {
            Table::Severity => (
                &self.severity_index,
                &self.file.severities,
                "severity",
                "Severity",
            ),
            Table::Facility => (
                &self.facility_index,
                &self.file.facilities,
                "facility",
                "Facility",
            ),
            Table::Language => unreachable!("languages go through resolve_language"),
        };
        if let Some((i, exact)) = Self::lookup(index, list, name) {
            let (declared, value) = (list[i].name.clone(), list[i].value);
            if !exact {
                self.warn(
                    line,
                    column,
                    format!(
                        "{kind} {} matches {} only when case is ignored",
                        quoted(name),
                        quoted(&declared)
                    ),
                    "names are case-sensitive for GNU windmc; write them as declared",
                );
            }
            return Some(value);
        }
        let nv = list.iter().find(|nv| nv.symbol.as_deref() == Some(name))?;
        let (declared, value) = (nv.name.clone(), nv.value);
        // Severities read as 0..3, facilities as hex, as their declarations write them.
        let shown = match table {
            Table::Severity => value.to_string(),
            _ => format!("{value:#x}"),
        };
        self.warn(
            line,
            column,
            format!(
                "{kind} {} is the symbol of {}, not a {kind} name; using it ({shown})",
                quoted(name),
                quoted(&declared)
            ),
            &format!(
                "write {keyword}={}; mc.exe and GNU windmc reject symbols here",
                quoted(&declared)
            ),
        );
        Some(value)
    }

    /// The error for a name no entry of the table declares, listing the declared ones.
    fn undeclared(&self, table: Table, name: &str, line: u32, column: u32) -> Diagnostic {
        let (list, kind, hint) = match table {
            Table::Severity => (
                &self.file.severities,
                "severity",
                "declare it in SeverityNames=(NAME=0..3[:SYMBOL])",
            ),
            Table::Facility => (
                &self.file.facilities,
                "facility",
                "declare it in FacilityNames=(NAME=0..0xFFF[:SYMBOL])",
            ),
            Table::Language => unreachable!("languages go through resolve_language"),
        };
        let names: Vec<&str> = list.iter().map(|nv| nv.name.as_str()).collect();
        error(
            line,
            column,
            format!(
                "found undeclared {kind} {}; expected one of {}",
                quoted(name),
                names.join(", ")
            ),
            Some(hint),
        )
    }

    fn resolve_severity(&mut self, name: &str, line: u32, column: u32) -> Result<u8, Diagnostic> {
        match self.resolve_declared(Table::Severity, name, line, column) {
            Some(value) => Ok(value as u8),
            None => Err(self.undeclared(Table::Severity, name, line, column)),
        }
    }

    fn resolve_facility(&mut self, name: &str, line: u32, column: u32) -> Result<u16, Diagnostic> {
        if let Some(value) = self.resolve_declared(Table::Facility, name, line, column) {
            return Ok(value as u16);
        }
        // Wine's winerror.mc uses facilities it never declares (`Null`, `Dxgi`), as Wine's own
        // wmc allows: take the SDK's FACILITY_<NAME> value, with a warning.
        let wanted = format!("FACILITY_{}", name.to_ascii_uppercase());
        if let Some((value, _)) = werr_codes::HRESULT_FACILITIES
            .iter()
            .find(|(_, names)| names.contains(&wanted.as_str()))
        {
            let value = *value;
            if value <= 0xFFF {
                self.warn(
                    line,
                    column,
                    format!("facility {} is not declared; using the SDK's {} = {value:#x}", quoted(name), quoted(&wanted)),
                    &format!("declare it: FacilityNames=({}={value:#x}); mc.exe and GNU windmc reject undeclared facilities", quoted(name)),
                );
                return Ok(value);
            }
        }
        Err(self.undeclared(Table::Facility, name, line, column))
    }

    fn resolve_language(
        &mut self,
        name: &str,
        line: u32,
        column: u32,
    ) -> Result<usize, Diagnostic> {
        if let Some(&i) = self.language_index.get(name) {
            return Ok(i);
        }
        let folded = self
            .language_index
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, &i)| i)
            .max();
        if let Some(i) = folded {
            let declared = self.file.languages[i].name.clone();
            self.warn(
                line,
                column,
                format!(
                    "language {} matches {} only when case is ignored",
                    quoted(name),
                    quoted(&declared)
                ),
                "names are case-sensitive for GNU windmc; write them as declared",
            );
            return Ok(i);
        }
        let mut names: Vec<&str> = self.language_index.keys().map(String::as_str).collect();
        names.sort_unstable();
        Err(error(
            line,
            column,
            format!(
                "found undeclared language {}; expected one of {}",
                quoted(name),
                names.join(", ")
            ),
            Some("declare it in LanguageNames=(NAME=LANGID:MSGxxxxx)"),
        ))
    }

    fn language_text(&mut self, keyword: &str, line: u32) -> Result<(), Diagnostic> {
        let (name, vl, vc) = self.value(keyword)?;
        let language = self.resolve_language(name, vl, vc)?;
        // The text starts on the next line; only blanks may follow the name.
        let (rl, rc) = (self.cur.line, self.cur.column());
        let rest = self.cur.take_line();
        if !rest.trim().is_empty() {
            return Err(error(
                rl,
                rc,
                format!(
                    "found {} after Language={}; expected the end of the line",
                    quoted(rest.trim()),
                    quoted(name)
                ),
                Some("the message text starts on the line after Language=NAME"),
            ));
        }
        let mut body = String::new();
        let mut line_count = 0usize;
        loop {
            if self.cur.pos >= self.cur.text.len() {
                return Err(error(
                    line,
                    1,
                    format!(
                        "message text for language {} never ends; expected a line holding only `.`",
                        quoted(name)
                    ),
                    Some("end every message text with a line holding only a period"),
                ));
            }
            let text_line = self.cur.take_line();
            if text_line == "." {
                break;
            }
            if line_count > 0 {
                body.push('\n');
            }
            body.push_str(text_line);
            line_count += 1;
        }
        let text = Text {
            language,
            body,
            line_count,
            line,
        };
        let committed = self.pending.as_ref().and_then(|p| p.committed);
        match committed {
            Some(index) => {
                if let Some(Item::Message(m)) = self.file.items.get_mut(index) {
                    m.texts.push(text);
                }
            }
            None => {
                if let Some(p) = self.pending.take() {
                    let index = self.commit(p, Some(text))?;
                    // Keep the message open for more languages.
                    self.pending = Some(Pending {
                        id: None,
                        symbol: None,
                        id_type: IdType::Plain,
                        output_base: 16,
                        committed: Some(index),
                        line,
                    });
                }
            }
        }
        Ok(())
    }

    fn names(&mut self, table: Table, keyword: &str) -> Result<(), Diagnostic> {
        self.skip_space_and_comments();
        let (line, column) = (self.cur.line, self.cur.column());
        if self.cur.peek() != Some('(') {
            let found = describe(self.cur.take_token());
            return Err(error(
                line,
                column,
                format!("found {found} after {}=; expected `(`", quoted(keyword)),
                Some("write the list as (Name=value:SYMBOL ...)"),
            ));
        }
        self.cur.bump();
        loop {
            self.skip_space_and_comments();
            let (line, column) = (self.cur.line, self.cur.column());
            match self.cur.peek() {
                Some(')') => {
                    self.cur.bump();
                    return Ok(());
                }
                None => {
                    return Err(error(
                        line,
                        column,
                        format!("found the end of the file in {keyword}; expected `)`"),
                        None,
                    ))
                }
                _ => {}
            }
            let name = self.cur.take_token();
            if name.is_empty() {
                let c = self.cur.peek().unwrap_or(' ');
                return Err(error(
                    line,
                    column,
                    format!(
                        "found {} in {keyword}; expected NAME=NUMBER or `)`",
                        describe_char(c)
                    ),
                    None,
                ));
            }
            self.skip_space_and_comments();
            if self.cur.peek() != Some('=') {
                let (l, c) = (self.cur.line, self.cur.column());
                let found = self
                    .cur
                    .peek()
                    .map_or("the end of the file".into(), describe_char);
                return Err(error(
                    l,
                    c,
                    format!(
                        "found {found} after {} in {keyword}; expected `=`",
                        quoted(name)
                    ),
                    None,
                ));
            }
            self.cur.bump();
            self.skip_space_and_comments();
            let (nl, nc) = (self.cur.line, self.cur.column());
            let number_token = self.cur.take_token();
            let Some(number) = parse_number(number_token) else {
                return Err(error(
                    nl,
                    nc,
                    format!(
                        "found {} for {} in {keyword}; expected a number",
                        describe(number_token),
                        quoted(name)
                    ),
                    None,
                ));
            };
            let mut extras: Vec<(&str, u32, u32)> = Vec::new();
            while self.cur.peek() == Some(':') {
                self.cur.bump();
                let (l, c) = (self.cur.line, self.cur.column());
                extras.push((self.cur.take_token(), l, c));
            }
            match table {
                Table::Severity | Table::Facility => {
                    let (limit, what) = if table == Table::Severity {
                        (3, "severity values fit in 2 bits (0..3)")
                    } else {
                        (0xFFF, "facility values fit in 12 bits (0..0xFFF)")
                    };
                    if number > limit {
                        return Err(error(
                            nl,
                            nc,
                            format!(
                                "found {number:#x} for {}; expected at most {limit:#x}",
                                quoted(name)
                            ),
                            Some(what),
                        ));
                    }
                    if extras.len() > 1 {
                        let (_, l, c) = extras[1];
                        return Err(error(l, c, format!("found a second `:` after {} in {keyword}; expected NAME=NUMBER[:SYMBOL]", quoted(name)), None));
                    }
                    let symbol = extras
                        .first()
                        .filter(|(s, _, _)| !s.is_empty())
                        .map(|(s, _, _)| (*s).to_owned());
                    self.define(table, name, number, symbol);
                }
                Table::Language => {
                    if number > 0xFFFF {
                        return Err(error(
                            nl,
                            nc,
                            format!(
                                "found {number:#x} for language {}; expected a 16-bit language id",
                                quoted(name)
                            ),
                            None,
                        ));
                    }
                    let Some(&(file, fl, fc)) = extras.first() else {
                        return Err(error(
                            self.cur.line,
                            self.cur.column(),
                            format!(
                                "language {} has no file name; expected NAME=LANGID:FILENAME",
                                quoted(name)
                            ),
                            Some("for example English=0x409:MSG00409"),
                        ));
                    };
                    if file.is_empty() {
                        return Err(error(fl, fc, format!("found an empty file name for language {}; expected NAME=LANGID:FILENAME", quoted(name)), None));
                    }
                    // The file part names a table in the output folder; a path there would let
                    // a .mc file from elsewhere write anywhere its user can.
                    if file == "." || file == ".." || file.contains(['/', '\\']) {
                        return Err(error(
                            fl,
                            fc,
                            format!(
                                "found {} as the file name of language {}; expected a base name without folders or `..`",
                                quoted(file),
                                quoted(name)
                            ),
                            Some("the table is written as FILENAME.bin in the -r folder, for example English=0x409:MSG00409"),
                        ));
                    }
                    let code_page = match extras.get(1) {
                        None => None,
                        Some(&(cp, l, c)) => match parse_number(cp) {
                            Some(n) if n <= 0xFFFF => Some(n as u16),
                            _ => {
                                return Err(error(
                                    l,
                                    c,
                                    format!(
                                        "found {} as the code page of {}; expected a number",
                                        describe(cp),
                                        quoted(name)
                                    ),
                                    None,
                                ))
                            }
                        },
                    };
                    self.define_language(LanguageName {
                        name: name.to_owned(),
                        id: number as u16,
                        file: file.to_owned(),
                        code_page,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> MessageFile {
        parse(text, ParseOptions::default()).expect("parses")
    }

    #[test]
    fn numbers_follow_c_syntax() {
        assert_eq!(parse_number("0x1F"), Some(31));
        assert_eq!(parse_number("010"), Some(8));
        assert_eq!(parse_number("42L"), Some(42));
        assert_eq!(parse_number("0"), Some(0));
        assert_eq!(parse_number("zz"), None);
    }

    #[test]
    fn implicit_ids_count_per_facility() {
        let f = parse_ok(
            "FacilityNames=(A=1 B=2)\nMessageId=5\nFacility=A\nLanguage=English\na\n.\n\
             MessageId=9\nFacility=B\nLanguage=English\nb\n.\n\
             MessageId=\nFacility=A\nLanguage=English\nc\n.\n\
             MessageId=+3\nFacility=B\nLanguage=English\nd\n.\n",
        );
        let ids: Vec<u32> = f.messages().map(|m| m.value).collect();
        assert_eq!(
            ids,
            vec![0x0001_0005, 0x0002_0009, 0x0001_0006, 0x0002_000C]
        );
    }

    #[test]
    fn severity_and_facility_carry_over() {
        let f = parse_ok(
            "MessageId=1\nSeverity=Warning\nFacility=System\nLanguage=English\na\n.\n\
             MessageId=2\nLanguage=English\nb\n.\n",
        );
        let values: Vec<u32> = f.messages().map(|m| m.value).collect();
        assert_eq!(values, vec![0x80FF_0001, 0x80FF_0002]);
    }

    #[test]
    fn rejects_id_past_16_bits() {
        let e = parse(
            "MessageId=0x10000\nLanguage=English\na\n.\n",
            ParseOptions::default(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (1, 11));
        assert!(e.message.contains("16 bits"), "{}", e.message);
    }

    #[test]
    fn rejects_unterminated_text_at_its_language_line() {
        let e = parse(
            "MessageId=1\nLanguage=English\nabc\n",
            ParseOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("never ends"), "{}", e.message);
    }

    #[test]
    fn comments_keep_their_text_and_order() {
        let f = parse_ok(";// one\n; two\nMessageId=1\nLanguage=English\nx\n.\n;end\n");
        assert_eq!(f.items[0], Item::Comment("// one".into()));
        assert_eq!(f.items[1], Item::Comment(" two".into()));
        assert!(matches!(f.items[2], Item::Preamble(_)));
        assert!(matches!(f.items[3], Item::Message(_)));
        assert_eq!(f.items[4], Item::Comment("end".into()));
    }

    #[test]
    fn customer_bit_sets_bit_29() {
        let f = parse(
            "MessageId=1\nLanguage=English\nx\n.\n",
            ParseOptions { customer_bit: true },
        )
        .expect("parses");
        assert_eq!(f.messages().next().map(|m| m.value), Some(0x2000_0001));
    }

    #[test]
    fn undeclared_facility_from_sdk_table_warns() {
        let f =
            parse_ok("MessageId=0x4001\nSeverity=Error\nFacility=Null\nLanguage=English\nx\n.\n");
        assert_eq!(f.messages().next().map(|m| m.value), Some(0xC000_4001));
        assert_eq!(f.warnings.len(), 1);
        assert_eq!((f.warnings[0].line, f.warnings[0].column), (3, 10));
    }

    #[test]
    fn rejects_unknown_facility_with_location() {
        let e = parse(
            "MessageId=1\nFacility=Nope\nLanguage=English\nx\n.\n",
            ParseOptions::default(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 10));
        assert!(
            e.message.contains("undeclared facility `Nope`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn language_file_names_are_base_names() {
        for file in ["/tmp/planted", "../../../x", "..", "sub\\MSG00409", "a/b"] {
            let text = format!("LanguageNames=(English=0x409:{file})\n");
            let e = parse(&text, ParseOptions::default()).unwrap_err();
            assert_eq!((e.line, e.column), (1, 30), "{file}: {}", e.message);
            assert!(e.message.contains("expected a base name"), "{}", e.message);
        }
        let f = parse_ok("LanguageNames=(English=0x409:MSG00409..old)\n");
        assert_eq!(
            f.languages.last().map(|l| l.file.as_str()),
            Some("MSG00409..old")
        );
    }

    #[test]
    fn echoed_tokens_are_quoted_and_cut() {
        let token = format!("X{}\u{1b}[2J{}", "\0".repeat(1000), "y".repeat(5000));
        let e = parse(&format!("{token}=1\n"), ParseOptions::default()).unwrap_err();
        assert!(
            e.message.len() < 400,
            "{} bytes: {}",
            e.message.len(),
            e.message
        );
        assert!(
            !e.message.contains('\0') && !e.message.contains('\u{1b}'),
            "{}",
            e.message
        );
        assert!(e.message.contains("(6005 characters)"), "{}", e.message);
    }

    #[test]
    fn columns_on_a_long_line_cost_linear_time() {
        // 1 MB of names on one line: each entry's column is asked for several times, which
        // counting from the line start each time makes quadratic.
        let entries: String = (0..200_000).map(|i| format!("N{i}=1 ")).collect();
        let text = format!(
            "SeverityNames=({entries})\nMessageId=1\nSeverity=N199999\nLanguage=English\nx\n.\n"
        );
        let started = std::time::Instant::now();
        let f = parse_ok(&text);
        let took = started.elapsed();
        assert_eq!(f.messages().next().map(|m| m.severity), Some(1));
        assert!(took < std::time::Duration::from_secs(10), "took {took:?}");
        let e = parse(
            &format!("SeverityNames=({entries}X=?)"),
            ParseOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            (e.line, e.column),
            (1, 18 + entries.len() as u32),
            "{}",
            e.message
        );
    }
}
