//! `werr mc [mc.exe options] FILE.mc` and `werr mc --decompile FILE.bin... [-o OUT.mc]`.

use super::{CliError, CmdResult, Global};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use werr_mc::{
    compile, decode_source_owned, decompile, parse, CompileOptions, HeaderOptions, InputEncoding,
    LineEnding, ParseOptions, SourceTable, TextEncoding,
};
use werr_msgtable::BinTableName;

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

fn line_ending(args: &Args) -> LineEnding {
    if args.line_endings == "lf" {
        LineEnding::Lf
    } else {
        LineEnding::Crlf
    }
}

/// Runs `werr mc`.
pub fn run(_global: &Global, args: Args) -> CmdResult {
    if args.decompile {
        return run_decompile(&args);
    }
    if args.files.len() != 1 {
        return Err(CliError::usage(
            "mc compiles one .mc file at a time; got several (use --decompile for .bin files)",
        ));
    }
    let input = &args.files[0];
    let shown = input.display().to_string();
    let bytes = super::read_capped(input, args.max_input, "--max-input SIZE")?;
    let how = if args.unicode_in {
        InputEncoding::Utf16
    } else if args.ansi_in {
        InputEncoding::Ansi(args.codepage_in)
    } else {
        InputEncoding::Detect
    };
    // Errors in the .mc file are a file's problem (exit status 1), not a usage error.
    let text =
        decode_source_owned(bytes, how).map_err(|d| CliError::failed(d.render(&shown, "error")))?;
    let file = parse(
        &text,
        ParseOptions {
            customer_bit: args.customer,
        },
    )
    .map_err(|d| CliError::failed(d.render(&shown, "error")))?;
    drop(text);
    let base = match &args.base_name {
        Some(b) => b.clone(),
        None => input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "messages".into()),
    };
    let eol = line_ending(&args);
    let options = CompileOptions {
        header: HeaderOptions {
            line_ending: eol,
            hresult: args.hresult,
            decimal: args.decimal,
        },
        text_line_ending: eol,
        ansi_tables: args.ansi_out,
        no_final_line_end: args.no_final_line_end,
        bin_prefix: args.bin_prefix.then(|| base.clone()),
        max_length: args.max_length,
    };
    let compiled = compile(&file, &options)
        .map_err(|e| CliError::failed(e.diagnostic.render(&shown, "error")))?;
    let mut notes: Vec<String> = compiled
        .warnings
        .iter()
        .map(|w| w.render(&shown, "warning"))
        .collect();

    let header_dir = args
        .header_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    let rc_dir = args.rc_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let header_path = header_dir.join(format!("{base}.{}", args.extension));
    let rc_path = rc_dir.join(format!("{base}.rc"));
    let header_bytes = encode_text(
        &compiled.header,
        args.cp.as_deref(),
        &header_path,
        &mut notes,
    )?;
    let rc_bytes = encode_text(&compiled.rc, args.cp.as_deref(), &rc_path, &mut notes)?;
    write_file(&header_path, &header_bytes, args.verbose)?;
    drop(header_bytes);
    write_file(&rc_path, &rc_bytes, args.verbose)?;
    for table in &compiled.tables {
        write_file(
            &rc_dir.join(table_file(&table.file_name)?),
            &table.bytes,
            args.verbose,
        )?;
    }
    if let Some(dir) = &args.dbg_dir {
        let dbg = werr_mc::dbg_file(&file, &base, eol);
        write_file(
            &dir.join(format!("{base}.dbg")),
            dbg.as_bytes(),
            args.verbose,
        )?;
    }
    for note in notes {
        eprintln!("{note}");
    }
    Ok(())
}

/// Encodes header or .rc text as `-cp` asks (werr-mc's rule), noting a fallback to UTF-8.
fn encode_text<'t>(
    text: &'t str,
    cp: Option<&str>,
    path: &Path,
    notes: &mut Vec<String>,
) -> Result<std::borrow::Cow<'t, [u8]>, CliError> {
    let encoding = cp.and_then(TextEncoding::parse).unwrap_or_default();
    let encoded = werr_mc::encode_text(text, encoding).map_err(|e| {
        CliError::usage(format!(
            "{}: {e}; use -cp utf-8 or -cp utf-16",
            path.display()
        ))
    })?;
    if let Some(e) = encoded.fell_back {
        notes.push(format!(
            "{}: warning: {e}; wrote UTF-8 with a byte-order mark instead (choose with -cp)",
            path.display()
        ));
    }
    Ok(encoded.bytes)
}

/// A table's file name as a path inside the -r folder: one plain component, never a folder
/// or an absolute path (the parser already refuses those in LanguageNames; this keeps every
/// table inside the folder whatever made the name).
fn table_file(name: &str) -> Result<&Path, CliError> {
    let path = Path::new(name);
    let mut parts = path.components();
    match (parts.next(), parts.next()) {
        (Some(std::path::Component::Normal(_)), None) => Ok(path),
        _ => Err(CliError::failed(format!(
            "the table file name {} is not a plain file name; expected a base name such as MSG00409.bin",
            werr_quote::quoted(name)
        ))),
    }
}

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

fn run_decompile(args: &Args) -> CmdResult {
    let mut sources = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let langid = langid_of(path, &args.lang_of)?;
        let bytes = super::read_capped(path, args.max_input, "--max-input SIZE")?;
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
        None => super::print(&decompiled.text)?,
    }
    if !decompiled.flags.is_empty() {
        eprintln!(
            "werr mc: compile the result with: werr mc {} FILE.mc",
            decompiled.flags.join(" ")
        );
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
