//! WELM event message databases: the texts each Windows release's event providers declare.
//!
//! A WELM database (the layout Velociraptor's `dumpevtx` also writes and reads, made from the
//! NSA's "Windows Event Log Messages" dataset) is an SQLite file with two tables:
//! `providers(id, name)` and `messages(event_id, id, message, provider_id)`, one file per
//! Windows release. [`WelmImporter`] reads each file (pure: the bytes are opened as an
//! in-memory database) into one [`ReleaseRow`] and its [`EventRow`]s, then
//! [`Importer::finish`] merges the files of an import: a text that is the same in several
//! releases becomes one row with the set of those releases; texts that differ stay apart
//! (one event can have several texts in one release: versions of the event). Providers are
//! compared without ASCII case (releases spell some differently: `WDSIMGSRV`, `WdsImgSrv`);
//! the spelling of the newest release that has the provider is kept.
//!
//! # Release names
//!
//! Each file's release comes from its name, `windows_[server_]PRODUCT_EDITION_ARCH_BUILD.db`
//! (`windows_10_1703_enterprise_x64_10.0.15063.0.db`), unless [`WelmImporter::release`]
//! names it:
//! - the name is PRODUCT's parts, lowercase, joined by `-`, with an `r2` part joined to the
//!   part before it: `10_1703` is `10-1703`, `7_sp1` is `7-sp1`, `8.1_u` is `8.1-u`,
//!   `server_2008_r2_sp1` is `2008r2-sp1`, `server_2012_r2_u` is `2012r2-u`;
//! - EDITION is the part before the architecture (`x86`, `x64`, `amd64`, `arm`, `arm64`,
//!   `ia64`), BUILD the dotted version after it (anything after a `-` is dropped:
//!   `6.0.6002.0-nowsus`);
//! - the ordinal (newer larger) orders by build number, then revision, then the update
//!   (a `u` part: 8.1 Update after 8.1), then client before server (Windows ships a client
//!   and its server on one build, the server last): Vista SP2 < Server 2008 SP2 < 7 SP1 <
//!   Server 2008 R2 SP1 < 8 < Server 2012 < 8.1 < Server 2012 R2 < 8.1 Update < Server 2012
//!   R2 Update < 10 1507 < ... < 10 1703 (the order they were released in). A release whose
//!   file name gives no build sorts after every release the KB has.

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{EventRow, FileRow, ReleaseRow};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;

/// The architectures a WELM file name can name, the part after the edition.
const ARCHITECTURES: [&str; 6] = ["x86", "x64", "amd64", "arm", "arm64", "ia64"];

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// Reads WELM event message databases (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct WelmImporter {
    /// The release every file of the import belongs to (`werr import --release NAME`);
    /// `None`: each file's name gives its release.
    pub release: Option<String>,
}

/// Whether `name` can name a release: lowercase ASCII letters, digits, `.` and `-`,
/// starting with a letter or digit (names are typed, matched by prefix up to a `-`, and
/// listed with commas in `data/`). The error says what is allowed.
pub fn check_release_name(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    if name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(allowed)
    {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a release name: use lowercase letters, digits, '.' and '-', \
             starting with a letter or digit (10-1703, 2012r2-u, vista-sp2)"
        ))
    }
}

/// The release a WELM file name gives, by the rule of the module documentation; `None` when
/// the name does not have that shape.
pub fn release_from_file_name(file_name: &str) -> Option<ReleaseRow> {
    let stem = file_name.strip_suffix(".db").unwrap_or(file_name);
    let parts: Vec<&str> = stem.split('_').collect();
    let (first, rest) = parts.split_first()?;
    if !first.eq_ignore_ascii_case("windows") {
        return None;
    }
    let server = rest
        .first()
        .is_some_and(|p| p.eq_ignore_ascii_case("server"));
    let rest = if server { &rest[1..] } else { rest };
    let arch_at = rest
        .iter()
        .position(|p| ARCHITECTURES.iter().any(|a| p.eq_ignore_ascii_case(a)))?;
    // PRODUCT (one part at least), EDITION, ARCH, BUILD (one part).
    if arch_at < 2 || arch_at + 2 != rest.len() {
        return None;
    }
    let product = &rest[..arch_at - 1];
    let edition = rest[arch_at - 1];
    let arch = rest[arch_at].to_ascii_lowercase();
    let build_text = rest[arch_at + 1].split('-').next().unwrap_or("");
    let numbers: Vec<u64> = build_text
        .split('.')
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let (build, revision) = match numbers.as_slice() {
        [_, _, build] => (*build, 0),
        [_, _, build, revision] => (*build, *revision),
        _ => return None,
    };
    let mut name = String::new();
    let mut title = vec!["Windows".to_string()];
    if server {
        title.push("Server".into());
    }
    let mut update = false;
    for (i, part) in product.iter().enumerate() {
        let part = part.to_ascii_lowercase();
        if part.is_empty() {
            return None;
        }
        if i > 0 && part != "r2" {
            name.push('-');
        }
        name.push_str(&part);
        update |= part == "u";
        title.push(match part.as_str() {
            "u" => "Update".to_string(),
            "r2" => "R2".to_string(),
            p if p.starts_with("sp") => p.to_ascii_uppercase(),
            p => capitalized(p),
        });
    }
    check_release_name(&name).ok()?;
    title.push(capitalized(&edition.to_ascii_lowercase()));
    title.push(arch);
    // Revisions above 99,999 would overlap the next build; Windows' stay below.
    let ordinal = ((i64::try_from(build).ok()? * 100_000 + revision.min(99_999) as i64) * 2
        + i64::from(update))
        * 2
        + i64::from(server);
    Some(ReleaseRow {
        name,
        title: format!("{}, build {build_text}", title.join(" ")),
        ordinal: Some(ordinal),
    })
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A problem with file `rel` (not tied to a line: databases have rows).
fn issue(rel: &str, message: String, skipped_file: bool) -> ImportIssue {
    ImportIssue {
        path: rel.to_string(),
        line: 0,
        column: 0,
        message,
        skipped_file,
    }
}

/// What WELM's two tables must have.
const EXPECTED_LAYOUT: &str = "a WELM event message database has tables providers(id, name) \
     and messages(event_id, message, provider_id)";

/// `bytes` opened as a read-only in-memory database, which must have WELM's tables.
fn open_welm(bytes: &[u8]) -> Result<Connection, String> {
    let sql = |e: rusqlite::Error| format!("not a readable SQLite database: {e}");
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql)?;
    // The file is input, not code: no triggers, views or functions it declares run.
    for (option, on) in [
        (rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA,
            false,
        ),
        (
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER,
            false,
        ),
        (
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW,
            false,
        ),
    ] {
        conn.set_db_config(option, on).map_err(sql)?;
    }
    conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true)
        .map_err(sql)?;
    for (table, columns) in [
        ("providers", &["id", "name"][..]),
        ("messages", &["event_id", "message", "provider_id"][..]),
    ] {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .map_err(sql)?;
        let found = stmt
            .query_map([table], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(sql)?;
        if let Some(missing) = columns.iter().find(|c| !found.iter().any(|f| f == *c)) {
            return Err(if found.is_empty() {
                format!("an SQLite database without a table {table}; {EXPECTED_LAYOUT}")
            } else {
                format!("table {table} has no column {missing}; {EXPECTED_LAYOUT}")
            });
        }
    }
    Ok(conn)
}

/// One row of `messages` as read, before it is checked.
struct MessageLine {
    row: i64,
    provider_id: rusqlite::types::Value,
    provider: Option<String>,
    event_id: rusqlite::types::Value,
    text: Option<String>,
}

/// Reads every message row, in row order. Problems with single rows go to `issues`.
fn read_events(
    conn: &Connection,
    rel: &str,
    release: &str,
    issues: &mut Vec<ImportIssue>,
) -> rusqlite::Result<Vec<EventRow>> {
    let mut stmt = conn.prepare(
        "SELECT m.rowid, m.provider_id, p.name, m.event_id, m.message FROM messages m \
         LEFT JOIN providers p ON p.id = m.provider_id ORDER BY m.rowid",
    )?;
    let lines = stmt.query_map([], |r| {
        Ok(MessageLine {
            row: r.get(0)?,
            provider_id: r.get(1)?,
            provider: r.get::<_, Option<String>>(2).unwrap_or(None),
            event_id: r.get(3)?,
            text: r.get::<_, Option<String>>(4).unwrap_or(None),
        })
    })?;
    // One row per provider (ASCII case folded), event id and text; the spelling is the
    // first row's.
    let mut seen: HashMap<(String, u16, String), ()> = HashMap::new();
    let mut spelling: HashMap<String, String> = HashMap::new();
    let mut events = Vec::new();
    for line in lines {
        let line = line?;
        let at = format!("messages row {}", line.row);
        let Some(provider) = line.provider.filter(|p| !p.is_empty()) else {
            issues.push(issue(
                rel,
                format!(
                    "{at}: provider_id {:?} names no provider with a name; row skipped",
                    line.provider_id
                ),
                false,
            ));
            continue;
        };
        let event_id = match line.event_id {
            rusqlite::types::Value::Integer(n) => u16::try_from(n).ok(),
            _ => None,
        };
        let Some(event_id) = event_id else {
            issues.push(issue(
                rel,
                format!(
                    "{at}: event_id {:?} is not an event id (an integer 0..=65535); row skipped",
                    line.event_id
                ),
                false,
            ));
            continue;
        };
        let key = provider.to_ascii_lowercase();
        let provider = spelling.entry(key.clone()).or_insert(provider).clone();
        let text = line.text.unwrap_or_default();
        if seen.insert((key, event_id, text.clone()), ()).is_none() {
            events.push(EventRow {
                provider,
                event_id,
                releases: vec![release.to_string()],
                text,
            });
        }
    }
    Ok(events)
}

impl Importer for WelmImporter {
    fn name(&self) -> &'static str {
        "welm"
    }

    /// Any SQLite database: whether it has WELM's tables is known only once it is opened,
    /// and [`WelmImporter::parse`] reports one that has not.
    fn accepts(&self, _rel: &str, head: &[u8]) -> bool {
        head.starts_with(SQLITE_MAGIC)
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        let from_name = release_from_file_name(file_name);
        let release = match (&self.release, from_name) {
            (Some(name), from_name) => {
                check_release_name(name).map_err(|e| issue(rel, e, true))?;
                ReleaseRow {
                    name: name.clone(),
                    title: from_name.as_ref().map_or_else(
                        || format!("{name} (release named on import)"),
                        |r| r.title.clone(),
                    ),
                    ordinal: from_name.and_then(|r| r.ordinal),
                }
            }
            (None, Some(release)) => release,
            (None, None) => {
                return Err(issue(
                    rel,
                    format!(
                        "cannot tell the Windows release from the file name {file_name:?}: \
                         expected windows_[server_]PRODUCT_EDITION_ARCH_BUILD.db \
                         (windows_10_1703_enterprise_x64_10.0.15063.0.db); \
                         name it with --release NAME"
                    ),
                    true,
                ))
            }
        };
        let conn = open_welm(bytes).map_err(|e| issue(rel, e, true))?;
        let mut issues = Vec::new();
        let events = read_events(&conn, rel, &release.name, &mut issues)
            .map_err(|e| issue(rel, format!("reading its messages: {e}"), true))?;
        Ok(ParsedFile {
            file: FileRow {
                path: rel.to_string(),
                preamble: Some(release.title.clone()),
            },
            releases: vec![release],
            events,
            issues,
            ..ParsedFile::default()
        })
    }

    /// Merges the event rows of every WELM file of the import into the last one's (stored
    /// after every file's release): one row per provider (ASCII case folded), event id and
    /// text, with every release that has it, spelled as the newest release spells the
    /// provider.
    fn finish(&self, files: &mut [ParsedFile]) {
        merge_releases(files);
    }
}

/// The merge of [`WelmImporter::finish`], over the files that have a release.
pub fn merge_releases(files: &mut [ParsedFile]) {
    let mut welm: Vec<&mut ParsedFile> = files
        .iter_mut()
        .filter(|f| !f.releases.is_empty())
        .collect();
    let Some(last) = welm.len().checked_sub(1).filter(|&last| last > 0) else {
        return;
    };
    // Oldest first, so that a newer release's spelling of a provider replaces an older's;
    // a release of unknown build counts as the newest, as the KB will order it.
    let ordinal = |f: &ParsedFile| {
        f.releases
            .iter()
            .map(|r| r.ordinal.unwrap_or(i64::MAX))
            .max()
            .unwrap_or(i64::MIN)
    };
    let mut order: Vec<usize> = (0..welm.len()).collect();
    order.sort_by_key(|&i| ordinal(welm[i]));
    let mut merged: Vec<EventRow> = Vec::new();
    let mut index: HashMap<(String, u16, String), usize> = HashMap::new();
    let mut spelling: HashMap<String, String> = HashMap::new();
    for i in order {
        for event in std::mem::take(&mut welm[i].events) {
            let provider = event.provider.to_ascii_lowercase();
            spelling.insert(provider.clone(), event.provider.clone());
            let key = (provider, event.event_id, event.text);
            match index.get(&key) {
                Some(&at) => {
                    let releases = &mut merged[at].releases;
                    for release in event.releases {
                        if !releases.contains(&release) {
                            releases.push(release);
                        }
                    }
                }
                None => {
                    index.insert(key.clone(), merged.len());
                    merged.push(EventRow {
                        provider: event.provider,
                        event_id: key.1,
                        releases: event.releases,
                        text: key.2,
                    });
                }
            }
        }
    }
    for event in &mut merged {
        if let Some(newest) = spelling.get(&event.provider.to_ascii_lowercase()) {
            event.provider.clone_from(newest);
        }
    }
    welm[last].events = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_corpus_file_name_gives_its_release() {
        let expected = [
            (
                "windows_10_1507_enterprise_x64_10.0.10240.16384.db",
                "10-1507",
            ),
            ("windows_10_1511_enterprise_x64_10.0.10586.0.db", "10-1511"),
            (
                "windows_10_1607_enterprise_x64_10.0.14393.447.db",
                "10-1607",
            ),
            ("windows_10_1703_enterprise_x64_10.0.15063.0.db", "10-1703"),
            ("windows_7_sp1_enterprise_x64_6.1.7601.0.db", "7-sp1"),
            ("windows_8.1_enterprise_x64_6.3.9600.0.db", "8.1"),
            ("windows_8.1_u_enterprise_x64_6.3.9600.0.db", "8.1-u"),
            ("windows_8_enterprise_x64_6.2.9200.0.db", "8"),
            (
                "windows_server_2008_r2_sp1_datacenter_x64_6.1.7601.0.db",
                "2008r2-sp1",
            ),
            (
                "windows_server_2008_sp2_datacenter_x86_6.0.6002.0-nowsus.db",
                "2008-sp2",
            ),
            ("windows_server_2012_datacenter_x64_6.2.9200.0.db", "2012"),
            (
                "windows_server_2012_r2_datacenter_x64_6.3.9600.0.db",
                "2012r2",
            ),
            (
                "windows_server_2012_r2_u_datacenter_x64_6.3.9600.0.db",
                "2012r2-u",
            ),
            (
                "windows_vista_sp2_enterprise_x64_6.0.6002.0.db",
                "vista-sp2",
            ),
        ];
        let Some(dir) = werr_testdata::corpus("welm") else {
            return;
        };
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".db"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = expected.iter().map(|(f, _)| f.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "the corpus has these 14 files");
        let mut by_ordinal = Vec::new();
        for (file, name) in expected {
            let release = release_from_file_name(file).unwrap();
            assert_eq!(release.name, name, "{file}");
            by_ordinal.push((release.ordinal.unwrap(), name));
        }
        by_ordinal.sort();
        let order: Vec<&str> = by_ordinal.iter().map(|(_, n)| *n).collect();
        assert_eq!(
            order,
            [
                "vista-sp2",
                "2008-sp2",
                "7-sp1",
                "2008r2-sp1",
                "8",
                "2012",
                "8.1",
                "2012r2",
                "8.1-u",
                "2012r2-u",
                "10-1507",
                "10-1511",
                "10-1607",
                "10-1703"
            ]
        );
        let title = release_from_file_name(expected[12].0).unwrap().title;
        assert_eq!(
            title,
            "Windows Server 2012 R2 Update Datacenter x64, build 6.3.9600.0"
        );
    }

    #[test]
    fn other_file_names_give_no_release() {
        for name in [
            "events.db",
            "windows_10_x64_10.0.1.db",
            "windows_10_enterprise_x64.db",
            "windows_10_enterprise_x64_ten.db",
            "windows__enterprise_x64_10.0.1.0.db",
            "linux_10_enterprise_x64_10.0.1.0.db",
            "windows_10 1703_enterprise_x64_10.0.15063.0.db",
        ] {
            assert_eq!(release_from_file_name(name), None, "{name}");
        }
    }

    #[test]
    fn release_names_are_checked() {
        for good in ["10-1703", "2012r2-u", "vista-sp2", "8.1"] {
            assert!(check_release_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-10", "10,1703", "Vista", "10 1703", "ü"] {
            let e = check_release_name(bad).unwrap_err();
            assert!(e.contains("lowercase letters"), "{e}");
        }
    }
}
