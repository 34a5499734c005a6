//! Windows code pages (the ANSI encodings of flag-0 entries), mapped onto `encoding_rs`.

use std::borrow::Cow;

/// A Windows code page number, e.g. `CodePage(1252)`, `CodePage(932)`, `CodePage(65001)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CodePage(pub u16);

/// A character that a code page cannot represent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "character {character:?} at byte {offset} of the text has no encoding in code page {code_page}"
)]
pub struct Unmappable {
    /// The code page number.
    pub code_page: u16,
    /// The first character that has no encoding.
    pub character: char,
    /// Its byte offset in the UTF-8 text.
    pub offset: usize,
}

impl CodePage {
    /// Windows-1252, the ANSI code page of English and most Western European languages.
    pub const WINDOWS_1252: CodePage = CodePage(1252);
    /// UTF-8 (CP_UTF8).
    pub const UTF8: CodePage = CodePage(65001);

    /// The `encoding_rs` encoding for this code page, when it has one.
    pub fn encoding(self) -> Option<&'static encoding_rs::Encoding> {
        use encoding_rs as e;
        Some(match self.0 {
            874 => e::WINDOWS_874,
            932 => e::SHIFT_JIS,
            936 => e::GBK,
            949 => e::EUC_KR,
            950 => e::BIG5,
            1250 => e::WINDOWS_1250,
            1251 => e::WINDOWS_1251,
            1252 => e::WINDOWS_1252,
            1253 => e::WINDOWS_1253,
            1254 => e::WINDOWS_1254,
            1255 => e::WINDOWS_1255,
            1256 => e::WINDOWS_1256,
            1257 => e::WINDOWS_1257,
            1258 => e::WINDOWS_1258,
            866 => e::IBM866,
            20866 => e::KOI8_R,
            21866 => e::KOI8_U,
            28592 => e::ISO_8859_2,
            28593 => e::ISO_8859_3,
            28594 => e::ISO_8859_4,
            28595 => e::ISO_8859_5,
            28596 => e::ISO_8859_6,
            28597 => e::ISO_8859_7,
            28598 => e::ISO_8859_8,
            28603 => e::ISO_8859_13,
            28605 => e::ISO_8859_15,
            54936 => e::GB18030,
            10000 => e::MACINTOSH,
            65001 => e::UTF_8,
            _ => return None,
        })
    }

    /// Decodes `bytes`. Code pages `encoding_rs` lacks (e.g. OEM 437) and code page 0 are read
    /// as ISO-8859-1, one character per byte, so no byte is lost.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self.encoding() {
            Some(encoding) => encoding.decode_without_bom_handling(bytes).0,
            None if bytes.is_ascii() => Cow::Borrowed(
                // ASCII is valid UTF-8; the check above makes this infallible.
                std::str::from_utf8(bytes).unwrap_or_default(),
            ),
            None => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }

    /// Encodes `text`, failing on the first character the code page cannot represent.
    pub fn encode(self, text: &str) -> Result<Vec<u8>, Unmappable> {
        let unmappable = |offset: usize, character: char| Unmappable {
            code_page: self.0,
            character,
            offset,
        };
        match self.encoding() {
            Some(encoding) => {
                let (bytes, _, had_errors) = encoding.encode(text);
                if !had_errors {
                    return Ok(bytes.into_owned());
                }
                // Find the first character that does not round-trip, to name it.
                for (offset, character) in text.char_indices() {
                    let mut buf = [0u8; 4];
                    let (_, _, bad) = encoding.encode(character.encode_utf8(&mut buf));
                    if bad {
                        return Err(unmappable(offset, character));
                    }
                }
                Ok(bytes.into_owned())
            }
            None => text
                .char_indices()
                .map(|(offset, c)| u8::try_from(u32::from(c)).map_err(|_| unmappable(offset, c)))
                .collect(),
        }
    }
}

impl std::fmt::Display for CodePage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
