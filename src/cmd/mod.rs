//! One module per subcommand; each has an `Args` (clap) and a `run`.

pub mod about;
mod answer;
pub mod decode;
pub mod diff;
pub mod events;
pub mod evtx;
pub mod extract;
mod files;
pub mod format;
pub mod import;
pub mod kb;
pub mod lookup;
pub mod mc;
pub mod providers;
pub mod search;
pub mod serve;
pub mod shell;
pub mod show;
pub mod style;

pub use files::{load, parse_size, read_capped, FileBytes};
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
        other => other.map_err(on_stdout),
    }
}

/// An error met writing standard output, saying so: the system's message names no file
/// (a full disk behind a redirection, `/dev/full`). Its kind is kept, so a closed pipe is
/// still told apart.
pub fn on_stdout(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("writing standard output: {e}"))
}

/// Prints `value` as the `--json` documents are written: indented, with a final newline.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| CliError::failed(e.to_string()))?;
    text.push('\n');
    Ok(print(&text)?)
}

/// Turns a command's result into the process exit status, printing the error if any.
pub fn finish(result: CmdResult) -> ExitCode {
    ExitCode::from(status_code(result))
}

/// Ends the process as [`finish`] would once `main` returns, but without dropping what the
/// calling command still holds: a run's caches (thousands of messages, templates and
/// records, an open KB) take longer to free block by block than the system takes to reclaim
/// them at once.
pub fn exit_now(result: CmdResult) -> ! {
    // Standard output's buffer is not flushed by `exit`.
    let _ = io::stdout().flush();
    std::process::exit(i32::from(status_code(result)))
}

/// The exit status of a command's result, printing the error if any.
fn status_code(result: CmdResult) -> u8 {
    match result {
        Ok(()) => Status::Answered.code(),
        Err(e) => {
            let _ = writeln!(io::stderr(), "werr: {}", e.message);
            e.status.code()
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
