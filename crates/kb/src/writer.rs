//! Low-level rows and the statements that insert them.
//!
//! Every import path (header trees, windows-sys, the `data/` files, .mc and PE importers of
//! other crates) ends here, so that a fact is stored the same way whatever brought it in.
//! This file is also compiled into `build.rs`; it depends on nothing but `rusqlite` and std.

use rusqlite::{params, Connection, OptionalExtension, Statement};
use std::collections::HashMap;

/// A kit and version facts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// The kit (`mingw-w64`, `windows-sys`, a user's project name).
    pub kit: String,
    /// The kit's version (`10.0.0`).
    pub version: String,
    /// Where the files were obtained (package name and version, URL, local path).
    pub origin: String,
    /// The license the facts were published under.
    pub license: String,
}

/// One file of a source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileRow {
    /// Path inside the source, `/`-separated (`winerror.h`, `Windows/Win32/Foundation/mod.rs`).
    pub path: String,
    /// The file's own description of its codes (the seed's "Type description").
    pub preamble: Option<String>,
}

/// A heading comment and the range of codes under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    /// The heading text (`TCP messages`).
    pub title: String,
    /// 1-based line of the heading.
    pub line: u32,
    /// Smallest code (low 16 bits) of its members.
    pub first: Option<u32>,
    /// Largest code (low 16 bits) of its members.
    pub last: Option<u32>,
}

/// One definition of a name in a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefinitionRow {
    /// The name.
    pub name: String,
    /// The 32-bit value, `None` when the expression could not be evaluated.
    pub value: Option<u32>,
    /// The value's expression as written.
    pub expression: String,
    /// The C (or win32metadata) type.
    pub c_type: String,
    /// The category ("type" of the seed page).
    pub category: String,
    /// 1-based line.
    pub line: u32,
    /// The whole definition line as written.
    pub definition: String,
    /// The comment block before the definition, verbatim without comment markers.
    pub line_comments: Option<String>,
    /// The message text taken from the comment block.
    pub message_text: Option<String>,
    /// The namespace (win32metadata) the definition belongs to, if any.
    pub namespace: Option<String>,
}

/// One message text of a message table or .mc file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// The module (DLL) or event provider the message belongs to.
    pub module: String,
    /// The 32-bit message id.
    pub message_id: u32,
    /// The Windows language id (0x0409 for en-US).
    pub langid: u16,
    /// The message text as stored (inserts such as `%1` kept).
    pub text: String,
    /// The file it was read from, if any.
    pub file: Option<String>,
}

/// The name a message file gives message `message_id` of `module` (an .mc file's
/// SymbolicName): the name the message's text belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageNameRow {
    /// The module whose message it names.
    pub module: String,
    /// The message id.
    pub message_id: u32,
    /// The name.
    pub name: String,
}

/// One event of a compiled event manifest (`WEVT_TEMPLATE`): which message a manifest
/// provider's event shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEventRow {
    /// The provider's GUID as event logs show it (`{fc65ddd8-…}`).
    pub provider_guid: String,
    /// The event id and version, as a record carries them.
    pub event_id: u16,
    /// The event's version.
    pub version: u8,
    /// The id of its message (`None`: the event has none).
    pub message_id: Option<u32>,
    /// The module the manifest was read from.
    pub module: String,
}

/// A Windows release that event texts were seen in (one WELM database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRow {
    /// The short name people type (`10-1703`, `2012r2-u`, `vista-sp2`).
    pub name: String,
    /// What it is in full (`Windows 10 1703 Enterprise x64, build 10.0.15063.0`).
    pub title: String,
    /// Where it sorts among releases, newer larger; `None`: after every release the KB has.
    pub ordinal: Option<i64>,
}

/// One text of a provider's event, with the releases that have that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The provider (publisher) name, as the newest release that has it spells it.
    pub provider: String,
    /// The 16-bit event id.
    pub event_id: u16,
    /// The names of the releases with this text (rows of [`ReleaseRow`] added before).
    pub releases: Vec<String>,
    /// The message text as declared (inserts such as `%1` and `%%1058` kept); empty when the
    /// event has no message.
    pub text: String,
}

/// The range of `events.id` of `provider`'s event `event_id` (see the schema): its texts
/// are numbered from the first.
pub fn event_id_range(provider: i64, event_id: u16) -> (i64, i64) {
    let first = (provider << 32) | (i64::from(event_id) << 16);
    (first, first | 0xFFFF)
}

/// The range of `events.id` of all of `provider`'s events.
pub fn provider_id_range(provider: i64) -> (i64, i64) {
    (provider << 32, (provider << 32) | 0xFFFF_FFFF)
}

/// The most releases a KB holds: each is one bit of `events.releases`, a signed 64-bit
/// integer whose sign bit stays unused.
pub const MAX_RELEASES: i64 = 63;

/// Why an event row or release could not be stored.
#[derive(Debug)]
pub enum RowError {
    /// SQLite failed.
    Sql(rusqlite::Error),
    /// The row does not fit the KB (too many releases, a release not added first).
    Invalid(String),
}

impl From<rusqlite::Error> for RowError {
    fn from(e: rusqlite::Error) -> RowError {
        RowError::Sql(e)
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowError::Sql(e) => write!(f, "SQLite: {e}"),
            RowError::Invalid(message) => f.write_str(message),
        }
    }
}

/// A release as the writer knows it: id and ordinal.
#[derive(Debug, Clone, Copy)]
struct KnownRelease {
    id: i64,
    ordinal: i64,
}

/// An event provider as the writer knows it: its id, its spelling, and the ordinal of the
/// newest release seen with it (which decides the spelling).
#[derive(Debug, Clone)]
struct KnownProvider {
    id: i64,
    name: String,
    newest: i64,
}

/// Prepared insert statements over one open transaction.
pub struct Writer<'c> {
    conn: &'c Connection,
    insert_file: Statement<'c>,
    insert_group: Statement<'c>,
    insert_symbol: Statement<'c>,
    select_symbol: Statement<'c>,
    insert_occurrence: Statement<'c>,
    insert_message: Statement<'c>,
    insert_search: Statement<'c>,
    symbols: HashMap<String, i64>,
    /// The KB's releases by name (ASCII lowercase), read at the first event row.
    releases: Option<HashMap<String, KnownRelease>>,
    /// Event providers met so far, by name (ASCII lowercase, as `COLLATE NOCASE` folds).
    event_providers: HashMap<String, KnownProvider>,
    /// The next free `events.id` of each event added to, by the first id of its range.
    next_event_ids: HashMap<i64, i64>,
}

impl<'c> Writer<'c> {
    /// Prepares the statements on `conn` (which should be inside a transaction).
    pub fn new(conn: &'c Connection) -> rusqlite::Result<Writer<'c>> {
        Ok(Writer {
            conn,
            insert_file: conn
                .prepare("INSERT INTO files (source, path, preamble) VALUES (?1, ?2, ?3)")?,
            insert_group: conn.prepare(
                "INSERT INTO groups (file, line, title, first, last) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            insert_symbol: conn.prepare("INSERT OR IGNORE INTO symbols (name) VALUES (?1)")?,
            select_symbol: conn.prepare("SELECT id FROM symbols WHERE name = ?1")?,
            insert_occurrence: conn.prepare(
                "INSERT INTO occurrences (symbol, source, file, line, definition, expression, \
                 line_comments, message_text, value, c_type, category, grp, namespace) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            insert_message: conn.prepare(
                "INSERT INTO messages (source, module, message_id, langid, text, file) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            insert_search: conn.prepare(
                "INSERT INTO search (name, text, kind, ref, source) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            symbols: HashMap::new(),
            releases: None,
            event_providers: HashMap::new(),
            next_event_ids: HashMap::new(),
        })
    }

    /// Registers a source, replacing every fact of an earlier import of the same kit and
    /// version. Returns the source's id.
    pub fn begin_source(&mut self, source: &SourceRow) -> rusqlite::Result<i64> {
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM sources WHERE kit = ?1 AND version = ?2",
                params![source.kit, source.version],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            remove_source_facts(self.conn, id)?;
            self.conn.execute(
                "UPDATE sources SET origin = ?2, license = ?3 WHERE id = ?1",
                params![id, source.origin, source.license],
            )?;
            return Ok(id);
        }
        self.conn.execute(
            "INSERT INTO sources (kit, version, origin, license) VALUES (?1, ?2, ?3, ?4)",
            params![source.kit, source.version, source.origin, source.license],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Adds a file of `source`; returns its id.
    pub fn add_file(&mut self, source: i64, file: &FileRow) -> rusqlite::Result<i64> {
        self.insert_file
            .execute(params![source, file.path, file.preamble])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Adds a group of `file`; returns its id.
    pub fn add_group(&mut self, file: i64, group: &GroupRow) -> rusqlite::Result<i64> {
        self.insert_group.execute(params![
            file,
            group.line,
            group.title,
            group.first,
            group.last
        ])?;
        Ok(self.conn.last_insert_rowid())
    }

    fn symbol_id(&mut self, name: &str) -> rusqlite::Result<i64> {
        if let Some(id) = self.symbols.get(name) {
            return Ok(*id);
        }
        self.insert_symbol.execute([name])?;
        let id: i64 = self.select_symbol.query_row([name], |r| r.get(0))?;
        self.symbols.insert(name.to_string(), id);
        Ok(id)
    }

    /// Adds a definition found in `file` of `source`, under `group` if any; returns its id.
    pub fn add_definition(
        &mut self,
        source: i64,
        file: i64,
        group: Option<i64>,
        def: &DefinitionRow,
    ) -> rusqlite::Result<i64> {
        let symbol = self.symbol_id(&def.name)?;
        self.insert_occurrence.execute(params![
            symbol,
            source,
            file,
            def.line,
            def.definition,
            def.expression,
            def.line_comments,
            def.message_text,
            def.value,
            def.c_type,
            def.category,
            group,
            def.namespace,
        ])?;
        let id = self.conn.last_insert_rowid();
        let text = match (&def.line_comments, &def.message_text) {
            (Some(c), _) => c.as_str(),
            (None, Some(m)) => m.as_str(),
            (None, None) => "",
        };
        self.insert_search
            .execute(params![def.name, text, "o", id, source])?;
        Ok(id)
    }

    /// Adds a manifest event of `source`.
    pub fn add_manifest_event(
        &mut self,
        source: i64,
        event: &ManifestEventRow,
    ) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO manifest_events \
                 (provider_guid, event_id, version, message_id, module, source) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                event.provider_guid,
                event.event_id,
                event.version,
                event.message_id,
                event.module,
                source
            ])?;
        Ok(())
    }

    /// Records the name a message file gives a message of `source`.
    pub fn add_message_name(&mut self, source: i64, row: &MessageNameRow) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO message_names (source, module, message_id, name) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![source, row.module, row.message_id, row.name])?;
        Ok(())
    }

    /// Records that `provider` takes its messages (or parameter messages, `role`) from
    /// `module`, as part of `source`. Recording the same row again changes nothing but its
    /// source.
    pub fn add_provider_module(
        &mut self,
        source: Option<i64>,
        provider: &str,
        module: &str,
        role: &str,
    ) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO providers (provider, module, role, source) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (provider, module, role) DO UPDATE SET source = excluded.source",
            )?
            .execute(params![provider, module, role, source])?;
        Ok(())
    }

    /// The KB's releases, read once.
    fn known_releases(&mut self) -> rusqlite::Result<&mut HashMap<String, KnownRelease>> {
        if self.releases.is_none() {
            let mut stmt = self
                .conn
                .prepare("SELECT id, name, ordinal FROM releases")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(1)?.to_ascii_lowercase(),
                        KnownRelease {
                            id: r.get(0)?,
                            ordinal: r.get(2)?,
                        },
                    ))
                })?
                .collect::<rusqlite::Result<HashMap<_, _>>>()?;
            self.releases = Some(rows);
        }
        Ok(self.releases.get_or_insert_with(HashMap::new))
    }

    /// Registers a Windows release, or updates the title (and the ordinal, when given) of
    /// the release of that name (compared without ASCII case); returns its id. A KB holds
    /// at most [`MAX_RELEASES`].
    pub fn add_release(&mut self, release: &ReleaseRow) -> Result<i64, RowError> {
        let conn = self.conn;
        let known = self.known_releases()?;
        let key = release.name.to_ascii_lowercase();
        if let Some(existing) = known.get_mut(&key) {
            let ordinal = release.ordinal.unwrap_or(existing.ordinal);
            conn.execute(
                "UPDATE releases SET title = ?2, ordinal = ?3 WHERE id = ?1",
                params![existing.id, release.title, ordinal],
            )?;
            existing.ordinal = ordinal;
            return Ok(existing.id);
        }
        // The smallest free id: ids are bit positions.
        let mut used: Vec<i64> = known.values().map(|r| r.id).collect();
        used.sort_unstable();
        let id = (1..=MAX_RELEASES)
            .find(|i| used.binary_search(i).is_err())
            .ok_or_else(|| {
                RowError::Invalid(format!(
                    "release {:?} would be the KB's {}th Windows release; a KB holds at most \
                     {MAX_RELEASES} (each is one bit of events.releases, a 64-bit set)",
                    release.name,
                    used.len() + 1
                ))
            })?;
        let ordinal = release
            .ordinal
            .unwrap_or_else(|| known.values().map(|r| r.ordinal).max().unwrap_or(0) + 1);
        conn.execute(
            "INSERT INTO releases (id, name, title, ordinal) VALUES (?1, ?2, ?3, ?4)",
            params![id, release.name, release.title, ordinal],
        )?;
        known.insert(key, KnownRelease { id, ordinal });
        Ok(id)
    }

    /// The provider `name` (compared as `COLLATE NOCASE` does), created when new. Its
    /// spelling becomes `name`'s when `newest` (the ordinal of the newest release the caller
    /// has the name from) is newer than every release seen with the stored spelling.
    fn event_provider(&mut self, name: &str, newest: i64) -> rusqlite::Result<i64> {
        let key = name.to_ascii_lowercase();
        let mut provider = match self.event_providers.remove(&key) {
            Some(known) => known,
            None => self.stored_provider(name, newest)?,
        };
        if newest > provider.newest {
            provider.newest = newest;
            if provider.name != name {
                self.conn.execute(
                    "UPDATE event_providers SET name = ?2 WHERE id = ?1",
                    params![provider.id, name],
                )?;
                provider.name = name.to_string();
            }
        }
        let id = provider.id;
        self.event_providers.insert(key, provider);
        Ok(id)
    }

    /// The stored provider `name`, or a new one seen first in a release of ordinal `newest`.
    fn stored_provider(&mut self, name: &str, newest: i64) -> rusqlite::Result<KnownProvider> {
        let found: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, name FROM event_providers WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match found {
            Some((id, stored)) => KnownProvider {
                id,
                newest: self.newest_release_of_provider(id)?,
                name: stored,
            },
            None => {
                self.conn
                    .execute("INSERT INTO event_providers (name) VALUES (?1)", [name])?;
                KnownProvider {
                    id: self.conn.last_insert_rowid(),
                    name: name.to_string(),
                    newest,
                }
            }
        })
    }

    /// The ordinal of the newest release among the stored events of provider `id`.
    fn newest_release_of_provider(&mut self, id: i64) -> rusqlite::Result<i64> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT releases FROM events WHERE id BETWEEN ?1 AND ?2")?;
        let (first, last) = provider_id_range(id);
        let sets = stmt
            .query_map([first, last], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        let all = sets.into_iter().fold(0, |a, b| a | b);
        let releases = self.known_releases()?;
        Ok(releases
            .values()
            .filter(|r| all & (1 << (r.id - 1)) != 0)
            .map(|r| r.ordinal)
            .max()
            .unwrap_or(i64::MIN))
    }

    /// Adds an event text of `source`; its releases must have been added
    /// ([`Writer::add_release`]). Returns its id. A non-empty text is also indexed for
    /// full-text search (`event_search`, named `provider/event_id`).
    pub fn add_event(&mut self, source: i64, event: &EventRow) -> Result<i64, RowError> {
        let known = self.known_releases()?;
        let mut set = 0i64;
        let mut newest: Option<KnownRelease> = None;
        for name in &event.releases {
            let release = known.get(&name.to_ascii_lowercase()).ok_or_else(|| {
                RowError::Invalid(format!(
                    "event {}/{} names release {name:?}, which is not in the KB",
                    event.provider, event.event_id
                ))
            })?;
            set |= 1 << (release.id - 1);
            if newest.is_none_or(|n| release.ordinal > n.ordinal) {
                newest = Some(*release);
            }
        }
        let newest = newest.ok_or_else(|| {
            RowError::Invalid(format!(
                "event {}/{} names no release",
                event.provider, event.event_id
            ))
        })?;
        let provider = self.event_provider(&event.provider, newest.ordinal)?;
        let (first, last) = event_id_range(provider, event.event_id);
        let id = match self.next_event_ids.get(&first) {
            Some(&next) => next,
            None => self
                .conn
                .prepare_cached(
                    "SELECT coalesce(max(id) + 1, ?1) FROM events WHERE id BETWEEN ?1 AND ?2",
                )?
                .query_row([first, last], |r| r.get(0))?,
        };
        if id > last {
            return Err(RowError::Invalid(format!(
                "event {}/{} has more than 65,536 texts",
                event.provider, event.event_id
            )));
        }
        self.next_event_ids.insert(first, id + 1);
        self.conn
            .prepare_cached(
                "INSERT INTO events (id, source, provider, event_id, releases, newest, text) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                source,
                provider,
                event.event_id,
                set,
                newest.id,
                event.text
            ])?;
        if !event.text.is_empty() {
            let name = format!("{}/{}", event.provider, event.event_id);
            self.conn
                .prepare_cached("INSERT INTO event_search (name, text, event) VALUES (?1, ?2, ?3)")?
                .execute(params![name, event.text, id])?;
        }
        Ok(id)
    }

    /// Adds a message text of `source`; returns its id.
    pub fn add_message(&mut self, source: i64, message: &MessageRow) -> rusqlite::Result<i64> {
        self.insert_message.execute(params![
            source,
            message.module,
            message.message_id,
            message.langid,
            message.text,
            message.file
        ])?;
        let id = self.conn.last_insert_rowid();
        self.insert_search
            .execute(params![message.module, message.text, "m", id, source])?;
        Ok(id)
    }
}

/// Deletes every fact of source `id` (not the source row itself).
pub fn remove_source_facts(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM search WHERE source = ?1", [id])?;
    conn.execute("DELETE FROM occurrences WHERE source = ?1", [id])?;
    conn.execute("DELETE FROM messages WHERE source = ?1", [id])?;
    conn.execute("DELETE FROM manifest_events WHERE source = ?1", [id])?;
    conn.execute("DELETE FROM providers WHERE source = ?1", [id])?;
    conn.execute("DELETE FROM message_names WHERE source = ?1", [id])?;
    conn.execute(
        "DELETE FROM event_search WHERE event IN (SELECT id FROM events WHERE source = ?1)",
        [id],
    )?;
    conn.execute("DELETE FROM events WHERE source = ?1", [id])?;
    conn.execute(
        "DELETE FROM groups WHERE file IN (SELECT id FROM files WHERE source = ?1)",
        [id],
    )?;
    conn.execute("DELETE FROM files WHERE source = ?1", [id])?;
    Ok(())
}
