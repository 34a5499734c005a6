//! The WELM importer on the corpus's 14 event message databases (`../shared/corpus/welm`):
//! merged across releases, checked row by row against the files read directly.

use rusqlite::{Connection, OpenFlags};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use werr_kb::{welm, Error, ImportSession, Importer, Kb, NoProgress, SourceRow, WelmImporter};

fn source() -> SourceRow {
    SourceRow {
        kit: "welm".into(),
        version: "2.3.0.0".into(),
        origin: "corpus welm/".into(),
        license: "CC0-1.0".into(),
    }
}

/// The corpus's WELM databases, in name order.
fn welm_files() -> Option<Vec<PathBuf>> {
    let dir = werr_testdata::corpus("welm")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    files.sort();
    Some(files)
}

/// The one of `files` whose name holds `part` (`vista`, `windows_7_sp1`).
fn welm_file(files: &[PathBuf], part: &str) -> PathBuf {
    files
        .iter()
        .find(|f| f.to_string_lossy().contains(part))
        .unwrap_or_else(|| panic!("a WELM database named with {part:?}"))
        .clone()
}

/// A KB with all 14 databases imported in one import, and the import's summary.
fn welm_kb(files: &[PathBuf]) -> (Kb, werr_kb::ImportSummary) {
    let mut kb = Kb::in_memory().unwrap();
    let importer = WelmImporter::default();
    let summary = kb
        .import_paths(&source(), files, &[&importer as &dyn Importer], &NoProgress)
        .unwrap();
    (kb, summary)
}

/// One import of the 14 files serves these checks (an import takes seconds in a debug
/// build, and each test runs in a process of its own), the last of which imports again.
#[test]
fn fourteen_releases_imported_at_once() {
    let Some(files) = welm_files() else {
        return;
    };
    let (mut kb, summary) = welm_kb(&files);
    merge_into_one_row_per_distinct_text_with_its_releases(&kb, &summary, &files);
    the_newest_release_s_spelling_names_a_provider(&kb);
    an_event_shows_the_text_of_the_release_asked_for_or_else_the_newest(&kb);
    windows_names_match_a_release_or_else_the_newest_starting_with_it(&kb);
    the_data_file_form_reads_back_to_the_same_rows(&kb);
    event_texts_are_found_by_their_words_and_not_in_the_code_search(&kb);
    importing_again_replaces_the_source_s_rows(&mut kb, &files);
}

/// (provider lowercased, event id, text, release) of every message row of every file, read
/// straight from the files (not through the importer); and the distinct spellings of each
/// provider per release.
type Facts = HashSet<(String, u16, String, String)>;

fn facts_of_files(files: &[PathBuf]) -> Facts {
    let mut facts = HashSet::new();
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let release = welm::release_from_file_name(name).unwrap().name;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT p.name, m.event_id, coalesce(m.message, '') FROM messages m \
                 JOIN providers p ON p.id = m.provider_id",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?.to_ascii_lowercase(),
                    r.get::<_, u16>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (provider, event_id, text) = row.unwrap();
            facts.insert((provider, event_id, text, release.clone()));
        }
    }
    facts
}

fn merge_into_one_row_per_distinct_text_with_its_releases(
    kb: &Kb,
    summary: &werr_kb::ImportSummary,
    files: &[PathBuf],
) {
    assert!(summary.issues.is_empty(), "{:?}", summary.issues);
    assert_eq!((summary.files, summary.releases), (14, 14));
    // The figures measured on the corpus (SOURCE.txt and the task): 69,814 distinct
    // (provider, event id) pairs, 73,618 distinct (pair, text) rows, 1,140 providers.
    assert_eq!(summary.events, 73_618);
    let conn = kb.connection();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM events"), 73_618);
    assert_eq!(
        count("SELECT count(*) FROM (SELECT DISTINCT provider, event_id FROM events)"),
        69_814
    );
    assert_eq!(count("SELECT count(*) FROM event_providers"), 1_140);

    // Every stored row, expanded to its releases, is exactly the files' facts; no two rows
    // of an event have the same text.
    let expected = facts_of_files(files);
    let mut release_of_bit = conn.prepare("SELECT id, name FROM releases").unwrap();
    let release_of_bit: Vec<(i64, String)> = release_of_bit
        .query_map([], |r| Ok((1i64 << (r.get::<_, i64>(0)? - 1), r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.name, e.event_id, e.text, e.releases FROM events e \
             JOIN event_providers p ON p.id = e.provider",
        )
        .unwrap();
    let rows: Vec<(String, u16, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut stored: Facts = HashSet::new();
    let mut texts_of_pair: HashMap<(String, u16), BTreeSet<String>> = HashMap::new();
    for (provider, event_id, text, set) in rows {
        let provider = provider.to_ascii_lowercase();
        let fresh = texts_of_pair
            .entry((provider.clone(), event_id))
            .or_default()
            .insert(text.clone());
        assert!(fresh, "one row per text: {provider}/{event_id} {text:?}");
        for (bit, release) in &release_of_bit {
            if set & bit != 0 {
                stored.insert((provider.clone(), event_id, text.clone(), release.clone()));
            }
        }
    }
    assert_eq!(stored.len(), expected.len());
    assert!(
        stored == expected,
        "the KB's rows expand to the files' facts"
    );
}

fn the_newest_release_s_spelling_names_a_provider(kb: &Kb) {
    // Windows 8 and Server 2012 spell it SmbServer; every later release SMBServer.
    let texts = kb.event_texts("microsoft-windows-smbserver", 1001).unwrap();
    assert!(!texts.is_empty());
    assert!(texts
        .iter()
        .all(|t| t.provider == "Microsoft-Windows-SMBServer"));
    // Server 2008 R2 to 2012 R2 list both WDSIMGSRV and WdsImgSrv; the first row's wins.
    let texts = kb.event_texts("WdsImgSrv", 256).unwrap();
    assert!(texts.iter().all(|t| t.provider == "WDSIMGSRV"), "{texts:?}");
}

fn an_event_shows_the_text_of_the_release_asked_for_or_else_the_newest(kb: &Kb) {
    let names: Vec<&str> = kb
        .releases()
        .unwrap()
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&"vista-sp2"));
    assert_eq!(names.last(), Some(&"10-1703"));

    // Kernel-Power 109 gained "Shutdown Reason: %3" after Windows 7; Vista has no event 109.
    let power = "Microsoft-Windows-Kernel-Power";
    let newest = kb.event_message(power, 109, None).unwrap().unwrap();
    assert_eq!(newest.release, "10-1703");
    assert_eq!(newest.not_in, None);
    assert_eq!(newest.texts.len(), 1);
    assert!(newest.texts[0].text.contains("Shutdown Reason: %3"));
    assert_eq!(newest.texts[0].source, "welm 2.3.0.0");
    assert!(newest.texts[0].releases.contains(&"10-1607".to_string()));

    let seven = kb
        .event_message(power, 109, Some("7-sp1"))
        .unwrap()
        .unwrap();
    assert_eq!(seven.release, "7-sp1");
    assert_eq!(
        seven.texts[0].text,
        "The kernel power manager has initiated a shutdown transition."
    );
    assert!(!seven.texts[0].releases.contains(&"10-1703".to_string()));

    let vista = kb
        .event_message(power, 109, Some("vista-sp2"))
        .unwrap()
        .unwrap();
    assert_eq!(vista.not_in.as_deref(), Some("vista-sp2"));
    assert_eq!(vista.release, "10-1703");

    // Kernel-Power 105 is declared without a message in 7 SP1 and 10 1607, with one in
    // 10 1703: the text counts over an empty declaration.
    let source_change = kb
        .event_message(power, 105, Some("7-sp1"))
        .unwrap()
        .unwrap();
    assert_eq!(source_change.not_in.as_deref(), Some("7-sp1"));
    assert_eq!(source_change.texts[0].text, "Power source change.");

    // Letter case of the provider does not matter; an unknown event has no message.
    assert!(kb
        .event_message("MICROSOFT-WINDOWS-KERNEL-POWER", 109, None)
        .unwrap()
        .is_some());
    assert!(kb.event_message(power, 65535, None).unwrap().is_none());
    assert!(kb
        .event_message("No-Such-Provider", 109, None)
        .unwrap()
        .is_none());
}

fn windows_names_match_a_release_or_else_the_newest_starting_with_it(kb: &Kb) {
    for (asked, found) in [
        ("7", "7-sp1"),
        ("2012r2", "2012r2"),
        ("2012R2-", "2012r2-u"),
        ("8.1", "8.1"),
        ("8.1-u", "8.1-u"),
        ("10", "10-1703"),
        ("10-1607", "10-1607"),
        ("VISTA", "vista-sp2"),
        ("2008", "2008-sp2"),
        ("2008r2", "2008r2-sp1"),
    ] {
        assert_eq!(kb.resolve_release(asked).unwrap().name, found, "{asked}");
    }
    for bad in ["xp", "10-16", "2012r", ""] {
        let e = kb.resolve_release(bad).unwrap_err();
        assert!(matches!(e, Error::UnknownRelease { .. }), "{e}");
        assert!(e.to_string().contains("vista-sp2, 2008-sp2, 7-sp1"), "{e}");
    }
}

fn the_data_file_form_reads_back_to_the_same_rows(kb: &Kb) {
    let welm = kb.find_source("welm@2.3.0.0").unwrap();
    let text = kb.export_source(&welm).unwrap();
    assert!(text.contains("\nR\t10-1703\t"), "release rows");
    assert!(
        text.contains("\nP\tMicrosoft-Windows-Kernel-Power\n"),
        "provider rows"
    );
    // data/ holds this very text, but for the source row (origin and license).
    let shipped = std::fs::read_to_string(werr_testdata::repo_root().join("data/welm-2.3.0.0.tsv"))
        .expect("data/welm-2.3.0.0.tsv");
    let without_source_row = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("S\t"))
            .map(str::to_string)
            .collect()
    };
    assert!(
        without_source_row(&shipped) == without_source_row(&text),
        "a fresh import exports as data/welm-2.3.0.0.tsv (run scripts/refresh-data?)"
    );
    let mut copy = Kb::in_memory().unwrap();
    copy.load_dataset("welm.tsv", &text).unwrap();
    let again = copy
        .export_source(&copy.find_source("welm@2.3.0.0").unwrap())
        .unwrap();
    assert!(again == text, "export, load and export give the same text");
    // The same answers, but for the rows' ids.
    let answer = |kb: &Kb| {
        let mut m = kb
            .event_message("Microsoft-Windows-Kernel-Power", 109, Some("7-sp1"))
            .unwrap()
            .unwrap();
        m.texts.iter_mut().for_each(|t| t.id = 0);
        m
    };
    assert_eq!(answer(&copy), answer(kb));
    assert_eq!(
        copy.search_events("shutdown reason", 100).unwrap().len(),
        100.min(kb.search_events("shutdown reason", 100).unwrap().len())
    );
}

fn event_texts_are_found_by_their_words_and_not_in_the_code_search(kb: &Kb) {
    let hits = kb.search_events("operating system started", 20).unwrap();
    assert!(
        hits.iter()
            .any(|h| h.provider == "Microsoft-Windows-Kernel-General"
                && h.event_id == 12
                && h.text == "The operating system started at system time %7."),
        "{hits:?}"
    );
    // Names are searchable too: provider and event id.
    let hits = kb.search_events("kernel general 12", 5).unwrap();
    assert!(hits.iter().any(|h| h.event_id == 12), "{hits:?}");
    // `Kb::search` stays for names and message tables.
    assert!(kb
        .search(
            "operating system started",
            &werr_kb::lang::LangRequest::ANY,
            20
        )
        .unwrap()
        .is_empty());
}

fn importing_again_replaces_the_source_s_rows(kb: &mut Kb, files: &[PathBuf]) {
    let importer = WelmImporter::default();
    let seven = vec![welm_file(files, "windows_7_sp1")];
    let summary = kb
        .import_paths(
            &source(),
            &seven,
            &[&importer as &dyn Importer],
            &NoProgress,
        )
        .unwrap();
    assert_eq!((summary.files, summary.releases), (1, 1));
    let rows: i64 = kb
        .connection()
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows as usize, summary.events);
    // Release rows stay; only 7 SP1 has texts now.
    let power = kb
        .event_message("Microsoft-Windows-Kernel-Power", 109, None)
        .unwrap()
        .unwrap();
    assert_eq!(power.release, "7-sp1");
    assert_eq!(power.texts[0].releases, ["7-sp1"]);
}

#[test]
fn a_release_named_on_import_replaces_the_file_name_s() {
    let Some(files) = welm_files() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A copy whose name says nothing: without --release it is skipped, saying why.
    let copy = dir.path().join("events.db");
    std::fs::copy(files.last().unwrap(), &copy).unwrap();
    let mut kb = Kb::in_memory().unwrap();
    let unnamed = WelmImporter::default();
    let summary = kb
        .import_paths(
            &source(),
            std::slice::from_ref(&copy),
            &[&unnamed as &dyn Importer],
            &NoProgress,
        )
        .unwrap();
    assert_eq!(summary.events, 0);
    assert!(summary.issues[0].skipped_file);
    assert!(
        summary.issues[0].message.contains("--release NAME"),
        "{:?}",
        summary.issues
    );
    // Named on import, it and Server 2008 SP2's database (the same build) are one release.
    let named = WelmImporter {
        release: Some("vista-sp2-custom".into()),
    };
    let server = welm_file(&files, "server_2008_sp2");
    let summary = kb
        .import_paths(
            &source(),
            &[copy, server],
            &[&named as &dyn Importer],
            &NoProgress,
        )
        .unwrap();
    assert!(summary.issues.is_empty(), "{:?}", summary.issues);
    assert_eq!((summary.files, summary.releases), (2, 1));
    let release = kb.resolve_release("vista").unwrap();
    assert_eq!(release.name, "vista-sp2-custom");
    // The title is the last file's: the one its name gives, else the name and why.
    assert_eq!(
        release.title,
        "Windows Server 2008 SP2 Datacenter x86, build 6.0.6002.0"
    );
}

/// The bytes of the WELM file at `path` after `sql` ran on a copy.
fn altered(path: &std::path::Path, sql: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    std::fs::copy(path, &copy).unwrap();
    let conn = Connection::open(&copy).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    std::fs::read(&copy).unwrap()
}

#[test]
fn bad_rows_and_files_are_reported_not_fatal() {
    let Some(files) = welm_files() else {
        return;
    };
    let vista = &welm_file(&files, "vista");
    let name = vista.file_name().unwrap().to_str().unwrap();
    let importer = WelmImporter::default();
    let bytes = altered(
        vista,
        "PRAGMA foreign_keys = OFF;
         UPDATE messages SET event_id = 70000 WHERE id = 1;
         UPDATE messages SET provider_id = 99999 WHERE id = 2;
         UPDATE messages SET message = NULL WHERE id = 3;",
    );
    let parsed = importer.parse(name, &bytes).unwrap();
    let messages: Vec<&str> = parsed.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("messages row 1: event_id Integer(70000) is not an event id"));
    assert!(messages[1].starts_with("messages row 2: provider_id Integer(99999) names no provider"));
    assert!(parsed
        .issues
        .iter()
        .all(|i| !i.skipped_file && i.path == name));
    // The other rows are read: one event per provider, event id and text (row 3's text
    // now empty).
    let distinct: i64 = Connection::open_with_flags(vista, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT lower(p.name), m.event_id, \
             CASE m.id WHEN 3 THEN '' ELSE m.message END FROM messages m \
             JOIN providers p ON p.id = m.provider_id WHERE m.id NOT IN (1, 2))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(parsed.events.len(), distinct as usize);
    assert_eq!(parsed.releases[0].name, "vista-sp2");

    // Another SQLite database: the default KB image.
    let e = importer.parse(name, werr_kb::default_image()).unwrap_err();
    assert!(e.skipped_file);
    assert!(
        e.message
            .contains("a WELM event message database has tables"),
        "{}",
        e.message
    );
    // A WELM database cut short, and one whose tables lack a column.
    let whole = std::fs::read(vista).unwrap();
    for cut in [16, 100, 4096, whole.len() / 2] {
        let e = importer.parse(name, &whole[..cut]).unwrap_err();
        assert!(e.skipped_file, "{cut}: {e}");
    }
    let renamed = altered(vista, "ALTER TABLE messages RENAME COLUMN message TO text;");
    let e = importer.parse(name, &renamed).unwrap_err();
    assert!(
        e.message.contains("table messages has no column message"),
        "{e}"
    );
    // Every header-valid prefix and flipped byte is an issue or rows, never a panic.
    for at in (0..whole.len()).step_by(32_771) {
        let mut flipped = whole.clone();
        flipped[at] ^= 0x5A;
        let _ = importer.parse(name, &flipped);
    }
}

#[test]
fn a_kb_holds_at_most_63_releases() {
    let mut kb = Kb::in_memory().unwrap();
    let result = kb.import(&source(), |session: &mut ImportSession<'_>| {
        for i in 0..werr_kb::MAX_RELEASES {
            session.add_release(&werr_kb::ReleaseRow {
                name: format!("r{i}"),
                title: String::new(),
                ordinal: None,
            })?;
        }
        // The same name again is the same release.
        session.add_release(&werr_kb::ReleaseRow {
            name: "r0".into(),
            title: "again".into(),
            ordinal: None,
        })?;
        session.add_release(&werr_kb::ReleaseRow {
            name: "one-more".into(),
            title: String::new(),
            ordinal: None,
        })
    });
    let e = result.expect_err("the 64th release is refused");
    assert!(e.to_string().contains("at most 63"), "{e}");
}

#[test]
fn a_kb_written_before_the_event_tables_gets_them_on_open() {
    let Some(files) = welm_files() else {
        return;
    };
    let vista = &welm_file(&files, "vista");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.kb");
    {
        // What werr wrote before the event tables: schema version 3.
        let kb = Kb::in_memory().unwrap();
        // FTS5 (3.54) leaves the content table of a contentless_unindexed table behind.
        kb.connection()
            .execute_batch(
                "DROP TABLE event_search; DROP TABLE IF EXISTS event_search_content; \
                 DROP TABLE events; DROP TABLE event_providers; DROP TABLE releases; \
                 PRAGMA user_version = 3;",
            )
            .unwrap();
        kb.connection()
            .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
            .unwrap();
    }
    // Opening it upgrades it; the default's event texts answer beneath it.
    let old = Kb::open_for_reading(&path).unwrap();
    assert!(old
        .event_message("Microsoft-Windows-Kernel-Power", 109, None)
        .unwrap()
        .is_some());
    drop(old);
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, werr_kb::SCHEMA_VERSION);
    let mut kb = Kb::open(&path).unwrap();
    let importer = WelmImporter::default();
    let summary = kb
        .import_paths(
            &source(),
            std::slice::from_ref(vista),
            &[&importer as &dyn Importer],
            &NoProgress,
        )
        .unwrap();
    assert!(summary.events > 8_000, "{}", summary.events);
    assert_eq!(kb.resolve_release("vista").unwrap().name, "vista-sp2");
    assert!(!kb.search_events("service", 5).unwrap().is_empty());
}
