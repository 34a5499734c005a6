//! Importing into a KB: header trees, windows-sys modules, the data/ text form,
//! transactions.

use std::path::PathBuf;
use werr_kb::lang::LangRequest;
use werr_kb::{HeaderImporter, Importer, Kb, NoProgress, SourceRow, WindowsSysImporter};

fn source(kit: &str, version: &str) -> SourceRow {
    SourceRow {
        kit: kit.into(),
        version: version.into(),
        origin: "test".into(),
        license: "test".into(),
    }
}

fn import_tree(kb: &mut Kb, kit: &str, version: &str, root: PathBuf) -> werr_kb::ImportSummary {
    kb.import_paths(
        &source(kit, version),
        &[root],
        &[&HeaderImporter::default() as &dyn Importer],
        &NoProgress,
    )
    .expect("import")
}

#[test]
fn header_with_unclosed_comment_is_reported_at_its_line_and_the_rest_imports() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("apperr.h"),
        "#define APP_E_ONE ((HRESULT)0x80040201L)\n/* never closed\n#define APP_E_TWO 2\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("winerror.h"),
        "#define ERROR_SOMETHING 4242L\n",
    )
    .expect("write");
    let mut kb = Kb::in_memory().expect("kb");
    let summary = import_tree(&mut kb, "t", "1", dir.path().to_path_buf());
    let issue = summary
        .issues
        .iter()
        .find(|i| i.path == "apperr.h")
        .expect("the unclosed comment is reported");
    assert_eq!(issue.line, 2);
    assert!(!issue.skipped_file);
    assert_eq!(
        kb.occurrences_of("APP_E_ONE").expect("query")[0].value,
        Some(0x8004_0201)
    );
    assert_eq!(
        kb.occurrences_of("ERROR_SOMETHING").expect("query")[0].value,
        Some(4242)
    );
}

#[test]
fn failed_import_keeps_the_previous_content() {
    let mut kb = Kb::in_memory().expect("kb");
    kb.import(&source("a", "1"), |s| {
        let f = s.add_file(&werr_kb::FileRow {
            path: "a.h".into(),
            preamble: None,
        })?;
        s.add_definition(
            f,
            None,
            &werr_kb::DefinitionRow {
                name: "KEPT".into(),
                value: Some(1),
                ..Default::default()
            },
        )
    })
    .expect("first import");
    let failed = kb.import(&source("a", "1"), |s| {
        let f = s.add_file(&werr_kb::FileRow {
            path: "b.h".into(),
            preamble: None,
        })?;
        s.add_definition(
            f,
            None,
            &werr_kb::DefinitionRow {
                name: "LOST".into(),
                value: Some(2),
                ..Default::default()
            },
        )?;
        Err::<(), _>(werr_kb::Error::Import {
            path: "b.h".into(),
            message: "stop".into(),
        })
    });
    assert!(failed.is_err());
    assert_eq!(kb.occurrences_of("KEPT").expect("query").len(), 1);
    assert!(kb.occurrences_of("LOST").expect("query").is_empty());
}

#[test]
fn reimporting_a_version_replaces_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut kb = Kb::in_memory().expect("kb");
    std::fs::write(dir.path().join("winerror.h"), "#define ERROR_OLD 1L\n").expect("write");
    import_tree(&mut kb, "t", "1", dir.path().to_path_buf());
    std::fs::write(dir.path().join("winerror.h"), "#define ERROR_NEW 2L\n").expect("write");
    import_tree(&mut kb, "t", "1", dir.path().to_path_buf());
    assert!(kb.occurrences_of("ERROR_OLD").expect("query").is_empty());
    assert_eq!(kb.occurrences_of("ERROR_NEW").expect("query").len(), 1);
    assert_eq!(kb.sources().expect("sources").len(), 1);
}

#[test]
fn data_form_round_trips_a_real_header_tree() {
    let Some(winerror) =
        werr_testdata::fixture("mingw-w64-common-10.0.0/usr/share/mingw-w64/include/winerror.h")
    else {
        return;
    };
    let mut kb = Kb::in_memory().expect("kb");
    import_tree(&mut kb, "mingw-w64", "10.0.0", winerror);
    let src = kb.sources().expect("sources").remove(0);
    let text = kb.export_source(&src).expect("export");
    let mut again = Kb::in_memory().expect("kb");
    again.load_dataset("winerror", &text).expect("load");
    let src2 = again.sources().expect("sources").remove(0);
    assert_eq!(again.export_source(&src2).expect("export"), text);
    assert!(text.lines().filter(|l| l.starts_with("D\t")).count() > 3000);
}

#[test]
fn data_form_error_names_the_line() {
    let mut kb = Kb::in_memory().expect("kb");
    let err = kb
        .load_dataset(
            "x.tsv",
            "S\tk\t1\to\tl\nD\t1\tNAME\t0xZZ\tDWORD\tc\t\te\td\t\t\t\n",
        )
        .expect_err("a bad value is rejected");
    let text = err.to_string();
    assert!(text.contains("x.tsv: line 2"), "{text}");
}

/// The names and Rust types the windows-sys importer keeps from one module.
fn windows_sys_kept(module: &str) -> Option<Vec<(String, String, String)>> {
    let path = werr_testdata::cargo_registry_file("windows-sys-0.61", module)?;
    let bytes = std::fs::read(&path).expect("read");
    let parsed = WindowsSysImporter::default()
        .parse(module, &bytes)
        .expect("parse");
    Some(
        parsed
            .definitions
            .into_iter()
            .map(|(_, d)| (d.name, d.c_type, d.category))
            .collect(),
    )
}

fn kept_as<'a>(
    kept: &'a [(String, String, String)],
    name: &str,
) -> Option<&'a (String, String, String)> {
    kept.iter().find(|(n, _, _)| n == name)
}

#[test]
fn windows_sys_module_keeps_code_types_and_known_names() {
    let Some(foundation) = werr_testdata::cargo_registry_file(
        "windows-sys-0.61",
        "src/Windows/Win32/Foundation/mod.rs",
    ) else {
        return;
    };
    let bytes = std::fs::read(&foundation).expect("read");
    let importer = WindowsSysImporter::default();
    let parsed = importer
        .parse("src/Windows/Win32/Foundation/mod.rs", &bytes)
        .expect("parse");
    let denied = parsed
        .definitions
        .iter()
        .map(|(_, d)| d)
        .find(|d| d.name == "E_ACCESSDENIED")
        .expect("E_ACCESSDENIED is in Foundation");
    assert_eq!(denied.value, Some(0x8007_0005));
    assert_eq!(denied.c_type, "HRESULT");
    // Code types, or codes by name and value (Foundation's `i32` SDIAG_E_*).
    assert!(parsed.definitions.iter().all(|(_, d)| {
        werr_kb::CODE_TYPES.contains(&d.c_type.as_str())
            || d.value
                .is_some_and(|v| werr_headers::is_code_name(&d.name, v))
    }));
    assert!(parsed
        .definitions
        .iter()
        .any(|(_, d)| d.name == "ERROR_ACCESS_DENIED"
            && d.namespace.as_deref() == Some("Windows.Win32.Foundation")));
    let kept = windows_sys_kept("src/Windows/Win32/Foundation/mod.rs").expect("read above");
    assert_eq!(
        kept_as(&kept, "SDIAG_E_CANCELLED"),
        Some(&("SDIAG_E_CANCELLED".into(), "i32".into(), "HRESULT".into()))
    );
    assert!(kept_as(&kept, "MAX_PATH").is_none());
}

#[test]
fn windows_sys_keeps_the_codes_of_every_rust_type() {
    let Some(search) = windows_sys_kept("src/Windows/Win32/System/Search/mod.rs") else {
        return;
    };
    // Windows Search's codes are plain i32 in the metadata; its BCP options are not codes.
    assert!(kept_as(&search, "FTE_E_ADMIN_BLOB_CORRUPT").is_some());
    assert!(kept_as(&search, "BCPABORT").is_none());
    // WinRM's are u32; its flags are not codes.
    let winrm = windows_sys_kept("src/Windows/Win32/System/RemoteManagement/mod.rs")
        .expect("the same crate");
    assert_eq!(
        kept_as(&winrm, "ERROR_WINRS_CLIENT_CLOSESENDHANDLE_NULL_PARAM").map(|k| k.2.as_str()),
        Some("HRESULT")
    );
    assert!(kept_as(&winrm, "WSMAN_FLAG_REQUESTED_API_VERSION_1_0").is_none());
    // WMI's codes are enum types: WBEMSTATUS (its success members too), WbemErrorEnum;
    // its flag enums and -1 are not codes.
    let wmi = windows_sys_kept("src/Windows/Win32/System/Wmi/mod.rs").expect("the same crate");
    for name in ["WBEM_E_ACCESS_DENIED", "WBEM_S_NO_ERROR", "wbemErrFailed"] {
        assert!(kept_as(&wmi, name).is_some(), "{name}");
    }
    assert_eq!(
        kept_as(&wmi, "WBEM_E_ACCESS_DENIED").map(|k| k.1.as_str()),
        Some("WBEMSTATUS")
    );
    for name in ["WBEM_FLAG_RETURN_IMMEDIATELY", "WBEM_INFINITE"] {
        assert!(kept_as(&wmi, name).is_none(), "{name}");
    }
}

#[test]
fn messages_of_a_code_show_in_its_record_by_language_and_in_full_text() {
    let mut kb = Kb::in_memory().expect("kb");
    kb.import(&source("netevent-dll", "1"), |s| {
        let f = s.add_file(&werr_kb::FileRow {
            path: "netevent.h".into(),
            preamble: None,
        })?;
        s.add_definition(
            f,
            None,
            &werr_kb::DefinitionRow {
                name: "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION".into(),
                value: Some(0x8000_1083),
                c_type: "LONG".into(),
                category: "Network events".into(),
                ..Default::default()
            },
        )?;
        // The message file names the message, as an .mc import records it.
        s.add_message_name(&werr_kb::MessageNameRow {
            module: "netevent.dll".into(),
            message_id: 0x8000_1083,
            name: "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION".into(),
        })?;
        for (langid, text) in [
            (
                0x0409,
                "TCP/IP failed to establish an outgoing connection.%n",
            ),
            (
                0x0407,
                "TCP/IP konnte keine ausgehende Verbindung herstellen.%n",
            ),
        ] {
            s.add_message(&werr_kb::MessageRow {
                module: "netevent.dll".into(),
                message_id: 0x8000_1083,
                langid,
                text: text.into(),
                file: None,
            })?;
        }
        Ok(())
    })
    .expect("import");
    let all = kb
        .record("EVENT_TCPIP_TCP_TIME_WAIT_COLLISION", &LangRequest::ANY)
        .expect("query")
        .expect("record");
    assert_eq!(all.messages.len(), 2);
    assert_eq!(
        all.description.as_deref(),
        Some("TCP/IP failed to establish an outgoing connection.%n")
    );
    let german = kb
        .record(
            "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION",
            &LangRequest::parse("de").unwrap(),
        )
        .expect("query")
        .expect("record");
    assert_eq!(german.messages.len(), 1);
    assert_eq!(german.messages[0].lang, "de-DE");
    let mut matches = kb.lookup("0x80001083", 10).expect("lookup");
    kb.describe_from_messages(&mut matches, &LangRequest::parse("de-DE").unwrap())
        .expect("describe");
    assert_eq!(
        matches[0].description.as_deref(),
        Some("TCP/IP konnte keine ausgehende Verbindung herstellen.%n")
    );
    let hits = kb
        .search("ausgehende Verbindung", &LangRequest::ANY, 10)
        .expect("search");
    assert!(matches!(&hits[0], werr_kb::SearchHit::Message(m) if m.langid == 0x0407));
}

#[test]
fn a_version_1_kb_file_is_upgraded_on_open_and_its_module_queries_use_an_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.kb");
    drop(Kb::open_or_create(&path).expect("create"));
    // Make it what werr 0.1 wrote: no module index, schema version 1.
    let conn = rusqlite::Connection::open(&path).expect("open raw");
    conn.execute_batch("DROP INDEX messages_module; PRAGMA user_version = 1;")
        .expect("downgrade");
    drop(conn);

    let kb = Kb::open(&path).expect("a version 1 KB opens");
    let conn = kb.connection();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, werr_kb::SCHEMA_VERSION);
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT 1 FROM messages WHERE module = 'kernelbase.dll' \
             COLLATE NOCASE LIMIT 1",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("messages_module"), "query plan: {plan}");
    assert!(kb.has_module_messages("KERNELBASE.DLL").unwrap());

    // A version this build does not know is refused, naming the file and both versions.
    kb.connection()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    drop(kb);
    let err = Kb::open(&path)
        .err()
        .expect("version 99 is refused")
        .to_string();
    let expected = werr_kb::SCHEMA_VERSION.to_string();
    assert!(err.contains("99") && err.contains(&expected), "{err}");
    assert!(err.starts_with(&format!("{}: ", path.display())), "{err}");
}

#[test]
fn opening_for_reading_is_read_only_and_still_upgrades_an_old_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("user.kb");
    drop(Kb::open_or_create(&path).expect("create"));

    let kb = Kb::open_for_reading(&path).expect("opens for reading");
    assert!(kb.has_module_messages("KERNELBASE.DLL").unwrap());
    let write = kb
        .connection()
        .execute_batch("CREATE TABLE scratch(x)")
        .expect_err("a read-only handle cannot write");
    assert!(write.to_string().contains("readonly"), "{write}");
    drop(kb);

    // A version 1 file goes through the writable open, which upgrades it.
    let conn = rusqlite::Connection::open(&path).expect("open raw");
    conn.execute_batch("DROP INDEX messages_module; PRAGMA user_version = 1;")
        .expect("downgrade");
    drop(conn);
    let kb = Kb::open_for_reading(&path).expect("a version 1 KB opens");
    let version: i64 = kb
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, werr_kb::SCHEMA_VERSION);

    let missing = Kb::open_for_reading(&dir.path().join("none.kb"))
        .err()
        .expect("a missing file is an error")
        .to_string();
    assert!(missing.contains("none.kb"), "{missing}");
}

#[test]
fn a_new_kb_file_holds_only_what_was_imported_over_the_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("user.kb");
    let mut kb = Kb::open_or_create(&path).expect("create");
    assert!(
        std::fs::metadata(&path).unwrap().len() < 200_000,
        "a new KB file is empty, not a copy of the default"
    );
    // The default answers beneath it.
    assert_eq!(
        kb.lookup("0x80070005", 5).unwrap()[0].name,
        "E_ACCESSDENIED"
    );
    let default_sources = Kb::embedded().unwrap().sources().unwrap().len();
    assert_eq!(kb.sources().unwrap().len(), default_sources);

    // The user's facts come first: a definition of a name the default also has.
    import_one(
        &mut kb,
        "E_ACCESSDENIED",
        0x8007_0005,
        "#define E_ACCESSDENIED 0x80070005L",
        Some("Mine."),
    );
    let occ = kb.occurrences_of("E_ACCESSDENIED").unwrap();
    assert_eq!(
        (occ[0].kit.as_str(), occ[0].file.as_str()),
        ("mine", "mine.h")
    );
    assert!(occ.len() > 1, "the default's definitions follow the user's");
    let sources = kb.sources().unwrap();
    assert_eq!(sources.len(), default_sources + 1);
    assert_eq!(sources[0].kit, "mine", "the user's source is listed first");
    drop(kb);

    let reader = Kb::open_for_reading(&path).expect("reopen");
    assert_eq!(
        reader
            .record("E_ACCESSDENIED", &werr_kb::lang::LangRequest::ANY)
            .unwrap()
            .unwrap()
            .defined_at[0]
            .source,
        "mine"
    );
    let hits = reader
        .search("Mine", &werr_kb::lang::LangRequest::ANY, 5)
        .unwrap();
    assert!(
        hits.iter()
            .any(|h| matches!(h, werr_kb::SearchHit::Definition(o) if o.kit == "mine")),
        "full text finds the user's layer"
    );
    assert!(
        !reader
            .search("Verbindung", &werr_kb::lang::LangRequest::ANY, 5)
            .unwrap()
            .is_empty(),
        "and the default's"
    );
}

/// Imports one definition of `name` as the user's source `mine` 1, from `mine.h`.
fn import_one(kb: &mut Kb, name: &str, value: u32, definition: &str, text: Option<&str>) {
    kb.import(&user_source(), |s| {
        let file = s.add_file(&werr_kb::FileRow {
            path: "mine.h".into(),
            preamble: None,
        })?;
        s.add_definition(
            file,
            None,
            &werr_kb::DefinitionRow {
                name: name.into(),
                value: Some(value),
                expression: definition.rsplit(' ').next().unwrap_or_default().into(),
                c_type: "HRESULT".into(),
                category: "hresult".into(),
                line: 7,
                definition: definition.into(),
                message_text: text.map(Into::into),
                ..Default::default()
            },
        )
    })
    .expect("import");
}

fn user_source() -> SourceRow {
    SourceRow {
        kit: "mine".into(),
        version: "1".into(),
        origin: "test".into(),
        license: "test".into(),
    }
}

#[test]
fn a_full_copy_kb_of_an_older_werr_keeps_the_user_s_imports_and_drops_the_copy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.kb");
    // What werr wrote before layering: a copy of the whole default (schema version 2, without
    // the event-source tables), into which the user imported a source.
    std::fs::write(&path, werr_kb::default_image()).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.execute_batch(
            "DROP TABLE providers; DROP TABLE manifest_events; PRAGMA user_version = 2;",
        )
        .expect("make it version 2");
    }
    let copy_size = std::fs::metadata(&path).unwrap().len();
    {
        // Importing through today's werr upgrades it first.
        let mut kb = Kb::open(&path).expect("a version 2 full copy opens");
        import_one(
            &mut kb,
            "MY_OWN_ERROR",
            0xA000_0001,
            "#define MY_OWN_ERROR 0xA0000001",
            None,
        );
    }
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size < copy_size / 10,
        "the copied default is gone ({copy_size} -> {size} bytes)"
    );
    let kb = Kb::open_for_reading(&path).expect("reopen");
    let default_sources = Kb::embedded().unwrap().sources().unwrap();
    let sources = kb.sources().unwrap();
    assert_eq!(sources.len(), default_sources.len() + 1, "no source twice");
    assert_eq!(
        kb.lookup("MY_OWN_ERROR", 1).unwrap()[0]
            .value
            .unwrap()
            .unsigned,
        0xA000_0001
    );
    assert_eq!(
        kb.lookup("0x80070005", 1).unwrap()[0].name,
        "E_ACCESSDENIED"
    );
    let occ = kb.occurrences_of("E_ACCESSDENIED").unwrap();
    let embedded = Kb::embedded()
        .unwrap()
        .occurrences_of("E_ACCESSDENIED")
        .unwrap();
    assert_eq!(occ.len(), embedded.len(), "the default's definitions, once");
}
