//! Choosing the language of a message text: an explicit `?lang=` first, then the reader's
//! `Accept-Language` (RFC 9110 §12.5.4, quality values honoured), then English.

/// The language ranges of an `Accept-Language` header, best first; `*` and ranges with
/// `q=0` are dropped. Malformed entries are skipped, never an error.
pub fn accepted_languages(header: &str) -> Vec<String> {
    let mut ranked: Vec<(u16, usize, String)> = Vec::new();
    for (index, entry) in header.split(',').enumerate() {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or("").trim();
        if tag.is_empty()
            || tag == "*"
            || tag.len() > 35
            || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            continue;
        }
        let mut quality = 1000u16;
        for param in parts {
            if let Some(q) = param.trim().strip_prefix("q=") {
                quality = parse_quality(q).unwrap_or(0);
            }
        }
        if quality > 0 {
            ranked.push((quality, index, tag.to_ascii_lowercase()));
        }
    }
    // Higher quality first; equal quality keeps the header's order.
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, _, tag)| tag).collect()
}

/// A quality value `0`, `0.5`, `1.000` in thousandths.
fn parse_quality(text: &str) -> Option<u16> {
    let value: f32 = text.trim().parse().ok()?;
    if !(0.0..=1.0).contains(&value) {
        return None;
    }
    Some((value * 1000.0).round() as u16)
}

/// The index of the entry of `available` (language tags such as `en-US`, `da`, `zh-TW`) that
/// best serves a reader who asked for `wanted` (best first): an exact tag match first, then
/// the same primary language; `None` when nothing matches.
pub fn best_match<S: AsRef<str>>(wanted: &[String], available: &[S]) -> Option<usize> {
    for want in wanted {
        if let Some(i) = available
            .iter()
            .position(|a| a.as_ref().eq_ignore_ascii_case(want))
        {
            return Some(i);
        }
        let want_primary = primary(want);
        if let Some(i) = available
            .iter()
            .position(|a| primary(a.as_ref()).eq_ignore_ascii_case(want_primary))
        {
            return Some(i);
        }
    }
    None
}

/// The primary language subtag (`zh` of `zh-TW`).
pub fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_ranges_by_quality_then_position() {
        assert_eq!(
            accepted_languages("da, en-GB;q=0.8, en;q=0.7, de;q=0.9"),
            vec!["da", "de", "en-gb", "en"]
        );
    }

    #[test]
    fn drops_wildcards_zero_quality_and_garbage() {
        assert_eq!(
            accepted_languages("*, fr;q=0, <script>, ja;q=abc, sv"),
            vec!["sv"]
        );
    }

    #[test]
    fn matches_exact_tag_before_primary_language() {
        let available = ["en-US", "zh-CN", "zh-TW"];
        assert_eq!(best_match(&["zh-tw".to_string()], &available), Some(2));
        assert_eq!(best_match(&["zh-hk".to_string()], &available), Some(1));
        assert_eq!(best_match(&["ko".to_string()], &available), None);
    }
}
