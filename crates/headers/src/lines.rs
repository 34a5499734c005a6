//! Logical lines of a C file: backslash continuations joined, comments separated from code.

/// One logical line.
pub(crate) struct Line<'a> {
    /// 1-based number of its first physical line.
    pub number: u32,
    /// The line as written, continuations joined (`\` + newline removed), no line end.
    pub raw: std::borrow::Cow<'a, str>,
    /// The code with comments replaced by a space, trimmed.
    pub code: std::borrow::Cow<'a, str>,
    /// The comment text on this line, markers removed (several comments joined by a space).
    pub comment: Option<String>,
}

/// Why scanning was not clean: an unterminated comment, with the line it started on.
pub(crate) struct Unterminated {
    pub line: u32,
    pub column: u32,
}

/// The searcher for `enum`, built once: most lines are short and building one per line
/// would cost more than searching.
pub(crate) static ENUM_WORD: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("enum"));

/// Splits `text` into logical lines. Handles `//`, `/* */` over many lines, and string or
/// character literals (so `"//"` is not a comment). Of a run of blank lines, or of plain
/// code lines (no directive, no comment), only the first is returned, except inside the
/// braces of an `enum`, whose lines are members (`enums.rs`).
pub(crate) fn logical_lines(text: &str) -> (Vec<Line<'_>>, Option<Unterminated>) {
    use std::borrow::Cow;
    let bytes = text.as_bytes();
    let mut out: Vec<Line<'_>> = Vec::new();
    let mut in_block: Option<(u32, u32)> = None;
    let mut pos = 0;
    let mut physical = 0u32;
    // The next physical line, without its line end, and where the one after starts.
    let next_line = |pos: usize| {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |e| pos + e);
        let line = &text[pos..end];
        (line.strip_suffix('\r').unwrap_or(line), end + 1)
    };
    // Kinds of lines a run of which means the same as its first line.
    const OTHER: u8 = 0;
    const BLANK: u8 = 1;
    const PLAIN_CODE: u8 = 2;
    let mut last_kind = OTHER;
    let mut in_enum = false;
    while pos < bytes.len() {
        let (first, after) = next_line(pos);
        pos = after;
        physical += 1;
        let number = physical;
        // Joining continuations: `\` at the end (trailing blanks tolerated, as GCC does).
        let raw = if ends_with_backslash(first) {
            let mut joined = first.trim_end()[..first.trim_end().len() - 1].to_string();
            while pos < bytes.len() {
                let (next, after) = next_line(pos);
                pos = after;
                physical += 1;
                if ends_with_backslash(next) {
                    joined.push_str(&next.trim_end()[..next.trim_end().len() - 1]);
                } else {
                    joined.push_str(next);
                    break;
                }
            }
            Cow::Owned(joined)
        } else {
            Cow::Borrowed(first)
        };
        // Most lines hold no `/` at all: their code is the line itself.
        let (code, comment) =
            if in_block.is_none() && memchr::memchr(b'/', raw.as_bytes()).is_none() {
                let code = match &raw {
                    Cow::Borrowed(r) => Cow::Borrowed(r.trim()),
                    Cow::Owned(r) => Cow::Owned(r.trim().to_string()),
                };
                (code, None)
            } else {
                let (code, comment) = split_comments(&raw, number, &mut in_block);
                (Cow::Owned(code), comment)
            };
        // Runs of blank lines, and runs of code lines that are neither directives nor
        // commented, mean the same to the scanner as their first line: keep only that one
        // (most lines of the SDK's big COM headers).
        let mut kind = match (&comment, code.as_bytes().first()) {
            (None, None) => BLANK,
            (None, Some(&c)) if c != b'#' => PLAIN_CODE,
            _ => OTHER,
        };
        if !code.is_empty() && !code.starts_with('#') {
            // An `enum` keyword opens a body unless the line is a complete declaration
            // (`enum X x;`); the body ends at its `}`.
            if !in_enum {
                let opens = memchr::memchr(b'{', code.as_bytes()).is_some();
                in_enum =
                    (opens || !code.ends_with(';')) && ENUM_WORD.find(code.as_bytes()).is_some();
            }
            if in_enum {
                kind = OTHER;
                in_enum = !code.contains('}');
            }
        }
        if kind != OTHER && kind == last_kind {
            continue;
        }
        last_kind = kind;
        out.push(Line {
            number,
            raw,
            code,
            comment,
        });
    }
    let unterminated = in_block.map(|(line, column)| Unterminated { line, column });
    (out, unterminated)
}

fn ends_with_backslash(line: &str) -> bool {
    line.trim_end().ends_with('\\')
}

/// Separates code from comments on one logical line; `in_block` carries an open `/*`
/// (its line and column) from line to line.
fn split_comments(
    line: &str,
    number: u32,
    in_block: &mut Option<(u32, u32)>,
) -> (String, Option<String>) {
    let bytes = line.as_bytes();
    let mut code = String::new();
    let mut comments: Vec<String> = Vec::new();
    let mut i = 0;
    let mut code_start = 0;
    if in_block.is_some() {
        match line.find("*/") {
            Some(end) => {
                comments.push(block_piece(&line[..end], false, true));
                *in_block = None;
                i = end + 2;
                code_start = i;
            }
            None => {
                return (String::new(), Some(block_piece(line, false, false)));
            }
        }
    }
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                code.push_str(&line[code_start..i]);
                comments.push(line_piece(&line[i + 2..]));
                code_start = bytes.len();
                break;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                code.push_str(&line[code_start..i]);
                code.push(' ');
                let body = i + 2;
                match line[body..].find("*/") {
                    Some(end) => {
                        comments.push(block_piece(&line[body..body + end], true, true));
                        i = body + end + 2;
                        code_start = i;
                    }
                    None => {
                        comments.push(block_piece(&line[body..], true, false));
                        *in_block = Some((number, i as u32 + 1));
                        code_start = bytes.len();
                        break;
                    }
                }
            }
            _ => i += 1,
        }
    }
    if code_start < bytes.len() {
        code.push_str(&line[code_start.min(bytes.len())..]);
    }
    let comment = if comments.is_empty() {
        None
    } else {
        Some(comments.join(" "))
    };
    (code.trim().to_string(), comment)
}

/// The text of a `//` comment: the marker and one following space removed, trailing
/// blanks removed.
fn line_piece(text: &str) -> String {
    let text = text.strip_prefix(' ').unwrap_or(text);
    text.trim_end().to_string()
}

/// The text of one line of a `/* */` comment: opening decoration (`/**`), the ` * ` of
/// middle lines and the closing `*/` decoration removed.
fn block_piece(text: &str, opening: bool, closing: bool) -> String {
    let mut t = text;
    if opening {
        if t.bytes().all(|b| b == b'*') {
            t = "";
        }
    } else {
        let trimmed = t.trim_start();
        if let Some(rest) = trimmed.strip_prefix('*') {
            t = rest;
        }
    }
    t = t.strip_prefix(' ').unwrap_or(t);
    let mut t = t.trim_end();
    if closing {
        t = t.trim_end_matches('*').trim_end();
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_continuations_and_strips_comments() {
        let (lines, open) = logical_lines("#define A \\\n  5 // five\n/* a\n * b */\nx\n");
        assert!(open.is_none());
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].raw, "#define A   5 // five");
        assert_eq!(lines[0].code, "#define A   5");
        assert_eq!(lines[0].comment.as_deref(), Some("five"));
        assert_eq!(lines[1].number, 3);
        assert_eq!(lines[1].comment.as_deref(), Some("a"));
        assert_eq!(lines[2].comment.as_deref(), Some("b"));
        assert_eq!(lines[3].code, "x");
    }

    #[test]
    fn strings_do_not_open_comments() {
        let (lines, _) = logical_lines("#define S \"//x/*\" // c\n");
        assert_eq!(lines[0].code, "#define S \"//x/*\"");
    }

    #[test]
    fn reports_an_unterminated_comment() {
        let (_, open) = logical_lines("int x;\n  /* never closed\n");
        let open = open.expect("unterminated");
        assert_eq!((open.line, open.column), (2, 3));
    }
}
