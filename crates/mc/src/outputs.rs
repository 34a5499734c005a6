//! The compiler's other outputs: the `.dbg` table of symbolic names (`-x`) and the encoding
//! of the `.h` and `.rc` texts (`-cp`).

use std::borrow::Cow;

use crate::{LineEnding, MessageFile};
use werr_msgtable::{CodePage, Unmappable};

/// The `.dbg` file mc.exe's `-x` writes: a C table from message values to symbolic names,
/// `base` naming the struct and the array, ended by `{0xFFFFFFFF, NULL}`.
pub fn dbg_file(file: &MessageFile, base: &str, eol: LineEnding) -> String {
    let nl = eol.as_str();
    let mut s = format!(
        "// Message values and their symbolic names, written by werr mc.{nl}{nl}struct {base}SymbolicName{nl}{{{nl}    DWORD MessageId;{nl}    char *SymbolicName;{nl}}} {base}SymbolicNames[] ={nl}{{{nl}"
    );
    for m in file.messages() {
        if let Some(symbol) = &m.symbol {
            s.push_str(&format!("    {{0x{:08X}, \"{symbol}\"}},{nl}", m.value));
        }
    }
    s.push_str(&format!("    {{0xFFFFFFFF, NULL}}{nl}}};{nl}"));
    s
}

/// The encoding `-cp` asks for the `.h` and `.rc` files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// None asked: Windows-1252, or UTF-8 with a byte-order mark when the text has a
    /// character Windows-1252 lacks.
    #[default]
    Default,
    /// `ansi`: Windows-1252, and a text it cannot encode is an error.
    Ansi,
    /// `utf-8`, with a byte-order mark.
    Utf8,
    /// `utf-16` (little-endian), with a byte-order mark.
    Utf16,
}

impl TextEncoding {
    /// The encoding a `-cp` value names (`ansi`, `utf-8`, `utf-16`); `None` for another.
    pub fn parse(name: &str) -> Option<TextEncoding> {
        match name {
            "ansi" => Some(TextEncoding::Ansi),
            "utf-8" => Some(TextEncoding::Utf8),
            "utf-16" => Some(TextEncoding::Utf16),
            _ => None,
        }
    }
}

/// A text encoded for a file.
#[derive(Debug)]
pub struct EncodedText<'t> {
    /// The file's bytes (the text itself when it is ASCII and Windows-1252 was asked).
    pub bytes: Cow<'t, [u8]>,
    /// Under [`TextEncoding::Default`], the character that made it UTF-8 instead of
    /// Windows-1252.
    pub fell_back: Option<Unmappable>,
}

/// Encodes a `.h` or `.rc` text as `encoding` asks; `Err` when [`TextEncoding::Ansi`] was
/// asked and Windows-1252 lacks a character of the text.
pub fn encode_text(text: &str, encoding: TextEncoding) -> Result<EncodedText<'_>, Unmappable> {
    let done = |bytes| EncodedText {
        bytes,
        fell_back: None,
    };
    if matches!(encoding, TextEncoding::Default | TextEncoding::Ansi) && text.is_ascii() {
        // ASCII is the same in Windows-1252: no copy.
        return Ok(done(Cow::Borrowed(text.as_bytes())));
    }
    let utf8_bom = || {
        let mut v = vec![0xEF, 0xBB, 0xBF];
        v.extend_from_slice(text.as_bytes());
        v
    };
    match encoding {
        TextEncoding::Utf8 => Ok(done(Cow::Owned(utf8_bom()))),
        TextEncoding::Utf16 => {
            let mut v = vec![0xFF, 0xFE];
            for unit in text.encode_utf16() {
                v.extend_from_slice(&unit.to_le_bytes());
            }
            Ok(done(Cow::Owned(v)))
        }
        TextEncoding::Ansi => CodePage::WINDOWS_1252
            .encode(text)
            .map(|b| done(Cow::Owned(b))),
        TextEncoding::Default => match CodePage::WINDOWS_1252.encode(text) {
            Ok(bytes) => Ok(done(Cow::Owned(bytes))),
            Err(e) => Ok(EncodedText {
                bytes: Cow::Owned(utf8_bom()),
                fell_back: Some(e),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, ParseOptions};

    #[test]
    fn dbg_lists_each_named_message_and_ends_with_the_sentinel() {
        let file = parse(
            "MessageId=0x1083\nSeverity=Warning\nSymbolicName=MY_EVENT\nLanguage=English\nx\n.\n\
             MessageId=\nLanguage=English\nno name\n.\n",
            ParseOptions::default(),
        )
        .unwrap();
        let dbg = dbg_file(&file, "app", LineEnding::Lf);
        assert!(dbg.contains("} appSymbolicNames[] =\n{\n"), "{dbg}");
        assert!(dbg.contains("    {0x80001083, \"MY_EVENT\"},\n"), "{dbg}");
        assert_eq!(dbg.matches("0x").count(), 2, "{dbg}");
        assert!(dbg.ends_with("    {0xFFFFFFFF, NULL}\n};\n"), "{dbg}");
    }

    #[test]
    fn texts_encode_as_asked() {
        let ascii = encode_text("#define A 1\r\n", TextEncoding::Default).unwrap();
        assert!(matches!(ascii.bytes, Cow::Borrowed(_)));
        let e_acute = encode_text("é", TextEncoding::Default).unwrap();
        assert_eq!(&*e_acute.bytes, [0xE9]);
        assert!(e_acute.fell_back.is_none());
        let euro_sign_lacking = encode_text("ĉ", TextEncoding::Default).unwrap();
        assert_eq!(&*euro_sign_lacking.bytes, [0xEF, 0xBB, 0xBF, 0xC4, 0x89]);
        assert_eq!(euro_sign_lacking.fell_back.unwrap().character, 'ĉ');
        assert_eq!(encode_text("ĉ", TextEncoding::Ansi).unwrap_err().offset, 0);
        assert_eq!(
            &*encode_text("A", TextEncoding::Utf16).unwrap().bytes,
            [0xFF, 0xFE, b'A', 0]
        );
        assert_eq!(
            &*encode_text("A", TextEncoding::Utf8).unwrap().bytes,
            [0xEF, 0xBB, 0xBF, b'A']
        );
        assert_eq!(TextEncoding::parse("utf-16"), Some(TextEncoding::Utf16));
        assert_eq!(TextEncoding::parse("latin1"), None);
    }
}
