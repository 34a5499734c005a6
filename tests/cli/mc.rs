//! End-to-end tests of `werr mc`: the real .mc corpus against GNU windmc byte for byte,
//! documented mc.exe behaviour where windmc is wrong, the seed page, header format, errors,
//! and decompile round trips.

use crate::common::werr;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process;

/// Runs `werr mc ARGS` in `dir`, expecting success.
fn werr_mc(dir: &Path, args: &[&str]) -> String {
    let out = werr()
        .current_dir(dir)
        .arg("mc")
        .args(args)
        .output()
        .expect("werr runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "werr mc {args:?} failed:\n{stderr}");
    stderr
}

/// Whether GNU windmc is installed; in CI its absence is a failure.
fn have_windmc() -> bool {
    werr_testdata::tool("windmc").is_some()
}

/// A command running GNU windmc (after `have_windmc`).
fn windmc_command() -> process::Command {
    process::Command::new(werr_testdata::tool("windmc").expect("windmc is installed"))
}

fn windmc(dir: &Path, input: &Path) {
    let out = windmc_command()
        .current_dir(dir)
        .args(["-C", "65001"])
        .arg(input)
        .output()
        .expect("windmc runs");
    assert!(
        out.status.success(),
        "windmc failed on {}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `.bin` files of a folder, by name.
fn bins(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("folder exists").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".bin") {
            map.insert(name, std::fs::read(entry.path()).expect("readable"));
        }
    }
    map
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn corpus_files(folder: &str) -> Vec<PathBuf> {
    let Some(dir) = werr_testdata::corpus(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "mc"))
        .collect();
    files.sort();
    files
}

/// Compiles `input` with werr (LF mode, or CRLF when `crlf`) and windmc, and returns both
/// folders' tables.
fn both(
    input: &Path,
    werr_args: &[&str],
) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let (w, g) = (temp(), temp());
    let mut args: Vec<&str> = werr_args.to_vec();
    let shown = input.to_str().expect("utf-8 path");
    args.push(shown);
    werr_mc(w.path(), &args);
    windmc(g.path(), input);
    (bins(w.path()), bins(g.path()))
}

/// Files checked elsewhere against documented behaviour (docs/mc-compatibility.md).
const SPECIAL: [&str; 3] = ["wdfstaus.mc", "winerror.mc", "ntiologc.mc"];

#[test]
fn corpus_tables_equal_gnu_windmc_in_lf_mode() {
    if !have_windmc() {
        return;
    }
    let mut compared = 0;
    for input in corpus_files("reactos-mc")
        .into_iter()
        .chain(corpus_files("wine-mc"))
    {
        let name = input.file_name().map(|n| n.to_string_lossy().into_owned());
        if SPECIAL.contains(&name.as_deref().unwrap_or_default()) {
            continue;
        }
        let (ours, theirs) = both(&input, &["--line-endings", "lf"]);
        assert!(!theirs.is_empty(), "windmc wrote no table for {input:?}");
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "table files of {input:?}"
        );
        for (file, bytes) in &theirs {
            assert!(
                ours[file] == *bytes,
                "{input:?}: {file} differs from windmc's"
            );
            compared += 1;
        }
    }
    if werr_testdata::corpus("reactos-mc").is_some() {
        assert!(compared >= 25, "only {compared} tables compared");
    }
}

#[test]
fn crlf_input_compiled_in_crlf_mode_equals_windmc_which_keeps_the_cr() {
    // windmc copies the CR of CRLF input into the text, then adds LF: CRLF line ends, which is
    // what mc.exe writes and what werr writes by default.
    let Some(input) = werr_testdata::corpus("reactos-mc/ntiologc.mc") else {
        return;
    };
    if !have_windmc() {
        return;
    }
    let (ours, theirs) = both(&input, &[]);
    assert_eq!(ours.len(), 1);
    assert!(ours == theirs, "ntiologc.mc tables differ from windmc's");
}

#[test]
fn winerror_null_and_dxgi_facilities_match_windmc_once_declared() {
    let Some(input) = werr_testdata::corpus("wine-mc/winerror.mc") else {
        return;
    };
    if !have_windmc() {
        return;
    }
    // windmc stops at line 3812 (`Facility=Null`); declaring the two facilities it lacks
    // with the SDK's values gives windmc a file it compiles. werr compiles the original.
    let text = std::fs::read_to_string(&input).expect("readable");
    let declared = text.replacen(
        "FacilityNames=(Trust=0xb:FACILITY_CERT)",
        "FacilityNames=(Trust=0xb:FACILITY_CERT Null=0x0 Dxgi=0x87a)",
        1,
    );
    assert_ne!(declared, text, "the FacilityNames line moved");
    let dir = temp();
    let patched = dir.path().join("winerror.mc");
    std::fs::write(&patched, declared).expect("writable");
    let (g, w) = (temp(), temp());
    windmc(g.path(), &patched);
    let stderr = werr_mc(
        w.path(),
        &["--line-endings", "lf", input.to_str().expect("utf-8")],
    );
    assert!(stderr.contains("winerror.mc:3812:10: warning: facility `Null` is not declared"));
    assert!(stderr.contains("winerror.mc:3819:10: warning: facility `Dxgi` is not declared"));
    assert!(bins(w.path()) == bins(g.path()), "winerr.bin differs");
}

/// `#define NAME VALUE` pairs of a header, values as numbers.
fn defines(header: &str) -> BTreeMap<String, u32> {
    header
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("#define ")?;
            let mut parts = rest.split_whitespace();
            let name = parts.next()?;
            let value = parts.next()?;
            let hex = &value[value.find("0x")? + 2..];
            let digits: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
            Some((name.to_owned(), u32::from_str_radix(&digits, 16).ok()?))
        })
        .collect()
}

#[test]
fn winerror_values_equal_wine_wmc() {
    let Some(input) = werr_testdata::corpus("wine-mc/winerror.mc") else {
        return;
    };
    let Some(wmc) = werr_testdata::tool("wmc") else {
        return;
    };
    let (w, g) = (temp(), temp());
    werr_mc(w.path(), &[input.to_str().expect("utf-8")]);
    let out = process::Command::new(&wmc)
        .current_dir(g.path())
        .args(["-H", "wmc.h", "-o", "wmc.rc"])
        .arg(&input)
        .output()
        .expect("wmc runs");
    assert!(out.status.success());
    let ours = defines(&std::fs::read_to_string(w.path().join("winerror.h")).expect("header"));
    let mut theirs = defines(&std::fs::read_to_string(g.path().join("wmc.h")).expect("header"));
    theirs.remove("__WMCGENERATED_H");
    assert!(theirs.len() > 700, "{} defines from wmc", theirs.len());
    for (name, value) in &theirs {
        assert_eq!(ours.get(name), Some(value), "{name}");
    }
    assert_eq!(ours.get("E_NOTIMPL"), Some(&0x8000_4001));
    assert_eq!(ours.get("DXGI_ERROR_INVALID_CALL"), Some(&0x887A_0001));
}

#[test]
fn wdfstaus_resolves_severity_symbols_and_stops_at_an_undeclared_severity() {
    let Some(input) = werr_testdata::corpus("reactos-mc/wdfstaus.mc") else {
        return;
    };
    // Line 73 says Severity=STATUS_WDF_REQUEST_ALREADY_PENDING: neither a severity name nor a
    // severity's symbol. mc.exe rejects undeclared names; so does werr, at that spot (the
    // file has a problem: status 1).
    let dir = temp();
    let out = werr()
        .current_dir(dir.path())
        .arg("mc")
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wdfstaus.mc:73:10: error: found undeclared severity `STATUS_WDF_REQUEST_ALREADY_PENDING`"),
        "{stderr}"
    );
    // Up to there, `Severity=STATUS_SEVERITY_INFORMATIONAL` (line 25) and
    // `Facility=FACILITY_RPC_RUNTIME` name declared entries by their symbols; werr takes the
    // entries (windmc stops with "syntax error"). Documented value: Informational (1) << 30 |
    // RpcRuntime (2) << 16 | 0 = 0x40020000.
    let text = std::fs::read_to_string(&input).expect("readable");
    let head: Vec<&str> = text.lines().take(71).collect();
    let truncated = dir.path().join("wdf_head.mc");
    std::fs::write(&truncated, head.join("\n") + "\n").expect("writable");
    let stderr = werr_mc(dir.path(), &["wdf_head.mc"]);
    assert!(
        stderr.contains("wdf_head.mc:25:10: warning: severity `STATUS_SEVERITY_INFORMATIONAL` is the symbol of `Informational`"),
        "{stderr}"
    );
    let header = std::fs::read_to_string(dir.path().join("wdf_head.h")).expect("header");
    let values = defines(&header);
    assert_eq!(values.get("STATUS_WDF_QUEUED"), Some(&0x4002_0000));
    assert_eq!(values.get("STATUS_WDF_POSTED"), Some(&0x4002_0002));
    assert_eq!(values.get("STATUS_WDF_NO_PACKAGE"), Some(&0x8002_0200));
    assert!(header.contains("#define STATUS_WDF_QUEUED                ((NTSTATUS)0x40020000L)\r\n"));
}

#[test]
fn severity_and_facility_carry_over_as_documented_unlike_windmc() {
    let dir = temp();
    std::fs::write(
        dir.path().join("carry.mc"),
        "FacilityNames=(Foo=0x10)\nMessageId=1\nSeverity=Error\nFacility=Foo\nSymbolicName=FIRST\n\
         Language=English\na\n.\nMessageId=2\nSymbolicName=SECOND\nLanguage=English\nb\n.\n",
    )
    .expect("writable");
    werr_mc(dir.path(), &["carry.mc"]);
    let values = defines(&std::fs::read_to_string(dir.path().join("carry.h")).expect("h"));
    assert_eq!(values["FIRST"], 0xC010_0001);
    // mc.exe: "the severity/facility used is the last one specified"; windmc resets to 0.
    assert_eq!(values["SECOND"], 0xC010_0002);
}

#[test]
fn utf8_byte_order_mark_is_skipped_unlike_windmc() {
    let dir = temp();
    let body = "MessageId=1\nSymbolicName=A\nLanguage=English\nDéjà vu\n.\n";
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(body.as_bytes());
    std::fs::write(dir.path().join("bom.mc"), with_bom).expect("writable");
    werr_mc(dir.path(), &["--line-endings", "lf", "bom.mc"]);
    let ours = bins(dir.path());
    let table = werr_msgtable::read_table(&ours["MSG00001.bin"]).expect("valid table");
    let entry = table.get(1).expect("message 1");
    assert_eq!(
        entry.text(werr_msgtable::CodePage::WINDOWS_1252),
        "Déjà vu\n"
    );
    if have_windmc() {
        // windmc rejects the mark ("syntax error"); without it, it writes the same table.
        let plain = temp();
        std::fs::write(plain.path().join("bom.mc"), body).expect("writable");
        windmc(plain.path(), &plain.path().join("bom.mc"));
        assert!(bins(plain.path()) == ours);
    }
}

#[test]
fn utf16_input_with_bom_compiles_like_utf8() {
    let dir = temp();
    let body = "MessageId=7\nSymbolicName=A\nLanguage=English\nПривет\n.\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in body.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(dir.path().join("u16.mc"), utf16).expect("writable");
    std::fs::write(dir.path().join("u8.mc"), body).expect("writable");
    werr_mc(dir.path(), &["-u", "-z", "a", "u16.mc"]);
    let first = bins(dir.path());
    werr_mc(dir.path(), &["u8.mc"]);
    assert_eq!(first, bins(dir.path()));
}

/// The seed page's sections: lines under a heading up to the next heading.
fn seed_section(seed: &str, heading: &str, next: &str) -> Vec<String> {
    let lines: Vec<&str> = seed.lines().collect();
    let start = lines.iter().position(|l| *l == heading).expect("heading") + 1;
    let end = lines.iter().position(|l| *l == next).expect("next heading");
    lines[start..end].iter().map(|l| (*l).to_owned()).collect()
}

fn seed_page() -> Option<String> {
    let path =
        werr_testdata::repo_root().join("../shared/seed/EVENT_TCPIP_TCP_TIME_WAIT_COLLISION.txt");
    if !path.exists() {
        assert!(
            !werr_testdata::in_ci(),
            "seed page missing at {}",
            path.display()
        );
        eprintln!("SKIPPED: seed page missing");
        return None;
    }
    Some(std::fs::read_to_string(path).expect("readable"))
}

fn compile_seed(dir: &Path) -> String {
    let fixture = werr_testdata::repo_root().join("tests/fixtures/seed/netevent_tcp.mc");
    werr_mc(dir, &[fixture.to_str().expect("utf-8")]);
    let bytes = std::fs::read(dir.join("netevent_tcp.h")).expect("header");
    String::from_utf8(bytes).expect("the seed header is ASCII")
}

#[test]
fn seed_message_block_equals_the_seed_line_comments_and_definition() {
    let Some(seed) = seed_page() else { return };
    let dir = temp();
    let header = compile_seed(dir.path());
    let lines: Vec<&str> = header.split("\r\n").collect();
    let start = lines
        .iter()
        .position(|l| *l == "// MessageId: EVENT_TCPIP_TCP_TIME_WAIT_COLLISION")
        .expect("message block");
    let define = lines[start..]
        .iter()
        .position(|l| l.starts_with("#define "))
        .expect("define")
        + start;
    // The block's comment lines without `// ` (and the closing `//`) are the seed's line comments.
    let comments: Vec<String> = lines[start..define - 1]
        .iter()
        .map(|l| {
            l.strip_prefix("// ")
                .or_else(|| l.strip_prefix("//"))
                .unwrap_or(l)
                .to_owned()
        })
        .collect();
    let mut expected = seed_section(&seed, "Line comments", "Group comments");
    while expected.last().is_some_and(String::is_empty) {
        expected.pop();
    }
    assert_eq!(comments, expected);
    assert_eq!(lines[define - 1], "//");
    let definition = seed_section(&seed, "Definition", "Line comments");
    assert_eq!(lines[define], definition[0]);
    assert_eq!(
        lines[define],
        "#define EVENT_TCPIP_TCP_TIME_WAIT_COLLISION 0x80001083L"
    );
    // The group comment comes before the block.
    let group = lines
        .iter()
        .position(|l| *l == "// TCP messages")
        .expect("group comment");
    assert!(group < start);
}

#[test]
fn seed_header_preamble_equals_the_seed_layout_box() {
    let Some(seed) = seed_page() else { return };
    let dir = temp();
    let header = compile_seed(dir.path());
    let lines: Vec<&str> = header.split("\r\n").collect();
    let type_description = seed_section(&seed, "Type description", "MUI descriptions");
    let box_start = type_description
        .iter()
        .position(|l| l.starts_with(" Values are 32 bit values"))
        .expect("box in the seed");
    let seed_box: Vec<&str> = type_description[box_start..]
        .iter()
        .map(String::as_str)
        .collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("//  Values are 32 bit values"))
        .expect("box in the header");
    assert_eq!(
        lines[start - 1],
        "//",
        "the box opens with an empty comment line"
    );
    let ours: Vec<&str> = lines[start..start + seed_box.len()]
        .iter()
        .map(|l| {
            l.strip_prefix("// ")
                .or_else(|| l.strip_prefix("//"))
                .unwrap_or(l)
        })
        .collect();
    assert_eq!(ours, seed_box);
    // Then mc.exe's define blocks, byte for byte.
    let after = lines[start + seed_box.len()..start + seed_box.len() + 16].join("\r\n");
    assert_eq!(
        after,
        "//\r\n//\r\n// Define the facility codes\r\n//\r\n\
         #define FACILITY_SYSTEM                  0x0\r\n\r\n\r\n\
         //\r\n// Define the severity codes\r\n//\r\n\
         #define STATUS_SEVERITY_WARNING          0x2\r\n\
         #define STATUS_SEVERITY_SUCCESS          0x0\r\n\
         #define STATUS_SEVERITY_INFORMATIONAL    0x1\r\n\
         #define STATUS_SEVERITY_ERROR            0x3\r\n\r\n"
    );
}

#[test]
fn seed_tables_hold_all_twenty_languages() {
    let Some(seed) = seed_page() else { return };
    let dir = temp();
    compile_seed(dir.path());
    let tables = bins(dir.path());
    let expected = [
        0x409, 0x406, 0x41D, 0x408, 0x419, 0x816, 0x412, 0x40B, 0x404, 0x40C, 0x40E, 0x413, 0x411,
        0x41F, 0x414, 0x407, 0x410, 0x415, 0xC0A, 0x405,
    ];
    assert_eq!(tables.len(), 20);
    let mui_lines: Vec<&str> = seed
        .lines()
        .skip_while(|l| *l != "MUI descriptions")
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    for langid in expected {
        let name = format!("MSG{langid:05X}.bin");
        let table = werr_msgtable::read_table(&tables[&name]).expect("valid table");
        // English also holds the TCP block's other messages and the UDP block's first.
        assert_eq!(table.len(), if langid == 0x409 { 6 } else { 1 }, "{name}");
        let text = table
            .get(0x8000_1083)
            .expect("the seed message")
            .text(werr_msgtable::CodePage::WINDOWS_1252)
            .into_owned();
        assert!(text.ends_with("\r\n"));
        if langid != 0x409 {
            assert!(
                mui_lines
                    .iter()
                    .any(|l| l.split_once('\u{a0}').map(|x| x.1) == Some(text.trim_end())),
                "{name}: {text}"
            );
        }
    }
    let rc = std::fs::read_to_string(dir.path().join("netevent_tcp.rc")).expect("rc");
    assert!(
        rc.contains("LANGUAGE 0xa,0x3\r\n1 11 \"MSG00C0A.bin\"\r\n"),
        "{rc}"
    );
}

#[test]
fn header_spells_typedef_macro_decimal_and_hresult_forms() {
    let dir = temp();
    std::fs::write(
        dir.path().join("forms.mc"),
        "MessageIdTypedef=DWORD\nMessageId=1\nSeverity=Error\nSymbolicName=TYPED\nLanguage=English\nx\n.\n\
         MessageIdTypedefMacro=MAKE\nMessageId=2\nSymbolicName=MACRO\nLanguage=English\ny\n.\n\
         OutputBase=10\nMessageId=3\nSymbolicName=DECIMAL\nLanguage=English\nz\n.\n",
    )
    .expect("writable");
    werr_mc(dir.path(), &["forms.mc"]);
    let h = std::fs::read_to_string(dir.path().join("forms.h")).expect("h");
    assert!(h.contains("\r\n#define TYPED                            ((DWORD)0xC0000001L)\r\n"));
    assert!(h.contains("\r\n#define MACRO                            MAKE(0xC0000002L)\r\n"));
    assert!(h.contains("\r\n#define DECIMAL                          MAKE(3221225475L)\r\n"));
    werr_mc(dir.path(), &["-o", "-z", "hr", "forms.mc"]);
    let h = std::fs::read_to_string(dir.path().join("hr.h")).expect("h");
    assert!(h.contains(
        "\r\n#define TYPED                            _HRESULT_TYPEDEF_(0xC0000001L)\r\n"
    ));
}

#[test]
fn options_place_and_name_outputs_like_mc() {
    let dir = temp();
    std::fs::write(
        dir.path().join("opts.mc"),
        "MessageId=1\nSymbolicName=ONE\nLanguage=English\nline one\nline two\n.\n",
    )
    .expect("writable");
    werr_mc(
        dir.path(),
        &[
            "-h", "inc", "-r", "res", "-e", "hh", "-b", "-n", "-A", "-c", "-x", "dbg", "opts.mc",
        ],
    );
    let h = std::fs::read_to_string(dir.path().join("inc/opts.hh")).expect("header in -h DIR");
    assert!(h.contains("#define ONE                              0x20000001L"));
    let rc = std::fs::read_to_string(dir.path().join("res/opts.rc")).expect("rc in -r DIR");
    assert_eq!(rc, "LANGUAGE 0x9,0x1\r\n1 11 \"opts_MSG00001.bin\"\r\n");
    let bin = std::fs::read(dir.path().join("res/opts_MSG00001.bin")).expect("bin in -r DIR");
    // -A: flags 0, ANSI; -n: no line end after the last line.
    let table = werr_msgtable::read_table(&bin).expect("valid");
    let entry = table.get(0x2000_0001).expect("entry");
    assert_eq!(entry.encoding, werr_msgtable::Encoding::Ansi);
    assert_eq!(entry.bytes, b"line one\r\nline two");
    assert!(dir.path().join("dbg/opts.dbg").exists());
}

#[test]
fn errors_name_file_line_column_and_what_was_expected() {
    let dir = temp();
    std::fs::write(
        dir.path().join("bad.mc"),
        "MessageId=1\nSeverity=Fatal\nLanguage=English\nx\n.\n",
    )
    .expect("writable");
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "bad.mc"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.mc:2:10: error: found undeclared severity `Fatal`; expected one of Success, Informational, Warning, Error"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: declare it in SeverityNames"),
        "{stderr}"
    );
    std::fs::write(
        dir.path().join("open.mc"),
        "MessageId=1\nLanguage=English\ntext\n",
    )
    .expect("w");
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "open.mc"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("open.mc:2:1: error: message text for language `English` never ends; expected a line holding only `.`"),
        "{stderr}"
    );
}

/// Runs `werr mc --decompile` on the `tables` (names in `dir`), writing `dir/back.mc`.
fn decompile_into_back_mc(dir: &Path, tables: &BTreeMap<String, Vec<u8>>) {
    let mut args = vec!["--decompile".to_owned()];
    args.extend(tables.keys().cloned());
    args.extend(["-o".to_owned(), "back.mc".to_owned()]);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    werr_mc(dir, &arg_refs);
}

#[test]
fn decompiled_corpus_tables_recompile_to_identical_bytes() {
    let Some(input) = werr_testdata::corpus("reactos-mc/net_msg.mc") else {
        return;
    };
    let dir = temp();
    werr_mc(dir.path(), &[input.to_str().expect("utf-8")]);
    let tables = bins(dir.path());
    assert_eq!(tables.len(), 8);
    decompile_into_back_mc(dir.path(), &tables);
    let again = temp();
    werr_mc(
        again.path(),
        &[dir.path().join("back.mc").to_str().expect("utf-8")],
    );
    assert!(
        bins(again.path()) == tables,
        "decompiled net_msg.mc does not recompile to the same tables"
    );
}

/// The tables of a folder by the language their `[PREFIX_]MSGxxxxx.bin` name gives; every
/// name must be one `BinTableName` prints back as is.
fn tables_by_language(tables: &BTreeMap<String, Vec<u8>>) -> BTreeMap<u16, Vec<u8>> {
    tables
        .iter()
        .map(|(name, bytes)| {
            let parsed = werr_msgtable::BinTableName::parse(name)
                .unwrap_or_else(|| panic!("{name} is not a table name"));
            assert_eq!(&parsed.to_string(), name);
            (parsed.langid, bytes.clone())
        })
        .collect()
}

#[test]
fn tables_named_by_dash_b_decompile_by_their_names() {
    let Some(input) = werr_testdata::corpus("reactos-mc/net_msg.mc") else {
        return;
    };
    let dir = temp();
    werr_mc(dir.path(), &["-b", input.to_str().expect("utf-8")]);
    let tables = bins(dir.path());
    assert_eq!(tables.len(), 8);
    assert!(
        tables.contains_key("net_msg_MSG00409.bin"),
        "{:?}",
        tables.keys()
    );
    // The names `-b` writes give the languages to the decompiler: no --lang-of needed.
    decompile_into_back_mc(dir.path(), &tables);
    let again = temp();
    werr_mc(
        again.path(),
        &["-b", dir.path().join("back.mc").to_str().expect("utf-8")],
    );
    let back = bins(again.path());
    assert!(back.contains_key("back_MSG00409.bin"), "{:?}", back.keys());
    assert!(
        tables_by_language(&back) == tables_by_language(&tables),
        "decompiled -b tables do not recompile to the same tables"
    );
}

#[test]
fn pywin32_mc_exe_tables_extract_decompile_and_recompile_to_identical_bytes() {
    let modules = [
        "pywin32-312/win32/servicemanager.pyd",
        "pywin32-312/win32/win32evtlog.pyd",
        "pywin32-312/win32/win32service.pyd",
        "pywin32-312/win32/perfmondata.dll",
        "pywin32-312/isapi/PyISAPI_loader.dll",
    ];
    for module in modules {
        let Some(path) = werr_testdata::fixture(module) else {
            return;
        };
        // The tables as stored, through werr-msgtable's PE reader ...
        let file = std::fs::read(&path).expect("readable");
        let extracted = werr_msgtable::extract_pe(&file).expect("a valid PE");
        assert!(
            extracted.problems.is_empty(),
            "{module}: {:?}",
            extracted.problems
        );
        assert!(
            !extracted.tables.is_empty(),
            "{module} has no message table"
        );
        let mut originals = BTreeMap::new();
        for table in &extracted.tables {
            originals.insert(format!("MSG{:05X}.bin", table.langid), table.data.to_vec());
        }
        // ... and as `werr extract --bin-dir` saves them, which the decompiler reads.
        let dir = temp();
        let out = werr()
            .arg("extract")
            .arg(&path)
            .arg("--bin-dir")
            .arg(dir.path())
            .output()
            .expect("werr extract runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            bins(dir.path()) == originals,
            "{module}: extract --bin-dir changed the bytes"
        );
        let mut args = vec!["--decompile".to_owned()];
        args.extend(originals.keys().cloned());
        args.extend(["-o".to_owned(), "back.mc".to_owned()]);
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let stderr = werr_mc(dir.path(), &arg_refs);
        // The decompiler says which options reproduce the table (mc.exe's -n, line ends...).
        let mut flags: Vec<String> = stderr
            .lines()
            .find_map(|l| l.strip_prefix("werr mc: compile the result with: werr mc "))
            .map(|l| {
                l.trim_end_matches(" FILE.mc")
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let text = std::fs::read_to_string(dir.path().join("back.mc")).expect("decompiled");
        let ids: std::collections::BTreeSet<u32> = extracted
            .tables
            .iter()
            .flat_map(|t| {
                werr_msgtable::read_table(t.data)
                    .expect("valid")
                    .entries
                    .into_keys()
            })
            .collect();
        assert_eq!(
            text.matches("\r\nMessageId=").count(),
            ids.len(),
            "{module}"
        );
        let out = temp();
        flags.push(
            dir.path()
                .join("back.mc")
                .to_str()
                .expect("utf-8")
                .to_owned(),
        );
        let flag_refs: Vec<&str> = flags.iter().map(String::as_str).collect();
        werr_mc(out.path(), &flag_refs);
        assert!(
            bins(out.path()) == originals,
            "{module}: recompiled tables differ"
        );
    }
}

#[test]
fn rejects_a_value_twice_in_one_language_naming_both_lines() {
    let dir = temp();
    std::fs::write(
        dir.path().join("dup.mc"),
        "MessageId=5\nLanguage=English\na\n.\nMessageId=5\nLanguage=English\nb\n.\n",
    )
    .expect("writable");
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "dup.mc"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("dup.mc:6:1: error: message 0x00000005 already has a English text (line 2)"),
        "{stderr}"
    );
}

#[test]
fn ansi_tables_equal_gnu_windmc_and_unmappable_text_is_an_error() {
    if !have_windmc() {
        return;
    }
    // -A: each language's ANSI code page (Russian 1251, Polish 1250, French 1252).
    for name in ["neteventmsg.mc", "arp_msg.mc", "netmsgmsg.mc"] {
        let Some(input) = werr_testdata::corpus(&format!("reactos-mc/{name}")) else {
            return;
        };
        let (w, g) = (temp(), temp());
        werr_mc(
            w.path(),
            &["-A", "--line-endings", "lf", input.to_str().expect("utf-8")],
        );
        let out = windmc_command()
            .current_dir(g.path())
            .args(["-A", "-C", "65001"])
            .arg(&input)
            .output()
            .expect("windmc runs");
        assert!(out.status.success());
        assert!(bins(w.path()) == bins(g.path()), "{name}: -A tables differ");
    }
    // Romanian text with comma-below letters has no Windows-1250 form: werr stops instead of
    // writing a lossy table.
    let Some(input) = werr_testdata::corpus("reactos-mc/bootmsg.mc") else {
        return;
    };
    let dir = temp();
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "-A"])
        .arg(&input)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bootmsg.mc:25:1: error: message 0x0000232a in Romanian: character 'ț'"),
        "{stderr}"
    );
}

#[test]
fn cp_option_sets_header_and_rc_encoding_with_a_byte_order_mark() {
    let dir = temp();
    std::fs::write(
        dir.path().join("enc.mc"),
        ";// Grüße\nMessageId=1\nSymbolicName=A\nLanguage=English\nx\n.\n",
    )
    .expect("writable");
    werr_mc(dir.path(), &["-cp", "utf-8", "enc.mc"]);
    let h = std::fs::read(dir.path().join("enc.h")).expect("h");
    assert!(h.starts_with(b"\xEF\xBB\xBF// Gr\xC3\xBC\xC3\x9Fe\r\n"));
    werr_mc(dir.path(), &["-cp", "utf-16", "enc.mc"]);
    let h = std::fs::read(dir.path().join("enc.h")).expect("h");
    assert!(h.starts_with(&[0xFF, 0xFE, b'/', 0, b'/', 0]));
    werr_mc(dir.path(), &["-cp", "ansi", "enc.mc"]);
    let h = std::fs::read(dir.path().join("enc.h")).expect("h");
    assert!(h.starts_with(b"// Gr\xFC\xDFe\r\n"), "Windows-1252 bytes");
}

#[test]
fn language_file_names_cannot_leave_the_output_folder() {
    let dir = temp();
    let outside = dir.path().join("outside");
    for (i, file) in [
        outside.join("planted").display().to_string(),
        "../../planted".to_string(),
    ]
    .iter()
    .enumerate()
    {
        let mc =
            format!("LanguageNames=(English=0x409:{file})\nMessageId=1\nLanguage=English\nx\n.\n");
        let name = format!("evil{i}.mc");
        std::fs::write(dir.path().join(&name), mc).expect("writable");
        let out = werr()
            .current_dir(dir.path())
            .args(["mc", "-r", "out/deep", "-h", "out", &name])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("{name}:1:30: error: found `{file}` as the file name of language `English`; expected a base name")),
            "{stderr}"
        );
    }
    assert!(
        !outside.exists(),
        "a table was written outside the output folder"
    );
    assert!(!dir.path().join("planted.bin").exists());
    assert!(
        !dir.path().join("out").exists(),
        "nothing is written on an error"
    );
}

#[test]
fn inputs_over_the_size_limit_are_refused_and_devices_read_with_a_cap() {
    let dir = temp();
    let mc = "MessageId=1\nLanguage=English\nhello\n.\n";
    std::fs::write(dir.path().join("small.mc"), mc).expect("writable");
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "--max-input", "16", "small.mc"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("small.mc is {} bytes long; werr reads at most 16 bytes (--max-input SIZE raises the limit)", mc.len())),
        "{stderr}"
    );
    werr_mc(dir.path(), &["--max-input", "1K", "small.mc"]);
    assert!(dir.path().join("MSG00001.bin").exists());
    // A device: read up to the limit, then refused, in bounded time and memory.
    let started = std::time::Instant::now();
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "--max-input", "4M", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("/dev/zero gives more than 4194304 bytes; werr reads at most 4194304 bytes"),
        "{stderr}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let out = werr()
        .args(["mc", "--max-input", "lots", "small.mc"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn decompile_errors_name_the_file() {
    let dir = temp();
    std::fs::write(dir.path().join("MSG00409.bin"), [1u8, 0, 0, 0, 9, 9]).expect("writable");
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "--decompile", "MSG00409.bin"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("werr: MSG00409.bin: table for language 0x0409: "),
        "{stderr}"
    );
}

#[test]
fn echoed_input_is_quoted_escaped_and_cut() {
    let dir = temp();
    let token = format!(
        "K{}\u{1b}[2J\u{7}{}",
        "\0".repeat(1000),
        "z".repeat(100_000)
    );
    std::fs::write(dir.path().join("noise.mc"), format!("{token}=1\n")).expect("writable");
    let out = werr()
        .current_dir(dir.path())
        .args(["mc", "noise.mc"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.len() < 600, "{} bytes of stderr", stderr.len());
    assert!(
        !stderr.contains('\0') && !stderr.contains('\u{1b}'),
        "{stderr}"
    );
    assert!(
        stderr.contains("noise.mc:1:1: error: found unknown keyword `K\\0\\0"),
        "{stderr}"
    );
    assert!(stderr.contains("(101006 characters)"), "{stderr}");
}
