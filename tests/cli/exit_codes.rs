//! The exit-status contract of README's "Exit status", for every command: 0 = every query
//! answered; 1 = something asked for was not found or a file had a problem (what could be
//! answered is still printed); 2 = usage, or a value that cannot be read.

use crate::common::werr;
use assert_cmd::Command;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The `werr` binary under a time limit: `serve` must never start here; a run that hangs is
/// a failure, not a stuck test.
fn bounded() -> Command {
    let mut cmd = werr();
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// Runs `cmd`, asserts its exit status and that stderr contains `says`; returns stdout.
fn exits(cmd: &mut Command, code: i32, says: &str) -> String {
    let out = cmd.output().expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{cmd:?}\nstderr: {stderr}");
    assert!(
        stderr.contains(says),
        "{cmd:?}: stderr lacks {says:?}:\n{stderr}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// For each case (arguments, exit status, text stderr contains), runs werr and checks it.
fn check(cases: &[(&[&str], i32, &str)]) {
    for (args, code, says) in cases {
        exits(bounded().args(*args), *code, says);
    }
}

#[test]
fn lookup_and_bare_queries() {
    check(&[
        (&["0x80001083"], 0, ""),
        (&["lookup", "5", "E_ACCESSDENIED"], 0, ""),
        // A value no source names is answered with its readings and neighbours.
        (&["0x7FFF1234"], 0, ""),
        (&["FOO_NOPE"], 1, "`FOO_NOPE`: no name matches"),
    ]);
    // One query of two not found: the other is still answered.
    let out = exits(
        bounded().args(["5", "FOO_NOPE"]),
        1,
        "1 of 2 queries not answered: FOO_NOPE",
    );
    assert!(out.contains("ERROR_ACCESS_DENIED"), "{out}");
    // Written as numbers that cannot be read: bad values, not unknown names.
    check(&[
        (&["0xZZZ"], 2, "unexpected `Z` at offset 2"),
        (&["0x1234567890"], 2, "does not fit in 32 bits"),
        (&["lookup", "12xyz"], 2, "unexpected `x` at offset 2"),
    ]);
    // The gravest status wins; the answers are printed all the same.
    let out = exits(
        bounded().args(["5", "0xZZZ", "FOO_NOPE"]),
        2,
        "2 of 3 queries",
    );
    assert!(out.contains("ERROR_ACCESS_DENIED"), "{out}");
    check(&[
        (&["5", "--json", "FOO_NOPE"], 1, "FOO_NOPE"),
        (&["5", "--lang", "xx-NOPE"], 2, "unknown language"),
        (&["5", "--limit", "many"], 2, "invalid value 'many'"),
        (&[], 2, "nothing to look up"),
        (&["--bogus"], 2, "unexpected argument '--bogus'"),
        (&["--help"], 0, ""),
        (&["--version"], 0, ""),
    ]);
    let dir = tempfile::tempdir().expect("temp dir");
    exits(
        bounded()
            .arg("5")
            .arg("--kb")
            .arg(dir.path().join("none.kb")),
        1,
        "no KB file here",
    );
}

#[test]
fn decode() {
    check(&[
        (&["decode", "0x80070005"], 0, ""),
        (&["decode", "0xZZZ"], 2, "is not a code value"),
        (&["decode", "99999999999"], 2, "does not fit"),
        (&["decode", "5", "--as", "nope"], 2, "unknown scheme"),
        (&["decode"], 2, "required arguments"),
    ]);
}

#[test]
fn show() {
    check(&[
        (&["show", "E_ACCESSDENIED"], 0, ""),
        (&["show", "0x7FFF1234"], 0, ""),
        (&["show", "NOPE_NOT_A_NAME"], 1, "no such name"),
        (&["show", "0xZZZ"], 2, "is not a code value"),
        (
            &["show", "E_ACCESSDENIED", "--lang", "xx-NOPE"],
            2,
            "unknown language",
        ),
    ]);
}

#[test]
fn search() {
    check(&[
        (&["search", "access", "denied"], 0, ""),
        (&["search", "zqxjzqxj"], 1, "no name, comment or message"),
        (
            &["search", "access", "--lang", "xx-NOPE"],
            2,
            "unknown language",
        ),
        (&["search"], 2, "required arguments"),
    ]);
}

/// ReactOS's neteventmsg.mc (compiles) and wdfstaus.mc (stops at line 73).
fn good_and_bad_mc() -> Option<(PathBuf, PathBuf)> {
    Some((
        werr_testdata::corpus("reactos-mc/neteventmsg.mc")?,
        werr_testdata::corpus("reactos-mc/wdfstaus.mc")?,
    ))
}

#[test]
fn import() {
    let Some((netevent, wdfstaus)) = good_and_bad_mc() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = |name: &str| dir.path().join(name);
    let import = |kb_file: &Path, input: &Path| {
        let mut cmd = bounded();
        cmd.arg("import").arg("--kb").arg(kb_file).arg(input);
        cmd
    };
    exits(&mut import(&kb("good.kb"), &netevent), 0, "");
    // The only file fails to compile: a file's problem, and nothing was imported.
    exits(
        &mut import(&kb("wdf.kb"), &wdfstaus),
        1,
        "nothing was imported",
    );
    exits(
        &mut import(&kb("zero.kb"), Path::new("/dev/zero")),
        1,
        "nothing was imported",
    );
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "neither a header nor a message file\n").expect("write");
    exits(&mut import(&kb("txt.kb"), &text), 1, "nothing was imported");
    exits(
        &mut import(&kb("missing.kb"), &dir.path().join("missing.mc")),
        1,
        "cannot read",
    );
    // One good file and one bad: the good one is imported, the run fails.
    let out = exits(
        bounded()
            .arg("import")
            .arg("--kb")
            .arg(kb("both.kb"))
            .arg(&netevent)
            .arg(&wdfstaus),
        1,
        "problems (reported above)",
    );
    assert!(out.contains("59 definitions"), "{out}");
    exits(bounded().arg("import").arg(&netevent), 2, "pass --kb FILE");
    exits(
        bounded()
            .args(["import", "--parameter-file"])
            .arg(&netevent),
        2,
        "--provider",
    );
}

#[test]
fn diff() {
    check(&[
        (&["diff", "mingw-w64@10.0.0", "mingw-w64@13.0.0"], 0, ""),
        (
            &["diff", "nope@1", "mingw-w64@13.0.0"],
            1,
            "no single source `nope@1`",
        ),
        (&["diff", "mingw-w64@10.0.0"], 2, "<NEW>"),
    ]);
}

#[test]
fn mc() {
    let Some((netevent, wdfstaus)) = good_and_bad_mc() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mc = || {
        let mut cmd = bounded();
        cmd.current_dir(dir.path()).arg("mc");
        cmd
    };
    exits(mc().arg(&netevent), 0, "");
    exits(mc().arg(&wdfstaus), 1, "wdfstaus.mc:73:10: error");
    exits(mc().arg(dir.path().join("missing.mc")), 1, "cannot read");
    exits(
        mc().arg(&netevent).arg(&wdfstaus),
        2,
        "one .mc file at a time",
    );
    exits(
        mc().args(["-m", "many"]).arg(&netevent),
        2,
        "invalid value 'many'",
    );
    // Decompiling: the table just written reads back; a damaged one is a file's problem.
    let table = dir.path().join("MSG00409.bin");
    exits(mc().arg("--decompile").arg(&table), 0, "");
    let bad = dir.path().join("bad").join("MSG00409.bin");
    std::fs::create_dir_all(bad.parent().expect("parent")).expect("mkdir");
    std::fs::write(&bad, [7, 0, 0]).expect("write");
    exits(
        mc().arg("--decompile").arg(&bad),
        1,
        "at byte 0x0: table of 3 bytes",
    );
    // A table whose language its name does not tell needs --lang-of: usage.
    let unnamed = dir.path().join("table.bin");
    std::fs::copy(&table, &unnamed).expect("copy");
    exits(mc().arg("--decompile").arg(&unnamed), 2, "--lang-of");
}

#[test]
fn format() {
    let out = exits(bounded().args(["format", "Hello %1", "world"]), 0, "");
    assert_eq!(out, "Hello world");
    check(&[
        (&["format", "--id", "5"], 0, ""),
        (&["format", "%1!", "x"], 2, "no closing `!`"),
        (&["format", "--max-width", "300", "x"], 2, "not a width"),
        (&["format", "--id", "0xZZZ"], 2, "is not a code value"),
        (&["format", "--id", "NOPE_NOT_A_NAME"], 1, "no such name"),
        (
            &["format", "--id", "0x12345678"],
            1,
            "no message 0x12345678",
        ),
        (
            &["format", "--id", "5", "--lang", "xx-NOPE"],
            2,
            "unknown language",
        ),
        (&["format"], 2, "required arguments"),
    ]);
}

#[test]
fn extract() {
    let Some(dll) = werr_testdata::fixture(
        "libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernelbase.dll",
    ) else {
        return;
    };
    exits(bounded().arg("extract").arg(&dll), 0, "");
    let dir = tempfile::tempdir().expect("temp dir");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a module\n").expect("write");
    // A named file that is no container fails; the others are still printed.
    let out = exits(
        bounded().arg("extract").arg(&text).arg(&dll),
        1,
        "not a PE module, .res file or message table",
    );
    assert!(out.contains("kernelbase.dll"), "{out}");
    // A folder with no message table: nothing of what was asked for is there.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    exits(
        bounded().arg("extract").arg(&empty),
        1,
        "no message table here",
    );
    exits(
        bounded().arg("extract").arg(dir.path().join("missing.dll")),
        1,
        "missing.dll",
    );
    exits(
        bounded().args(["extract", "--lang", "xx-YY"]).arg(&dll),
        2,
        "unknown language",
    );
    exits(bounded().arg("extract"), 2, "required arguments");
}

#[test]
fn evtx() {
    let (Some(log), Some(no_crc), Some(mc)) = (
        werr_testdata::corpus("evtx/TestLogX.evtx"),
        werr_testdata::corpus("evtx/Application_no_crc32.evtx"),
        werr_testdata::corpus("reactos-mc/neteventmsg.mc"),
    ) else {
        return;
    };
    exits(bounded().arg("evtx").arg(&log), 0, "5 records read");
    // A chunk whose checksum does not match: its records print, the file had a problem.
    let out = exits(
        bounded().arg("evtx").arg(&no_crc),
        1,
        "1 problems in the logs (reported above)",
    );
    assert_eq!(out.lines().count(), 17, "{out}");
    exits(
        bounded().arg("evtx").arg(&mc).arg(&log),
        1,
        "not an .evtx file",
    );
    exits(
        bounded()
            .arg("evtx")
            .arg(Path::new("/nonexistent/missing.evtx")),
        1,
        "missing.evtx",
    );
    exits(
        bounded().arg("evtx").arg(&log).args(["--lang", "klingon"]),
        2,
        "klingon",
    );
    exits(
        bounded().arg("evtx").arg(&log).args(["--id", "abc"]),
        2,
        "not an event id",
    );
    exits(bounded().arg("evtx"), 2, "required arguments");
}

#[test]
fn serve_argument_errors() {
    check(&[
        (&["serve", "--addr", "nope"], 2, "invalid socket address"),
        (&["serve", "--bogus"], 2, "unexpected argument"),
    ]);
    let dir = tempfile::tempdir().expect("temp dir");
    // A KB that cannot be opened stops it before it listens.
    exits(
        bounded()
            .args(["serve", "--addr", "127.0.0.1:0", "--kb"])
            .arg(dir.path().join("none.kb")),
        1,
        "no KB file here",
    );
}

/// Output that cannot be written (a full disk behind a redirection: `/dev/full`) fails the
/// run, and the message says it was standard output, which the system's own message does
/// not name.
#[cfg(target_os = "linux")]
#[test]
fn standard_output_that_cannot_be_written() {
    let run = |args: &[OsString]| {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("werr"))
            .args(args)
            .env_remove("WERR_KB")
            .stdout(full)
            .output()
            .expect("werr runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("writing standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    };
    let os = |words: &[&str]| -> Vec<OsString> { words.iter().map(Into::into).collect() };
    for words in [
        &["5"][..],
        &["show", "E_ACCESSDENIED", "--json"],
        &["decode", "0x80070005"],
    ] {
        run(&os(words));
    }
    let (Some(log), Some(mc)) = (
        werr_testdata::corpus("evtx/TestLogX.evtx"),
        werr_testdata::corpus("reactos-mc/neteventmsg.mc"),
    ) else {
        return;
    };
    let mut evtx = os(&["evtx", "--json"]);
    evtx.push(log.into_os_string());
    run(&evtx);
    // A message table compiled here, extracted to the full device.
    let dir = tempfile::tempdir().expect("temp dir");
    exits(
        bounded()
            .arg("mc")
            .arg("-r")
            .arg(dir.path())
            .arg("-h")
            .arg(dir.path())
            .arg(&mc),
        0,
        "",
    );
    let table = dir.path().join("MSG00409.bin");
    let mut extract = os(&["extract", "--json"]);
    extract.push(table.clone().into_os_string());
    run(&extract);
    // A `--bin-dir` that cannot be made: the message names it (the system's does not).
    let not_a_folder = dir.path().join("neteventmsg.h");
    exits(
        bounded()
            .arg("extract")
            .arg("--bin-dir")
            .arg(&not_a_folder)
            .arg(&table),
        1,
        &format!("--bin-dir: {}: ", not_a_folder.display()),
    );
}
