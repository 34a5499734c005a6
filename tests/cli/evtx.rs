//! End-to-end tests of `werr evtx` and `werr import --provider`, on the real binary and the
//! corpus event logs.

use crate::common::werr;
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A KB file in `dir` with ReactOS's neteventmsg.mc imported for EventLog and Service
/// Control Manager.
fn netevent_kb(dir: &Path) -> Option<PathBuf> {
    let mc = werr_testdata::corpus("reactos-mc/neteventmsg.mc")?;
    let kb = dir.join("test.kb");
    let out = werr()
        .arg("import")
        .arg("--kb")
        .arg(&kb)
        .arg(&mc)
        .args([
            "--provider",
            "EventLog",
            "--provider",
            "Service Control Manager",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("provider \"EventLog\": messages from neteventmsg.mc"),
        "{stderr}"
    );
    Some(kb)
}

/// Runs `cmd`, which must succeed, and returns its stdout and stderr.
fn succeeds(cmd: &mut Command) -> (Vec<u8>, String) {
    let out = cmd.output().expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (out.stdout, stderr)
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect()
}

#[test]
fn json_lines_carry_the_record_and_its_rendered_message() {
    let dir = tempfile::tempdir().unwrap();
    let (Some(kb), Some(log)) = (
        netevent_kb(dir.path()),
        werr_testdata::corpus("evtx/system.evtx"),
    ) else {
        return;
    };
    let (stdout, stderr) = succeeds(
        werr()
            .arg("evtx")
            .arg("--kb")
            .arg(&kb)
            .arg(&log)
            .arg("--json"),
    );
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), 1881);
    let first = &lines[0];
    for key in [
        "record_id",
        "time",
        "level",
        "provider",
        "event_id",
        "qualifiers",
        "inserts",
        "message",
        "message_source",
        "message_lang",
        "message_error",
    ] {
        assert!(first.get(key).is_some(), "key {key} in {first}");
    }
    assert_eq!(first["record_id"], 1);
    assert_eq!(first["event_id"], 6009);
    assert_eq!(first["qualifiers"], 0x8000);
    assert_eq!(first["message_id"], 0x8000_1779u32);
    assert_eq!(
        first["message"],
        "ReactOS 10.00. 15063  Multiprocessor Free.\r\n"
    );
    assert_eq!(first["message_source"], "neteventmsg.mc");
    assert_eq!(first["message_lang"], "en-US");
    assert_eq!(first["message_error"], Value::Null);
    // A user's own import is what they chose: no note on whose table it is.
    assert_eq!(first["message_note"], Value::Null);

    let time_change = lines
        .iter()
        .find(|l| l["event_id"] == 6013)
        .expect("a 6013 record");
    assert_eq!(time_change["message"], Value::Null);
    assert_eq!(
        time_change["message_error"],
        "message id 0x8000177D (event id 6013) is not in neteventmsg.mc, netevent.dll"
    );

    // Service Control Manager 7045 is not in ReactOS's file: the default KB's event text of
    // the newest Windows release serves.
    let installed = lines
        .iter()
        .find(|l| l["provider"] == "Service Control Manager" && l["event_id"] == 7045)
        .expect("a 7045 record");
    let message = installed["message"].as_str().unwrap();
    assert!(
        message.starts_with("A service was installed in the system."),
        "{message}"
    );
    assert!(message.contains(installed["inserts"][0].as_str().unwrap()));
    assert_eq!(installed["message_match"], "event_id");
    assert_eq!(installed["message_release"], "10-1703");
    assert_eq!(installed["message_source"], "welm 2.3.0.0");
    assert_eq!(first["message_release"], Value::Null);

    // 51 records from neteventmsg.mc, Workstation's from the default KB's netmsg.dll, the
    // others from event texts.
    assert!(
        stderr.contains(
            "1881 records read, 1881 shown, 1490 rendered (11 of them with inserts the record \
             lacks, left as written), 0 problems"
        ),
        "{stderr}"
    );
    // Disk and cdrom have iologmsg.dll (ReactOS's table lacks their id): a source, no message.
    assert!(
        stderr.contains(
            "4 providers with no message source (360 records): BTHUSB (66), Lfsvc (2), \
             e1iexpress (289), vmci (3)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "providers with records whose message is not in their modules: Disk (3), \
             EventLog (24), Serial (1), cdrom (1)"
        ),
        "{stderr}"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["message_source"] == "neteventmsg.mc")
            .count(),
        51
    );
}

#[test]
fn text_lines_filter_by_provider_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let (Some(kb), Some(log)) = (
        netevent_kb(dir.path()),
        werr_testdata::corpus("evtx/system.evtx"),
    ) else {
        return;
    };
    let out = werr()
        .arg("evtx")
        .arg("--kb")
        .arg(&kb)
        .arg(&log)
        .args(["--provider", "service control manager", "--id", "7040"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 24);
    assert_eq!(
        lines[0],
        "2017-07-12T07:20:03.8755677Z Information Service Control Manager 7040 The start type of \
         the Background Intelligent Transfer Service service was changed from demand start to \
         auto start."
    );
}

#[test]
fn corrupted_log_reports_the_bad_chunk_offset_and_renders_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (Some(kb), Some(log)) = (
        netevent_kb(dir.path()),
        werr_testdata::corpus("evtx/system.evtx"),
    ) else {
        return;
    };
    let mut data = std::fs::read(&log).unwrap();
    // Break chunk 1's signature: its records are lost, the others are not.
    data[0x11000] ^= 0xFF;
    let damaged = dir.path().join("damaged.evtx");
    std::fs::write(&damaged, &data).unwrap();
    let out = werr()
        .arg("evtx")
        .arg("--kb")
        .arg(&kb)
        .arg(&damaged)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The file had a problem: status 1, after every readable record is printed.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("at byte offset 0x11000 (chunk 1): unreadable chunk"),
        "{stderr}"
    );
    let lines = json_lines(&out.stdout);
    let ids: Vec<u64> = lines
        .iter()
        .map(|l| l["record_id"].as_u64().unwrap())
        .collect();
    assert!(!ids.is_empty() && ids.len() < 1881);
    assert!(ids.contains(&1) && ids.contains(&1881));
    let rendered = lines.iter().filter(|l| !l["message"].is_null()).count();
    assert!(rendered > 0);
    assert!(stderr.contains("1 problems"), "{stderr}");
}

#[test]
fn a_file_that_is_not_a_log_fails_and_the_others_still_print() {
    let (Some(mc), Some(log)) = (
        werr_testdata::corpus("reactos-mc/neteventmsg.mc"),
        werr_testdata::corpus("evtx/TestLogX.evtx"),
    ) else {
        return;
    };
    let out = werr()
        .arg("evtx")
        .arg(&mc)
        .arg(&log)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not an .evtx file"), "{stderr}");
    assert_eq!(json_lines(&out.stdout).len(), 5);
    assert!(
        stderr.contains("1 provider with no message source (5 records): TestAppX (5)"),
        "{stderr}"
    );
}

#[test]
fn import_provider_requires_message_files() {
    // A header imports definitions but no message texts: --provider has nothing to register.
    let dir = tempfile::tempdir().unwrap();
    let header = dir.path().join("codes.h");
    std::fs::write(
        &header,
        "// MessageId: MY_CODE\n//\n// MessageText:\n//\n// A code.\n//\n#define MY_CODE ((DWORD)0xC0FE0001L)\n",
    )
    .unwrap();
    let out = werr()
        .arg("import")
        .arg("--kb")
        .arg(dir.path().join("k.kb"))
        .arg(&header)
        .args(["--provider", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--provider needs message files"));
}

#[test]
fn rejects_an_unknown_language() {
    let Some(log) = werr_testdata::corpus("evtx/TestLogX.evtx") else {
        return;
    };
    let out = werr()
        .arg("evtx")
        .arg(&log)
        .args(["--lang", "klingon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lang: unknown language `klingon`"));
}

#[test]
fn embedded_kb_renders_eventlog_through_the_built_in_module() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    // No import: the built-in map names netevent.dll for EventLog, and the default KB holds
    // that module's table (ReactOS's neteventmsg.mc, data/reactos-git.tsv).
    let out = werr()
        .arg("evtx")
        .arg(&log)
        .args(["--json", "--provider", "EventLog", "--id", "6005"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 3);
    for line in &lines {
        assert_eq!(line["message"], "The Event log service was started.\r\n");
        assert_eq!(line["message_source"], "netevent.dll");
        assert_eq!(line["message_error"], Value::Null);
        // The table is ReactOS's, and the record says so.
        assert_eq!(
            line["message_note"],
            "netevent.dll's text as ReactOS writes it, not Windows' own table: the wording can differ"
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr
            .lines()
            .any(|l| l.contains("no message source") && l.contains("EventLog")),
        "{stderr}"
    );
}

#[test]
fn folders_are_walked_for_evtx_files_in_name_order() {
    let (Some(test_log), Some(security)) = (
        werr_testdata::corpus("evtx/TestLogX.evtx"),
        werr_testdata::corpus("evtx/Security_short_selected.evtx"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(logs.join("nested")).unwrap();
    std::fs::copy(&test_log, logs.join("a.evtx")).unwrap();
    // Letter case of the extension does not matter; other files are not logs.
    std::fs::copy(&security, logs.join("nested").join("SECURITY.EVTX")).unwrap();
    std::fs::write(logs.join("notes.txt"), "not a log").unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();

    let (stdout, stderr) = succeeds(werr().arg("evtx").arg(&logs).arg("--json"));
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), 5 + 7);
    let files: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    assert!(
        files[..5].iter().all(|f| f.ends_with("a.evtx")),
        "{files:?}"
    );
    assert!(
        files[5..].iter().all(|f| f.ends_with("SECURITY.EVTX")),
        "{files:?}"
    );
    assert!(stderr.contains("12 records read"), "{stderr}");

    // A folder without a log is reported and fails the run; the logs found are still read.
    let out = werr().arg("evtx").arg(&logs).arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no .evtx file in this folder"), "{err}");
    assert!(
        err.contains("1 of 3 logs or folders could not be read"),
        "{err}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 12);
}

#[test]
fn a_kb_that_cannot_be_opened_fails_the_run_before_any_record_is_written() {
    // The KB is opened on another thread while the log is read: its failure must still stop
    // the run with nothing on stdout, on one thread and on several, and with no log at all.
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let not_a_kb = dir.path().join("not.kb");
    std::fs::write(&not_a_kb, vec![0x5a_u8; 8192]).unwrap();
    let missing_log = dir.path().join("missing.evtx");
    for (threads, input) in [("1", &log), ("2", &log), ("2", &missing_log)] {
        let out = werr()
            .arg("evtx")
            .arg("--kb")
            .arg(&not_a_kb)
            .args(["--threads", threads])
            .arg(input)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{threads} threads: {stderr}");
        assert!(out.stdout.is_empty(), "{threads} threads");
        assert!(stderr.contains("not.kb"), "{threads} threads: {stderr}");
    }
    // Several logs read at once: the same.
    for jobs in ["1", "2", "3"] {
        let out = werr()
            .arg("evtx")
            .arg("--kb")
            .arg(&not_a_kb)
            .args(["--jobs", jobs])
            .args([&log, &log, &missing_log, &log])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "--jobs {jobs}: {stderr}");
        assert!(out.stdout.is_empty(), "--jobs {jobs}");
        assert!(stderr.contains("not.kb"), "--jobs {jobs}: {stderr}");
    }
}

#[test]
fn a_closed_output_ends_the_run_quietly() {
    // `werr evtx big.evtx | head -1`: reading stops, no error, no summary.
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    // One log on one thread and on two; several logs read at once stop as one does.
    for (jobs, threads, logs) in [("1", "1", 1), ("1", "2", 1), ("2", "1", 3)] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_werr"))
            .env_remove("WERR_KB")
            .arg("evtx")
            .arg("--json")
            .args(["--jobs", jobs, "--threads", threads])
            .args(std::iter::repeat_n(&log, logs))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let stdout = child.stdout.take().unwrap();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut first).unwrap();
        assert!(first.starts_with("{\"file\":"), "{first}");
        // The reader is dropped here: the pipe is closed.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{jobs} jobs, {threads} threads: {stderr}"
        );
        assert!(
            !stderr.contains("records read"),
            "{jobs} jobs, {threads} threads: {stderr}"
        );
    }
}

#[test]
fn a_module_s_event_manifest_gives_manifest_records_their_message_ids() {
    // wevtsvc.dll (Windows 10, from the `evtx` crate's package) declares the
    // Microsoft-Windows-Eventlog provider; its texts are in its .mui file, not shipped. The two
    // records of that provider in system.evtx (EventID 104) get their message id from the
    // manifest, and say where the text would come from.
    let (Some(dll), Some(log)) = (
        werr_testdata::cargo_registry_file("evtx-", "samples/dlls/wevtsvc.dll"),
        werr_testdata::corpus("evtx/system.evtx"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("k.kb");
    let (stdout, _) = succeeds(
        werr()
            .args(["import", "--source", "windows", "--version", "10", "--kb"])
            .arg(&kb)
            .arg(&dll),
    );
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(
        stdout.contains("0 messages, 44 event manifest entries"),
        "{stdout}"
    );
    let (stdout, _) = succeeds(
        werr()
            .arg("evtx")
            .arg("--kb")
            .arg(&kb)
            .args(["--json", "--provider", "Microsoft-Windows-Eventlog"])
            .arg(&log),
    );
    let lines = json_lines(&stdout);
    assert_eq!(lines.len(), 2);
    for record in &lines {
        assert_eq!(record["event_id"], 104);
        assert_eq!(record["message_id"], 104);
        assert_eq!(record["message_id_rule"], "manifest");
        // No module has the text; the default KB's event text of the event serves.
        assert_eq!(
            record["message"].as_str().unwrap(),
            format!(
                "The {} log file was cleared.",
                record["inserts"][2].as_str().unwrap()
            )
        );
        assert_eq!(record["message_match"], "event_id");
    }
}

#[test]
fn windows_names_the_release_whose_event_texts_render() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let scm = |windows: Option<&str>| {
        let mut cmd = werr();
        cmd.arg("evtx").arg(&log).args([
            "--json",
            "--provider",
            "Service Control Manager",
            "--id",
            "7026",
        ]);
        if let Some(w) = windows {
            cmd.args(["--windows", w]);
        }
        let (stdout, _) = succeeds(&mut cmd);
        json_lines(&stdout)
    };
    let newest = scm(None);
    assert_eq!(newest.len(), 3);
    assert_eq!(newest[0]["message_release"], "10-1703");
    assert!(newest[0]["message"]
        .as_str()
        .unwrap()
        .contains("driver(s) did not load"));
    let seven = scm(Some("7"));
    assert_eq!(seven[0]["message_release"], "7-sp1");
    assert!(seven[0]["message"]
        .as_str()
        .unwrap()
        .contains("driver(s) failed to load"));
    assert_eq!(seven[0]["message_note"], Value::Null);
    // A release without the event: the newest release's text, and the note says so.
    let (stdout, _) = succeeds(
        werr()
            .arg("evtx")
            .arg(&log)
            .args(["--json", "--windows", "vista-sp2", "--id", "1014"])
            .args(["--provider", "Microsoft-Windows-DNS-Client"]),
    );
    let dns = json_lines(&stdout);
    assert_eq!(dns[0]["message_release"], "10-1703");
    assert_eq!(
        dns[0]["message_note"],
        "Windows vista-sp2 has no text for this event; the text is 10-1703's"
    );
}

#[test]
fn an_unknown_windows_release_is_a_usage_error_listing_the_names() {
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let out = werr()
        .arg("evtx")
        .arg(&log)
        .args(["--windows", "xp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no Windows release \"xp\" in the KB; name one of: vista-sp2, 2008-sp2"),
        "{stderr}"
    );
    assert!(stderr.contains("10-1607, 10-1703"), "{stderr}");
}

#[test]
fn text_lines_without_a_message_show_their_inserts_and_the_summary_says_how_to_add_them() {
    // With the default KB, system.evtx has 366 records of 8 providers with no message source:
    // each is one short line with its inserts; how to add the providers is said once.
    let Some(log) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let out = werr().arg("evtx").arg(&log).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json = werr().arg("evtx").arg("--json").arg(&log).output().unwrap();
    let records = json_lines(&json.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), records.len());
    let mut without = 0;
    for (line, record) in lines.iter().zip(&records) {
        assert!(!line.contains("werr import"), "{line}");
        if record["message"].is_null() {
            without += 1;
            let inserts: Vec<&str> = record["inserts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap())
                .collect();
            let expected = if inserts.is_empty() {
                "[no message]".to_string()
            } else {
                let folded: Vec<String> = inserts
                    .iter()
                    .map(|i| i.split_whitespace().collect::<Vec<_>>().join(" "))
                    .collect();
                format!("[no message] inserts: {}", folded.join(" | "))
            };
            assert!(line.ends_with(&expected), "{line}");
        }
    }
    // 1,490 of the 1,881 render with the default KB alone.
    assert_eq!(without, 391, "records without a message");
    assert_eq!(
        stderr.matches("werr import FILE --provider NAME").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("4 providers with no message source (360 records): BTHUSB (66)"),
        "{stderr}"
    );
    // The records whose text is ReactOS's netevent.dll, as their notes say one by one, are
    // counted once in the summary: a reader of the text lines learns it there.
    let mut reactos = std::collections::BTreeMap::<&str, usize>::new();
    for r in &records {
        if r["message_note"]
            .as_str()
            .is_some_and(|n| n.contains("'s text as ReactOS writes it"))
        {
            *reactos.entry(r["provider"].as_str().unwrap()).or_default() += 1;
        }
    }
    assert!(reactos.contains_key("EventLog"), "{reactos:?}");
    let listed: Vec<String> = reactos.iter().map(|(p, n)| format!("{p} ({n})")).collect();
    assert!(
        stderr.contains(&format!(
            "providers with records whose text is ReactOS's table, not Windows' own (the \
             wording can differ): {}\n",
            listed.join(", ")
        )) || stderr.ends_with(&listed.join(", ")),
        "{stderr}"
    );
}

#[test]
fn security_audit_records_read_as_audit_success_or_failure() {
    // Security_short_selected.evtx: level 0 (LogAlways) records whose Keywords carry the
    // audit keyword, 0x0020000000000000 (success: 4611) or 0x0010000000000000 (failure).
    let Some(log) = werr_testdata::corpus("evtx/Security_short_selected.evtx") else {
        return;
    };
    let json = werr().arg("evtx").arg("--json").arg(&log).output().unwrap();
    let records = json_lines(&json.stdout);
    assert_eq!(records.len(), 7);
    let text = werr().arg("evtx").arg(&log).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (record, line) in records.iter().zip(text.lines()) {
        let keywords = record["keywords"].as_str().unwrap();
        let bits = u64::from_str_radix(keywords.trim_start_matches("0x"), 16).unwrap();
        let expected = if bits & 0x0010_0000_0000_0000 != 0 {
            "Audit Failure"
        } else {
            assert_ne!(bits & 0x0020_0000_0000_0000, 0, "{keywords}");
            "Audit Success"
        };
        assert_eq!(record["level"], 0);
        assert_eq!(record["level_name"], expected, "{record}");
        let time = record["time"].as_str().unwrap();
        assert!(line.starts_with(&format!("{time} {expected} ")), "{line}");
        seen.insert(record["event_id"].as_u64().unwrap(), expected);
    }
    assert_eq!(seen[&4611], "Audit Success");
    assert_eq!(seen[&4625], "Audit Failure");
    // Records without audit keywords keep their level's name.
    let Some(system) = werr_testdata::corpus("evtx/system.evtx") else {
        return;
    };
    let json = werr()
        .arg("evtx")
        .arg("--json")
        .arg(&system)
        .output()
        .unwrap();
    assert!(json_lines(&json.stdout)
        .iter()
        .all(|r| !r["level_name"].as_str().unwrap_or("").starts_with("Audit")));
}

#[test]
fn format_chooses_the_shape_and_json_stays_its_alias() {
    let Some(log) = werr_testdata::corpus("evtx/Security_short_selected.evtx") else {
        return;
    };
    let run = |args: &[&str]| succeeds(werr().arg("evtx").arg(&log).args(args)).0;
    let json = run(&["--json"]);
    assert_eq!(json_lines(&json).len(), 7);
    assert_eq!(run(&["--format", "json"]), json);
    assert_eq!(run(&["--format", "text"]), run(&[]));
    let ecs = json_lines(&run(&["--format", "ecs"]));
    let timesketch = json_lines(&run(&["--format", "timesketch"]));
    let records = json_lines(&json);
    assert_eq!((ecs.len(), timesketch.len()), (7, 7));
    let ecs_created = &ecs[0]["event"]["created"];
    assert!(
        ecs_created.as_str().unwrap().ends_with('Z'),
        "{ecs_created}"
    );
    for ((record, ecs), event) in records.iter().zip(&ecs).zip(&timesketch) {
        assert_eq!(ecs["winlog"]["record_id"], record["record_id"]);
        assert_eq!(ecs["@timestamp"], record["time"]);
        assert_eq!(ecs["message"], record["message"]);
        // The run's start, the same on every line.
        assert_eq!(&ecs["event"]["created"], ecs_created);
        assert_eq!(event["record_number"], record["record_id"]);
        assert_eq!(event["data_type"], "windows:evtx:record");
    }
    // One shape at a time: --json with another --format is a usage error.
    let out = werr()
        .arg("evtx")
        .arg(&log)
        .args(["--json", "--format", "ecs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = werr()
        .arg("evtx")
        .arg(&log)
        .args(["--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("timesketch"));
}

/// A folder of logs for the runs with several jobs: each corpus log, copies of them in a
/// nested folder, a copy of system.evtx with chunk 1 broken, and a file named `.evtx` that
/// is no log. Its walk order mixes big and small logs, good and bad ones.
fn folder_of_logs(dir: &Path) -> Option<PathBuf> {
    let logs = dir.join("logs");
    std::fs::create_dir_all(logs.join("copies")).unwrap();
    for name in [
        "system.evtx",
        "Security_short_selected.evtx",
        "Application_no_crc32.evtx",
        "TestLogX.evtx",
    ] {
        let log = werr_testdata::corpus(&format!("evtx/{name}"))?;
        std::fs::copy(&log, logs.join(name)).unwrap();
        for copy in 0..3 {
            std::fs::copy(&log, logs.join("copies").join(format!("{copy}-{name}"))).unwrap();
        }
    }
    let mut data = std::fs::read(logs.join("system.evtx")).unwrap();
    data[0x11000] ^= 0xFF;
    std::fs::write(logs.join("copies").join("1-damaged.evtx"), &data).unwrap();
    std::fs::write(logs.join("copies").join("2-not-a-log.evtx"), "not a log").unwrap();
    Some(logs)
}

#[test]
fn output_is_the_same_whatever_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let Some(logs) = folder_of_logs(dir.path()) else {
        return;
    };
    // A log named twice is read twice, in its place.
    let system = logs.join("system.evtx");
    for json in [true, false] {
        let run = |jobs: &str, threads: &str| {
            let mut cmd = werr();
            cmd.arg("evtx")
                .arg(&logs)
                .arg(&system)
                .args(["--jobs", jobs, "--threads", threads]);
            if json {
                cmd.arg("--json");
            }
            cmd.output().unwrap()
        };
        let one = run("1", "1");
        let stderr = String::from_utf8_lossy(&one.stderr);
        // The damaged copy and the file that is no log are reported, and fail the run.
        assert_eq!(one.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("1-damaged.evtx: at byte offset 0x11000 (chunk 1): unreadable chunk"),
            "{stderr}"
        );
        assert!(
            stderr.contains("2-not-a-log.evtx: not an .evtx file"),
            "{stderr}"
        );
        assert!(
            stderr.contains("1 of 19 logs or folders could not be read"),
            "{stderr}"
        );
        // 4 copies of each log, one more system.evtx and the damaged one's readable records.
        let records = String::from_utf8_lossy(&one.stdout).lines().count();
        assert!(
            records > 5 * 1881 + 4 * 29 && records < 6 * 1881 + 4 * 29,
            "{records}"
        );
        let files: Vec<String> = String::from_utf8_lossy(&one.stdout)
            .lines()
            .filter_map(|l| {
                let v: Value = serde_json::from_str(l).ok()?;
                Some(v["file"].as_str()?.to_string())
            })
            .collect();
        if json {
            // Logs in walk order, then the one named after the folder; each log's lines
            // together.
            let mut order = files.clone();
            order.dedup();
            let names: Vec<&str> = order
                .iter()
                .map(|f| f.rsplit('/').next().unwrap())
                .collect();
            assert_eq!(
                names,
                [
                    "Application_no_crc32.evtx",
                    "Security_short_selected.evtx",
                    "TestLogX.evtx",
                    "0-Application_no_crc32.evtx",
                    "0-Security_short_selected.evtx",
                    "0-TestLogX.evtx",
                    "0-system.evtx",
                    "1-Application_no_crc32.evtx",
                    "1-Security_short_selected.evtx",
                    "1-TestLogX.evtx",
                    "1-damaged.evtx",
                    "1-system.evtx",
                    "2-Application_no_crc32.evtx",
                    "2-Security_short_selected.evtx",
                    "2-TestLogX.evtx",
                    "2-system.evtx",
                    "system.evtx",
                ]
            );
            // system.evtx walked, then named: twice.
            let last = files
                .iter()
                .rev()
                .take_while(|f| *f == &files[files.len() - 1]);
            assert_eq!(last.count(), 2 * 1881);
        }
        for (jobs, threads) in [
            ("4", "1"),
            ("4", "0"),
            ("4", "2"),
            ("2", "2"),
            ("0", "0"),
            ("1", "0"),
            ("1", "3"),
        ] {
            let other = run(jobs, threads);
            assert!(
                one.stdout == other.stdout,
                "--jobs {jobs} --threads {threads}, json {json}: output differs"
            );
            // Problems are reported in output order, the summary counts the same.
            assert_eq!(
                String::from_utf8_lossy(&other.stderr),
                stderr,
                "--jobs {jobs} --threads {threads}"
            );
            assert_eq!(other.status.code(), Some(1));
        }
    }
}

#[test]
fn a_folder_of_good_logs_read_at_once_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let Some(logs) = folder_of_logs(dir.path()) else {
        return;
    };
    // Without the damaged copy, the file that is no log, and Application_no_crc32.evtx
    // (whose NO_CRC32 flag is reported as a problem).
    std::fs::remove_file(logs.join("copies").join("1-damaged.evtx")).unwrap();
    std::fs::remove_file(logs.join("copies").join("2-not-a-log.evtx")).unwrap();
    std::fs::remove_file(logs.join("Application_no_crc32.evtx")).unwrap();
    for copy in 0..3 {
        let name = format!("{copy}-Application_no_crc32.evtx");
        std::fs::remove_file(logs.join("copies").join(name)).unwrap();
    }
    let (stdout, stderr) = succeeds(werr().arg("evtx").arg(&logs).args(["--jobs", "3"]));
    assert_eq!(
        String::from_utf8_lossy(&stdout).lines().count(),
        4 * (1881 + 7 + 5)
    );
    assert!(stderr.contains("7572 records read"), "{stderr}");
    // --quiet: no summary, the same output.
    let out = werr()
        .arg("evtx")
        .arg(&logs)
        .args(["--jobs", "3", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout == stdout);
}

/// Runs `werr ARGS` with stderr on a terminal (a pseudo-terminal made by `script`) of type
/// `term`, stdout to /dev/null, and returns what the terminal showed.
fn on_a_terminal(term: &str, args: &str) -> Option<String> {
    let script = werr_testdata::tool("script")?;
    let werr = env!("CARGO_BIN_EXE_werr");
    let out = std::process::Command::new(script)
        .env_remove("WERR_KB")
        .env("TERM", term)
        .args(["-q", "-e", "-c"])
        .arg(format!("{werr} {args} > /dev/null"))
        .arg("/dev/null")
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_progress_bar_shows_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let Some(logs) = folder_of_logs(dir.path()) else {
        return;
    };
    std::fs::remove_file(logs.join("copies").join("2-not-a-log.evtx")).unwrap();
    let logs = logs.display().to_string();
    // On a terminal: the bar (logs written of all, records, MB/s), and the problem line and
    // the summary each on a line of their own, never mixed with the bar.
    let Some(shown) = on_a_terminal("xterm", &format!("evtx --json {logs}")) else {
        return;
    };
    assert!(shown.contains("/17 logs"), "{shown:?}");
    assert!(shown.contains(" records, "), "{shown:?}");
    assert!(shown.contains(" MB/s"), "{shown:?}");
    // The bar is redrawn in place: each drawing starts after a carriage return and the
    // sequence that clears the line.
    let drawn: Vec<&str> = shown
        .split(['\r', '\n'])
        .map(|piece| piece.trim_start_matches("\x1b[2K"))
        .collect();
    for said in [
        "1-damaged.evtx: at byte offset 0x11000 (chunk 1): unreadable chunk",
        "werr evtx: ",
    ] {
        let line = drawn.iter().find(|l| l.contains(said));
        assert!(
            line.is_some_and(|l| l.starts_with("werr") && !l.contains("/17 logs")),
            "{said}: {line:?} in {shown:?}"
        );
    }
    // --quiet, or a terminal that cannot draw (TERM=dumb): none.
    let quiet = on_a_terminal("xterm", &format!("evtx --json --quiet {logs}")).unwrap();
    assert!(!quiet.contains("/17 logs"), "{quiet:?}");
    assert!(quiet.contains("unreadable chunk"), "{quiet:?}");
    let dumb = on_a_terminal("dumb", &format!("evtx --json {logs}")).unwrap();
    assert!(!dumb.contains("/17 logs"), "{dumb:?}");
    assert!(dumb.contains("werr evtx: "), "{dumb:?}");
    // stderr piped (not a terminal): no bar, no control characters, the same lines.
    let out = werr()
        .arg("evtx")
        .arg("--json")
        .arg(&logs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("/17 logs"), "{stderr}");
    assert!(!stderr.contains(['\r', '\x1b']), "{stderr:?}");
    assert!(stderr.starts_with("werr: "), "{stderr}");
}
