//! End-to-end tests of `werr format` on the real binary.

use crate::common::werr;
use serde_json::Value;

/// Runs `werr format ARGS...`, expects success, returns stdout as bytes.
fn format_ok(args: &[&str]) -> Vec<u8> {
    let out = werr().arg("format").args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "werr format {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn prints_the_rendered_text_exactly_with_no_newline_added() {
    let out = format_ok(&[
        "%1!d! of %2!d! writers agree: Soccer is %3%!",
        "4",
        "5",
        "Best",
    ]);
    assert_eq!(out, b"4 of 5 writers agree: Soccer is Best!");
}

#[test]
fn hard_breaks_are_crlf_in_the_output_bytes() {
    assert_eq!(
        format_ok(&["one%ntwo%rthree%tfour"]),
        b"one\r\ntwo\rthree\tfour"
    );
}

#[test]
fn line_feeds_of_the_text_become_crlf() {
    assert_eq!(format_ok(&["hi\nthere\n"]), b"hi\r\nthere\r\n");
}

#[test]
fn percent_zero_ends_the_output() {
    assert_eq!(format_ok(&["Continue? %0(ignored)"]), b"Continue? ");
}

#[test]
fn integer_arguments_follow_their_conversion() {
    assert_eq!(
        format_ok(&[
            "[%1!08X!] [%2!-5d!] [%3!#o!] [%4!u!]",
            "0xC0000005",
            "-7",
            "8",
            "-1"
        ]),
        b"[C0000005] [-7   ] [010] [4294967295]"
    );
}

#[test]
fn star_width_and_precision_read_the_arguments_in_array_order() {
    // Microsoft's own example: "  Bi Bob   Bill".
    assert_eq!(
        format_ok(&["%1!*.*s! %4 %5!*s!", "4", "2", "Bill", "Bob", "6", "Bill"]),
        b"  Bi Bob   Bill"
    );
}

#[test]
fn max_width_wraps_lines_at_spaces() {
    assert_eq!(
        format_ok(&["--max-width", "11", "short long line"]),
        b"short long\r\nline"
    );
}

#[test]
fn max_width_max_turns_line_breaks_into_spaces() {
    assert_eq!(
        format_ok(&["--max-width", "max", "a\r\nb%nc\n"]),
        b"a b\r\nc "
    );
    assert_eq!(format_ok(&["--max-width", "255", "a\nb"]), b"a b");
}

#[test]
fn ignore_inserts_keeps_inserts_verbatim() {
    assert_eq!(
        format_ok(&["--ignore-inserts", "File %1 has %2!d! errors (100%%).%n"]),
        b"File %1 has %2!d! errors (100%%).\r\n"
    );
}

#[test]
fn json_prints_an_object_with_the_text() {
    let out = format_ok(&["--json", "File %1%n", "C:\\x.sys"]);
    let doc: Value = serde_json::from_slice(&out).expect("valid JSON");
    assert_eq!(doc, serde_json::json!({ "text": "File C:\\x.sys\r\n" }));
}

#[test]
fn missing_argument_exits_2_naming_the_insert_and_position() {
    let out = werr()
        .args(["format", "Copy %1 to %2.", "a.txt"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("%2") && err.contains("byte 11"), "{err}");
}

#[test]
fn non_integer_for_d_exits_2_naming_the_argument() {
    let out = werr()
        .args(["format", "Count: %1!d!", "many"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("%1") && err.contains("byte 7") && err.contains("`many`"),
        "{err}"
    );
}

#[test]
fn trailing_lone_percent_exits_2_with_its_position() {
    let out = werr().args(["format", "50%"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("byte 2"), "{err}");
}

#[test]
fn unsupported_float_conversion_exits_2() {
    let out = werr()
        .args(["format", "%1!f!", "1.5"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`f`"), "{err}");
}

#[test]
fn bad_width_exits_2() {
    let out = werr()
        .args(["format", "--max-width", "300", "x"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn renders_a_real_message_of_the_corpus() {
    // Wine's winerror.mc, ERROR_BAD_EXE_FORMAT: "Bad EXE format for %1." (CRLF-terminated,
    // as mc.exe stores message text).
    let Some(path) = werr_testdata::corpus("wine-mc/winerror.mc") else {
        return;
    };
    let mc = std::fs::read_to_string(path).unwrap();
    let line = mc
        .lines()
        .find(|l| l.starts_with("Bad EXE format for %1"))
        .expect("ERROR_BAD_EXE_FORMAT text in winerror.mc");
    let text = format!("{line}\r\n");
    assert_eq!(
        format_ok(&[&text, "C:\\app.exe"]),
        b"Bad EXE format for C:\\app.exe.\r\n"
    );
}

/// A KB file holding the messages of ReactOS' neteventmsg.mc (English, Russian, French,
/// Polish), made with `werr import`; `None` when the corpus is missing.
fn netevent_kb() -> Option<(tempfile::TempDir, String)> {
    let mc = werr_testdata::corpus("reactos-mc/neteventmsg.mc")?;
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("netevent.db").display().to_string();
    import_into(&mc, &kb);
    Some((dir, kb))
}

#[test]
fn format_id_renders_the_kb_text_with_the_arguments() {
    let Some((_dir, kb)) = netevent_kb() else {
        return;
    };
    let args = ["5.1", "2600", "Service Pack 3", "Uniprocessor"];
    let expected = b"ReactOS 5.1 2600 Service Pack 3 Uniprocessor.\r\n";
    // The event id (6009), the full message id, and the symbolic name select the same text.
    for id in ["6009", "0x80001779", "EVENT_EventLogProductInfo"] {
        let mut argv = vec!["--id", id, "--kb", &kb];
        argv.extend(args);
        assert_eq!(format_ok(&argv), expected, "--id {id}");
    }
    assert_eq!(
        format_ok(&["--id", "6005", "--kb", &kb]),
        b"The Event log service was started.\r\n"
    );
}

#[test]
fn format_id_lang_picks_the_language_then_falls_back_to_english() {
    let Some((_dir, kb)) = netevent_kb() else {
        return;
    };
    let with = |lang: &str| format_ok(&["--id", "6000", "--lang", lang, "--kb", &kb, "System"]);
    assert_eq!(
        with("fr"),
        "Le fichier de journalisation System est plein.\r\n".as_bytes()
    );
    assert_eq!(
        with("pl-PL"),
        "Plik dziennika System jest zapełniony.\r\n".as_bytes()
    );
    assert_eq!(
        with("0x419"),
        "Файл журнала \"System\" заполнен.\r\n".as_bytes()
    );
    // Japanese is not in the file: en-US answers, and stderr says so.
    assert_eq!(with("ja"), b"The System log file is full.\r\n");
    let out = werr()
        .args([
            "format", "--id", "6000", "--lang", "ja", "--kb", &kb, "System",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "werr: no text in ja; showing en-US\n"
    );
    let polish = werr()
        .args([
            "format", "--id", "6000", "--lang", "pl", "--kb", &kb, "System",
        ])
        .output()
        .expect("runs");
    assert!(polish.stderr.is_empty(), "no fallback to tell");
}

#[test]
fn format_id_of_a_missing_message_exits_1_naming_it() {
    let Some((_dir, kb)) = netevent_kb() else {
        return;
    };
    let out = werr()
        .args(["format", "--id", "0x12345", "--kb", &kb])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no message 0x00012345 in the KB"), "{err}");
}

#[test]
fn format_id_types_arguments_by_the_insert_spec() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mc = dir.path().join("typed.mc");
    std::fs::write(
        &mc,
        "MessageId=0x10\nSymbolicName=MSG_COUNTS\nLanguage=English\n\
         %1!d! of %2!04x! blocks on %3 (%4!c!)\n.\n",
    )
    .expect("write");
    let kb = dir.path().join("typed.db").display().to_string();
    import_into(&mc, &kb);
    assert_eq!(
        format_ok(&["--id", "0x10", "--kb", &kb, "0x1F", "255", "C:", "y"]),
        b"31 of 00ff blocks on C: (y)\r\n"
    );
    // A text argument where the spec wants an integer is a format error: status 2, naming
    // the insert.
    let out = werr()
        .args([
            "format", "--id", "0x10", "--kb", &kb, "many", "1", "C:", "y",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("%1"), "{err}");
}

/// `werr import MC --kb KB`, which must succeed.
fn import_into(mc: &std::path::Path, kb: &str) {
    let out = werr()
        .args(["import", mc.to_str().expect("utf-8"), "--kb", kb])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_past_the_limit_is_refused_unless_raised() {
    // 60,000 inserts of a 120 KB argument asked for one 7.2 GB buffer.
    let text = "%1".repeat(60_000);
    let arg = "x".repeat(120_000);
    let out = werr()
        .args(["format", &text, &arg])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("the rendered text would pass 65536 bytes")
            && err.contains("(--max-output SIZE raises the limit)"),
        "{err}"
    );
    let out = werr()
        .args(["format", "--max-output", "1M", "%1%1%1", &arg])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout.len(), 360_000);
}

/// On the embedded KB, whose kernelbase.dll is Wine's ("Out of memory." for 14) and whose
/// netevent.dll is ReactOS's: an English Win32 error text is Microsoft's own, as
/// FormatMessage returns it; another language, or another module, is the rewrite's text;
/// stderr says which.
#[test]
fn embedded_texts_say_whose_they_are_and_prefer_windows_words() {
    let run = |args: &[&str]| {
        let out = werr().arg("format").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (text, note) = run(&["--id", "14"]);
    assert_eq!(
        text,
        "Not enough storage is available to complete this operation.\r\n"
    );
    assert!(
        note.starts_with("werr: Microsoft's text of Win32 error 14 (msdocs-win32 ")
            && note.contains("the KB's kernelbase.dll is Wine's"),
        "{note}"
    );
    let (text, note) = run(&["--id", "14", "--lang", "de"]);
    assert_eq!(text, "Kein Arbeitsspeicher mehr.\r\n");
    assert_eq!(
        note,
        "werr: the text of kernelbase.dll as Wine writes it (wine 8.0): Windows' wording can differ\n"
    );
    let (text, note) = run(&["--id", "6005"]);
    assert_eq!(text, "The Event log service was started.\r\n");
    assert!(
        note.contains("netevent.dll as ReactOS writes it (reactos git)"),
        "{note}"
    );
    // A Win32 error Wine's table lacks is still in the system's table on Windows.
    let (text, note) = run(&["--id", "1275"]);
    assert_eq!(text, "This driver has been blocked from loading.\r\n");
    assert!(
        note.starts_with("werr: Microsoft's text of Win32 error 1275 (msdocs-win32 ")
            && note.contains("the KB's kernelbase.dll is Wine's"),
        "{note}"
    );
    // Not in German: no text, as before.
    let out = werr()
        .args(["format", "--id", "1275", "--lang", "de"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
