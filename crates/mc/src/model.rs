//! What a message text file says, after parsing: messages with their resolved values, the
//! comment lines the header carries, and the name tables in force.

use std::fmt;

/// A parsed message text file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageFile {
    /// Comments, the layout preamble and messages, in source order (the header's order).
    pub items: Vec<Item>,
    /// Every language a message text may name, in declaration order; [`Text::language`]
    /// indexes this list. A name declared twice has two entries (the later one wins).
    pub languages: Vec<LanguageName>,
    /// The severity names in force at the end of the file, in declaration order.
    pub severities: Vec<NameValue>,
    /// The facility names in force at the end of the file, in declaration order.
    pub facilities: Vec<NameValue>,
    /// Accepted input that mc.exe would reject or that is likely a mistake.
    pub warnings: Vec<Diagnostic>,
}

impl MessageFile {
    /// The messages, in source order.
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.items.iter().filter_map(|item| match item {
            Item::Message(m) => Some(m),
            _ => None,
        })
    }
}

/// One piece of the file, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A `;` line: the text after the semicolon, copied to the header as a line.
    Comment(String),
    /// Where mc.exe writes the layout box and the facility and severity defines: just before
    /// the first message. Holds the names in force at that point.
    Preamble(Preamble),
    /// A message definition.
    Message(Message),
}

/// The named facilities and severities the header defines before the first message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preamble {
    /// Facility names in force before the first message.
    pub facilities: Vec<NameValue>,
    /// Severity names in force before the first message.
    pub severities: Vec<NameValue>,
}

/// An entry of `SeverityNames` or `FacilityNames`: `name=value[:symbol]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameValue {
    /// The name messages use (`Warning`, `System`).
    pub name: String,
    /// The severity (0..=3) or facility (0..=0xFFF) number.
    pub value: u32,
    /// The C symbol the header defines for it (`STATUS_SEVERITY_WARNING`), if any.
    pub symbol: Option<String>,
}

/// An entry of `LanguageNames`: `name=langid:file[:codepage]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageName {
    /// The name `Language=` uses (`English`).
    pub name: String,
    /// The Windows language id (0x409).
    pub id: u16,
    /// The base name of the `.bin` file (`MSG00409`).
    pub file: String,
    /// The ANSI code page for `-A` output, when the declaration gives one.
    pub code_page: Option<u16>,
}

/// How the header spells a message's value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IdType {
    /// `0x80001083L`
    #[default]
    Plain,
    /// `MessageIdTypedef=T`: `((T)0x80001083L)`
    Typedef(String),
    /// `MessageIdTypedefMacro=M`: `M(0x80001083L)`
    Macro(String),
}

/// A message definition with its value resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The 16-bit message number (`MessageId`).
    pub id: u16,
    /// The severity number (0..=3).
    pub severity: u8,
    /// The facility number (0..=0xFFF).
    pub facility: u16,
    /// Whether the customer bit (bit 29) is set (`-c`).
    pub customer: bool,
    /// The full 32-bit value: severity, customer bit, facility and id.
    pub value: u32,
    /// `SymbolicName`, the header's `#define` name.
    pub symbol: Option<String>,
    /// The header's spelling of the value.
    pub id_type: IdType,
    /// `OutputBase` for this message's `#define`: 16 or 10.
    pub output_base: u8,
    /// The text in each language, in source order.
    pub texts: Vec<Text>,
    /// Line of the `MessageId` keyword.
    pub line: u32,
}

/// A message's text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Index into [`MessageFile::languages`].
    pub language: usize,
    /// The lines between `Language=` and the `.` line, joined with `\n` (one string rather
    /// than one per line: large files have hundreds of thousands of texts).
    pub body: String,
    /// How many lines: 0 for an empty text, 1 for one (possibly empty) line, and so on.
    pub line_count: usize,
    /// Line of the `Language` keyword.
    pub line: u32,
}

impl Text {
    /// A text from its lines.
    pub fn from_lines<S: AsRef<str>>(language: usize, lines: &[S], line: u32) -> Text {
        let mut body = String::new();
        for (i, l) in lines.iter().enumerate() {
            if i > 0 {
                body.push('\n');
            }
            body.push_str(l.as_ref());
        }
        Text {
            language,
            body,
            line_count: lines.len(),
            line,
        }
    }

    /// The lines, without line ends.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        let mut it = self.body.split('\n');
        if self.line_count == 0 {
            // An empty body splits into one empty line; an empty text has none.
            it.next();
        }
        it
    }
}

/// A located note about the input: a warning, or the reason a parse failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What was found and what was expected.
    pub message: String,
    /// How to fix it, when there is a useful hint.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `FILE:LINE:COL: <kind>: message` and the hint on a second line, as compilers print.
    pub fn render(&self, file: &str, kind: &str) -> String {
        let mut s = format!(
            "{file}:{}:{}: {kind}: {}",
            self.line, self.column, self.message
        );
        if let Some(hint) = &self.hint {
            s.push_str("\n  hint: ");
            s.push_str(hint);
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}
