//! The scanner on the real header trees: mingw-w64 10.0.0 (Debian) and the newer mingw-w64
//! headers of the ziglang 0.15.1 wheel. One assertion per fact.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use werr_headers::{is_code, is_code_header, resolve_across, scan_bytes, Definition, HeaderFile};

const MINGW: &str = "mingw-w64-common-10.0.0/usr/share/mingw-w64/include";
const ZIG: &str = "ziglang-0.15.1/ziglang/lib/libc/include/any-windows-any";

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable tree").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every file of a tree, scanned (files that are not headers included: they must not
/// panic either), then resolved across the tree.
fn scan_tree(rel: &str) -> Option<Vec<HeaderFile>> {
    let root = werr_testdata::fixture(rel)?;
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    paths.sort();
    let mut files: Vec<HeaderFile> = paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            scan_bytes(&rel, &std::fs::read(p).expect("readable file"))
        })
        .collect();
    resolve_across(&mut files);
    Some(files)
}

fn mingw() -> Option<&'static [HeaderFile]> {
    static TREE: OnceLock<Option<Vec<HeaderFile>>> = OnceLock::new();
    TREE.get_or_init(|| scan_tree(MINGW)).as_deref()
}

fn zig() -> Option<&'static [HeaderFile]> {
    static TREE: OnceLock<Option<Vec<HeaderFile>>> = OnceLock::new();
    TREE.get_or_init(|| scan_tree(ZIG)).as_deref()
}

fn file<'a>(tree: &'a [HeaderFile], path: &str) -> &'a HeaderFile {
    tree.iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is in the tree"))
}

fn def<'a>(file: &'a HeaderFile, name: &str) -> &'a Definition {
    file.definitions
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("{name} is defined in {}", file.path))
}

#[test]
fn netevent_defines_time_wait_collision_at_line_520() {
    let Some(tree) = mingw() else { return };
    let netevent = file(tree, "netevent.h");
    let d = def(netevent, "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION");
    assert_eq!(d.line, 520);
    assert_eq!(
        d.definition,
        "#define EVENT_TCPIP_TCP_TIME_WAIT_COLLISION                      __MSABI_LONG(0x80001083)"
    );
    assert_eq!(d.expression, "__MSABI_LONG(0x80001083)");
    assert_eq!(d.value, Some(0x8000_1083));
    // 0x80001083L does not fit a 32-bit long, so C gives it unsigned long.
    assert_eq!(d.c_type, "unsigned long");
}

#[test]
fn netevent_takes_its_category_from_its_preamble() {
    let Some(tree) = mingw() else { return };
    let netevent = file(tree, "netevent.h");
    assert_eq!(netevent.preamble.as_deref(), Some("Network events"));
    assert_eq!(
        def(netevent, "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION").category,
        "Network events"
    );
    // mingw-w64 dropped the mc.exe comments: no line comments, no groups.
    assert_eq!(
        def(netevent, "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION").line_comments,
        None
    );
}

#[test]
fn netevent_is_at_line_520_in_the_newer_headers_too() {
    let Some(tree) = zig() else { return };
    let d = def(
        file(tree, "netevent.h"),
        "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION",
    );
    assert_eq!((d.line, d.value), (520, Some(0x8000_1083)));
}

#[test]
fn winerror_msabi_long_is_a_win32_error() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "winerror.h"), "ERROR_ACCESS_DENIED");
    assert_eq!((d.line, d.value), (50, Some(5)));
    assert_eq!(d.c_type, "long");
    assert_eq!(d.category, "Win32 error");
}

#[test]
fn winerror_hresult_typedef_is_an_hresult() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "winerror.h"), "E_ACCESSDENIED");
    assert_eq!(d.value, Some(0x8007_0005));
    assert_eq!(d.c_type, "HRESULT");
    assert_eq!(d.category, "HRESULT");
}

#[test]
fn winerror_cast_to_hresult_is_evaluated() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "winerror.h"), "S_OK");
    assert_eq!((d.value, d.c_type.as_str()), (Some(0), "HRESULT"));
}

#[test]
fn winerror_sums_with_a_base_in_the_same_file() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "winerror.h"), "WSAEINTR");
    assert_eq!(d.expression, "(WSABASEERR + 4)");
    assert_eq!(d.value, Some(10004));
}

#[test]
fn ntstatus_cast_is_an_ntstatus() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "ntstatus.h"), "STATUS_ACCESS_VIOLATION");
    assert_eq!(d.value, Some(0xC000_0005));
    assert_eq!(d.c_type, "NTSTATUS");
    assert_eq!(d.category, "NTSTATUS");
}

#[test]
fn winnt_dword_cast_keeps_dword() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "winnt.h"), "STATUS_ACCESS_VIOLATION");
    assert_eq!((d.value, d.c_type.as_str()), (Some(0xC000_0005), "DWORD"));
}

#[test]
fn lmerr_resolves_its_base() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "lmerr.h"), "NERR_NetNotStarted");
    assert_eq!(d.value, Some(2102));
    assert_eq!(d.category, "Win32 error (LAN Manager)");
}

#[test]
fn make_hresult_uses_names_of_other_headers() {
    let Some(tree) = mingw() else { return };
    // SEVERITY_ERROR and FACILITY_ITF come from winerror.h.
    let d = def(file(tree, "netcfgx.h"), "NETCFG_E_ALREADY_INITIALIZED");
    assert_eq!((d.value, d.c_type.as_str()), (Some(0x8004_A020), "HRESULT"));
}

#[test]
fn make_scode_is_evaluated() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "reconcil.h"), "REC_S_IDIDTHEUPDATES");
    assert_eq!((d.value, d.c_type.as_str()), (Some(0x0004_1000), "SCODE"));
}

#[test]
fn hresult_from_win32_of_a_name_in_winerror() {
    let Some(tree) = mingw() else { return };
    // ERROR_ARITHMETIC_OVERFLOW is 534 (0x216) in winerror.h.
    let d = def(file(tree, "corerror.h"), "COR_E_ARITHMETIC");
    assert_eq!(d.value, Some(0x8007_0216));
}

#[test]
fn function_macro_of_another_header_is_expanded() {
    let Some(tree) = mingw() else { return };
    // MAKE_DDHRESULT and _FACDD are defined in ddraw.h.
    let d = def(file(tree, "d3d.h"), "D3DERR_BADMAJORVERSION");
    assert_eq!(d.value, Some(0x8876_02BC));
}

#[test]
fn bugcodes_keeps_the_wmc_comment_block() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "bugcodes.h"), "WINDOWS_NT_BANNER");
    assert_eq!(
        d.line_comments.as_deref(),
        Some("MessageId  : 0x4000007e\nApproximate msg: ReactOS (R) Kernel Version %hs (Build %u%hs)")
    );
    assert_eq!(
        d.message_text.as_deref(),
        Some("ReactOS (R) Kernel Version %hs (Build %u%hs)")
    );
    assert_eq!((d.value, d.c_type.as_str()), (Some(0x4000_007E), "ULONG"));
}

#[test]
fn bugcodes_groups_codes_under_their_heading() {
    let Some(tree) = mingw() else { return };
    let bugcodes = file(tree, "bugcodes.h");
    let d = def(bugcodes, "STATUS_SEVERITY_WARNING");
    let group = &bugcodes.groups[d.group.expect("in a group")];
    assert_eq!(group.title, "Severity codes");
    assert_eq!((group.first, group.last), (Some(0), Some(3)));
}

/// The group of `name` in `path`, by title.
fn group_title<'a>(tree: &'a [HeaderFile], path: &str, name: &str) -> Option<&'a str> {
    let f = file(tree, path);
    def(f, name).group.map(|g| f.groups[g].title.as_str())
}

#[test]
fn references_notes_and_prose_head_no_group() {
    for tree in [mingw(), zig()].into_iter().flatten() {
        // A URL above dismapi.h's codes, mingw-w64's notes on where ntstatus.h's values
        // come from, a FIXME and commented-out code, widl's comments.
        assert_eq!(
            group_title(tree, "dismapi.h", "DISMAPI_E_DISMAPI_NOT_INITIALIZED"),
            None
        );
        assert_eq!(group_title(tree, "ntstatus.h", "STATUS_SUCCESS"), None);
        assert_eq!(group_title(tree, "ntstatus.h", "STATUS_KERNEL_APC"), None);
        assert_eq!(
            group_title(tree, "setupapi.h", "ERROR_EXPECTED_SECTION_NAME"),
            None
        );
        assert_eq!(group_title(tree, "ddraw.h", "DD_OK"), None);
        // Headings are still headings.
        assert_eq!(
            group_title(tree, "bugcodes.h", "STATUS_SEVERITY_WARNING"),
            Some("Severity codes")
        );
        for f in tree {
            for g in &f.groups {
                let first = g.title.lines().next().unwrap_or("");
                assert!(
                    !g.title.contains("://")
                        && !first.ends_with('.')
                        && !first.starts_with("FIXME")
                        && first != "Headers for imported files",
                    "{}:{}: {:?} is no heading",
                    f.path,
                    g.line,
                    g.title
                );
            }
        }
    }
}

#[test]
fn a_name_defined_twice_keeps_both_lines() {
    let Some(tree) = mingw() else { return };
    let lines: Vec<u32> = file(tree, "mferror.h")
        .definitions
        .iter()
        .filter(|d| d.name == "MF_E_SEQUENCER_UNKNOWN_SEGMENT_ID")
        .map(|d| d.line)
        .collect();
    assert_eq!(lines, [232, 233]);
}

#[test]
fn both_branches_of_a_conditional_keep_their_values() {
    let Some(tree) = mingw() else { return };
    let values: Vec<(u32, Option<u32>)> = file(tree, "winnt.h")
        .definitions
        .iter()
        .filter(|d| d.name == "THREAD_ALL_ACCESS")
        .map(|d| (d.line, d.value))
        .collect();
    assert_eq!(values, [(4086, Some(0x1F_FFFF)), (4088, Some(0x1F_03FF))]);
}

#[test]
fn the_non_utf8_header_is_reported_and_still_scanned() {
    let Some(tree) = mingw() else { return };
    let ide = file(tree, "ddk/ide.h");
    assert_eq!(ide.diagnostics.len(), 1);
    assert_eq!(
        (ide.diagnostics[0].line, ide.diagnostics[0].column),
        (9, 21)
    );
    assert!(!ide.definitions.is_empty());
}

fn counts(tree: &[HeaderFile]) -> (usize, usize, usize) {
    let all = tree.iter().map(|f| f.definitions.len()).sum::<usize>();
    let evaluated = tree
        .iter()
        .flat_map(|f| &f.definitions)
        .filter(|d| d.value.is_some())
        .count();
    let codes = tree
        .iter()
        .map(|f| {
            let h = is_code_header(f);
            f.definitions
                .iter()
                .filter(|d| is_code(h, d) && d.value.is_some())
                .count()
        })
        .sum();
    (all, evaluated, codes)
}

#[test]
fn every_mingw_file_scans_and_most_defines_evaluate() {
    let Some(tree) = mingw() else { return };
    assert_eq!(tree.len(), 1576, "files in the tree (1543 headers)");
    let (all, evaluated, codes) = counts(tree);
    eprintln!("mingw-w64 10.0.0: {all} definitions, {evaluated} evaluated, {codes} codes");
    // Measured: 108764 definitions, 101942 evaluated (93.7%), 15778 codes (crate docs).
    assert!((100_000..120_000).contains(&all), "{all} definitions");
    assert!(
        evaluated * 100 / all >= 90,
        "{evaluated} of {all} evaluated"
    );
    assert!((15_000..17_000).contains(&codes), "{codes} codes");
    // winerror.h: 3634 `#define` lines = 3612 constants + 20 function-like macros + 2
    // empty guards; every constant evaluates.
    let winerror = file(tree, "winerror.h");
    assert_eq!(winerror.definitions.len(), 3612);
    assert!(winerror.definitions.iter().all(|d| d.value.is_some()));
}

#[test]
fn every_zig_file_scans_and_most_defines_evaluate() {
    let Some(tree) = zig() else { return };
    assert_eq!(tree.len(), 1610);
    let (all, evaluated, codes) = counts(tree);
    eprintln!("ziglang 0.15.1: {all} definitions, {evaluated} evaluated, {codes} codes");
    assert!(
        evaluated * 100 / all >= 90,
        "{evaluated} of {all} evaluated"
    );
    assert!(codes > counts(mingw().unwrap_or(tree)).2 || mingw().is_none());
    // The figure: 4806 #define lines in zig's winerror.h against 3634 in mingw's.
    assert!(file(tree, "winerror.h").definitions.len() > 4700);
}

#[test]
fn error_headers_are_code_headers() {
    let Some(tree) = mingw() else { return };
    for path in [
        "winerror.h",
        "ntstatus.h",
        "netevent.h",
        "lmerr.h",
        "mferror.h",
        "nserror.h",
    ] {
        assert!(is_code_header(file(tree, path)), "{path}");
    }
}

#[test]
fn api_headers_are_not_code_headers() {
    let Some(tree) = mingw() else { return };
    for path in ["dinput.h", "ddraw.h", "windows.h", "winuser.h", "d3d9.h"] {
        assert!(!is_code_header(file(tree, path)), "{path}");
    }
}

#[test]
fn codes_are_picked_one_by_one_from_api_headers() {
    let Some(tree) = mingw() else { return };
    let dinput = file(tree, "dinput.h");
    let header = is_code_header(dinput);
    assert!(is_code(header, def(dinput, "DIERR_INPUTLOST")));
    assert!(!is_code(header, def(dinput, "DIK_SUBTRACT")));
    assert!(!is_code(header, def(dinput, "DIKEYBOARD_E")));
    let wininet = file(tree, "wininet.h");
    assert!(is_code(
        is_code_header(wininet),
        def(wininet, "ERROR_INTERNET_OUT_OF_HANDLES")
    ));
}
