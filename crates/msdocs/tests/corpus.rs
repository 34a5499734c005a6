//! The reader on the real pages of the corpus (`msdocs/`: MicrosoftDocs/win32 and
//! windows-driver-docs, see its SOURCE.txt): every page read without panic, totals held to
//! measured floors, and exact entries of known pages, one per layout and quirk.

use std::path::{Path, PathBuf};
use werr_msdocs::{read_page, rule, Entry, Layout, Page};

fn msdocs() -> Option<PathBuf> {
    werr_testdata::corpus("msdocs")
}

/// Every `.md` page under `dir`, as (path below `dir`, text), in path order.
fn pages_under(dir: &Path) -> Vec<(String, String)> {
    let mut stack = vec![dir.to_path_buf()];
    let mut out = Vec::new();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).expect("readable folder") {
                stack.push(e.expect("entry").path());
            }
        } else if p.extension().is_some_and(|e| e == "md") {
            let rel = p
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).expect("UTF-8 page")));
        }
    }
    out.sort();
    out
}

fn page(rel: &str) -> Option<Page> {
    let path = msdocs()?.join(rel);
    let text = std::fs::read_to_string(&path).expect("page");
    let below = rel.split_once('/').map_or(rel, |(_, r)| r);
    Some(read_page(below, &text))
}

fn entry<'a>(page: &'a Page, name: &str) -> &'a Entry {
    page.entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} not read"))
}

#[test]
fn every_page_reads_and_the_totals_hold() {
    let Some(root) = msdocs() else { return };
    let started = std::time::Instant::now();
    let (mut pages, mut with_entries, mut with_skips, mut lists) = (0, 0, 0, 0);
    let (mut entries, mut valued, mut texted, mut skipped) = (0, 0, 0, 0);
    let mut by_layout = std::collections::BTreeMap::new();
    for folder in ["win32", "driver"] {
        for (rel, text) in pages_under(&root.join(folder)) {
            let page = read_page(&rel, &text);
            pages += 1;
            with_entries += usize::from(!page.entries.is_empty());
            with_skips += usize::from(!page.skipped.is_empty());
            lists += usize::from(rule::is_code_list(page.title.as_deref()));
            entries += page.entries.len();
            valued += page.entries.iter().filter(|e| e.value.is_some()).count();
            texted += page.entries.iter().filter(|e| e.text.is_some()).count();
            skipped += page.skipped.len();
            for e in &page.entries {
                *by_layout.entry(e.layout.name()).or_insert(0) += 1;
                assert!(e.line > 0, "{rel}: {} without a line", e.name);
                assert!(
                    werr_msdocs::is_name(&e.name),
                    "{rel}:{} {:?}",
                    e.line,
                    e.name
                );
                if let Some(t) = &e.text {
                    assert!(
                        !t.contains("<span") && !t.contains("</") && !t.contains("\\_"),
                        "{rel}:{} markup left in {t:?}",
                        e.line
                    );
                }
            }
        }
    }
    eprintln!(
        "msdocs: {pages} pages read in {:?}, {with_entries} with entries, {lists} lists of codes, \
         {with_skips} with something skipped; {entries} entries, {valued} with a value, \
         {texted} with a text; {skipped} skipped; by layout {by_layout:?}",
        started.elapsed()
    );
    assert_eq!(pages, 1507, "the corpus has 871 + 636 pages");
    // Floors measured on the corpus (see the commit that set them); a drop is a regression.
    assert!(with_entries >= 1190, "{with_entries} pages with entries");
    assert!(entries >= 21_000, "{entries} entries");
    assert!(valued >= 16_500, "{valued} entries with a value");
    assert!(texted >= 20_000, "{texted} entries with a text");
    assert!(by_layout.get("bug-check").copied().unwrap_or(0) >= 425);
    assert!(by_layout.get("html-table").copied().unwrap_or(0) >= 900);
    assert!(by_layout.get("blocks").copied().unwrap_or(0) >= 4_000);
    assert!(by_layout.get("markdown-table").copied().unwrap_or(0) >= 12_000);
}

#[test]
fn system_error_blocks() {
    let Some(p) = page("win32/Debug/system-error-codes--0-499-.md") else {
        return;
    };
    assert_eq!(p.layouts(), vec![Layout::Blocks]);
    assert_eq!(p.entries.len(), 244);
    assert!(p.skipped.is_empty(), "{:?}", p.skipped);
    let e = entry(&p, "ERROR_ACCESS_DENIED");
    assert_eq!(
        (e.value, e.value_text.as_deref(), e.line),
        (Some(5), Some("5 (0x5)"), 83)
    );
    assert_eq!(e.text.as_deref(), Some("Access is denied."));
    let e = entry(&p, "ERROR_MOD_NOT_FOUND");
    assert_eq!((e.value, e.line), (Some(126), 1240));
    assert_eq!(
        e.text.as_deref(),
        Some("The specified module could not be found.")
    );
    // The last entry stops at the "Requirements" heading.
    let last = p.entries.last().expect("entries");
    assert!(!last.text.as_deref().unwrap_or("").contains("Requirement"));
}

#[test]
fn system_error_ranges_are_reported_not_read() {
    let Some(p) = page("win32/Debug/system-error-codes--12000-15999-.md") else {
        return;
    };
    let reasons: Vec<(u32, &str)> = p
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (18, "\"ERROR_INTERNET_*\" is not a code name"),
            (31, "\"ERROR_WINHTTP_*\" is not a code name"),
        ]
    );
    // The text under a range is nobody's.
    assert!(p
        .entries
        .iter()
        .all(|e| !e.text.as_deref().unwrap_or("").contains("See WinHTTP")));
    let e = entry(&p, "ERROR_INSTALL_RESOLVE_DEPENDENCY_FAILED");
    assert_eq!(e.value, Some(0x3CF3));
}

#[test]
fn com_tables_with_definition_list_cells() {
    let Some(p) = page("win32/com/com-error-codes-1.md") else {
        return;
    };
    assert_eq!(p.layouts(), vec![Layout::MarkdownTable]);
    let e = entry(&p, "E_FAIL");
    assert_eq!((e.value, e.line), (Some(0x8000_4005), 230));
    assert_eq!(e.text.as_deref(), Some("Unspecified error"));
    let e = entry(&p, "E_ACCESSDENIED");
    assert_eq!(e.value, Some(0x8007_0005));
    assert_eq!(e.text.as_deref(), Some("General access denied error"));
    // Entities decoded, backslash escapes undone.
    let Some(p) = page("win32/com/com-error-codes-3.md") else {
        return;
    };
    assert_eq!(
        entry(&p, "CO_E_WRONGTRUSTEENAMESYNTAX").text.as_deref(),
        Some("One of the trustee strings provided by the user did not conform to the <Domain>\\<Name> syntax and it was not the \"*\" string")
    );
    // Another page's wording of the same code.
    let Some(p) = page("win32/SecCrypto/common-hresult-values.md") else {
        return;
    };
    assert_eq!(
        entry(&p, "E_FAIL").text.as_deref(),
        Some("Unspecified failure")
    );
}

#[test]
fn winsock_table_with_link_texts() {
    let Some(p) = page("win32/WinSock/windows-sockets-error-codes-2.md") else {
        return;
    };
    let e = entry(&p, "WSAEACCES");
    assert_eq!((e.value, e.line), (Some(10013), 30));
    let text = e.text.as_deref().expect("text");
    assert!(text.starts_with("Permission denied.\n\nAn attempt was made to access a socket in a way forbidden by its access permissions. An example is using a broadcast address for sendto without broadcast permission being set using setsockopt(SO_BROADCAST)."), "{text}");
    assert!(text.ends_with("is implemented by using the SO_EXCLUSIVEADDRUSE option."));
}

#[test]
fn ese_table_negative_values_and_names_given_for_values() {
    let Some(p) = page("win32/extensible-storage-engine/extensible-storage-engine-error-codes.md")
    else {
        return;
    };
    let e = entry(&p, "JET_errOutOfMemory");
    assert_eq!(
        (e.value, e.value_text.as_deref()),
        (Some(0xFFFF_FC0D), Some("-1011"))
    );
    assert_eq!(e.text.as_deref(), Some("The system is out of memory."));
    // "JET_wrnRecordFoundGreater | JET_wrnSeekNotEqual": the value by name, from this page.
    let e = entry(&p, "JET_wrnRecordFoundGreater");
    assert_eq!(e.alias_of.as_deref(), Some("JET_wrnSeekNotEqual"));
    assert_eq!(e.value, Some(1039));
    assert_eq!(entry(&p, "JET_wrnSeekNotEqual").value, Some(1039));
}

#[test]
fn windows_update_codes() {
    let Some(p) = page("win32/Wua_Sdk/wua-networking-error-codes-.md") else {
        return;
    };
    let e = entry(&p, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL");
    assert_eq!(e.value, Some(0x8024_4022));
    assert_eq!(
        e.text.as_deref(),
        Some("Same as HTTP status 503 – The service is temporarily overloaded.")
    );
}

#[test]
fn bug_check_pages() {
    let Some(p) = page("driver/debugger/bug-check-0xa--irql-not-less-or-equal.md") else {
        return;
    };
    assert_eq!(
        p.entries.len(),
        1,
        "only the bug check itself: {:?}",
        p.entries
    );
    let e = &p.entries[0];
    assert_eq!(
        (e.name.as_str(), e.value, e.layout),
        ("IRQL_NOT_LESS_OR_EQUAL", Some(0xA), Layout::BugCheck)
    );
    assert_eq!(e.text.as_deref(), Some("This bug check indicates that Microsoft Windows or a kernel-mode driver accessed paged memory at an invalid address while at a raised interrupt request level (IRQL). The cause is typically a bad pointer or a pageability problem."));
    // The value's sentence alone: the next paragraph says what the bug check means.
    let Some(p) = page("driver/debugger/bug-check-0x10--spin-lock-not-owned.md") else {
        return;
    };
    assert_eq!(
        p.entries[0].text.as_deref(),
        Some("This bug check appears very infrequently.")
    );
    // ... but a note after it is not the bug check's text.
    let Some(p) = page("driver/debugger/bug-check-0x155--os-data-tampering.md") else {
        return;
    };
    assert_eq!(p.entries[0].text, None);
    // A heading without "0x" and escaped underscores in the name.
    let Some(p) = page("driver/debugger/bug-check-0x17c--pdc-lock-watchdog-livedump.md") else {
        return;
    };
    assert_eq!(p.entries[0].name, "PDC_LOCK_WATCHDOG_LIVEDUMP");
    assert_eq!(p.entries[0].value, Some(0x17C));
}

#[test]
fn html_tables_definition_lists_and_split_names() {
    let Some(p) = page("win32/RRAS/routing-and-remote-access-error-codes.md") else {
        return;
    };
    assert_eq!(p.layouts(), vec![Layout::HtmlTable]);
    let e = entry(&p, "PENDING");
    assert_eq!((e.value, e.line), (Some(600), 35));
    assert_eq!(e.text.as_deref(), Some("An operation is pending."));
    // In HTML a backslash is text; entities are decoded.
    assert_eq!(
        entry(&p, "ERROR_DEFAULTOFF_MACRO_NOT_FOUND")
            .text
            .as_deref(),
        Some(
            "The \\<defaultoff> macro in the device .INF file section contains an undefined macro."
        )
    );
    let Some(p) = page("win32/WinInet/wininet-errors.md") else {
        return;
    };
    let e = entry(&p, "ERROR_FTP_DROPPED");
    assert_eq!((e.value, e.layout), (Some(12111), Layout::Blocks));
    assert_eq!(
        e.text.as_deref(),
        Some("The FTP operation was not completed because the session was aborted.")
    );
    // `<strong>ERROR_INSTALL_OPEN_</strong><br /><strong>PACKAGE_FAILED</strong>`.
    let Some(p) = page("win32/appxpkg/troubleshooting.md") else {
        return;
    };
    assert_eq!(
        entry(&p, "ERROR_INSTALL_OPEN_PACKAGE_FAILED").value,
        Some(0x8007_3CF0)
    );
}

#[test]
fn values_before_names_and_names_last() {
    let Some(p) = page("win32/PerfCtrs/pdh-error-codes.md") else {
        return;
    };
    let e = entry(&p, "PDH_CSTATUS_NO_MACHINE");
    assert_eq!(e.value, Some(0x8000_07D0));
    assert_eq!(
        e.text.as_deref(),
        Some("Unable to connect to the specified computer, or the computer is offline.")
    );
    let Some(p) = page("win32/NetMgmt/network-management-error-codes.md") else {
        return;
    };
    let e = entry(&p, "NERR_NetNotStarted");
    assert_eq!(e.value, Some(2102));
    assert_eq!(
        e.text.as_deref(),
        Some("The workstation driver is not installed.")
    );
}

#[test]
fn values_that_disagree_are_skipped_and_reported() {
    let Some(p) = page("win32/Debug/pe-format.md") else {
        return;
    };
    let s = p
        .skipped
        .iter()
        .find(|s| s.reason.starts_with("IMAGE_SYM_CLASS_END_OF_FUNCTION"))
        .expect("reported");
    assert_eq!(s.line, 966);
    assert!(s
        .reason
        .contains("\"-1\" and \"0xFF\" are different values"));
    assert!(p
        .entries
        .iter()
        .all(|e| e.name != "IMAGE_SYM_CLASS_END_OF_FUNCTION"));
}

#[test]
fn notes_and_links_in_running_text() {
    let Some(root) = msdocs() else { return };
    let text =
        std::fs::read_to_string(root.join("win32/Debug/system-error-codes--0-499-.md")).unwrap();
    let note: Vec<&str> = text.lines().skip(12).take(2).collect();
    assert_eq!(
        werr_msdocs::plain_text(&note.join("\n")),
        "Note: This information is intended for developers debugging system errors. For other errors, such as issues with Windows Update, see the list of resources on the Error codes page."
    );
}
