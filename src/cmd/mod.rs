//! One module per subcommand; each has an `Args` (clap) and a `run`.

pub mod about;
pub mod decode;
pub mod diff;
pub mod events;
pub mod evtx;
pub mod extract;
pub mod format;
pub mod import;
pub mod kb;
pub mod lookup;
pub mod mc;
pub mod search;
pub mod serve;
pub mod shell;
pub mod show;
pub mod style;

use std::io::{self, Write};
use std::process::ExitCode;

/// Options every subcommand accepts.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// The knowledge base file to use; without it the embedded default KB serves reads.
    #[arg(long, global = true, env = "WERR_KB", value_name = "FILE")]
    pub kb: Option<std::path::PathBuf>,
    /// When to colour names, values and kinds: auto (on a terminal, unless NO_COLOR is
    /// set), always, never.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN")]
    pub color: style::ColorWhen,
}

/// The exit status of a run: the contract of README's "Exit status", decided here only.
/// Ordered by gravity: a run that met several outcomes ends with the gravest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Status {
    /// 0: every query was answered.
    #[default]
    Answered,
    /// 1: something asked for was not found, or a file had a problem (the answers that could
    /// be given are still printed).
    Failed,
    /// 2: the usage was wrong, or a value given cannot be read.
    Usage,
}

impl Status {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            Status::Answered => 0,
            Status::Failed => 1,
            Status::Usage => 2,
        }
    }
}

/// A failure to report: a message for stderr and the exit status.
#[derive(Debug)]
pub struct CliError {
    /// [`Status::Failed`] or [`Status::Usage`].
    pub status: Status,
    /// One line (or a few) that say what went wrong and where.
    pub message: String,
}

impl CliError {
    /// A failure of exit status `status`.
    pub fn new(status: Status, message: impl Into<String>) -> CliError {
        CliError {
            status,
            message: message.into(),
        }
    }

    /// Bad usage or a value that cannot be read: exit status 2.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(Status::Usage, message)
    }

    /// Something asked for was not found, or a file had a problem: exit status 1.
    pub fn failed(message: impl Into<String>) -> CliError {
        CliError::new(Status::Failed, message)
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

/// The problems of a command that answers many things (queries, files) and goes on past a
/// problem: each is reported where it is met, the run ends with the gravest.
#[derive(Debug, Default)]
pub struct Problems {
    worst: Status,
    count: usize,
}

impl Problems {
    /// Counts a problem of gravity `status`, already reported.
    pub fn add(&mut self, status: Status) {
        self.worst = self.worst.max(status);
        self.count += 1;
    }

    /// `Ok` when there was none; else the gravest status, with `summary(count)` as the closing
    /// message.
    pub fn result(self, summary: impl FnOnce(usize) -> String) -> CmdResult {
        match self.worst {
            Status::Answered => Ok(()),
            status => Err(CliError::new(status, summary(self.count))),
        }
    }
}

/// Writes `text` to stdout, with its colours where they are wanted ([`style`]). A closed
/// pipe (`werr ... | head`) is not an error.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Turns a command's result into the process exit status, printing the error if any.
pub fn finish(result: CmdResult) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(Status::Answered.code()),
        Err(e) => {
            let _ = writeln!(io::stderr(), "werr: {}", e.message);
            ExitCode::from(e.status.code())
        }
    }
}

/// Turns an argument error of clap into the process exit status, printing it: `--help` and
/// `--version` answer (0), anything else is a usage error (2).
pub fn finish_parse(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    if error.use_stderr() {
        ExitCode::from(Status::Usage.code())
    } else {
        ExitCode::from(Status::Answered.code())
    }
}

/// A size given on the command line: a number of bytes, or with a `K`, `M` or `G` suffix
/// (powers of 1024): `65536`, `64K`, `32M`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_uppercase()),
        _ => (t, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => {
            return Err(format!(
                "{} is not a size; expected bytes or a number with K, M or G, e.g. 64M",
                werr_quote::quoted(text)
            ))
        }
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| {
            format!(
                "{} is not a size; expected bytes or a number with K, M or G, e.g. 64M",
                werr_quote::quoted(text)
            )
        })
}

/// Reads the file at `path` whole, refusing one of more than `limit` bytes: a regular file by
/// its size, before reading; a device, pipe or socket as it is read, so `/dev/zero` stops at
/// the limit instead of filling memory. `raise` says how to raise the limit (an option).
pub fn read_capped(path: &std::path::Path, limit: u64, raise: &str) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let shown = path.display();
    let cannot = |e: io::Error| CliError::failed(format!("cannot read {shown}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    let too_large = |size: &str| {
        CliError::failed(format!(
            "{shown} {size}; werr reads at most {limit} bytes ({raise} raises the limit)"
        ))
    };
    if meta.is_file() && meta.len() > limit {
        return Err(too_large(&format!("is {} bytes long", meta.len())));
    }
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(&format!("gives more than {limit} bytes")));
    }
    Ok(bytes)
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
