//! Reading what people paste: a code inside the words around it (`Error 0x80070005`,
//! `HRESULT: 0x80070005`, `hr=0x80070005`, `Exception from HRESULT: 0x800F081F`,
//! `error code 1603`, `0x80070005 (-2147024891)`), or words with no code at all, which are a
//! phrase to look for in the texts (`access denied`).

use crate::parse::parse_value;

/// What a pasted text holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pasted {
    /// The code values in the text, each as written (`0x80070005`), once per value: a value
    /// written twice (`0x80070005 (-2147024891)`) is one.
    Values(Vec<String>),
    /// No value: the words, joined by single spaces.
    Phrase(String),
}

/// Characters that wrap or follow a value in pasted text and are no part of it.
const WRAPPING: &[char] = &[
    '(', ')', '[', ']', '{', '}', '<', '>', ',', ';', ':', '.', '"', '\'', '`', '!', '?',
];

/// Reads a pasted text: its code values, else its words. A token is a value when, with the
/// punctuation around it and a `name=` or `name:` before it taken off, it parses as one
/// ([`parse_value`]) and has a decimal digit (so that words such as `dead` or `face`, which are
/// hexadecimal digits, stay words). `None` for a text with neither.
pub fn read_pasted(text: &str) -> Option<Pasted> {
    let mut values: Vec<(String, u32)> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for token in text.split_whitespace() {
        let bare = token.trim_matches(WRAPPING);
        // `hr=0x80070005`, `HRESULT:0x80070005`, `code=5`.
        let candidate = bare
            .rsplit(['=', ':'])
            .next()
            .unwrap_or(bare)
            .trim_matches(WRAPPING);
        match value_of(candidate) {
            Some(v) if !values.iter().any(|(_, seen)| *seen == v) => {
                values.push((candidate.to_string(), v));
            }
            Some(_) => {}
            None if !bare.is_empty() => words.push(bare),
            None => {}
        }
    }
    if !values.is_empty() {
        return Some(Pasted::Values(values.into_iter().map(|(t, _)| t).collect()));
    }
    (!words.is_empty()).then(|| Pasted::Phrase(words.join(" ")))
}

/// One thing a user asks, as [`queries_of_words`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// A value or a name, as typed.
    Lookup(String),
    /// Words to find as a phrase in the texts.
    Phrase(String),
}

/// The queries of some words (a command line's, or one line a user typed): each word its own
/// query when every word is a value or a name (`5 E_FAIL`, [`is_one_query`]); else the words
/// are pasted text, whose values are the queries, or, with no value, one phrase
/// (`Error 0x80070005`, `access denied`). Empty when the words hold neither.
pub fn queries_of_words<S: AsRef<str>>(words: &[S]) -> Vec<Query> {
    if words.iter().all(|w| is_one_query(w.as_ref())) {
        return words
            .iter()
            .map(|w| Query::Lookup(w.as_ref().to_string()))
            .collect();
    }
    let text: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    match read_pasted(&text.join(" ")) {
        Some(Pasted::Values(values)) => values.into_iter().map(Query::Lookup).collect(),
        Some(Pasted::Phrase(phrase)) => vec![Query::Phrase(phrase)],
        None => Vec::new(),
    }
}

/// Whether a word is a query of its own: a value (or what is written as one: `0xZZZ` is a bad
/// value, not words), or a name as codes are spelled (`E_FAIL`, `ERROR_ACCESS_DENIED`,
/// `ACCESS_DEN`, `WSAEACCES`: letters, digits and `_`, with `_` or no lowercase letter).
pub fn is_one_query(word: &str) -> bool {
    match parse_value(word) {
        Ok(_) => return true,
        // Written as a number and no value inside (`0xZZZ`, `0x1234567890`): a value that
        // cannot be read. `0x80070005,` has one inside: pasted text.
        Err(e) if e.is_malformed_number() => {
            return !matches!(read_pasted(word), Some(Pasted::Values(_)))
        }
        Err(_) => {}
    }
    let identifier = word
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    identifier && (word.contains('_') || !word.chars().any(|c| c.is_ascii_lowercase()))
}

/// The value a token is, if it is one with a decimal digit.
fn value_of(token: &str) -> Option<u32> {
    if !token.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    parse_value(token).ok().map(|p| p.primary().value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        match read_pasted(text) {
            Some(Pasted::Values(v)) => v,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    #[test]
    fn the_forms_people_paste_give_their_value() {
        for text in [
            "Error 0x80070005",
            "(0x80070005)",
            "0x80070005,",
            "HRESULT: 0x80070005",
            "hr=0x80070005",
            "0x80070005 (-2147024891)",
            "Exception from HRESULT: 0x80070005",
            "failed with HRESULT 0x80070005.",
        ] {
            assert_eq!(values(text), ["0x80070005"], "{text}");
        }
        assert_eq!(values("error code 1603"), ["1603"]);
        assert_eq!(values("code=5"), ["5"]);
    }

    #[test]
    fn two_codes_are_two_values_and_words_are_a_phrase() {
        assert_eq!(values("0x5 and 0xC0000005"), ["0x5", "0xC0000005"]);
        assert_eq!(
            read_pasted("The specified module could not be found."),
            Some(Pasted::Phrase(
                "The specified module could not be found".to_string()
            ))
        );
        // Hex-digit words are words.
        assert_eq!(
            read_pasted("dead beef"),
            Some(Pasted::Phrase("dead beef".to_string()))
        );
        assert_eq!(read_pasted("  ()  "), None);
    }

    #[test]
    fn words_that_are_values_or_names_are_queries_of_their_own() {
        let lookups = |words: &[&str]| -> Vec<Query> {
            words.iter().map(|w| Query::Lookup(w.to_string())).collect()
        };
        assert_eq!(
            queries_of_words(&["5", "E_FAIL"]),
            lookups(&["5", "E_FAIL"])
        );
        // A bad value stays one query, to be reported as a bad value.
        assert_eq!(queries_of_words(&["0xZZZ"]), lookups(&["0xZZZ"]));
        assert_eq!(
            queries_of_words(&["Error", "0x80070005"]),
            lookups(&["0x80070005"])
        );
        assert_eq!(
            queries_of_words(&["access", "denied"]),
            [Query::Phrase("access denied".to_string())]
        );
        assert!(!is_one_query("accessdenied"));
        assert!(is_one_query("WSAEACCES"));
        assert!(queries_of_words(&["()"]).is_empty());
    }
}
