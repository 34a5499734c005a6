//! `werr import PATH... [--source NAME] [--version V]`: header trees, windows-sys modules,
//! Microsoft Learn pages (`.md`), `.mc` files, message tables (PE modules, `.mui`, `.res`,
//! `MSGxxxxx.bin`) and WELM event message databases into a KB file, in one transaction, with a
//! progress bar on a terminal (quiet otherwise). Each message is stored with its module (file
//! name), LANGID and the source (kit, version); each event text with its provider, event id
//! and releases.

use super::kb::kb_error;
use super::{print, CliError, CmdResult, Global, Problems, Status};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use werr_kb::{
    HeaderFilter, HeaderImporter, Importer, Kb, NoProgress, Progress, SourceRow, WelmImporter,
    WindowsSysImporter,
};

/// Arguments of `werr import`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to import: C headers, windows-sys `src/Windows/**/mod.rs`, Microsoft
    /// Learn pages (Markdown with DocFX front matter), .mc files, PE modules and .res files
    /// with message tables, `MSGxxxxx.bin` tables, and WELM event message databases
    /// (`windows_10_1703_enterprise_x64_10.0.15063.0.db`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The kit the files belong to (default: the first path's name).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// The kit's version (default: `unversioned`). Importing a kit and version again
    /// replaces it.
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
    /// Where the files come from, for the record (default: their paths).
    #[arg(long, value_name = "TEXT")]
    pub origin: Option<String>,
    /// Their license, for the record.
    #[arg(long, value_name = "TEXT", default_value = "unknown")]
    pub license: String,
    /// Keep every #define of every header, not only codes.
    #[arg(long)]
    pub all_defines: bool,
    /// Register the imported message modules (.mc files, DLLs) for this event-log provider,
    /// as its event messages (repeat for several providers). `werr evtx` renders with them.
    #[arg(long, value_name = "NAME")]
    pub provider: Vec<String>,
    /// With --provider: the modules hold the provider's %%NNNN parameter messages
    /// (ParameterMessageFile), not its event messages.
    #[arg(long, requires = "provider")]
    pub parameter_file: bool,
    /// The Windows release the WELM databases imported belong to (`10-1703`, `2012r2-u`);
    /// default: each file's name gives it (docs in `crates/kb/src/welm.rs`).
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,
    /// How many seconds to wait for another import into the same KB file to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = werr_kb::DEFAULT_WRITE_WAIT.as_secs())]
    pub wait: u64,
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, files: u64) {
        self.0.set_length(files);
    }
    fn advance(&self) {
        self.0.inc(1);
    }
    fn storing(&self) {
        self.0.set_message("storing");
    }
}

/// Runs `werr import`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let Some(kb_path) = &global.kb else {
        return Err(CliError::usage(
            "import writes to a KB file: pass --kb FILE (or set WERR_KB); a missing file is created from the default KB",
        ));
    };
    let kit = match &args.source {
        Some(s) => s.clone(),
        None => args.paths[0]
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "local".to_string()),
    };
    let source = SourceRow {
        kit,
        version: args.version.clone().unwrap_or_else(|| "unversioned".into()),
        origin: args.origin.clone().unwrap_or_else(|| {
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        }),
        license: args.license.clone(),
    };
    if let Some(name) = &args.release {
        werr_kb::welm::check_release_name(name)
            .map_err(|e| CliError::usage(format!("--release {e}")))?;
    }
    let mut kb = Kb::open_or_create(kb_path).map_err(kb_error)?;
    kb.set_write_wait(std::time::Duration::from_secs(args.wait));
    let headers = HeaderImporter {
        filter: if args.all_defines {
            HeaderFilter::All
        } else {
            HeaderFilter::Codes
        },
    };
    let windows_sys = WindowsSysImporter {
        known_names: kb.symbol_names().map_err(kb_error)?,
    };
    let msdocs = werr_kb::MsdocsImporter::new("", kb.symbol_values().map_err(kb_error)?);
    let welm = WelmImporter {
        release: args.release.clone(),
    };
    let importers: [&dyn Importer; 8] = [
        &headers,
        &windows_sys,
        &msdocs,
        &werr_kb::ErrefImporter,
        &werr_kb::McImporter,
        &werr_kb::MessageTableImporter,
        &werr_kb::BinTableImporter,
        &welm,
    ];
    let summary = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_bar} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let bar = Bar(bar);
        let s = kb.import_paths(&source, &args.paths, &importers, &bar);
        bar.0.finish_and_clear();
        s
    } else {
        kb.import_paths(&source, &args.paths, &importers, &NoProgress)
    }
    .map_err(kb_error)?;
    let mut problems = Problems::default();
    for issue in &summary.issues {
        eprintln!("werr: warning: {issue}");
        problems.add(Status::Failed);
    }
    if summary.files == 0 {
        return Err(CliError::failed(format!(
            "nothing was imported into {} from {}: no file gave a code definition or a message \
             text ({} files of no kind werr imports, {} problems); werr imports C headers, \
             windows-sys modules, .mc files and message tables, and --all-defines keeps every \
             #define",
            kb_path.display(),
            source.origin,
            summary.ignored_files,
            summary.issues.len()
        )));
    }
    super::providers::register_providers(&mut kb, &summary, &args.provider, args.parameter_file)?;
    print(&format!(
        "imported {} {} into {}: {} files, {} definitions, {} messages{}{}{}\n",
        summary.kit,
        summary.version,
        kb_path.display(),
        summary.files,
        summary.definitions,
        summary.messages,
        if summary.manifest_events > 0 {
            format!(", {} event manifest entries", summary.manifest_events)
        } else {
            String::new()
        },
        if summary.events > 0 {
            format!(
                ", {} event texts of {} Windows releases",
                summary.events, summary.releases
            )
        } else {
            String::new()
        },
        if summary.issues.is_empty() {
            String::new()
        } else {
            format!("; {} problems reported above", summary.issues.len())
        }
    ))?;
    problems.result(|n| format!("{n} files or lines of the import had problems (reported above)"))
}
