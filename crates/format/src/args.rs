//! Typed insert arguments and how each conversion reads them.

use std::fmt;

/// One insert argument. FormatMessage's arguments are untyped machine words; werr's are
/// typed, and each conversion reads the kinds that make sense for it (see the crate docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// A string, for `s`/`S` (and, if it spells an integer, for the integer conversions; if
    /// it is one character, for `c`/`C`).
    Str(&'a str),
    /// A signed 32-bit integer.
    I32(i32),
    /// An unsigned 32-bit integer.
    U32(u32),
    /// A signed 64-bit integer.
    I64(i64),
    /// An unsigned 64-bit integer.
    U64(u64),
    /// A character, for `c`/`C` (its code point for the integer conversions).
    Char(char),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Arg<'a> {
        Arg::Str(s)
    }
}

impl From<i32> for Arg<'_> {
    fn from(v: i32) -> Self {
        Arg::I32(v)
    }
}

impl From<u32> for Arg<'_> {
    fn from(v: u32) -> Self {
        Arg::U32(v)
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::I64(v)
    }
}

impl From<u64> for Arg<'_> {
    fn from(v: u64) -> Self {
        Arg::U64(v)
    }
}

impl From<char> for Arg<'_> {
    fn from(v: char) -> Self {
        Arg::Char(v)
    }
}

impl fmt::Display for Arg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Str(s) => write!(f, "the string {}", werr_quote::quoted(s)),
            Arg::I32(v) => write!(f, "the integer {v}"),
            Arg::U32(v) => write!(f, "the integer {v}"),
            Arg::I64(v) => write!(f, "the integer {v}"),
            Arg::U64(v) => write!(f, "the integer {v}"),
            Arg::Char(c) => write!(
                f,
                "the character {}",
                werr_quote::quoted(c.encode_utf8(&mut [0; 4]))
            ),
        }
    }
}

impl Arg<'_> {
    /// The argument as a 64-bit machine word (two's complement for negative values), as an
    /// integer conversion reads it; `None` if it is not an integer.
    pub(crate) fn as_word(&self) -> Option<u64> {
        match *self {
            Arg::I32(v) => Some(v as i64 as u64),
            Arg::U32(v) => Some(u64::from(v)),
            Arg::I64(v) => Some(v as u64),
            Arg::U64(v) => Some(v),
            Arg::Char(c) => Some(u64::from(u32::from(c))),
            Arg::Str(s) => parse_integer(s),
        }
    }

    /// The argument as a character for `c`/`C`.
    pub(crate) fn as_char(&self) -> Option<char> {
        match *self {
            Arg::Char(c) => Some(c),
            Arg::Str(s) => {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Some(c),
                    _ => None,
                }
            }
            other => other
                .as_word()
                .and_then(|w| u32::try_from(w).ok())
                .and_then(char::from_u32),
        }
    }
}

/// Reads an integer as a user types it: decimal with an optional sign, or `0x` hexadecimal
/// (optionally negated). The result is the 64-bit two's-complement word; `None` if the
/// text is not an integer or does not fit in 64 bits (signed or unsigned).
pub fn parse_integer(text: &str) -> Option<u64> {
    let t = text.trim();
    let (negative, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let magnitude = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(hex, 16).ok()?
    } else {
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        body.parse::<u64>().ok()?
    };
    if negative {
        if magnitude > 1u64 << 63 {
            return None;
        }
        Some(magnitude.wrapping_neg())
    } else {
        Some(magnitude)
    }
}
