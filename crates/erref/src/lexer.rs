//! Tokens of the Python subset the tables are written in: names, integers, strings,
//! punctuation and logical line ends (line ends inside brackets are not tokens, as in
//! Python).

use crate::ReadError;
use werr_quote::quoted;

/// A token's kind and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// An identifier.
    Name(&'a str),
    /// An integer literal as written.
    Int(&'a str),
    /// A string literal, escapes undone.
    Str(String),
    /// One of `{ } ( ) [ ] : , =`.
    Punct(char),
    /// The end of a logical line.
    Newline,
    /// The end of the file.
    End,
}

impl std::fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Name(n) => write!(f, "{}", quoted(n)),
            Tok::Int(i) => write!(f, "{}", quoted(i)),
            Tok::Str(s) => write!(f, "the string {}", quoted(s)),
            Tok::Punct(c) => write!(f, "{}", quoted(c.encode_utf8(&mut [0; 4]))),
            Tok::Newline => f.write_str("the end of the line"),
            Tok::End => f.write_str("the end of the file"),
        }
    }
}

/// A token and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte range in the source.
    pub start: usize,
    pub end: usize,
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    line_start: usize,
    /// Open brackets: line ends inside them do not end a statement.
    depth: u32,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            line: 1,
            line_start: 0,
            depth: 0,
        }
    }

    fn peek_byte(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn column_at(&self, pos: usize) -> u32 {
        1 + self.src[self.line_start..pos].chars().count() as u32
    }

    fn error(&self, pos: usize, message: String) -> ReadError {
        ReadError {
            line: self.line,
            column: self.column_at(pos),
            message,
        }
    }

    /// Consumes a line end (`\n`, `\r\n` or `\r`) at the current position.
    fn line_end(&mut self) {
        if self.src[self.pos..].starts_with("\r\n") {
            self.pos += 2;
        } else {
            self.pos += 1;
        }
        self.line += 1;
        self.line_start = self.pos;
    }

    fn token(&self, tok: Tok<'a>, start: usize, line: u32, column: u32) -> Token<'a> {
        Token {
            tok,
            line,
            column,
            start,
            end: self.pos,
        }
    }

    pub fn next_token(&mut self) -> Result<Token<'a>, ReadError> {
        loop {
            let start = self.pos;
            let (line, column) = (self.line, self.column_at(start));
            let Some(c) = self.peek_char() else {
                return Ok(self.token(Tok::End, start, line, column));
            };
            match c {
                ' ' | '\t' | '\x0c' => self.pos += 1,
                '#' => {
                    let rest = &self.src[self.pos..];
                    self.pos += rest.find(['\n', '\r']).unwrap_or(rest.len());
                }
                '\\' => {
                    self.pos += 1;
                    if !matches!(self.peek_byte(), Some(b'\n' | b'\r')) {
                        return Err(self.error(
                            start,
                            "found `\\` outside a string; expected it only at a line's end".into(),
                        ));
                    }
                    self.line_end();
                }
                '\n' | '\r' => {
                    self.line_end();
                    if self.depth == 0 {
                        return Ok(Token {
                            tok: Tok::Newline,
                            line,
                            column,
                            start,
                            end: self.pos,
                        });
                    }
                }
                '{' | '(' | '[' => {
                    self.pos += 1;
                    self.depth += 1;
                    return Ok(self.token(Tok::Punct(c), start, line, column));
                }
                '}' | ')' | ']' => {
                    self.pos += 1;
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(self.token(Tok::Punct(c), start, line, column));
                }
                ':' | ',' | '=' => {
                    self.pos += 1;
                    return Ok(self.token(Tok::Punct(c), start, line, column));
                }
                '"' | '\'' => {
                    let text = self.string(false)?;
                    return Ok(self.token(Tok::Str(text), start, line, column));
                }
                c if c.is_ascii_digit() => {
                    let rest = &self.src[self.pos..];
                    let len = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    self.pos += len;
                    let literal = &self.src[start..self.pos];
                    return Ok(self.token(Tok::Int(literal), start, line, column));
                }
                c if c.is_ascii_alphabetic() || c == '_' => {
                    let rest = &self.src[self.pos..];
                    let len = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    let word = &rest[..len];
                    self.pos += len;
                    if matches!(self.peek_byte(), Some(b'"' | b'\'')) {
                        let lower = word.to_ascii_lowercase();
                        let raw = match lower.as_str() {
                            "r" => true,
                            "u" => false,
                            _ if lower.contains('b') => {
                                return Err(self.error(
                                    start,
                                    format!("found the bytes literal prefix {}; expected a text string", quoted(word)),
                                ))
                            }
                            _ if lower.contains('f') => {
                                return Err(self.error(
                                    start,
                                    format!("found an f-string ({} prefix); expected a plain string, which is read without running code", quoted(word)),
                                ))
                            }
                            _ => {
                                return Err(self.error(
                                    start,
                                    format!("found the string prefix {}; expected none, `r` or `u`", quoted(word)),
                                ))
                            }
                        };
                        let text = self.string(raw)?;
                        return Ok(self.token(Tok::Str(text), start, line, column));
                    }
                    return Ok(self.token(Tok::Name(word), start, line, column));
                }
                other => {
                    return Err(self.error(
                        start,
                        format!(
                        "found {}; expected a name, a number, a string or one of {{ }} ( ) : , =",
                        quoted(other.encode_utf8(&mut [0; 4]))
                    ),
                    ))
                }
            }
        }
    }

    /// A string literal starting at the current position (its quote), escapes undone
    /// unless `raw`.
    fn string(&mut self, raw: bool) -> Result<String, ReadError> {
        let start = self.pos;
        let (line, column) = (self.line, self.column_at(start));
        let quote = self.peek_byte().expect("called on a quote") as char;
        let triple: String = std::iter::repeat_n(quote, 3).collect();
        let long = self.src[self.pos..].starts_with(&triple);
        self.pos += if long { 3 } else { 1 };
        let unterminated = || ReadError {
            line,
            column,
            message: format!(
                "found a string that does not end{}; expected its closing {}",
                if long { "" } else { " on its line" },
                if long {
                    triple.clone()
                } else {
                    quote.to_string()
                }
            ),
        };
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err(unterminated());
            };
            if c == quote {
                if !long {
                    self.pos += 1;
                    return Ok(out);
                }
                if self.src[self.pos..].starts_with(&triple) {
                    self.pos += 3;
                    return Ok(out);
                }
                out.push(c);
                self.pos += 1;
                continue;
            }
            if c == '\n' || c == '\r' {
                if !long {
                    return Err(unterminated());
                }
                out.push('\n');
                self.line_end();
                continue;
            }
            if c != '\\' {
                out.push(c);
                self.pos += c.len_utf8();
                continue;
            }
            let escape_at = self.pos;
            self.pos += 1;
            let Some(e) = self.peek_char() else {
                return Err(unterminated());
            };
            if raw {
                // A raw string keeps the backslash; it still cannot end the string.
                out.push('\\');
                if e == '\n' || e == '\r' {
                    out.push('\n');
                    self.line_end();
                } else {
                    out.push(e);
                    self.pos += e.len_utf8();
                }
                continue;
            }
            match e {
                '\n' | '\r' => self.line_end(),
                '\\' | '\'' | '"' => {
                    out.push(e);
                    self.pos += 1;
                }
                'n' | 't' | 'r' | 'a' | 'b' | 'f' | 'v' => {
                    out.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'a' => '\x07',
                        'b' => '\x08',
                        'f' => '\x0c',
                        _ => '\x0b',
                    });
                    self.pos += 1;
                }
                '0'..='7' => {
                    let digits: String = self.src[self.pos..]
                        .chars()
                        .take(3)
                        .take_while(|c| ('0'..='7').contains(c))
                        .collect();
                    self.pos += digits.len();
                    let v = u32::from_str_radix(&digits, 8).expect("octal digits");
                    out.push(char::from_u32(v).expect("at most 0o777"));
                }
                'x' | 'u' | 'U' => {
                    let width = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    self.pos += 1;
                    let digits = self.src[self.pos..].get(..width).unwrap_or("");
                    let v = (digits.len() == width
                        && digits.bytes().all(|b| b.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(digits, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                    let Some(ch) = v else {
                        return Err(self.error(
                            escape_at,
                            format!("found a bad `\\{e}` escape; expected {width} hex digits naming a character"),
                        ));
                    };
                    out.push(ch);
                    self.pos += width;
                }
                'N' => {
                    return Err(self.error(
                        escape_at,
                        "found a `\\N{...}` escape; expected plain characters or \\x, \\u escapes (character names are not read)".into(),
                    ))
                }
                other => {
                    // Python keeps unknown escapes as written.
                    out.push('\\');
                    out.push(other);
                    self.pos += other.len_utf8();
                }
            }
        }
    }
}
