//! The importer interface: every import runs in one transaction through an
//! [`ImportSession`]; file formats plug in as [`Importer`]s.

use crate::error::{Error, Result};
use crate::store::{Kb, Location};
use crate::writer::{
    DefinitionRow, EventRow, FileRow, GroupRow, ManifestEventRow, MessageNameRow, MessageRow,
    ReleaseRow, RowError, SourceRow, Writer,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A problem with one input file: reported, and the file skipped or imported in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportIssue {
    /// The file, as named in the import (relative to the tree root given).
    pub path: String,
    /// 1-based line (0 when the problem is not tied to a line).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What was found and what was expected.
    pub message: String,
    /// Whether the whole file was skipped (else only the line).
    pub skipped_file: bool,
}

impl std::fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(
            f,
            ": {}{}",
            self.message,
            if self.skipped_file {
                " (file skipped)"
            } else {
                ""
            }
        )
    }
}

/// What one file contributes, as an [`Importer`] parsed it: rows ready to store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFile {
    /// The file row (path relative to the tree root, preamble).
    pub file: FileRow,
    /// The file's groups.
    pub groups: Vec<GroupRow>,
    /// Definitions, each with the index into `groups` of its group.
    pub definitions: Vec<(Option<usize>, DefinitionRow)>,
    /// Message texts.
    pub messages: Vec<MessageRow>,
    /// The names the file gives messages (an .mc file's SymbolicNames): what a message's
    /// text belongs to.
    pub message_names: Vec<MessageNameRow>,
    /// Events of compiled event manifests (`WEVT_TEMPLATE`) and their message ids.
    pub manifest_events: Vec<ManifestEventRow>,
    /// The Windows releases the file's event texts were seen in (a WELM database: one).
    pub releases: Vec<ReleaseRow>,
    /// Event texts by provider and event id, each with its releases (which must be in
    /// `releases` of this or another file of the import).
    pub events: Vec<EventRow>,
    /// Problems met on the way (lines skipped).
    pub issues: Vec<ImportIssue>,
    /// A scanned header waiting for the kit-level step ([`Importer::finish`]) that turns it
    /// into rows; `None` once rows are final.
    pub header: Option<werr_headers::HeaderFile>,
}

/// A file format werr can import. Implementations parse one file at a time, purely (bytes
/// in, rows out), possibly on several threads; the KB stores the rows.
///
/// The .mc and PE message-table importers implement this trait: they return their message
/// texts in [`ParsedFile::messages`] (module, message id, LANGID, text) and, for .mc files,
/// the symbolic names in [`ParsedFile::definitions`].
pub trait Importer: Sync {
    /// A short name for listings (`headers`, `windows-sys`, `mc`, `msgtable`).
    fn name(&self) -> &'static str;
    /// Whether this importer reads the file at `rel` (path relative to the tree root,
    /// `/`-separated) whose first bytes are `head`.
    fn accepts(&self, rel: &str, head: &[u8]) -> bool;
    /// Parses one file. `Err` skips the file with that issue; the import goes on.
    fn parse(&self, rel: &str, bytes: &[u8]) -> std::result::Result<ParsedFile, ImportIssue>;
    /// Runs once after every file of the import is parsed, before anything is stored, over
    /// all of them (also those of other importers): for work across files, such as resolving
    /// names one header uses and another defines. The default does nothing.
    fn finish(&self, _files: &mut [ParsedFile]) {}
}

/// Receives the progress of [`Kb::import_paths`] (the CLI draws a bar from it).
pub trait Progress: Sync {
    /// The number of files about to be read.
    fn start(&self, files: u64);
    /// One more file was parsed.
    fn advance(&self);
    /// Parsing is done; storing starts.
    fn storing(&self);
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64) {}
    fn advance(&self) {}
    fn storing(&self) {}
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// The source's kit.
    pub kit: String,
    /// The source's version.
    pub version: String,
    /// Files stored (files that contribute nothing are read but not stored).
    pub files: usize,
    /// Files no importer reads (not counted as problems).
    pub ignored_files: usize,
    /// Definitions stored.
    pub definitions: usize,
    /// Messages stored.
    pub messages: usize,
    /// Manifest events stored.
    pub manifest_events: usize,
    /// Windows releases of event texts stored (each counted once).
    pub releases: usize,
    /// Event texts stored (one per provider, event id and distinct text).
    pub events: usize,
    /// Problems, in file order.
    pub issues: Vec<ImportIssue>,
}

/// A file of the current import, returned by [`ImportSession::add_file`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId(i64);

/// A group of the current import, returned by [`ImportSession::add_group`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupId(i64);

/// The writing side of one import, inside its transaction.
pub struct ImportSession<'t> {
    writer: Writer<'t>,
    source: i64,
    summary: ImportSummary,
    /// The ids of the releases added (several files may name one).
    releases: HashSet<i64>,
}

impl ImportSession<'_> {
    /// Adds a file of the source.
    pub fn add_file(&mut self, file: &FileRow) -> Result<FileId> {
        self.summary.files += 1;
        Ok(FileId(self.writer.add_file(self.source, file)?))
    }

    /// Adds a group of `file`.
    pub fn add_group(&mut self, file: FileId, group: &GroupRow) -> Result<GroupId> {
        Ok(GroupId(self.writer.add_group(file.0, group)?))
    }

    /// Adds a definition of `file`, under `group`.
    pub fn add_definition(
        &mut self,
        file: FileId,
        group: Option<GroupId>,
        def: &DefinitionRow,
    ) -> Result<()> {
        self.summary.definitions += 1;
        self.writer
            .add_definition(self.source, file.0, group.map(|g| g.0), def)?;
        Ok(())
    }

    /// Records the name a message file gives a message of the source.
    pub fn add_message_name(&mut self, name: &MessageNameRow) -> Result<()> {
        self.writer.add_message_name(self.source, name)?;
        Ok(())
    }

    /// Adds a message text of the source.
    pub fn add_message(&mut self, message: &MessageRow) -> Result<()> {
        self.summary.messages += 1;
        self.writer.add_message(self.source, message)?;
        Ok(())
    }

    /// Adds a Windows release of event texts (or updates the one of that name); returns
    /// its id. Fails past the 63 releases a KB holds.
    pub fn add_release(&mut self, release: &ReleaseRow) -> Result<i64> {
        let id = self.writer.add_release(release).map_err(row_error)?;
        self.releases.insert(id);
        self.summary.releases = self.releases.len();
        Ok(id)
    }

    /// Adds an event text of the source; its releases must have been added.
    pub fn add_event(&mut self, event: &EventRow) -> Result<()> {
        self.summary.events += 1;
        self.writer
            .add_event(self.source, event)
            .map_err(row_error)?;
        Ok(())
    }

    /// Stores everything one parsed file holds.
    /// A file that contributes no definition, message, manifest event or release is not
    /// stored.
    pub fn add_parsed(&mut self, parsed: &ParsedFile) -> Result<()> {
        self.summary.issues.extend(parsed.issues.iter().cloned());
        if parsed.definitions.is_empty()
            && parsed.messages.is_empty()
            && parsed.message_names.is_empty()
            && parsed.manifest_events.is_empty()
            && parsed.releases.is_empty()
        {
            return Ok(());
        }
        let file = self.add_file(&parsed.file)?;
        let mut groups = Vec::with_capacity(parsed.groups.len());
        for g in &parsed.groups {
            groups.push(self.add_group(file, g)?);
        }
        for (group, def) in &parsed.definitions {
            let group = group.and_then(|i| groups.get(i).copied());
            self.add_definition(file, group, def)?;
        }
        for m in &parsed.messages {
            self.add_message(m)?;
        }
        for n in &parsed.message_names {
            self.writer.add_message_name(self.source, n)?;
        }
        for event in &parsed.manifest_events {
            self.summary.manifest_events += 1;
            self.writer.add_manifest_event(self.source, event)?;
        }
        for release in &parsed.releases {
            self.add_release(release)?;
        }
        for event in &parsed.events {
            self.add_event(event)?;
        }
        Ok(())
    }

    /// Records a problem.
    pub fn report(&mut self, issue: ImportIssue) {
        self.summary.issues.push(issue);
    }
}

impl Kb {
    /// Runs `fill` as the import of `source`, in one transaction: either everything `fill`
    /// adds is stored, or (on error, panic or a killed process) nothing is, and the KB keeps
    /// its previous content. An earlier import of the same kit and version is replaced.
    pub fn import<T>(
        &mut self,
        source: &SourceRow,
        fill: impl FnOnce(&mut ImportSession<'_>) -> Result<T>,
    ) -> Result<(T, ImportSummary)> {
        if self.location() == &Location::Embedded {
            return Err(Error::ReadOnly);
        }
        let tx = self.begin_import()?;
        let (value, summary) = {
            let mut writer = Writer::new(&tx)?;
            let id = writer.begin_source(source)?;
            let mut session = ImportSession {
                writer,
                source: id,
                summary: ImportSummary {
                    kit: source.kit.clone(),
                    version: source.version.clone(),
                    ..ImportSummary::default()
                },
                releases: HashSet::new(),
            };
            let value = fill(&mut session)?;
            name_messages_by_headers(&tx, id)?;
            (value, session.summary)
        };
        tx.commit().map_err(|e| self.file_error(e))?;
        self.source_labels = Default::default();
        // The import may have changed the releases.
        self.events = Default::default();
        // Moves the import from the WAL into the file, so that readers who open it as it
        // stands (those who cannot write it, see `access`) see it. Readers still reading keep
        // the WAL's frames they need; the next import's checkpoint takes the rest.
        let _ = self
            .conn
            .execute_batch("PRAGMA main.wal_checkpoint(TRUNCATE)");
        Ok((value, summary))
    }

    /// Begins an import's transaction, taking the write lock at once (waiting up to the
    /// write wait for another writer), so that two imports never meet half-way.
    fn begin_import(&mut self) -> Result<rusqlite::Transaction<'_>> {
        let file = match self.location() {
            Location::File(path) => Some(path.clone()),
            _ => None,
        };
        let at = |e: rusqlite::Error| match &file {
            Some(path) => Error::at(path, e),
            None => Error::Sql(e),
        };
        self.conn.busy_timeout(self.write_wait).map_err(at)?;
        let started = std::time::Instant::now();
        let tx = self.conn.transaction().map_err(at)?;
        // A write as the first statement takes the user's file's write lock, waiting for it
        // (BEGIN IMMEDIATE would also lock the default beneath, which is read-only).
        match tx.execute_batch("DELETE FROM main.sources WHERE 0") {
            Ok(()) => Ok(tx),
            Err(e) => match &file {
                Some(path) if crate::access::is_busy(&e) => Err(Error::Locked {
                    path: path.clone(),
                    writer: crate::access::writer_of(path),
                    waited: started.elapsed(),
                }),
                _ => Err(at(e)),
            },
        }
    }

    /// SQLite's error `e` on this KB, naming its file when it has one.
    fn file_error(&self, e: rusqlite::Error) -> Error {
        match self.location() {
            Location::File(path) => Error::at(path, e),
            _ => Error::Sql(e),
        }
    }

    /// Imports files and folder trees with the first of `importers` that accepts each file,
    /// as the source `source`, in one transaction. Unreadable files and files an importer
    /// rejects are reported in the summary and skipped; the rest is stored.
    pub fn import_paths(
        &mut self,
        source: &SourceRow,
        paths: &[PathBuf],
        importers: &[&dyn Importer],
        progress: &dyn Progress,
    ) -> Result<ImportSummary> {
        let mut files = Vec::new();
        let mut walk_issues = Vec::new();
        for root in paths {
            collect_files(root, root, &mut files, &mut walk_issues);
        }
        progress.start(files.len() as u64);
        let mut parsed = parse_all(&files, importers, progress);
        {
            let mut ready: Vec<ParsedFile> = Vec::new();
            let mut slots = Vec::new();
            for (i, outcome) in parsed.iter_mut().enumerate() {
                if let Outcome::Parsed(p) = outcome {
                    ready.push(std::mem::take(&mut **p));
                    slots.push(i);
                }
            }
            for importer in importers {
                importer.finish(&mut ready);
            }
            for (i, p) in slots.into_iter().zip(ready) {
                parsed[i] = Outcome::Parsed(Box::new(p));
            }
        }
        progress.storing();
        let ((), mut summary) = self.import(source, |session| {
            for issue in walk_issues {
                session.report(issue);
            }
            for outcome in parsed {
                match outcome {
                    Outcome::Parsed(p) => session.add_parsed(&p)?,
                    Outcome::Skipped(issue) => session.report(issue),
                    Outcome::Ignored => session.summary.ignored_files += 1,
                }
            }
            Ok(())
        })?;
        summary
            .issues
            .sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
        Ok(summary)
    }

    /// The values the KB's sources give each name (for importers that report values that
    /// differ).
    pub fn symbol_values(&self) -> Result<std::collections::HashMap<String, Vec<u32>>> {
        let mut stmt = self.conn.prepare(&self.layered(
            "SELECT DISTINCT s.name, o.value FROM @.occurrences o \
             JOIN @.symbols s ON s.id = o.symbol WHERE o.value IS NOT NULL",
            "",
        ))?;
        let mut out: std::collections::HashMap<String, Vec<u32>> = Default::default();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        for row in rows {
            let (name, value) = row?;
            out.entry(name).or_default().push(value);
        }
        Ok(out)
    }

    /// Every name the KB defines (for importers that keep only names already known).
    pub fn symbol_names(&self) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare(&self.layered("SELECT name FROM @.symbols", ""))?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<HashSet<String>>>()?;
        Ok(names)
    }
}

/// Names the messages of source `source` that a header of the same source names: a header mc
/// wrote says, in a `MessageId: NAME` comment block, that message id V is NAME, though not of
/// which module; imported together with the tables (the SDK's header and its DLLs), it names
/// the messages with id V of the source's modules that no message file names already.
fn name_messages_by_headers(conn: &rusqlite::Connection, source: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO message_names (source, module, message_id, name) \
         SELECT DISTINCT ?1, m.module, m.message_id, s.name \
         FROM occurrences o JOIN symbols s ON s.id = o.symbol \
         JOIN messages m ON m.source = o.source AND m.message_id = o.value \
         WHERE o.source = ?1 AND instr(o.line_comments, 'MessageId: ' || s.name) > 0 \
         AND NOT EXISTS (SELECT 1 FROM message_names n WHERE n.source = ?1 \
             AND n.module = m.module AND n.message_id = m.message_id)",
        [source],
    )?;
    Ok(())
}

/// A row the writer refused, as a KB error.
fn row_error(e: RowError) -> Error {
    match e {
        RowError::Sql(e) => Error::Sql(e),
        RowError::Invalid(message) => Error::Invalid(message),
    }
}

/// A file to read: its path on disk and its name relative to the tree root.
struct InputFile {
    path: PathBuf,
    rel: String,
}

enum Outcome {
    Parsed(Box<ParsedFile>),
    Skipped(ImportIssue),
    Ignored,
}

fn rel_name(root: &Path, path: &Path) -> String {
    let rel = if root == path {
        path.file_name().map(Path::new).unwrap_or(path)
    } else {
        path.strip_prefix(root).unwrap_or(path)
    };
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks `path` (a file or a folder, symbolic links to folders not followed) in name order.
fn collect_files(
    root: &Path,
    path: &Path,
    out: &mut Vec<InputFile>,
    issues: &mut Vec<ImportIssue>,
) {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            issues.push(ImportIssue {
                path: path.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
                skipped_file: true,
            });
            return;
        }
    };
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
            Err(e) => {
                issues.push(ImportIssue {
                    path: path.display().to_string(),
                    line: 0,
                    column: 0,
                    message: format!("cannot list folder: {e}"),
                    skipped_file: true,
                });
                return;
            }
        };
        entries.sort();
        for entry in entries {
            collect_files(root, &entry, out, issues);
        }
    } else if meta.is_file() || std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        out.push(InputFile {
            path: path.to_path_buf(),
            rel: rel_name(root, path),
        });
    } else if path == root {
        // Named on the command line: say why nothing comes of it. Inside a folder, devices,
        // pipes and sockets are passed over, as a tree of sources holds none.
        issues.push(ImportIssue {
            path: path.display().to_string(),
            line: 0,
            column: 0,
            message:
                "not a file or a folder (a device, pipe or socket); werr imports files and folders"
                    .into(),
            skipped_file: true,
        });
    }
}

fn parse_one(file: &InputFile, importers: &[&dyn Importer]) -> Outcome {
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Skipped(ImportIssue {
                path: file.rel.clone(),
                line: 0,
                column: 0,
                message: format!("cannot read: {e}"),
                skipped_file: true,
            })
        }
    };
    let head = &bytes[..bytes.len().min(512)];
    match importers.iter().find(|i| i.accepts(&file.rel, head)) {
        None => Outcome::Ignored,
        Some(importer) => match importer.parse(&file.rel, &bytes) {
            Ok(p) => Outcome::Parsed(Box::new(p)),
            Err(issue) => Outcome::Skipped(issue),
        },
    }
}

/// Parses every file on all cores; results keep the files' order.
fn parse_all(
    files: &[InputFile],
    importers: &[&dyn Importer],
    progress: &dyn Progress,
) -> Vec<Outcome> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    if workers == 1 || files.len() < 16 {
        return files
            .iter()
            .map(|f| {
                let o = parse_one(f, importers);
                progress.advance();
                o
            })
            .collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Outcome>> = Vec::new();
    results.resize_with(files.len(), || None);
    let chunks: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        done.push((i, parse_one(file, importers)));
                        progress.advance();
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, outcome) in chunks.into_iter().flatten() {
        results[i] = Some(outcome);
    }
    results
        .into_iter()
        .zip(files)
        .map(|(r, f)| {
            r.unwrap_or_else(|| {
                Outcome::Skipped(ImportIssue {
                    path: f.rel.clone(),
                    line: 0,
                    column: 0,
                    message: "the parser panicked on this file; please report it".to_string(),
                    skipped_file: true,
                })
            })
        })
        .collect()
}
