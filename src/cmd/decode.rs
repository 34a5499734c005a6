//! `werr decode VALUE [--as SCHEME] [--json]`: a value under every code layout.

use super::{print, print_json, CliError, CmdResult, Global};
use werr_codes::{parse_value, Decoding, ParsedValue, Reading, Scheme, ValueForms};

/// Arguments of `werr decode`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The value: 0x80001083, 80001083, -2147479421, 2147487875, 4227, 0x1083L...
    #[arg(allow_negative_numbers = true)]
    pub value: String,
    /// Show only this reading.
    #[arg(long = "as", value_name = "SCHEME", value_parser = parse_scheme)]
    pub scheme: Option<Scheme>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_scheme(s: &str) -> Result<Scheme, String> {
    Scheme::from_name(s).ok_or_else(|| {
        format!(
            "unknown scheme {}; expected one of win32, hresult, ntstatus, message, event",
            werr_quote::quoted(s)
        )
    })
}

/// Parses a value argument, mapping a parse failure to exit status 2.
pub fn parse_arg(text: &str) -> Result<ParsedValue, CliError> {
    parse_value(text).map_err(|e| CliError::usage(e.to_string()))
}

/// Runs `werr decode`.
pub fn run(_global: &Global, args: Args) -> CmdResult {
    let parsed = parse_arg(&args.value)?;
    let decoding = Decoding::new(&args.value, &parsed, args.scheme);
    if args.json {
        print_json(&decoding)?;
        return Ok(());
    }
    let primary = parsed.primary();
    let shown = &decoding.readings;
    let alternatives: Vec<_> = parsed.readings()[1..].to_vec();
    let forms = ValueForms::of(primary.value);
    let mut out = format!(
        "{}  signed {}  unsigned {}  (read as {})\n",
        forms.hex,
        forms.signed,
        forms.unsigned,
        primary.form.describe()
    );
    for alt in &alternatives {
        out.push_str(&format!(
            "  also reads as {} 0x{:08X} = {}: run `werr decode 0x{:X}` for it\n",
            alt.form.describe(),
            alt.value,
            alt.value,
            alt.value
        ));
    }
    for (i, reading) in shown.iter().enumerate() {
        out.push('\n');
        out.push_str(&describe_reading(reading, i == 0 && shown.len() > 1));
    }
    print(&out)?;
    Ok(())
}

/// A reading as text: title, bit box with legend, related codes and notes.
pub fn describe_reading(reading: &Reading, most_plausible: bool) -> String {
    let mut out = format!(
        "{}{}\n",
        reading.scheme.title(),
        if most_plausible {
            "  (most plausible)"
        } else {
            ""
        }
    );
    out.push_str(&reading.bit_box());
    for r in &reading.related {
        out.push_str(&format!(
            "  related: {} -> {} 0x{:08X}\n",
            r.relation,
            r.scheme.name(),
            r.value
        ));
    }
    for note in &reading.notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}
