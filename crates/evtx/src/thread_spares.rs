//! Storage kept for reuse, each piece with the thread whose allocations it is.
//!
//! glibc's malloc gives each thread a heap of its own (an arena), and a block freed or grown
//! by another thread is handled under its heap's lock, which the owning thread takes at its
//! every allocation. Storage that passes between threads (a log's record storage, a chunk's
//! output buffer) therefore goes back to the thread that allocated it whenever that thread
//! asks again: reusing another thread's storage makes each allocation in it a trip to that
//! thread's heap, its lock and its cache lines.

use std::sync::{Mutex, PoisonError};
use std::thread::ThreadId;

/// Values given back for reuse, each with the thread it belongs to.
pub(crate) struct ThreadSpares<T> {
    pool: Mutex<Vec<(ThreadId, T)>>,
}

impl<T> Default for ThreadSpares<T> {
    fn default() -> Self {
        ThreadSpares {
            pool: Mutex::default(),
        }
    }
}

impl<T> ThreadSpares<T> {
    /// A value for this thread: the last one it gave back, else any other (a thread that
    /// ends leaves its heap to the next thread started, so its storage serves that thread
    /// as well), else `None`.
    pub(crate) fn take(&self) -> Option<T> {
        let me = std::thread::current().id();
        let mut pool = self.lock();
        let at = pool
            .iter()
            .rposition(|(owner, _)| *owner == me)
            .or(pool.len().checked_sub(1))?;
        Some(pool.swap_remove(at).1)
    }

    /// The last value this thread gave back, or that was given back for it; `None` when
    /// there is none (for values that must be emptied by the thread that filled them).
    pub(crate) fn take_own(&self) -> Option<T> {
        let me = std::thread::current().id();
        let mut pool = self.lock();
        let at = pool.iter().rposition(|(owner, _)| *owner == me)?;
        Some(pool.swap_remove(at).1)
    }

    /// Keeps `value`, which belongs to this thread.
    pub(crate) fn give_back(&self, value: T) {
        self.give_back_for(std::thread::current().id(), value);
    }

    /// Keeps `value`, which belongs to thread `owner`.
    pub(crate) fn give_back_for(&self, owner: ThreadId, value: T) {
        self.lock().push((owner, value));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(ThreadId, T)>> {
        self.pool.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::ThreadSpares;

    #[test]
    fn a_thread_gets_its_own_back_else_any() {
        let spares = ThreadSpares::default();
        spares.give_back("main's");
        std::thread::scope(|scope| {
            scope.spawn(|| {
                // None of its own: another thread's serves.
                assert_eq!(spares.take(), Some("main's"));
                spares.give_back("helper's");
            });
        });
        spares.give_back("main's");
        let helper = std::thread::scope(|scope| scope.spawn(|| std::thread::current().id()).join());
        spares.give_back_for(helper.unwrap(), "given for the helper");
        // The last one given back is another thread's; this thread's own comes first.
        assert_eq!(spares.take(), Some("main's"));
        assert_eq!(spares.take(), Some("given for the helper"));
        assert_eq!(spares.take(), Some("helper's"));
        assert_eq!(spares.take(), None);
    }

    #[test]
    fn a_thread_takes_only_its_own_when_asked() {
        let spares = ThreadSpares::default();
        let helper = std::thread::scope(|scope| scope.spawn(|| std::thread::current().id()).join());
        spares.give_back_for(helper.unwrap(), "the helper's");
        assert_eq!(spares.take_own(), None);
        spares.give_back("main's");
        assert_eq!(spares.take_own(), Some("main's"));
        assert_eq!(spares.take_own(), None);
        assert_eq!(spares.take(), Some("the helper's"));
    }
}
