//! Who may do what to a KB file: whether this user can write it, how a reader that cannot
//! opens it, what blocks a writer, and which process holds the write lock.
//!
//! A KB file is in WAL mode: a reader needs the WAL index (`FILE-shm`) beside it, which SQLite
//! creates when missing. A reader that cannot write the file (a KB shared read-only, or in a
//! folder another user owns) therefore opens it immutable: no lock, no `-shm` or `-wal` made,
//! so it neither fails nor leaves files owned by the reader that would stop the owner's next
//! import. Imports checkpoint the WAL into the file when they commit, so an immutable reader
//! sees every finished import.

use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

/// Whether this user can open the file at `path` for writing (nothing is written).
pub(crate) fn can_write(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// The files beside a KB file that SQLite writes in WAL mode.
fn companions(path: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm")]
}

/// A connection that reads the KB file at `path` as it stands, without locks and without
/// creating the WAL index: SQLite's `immutable` URI parameter.
pub(crate) fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let uri = format!("file:{}?immutable=1", uri_path(path));
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// `path` as the path part of an SQLite `file:` URI: every byte but unreserved characters and
/// `/` percent-encoded, so `?`, `#` and `%` in a name stay part of it.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether SQLite failed because it could not write (the file, its WAL files or its folder).
pub(crate) fn is_unwritable(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// Whether SQLite failed because another connection holds the lock it needs.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// What stops this user from writing the KB file at `path`: each of the file, its WAL files
/// and its folder that cannot be written, with its owner where the system says.
pub(crate) fn write_blockers(path: &Path) -> String {
    let mut blockers = Vec::new();
    let [wal, shm] = companions(path);
    for file in [path.to_path_buf(), wal, shm] {
        if file.exists() && !can_write(&file) {
            blockers.push(format!(
                "{} is not writable by you{}",
                file.display(),
                owner(&file)
            ));
        }
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if folder.metadata().is_ok_and(|m| m.permissions().readonly()) {
        blockers.push(format!(
            "its folder {} is read-only{}",
            folder.display(),
            owner(&folder)
        ));
    }
    if blockers.is_empty() {
        "SQLite could not write it or the files beside it (FILE-wal, FILE-shm)".to_string()
    } else {
        blockers.join("; ")
    }
}

/// ` (owned by uid N)`, where the system keeps owners.
fn owner(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = path.metadata() {
            return format!(" (owned by uid {})", m.uid());
        }
    }
    let _ = path;
    String::new()
}

/// The process holding the write lock of the KB file at `path`, as `process PID (COMMAND)`,
/// when the system says: SQLite takes a WAL database's write lock as a POSIX lock on byte 120
/// of `FILE-shm` (the first of its shared-memory locks), and `F_GETLK` names its holder.
pub(crate) fn writer_of(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use rustix::process::{fcntl_getlk, Flock, FlockType};
        const WAL_WRITE_LOCK_BYTE: u64 = 120;
        let [_, shm] = companions(path);
        let file = std::fs::File::open(&shm).ok()?;
        let mut wanted = Flock::from(FlockType::WriteLock);
        wanted.start = WAL_WRITE_LOCK_BYTE;
        wanted.length = 1;
        let holder = fcntl_getlk(&file, &wanted).ok()??;
        let pid = holder.pid?.as_raw_nonzero();
        let command = std::fs::read(format!("/proc/{pid}/cmdline"))
            .ok()
            .map(|raw| {
                let words: Vec<String> = raw
                    .split(|&b| b == 0)
                    .filter(|w| !w.is_empty())
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect();
                words.join(" ")
            })
            .filter(|c| !c.is_empty());
        Some(match command {
            Some(c) => format!("process {pid}, {}", werr_quote::quoted(&c)),
            None => format!("process {pid}"),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_keep_special_characters_in_the_name() {
        assert_eq!(
            uri_path(Path::new("/tmp/a b/k?#%.kb")),
            "/tmp/a%20b/k%3F%23%25.kb"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("odd ?#% name.kb");
        Connection::open(&path)
            .and_then(|c| c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (7);"))
            .expect("made");
        let conn = open_immutable(&path).expect("opens");
        let x: i64 = conn
            .query_row("SELECT x FROM t", [], |r| r.get(0))
            .expect("reads");
        assert_eq!(x, 7);
    }
}
