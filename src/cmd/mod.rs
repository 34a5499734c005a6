//! One module per subcommand; each has an `Args` (clap) and a `run`.

pub mod about;
pub mod decode;
pub mod diff;
pub mod evtx;
pub mod extract;
pub mod format;
pub mod import;
pub mod kb;
pub mod lookup;
pub mod mc;
pub mod search;
pub mod serve;
pub mod show;

use std::io::{self, Write};
use std::process::ExitCode;

/// Options every subcommand accepts.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// The knowledge base file to use; without it the embedded default KB serves reads.
    #[arg(long, global = true, env = "WERR_KB", value_name = "FILE")]
    pub kb: Option<std::path::PathBuf>,
}

/// A failure to report: a message for stderr and the process exit status.
#[derive(Debug)]
pub struct CliError {
    /// 1: the work failed; 2: the input was wrong (bad value, bad option, format error).
    pub status: u8,
    /// One line (or a few) that say what went wrong and where.
    pub message: String,
}

impl CliError {
    /// Bad input from the user: exit status 2.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            status: 2,
            message: message.into(),
        }
    }

    /// The work failed: exit status 1.
    pub fn failed(message: impl Into<String>) -> CliError {
        CliError {
            status: 1,
            message: message.into(),
        }
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> CliError {
        CliError::failed(format!("I/O error: {e}"))
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> CliError {
        CliError::failed(format!("{e:#}"))
    }
}

/// What every `run` returns.
pub type CmdResult = Result<(), CliError>;

/// Writes `text` to stdout. A closed pipe (`werr ... | head`) is not an error.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Turns a command's result into the process exit status, printing the error if any.
pub fn finish(result: CmdResult) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "werr: {}", e.message);
            ExitCode::from(e.status)
        }
    }
}

/// The bytes of a file: memory-mapped, so only the pages the parser touches are read.
pub enum FileBytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(m) => m,
            FileBytes::Read(v) => v,
        }
    }
}

/// The bytes of the file at `path`, mapped (read when it cannot be mapped). With `whole` the
/// caller reads every byte (an event log), so the map is filled in one system call instead of
/// a page fault per 64 KiB; otherwise pages are read as touched (a PE file, of which only the
/// resources are read).
pub fn load(path: &std::path::Path, whole: bool) -> io::Result<FileBytes> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.len() == 0 {
        return Ok(FileBytes::Read(Vec::new()));
    }
    let mut options = memmap2::MmapOptions::new();
    if whole {
        options.populate();
    }
    // SAFETY: the map is read-only and lives while we parse; a file truncated underneath by
    // another process is the one hazard, as for every tool that maps its inputs.
    match unsafe { options.map(&file) } {
        Ok(map) => Ok(FileBytes::Mapped(map)),
        Err(_) => std::fs::read(path).map(FileBytes::Read),
    }
}
