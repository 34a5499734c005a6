//! `werr extract` end to end on real modules.

use crate::common::werr;
use std::collections::BTreeSet;
use std::path::PathBuf;

const WINE: &str = "libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

fn wine(file: &str) -> Option<PathBuf> {
    werr_testdata::fixture(&format!("{WINE}/{file}"))
}

fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn json_lines_carry_every_message_of_every_language() {
    let Some(dll) = wine("kernelbase.dll") else {
        return;
    };
    let out = werr()
        .arg("extract")
        .arg("--json")
        .arg(&dll)
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 33 * 761);
    let langs: BTreeSet<u64> = lines
        .iter()
        .map(|l| l["langid"].as_u64().unwrap())
        .collect();
    assert_eq!(langs.len(), 33);
    let de5 = lines
        .iter()
        .find(|l| l["langid"] == 7 && l["id"] == 5)
        .unwrap();
    assert_eq!(de5["lang"], "de");
    assert_eq!(de5["id_hex"], "0x00000005");
    assert_eq!(de5["text"], "Zugriff verweigert.\n");
    assert_eq!(de5["name"], serde_json::Value::Null);
    assert_eq!(de5["file"], dll.display().to_string());
    let eo = lines.iter().find(|l| l["langid"] == 0x80a5).unwrap();
    assert_eq!(eo["lang"], "eo");
}

#[test]
fn lang_accepts_tags_and_ids_and_falls_back_to_the_neutral_language() {
    let Some(dll) = wine("kernelbase.dll") else {
        return;
    };
    let run = |lang: &str| {
        let out = werr()
            .args(["extract", "--lang", lang])
            .arg(&dll)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let by_tag = run("de");
    assert_eq!(by_tag.lines().count(), 761);
    assert!(by_tag.contains("de (0x0007)  0x00000005  Zugriff verweigert."));
    assert_eq!(run("0x7"), by_tag);
    assert_eq!(run("7"), by_tag);
    // de-AT is not in the module: the neutral German table serves.
    assert_eq!(run("de-AT"), by_tag);
    // Greek is not translated in kernelbase: the module default (en-US) serves, and stderr
    // says so.
    assert!(run("el").contains("en-US (0x0409)  0x00000005  Access denied."));
    let greek = werr()
        .args(["extract", "--lang", "el"])
        .arg(&dll)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&greek.stderr).contains(": table 1: no text in el; showing en-US")
    );
}

#[test]
fn rejects_an_unknown_language_with_status_2() {
    let Some(dll) = wine("fsutil.exe") else {
        return;
    };
    werr()
        .args(["extract", "--lang", "xx-YY"])
        .arg(&dll)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown language `xx-YY`"));
}

#[test]
fn bin_dir_receives_each_table_byte_for_byte() {
    let Some(exe) = wine("fsutil.exe") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    werr()
        .arg("extract")
        .arg("--bin-dir")
        .arg(dir.path())
        .arg(&exe)
        .assert()
        .success();
    let bytes = std::fs::read(&exe).unwrap();
    let found = werr_msgtable::extract(&bytes, 0).unwrap();
    assert_eq!(found.tables.len(), 17);
    for table in &found.tables {
        let bin = dir.path().join(format!("MSG{:05X}.bin", table.langid));
        assert_eq!(
            std::fs::read(&bin).unwrap(),
            table.data,
            "{}",
            bin.display()
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 17);
    // The .bin files read back as tables in the language their name gives.
    let out = werr()
        .arg("extract")
        .arg("--json")
        .arg(dir.path().join("MSG00007.bin"))
        .assert()
        .success();
    let lines = json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["langid"] == 7 && l["lang"] == "de"));
}

#[test]
fn bin_dir_with_several_inputs_uses_one_folder_per_module() {
    let (Some(a), Some(b)) = (wine("fsutil.exe"), wine("wininet.dll")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    werr()
        .arg("extract")
        .arg("--bin-dir")
        .arg(dir.path())
        .args([&a, &b])
        .assert()
        .success();
    assert!(dir.path().join("fsutil.exe/MSG00409.bin").exists());
    assert_eq!(
        std::fs::read_dir(dir.path().join("wininet.dll"))
            .unwrap()
            .count(),
        22
    );
}

#[test]
fn walks_folders_recursively_and_skips_other_files() {
    let Some(dll) = werr_testdata::fixture("pywin32-312/win32/perfmondata.dll") else {
        return;
    };
    let Some(pyd) = werr_testdata::fixture("pywin32-312/win32/servicemanager.pyd") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a/b/c");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(&dll, dir.path().join("a/perfmondata.dll")).unwrap();
    std::fs::copy(&pyd, deep.join("servicemanager.pyd")).unwrap();
    std::fs::write(dir.path().join("a/b/readme.txt"), "not a module").unwrap();
    std::fs::write(dir.path().join("a/b/data.bin"), "no MSG name: skipped").unwrap();
    std::fs::write(dir.path().join("a/b/MSG00409.bin"), "named like a table").unwrap();
    std::fs::write(dir.path().join("a/b/broken.dll"), "MZ but nothing more").unwrap();
    let out = werr()
        .args(["extract", "--json"])
        .arg(dir.path())
        .assert()
        .code(1);
    // Files that look like containers but are not are skipped with a warning each, and fail
    // the run once the others are printed.
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    assert!(
        stderr.contains("werr: 2 problems in the message tables (reported above)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken.dll: skipped: at byte 0x0: invalid PE file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("MSG00409.bin: skipped: at byte 0x0: not a PE module"),
        "{stderr}"
    );
    let lines = json_lines(&out.get_output().stdout);
    let modules: Vec<(String, usize)> = ["perfmondata.dll", "servicemanager.pyd"]
        .iter()
        .map(|m| {
            (
                m.to_string(),
                lines.iter().filter(|l| l["module"] == *m).count(),
            )
        })
        .collect();
    assert_eq!(
        modules,
        vec![
            ("perfmondata.dll".into(), 8),
            ("servicemanager.pyd".into(), 62)
        ]
    );
    assert_eq!(lines.len(), 70);
    assert!(lines
        .iter()
        .all(|l| l["langid"] == 0x409 && l["encoding"] == "unicode"));
}

#[test]
fn a_named_file_that_is_no_container_fails_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "hello").unwrap();
    werr()
        .arg("extract")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "notes.txt: at byte 0x0: not a PE module",
        ));
    werr()
        .arg("extract")
        .arg(dir.path().join("missing.dll"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("missing.dll"));
}

#[test]
fn a_damaged_table_is_salvaged_with_a_warning_and_fails_the_run() {
    let Some(exe) = wine("fsutil.exe") else {
        return;
    };
    let bytes = std::fs::read(&exe).unwrap();
    let found = werr_msgtable::extract(&bytes, 0).unwrap();
    let table = found.tables.iter().find(|t| t.langid == 0x9).unwrap();
    let mut damaged = table.data.to_vec();
    // Last entry's flags -> 9 (unknown): the first two messages survive.
    let last = werr_msgtable::read(table.data).unwrap().entries[2].offset;
    damaged[last + 2] = 9;
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("MSG00009.bin");
    std::fs::write(&bin, &damaged).unwrap();
    // The file had a problem: status 1, after printing what could be read.
    let out = werr()
        .args(["extract", "--json"])
        .arg(&bin)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "table 1 language 0x0009: at byte 0x{:X} (message 0x00000067): entry flags 0x9",
            last + 2
        )));
    assert_eq!(json_lines(&out.get_output().stdout).len(), 2);
}

#[test]
fn ansi_messages_use_the_language_code_page_unless_overridden() {
    use werr_msgtable::{write, CodePage, Entry, MessageTable};
    let dir = tempfile::tempdir().unwrap();
    let mut de = MessageTable::new();
    de.insert(1, Entry::ansi("Grüße\r\n", CodePage(1252)).unwrap());
    std::fs::write(dir.path().join("MSG00407.bin"), write(&de).unwrap()).unwrap();
    let mut ja = MessageTable::new();
    ja.insert(1, Entry::ansi("アクセス拒否\r\n", CodePage(932)).unwrap());
    std::fs::write(dir.path().join("MSG00411.bin"), write(&ja).unwrap()).unwrap();
    let texts = |extra: &[&str]| {
        let out = werr()
            .args(["extract", "--json"])
            .args(extra)
            .arg(dir.path())
            .assert()
            .success();
        json_lines(&out.get_output().stdout)
            .iter()
            .map(|l| {
                (
                    l["langid"].as_u64().unwrap(),
                    l["text"].as_str().unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(&[]),
        vec![
            (0x407, "Grüße\r\n".into()),
            (0x411, "アクセス拒否\r\n".into())
        ]
    );
    assert_eq!(
        texts(&["--code-page", "1251"])[0],
        (0x407, "GrьЯe\r\n".into())
    );
}

#[test]
fn a_folder_of_bin_tables_is_one_module_and_lang_picks_one_of_them() {
    // mc writes one MSGxxxxx.bin per language: the seed fixture's 20 languages.
    let dir = tempfile::tempdir().unwrap();
    let (h, r) = (dir.path().join("h"), dir.path().join("r"));
    let mc = werr_testdata::repo_root().join("tests/fixtures/seed/netevent_tcp.mc");
    werr()
        .arg("mc")
        .arg("-h")
        .arg(&h)
        .arg("-r")
        .arg(&r)
        .arg(&mc)
        .assert()
        .success();
    let every = werr()
        .arg("extract")
        .arg("--json")
        .arg(&r)
        .assert()
        .success();
    let every = json_lines(&every.get_output().stdout);
    let langs: BTreeSet<u64> = every
        .iter()
        .map(|l| l["langid"].as_u64().unwrap())
        .collect();
    assert_eq!(langs.len(), 20);
    assert!(
        every.iter().all(|l| l["module"] == "r"),
        "one module, named after its folder"
    );
    let de = werr()
        .args(["extract", "--json", "--lang", "de"])
        .arg(&r)
        .assert()
        .success();
    let de = json_lines(&de.get_output().stdout);
    assert_eq!(de.len(), 1, "{de:?}");
    assert_eq!(de[0]["lang"], "de-DE");
    assert_eq!(de[0]["id_hex"], "0x80001083");
    assert!(de[0]["file"].as_str().unwrap().ends_with("MSG00407.bin"));
    // A language the module lacks: the module's en-US table, said once for the module.
    let el = werr()
        .args(["extract", "--lang", "ga"])
        .arg(&r)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&el.get_output().stdout).to_string();
    assert!(out.lines().all(|l| l.contains("en-US (0x0409)")), "{out}");
    let stderr = String::from_utf8_lossy(&el.get_output().stderr).to_string();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("MSG*.bin") && stderr.contains("en-US"),
        "{stderr}"
    );
}

#[test]
fn a_module_without_message_tables_is_named_on_stderr_and_fails() {
    let Some(exe) = wine("notepad.exe") else {
        return;
    };
    let out = werr().arg("extract").arg(&exe).assert().code(1);
    assert!(out.get_output().stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("notepad.exe: no message table here"),
        "{stderr}"
    );
}
