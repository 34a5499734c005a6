//! Reading one language a person names: a BCP-47 tag (`de`, `de-AT`, `pt_BR`), a LANGID
//! (`0x407`, `1031`) or an LCID (`0x10407`: the sort id is dropped).

use crate::table::{by_tag, langid_of_lcid};
use std::fmt;

/// The longest language value read: the longest tag Windows has (`ca-ES-valencia`) with room
/// for extensions; anything longer is taken as garbage, not as a language.
pub const MAX_LANGUAGE_CHARS: usize = 35;

/// A language value that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageError {
    /// What was given.
    pub input: String,
    /// What is wrong with it.
    pub kind: LanguageErrorKind,
}

/// What is wrong with a language value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LanguageErrorKind {
    /// It is not a tag or a number at all: what was expected, and the 1-based character
    /// where the value stops being one.
    Malformed {
        /// The 1-based character position of the problem.
        at: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// A well-formed tag that names no language in the table (`xx-YY`, `tlh`).
    Unknown,
}

impl LanguageError {
    fn malformed(input: &str, at: usize, expected: &'static str) -> LanguageError {
        LanguageError {
            input: input.to_string(),
            kind: LanguageErrorKind::Malformed { at, expected },
        }
    }

    /// Whether the value is not a tag or number at all (rather than an unknown language).
    pub fn is_malformed(&self) -> bool {
        matches!(self.kind, LanguageErrorKind::Malformed { .. })
    }
}

const EXAMPLES: &str = "a BCP-47 tag (de, en-US) or a LANGID (0x407, 1031)";

impl fmt::Display for LanguageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            LanguageErrorKind::Unknown => {
                write!(
                    f,
                    "unknown language {}: expected {EXAMPLES}",
                    werr_quote::quoted(&self.input)
                )
            }
            LanguageErrorKind::Malformed { at, expected } => write!(
                f,
                "malformed language {}: at character {at}, expected {expected}; give {EXAMPLES}",
                werr_quote::quoted(&self.input)
            ),
        }
    }
}

impl std::error::Error for LanguageError {}

/// One language as read from a value: a LANGID, or a well-formed tag the table lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Read {
    Id(u16),
    UnknownTag(String),
}

/// Reads one language value. A tag the table does not have is shortened subtag by subtag
/// (RFC 4647 §3.4 lookup: `de-CH-1996` is read as `de-CH`, `de-XX` as `de`); one whose
/// language subtag is unknown too comes back as [`Read::UnknownTag`].
pub(crate) fn read(input: &str) -> Result<Read, LanguageError> {
    let s = input.trim();
    let lead = input.len() - input.trim_start().len();
    if s.is_empty() {
        return Err(LanguageError::malformed(input, 1, "a language"));
    }
    if s.chars().count() > MAX_LANGUAGE_CHARS {
        return Err(LanguageError::malformed(
            input,
            lead + MAX_LANGUAGE_CHARS + 1,
            "the end (a language is at most 35 characters)",
        ));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return read_number(input, lead + 3, hex, 16).map(Read::Id);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return read_number(input, lead + 1, s, 10).map(Read::Id);
    }
    check_tag(input, lead, s)?;
    if let Some(id) = private_langid(s) {
        return Ok(Read::Id(id));
    }
    let mut candidate = s;
    loop {
        if let Some(language) = by_tag(candidate) {
            return Ok(Read::Id(language.id));
        }
        match candidate.rfind(['-', '_']) {
            Some(cut) => {
                candidate = &candidate[..cut];
                // A singleton (`x`, `u`) only introduces what follows: drop it too.
                if let Some(cut) = candidate.rfind(['-', '_']) {
                    if candidate.len() - cut == 2 {
                        candidate = &candidate[..cut];
                    }
                }
            }
            None => return Ok(Read::UnknownTag(s.to_string())),
        }
    }
}

/// A LANGID or LCID in `digits` (base `radix`); `at` is the 1-based position of the digits.
fn read_number(input: &str, at: usize, digits: &str, radix: u32) -> Result<u16, LanguageError> {
    let expected = if radix == 16 {
        "hexadecimal digits (a LANGID such as 0x407)"
    } else {
        "decimal digits (a LANGID such as 1031)"
    };
    if digits.is_empty() {
        return Err(LanguageError::malformed(input, at, expected));
    }
    if let Some(bad) = digits.chars().position(|c| !c.is_digit(radix)) {
        return Err(LanguageError::malformed(input, at + bad, expected));
    }
    let lcid = u32::from_str_radix(digits, radix).map_err(|_| {
        LanguageError::malformed(input, at, "a number below 0x100000 (a LANGID or an LCID)")
    })?;
    langid_of_lcid(lcid).ok_or_else(|| {
        LanguageError::malformed(input, at, "a number below 0x100000 (a LANGID or an LCID)")
    })
}

/// Checks the shape of a BCP-47 tag (RFC 5646 §2.1, with `_` accepted for `-` as Windows
/// and POSIX locales write it): subtags of 1 to 8 letters and digits, the first 2 to 8
/// letters or the singleton `x` or `i` (private use, grandfathered tags).
fn check_tag(input: &str, lead: usize, s: &str) -> Result<(), LanguageError> {
    let mut at = lead + 1;
    for (index, subtag) in s.split(['-', '_']).enumerate() {
        let len = subtag.chars().count();
        if len == 0 {
            return Err(LanguageError::malformed(
                input,
                at,
                "a subtag of letters or digits",
            ));
        }
        if let Some(bad) = subtag.chars().position(|c| !c.is_ascii_alphanumeric()) {
            return Err(LanguageError::malformed(
                input,
                at + bad,
                "a letter, a digit, or - between subtags",
            ));
        }
        if len > 8 {
            return Err(LanguageError::malformed(
                input,
                at + 8,
                "the end of the subtag (a subtag has at most 8 characters)",
            ));
        }
        if index == 0 {
            let singleton = matches!(subtag, "x" | "X" | "i" | "I");
            if !singleton && (len < 2 || !subtag.bytes().all(|b| b.is_ascii_alphabetic())) {
                return Err(LanguageError::malformed(
                    input,
                    at,
                    "a language subtag of 2 to 8 letters",
                ));
            }
        }
        at += len + 1;
    }
    Ok(())
}

/// The id of a tag `x-langid-XXXX`, the private-use tag [`crate::tag_of`] gives an id the
/// table lacks, so that every printed tag reads back.
fn private_langid(s: &str) -> Option<u16> {
    let rest = s.get(..9)?;
    if !rest.eq_ignore_ascii_case("x-langid-") && !rest.eq_ignore_ascii_case("x_langid_") {
        return None;
    }
    let hex = &s[9..];
    if hex.len() != 4 {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

/// The LANGID of a language value: a tag in the table (`de`, `en-US`, `pt_BR`; shortened
/// subtag by subtag when the whole tag is not, so `de-CH-1996` is de-CH), a LANGID or an
/// LCID (`0x407`, `1031`, `0x10407`: an LCID's sort id is dropped).
pub fn parse_language(input: &str) -> Result<u16, LanguageError> {
    match read(input)? {
        Read::Id(id) => Ok(id),
        Read::UnknownTag(_) => Err(LanguageError {
            input: input.to_string(),
            kind: LanguageErrorKind::Unknown,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn malformed_at(input: &str) -> usize {
        match parse_language(input).unwrap_err().kind {
            LanguageErrorKind::Malformed { at, .. } => at,
            LanguageErrorKind::Unknown => panic!("{input:?} read as an unknown language"),
        }
    }

    #[test]
    fn malformed_values_name_the_character() {
        assert_eq!(malformed_at(""), 1);
        assert_eq!(malformed_at("de--AT"), 4);
        assert_eq!(malformed_at("<b>"), 1);
        assert_eq!(malformed_at("p4"), 1);
        assert_eq!(malformed_at("de-A+"), 5);
        assert_eq!(malformed_at("0x40G"), 5);
        assert_eq!(malformed_at("0x"), 3);
        assert_eq!(malformed_at("de-abcdefghi"), 12);
        assert_eq!(malformed_at(&"0".repeat(36)), 36);
        let err = parse_language("de--AT").unwrap_err();
        assert!(err.to_string().contains("at character 4"), "{err}");
    }

    #[test]
    fn well_formed_unknown_tags_are_unknown_not_malformed() {
        for tag in ["klingon", "xx-YY", "zz-top", "i-klingon"] {
            let err = parse_language(tag).unwrap_err();
            assert_eq!(err.kind, LanguageErrorKind::Unknown, "{tag}");
            assert!(err
                .to_string()
                .starts_with(&format!("unknown language `{tag}`")));
        }
    }

    #[test]
    fn unknown_subtags_are_dropped_until_the_table_has_the_tag() {
        assert_eq!(parse_language("de-CH-1996").unwrap(), 0x0807);
        assert_eq!(parse_language("de-XX").unwrap(), 0x0007);
        assert_eq!(parse_language("en-US-x-twain").unwrap(), 0x0409);
        assert_eq!(parse_language(" fr_CA ").unwrap(), 0x0C0C);
    }

    #[test]
    fn private_use_tags_of_unknown_ids_read_back() {
        assert_eq!(parse_language("x-langid-1234").unwrap(), 0x1234);
        assert_eq!(crate::tag_of(0x1234), "x-langid-1234");
        assert_eq!(
            parse_language("x-langid-12345").unwrap_err().kind,
            LanguageErrorKind::Unknown
        );
    }
}
