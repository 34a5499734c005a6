//! The printf-style specification between an insert's `!`s.

/// The largest width or precision accepted. FormatMessage's output buffer holds at most 64K
/// bytes (32K UTF-16 units), so no field can be wider than this.
pub const MAX_FIELD: u64 = 32_767;

/// A width or precision: absent, written as digits, or `*` (read from the arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    None,
    Fixed(usize),
    Star,
}

/// The integer size a prefix selects; conversions truncate the argument to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Size {
    /// `h`: 16 bits.
    Short,
    /// No prefix, `l`, `w`, `I32`: 32 bits.
    Int,
    /// `ll`, `I64`, `I` (pointer size; werr renders as 64-bit Windows does): 64 bits.
    Long,
}

/// A parsed `!spec!`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    pub left: bool,
    pub plus: bool,
    pub space: bool,
    pub alt: bool,
    pub zero: bool,
    pub width: Field,
    pub precision: Field,
    pub size: Size,
    pub conversion: u8,
}

impl Spec {
    /// The default `!s!`.
    pub const STRING: Spec = Spec {
        left: false,
        plus: false,
        space: false,
        alt: false,
        zero: false,
        width: Field::None,
        precision: Field::None,
        size: Size::Int,
        conversion: b's',
    };
}

/// Why a specification did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpecError {
    /// Something else than expected; the text says what was expected.
    Expected(&'static str),
    /// A conversion character FormatMessage does not support.
    Unsupported(char),
    /// A width or precision above [`MAX_FIELD`].
    TooWide(u64),
}

const CONVERSIONS: &[u8] = b"sScCdiuxXo";

/// Parses the text between the `!`s (`-08.3I64x`).
pub(crate) fn parse_spec(spec: &str) -> Result<Spec, SpecError> {
    let b = spec.as_bytes();
    let mut i = 0;
    let mut s = Spec::STRING;
    while let Some(&c) = b.get(i) {
        match c {
            b'-' => s.left = true,
            b'+' => s.plus = true,
            b' ' => s.space = true,
            b'#' => s.alt = true,
            b'0' => s.zero = true,
            _ => break,
        }
        i += 1;
    }
    s.width = parse_field(b, &mut i)?;
    if b.get(i) == Some(&b'.') {
        i += 1;
        s.precision = match parse_field(b, &mut i)? {
            // `%.s`: a period with no digits is precision 0, as in printf.
            Field::None => Field::Fixed(0),
            f => f,
        };
    }
    let rest = &b[i..];
    let (size, used) = if rest.starts_with(b"I64") {
        (Size::Long, 3)
    } else if rest.starts_with(b"I32") {
        (Size::Int, 3)
    } else if rest.starts_with(b"ll") {
        (Size::Long, 2)
    } else {
        match rest.first() {
            Some(b'I') => (Size::Long, 1),
            Some(b'h') => (Size::Short, 1),
            Some(b'l') | Some(b'w') => (Size::Int, 1),
            _ => (Size::Int, 0),
        }
    };
    s.size = size;
    i += used;
    let Some(conv) = spec[i..].chars().next() else {
        return Err(SpecError::Expected(
            "a conversion character (s S c C d i u x X o)",
        ));
    };
    if !conv.is_ascii() || !CONVERSIONS.contains(&(conv as u8)) {
        if conv.is_ascii_alphabetic() {
            return Err(SpecError::Unsupported(conv));
        }
        return Err(SpecError::Expected(
            "flags (- + space # 0), a width, .precision, a size (h l ll I I32 I64 w) \
             and a conversion (s S c C d i u x X o), in this order",
        ));
    }
    s.conversion = conv as u8;
    i += 1;
    if i != b.len() {
        return Err(SpecError::Expected(
            "the closing `!` right after the conversion character",
        ));
    }
    Ok(s)
}

fn parse_field(b: &[u8], i: &mut usize) -> Result<Field, SpecError> {
    if b.get(*i) == Some(&b'*') {
        *i += 1;
        return Ok(Field::Star);
    }
    let start = *i;
    let mut value: u64 = 0;
    while let Some(&c) = b.get(*i) {
        if !c.is_ascii_digit() {
            break;
        }
        value = value.saturating_mul(10).saturating_add(u64::from(c - b'0'));
        *i += 1;
    }
    if *i == start {
        return Ok(Field::None);
    }
    if value > MAX_FIELD {
        return Err(SpecError::TooWide(value));
    }
    Ok(Field::Fixed(value as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_flags_width_precision_size_and_conversion() {
        let s = parse_spec("-+ #012.5I64X").unwrap();
        assert!(s.left && s.plus && s.space && s.alt && s.zero);
        assert_eq!(s.width, Field::Fixed(12));
        assert_eq!(s.precision, Field::Fixed(5));
        assert_eq!(s.size, Size::Long);
        assert_eq!(s.conversion, b'X');
    }

    #[test]
    fn parses_stars() {
        let s = parse_spec("*.*s").unwrap();
        assert_eq!((s.width, s.precision), (Field::Star, Field::Star));
    }

    #[test]
    fn period_without_digits_is_precision_zero() {
        assert_eq!(parse_spec(".d").unwrap().precision, Field::Fixed(0));
    }

    #[test]
    fn rejects_float_conversions() {
        assert_eq!(parse_spec("f"), Err(SpecError::Unsupported('f')));
    }

    #[test]
    fn rejects_text_after_the_conversion() {
        assert!(matches!(parse_spec("dx"), Err(SpecError::Expected(_))));
    }

    #[test]
    fn rejects_empty_spec() {
        assert!(matches!(parse_spec(""), Err(SpecError::Expected(_))));
    }

    #[test]
    fn rejects_width_over_the_limit() {
        assert_eq!(parse_spec("99999s"), Err(SpecError::TooWide(99999)));
    }
}
