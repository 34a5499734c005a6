//! One file's row groups, encoded column by column on whichever threads are free.
//!
//! The thread that feeds the file pushes [`Item`]s in log order: a row group's beginning
//! (its column writers), its batches, its end. Each column takes every item in that order,
//! but the columns are independent: a thread with nothing better to do takes the next item
//! of any column no other thread holds ([`FileColumns::work`]), so the reading threads share
//! the encoding and compression, and the closing of a log's last row group, instead of
//! leaving it to one thread after they are done. Each column's output depends only on the
//! items, so the file is the same bytes whichever threads encode it.

use arrow_array::RecordBatch;
use arrow_schema::{FieldRef, SchemaRef};
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk, ArrowColumnWriter};
use std::cell::Cell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError,
};
use std::thread::ThreadId;

/// What every column of a file takes, in order.
pub(crate) enum Item {
    /// A row group begins: each column's leaf writers (a map column has two leaves), taken by
    /// the column.
    Begin(Vec<Mutex<Vec<ArrowColumnWriter>>>),
    /// Rows of the row group begun last, and where the batch goes once every column has
    /// encoded it: back to the thread that built it.
    Rows(RecordBatch, Arc<SpentBatches>),
    /// The row group ends: each column closes its writers.
    End,
}

/// Batches every column has encoded, waiting for the thread that built them to free them
/// (glibc's malloc frees another thread's blocks under that thread's heap lock).
pub(crate) type SpentBatches = Mutex<Vec<RecordBatch>>;

struct Entry {
    item: Item,
    /// Columns that have not yet taken it.
    left: AtomicUsize,
}

/// The items some column has yet to take. The feeding thread alone adds and removes
/// entries (under the write lock); the columns read them under the read lock, which
/// readers take side by side.
struct Queue {
    /// The sequence number of `entries[0]`.
    first: u64,
    entries: VecDeque<Arc<Entry>>,
}

/// One top-level column: its place in the batches and its writers.
struct Column {
    field: FieldRef,
    at: usize,
    /// The sequence number of the next item it takes.
    next: u64,
    writers: Vec<ArrowColumnWriter>,
    /// Its chunks of the row groups it has closed and the file has not written yet.
    closed: VecDeque<Vec<ArrowColumnChunk>>,
    /// Why it stopped encoding; it takes the items after without encoding them.
    failed: Option<String>,
}

/// The columns of one file being encoded.
pub(crate) struct FileColumns {
    queue: RwLock<Queue>,
    /// One past the sequence number of the last item pushed.
    pushed: AtomicU64,
    columns: Vec<Mutex<Column>>,
    /// Row groups each column has closed so far, read without its lock.
    groups_closed: Vec<AtomicU64>,
    /// The threads that have worked here, in the order they came: each starts its search
    /// for work at a column of its own (see [`FileColumns::start_for_this_thread`]).
    workers: Mutex<Vec<ThreadId>>,
    /// The parts the columns are cut into for the threads to start in: the CPUs.
    parts: usize,
    /// The row group begun last and not ended: its rows and bytes so far (kept by the
    /// feeding thread).
    group: Mutex<Option<(usize, usize)>>,
}

impl FileColumns {
    /// The columns of a file of `schema`, on a machine of `cpus` CPUs.
    pub(crate) fn new(schema: &SchemaRef, cpus: usize) -> FileColumns {
        let columns = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(at, field)| {
                Mutex::new(Column {
                    field: Arc::clone(field),
                    at,
                    next: 0,
                    writers: Vec::new(),
                    closed: VecDeque::new(),
                    failed: None,
                })
            })
            .collect::<Vec<_>>();
        FileColumns {
            queue: RwLock::new(Queue {
                first: 0,
                entries: VecDeque::new(),
            }),
            pushed: AtomicU64::new(0),
            groups_closed: columns.iter().map(|_| AtomicU64::new(0)).collect(),
            columns,
            workers: Mutex::new(Vec::new()),
            parts: cpus.max(2),
            group: Mutex::new(None),
        }
    }

    /// The rows and bytes of the row group begun and not ended, if there is one.
    pub(crate) fn group_size(&self) -> Option<(usize, usize)> {
        *lock(&self.group)
    }

    /// A row group begins (its [`Item::Begin`] is pushed).
    pub(crate) fn began_group(&self) {
        *lock(&self.group) = Some((0, 0));
    }

    /// Pushes `batch`, of `bytes` bytes, to the row group begun.
    pub(crate) fn push_rows(&self, batch: RecordBatch, bytes: usize, spent: Arc<SpentBatches>) {
        if let Some((rows, group_bytes)) = &mut *lock(&self.group) {
            *rows += batch.num_rows();
            *group_bytes += bytes;
        }
        self.push(Item::Rows(batch, spent));
    }

    /// Ends the row group begun, if one is.
    pub(crate) fn end_group(&self) {
        if lock(&self.group).take().is_some() {
            self.push(Item::End);
        }
    }

    /// Adds `item` after the others (called by the one thread that feeds the file), and
    /// drops the items every column has taken.
    pub(crate) fn push(&self, item: Item) {
        let entry = Arc::new(Entry {
            item,
            left: AtomicUsize::new(self.columns.len()),
        });
        let spent = {
            let mut queue = write(&self.queue);
            let spent = take_spent(&mut queue);
            queue.entries.push_back(entry);
            let end = queue.first + queue.entries.len() as u64;
            self.pushed.store(end, Ordering::Release);
            spent
        };
        give_back(spent);
    }

    /// Hands the batches every column has encoded back to the threads that built them.
    pub(crate) fn release(&self) {
        let spent = take_spent(&mut write(&self.queue));
        give_back(spent);
    }

    /// The column where this thread starts looking for work: the `i`-th thread to work on
    /// this file starts `i` parts of the columns in (as many parts as CPUs), so that each
    /// column stays with one thread as a rule. A column's writers then stay in one thread's
    /// cache and heap: glibc's malloc grows a block another thread allocated under that
    /// thread's heap lock.
    fn start_for_this_thread(&self) -> usize {
        thread_local! {
            /// The file this thread worked on last (its address) and its place there.
            static PLACE: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
        }
        let me = self as *const FileColumns as usize;
        let (file, place) = PLACE.with(Cell::get);
        let place = if file == me {
            place
        } else {
            let id = std::thread::current().id();
            let mut workers = lock(&self.workers);
            let place = match workers.iter().position(|w| *w == id) {
                Some(place) => place,
                None => {
                    workers.push(id);
                    workers.len() - 1
                }
            };
            PLACE.with(|p| p.set((me, place)));
            place
        };
        (place % self.parts) * self.columns.len() / self.parts
    }

    /// Items pushed that some column has not taken yet.
    pub(crate) fn backlog(&self) -> usize {
        let queue = read(&self.queue);
        queue
            .entries
            .iter()
            .filter(|e| e.left.load(Ordering::Acquire) > 0)
            .count()
    }

    /// Takes the next item of one column that has one and that no other thread holds;
    /// whether there was such a column.
    pub(crate) fn work(&self) -> bool {
        let count = self.columns.len();
        let pushed = self.pushed.load(Ordering::Acquire);
        let start = self.start_for_this_thread();
        for offset in 0..count {
            let mut column = match self.columns[(start + offset) % count].try_lock() {
                Ok(column) => column,
                // A thread that panicked while encoding left the column with its item not
                // taken: it is taken again.
                Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => continue,
            };
            if column.next >= pushed {
                continue;
            }
            let seq = column.next;
            let entry = {
                let queue = read(&self.queue);
                Arc::clone(&queue.entries[(seq - queue.first) as usize])
            };
            let closed = column.take(&entry.item);
            column.next += 1;
            if closed {
                self.groups_closed[column.at].fetch_add(1, Ordering::Release);
            }
            drop(column);
            entry.left.fetch_sub(1, Ordering::Release);
            // The feeding thread takes an entry out only once it holds the last reference.
            drop(entry);
            return true;
        }
        false
    }

    /// Whether every column has closed row group `group` (counted from 0).
    pub(crate) fn group_closed(&self, group: u64) -> bool {
        self.groups_closed
            .iter()
            .all(|closed| closed.load(Ordering::Acquire) > group)
    }

    /// The chunks of the oldest row group every column has closed and not handed out, in
    /// leaf order; or why a column failed.
    pub(crate) fn take_group(&self) -> Result<Vec<ArrowColumnChunk>, String> {
        let mut chunks = Vec::new();
        for column in &self.columns {
            let mut column = lock(column);
            if let Some(failed) = &column.failed {
                return Err(failed.clone());
            }
            match column.closed.pop_front() {
                Some(closed) => chunks.extend(closed),
                None => return Err("a row group was taken before every column closed it".into()),
            }
        }
        Ok(chunks)
    }
}

impl Column {
    /// Takes `item`; whether it closed a row group.
    fn take(&mut self, item: &Item) -> bool {
        match item {
            Item::Begin(writers) => {
                self.writers = std::mem::take(&mut *lock(&writers[self.at]));
                false
            }
            Item::Rows(batch, _) => {
                if self.failed.is_none() {
                    if let Err(e) = self.encode(batch) {
                        self.failed = Some(e.to_string());
                    }
                }
                false
            }
            Item::End => {
                let closed: Result<Vec<_>, _> = self
                    .writers
                    .drain(..)
                    .map(ArrowColumnWriter::close)
                    .collect();
                match closed {
                    Ok(chunks) if self.failed.is_none() => self.closed.push_back(chunks),
                    Ok(_) => self.closed.push_back(Vec::new()),
                    Err(e) => {
                        self.failed.get_or_insert(e.to_string());
                        self.closed.push_back(Vec::new());
                    }
                }
                true
            }
        }
    }

    fn encode(&mut self, batch: &RecordBatch) -> parquet::errors::Result<()> {
        let leaves = compute_leaves(&self.field, batch.column(self.at))?;
        if leaves.len() != self.writers.len() {
            return Err(parquet::errors::ParquetError::General(format!(
                "column {}: {} leaves for {} writers",
                self.field.name(),
                leaves.len(),
                self.writers.len()
            )));
        }
        for (writer, leaf) in self.writers.iter_mut().zip(&leaves) {
            writer.write(leaf)?;
        }
        Ok(())
    }
}

/// Takes the entries at the front of `queue` that every column has taken and no thread
/// still holds.
fn take_spent(queue: &mut Queue) -> Vec<Entry> {
    let mut spent = Vec::new();
    while let Some(front) = queue.entries.pop_front() {
        if front.left.load(Ordering::Acquire) > 0 {
            queue.entries.push_front(front);
            break;
        }
        match Arc::try_unwrap(front) {
            Ok(entry) => spent.push(entry),
            Err(front) => {
                queue.entries.push_front(front);
                break;
            }
        }
        queue.first += 1;
    }
    spent
}

/// Sends each spent batch back to the thread that built it.
fn give_back(spent: Vec<Entry>) {
    for entry in spent {
        if let Item::Rows(batch, to) = entry.item {
            lock(&to).push(batch);
        }
    }
}

/// Locks a mutex; a thread that panicked holding it left whole items behind.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}
