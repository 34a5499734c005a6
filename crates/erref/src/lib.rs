//! Reads the error tables of Microsoft's open specification [MS-ERREF] ("Windows Error
//! Codes") as impacket packages them: `impacket/hresult_errors.py`, `nt_errors.py` and
//! `system_errors.py` (PyPI `impacket`, Debian `python3-impacket`).
//!
//! Each file is Python source holding two literal tables, which this crate reads as text
//! (the Python is never executed):
//!
//! ```text
//! ERROR_MESSAGES = {
//!         0x00000005: ("ERROR_ACCESS_DENIED", "Access is denied."),
//!         ...
//! }
//! ERROR_ACCESS_DENIED                  = 0x00000005
//! ```
//!
//! - dictionary entries `VALUE: ("NAME", "TEXT"),` become [`Entry`]s: the name, the value,
//!   the specification's English text and the line that wrote them;
//! - assignments `NAME = VALUE` become [`Constant`]s;
//! - the comment block that opens the file (its notice and description) is kept as
//!   [`Table::description`].
//!
//! The reader takes the literal forms Python allows in such tables: `'` or `"` strings, with
//! or without triple quotes and `r`/`u` prefixes, escapes (`\"`, `\\`, `\n`, `\xNN`,
//! `\uNNNN`...), adjacent strings joined, integers in hex, decimal, octal or binary with `_`
//! separators, `#` comments, trailing commas and entries spread over several lines. Anything
//! else (a call, an expression, bytes or f-strings) is a [`ReadError`] naming the line and
//! column and what was expected: a table that cannot be read exactly is not guessed at.
//! Duplicate keys are kept, each with its own line (impacket lists `STATUS_ABANDONED` and
//! `STATUS_ABANDONED_WAIT_0` under the same value; Python would keep only the last).
//!
//! ```
//! let table = werr_erref::read(b"ERROR_MESSAGES = {\n  0x5: (\"ERROR_ACCESS_DENIED\", \"Access is denied.\"),\n}\n")?;
//! assert_eq!(table.entries[0].name, "ERROR_ACCESS_DENIED");
//! assert_eq!((table.entries[0].value, table.entries[0].line), (5, 2));
//! assert_eq!(table.entries[0].text, "Access is denied.");
//! # Ok::<(), werr_erref::ReadError>(())
//! ```
#![deny(missing_docs)]

mod lexer;

use lexer::{Lexer, Tok, Token};
use werr_quote::quoted;

/// What one file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The comment lines that open the file, without their `#` (notice and description).
    pub description: String,
    /// The dictionary entries, in file order.
    pub entries: Vec<Entry>,
    /// The `NAME = VALUE` assignments, in file order.
    pub constants: Vec<Constant>,
}

/// One dictionary entry: a value with its name and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The symbolic name (`ERROR_ACCESS_DENIED`).
    pub name: String,
    /// The value.
    pub value: u32,
    /// The value as written (`0x00000005`).
    pub literal: String,
    /// The English text, escapes undone (may be empty: some entries have none).
    pub text: String,
    /// 1-based line of the value.
    pub line: u32,
    /// 1-based column of the value.
    pub column: u32,
    /// The entry as written, from its value to its closing parenthesis.
    pub written: String,
}

/// One `NAME = VALUE` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constant {
    /// The name.
    pub name: String,
    /// The value.
    pub value: u32,
    /// The value as written.
    pub literal: String,
    /// 1-based line.
    pub line: u32,
    /// The assignment as written.
    pub written: String,
}

/// Why a file could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (characters).
    pub column: u32,
    /// What was found and what was expected.
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ReadError {}

/// Reads one table file (UTF-8, an optional byte-order mark).
pub fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = 1 + good.iter().filter(|b| **b == b'\n').count();
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
            return Err(ReadError {
                line: line as u32,
                column: column as u32,
                message: format!(
                    "found a byte that is not UTF-8 (offset {}); expected UTF-8 text",
                    e.valid_up_to()
                ),
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser {
        lexer: Lexer::new(text),
        ahead: None,
        src: text,
    };
    let mut table = Table {
        description: leading_comment(text),
        ..Table::default()
    };
    parser.file(&mut table)?;
    Ok(table)
}

/// The `#` lines that open the file (blank lines before them skipped), without `# `.
fn leading_comment(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().skip_while(|l| l.trim().is_empty()) {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            break;
        };
        let comment = comment.strip_prefix(' ').unwrap_or(comment);
        lines.push(comment.trim_end());
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    ahead: Option<Token<'a>>,
    src: &'a str,
}

fn error_at(token: &Token<'_>, message: String) -> ReadError {
    ReadError {
        line: token.line,
        column: token.column,
        message,
    }
}

impl<'a> Parser<'a> {
    fn next(&mut self) -> Result<Token<'a>, ReadError> {
        match self.ahead.take() {
            Some(t) => Ok(t),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> Result<&Token<'a>, ReadError> {
        if self.ahead.is_none() {
            self.ahead = Some(self.lexer.next_token()?);
        }
        Ok(self.ahead.as_ref().expect("filled above"))
    }

    fn expect_punct(&mut self, wanted: char, context: &str) -> Result<Token<'a>, ReadError> {
        let token = self.next()?;
        if token.tok == Tok::Punct(wanted) {
            return Ok(token);
        }
        Err(error_at(
            &token,
            format!("found {}; expected `{wanted}` {context}", token.tok),
        ))
    }

    fn file(&mut self, table: &mut Table) -> Result<(), ReadError> {
        loop {
            let token = self.next()?;
            let name = match token.tok {
                Tok::End => return Ok(()),
                Tok::Newline => continue,
                Tok::Name(name) => name,
                ref other => {
                    return Err(error_at(
                        &token,
                        format!(
                        "found {other}; expected a statement `NAME = {{...}}` or `NAME = VALUE`"
                    ),
                    ))
                }
            };
            self.expect_punct('=', &format!("after {}", quoted(name)))?;
            let value = self.next()?;
            match value.tok {
                Tok::Punct('{') => self.dictionary(table)?,
                Tok::Int(literal) => {
                    table.constants.push(Constant {
                        name: name.to_string(),
                        value: int_value(&value, literal)?,
                        literal: literal.to_string(),
                        line: token.line,
                        written: self.src[token.start..value.end].to_string(),
                    });
                }
                ref other => {
                    return Err(error_at(
                        &value,
                        format!(
                            "found {other} after {} =; expected `{{` or an integer",
                            quoted(name)
                        ),
                    ))
                }
            }
            let end = self.next()?;
            if !matches!(end.tok, Tok::Newline | Tok::End) {
                return Err(error_at(
                    &end,
                    format!(
                        "found {} after the value of {}; expected the end of the line",
                        end.tok,
                        quoted(name)
                    ),
                ));
            }
        }
    }

    /// The entries of a `{` ... `}` literal (the `{` read).
    fn dictionary(&mut self, table: &mut Table) -> Result<(), ReadError> {
        loop {
            let key = self.next()?;
            let literal = match key.tok {
                Tok::Punct('}') => return Ok(()),
                Tok::Int(literal) => literal,
                ref other => {
                    return Err(error_at(
                        &key,
                        format!(
                        "found {other}; expected an entry `VALUE: (\"NAME\", \"TEXT\")` or `}}`"
                    ),
                    ))
                }
            };
            let value = int_value(&key, literal)?;
            self.expect_punct(':', "after the entry's value")?;
            self.expect_punct('(', "opening the entry's (name, text)")?;
            let (name, name_token) = self.string("the entry's name")?;
            if !is_identifier(&name) {
                return Err(error_at(
                    &name_token,
                    format!(
                        "found {}; expected a symbolic name (letters, digits, `_`)",
                        quoted(&name)
                    ),
                ));
            }
            self.expect_punct(',', "after the entry's name")?;
            let (text, _) = self.string("the entry's text")?;
            if self.peek()?.tok == Tok::Punct(',') {
                self.next()?;
            }
            let close = self.expect_punct(')', "closing the entry's (name, text)")?;
            table.entries.push(Entry {
                name,
                value,
                literal: literal.to_string(),
                text,
                line: key.line,
                column: key.column,
                written: self.src[key.start..close.end].to_string(),
            });
            let after = self.next()?;
            match after.tok {
                Tok::Punct(',') => {}
                Tok::Punct('}') => return Ok(()),
                ref other => {
                    return Err(error_at(
                        &after,
                        format!("found {other} after an entry; expected `,` or `}}`"),
                    ))
                }
            }
        }
    }

    /// A string literal and the literals right after it (Python joins them).
    fn string(&mut self, what: &str) -> Result<(String, Token<'a>), ReadError> {
        let first = self.next()?;
        let Tok::Str(mut text) = first.tok.clone() else {
            return Err(error_at(
                &first,
                format!("found {}; expected a string: {what}", first.tok),
            ));
        };
        while let Tok::Str(more) = &self.peek()?.tok {
            text.push_str(more);
            self.next()?;
        }
        Ok((text, first))
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The value of an integer literal (`0x5`, `5`, `0o5`, `0b101`, `1_000`), which must fit in
/// 32 bits.
fn int_value(token: &Token<'_>, literal: &str) -> Result<u32, ReadError> {
    let digits: String = literal.chars().filter(|c| *c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let parsed = if let Some(hex) = lower.strip_prefix("0x") {
        u64::from_str_radix(hex, 16)
    } else if let Some(oct) = lower.strip_prefix("0o") {
        u64::from_str_radix(oct, 8)
    } else if let Some(bin) = lower.strip_prefix("0b") {
        u64::from_str_radix(bin, 2)
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().any(|b| b != b'0') {
        // Python 3 rejects `0123`; reading it as decimal or octal would be a guess.
        return Err(error_at(
            token,
            format!(
                "found {}; expected a number without leading zeros, or 0x/0o/0b",
                quoted(literal)
            ),
        ));
    } else {
        lower.parse::<u64>()
    };
    match parsed {
        Ok(v) => u32::try_from(v).map_err(|_| {
            error_at(
                token,
                format!(
                    "found {}; expected a value that fits in 32 bits",
                    quoted(literal)
                ),
            )
        }),
        Err(_) => Err(error_at(
            token,
            format!(
                "found {}; expected an integer such as 0x80004005 or 1603",
                quoted(literal)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_constants_and_the_description() {
        let src = "# Impacket\n#\n#   HRESULT Errors from [MS-ERREF].\n\nERROR_MESSAGES = {\n        0x80004005: (\"E_FAIL\", \"Unspecified error.\"),\n        0x80004017: (\"CO_E_RUNAS_SYNTAX\", \"A RunAs specification must be <domain name>\\\\<user name> or simply <user name>.\"),\n}\n\n# Error Codes\n\nE_FAIL        = 0x80004005\n";
        let table = read(src.as_bytes()).unwrap();
        assert_eq!(
            table.description,
            "Impacket\n\n  HRESULT Errors from [MS-ERREF]."
        );
        assert_eq!(table.entries.len(), 2);
        let fail = &table.entries[0];
        assert_eq!(
            (fail.name.as_str(), fail.value, fail.line, fail.column),
            ("E_FAIL", 0x8000_4005, 6, 9)
        );
        assert_eq!(fail.literal, "0x80004005");
        assert_eq!(
            fail.written,
            "0x80004005: (\"E_FAIL\", \"Unspecified error.\")"
        );
        assert_eq!(
            table.entries[1].text,
            "A RunAs specification must be <domain name>\\<user name> or simply <user name>."
        );
        assert_eq!(table.constants.len(), 1);
        assert_eq!(table.constants[0].written, "E_FAIL        = 0x80004005");
        assert_eq!(table.constants[0].line, 12);
    }

    #[test]
    fn python_literal_forms() {
        let src = "T = {\n  5: ('A_B',\n      'it''s ' \"\\\"quoted\\\"\"  # a comment\n      ' \\x41\\u00e9\\t'),\n  0b11: (r\"R_\", u'''x\\n''',),  0o7: (\"C\", \"\")\n}\nX = 1_000\n";
        let table = read(src.as_bytes()).unwrap();
        let texts: Vec<(&str, u32, &str)> = table
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.value, e.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("A_B", 5, "its \"quoted\" A\u{e9}\t"),
                ("R_", 3, "x\n"),
                ("C", 7, "")
            ]
        );
        assert_eq!(table.constants[0].value, 1000);
    }

    #[test]
    fn duplicate_keys_are_all_kept() {
        let src = "M = {\n 0x80: (\"STATUS_ABANDONED\", \"a\"),\n 0x80: (\"STATUS_ABANDONED_WAIT_0\", \"a\"),\n}\n";
        let names: Vec<String> = read(src.as_bytes())
            .unwrap()
            .entries
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["STATUS_ABANDONED", "STATUS_ABANDONED_WAIT_0"]);
    }

    fn error_of(src: &str) -> ReadError {
        read(src.as_bytes()).unwrap_err()
    }

    #[test]
    fn errors_name_line_column_and_what_was_expected() {
        let e = error_of("M = {\n  0x5: (\"OK\", \"t\"),\n  0x6: (\"BAD NAME\", \"t\"),\n}\n");
        assert_eq!((e.line, e.column), (3, 9), "{e}");
        assert!(e.message.contains("expected a symbolic name"), "{e}");
        let e = error_of("M = {\n  0x5: (\"A\", \"unterminated),\n}\n");
        assert_eq!((e.line, e.column), (2, 14), "{e}");
        assert!(e.message.contains("string"), "{e}");
        let e = error_of("M = {\n  0x1_0000_0000: (\"A\", \"t\"),\n}\n");
        assert_eq!((e.line, e.column), (2, 3), "{e}");
        assert!(e.message.contains("32 bits"), "{e}");
        let e = error_of("import os\n");
        assert_eq!((e.line, e.column), (1, 8), "{e}");
        assert!(e.message.contains("expected `=` after `import`"), "{e}");
        let e = error_of("M = {\n  0x5: (\"A\", f\"t\"),\n}\n");
        assert_eq!((e.line, e.column), (2, 14), "{e}");
        assert!(e.message.contains("f-string"), "{e}");
        let e = error_of("M = {\n  0x5: (\"A\", \"t\")\n  0x6: (\"B\", \"t\"),\n}\n");
        assert_eq!((e.line, e.column), (3, 3), "{e}");
        assert!(e.message.contains("expected `,` or `}`"), "{e}");
        let e = error_of("M = {\n  0x5: (\"A\", \"t\"),\n");
        assert!(e.message.contains("the end of the file"), "{e}");
        let e = read(b"M = {\n 0x5: (\"A\", \"\xff\"),\n}\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 14), "{e}");
        assert!(e.message.contains("UTF-8"), "{e}");
    }
}
