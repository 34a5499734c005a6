//! Many logs at once: workers each claim the next log in the order given, read it to its end
//! and hand its pieces (a chunk's output, a reason it cannot be read, its end) over; the
//! calling thread, one of the workers, writes them log after log ([`Scheduler::work`] for the
//! helpers, [`Scheduler::work_and_write`] for it). Output is thus in the order the logs were
//! named, and records in log order, however many workers there are.
//!
//! Memory stays bounded: the pieces not yet written wait on a board, and a worker whose next
//! piece would take the board past its byte limit waits until the writer has written enough
//! (back-pressure). The worker of the log being written waits only while some of that log's
//! pieces wait to be written, so the writer never waits for a worker that waits for room.
//! Workers also claim no log more than a fixed number of logs ahead of the writer, so that
//! logs with little output (every record filtered out) do not pile up unboundedly.

use super::{lock, Chunk, ChunkRows, NoRows, Tally};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex, MutexGuard};

/// Bytes the pieces of logs waiting to be written may hold at once.
pub(super) const HELD_BYTES: usize = 32 << 20;
/// Logs claimed beyond the one being written. Large enough that the thread that writes
/// seldom has to wait for a worker's log when the logs are small (each wait is a wake-up,
/// which costs more than reading a small log); each waiting log holds little.
pub(super) const LOGS_AHEAD: usize = 256;
/// What one piece counts for at least: its bookkeeping, so that empty pieces are bounded too.
const PIECE_COST: usize = 256;

/// What a log's worker hands the writer, in the log's order.
pub(super) enum Piece<R = NoRows> {
    /// The output of one chunk (or of a problem met outside the chunks).
    Chunk(Chunk<R>),
    /// The log could not be loaded, or is not an event log (the reason).
    Unreadable(String),
    /// The log is read to its end: its size in bytes, and its records' counts by provider
    /// (taken out of its chunks on the worker, so that the strings they hold are freed by
    /// the thread that allocated them, once per log).
    End(u64, Box<Tally>),
}

impl<R: ChunkRows> Piece<R> {
    /// The memory the piece holds while it waits.
    fn cost(&self) -> usize {
        match self {
            Piece::Chunk(chunk) => {
                let rows = chunk.rows.as_ref().map_or(0, ChunkRows::held_bytes);
                chunk.bytes.capacity() + rows + PIECE_COST
            }
            Piece::Unreadable(reason) => reason.len() + PIECE_COST,
            Piece::End(..) => PIECE_COST,
        }
    }
}

/// How far workers may run ahead of the writer.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Bytes held by pieces not yet written (a piece larger than this alone still passes).
    pub held_bytes: usize,
    /// Logs claimed beyond the one being written.
    pub logs_ahead: usize,
}

/// What the workers and the writer share, behind one lock.
struct Board<R> {
    /// The log the writer writes now (its index in the order given).
    head: usize,
    /// Logs claimed and not yet written out, by index: their names and waiting pieces.
    logs: BTreeMap<usize, Waiting<R>>,
    /// The bytes their pieces hold ([`Piece::cost`]).
    held: usize,
    /// The most `held` has been, for the tests.
    most_held: usize,
    /// Logs claimed so far; once `ended`, the number of logs.
    claimed: usize,
    /// Every log is claimed.
    ended: bool,
    /// The writer gave up (its output is gone), or a worker panicked: stop.
    stopped: bool,
    /// The writer waits for the head log's next piece.
    writer_waits: bool,
    /// Workers waiting for room.
    workers_waiting: usize,
}

struct Waiting<R> {
    name: String,
    pieces: VecDeque<(Piece<R>, usize)>,
}

impl<R> Default for Waiting<R> {
    fn default() -> Self {
        Waiting {
            name: String::new(),
            pieces: VecDeque::new(),
        }
    }
}

/// How a worker's reading hands the pieces of log `index` over: `Break` when the run
/// stopped.
pub(super) type Hand<'h, R = NoRows> = &'h mut dyn FnMut(usize, Piece<R>) -> ControlFlow<()>;

/// What [`Scheduler::try_claim`] gives.
enum Claim<T> {
    /// The next log: its index, name and loaded data.
    Log(usize, String, T),
    /// Logs claimed are too far ahead of the writer: write some first.
    NotNow,
    /// Every log is claimed, or the run stopped.
    Done,
}

/// What [`Scheduler::try_hand`] did.
enum Handed<R> {
    /// The piece is on the board.
    Done,
    /// The run stopped: read no further.
    Stopped,
    /// No room: write some first, then hand it again (boxed: it seldom happens).
    NoRoom(Box<Piece<R>>),
}

/// What the writer finds on the board.
enum Next<R> {
    Piece(Box<(String, Piece<R>)>),
    NotYet,
    End,
}

/// Logs handed out to workers in order, and their pieces collected back in order.
pub(super) struct Scheduler<I, R = NoRows> {
    /// The logs not yet claimed. Its lock is held while a worker claims and loads the next
    /// one, so that indexes follow the order given.
    logs: Mutex<I>,
    board: Mutex<Board<R>>,
    /// The writer waits on it for the head log's pieces.
    ready: Condvar,
    /// Workers wait on it for room on the board.
    room: Condvar,
    limits: Limits,
}

impl<I, T, R> Scheduler<I, R>
where
    I: Iterator<Item = (String, T)>,
    R: ChunkRows,
{
    /// A scheduler of `logs` (each a name and what loading it gave).
    pub(super) fn new(logs: I, limits: Limits) -> Self {
        Scheduler {
            logs: Mutex::new(logs),
            board: Mutex::new(Board {
                head: 0,
                logs: BTreeMap::new(),
                held: 0,
                most_held: 0,
                claimed: 0,
                ended: false,
                stopped: false,
                writer_waits: false,
                workers_waiting: 0,
            }),
            ready: Condvar::new(),
            room: Condvar::new(),
            limits,
        }
    }

    /// The next log for a worker: its index, name and loaded data. `None` when every log is
    /// claimed, or the run stopped. Waits while the logs claimed run too far ahead of the
    /// writer.
    fn claim(&self) -> Option<(usize, String, T)> {
        loop {
            match self.try_claim() {
                Claim::Log(index, name, data) => return Some((index, name, data)),
                Claim::Done => return None,
                Claim::NotNow => {
                    let board = lock(&self.board);
                    if !board.stopped && !self.may_claim(&board) {
                        drop(self.wait_for_room(board));
                    }
                }
            }
        }
    }

    /// [`Scheduler::claim`] without waiting, for the thread that also writes.
    fn try_claim(&self) -> Claim<T> {
        // Held while the next log is loaded (its file mapped), so that indexes follow the
        // order given; never held while waiting.
        let mut logs = lock(&self.logs);
        let board = lock(&self.board);
        if board.stopped || board.ended {
            return Claim::Done;
        }
        if !self.may_claim(&board) {
            return Claim::NotNow;
        }
        // Loading happens without the board's lock: the writer goes on.
        drop(board);
        let next = logs.next();
        let mut board = lock(&self.board);
        let Some((name, data)) = next else {
            board.ended = true;
            self.wake_writer(&board);
            return Claim::Done;
        };
        let index = board.claimed;
        board.claimed += 1;
        board.logs.insert(
            index,
            Waiting {
                name: name.clone(),
                pieces: VecDeque::new(),
            },
        );
        Claim::Log(index, name, data)
    }

    fn may_claim(&self, board: &Board<R>) -> bool {
        board.claimed < board.head + self.limits.logs_ahead
    }

    /// Hands `piece` of log `index` to the writer, waiting for room when the board is full
    /// (see [`Scheduler::try_hand`]). `Break`: the run stopped, read no further.
    fn hand(&self, index: usize, mut piece: Piece<R>) -> ControlFlow<()> {
        loop {
            piece = match self.try_hand(index, piece) {
                Handed::Done => return ControlFlow::Continue(()),
                Handed::Stopped => return ControlFlow::Break(()),
                Handed::NoRoom(piece) => *piece,
            };
            let board = lock(&self.board);
            if !board.stopped && !self.has_room(&board, index, piece.cost()) {
                drop(self.wait_for_room(board));
            }
        }
    }

    /// Hands `piece` of log `index` to the writer if the board has room for it: a piece of
    /// a log after the one being written needs room while anything is held; a piece of the
    /// log being written needs it only while the writer has some of that log's pieces to
    /// write (the writer may be slower than its worker, as with a slow pipe). Either way the
    /// writer can go on, so waiting for room never waits forever.
    fn try_hand(&self, index: usize, piece: Piece<R>) -> Handed<R> {
        let cost = piece.cost();
        let mut board = lock(&self.board);
        if board.stopped {
            return Handed::Stopped;
        }
        if !self.has_room(&board, index, cost) {
            return Handed::NoRoom(Box::new(piece));
        }
        board.held += cost;
        board.most_held = board.most_held.max(board.held);
        if let Some(log) = board.logs.get_mut(&index) {
            log.pieces.push_back((piece, cost));
        }
        if index == board.head {
            self.wake_writer(&board);
        }
        Handed::Done
    }

    fn has_room(&self, board: &Board<R>, index: usize, cost: usize) -> bool {
        board.held + cost <= self.limits.held_bytes
            || if index == board.head {
                board
                    .logs
                    .get(&index)
                    .is_none_or(|log| log.pieces.is_empty())
            } else {
                board.held == 0
            }
    }

    /// The next piece to write, in order, with its log's name, waiting for it. `None` when
    /// every log is written, or the run stopped.
    pub(super) fn next(&self) -> Option<(String, Piece<R>)> {
        let mut board = lock(&self.board);
        loop {
            match self.take_next(&mut board) {
                Next::Piece(next) => return Some(*next),
                Next::End => return None,
                Next::NotYet => {}
            }
            board.writer_waits = true;
            board = self.ready.wait(board).unwrap_or_else(|e| e.into_inner());
            board.writer_waits = false;
        }
    }

    /// The next piece to write if it is there already.
    fn try_next(&self) -> Option<(String, Piece<R>)> {
        match self.take_next(&mut lock(&self.board)) {
            Next::Piece(next) => Some(*next),
            Next::End | Next::NotYet => None,
        }
    }

    fn take_next(&self, board: &mut Board<R>) -> Next<R> {
        if board.stopped {
            return Next::End;
        }
        let head = board.head;
        let Some(log) = board.logs.get_mut(&head) else {
            if board.ended && head >= board.claimed {
                return Next::End;
            }
            return Next::NotYet;
        };
        let Some((piece, cost)) = log.pieces.pop_front() else {
            return Next::NotYet;
        };
        let name = if matches!(piece, Piece::End(..)) {
            let log = board.logs.remove(&head).unwrap_or_default();
            board.head += 1;
            log.name
        } else {
            log.name.clone()
        };
        board.held -= cost;
        if board.workers_waiting > 0 {
            self.room.notify_all();
        }
        Next::Piece(Box::new((name, piece)))
    }

    /// A helper's part: claims logs and reads them with `read_log`, which hands their pieces
    /// over (waiting for room), until every log is claimed or the run stops.
    pub(super) fn work(&self, read_log: impl Fn(usize, &str, T, Hand<'_, R>)) {
        let _stop = StopOnPanic(self);
        let mut hand = |index, piece| self.hand(index, piece);
        while let Some((index, name, data)) = self.claim() {
            read_log(index, &name, data, &mut hand);
        }
    }

    /// The calling thread's part: reads logs as the helpers do, and passes every piece to
    /// `write` in order. Between its own chunks it writes what is ready; it waits for the
    /// helpers only when it has nothing left to claim, or no room for its own piece (then it
    /// writes until there is), so that no thread is woken for every chunk. A `Break` from
    /// `write` stops the run.
    pub(super) fn work_and_write(
        &self,
        read_log: impl Fn(usize, &str, T, Hand<'_, R>),
        write: impl FnMut((String, Piece<R>)) -> ControlFlow<()>,
    ) {
        let _stop = StopOnPanic(self);
        // Called from the loop below and from within this thread's reading, never both at
        // once.
        let write = RefCell::new(write);
        let write = |next| {
            let flow = (write.borrow_mut())(next);
            if flow.is_break() {
                self.stop();
            }
            flow
        };
        let mut hand_and_write = |index, mut piece| {
            loop {
                piece = match self.try_hand(index, piece) {
                    Handed::Done => break,
                    Handed::Stopped => return ControlFlow::Break(()),
                    Handed::NoRoom(piece) => *piece,
                };
                // The log being written lacks room only while some of its pieces wait, which
                // `next` then gives; a log after it waits for that log's worker, which never
                // waits while nothing of its log is on the board.
                match self.next() {
                    Some(next) => write(next)?,
                    None => return ControlFlow::Break(()),
                }
            }
            while let Some(next) = self.try_next() {
                write(next)?;
            }
            ControlFlow::Continue(())
        };
        loop {
            let next = match self.try_claim() {
                Claim::Log(index, name, data) => {
                    read_log(index, &name, data, &mut hand_and_write);
                    continue;
                }
                // Ahead enough, or nothing left to read: write the next piece, waiting for it.
                Claim::NotNow | Claim::Done => self.next(),
            };
            match next.map(write) {
                Some(ControlFlow::Continue(())) => {}
                _ => return,
            }
        }
    }

    /// Stops the run: workers claim nothing more and stop reading at their next piece.
    pub(super) fn stop(&self) {
        let mut board = lock(&self.board);
        board.stopped = true;
        self.room.notify_all();
        self.ready.notify_all();
    }

    /// The most bytes the waiting pieces held at once.
    #[cfg(test)]
    fn most_held(&self) -> usize {
        lock(&self.board).most_held
    }

    fn wait_for_room<'b>(&self, mut board: MutexGuard<'b, Board<R>>) -> MutexGuard<'b, Board<R>> {
        board.workers_waiting += 1;
        let mut board = self.room.wait(board).unwrap_or_else(|e| e.into_inner());
        board.workers_waiting -= 1;
        board
    }

    /// Wakes the writer if it waits (waking is a system call even with nobody waiting).
    fn wake_writer(&self, board: &Board<R>) {
        if board.writer_waits {
            self.ready.notify_one();
        }
    }
}

/// Stops the run when dropped during a panic, so that the writer and the other workers do
/// not wait forever for the panicking worker's pieces (the scope then passes the panic on).
pub(super) struct StopOnPanic<'s, I: Iterator<Item = (String, T)>, T, R: ChunkRows>(
    pub &'s Scheduler<I, R>,
);

impl<I: Iterator<Item = (String, T)>, T, R: ChunkRows> Drop for StopOnPanic<'_, I, T, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::Tally;

    fn chunk(text: String) -> Chunk {
        Chunk {
            bytes: text.into_bytes(),
            made_on: std::thread::current().id(),
            rows: None,
            tally: Tally::default(),
            problems: Vec::new(),
        }
    }

    /// Reads a log of the tests: `chunks` pieces, each after `micros` microseconds.
    fn read_log(index: usize, name: &str, (chunks, micros): (usize, u64), hand: Hand<'_>) {
        for n in 0..chunks {
            std::thread::sleep(std::time::Duration::from_micros(micros));
            let text = format!("{name}:{n}:{}", "x".repeat(1000));
            if hand(index, Piece::Chunk(chunk(text))).is_break() {
                return;
            }
        }
        let _ = hand(index, Piece::End(0, Box::default()));
    }

    /// Runs `workers` workers over `logs` (each log: how many chunks, and how long each
    /// takes in microseconds), the calling thread one of them and the writer, which takes
    /// `writer_micros` per piece; returns what it wrote, and the most bytes held at once.
    fn run(
        logs: &[(usize, u64)],
        workers: usize,
        limits: Limits,
        writer_micros: u64,
    ) -> (Vec<String>, usize) {
        let named = logs
            .iter()
            .enumerate()
            .map(|(i, &log)| (format!("log{i}"), log));
        let scheduler = Scheduler::new(named, limits);
        let mut written = Vec::new();
        let write = |(name, piece): (String, Piece)| {
            std::thread::sleep(std::time::Duration::from_micros(writer_micros));
            match piece {
                Piece::Chunk(c) => {
                    let text = String::from_utf8(c.bytes).unwrap();
                    assert!(text.starts_with(&format!("{name}:")), "{name} {text}");
                    written.push(text.split(':').take(2).collect::<Vec<_>>().join(":"));
                }
                Piece::End(..) => written.push(format!("{name} end")),
                Piece::Unreadable(_) => unreachable!(),
            }
            ControlFlow::Continue(())
        };
        std::thread::scope(|scope| {
            for _ in 1..workers {
                scope.spawn(|| scheduler.work(read_log));
            }
            scheduler.work_and_write(read_log, write);
        });
        (written, scheduler.most_held())
    }

    fn expected(logs: &[(usize, u64)]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, &(chunks, _)) in logs.iter().enumerate() {
            out.extend((0..chunks).map(|n| format!("log{i}:{n}")));
            out.push(format!("log{i} end"));
        }
        out
    }

    #[test]
    fn pieces_come_out_in_log_order_whatever_the_workers() {
        // A slow first log with many chunks, then quick small ones: later logs finish first
        // and wait for it.
        let mut logs = vec![(40, 200)];
        logs.extend((0..30).map(|i| (1 + i % 3, 10)));
        let limits = Limits {
            held_bytes: 1 << 20,
            logs_ahead: 64,
        };
        for workers in [1, 2, 4] {
            let (written, _) = run(&logs, workers, limits, 0);
            assert_eq!(written, expected(&logs), "{workers} workers");
        }
    }

    #[test]
    fn waiting_pieces_stay_within_the_byte_limit() {
        // Each piece costs about 1.3 KB; logs after a slow first one must wait for room
        // instead of piling up.
        let mut logs = vec![(30, 300)];
        logs.extend((0..20).map(|_| (20, 0)));
        let limit = 8 * 1024;
        let limits = Limits {
            held_bytes: limit,
            logs_ahead: 1000,
        };
        let (written, most) = run(&logs, 3, limits, 0);
        assert_eq!(written, expected(&logs));
        // One piece may pass over the limit when the board holds less than a piece.
        assert!(most <= limit + 2 * 1024, "held {most} bytes");
        // The limit was reached: the workers ran ahead until back-pressure stopped them.
        assert!(most > limit / 2, "held {most} bytes");
    }

    #[test]
    fn a_slow_writer_holds_every_worker_back() {
        // The writer (a slow pipe) is slower than the workers, the one of the log being
        // written included.
        let logs: Vec<(usize, u64)> = (0..6).map(|_| (30, 0)).collect();
        let limit = 8 * 1024;
        let limits = Limits {
            held_bytes: limit,
            logs_ahead: 1000,
        };
        let (written, most) = run(&logs, 3, limits, 200);
        assert_eq!(written, expected(&logs));
        assert!(most <= limit + 2 * 1024, "held {most} bytes");
    }

    #[test]
    fn workers_claim_no_log_too_far_ahead_of_the_writer() {
        let mut logs = vec![(10, 500)];
        logs.extend((0..200).map(|_| (0, 0)));
        let limits = Limits {
            held_bytes: 1 << 30,
            logs_ahead: 4,
        };
        let (written, most) = run(&logs, 3, limits, 0);
        assert_eq!(written, expected(&logs));
        // Empty logs hold their End piece only: at most `logs_ahead` of them at once (200
        // would hold 51,200 bytes), and the first log's chunks.
        assert!(
            most <= 4 * PIECE_COST + 10 * (1100 + PIECE_COST),
            "held {most} bytes"
        );
    }

    #[test]
    fn a_stopped_run_ends_every_worker() {
        let logs: Vec<(usize, u64)> = (0..20).map(|_| (50, 50)).collect();
        let named = logs
            .iter()
            .enumerate()
            .map(|(i, &log)| (format!("log{i}"), log));
        let scheduler = Scheduler::new(
            named,
            Limits {
                held_bytes: 4096,
                logs_ahead: 8,
            },
        );
        let mut written = 0;
        // The writer takes three pieces, then its output is gone.
        let write = |_| {
            written += 1;
            if written == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| scheduler.work(read_log));
            }
            scheduler.work_and_write(read_log, write);
        });
        // The scope ended: every worker saw the stop.
        assert_eq!(written, 3);
        assert!(scheduler.next().is_none());
    }
}
