//! `werr evtx FILE... [--format text|json|ecs|timesketch | --format parquet --output DIR]
//! [--lang TAG] [--provider NAME] [--id N] [--windows RELEASE] [--jobs N] [--threads N] [-q]`:
//! every record of event logs with its message text, rendered from the KB's message modules
//! and, for the events no module serves, its event texts of Windows releases. The reading
//! (several logs at once), rendering and output are `werr_evtx::present_logs`' (Parquet:
//! `present_logs_to` a `werr_evtx_parquet::Dataset`); this opens the KB, reports, and draws
//! the progress bar.

use super::kb::open_for_reading;
use super::{CliError, CmdResult, Global};

mod logs;
mod parquet;
mod progress;

use logs::{load_log, log_files, tune_allocator};
use progress::Progress;
use std::path::PathBuf;
use std::sync::Mutex;
use werr_evtx::{
    OutputFormat, PendingCatalog, PresentOptions, ReadOptions, RenderOptions, Renderer, Report,
};

/// Arguments of `werr evtx`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Event log files (.evtx), or folders: their `.evtx` files are read, recursively, in
    /// name order.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub files: Vec<PathBuf>,
    /// How each record is written: a text line, or a JSON line (JSON Lines) of werr's own
    /// shape, the Elastic Common Schema as winlogbeat writes it, or Timesketch's (plaso's
    /// field names); or a Parquet dataset written to `--output`. docs/evtx.md and
    /// docs/schemas/ describe each.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    pub format: Format,
    /// `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// The folder a Parquet dataset is written to (new or empty); `--format parquet` only.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Preferred message language (`de-DE`, `de`, `0x407`); falls back to the same language,
    /// en-US, neutral, any.
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Only records of this provider (repeat for several; letter case ignored).
    #[arg(long, value_name = "NAME")]
    pub provider: Vec<String>,
    /// Only records with this event id (decimal or 0x hex; repeat for several).
    #[arg(long, value_name = "N", value_parser = parse_event_id)]
    pub id: Vec<u16>,
    /// When a record's exact message id is absent but its module has one message with the
    /// same 16-bit event id (other severity or facility), render that one, flagged
    /// `"message_match": "approximate"`.
    #[arg(long)]
    pub approximate: bool,
    /// Threads that read, in all (default: one per core): that many logs at once, one
    /// thread each, or fewer logs with their chunks read side by side; `--jobs 1` reads on
    /// one thread. The output is the same whatever N is.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Threads reading the chunks of each log (default: the jobs divided by the logs read
    /// at once, at least one: every job for a single log, one each when the logs fill the
    /// jobs); given, the logs read at once are the jobs divided by it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// No progress bar and no summary (problems are still reported).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// The Windows release the logs come from (`7`, `2012r2`, `10-1607`: a release name of
    /// the KB's event texts, or its start before a `-`, the newest such): its event texts
    /// are used, else the newest release's (default: the newest release that has the event).
    #[arg(long, value_name = "RELEASE")]
    pub windows: Option<String>,
}

/// The values of `--format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `TIME LEVEL PROVIDER EVENTID MESSAGE`, one line per record.
    Text,
    /// werr's own JSON object per record.
    Json,
    /// Elastic Common Schema documents, as winlogbeat writes them.
    Ecs,
    /// Timesketch events, with plaso's field names.
    Timesketch,
    /// A Parquet dataset in the `--output` folder: one file per log and channel, under
    /// `channel=NAME/`.
    Parquet,
}

impl From<Format> for OutputFormat {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => OutputFormat::Text,
            Format::Json => OutputFormat::Json,
            Format::Ecs => OutputFormat::Ecs,
            Format::Timesketch => OutputFormat::Timesketch,
            // Unused: a dataset's rows go to its sink, not through a line format.
            Format::Parquet => OutputFormat::Json,
        }
    }
}

fn parse_event_id(text: &str) -> Result<u16, String> {
    let t = text.trim();
    let parsed = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16),
        None => t.parse::<u16>(),
    };
    parsed.map_err(|_| {
        format!(
            "{} is not an event id (0..=65535, decimal or 0x hex)",
            werr_quote::quoted(text)
        )
    })
}

/// Runs `werr evtx`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    super::show::lang_request(args.lang.as_deref())?;
    let format = if args.json { Format::Json } else { args.format };
    let mut dataset = parquet::dataset(format, args.output.as_deref())?;
    // A release to render with is checked against the KB's before anything is read (a
    // wrong name is a usage error); the KB opened for it serves the run.
    let mut opened_kb = None;
    let mut release = None;
    if let Some(asked) = &args.windows {
        let kb = open_for_reading(global)?;
        release = Some(
            kb.resolve_release(asked)
                .map_err(|e| CliError::usage(format!("--windows: {e}")))?
                .name,
        );
        opened_kb = Some(kb);
    }
    let opened_kb = Mutex::new(opened_kb);
    tune_allocator();
    // Opened while the first chunks are read (`PendingCatalog`).
    let catalog = PendingCatalog::new(|| {
        let kb = match opened_kb.lock().ok().and_then(|mut kb| kb.take()) {
            Some(kb) => kb,
            None => open_for_reading(global).map_err(|e| e.message)?,
        };
        // The run reads; one snapshot spares SQLite's locking at every lookup.
        kb.read_in_one_transaction().map_err(|e| e.to_string())?;
        Ok(Mutex::new(kb))
    });
    let renderer = Renderer::new(
        &catalog,
        RenderOptions {
            lang: args.lang.clone(),
            approximate: args.approximate,
            release,
        },
    );
    let options = PresentOptions {
        format: format.into(),
        // ECS's `event.created`: when this run read the records.
        created: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
        providers: args.provider.clone(),
        ids: args.id.clone(),
        read: ReadOptions {
            threads: args.threads,
            pin_threads: true,
            ..ReadOptions::default()
        },
        jobs: args.jobs,
    };
    let mut failed = Vec::new();
    let logs = log_files(&args.files, &mut failed);
    let named = logs.len() + failed.len();
    // Each log is loaded by the worker that reads it, while the others read theirs.
    let several = logs.len() > 1;
    let loaded = logs.iter().map(move |path| {
        let name = path.display().to_string();
        (name, werr_evtx::LoadLater(move || load_log(path, several)))
    });
    let mut progress = Progress::new(logs.len() as u64, !args.quiet);
    let report = |report: Report<'_>| match report {
        Report::Problem { file, problem } => progress.say(&format!("werr: {file}: {problem}")),
        Report::Unreadable { file, error } => progress.say(&format!("werr: {file}: {error}")),
        Report::Progress {
            records,
            bytes,
            log_done,
            ..
        } => progress.advance(records, bytes, log_done),
    };
    let stdout = std::io::stdout();
    let presented = match &mut dataset {
        Some(dataset) => {
            werr_evtx::present_logs_to(&catalog, &renderer, &options, loaded, dataset, report)
        }
        None => {
            werr_evtx::present_logs(&catalog, &renderer, &options, loaded, stdout.lock(), report)
        }
    }
    .map_err(|e| match e {
        werr_evtx::PresentError::Catalog(e) => CliError::failed(e.to_string()),
        // A dataset's errors name their file.
        werr_evtx::PresentError::Output(e) if dataset.is_some() => e.into(),
        werr_evtx::PresentError::Output(e) => super::on_stdout(e).into(),
    });
    progress.bar.finish_and_clear();
    // A closed pipe (`werr evtx big.evtx | head`) is the reader's choice: the run ends quietly.
    let Some(run) = presented? else {
        return Ok(());
    };
    if !args.quiet {
        eprintln!("{}", run.tally.summary());
    }
    if let (Some(dataset), Some(output)) = (dataset, &args.output) {
        let files = dataset.finish()?;
        let rows: u64 = files.iter().map(|f| f.rows).sum();
        if !args.quiet {
            eprintln!(
                "werr: wrote {rows} rows in {} Parquet files under {}",
                files.len(),
                output.display()
            );
        }
    }
    failed.extend(run.failed);
    let result = if !failed.is_empty() {
        Err(CliError::failed(format!(
            "{} of {} logs or folders could not be read: {}",
            failed.len(),
            named,
            failed.join(", ")
        )))
    } else if run.tally.problems > 0 {
        // Damage inside a log (a bad chunk, a bad record) is a file's problem: the records
        // that could be read are printed, and the run fails.
        Err(CliError::failed(format!(
            "{} problems in the logs (reported above)",
            run.tally.problems
        )))
    } else {
        Ok(())
    };
    // The renderer's caches and the KB go with the process.
    super::exit_now(result)
}
