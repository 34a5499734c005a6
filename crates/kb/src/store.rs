//! Opening a KB: the embedded default, a user's file over it, or an empty one in memory.
//!
//! A user's KB file holds only what the user imported. It opens as SQLite's `main` database
//! with the embedded default attached beneath it as `base` (read-only, straight from the
//! binary's bytes), and every query asks both, the user's facts first
//! ([`Kb::layered`]). So a newer werr's default reaches every user's KB, and a KB file stays as
//! small as what was imported into it.

use crate::error::{Error, Result};
use crate::schema;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// A user's KB file, over the embedded default.
    File(PathBuf),
    /// A KB in memory that disappears when dropped.
    Memory,
}

/// One database of a KB's stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layer {
    /// The SQLite schema name (`main`, `base`).
    pub schema: &'static str,
    /// Added to the layer's source ids, so that a source id names one layer's source and the
    /// user's sources sort before the default's ([`USER_SOURCE_OFFSET`]).
    pub source_offset: i64,
}

/// The offset of a user's source ids over the default's: negative, so that ordering by
/// source puts the user's facts first, and far below any row id a KB reaches.
pub(crate) const USER_SOURCE_OFFSET: i64 = -(1 << 40);

const ALONE: [Layer; 1] = [Layer {
    schema: "main",
    source_offset: 0,
}];
const OVER_DEFAULT: [Layer; 2] = [
    Layer {
        schema: "main",
        source_offset: USER_SOURCE_OFFSET,
    },
    Layer {
        schema: "base",
        source_offset: 0,
    },
];

/// Makes query plans independent of the values bound to them (SQLite's "query planner
/// stability guarantee"): otherwise SQLite re-prepares a statement whose plan could depend
/// on new bindings (the message query, a join with an ORDER BY) at every step, and the
/// statement cache saves nothing.
fn plan_once(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Makes `image` readable as schema `schema` of `conn`, without copying it. With mmap on,
/// SQLite reads pages straight from the image instead of copying each into its page cache:
/// fewer page faults, which are most of a lookup's cost.
fn map_image(conn: &mut Connection, schema: &str, image: &'static [u8]) -> rusqlite::Result<()> {
    conn.deserialize_bytes(schema, image)?;
    conn.execute_batch(&format!("PRAGMA {schema}.mmap_size = {}", image.len()))?;
    Ok(())
}

/// An open knowledge base.
pub struct Kb {
    pub(crate) conn: Connection,
    location: Location,
    layers: &'static [Layer],
    /// The sources, cached for lookups.
    pub(crate) source_labels: std::cell::OnceCell<Vec<SourceLabel>>,
    /// Set by `read_in_one_transaction`: what a snapshot lets be read once.
    pub(crate) snapshot: crate::providers::Snapshot,
    /// What the KB reads once about its event texts.
    pub(crate) events: crate::events::EventsCache,
    /// How long an import waits for another writer's lock ([`Kb::set_write_wait`]).
    pub(crate) write_wait: std::time::Duration,
    /// Statements made by [`Kb::sql_once`], by name and layer.
    made_sql: std::cell::RefCell<std::collections::HashMap<(&'static str, usize), Arc<str>>>,
}

/// How long an import waits for another writer to finish, by default.
pub const DEFAULT_WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a reader waits for a lock (an import's commit, a checkpoint).
const READ_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Kb {
    /// The one constructor: every other opens its connection and says what it holds.
    fn with(conn: Connection, location: Location, layers: &'static [Layer]) -> Kb {
        Kb {
            conn,
            location,
            layers,
            source_labels: Default::default(),
            snapshot: Default::default(),
            events: Default::default(),
            write_wait: DEFAULT_WRITE_WAIT,
            made_sql: Default::default(),
        }
    }

    /// Opens the embedded default KB, read-only, without copying it.
    pub fn embedded() -> Result<Kb> {
        let mut conn = Connection::open_in_memory()?;
        plan_once(&conn)?;
        // No version check: build.rs made the image with this very schema, and the check's
        // statement would be compiled once more after the schema loads.
        map_image(&mut conn, "main", DEFAULT_IMAGE)?;
        Ok(Kb::with(conn, Location::Embedded, &ALONE))
    }

    /// An empty, writable KB in memory with nothing beneath it (for tests and data
    /// generation).
    pub fn in_memory() -> Result<Kb> {
        let conn = Connection::open_in_memory()?;
        plan_once(&conn)?;
        schema::create(&conn)?;
        Ok(Kb::with(conn, Location::Memory, &ALONE))
    }

    /// Opens an existing KB file for reading only, over the embedded default. Opening costs
    /// little (WAL mode is stored in the file, so there are no pragmas to run); a file whose
    /// schema needs an upgrade is opened with [`Kb::open`], which upgrades it.
    ///
    /// A file this user cannot write, or whose WAL index cannot be made beside it (a
    /// read-only folder), is read as it stands (SQLite's `immutable`): nothing is created
    /// beside it, so a shared KB is readable by all and stays writable by its owner.
    pub fn open_for_reading(path: &Path) -> Result<Kb> {
        check_kb_file(path)?;
        let at = |e| Error::at(path, e);
        let (conn, found) = if crate::access::can_write(path) {
            let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            match schema::version(&conn) {
                Ok(found) => (conn, found),
                Err(e) if crate::access::is_unwritable(&e) => {
                    drop(conn);
                    let conn = crate::access::open_immutable(path).map_err(at)?;
                    let found = schema::version(&conn).map_err(at)?;
                    (conn, found)
                }
                Err(e) => return Err(at(e)),
            }
        } else {
            let conn = crate::access::open_immutable(path).map_err(at)?;
            plan_once(&conn).map_err(at)?;
            let found = schema::version(&conn).map_err(at)?;
            (conn, found)
        };
        if found != schema::SCHEMA_VERSION {
            drop(conn);
            return Kb::open(path);
        }
        Kb::over_default(conn, path)
    }

    /// Opens an existing KB file for reading and writing, over the embedded default. A file
    /// of an older schema is upgraded; a file that is a whole copy of an older default (as
    /// werr made them before KB files were layered) loses the copied sources, which the
    /// default beneath now answers for.
    pub fn open(path: &Path) -> Result<Kb> {
        let conn = connect(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.busy_timeout(DEFAULT_WRITE_WAIT)
            .map_err(|e| Error::at(path, e))?;
        let at = |e| Error::at(path, e);
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(at)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(at)?;
        let found = schema::version(&conn).map_err(at)?;
        if found != schema::SCHEMA_VERSION {
            if !schema::upgrade(&conn, found).map_err(at)? {
                return Err(Error::SchemaVersion {
                    path: path.to_path_buf(),
                    found,
                    expected: schema::SCHEMA_VERSION,
                });
            }
            let kb = Kb::over_default(conn, path)?;
            kb.drop_copied_default().map_err(|e| match e {
                Error::Sql(e) => Error::at(path, e),
                other => other,
            })?;
            return Ok(kb);
        }
        Kb::over_default(conn, path)
    }

    /// Opens a KB file, creating it empty first when it does not exist: a new KB file holds
    /// only what is imported into it, over the embedded default.
    pub fn open_or_create(path: &Path) -> Result<Kb> {
        if path.is_dir() {
            return Err(Error::Folder(path.to_path_buf()));
        }
        if !path.exists() {
            // Made under a temporary name and renamed, so that a crash never leaves a half
            // file where a KB should be.
            let tmp = path.with_extension("kb-partial");
            let _ = std::fs::remove_file(&tmp);
            {
                let conn = Connection::open(&tmp).map_err(|e| Error::at(&tmp, e))?;
                schema::create(&conn).map_err(|e| Error::at(&tmp, e))?;
            }
            std::fs::rename(&tmp, path).map_err(|e| Error::Io(path.to_path_buf(), e))?;
        }
        Kb::open(path)
    }

    /// `conn` (a user's KB file at `path`) with the embedded default attached beneath it.
    fn over_default(mut conn: Connection, path: &Path) -> Result<Kb> {
        let at = |e| Error::at(path, e);
        conn.execute_batch("ATTACH ':memory:' AS base")
            .map_err(at)?;
        map_image(&mut conn, "base", DEFAULT_IMAGE).map_err(at)?;
        Ok(Kb::with(
            conn,
            Location::File(path.to_path_buf()),
            &OVER_DEFAULT,
        ))
    }

    /// Deletes from the user's layer every source that is the same (kit, version, origin and
    /// license) as one of the default beneath it: what older werr versions copied into each
    /// new KB file. Returns how many were dropped.
    fn drop_copied_default(&self) -> Result<usize> {
        if self.layers.len() < 2 {
            return Ok(0);
        }
        let copied: Vec<i64> = {
            let mut stmt = self.conn.prepare(
                "SELECT u.id FROM main.sources u JOIN base.sources b \
                 ON b.kit = u.kit AND b.version = u.version AND b.origin = u.origin \
                 AND b.license = u.license",
            )?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            ids
        };
        if copied.is_empty() {
            return Ok(0);
        }
        let tx = self.conn.unchecked_transaction()?;
        for id in &copied {
            crate::writer::remove_source_facts(&tx, *id)?;
            tx.execute("DELETE FROM main.sources WHERE id = ?1", [id])?;
        }
        // Symbols no definition names any more.
        tx.execute(
            "DELETE FROM main.symbols WHERE id NOT IN (SELECT symbol FROM main.occurrences)",
            [],
        )?;
        // Merges the full-text index's segments, so that the deleted rows leave it.
        tx.execute_batch("INSERT INTO main.search(search) VALUES ('optimize')")?;
        tx.commit()?;
        // The file shrinks to what the user imported.
        self.conn.execute_batch("VACUUM main")?;
        Ok(copied.len())
    }

    /// Where this KB lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Stops this KB's queries once `deadline` has passed: a query running then, or started
    /// after, fails with an error for which [`Error::is_interrupted`] holds. `None` lifts it.
    /// (SQLite's progress handler, checked every thousand virtual machine steps.)
    pub fn set_deadline(&mut self, deadline: Option<std::time::Instant>) -> Result<()> {
        const STEPS: std::ffi::c_int = 1000;
        match deadline {
            Some(at) => self
                .conn
                .progress_handler(STEPS, Some(move || std::time::Instant::now() >= at))?,
            None => self.conn.progress_handler(0, None::<fn() -> bool>)?,
        }
        Ok(())
    }

    /// How long an import waits for another writer to finish before it fails with
    /// [`Error::Locked`] ([`DEFAULT_WRITE_WAIT`] unless set).
    pub fn set_write_wait(&mut self, wait: std::time::Duration) {
        self.write_wait = wait;
    }

    /// The underlying SQLite connection, for queries this crate does not offer. Its `main`
    /// database is the KB's own (a user's file, or the default when opened alone); a user's
    /// KB has the default attached as `base`.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The layers, the user's first.
    pub(crate) fn layers(&self) -> &[Layer] {
        self.layers
    }

    /// One compound query over every layer: `select` once per layer, the user's first, joined
    /// by `UNION ALL`, then `tail` (an `ORDER BY` over result column names, a `LIMIT`). In
    /// `select`, `@.` stands for the layer's schema (`@.occurrences`), `@source` for the
    /// offset added to the layer's source ids (`o.source + @source`) and `@layer` for the
    /// layer's index (0 for the user's). Parameters (`?1`) are shared by every part.
    pub(crate) fn layered(&self, select: &str, tail: &str) -> String {
        let mut sql = String::with_capacity((select.len() + 16) * self.layers.len() + tail.len());
        for index in 0..self.layers.len() {
            if index > 0 {
                sql.push_str(" UNION ALL ");
            }
            sql.push_str(&self.layered_part(select, index));
        }
        sql.push(' ');
        sql.push_str(tail);
        sql
    }

    /// The statement named `name` (and `layer`, where it is one layer's), made by `make` the
    /// first time: the lookups a run makes per event ask for the same few statements each
    /// time, and [`Kb::layered`] rewrites its text on every call.
    pub(crate) fn sql_once(
        &self,
        name: &'static str,
        layer: usize,
        make: impl FnOnce() -> String,
    ) -> Arc<str> {
        if let Some(sql) = self.made_sql.borrow().get(&(name, layer)) {
            return Arc::clone(sql);
        }
        let sql: Arc<str> = make().into();
        self.made_sql
            .borrow_mut()
            .insert((name, layer), Arc::clone(&sql));
        sql
    }

    /// `select` of [`Kb::layered`] for the layer at `index` alone.
    pub(crate) fn layered_part(&self, select: &str, index: usize) -> String {
        let layer = &self.layers[index];
        select
            .replace("@.", &format!("{}.", layer.schema))
            .replace("@source", &layer.source_offset.to_string())
            .replace("@layer", &index.to_string())
    }

    /// Whether source `id` (as [`Kb::layered`] queries give it) is of the user's layer over
    /// the default.
    pub(crate) fn is_users(&self, id: i64) -> bool {
        self.layers.len() > 1 && id < 0
    }

    /// The layer and the stored id of a source id as [`Kb::layered`] queries give it.
    pub(crate) fn source_in_layer(&self, id: i64) -> (&'static str, i64) {
        let layer = self
            .layers
            .iter()
            .find(|l| l.source_offset == if id < 0 { USER_SOURCE_OFFSET } else { 0 })
            .unwrap_or(&self.layers[0]);
        (layer.schema, id - layer.source_offset)
    }
}

/// An error unless `path` names an existing file (a folder is no KB).
fn check_kb_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Error::Missing(path.to_path_buf()))
        }
        Err(e) => Err(Error::Io(path.to_path_buf(), e)),
        Ok(m) if m.is_dir() => Err(Error::Folder(path.to_path_buf())),
        Ok(_) => Ok(()),
    }
}

/// A connection to the existing KB file at `path` (`mode`: read-only or read-write), waiting
/// up to [`READ_WAIT`] for a writer's lock.
fn connect(path: &Path, mode: OpenFlags) -> Result<Connection> {
    check_kb_file(path)?;
    let conn = Connection::open_with_flags(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| Error::at(path, e))?;
    conn.busy_timeout(READ_WAIT)
        .map_err(|e| Error::at(path, e))?;
    plan_once(&conn).map_err(|e| Error::at(path, e))?;
    Ok(conn)
}
