//! The language table, parsing of `--lang` values, and the fallback order.

use werr_lang::{ansi_code_page, by_id, languages, parse_language, tag_of, LangRequest};

#[test]
fn table_is_sorted_with_unique_ids_and_tags() {
    let all: Vec<_> = languages().collect();
    assert!(all.len() > 300, "{} languages", all.len());
    for pair in all.windows(2) {
        if pair[0].origin == pair[1].origin {
            assert!(pair[0].id < pair[1].id, "{:x} {:x}", pair[0].id, pair[1].id);
        }
    }
    let mut tags: Vec<String> = all.iter().map(|l| l.tag.to_ascii_lowercase()).collect();
    tags.sort();
    let before = tags.len();
    tags.dedup();
    assert_eq!(tags.len(), before, "a tag appears twice");
    for l in &all {
        assert_eq!(by_id(l.id), Some(*l));
        assert_eq!(parse_language(l.tag).unwrap(), l.id, "{}", l.tag);
    }
}

#[test]
fn neutral_ids_carry_the_bare_language_tag() {
    assert_eq!(tag_of(0x09), "en");
    assert_eq!(tag_of(0x07), "de");
    assert_eq!(tag_of(0x1a), "hr");
    assert!(by_id(0x09).unwrap().is_neutral());
    assert!(!by_id(0x409).unwrap().is_neutral());
    assert_eq!(tag_of(0x1234), "x-langid-1234");
}

#[test]
fn parses_tags_and_ids() {
    assert_eq!(parse_language("de").unwrap(), 0x07);
    assert_eq!(parse_language("en-US").unwrap(), 0x409);
    assert_eq!(parse_language("EN-us").unwrap(), 0x409);
    assert_eq!(parse_language("pt_BR").unwrap(), 0x416);
    assert_eq!(parse_language("sr-Latn-RS").unwrap(), 0x241a);
    assert_eq!(parse_language("0x407").unwrap(), 0x407);
    assert_eq!(parse_language("1031").unwrap(), 0x407);
    assert_eq!(parse_language("ast").unwrap(), 0x8018);
    let err = parse_language("xx-YY").unwrap_err();
    assert!(err.to_string().contains("xx-YY"), "{err}");
    // An LCID's sort id is dropped (0x10407: German, phone book sort).
    assert_eq!(parse_language("0x10407").unwrap(), 0x407);
    assert!(parse_language("0x100000").is_err());
    assert!(parse_language("99999999999").is_err());
}

#[test]
fn fallback_goes_exact_then_neutral_then_same_language_then_default_then_any() {
    let available = [0x409, 0x07, 0x407, 0x0c0c, 0x8018, 0x11];
    let pick = |wanted: u16, available: &[u16]| {
        LangRequest::id(wanted).choose(available).map(|c| c.langid)
    };
    assert_eq!(pick(0x407, &available), Some(0x407));
    assert_eq!(pick(0xc07, &available), Some(0x07));
    assert_eq!(pick(0x40c, &available), Some(0x0c0c));
    // Romanian must not land on Wine's Asturian 0x8018 although its low bits are 0x18.
    assert_eq!(pick(0x418, &available), Some(0x409));
    assert_eq!(pick(0x418, &[0x8018, 0x11]), Some(0x11));
    assert_eq!(
        LangRequest::id(0xc07).order(&available),
        vec![0x07, 0x407, 0x409, 0x11, 0x0c0c, 0x8018]
    );
    assert_eq!(pick(0x409, &[]), None);
    // With nothing asked: US English, else the lowest id.
    assert_eq!(
        LangRequest::ANY.choose(&[0x7, 0x409]).unwrap().langid,
        0x409
    );
    assert_eq!(LangRequest::ANY.choose(&[0x19, 0x7]).unwrap().langid, 0x7);
}

#[test]
fn ansi_code_page_falls_back_to_the_primary_language_then_1252() {
    assert_eq!(ansi_code_page(0x0c04), 950);
    // A sublanguage the table lacks takes its primary language's code page.
    assert_eq!(ansi_code_page(0x7c11), 932);
    assert_eq!(ansi_code_page(0x1234), 1252);
    // Unicode-only languages (Armenian) have none: 1252 stands in.
    assert_eq!(ansi_code_page(0x042b), 1252);
}

#[test]
fn wine_private_ids_have_tags_and_parse_back() {
    assert_eq!(tag_of(0x8018), "ast");
    assert_eq!(tag_of(0x80A5), "eo");
    assert_eq!(tag_of(0x81C1), "wa");
    assert_eq!(parse_language("eo").unwrap(), 0x80A5);
    assert_eq!(
        LangRequest::parse("eo").unwrap().wanted(),
        [werr_lang::Wanted::Id(0x80A5)]
    );
}
