//! `werr extract FILE... [--json] [--lang TAG] [--bin-dir DIR]`: the message tables of PE
//! modules, `.mui`, `.res` and `.bin` files, one line (or JSON object) per message.

use super::{CliError, CmdResult, Global, Problems, Status};
use serde::Serialize;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use werr_kb::lang::LangRequest;
use werr_msgtable::{lang, BinTableName, CodePage, ResourceName, TableResource};

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

/// One message of `--json` output.
#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    module: &'a str,
    resource: String,
    langid: u16,
    lang: &'a str,
    id: u32,
    id_hex: String,
    /// The symbol name; null until the knowledge base can supply it.
    name: Option<&'a str>,
    text: &'a str,
    encoding: &'static str,
}

struct Input {
    /// The files of one module: one file, or a folder's `[PREFIX_]MSGxxxxx.bin` tables of
    /// one prefix (mc writes one file per language; together they are one module's table).
    paths: Vec<PathBuf>,
    /// The index of the command-line path it comes from.
    root: usize,
    /// Named on the command line (not found by walking a folder): a file that is no
    /// container is then an error rather than skipped.
    explicit: bool,
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
            Err(Failure::Output(e)) => return Err(e.into()),
            Err(Failure::Input(message)) => {
                failures.push(message);
                reported[input.root] = true;
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        other => other?,
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

enum Failure {
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

struct Options<'a> {
    wanted: LangRequest,
    bin_dir: Option<&'a Path>,
    per_module_dirs: bool,
    code_page: Option<CodePage>,
}

/// Prints the message tables of one module (a file, or a folder's `.bin` tables of one
/// prefix); returns how many it printed.
fn extract_one(
    input: &Input,
    options: &Options<'_>,
    printer: &mut Printer<'_>,
    problems: &mut Problems,
) -> Result<usize, Failure> {
    let grouped = input.paths.len() > 1;
    let shown_of = |path: &Path| path.display().to_string();
    let name_of = |path: &Path| {
        path.file_name()
            .map_or_else(|| shown_of(path), |n| n.to_string_lossy().into_owned())
    };
    // A module of several .bin files is named after its folder (and prefix).
    let (module, shown_module) = match (grouped, input.paths.first()) {
        (true, Some(first)) => {
            let folder = first.parent().unwrap_or(Path::new("."));
            let prefix = BinTableName::parse(&name_of(first)).and_then(|b| b.prefix);
            let module = match &prefix {
                Some(p) => format!("{}/{p}", name_of(folder)),
                None => name_of(folder),
            };
            let shown = match &prefix {
                Some(p) => format!("{}/{p}_MSG*.bin", shown_of(folder)),
                None => format!("{}/MSG*.bin", shown_of(folder)),
            };
            (module, shown)
        }
        (_, Some(only)) => (name_of(only), shown_of(only)),
        (_, None) => return Ok(0),
    };
    let mut loaded = Vec::new();
    for path in &input.paths {
        let shown = shown_of(path);
        match super::load(path, false) {
            Ok(bytes) => loaded.push((shown, BinTableName::parse(&name_of(path)), bytes)),
            // One table of several that cannot be read: the others are still printed.
            Err(e) if grouped => warn(problems, &format!("{shown}: {e}")),
            Err(e) => return Err(Failure::Input(format!("{shown}: {e}"))),
        }
    }
    // Every table of the module, with the file it is in.
    let mut tables: Vec<TableResource<'_>> = Vec::new();
    let mut files: Vec<&str> = Vec::new();
    for (shown, bin, bytes) in &loaded {
        // In a folder walk, only files that announce themselves: PE/.res magic, or MSGxxxxx.bin.
        if !input.explicit && werr_msgtable::detect(bytes).is_none() && bin.is_none() {
            continue;
        }
        let found = match werr_msgtable::extract(bytes, bin.as_ref().map_or(0, |b| b.langid)) {
            Ok(found) => found,
            // Found by a walk: it looked like a container, so say why it is skipped.
            Err(e) if !input.explicit => {
                warn(problems, &format!("{shown}: skipped: {e}"));
                continue;
            }
            Err(e) => return Err(Failure::Input(format!("{shown}: {e}"))),
        };
        for problem in &found.problems {
            warn(problems, &format!("{shown}: {problem}"));
        }
        files.extend(found.tables.iter().map(|_| shown.as_str()));
        tables.extend(found.tables);
    }
    let chosen = werr_msgtable::choose_tables(&tables, &options.wanted);
    for c in &chosen {
        let (table, shown) = (&tables[c.index], files[c.index]);
        if let Some(note) = c.choice.as_ref().and_then(|c| c.fallback_note()) {
            // A note, not a problem: the best language there is was shown.
            let _ = writeln!(
                io::stderr(),
                "werr: {shown_module}: table {}: {note}",
                table.name
            );
        }
        if let Some(dir) = options.bin_dir {
            write_bin(
                dir,
                options.per_module_dirs.then_some(module.as_str()),
                table,
            )
            .map_err(|e| Failure::Input(format!("{shown}: --bin-dir: {e}")))?;
        }
        let where_ = format!(
            "{shown}: table {} language 0x{:04X}",
            table.name, table.langid
        );
        let parsed = match werr_msgtable::read(table.data) {
            Ok(t) => t,
            Err(_) => {
                let (t, defects) = werr_msgtable::read_lenient(table.data);
                for d in defects {
                    warn(problems, &format!("{where_}: {d}"));
                }
                t
            }
        };
        let tag = lang::tag_of(table.langid);
        let code_page = options
            .code_page
            .unwrap_or_else(|| lang::ansi_code_page(table.langid));
        for entry in &parsed.entries {
            let text = entry.text(code_page);
            printer.message(shown, &module, table, &tag, entry.id, &text, entry.encoding)?;
        }
    }
    Ok(chosen.len())
}

fn write_bin(dir: &Path, module: Option<&str>, table: &TableResource<'_>) -> io::Result<()> {
    let mut dir = dir.to_path_buf();
    if let Some(module) = module {
        dir.push(module);
    }
    std::fs::create_dir_all(&dir)?;
    let name = BinTableName::of_table(table);
    std::fs::write(dir.join(name.to_string()), table.data)
}

/// Reports a defect of a file that is still read; it fails the run once all is printed.
fn warn(problems: &mut Problems, message: &str) {
    let _ = writeln!(io::stderr(), "werr: warning: {message}");
    problems.add(Status::Failed);
}

struct Printer<'w> {
    out: &'w mut dyn Write,
    json: bool,
}

impl Printer<'_> {
    #[allow(clippy::too_many_arguments)]
    fn message(
        &mut self,
        file: &str,
        module: &str,
        table: &TableResource<'_>,
        tag: &str,
        id: u32,
        text: &str,
        encoding: werr_msgtable::Encoding,
    ) -> io::Result<()> {
        if self.json {
            let line = JsonLine {
                file,
                module,
                resource: table.name.to_string(),
                langid: table.langid,
                lang: tag,
                id,
                id_hex: format!("0x{id:08X}"),
                name: None,
                text,
                encoding: encoding.name(),
            };
            serde_json::to_writer(&mut *self.out, &line).map_err(|e| match e.io_error_kind() {
                Some(kind) => io::Error::from(kind),
                None => io::Error::other(e),
            })?;
            self.out.write_all(b"\n")
        } else {
            let resource = match &table.name {
                ResourceName::Id(1) => String::new(),
                other => format!("[{other}] "),
            };
            writeln!(
                self.out,
                "{file}  {resource}{tag} (0x{:04X})  0x{id:08X}  {}",
                table.langid,
                one_line(text)
            )
        }
    }
}

/// The text on one line: final line breaks dropped, inner ones shown as `\n`.
fn one_line(text: &str) -> String {
    text.trim_end_matches(['\r', '\n'])
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}
