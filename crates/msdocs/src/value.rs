//! Values and names as the pages write them, and the readings of one cell or paragraph.

/// A number as a page writes it: `0x80004005`, `0x80042402L`, `2`, `-1011`, or two forms of
/// one value (`2 (0x2)`, `2147749890 (0x80041002)`, `0x8024402C (-2145107924)`).
/// `Ok(None)`: the text is not a number; `Err`: two forms that disagree.
pub fn parse_value(text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if let Some((first, rest)) = t.split_once('(') {
        let Some(second) = rest.trim_end().strip_suffix(')') else {
            return Ok(None);
        };
        let (Some(a), Some(b)) = (one_number(first), one_number(second)) else {
            return Ok(None);
        };
        return if a == b {
            Ok(Some(a))
        } else {
            Err(format!(
                "{:?} and {:?} are different values (0x{a:08X}, 0x{b:08X})",
                first.trim(),
                second.trim()
            ))
        };
    }
    Ok(one_number(t))
}

/// One number: hex with `0x` or decimal with an optional minus sign, either with an optional
/// C suffix (`L`, `UL`, `u`); negative values are 32-bit two's complement (`-1011` is 0xFFFFFC0D).
fn one_number(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        let digits = hex.trim_end_matches(['L', 'l', 'U', 'u']);
        if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        return u32::from_str_radix(digits, 16).ok();
    }
    let (negative, digits) = match t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        Some(d) => (true, d),
        None => (false, t),
    };
    let digits = digits.trim_end_matches(['L', 'l', 'U', 'u']);
    if digits.is_empty() || digits.len() > 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = digits.parse().ok()?;
    if negative {
        (n <= 1 << 31).then(|| (-n) as i32 as u32)
    } else {
        u32::try_from(n).ok()
    }
}

/// Words written like code names that are not: values of booleans and pointers.
const NOT_NAMES: &[&str] = &["TRUE", "FALSE", "NULL", "NONE", "YES", "NO", "OK", "N/A"];

/// Whether `text` is one identifier written as a code name: `E_FAIL`, `NERR_NetNotStarted`,
/// `JET_errOutOfMemory`, `WSAEINTR`, `PENDING`. Plain words (`Success`, `Description`) and
/// boolean or pointer values (`TRUE`, `NULL`) are not.
pub fn is_name(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 3 || !(b[0].is_ascii_alphabetic() || b[0] == b'_') {
        return false;
    }
    if !b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
        return false;
    }
    if NOT_NAMES.contains(&text) {
        return false;
    }
    let has_letter = b.iter().any(u8::is_ascii_alphabetic);
    let upper_only = !b.iter().any(u8::is_ascii_lowercase);
    has_letter && (text.contains('_') || upper_only && b.len() >= 4 || text == "PENDING")
}

/// What one line of a cell (or one paragraph) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A name alone.
    Name(String),
    /// A value alone (as written, and read).
    Value(String, u32),
    /// A name and its value (`NAME 0x1`, `0x1 (NAME)`, `NAME (0x1)`).
    NameValue(String, String, u32),
    /// Two forms of a value that disagree (the problem).
    BadValue(String, String),
    /// Anything else: text.
    Text,
}

/// Reads one line of plain text as a name, a value, both, or text.
pub(crate) fn read_line(line: &str) -> Reading {
    let t = line.trim().trim_end_matches([',', ';']).trim();
    if t.is_empty() {
        return Reading::Text;
    }
    if is_name(t) {
        return Reading::Name(t.to_string());
    }
    match parse_value(t) {
        Ok(Some(v)) => return Reading::Value(t.to_string(), v),
        Err(problem) => return Reading::BadValue(t.to_string(), problem),
        Ok(None) => {}
    }
    // `0x800007D0 (PDH_CSTATUS_NO_MACHINE)` and `NAME (0x1)`.
    if let Some((a, b)) = t.split_once('(') {
        if let Some(b) = b.trim_end().strip_suffix(')') {
            let (a, b) = (a.trim(), b.trim());
            if let (Ok(Some(v)), true) = (parse_value(a), is_name(b)) {
                return Reading::NameValue(b.to_string(), a.to_string(), v);
            }
            if let (true, Ok(Some(v))) = (is_name(a), parse_value(b)) {
                return Reading::NameValue(a.to_string(), b.to_string(), v);
            }
        }
    }
    // `DB_NULL_HCHAPTER 0x00000000`, `JET_errSuccess 0`, `NAME = 0x1`.
    let words: Vec<&str> = t.split_whitespace().filter(|w| *w != "=").collect();
    if let [name, value] = words.as_slice() {
        if is_name(name) {
            if let Ok(Some(v)) = parse_value(value) {
                return Reading::NameValue(name.to_string(), value.to_string(), v);
            }
        }
    }
    if let [name, first, second] = words.as_slice() {
        if is_name(name) && second.starts_with('(') {
            let value = format!("{first} {second}");
            if let Ok(Some(v)) = parse_value(&value) {
                return Reading::NameValue(name.to_string(), value, v);
            }
        }
    }
    Reading::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_every_written_form() {
        assert_eq!(parse_value("2 (0x2)"), Ok(Some(2)));
        assert_eq!(parse_value("0x80042402L"), Ok(Some(0x8004_2402)));
        assert_eq!(parse_value("-1011"), Ok(Some(0xFFFF_FC0D)));
        assert_eq!(parse_value("0L"), Ok(Some(0)));
        assert_eq!(
            parse_value("2147749890 (0x80041002)"),
            Ok(Some(0x8004_1002))
        );
        assert_eq!(
            parse_value("0x8024402C (-2145107924)"),
            Ok(Some(0x8024_402C))
        );
        assert!(parse_value("2 (0x3)").is_err());
        assert_eq!(parse_value("0x123456789"), Ok(None));
        assert_eq!(parse_value("4294967296"), Ok(None));
        assert_eq!(parse_value("Access is denied."), Ok(None));
    }

    #[test]
    fn names() {
        for n in [
            "E_FAIL",
            "NERR_NetNotStarted",
            "JET_errOutOfMemory",
            "WSAEINTR",
            "S_OK",
        ] {
            assert!(is_name(n), "{n}");
        }
        for n in ["Success", "TRUE", "NULL", "0x5", "A B", "Ok", "ID"] {
            assert!(!is_name(n), "{n}");
        }
    }

    #[test]
    fn lines() {
        assert_eq!(
            read_line("0x800007D0 (PDH_CSTATUS_NO_MACHINE)"),
            Reading::NameValue(
                "PDH_CSTATUS_NO_MACHINE".into(),
                "0x800007D0".into(),
                0x8000_07D0
            )
        );
        assert_eq!(
            read_line("DB_NULL_HCHAPTER 0x00000000"),
            Reading::NameValue("DB_NULL_HCHAPTER".into(), "0x00000000".into(), 0)
        );
        assert_eq!(
            read_line("JET_errOutOfMemory"),
            Reading::Name("JET_errOutOfMemory".into())
        );
        assert_eq!(read_line("5 (0x5)"), Reading::Value("5 (0x5)".into(), 5));
        assert_eq!(read_line("Access is denied."), Reading::Text);
    }
}
