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
    conn.execute(
        "DELETE FROM groups WHERE file IN (SELECT id FROM files WHERE source = ?1)",
        [id],
    )?;
    conn.execute("DELETE FROM files WHERE source = ?1", [id])?;
    Ok(())
}
