//! Opening a KB: the embedded default, a file, or an empty one in memory.

use crate::error::{Error, Result};
use crate::schema;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The embedded default KB image, built by `build.rs` from `data/`.
static DEFAULT_IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.kb"));

/// The bytes of the embedded default KB (an SQLite database file image).
pub fn default_image() -> &'static [u8] {
    DEFAULT_IMAGE
}

/// (id, kit, version, has messages) of a source.
pub(crate) type SourceLabel = (i64, String, String, bool);

/// Where a [`Kb`] lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The default KB embedded in the binary (read-only).
    Embedded,
    /// A KB file.
    File(PathBuf),
    /// A KB in memory that disappears when dropped.
    Memory,
}

/// A connection to the existing KB file at `path` (`mode`: read-only or read-write), waiting
/// up to 5 s for a writer's lock.
fn connect(path: &Path, mode: OpenFlags) -> Result<Connection> {
    if !path.exists() {
        return Err(Error::Missing(path.to_path_buf()));
    }
    let conn = Connection::open_with_flags(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error::at(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| Error::at(path, e))?;
    plan_once(&conn).map_err(|e| Error::at(path, e))?;
    Ok(conn)
}

/// Makes query plans independent of the values bound to them (SQLite's "query planner
/// stability guarantee"). Without it, SQLite re-prepared the message query (a join with an
/// ORDER BY) at every step after new bindings: the statement cache saved nothing, and
/// re-preparing was 5% of `werr evtx` (BENCHMARKS.md, "Event logs", session 4).
fn plan_once(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// An open knowledge base.
pub struct Kb {
    pub(crate) conn: Connection,
    location: Location,
    /// The sources, cached for lookups.
    pub(crate) source_labels: std::cell::OnceCell<Vec<SourceLabel>>,
    /// Whether the KB has a provider table, asked once: querying `sqlite_master` makes
    /// SQLite re-prepare the other statements of the connection.
    pub(crate) has_providers: std::cell::OnceCell<bool>,
    /// Set by `read_in_one_transaction`: what a snapshot lets be read once.
    pub(crate) snapshot: crate::providers::Snapshot,
    /// Whether the KB has a table of manifest events (asked once, as `has_providers`).
    pub(crate) has_manifests: std::cell::OnceCell<bool>,
    /// What the KB reads once about its event texts.
    pub(crate) events: crate::events::EventsCache,
}

impl Kb {
    /// Opens the embedded default KB, read-only, without copying it.
    pub fn embedded() -> Result<Kb> {
        let mut conn = Connection::open_in_memory()?;
        plan_once(&conn)?;
        conn.deserialize_bytes(rusqlite::MAIN_DB, DEFAULT_IMAGE)?;
        // With mmap on, SQLite reads pages straight from the image instead of copying each into
        // its page cache: fewer page faults, which are most of a lookup's cost.
        conn.pragma_update(None, "mmap_size", DEFAULT_IMAGE.len() as i64)?;
        // No version check: build.rs made the image with this very schema, and the check's
        // statement would be compiled once more after the schema loads.
        Ok(Kb {
            conn,
            location: Location::Embedded,
            source_labels: Default::default(),
            has_providers: Default::default(),
            snapshot: Default::default(),
            has_manifests: Default::default(),
            events: Default::default(),
        })
    }

    /// An empty, writable KB in memory (for tests and one-off imports).
    pub fn in_memory() -> Result<Kb> {
        let conn = Connection::open_in_memory()?;
        plan_once(&conn)?;
        schema::create(&conn)?;
        Ok(Kb {
            conn,
            location: Location::Memory,
            source_labels: Default::default(),
            has_providers: Default::default(),
            snapshot: Default::default(),
            has_manifests: Default::default(),
            events: Default::default(),
        })
    }

    /// Opens an existing KB file for reading only: no pragmas to run (WAL mode is stored in
    /// the file), so opening costs little; a file whose schema needs an upgrade is opened
    /// with [`Kb::open`], which upgrades it.
    pub fn open_for_reading(path: &Path) -> Result<Kb> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        if schema::version(&conn).map_err(|e| Error::at(path, e))? != schema::SCHEMA_VERSION {
            drop(conn);
            return Kb::open(path);
        }
        Ok(Kb {
            conn,
            location: Location::File(path.to_path_buf()),
            source_labels: Default::default(),
            has_providers: Default::default(),
            snapshot: Default::default(),
            has_manifests: Default::default(),
            events: Default::default(),
        })
    }

    /// Opens an existing KB file for reading and writing.
    pub fn open(path: &Path) -> Result<Kb> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| Error::at(path, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| Error::at(path, e))?;
        let kb = Kb {
            conn,
            location: Location::File(path.to_path_buf()),
            source_labels: Default::default(),
            has_providers: Default::default(),
            snapshot: Default::default(),
            has_manifests: Default::default(),
            events: Default::default(),
        };
        kb.check_version(path)?;
        Ok(kb)
    }

    /// Opens a KB file, creating it first as a copy of the embedded default when it does not
    /// exist (so a user's KB starts with everything werr ships).
    pub fn open_or_create(path: &Path) -> Result<Kb> {
        if !path.exists() {
            // Write to a temporary name and rename, so that a crash never leaves a half file.
            let tmp = path.with_extension("kb-partial");
            std::fs::write(&tmp, DEFAULT_IMAGE).map_err(|e| Error::Io(tmp.clone(), e))?;
            std::fs::rename(&tmp, path).map_err(|e| Error::Io(path.to_path_buf(), e))?;
        }
        Kb::open(path)
    }

    /// Where this KB lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The underlying SQLite connection, for queries this crate does not offer.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Checks that the KB file at `path` has this build's schema, upgrading an older one.
    fn check_version(&self, path: &Path) -> Result<()> {
        let at = |e| Error::at(path, e);
        let found = schema::version(&self.conn).map_err(at)?;
        if found != schema::SCHEMA_VERSION && !schema::upgrade(&self.conn, found).map_err(at)? {
            return Err(Error::SchemaVersion {
                path: path.to_path_buf(),
                found,
                expected: schema::SCHEMA_VERSION,
            });
        }
        Ok(())
    }
}
