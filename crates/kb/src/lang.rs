//! Windows language ids (LANGID) and their BCP 47 tags, for `--lang`: a thin layer over
//! `werr-msgtable`'s language table (every Windows language, neutral ids, and the private
//! ids Wine gives Asturian 0x8018, Esperanto 0x80A5 and Walloon 0x81C1).

use werr_msgtable::lang as table;

/// The tag of a LANGID (`0x0409` is `en-US`, `0x8018` is `ast`); an unknown id prints as
/// `x-langid-NNNN`.
pub fn lang_tag(langid: u16) -> String {
    table::tag_of(langid)
}

/// The LANGIDs a `--lang` value selects, most wanted first: the language it names (a tag
/// such as `de-AT`, `de`, `ast`, or a number such as `0x407`, `1031`), then, for a Windows
/// language with a sublanguage, the neutral id of its primary language (`de-AT` falls back
/// to any German). Empty when the value names no language.
pub fn langids_for(tag: &str) -> Vec<u16> {
    let Ok(id) = table::parse_language(tag) else {
        return Vec::new();
    };
    let mut out = vec![id];
    let primary = table::primary_language(id);
    if id < 0x8000 && primary != id && primary != 0 {
        out.push(primary);
    }
    out
}

/// Whether `langid` is selected by `wanted` (as [`langids_for`] returns: full ids, or
/// primary-language ids below 0x400 that match any sublanguage).
pub fn lang_matches(langid: u16, wanted: &[u16]) -> bool {
    wanted.iter().any(|w| matches_one(langid, *w))
}

fn matches_one(langid: u16, wanted: u16) -> bool {
    wanted == langid || (wanted < 0x400 && wanted != 0 && table::primary_language(langid) == wanted)
}

/// Keeps the texts of the first language of the fallback chain that has any: each of
/// `wanted` in order (exact id, then its primary language), then the module's default
/// (US English, neutral English, else the lowest id), so `--lang de-AT` shows German
/// where there is no Austrian text, and an unavailable language shows English rather than
/// nothing. `wanted` empty keeps every text.
pub fn select_languages<T>(texts: Vec<T>, wanted: &[u16], langid: impl Fn(&T) -> u16) -> Vec<T> {
    if wanted.is_empty() || texts.is_empty() {
        return texts;
    }
    for w in wanted {
        if texts.iter().any(|t| matches_one(langid(t), *w)) {
            return texts
                .into_iter()
                .filter(|t| matches_one(langid(t), *w))
                .collect();
        }
    }
    let available: Vec<u16> = texts.iter().map(&langid).collect();
    match table::module_default(&available) {
        Some(d) => texts.into_iter().filter(|t| langid(t) == d).collect(),
        None => texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn austrian_german_falls_back_to_german() {
        assert_eq!(langids_for("de-AT"), vec![0x0C07, 0x0007]);
        let texts = vec![(0x0409u16, "en"), (0x0407, "de"), (0x040C, "fr")];
        let picked = select_languages(texts, &langids_for("de-AT"), |t| t.0);
        assert_eq!(picked, vec![(0x0407, "de")]);
    }

    #[test]
    fn wine_private_ids_have_tags() {
        assert_eq!(lang_tag(0x8018), "ast");
        assert_eq!(lang_tag(0x80A5), "eo");
        assert_eq!(lang_tag(0x81C1), "wa");
        assert_eq!(langids_for("eo"), vec![0x80A5]);
    }

    #[test]
    fn unavailable_language_falls_back_to_english() {
        let texts = vec![(0x0407u16, "de"), (0x0409, "en")];
        let picked = select_languages(texts, &langids_for("ja"), |t| t.0);
        assert_eq!(picked, vec![(0x0409, "en")]);
        assert!(langids_for("klingon").is_empty());
    }
}
