//! Windows language ids (LANGID) and their BCP 47 tags, for `--lang`.

/// LANGIDs of the languages Windows ships message tables in, with their tags.
pub const LANGUAGES: &[(u16, &str)] = &[
    (0x0000, "neutral"),
    (0x0401, "ar-SA"),
    (0x0402, "bg-BG"),
    (0x0403, "ca-ES"),
    (0x0404, "zh-TW"),
    (0x0405, "cs-CZ"),
    (0x0406, "da-DK"),
    (0x0407, "de-DE"),
    (0x0408, "el-GR"),
    (0x0409, "en-US"),
    (0x040A, "es-ES_tradnl"),
    (0x040B, "fi-FI"),
    (0x040C, "fr-FR"),
    (0x040D, "he-IL"),
    (0x040E, "hu-HU"),
    (0x0410, "it-IT"),
    (0x0411, "ja-JP"),
    (0x0412, "ko-KR"),
    (0x0413, "nl-NL"),
    (0x0414, "nb-NO"),
    (0x0415, "pl-PL"),
    (0x0416, "pt-BR"),
    (0x0418, "ro-RO"),
    (0x0419, "ru-RU"),
    (0x041A, "hr-HR"),
    (0x041B, "sk-SK"),
    (0x041D, "sv-SE"),
    (0x041E, "th-TH"),
    (0x041F, "tr-TR"),
    (0x0422, "uk-UA"),
    (0x0424, "sl-SI"),
    (0x0425, "et-EE"),
    (0x0426, "lv-LV"),
    (0x0427, "lt-LT"),
    (0x042D, "eu-ES"),
    (0x0436, "af-ZA"),
    (0x0804, "zh-CN"),
    (0x0809, "en-GB"),
    (0x0816, "pt-PT"),
    (0x0C0A, "es-ES"),
    (0x081A, "sr-Latn-CS"),
    (0x0C1A, "sr-Cyrl-CS"),
];

/// The tag of a LANGID (`0x0409` is `en-US`); unknown ids print as `0xNNNN`.
pub fn lang_tag(langid: u16) -> String {
    LANGUAGES
        .iter()
        .find(|(id, _)| *id == langid)
        .map_or_else(|| format!("0x{langid:04X}"), |(_, t)| (*t).to_string())
}

/// The LANGIDs a `--lang` value selects: a full tag (`de-DE`), a primary language (`de`,
/// every LANGID whose primary language is German), or a number (`0x407`, `1031`).
pub fn langids_for(tag: &str) -> Vec<u16> {
    let t = tag.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u16::from_str_radix(hex, 16)
            .map(|v| vec![v])
            .unwrap_or_default();
    }
    if let Ok(v) = t.parse::<u16>() {
        return vec![v];
    }
    if let Some((id, _)) = LANGUAGES.iter().find(|(_, n)| n.eq_ignore_ascii_case(t)) {
        return vec![*id];
    }
    let primary: Vec<u16> = LANGUAGES
        .iter()
        .filter(|(_, n)| {
            n.split('-')
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(t))
        })
        .map(|(id, _)| id & 0x3FF)
        .collect();
    primary
}

/// Whether `langid` is selected by `wanted` (as [`langids_for`] returns: full ids, or
/// primary-language ids below 0x400 that match any sublanguage).
pub fn lang_matches(langid: u16, wanted: &[u16]) -> bool {
    wanted
        .iter()
        .any(|w| *w == langid || (*w < 0x400 && *w != 0 && langid & 0x3FF == *w))
}
