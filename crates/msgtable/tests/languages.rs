//! The code page of each language, and Wine's private ids as Wine 8.0's `wmc` assigns them.

use std::process::Command;
use werr_msgtable::lang::{ansi_code_page, by_id, IdOrigin};
use werr_msgtable::{extract_res, read, CodePage, ResourceName};

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
