//! The scanner on headers that real message compilers generate from the ReactOS message
//! files of the shared corpus: Wine's `wmc` (comment blocks `MessageId  : ...` /
//! `Approximate msg: ...`, headings from the .mc file's `;` comments) and GNU `windmc`
//! (mc.exe-style `// MessageId: NAME` blocks).

use std::path::PathBuf;
use std::process::Command;

use werr_headers::{is_code, is_code_header, scan, Definition, HeaderFile};

/// Runs a message compiler (a name of `werr_testdata::tool`) into a fresh temporary folder
/// and returns the header it wrote; `None` (skip) when the tool is missing outside CI.
fn compile(tool: &str, args: &[&str], mc: &str, header: &str) -> Option<HeaderFile> {
    let source = werr_testdata::corpus(&format!("reactos-mc/{mc}"))?;
    let program = werr_testdata::tool(tool)?;
    // One folder per call: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("werr-headers-{tool}-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let output = Command::new(&program)
        .args(args)
        .arg(&source)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{} does not run: {e}", program.display()));
    assert!(output.status.success(), "{tool} failed: {output:?}");
    let path: PathBuf = dir.join(header);
    let text = std::fs::read_to_string(&path).expect("generated header");
    let _ = std::fs::remove_dir_all(&dir);
    Some(scan(header, &text))
}

fn wmc_netevent() -> Option<HeaderFile> {
    compile(
        "wmc",
        &["-H", "neteventmsg.h", "-o", "neteventmsg.rc"],
        "neteventmsg.mc",
        "neteventmsg.h",
    )
}

fn def<'a>(file: &'a HeaderFile, name: &str) -> &'a Definition {
    file.definitions
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("{name} is defined"))
}

#[test]
fn wmc_message_block_becomes_line_comments_and_text() {
    let Some(file) = wmc_netevent() else { return };
    let d = def(&file, "EVENT_LOG_FULL");
    assert_eq!(
        d.line_comments.as_deref(),
        Some("MessageId  : 0x80001770\nApproximate msg: The %1 log file is full.")
    );
    assert_eq!(d.message_text.as_deref(), Some("The %1 log file is full."));
    assert_eq!(d.definition, "#define EVENT_LOG_FULL\t((DWORD)0x80001770L)");
    assert_eq!((d.value, d.c_type.as_str()), (Some(0x8000_1770), "DWORD"));
}

#[test]
fn wmc_headings_group_their_events_with_the_stated_range() {
    let Some(file) = wmc_netevent() else { return };
    let d = def(&file, "EVENT_LOG_FULL");
    let group = &file.groups[d.group.expect("grouped")];
    assert_eq!(group.title, "eventlog events 6000-6099");
    // The members' codes lie inside the range the heading states.
    let (first, last) = (group.first.expect("first"), group.last.expect("last"));
    assert_eq!(first, 6000);
    assert!((6000..=6099).contains(&last), "last {last}");
}

#[test]
fn wmc_header_is_a_code_header() {
    let Some(file) = wmc_netevent() else { return };
    assert!(is_code_header(&file));
    assert!(is_code(true, def(&file, "EVENT_LOG_FULL")));
}

#[test]
fn windmc_message_block_is_kept() {
    let Some(file) = compile(
        "windmc",
        &["-h", ".", "-r", "."],
        "ntiologc.mc",
        "ntiologc.h",
    ) else {
        return;
    };
    let d = def(&file, "IO_ERR_RETRY_SUCCEEDED");
    assert_eq!(
        d.line_comments.as_deref(),
        Some("MessageId: IO_ERR_RETRY_SUCCEEDED")
    );
    assert_eq!(d.message_text, None);
    assert_eq!(d.expression, "(NTSTATUS) 0x40001");
    assert_eq!(
        (d.value, d.c_type.as_str()),
        (Some(0x0004_0001), "NTSTATUS")
    );
}
