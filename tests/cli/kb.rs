//! End-to-end tests of the KB commands: lookup, show, search, import, diff, on the embedded
//! default KB (built from data/) and on KB files made by `werr import`.

use crate::common::{run_ok, werr};
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

fn json_of(args: &[&str]) -> Value {
    serde_json::from_str(&run_ok(args)).expect("valid JSON")
}

#[test]
fn show_json_of_the_seed_name_carries_the_seed_fields() {
    let r = json_of(&["show", "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION", "--json"]);
    assert_eq!(r["name"], "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION");
    assert_eq!(r["value"]["hex"], "0x80001083");
    assert_eq!(r["value"]["signed"], -2147479421i64);
    assert_eq!(r["value"]["unsigned"], 2147487875u64);
    let defined = r["defined_at"].as_array().expect("defined_at is a list");
    let netevent = defined
        .iter()
        .find(|d| d["source"] == "mingw-w64" && d["version"] == "10.0.0")
        .expect("defined in mingw-w64 10.0.0");
    assert_eq!(netevent["file"], "netevent.h");
    assert_eq!(netevent["line"], 520);
    assert_eq!(
        netevent["definition"],
        "#define EVENT_TCPIP_TCP_TIME_WAIT_COLLISION                      __MSABI_LONG(0x80001083)"
    );
    let also: Vec<String> = r["also_used_in"]
        .as_array()
        .expect("also_used_in is a list")
        .iter()
        .map(|a| {
            format!(
                "{}@{}",
                a["source"].as_str().unwrap_or(""),
                a["version"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(also.contains(&"mingw-w64@13.0.0".to_string()), "{also:?}");
    assert!(also.contains(&"windows-sys@0.61.2".to_string()), "{also:?}");
    assert_eq!(r["layout"]["scheme"], "message");
    assert_eq!(r["layout"]["severity"], 2);
    assert_eq!(r["layout"]["severity_name"], "Warning");
    assert_eq!(r["layout"]["code"], 4227);
    assert_eq!(r["layout"]["facility"], 0);
    for key in [
        "type",
        "c_type",
        "description",
        "line_comments",
        "group",
        "type_description",
        "messages",
    ] {
        assert!(r.get(key).is_some(), "show --json lacks {key}");
    }
}

#[test]
fn bare_query_5_names_error_access_denied_first_and_its_hresult() {
    let out = run_ok(&["5"]);
    let first = out.lines().next().unwrap_or("");
    assert!(first.contains("ERROR_ACCESS_DENIED"), "{out}");
    // The names that only share the value, and the codes it converts to, fold into one line.
    assert!(
        !out.contains("ERROR_I24_BAD_LENGTH")
            && out.contains("other names with this value or converting to it"),
        "{out}"
    );
    let all = run_ok(&["lookup", "--all", "5"]);
    assert!(
        all.contains("E_ACCESSDENIED = HRESULT_FROM_WIN32(5)")
            && all.contains("ERROR_I24_BAD_LENGTH"),
        "{all}"
    );
}

#[test]
fn show_takes_its_definition_from_the_sdk_code_header() {
    // mingw-w64 also defines ERROR_ACCESS_DENIED in error.h (a CRT header, sorted first);
    // the page's own definition is winerror.h's.
    let r = json_of(&["show", "ERROR_ACCESS_DENIED", "--json"]);
    assert_eq!(r["defined_at"][0]["file"], "winerror.h", "{r}");
}

#[test]
fn bare_query_c0000005_names_status_access_violation_first() {
    let out = run_ok(&["0xC0000005"]);
    let first = out.lines().next().unwrap_or("");
    assert!(first.contains("STATUS_ACCESS_VIOLATION"), "{out}");
}

#[test]
fn bare_query_80070005_names_e_accessdenied_and_the_win32_relation() {
    let out = run_ok(&["0x80070005"]);
    let first = out.lines().next().unwrap_or("");
    assert!(first.contains("E_ACCESSDENIED"), "{out}");
    let all = run_ok(&["lookup", "--all", "0x80070005"]);
    assert!(
        all.contains("0x80070005 = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)"),
        "{all}"
    );
}

/// The HRESULT of a Win32 error no header names itself (0x800706BA, the most pasted kind):
/// the Win32 error answers, and the value's own fields are one command away, not in the way.
#[test]
fn a_derived_hresult_is_answered_by_its_win32_error_alone() {
    let out = run_ok(&["0x800706BA"]);
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some(
            "0x800706BA = HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE): The RPC server is unavailable."
        ),
        "{out}"
    );
    assert!(
        lines
            .next()
            .unwrap_or("")
            .starts_with("  text from Microsoft Learn"),
        "{out}"
    );
    assert!(out.contains("its fields: werr decode 0x800706BA"), "{out}");
    assert!(!out.contains("nearest named"), "{out}");
    // --all shows everything, the value's readings too.
    let all = run_ok(&["lookup", "--all", "0x800706BA"]);
    assert!(all.contains("0x800706BA  no name in the KB"), "{all}");
    assert!(all.contains("  as hresult "), "{all}");
}

/// A name with no text of its own (Wine's WININET_E_NAME_NOT_RESOLVED) shows the text of the
/// Win32 error its value wraps, and says whose it is.
#[test]
fn show_of_a_name_without_a_text_shows_the_text_it_derives_from() {
    let out = run_ok(&["show", "0x80072EE7"]);
    assert!(
        out.starts_with("WININET_E_NAME_NOT_RESOLVED, 0x80072EE7\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "Description\n  The server name could not be resolved.\nDescription source\n  \
             the text of the code it derives from: 0x80072EE7 = \
             HRESULT_FROM_WIN32(ERROR_INTERNET_NAME_NOT_RESOLVED)\n  \
             desktop-src/WinInet/wininet-errors.md"
        ),
        "{out}"
    );
    let doc = json_of(&["show", "WININET_E_NAME_NOT_RESOLVED", "--json"]);
    assert_eq!(
        doc["description_of"],
        "0x80072EE7 = HRESULT_FROM_WIN32(ERROR_INTERNET_NAME_NOT_RESOLVED)"
    );
    // A name with a text of its own keeps it, and says nothing of the kind.
    let own = json_of(&["show", "E_ACCESSDENIED", "--json"]);
    assert_eq!(own["description_of"], Value::Null);
}

/// The delay-load helper's exceptions (a crash's 0xC06D007E) read as their Win32 error, by
/// delayimp.h's `VcppException`.
#[test]
fn a_delay_load_exception_is_answered_by_its_win32_error() {
    let out = run_ok(&["0xC06D007E"]);
    assert_eq!(
        out.lines().next(),
        Some(
            "0xC06D007E = VcppException(ERROR_SEVERITY_ERROR, ERROR_MOD_NOT_FOUND): The specified module could not be found."
        ),
        "{out}"
    );
}

/// `werr show` of such a value shows the Win32 error's record (a Win32 error, though its
/// `_S_` once made it an HRESULT), then what is known of the value itself.
#[test]
fn show_of_a_derived_hresult_shows_the_record_it_derives_from() {
    let out = run_ok(&["show", "0x800706BA"]);
    assert!(
        out.starts_with("0x800706BA = HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)\n\nRPC_S_SERVER_UNAVAILABLE, 0x000006BA\n"),
        "{out}"
    );
    assert!(out.contains("Type\n  Win32 error\n"), "{out}");
    assert!(out.contains("0x800706BA  no name in the KB"), "{out}");
    let doc = json_of(&["show", "0x800706BA", "--json"]);
    assert_eq!(doc["name"], serde_json::Value::Null);
    assert_eq!(
        doc["derived"][0]["relation"],
        "0x800706BA = HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)"
    );
    assert_eq!(
        doc["derived"][0]["record"]["name"],
        "RPC_S_SERVER_UNAVAILABLE"
    );
    assert_eq!(doc["derived"][0]["record"]["type"], "Win32 error");
    assert_eq!(doc["unnamed"]["value"]["hex"], "0x800706BA");
}

#[test]
fn lookup_json_marks_the_related_match() {
    let docs = json_of(&["lookup", "0x80070005", "--json"]);
    let matches = docs[0]["matches"].as_array().expect("matches");
    let related = matches
        .iter()
        .find(|m| m["name"] == "ERROR_ACCESS_DENIED")
        .expect("ERROR_ACCESS_DENIED is among the matches");
    assert_eq!(related["reason"]["kind"], "related");
    assert_eq!(
        related["reason"]["relation"],
        "0x80070005 = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)"
    );
}

#[test]
fn seed_value_lists_the_seed_name() {
    let out = run_ok(&["0x80001083"]);
    assert!(out.contains("EVENT_TCPIP_TCP_TIME_WAIT_COLLISION"), "{out}");
}

#[test]
fn name_with_a_typo_finds_the_name() {
    let out = run_ok(&["ERROR_ACCES_DENIED"]);
    assert!(
        out.lines()
            .next()
            .unwrap_or("")
            .contains("ERROR_ACCESS_DENIED"),
        "{out}"
    );
}

#[test]
fn unnamed_code_gets_fields_facility_and_neighbours() {
    let out = run_ok(&["0x80071234"]);
    assert!(out.contains("no name in the KB"), "{out}");
    assert!(out.contains("FACILITY_WIN32"), "{out}");
    assert!(out.contains("nearest named: 0x8007"), "{out}");
}

#[test]
fn search_finds_names_by_words_of_their_comments() {
    let out = run_ok(&["search", "access", "denied"]);
    assert!(out.contains("ERROR_ACCESS_DENIED"), "{out}");
}

#[test]
fn diff_of_the_two_mingw_versions_lists_added_names() {
    let out = run_ok(&["diff", "mingw-w64@10.0.0", "mingw-w64@13.0.0"]);
    let summary = out.lines().last().unwrap_or("");
    assert!(
        summary.starts_with("mingw-w64@10.0.0 -> mingw-w64@13.0.0:"),
        "{summary}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("+ ")),
        "no added names: {summary}"
    );
}

#[test]
fn unknown_language_tag_is_a_usage_error() {
    let out = werr()
        .args(["show", "E_ACCESSDENIED", "--lang", "xx-NOPE"])
        .output()
        .expect("werr runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn reading_a_missing_kb_file_says_how_to_create_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = werr()
        .args(["5", "--kb"])
        .arg(dir.path().join("none.kb"))
        .output()
        .expect("werr runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("werr import"));
}

#[test]
fn import_without_a_kb_file_is_a_usage_error() {
    let out = werr().args(["import", "."]).output().expect("werr runs");
    assert_eq!(out.status.code(), Some(2));
}

/// A tree with a good mc-style header and a binary file named like a header.
fn tree_with_bad_files(dir: &Path) {
    std::fs::write(
        dir.join("good.h"),
        "// MessageId: MY_FIRST_CODE\n//\n// MessageText:\n//\n// The first code.\n//\n#define MY_FIRST_CODE ((DWORD)0xC0FE0001L)\n",
    )
    .expect("write good.h");
    let mut binary = b"#define NOT_READ 0xC0FE0002\n".to_vec();
    binary.extend_from_slice(&[0x7F, b'E', b'L', b'F', 0, 0, 1]);
    std::fs::write(dir.join("binary.h"), binary).expect("write binary.h");
}

#[test]
fn binary_file_in_a_tree_is_reported_with_its_line_and_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).expect("mkdir");
    tree_with_bad_files(&tree);
    let kb = dir.path().join("user.kb");
    let out = werr()
        .args(["import"])
        .arg(&tree)
        .args(["--source", "mine", "--version", "1", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A file had a problem: status 1, with good.h imported all the same.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("binary.h:2:5: binary file"), "{stderr}");
    let found = werr()
        .args(["show", "MY_FIRST_CODE", "--json", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    let r: Value = serde_json::from_slice(&found.stdout).expect("JSON");
    assert_eq!(r["value"]["hex"], "0xC0FE0001");
    assert_eq!(r["description"], "The first code.");
    assert_eq!(r["defined_at"][0]["source"], "mine");
    // WERR_KB selects the file as --kb does.
    werr()
        .env("WERR_KB", &kb)
        .args(["show", "MY_FIRST_CODE"])
        .assert()
        .success();
    // The default answers beneath the KB file: its names are there too.
    werr()
        .args(["show", "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION", "--kb"])
        .arg(&kb)
        .assert()
        .success();
    let missing = werr()
        .args(["show", "NOT_READ", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    assert!(
        !missing.status.success(),
        "a name of the binary file was imported"
    );
}

#[test]
fn killed_import_leaves_the_previous_kb_intact_and_readable() {
    let (Some(mingw), Some(zig)) = (
        werr_testdata::fixture("mingw-w64-common-10.0.0/usr/share/mingw-w64/include"),
        werr_testdata::fixture("ziglang-0.15.1/ziglang/lib/libc/include/any-windows-any"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let small = dir.path().join("small");
    std::fs::create_dir(&small).expect("mkdir");
    tree_with_bad_files(&small);
    let kb = dir.path().join("user.kb");
    // Status 1 for binary.h, with good.h imported.
    werr()
        .args(["import"])
        .arg(&small)
        .args(["--source", "small", "--version", "1", "--kb"])
        .arg(&kb)
        .assert()
        .code(1);
    let wal = kb.with_extension("kb-wal");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("werr"))
        .args(["import", "--all-defines"])
        .arg(&mingw)
        .arg(&zig)
        .args(["--source", "big", "--version", "1", "--kb"])
        .arg(&kb)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn the import");
    // Kill it while it writes: once the write-ahead log holds megabytes of the uncommitted
    // transaction.
    let start = Instant::now();
    let mut killed = false;
    while start.elapsed() < Duration::from_secs(300) {
        if child.try_wait().expect("poll the child").is_some() {
            break;
        }
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 4_000_000) {
            child.kill().expect("kill -9 the import");
            killed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.wait();
    assert!(
        killed,
        "the import finished before it could be killed; the test needs a larger input"
    );
    let shown = werr()
        .args(["show", "MY_FIRST_CODE", "--json", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    assert!(
        shown.status.success(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    let r: Value =
        serde_json::from_slice(&shown.stdout).expect("the KB is readable after the kill");
    assert_eq!(r["defined_at"][0]["source"], "small");
    let diff = werr()
        .args(["diff", "small@1", "big@1", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    assert_eq!(
        diff.status.code(),
        Some(1),
        "source big exists after a killed import"
    );
}

#[test]
fn what_people_paste_finds_its_value() {
    for words in [
        &["Error", "0x80070005"][..],
        &["(0x80070005)"],
        &["0x80070005,"],
        &["HRESULT:", "0x80070005"],
        &["hr=0x80070005"],
        &["Exception from HRESULT: 0x80070005"],
        &["0x80070005 (-2147024891)"],
    ] {
        let out = run_ok(words);
        let first = out.lines().next().unwrap_or("");
        assert!(first.contains("E_ACCESSDENIED"), "{words:?}: {out}");
        assert!(!out.contains("0x80070005:"), "one query, not two: {out}");
    }
    let out = run_ok(&["error", "code", "1603"]);
    assert!(
        out.starts_with("0x00000643  ERROR_INSTALL_FAILURE"),
        "{out}"
    );
}

#[test]
fn queries_come_one_per_line_from_standard_input() {
    let out = werr()
        .write_stdin("0x5\n\nhr=0xC0000005\n")
        .output()
        .expect("werr runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("0x5:\n0x00000005  ERROR_ACCESS_DENIED"),
        "{text}"
    );
    assert!(
        text.contains("0xC0000005  STATUS_ACCESS_VIOLATION"),
        "{text}"
    );
    let dash = werr()
        .arg("-")
        .write_stdin("E_FAIL\n")
        .output()
        .expect("werr runs");
    let text = String::from_utf8(dash.stdout).expect("UTF-8");
    assert!(text.starts_with("0x80004005  E_FAIL"), "{text}");
}

#[test]
fn words_that_are_no_code_are_searched_as_a_phrase_windows_wording_first() {
    let out = run_ok(&["module", "could", "not", "be", "found"]);
    let first = out.lines().next().unwrap_or("");
    assert!(first.contains("ERROR_MOD_NOT_FOUND"), "{out}");
    let out = run_ok(&["search", "The specified module could not be found"]);
    let first = out.lines().next().unwrap_or("");
    assert!(first.contains("ERROR_MOD_NOT_FOUND"), "{out}");
}

#[test]
fn import_reads_documentation_pages_and_reports_what_it_skipped() {
    let Some(debug) = werr_testdata::corpus("msdocs/win32/Debug") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("docs.kb");
    let out = werr()
        .args(["import"])
        .arg(&debug)
        .args(["--source", "docs", "--version", "1", "--kb"])
        .arg(&kb)
        .output()
        .expect("werr runs");
    // Lines it skipped are problems reported: the import stores the rest and exits 1.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The ten system error pages; the other Debug pages list no codes.
    assert!(stdout.contains(": 10 files, 2745 definitions"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "system-error-codes--12000-15999-.md:18: \"ERROR_INTERNET_*\" is not a code name"
        ),
        "{stderr}"
    );
    let r: Value = serde_json::from_slice(
        &werr()
            .args(["show", "ERROR_MOD_NOT_FOUND", "--json", "--kb"])
            .arg(&kb)
            .output()
            .expect("werr runs")
            .stdout,
    )
    .expect("JSON");
    let places = r["defined_at"].as_array().expect("defined_at");
    assert!(
        places.iter().any(|d| d["source"] == "docs"
            && d["file"] == "system-error-codes--0-499-.md"
            && d["line"] == 1240
            && d["definition"] == "ERROR_MOD_NOT_FOUND 126 (0x7E)"),
        "{places:?}"
    );
}

/// A header defining one code, `WERR_TEST_ACCESS` = 0x20001234, imported by the KB access tests.
fn access_header(dir: &Path) -> std::path::PathBuf {
    let header = dir.join("access.h");
    std::fs::write(
        &header,
        "// MessageId: WERR_TEST_ACCESS\n//\n// MessageText:\n//\n// Shared KB test.\n//\n#define WERR_TEST_ACCESS ((DWORD)0x20001234L)\n",
    )
    .expect("write access.h");
    header
}

#[test]
fn kb_naming_a_folder_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        vec!["5"],
        vec!["search", "access denied"],
        vec!["import", "."],
    ] {
        let out = werr()
            .args(&args)
            .arg("--kb")
            .arg(dir.path())
            .output()
            .expect("werr runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{} is a folder; a KB is a file",
                dir.path().display()
            )),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn importing_a_device_or_a_text_file_reports_it_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("k.kb");
    let out = werr()
        .args(["import", "/dev/zero", "--kb"])
        .arg(&kb)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("/dev/zero: not a file or a folder (a device, pipe or socket)"),
        "{stderr}"
    );
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "nothing to import\n").expect("write");
    let out = werr()
        .arg("import")
        .arg(&text)
        .arg("--kb")
        .arg(&kb)
        .output()
        .expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
}

#[test]
fn huge_queries_are_answered_without_sqlite_errors_and_echoed_cut() {
    let query = "q".repeat(131_000);
    for command in ["lookup", "search", "show"] {
        let out = werr().args([command, &query]).output().expect("werr runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("SQLite"), "{command}: {stderr}");
        assert!(
            stderr.len() < 1000,
            "{command}: {} bytes of stderr",
            stderr.len()
        );
        assert!(
            stderr.contains("(131000 characters)"),
            "{command}: {stderr}"
        );
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
    }
}

/// Runs `werr` as user `uid` (through setpriv, which needs root); `None` when this cannot be
/// arranged (not root), after saying so.
#[cfg(unix)]
fn werr_as(uid: u32) -> Option<Command> {
    use std::os::unix::fs::MetadataExt;
    let me = std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX);
    if me != 0 {
        eprintln!("SKIPPED: running werr as another user needs root");
        return None;
    }
    let setpriv = werr_testdata::tool("setpriv")?;
    let mut c = Command::new(setpriv);
    c.args([
        format!("--reuid={uid}"),
        format!("--regid={uid}"),
        "--clear-groups".to_string(),
    ])
    .arg(assert_cmd::cargo::cargo_bin("werr"))
    .env_remove("WERR_KB");
    Some(c)
}

#[cfg(unix)]
#[test]
fn a_kb_others_cannot_write_is_readable_and_stays_writable_by_its_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    const OWNER: u32 = 65534;
    const READER: u32 = 65533;
    let (Some(_), Some(_)) = (werr_as(OWNER), werr_as(READER)) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    access_header(dir.path());
    let run = |uid: u32, args: &[&str]| {
        werr_as(uid)
            .expect("setpriv")
            .current_dir(dir.path())
            .args(args)
            .output()
            .expect("werr runs")
    };
    // A shared folder (sticky and writable by all, like /tmp): the owner imports, another user
    // reads, the owner imports again.
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).expect("mkdir");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
    let owner_imports = |source: &str| {
        let out = run(
            OWNER,
            &[
                "import",
                "--kb",
                "shared/k.kb",
                "access.h",
                "--source",
                source,
            ],
        );
        assert!(
            out.status.success(),
            "the owner's import {source} fails: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    owner_imports("one");
    let out = run(
        READER,
        &["--kb", "shared/k.kb", "lookup", "WERR_TEST_ACCESS"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the reader cannot read: {stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0x20001234"));
    for entry in std::fs::read_dir(&shared).expect("list").flatten() {
        let owner = entry.metadata().expect("stat").uid();
        assert_eq!(
            owner,
            OWNER,
            "{} belongs to the reader",
            entry.path().display()
        );
    }
    owner_imports("two");
    // A folder and a file no one but root can write: readable by all the same.
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).expect("mkdir");
    let out = werr()
        .current_dir(dir.path())
        .args(["import", "--kb", "locked/k.kb", "access.h"])
        .output()
        .expect("werr runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(locked.join("k.kb"), std::fs::Permissions::from_mode(0o444))
        .expect("chmod");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let out = run(READER, &["--kb", "locked/k.kb", "show", "WERR_TEST_ACCESS"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "a read-only KB cannot be read: {stderr}"
    );
    // Importing into it says what blocks the import.
    let out = run(
        READER,
        &["import", "--kb", "locked/k.kb", "access.h", "--source", "x"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("locked/k.kb: cannot write this KB: locked/k.kb is not writable by you (owned by uid 0)"),
        "{stderr}"
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn a_second_import_waits_for_the_first_then_names_the_file_and_the_writer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let header = access_header(dir.path());
    let kb = dir.path().join("k.kb");
    let import = |wait: &str, source: &str| {
        werr()
            .arg("import")
            .arg(&header)
            .args(["--wait", wait, "--source", source, "--kb"])
            .arg(&kb)
            .output()
            .expect("werr runs")
    };
    assert!(import("1", "first").status.success());
    // This test process takes the write lock, as another import would.
    let holder = werr_kb::Kb::open(&kb).expect("opens");
    holder
        .connection()
        .execute_batch("BEGIN; DELETE FROM main.sources WHERE 0")
        .expect("write lock");
    let started = Instant::now();
    let out = import("2", "second");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() >= Duration::from_secs(2), "did not wait");
    let pid = std::process::id();
    assert!(
        stderr.contains(&format!(
            "{}: another program is writing this KB (process {pid}, `",
            kb.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("waited 2 s for it to finish"), "{stderr}");
    // A writer that finishes within the wait lets the import through.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        holder.connection().execute_batch("COMMIT").expect("commit");
    });
    let started = Instant::now();
    let out = import("60", "third");
    release.join().expect("released");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() >= Duration::from_millis(1000));
}
#[test]
fn import_reads_welm_databases_and_names_their_releases() {
    let Some(welm) = werr_testdata::corpus("welm") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("k.kb");
    let vista = welm.join("windows_vista_sp2_enterprise_x64_6.0.6002.0.db");
    let seven = welm.join("windows_7_sp1_enterprise_x64_6.1.7601.0.db");
    let out = werr()
        .args(["import", "--source", "events", "--version", "1", "--kb"])
        .arg(&kb)
        .arg(&vista)
        .arg(&seven)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(": 2 files, 0 definitions, 0 messages, ")
            && stdout.ends_with(" event texts of 2 Windows releases\n"),
        "{stdout}"
    );
    // A release name that is not one is refused before anything is read.
    for bad in ["Windows 7", "7,sp1", "Vista"] {
        let out = werr()
            .args(["import", "--kb"])
            .arg(&kb)
            .arg(&vista)
            .args(["--release", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not a release name"));
    }
}
