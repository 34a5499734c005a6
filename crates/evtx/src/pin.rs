//! Holding the threads that work on one log each to a CPU of its own
//! ([`ReadOptions::pin_threads`](crate::ReadOptions::pin_threads)).
//!
//! The threads of one log run for milliseconds and hand each other work and locks. A
//! scheduler that packs short-lived threads onto few CPUs (as virtual machines' guest kernels
//! may, to let idle virtual CPUs sleep) queues a new or woken thread behind the thread that
//! started or woke it, for a whole time slice, while another CPU idles. Held to distinct
//! CPUs, the threads run side by side. Only the CPUs the process may use are chosen, and the
//! calling thread gets its own set back at the end.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// The calling thread, held to the CPU it runs on, and the other CPUs it may use, for its
/// helpers. Dropped on the thread that made it, it gives that thread its former set back.
pub struct PinnedThreads {
    #[cfg(target_os = "linux")]
    former: nix::sched::CpuSet,
    /// The CPUs for helpers: the allowed ones other than the caller's, in order.
    others: Vec<usize>,
    /// The thread held (the only one whose set can be given back).
    caller: ThreadId,
    /// Helpers that hold themselves to their CPU by now.
    helpers_pinned: Arc<AtomicUsize>,
}

/// What one helper thread needs to hold itself to its CPU ([`HelperPin::apply`]).
#[derive(Debug, Clone)]
pub struct HelperPin {
    cpu: usize,
    helpers_pinned: Arc<AtomicUsize>,
}

impl PinnedThreads {
    /// Holds the calling thread to its current CPU, when the process may use at least two
    /// (`None` otherwise, or where this is not supported: the threads then run unpinned).
    pub fn caller() -> Option<PinnedThreads> {
        #[cfg(target_os = "linux")]
        {
            use nix::sched::{sched_getaffinity, sched_getcpu, sched_setaffinity, CpuSet};
            let this_thread = nix::unistd::Pid::from_raw(0);
            let former = sched_getaffinity(this_thread).ok()?;
            let here = sched_getcpu().ok()?;
            let allowed = |cpu| former.is_set(cpu).unwrap_or(false);
            if !allowed(here) {
                return None;
            }
            let others: Vec<usize> = (0..CpuSet::count())
                .filter(|&cpu| cpu != here && allowed(cpu))
                .collect();
            if others.is_empty() {
                return None;
            }
            let mut only_here = CpuSet::new();
            only_here.set(here).ok()?;
            sched_setaffinity(this_thread, &only_here).ok()?;
            Some(PinnedThreads {
                former,
                others,
                caller: std::thread::current().id(),
                helpers_pinned: Arc::new(AtomicUsize::new(0)),
            })
        }
        #[cfg(not(target_os = "linux"))]
        None
    }

    /// The CPU of helper number `helper` (from 0): one of its own while there are enough,
    /// then shared out in turn.
    pub fn helper(&self, helper: usize) -> HelperPin {
        HelperPin {
            cpu: self.others[helper % self.others.len()],
            helpers_pinned: Arc::clone(&self.helpers_pinned),
        }
    }

    /// Waits, yielding the CPU, until `helpers` helpers hold themselves to their CPUs (for
    /// at most a millisecond). A new thread may be queued on its creator's CPU: yielding
    /// lets it run there and move to its own at once, instead of after the creator's time
    /// slice.
    pub fn wait_for_helpers(&self, helpers: usize) {
        let start = Instant::now();
        while self.helpers_pinned.load(Ordering::Acquire) < helpers
            && start.elapsed() < Duration::from_millis(1)
        {
            std::thread::yield_now();
        }
    }
}

impl HelperPin {
    /// Holds the calling thread to the helper's CPU (a failure leaves it unpinned).
    pub fn apply(self) {
        #[cfg(target_os = "linux")]
        {
            let mut only = nix::sched::CpuSet::new();
            if only.set(self.cpu).is_ok() {
                let _ = nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &only);
            }
        }
        self.helpers_pinned.fetch_add(1, Ordering::Release);
    }
}

impl Drop for PinnedThreads {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if std::thread::current().id() == self.caller {
            let _ = nix::sched::sched_setaffinity(nix::unistd::Pid::from_raw(0), &self.former);
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::PinnedThreads;
    use nix::sched::{sched_getaffinity, sched_getcpu, CpuSet};
    use nix::unistd::Pid;

    fn allowed() -> Vec<usize> {
        let set = sched_getaffinity(Pid::from_raw(0)).unwrap();
        (0..CpuSet::count())
            .filter(|&cpu| set.is_set(cpu).unwrap())
            .collect()
    }

    #[test]
    fn the_caller_is_held_to_its_cpu_and_gets_its_set_back() {
        let before = allowed();
        let Some(pinned) = PinnedThreads::caller() else {
            // One CPU allowed: nothing to pin (and nothing changed).
            assert_eq!(before.len(), 1);
            return;
        };
        assert_eq!(allowed(), [sched_getcpu().unwrap()]);
        let caller_cpu = sched_getcpu().unwrap();
        let helper = pinned.helper(0);
        let helper_thread = std::thread::spawn(move || {
            helper.apply();
            assert_eq!(allowed().len(), 1);
            sched_getcpu().unwrap()
        });
        pinned.wait_for_helpers(1);
        let helper_cpu = helper_thread.join().unwrap();
        assert_ne!(helper_cpu, caller_cpu, "the helper shares the caller's CPU");
        assert!(before.contains(&helper_cpu));
        drop(pinned);
        assert_eq!(allowed(), before);
    }
}
