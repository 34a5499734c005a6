//! `werr mc FILE.mc`: compiling, and writing what the compiler made.

use super::{write_file, Args};
use crate::cmd::{CliError, CmdResult};
use std::path::{Path, PathBuf};
use werr_mc::{
    compile, decode_source_owned, parse, CompileOptions, HeaderOptions, InputEncoding, LineEnding,
    ParseOptions, TextEncoding,
};

fn line_ending(args: &Args) -> LineEnding {
    if args.line_endings == "lf" {
        LineEnding::Lf
    } else {
        LineEnding::Crlf
    }
}

/// Compiles the one .mc file of `args`: header, .rc, tables and (with -x) the .dbg file.
pub(super) fn run(args: &Args) -> CmdResult {
    if args.files.len() != 1 {
        return Err(CliError::usage(
            "mc compiles one .mc file at a time; got several (use --decompile for .bin files)",
        ));
    }
    let input = &args.files[0];
    let shown = input.display().to_string();
    let bytes = crate::cmd::read_capped(input, args.max_input, "--max-input SIZE")?;
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
    let eol = line_ending(args);
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
