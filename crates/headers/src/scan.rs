//! The scanner: logical lines -> defines, comment blocks, groups, preamble, categories.

use crate::fast::{FastMap as HashMap, FastSet as HashSet};
use std::cell::RefCell;
use werr_quote::quoted;

use crate::category::category_of;
use crate::enums::enum_blocks;
use crate::expr::{
    eval_tokens, evaluate, successor, to_u32, tokenize, Env, EvalError, Nesting, Tok, Typed,
};
use crate::lines::{logical_lines, Line};
use crate::model::{Definition, Diagnostic, FunctionMacro, Group, HeaderFile};

/// Scans one header's text. Never fails: what cannot be understood is reported in
/// [`HeaderFile::diagnostics`] or recorded as unevaluated.
pub fn scan(path: &str, text: &str) -> HeaderFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (lines, unterminated) = logical_lines(text);
    let mut file = HeaderFile {
        path: path.to_string(),
        ..HeaderFile::default()
    };
    if let Some(u) = unterminated {
        file.diagnostics.push(Diagnostic {
            line: u.line,
            column: u.column,
            message: "`/*` comment is never closed; expected `*/` before the end of the file"
                .into(),
        });
    }

    // Which defines are integer-like, evaluated once each. The macros borrow the lines'
    // text, so they are done with before comments are taken out of the lines.
    let (mut evaluated, define_at, members) = {
        let macros = collect_macros(&lines, &mut file.diagnostics, &mut file.macros);
        let env = FileEnv::new(&macros);
        let evaluated: Vec<Option<Definition>> = macros
            .objects
            .iter()
            .map(|object| definition_of(object, &lines, &env, &macros))
            .collect();
        let mut define_at: Vec<Option<usize>> = vec![None; lines.len()];
        for (i, o) in macros.objects.iter().enumerate() {
            define_at[o.line_index] = Some(i);
        }
        (evaluated, define_at, enum_members(&lines, &env))
    };

    let mut lines = lines;
    attach_comments(&mut lines, &define_at, &mut evaluated, &mut file);

    file.definitions = evaluated.into_iter().flatten().collect();
    if !members.is_empty() {
        file.definitions.extend(members);
        // Stable: a define and a member on one line keep their order.
        file.definitions.sort_by_key(|d| d.line);
    }
    finish(&mut file);
    file
}

/// The file's names for evaluating enum initializers: the members evaluated so far, then
/// the file's macros.
struct EnumEnv<'f, 'm, 'l> {
    file: &'f FileEnv<'m, 'l>,
    members: HashMap<String, Typed>,
}

impl Env for EnumEnv<'_, '_, '_> {
    fn lookup(&self, name: &str, at: Nesting<'_>) -> Option<Result<Typed, EvalError>> {
        match self.members.get(name) {
            Some(t) => Some(Ok(t.clone())),
            None => self.file.lookup(name, at),
        }
    }

    fn function(&self, name: &str) -> Option<(&[String], &[Tok])> {
        self.file.function(name)
    }
}

/// The members of the file's enum blocks as definitions: an initializer is evaluated like
/// a `#define` body (with the members before it and the file's macros), a member without
/// one takes the previous member's value plus one. A value that cannot be known (an
/// initializer naming another file's constant, a member after one without a value or after
/// a preprocessor line) is left `None` with the reason; initializers that are not integers
/// leave the member out.
fn enum_members(lines: &[Line<'_>], file_env: &FileEnv<'_, '_>) -> Vec<Definition> {
    let blocks = enum_blocks(lines);
    let mut env = EnumEnv {
        file: file_env,
        members: HashMap::default(),
    };
    let mut out = Vec::new();
    for block in blocks {
        let c_type = if block.name.is_empty() {
            "enum".to_string()
        } else {
            block.name.clone()
        };
        let mut previous: Option<Typed> = None;
        for m in block.members {
            if !m.understood {
                previous = None;
                continue;
            }
            let (result, expression, alias_of) = match &m.init {
                Some(init) => match tokenize(init) {
                    Ok(toks) => (evaluate(&toks, &env), init.clone(), alias_target(&toks)),
                    Err(_) => {
                        previous = None;
                        continue;
                    }
                },
                None => {
                    let result = match (&previous, m.after_directive) {
                        (Some(p), false) => Ok(successor(p)),
                        (Some(_), true) => Err(EvalError::Syntax(
                            "follows a preprocessor line inside the enum: the previous member may be left out".into(),
                        )),
                        (None, _) => Err(EvalError::Syntax(
                            "follows a member whose value is not known".into(),
                        )),
                    };
                    (result, String::new(), None)
                }
            };
            let (value, reason) = match &result {
                Ok(t) => match to_u32(t) {
                    Some(v) => (Some(v), None),
                    None => (None, Some(format!("value {} does not fit in 32 bits", t.v))),
                },
                Err(EvalError::NotInteger(_)) => {
                    previous = None;
                    continue;
                }
                Err(e) => (None, Some(e.to_string())),
            };
            previous = result.ok().filter(|_| value.is_some());
            if let Some(t) = &previous {
                env.members.insert(m.name.clone(), t.clone());
            }
            let definition = match &m.init {
                Some(init) => format!("{} = {init}", m.name),
                None => m.name.clone(),
            };
            out.push(Definition {
                name: m.name,
                value,
                expression,
                alias_of,
                unevaluated_reason: reason,
                c_type: c_type.clone(),
                line: m.line,
                definition,
                line_comments: None,
                message_text: None,
                group: None,
                category: String::new(),
                enum_line: Some(block.line),
            });
        }
    }
    out
}

/// Fills in what depends on values: categories and group ranges.
pub(crate) fn finish(file: &mut HeaderFile) {
    let title = file.preamble.as_deref().and_then(category_title);
    let path = file.path.as_str();
    let base = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    for def in &mut file.definitions {
        def.category = category_of(&base, title, def);
    }
    for group in &mut file.groups {
        group.first = None;
        group.last = None;
    }
    for def in &file.definitions {
        let (Some(g), Some(v)) = (def.group, def.value) else {
            continue;
        };
        if let Some(group) = file.groups.get_mut(g) {
            let code = v & 0xFFFF;
            group.first = Some(group.first.map_or(code, |f| f.min(code)));
            group.last = Some(group.last.map_or(code, |l| l.max(code)));
        }
    }
}

/// Scans raw bytes: a NUL byte means a binary file (reported, nothing scanned); bytes that
/// are not UTF-8 are decoded as Windows-1252 (the SDK's own encoding) and reported.
pub fn scan_bytes(path: &str, bytes: &[u8]) -> HeaderFile {
    let position = |offset: usize| {
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let column = (offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)) as u32
            + 1;
        (line, column)
    };
    if let Some(nul) = memchr::memchr(0, bytes) {
        let (line, column) = position(nul);
        return HeaderFile {
            path: path.to_string(),
            diagnostics: vec![Diagnostic {
                line,
                column,
                message: format!(
                    "binary content (NUL byte at byte offset {nul}); expected a C header in text"
                ),
            }],
            ..HeaderFile::default()
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => scan(path, text),
        Err(e) => {
            let offset = e.valid_up_to();
            let (line, column) = position(offset);
            // Strictly Windows-1252 (no BOM sniffing, which could switch to UTF-8 and
            // replace the bad bytes), after a UTF-8 BOM if there is one.
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let text = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0;
            let mut file = scan(path, &text);
            file.diagnostics.insert(
                0,
                Diagnostic {
                    line,
                    column,
                    message: format!(
                        "invalid UTF-8 at byte offset {offset}; the file was read as Windows-1252"
                    ),
                },
            );
            file
        }
    }
}

/// An object-like `#define NAME BODY`.
struct ObjectMacro<'l> {
    name: &'l str,
    body: &'l str,
    tokens: Result<Vec<Tok>, usize>,
    line_index: usize,
}

/// A function-like macro ready for expansion: parameters and body tokens.
pub(crate) type Expandable = (Vec<String>, Vec<Tok>);

struct Macros<'l> {
    objects: Vec<ObjectMacro<'l>>,
    /// Name -> its first object macro; further ones with the same name are chained in
    /// `next_same`.
    by_name: HashMap<&'l str, usize>,
    next_same: Vec<Option<usize>>,
    /// `None` when the file defines the name twice with different bodies.
    functions: HashMap<String, Option<Expandable>>,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The 1-based column of `needle`'s first occurrence in a raw line (else 1).
fn column_of(raw: &str, needle: &str) -> u32 {
    raw.find(needle)
        .map_or(1, |p| raw[..p].chars().count() as u32 + 1)
}

/// Adds a function-like macro; two different bodies for one name make it unusable.
pub(crate) fn add_function(
    functions: &mut HashMap<String, Option<Expandable>>,
    name: &str,
    macro_: Expandable,
) {
    match functions.get_mut(name) {
        None => {
            functions.insert(name.to_string(), Some(macro_));
        }
        Some(existing) => {
            if existing.as_ref() != Some(&macro_) {
                *existing = None;
            }
        }
    }
}

fn collect_macros<'l>(
    lines: &'l [Line<'_>],
    diagnostics: &mut Vec<Diagnostic>,
    exported: &mut Vec<FunctionMacro>,
) -> Macros<'l> {
    let mut macros = Macros {
        objects: Vec::new(),
        by_name: HashMap::default(),
        next_same: Vec::new(),
        functions: HashMap::default(),
    };
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.code.strip_prefix('#') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(after) = rest.strip_prefix("define") else {
            continue;
        };
        if after.starts_with(is_ident_char) {
            continue; // `#defined_thing`: not a define directive
        }
        let after = after.trim_start();
        let name_len = after
            .char_indices()
            .find(|&(_, c)| !is_ident_char(c))
            .map_or(after.len(), |(i, _)| i);
        let name = &after[..name_len];
        if name.is_empty() || !name.starts_with(is_ident_start) {
            let found = after
                .chars()
                .next()
                .map_or("the end of the line".to_string(), |c| {
                    quoted(c.encode_utf8(&mut [0; 4])).to_string()
                });
            diagnostics.push(Diagnostic {
                line: line.number,
                column: column_of(&line.raw, "define") + 6,
                message: format!("`#define` needs a macro name; found {found}"),
            });
            continue;
        }
        let rest = &after[name_len..];
        if let Some(params) = rest.strip_prefix('(') {
            let Some(close) = params.find(')') else {
                diagnostics.push(Diagnostic {
                    line: line.number,
                    column: column_of(&line.raw, name),
                    message: format!(
                        "function-like macro {} has no `)` after its parameters",
                        quoted(name)
                    ),
                });
                continue;
            };
            let params: Vec<String> = params[..close]
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            let body_text = params_body(rest, close);
            // COM call wrappers (`(This)->lpVtbl->...`) are most function-like macros of
            // the SDK and never constants: skip them before tokenizing.
            if body_text.contains("->") {
                continue;
            }
            if let Ok(body) = tokenize(body_text) {
                exported.push(FunctionMacro {
                    name: name.to_string(),
                    params: params.clone(),
                    body: body_text.to_string(),
                    line: line.number,
                });
                add_function(&mut macros.functions, name, (params, body));
            }
            continue;
        }
        let body = rest.trim();
        if body.is_empty() {
            continue;
        }
        let index_of_this = macros.objects.len();
        macros.next_same.push(None);
        match macros.by_name.get(name) {
            None => {
                macros.by_name.insert(name, index_of_this);
            }
            Some(&first) => {
                let mut last = first;
                while let Some(next) = macros.next_same[last] {
                    last = next;
                }
                macros.next_same[last] = Some(index_of_this);
            }
        }
        macros.objects.push(ObjectMacro {
            name,
            body,
            tokens: tokenize(body),
            line_index: index,
        });
    }
    macros
}

/// The body of a function-like macro: what follows the `)` closing its parameters.
fn params_body(rest: &str, close: usize) -> &str {
    rest.get(close + 2..).unwrap_or("").trim()
}

/// In-file meaning of names: every object-like macro, evaluated on demand and memoized.
/// A name defined several times (under different conditionals) has a value only when all
/// its definitions agree.
struct FileEnv<'m, 'l> {
    macros: &'m Macros<'l>,
    memo: RefCell<HashMap<&'l str, Result<Typed, EvalError>>>,
    in_progress: RefCell<HashSet<&'l str>>,
}

impl<'m, 'l> FileEnv<'m, 'l> {
    fn new(macros: &'m Macros<'l>) -> FileEnv<'m, 'l> {
        FileEnv {
            macros,
            memo: RefCell::new(HashMap::default()),
            in_progress: RefCell::new(HashSet::default()),
        }
    }

    fn evaluate_object(&self, index: usize, at: Nesting<'_>) -> Result<Typed, EvalError> {
        let object = &self.macros.objects[index];
        match &object.tokens {
            Ok(toks) => eval_tokens(toks, self, at),
            Err(offset) => Err(EvalError::NotInteger(format!(
                "not an integer expression (at {})",
                quoted(&object.body[*offset..].chars().take(12).collect::<String>())
            ))),
        }
    }
}

impl Env for FileEnv<'_, '_> {
    fn lookup(&self, name: &str, at: Nesting<'_>) -> Option<Result<Typed, EvalError>> {
        let (&key, &first) = self.macros.by_name.get_key_value(name)?;
        if let Some(r) = self.memo.borrow().get(key) {
            return Some(r.clone());
        }
        if !self.in_progress.borrow_mut().insert(key) {
            return Some(Err(EvalError::TooDeep));
        }
        let mut result: Option<Result<Typed, EvalError>> = None;
        let mut next = Some(first);
        while let Some(i) = next {
            next = self.macros.next_same[i];
            let r = self.evaluate_object(i, at);
            result = Some(match (result, r) {
                (None, r) => r,
                (Some(Err(e)), _) => Err(e),
                (Some(Ok(_)), Err(e)) => Err(e),
                (Some(Ok(a)), Ok(b)) => {
                    if to_u32(&a) == to_u32(&b) {
                        Ok(a)
                    } else {
                        Err(EvalError::Syntax(format!(
                            "{} is defined with different values in this file",
                            quoted(name)
                        )))
                    }
                }
            });
        }
        self.in_progress.borrow_mut().remove(key);
        let result = result?;
        // Results reached through a cycle are not final; everything else is.
        if result != Err(EvalError::TooDeep) {
            self.memo.borrow_mut().insert(key, result.clone());
        }
        Some(result)
    }

    fn function(&self, name: &str) -> Option<(&[String], &[Tok])> {
        self.macros
            .functions
            .get(name)?
            .as_ref()
            .map(|(params, body)| (params.as_slice(), body.as_slice()))
    }
}

/// Macros the evaluator knows without a definition in the file.
const BUILTIN_MACROS: [&str; 10] = [
    "__MSABI_LONG",
    "_HRESULT_TYPEDEF_",
    "_NDIS_ERROR_TYPEDEF_",
    "_SCODE_TYPEDEF_",
    "MAKE_HRESULT",
    "MAKE_SCODE",
    "HRESULT_FROM_WIN32",
    "__HRESULT_FROM_WIN32",
    "HRESULT_FROM_NT",
    "NTSTATUS_FROM_WIN32",
];

const TYPE_WORDS: [&str; 12] = [
    "unsigned", "signed", "long", "int", "short", "char", "const", "__int64", "__int32",
    "__LONG32", "volatile", "sizeof",
];

/// A name that reads like a constant: upper-case letters, digits and `_`, not reserved
/// (`__x`).
fn is_constant_like(name: &str) -> bool {
    !name.starts_with("__")
        && name.bytes().any(|b| b.is_ascii_uppercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether a body is an integer expression worth recording: it tokenizes, and it holds a
/// literal or names that read as constants, known macros or types of casts. Type aliases
/// (`#define DWORD unsigned long`) and attributes (`#define WINAPI __stdcall`) are not.
fn integer_like(toks: &[Tok], macros: &Macros<'_>) -> bool {
    let mut has_literal = false;
    let mut has_value_name = false;
    let mut depth = 0usize;
    for t in toks {
        match t {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => depth = depth.saturating_sub(1),
            // A list (a GUID's parts), not one value.
            Tok::Punct(",") if depth == 0 => return false,
            Tok::Int(_) | Tok::Char(_) => has_literal = true,
            Tok::Ident(id) => {
                let known_call =
                    BUILTIN_MACROS.contains(&id.as_str()) || macros.functions.contains_key(id);
                if known_call || macros.by_name.contains_key(id.as_str()) || is_constant_like(id) {
                    has_value_name = true;
                } else if !TYPE_WORDS.contains(&id.as_str()) && !id.starts_with(char::is_uppercase)
                {
                    // A lower-case word that is not a type keyword: code, not a constant.
                    return false;
                } else if id.starts_with("__") {
                    return false;
                }
            }
            Tok::Punct(p) => {
                if matches!(*p, "##" | "?" | ":" | "&&" | "||") && !has_literal {
                    return false;
                }
            }
        }
    }
    has_literal || has_value_name
}

/// The name a body stands for when it is just a name (possibly in parentheses).
fn alias_target(toks: &[Tok]) -> Option<String> {
    let mut t = toks;
    while let [Tok::Punct("("), inner @ .., Tok::Punct(")")] = t {
        t = inner;
    }
    match t {
        [Tok::Ident(name)] if !BUILTIN_MACROS.contains(&name.as_str()) => Some(name.clone()),
        _ => None,
    }
}

fn definition_of(
    object: &ObjectMacro<'_>,
    lines: &[Line<'_>],
    env: &FileEnv<'_, '_>,
    macros: &Macros<'_>,
) -> Option<Definition> {
    let toks = object.tokens.as_ref().ok()?;
    if !integer_like(toks, macros) {
        return None;
    }
    let line = &lines[object.line_index];
    let (value, c_type, reason) = match evaluate(toks, env) {
        Ok(t) => match to_u32(&t) {
            Some(v) => (Some(v), t.ty.name.to_string(), None),
            None => (
                None,
                t.ty.name.to_string(),
                Some(format!("value {} does not fit in 32 bits", t.v)),
            ),
        },
        Err(EvalError::NotInteger(_)) => return None,
        Err(e) => (None, String::new(), Some(e.to_string())),
    };
    Some(Definition {
        name: object.name.to_string(),
        value,
        expression: object.body.to_string(),
        alias_of: alias_target(toks),
        unevaluated_reason: reason,
        c_type,
        line: line.number,
        definition: line.raw.trim_end().to_string(),
        line_comments: None,
        message_text: None,
        group: None,
        category: String::new(),
        enum_line: None,
    })
}

/// A run of comment-only lines.
#[derive(Clone)]
struct Block {
    line: u32,
    text: Vec<String>,
}

impl Block {
    /// The text with leading and trailing empty lines removed, lines joined by `\n`.
    fn verbatim(&self) -> String {
        let start = self.text.iter().position(|l| !l.trim().is_empty());
        let end = self.text.iter().rposition(|l| !l.trim().is_empty());
        match (start, end) {
            (Some(s), Some(e)) => self.text[s..=e].join("\n"),
            _ => String::new(),
        }
    }

    fn is_message_block(&self) -> bool {
        self.text.iter().any(|l| {
            let t = l.trim_start();
            t.starts_with("MessageId") || t.starts_with("MessageText")
        })
    }

    /// Whether the block is licence, authorship or generator boilerplate.
    fn is_boilerplate(&self) -> bool {
        self.text.iter().any(|l| is_boilerplate(l))
    }

    /// A short comment shaped like a heading: a few lines, not code, not a message block,
    /// not a banner of punctuation only. Such a block right above a definition is no line
    /// comment of it, whether or not it reads as a heading.
    fn is_heading_shaped(&self) -> bool {
        let content = self.content();
        let Some(first) = content.first() else {
            return false;
        };
        content.len() <= 4
            && first.chars().count() <= 100
            && !first.starts_with('#')
            && !self.is_message_block()
            && !content.iter().any(|l| l.ends_with(';') || l.ends_with('{'))
    }

    /// A comment that heads a group: shaped like a heading and titled like one
    /// ([`is_title`]: no URL, no sentence, no aside). (Whether it is boilerplate is checked
    /// when it is about to head a group: that test is the costly one.)
    fn is_heading_like(&self) -> bool {
        self.is_heading_shaped() && is_title(&self.content())
    }

    /// The lines with a letter or digit, trimmed.
    fn content(&self) -> Vec<&str> {
        self.text
            .iter()
            .map(|l| l.trim())
            .filter(|l| l.chars().any(char::is_alphanumeric))
            .collect()
    }

    /// The heading text: content lines trimmed, decoration-only lines dropped.
    fn title(&self) -> String {
        let lines: Vec<&str> = self.text.iter().map(|l| l.trim()).collect();
        let start = lines
            .iter()
            .position(|l| l.chars().any(char::is_alphanumeric));
        let end = lines
            .iter()
            .rposition(|l| l.chars().any(char::is_alphanumeric));
        match (start, end) {
            (Some(s), Some(e)) => lines[s..=e]
                .iter()
                .map(|l| {
                    if l.chars().any(char::is_alphanumeric) {
                        *l
                    } else {
                        ""
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            _ => String::new(),
        }
    }
}

/// The message text of an mc.exe block (`MessageText:` then the text) or of a wmc block
/// (`Approximate msg: text`).
fn message_text(block: &Block) -> Option<String> {
    let lines = &block.text;
    if let Some(at) = lines.iter().position(|l| l.trim() == "MessageText:") {
        let rest = &lines[at + 1..];
        let start = rest.iter().position(|l| !l.trim().is_empty())?;
        let end = rest.iter().rposition(|l| !l.trim().is_empty())?;
        return Some(rest[start..=end].join("\n"));
    }
    lines.iter().find_map(|l| {
        l.trim_start()
            .strip_prefix("Approximate msg:")
            .map(|t| t.trim().to_string())
    })
}

/// Whether comment text is licence, authorship or generator boilerplate (it holds one of
/// the marks of [`BOILERPLATE`]): such a paragraph describes no code and heads no group.
pub fn is_boilerplate(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    BOILERPLATE.iter().any(|b| lower.contains(b))
}

/// Paragraph words that mark licence, authorship or generator notes: not a description of
/// the codes.
const BOILERPLATE: [&str; 28] = [
    "copyright",
    "public domain",
    "warrant",
    "this file is part of",
    "contributors:",
    "created by",
    "this file is generated",
    "file was generated",
    "autogenerated",
    "automatically generated",
    "generated with",
    "generated by widl",
    "do not edit",
    "disclaimer",
    "license",
    "licence",
    "source :",
    "cmdline:",
    "date   :",
    "all rights reserved",
    "free software",
    "you may use",
    "distributed in the hope",
    "not copyrighted",
    "written by",
    "author:",
    "modified by",
    "build version",
];

/// The header's description: the comment blocks before its first definition, minus
/// licence and generator paragraphs and a line naming the file itself.
fn preamble_of(blocks: &[Block]) -> Option<String> {
    let mut kept = Vec::new();
    for block in blocks {
        let text = block.verbatim();
        for paragraph in text.split("\n\n").flat_map(|p| p.split("\n \n")) {
            let p = paragraph.trim_matches('\n');
            let content: Vec<&str> = p
                .lines()
                .map(str::trim)
                .filter(|l| l.chars().any(char::is_alphanumeric))
                .collect();
            if p.trim().is_empty() || is_boilerplate(p) || is_aside(&content) {
                continue;
            }
            let is_file_name =
                !p.contains('\n') && p.trim().ends_with(".h") && !p.trim().contains(' ');
            if is_file_name || !p.chars().any(char::is_alphanumeric) {
                continue;
            }
            kept.push(p.to_string());
        }
    }
    (!kept.is_empty()).then(|| kept.join("\n\n"))
}

/// Whether the content lines of a comment read as a title (a heading, a category), not as
/// something else a short comment can be: a reference (a line with a URL: `https://docs...`),
/// prose (the first line a sentence with a full stop: "All values from here are taken from
/// the aforementioned MSDN page."), or an aside ([`is_aside`]).
fn is_title(content: &[&str]) -> bool {
    let Some(first) = content.first() else {
        return false;
    };
    let sentence = first.ends_with('.');
    let reference = content
        .iter()
        .any(|l| l.contains("://") || l.starts_with("www."));
    !(sentence || reference || is_aside(content))
}

/// Whether the content lines of a comment are an aside that describes no codes: a
/// developer's note (`FIXME`, `TODO`, `XXX`, `???`), a commented-out directive (`#define`,
/// `#include` on any line), or a comment a generator writes in every header
/// ([`GENERATOR_COMMENTS`]).
fn is_aside(content: &[&str]) -> bool {
    let Some(first) = content.first() else {
        return false;
    };
    let note = ["FIXME", "TODO", "XXX", "HACK", "???"]
        .iter()
        .any(|mark| first.starts_with(mark));
    let generated = GENERATOR_COMMENTS
        .iter()
        .any(|c| first.eq_ignore_ascii_case(c));
    let code = content.iter().any(|l| {
        l.split('#').skip(1).any(|after| {
            let word = after.trim_start();
            [
                "define", "include", "undef", "if", "else", "endif", "pragma",
            ]
            .iter()
            .any(|d| word.starts_with(d))
        })
    });
    note || generated || code
}

/// Comments widl writes in every header it generates, above forward declarations and
/// includes: they head no codes and describe none.
const GENERATOR_COMMENTS: [&str; 3] = [
    "Forward declarations",
    "Headers for imported files",
    "Predeclare the interfaces",
];

/// A preamble's first line when it names a kind of codes ("Network events",
/// "Lanman Server Events (2000 - 2999)"): short, no sentence, mentions codes.
fn category_title(preamble: &str) -> Option<&str> {
    let first = preamble.lines().next()?.trim();
    let lower = first.to_ascii_lowercase();
    let names_codes = ["event", "error", "status", "message", "code"]
        .iter()
        .any(|w| lower.contains(w));
    // A title, not a sentence ("The status values have been taken from").
    let sentence = lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "is" | "are" | "was" | "were" | "has" | "have" | "been" | "be"
        )
    });
    (names_codes && !sentence && first.chars().count() <= 60 && is_title(&[first])).then_some(first)
}

/// Attaches comment blocks to definitions (line comments) or turns them into groups, and
/// finds the preamble.
fn attach_comments(
    lines: &mut [Line<'_>],
    define_at: &[Option<usize>],
    definitions: &mut [Option<Definition>],
    file: &mut HeaderFile,
) {
    let mut current: Option<Block> = None;
    let mut attached: Option<Block> = None;
    let mut pending_heading: Option<Block> = None;
    let mut current_group: Option<usize> = None;
    // Conditional nesting: a group opened inside `#if...` ends at its `#endif` (a heading
    // over `#ifndef X` ... `#endif` heads only that part).
    let mut depth = 0usize;
    let mut group_depth = 0usize;
    let mut preamble_blocks: Vec<Block> = Vec::new();
    let mut seen_definition = false;

    let is_define_line =
        |l: &Line<'_>| l.code.starts_with('#') && l.code[1..].trim_start().starts_with("define");

    for index in 0..lines.len() {
        let next_is_define = lines.get(index + 1).is_some_and(is_define_line);
        let line = &mut lines[index];
        let comment_only = line.code.is_empty() && line.comment.is_some();
        if comment_only {
            let text = line.comment.take().unwrap_or_default();
            match current.as_mut() {
                Some(b) => b.text.push(text),
                None => {
                    current = Some(Block {
                        line: line.number,
                        text: vec![text],
                    })
                }
            }
            continue;
        }
        // A blank line or code ends the block being read.
        if let Some(block) = current.take() {
            if line.code.is_empty() {
                // Detached: followed by a blank line. Before the first definition it is
                // part of the preamble, unless it turns out to head the first group.
                let heading = block.is_heading_like();
                if !seen_definition {
                    if heading {
                        pending_heading = Some(block.clone());
                    }
                    preamble_blocks.push(block);
                } else if heading {
                    pending_heading = Some(block);
                }
            } else {
                attached = Some(block);
            }
        }
        if line.code.is_empty() {
            continue;
        }
        if let Some(directive) = line.code.strip_prefix('#') {
            let directive = directive.trim_start();
            if directive.starts_with("if") {
                depth += 1;
            } else if directive.starts_with("endif") {
                depth = depth.saturating_sub(1);
                if depth < group_depth {
                    current_group = None;
                    group_depth = 0;
                }
            }
        }
        let block = attached.take();
        let Some(def) = define_at
            .get(index)
            .copied()
            .flatten()
            .and_then(|i| definitions.get_mut(i))
            .and_then(Option::as_mut)
        else {
            // Code that is not a recorded definition: a heading right above it still
            // heads what follows (e.g. a heading above `#ifdef`).
            if let Some(b) = block {
                let heading = b.is_heading_like();
                if !seen_definition {
                    if heading {
                        pending_heading = Some(b.clone());
                    }
                    preamble_blocks.push(b);
                } else if heading {
                    pending_heading = Some(b);
                }
            }
            continue;
        };
        if !seen_definition {
            seen_definition = true;
            let heads_first_group = |b: &Block| {
                pending_heading
                    .as_ref()
                    .is_some_and(|h| h.line == b.line && !h.is_boilerplate())
            };
            if preamble_blocks.last().is_some_and(heads_first_group) {
                preamble_blocks.pop();
            }
            file.preamble = preamble_of(&preamble_blocks);
        }
        if let Some(b) = block {
            if b.is_message_block() || !next_is_define || !b.is_heading_shaped() {
                def.line_comments = Some(b.verbatim());
                def.message_text = message_text(&b);
            } else if b.is_heading_like() {
                pending_heading = Some(b);
            }
        }
        if let Some(h) = pending_heading.take().filter(|h| !h.is_boilerplate()) {
            file.groups.push(Group {
                title: h.title(),
                line: h.line,
                first: None,
                last: None,
            });
            current_group = Some(file.groups.len() - 1);
            group_depth = depth;
        }
        def.group = current_group;
    }
    if !seen_definition {
        if let Some(b) = current.take() {
            preamble_blocks.push(b);
        }
        file.preamble = preamble_of(&preamble_blocks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header in the shape mc.exe writes, with the text of the seed page (WDK 6000's
    /// netevent.h): preamble, heading block, `MessageId`/`MessageText` blocks.
    const MC_HEADER: &str = "\
/*++ BUILD Version: 0001    // Increment this if a change has global effects

Copyright (c) Microsoft Corporation.  All rights reserved.
--*/

//
// Lanman Server Events (2000 - 2999)
//     2000-2499 are generated by the server driver (kernel mode)
//     2500-2999 are generated by the server service (user mode)
//

//
// TCP messages
//
// Codes 4225 - 4264
//

//
// MessageId: EVENT_TCPIP_TCP_INIT_FAILED
//
// MessageText:
//
// TCP/IP could not be initialized.
//
#define EVENT_TCPIP_TCP_INIT_FAILED      0xC0001081L

//
// MessageId: EVENT_TCPIP_TCP_TIME_WAIT_COLLISION
//
// MessageText:
//
// TCP/IP failed to establish an outgoing connection because the selected local endpoint
// was recently used to connect to the same remote endpoint.
//
#define EVENT_TCPIP_TCP_TIME_WAIT_COLLISION 0x80001083L
";

    fn find<'a>(file: &'a HeaderFile, name: &str) -> &'a Definition {
        file.definitions
            .iter()
            .find(|d| d.name == name)
            .expect("defined")
    }

    #[test]
    fn keeps_the_mc_block_verbatim_as_line_comments() {
        let file = scan("netevent.h", MC_HEADER);
        let d = find(&file, "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION");
        assert_eq!(
            d.line_comments.as_deref(),
            Some(
                "MessageId: EVENT_TCPIP_TCP_TIME_WAIT_COLLISION\n\nMessageText:\n\n\
                 TCP/IP failed to establish an outgoing connection because the selected local endpoint\n\
                 was recently used to connect to the same remote endpoint."
            )
        );
    }

    #[test]
    fn extracts_the_message_text() {
        let file = scan("netevent.h", MC_HEADER);
        let d = find(&file, "EVENT_TCPIP_TCP_INIT_FAILED");
        assert_eq!(
            d.message_text.as_deref(),
            Some("TCP/IP could not be initialized.")
        );
    }

    #[test]
    fn groups_under_the_heading_with_the_members_range() {
        let file = scan("netevent.h", MC_HEADER);
        let d = find(&file, "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION");
        let group = &file.groups[d.group.expect("grouped")];
        assert_eq!(group.title, "TCP messages\n\nCodes 4225 - 4264");
        assert_eq!(group.line, 12);
        assert_eq!((group.first, group.last), (Some(4225), Some(4227)));
    }

    /// Comments of mingw-w64's headers that are not headings (ntstatus.h, dismapi.h,
    /// setupapi.h, winnt.h, ddraw.h), each right above a define after a heading that is one:
    /// no group, and no line comment of the define either.
    #[test]
    fn references_notes_and_prose_are_not_headings() {
        for comment in [
            "// https://docs.microsoft.com/en-us/windows-hardware/manufacture/desktop/dism/dism-api-functions",
            "// All values from here are taken from the aforementioned MSDN page.",
            "// FIXME: #include <spapidef.h>",
            "// ??? #define SUBLANG_ROMANIAN_MOLDOVA 0x01 ???",
            "/* Predeclare the interfaces */",
            "/* szOID_KEY_USAGE is defined incorrectly in msdn as 2.5.29.4 --\n   http://www.oid-info.com/get/2.5.29.15 RFC3280 */",
        ] {
            let text = format!(
                "//\n// Error codes\n//\n\n#define E_ONE 0x80040001L\n\n{}\n#define E_TWO 0x80040002L\n#define E_THREE 0x80040003L\n",
                comment
            );
            let file = scan("x.h", &text);
            let titles: Vec<&str> = file.groups.iter().map(|g| g.title.as_str()).collect();
            assert_eq!(titles, ["Error codes"], "{comment}");
            assert_eq!(find(&file, "E_TWO").group, Some(0), "{comment}");
            assert_eq!(find(&file, "E_TWO").line_comments, None, "{comment}");
        }
    }

    /// widl's headers open with its comments and mingw-w64's with notes: neither describes the
    /// codes (winineti.h, d3d.h).
    #[test]
    fn asides_before_the_first_code_are_no_preamble_and_no_group() {
        let file = scan(
            "x.h",
            "/* Forward declarations */\n\n/* FIXME: #include <iedial.h> */\n\n\
             /* Predeclare the interfaces */\n#define E_ONE 0x80040001L\n",
        );
        assert_eq!(file.preamble, None);
        assert!(file.groups.is_empty());
    }

    #[test]
    fn takes_the_category_from_the_preamble_title() {
        let file = scan("netevent.h", MC_HEADER);
        assert_eq!(
            file.preamble.as_deref().and_then(|p| p.lines().next()),
            Some("Lanman Server Events (2000 - 2999)")
        );
        assert_eq!(
            find(&file, "EVENT_TCPIP_TCP_INIT_FAILED").category,
            "Lanman Server Events (2000 - 2999)"
        );
    }

    #[test]
    fn rpc_status_codes_are_win32_errors_and_success_codes_hresults() {
        let file = scan(
            "winerror.h",
            "#define RPC_S_SERVER_UNAVAILABLE __MSABI_LONG(1722)\n\
             #define EPT_S_NOT_REGISTERED __MSABI_LONG(1753)\n\
             #define RPC_X_NULL_REF_POINTER __MSABI_LONG(1780)\n\
             #define S_FALSE _HRESULT_TYPEDEF_(0x1)\n\
             #define CO_S_NOTALLINTERFACES _HRESULT_TYPEDEF_(0x00080012)\n",
        );
        for name in [
            "RPC_S_SERVER_UNAVAILABLE",
            "EPT_S_NOT_REGISTERED",
            "RPC_X_NULL_REF_POINTER",
        ] {
            assert_eq!(find(&file, name).category, "Win32 error", "{name}");
        }
        assert_eq!(find(&file, "S_FALSE").category, "HRESULT");
        assert_eq!(find(&file, "CO_S_NOTALLINTERFACES").category, "HRESULT");
    }

    #[test]
    fn small_negative_return_values_are_no_hresults() {
        let file = scan(
            "x.h",
            "#define SOCKET_ERROR (-1)\n\
             #define TAPIERR_SCP_DOES_NOT_EXIST __MSABI_LONG(-23)\n\
             #define ERROR_UNHANDLED_ERROR 0xFFFFFFFF\n\
             #define E_X 0x80040001L\n",
        );
        for name in [
            "SOCKET_ERROR",
            "TAPIERR_SCP_DOES_NOT_EXIST",
            "ERROR_UNHANDLED_ERROR",
        ] {
            assert_eq!(find(&file, name).category, "Constant", "{name}");
        }
        assert_eq!(find(&file, "E_X").category, "HRESULT");
    }

    #[test]
    fn records_the_line_and_the_definition_as_written() {
        let file = scan("netevent.h", MC_HEADER);
        let d = find(&file, "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION");
        assert_eq!(d.line, 35);
        assert_eq!(
            d.definition,
            "#define EVENT_TCPIP_TCP_TIME_WAIT_COLLISION 0x80001083L"
        );
        assert_eq!(
            (d.value, d.c_type.as_str()),
            (Some(0x8000_1083), "unsigned long")
        );
    }

    #[test]
    fn a_group_opened_inside_a_conditional_ends_with_it() {
        let file = scan(
            "x.h",
            "#ifndef B\n/* may be defined elsewhere */\n#define B 1\n#define C 2\n#endif\n\n#define D 3\n",
        );
        assert_eq!(find(&file, "C").group, Some(0));
        assert_eq!(file.groups[0].title, "may be defined elsewhere");
        assert_eq!(find(&file, "D").group, None);
    }

    #[test]
    fn joins_continuation_lines_of_a_define() {
        let file = scan(
            "x.h",
            "#define E_X \\\n    _HRESULT_TYPEDEF_(0x80004005L)\n",
        );
        let d = find(&file, "E_X");
        assert_eq!(
            d.definition,
            "#define E_X     _HRESULT_TYPEDEF_(0x80004005L)"
        );
        assert_eq!(d.line, 1);
        assert_eq!(d.value, Some(0x8000_4005));
    }

    #[test]
    fn evaluates_ndis_and_hresult_forms() {
        let file = scan(
            "x.h",
            "#define NDIS_STATUS_X ((NDIS_STATUS)0xC0010001L)\n\
             #define NDIS_ERROR_X _NDIS_ERROR_TYPEDEF_(0x80340001L)\n\
             #define HR_X ((HRESULT)0x80004005L)\n\
             #define SC_X MAKE_SCODE(1, 4, 0x200)\n",
        );
        assert_eq!(find(&file, "NDIS_STATUS_X").c_type, "NDIS_STATUS");
        assert_eq!(find(&file, "NDIS_ERROR_X").value, Some(0x8034_0001));
        assert_eq!(find(&file, "HR_X").c_type, "HRESULT");
        assert_eq!(find(&file, "SC_X").value, Some(0x8004_0200));
    }

    #[test]
    fn keeps_an_alias_to_another_file_unevaluated() {
        let file = scan("x.h", "#define E_NOTFOUND ERROR_NOT_FOUND\n");
        let d = find(&file, "E_NOTFOUND");
        assert_eq!(d.value, None);
        assert_eq!(d.alias_of.as_deref(), Some("ERROR_NOT_FOUND"));
        assert_eq!(
            d.unevaluated_reason.as_deref(),
            Some("`ERROR_NOT_FOUND` is not defined here")
        );
    }

    #[test]
    fn resolves_an_alias_within_the_file() {
        let file = scan("x.h", "#define A (B)\n#define B 7\n");
        let a = find(&file, "A");
        assert_eq!((a.value, a.alias_of.as_deref()), (Some(7), Some("B")));
    }

    #[test]
    fn leaves_out_defines_that_are_not_integers() {
        let file = scan(
            "x.h",
            "#define S \"text\"\n#define WINAPI __stdcall\n#define G 0x1,0x2\n\
             #define F 1.5f\n#define T unsigned long\n#define CALL(x) (x)\n#define EMPTY\n",
        );
        assert!(file.definitions.is_empty(), "{:?}", file.definitions);
    }

    #[test]
    fn a_recursive_alias_does_not_loop() {
        let file = scan("x.h", "#define A B\n#define B A\n");
        assert_eq!(file.definitions.len(), 2);
        assert!(file.definitions.iter().all(|d| d.value.is_none()));
    }

    #[test]
    fn conflicting_definitions_make_a_reference_unevaluated() {
        let file = scan(
            "x.h",
            "#ifdef X\n#define B 1\n#else\n#define B 2\n#endif\n#define A B\n",
        );
        assert_eq!(find(&file, "A").value, None);
        let b: Vec<_> = file.definitions.iter().filter(|d| d.name == "B").collect();
        assert_eq!((b[0].line, b[1].line), (2, 4));
    }

    #[test]
    fn reports_a_define_without_a_name() {
        let file = scan("x.h", "#define\n#define 5 6\n");
        assert_eq!(file.diagnostics.len(), 2);
        assert_eq!(
            (file.diagnostics[0].line, file.diagnostics[0].column),
            (1, 8)
        );
        assert!(file.diagnostics[1].message.contains("found `5`"));
    }

    #[test]
    fn reports_binary_input_without_scanning() {
        let file = scan_bytes("x.h", b"MZ\x90\x00\x03#define A 1\n");
        assert!(file.definitions.is_empty());
        assert_eq!(file.diagnostics.len(), 1);
        assert!(file.diagnostics[0].message.contains("byte offset 3"));
    }

    #[test]
    fn reads_latin1_text_and_reports_where() {
        let file = scan_bytes("x.h", b"// caf\xe9\n#define A 1\n");
        assert_eq!(find(&file, "A").value, Some(1));
        assert_eq!(
            (file.diagnostics[0].line, file.diagnostics[0].column),
            (1, 7)
        );
    }
}
