//! `werr lookup QUERY...` (and bare `werr QUERY...`): every match, best first, one line each.

use super::answer::{answer_json, answer_text};
use super::kb::{kb_error, open_for_reading};
use super::{print, print_json, CliError, CmdResult, Global, Problems, Status};
use werr_codes::{parse_value, queries_of_words, Query};

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
/// names; a value no source names gets its readings, enclosing group and neighbours; words
/// get the texts that have them. What answers is [`werr_kb::Kb::answer`]'s rule.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    let request = super::show::lang_request(args.lang.as_deref())?;
    // One PROVIDER/ID word is an event, as `werr show` reads it.
    if let [word] = args.query.as_slice() {
        if let Some((provider, event_id)) = werr_evtx::parse_event_ref(word) {
            super::exit_now(super::events::show(
                &kb, word, provider, event_id, args.json,
            ));
        }
    }
    let mut out = String::new();
    let mut docs = Vec::new();
    let mut problems = Problems::default();
    let mut unanswered = Vec::new();
    let queries = queries(&args.query)?;
    let several = queries.len() > 1;
    for (i, query) in queries.iter().enumerate() {
        let (text, phrase) = match query {
            Query::Lookup(q) => (q.as_str(), false),
            Query::Phrase(p) => (p.as_str(), true),
        };
        let answer = kb.answer(text, &request, args.limit).map_err(kb_error)?;
        if answer.is_empty() {
            let (status, hint) = not_found(text, phrase);
            if !several {
                return Err(CliError::new(status, hint));
            }
            out.push_str(&format!("{hint}\n"));
            problems.add(status);
            unanswered.push(text);
        }
        let limit = (!args.all && !args.json).then_some(super::events::FOLDED_EVENTS);
        let events = match answer.event_id {
            Some(id) => werr_evtx::events_with_id(&kb, id, limit).map_err(kb_error)?,
            None => werr_evtx::EventsWithId {
                events: Vec::new(),
                total: 0,
            },
        };
        if args.json {
            docs.push(answer_json(&kb, &answer, phrase, &events));
            continue;
        }
        if i > 0 {
            out.push('\n');
        }
        if several {
            out.push_str(&format!("{text}:\n"));
        }
        out.push_str(&answer_text(&kb, &answer, args.all, events.total > 0)?);
        if let Some(id) = answer.event_id {
            out.push_str(&super::events::listing(&kb, &events, id));
        }
    }
    if args.json {
        print_json(&docs)?;
    } else {
        print(&out)?;
    }
    let result = problems.result(|n| {
        format!(
            "{n} of {} queries not answered: {}",
            queries.len(),
            unanswered.join(", ")
        )
    });
    // The KB (its connection and prepared statements) goes with the process.
    super::exit_now(result)
}

/// The status and message of a query nothing answers.
fn not_found(query: &str, phrase: bool) -> (Status, String) {
    let quoted = werr_quote::quoted(query);
    if phrase {
        return (
            Status::Failed,
            format!("{quoted}: no name, comment or message has these words"),
        );
    }
    match parse_value(query) {
        // Written as a number: a value that cannot be read, not an unknown name.
        Err(e) if e.is_malformed_number() => (Status::Usage, e.to_string()),
        Err(_) => (
            Status::Failed,
            format!(
                "{quoted}: no name matches; it is not a value either ({})",
                werr_codes::ACCEPTED_FORMS
            ),
        ),
        Ok(_) => (Status::Failed, format!("{quoted}: nothing found")),
    }
}

/// The queries of the command line ([`queries_of_words`]: `werr 5 E_FAIL`, `werr Error
/// 0x80070005`, `werr access denied`). `-`, or no word with standard input not a terminal:
/// one query per line of standard input, each read as pasted text.
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
