//! Instruments for tests that measure what code does beneath its API: heap allocations and
//! SQLite's prepared statements. They hold the only `unsafe` a test needs, so every library
//! crate (and its tests) can forbid `unsafe` outright.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static CALLS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

/// A global allocator that counts the allocations (and their bytes) of the thread inside
/// [`count_allocations`], and only those: tests running on other threads do not disturb it.
/// Install it in a test binary with
/// `#[global_allocator] static GLOBAL: CountingAllocator = CountingAllocator;`.
pub struct CountingAllocator;

// SAFETY: every call is passed unchanged to the system allocator; counting touches only
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: the caller's contract for `alloc` is System's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from System (every allocation here does).
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: as for `dealloc`; the caller's contract for `realloc` is System's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn record(size: usize) {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    let _ = COUNTING.try_with(|c| {
        if c.get() {
            CALLS.with(|n| n.set(n.get() + 1));
            BYTES.with(|b| b.set(b.get() + size));
        }
    });
}

/// Runs `work` and returns its result with the allocation calls (allocations and
/// reallocations) and the bytes they asked for on this thread meanwhile. Counts only when the
/// test binary's global allocator is [`CountingAllocator`].
pub fn count_allocations<T>(work: impl FnOnce() -> T) -> (T, usize, usize) {
    CALLS.with(|n| n.set(0));
    BYTES.with(|b| b.set(0));
    COUNTING.with(|c| c.set(true));
    let out = work();
    COUNTING.with(|c| c.set(false));
    (out, CALLS.with(Cell::get), BYTES.with(Cell::get))
}

/// How many statements `conn` holds prepared (SQLite's own list, which rusqlite's statement
/// cache does not show).
#[cfg(feature = "sqlite")]
pub fn prepared_statements(conn: &rusqlite::Connection) -> usize {
    let mut count = 0;
    // SAFETY: the handle lives as long as `conn`, which the borrow keeps alive;
    // sqlite3_next_stmt only walks the connection's list of statements, which nothing
    // changes meanwhile (`conn` is not Sync, so no other thread uses it).
    unsafe {
        let db = conn.handle();
        let mut stmt = rusqlite::ffi::sqlite3_next_stmt(db, std::ptr::null_mut());
        while !stmt.is_null() {
            count += 1;
            stmt = rusqlite::ffi::sqlite3_next_stmt(db, stmt);
        }
    }
    count
}
