//! The default texts end to end: Wine 8.0's message tables in the embedded KB through
//! `werr show`, and `werr import` of a tree of PE modules, `.bin` tables and a broken file.

use crate::common::{stdout_of, werr};
use serde_json::Value;
use std::path::PathBuf;

const WINE: &str = "libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

fn wine(file: &str) -> Option<PathBuf> {
    werr_testdata::fixture(&format!("{WINE}/{file}"))
}

fn json_of(cmd: &mut assert_cmd::Command) -> Value {
    serde_json::from_str(&stdout_of(cmd)).expect("JSON")
}

/// What `werr extract --json` reads from kernelbase.dll for message 5 in `lang`.
fn extracted_text(lang: &str) -> Option<(u64, String)> {
    let dll = wine("kernelbase.dll")?;
    let out = stdout_of(werr().args(["extract", "--json", "--lang", lang]).arg(dll));
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .find(|l| l["id"] == 5)
        .map(|l| {
            (
                l["langid"].as_u64().expect("langid"),
                l["text"].as_str().expect("text").to_string(),
            )
        })
}

#[test]
fn show_lang_de_prints_the_german_text_of_kernelbase() {
    let Some((langid, german)) = extracted_text("de") else {
        return;
    };
    let r = json_of(werr().args(["show", "ERROR_ACCESS_DENIED", "--lang", "de", "--json"]));
    let messages = r["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["langid"], langid);
    assert_eq!(messages[0]["lang"], "de");
    assert_eq!(messages[0]["text"], german.as_str());
    assert_eq!(messages[0]["source"], "wine 8.0 kernelbase.dll");
    let text = stdout_of(werr().args(["show", "ERROR_ACCESS_DENIED", "--lang", "de"]));
    assert!(text.contains(german.trim_end()), "{text}");
}

#[test]
fn show_lang_falls_back_from_austrian_to_german() {
    let at = json_of(werr().args(["show", "ERROR_ACCESS_DENIED", "--lang", "de-AT", "--json"]));
    let de = json_of(werr().args(["show", "ERROR_ACCESS_DENIED", "--lang", "de", "--json"]));
    assert_eq!(at["messages"], de["messages"]);
    assert_eq!(at["messages"][0]["text"], "Zugriff verweigert.\n");
}

#[test]
fn show_json_lists_every_language_and_plain_show_describes_in_windows_words() {
    let r = json_of(werr().args(["show", "ERROR_ACCESS_DENIED", "--json"]));
    let messages = r["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 33);
    for m in messages {
        for field in ["lang", "langid", "text", "source"] {
            assert!(!m[field].is_null(), "{field} in {m}");
        }
    }
    let tags: Vec<&str> = messages.iter().filter_map(|m| m["lang"].as_str()).collect();
    for tag in ["ast", "eo", "de", "ja", "en-US", "zh-TW"] {
        assert!(tags.contains(&tag), "{tag} in {tags:?}");
    }
    let Some((_, english)) = extracted_text("en-US") else {
        return;
    };
    // Wine's English text stays among the messages; Microsoft's wording describes, with its
    // page and the credit its license asks for.
    assert!(messages
        .iter()
        .any(|m| m["lang"] == "en-US" && m["text"] == english.as_str()));
    assert_eq!(r["description"], "Access is denied.");
    let source = &r["description_source"];
    assert_eq!(
        source["file"],
        "desktop-src/Debug/system-error-codes--0-499-.md"
    );
    assert_eq!(source["license"], "CC-BY-4.0");
    let text = stdout_of(werr().args(["show", "ERROR_ACCESS_DENIED"]));
    let description = text
        .split("Description\n")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("a Description section");
    assert_eq!(description.trim(), "Access is denied.");
    let credit = text
        .split("Description source\n")
        .nth(1)
        .expect("a Description source section");
    assert!(
        credit.starts_with(
            "  desktop-src/Debug/system-error-codes--0-499-.md, line 83 (msdocs-win32 47e64c1)\n  Microsoft Learn documentation"
        ),
        "{credit}"
    );
}

#[test]
fn lookup_credits_microsofts_pages_once_under_the_texts_it_shows() {
    let out = stdout_of(werr().args(["--color", "never", "5", "ERROR_FILE_NOT_FOUND"]));
    let credits: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  text from "))
        .collect();
    assert_eq!(credits.len(), 2, "{out}");
    assert!(credits.iter().all(|c| c.contains("CC BY 4.0")), "{out}");
    // Each query's credit names the page of its text, under that text, before the folded
    // names; the page of both texts is named once per query.
    let first = out.split("\n\n").next().expect("the first query's answer");
    let lines: Vec<&str> = first.lines().collect();
    let credit = lines
        .iter()
        .position(|l| l.starts_with("  text from "))
        .expect("a credit");
    assert!(
        lines[..credit]
            .iter()
            .any(|l| l.contains("Access is denied.")),
        "{first}"
    );
    assert_eq!(
        lines[credit]
            .matches("system-error-codes--0-499-.md")
            .count(),
        1,
        "{first}"
    );
    assert!(lines[credit + 1].starts_with('+'), "{first}");
    // A text no license asks credit for gets none: Wine's German text is not Microsoft's page.
    let german = stdout_of(werr().args(["--color", "never", "lookup", "--lang", "de", "5"]));
    assert!(german.contains("Zugriff verweigert."), "{german}");
    assert!(
        !german.contains("system-error-codes--0-499-.md"),
        "{german}"
    );
}

#[test]
fn import_of_a_pe_tree_stores_every_table_with_its_module_and_skips_broken_files() {
    let (Some(mferror), Some(fsutil), Some(version)) =
        (wine("mferror.dll"), wine("fsutil.exe"), wine("version.dll"))
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("media")).expect("mkdir");
    std::fs::create_dir_all(tree.join("tables")).expect("mkdir");
    std::fs::copy(&mferror, tree.join("media/mferror.dll")).expect("copy");
    std::fs::copy(&version, tree.join("version.dll")).expect("copy");
    // fsutil.exe's 17 tables as mc writes them: MSG0xxxx.bin, language from the name.
    stdout_of(
        werr()
            .args(["extract", "--bin-dir"])
            .arg(tree.join("tables"))
            .arg(&fsutil),
    );
    // A module cut inside its resource section.
    let bytes = std::fs::read(&mferror).expect("read mferror.dll");
    std::fs::write(tree.join("broken.dll"), &bytes[..bytes.len() / 3]).expect("write");
    let kb = dir.path().join("user.kb");
    let out = werr()
        .arg("import")
        .arg(&tree)
        .args(["--source", "mytree", "--version", "1", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The broken file fails the run (status 1); the others are imported all the same.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("broken.dll"), "{stderr}");
    assert!(stderr.contains("byte 0x"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{} messages", 32 * 101 + 17 * 3)),
        "{stdout}"
    );
    let r = json_of(
        werr()
            .args(["show", "MF_E_INVALIDMEDIATYPE", "--json", "--kb"])
            .arg(&kb),
    );
    let mine: Vec<&Value> = r["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["source"] == "mytree 1 mferror.dll")
        .collect();
    assert_eq!(mine.len(), 32, "{r}");
    assert!(mine.iter().any(|m| m["lang"] == "de"), "{r}");
}

/// A lookup whose text is Wine's or ReactOS's (the default KB's tables of Windows modules)
/// says whose it is, so that it is not taken for Windows' own; Microsoft's texts carry only
/// their credit.
#[test]
fn texts_of_wine_and_reactos_tables_are_marked_in_a_lookup() {
    let wine = stdout_of(werr().arg("0xC00D36B0"));
    assert!(
        wine.contains(
            "  text from Wine's own tables (wine 8.0, LGPL-2.1-or-later; Windows' wording can \
             differ): dlls/mferror/mferror.mc"
        ),
        "{wine}"
    );
    let reactos = stdout_of(werr().arg("EVENT_EventLogProductInfo"));
    assert!(
        reactos.contains(
            "  text from ReactOS's own tables (reactos git, GPL-2.0-or-later; Windows' wording \
             can differ): sdk/include/reactos/mc/neteventmsg.mc"
        ),
        "{reactos}"
    );
    let microsoft = stdout_of(werr().arg("E_ACCESSDENIED"));
    assert!(!microsoft.contains("wording can differ"), "{microsoft}");
    // `werr show`: the description's source says it too, for a table's text in the
    // language asked for as for an English one.
    let german = stdout_of(werr().args(["show", "ERROR_OUTOFMEMORY", "--lang", "de"]));
    assert!(
        german.contains(
            "Description\n  Kein Arbeitsspeicher mehr.\nDescription source\n  wine 8.0 \
             kernelbase.dll (de)\n  Written for Wine: Windows' wording can differ\n"
        ),
        "{german}"
    );
    let english = stdout_of(werr().args(["show", "MF_E_PLATFORM_NOT_INITIALIZED"]));
    assert!(
        english.contains("  Written for Wine: Windows' wording can differ\n"),
        "{english}"
    );
    let documented = stdout_of(werr().args(["show", "ERROR_OUTOFMEMORY"]));
    assert!(
        documented.contains("Not enough storage is available to complete this operation.")
            && !documented.contains("wording can differ"),
        "{documented}"
    );
}
