//! The language table, `--lang` parsing, the fallback order, and Wine's private ids as
//! Wine 8.0's `wmc` assigns them.

use std::process::Command;
use werr_msgtable::lang::{
    self, ansi_code_page, by_id, fallback_order, parse_language, pick_language, IdOrigin,
};
use werr_msgtable::{extract_res, read, CodePage, ResourceName};

#[test]
fn table_is_sorted_with_unique_ids_and_tags() {
    let all: Vec<_> = lang::languages().collect();
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
    assert_eq!(lang::tag_of(0x09), "en");
    assert_eq!(lang::tag_of(0x07), "de");
    assert_eq!(lang::tag_of(0x1a), "hr");
    assert!(by_id(0x09).unwrap().is_neutral());
    assert!(!by_id(0x409).unwrap().is_neutral());
    assert_eq!(lang::tag_of(0x1234), "x-langid-1234");
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
    assert_eq!(pick_language(0x407, &available, Some(0x409)), Some(0x407));
    assert_eq!(pick_language(0xc07, &available, Some(0x409)), Some(0x07));
    assert_eq!(pick_language(0x40c, &available, Some(0x409)), Some(0x0c0c));
    // Romanian must not land on Wine's Asturian 0x8018 although its low bits are 0x18.
    assert_eq!(pick_language(0x418, &available, Some(0x409)), Some(0x409));
    assert_eq!(pick_language(0x418, &[0x8018, 0x11], None), Some(0x11));
    assert_eq!(
        fallback_order(0xc07, &available, Some(0x409)),
        vec![0x07, 0x407, 0x409, 0x11, 0x0c0c, 0x8018]
    );
    assert_eq!(pick_language(0x409, &[], None), None);
    assert_eq!(lang::module_default(&[0x7, 0x409]), Some(0x409));
    assert_eq!(lang::module_default(&[0x19, 0x7]), Some(0x7));
}

#[test]
fn ansi_code_pages_follow_the_language() {
    assert_eq!(ansi_code_page(0x411), CodePage(932));
    assert_eq!(ansi_code_page(0x11), CodePage(932));
    assert_eq!(ansi_code_page(0x419), CodePage(1251));
    assert_eq!(ansi_code_page(0x405), CodePage(1250));
    assert_eq!(ansi_code_page(0x804), CodePage(936));
    // Hindi has no ANSI code page: 1252 stands in.
    assert_eq!(ansi_code_page(0x439), CodePage(1252));
}

/// A GNU .mo file with one translation.
fn mo_file(msgid: &str, msgstr: &str) -> Vec<u8> {
    let pairs = [
        ("", "Content-Type: text/plain; charset=UTF-8\n"),
        (msgid, msgstr),
    ];
    let n = pairs.len() as u32;
    let originals_at = 28u32;
    let translations_at = originals_at + 8 * n;
    let mut strings_at = translations_at + 8 * n;
    let mut tables = Vec::new();
    let mut strings = Vec::new();
    for side in 0..2 {
        for pair in &pairs {
            let s = if side == 0 { pair.0 } else { pair.1 };
            tables.extend_from_slice(&(s.len() as u32).to_le_bytes());
            tables.extend_from_slice(&strings_at.to_le_bytes());
            strings.extend_from_slice(s.as_bytes());
            strings.push(0);
            strings_at += s.len() as u32 + 1;
        }
    }
    let mut out = Vec::new();
    for v in [0x9504_12de, 0, n, originals_at, translations_at, 0, 0] {
        out.extend_from_slice(&u32::to_le_bytes(v));
    }
    out.extend_from_slice(&tables);
    out.extend_from_slice(&strings);
    out
}

#[test]
fn wine_private_ids_are_what_wmc_assigns() {
    let po = [
        ("ast", 0x8018),
        ("eo", 0x80a5),
        ("wa", 0x81c1),
        ("ro", 0x0018),
        ("sr_RS@latin", 0x241a),
        ("pt_BR", 0x0416),
    ];
    let dir = tempfile::tempdir().unwrap();
    let po_dir = dir.path().join("po");
    std::fs::create_dir(&po_dir).unwrap();
    let names: Vec<&str> = po.iter().map(|p| p.0).collect();
    std::fs::write(po_dir.join("LINGUAS"), names.join(" ") + "\n").unwrap();
    for (name, _) in po {
        let text = format!("Hello in {name}\n");
        std::fs::write(po_dir.join(format!("{name}.mo")), mo_file("Hello\n", &text)).unwrap();
    }
    let mc = dir.path().join("t.mc");
    std::fs::write(
        &mc,
        "LanguageNames=(ENU=0x409:MSG00409)\nMessageId=1\nSymbolicName=A\nLanguage=ENU\nHello\n.\n",
    )
    .unwrap();
    let res = dir.path().join("t.res");
    let Some(wmc) = werr_testdata::tool("wmc") else {
        return;
    };
    let status = Command::new(&wmc)
        .arg("--po-dir")
        .arg(&po_dir)
        .arg("-o")
        .arg(&res)
        .arg(&mc)
        .status()
        .unwrap_or_else(|e| panic!("{} does not run: {e}", wmc.display()));
    assert!(status.success(), "wmc failed");
    let bytes = std::fs::read(&res).unwrap();
    let found = extract_res(&bytes);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    for (name, langid) in po {
        let table = found
            .tables
            .iter()
            .find(|t| t.langid == langid)
            .unwrap_or_else(|| panic!("no table in 0x{langid:x} for {name}"));
        assert_eq!(table.name, ResourceName::Id(1));
        let text = read(table.data).unwrap().entries[0]
            .text(CodePage::UTF8)
            .into_owned();
        assert_eq!(text, format!("Hello in {name}\n"));
        let ours = by_id(langid).unwrap();
        assert_eq!(
            ours.tag.replace('-', "_").to_ascii_lowercase(),
            name.split('@')
                .next()
                .unwrap()
                .to_ascii_lowercase()
                .replace("sr_rs", "sr_latn_rs"),
        );
        let expected_origin = if langid >= 0x8000 {
            IdOrigin::WinePrivate
        } else {
            IdOrigin::Windows
        };
        assert_eq!(ours.origin, expected_origin);
    }
}
