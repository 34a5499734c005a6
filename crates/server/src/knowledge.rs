//! The knowledge base behind the server: a bounded pool of `werr_kb::Kb` handles, asked off
//! the async runtime and under a deadline.
//!
//! SQLite work is blocking and can be CPU-bound (a search over common words). Run on the async
//! threads, one such query held a thread every other connection needed, `/healthz` included,
//! and the request time limit could not fire. So each question runs on tokio's blocking
//! threads, at most [`KbPool::workers`] at once (the others wait their turn, within the
//! deadline), and SQLite's progress handler stops a query that runs past the deadline, which
//! frees its thread: the request answers 503 and the pool stays bounded. On Linux those
//! threads also run at a lower priority (nice 10) than the threads that serve connections, so
//! a flood of costly questions slows the answers that need the KB, not the others.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use werr_kb::Kb;

/// The knowledge base could not answer (it is missing, corrupt or unreadable, or the question
/// ran past its time limit); the request itself was fine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the knowledge base could not answer: {0}")]
pub struct KnowledgeError(pub String);

impl From<werr_kb::Error> for KnowledgeError {
    fn from(e: werr_kb::Error) -> KnowledgeError {
        KnowledgeError(e.to_string())
    }
}

type Opener = dyn Fn() -> werr_kb::Result<Kb> + Send + Sync;

/// Handles on one knowledge base, lent to one question at a time.
pub struct KbPool {
    open: Box<Opener>,
    idle: Mutex<Vec<Kb>>,
    /// Turns to ask: one per worker.
    turns: Arc<Semaphore>,
    workers: usize,
    time_limit: Duration,
}

impl KbPool {
    /// A pool whose handles `open` makes (`Kb::embedded`, or `Kb::open_for_reading` of a
    /// file), answering at most one question per core at once (at least two), each within
    /// [`crate::REQUEST_TIMEOUT`]. One handle is opened now, so a KB that cannot be opened
    /// fails here, not on a request.
    pub fn new(
        open: impl Fn() -> werr_kb::Result<Kb> + Send + Sync + 'static,
    ) -> Result<KbPool, KnowledgeError> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        KbPool::with_limits(open, cores.max(2), crate::REQUEST_TIMEOUT)
    }

    /// A pool answering at most `workers` questions at once, each within `time_limit` (the
    /// wait for a turn included).
    pub fn with_limits(
        open: impl Fn() -> werr_kb::Result<Kb> + Send + Sync + 'static,
        workers: usize,
        time_limit: Duration,
    ) -> Result<KbPool, KnowledgeError> {
        let workers = workers.max(1);
        let first = open()?;
        Ok(KbPool {
            open: Box::new(open),
            idle: Mutex::new(vec![first]),
            turns: Arc::new(Semaphore::new(workers)),
            workers,
            time_limit,
        })
    }

    /// The embedded default knowledge base.
    pub fn embedded() -> Result<KbPool, KnowledgeError> {
        KbPool::new(Kb::embedded)
    }

    /// How many questions are answered at once.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// How long a question may take, its wait for a turn included.
    pub fn time_limit(&self) -> Duration {
        self.time_limit
    }

    /// Answers `question` with a handle, on a blocking thread, when a worker is free and
    /// within the time limit; past it, the error says so (and the query is stopped).
    pub async fn ask<R, F>(self: &Arc<Self>, question: F) -> Result<R, KnowledgeError>
    where
        F: FnOnce(&Kb) -> werr_kb::Result<R> + Send + 'static,
        R: Send + 'static,
    {
        let deadline = Instant::now() + self.time_limit;
        let turn =
            tokio::time::timeout_at(deadline.into(), Arc::clone(&self.turns).acquire_owned())
                .await
                .map_err(|_| self.timed_out("waiting for a free worker"))?
                .map_err(|_| KnowledgeError("the server is stopping".into()))?;
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            // The turn is given back when the work is done, not when the request goes: a
            // request cut off by its time limit frees its worker only once SQLite stops.
            let _turn = turn;
            yield_to_serving_threads();
            pool.answer(deadline, question)
        })
        .await
        .map_err(|e| KnowledgeError(format!("the question failed: {e}")))?
    }

    /// Runs `question` on a lent handle that stops its queries at `deadline`.
    fn answer<R>(
        &self,
        deadline: Instant,
        question: impl FnOnce(&Kb) -> werr_kb::Result<R>,
    ) -> Result<R, KnowledgeError> {
        let lent = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut kb = match lent {
            Some(kb) => kb,
            None => (self.open)()?,
        };
        kb.set_deadline(Some(deadline))?;
        let answer = question(&kb);
        if kb.set_deadline(None).is_ok() {
            let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
            if idle.len() < self.workers {
                idle.push(kb);
            }
        }
        answer.map_err(|e| {
            if e.is_interrupted() {
                self.timed_out("answering")
            } else {
                e.into()
            }
        })
    }

    fn timed_out(&self, while_: &str) -> KnowledgeError {
        KnowledgeError(format!(
            "the request ran past its time limit of {} s while {while_}; try again",
            self.time_limit.as_secs_f32()
        ))
    }
}

/// Lowers the calling thread's priority once (Linux: nice 10 for this thread alone), so the
/// threads that serve connections run first when both want a core.
fn yield_to_serving_threads() {
    #[cfg(target_os = "linux")]
    {
        thread_local! {
            static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        LOWERED.with(|lowered| {
            if !lowered.get() {
                lowered.set(true);
                // Linux applies PRIO_PROCESS with no pid to the calling thread alone; a
                // failure leaves the priority as it was, which is harmless.
                let _ = rustix::process::setpriority_process(None, 10);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query that runs for minutes unless stopped.
    fn endless(kb: &Kb) -> werr_kb::Result<i64> {
        Ok(kb.connection().query_row(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) \
             SELECT count(*) FROM n",
            [],
            |r| r.get(0),
        )?)
    }

    #[tokio::test]
    async fn a_question_past_the_time_limit_is_stopped_and_its_worker_freed() {
        // The limit leaves a loaded machine time for the answer that follows.
        let pool =
            Arc::new(KbPool::with_limits(Kb::embedded, 1, Duration::from_secs(3)).expect("opens"));
        let started = Instant::now();
        let e = pool.ask(endless).await.unwrap_err();
        assert!(
            e.0.contains("ran past its time limit of 3 s while answering"),
            "{e}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        // The only worker is free again, and its handle answers.
        let sources = pool
            .ask(|kb| Ok(kb.sources()?.len()))
            .await
            .expect("answers");
        assert!(sources > 0);
    }

    #[tokio::test]
    async fn questions_wait_for_a_worker_within_the_time_limit() {
        let pool =
            Arc::new(KbPool::with_limits(Kb::embedded, 1, Duration::from_secs(3)).expect("opens"));
        // The only worker is held until the test lets it go.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let busy = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move {
                pool.ask(move |_| {
                    let _ = held.recv();
                    Ok(())
                })
                .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Instant::now();
        let e = pool.ask(|kb| Ok(kb.sources()?.len())).await.unwrap_err();
        assert!(e.0.contains("while waiting for a free worker"), "{e}");
        assert!(started.elapsed() >= Duration::from_millis(2900));
        release.send(()).expect("the worker waits");
        assert!(busy.await.expect("joins").is_ok());
        assert!(pool.ask(|kb| Ok(kb.sources()?.len())).await.is_ok());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_async_thread_stays_free_while_the_kb_works() {
        // One async thread: a KB question run on it would hold it until done.
        let pool =
            Arc::new(KbPool::with_limits(Kb::embedded, 1, Duration::from_secs(2)).expect("opens"));
        let slow = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move { pool.ask(endless).await }
        });
        let started = Instant::now();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            started.elapsed() < Duration::from_millis(1000),
            "the timer waited {:?} behind the KB",
            started.elapsed()
        );
        assert!(slow.await.expect("joins").is_err());
    }
}
