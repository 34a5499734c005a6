//! The seed page end to end: tests/fixtures/seed/netevent_tcp.mc (the seed message
//! EVENT_TCPIP_TCP_TIME_WAIT_COLLISION in its 20 languages, the other messages of netevent.h's
//! TCP block and the UDP block after it, whose texts the seed page does not give) is compiled
//! with `werr mc`, imported into a fresh KB file with `werr import`, and
//! `werr show EVENT_TCPIP_TCP_TIME_WAIT_COLLISION --json` is checked field by field against
//! the seed page (shared/seed/EVENT_TCPIP_TCP_TIME_WAIT_COLLISION.txt, beside the corpus).

use crate::common::{run_ok, werr};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

const NAME: &str = "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION";

/// The seed page, beside the corpus (`shared/seed`).
fn seed_page() -> Option<String> {
    let path = werr_testdata::corpus_dir().join("../seed/EVENT_TCPIP_TCP_TIME_WAIT_COLLISION.txt");
    if !path.exists() {
        assert!(
            !werr_testdata::in_ci(),
            "seed page missing at {}",
            path.display()
        );
        eprintln!(
            "SKIPPED: seed page missing at {} (set WERR_CORPUS)",
            path.display()
        );
        return None;
    }
    // The page separates some words with no-break spaces (U+00A0); read them as spaces.
    let text = std::fs::read_to_string(path).expect("readable");
    Some(text.replace('\u{a0}', " "))
}

/// The lines under `heading` up to the line `next`, trailing empty lines dropped.
fn section(seed: &str, heading: &str, next: &str) -> Vec<String> {
    let lines: Vec<&str> = seed.lines().collect();
    let start = lines.iter().position(|l| *l == heading).expect("heading") + 1;
    let end = lines[start..]
        .iter()
        .position(|l| *l == next)
        .expect("next heading")
        + start;
    let mut out: Vec<String> = lines[start..end].iter().map(|l| (*l).to_owned()).collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out
}

fn fixture() -> PathBuf {
    werr_testdata::repo_root().join("tests/fixtures/seed/netevent_tcp.mc")
}

struct Imported {
    _dir: tempfile::TempDir,
    kb: PathBuf,
    header: String,
    record: Value,
}

/// Compiles the fixture, imports it into a fresh KB file, and shows the seed name.
fn compile_import_show(dir: tempfile::TempDir) -> Imported {
    let h = dir.path().join("h");
    let r = dir.path().join("r");
    let kb = dir.path().join("seed.db");
    let fixture = fixture();
    compile_into(&fixture, &h, &r);
    let bins = std::fs::read_dir(&r)
        .expect("the -r folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".bin"))
        .count();
    assert_eq!(bins, 20, "one message table per language");
    let header = std::fs::read_to_string(h.join("netevent_tcp.h")).expect("the header");
    let summary = run_ok(&[
        "import",
        fixture.to_str().expect("utf-8"),
        "--kb",
        kb.to_str().expect("utf-8"),
        "--source",
        "WDK",
        "--version",
        "6000",
    ]);
    assert!(
        summary.contains("6 definitions, 25 messages"),
        "six named messages, the seed one in 20 languages: {summary}"
    );
    let shown = run_ok(&["show", NAME, "--json", "--kb", kb.to_str().expect("utf-8")]);
    Imported {
        kb: kb.clone(),
        _dir: dir,
        header,
        record: serde_json::from_str(&shown).expect("valid JSON"),
    }
}

/// The seed page and the imported record, made once for all tests of this file.
fn setup() -> Option<&'static (String, Imported)> {
    static DONE: OnceLock<Option<(String, Imported)>> = OnceLock::new();
    DONE.get_or_init(|| {
        let seed = seed_page()?;
        let dir = tempfile::tempdir().expect("temp dir");
        Some((seed, compile_import_show(dir)))
    })
    .as_ref()
}

/// The 1-based line of `needle` in the fixture.
fn fixture_line(needle: &str) -> u64 {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    text.lines()
        .position(|l| l == needle)
        .expect("line in the fixture") as u64
        + 1
}

#[test]
fn seed_name_is_the_record_name() {
    let Some((seed, i)) = setup() else { return };
    assert_eq!(section(seed, "Name", "Value"), vec![NAME.to_string()]);
    assert_eq!(i.record["name"], NAME);
}

#[test]
fn seed_value_forms() {
    let Some((seed, i)) = setup() else { return };
    let value = section(seed, "Value", "Type");
    let signed = value[0].strip_suffix(" signed int").expect("signed form");
    let unsigned = value[1]
        .strip_suffix(" unsigned int")
        .expect("unsigned form");
    let hex = value[2].strip_suffix(" heximal value").expect("hex form");
    assert_eq!(i.record["value"]["hex"], hex);
    assert_eq!(
        i.record["value"]["signed"],
        signed.parse::<i64>().expect("number")
    );
    assert_eq!(
        i.record["value"]["unsigned"],
        unsigned.parse::<u64>().expect("number")
    );
}

#[test]
fn seed_type_is_the_header_title() {
    let Some((seed, i)) = setup() else { return };
    // "(more)" is a link on the page, not part of the type.
    let ty = section(seed, "Type", "Description");
    let ty = ty[0].strip_suffix(" (more)").unwrap_or(&ty[0]);
    assert_eq!(i.record["type"], ty);
}

#[test]
fn seed_description_is_the_english_text_as_one_paragraph() {
    let Some((seed, i)) = setup() else { return };
    let description = section(seed, "Description", "C/C++ Type").join("\n");
    assert_eq!(i.record["description"], description.as_str());
}

#[test]
fn show_lang_describes_in_the_asked_language_and_says_when_it_falls_back() {
    let Some((seed, i)) = setup() else { return };
    let kb = i.kb.to_str().expect("utf-8");
    let german = seed
        .lines()
        .find_map(|l| l.strip_prefix("DE "))
        .expect("the seed's German text");
    // The web page's `?lang=de` shows the German text as the description; so does the CLI.
    for lang in ["de", "de-AT", "0x407"] {
        let out = werr()
            .args(["show", NAME, "--lang", lang, "--kb", kb])
            .output()
            .expect("werr runs");
        assert!(out.status.success(), "{lang}");
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let description = text
            .split_once("\nDescription\n")
            .and_then(|(_, rest)| rest.lines().next())
            .expect("a description");
        assert_eq!(description.trim(), german.trim_end(), "{lang}");
        assert!(out.stderr.is_empty(), "{lang}: no fallback to tell");
    }
    // Arabic is not among the seed's 20 languages: the English text and header description,
    // with a note.
    let out = werr()
        .args(["show", NAME, "--lang", "ar", "--json", "--kb", kb])
        .output()
        .expect("werr runs");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "werr: no text in ar; showing en-US\n"
    );
    let record: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let english = section(seed, "Description", "C/C++ Type").join("\n");
    assert_eq!(record["description"], english.as_str());
    assert_eq!(record["messages"][0]["lang"], "en-US");
    assert_eq!(record["language"]["shown"], "en-US");
}

#[test]
fn seed_c_type_is_that_of_the_l_suffixed_literal() {
    let Some((seed, i)) = setup() else { return };
    // The seed page says "int"; the #define's literal 0x80001083L does not fit a 32-bit
    // long, so C gives it the type unsigned long: werr says what the compiler says.
    assert_eq!(section(seed, "C/C++ Type", "Defined at"), vec!["int"]);
    assert_eq!(i.record["c_type"], "unsigned long");
}

#[test]
fn seed_defined_at_is_the_message_in_the_mc_with_its_define() {
    let Some((seed, i)) = setup() else { return };
    let at = &i.record["defined_at"][0];
    assert_eq!(at["source"], "WDK");
    assert_eq!(at["version"], "6000");
    assert_eq!(at["file"], "netevent_tcp.mc");
    assert_eq!(at["line"], fixture_line("MessageId=0x1083"));
    let definition = section(seed, "Definition", "Line comments");
    assert_eq!(at["definition"], definition[0].as_str());
    // The same line the compiled header carries.
    assert!(i.header.contains(&format!("\r\n{}\r\n", definition[0])));
}

#[test]
fn seed_line_comments_are_the_header_block() {
    let Some((seed, i)) = setup() else { return };
    let expected = section(seed, "Line comments", "Group comments").join("\n");
    assert_eq!(i.record["line_comments"], expected.as_str());
    // And exactly what the compiled header's block says, without `// `.
    let block: Vec<&str> = i
        .header
        .split("\r\n")
        .skip_while(|l| *l != format!("// MessageId: {NAME}"))
        .take_while(|l| !l.starts_with("#define"))
        .map(|l| {
            l.strip_prefix("// ")
                .or_else(|| l.strip_prefix("//"))
                .unwrap_or(l)
        })
        .collect();
    assert_eq!(block.join("\n").trim_end(), expected);
}

#[test]
fn seed_group_is_the_tcp_block_up_to_the_udp_block() {
    let Some((seed, i)) = setup() else { return };
    let group = section(seed, "Group comments", "Also used in");
    assert_eq!(i.record["group"]["title"], group[0].as_str());
    let range = group
        .iter()
        .find_map(|l| l.strip_prefix("Codes "))
        .expect("range");
    let (first, last) = range.split_once(" - ").expect("a - b");
    assert_eq!(
        i.record["group"]["first"],
        first.parse::<u64>().expect("number")
    );
    assert_eq!(
        i.record["group"]["last"],
        last.parse::<u64>().expect("number")
    );
}

#[test]
fn seed_also_used_in_lists_the_default_kb_kits() {
    let Some((_seed, i)) = setup() else { return };
    // The seed lists other WDKs; beneath a KB file is the default KB, whose kits define the
    // same name.
    let also: Vec<String> = i.record["also_used_in"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| format!("{} {}", a["source"], a["version"]).replace('"', ""))
        .collect();
    for kit in ["mingw-w64 10.0.0", "mingw-w64 13.0.0", "windows-sys 0.61.2"] {
        assert!(also.iter().any(|a| a == kit), "{kit} in {also:?}");
    }
    assert!(also.iter().all(|a| !a.starts_with("WDK")), "{also:?}");
}

#[test]
fn seed_type_description_is_the_header_text_and_layout_box() {
    let Some((seed, i)) = setup() else { return };
    let expected = section(seed, "Type description", "MUI descriptions").join("\n");
    assert_eq!(i.record["type_description"], expected.as_str());
}

#[test]
fn seed_texts_in_all_twenty_languages() {
    let Some((seed, i)) = setup() else { return };
    let messages = i.record["messages"].as_array().expect("a list");
    assert_eq!(messages.len(), 20);
    let english = messages
        .iter()
        .find(|m| m["langid"] == 0x409)
        .expect("English");
    assert_eq!(english["lang"], "en-US");
    let lines: Vec<&str> = seed.lines().collect();
    let mui = lines
        .iter()
        .position(|l| *l == "MUI descriptions")
        .expect("MUI section");
    let expected_ids: &[(&str, u64, &str)] = &[
        ("DA", 0x406, "da-DK"),
        ("SV", 0x41D, "sv-SE"),
        ("EL", 0x408, "el-GR"),
        ("RU", 0x419, "ru-RU"),
        ("PT", 0x816, "pt-PT"),
        ("KO", 0x412, "ko-KR"),
        ("FI", 0x40B, "fi-FI"),
        ("ZH", 0x404, "zh-TW"),
        ("FR", 0x40C, "fr-FR"),
        ("HU", 0x40E, "hu-HU"),
        ("NL", 0x413, "nl-NL"),
        ("JA", 0x411, "ja-JP"),
        ("TR", 0x41F, "tr-TR"),
        ("NB", 0x414, "nb-NO"),
        ("DE", 0x407, "de-DE"),
        ("IT", 0x410, "it-IT"),
        ("PL", 0x415, "pl-PL"),
        ("ES", 0xC0A, "es-ES"),
        ("CS", 0x405, "cs-CZ"),
    ];
    let seed_texts: Vec<(&str, &str)> = lines[mui + 1..]
        .iter()
        .filter_map(|l| l.split_once(' '))
        .collect();
    assert_eq!(seed_texts.len(), 19, "19 languages besides English");
    for (code, text) in seed_texts {
        let (_, langid, tag) = expected_ids
            .iter()
            .find(|(c, _, _)| *c == code)
            .unwrap_or_else(|| panic!("unknown seed language {code}"));
        let m = messages
            .iter()
            .find(|m| m["langid"] == *langid)
            .unwrap_or_else(|| panic!("{code} text ({langid:#x}) missing"));
        assert_eq!(m["lang"], *tag, "{code}");
        assert_eq!(
            m["text"].as_str().map(str::trim_end),
            Some(text.trim_end()),
            "{code}"
        );
        assert_eq!(m["source"], "WDK 6000 netevent_tcp.mc", "{code}");
    }
}

#[test]
fn imported_header_and_tables_agree_with_the_imported_mc() {
    // Importing what `werr mc` wrote (the .h and the 20 MSGxxxxx.bin tables) instead of the
    // .mc gives the same definition, line comments, description and texts; the definition
    // is then at the header's line.
    let Some((_seed, i)) = setup() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let h = dir.path().join("h");
    let r = dir.path().join("r");
    let fixture = fixture();
    compile_into(&fixture, &h, &r);
    let kb = dir.path().join("h.db");
    let summary = run_ok(&[
        "import",
        h.to_str().expect("utf-8"),
        r.to_str().expect("utf-8"),
        "--kb",
        kb.to_str().expect("utf-8"),
        "--source",
        "WDK-h",
    ]);
    assert!(summary.contains("25 messages"), "{summary}");
    let shown: Value = serde_json::from_str(&run_ok(&[
        "show",
        NAME,
        "--json",
        "--kb",
        kb.to_str().expect("utf-8"),
    ]))
    .expect("JSON");
    let at = &shown["defined_at"][0];
    assert_eq!(at["source"], "WDK-h");
    assert_eq!(at["file"], "netevent_tcp.h");
    let define_line = i
        .header
        .split("\r\n")
        .position(|l| l.starts_with(&format!("#define {NAME} ")))
        .expect("define in the header") as u64
        + 1;
    assert_eq!(at["line"], define_line);
    assert_eq!(at["definition"], i.record["defined_at"][0]["definition"]);
    assert_eq!(shown["line_comments"], i.record["line_comments"]);
    assert_eq!(shown["description"], i.record["description"]);
    let texts = |r: &Value| -> Vec<(u64, String)> {
        r["messages"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|m| {
                (
                    m["langid"].as_u64().expect("langid"),
                    m["text"].as_str().expect("text").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(texts(&shown), texts(&i.record));
    assert_eq!(
        shown["messages"][0]["source"],
        "WDK-h unversioned MSG00404.bin"
    );
}

/// `werr mc -h H -r R MC`, which must succeed.
fn compile_into(mc: &std::path::Path, h: &std::path::Path, r: &std::path::Path) {
    run_ok(&[
        "mc",
        "-h",
        h.to_str().expect("utf-8"),
        "-r",
        r.to_str().expect("utf-8"),
        mc.to_str().expect("utf-8"),
    ]);
}
