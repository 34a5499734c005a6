//! The `Accept-Language` header (RFC 9110 §12.5.4): language ranges with quality values.

use crate::parse::{read, Read};
use crate::request::Wanted;

/// The most ranges read from one header; a browser sends a handful, and a hostile header
/// should not make every page rank hundreds of languages.
const MAX_RANGES: usize = 32;

/// The languages of an `Accept-Language` header, best first: higher quality first, equal
/// quality in the header's order. `*`, ranges with `q=0`, and entries that are no language
/// tag (or whose quality cannot be read) are dropped, never an error. A tag the table lacks
/// is kept as [`Wanted::Unknown`]; one that reads as an already listed language is dropped.
pub fn accepted_languages(header: &str) -> Vec<Wanted> {
    let mut ranked: Vec<(u16, usize, Wanted)> = Vec::new();
    for (index, entry) in header.split(',').enumerate().take(MAX_RANGES) {
        let mut parts = entry.split(';');
        let range = parts.next().unwrap_or("").trim();
        // A number is a LANGID on a command line, but never a language range.
        if range == "*" || range.is_empty() || range.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        let mut quality = Some(1000);
        for param in parts {
            let param = param.trim();
            if let Some(q) = param
                .strip_prefix("q=")
                .or_else(|| param.strip_prefix("Q="))
            {
                quality = parse_quality(q.trim());
            }
        }
        let Some(quality) = quality.filter(|&q| q > 0) else {
            continue;
        };
        let wanted = match read(range) {
            Ok(Read::Id(id)) => Wanted::Id(id),
            Ok(Read::UnknownTag(tag)) => Wanted::Unknown(tag),
            Err(_) => continue,
        };
        ranked.push((quality, index, wanted));
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<Wanted> = Vec::with_capacity(ranked.len());
    for (_, _, wanted) in ranked {
        if !out.contains(&wanted) {
            out.push(wanted);
        }
    }
    out
}

/// A quality value (`0`, `0.5`, `1.000`) in thousandths; `None` when it is not one.
fn parse_quality(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(header: &str) -> Vec<String> {
        accepted_languages(header)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn orders_ranges_by_quality_then_position() {
        assert_eq!(
            tags("da, en-GB;q=0.8, en;q=0.7, de;q=0.9"),
            vec!["da", "de", "en-GB", "en"]
        );
    }

    #[test]
    fn drops_wildcards_zero_quality_and_garbage() {
        assert_eq!(tags("*, fr;q=0, <script>, ja;q=abc, sv"), vec!["sv"]);
        assert_eq!(tags(";;;q=x,,"), Vec::<String>::new());
        assert_eq!(
            tags("0x407, 1031, de;q=1.5, fr;q=0.0001"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn keeps_unknown_tags_and_reads_quality_exactly() {
        assert_eq!(tags("tlh;q=0.9, en-US;q=1.000"), vec!["en-US", "tlh"]);
        assert_eq!(parse_quality("0.5"), Some(500));
        assert_eq!(parse_quality("1."), Some(1000));
        assert_eq!(parse_quality("1.001"), None);
        assert_eq!(parse_quality("-0"), None);
    }

    #[test]
    fn reads_at_most_a_bounded_number_of_ranges() {
        let header = vec!["de"; 1000].join(",") + ",fr";
        assert_eq!(tags(&header), vec!["de"]);
    }
}
