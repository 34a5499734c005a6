//! `werr extract FILE... [--json] [--lang TAG] [--bin-dir DIR]`: the message tables of PE
//! modules, `.mui`, `.res` and `.bin` files, one line (or JSON object) per message.

mod module;
mod print;

use super::{CliError, CmdResult, Global, Problems};
use module::{extract_one, Options};
use print::Printer;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use werr_msgtable::{BinTableName, CodePage};

/// Arguments of `werr extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// PE modules (.dll .exe .sys .mui...), .res or .bin files, or folders (walked recursively).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print JSON Lines: one object per message.
    #[arg(long)]
    pub json: bool,
    /// Only this language per table (tag like de or en-US, or id like 0x407), falling back
    /// to the same language, en-US, neutral, then any (noted on stderr).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Also write each table's exact bytes as DIR/MSG<langid, 5 hex digits>.bin (with more
    /// than one input file, under DIR/<file name>/).
    #[arg(long, value_name = "DIR")]
    pub bin_dir: Option<PathBuf>,
    /// Decode ANSI (flags 0) messages in this Windows code page (e.g. 1252, 932) instead of
    /// the one of each table's language.
    #[arg(long, value_name = "CP")]
    pub code_page: Option<u16>,
}

/// One module to extract: a file, or the `.bin` tables of one folder and prefix.
pub(super) struct Input {
    /// The files of one module: one file, or a folder's `[PREFIX_]MSGxxxxx.bin` tables of
    /// one prefix (mc writes one file per language; together they are one module's table).
    pub paths: Vec<PathBuf>,
    /// The index of the command-line path it comes from.
    pub root: usize,
    /// Named on the command line (not found by walking a folder): a file that is no
    /// container is then an error rather than skipped.
    pub explicit: bool,
}

/// Runs `werr extract`.
pub fn run(_global: &Global, args: Args) -> CmdResult {
    let wanted = super::show::lang_request(args.lang.as_deref())?;
    let mut failures = Vec::new();
    // Per command-line path: tables found, and whether a failure was reported for it.
    let mut tables_found = vec![0_usize; args.files.len()];
    let mut reported = vec![false; args.files.len()];
    // Defects inside files that were still read (warnings): the run fails after printing.
    let mut problems = Problems::default();
    let inputs = collect_inputs(&args.files, &mut failures, &mut reported);
    let per_module_dirs = inputs.len() > 1;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut printer = Printer {
        out: &mut out,
        json: args.json,
    };
    let options = Options {
        wanted,
        bin_dir: args.bin_dir.as_deref(),
        per_module_dirs,
        code_page: args.code_page.map(CodePage),
    };
    for input in &inputs {
        let result = extract_one(input, &options, &mut printer, &mut problems);
        match result {
            Ok(tables) => tables_found[input.root] += tables,
            Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
            Err(Failure::Output(e)) => return Err(super::on_stdout(e).into()),
            Err(Failure::Input(message)) => {
                failures.push(message);
                reported[input.root] = true;
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(super::on_stdout)?,
    }
    // A path asked for that holds no message table is something not found.
    for (root, path) in args.files.iter().enumerate() {
        if tables_found[root] == 0 && !reported[root] {
            failures.push(format!("{}: no message table here", path.display()));
        }
    }
    if !failures.is_empty() {
        return Err(CliError::failed(failures.join("\nwerr: ")));
    }
    problems.result(|n| format!("{n} problems in the message tables (reported above)"))
}

/// Why a module was not extracted.
pub(super) enum Failure {
    /// Writing the output failed.
    Output(io::Error),
    /// This input could not be read; the others go on.
    Input(String),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

fn collect_inputs(
    paths: &[PathBuf],
    failures: &mut Vec<String>,
    reported: &mut [bool],
) -> Vec<Input> {
    let mut inputs: Vec<Input> = Vec::new();
    for (root, path) in paths.iter().enumerate() {
        if path.is_dir() {
            // The tables of one folder and prefix, by (folder, prefix): one module.
            let mut modules: Vec<(PathBuf, Option<String>, usize)> = Vec::new();
            let walk = walkdir::WalkDir::new(path).sort_by_file_name();
            for entry in walk {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let file = e.into_path();
                        let bin = file
                            .file_name()
                            .and_then(|n| BinTableName::parse(&n.to_string_lossy()));
                        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
                        let Some(bin) = bin else {
                            inputs.push(Input {
                                paths: vec![file],
                                root,
                                explicit: false,
                            });
                            continue;
                        };
                        let known = modules
                            .iter()
                            .find(|(f, p, _)| *f == folder && *p == bin.prefix);
                        match known {
                            Some(&(_, _, at)) => inputs[at].paths.push(file),
                            None => {
                                modules.push((folder, bin.prefix, inputs.len()));
                                inputs.push(Input {
                                    paths: vec![file],
                                    root,
                                    explicit: false,
                                });
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        failures.push(format!("{}: {e}", path.display()));
                        reported[root] = true;
                    }
                }
            }
        } else {
            inputs.push(Input {
                paths: vec![path.clone()],
                root,
                explicit: true,
            });
        }
    }
    inputs
}
