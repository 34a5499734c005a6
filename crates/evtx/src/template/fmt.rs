//! Value text written as the `evtx` crate writes it: GUIDs, hex, binary, FILETIMEs (with
//! their calendar), SIDs, ANSI and UTF-16 strings.

use std::borrow::Cow;

/// Lowercase hex digits.
pub(super) const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends `ascii`, text these formatters built from ASCII digits and punctuation, as one
/// buffer (a `String::push` per character costs a capacity check and UTF-8 encoding each).
pub(super) fn push_ascii(text: &mut String, ascii: &[u8]) -> Option<()> {
    text.push_str(std::str::from_utf8(ascii).ok()?);
    Some(())
}

/// Appends a GUID as the log shows it: `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, lowercase,
/// its first three fields little-endian.
pub(super) fn push_guid(text: &mut String, b: &[u8]) -> Option<()> {
    let b: &[u8; 16] = b.try_into().ok()?;
    // For each byte of the text, in order, the stored byte it shows (the first three fields
    // reversed, the last two as stored) and where its two digits go.
    const ORDER: [usize; 16] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    const AT: [usize; 16] = [1, 3, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27, 29, 31, 33, 35];
    let mut shown = *b"{00000000-0000-0000-0000-000000000000}";
    for (&from, &to) in ORDER.iter().zip(&AT) {
        shown[to] = HEX_DIGITS[usize::from(b[from] >> 4)];
        shown[to + 1] = HEX_DIGITS[usize::from(b[from] & 0xf)];
    }
    push_ascii(text, &shown)
}

/// Appends an integer as `{:#x}` writes it: `0x` and lowercase digits, no leading zeros.
pub(super) fn push_hex(text: &mut String, n: u64) -> Option<()> {
    let digits = ((64 - n.leading_zeros()).div_ceil(4).max(1)) as usize;
    let mut shown = *b"0x0000000000000000";
    for (i, digit) in shown[2..2 + digits].iter_mut().rev().enumerate() {
        *digit = HEX_DIGITS[((n >> (4 * i)) & 0xf) as usize];
    }
    push_ascii(text, &shown[..2 + digits])
}

/// Appends binary data as the log shows it: two uppercase hex digits per byte.
pub(super) fn push_binary(text: &mut String, bytes: &[u8]) -> Option<()> {
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    text.reserve(2 * bytes.len());
    let mut shown = [0; 128];
    for piece in bytes.chunks(shown.len() / 2) {
        for (digits, &byte) in shown.chunks_exact_mut(2).zip(piece) {
            digits[0] = UPPER[usize::from(byte >> 4)];
            digits[1] = UPPER[usize::from(byte & 0xf)];
        }
        push_ascii(text, &shown[..2 * piece.len()])?;
    }
    Some(())
}

/// Writes `n` into `digits` in decimal, zero-padded to its whole width (`n` must fit).
pub(super) fn put_decimal(digits: &mut [u8], mut n: u64) {
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Appends a FILETIME (100 ns ticks since 1601-01-01 UTC) as the log shows it:
/// `YYYY-MM-DDThh:mm:ss.fffffffZ`; `None` (nothing appended) past year 9999.
pub(super) fn push_filetime(text: &mut String, ticks: u64) -> Option<()> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    const SECONDS_PER_DAY: u64 = 86_400;
    // Days from 1601-01-01 to 1970-01-01.
    const DAYS_1601_TO_1970: i64 = 134_774;
    let seconds = ticks / TICKS_PER_SECOND;
    let fraction = ticks % TICKS_PER_SECOND;
    let days = (seconds / SECONDS_PER_DAY) as i64 - DAYS_1601_TO_1970;
    let of_day = seconds % SECONDS_PER_DAY;
    let (year, month, day) = civil_from_days(days);
    if !(1601..=9999).contains(&year) {
        return None;
    }
    let mut shown = *b"0000-00-00T00:00:00.0000000Z";
    for (range, n) in [
        (0..4, year as u64),
        (5..7, u64::from(month)),
        (8..10, u64::from(day)),
        (11..13, of_day / 3600),
        (14..16, of_day / 60 % 60),
        (17..19, of_day % 60),
        (20..27, fraction),
    ] {
        put_decimal(&mut shown[range], n);
    }
    push_ascii(text, &shown)
}

/// The proleptic Gregorian (year, month, day) of `days` since 1970-01-01.
pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift to a calendar whose years start on March 1st, in 400-year eras, so that the leap
    // day is the last day of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Appends a SID as `S-R-A-S1-S2...`; `None` (nothing appended) for one this path leaves to
/// the XML reader (a malformed one, or one whose authority needs more than 32 bits).
pub(super) fn push_sid(text: &mut String, b: &[u8]) -> Option<()> {
    let (&revision, &count) = (b.first()?, b.get(1)?);
    if b.len() != 8 + 4 * count as usize || b[2..4] != [0, 0] {
        return None;
    }
    let authority = u32::from_be_bytes(b[4..8].try_into().ok()?);
    text.reserve(12 + 11 * count as usize);
    let mut buffer = itoa::Buffer::new();
    text.push_str("S-");
    text.push_str(buffer.format(revision));
    text.push('-');
    text.push_str(buffer.format(authority));
    for sub in b[8..].chunks_exact(4) {
        text.push('-');
        let sub: [u8; 4] = sub.try_into().expect("chunks of 4");
        text.push_str(buffer.format(u32::from_le_bytes(sub)));
    }
    Some(())
}

/// Appends an ANSI string value as the `evtx` crate shows it: its NUL bytes dropped, the rest
/// decoded as Windows-1252 (the crate's default code page, which werr keeps); `None` (nothing
/// appended) for a character XML cannot hold.
pub(super) fn push_ansi(out: &mut String, bytes: &[u8]) -> Option<()> {
    let kept: Cow<'_, [u8]> = if bytes.contains(&0) {
        Cow::Owned(bytes.iter().copied().filter(|&b| b != 0).collect())
    } else {
        Cow::Borrowed(bytes)
    };
    let text =
        encoding_rs::WINDOWS_1252.decode_without_bom_handling_and_without_replacement(&kept)?;
    text.chars().all(xml_char).then(|| out.push_str(&text))
}

/// Whether XML 1.0 can hold `c` (the NUL the crate ends strings with aside).
pub(super) fn xml_char(c: char) -> bool {
    matches!(c, '\0' | '\t' | '\n' | '\r' | ' '..='\u{D7FF}')
        || matches!(c, '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// UTF-16LE to a string; `None` for an odd length, an unpaired surrogate, or a character XML
/// cannot hold (the `evtx` crate's XML replaces those; the XML reader takes such records).
pub(super) fn utf16_string(bytes: &[u8], until_nul: bool) -> Option<String> {
    let mut text = String::new();
    push_utf16(&mut text, bytes, until_nul)?;
    Some(text)
}

/// Appends [`utf16_string`]'s text to `out`; `None` (nothing appended) where it has none.
/// With `until_nul`, the text ends at the first NUL unit, as the `evtx` crate shows values.
pub(super) fn push_utf16(out: &mut String, bytes: &[u8], until_nul: bool) -> Option<()> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let before = out.len();
    // Most of a log's text is printable ASCII: four units at a time are checked and their
    // low bytes copied; the first four that are anything else (or hold a NUL) end that.
    let mut ascii = std::mem::take(out).into_bytes();
    ascii.reserve(bytes.len() / 2);
    let mut words = bytes.chunks_exact(8);
    let mut rest = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        const LANES: u64 = 0x0001_0001_0001_0001;
        // A unit of 0x80 or more, or below a space (NUL, tab and line breaks included).
        let beyond_ascii = w & (LANES * 0xff80) != 0;
        let below_space = w.wrapping_sub(LANES * 0x20) & (LANES * 0x8000) != 0;
        if beyond_ascii || below_space {
            break;
        }
        ascii.extend_from_slice(&[w as u8, (w >> 16) as u8, (w >> 32) as u8, (w >> 48) as u8]);
        rest += 8;
    }
    // Unit by unit from there: printable ASCII, tab and line breaks are copied; a NUL ends
    // the text when asked; anything else is decoded in full below.
    let mut other = false;
    for pair in bytes[rest..].chunks_exact(2) {
        match (pair[0], pair[1]) {
            (0, 0) if until_nul => break,
            (b, 0) if (0x20..0x80).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r' | 0) => {
                ascii.push(b)
            }
            _ => {
                other = true;
                break;
            }
        }
    }
    if other {
        ascii.truncate(before);
    }
    match String::from_utf8(ascii) {
        Ok(text) => *out = text,
        // Cannot happen (ASCII appended to a string), but must not lose `out`.
        Err(e) => {
            let mut bytes = e.into_bytes();
            bytes.truncate(before);
            *out = String::from_utf8(bytes).unwrap_or_default();
            return None;
        }
    }
    if !other {
        return Some(());
    }
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let units = units.take_while(|&unit| !(until_nul && unit == 0));
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) if xml_char(c) => out.push(c),
            _ => {
                out.truncate(before);
                return None;
            }
        }
    }
    Some(())
}
