//! Which arguments a message text's inserts read, and of what kind: for callers that make up
//! arguments (a page's sample rendering) without parsing `%N!spec!` themselves.

use crate::spec::{parse_spec, Field, Spec};

/// The kind of value one argument read takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// A string (`s`, `S`, and an insert without a spec).
    Text,
    /// An integer (`d i u x X o`, and a `*` width or precision).
    Integer,
    /// A character (`c`, `C`).
    Char,
}

/// The arguments the inserts of `text` read, in `FORMAT_MESSAGE_ARGUMENT_ARRAY` numbering as
/// [`format`](crate::format) reads them (`*` included): element `i` is the kind of argument
/// `i + 1`, [`ArgKind::Text`] where no insert reads it. Empty when the text has no insert.
/// The scan stops at `%0` (the output ends there) and at a malformed insert (rendering fails
/// there), keeping what it read before.
pub fn argument_kinds(text: &str) -> Vec<ArgKind> {
    let mut kinds: Vec<ArgKind> = Vec::new();
    let set = |n: usize, kind: ArgKind, kinds: &mut Vec<ArgKind>| {
        if kinds.len() < n {
            kinds.resize(n, ArgKind::Text);
        }
        kinds[n - 1] = kind;
    };
    let mut highest = 0usize;
    each_insert(text, |number, spec| {
        let stars = spec.map_or(0, |s| {
            usize::from(s.width == Field::Star) + usize::from(s.precision == Field::Star)
        });
        let value = match spec.map(|s| s.conversion) {
            None | Some(b's' | b'S') => ArgKind::Text,
            Some(b'c' | b'C') => ArgKind::Char,
            Some(_) => ArgKind::Integer,
        };
        // An insert's first read is its own argument; each further read is the argument
        // after the highest read so far.
        let mut read = number;
        for k in 0..=stars {
            if k > 0 {
                read = highest + 1;
            }
            set(
                read,
                if k < stars { ArgKind::Integer } else { value },
                &mut kinds,
            );
            highest = highest.max(read);
        }
    });
    kinds
}

/// The insert numbers `text` names (`%1`..`%99`, with or without a spec), each once, in
/// increasing order; `%%NNNN` parameters and escapes are not inserts. The scan stops where
/// [`argument_kinds`]' does.
pub fn inserts_named(text: &str) -> Vec<usize> {
    let mut named = Vec::new();
    each_insert(text, |number, _| {
        if !named.contains(&number) {
            named.push(number);
        }
    });
    named.sort_unstable();
    named
}

/// Calls `on_insert` with the number and spec of each insert of `text`, as `format` reads
/// them, up to `%0` or a malformed insert.
fn each_insert(text: &str, mut on_insert: impl FnMut(usize, Option<Spec>)) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'%', &b[i..]) {
        let at = i + found;
        let Some(&next) = b.get(at + 1) else { break };
        if next == b'0' {
            break;
        }
        if !next.is_ascii_digit() {
            // `%%`, `%n`, `%!`...: the character after `%` is never the start of an insert.
            i = at + 1 + text[at + 1..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // At most two digits, as `format` reads them.
        let mut end = at + 2;
        let mut number = usize::from(next - b'0');
        if let Some(&d) = b.get(end).filter(|d| d.is_ascii_digit()) {
            number = number * 10 + usize::from(d - b'0');
            end += 1;
        }
        let spec = if b.get(end) == Some(&b'!') {
            let Some(close) = text[end + 1..]
                .find(['!', '\r', '\n'])
                .filter(|&close| b[end + 1 + close] == b'!')
            else {
                break;
            };
            let Ok(spec) = parse_spec(&text[end + 1..end + 1 + close]) else {
                break;
            };
            end += close + 2;
            Some(spec)
        } else {
            None
        };
        on_insert(number, spec);
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ArgKind::{Char, Integer, Text};

    #[test]
    fn inserts_named_are_the_numbers_without_parameters_or_escapes() {
        assert_eq!(
            inserts_named("%2 of %1!s! and %2 again, %%1058, 100%% %n%3!*d!"),
            vec![1, 2, 3]
        );
        assert_eq!(inserts_named("%1 then %0 %5"), vec![1]);
        assert!(inserts_named("no inserts, 50%").is_empty());
    }

    #[test]
    fn kinds_follow_the_conversions() {
        assert_eq!(
            argument_kinds("File %1 has %2!d! errors.%n"),
            [Text, Integer]
        );
        assert_eq!(argument_kinds("%3!c! %1!S!"), [Text, Text, Char]);
        assert_eq!(argument_kinds("No inserts, 100%% sure."), []);
    }

    #[test]
    fn stars_read_as_format_numbers_them() {
        // The documentation's example: 1-2-3, 4, 5-6.
        assert_eq!(
            argument_kinds("%1!*.*s! %4 %5!*s!"),
            [Integer, Integer, Text, Text, Integer, Text]
        );
        // A repeated insert with stars reads its own argument, then past the highest.
        assert_eq!(
            argument_kinds("%1!*.*u! %1!*.*u!"),
            [Integer, Integer, Integer, Integer, Integer]
        );
    }

    #[test]
    fn the_scan_stops_where_rendering_stops() {
        assert_eq!(argument_kinds("%1 %0 %2!d!"), [Text]);
        assert_eq!(argument_kinds("%1 %2!d %3"), [Text]);
        assert_eq!(argument_kinds("%1 %2!f! %3"), [Text]);
        assert_eq!(argument_kinds("%é %12%"), vec![Text; 12]);
        for text in ["%", "%1!", "%1!!", "%99!*.*s!", "ü%12%"] {
            let _ = argument_kinds(text);
        }
    }
}
