//! `werr lookup QUERY...` (and bare `werr QUERY...`): every match, best first, one line each.

use super::{decode::parse_arg, print, CliError, CmdResult, Global};
use werr_codes::readings;

/// Arguments of `werr lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Values or names to look up.
    #[arg(required = true, allow_negative_numbers = true)]
    pub query: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `werr lookup`. Until the knowledge base lands, a lookup is the one-line decoding of
/// each reading; names cannot be resolved yet and say so.
pub fn run(_global: &Global, args: Args) -> CmdResult {
    let mut out = String::new();
    let mut json_items = Vec::new();
    for query in &args.query {
        let parsed = match parse_arg(query) {
            Ok(p) => p,
            Err(e) if looks_like_name(query) => {
                return Err(CliError::failed(format!(
                    "{query:?}: looking up names needs the knowledge base, which this build does not have yet ({})",
                    e.message
                )))
            }
            Err(e) => return Err(e),
        };
        for value in parsed.readings() {
            for reading in readings(value.value) {
                let mut line = format!("0x{:08X}  {:<8}", value.value, reading.scheme.name());
                for (name, v) in &reading.fields {
                    line.push_str(&format!(" {name}={v}"));
                }
                if let Some(s) = reading.severity_name {
                    line.push_str(&format!("  [{s}]"));
                }
                if let Some(f) = reading.facility_name {
                    line.push_str(&format!("  [{f}]"));
                }
                out.push_str(&line);
                out.push('\n');
                json_items.push(serde_json::json!({"query": query, "value": werr_codes::ValueForms::of(value.value), "reading": reading}));
            }
        }
    }
    if args.json {
        let mut text = serde_json::to_string_pretty(&json_items)
            .map_err(|e| CliError::failed(e.to_string()))?;
        text.push('\n');
        print(&text)?;
    } else {
        print(&out)?;
    }
    Ok(())
}

fn looks_like_name(query: &str) -> bool {
    query
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && query
            .chars()
            .any(|c| c == '_' || c.is_ascii_alphabetic() && !c.is_ascii_hexdigit())
}
