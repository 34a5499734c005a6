//! The top-level command line: `werr QUERY...` as lookup, global options before a command.

use crate::common::{stdout_of, werr};

#[test]
fn bare_query_is_a_lookup() {
    let bare = stdout_of(werr().arg("0x80001083"));
    let lookup = stdout_of(werr().args(["lookup", "0x80001083"]));
    assert_eq!(bare, lookup);
    assert!(
        bare.contains("EVENT_TCPIP_TCP_TIME_WAIT_COLLISION"),
        "{bare}"
    );
}

#[test]
fn bare_query_takes_lookup_options() {
    let text = stdout_of(werr().args(["5", "--json"]));
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert!(doc.to_string().contains("ERROR_ACCESS_DENIED"), "{text}");
}

#[test]
fn global_kb_option_goes_before_a_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).expect("mkdir");
    std::fs::write(
        tree.join("mine.h"),
        // The mc.exe block makes the define a code under the import rule.
        "//\n// MessageId: MY_ORDERING_CODE\n//\n// MessageText:\n//\n// Ordering works.\n//\n#define MY_ORDERING_CODE ((DWORD)0xC0FE0042L)\n",
    )
    .expect("write header");
    let kb = dir.path().join("user.kb");
    stdout_of(werr().arg("--kb").arg(&kb).arg("import").arg(&tree).args([
        "--source",
        "mine",
        "--version",
        "1",
    ]));
    let found = stdout_of(werr().arg("--kb").arg(&kb).arg("0xC0FE0042"));
    assert!(found.contains("MY_ORDERING_CODE"), "{found}");
    let shown = stdout_of(
        werr()
            .arg("--kb")
            .arg(&kb)
            .args(["show", "MY_ORDERING_CODE"]),
    );
    assert!(shown.contains("0xC0FE0042"), "{shown}");
}

#[test]
fn no_query_is_a_usage_error() {
    let out = werr().output().expect("werr runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bare_query_takes_options_first_negative_numbers_and_the_kb_variable() {
    let options_first = stdout_of(werr().args(["--json", "--limit", "1", "5"]));
    let doc: serde_json::Value = serde_json::from_str(&options_first).expect("JSON");
    assert_eq!(doc[0]["matches"].as_array().map(Vec::len), Some(1), "{doc}");
    // -2147479421 is 0x80001083 as a signed 32-bit number, not an option.
    let negative = stdout_of(werr().arg("-2147479421"));
    assert!(
        negative.contains("EVENT_TCPIP_TCP_TIME_WAIT_COLLISION"),
        "{negative}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("none.kb");
    let out = werr()
        .env("WERR_KB", &missing)
        .arg("5")
        .output()
        .expect("werr runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("none.kb"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bare_query_with_an_unknown_option_is_a_usage_error_naming_it() {
    let out = werr().args(["5", "--bogus"]).output().expect("werr runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--bogus") && err.contains("Usage: werr"),
        "{err}"
    );
}

/// Whether `name` matches `pattern`, where one `*` stands for any text.
fn matches_pattern(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        Some((head, tail)) => {
            name.len() >= head.len() + tail.len() && name.starts_with(head) && name.ends_with(tail)
        }
        None => pattern == name,
    }
}

#[test]
fn about_prints_the_licenses_and_a_notice_for_every_embedded_source() {
    let text = stdout_of(werr().arg("about"));
    assert!(text.contains("MIT OR Apache-2.0"), "{text}");
    let root = werr_testdata::repo_root();
    for file in ["LICENSE-MIT", "LICENSE-APACHE", "NOTICE-DATA.md"] {
        assert!(root.join(file).is_file(), "{file}");
    }
    // Each data file the default KB is built from has its section, named `data/FILE`.
    let sections: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("## "))
        .flat_map(|l| l.split('`').skip(1).step_by(2))
        .filter_map(|quoted| quoted.strip_prefix("data/"))
        .collect();
    let sources = std::fs::read_to_string(root.join("data/sources.txt")).expect("sources.txt");
    for source in sources
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert!(
            sections.iter().any(|p| matches_pattern(p, source)),
            "no section of NOTICE-DATA.md names data/{source}: {sections:?}"
        );
    }
}
