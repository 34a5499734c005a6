//! `werr show NAME|VALUE [--json] [--lang TAG]`: every field of the seed page the KB has.

mod record;

use super::kb::{kb_error, open_for_reading, unnamed_text};
use super::{print, print_json, CliError, CmdResult, Global};
use record::record_text;
use werr_codes::parse_value;
use werr_kb::lang::LangRequest;

/// Arguments of `werr show`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A name (EVENT_TCPIP_TCP_TIME_WAIT_COLLISION), a value (0x80001083), or an event as
    /// PROVIDER/ID (Microsoft-Windows-Security-Auditing/4624, Security/4624, EventLog/6005).
    #[arg(allow_negative_numbers = true)]
    pub what: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Messages and description in this language (en-US, de, 0x407...); without text in
    /// it, the same language, then en-US, language-neutral, any (and a note on stderr).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
}

/// The language a `--lang` value asks for (nothing asked without one); a malformed value or
/// one naming no language werr knows is a usage error.
pub fn lang_request(tag: Option<&str>) -> Result<LangRequest, CliError> {
    match tag {
        Some(tag) => {
            LangRequest::parse_known(tag).map_err(|e| CliError::usage(format!("--lang: {e}")))
        }
        None => Ok(LangRequest::ANY),
    }
}

/// Tells the reader (on stderr) that the text is not in the language asked for.
pub fn say_fallback(note: Option<&str>) {
    if let Some(note) = note {
        eprintln!("werr: {note}");
    }
}

/// Runs `werr show`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    let request = lang_request(args.lang.as_deref())?;
    if let Some((provider, event_id)) = werr_evtx::parse_event_ref(&args.what) {
        return super::events::show(&kb, &args.what, provider, event_id, args.json);
    }
    let Some(record) = kb.record_of(&args.what, &request).map_err(kb_error)? else {
        let parsed = parse_value(&args.what);
        if let Err(e) = &parsed {
            if e.is_malformed_number() {
                return Err(CliError::usage(e.to_string()));
            }
        }
        if let Ok(p) = parsed {
            return show_unnamed(&kb, p.primary().value, &request, args.json);
        }
        let near = kb.lookup(&args.what, 5).map_err(kb_error)?;
        let names: Vec<&str> = near.iter().map(|m| m.name.as_str()).collect();
        return Err(CliError::failed(if names.is_empty() {
            format!("{}: no such name in the KB", werr_quote::quoted(&args.what))
        } else {
            format!(
                "{}: no such name in the KB; did you mean {}?",
                werr_quote::quoted(&args.what),
                names.join(", ")
            )
        }));
    };
    say_fallback(
        record
            .language
            .as_ref()
            .and_then(|l| l.fallback_note.as_deref()),
    );
    if args.json {
        print_json(&record)?;
    } else {
        print(&record_text(&record))?;
    }
    Ok(())
}

/// `werr show` of a value no source names itself: the records of the names a reading derives
/// it from (`0x800706BA = HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)`), as `werr lookup`
/// answers with them, then what is known of the value.
fn show_unnamed(kb: &werr_kb::Kb, value: u32, request: &LangRequest, json: bool) -> CmdResult {
    let mut derived = Vec::new();
    for m in kb.lookup(&format!("0x{value:08X}"), 50).map_err(kb_error)? {
        let werr_kb::MatchReason::Related { relation } = &m.reason else {
            continue;
        };
        if !m.lead {
            continue;
        }
        if let Some(record) = kb.record(&m.name, request).map_err(kb_error)? {
            derived.push((relation.clone(), record));
        }
    }
    let unnamed = kb.unnamed(value).map_err(kb_error)?;
    for (_, record) in &derived {
        say_fallback(
            record
                .language
                .as_ref()
                .and_then(|l| l.fallback_note.as_deref()),
        );
    }
    if json {
        let derived: Vec<_> = derived
            .iter()
            .map(|(relation, record)| serde_json::json!({"relation": relation, "record": record}))
            .collect();
        return print_json(
            &serde_json::json!({"name": null, "derived": derived, "unnamed": unnamed}),
        );
    }
    let mut out = String::new();
    for (relation, record) in &derived {
        out.push_str(&format!("{relation}\n\n{}\n", record_text(record)));
    }
    out.push_str(&unnamed_text(&unnamed));
    print(&out)?;
    Ok(())
}
