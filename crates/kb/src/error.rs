//! The errors of the KB.

use std::path::PathBuf;

/// What went wrong in the KB.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite failed.
    #[error("SQLite: {0}")]
    Sql(#[from] rusqlite::Error),
    /// SQLite failed on a KB file.
    #[error("{0}: {1}")]
    SqlAt(PathBuf, rusqlite::Error),
    /// A file could not be read or written.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// `--kb` names a folder, not a KB file.
    #[error("{0} is a folder; a KB is a file (`werr import ... --kb FILE` creates one)")]
    Folder(PathBuf),
    /// Another connection kept the KB file's write lock longer than this one waited.
    #[error("{}: another program is writing this KB ({}); waited {} s for it to finish; try again when it has", path.display(), writer.as_deref().unwrap_or("which one, the system does not say"), waited.as_secs())]
    Locked {
        /// The KB file.
        path: PathBuf,
        /// The process holding the lock, when the system says (`process PID, `COMMAND``).
        writer: Option<String>,
        /// How long this import waited.
        waited: std::time::Duration,
    },
    /// The KB file cannot be written by this user (an import, an upgrade).
    #[error("{}: cannot write this KB: {blockers}", path.display())]
    NotWritable {
        /// The KB file.
        path: PathBuf,
        /// What stops the write: the files and folder that are not writable, with owners.
        blockers: String,
    },
    /// A KB file that should exist does not.
    #[error("{0}: no KB file here; `werr import ... --kb {0}` creates one")]
    Missing(PathBuf),
    /// The KB was written by another version of werr.
    #[error("{}: KB schema version {found}, this werr reads version {expected}; re-create the KB with `werr import`", path.display())]
    SchemaVersion {
        /// The KB file.
        path: PathBuf,
        /// The version stored in the KB.
        found: i64,
        /// The version this build reads.
        expected: i64,
    },
    /// A data file of `data/` is malformed.
    #[error("{0}: {1}")]
    Dataset(String, String),
    /// The KB is the read-only embedded default.
    #[error("the embedded default KB is read-only; pass --kb FILE (or set WERR_KB) to import into a KB file")]
    ReadOnly,
    /// An importer failed on a file.
    #[error("{path}: {message}")]
    Import {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Rows the KB cannot take (a 64th Windows release, an event naming a release not added).
    #[error("{0}")]
    Invalid(String),
    /// A Windows release asked for (`--windows X`) is not in the KB.
    #[error("no Windows release {given:?} in the KB; name one of: {names} (a name, or its start before a '-': 7 for 7-sp1)")]
    UnknownRelease {
        /// What was asked for.
        given: String,
        /// The KB's release names, oldest first, comma-separated.
        names: String,
    },
    /// A source named in a query is not in the KB (or names several).
    #[error("no single source {} in the KB; name one of: {}", werr_quote::quoted(.0), .1)]
    UnknownSource(String, String),
}

impl Error {
    /// Whether a query was stopped by its deadline ([`crate::Kb::set_deadline`]).
    pub fn is_interrupted(&self) -> bool {
        match self {
            Error::Sql(e) | Error::SqlAt(_, e) => {
                e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
            }
            _ => false,
        }
    }

    /// SQLite's error `e` on the KB file at `path`; a failure to write says what blocks it.
    pub(crate) fn at(path: &std::path::Path, e: rusqlite::Error) -> Error {
        if crate::access::is_unwritable(&e) && path.exists() {
            return Error::NotWritable {
                path: path.to_path_buf(),
                blockers: crate::access::write_blockers(path),
            };
        }
        Error::SqlAt(path.to_path_buf(), e)
    }
}

/// The result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
