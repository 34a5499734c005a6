//! Enum blocks of a C header: `enum [tag] { MEMBER [= VALUE], ... } [name];`, their members
//! with the line and the initializer as written. Values are evaluated by the scanner
//! (`scan.rs`), which knows the file's macros.
//!
//! The reader works on the logical lines (`lines.rs`: comments out of the code, enum bodies
//! kept whole); preprocessor lines inside a body are noted, string literals are single
//! tokens, so an `enum` in a comment or a `{` in a string is not taken for code.

use crate::lines::{Line, ENUM_WORD};

/// One `enum { ... }` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnumBlock {
    /// The typedef name (`typedef enum tagX {...} X;` gives `X`), else the tag, else empty.
    pub name: String,
    /// 1-based line of the `enum` keyword.
    pub line: u32,
    /// The members, in order.
    pub members: Vec<EnumMember>,
}

/// One member of an enum block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnumMember {
    /// The member's name.
    pub name: String,
    /// The initializer after `=`, as written (comments removed, blanks collapsed); `None`
    /// when the member takes the previous value plus one.
    pub init: Option<String>,
    /// 1-based line of the member's name.
    pub line: u32,
    /// Whether the member is written as this reader understands (`NAME` or `NAME = EXPR`);
    /// a member with attributes or macro calls around its name is not, and neither it nor
    /// the implicit members after it get a value.
    pub understood: bool,
    /// Whether a preprocessor line stands between this member and the previous one, so
    /// that an implicit value cannot be counted on (the lines between may be left out).
    pub after_directive: bool,
}

/// A token of the reader: a word (identifier or number), one punctuation character, or a
/// preprocessor line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Punct(u8),
    Directive,
}

/// A token: its kind, the line it is on (an index into the lines) and its byte range in
/// that line's code.
#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    line: usize,
    start: usize,
    end: usize,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// Tokens of the logical lines from a starting line on (comments are already out of the
/// lines' code).
struct Reader<'a, 'l> {
    lines: &'a [Line<'l>],
    line: usize,
    pos: usize,
}

impl<'a, 'l> Reader<'a, 'l> {
    fn text(&self, t: &Token) -> &'a str {
        &self.lines[t.line].code[t.start..t.end]
    }

    fn next(&mut self) -> Option<Token> {
        loop {
            let line = self.lines.get(self.line)?;
            let code = line.code.as_bytes();
            if self.pos == 0 && code.first() == Some(&b'#') {
                self.line += 1;
                return Some(Token {
                    kind: Kind::Directive,
                    line: self.line - 1,
                    start: 0,
                    end: code.len(),
                });
            }
            while self.pos < code.len() && code[self.pos].is_ascii_whitespace() {
                self.pos += 1;
            }
            if self.pos >= code.len() {
                self.line += 1;
                self.pos = 0;
                continue;
            }
            let start = self.pos;
            let b = code[start];
            let kind = if is_word_byte(b) {
                while self.pos < code.len() && is_word_byte(code[self.pos]) {
                    self.pos += 1;
                }
                Kind::Word
            } else if b == b'"' || b == b'\'' {
                // A literal: one token the member reader does not understand.
                self.pos += 1;
                while self.pos < code.len() && code[self.pos] != b {
                    self.pos += if code[self.pos] == b'\\' { 2 } else { 1 };
                }
                self.pos = (self.pos + 1).min(code.len());
                Kind::Punct(b)
            } else {
                // One character; punctuation is ASCII, anything else is one unknown unit.
                self.pos += line.code[start..].chars().next().map_or(1, char::len_utf8);
                Kind::Punct(b)
            };
            return Some(Token {
                kind,
                line: self.line,
                start,
                end: self.pos,
            });
        }
    }
}

/// Whether `code` has the word `enum` (not part of a longer name).
fn has_enum_keyword(code: &str) -> bool {
    let bytes = code.as_bytes();
    ENUM_WORD.find_iter(bytes).any(|at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 4).copied();
        !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte)
    })
}

/// Every enum block of a header's logical lines (whose code is free of comments), in file
/// order. Blocks the reader cannot follow (a `{` inside the braces, a file ending inside
/// them) are left out.
pub(crate) fn enum_blocks(lines: &[Line<'_>]) -> Vec<EnumBlock> {
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let code = &lines[index].code;
        if code.starts_with('#') || !has_enum_keyword(code) {
            index += 1;
            continue;
        }
        let mut reader = Reader {
            lines,
            line: index,
            pos: 0,
        };
        let mut previous_was_typedef = false;
        while let Some(t) = reader.next() {
            if t.line != index {
                break;
            }
            let word = (t.kind == Kind::Word).then(|| reader.text(&t));
            if word == Some("enum") {
                let typedef = previous_was_typedef;
                let line = lines[t.line].number;
                if let Some(block) = read_block(&mut reader, line, typedef) {
                    blocks.push(block);
                }
                break;
            }
            previous_was_typedef = word == Some("typedef");
        }
        index = reader.line.max(index + 1);
    }
    blocks
}

/// Reads what follows an `enum` keyword; `None` when it is not a block with a body (a
/// type use such as `enum X x;`) or the body cannot be followed.
fn read_block(rd: &mut Reader<'_, '_>, line: u32, typedef: bool) -> Option<EnumBlock> {
    let mut tag = String::new();
    // `enum [class|struct] [tag] [: underlying type] {`
    loop {
        let t = rd.next()?;
        match t.kind {
            Kind::Word => {
                let w = rd.text(&t);
                if w != "class" && w != "struct" && tag.is_empty() {
                    tag = w.to_string();
                }
            }
            Kind::Punct(b'{') => break,
            Kind::Punct(b':') => {}
            _ => return None,
        }
    }
    let mut members = Vec::new();
    let mut current: Vec<Token> = Vec::new();
    let mut directive_before = false;
    let mut depth = 0u32;
    loop {
        let t = rd.next()?;
        match t.kind {
            Kind::Directive => {
                if current.is_empty() {
                    directive_before = true;
                } else {
                    // Inside one member: the member is not split across a directive.
                    current.push(t);
                }
            }
            Kind::Punct(b'{') => return None,
            Kind::Punct(b'(') => {
                depth += 1;
                current.push(t);
            }
            Kind::Punct(b')') => {
                depth = depth.saturating_sub(1);
                current.push(t);
            }
            Kind::Punct(b',') if depth == 0 => {
                members.extend(member(rd, &current, directive_before));
                current.clear();
                directive_before = false;
            }
            Kind::Punct(b'}') => {
                members.extend(member(rd, &current, directive_before));
                break;
            }
            _ => current.push(t),
        }
    }
    // The declarators after `}`: the first word names a typedef.
    let mut name = String::new();
    if typedef {
        while let Some(t) = rd.next() {
            match t.kind {
                Kind::Word => {
                    name = rd.text(&t).to_string();
                    break;
                }
                Kind::Punct(b'*') => {}
                _ => break,
            }
        }
    }
    if name.is_empty() {
        name = tag;
    }
    Some(EnumBlock {
        name,
        line,
        members,
    })
}

/// One member from its tokens (none: a trailing comma).
fn member(rd: &Reader<'_, '_>, toks: &[Token], after_directive: bool) -> Option<EnumMember> {
    let first = toks.first()?;
    let name = rd.text(first);
    if first.kind != Kind::Word || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (init, understood) = match toks.get(1) {
        None => (None, true),
        Some(eq) if eq.kind == Kind::Punct(b'=') && toks.len() > 2 => {
            let body = &toks[2..];
            let clean = body.iter().all(|t| t.kind != Kind::Directive);
            // As written, blanks collapsed; over several lines, joined by one blank.
            let mut init = String::new();
            let mut at = 0;
            while at < body.len() {
                let line = body[at].line;
                let last = body[at..].iter().take_while(|t| t.line == line).count() + at - 1;
                let code = &rd.lines[line].code[body[at].start..body[last].end];
                for word in code.split_whitespace() {
                    if !init.is_empty() {
                        init.push(' ');
                    }
                    init.push_str(word);
                }
                at = last + 1;
            }
            (Some(init), clean)
        }
        Some(_) => (None, false),
    };
    Some(EnumMember {
        name: name.to_string(),
        init,
        line: rd.lines[first.line].number,
        understood,
        after_directive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::logical_lines;

    fn blocks(text: &str) -> Vec<EnumBlock> {
        enum_blocks(&logical_lines(text).0)
    }

    #[test]
    fn reads_a_typedef_enum_with_its_typedef_name() {
        let blocks = blocks(
            "typedef enum tag_WBEMSTATUS {\n    WBEM_NO_ERROR = 0,\n    WBEM_E_FAILED = 0x80041001,\n    WBEM_E_NOT_FOUND\n} WBEMSTATUS;\n",
        );
        assert_eq!(blocks.len(), 1);
        let b = &blocks[0];
        assert_eq!((b.name.as_str(), b.line), ("WBEMSTATUS", 1));
        let names: Vec<_> = b.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            ["WBEM_NO_ERROR", "WBEM_E_FAILED", "WBEM_E_NOT_FOUND"]
        );
        assert_eq!(b.members[1].init.as_deref(), Some("0x80041001"));
        assert_eq!(b.members[1].line, 3);
        assert_eq!(b.members[2].init, None);
    }

    #[test]
    fn takes_the_tag_of_a_plain_enum_and_several_members_per_line() {
        let blocks =
            blocks("enum MQERROR {\n  MQ_ERROR = 0xc00e0001,MQ_ERROR_PROPERTY = 0xc00e0002\n};\n");
        assert_eq!(blocks[0].name, "MQERROR");
        assert_eq!(blocks[0].members.len(), 2);
        assert_eq!(blocks[0].members[1].line, 2);
    }

    #[test]
    fn passes_over_enums_in_comments_strings_and_type_uses() {
        let blocks = blocks(
            "/* enum X { A = 1 }; */\n// enum Y { B };\nconst char *s = \"enum Z { C }\";\nenum W w;\nint f(enum W x);\n",
        );
        assert!(blocks.is_empty(), "{blocks:?}");
    }

    #[test]
    fn marks_members_after_a_directive_and_members_it_does_not_understand() {
        let blocks = blocks(
            "enum E {\n A = 1,\n#if X\n B,\n#endif\n DEPRECATED(C),\n D = (A | 4) /* four */ + 1\n};\n",
        );
        let m = &blocks[0].members;
        assert!(!m[0].after_directive && m[1].after_directive);
        assert!(!m[2].understood);
        assert_eq!(m[3].init.as_deref(), Some("(A | 4) + 1"));
    }

    #[test]
    fn an_unclosed_enum_is_left_out() {
        assert!(blocks("enum E { A = 1, B").is_empty());
        assert!(blocks("enum E { A = { 1 } };").is_empty());
    }
}
