//! The scanner on the real header trees: mingw-w64 10.0.0 (Debian) and the newer mingw-w64
//! headers of the ziglang 0.15.1 wheel. One assertion per fact.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use werr_headers::{
    is_code, is_code_header, resolve_across, scan_bytes, CodeRule, Definition, HeaderFile,
};

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

/// Definitions (`#define`s and enum members), those evaluated, and codes with a value.
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
            let rule = CodeRule::new(f);
            f.definitions
                .iter()
                .filter(|d| rule.is_code(d) && d.value.is_some())
                .count()
        })
        .sum();
    (all, evaluated, codes)
}

fn enum_members(tree: &[HeaderFile]) -> usize {
    tree.iter()
        .flat_map(|f| &f.definitions)
        .filter(|d| d.enum_line.is_some())
        .count()
}

#[test]
fn every_mingw_file_scans_and_most_defines_evaluate() {
    let Some(tree) = mingw() else { return };
    assert_eq!(tree.len(), 1576, "files in the tree (1543 headers)");
    let (all, evaluated, codes) = counts(tree);
    eprintln!("mingw-w64 10.0.0: {all} definitions, {evaluated} evaluated, {codes} codes");
    // Measured: 154542 definitions (108764 `#define`s, 45778 enum members), 143838
    // evaluated (93.1%), 18270 codes (crate docs).
    let members = enum_members(tree);
    assert!(
        (100_000..120_000).contains(&(all - members)),
        "{all} definitions"
    );
    assert!(
        (40_000..50_000).contains(&members),
        "{members} enum members"
    );
    assert!(
        evaluated * 100 / all >= 90,
        "{evaluated} of {all} evaluated"
    );
    assert!((17_500..19_000).contains(&codes), "{codes} codes");
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

/// Whether the import rule takes `name` from `path` (the first definition of the name).
fn taken(tree: &[HeaderFile], path: &str, name: &str) -> bool {
    let f = file(tree, path);
    CodeRule::new(f).is_code(def(f, name))
}

#[test]
fn enum_members_are_definitions_with_the_enum_as_type() {
    let Some(tree) = mingw() else { return };
    let d = def(file(tree, "wbemcli.h"), "WBEM_E_ACCESS_DENIED");
    assert_eq!(d.value, Some(0x8004_1003));
    assert_eq!((d.line, d.enum_line), (630, Some(612)));
    assert_eq!(d.c_type, "WBEMSTATUS");
    assert_eq!(d.definition, "WBEM_E_ACCESS_DENIED = 0x80041003");
    assert_eq!(d.expression, "0x80041003");
    assert_eq!(d.category, "HRESULT");
    // Several members on one line, each with its own value.
    let ldap = file(tree, "winldap.h");
    assert_eq!(def(ldap, "LDAP_PROTOCOL_ERROR").value, Some(2));
    assert_eq!(def(ldap, "LDAP_PROTOCOL_ERROR").line, 73);
}

#[test]
fn the_members_of_code_enums_are_codes() {
    let Some(tree) = mingw() else { return };
    for (path, name) in [
        ("wbemcli.h", "WBEM_E_ACCESS_DENIED"),
        // Success members of a code enum, by the first word of its error members.
        ("wbemcli.h", "WBEM_S_NO_ERROR"),
        ("wbemcli.h", "WBEM_S_FALSE"),
        ("wbemdisp.h", "wbemErrAccessDenied"),
        ("wbemdisp.h", "wbemNoErr"),
        ("mqoai.h", "MQ_ERROR_QUEUE_NOT_FOUND"),
        ("txdtc.h", "XACT_S_NONOTIFY"),
        ("comadmin.h", "COMAdminErrObjectErrors"),
        ("xmllite.h", "MX_E_ENCODING"),
        // An enum of small codes named in CODE_FAMILIES.
        ("winldap.h", "LDAP_NO_SUCH_OBJECT"),
    ] {
        assert!(taken(tree, path, name), "{path}: {name}");
    }
}

#[test]
fn enums_of_flags_and_ids_stay_out() {
    let Some(tree) = mingw() else { return };
    for (path, name) in [
        // 0x80000000 without an error word: a property id.
        ("d2d1_1.h", "D2D1_PROPERTY_CLSID"),
        // A code enum's member with another prefix.
        ("txdtc.h", "dwUSER_MS_SQLSERVER"),
        // An error word on -1, the enum's "all" marker.
        ("corhdr.h", "MDErrorOutOfOrderAll"),
        ("corhdr.h", "MDMethodOutOfOrder"),
        // Shell ids with the severity bit.
        ("shobjidl.h", "SIGDN_PARENTRELATIVEPARSING"),
        // winldap.h's options, beside LDAP_RETCODE.
        ("winldap.h", "LDAP_PORT"),
    ] {
        assert!(!taken(tree, path, name), "{path}: {name}");
    }
}

#[test]
fn header_families_take_their_plain_numbers() {
    let Some(tree) = mingw() else { return };
    let esent = file(tree, "esent.h");
    let d = def(esent, "JET_errFileClose");
    // -102 as the 32-bit value of the int.
    assert_eq!(
        (d.value, d.category.as_str()),
        (Some(0xFFFF_FF9A), "ESE error")
    );
    for (path, name, value) in [
        ("esent.h", "JET_errFileClose", 0xFFFF_FF9A),
        ("esent.h", "JET_wrnUniqueKey", 345),
        ("lmerrlog.h", "NELOG_Internal_Error", 3100),
        ("netmon.h", "NMERR_NOT_CAPTURING", 4),
        ("cderr.h", "CDERR_DIALOGFAILURE", 0xFFFF),
        ("cderr.h", "PDERR_NODEVICES", 0x1007),
        ("mmsystem.h", "MMSYSERR_ALLOCATED", 4),
        ("mmsystem.h", "MCIERR_HARDWARE", 262),
        ("ddeml.h", "DMLERR_BUSY", 0x4001),
        ("nb30.h", "NRC_CMDTMO", 5),
        ("cfgmgr32.h", "CR_NO_SUCH_VALUE", 0x25),
        // Aliases of Win32 errors, resolved across the tree.
        ("winnetwk.h", "WN_ACCESS_DENIED", 5),
        // Casts to USBD_STATUS.
        ("usb.h", "USBD_STATUS_STALL_PID", 0xC000_0004),
        // An enum of negative codes named in CODE_FAMILIES: -1003.
        ("msasn1.h", "ASN1_ERR_CORRUPT", 0xFFFF_FC15),
        // A whole code header by name.
        ("pdhmsg.h", "PDH_CSTATUS_NO_MACHINE", 0x8000_07D0),
        ("mdmsg.h", "MD_WARNING_PATH_NOT_FOUND", 0x000C_C803),
    ] {
        assert_eq!(def(file(tree, path), name).value, Some(value), "{name}");
        assert!(taken(tree, path, name), "{path}: {name}");
    }
    for (path, name) in [
        ("mmsystem.h", "MMSYSERR_BASE"),
        ("cderr.h", "CDERR_GENERALCODES"),
        ("ddeml.h", "DMLERR_LAST"),
        ("lmerrlog.h", "ERRLOG_BASE"),
        ("lmerrlog.h", "LOGFLAGS_BACKWARD"),
        ("esent.h", "JET_VERSION"),
        ("netmon.h", "MAC_TYPE_ETHERNET"),
        // A flag: the top bit alone.
        ("dinput.h", "DIAH_ERROR"),
    ] {
        assert!(!taken(tree, path, name), "{path}: {name}");
    }
}

/// The import rule before enum members, header families, success codes and the
/// `USBD_STATUS` type: what the widened rules are measured against.
fn taken_before(f: &HeaderFile, d: &Definition) -> bool {
    let base = f
        .path
        .rsplit('/')
        .next()
        .unwrap_or(&f.path)
        .to_ascii_lowercase();
    let old_code_header = !["pdhmsg.h", "bitsmsg.h", "patchwiz.h", "mdmsg.h"]
        .contains(&base.as_str())
        && is_code_header(f);
    if d.enum_line.is_some() || d.name.starts_with('_') {
        return false;
    }
    let typed = ["HRESULT", "SCODE", "NTSTATUS", "NDIS_STATUS"].contains(&d.c_type.as_str());
    if old_code_header || typed {
        return true;
    }
    let Some(v) = d.value else { return false };
    if ["ERROR_", "NERR_", "WSAE"]
        .iter()
        .any(|p| d.name.starts_with(p))
    {
        return true;
    }
    let words: Vec<&str> = d.name.split('_').collect();
    let error_word = words
        .iter()
        .enumerate()
        .any(|(i, w)| (*w == "E" && i + 1 < words.len()) || *w == "ERROR" || w.ends_with("ERR"));
    error_word && v & 0x8000_0000 != 0
}

/// Names of constants that are not codes: window messages, `MAX_PATH`, and sizes, limits,
/// masks and flags (a last word `MAX`, `MIN`, `SIZE`, `MASK`, `FLAG(S)`), unless the name
/// says it is an error or status about one (`CR_INVALID_STRUCTURE_SIZE`,
/// `MCIERR_DUPLICATE_FLAGS`, usb.h's misspelt `USBD_STATUS_INAVLID_PIPE_FLAGS`).
fn is_plainly_not_a_code(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("WM_") || upper == "MAX_PATH" {
        return true;
    }
    let words: Vec<&str> = upper.split('_').collect();
    let last = words.last().copied().unwrap_or("");
    let about_an_error = words.iter().any(|w| {
        *w == "E"
            || *w == "STATUS"
            || w.contains("ERR")
            || [
                "INVALID",
                "ILLEGAL",
                "BAD",
                "DUPLICATE",
                "UNKNOWN",
                "FAILED",
                "EXCEEDING",
            ]
            .contains(w)
    });
    ["MAX", "MIN", "SIZE", "MASK", "FLAG", "FLAGS"].contains(&last) && !about_an_error
}

#[test]
fn the_widened_rules_pull_in_no_messages_sizes_or_flags() {
    let mut widened = 0;
    for tree in [mingw(), zig()].into_iter().flatten() {
        let mut wrong = Vec::new();
        for f in tree {
            let rule = CodeRule::new(f);
            for d in f.definitions.iter() {
                if !rule.is_code(d) || d.value.is_none() || taken_before(f, d) {
                    continue;
                }
                widened += 1;
                if is_plainly_not_a_code(&d.name) {
                    wrong.push(format!("{}:{} {}", f.path, d.line, d.name));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
    // The check has something to check: the widened rules add thousands of codes.
    assert!(widened > 2000 || mingw().is_none(), "{widened}");
}

#[test]
fn the_check_for_non_codes_recognizes_them() {
    for name in [
        "WM_PAINT",
        "MAX_PATH",
        "LDAP_OPT_SIZE",
        "DISPID_MAX",
        "SE_GROUP_MASK",
    ] {
        assert!(is_plainly_not_a_code(name), "{name}");
    }
    for name in [
        "CR_INVALID_STRUCTURE_SIZE",
        "MCIERR_DUPLICATE_FLAGS",
        "NMERR_SUCCESS",
    ] {
        assert!(!is_plainly_not_a_code(name), "{name}");
    }
}
