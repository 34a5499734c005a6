//! Facts of the embedded default KB (built from data/ by the project's importers).

use std::collections::{BTreeMap, BTreeSet};
use werr_kb::lang::LangRequest;
use werr_kb::Kb;

/// Names whose value in a mingw-w64 header differs from every windows-sys definition of the
/// name, reviewed one by one against both lines: each is a difference of the published
/// sources themselves, not an import error (a `*_LAST` marker that moved as codes were
/// added, a name two components define differently such as E_NOTFOUND, bugcodes.h flags,
/// or a value mingw-w64 and win32metadata disagree on). Both values stay in the KB.
const REVIEWED_DIFFERENCES: &[(&str, &str)] = &[
    (
        "BOOTING_IN_SAFEMODE_DSREPAIR",
        "bugcodes.h: mingw 0x400000AA, metadata 0xAA",
    ),
    (
        "BOOTING_IN_SAFEMODE_MINIMAL",
        "bugcodes.h: mingw 0x400000A8, metadata 0xA8",
    ),
    (
        "BOOTING_IN_SAFEMODE_NETWORK",
        "bugcodes.h: mingw 0x400000A9, metadata 0xA9",
    ),
    (
        "BOOTLOG_ENABLED",
        "bugcodes.h: mingw 0x400000B7, metadata 0xB7",
    ),
    (
        "BUGCODE_ID_DRIVER",
        "bugcodes.h: mingw 0x80000080, metadata 0xD2",
    ),
    (
        "E_NOTFOUND",
        "audio/XAML headers: HRESULT_FROM_WIN32(ERROR_NOT_FOUND); metadata: HtmlHelp's 0x8000100D",
    ),
    (
        "EAP_E_CERT_STORE_INACCESSIBLE",
        "eaphosterror.h: mingw 0x80420011, metadata 0x80420010",
    ),
    (
        "ERROR_DHCP_SUBNET_EXISTS",
        "dhcpsapi.h: mingw 20004, metadata 20052",
    ),
    (
        "ERROR_INVALID_CONFIG_VALUE",
        "winerror.h of mingw-w64 13: 519; metadata: 479",
    ),
    (
        "IMPERSONATING_WORKER_THREAD",
        "bugcodes.h: mingw 0xFA, metadata 0xDF",
    ),
    (
        "INET_E_ERROR_LAST",
        "*_LAST marker (alias of the last code), moved as codes were added",
    ),
    (
        "STATUS_GRAPHICS_DRIVER_MISMATCH",
        "ntstatus.h: mingw 0x401E0117, metadata 0xC01E0009",
    ),
    (
        "STATUS_PKU2U_CERT_FAILURE",
        "ntstatus.h: mingw 0xC000042E, metadata 0xC000042F",
    ),
    (
        "XACT_E_LAST",
        "*_LAST marker: mingw 0x8004D029, metadata 0x8004D02B",
    ),
];

/// Names Wine 8.0's winerror.h gives other values than the SDK and win32metadata, reviewed
/// against both: the 28 COM security errors from CO_E_FAILEDTOIMPERSONATE, which Wine
/// numbers 0x80040200..0x8004021B where the SDK has 0x80010123..0x8001013F, and
/// CRYPT_I_NEW_PROTECTION_REQUIRED, an informational code
/// (0x00091012) that Wine writes with the severity bit (0x80091012). Both values stay in the
/// KB, each with its source.
const WINE_DIFFERENCES: &[&str] = &[
    "CO_E_ACCESSCHECKFAILED",
    "CO_E_ACESINWRONGORDER",
    "CO_E_ACNOTINITIALIZED",
    "CO_E_CONVERSIONFAILED",
    "CO_E_DECODEFAILED",
    "CO_E_EXCEEDSYSACLLIMIT",
    "CO_E_FAILEDTOCLOSEHANDLE",
    "CO_E_FAILEDTOCREATEFILE",
    "CO_E_FAILEDTOGENUUID",
    "CO_E_FAILEDTOGETSECCTX",
    "CO_E_FAILEDTOGETTOKENINFO",
    "CO_E_FAILEDTOGETWINDIR",
    "CO_E_FAILEDTOIMPERSONATE",
    "CO_E_FAILEDTOOPENPROCESSTOKEN",
    "CO_E_FAILEDTOOPENTHREADTOKEN",
    "CO_E_FAILEDTOQUERYCLIENTBLANKET",
    "CO_E_FAILEDTOSETDACL",
    "CO_E_INCOMPATIBLESTREAMVERSION",
    "CO_E_INVALIDSID",
    "CO_E_LOOKUPACCNAMEFAILED",
    "CO_E_LOOKUPACCSIDFAILED",
    "CO_E_NETACCESSAPIFAILED",
    "CO_E_NOMATCHINGNAMEFOUND",
    "CO_E_NOMATCHINGSIDFOUND",
    "CO_E_PATHTOOLONG",
    "CO_E_SETSERLHNDLFAILED",
    "CO_E_TRUSTEEDOESNTMATCHCLIENT",
    "CO_E_WRONGTRUSTEENAMESYNTAX",
    "CRYPT_I_NEW_PROTECTION_REQUIRED",
];

fn kb() -> Kb {
    Kb::embedded().expect("the embedded KB opens")
}

#[test]
fn embedded_kb_has_the_default_sources_in_order_of_precedence() {
    let sources: Vec<String> = kb()
        .sources()
        .expect("sources")
        .iter()
        .map(|s| format!("{}@{}", s.kit, s.version))
        .collect();
    assert_eq!(
        sources,
        [
            "msdocs-win32@47e64c1",
            "msdocs-driver@825aa15",
            "ms-erref@impacket-0.13.1",
            "mingw-w64@10.0.0",
            "mingw-w64@13.0.0",
            "windows-sys@0.61.2",
            "windows-sys@0.48.0",
            "reactos@git",
            "wine@8.0",
            "wine-headers@8.0",
            "welm@2.3.0.0"
        ]
    );
}

#[test]
fn embedded_kb_has_the_event_texts_of_fourteen_windows_releases() {
    let kb = kb();
    let names: Vec<&str> = kb
        .releases()
        .expect("releases")
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names.len(), 14, "{names:?}");
    assert_eq!(kb.resolve_release("7").expect("7").name, "7-sp1");
    let started = kb
        .event_message("microsoft-windows-kernel-general", 12, None)
        .expect("query")
        .expect("Kernel-General 12");
    assert_eq!(started.release, "10-1703");
    assert_eq!(
        started.texts[0].text,
        "The operating system started at system time %7."
    );
    assert_eq!(started.texts[0].source, "welm 2.3.0.0");
    let hits = kb
        .search_events("successfully logged on", 5)
        .expect("search");
    assert!(
        hits.iter()
            .any(|h| h.provider == "Microsoft-Windows-Security-Auditing" && h.event_id == 4624),
        "{hits:?}"
    );
}

#[test]
fn header_values_agree_with_windows_sys_for_every_shared_name() {
    let kb = kb();
    let conn = kb.connection();
    let mut stmt = conn
        .prepare(
            "SELECT s.name, src.kit, o.value FROM occurrences o JOIN symbols s ON s.id = o.symbol \
             JOIN sources src ON src.id = o.source WHERE o.value IS NOT NULL",
        )
        .expect("prepare");
    let mut headers: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut metadata: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })
        .expect("query");
    for row in rows {
        let (name, kit, value) = row.expect("row");
        // The headers' import rule is what this checks (mingw-w64's and Wine's headers); the
        // other sources (MS-ERREF's tables, documentation pages, message files) are read as
        // they are written.
        let map = match kit.as_str() {
            "windows-sys" => &mut metadata,
            "mingw-w64" | "wine-headers" => &mut headers,
            _ => continue,
        };
        map.entry(name).or_default().insert(value);
    }
    let mut shared = 0;
    let mut differing = BTreeSet::new();
    for (name, values) in &headers {
        let Some(meta) = metadata.get(name) else {
            continue;
        };
        shared += 1;
        if !values.is_subset(meta) {
            differing.insert(name.as_str());
        }
    }
    assert!(
        shared > 10_000,
        "only {shared} names shared with windows-sys"
    );
    let reviewed: BTreeSet<&str> = REVIEWED_DIFFERENCES
        .iter()
        .map(|(n, _)| *n)
        .chain(WINE_DIFFERENCES.iter().copied())
        .collect();
    let new: Vec<&&str> = differing.difference(&reviewed).collect();
    let gone: Vec<&&str> = reviewed.difference(&differing).collect();
    assert!(
        new.is_empty(),
        "values differ from windows-sys for names not reviewed: {new:?}"
    );
    assert!(
        gone.is_empty(),
        "reviewed differences that no longer exist (drop them): {gone:?}"
    );
}

#[test]
fn seed_record_has_its_mingw_definition_and_layout() {
    let r = kb()
        .record("EVENT_TCPIP_TCP_TIME_WAIT_COLLISION", &LangRequest::ANY)
        .expect("query")
        .expect("the seed name is in the KB");
    assert_eq!(r.value.map(|v| v.unsigned), Some(0x8000_1083));
    assert_eq!(r.defined_at[0].file, "netevent.h");
    assert_eq!(r.defined_at[0].line, 520);
    let layout = r.layout.expect("a layout");
    assert_eq!(layout.severity_name, Some("Warning"));
    assert_eq!(layout.code, 4227);
}

#[test]
fn lookup_of_a_win32_code_finds_its_hresult_through_the_conversion() {
    let matches = kb().lookup("5", 50).expect("lookup");
    let hr = matches
        .iter()
        .find(|m| m.name == "E_ACCESSDENIED")
        .expect("E_ACCESSDENIED");
    assert!(matches!(
        &hr.reason,
        werr_kb::MatchReason::Related { relation } if relation == "E_ACCESSDENIED = HRESULT_FROM_WIN32(5)"
    ));
}

#[test]
fn prefix_substring_and_typo_queries_find_names() {
    let kb = kb();
    let first = |q: &str| {
        kb.match_names(q, 5)
            .expect("match")
            .first()
            .map(|(n, how)| (n.clone(), *how))
    };
    assert_eq!(
        first("error_access_denied"),
        Some(("ERROR_ACCESS_DENIED".into(), werr_kb::NameMatch::Exact))
    );
    assert_eq!(
        first("STATUS_ACCESS_VIOL").map(|x| x.1),
        Some(werr_kb::NameMatch::Prefix)
    );
    assert_eq!(
        first("TCP_TIME_WAIT_COLL"),
        Some((
            "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION".into(),
            werr_kb::NameMatch::Substring
        ))
    );
    assert_eq!(
        first("STATUS_ACCES_VIOLATION"),
        Some(("STATUS_ACCESS_VIOLATION".into(), werr_kb::NameMatch::Fuzzy))
    );
}

#[test]
fn diff_of_the_two_mingw_versions_shows_added_and_changed_names() {
    let kb = kb();
    let old = kb.find_source("mingw-w64@10.0.0").expect("mingw 10");
    let new = kb.find_source("mingw-w64@13.0.0").expect("mingw 13");
    let diff = kb.diff(&old, &new).expect("diff");
    assert!(diff.added.len() > 500, "only {} added", diff.added.len());
    assert!(diff
        .added
        .iter()
        .any(|(n, v)| n == "ERROR_INVALID_CONFIG_VALUE" && *v == Some(519)));
    assert!(diff.removed.len() < diff.added.len());
}

/// The first match of `query` named `name`, with the sources that define it.
fn found(query: &str, name: &str) -> werr_kb::Match {
    kb().lookup(query, 50)
        .expect("lookup")
        .into_iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{query} finds {name}"))
}

#[test]
fn the_widened_rules_reach_the_default_kb() {
    // A negative ESE error, stored as the 32-bit value of the int: -1018 is 0xFFFFFC06.
    let jet = found("-1018", "JET_errReadVerifyFailure");
    assert_eq!(jet.value.map(|v| v.unsigned), Some(0xFFFF_FC06));
    assert!(
        kb().occurrences_of("JET_errReadVerifyFailure")
            .unwrap()
            .iter()
            .any(|o| o.kit == "mingw-w64" && o.category == "ESE error"),
        "esent.h's family rule types it"
    );
    // An enum member of wbemcli.h's WBEMSTATUS, also WBEMSTATUS-typed in windows-sys.
    let wbem = found("0x80041003", "WBEM_E_ACCESS_DENIED");
    assert!(
        wbem.sources.iter().any(|s| s.starts_with("mingw-w64")),
        "{:?}",
        wbem.sources
    );
    assert!(
        wbem.sources.iter().any(|s| s == "windows-sys 0.61.2"),
        "{:?}",
        wbem.sources
    );
    // lmerrlog.h's error log codes: 3100 is NELOG_Internal_Error.
    assert_eq!(
        found("3100", "NELOG_Internal_Error").category,
        "LAN Manager error log entry"
    );
    // Windows Search's i32 and WinRM's u32 constants of windows-sys.
    found("0x80043604", "FTE_E_ADMIN_BLOB_CORRUPT");
    found(
        "0x80338135",
        "ERROR_WINRS_CLIENT_CLOSESENDHANDLE_NULL_PARAM",
    );
    // VDS: of the code sources, only windows-sys 0.48 has its namespace (its documentation
    // page lists it too).
    let vds = found("0x80042427", "VDS_E_ACCESS_DENIED");
    assert!(
        vds.sources.iter().any(|s| s == "windows-sys 0.48.0")
            && !vds
                .sources
                .iter()
                .any(|s| s.starts_with("windows-sys 0.61")),
        "{:?}",
        vds.sources
    );
    // A name only Wine's headers define.
    let wine = found("D3DX10_ERR_INVALID_DATA", "D3DX10_ERR_INVALID_DATA");
    assert_eq!(wine.sources, ["wine-headers 8.0"]);
}

#[test]
fn a_lookup_text_is_credited_to_its_source_page_and_license() {
    let kb = kb();
    let matches = kb.lookup("0x80070005", 20).unwrap();
    let answer = matches.iter().find(|m| m.lead).expect("an answer");
    let from = answer.description_from.as_deref().expect("a text's place");
    let credit = kb.text_credit(from).unwrap().expect("a known source");
    assert_eq!(credit.source, "msdocs-win32");
    assert_eq!(credit.license, "CC-BY-4.0");
    assert!(credit.file.starts_with("desktop-src/"), "{credit:?}");
    assert!(from.ends_with(&credit.file));
    // A message table's text: its module, under Wine's license.
    let texts = kb.messages_named("ERROR_FILE_NOT_FOUND").unwrap();
    let wine = texts
        .iter()
        .find(|t| t.source.starts_with("wine "))
        .expect("Wine's text");
    let credit = kb.text_credit(&wine.source).unwrap().expect("Wine");
    assert_eq!(
        (credit.source.as_str(), credit.file.as_str()),
        ("wine", "kernelbase.dll")
    );
    assert!(credit.license.starts_with("LGPL-2.1"), "{credit:?}");
    assert_eq!(kb.text_credit("nosuchkit 1 file.h").unwrap(), None);
}

/// Windows' own English text of a Win32 error, where the embedded system table is Wine's
/// (`Out of memory.`, `Request not supported.`): Microsoft's documentation first.
#[test]
fn microsoft_s_text_of_a_win32_error_is_its_documentation_s() {
    let kb = Kb::embedded().unwrap();
    let (text, source) = kb.microsoft_win32_text(50).unwrap().unwrap();
    assert_eq!(text, "The request is not supported.");
    assert!(source.starts_with("msdocs-win32 "), "{source}");
    let (text, _) = kb.microsoft_win32_text(14).unwrap().unwrap();
    assert_eq!(
        text,
        "Not enough storage is available to complete this operation."
    );
    let (text, _) = kb.microsoft_win32_text(1058).unwrap().unwrap();
    assert!(text.starts_with("The service cannot be started, either because it is disabled"));
    // WinHTTP's page follows its 12002 with notes of its own: the message is the first
    // paragraph, as WinINet's page gives it.
    let (text, _) = kb.microsoft_win32_text(12002).unwrap().unwrap();
    assert_eq!(text, "The request has timed out.");
    // 0xFFFF is no Win32 error Microsoft documents.
    assert_eq!(kb.microsoft_win32_text(0xFFFF).unwrap(), None);
}

/// A message of Wine's or ReactOS's tables in Windows' words: an English Win32 error of a
/// module numbered by Win32 errors becomes Microsoft's text; a module numbered otherwise (a
/// bug check 0xA of ntoskrnl.exe is not Win32 error 10) keeps its own, said to be ReactOS's.
#[test]
fn windows_wording_replaces_only_win32_errors_of_win32_tables() {
    let kb = Kb::embedded().unwrap();
    let any = LangRequest::ANY;
    let memory = kb
        .module_message("kernelbase.dll", 14, &any)
        .unwrap()
        .unwrap();
    let worded = kb.windows_wording(memory).unwrap();
    assert_eq!(
        worded.text,
        "Not enough storage is available to complete this operation.\r\n"
    );
    assert!(matches!(
        worded.wording,
        werr_kb::Wording::Microsoft {
            instead_of: "Wine",
            ..
        }
    ));
    let bug_check = kb
        .module_message("ntoskrnl.exe", 0xA, &any)
        .unwrap()
        .unwrap();
    let own = bug_check.text.clone();
    let worded = kb.windows_wording(bug_check).unwrap();
    assert_eq!(worded.text, own);
    assert_eq!(
        worded.wording,
        werr_kb::Wording::Rewrite { system: "ReactOS" }
    );
    let german = kb
        .module_message("kernelbase.dll", 14, &LangRequest::parse("de").unwrap())
        .unwrap()
        .unwrap();
    let worded = kb.windows_wording(german).unwrap();
    assert_eq!(worded.text.trim_end(), "Kein Arbeitsspeicher mehr.");
    assert_eq!(worded.wording, werr_kb::Wording::Rewrite { system: "Wine" });
}

/// A Win32 error Wine's kernelbase.dll lacks (it has 756 of them): in English, Microsoft's
/// text answers for the system table, as Windows' own table would; in German, nothing does.
#[test]
fn a_win32_error_wine_s_table_lacks_is_given_in_microsoft_s_words() {
    let kb = Kb::embedded().unwrap();
    let any = LangRequest::ANY;
    assert_eq!(
        kb.module_message("kernelbase.dll", 1275, &any).unwrap(),
        None
    );
    let worded = kb
        .module_message_in_windows_words("kernelbase.dll", 1275, &any)
        .unwrap()
        .unwrap();
    assert_eq!(
        worded.text,
        "This driver has been blocked from loading.\r\n"
    );
    assert!(matches!(
        worded.wording,
        werr_kb::Wording::Microsoft {
            instead_of: "Wine",
            ..
        }
    ));
    // A message id no table has reads as the system table's Win32 error (format --id).
    match kb.message_in_windows_words(1275, &any).unwrap() {
        werr_kb::WordedMessage::Found {
            wording,
            fallback_note: None,
        } => assert_eq!(wording, worded),
        other => panic!("{other:?}"),
    }
    // An id a table has keeps that table's text: 6005 is EventLog's (ReactOS's netevent.dll
    // 0x80001775 through its low 16 bits), not ERROR_WRONG_EFS.
    match kb.message_in_windows_words(6005, &any).unwrap() {
        werr_kb::WordedMessage::Found { wording, .. } => {
            assert_eq!(wording.text, "The Event log service was started.\r\n")
        }
        other => panic!("{other:?}"),
    }
    let german = LangRequest::parse("de").unwrap();
    assert_eq!(
        kb.message_in_windows_words(1275, &german).unwrap(),
        werr_kb::WordedMessage::NotFound
    );
    assert_eq!(
        kb.module_message_in_windows_words("kernelbase.dll", 1275, &german)
            .unwrap(),
        None
    );
    // Not a module numbered by Win32 errors: no text is made up for it.
    assert_eq!(
        kb.module_message_in_windows_words("ntoskrnl.exe", 1275, &any)
            .unwrap(),
        None
    );
}
