//! Presenting logs: every record read, selected, rendered and written in one
//! [`OutputFormat`] (a text line, or a JSON line of one of three shapes), in log order, with
//! counts of what rendered and what did not.
//!
//! The threads that read chunks also render and serialize their records, sharing one
//! [`Renderer`] (its caches, each thread with its own copies of the routes it uses) and the
//! catalog behind a lock; the calling thread, one of them, writes the output in log order.
//! The catalog is a [`PendingCatalog`]. One log at a time, the calling thread opens it while
//! its helpers read the first chunks ([`LogReader::read_chunks_meanwhile`]). Several logs
//! at once ([`PresentOptions::jobs`], module `jobs`), each by a worker of its own, the
//! calling thread (one of the workers) writing their output log after log: a thread of its
//! own opens the catalog while reading starts, then looks up the event texts of the events
//! the workers meet, as they meet them, so that the first lookups of a run (which read pages
//! of the KB nobody has read yet) do not keep the workers waiting. Nothing is written before
//! the catalog is open: a catalog that cannot be opened fails the run with no output.
//!
//! Output other than bytes (Parquet) goes to a [`RowSink`] ([`present_logs_to`]): the
//! workers gather each chunk's shown records into its [`ChunkRows`], and the calling thread
//! hands them to the sink in log order, as it writes bytes otherwise. A sink's own work (the
//! encoding of what it was handed) may be shared by the reading threads between chunks
//! ([`RowSink::shared_work`]). Chunk storage (output buffers, rows) goes back to the thread
//! that made it, to be emptied and reused there.

mod ecs;
mod jobs;
mod json;
mod tally;
mod timesketch;

pub use ecs::{write_ecs_line, ECS_VERSION};
pub use json::write_json_line;
pub use tally::Tally;
pub use timesketch::write_timesketch_line;

use crate::model::EventRecord;
use crate::pending::PendingCatalog;
use crate::read::{
    LogItem, LogReader, ReadOptions, ReadProblem, RecordHook, SharedWork, CHUNK_SIZE,
};
use crate::render::{MessageCatalog, Renderer, Rendering};
use crate::thread_spares::ThreadSpares;
use crate::LookupError;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, PoisonError};

/// How each record is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// One text line ([`text_line`]).
    #[default]
    Text,
    /// One JSON object of werr's own shape ([`write_json_line`]).
    Json,
    /// One Elastic Common Schema document, as winlogbeat writes it ([`write_ecs_line`]).
    Ecs,
    /// One Timesketch event with plaso's field names ([`write_timesketch_line`]).
    Timesketch,
}

/// What to present, and how.
#[derive(Debug, Clone, Default)]
pub struct PresentOptions {
    /// How each record is written.
    pub format: OutputFormat,
    /// When this run reads the logs (RFC 3339, UTC): the ECS lines' `event.created`, left
    /// out when empty. The caller reads the clock (`werr evtx`: when the run starts).
    pub created: String,
    /// Only records of these providers (ASCII case ignored); empty: every provider.
    pub providers: Vec<String>,
    /// Only records with these event ids; empty: every id.
    pub ids: Vec<u16>,
    /// How to read the logs. Its `threads` (chunk threads per log), when 0, share the
    /// [`PresentOptions::jobs`] budget: divided by the logs read at once (at least one).
    pub read: ReadOptions,
    /// The threads that read, in all (0: one per core): as many logs read at once, each by
    /// a worker of its own, or fewer logs each read by several chunk threads
    /// (`read.threads`) when there are fewer logs, or `read.threads` is given (logs read at
    /// once: the budget divided by it).
    pub jobs: usize,
}

impl PresentOptions {
    /// Whether `record` passes [`PresentOptions::providers`] and [`PresentOptions::ids`].
    pub fn selects(&self, record: &EventRecord) -> bool {
        selected(&self.providers, &self.ids, record)
    }
}

/// Something met while presenting, for the caller to report as it happens.
#[derive(Debug)]
pub enum Report<'a> {
    /// A problem inside log `file` (a damaged chunk or record); its readable records are
    /// presented.
    Problem {
        /// The log, as the caller named it.
        file: &'a str,
        /// What was wrong, and where.
        problem: &'a ReadProblem,
    },
    /// Log `file` could not be loaded or is not an event log; nothing of it is presented.
    Unreadable {
        /// The log, as the caller named it.
        file: &'a str,
        /// Why.
        error: String,
    },
    /// Output of log `file` was written: a chunk's records, or the log's end.
    Progress {
        /// The log, as the caller named it.
        file: &'a str,
        /// Records read (shown or not) in what was written.
        records: u64,
        /// Bytes of the log behind it: a chunk's 64 KiB, and at the log's end the rest of
        /// the file, so that a log's pieces add up to its size.
        bytes: u64,
        /// The log is written to its end (or could not be read).
        log_done: bool,
    },
}

/// A log to present: its bytes, or why they could not be loaded ([`Result`]), or what loads
/// them when a worker takes the log up ([`LoadLater`]).
pub trait LogSource {
    /// The log's bytes.
    type Data: std::ops::Deref<Target = [u8]>;
    /// Why they could not be loaded.
    type Error: std::fmt::Display;
    /// The bytes, loaded now if they are not yet.
    fn load(self) -> Result<Self::Data, Self::Error>;
}

impl<D: std::ops::Deref<Target = [u8]>, E: std::fmt::Display> LogSource for Result<D, E> {
    type Data = D;
    type Error = E;
    fn load(self) -> Self {
        self
    }
}

/// A log loaded by the worker that reads it (the closure reads or maps its file): the
/// workers draw the logs in turn, and loading one then keeps none of the others waiting.
pub struct LoadLater<F>(pub F);

impl<F, D, E> LogSource for LoadLater<F>
where
    F: FnOnce() -> Result<D, E>,
    D: std::ops::Deref<Target = [u8]>,
    E: std::fmt::Display,
{
    type Data = D;
    type Error = E;
    fn load(self) -> Result<D, E> {
        (self.0)()
    }
}

/// Why presenting stopped before the end.
#[derive(Debug, thiserror::Error)]
pub enum PresentError {
    /// The catalog could not be opened; nothing was written.
    #[error("{0}")]
    Catalog(LookupError),
    /// The output could not be written.
    #[error(transparent)]
    Output(#[from] io::Error),
}

/// What presenting the logs came to.
#[derive(Debug, Default)]
pub struct Presented {
    /// What was read, shown and rendered.
    pub tally: Tally,
    /// The logs that could not be read (as reported with [`Report::Unreadable`]).
    pub failed: Vec<String>,
}

/// One chunk's shown records as a [`RowSink`] takes them, gathered on the worker that read
/// the chunk (so that the work of making rows is spread as rendering is).
pub trait ChunkRows: Default + Send + 'static {
    /// Adds a shown record of log `file`, with its rendering.
    fn push(&mut self, file: &str, record: &EventRecord, rendering: &Rendering);
    /// Called once the chunk's last record is pushed, still on the worker.
    fn finish(&mut self) {}
    /// Empties it for another chunk. Called on the worker that filled it, once the sink has
    /// written it: what it holds is freed by the thread that allocated it (glibc's malloc
    /// frees another thread's blocks under that thread's heap lock).
    fn clear(&mut self) {
        *self = Self::default();
    }
    /// The memory it holds, about: rows of logs read ahead of the one being written wait
    /// within a byte limit.
    fn held_bytes(&self) -> usize {
        0
    }
}

/// Where [`present_logs_to`] puts the shown records, fed by the calling thread in log order.
pub trait RowSink {
    /// What the workers make of one chunk's shown records.
    type Rows: ChunkRows;
    /// Writes the rows of the next chunk of log `file`; what is left in `rows` goes back to
    /// the worker that made them ([`ChunkRows::clear`]).
    fn write_rows(&mut self, file: &str, rows: &mut Self::Rows) -> io::Result<()>;
    /// Log `file` has no more rows (it was read to its end, or could not be read).
    fn end_log(&mut self, file: &str) -> io::Result<()>;
    /// Work of the sink's that the threads reading a log may share
    /// ([`LogReader::read_chunks_sharing`]); none by default.
    fn shared_work(&self) -> Option<Arc<dyn SharedWork>> {
        None
    }
}

/// The sink of a run that writes bytes: it is never given rows.
pub(super) struct NoRows;

impl ChunkRows for NoRows {
    fn push(&mut self, _: &str, _: &EventRecord, _: &Rendering) {}
}

impl Default for NoRows {
    fn default() -> Self {
        NoRows
    }
}

impl RowSink for NoRows {
    type Rows = NoRows;
    fn write_rows(&mut self, _: &str, _: &mut NoRows) -> io::Result<()> {
        Ok(())
    }
    fn end_log(&mut self, _: &str) -> io::Result<()> {
        Ok(())
    }
}

/// Where a run's output goes: bytes (text or JSON Lines), or a sink of rows.
enum Output<'s, W: Write, S: RowSink> {
    Bytes(io::BufWriter<W>),
    Rows(&'s mut S),
}

impl<W: Write, S: RowSink> Output<'_, W, S> {
    /// The sink's work that the reading threads share, if it has any.
    fn shared_work(&self) -> Option<Arc<dyn SharedWork>> {
        match self {
            Output::Rows(sink) => sink.shared_work(),
            Output::Bytes(_) => None,
        }
    }
}

/// Presents `logs` (each a name and its bytes or why they could not be loaded, or a
/// [`LoadLater`] that loads them) to `out`, rendering through `renderer`, whose catalog is
/// `catalog`. `report` hears of problems and progress as they are met, in output order. `Ok(None)`: the output was closed (a reader
/// that stopped reading, as `| head` does), which ends the run quietly.
///
/// With several logs and [`PresentOptions::jobs`] above one, `logs` is drawn from by the
/// workers in turn (a [`LoadLater`] log is loaded by the worker that reads it, the others
/// waiting for nothing, and only the logs in flight are loaded at once); the output is the
/// same, byte for byte, whatever the number of jobs.
pub fn present_logs<'c, C, S, L>(
    catalog: &PendingCatalog<'c, C>,
    renderer: &Renderer<'_, PendingCatalog<'c, C>>,
    options: &PresentOptions,
    logs: L,
    out: impl Write,
    report: impl FnMut(Report<'_>),
) -> Result<Option<Presented>, PresentError>
where
    C: MessageCatalog + Send + Sync,
    S: LogSource,
    L: IntoIterator<Item = (String, S)>,
    L::IntoIter: Send,
{
    let out = Output::<_, NoRows>::Bytes(io::BufWriter::with_capacity(1 << 16, out));
    present(catalog, renderer, options, logs, out, report)
}

/// [`present_logs`] with the shown records going to `sink` (in log order, each log ended
/// with [`RowSink::end_log`]) instead of bytes. A sink's error stops the run
/// ([`PresentError::Output`]). The sink takes one log's rows at a time, in the order
/// given, while the jobs read that log's chunks or the logs after it, as for bytes; every
/// reading thread does the sink's [`RowSink::shared_work`] between its chunks.
pub fn present_logs_to<'c, C, S, L, K>(
    catalog: &PendingCatalog<'c, C>,
    renderer: &Renderer<'_, PendingCatalog<'c, C>>,
    options: &PresentOptions,
    logs: L,
    sink: &mut K,
    report: impl FnMut(Report<'_>),
) -> Result<Option<Presented>, PresentError>
where
    C: MessageCatalog + Send + Sync,
    S: LogSource,
    L: IntoIterator<Item = (String, S)>,
    L::IntoIter: Send,
    K: RowSink,
{
    let out = Output::<io::Sink, K>::Rows(sink);
    present(catalog, renderer, options, logs, out, report)
}

/// How `budget` threads are shared: the logs read at once and the chunk threads of each
/// (`threads`, when not 0, as asked). Small logs gain from being read side by side, one big
/// log from its chunks being read side by side: the budget goes to logs first, no more than
/// `logs` of them, and the chunk threads share what those leave; chunk threads given set the
/// logs read at once instead.
fn share_jobs(budget: usize, threads: usize, logs: usize) -> (usize, usize) {
    let at_once = match threads {
        0 => budget,
        threads => budget / threads,
    }
    .min(logs)
    .max(1);
    let threads = match threads {
        0 => (budget / at_once).max(1),
        given => given,
    };
    (at_once, threads)
}

/// [`present_logs`] to either output.
fn present<'c, C, S, L, W, K>(
    catalog: &PendingCatalog<'c, C>,
    renderer: &Renderer<'_, PendingCatalog<'c, C>>,
    options: &PresentOptions,
    logs: L,
    out: Output<'_, W, K>,
    report: impl FnMut(Report<'_>),
) -> Result<Option<Presented>, PresentError>
where
    C: MessageCatalog + Send + Sync,
    S: LogSource,
    L: IntoIterator<Item = (String, S)>,
    L::IntoIter: Send,
    W: Write,
    K: RowSink,
{
    let logs = logs.into_iter();
    let mut options = options.clone();
    // Counted once: the count of cores reads the process's cgroup files each time.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let budget = match options.jobs {
        0 => cores,
        n => n,
    };
    let logs_given = logs.size_hint().1.unwrap_or(usize::MAX);
    let (at_once, threads) = share_jobs(budget, options.read.threads, logs_given);
    options.jobs = at_once;
    options.read.threads = threads;
    if at_once == 1 {
        // One log at a time: the calling thread opens the catalog while its helpers read the
        // log's first chunks (`write_logs`). A thread of its own for it, beside the readers,
        // would take a core from them: they would then wait for its lookups while it waits
        // for a core. With no helper, a second thread would only make the process pay for
        // being multi-threaded (glibc's malloc then locks its arenas).
        return write_logs(catalog, renderer, &options, logs, out, report, None);
    }
    let (wanted, wants) = std::sync::mpsc::channel::<(String, u16)>();
    let wanted = Arc::new(Mutex::new(Some(wanted)));
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = catalog.open();
            for (provider, event_id) in wants {
                renderer.prefetch(&provider, event_id);
            }
        });
        // When reading is done (or a panic ends it), the channel closes and the catalog's
        // thread stops, so that the scope can end.
        let _close = CloseWhenDone(&wanted);
        let hook = announce_events(Arc::clone(&wanted), &options.providers, &options.ids);
        write_logs_at_once(catalog, renderer, &options, logs, out, report, hook)
    })
}

/// Reads, renders and writes every log, one after another; see [`present_logs`].
fn write_logs<'c, C, S: LogSource, W: Write, K: RowSink>(
    catalog: &PendingCatalog<'c, C>,
    renderer: &Renderer<'_, PendingCatalog<'c, C>>,
    options: &PresentOptions,
    logs: impl IntoIterator<Item = (String, S)>,
    out: Output<'_, W, K>,
    mut report: impl FnMut(Report<'_>),
    hook: Option<Arc<RecordHook>>,
) -> Result<Option<Presented>, PresentError>
where
    C: MessageCatalog + Send + Sync,
{
    let rows = matches!(out, Output::Rows(_));
    let shared = out.shared_work();
    let spares = ChunkSpares::<K::Rows>::default();
    let mut writer = Writer::new(catalog, &spares, out);
    let mut reader = LogReader::new(options.read.clone());
    if let Some(hook) = hook {
        reader = reader.on_each_record(hook);
    }
    for (name, data) in logs {
        let data = match data.load() {
            Ok(d) => d,
            Err(e) => {
                writer.unreadable(&name, e.to_string(), &mut report);
                writer.end(&name, 0, &mut report);
                continue;
            }
        };
        let per_chunk =
            |items: &[LogItem]| present_chunk(options, &name, renderer, &spares, rows, items);
        let open = || {
            let _ = catalog.open();
        };
        let passed_on = |chunk: Chunk<K::Rows>| writer.chunk(&name, chunk, &mut report);
        let result = match shared.as_deref() {
            Some(shared) => reader.read_chunks_sharing(&data, open, per_chunk, shared, passed_on),
            None => reader.read_chunks_meanwhile(&data, open, per_chunk, passed_on),
        };
        if let Err(e) = result {
            writer.unreadable(&name, e.to_string(), &mut report);
        }
        if writer.gave_up() {
            break;
        }
        writer.end(&name, data.len() as u64, &mut report);
    }
    let presented = writer.finish();
    drop_aside((reader, spares));
    presented
}

/// Reads `options.jobs` logs at once, each by a worker (with `options.read.threads` threads
/// for its chunks): this thread and `jobs - 1` helpers. This thread also writes the output,
/// log after log: between its own chunks it writes what is ready, and it waits for the
/// others only when it has nothing left to read (or no room to put its own output in), so
/// that no thread is woken for every chunk. See [`present_logs`] and the module `jobs`.
fn write_logs_at_once<'c, C, S: LogSource, W: Write, K: RowSink>(
    catalog: &PendingCatalog<'c, C>,
    renderer: &Renderer<'_, PendingCatalog<'c, C>>,
    options: &PresentOptions,
    logs: impl Iterator<Item = (String, S)> + Send,
    out: Output<'_, W, K>,
    mut report: impl FnMut(Report<'_>),
    hook: Arc<RecordHook>,
) -> Result<Option<Presented>, PresentError>
where
    C: MessageCatalog + Send + Sync,
{
    use jobs::{Piece, Scheduler};
    let rows = matches!(out, Output::Rows(_));
    // A sink's work is shared by the workers between their chunks: the encoding of the log
    // being written, while they read the logs after it.
    let shared = out.shared_work();
    let shared = shared.as_deref();
    let spares = ChunkSpares::<K::Rows>::default();
    let reader = LogReader::new(options.read.clone()).on_each_record(hook);
    let scheduler = Scheduler::new(
        logs,
        jobs::Limits {
            held_bytes: jobs::HELD_BYTES,
            logs_ahead: jobs::LOGS_AHEAD,
        },
    );
    // Reads one log claimed, handing each piece of it to `hand`.
    let read_log = |index: usize, name: &str, data: S, hand: jobs::Hand<'_, K::Rows>| {
        let data = match data.load() {
            Ok(d) => d,
            Err(e) => {
                let _ = hand(index, Piece::Unreadable(e.to_string()));
                let _ = hand(index, Piece::End(0, Box::default()));
                return;
            }
        };
        let per_chunk =
            |items: &[LogItem]| present_chunk(options, name, renderer, &spares, rows, items);
        let mut by_provider = Box::<Tally>::default();
        let handed = |mut chunk: Chunk<K::Rows>| {
            by_provider.merge(chunk.tally.take_providers());
            let flow = hand(index, Piece::Chunk(chunk));
            if let Some(shared) = shared {
                while shared.work() {}
            }
            flow
        };
        if let Err(e) = reader.read_chunks(&data, per_chunk, handed) {
            let _ = hand(index, Piece::Unreadable(e.to_string()));
        }
        let _ = hand(index, Piece::End(data.len() as u64, by_provider));
    };
    let mut writer = Writer::new(catalog, &spares, out);
    let write = |(name, piece): (String, Piece<K::Rows>)| match piece {
        Piece::Chunk(chunk) => writer.chunk(&name, chunk, &mut report),
        Piece::Unreadable(error) => {
            writer.unreadable(&name, error, &mut report);
            ControlFlow::Continue(())
        }
        Piece::End(len, by_provider) => {
            writer.presented.tally.merge(*by_provider);
            writer.end(&name, len, &mut report);
            ControlFlow::Continue(())
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..options.jobs {
            scope.spawn(|| scheduler.work(read_log));
        }
        scheduler.work_and_write(read_log, write);
    });
    let presented = writer.finish();
    drop_aside((reader, spares));
    presented
}

/// Drops `value` on a thread of its own: the record storage and templates a run built up
/// are thousands of blocks, which take longer to free one by one than the rest of a run's
/// end, and the caller goes on meanwhile (a process that ends first leaves them to the
/// system). Dropped here when no thread can be started.
fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("werr-evtx-drop".into())
        .spawn(move || drop(value));
}

/// The calling thread's side of presenting: writes each chunk's output in order, reports its
/// problems and progress, and adds up the counts. Nothing is written before the catalog is
/// open.
struct Writer<'w, 'c, C, W: Write, K: RowSink> {
    catalog: &'w PendingCatalog<'c, C>,
    spares: &'w ChunkSpares<K::Rows>,
    out: Output<'w, W, K>,
    presented: Presented,
    /// Why the output could not be written.
    stopped: Option<io::Error>,
    /// Whether the catalog is known to be open.
    catalog_open: bool,
    catalog_error: Option<LookupError>,
    /// Bytes of the current log reported as progress so far.
    bytes_reported: u64,
}

impl<'w, 'c, C: MessageCatalog, W: Write, K: RowSink> Writer<'w, 'c, C, W, K> {
    fn new(
        catalog: &'w PendingCatalog<'c, C>,
        spares: &'w ChunkSpares<K::Rows>,
        out: Output<'w, W, K>,
    ) -> Self {
        Writer {
            catalog,
            spares,
            out,
            presented: Presented::default(),
            stopped: None,
            catalog_open: false,
            catalog_error: None,
            bytes_reported: 0,
        }
    }

    /// Writes one chunk's output of log `name`. `Break`: the run stops (the output is gone,
    /// or the catalog could not be opened).
    fn chunk(
        &mut self,
        name: &str,
        mut chunk: Chunk<K::Rows>,
        report: &mut impl FnMut(Report<'_>),
    ) -> ControlFlow<()> {
        if !self.catalog_open {
            match self.catalog.open() {
                Ok(_) => self.catalog_open = true,
                Err(e) => {
                    self.catalog_error = Some(e);
                    return ControlFlow::Break(());
                }
            }
        }
        for problem in &chunk.problems {
            report(Report::Problem {
                file: name,
                problem,
            });
        }
        let records = chunk.tally.read;
        self.presented.tally.merge(chunk.tally);
        let written = match (&mut self.out, &mut chunk.rows) {
            (Output::Rows(sink), Some(rows)) => sink.write_rows(name, rows),
            (Output::Rows(_), None) => Ok(()),
            (Output::Bytes(out), _) => out.write_all(&chunk.bytes),
        };
        if let Some(rows) = chunk.rows.take() {
            self.spares.rows.give_back_for(chunk.made_on, rows);
        }
        if let Err(e) = written {
            self.stopped = Some(e);
            return ControlFlow::Break(());
        }
        if matches!(self.out, Output::Bytes(_)) {
            chunk.bytes.clear();
            self.spares
                .bytes
                .give_back_for(chunk.made_on, std::mem::take(&mut chunk.bytes));
        }
        self.bytes_reported += CHUNK_SIZE;
        report(Report::Progress {
            file: name,
            records,
            bytes: CHUNK_SIZE,
            log_done: false,
        });
        ControlFlow::Continue(())
    }

    /// Log `name` could not be read (`error` says why).
    fn unreadable(&mut self, name: &str, error: String, report: &mut impl FnMut(Report<'_>)) {
        report(Report::Unreadable { file: name, error });
        self.presented.failed.push(name.to_string());
    }

    /// Log `name`, of `len` bytes, is written to its end.
    fn end(&mut self, name: &str, len: u64, report: &mut impl FnMut(Report<'_>)) {
        if let Output::Rows(sink) = &mut self.out {
            if let Err(e) = sink.end_log(name) {
                self.stopped.get_or_insert(e);
            }
        }
        report(Report::Progress {
            file: name,
            records: 0,
            bytes: len.saturating_sub(self.bytes_reported),
            log_done: true,
        });
        self.bytes_reported = 0;
    }

    /// Whether the run stops: the output is gone, or the catalog could not be opened.
    fn gave_up(&self) -> bool {
        self.stopped.is_some() || self.catalog_error.is_some()
    }

    /// The end of the run: the output flushed and what was presented, or why it failed.
    fn finish(mut self) -> Result<Option<Presented>, PresentError> {
        // With no log read, the catalog's failure is still the run's.
        if self.catalog_error.is_none() && !self.catalog_open {
            self.catalog_error = self.catalog.open().err();
        }
        if let Some(e) = self.catalog_error {
            return Err(PresentError::Catalog(e));
        }
        let flushed = || match &mut self.out {
            Output::Bytes(out) => out.flush(),
            Output::Rows(_) => Ok(()),
        };
        match self.stopped.map_or_else(flushed, Err) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(None),
            Err(e) => Err(e.into()),
            Ok(()) => Ok(Some(self.presented)),
        }
    }
}

/// What one chunk's records became on the worker that read them: output lines (or rows),
/// counts, problems to report.
struct Chunk<R = NoRows> {
    bytes: Vec<u8>,
    /// The thread that wrote `bytes` or `rows`: they go back to it.
    made_on: std::thread::ThreadId,
    rows: Option<R>,
    tally: Tally,
    problems: Vec<ReadProblem>,
}

/// Chunks' storage already written out, for the next chunks.
struct ChunkSpares<R> {
    /// Output buffers: a chunk's output is large, and allocating it afresh each time costs
    /// page faults and heap consolidation.
    bytes: ThreadSpares<Vec<u8>>,
    /// Rows, each emptied and reused by the thread that made it.
    rows: ThreadSpares<R>,
}

impl<R> Default for ChunkSpares<R> {
    fn default() -> Self {
        ChunkSpares {
            bytes: ThreadSpares::default(),
            rows: ThreadSpares::default(),
        }
    }
}

/// Locks a mutex; one poisoned by a panicking thread still holds complete entries.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Selects, renders and serializes the records of one chunk.
fn present_chunk<C: MessageCatalog, R: ChunkRows>(
    options: &PresentOptions,
    file: &str,
    renderer: &Renderer<'_, C>,
    spares: &ChunkSpares<R>,
    rows: bool,
    items: &[LogItem],
) -> Chunk<R> {
    let mut bytes = Vec::new();
    if !rows {
        bytes = spares.bytes.take().unwrap_or_default();
        bytes.reserve(items.len() * 1024);
    }
    let spare_rows = || {
        let mut spare = spares.rows.take_own()?;
        spare.clear();
        Some(spare)
    };
    let mut chunk = Chunk {
        bytes,
        made_on: std::thread::current().id(),
        rows: rows.then(|| spare_rows().unwrap_or_default()),
        tally: Tally::default(),
        problems: Vec::new(),
    };
    let tally = &mut chunk.tally;
    for item in items {
        let record = match item {
            LogItem::Problem(p) => {
                tally.problems += 1;
                chunk.problems.push(p.clone());
                continue;
            }
            LogItem::Record(r) => r,
        };
        tally.read += 1;
        if !options.selects(record) {
            continue;
        }
        tally.shown += 1;
        let bytes = &mut chunk.bytes;
        let rows = &mut chunk.rows;
        renderer.render_with(record, |rendering| {
            tally.count(record, rendering);
            if let Some(rows) = rows {
                rows.push(file, record, rendering);
                return;
            }
            match options.format {
                OutputFormat::Text => {
                    bytes.extend_from_slice(text_line(record, rendering).as_bytes());
                }
                OutputFormat::Json => {
                    write_json_line(bytes, file, record, rendering);
                    bytes.push(b'\n');
                }
                OutputFormat::Ecs => {
                    write_ecs_line(bytes, file, record, rendering, &options.created);
                    bytes.push(b'\n');
                }
                OutputFormat::Timesketch => {
                    let message = shown_message(record, rendering);
                    write_timesketch_line(bytes, file, record, rendering, &message);
                    bytes.push(b'\n');
                }
            }
        });
    }
    if let Some(rows) = &mut chunk.rows {
        rows.finish();
    }
    chunk
}

/// Whether `record` passes the provider and event-id selection.
fn selected(providers: &[String], ids: &[u16], record: &EventRecord) -> bool {
    (providers.is_empty()
        || providers
            .iter()
            .any(|p| p.eq_ignore_ascii_case(&record.provider)))
        && (ids.is_empty() || ids.contains(&record.event_id))
}

/// `time level provider id message` on one line: the message's line breaks become spaces.
/// A record with no message shows its inserts instead (why it has none is the run's summary,
/// said once per provider, and the JSON's `message_error`).
pub fn text_line(record: &EventRecord, rendering: &Rendering) -> String {
    let level = record.level_name().map_or_else(
        || record.level.map_or("-".into(), |l| l.to_string()),
        String::from,
    );
    let message = shown_message(record, rendering);
    format!(
        "{} {level:<11} {} {} {message}\n",
        record.time, record.provider, record.event_id
    )
}

/// The message part of a text line (also Timesketch's `message`): the message on one line,
/// else `[no message]` and the inserts.
fn shown_message(record: &EventRecord, rendering: &Rendering) -> String {
    match &rendering.message {
        Some(m) => folded(m),
        None if record.inserts.is_empty() => "[no message]".into(),
        None => {
            let inserts: Vec<String> = record.inserts.iter().map(|i| folded(i)).collect();
            format!("[no message] inserts: {}", inserts.join(" | "))
        }
    }
}

/// `text` on one line: its runs of white space (line breaks, tabs) become single spaces.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the readers send the events they meet for the first time, until reading ends.
type Wanted = Arc<Mutex<Option<std::sync::mpsc::Sender<(String, u16)>>>>;

/// Closes the channel of wanted events when dropped.
struct CloseWhenDone<'w>(&'w Wanted);

impl Drop for CloseWhenDone<'_> {
    fn drop(&mut self) {
        lock(self.0).take();
    }
}

thread_local! {
    /// The events a reading thread has announced, by provider.
    static ANNOUNCED: std::cell::RefCell<foldhash::HashMap<String, Vec<u16>>> =
        std::cell::RefCell::default();
}

/// A record hook that sends each (provider, event id) of a shown record to `wanted` the first
/// time its thread meets it (once per thread: a set of its own, no lock per record).
fn announce_events(wanted: Wanted, providers: &[String], ids: &[u16]) -> Arc<RecordHook> {
    let (providers, ids) = (providers.to_vec(), ids.to_vec());
    Arc::new(move |record: &EventRecord| {
        if !selected(&providers, &ids, record) {
            return;
        }
        let first_time = ANNOUNCED.with(|announced| {
            let mut announced = announced.borrow_mut();
            match announced.get_mut(record.provider.as_str()) {
                Some(events) if events.contains(&record.event_id) => false,
                Some(events) => {
                    events.push(record.event_id);
                    true
                }
                None => {
                    announced.insert(record.provider.clone(), vec![record.event_id]);
                    true
                }
            }
        });
        if first_time {
            if let Some(send) = &*lock(&wanted) {
                // The catalog's thread may be gone (the catalog failed to open): nothing to
                // do then.
                let _ = send.send((record.provider.clone(), record.event_id));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::share_jobs;

    #[test]
    fn jobs_are_threads_in_all_shared_by_logs_first() {
        // (budget, threads given, logs) -> (logs at once, chunk threads each)
        let cases = [
            ((2, 0, 1), (1, 2)),   // one log: every job on its chunks
            ((2, 0, 800), (2, 1)), // a folder: one log per job
            ((1, 0, 800), (1, 1)), // --jobs 1: one thread
            ((1, 0, 1), (1, 1)),
            ((4, 2, 800), (2, 2)), // --jobs 4 --threads 2
            ((1, 3, 800), (1, 3)), // chunk threads given beyond the budget: as asked
            ((8, 0, 3), (3, 2)),   // fewer logs than jobs: the rest to their chunks
        ];
        for ((budget, threads, logs), expected) in cases {
            assert_eq!(
                share_jobs(budget, threads, logs),
                expected,
                "budget {budget}, threads {threads}, logs {logs}"
            );
        }
    }
}
