//! `werr lookup QUERY...` (and bare `werr QUERY...`): every match, best first, one line each.

use super::kb::{
    derived_answer_line, hit_json, hit_lines, kb_error, match_row, open_for_reading, unnamed_text,
};
use super::style::{self, Columns};
use super::{print, CliError, CmdResult, Global, Problems, Status};
use serde_json::json;
use werr_codes::parse_value;
use werr_kb::{Match, MatchReason};

/// Arguments of `werr lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Values or names to look up: 0x80070005, -2147024891, 5, E_ACCESSDENIED, ACCESS_DEN...;
    /// or pasted text (`Error 0x80070005`, `hr=0x80070005`, `error code 1603`), whose values
    /// are looked up, or whose words are searched for as a phrase (`access denied`). `-`, or
    /// none with a pipe on standard input: one query per line of standard input.
    #[arg(allow_negative_numbers = true)]
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
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    pub limit: usize,
}

impl Default for Args {
    /// What `werr` with no word means: the queries of standard input, as `werr lookup` reads them.
    fn default() -> Args {
        Args {
            query: Vec::new(),
            json: false,
            lang: None,
            all: false,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// The most lines per query unless `--limit` says otherwise.
const DEFAULT_LIMIT: usize = 40;

/// Runs `werr lookup`: names for values (with the codes they convert to and from) and for
/// names; a value no source names gets its readings, enclosing group and neighbours.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    let request = super::show::lang_request(args.lang.as_deref())?;
    // One PROVIDER/ID word is an event, as `werr show` reads it.
    if let [word] = args.query.as_slice() {
        if let Some((provider, event_id)) = werr_evtx::parse_event_ref(word) {
            return super::events::show(&kb, word, provider, event_id, args.json);
        }
    }
    let mut out = String::new();
    let mut docs = Vec::new();
    let mut problems = Problems::default();
    let mut unanswered = Vec::new();
    let queries = queries(&args.query)?;
    let several = queries.len() > 1;
    for (i, query) in queries.iter().enumerate() {
        let query = match query {
            Query::Lookup(query) => query,
            Query::Phrase(phrase) => {
                let hits = kb.search(phrase, &request, args.limit).map_err(kb_error)?;
                if hits.is_empty() {
                    let hint = format!(
                        "{}: no name, comment or message has these words",
                        werr_quote::quoted(phrase)
                    );
                    if !several {
                        return Err(CliError::failed(hint));
                    }
                    out.push_str(&format!("{hint}\n"));
                    problems.add(Status::Failed);
                    unanswered.push(phrase.as_str());
                }
                if args.json {
                    let hits: Vec<_> = hits.iter().map(hit_json).collect();
                    docs.push(json!({"query": phrase, "phrase": true, "hits": hits}));
                    continue;
                }
                if i > 0 {
                    out.push('\n');
                }
                if several {
                    out.push_str(&format!("{phrase}:\n"));
                }
                out.push_str(&hit_lines(&hits));
                continue;
            }
        };
        let mut matches = kb.lookup(query, args.limit).map_err(kb_error)?;
        kb.describe_from_messages(&mut matches, &request)
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
                        "{}: no name matches; it is not a value either ({})",
                        werr_quote::quoted(query),
                        werr_codes::ACCEPTED_FORMS
                    ),
                ),
                Ok(_) => (
                    Status::Failed,
                    format!("{}: nothing found", werr_quote::quoted(query)),
                ),
            };
            if !several {
                return Err(CliError::new(status, hint));
            }
            out.push_str(&format!("{hint}\n"));
            problems.add(status);
            unanswered.push(query.as_str());
        }
        // A decimal number that fits 16 bits may be an event id: the events with it follow
        // the codes. Hex and larger values (`0x80070005`) never ask for events.
        let limit = (!args.all && !args.json).then_some(super::events::FOLDED_EVENTS);
        let events = match event_id_of(query) {
            Some(id) => werr_evtx::events_with_id(&kb, id, limit).map_err(super::kb::kb_error)?,
            None => werr_evtx::EventsWithId {
                events: Vec::new(),
                total: 0,
            },
        };
        if args.json {
            let events: Vec<_> = events
                .events
                .iter()
                .map(|e| super::events::event_json(&kb, e))
                .collect();
            docs.push(
                json!({"query": query, "matches": matches, "unnamed": unnamed, "events": events}),
            );
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        if several {
            out.push_str(&format!("{query}:\n"));
        }
        // The answer first; then what is known of a value no name has; then the other
        // names, folded unless --all. The names' lines share their columns.
        let (lead, others): (Vec<&Match>, Vec<&Match>) = matches.iter().partition(|m| m.lead);
        let mut columns = Columns::default();
        let mut derived = Vec::new();
        for m in &lead {
            match derived_answer_line(m) {
                Some(line) => derived.push(line),
                None => columns.push(match_row(m)),
            }
        }
        let lead_rows = lead.len() - derived.len();
        if args.all {
            for m in &others {
                columns.push(match_row(m));
            }
        }
        let lines = columns.lines();
        out.extend(derived);
        out.extend(lines[..lead_rows].iter().cloned());
        if let Some(u) = &unnamed {
            out.push_str(&unnamed_text(u));
        }
        let shown: Vec<&Match> = if args.all {
            lead.iter().chain(&others).copied().collect()
        } else {
            lead.clone()
        };
        if args.all {
            out.extend(lines[lead_rows..].iter().cloned());
        }
        out.push_str(&credit_line(&kb, &shown).map_err(kb_error)?);
        if !args.all && !others.is_empty() {
            out.push_str(&format!(
                "+{} other names with this value or converting to it: werr lookup --all {query}\n",
                others.len()
            ));
        }
        if let Some(id) = event_id_of(query) {
            out.push_str(&super::events::listing(&kb, &events, id));
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
            queries.len(),
            unanswered.join(", ")
        )
    })
}

/// The credit some licenses ask for wherever their text is shown (Microsoft's documentation,
/// CC BY 4.0): a line per such source naming the pages of the texts shown, else nothing.
fn credit_line(kb: &werr_kb::Kb, shown: &[&Match]) -> werr_kb::Result<String> {
    // (who to credit, pages), in the order the texts are shown.
    let mut credits: Vec<(String, Vec<String>)> = Vec::new();
    for m in shown.iter().filter(|m| m.description.is_some()) {
        let Some(from) = m.description_from.as_deref() else {
            continue;
        };
        let Some(credit) = kb.text_credit(from)? else {
            continue;
        };
        if !credit.license.starts_with("CC-BY") {
            continue;
        }
        let who = if credit.source.starts_with("msdocs") {
            werr_kb::MSDOCS_ATTRIBUTION.to_string()
        } else {
            format!("{} {}, {}", credit.source, credit.version, credit.license)
        };
        match credits.iter_mut().find(|(w, _)| *w == who) {
            Some((_, pages)) if pages.contains(&credit.file) => {}
            Some((_, pages)) => pages.push(credit.file),
            None => credits.push((who, vec![credit.file])),
        }
    }
    Ok(credits
        .iter()
        .map(|(who, pages)| {
            let line = format!("  text from {who}: {}", pages.join(", "));
            format!("{}\n", style::paint(style::MUTE, &line))
        })
        .collect())
}

/// The event id a query may be: a decimal number of at most 65535, as event ids are written.
fn event_id_of(query: &str) -> Option<u16> {
    if query.is_empty() || !query.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    query.parse().ok()
}

/// One thing to answer.
enum Query {
    /// A value or a name, as typed.
    Lookup(String),
    /// Words to find as a phrase in the texts.
    Phrase(String),
}

/// The queries of the command line: each word its own query when every word is a value or a
/// name (`werr 5 E_FAIL`); else the words are pasted text, whose values are the queries, or,
/// with no value, one phrase (`werr Error 0x80070005`, `werr access denied`). `-`, or no word
/// with standard input not a terminal: one query per line of standard input, each read as
/// pasted text.
fn queries(words: &[String]) -> Result<Vec<Query>, CliError> {
    use std::io::{BufRead, IsTerminal};
    let from_stdin = match words {
        [] => !std::io::stdin().is_terminal(),
        [dash] => dash == "-",
        _ => false,
    };
    if from_stdin {
        let mut out = Vec::new();
        for line in std::io::stdin().lock().lines() {
            let line = line.map_err(|e| CliError::failed(format!("standard input: {e}")))?;
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            out.extend(queries_of_words(&words));
        }
        if !out.is_empty() {
            return Ok(out);
        }
    }
    match queries_of_words(words).as_slice() {
        [] if words.is_empty() || from_stdin => Err(CliError::usage(
            "nothing to look up; try `werr 0x80001083` or `werr --help`",
        )),
        [] => Err(CliError::usage(format!(
            "{}: neither a value, a name nor words; expected {}",
            werr_quote::quoted(&words.join(" ")),
            werr_codes::ACCEPTED_FORMS
        ))),
        _ => Ok(queries_of_words(words)),
    }
}

/// The queries of some words (the command line's, or one line of standard input).
fn queries_of_words(words: &[String]) -> Vec<Query> {
    if words.iter().all(|w| is_one_query(w)) {
        return words.iter().cloned().map(Query::Lookup).collect();
    }
    pasted(&words.join(" "))
}

/// The queries of one pasted text.
fn pasted(text: &str) -> Vec<Query> {
    match werr_codes::read_pasted(text) {
        Some(werr_codes::Pasted::Values(values)) => values.into_iter().map(Query::Lookup).collect(),
        Some(werr_codes::Pasted::Phrase(phrase)) => vec![Query::Phrase(phrase)],
        None => Vec::new(),
    }
}

/// Whether a word is a query of its own: a value (or what is written as one: `0xZZZ` is a bad
/// value, not words), or a name as codes are spelled (`E_FAIL`, `ERROR_ACCESS_DENIED`,
/// `ACCESS_DEN`, `WSAEACCES`: letters, digits and `_`, with `_` or no lowercase letter).
fn is_one_query(word: &str) -> bool {
    match parse_value(word) {
        Ok(_) => return true,
        // Written as a number and no value inside (`0xZZZ`, `0x1234567890`): a value that
        // cannot be read. `0x80070005,` has one inside: pasted text.
        Err(e) if e.is_malformed_number() => {
            return !matches!(
                werr_codes::read_pasted(word),
                Some(werr_codes::Pasted::Values(_))
            )
        }
        Err(_) => {}
    }
    let identifier = word
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    identifier && (word.contains('_') || !word.chars().any(|c| c.is_ascii_lowercase()))
}
