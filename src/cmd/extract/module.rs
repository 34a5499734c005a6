//! One module's tables: read, chosen by language, written with `--bin-dir`, printed.

use super::print::Printer;
use super::{Failure, Input};
use crate::cmd::{Problems, Status};
use std::io::{self, Write};
use std::path::Path;
use werr_kb::lang::LangRequest;
use werr_msgtable::{lang, BinTableName, CodePage, TableResource};

/// What every module of a run is extracted with.
pub(super) struct Options<'a> {
    pub wanted: LangRequest,
    pub bin_dir: Option<&'a Path>,
    pub per_module_dirs: bool,
    pub code_page: Option<CodePage>,
}

/// Prints the message tables of one module (a file, or a folder's `.bin` tables of one
/// prefix); returns how many it printed.
pub(super) fn extract_one(
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
        match crate::cmd::load(path, false) {
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
    let at =
        |path: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    std::fs::create_dir_all(&dir).map_err(|e| at(&dir, e))?;
    let path = dir.join(BinTableName::of_table(table).to_string());
    std::fs::write(&path, table.data).map_err(|e| at(&path, e))
}

/// Reports a defect of a file that is still read; it fails the run once all is printed.
fn warn(problems: &mut Problems, message: &str) {
    let _ = writeln!(io::stderr(), "werr: warning: {message}");
    problems.add(Status::Failed);
}
