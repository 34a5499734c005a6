//! The text and JSON of one [`werr_kb::Answer`], as `werr lookup` prints it: the lead's
//! lines, an unnamed value's readings, the folded names, the credit of the texts shown.

use super::kb::{derived_answer_line, hit_json, hit_lines, kb_error, match_row, unnamed_text};
use super::style::{self, Columns};
use super::CliError;
use serde_json::json;
use werr_kb::Match;

/// An answer as `--json` writes it: a phrase's texts, or the names, the unnamed value's
/// readings, the texts when no name answers, and the events of a bare number.
pub(super) fn answer_json(
    kb: &werr_kb::Kb,
    answer: &werr_kb::Answer,
    phrase: bool,
    events: &werr_evtx::EventsWithId,
) -> serde_json::Value {
    let hits: Vec<_> = answer.hits.iter().map(hit_json).collect();
    if phrase {
        return json!({"query": answer.query, "phrase": true, "hits": hits});
    }
    let events: Vec<_> = events
        .events
        .iter()
        .map(|e| super::events::event_json(kb, e))
        .collect();
    json!({
        "query": answer.query,
        "matches": answer.matches,
        "unnamed": answer.unnamed,
        "hits": hits,
        "events": events,
    })
}

/// An answer as text: the answer first; then what is known of a value no name has (unless
/// `all`, one line when a derived reading answers, or when `events_follow`: a bare number no
/// code has is an event id, and its events are the answer); then the other names, folded
/// unless `all`; then the texts when no name answers. The names' lines share their columns.
pub(super) fn answer_text(
    kb: &werr_kb::Kb,
    answer: &werr_kb::Answer,
    all: bool,
    events_follow: bool,
) -> Result<String, CliError> {
    let mut out = String::new();
    let lead: Vec<&Match> = answer.lead().collect();
    let others: Vec<&Match> = answer.others().collect();
    let mut columns = Columns::default();
    let mut derived = Vec::new();
    for m in &lead {
        match derived_answer_line(m) {
            Some(line) => derived.push(line),
            None => columns.push(match_row(m)),
        }
    }
    let lead_rows = lead.len() - derived.len();
    let derives = !derived.is_empty();
    if all {
        for m in &others {
            columns.push(match_row(m));
        }
    }
    let lines = columns.lines();
    out.extend(derived);
    out.extend(lines[..lead_rows].iter().cloned());
    // A reading that derives the value is the answer; the value's own fields would bury it
    // (`--all` shows them).
    let mut derived_hint = String::new();
    match &answer.unnamed {
        Some(u) if derives && !all => {
            let hint = format!(
                "  no source names {} itself; its fields: werr decode {}",
                u.value.hex, u.value.hex
            );
            derived_hint = format!("{}\n", style::paint(style::MUTE, &hint));
        }
        Some(u) if events_follow && !all => out.push_str(&format!(
            "{}  no name in the KB; {}\n",
            style::paint(style::VALUE, &u.value.hex.to_string()),
            style::paint(
                style::MUTE,
                &format!("its fields: werr decode {}", answer.query)
            )
        )),
        Some(u) => out.push_str(&unnamed_text(u)),
        None => {}
    }
    let mut shown = lead;
    if all {
        out.extend(lines[lead_rows..].iter().cloned());
        shown.extend(&others);
    }
    out.push_str(&credit_line(kb, &shown).map_err(kb_error)?);
    out.push_str(&derived_hint);
    if !all && !others.is_empty() {
        out.push_str(&format!(
            "+{} other names with this value or converting to it: werr lookup --all {}\n",
            others.len(),
            answer.query
        ));
    }
    out.push_str(&hit_lines(&answer.hits));
    Ok(out)
}

/// The credit some licenses ask for wherever their text is shown (Microsoft's documentation,
/// CC BY 4.0), and the mark of a text written for another system (Wine's and ReactOS's
/// tables of Windows modules): a line per such source naming the pages or files of the
/// texts shown, else nothing.
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
        let rewrite = werr_kb::authority::written_for(&credit.source);
        if !credit.license.starts_with("CC-BY") && rewrite.is_none() {
            continue;
        }
        let who = if credit.source.starts_with("msdocs") {
            werr_kb::MSDOCS_ATTRIBUTION.to_string()
        } else if let Some(system) = rewrite {
            // Shown so that a reader does not take it for Windows' own text.
            let license = credit.license.split(" (").next().unwrap_or(&credit.license);
            format!(
                "{system}'s own tables ({} {}, {license}; Windows' wording can differ)",
                credit.source, credit.version
            )
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
