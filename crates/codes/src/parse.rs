//! Reading a 32-bit code from the text a user pastes.

use std::fmt;

/// How one reading of the input text was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum NumberForm {
    /// `0x`-prefixed hexadecimal (`0x80001083`, `0X1083L`).
    Hex,
    /// Digits read as hexadecimal although no `0x` was given (`80001083`, `c0000005`).
    BareHex,
    /// Non-negative decimal (`2147487875`, `4227`, `0n4227`).
    Decimal,
    /// Negative decimal, stored as its two's complement (`-2147479421`).
    NegativeDecimal,
    /// A 64-bit value whose upper half only sign-extends bit 31 (`0xFFFFFFFF80070005`),
    /// as 64-bit debuggers print HRESULTs and NTSTATUSes.
    SignExtendedHex,
}

impl NumberForm {
    /// A short human name of the form, for listings.
    pub fn describe(self) -> &'static str {
        match self {
            NumberForm::Hex => "hexadecimal",
            NumberForm::BareHex => "digits read as hexadecimal",
            NumberForm::Decimal => "decimal",
            NumberForm::NegativeDecimal => "negative decimal",
            NumberForm::SignExtendedHex => "sign-extended 64-bit hexadecimal",
        }
    }
}

/// One way of reading the input as a 32-bit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ValueReading {
    /// The 32-bit value.
    pub value: u32,
    /// How the text was read to get it.
    pub form: NumberForm,
}

/// The result of [`parse_value`]: one or more readings, the most plausible first.
///
/// Digits with no prefix that are valid both as decimal and as hexadecimal (`80001083`,
/// `4227`) keep both readings, as Microsoft's Err.exe does; a user who pasted `80001083`
/// from a log usually means `0x80001083`, one who typed `4227` usually means decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedValue {
    readings: Vec<ValueReading>,
}

impl ParsedValue {
    /// The most plausible reading.
    pub fn primary(&self) -> ValueReading {
        self.readings[0]
    }

    /// Every reading, most plausible first, never empty, no value twice.
    pub fn readings(&self) -> &[ValueReading] {
        &self.readings
    }

    /// Whether the text was ambiguous (more than one distinct value).
    pub fn is_ambiguous(&self) -> bool {
        self.readings.len() > 1
    }
}

/// Why a text is not a 32-bit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseValueError {
    /// The text as given.
    pub input: String,
    /// What is wrong with it.
    pub kind: ParseValueErrorKind,
}

/// The kinds of [`ParseValueError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseValueErrorKind {
    /// Nothing but blanks.
    Empty,
    /// A character that belongs to no accepted form, at this byte offset of the input.
    UnexpectedChar {
        /// Byte offset in the input.
        offset: usize,
        /// The character found there.
        found: char,
    },
    /// A prefix or sign with no digits after it.
    NoDigits,
    /// The number does not fit in 32 bits (and is not a sign-extended 32-bit value).
    TooLarge,
}

/// The forms [`parse_value`] accepts, for error messages and help texts.
pub const ACCEPTED_FORMS: &str = "hex with 0x (0x80001083, 0X80001083L), bare hex digits \
(80001083, c0000005), decimal (2147487875, 4227, 0n4227), negative decimal (-2147479421); \
optional L/U/UL/LL suffix and _ or ' separators; values must fit in 32 bits";

impl fmt::Display for ParseValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            ParseValueErrorKind::Empty => "empty input".to_string(),
            ParseValueErrorKind::UnexpectedChar { offset, found } => {
                format!(
                    "unexpected {} at offset {offset}",
                    werr_quote::quoted(found.encode_utf8(&mut [0; 4]))
                )
            }
            ParseValueErrorKind::NoDigits => "no digits".to_string(),
            ParseValueErrorKind::TooLarge => "does not fit in 32 bits".to_string(),
        };
        write!(
            f,
            "{} is not a code value: {what}; expected {ACCEPTED_FORMS}",
            werr_quote::quoted(&self.input)
        )
    }
}

impl std::error::Error for ParseValueError {}

impl ParseValueError {
    /// Whether the text is written as a number, one that cannot be read: blank, a sign or a
    /// decimal digit first, or digits too many for 32 bits. Such a text is a bad value, never
    /// a name (no C name starts with a digit or a sign); any other text may be a name.
    pub fn is_malformed_number(&self) -> bool {
        let text = self.input.trim_start();
        matches!(
            self.kind,
            ParseValueErrorKind::Empty | ParseValueErrorKind::TooLarge
        ) || text.starts_with(['-', '+'])
            || text.starts_with(|c: char| c.is_ascii_digit())
    }
}

/// Parses a code value from any form a user pastes. See [`ACCEPTED_FORMS`].
pub fn parse_value(input: &str) -> Result<ParsedValue, ParseValueError> {
    let err = |kind| ParseValueError {
        input: input.to_string(),
        kind,
    };
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(err(ParseValueErrorKind::Empty));
    }
    // Offsets in errors refer to `input`, so remember where `trimmed` starts.
    let lead = input.len() - input.trim_start().len();

    let (negative, rest, rest_at) = match trimmed.strip_prefix('-') {
        Some(r) => (true, r, lead + 1),
        None => (
            false,
            trimmed.strip_prefix('+').unwrap_or(trimmed),
            lead + usize::from(trimmed.starts_with('+')),
        ),
    };

    let lower = rest.to_ascii_lowercase();
    let (radix_hint, body, body_at) = if lower.starts_with("0x") {
        (Radix::Hex, &rest[2..], rest_at + 2)
    } else if lower.starts_with("0n") {
        (Radix::Decimal, &rest[2..], rest_at + 2)
    } else {
        (Radix::Unknown, rest, rest_at)
    };

    let body = strip_integer_suffix(body);
    let mut digits = String::with_capacity(body.len());
    for (i, c) in body.char_indices() {
        match c {
            '_' | '\'' => {}
            c if c.is_ascii_hexdigit() => digits.push(c),
            found => {
                return Err(err(ParseValueErrorKind::UnexpectedChar {
                    offset: body_at + i,
                    found,
                }))
            }
        }
    }
    if digits.is_empty() {
        return Err(err(ParseValueErrorKind::NoDigits));
    }
    let all_decimal = digits.bytes().all(|b| b.is_ascii_digit());
    let first_letter = || {
        let (i, found) = body
            .char_indices()
            .find(|(_, c)| c.is_ascii_alphabetic())
            .unwrap_or((0, '?'));
        err(ParseValueErrorKind::UnexpectedChar {
            offset: body_at + i,
            found,
        })
    };
    if radix_hint == Radix::Decimal && !all_decimal {
        return Err(first_letter());
    }

    let hex = read_hex(&digits);
    let bare_hex = hex.map(|r| ValueReading {
        form: NumberForm::BareHex,
        ..r
    });
    let dec = if all_decimal {
        read_decimal(&digits)
    } else {
        None
    };
    let mut readings = Vec::with_capacity(2);
    if negative {
        let reading = match radix_hint {
            Radix::Hex => u64::from_str_radix(&digits, 16)
                .ok()
                .and_then(|m| negate(m, NumberForm::Hex)),
            _ if !all_decimal => return Err(first_letter()),
            _ => digits
                .parse::<u64>()
                .ok()
                .and_then(|m| negate(m, NumberForm::NegativeDecimal)),
        };
        readings.extend(reading);
    } else {
        match radix_hint {
            Radix::Hex => readings.extend(hex),
            Radix::Decimal => readings.extend(dec),
            Radix::Unknown if !all_decimal => readings.extend(bare_hex),
            Radix::Unknown => {
                // Digits only: keep both readings. Eight digits look like a 32-bit hex dump
                // (80001083, 00000005); anything shorter or longer reads first as decimal.
                let (first, second) = if digits.len() == 8 {
                    (bare_hex, dec)
                } else {
                    (dec, bare_hex)
                };
                readings.extend(first);
                if let Some(s) = second {
                    if !readings.iter().any(|r| r.value == s.value) {
                        readings.push(s);
                    }
                }
            }
        }
    }
    if readings.is_empty() {
        return Err(err(ParseValueErrorKind::TooLarge));
    }
    Ok(ParsedValue { readings })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Radix {
    Hex,
    Decimal,
    Unknown,
}

/// Drops a C integer suffix (`L`, `U`, `UL`, `LU`, `LL`, `ULL`, `i64`...). In hex without
/// `0x` a trailing letter could be a digit, so only letters that are no hex digit (`L`, `U`,
/// `i64`) are dropped.
fn strip_integer_suffix(body: &str) -> &str {
    let mut s = body;
    for suffix in ["i64", "I64", "ui64", "UI64"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            return stripped;
        }
    }
    while let Some(stripped) = s.strip_suffix(['l', 'L', 'u', 'U']) {
        s = stripped;
    }
    s
}

fn read_hex(digits: &str) -> Option<ValueReading> {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 16 {
        return None;
    }
    let wide = u64::from_str_radix(if trimmed.is_empty() { "0" } else { trimmed }, 16).ok()?;
    if let Ok(value) = u32::try_from(wide) {
        return Some(ValueReading {
            value,
            form: NumberForm::Hex,
        });
    }
    // 0xFFFFFFFF8xxxxxxx: a 32-bit value with bit 31 set, sign-extended to 64 bits.
    if wide >> 32 == 0xFFFF_FFFF && wide & 0x8000_0000 != 0 {
        return Some(ValueReading {
            value: wide as u32,
            form: NumberForm::SignExtendedHex,
        });
    }
    None
}

fn read_decimal(digits: &str) -> Option<ValueReading> {
    let value: u32 = digits.parse().ok()?;
    Some(ValueReading {
        value,
        form: NumberForm::Decimal,
    })
}

/// Two's complement of a magnitude, if it fits in an `i32`.
fn negate(magnitude: u64, form: NumberForm) -> Option<ValueReading> {
    if magnitude > 0x8000_0000 {
        return None;
    }
    let signed = -(magnitude as i64);
    Some(ValueReading {
        value: signed as i32 as u32,
        form,
    })
}
