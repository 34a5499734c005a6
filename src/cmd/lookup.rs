//! `werr lookup QUERY...` (and bare `werr QUERY...`): every match, best first, one line each.

use super::kb::{kb_error, match_line, open_for_reading, unnamed_text};
use super::{print, CliError, CmdResult, Global, Problems, Status};
use serde_json::json;
use werr_codes::parse_value;
use werr_kb::MatchReason;

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
    /// Also list plain constants (no code layout) that happen to have the value.
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
    let langs = match &args.lang {
        Some(tag) => super::show::parse_lang(tag)?,
        None => Vec::new(),
    };
    let mut out = String::new();
    let mut docs = Vec::new();
    let mut problems = Problems::default();
    let mut unanswered = Vec::new();
    for (i, query) in args.query.iter().enumerate() {
        let mut matches = kb.lookup(query, args.limit).map_err(kb_error)?;
        // A value's plain constants (an enum member that happens to be 5) hide behind its codes.
        let mut hidden = 0;
        if !args.all && matches.iter().any(|m| m.scheme.is_some()) {
            let before = matches.len();
            matches.retain(|m| m.scheme.is_some() || matches!(m.reason, MatchReason::Name { .. }));
            hidden = before - matches.len();
        }
        kb.describe_from_messages(&mut matches, &langs)
            .map_err(kb_error)?;
        let parsed = parse_value(query);
        let named_value = matches
            .iter()
            .any(|m| matches!(m.reason, MatchReason::Value { .. }));
        let unnamed = match (&parsed, named_value) {
            (Ok(p), false) => Some(kb.unnamed(p.primary().value).map_err(kb_error)?),
            _ => None,
        };
        if matches.is_empty() && unnamed.is_none() {
            let (status, hint) = match &parsed {
                // Written as a number: a value that cannot be read, not an unknown name.
                Err(e) if e.is_malformed_number() => (Status::Usage, e.to_string()),
                Err(_) => (
                    Status::Failed,
                    format!(
                        "{query:?}: no name matches; it is not a value either ({})",
                        werr_codes::ACCEPTED_FORMS
                    ),
                ),
                Ok(_) => (Status::Failed, format!("{query:?}: nothing found")),
            };
            if args.query.len() == 1 {
                return Err(CliError::new(status, hint));
            }
            out.push_str(&format!("{hint}\n"));
            problems.add(status);
            unanswered.push(query.as_str());
        }
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
        if let Some(u) = &unnamed {
            out.push_str(&unnamed_text(u));
        }
        for m in &matches {
            out.push_str(&match_line(m));
        }
        if hidden > 0 {
            out.push_str(&format!(
                "({hidden} plain constants with this value not shown; --all lists them)\n"
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
    problems.result(|n| {
        format!(
            "{n} of {} queries not answered: {}",
            args.query.len(),
            unanswered.join(", ")
        )
    })
}
