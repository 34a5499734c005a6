//! `werr lookup QUERY...` (and bare `werr QUERY...`): every match, best first, one line each.

use super::kb::{answer_line, kb_error, match_line, open_for_reading, unnamed_text};
use super::{print, CliError, CmdResult, Global};
use serde_json::json;
use werr_codes::parse_value;
use werr_kb::{Match, MatchReason};

/// Arguments of `werr lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Values or names to look up: 0x80070005, -2147024891, 5, E_ACCESSDENIED, ACCESS_DEN...
    #[arg(required = true, allow_negative_numbers = true)]
    pub query: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Texts in this language (en-US, de, 0x407...), from the KB's message tables.
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// List every name with the value or converting to it, not only the answer (Windows'
    /// own name for the value and its text), plain constants with no code layout included.
    #[arg(long)]
    pub all: bool,
    /// At most this many lines per query.
    #[arg(long, default_value_t = 40)]
    pub limit: usize,
}

/// Runs `werr lookup`: names for values (with the codes they convert to and from) and for
/// names; a value no source names gets its readings, enclosing group and neighbours.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    let request = super::show::lang_request(args.lang.as_deref())?;
    let mut out = String::new();
    let mut docs = Vec::new();
    let mut found_any = false;
    for (i, query) in args.query.iter().enumerate() {
        let mut matches = kb.lookup(query, args.limit).map_err(kb_error)?;
        kb.describe_from_messages(&mut matches, &request)
            .map_err(kb_error)?;
        let parsed = parse_value(query).ok();
        let named_value = matches
            .iter()
            .any(|m| matches!(m.reason, MatchReason::Value { .. }));
        let unnamed = match (&parsed, named_value) {
            (Some(p), false) => Some(kb.unnamed(p.primary().value).map_err(kb_error)?),
            _ => None,
        };
        if matches.is_empty() && unnamed.is_none() {
            let hint = if parsed.is_none() {
                format!(
                    "{query:?}: no name matches; it is not a value either ({})",
                    werr_codes::ACCEPTED_FORMS
                )
            } else {
                format!("{query:?}: nothing found")
            };
            if args.query.len() == 1 {
                return Err(CliError::failed(hint));
            }
            out.push_str(&format!("{hint}\n"));
        }
        found_any |= !matches.is_empty() || unnamed.is_some();
        if args.json {
            docs.push(json!({"query": query, "matches": matches, "unnamed": unnamed}));
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        if args.query.len() > 1 {
            out.push_str(&format!("{query}:\n"));
        }
        // The answer first; then what is known of a value no name has; then the other
        // names, folded unless --all.
        let (lead, others): (Vec<&Match>, Vec<&Match>) = matches.iter().partition(|m| m.lead);
        for m in &lead {
            out.push_str(&answer_line(m));
        }
        if let Some(u) = &unnamed {
            out.push_str(&unnamed_text(u));
        }
        if args.all {
            for m in &others {
                out.push_str(&match_line(m));
            }
        } else if !others.is_empty() {
            out.push_str(&format!(
                "+{} other names with this value or converting to it: werr lookup --all {query}\n",
                others.len()
            ));
        }
    }
    if args.json {
        let mut text =
            serde_json::to_string_pretty(&docs).map_err(|e| CliError::failed(e.to_string()))?;
        text.push('\n');
        print(&text)?;
    } else {
        print(&out)?;
    }
    if found_any {
        Ok(())
    } else {
        Err(CliError::failed("nothing found"))
    }
}
