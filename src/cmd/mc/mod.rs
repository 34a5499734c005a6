//! `werr mc [mc.exe options] FILE.mc` and `werr mc --decompile FILE.bin... [-o OUT.mc]`.

mod compile;
mod decompile;

use super::{CliError, CmdResult, Global};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

/// Arguments of `werr mc`, spelled as mc.exe spells them.
#[derive(clap::Args, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    /// The .mc file to compile; with --decompile, the .bin tables to decompile.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Input is ANSI text in the code page given by -C (default 1252).
    #[arg(short = 'a', conflicts_with = "unicode_in")]
    pub ansi_in: bool,
    /// Input is UTF-16 (little-endian unless a byte-order mark says otherwise).
    #[arg(short = 'u')]
    pub unicode_in: bool,
    /// Code page of ANSI input (-a), e.g. 1251, 932, 65001 (as GNU windmc's -C).
    #[arg(
        short = 'C',
        long = "codepage-in",
        value_name = "CODEPAGE",
        default_value_t = 1252
    )]
    pub codepage_in: u16,
    /// Write ANSI message tables (flags 0) in each language's code page.
    #[arg(short = 'A', conflicts_with = "unicode_out")]
    pub ansi_out: bool,
    /// Write UTF-16LE message tables (the default).
    #[arg(short = 'U')]
    pub unicode_out: bool,
    /// Prefix .bin file names with the base name of the input and `_`.
    #[arg(short = 'b')]
    pub bin_prefix: bool,
    /// Set the customer bit (bit 29) in every message value.
    #[arg(short = 'c')]
    pub customer: bool,
    /// Write facility and severity defines in decimal.
    #[arg(short = 'd')]
    pub decimal: bool,
    /// Extension of the header file (default h).
    #[arg(short = 'e', value_name = "EXT", default_value = "h")]
    pub extension: String,
    /// Folder for the header file.
    #[arg(short = 'h', value_name = "DIR")]
    pub header_dir: Option<PathBuf>,
    /// Folder for the .rc and .bin files.
    #[arg(short = 'r', value_name = "DIR")]
    pub rc_dir: Option<PathBuf>,
    /// End each message right after its last line, without a line end.
    #[arg(short = 'n')]
    pub no_final_line_end: bool,
    /// HRESULT header: `#define NAME _HRESULT_TYPEDEF_(0x...L)`.
    #[arg(short = 'o')]
    pub hresult: bool,
    /// Folder for the .dbg file mapping message values to symbolic names.
    #[arg(short = 'x', value_name = "DIR")]
    pub dbg_dir: Option<PathBuf>,
    /// Base name of the output files (default: the input's).
    #[arg(short = 'z', value_name = "NAME")]
    pub base_name: Option<String>,
    /// Say what is written where.
    #[arg(short = 'v')]
    pub verbose: bool,
    /// Warn about messages longer than N characters.
    #[arg(short = 'm', value_name = "N")]
    pub max_length: Option<usize>,
    /// Encoding of the .h and .rc files (`-cp` as in mc.exe): ansi (Windows-1252), utf-8 or
    /// utf-16 (both with a byte-order mark). Default: ansi, or UTF-8 when the text needs it.
    #[arg(long = "cp", value_name = "ENCODING", value_parser = ["ansi", "utf-8", "utf-16"])]
    pub cp: Option<String>,
    /// Line ends in the .h/.rc files and in message texts: crlf (mc.exe) or lf (GNU windmc).
    #[arg(long = "line-endings", value_name = "KIND", default_value = "crlf", value_parser = ["crlf", "lf"])]
    pub line_endings: String,
    /// Decompile message tables (.bin) to an .mc file instead.
    #[arg(long)]
    pub decompile: bool,
    /// With --decompile: the language of an input whose name is not MSGxxxxx.bin.
    #[arg(long = "lang-of", value_name = "FILE=LANGID")]
    pub lang_of: Vec<String>,
    /// With --decompile: where to write the .mc (`-o` is accepted too); default stdout.
    #[arg(long = "output", value_name = "OUT.mc")]
    pub output: Option<PathBuf>,
    /// The largest input file read, in bytes or with K, M, G (the largest .mc files known
    /// are a few MB; memory grows to several times the input).
    #[arg(long = "max-input", value_name = "SIZE", default_value = "32M", value_parser = super::parse_size)]
    pub max_input: u64,
    /// Print help.
    #[arg(long = "help", action = clap::ArgAction::Help)]
    pub help: Option<bool>,
}

/// Rewrites mc.exe spellings clap cannot parse: `-cp X` to `--cp X`, and with `--decompile`,
/// `-o OUT` to `--output OUT`. Other subcommands' arguments are left alone.
pub fn rewrite_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let args: Vec<OsString> = args.into_iter().collect();
    // Find `mc` as the subcommand: the first argument that is neither an option nor the value
    // of the global `--kb FILE`.
    let mut mc_at = None;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if a == "--kb" {
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            if a == "mc" {
                mc_at = Some(i);
            }
            break;
        }
        i += 1;
    }
    let Some(mc_at) = mc_at else {
        return args;
    };
    let decompiling = args[mc_at..].iter().any(|a| a == "--decompile");
    args.into_iter()
        .enumerate()
        .map(|(i, a)| {
            if i <= mc_at {
                a
            } else if a == "-cp" {
                OsString::from("--cp")
            } else if decompiling && a == "-o" {
                OsString::from("--output")
            } else {
                a
            }
        })
        .collect()
}

/// Runs `werr mc`.
pub fn run(_global: &Global, args: Args) -> CmdResult {
    if args.decompile {
        decompile::run(&args)
    } else {
        compile::run(&args)
    }
}

/// Writes one output file, creating its folder; says so under -v.
fn write_file(path: &Path, bytes: &[u8], verbose: bool) -> Result<(), CliError> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            fs::create_dir_all(parent).map_err(|e| {
                CliError::failed(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
    }
    fs::write(path, bytes)
        .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))?;
    if verbose {
        eprintln!("werr mc: wrote {} ({} bytes)", path.display(), bytes.len());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::rewrite_args;
    use std::ffi::OsString;

    fn rewrite(args: &[&str]) -> Vec<String> {
        rewrite_args(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn rewrites_mc_spellings_only_for_the_mc_subcommand() {
        assert_eq!(
            rewrite(&["werr", "--kb", "k.db", "mc", "-cp", "utf-8", "a.mc"]),
            ["werr", "--kb", "k.db", "mc", "--cp", "utf-8", "a.mc"]
        );
        assert_eq!(
            rewrite(&["werr", "mc", "--decompile", "MSG00409.bin", "-o", "x.mc"]),
            [
                "werr",
                "mc",
                "--decompile",
                "MSG00409.bin",
                "--output",
                "x.mc"
            ]
        );
        assert_eq!(
            rewrite(&["werr", "mc", "-o", "a.mc"]),
            ["werr", "mc", "-o", "a.mc"]
        );
        assert_eq!(
            rewrite(&["werr", "lookup", "-cp"]),
            ["werr", "lookup", "-cp"]
        );
    }
}
