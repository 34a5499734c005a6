//! The SQLite schema of a werr KB and its version.
//!
//! This file is also compiled into `build.rs` (which builds the embedded default KB), so it
//! depends on nothing but `rusqlite`.

/// The schema version stored in `PRAGMA user_version`. Bump it when the tables change.
pub const SCHEMA_VERSION: i64 = 4;

/// The tables, indexes and the full-text index of a KB.
///
/// Every schema object costs each `werr` process that opens the KB (SQLite parses the
/// schema on first use), so there is no index a lookup does not use: deletes by source and
/// diffs scan, and the full-text index keeps no per-row sizes (`columnsize = 0`).
pub const SCHEMA_SQL: &str = r#"
CREATE TABLE sources (
    id        INTEGER PRIMARY KEY,
    kit       TEXT NOT NULL,
    version   TEXT NOT NULL,
    origin    TEXT NOT NULL,
    license   TEXT NOT NULL,
    UNIQUE (kit, version)
);
CREATE TABLE files (
    id        INTEGER PRIMARY KEY,
    source    INTEGER NOT NULL REFERENCES sources(id),
    path      TEXT NOT NULL,
    preamble  TEXT
);
CREATE TABLE groups (
    id        INTEGER PRIMARY KEY,
    file      INTEGER NOT NULL REFERENCES files(id),
    line      INTEGER NOT NULL,
    title     TEXT NOT NULL,
    first     INTEGER,
    last      INTEGER
);
CREATE TABLE symbols (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE
);
CREATE INDEX symbols_name_nocase ON symbols (name COLLATE NOCASE);
CREATE TABLE occurrences (
    id            INTEGER PRIMARY KEY,
    symbol        INTEGER NOT NULL REFERENCES symbols(id),
    source        INTEGER NOT NULL REFERENCES sources(id),
    file          INTEGER NOT NULL REFERENCES files(id),
    line          INTEGER NOT NULL,
    definition    TEXT NOT NULL,
    expression    TEXT NOT NULL,
    line_comments TEXT,
    message_text  TEXT,
    value         INTEGER,
    c_type        TEXT NOT NULL,
    category      TEXT NOT NULL,
    grp           INTEGER REFERENCES groups(id),
    namespace     TEXT
);
CREATE INDEX occurrences_value ON occurrences (value);
CREATE INDEX occurrences_symbol ON occurrences (symbol);
CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    source      INTEGER NOT NULL REFERENCES sources(id),
    module      TEXT NOT NULL,
    message_id  INTEGER NOT NULL,
    langid      INTEGER NOT NULL,
    text        TEXT NOT NULL,
    file        TEXT
);
CREATE INDEX messages_id ON messages (message_id);
CREATE INDEX messages_module ON messages (module COLLATE NOCASE, message_id);
-- The name a message file gives a message of a module (an .mc file's SymbolicName): the only
-- way a message table's text reaches a name. A name is text, not a symbols row, so that the
-- names of one layer can name the messages of another.
CREATE TABLE message_names (
    id          INTEGER PRIMARY KEY,
    source      INTEGER NOT NULL REFERENCES sources(id),
    module      TEXT NOT NULL COLLATE NOCASE,
    message_id  INTEGER NOT NULL,
    name        TEXT NOT NULL
);
CREATE INDEX message_names_name ON message_names (name);
CREATE INDEX message_names_message ON message_names (module COLLATE NOCASE, message_id);
-- kind: 'o' = occurrence (ref = occurrences.id), 'm' = message (ref = messages.id)
CREATE VIRTUAL TABLE search USING fts5 (
    name, text, kind UNINDEXED, ref UNINDEXED, source UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', columnsize = 0
);
-- Windows event messages (WELM databases): every text a provider's event has had in the
-- Windows releases it was seen in. Kept last, and with IF NOT EXISTS, so that the upgrade of
-- a KB written before these tables runs the same statements (`event_tables_sql`).
-- A release's bit in events.releases is 1 << (id - 1): at most 63 releases per KB.
-- ordinal orders releases, newer larger (crates/kb/src/welm.rs: by build, then revision,
-- then update, client before server).
CREATE TABLE IF NOT EXISTS releases (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL,
    ordinal   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS event_providers (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE COLLATE NOCASE
);
-- One row per distinct text of an event: `releases` is the set of releases with that text,
-- `newest` the id of the newest of them; an empty text is an event declared without one.
-- The id is provider << 32 | event_id << 16 | n (the event's n-th text): the texts of one
-- event are one range of ids and those of one provider another, so the table is its own
-- index on (provider, event_id) and a lookup reads one b-tree (crates/kb/src/events.rs).
CREATE TABLE IF NOT EXISTS events (
    id        INTEGER PRIMARY KEY,
    source    INTEGER NOT NULL REFERENCES sources(id),
    provider  INTEGER NOT NULL REFERENCES event_providers(id),
    event_id  INTEGER NOT NULL,
    releases  INTEGER NOT NULL,
    newest    INTEGER NOT NULL,
    text      TEXT NOT NULL
);
-- Every provider's texts of one event id (`werr 4624` lists them after the codes): without
-- it, a lookup probes each provider's range of ids, a page of the table per provider.
CREATE INDEX IF NOT EXISTS events_event_id ON events (event_id);
-- Full text of events (name = 'provider/event_id', event = events.id), apart from `search`:
-- contentless, so the texts are not stored twice (its row sizes serve ranking, which cannot
-- read a contentless table's texts); its own rowids are dense, which keeps its index small
-- (events.id would make every rowid delta several bytes).
CREATE VIRTUAL TABLE IF NOT EXISTS event_search USING fts5 (
    name, text, event UNINDEXED, content = '', contentless_delete = 1,
    contentless_unindexed = 1, tokenize = 'unicode61 remove_diacritics 2'
);
"#;

/// The tables of event sources: which modules a provider's messages come from, and the events
/// of imported event manifests. Version 2 created them on first use; since version 3 every KB
/// has them (`IF NOT EXISTS`: the upgrade of a version 2 file that has them keeps them).
pub const EVENT_SOURCES_SQL: &str = r#"
-- Which module's messages an event provider (event source) uses, as
-- `werr import FILE --provider NAME` records it. Names compare as Windows compares them,
-- without regard to ASCII case.
CREATE TABLE IF NOT EXISTS providers (
    id        INTEGER PRIMARY KEY,
    provider  TEXT NOT NULL COLLATE NOCASE,
    module    TEXT NOT NULL COLLATE NOCASE,
    -- 'messages' (EventMessageFile) or 'parameters' (ParameterMessageFile)
    role      TEXT NOT NULL CHECK (role IN ('messages', 'parameters')),
    source    INTEGER REFERENCES sources(id),
    UNIQUE (provider, module, role)
);
-- The events of the compiled event manifests (WEVT_TEMPLATE) of imported PE modules: the
-- message a manifest provider's event shows.
CREATE TABLE IF NOT EXISTS manifest_events (
    id            INTEGER PRIMARY KEY,
    provider_guid TEXT NOT NULL COLLATE NOCASE,
    event_id      INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    message_id    INTEGER,
    module        TEXT NOT NULL COLLATE NOCASE,
    source        INTEGER REFERENCES sources(id)
);
CREATE INDEX IF NOT EXISTS manifest_events_event
    ON manifest_events (provider_guid COLLATE NOCASE, event_id, version);
"#;
/// The part of [`SCHEMA_SQL`] that creates the event tables (`releases`, `event_providers`,
/// `events`, `event_search`), each only if it does not exist: what the upgrade from version
/// 3 runs.
pub fn event_tables_sql() -> &'static str {
    let start = SCHEMA_SQL
        .find(EVENT_TABLES_MARK)
        .expect("SCHEMA_SQL holds the event tables");
    &SCHEMA_SQL[start..]
}

/// The comment that opens the event tables in [`SCHEMA_SQL`].
const EVENT_TABLES_MARK: &str = "-- Windows event messages";

/// Creates the schema in an empty database and stamps its version.
pub fn create(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA_SQL)?;
    conn.execute_batch(EVENT_SOURCES_SQL)?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    Ok(())
}

/// Brings a database of an older schema version up to [`SCHEMA_VERSION`], in one
/// transaction; returns false when `found` is a version this build cannot upgrade.
///
/// Each step only adds what the later version has, so a KB written by an earlier werr keeps
/// every fact:
/// - 1 to 2: the `messages_module` index (event-log rendering asks for messages by module);
/// - 2 to 3: the event-source tables ([`EVENT_SOURCES_SQL`]) become part of every KB, and
///   `message_names` is new (empty: messages of a version 2 KB reach no name until their
///   message files are imported again);
/// - 3 to 4: the tables of Windows' event texts ([`event_tables_sql`]).
pub fn upgrade(conn: &rusqlite::Connection, found: i64) -> rusqlite::Result<bool> {
    if !(1..SCHEMA_VERSION).contains(&found) {
        return Ok(false);
    }
    let mut steps = String::from("BEGIN IMMEDIATE;\n");
    if found < 2 {
        steps.push_str(
            "CREATE INDEX IF NOT EXISTS messages_module \
             ON messages (module COLLATE NOCASE, message_id);\n",
        );
    }
    if found < 3 {
        steps.push_str(EVENT_SOURCES_SQL);
        steps.push_str(MESSAGE_NAMES_V3_SQL);
    }
    if found < 4 {
        steps.push_str(event_tables_sql());
    }
    steps.push_str(&format!("PRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;"));
    conn.execute_batch(&steps)?;
    Ok(true)
}

/// `message_names` as version 3 added it to a version 2 KB.
const MESSAGE_NAMES_V3_SQL: &str = "
CREATE TABLE IF NOT EXISTS message_names (
    id          INTEGER PRIMARY KEY,
    source      INTEGER NOT NULL REFERENCES sources(id),
    module      TEXT NOT NULL COLLATE NOCASE,
    message_id  INTEGER NOT NULL,
    name        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS message_names_name ON message_names (name);
CREATE INDEX IF NOT EXISTS message_names_message ON message_names (module COLLATE NOCASE, message_id);
";

/// The schema version of an open database (0 for an empty one).
pub fn version(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}
