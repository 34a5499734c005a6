//! Events looked up like codes, as the commands print them: `werr show PROVIDER/ID`, the
//! events listed after the codes of a bare number (`werr 4624`), and event hits of
//! `werr search`.

use super::style;
use super::{print, print_json, CliError, CmdResult};
use anstyle::Style;
use werr_evtx::{EventEntry, EventLookup, ProviderMatch};
use werr_kb::{EventText, Kb};

/// How many events a bare number lists before folding the rest.
pub const FOLDED_EVENTS: usize = 5;

/// The first words of a text, on one line, cut to about `max` characters.
pub fn first_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `oldest..newest` of the releases with a text, or the module of a classic source's message.
fn releases_label(kb: &Kb, event: &EventEntry) -> String {
    match event.release_range(kb) {
        Some((old, new)) if old == new => old,
        Some((old, new)) => format!("{old}..{new}"),
        None => event
            .texts
            .first()
            .map_or_else(String::new, |t| t.source.clone()),
    }
}

/// The events with id `event_id` as lines after a bare number's codes: provider, release
/// range, first words; those not read (beyond [`FOLDED_EVENTS`] unless `--all`) folded.
pub fn listing(kb: &Kb, found: &werr_evtx::EventsWithId, event_id: u16) -> String {
    if found.total == 0 {
        return String::new();
    }
    let mut columns = style::Columns::default();
    for e in &found.events {
        columns.push(vec![
            (style::NAME, format!("  {}/{}", e.provider, e.event_id)),
            (style::MUTE, releases_label(kb, e)),
            (
                Style::new(),
                match e.lead_text() {
                    "" => "(declared without a message)".to_string(),
                    text => first_words(text, 60),
                },
            ),
        ]);
    }
    let mut out = format!("events with id {event_id}:\n");
    out.push_str(&columns.render());
    if found.events.len() < found.total {
        out.push_str(&format!(
            "+{} other events with id {event_id}: werr lookup --all {event_id}\n",
            found.total - found.events.len()
        ));
    }
    out
}

/// An event as JSON: provider, id, texts (with releases, source, message id, language).
pub fn event_json(kb: &Kb, e: &EventEntry) -> serde_json::Value {
    serde_json::json!({
        "provider": e.provider,
        "event_id": e.event_id,
        "releases": e.release_range(kb).map(|(old, new)| serde_json::json!({"oldest": old, "newest": new})),
        "texts": e.texts.iter().map(|t| serde_json::json!({
            "text": t.text, "releases": t.releases, "source": t.source,
            "message_id": t.message_id.map(|id| format!("0x{id:08X}")), "lang": t.lang,
            "written_for": t.written_for,
        })).collect::<Vec<_>>(),
    })
}

/// The event hits of `werr search`, one line each: `provider/id  first words`.
pub fn hit_lines(hits: &[EventText]) -> String {
    let mut columns = style::Columns::default();
    for h in hits {
        columns.push(vec![
            (style::NAME, format!("{}/{}", h.provider, h.event_id)),
            (Style::new(), first_words(&h.text, 80)),
        ]);
    }
    columns.render()
}

/// An event hit of `werr search --json`.
pub fn hit_json(hit: &EventText) -> serde_json::Value {
    serde_json::json!({
        "kind": "event", "provider": hit.provider, "event_id": hit.event_id,
        "text": hit.text, "releases": hit.releases, "source": hit.source,
    })
}

/// `werr show PROVIDER/ID [--json]`.
pub fn show(kb: &Kb, asked: &str, provider: &str, event_id: u16, json: bool) -> CmdResult {
    let found = werr_evtx::find_event(kb, provider, event_id).map_err(super::kb::kb_error)?;
    let (event, matched) = match found {
        EventLookup::Found { event, matched } => (event, matched),
        EventLookup::Ambiguous { candidates } => {
            let list: Vec<String> = candidates
                .iter()
                .map(|c| format!("{c}/{event_id}"))
                .collect();
            return Err(CliError::failed(format!(
                "{}: several providers have event {event_id}: {}",
                werr_quote::quoted(asked),
                list.join(", ")
            )));
        }
        EventLookup::NotFound { providers } => {
            return Err(CliError::failed(if providers.is_empty() {
                format!(
                    "{}: no provider {} in the KB (names compare without case; a short form \
                     is the end of a name after `-`, or a channel such as Security)",
                    werr_quote::quoted(asked),
                    werr_quote::quoted(provider)
                )
            } else {
                format!(
                    "{}: no event {event_id} of {}",
                    werr_quote::quoted(asked),
                    providers.join(", ")
                )
            }));
        }
    };
    if json {
        let mut doc = event_json(kb, &event);
        doc["provider_match"] = serde_json::to_value(matched).unwrap_or_default();
        print_json(&doc)?;
        return Ok(());
    }
    let mut out = format!("{}/{}", event.provider, event.event_id);
    match matched {
        ProviderMatch::Name => {}
        ProviderMatch::Alias | ProviderMatch::Suffix => {
            out.push_str(&format!("  (for {})", werr_quote::quoted(provider)));
        }
    }
    out.push('\n');
    for t in &event.texts {
        let head = match t.message_id {
            Some(id) => format!(
                "message 0x{id:08X} of {} ({})",
                t.source,
                t.lang.as_deref().unwrap_or("?")
            ),
            None => format!("in {} ({})", t.releases.join(", "), t.source),
        };
        out.push_str(&head);
        out.push('\n');
        if let Some(system) = t.written_for {
            out.push_str(&format!(
                "  (the text as {system} writes it, not Windows' own table: the wording can differ)\n"
            ));
        }
        if t.text.is_empty() {
            out.push_str("  (declared without a message)\n");
        }
        for line in t.text.lines() {
            out.push_str("  ");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    print(&out)?;
    Ok(())
}
