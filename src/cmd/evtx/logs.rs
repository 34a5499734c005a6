//! The logs of a `werr evtx` run: the files named and the `.evtx` files under the folders
//! named, and how each is loaded.

use std::path::PathBuf;

/// Logs up to this size are read into memory, not mapped, when several logs are read.
const READ_UP_TO: u64 = 16 << 20;

/// The bytes of the log at `path`. Of several logs, a small one is read rather than mapped:
/// unmapping a file in a process whose threads run on several cores interrupts each of them
/// to flush its TLB (an interrupt between processors, which a virtual machine pays dearly),
/// once per log; reading costs a copy from the page cache instead. A large log is mapped, so
/// memory stays bounded.
pub(super) fn load_log(
    path: &std::path::Path,
    several: bool,
) -> std::io::Result<crate::cmd::FileBytes> {
    if several {
        let mut file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if len <= READ_UP_TO {
            let mut bytes = Vec::with_capacity(len as usize);
            std::io::Read::read_to_end(&mut file, &mut bytes)?;
            return Ok(crate::cmd::FileBytes::Read(bytes));
        }
    }
    crate::cmd::load(path, true)
}

/// Tunes glibc's allocator for a run that allocates steadily on several threads and frees
/// as much, log after log:
/// - the heap grows 4 MiB beyond each need (`M_TOP_PAD`; the default is 128 KiB), and a
///   helper thread's heap starts with that much made writable: with the default, it is made
///   writable a few pages at a time, and each `mprotect` stalls the other thread's page
///   faults on the shared address space;
/// - blocks up to 32 MiB come from the heap, not from a mapping of their own
///   (`M_MMAP_THRESHOLD`), and freed memory stays in the heap up to 256 MiB
///   (`M_TRIM_THRESHOLD`): a log's large buffers (zstd contexts, pages, chunk output) are
///   then reused by the next log's instead of being unmapped and mapped again, which costs
///   page faults and, on several cores, an interrupt to each other core to flush its TLB.
///
/// Memory is used as touched, so the pad costs address space, not RAM; memory freed stays
/// with the process until it ends, at most its peak (BENCHMARKS.md, "evtx").
pub(super) fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets parameters of the allocator; called before this command
    // starts any thread, and any value is valid for these three.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 4 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

/// The logs to read: each file named, and the `.evtx` files (any letter case) under each
/// folder named, walked recursively in name order. What cannot be walked, and a folder with
/// no log, go to `failed` (and are reported).
pub(super) fn log_files(paths: &[PathBuf], failed: &mut Vec<String>) -> Vec<PathBuf> {
    let mut logs = Vec::new();
    for path in paths {
        if !path.is_dir() {
            logs.push(path.clone());
            continue;
        }
        let before = logs.len();
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() && is_evtx_name(e.path()) => {
                    logs.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("werr: {}: {e}", path.display());
                    failed.push(e.path().unwrap_or(path).display().to_string());
                }
            }
        }
        if logs.len() == before {
            eprintln!("werr: {}: no .evtx file in this folder", path.display());
            failed.push(path.display().to_string());
        }
    }
    logs
}

fn is_evtx_name(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("evtx"))
}
