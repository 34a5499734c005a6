//! `werr mc --decompile FILE.bin...`: message tables back to an .mc file.

use super::{write_file, Args};
use crate::cmd::{CliError, CmdResult};
use std::path::Path;
use werr_mc::{decompile, SourceTable};
use werr_msgtable::BinTableName;

/// The language of a table file: from `--lang-of FILE=LANGID`, or a `[PREFIX_]MSGxxxxx.bin`
/// name (as `-b` writes it).
fn langid_of(path: &Path, lang_of: &[String]) -> Result<u16, CliError> {
    let shown = path.display().to_string();
    for pair in lang_of {
        let Some((file, id)) = pair.rsplit_once('=') else {
            return Err(CliError::usage(format!(
                "--lang-of {pair}: expected FILE=LANGID, e.g. tables.bin=0x407"
            )));
        };
        if Path::new(file) == path || file == shown {
            return parse_langid(id).ok_or_else(|| {
                CliError::usage(format!(
                    "--lang-of {pair}: {id} is not a 16-bit language id"
                ))
            });
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match BinTableName::parse(&name) {
        Some(bin) => Ok(bin.langid),
        None => Err(CliError::usage(format!(
            "{shown}: cannot tell its language from the name; expected [PREFIX_]MSGxxxxx.bin or --lang-of {shown}=0x409"
        ))),
    }
}

fn parse_langid(text: &str) -> Option<u16> {
    let t = text.trim();
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16).ok(),
        None => t.parse().ok(),
    }
}

/// Decompiles the tables of `args` to one .mc text.
pub(super) fn run(args: &Args) -> CmdResult {
    let mut sources = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let langid = langid_of(path, &args.lang_of)?;
        let bytes = crate::cmd::read_capped(path, args.max_input, "--max-input SIZE")?;
        sources.push(SourceTable { langid, bytes });
    }
    let decompiled = decompile(&sources).map_err(|e| {
        CliError::failed(match e.table.and_then(|i| args.files.get(i)) {
            Some(path) => format!("{}: {e}", path.display()),
            None => e.to_string(),
        })
    })?;
    match &args.output {
        Some(path) => write_file(path, decompiled.text.as_bytes(), args.verbose)?,
        None => crate::cmd::print(&decompiled.text)?,
    }
    if !decompiled.flags.is_empty() {
        eprintln!(
            "werr mc: compile the result with: werr mc {} FILE.mc",
            decompiled.flags.join(" ")
        );
    }
    Ok(())
}
