//! Reading a whole log: chunks in the order Windows reads them, records, and the problems met.

use crate::builder::Spares;
use crate::model::EventRecord;
use crate::pin::PinnedThreads;
use crate::template::{
    evtx_record_from_template, record_from_template, RawRecord, TemplateCache, TemplateStore,
};
use crate::thread_spares::ThreadSpares;
use crate::xml::record_from_xml;
use evtx::err::{ChunkError, EvtxError};
use evtx::{
    ChunkFlags, EvtxChunk, EvtxChunkHeader, EvtxFileHeader, EvtxRecordHeader, ParserSettings,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Size of the file header that precedes the first chunk.
pub const FILE_HEADER_SIZE: u64 = 4096;
/// Size of every chunk.
pub const CHUNK_SIZE: u64 = 65536;
const CHUNK_MAGIC: &[u8; 8] = b"ElfChnk\0";
const FILE_MAGIC: &[u8; 8] = b"ElfFile\0";
const RECORD_HEADER_SIZE: u64 = 24;
/// Size of a chunk's header; its first record follows.
const CHUNK_HEADER_SIZE: usize = 512;

/// How to read a log.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Threads reading chunks, the calling thread included; 0 means one per core. A log of
    /// one chunk is read on the calling thread alone.
    pub threads: usize,
    /// Also carve stale records from unallocated chunk space (marked `recovered`).
    pub recover_records: bool,
    /// Read every record through its rendered XML, never from its template values. Slower;
    /// it is the reference the template path is tested against.
    pub via_xml: bool,
    /// Hold each thread reading one log's chunks to a CPU of its own while it reads (Linux;
    /// the calling thread gets its former CPU set back): a scheduler that packs short-lived
    /// threads onto one CPU otherwise queues them behind each other (see the module `pin`).
    pub pin_threads: bool,
}

impl ReadOptions {
    /// How many threads read chunks: [`ReadOptions::threads`], or the number of cores.
    pub fn thread_count(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// One thing a log yields, in order: a record, or a problem met where a record or chunk was.
#[derive(Debug, Clone)]
pub enum LogItem {
    /// A record that was read.
    Record(Box<EventRecord>),
    /// Something that could not be read, or read only with a warning.
    Problem(ReadProblem),
}

/// What kind of problem a [`ReadProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The file header is damaged (bad checksum); the chunks are read anyway.
    FileHeader,
    /// A chunk's header or records fail their CRC32; its records are read anyway.
    ChunkChecksum,
    /// A chunk could not be read at all (bad magic, bad string table, truncated): its records
    /// are lost.
    Chunk,
    /// One record could not be read; the others of its chunk still are.
    Record,
}

/// A problem met while reading a log, and where it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ReadProblem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// The chunk's number in the file (0 for the first), when the problem is in a chunk.
    pub chunk: Option<u64>,
    /// Byte offset in the file: of the record when known, else of its chunk.
    pub offset: u64,
    /// The record's id, when known.
    pub record_id: Option<u64>,
    /// What went wrong, with the `evtx` crate's own explanation.
    pub message: String,
}

impl ReadProblem {
    fn describe(&self) -> String {
        let mut s = format!("at byte offset {:#x}", self.offset);
        if let Some(chunk) = self.chunk {
            s.push_str(&format!(" (chunk {chunk})"));
        }
        if let Some(id) = self.record_id {
            s.push_str(&format!(", record {id}"));
        }
        s.push_str(": ");
        s.push_str(&self.message);
        s
    }
}

/// Why a file could not be read as an event log at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// Neither the file header nor any chunk header has the EVTX signature.
    #[error(
        "not an .evtx file: no \"ElfFile\" signature at byte 0 and no \"ElfChnk\" chunk at byte \
         {FILE_HEADER_SIZE:#x} or after (file is {len} bytes)"
    )]
    NotEvtx {
        /// The file's length.
        len: u64,
    },
}

/// Reads every chunk of the log in `data` and hands each record and problem to `sink`, in the
/// order Windows reads the log (from the chunk with the oldest records, wrapping around).
///
/// Damage never stops the read: a chunk with a bad checksum is read anyway (and reported), an
/// unreadable chunk or record is reported with its byte offset and the rest is read. Only a file
/// with no EVTX signature at all is an error.
pub fn read_log(
    data: &[u8],
    options: &ReadOptions,
    sink: impl FnMut(LogItem),
) -> Result<(), LogError> {
    LogReader::new(options.clone()).read(data, sink)
}

/// [`read_log`] with work per chunk on the worker threads: `per_chunk` turns the items of one
/// chunk (or a lone file-level problem), borrowed, into an `R` on the thread that read them,
/// and `sink` takes each `R` on the calling thread, in the order Windows reads the log. This
/// is where a caller renders and serializes records in parallel while keeping the output in
/// order.
///
/// When `sink` returns [`ControlFlow::Break`] (its output is gone, say), reading stops: the
/// chunks workers are reading are finished and dropped, and nothing more is passed on.
pub fn read_log_chunks<R: Send>(
    data: &[u8],
    options: &ReadOptions,
    per_chunk: impl Fn(&[LogItem]) -> R + Sync,
    sink: impl FnMut(R) -> ControlFlow<()>,
) -> Result<(), LogError> {
    LogReader::new(options.clone()).read_chunks(data, per_chunk, sink)
}

/// Reads logs one after another ([`LogReader::read_chunks`], as [`read_log_chunks`] does),
/// keeping what one log leaves for the next: the template definitions compiled (the logs of
/// one machine share most of theirs; a definition is reused only where its bytes match), and
/// the storage of the records `per_chunk` has seen, for each thread that reads.
pub struct LogReader {
    options: ReadOptions,
    templates: TemplateStore,
    /// Record storage, one set per reading thread: each takes one when it starts (its own
    /// when it has one) and gives it back when it ends.
    spares: ThreadSpares<Spares>,
    /// Told of each record as soon as it is read ([`LogReader::on_each_record`]).
    record_hook: Option<Arc<RecordHook>>,
}

/// Work that the threads reading a log share with its reading ([`LogReader::read_chunks_sharing`]):
/// pieces that any of them may do between chunks, such as encoding the rows the calling
/// thread has passed on, column by column. A thread does the pieces that are ready before it
/// reads another chunk, and the threads stay until the work is done.
pub trait SharedWork: Send + Sync {
    /// Does one piece of work that is ready; whether there was one.
    fn work(&self) -> bool;
    /// The calling thread has passed on the log's last chunk: work that waits for the end of
    /// the log may begin (the threads do it before they leave).
    fn input_done(&self);
}

/// What [`LogReader::on_each_record`] calls: on the thread that read the record, before the
/// rest of its chunk is read. A chunk read again through the `evtx` crate (one with a record
/// werr's own walk does not take) tells its records again.
pub type RecordHook = dyn Fn(&EventRecord) + Send + Sync;

impl LogReader {
    /// A reader for logs read with `options`.
    pub fn new(options: ReadOptions) -> Self {
        LogReader {
            options,
            templates: TemplateStore::default(),
            spares: ThreadSpares::default(),
            record_hook: None,
        }
    }

    /// Has `hook` told of each record as soon as it is read, before the rest of its chunk
    /// (and before `per_chunk` sees the chunk): a caller can start work that the records'
    /// presentation will need, such as looking up their messages, on a thread of its own.
    pub fn on_each_record(mut self, hook: Arc<RecordHook>) -> Self {
        self.record_hook = Some(hook);
        self
    }

    /// Record storage for a thread that starts reading.
    fn take_spares(&self) -> Spares {
        self.spares.take().unwrap_or_default()
    }

    /// Keeps a thread's record storage for the next.
    fn give_back(&self, spares: Spares) {
        self.spares.give_back(spares);
    }

    /// [`read_log`] with this reader's options, definitions and storage: every item of the
    /// log, owned.
    pub fn read(&self, data: &[u8], mut sink: impl FnMut(LogItem)) -> Result<(), LogError> {
        self.read_taking(
            data,
            || {},
            std::mem::take,
            None,
            |items| {
                items.into_iter().for_each(&mut sink);
                ControlFlow::Continue(())
            },
        )
    }

    /// [`read_log_chunks`] with this reader's options, definitions and storage. The records
    /// `per_chunk` has seen keep their storage in the reader for the chunks after.
    pub fn read_chunks<R: Send>(
        &self,
        data: &[u8],
        per_chunk: impl Fn(&[LogItem]) -> R + Sync,
        sink: impl FnMut(R) -> ControlFlow<()>,
    ) -> Result<(), LogError> {
        self.read_chunks_meanwhile(data, || {}, per_chunk, sink)
    }

    /// [`LogReader::read_chunks`], with `meanwhile` run on the calling thread while the
    /// helper threads read the first chunks (before any chunk, when there are no helpers):
    /// work that `per_chunk` will need, such as opening a message catalog, then overlaps
    /// with reading instead of coming after the calling thread's first chunk.
    pub fn read_chunks_meanwhile<R: Send>(
        &self,
        data: &[u8],
        meanwhile: impl FnOnce(),
        per_chunk: impl Fn(&[LogItem]) -> R + Sync,
        sink: impl FnMut(R) -> ControlFlow<()>,
    ) -> Result<(), LogError> {
        let per_chunk = |items: &mut Vec<LogItem>| per_chunk(items);
        self.read_taking(data, meanwhile, per_chunk, None, sink)
    }

    /// [`LogReader::read_chunks_meanwhile`], with the threads sharing `shared`'s work: each
    /// does the pieces that are ready before it reads another chunk (the calling thread once
    /// it has passed on what is ready), and once the last chunk is passed on
    /// ([`SharedWork::input_done`]) they do what is left before they return. With one thread
    /// nothing of `shared` is done here.
    pub fn read_chunks_sharing<R: Send>(
        &self,
        data: &[u8],
        meanwhile: impl FnOnce(),
        per_chunk: impl Fn(&[LogItem]) -> R + Sync,
        shared: &dyn SharedWork,
        sink: impl FnMut(R) -> ControlFlow<()>,
    ) -> Result<(), LogError> {
        let per_chunk = |items: &mut Vec<LogItem>| per_chunk(items);
        self.read_taking(data, meanwhile, per_chunk, Some(shared), sink)
    }

    /// Reads with `per_chunk` free to take items out of a chunk's list: the records it
    /// leaves there are recycled.
    fn read_taking<R: Send>(
        &self,
        data: &[u8],
        meanwhile: impl FnOnce(),
        per_chunk: impl Fn(&mut Vec<LogItem>) -> R + Sync,
        shared: Option<&dyn SharedWork>,
        mut sink: impl FnMut(R) -> ControlFlow<()>,
    ) -> Result<(), LogError> {
        let options = &self.options;
        // Items made here, not from a chunk, have no records to reuse.
        let lone = |item: LogItem| per_chunk(&mut vec![item]);
        let len = data.len() as u64;
        let chunk_count = len.saturating_sub(FILE_HEADER_SIZE) / CHUNK_SIZE;
        let header_ok = data.get(..8) == Some(FILE_MAGIC.as_slice());
        let any_chunk = (0..chunk_count).any(|n| chunk_bytes(data, n).starts_with(CHUNK_MAGIC));
        if !header_ok && !any_chunk {
            return Err(LogError::NotEvtx { len });
        }
        let header_problem = if header_ok {
            file_header_problem(data, chunk_count)
        } else {
            Some(ReadProblem {
                kind: ProblemKind::FileHeader,
                chunk: None,
                offset: 0,
                record_id: None,
                message: "the file header has no \"ElfFile\" signature; reading its chunks anyway"
                    .into(),
            })
        };
        if let Some(problem) = header_problem {
            if sink(lone(LogItem::Problem(problem))).is_break() {
                return Ok(());
            }
        }

        let settings = Arc::new(
            ParserSettings::new()
                .indent(false)
                .validate_checksums(false)
                .recover_records(options.recover_records),
        );
        let order = chunk_order(data, chunk_count);
        // Chunks repeat each other's template definitions: each is compiled once per reader.
        let templates = &self.templates;
        let hook = self.record_hook.as_deref();
        let threads = options.thread_count().min(order.len());
        if threads <= 1 {
            meanwhile();
            let mut spares = self.take_spares();
            let mut stopped = false;
            for &n in &order {
                let mut items =
                    read_chunk(data, n, &settings, options, templates, hook, &mut spares);
                let result = per_chunk(&mut items);
                recycle(items, &mut spares);
                if sink(result).is_break() {
                    stopped = true;
                    break;
                }
            }
            self.give_back(spares);
            if stopped {
                return Ok(());
            }
        } else {
            // This thread and `threads - 1` helpers each claim the next chunk in log order and
            // read it. Helpers send their results here; between its own chunks this thread passes
            // every result on that is next in order, and it waits only when nothing is left to
            // claim, so that no thread is woken for every chunk (a context switch on a busy
            // core each time). At most `window` chunks are claimed beyond the
            // last one passed on, so memory stays bounded.
            let window = threads * 8;
            let claims = Mutex::new(Claims {
                next: 0,
                passed_on: 0,
                stopped: false,
                waiting: 0,
                shared_added: 0,
                finished: false,
            });
            let room = Condvar::new();
            let (send, receive) = std::sync::mpsc::channel::<(usize, R)>();
            let (order, settings, per_chunk) = (&order, &settings, &per_chunk);
            let (claims, room) = (&claims, &room);
            let stop = || {
                lock(claims).stopped = true;
                room.notify_all();
            };
            let read = |index: usize, spares: &mut Spares| {
                let mut items = read_chunk(
                    data,
                    order[index],
                    settings,
                    options,
                    templates,
                    hook,
                    spares,
                );
                let result = per_chunk(&mut items);
                recycle(items, spares);
                result
            };
            let pinned = options.pin_threads.then(PinnedThreads::caller).flatten();
            let pinned = pinned.as_ref();
            let mut spares = self.take_spares();
            let stopped = std::thread::scope(|scope| {
                for helper in 0..threads - 1 {
                    let send = send.clone();
                    scope.spawn(move || {
                        if let Some(pinned) = pinned {
                            pinned.helper(helper).apply();
                        }
                        let mut spares = self.take_spares();
                        while let Some(index) = claim(claims, room, order.len(), window, shared) {
                            if send.send((index, read(index, &mut spares))).is_err() {
                                break;
                            }
                        }
                        self.give_back(spares);
                    });
                }
                drop(send);
                if let Some(pinned) = pinned {
                    pinned.wait_for_helpers(threads - 1);
                }
                meanwhile();
                let mut pending: BTreeMap<usize, R> = BTreeMap::new();
                let mut next = 0;
                while next < order.len() {
                    pending.extend(receive.try_iter());
                    if let Some(result) = pending.remove(&next) {
                        next += 1;
                        let mut state = lock(claims);
                        state.passed_on += 1;
                        // Waking is a system call even with nobody waiting: only when needed.
                        if state.waiting > 0 {
                            room.notify_all();
                        }
                        drop(state);
                        if sink(result).is_break() {
                            stop();
                            return true;
                        }
                        if shared.is_some() {
                            // What was passed on may be work for the helpers waiting.
                            added_shared_work(claims, room);
                        }
                        continue;
                    }
                    if shared.is_some_and(|shared| shared.work()) {
                        continue;
                    }
                    if let Some(index) = try_claim(claims, order.len(), window) {
                        pending.insert(index, read(index, &mut spares));
                        continue;
                    }
                    if let Some(shared) = shared {
                        // Wait for a result or a piece of shared work by yielding, not
                        // asleep (see `YIELD_FOR`).
                        match yield_for_result(&receive, shared) {
                            Waited::Result((index, result)) => {
                                pending.insert(index, result);
                                continue;
                            }
                            Waited::Worked => continue,
                            Waited::Nothing => {}
                        }
                    }
                    match receive.recv() {
                        Ok((index, result)) => {
                            pending.insert(index, result);
                        }
                        // Every helper is gone, which only a panic does (the scope passes it
                        // on): release any helper waiting for room, so the scope ends.
                        Err(_) => {
                            stop();
                            return true;
                        }
                    }
                }
                if let Some(shared) = shared {
                    shared.input_done();
                    added_shared_work(claims, room);
                    while shared.work() {}
                    let mut state = lock(claims);
                    state.finished = true;
                    room.notify_all();
                }
                false
            });
            self.give_back(spares);
            if stopped {
                return Ok(());
            }
        }

        let trailing = len.saturating_sub(FILE_HEADER_SIZE) % CHUNK_SIZE;
        if trailing != 0 && len > FILE_HEADER_SIZE {
            let offset = FILE_HEADER_SIZE + chunk_count * CHUNK_SIZE;
            let _ = sink(lone(LogItem::Problem(ReadProblem {
                kind: ProblemKind::Chunk,
                chunk: Some(chunk_count),
                offset,
                record_id: None,
                message: format!(
                "incomplete chunk: {trailing} bytes at the end of the file, expected {CHUNK_SIZE}"
            ),
            })));
        }
        Ok(())
    }
}
/// Keeps the storage of the records `per_chunk` left in `items`.
fn recycle(items: Vec<LogItem>, spares: &mut Spares) {
    for item in items {
        if let LogItem::Record(record) = item {
            spares.recycle(record);
        }
    }
}

/// The chunks workers have claimed, and how many results the caller has passed on.
struct Claims {
    next: usize,
    passed_on: usize,
    /// The caller gave up: claim nothing more.
    stopped: bool,
    /// Helpers waiting for room (or for shared work).
    waiting: usize,
    /// Times the caller may have added shared work: a helper that found none waits only if
    /// this has not changed since it looked.
    shared_added: u64,
    /// The caller has passed on every chunk and done the shared work it could: helpers
    /// leave once no work is left.
    finished: bool,
}

/// The next chunk (an index into the log order) for a worker, once fewer than `window`
/// chunks are ahead of the caller; `None` when every chunk is claimed (and, with `shared`
/// work, once the caller is finished and no piece of it is left). Pieces of `shared` that
/// are ready come before a chunk.
fn claim(
    claims: &Mutex<Claims>,
    room: &Condvar,
    count: usize,
    window: usize,
    shared: Option<&dyn SharedWork>,
) -> Option<usize> {
    let mut state = lock(claims);
    let mut idle_since = None;
    loop {
        if state.stopped {
            return None;
        }
        if let Some(shared) = shared {
            let looked_at = state.shared_added;
            drop(state);
            let worked = shared.work();
            state = lock(claims);
            if worked || state.shared_added != looked_at {
                idle_since = None;
                continue;
            }
            if state.stopped || (state.finished && state.next >= count) {
                return None;
            }
        } else if state.next >= count {
            return None;
        }
        if state.next < count && state.next < state.passed_on + window {
            state.next += 1;
            return Some(state.next - 1);
        }
        if shared.is_some() && idle_since.get_or_insert_with(Instant::now).elapsed() < YIELD_FOR {
            // Shared work comes a piece at a time: wait for it by yielding, not asleep.
            drop(state);
            std::thread::yield_now();
            state = lock(claims);
            continue;
        }
        state.waiting += 1;
        state = room.wait(state).unwrap_or_else(PoisonError::into_inner);
        state.waiting -= 1;
    }
}

/// How long a thread that shares work with others yields in turn before it sleeps waiting
/// for some: pieces of shared work come every few microseconds, and a thread that sleeps is
/// woken onto the CPU of the thread that woke it (see the module `pin`), at the cost of two
/// context switches each time.
const YIELD_FOR: Duration = Duration::from_micros(500);

/// What [`yield_for_result`] came to.
enum Waited<R> {
    Result(R),
    /// A piece of shared work was done meanwhile.
    Worked,
    /// Neither within [`YIELD_FOR`], or the helpers are gone.
    Nothing,
}

/// The next result a helper sends, or a piece of `shared` work done, waited for by yielding
/// for at most [`YIELD_FOR`].
fn yield_for_result<R>(receive: &Receiver<R>, shared: &dyn SharedWork) -> Waited<R> {
    let since = Instant::now();
    loop {
        match receive.try_recv() {
            Ok(result) => return Waited::Result(result),
            Err(TryRecvError::Disconnected) => return Waited::Nothing,
            Err(TryRecvError::Empty) => {}
        }
        if shared.work() {
            return Waited::Worked;
        }
        if since.elapsed() > YIELD_FOR {
            return Waited::Nothing;
        }
        std::thread::yield_now();
    }
}

/// The caller has passed on what may be shared work: helpers waiting for some look again.
fn added_shared_work(claims: &Mutex<Claims>, room: &Condvar) {
    let mut state = lock(claims);
    state.shared_added += 1;
    if state.waiting > 0 {
        room.notify_all();
    }
}

/// The next chunk for the calling thread, which must not wait for room (it is the one that
/// makes room): `None` when every chunk is claimed or the window is full.
fn try_claim(claims: &Mutex<Claims>, count: usize, window: usize) -> Option<usize> {
    let mut state = lock(claims);
    if state.next >= count || state.stopped || state.next >= state.passed_on + window {
        return None;
    }
    state.next += 1;
    Some(state.next - 1)
}

/// Locks `claims`; a worker that panicked left them consistent (each update is one step).
fn lock(claims: &Mutex<Claims>) -> std::sync::MutexGuard<'_, Claims> {
    claims.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Reads the whole log into a list (see [`read_log`]).
pub fn read_log_items(data: &[u8], options: &ReadOptions) -> Result<Vec<LogItem>, LogError> {
    let mut items = Vec::new();
    read_log(data, options, |item| items.push(item))?;
    Ok(items)
}

fn chunk_offset(number: u64) -> u64 {
    FILE_HEADER_SIZE + number * CHUNK_SIZE
}

/// The bytes of chunk `number`; callers only ask for chunks inside the file.
fn chunk_bytes(data: &[u8], number: u64) -> &[u8] {
    let start = chunk_offset(number) as usize;
    data.get(start..start + CHUNK_SIZE as usize).unwrap_or(&[])
}

/// Where the file header keeps its chunk count (MS-EVEN6 2.2: a 16-bit count at byte 42).
const CHUNK_COUNT_OFFSET: u64 = 42;

/// What is wrong with the file header of a file holding `chunks_present` whole chunks.
fn file_header_problem(data: &[u8], chunks_present: u64) -> Option<ReadProblem> {
    let problem = |offset: u64, message: String| ReadProblem {
        kind: ProblemKind::FileHeader,
        chunk: None,
        offset,
        record_id: None,
        message,
    };
    match EvtxFileHeader::from_bytes(data) {
        Err(e) => Some(problem(0, format!("unreadable file header: {e}"))),
        Ok(header) if !header.validate_checksum() => Some(problem(0, format!(
            "file header CRC32 invalid (stored {:#010x}, computed {:#010x}); reading the chunks anyway",
            header.checksum, header.computed_checksum
        ))),
        // A log can hold more chunks than its header counts (space kept for growth), never
        // fewer: the missing ones were cut off, or the header lies.
        Ok(header) if u64::from(header.chunk_count) > chunks_present => Some(problem(
            CHUNK_COUNT_OFFSET,
            format!(
                "the file header counts {} chunks, but the file holds {chunks_present} (it ends at byte offset {})",
                header.chunk_count,
                data.len()
            ),
        )),
        Ok(_) => None,
    }
}

/// Chunk numbers in the order Windows reads them: from the chunk whose header names the lowest
/// first record id to the end of the file, then from the first chunk. A full log overwrites its
/// oldest chunk, so the oldest records can sit anywhere.
fn chunk_order(data: &[u8], chunk_count: u64) -> Vec<u64> {
    let oldest = (0..chunk_count)
        .filter_map(|n| {
            let header = EvtxChunkHeader::from_bytes(chunk_bytes(data, n)).ok()?;
            (header.first_event_record_id <= header.last_event_record_id)
                .then_some((header.first_event_record_id, n))
        })
        .min()
        .map_or(0, |(_, n)| n);
    (oldest..chunk_count).chain(0..oldest).collect()
}

/// A problem met in chunk `number`, at file offset `at`.
fn chunk_problem(
    number: u64,
    kind: ProblemKind,
    record_id: Option<u64>,
    at: u64,
    message: String,
) -> LogItem {
    LogItem::Problem(ReadProblem {
        kind,
        chunk: Some(number),
        offset: at,
        record_id,
        message,
    })
}

/// Reads chunk `number`, taking records' storage from `spares` and leaving it there.
fn read_chunk(
    data: &[u8],
    number: u64,
    settings: &Arc<ParserSettings>,
    options: &ReadOptions,
    store: &TemplateStore,
    hook: Option<&RecordHook>,
    spares: &mut Spares,
) -> Vec<LogItem> {
    let offset = chunk_offset(number);
    let bytes = chunk_bytes(data, number);
    // Windows leaves never-used chunks zeroed; they hold nothing.
    if bytes.iter().all(|&b| b == 0) {
        return Vec::new();
    }
    let problem =
        |kind, record_id, at, message| chunk_problem(number, kind, record_id, at, message);
    let mut items = Vec::new();
    // The chunk is read in place (the `evtx` crate's `EvtxChunkData` would copy it).
    let header = match EvtxChunkHeader::from_bytes(bytes) {
        Ok(header) => header,
        Err(e) => {
            let e = ChunkError::from(e);
            let message = format!("unreadable chunk, its records are lost: {}", chain(&e));
            return vec![problem(ProblemKind::Chunk, None, offset, message)];
        }
    };
    // The header's record-id range, capped: it is untrusted, and a chunk holds at most a few
    // thousand records.
    let expected = header
        .last_event_record_id
        .saturating_sub(header.first_event_record_id)
        .saturating_add(2);
    items.reserve(expected.min(4096) as usize);
    let header_ok = stored_header_crc_matches(bytes, header.header_chunk_checksum);
    if header.flags.contains(ChunkFlags::NO_CRC32) {
        let message = format!(
            "chunk header has the NO_CRC32 flag, so its checksums are not checked (stored \
             header CRC32 {}); reading its records",
            if header_ok {
                "matches"
            } else {
                "does not match"
            }
        );
        items.push(problem(ProblemKind::ChunkChecksum, None, offset, message));
    } else if !header_ok {
        let message = "chunk header CRC32 does not match; reading its records anyway".to_string();
        items.push(problem(ProblemKind::ChunkChecksum, None, offset, message));
    } else if !records_crc_matches(bytes, &header) {
        let message = format!(
            "chunk records CRC32 does not match (stored {:#010x}); reading its records anyway",
            header.events_checksum
        );
        items.push(problem(ProblemKind::ChunkChecksum, None, offset, message));
    }
    let mut chunk = match EvtxChunk::new(bytes, &header, Arc::clone(settings)) {
        Ok(chunk) => chunk,
        Err(e) => {
            let message = format!("unreadable chunk, its records are lost: {}", chain(&e));
            items.push(problem(ProblemKind::Chunk, None, offset, message));
            return items;
        }
    };
    let mut templates = TemplateCache::sharing(store, std::mem::take(spares));
    read_records(
        &mut chunk,
        number,
        options,
        &mut templates,
        hook,
        &mut items,
    );
    *spares = std::mem::take(&mut templates.spares);
    items
}

/// Reads the records of `chunk` (number `number`) into `items`.
fn read_records<'c>(
    chunk: &'c mut EvtxChunk<'_>,
    number: u64,
    options: &ReadOptions,
    templates: &mut TemplateCache<'c>,
    hook: Option<&RecordHook>,
    items: &mut Vec<LogItem>,
) {
    let tell = |record: &EventRecord| {
        if let Some(hook) = hook {
            hook(record);
        }
    };
    let offset = chunk_offset(number);
    let bytes = chunk.data;
    let problem =
        |kind, record_id, at, message| chunk_problem(number, kind, record_id, at, message);
    if !options.via_xml
        && !options.recover_records
        && read_live_records(bytes, chunk.header, templates, hook, items)
    {
        return;
    }
    for record in chunk.iter() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let (record_id, at) = match &e {
                    EvtxError::FailedToReadRecordAt { offset: at, .. } => (None, offset + at),
                    EvtxError::FailedToParseRecord { record_id, .. } => (
                        Some(*record_id),
                        offset + record_offset_in_chunk(bytes, *record_id).unwrap_or(0),
                    ),
                    _ => (None, offset),
                };
                items.push(problem(ProblemKind::Record, record_id, at, chain(&e)));
                continue;
            }
        };
        if !options.via_xml {
            if let Some(model) = evtx_record_from_template(&record, templates) {
                tell(&model);
                items.push(LogItem::Record(model));
                continue;
            }
        }
        let record_id = record.event_record_id;
        let at = offset + record.binxml_offset.saturating_sub(RECORD_HEADER_SIZE);
        let timestamp = record.timestamp;
        let recovered = record.recovered;
        let xml = match record.into_xml_bytes() {
            Ok(xml) => xml.data,
            Err(e) => {
                items.push(problem(ProblemKind::Record, Some(record_id), at, chain(&e)));
                continue;
            }
        };
        match record_from_xml(&xml, record_id, || timestamp.to_string(), recovered) {
            Ok(model) => {
                tell(&model);
                items.push(LogItem::Record(Box::new(model)))
            }
            Err(e) => items.push(problem(
                ProblemKind::Record,
                Some(record_id),
                at,
                e.to_string(),
            )),
        }
    }
}

/// Appends the live records of a healthy chunk to `items`, read by werr's own walk over the
/// record headers and from their template values, without the `evtx` crate building each
/// record's content (the larger part of its cost): all of them, or none (and `false`) when
/// any record header is damaged or any record has a shape the template path does not take.
/// The caller then reads the chunk through the `evtx` crate, which reports damage where it
/// is. The walk is the crate's: from the header to the free space, stopping after the
/// header's last record id.
fn read_live_records<'c>(
    chunk: &'c [u8],
    header: &EvtxChunkHeader,
    templates: &mut TemplateCache<'c>,
    hook: Option<&RecordHook>,
    items: &mut Vec<LogItem>,
) -> bool {
    let before = items.len();
    if push_live_records(chunk, header, templates, hook, items).is_some() {
        return true;
    }
    for item in items.drain(before..) {
        if let LogItem::Record(record) = item {
            templates.spares.recycle(record);
        }
    }
    false
}

fn push_live_records<'c>(
    chunk: &'c [u8],
    header: &EvtxChunkHeader,
    templates: &mut TemplateCache<'c>,
    hook: Option<&RecordHook>,
    items: &mut Vec<LogItem>,
) -> Option<()> {
    let live_end = (header.free_space_offset as usize).min(chunk.len());
    let mut at = CHUNK_HEADER_SIZE;
    while at < live_end {
        let record = EvtxRecordHeader::from_bytes_at(chunk, at).ok()?;
        let binxml_offset = at + RECORD_HEADER_SIZE as usize;
        let binxml_size = record.record_data_size().ok()? as usize;
        if binxml_offset.checked_add(binxml_size)? > chunk.len() {
            return None;
        }
        let raw = RawRecord {
            chunk,
            binxml_offset,
            binxml_size,
            record_id: record.event_record_id,
            recovered: false,
        };
        let time = || record.timestamp.to_string();
        let model = record_from_template(&raw, time, templates)?;
        if let Some(hook) = hook {
            hook(&model);
        }
        items.push(LogItem::Record(model));
        if record.event_record_id == header.last_event_record_id {
            break;
        }
        at += record.data_size as usize;
    }
    Some(())
}

/// Where the header of record `record_id` starts in `chunk`: the `**\0\0` signature followed
/// by a size and that id. The `evtx` crate names only the id of a record it cannot parse.
fn record_offset_in_chunk(chunk: &[u8], record_id: u64) -> Option<u64> {
    let id = record_id.to_le_bytes();
    (512..chunk.len().saturating_sub(RECORD_HEADER_SIZE as usize))
        .find(|&at| chunk[at..at + 4] == *b"**\0\0" && chunk[at + 8..at + 16] == id)
        .map(|at| at as u64)
}

/// Whether the CRC32 of the chunk's records (from the header to the free space) is the one
/// its header stores; a free-space offset outside the chunk fails.
fn records_crc_matches(chunk: &[u8], header: &EvtxChunkHeader) -> bool {
    chunk
        .get(CHUNK_HEADER_SIZE..header.free_space_offset as usize)
        .is_some_and(|records| evtx::checksum_ieee(records) == header.events_checksum)
}

/// Whether the chunk header's CRC32 (of bytes 0..120 and 128..512) is `stored`.
fn stored_header_crc_matches(chunk: &[u8], stored: u32) -> bool {
    match (chunk.get(..120), chunk.get(128..512)) {
        (Some(a), Some(b)) => {
            let mut covered = Vec::with_capacity(504);
            covered.extend_from_slice(a);
            covered.extend_from_slice(b);
            evtx::checksum_ieee(&covered) == stored
        }
        _ => false,
    }
}

/// An error and its causes, joined: the `evtx` crate's top-level messages alone say little.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
