//! How werr echoes a piece of its input in a message: [`quoted`].
//!
//! Error messages name what they found (`found `0x1F2G`; expected a number`). The input is
//! untrusted: a token can be 5 MB long, hold NUL bytes, or carry terminal escape sequences that
//! rewrite the user's screen. Every message that echoes input goes through [`quoted`], which
//! puts the text between backticks, escapes what a terminal would act on or hide, and cuts it
//! after [`MAX_SHOWN_CHARS`] characters, saying how long it was.
//!
//! ```
//! use werr_quote::quoted;
//! assert_eq!(quoted("MSG00409").to_string(), "`MSG00409`");
//! assert_eq!(quoted("a\u{1b}[2Jb\0").to_string(), "`a\\x1b[2Jb\\0`");
//! let long = "x".repeat(1000);
//! assert_eq!(
//!     quoted(&long).to_string(),
//!     format!("`{}…` (1000 characters)", "x".repeat(80))
//! );
//! ```
#![deny(missing_docs)]

use std::fmt::{self, Write};

/// The most characters of an input text a message shows.
pub const MAX_SHOWN_CHARS: usize = 80;

/// `text` as a message shows it: see the crate documentation.
pub fn quoted(text: &str) -> Quoted<'_> {
    Quoted(text)
}

/// A text shown quoted, escaped and cut ([`quoted`]); formats with `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('`')?;
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(MAX_SHOWN_CHARS) {
            write_escaped(f, c)?;
        }
        if chars.next().is_some() {
            // The length is counted only when the text is cut, so a short text costs one pass.
            let total = self.0.chars().count();
            write!(f, "…` ({total} characters)")
        } else {
            f.write_char('`')
        }
    }
}

/// Writes `c`, escaped when a terminal would act on it or not show it.
fn write_escaped(f: &mut fmt::Formatter<'_>, c: char) -> fmt::Result {
    match c {
        '\0' => f.write_str("\\0"),
        '\t' => f.write_str("\\t"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => write!(f, "\\x{:02x}", c as u32),
        c if is_hidden(c) => write!(f, "\\u{{{:x}}}", c as u32),
        c => f.write_char(c),
    }
}

/// Characters a terminal does not show as themselves: C1 controls, and the format characters
/// that are invisible or reorder the text around them (soft hyphen, zero-width characters,
/// bidirectional overrides and isolates, the byte-order mark, the replacement of a
/// non-character).
fn is_hidden(c: char) -> bool {
    matches!(c,
        '\u{80}'..='\u{9f}'
        | '\u{ad}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_quoted_whole() {
        assert_eq!(quoted("").to_string(), "``");
        assert_eq!(quoted("E_FAIL").to_string(), "`E_FAIL`");
        assert_eq!(quoted("C:\\dir\\x.mc").to_string(), "`C:\\dir\\x.mc`");
        assert_eq!(quoted("Grüße").to_string(), "`Grüße`");
    }

    #[test]
    fn controls_and_invisible_characters_are_escaped() {
        assert_eq!(quoted("\0\0").to_string(), "`\\0\\0`");
        assert_eq!(quoted("a\u{1b}]0;x\u{7}").to_string(), "`a\\x1b]0;x\\x07`");
        assert_eq!(quoted("\u{9b}2J").to_string(), "`\\u{9b}2J`");
        assert_eq!(quoted("ab\u{202e}cd").to_string(), "`ab\\u{202e}cd`");
        assert_eq!(quoted("\u{feff}x").to_string(), "`\\u{feff}x`");
        assert_eq!(quoted("a\r\nb\t").to_string(), "`a\\r\\nb\\t`");
    }

    #[test]
    fn long_text_is_cut_and_its_length_said() {
        let exactly = "y".repeat(MAX_SHOWN_CHARS);
        assert_eq!(quoted(&exactly).to_string(), format!("`{exactly}`"));
        let nul = "\0".repeat(1000);
        let shown = quoted(&nul).to_string();
        assert_eq!(shown, format!("`{}…` (1000 characters)", "\\0".repeat(80)));
        let big = "é".repeat(5_000_000);
        let shown = quoted(&big).to_string();
        assert!(shown.len() < 200, "{} bytes", shown.len());
        assert!(shown.ends_with("…` (5000000 characters)"), "{shown}");
    }
}
