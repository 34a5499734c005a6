//! Turning the bytes of a message text file into text: byte-order marks, UTF-16, UTF-8 and
//! ANSI code pages.

use crate::model::Diagnostic;

/// How to read the input bytes (mc.exe's `-a` / `-u`, or detection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputEncoding {
    /// A byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE); without one, UTF-8 when the
    /// bytes are valid UTF-8, else Windows-1252.
    #[default]
    Detect,
    /// `-a`: ANSI text in this Windows code page (65001 is UTF-8). A UTF-8 mark is skipped.
    Ansi(u16),
    /// `-u`: UTF-16, little-endian unless a byte-order mark says big-endian.
    Utf16,
}

/// Decodes `bytes` to text. Errors say at which byte offset the input stopped being valid.
pub fn decode_source(bytes: &[u8], how: InputEncoding) -> Result<String, Diagnostic> {
    let utf16 = |data: &[u8], big_endian: bool| -> Result<String, Diagnostic> {
        if data.len() % 2 != 0 {
            return Err(offset_error_in(
                data,
                data.len() - 1,
                "UTF-16 input has an odd number of bytes",
            ));
        }
        let units = data.chunks_exact(2).map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        let mut out = String::with_capacity(data.len() / 2);
        for (i, unit) in char::decode_utf16(units).enumerate() {
            match unit {
                Ok(c) => out.push(c),
                Err(_) => {
                    return Err(offset_error_in(
                        data,
                        i * 2,
                        "unpaired UTF-16 surrogate; expected valid UTF-16 text",
                    ))
                }
            }
        }
        Ok(out)
    };
    let utf8 = |data: &[u8], skipped: usize| -> Result<String, Diagnostic> {
        match std::str::from_utf8(data) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(offset_error_in(
                data,
                skipped + e.valid_up_to(),
                "invalid UTF-8; expected UTF-8 text (use -a -C CODEPAGE for ANSI input)",
            )),
        }
    };
    match how {
        InputEncoding::Utf16 => match bytes {
            [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
            [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
            _ => utf16(bytes, false),
        },
        InputEncoding::Detect => match bytes {
            [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest, 3),
            [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
            [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
            _ => match std::str::from_utf8(bytes) {
                Ok(s) => Ok(s.to_owned()),
                Err(_) => ansi(bytes, 1252),
            },
        },
        InputEncoding::Ansi(code_page) => match bytes {
            [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest, 3),
            _ if code_page == 65001 => utf8(bytes, 0),
            _ => ansi(bytes, code_page),
        },
    }
}

fn ansi(bytes: &[u8], code_page: u16) -> Result<String, Diagnostic> {
    let Some(encoding) = werr_msgtable::CodePage(code_page).encoding() else {
        return Err(Diagnostic {
            line: 1,
            column: 1,
            message: format!("code page {code_page} is not supported for input"),
            hint: Some("use a Windows code page such as 1252, 1251, 932 or 65001".into()),
        });
    };
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            // Find the first undecodable byte for the message.
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(bytes.len() * 3);
            let (result, read) =
                decoder.decode_to_string_without_replacement(bytes, &mut out, true);
            let at = match result {
                encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(bad as usize),
                _ => read,
            };
            Err(offset_error_in(
                bytes,
                at,
                &format!("byte not valid in code page {code_page}"),
            ))
        }
    }
}

/// An error at a byte offset; line and column are counted over the bytes before it (one
/// column per byte), which is exact for ASCII-compatible input.
fn offset_error_in(bytes: &[u8], offset: usize, what: &str) -> Diagnostic {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    Diagnostic {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(offset - line_start.min(offset) + 1).unwrap_or(u32::MAX),
        message: format!("{what} (at byte offset {offset})"),
        hint: None,
    }
}

/// [`decode_source`] taking the bytes by value: valid UTF-8 without a byte-order mark becomes
/// the text without a copy (large files).
pub fn decode_source_owned(bytes: Vec<u8>, how: InputEncoding) -> Result<String, Diagnostic> {
    let plain_utf8 = match how {
        InputEncoding::Detect => {
            !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
                && !bytes.starts_with(&[0xFF, 0xFE])
                && !bytes.starts_with(&[0xFE, 0xFF])
        }
        InputEncoding::Ansi(65001) => !bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        _ => false,
    };
    if plain_utf8 {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok(text),
            Err(e) => return decode_source(e.as_bytes(), how),
        }
    }
    decode_source(&bytes, how)
}
