//! Locks that other threads hold only for a lookup.

use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

/// How long a thread yields in turn before it sleeps on a held lock: a catalog lookup takes
/// tens of microseconds, opening the catalog a few hundred.
const YIELD_FOR: Duration = Duration::from_micros(500);

/// Locks `mutex`, which other threads hold only briefly; one poisoned by a panicking thread
/// still holds complete entries. A thread that finds it held gives its CPU up in turn for a
/// while before it sleeps on it: a thread that sleeps is woken onto the CPU of the thread
/// that woke it, and a scheduler that packs threads (see the module `pin`) queues it there
/// for a whole time slice, while one that yields stays where it runs.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    let mut since = None;
    loop {
        match mutex.try_lock() {
            Ok(guard) => return guard,
            Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {}
        }
        if since.get_or_insert_with(Instant::now).elapsed() > YIELD_FOR {
            return mutex.lock().unwrap_or_else(PoisonError::into_inner);
        }
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::lock;
    use std::sync::Mutex;
    use std::time::Duration;

    #[test]
    fn a_lock_held_briefly_or_long_is_taken_once_free() {
        let counter = Mutex::new(0);
        std::thread::scope(|scope| {
            // Held briefly (yielded for) and then for longer than the yielding lasts (slept on).
            for hold in [Duration::from_micros(50), Duration::from_millis(5)] {
                let guard = lock(&counter);
                let waiter = scope.spawn(|| *lock(&counter) += 1);
                std::thread::sleep(hold);
                drop(guard);
                waiter.join().unwrap();
            }
        });
        assert_eq!(*lock(&counter), 2);
    }

    #[test]
    fn a_poisoned_lock_is_still_taken() {
        let value = Mutex::new(1);
        let _ = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let _guard = value.lock().unwrap();
                    panic!("poisons the lock");
                })
                .join()
        });
        assert!(value.is_poisoned());
        assert_eq!(*lock(&value), 1);
    }
}
