//! Opening the KB the global options select, and printing shared by the KB subcommands.

use super::{CliError, Global};
use werr_kb::{Kb, Match, MatchReason, SearchHit, Unnamed};

/// The KB to read: `--kb FILE` / `WERR_KB` when given, else the embedded default.
pub fn open_for_reading(global: &Global) -> Result<Kb, CliError> {
    match &global.kb {
        Some(path) => Kb::open_for_reading(path).map_err(kb_error),
        None => Kb::embedded().map_err(kb_error),
    }
}

/// A KB error as a failure (exit status 1).
pub fn kb_error(e: werr_kb::Error) -> CliError {
    CliError::failed(e.to_string())
}

/// The first line of a text, shortened to `max` characters.
pub fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// One line of a lookup listing.
pub fn match_line(m: &Match) -> String {
    let value = m
        .value
        .map_or_else(|| "(no value)".to_string(), |v| v.hex.to_string());
    let kind = m
        .scheme
        .map_or_else(|| m.category.clone(), |s| s.name().to_string());
    let mut line = format!("{value}  {:<40} {kind:<8}", m.name);
    if m.scheme
        .is_some_and(|s| !m.category.to_ascii_lowercase().contains(s.name()))
    {
        line.push_str(&format!(" ({})", m.category));
    }
    if let MatchReason::Related { relation } = &m.reason {
        line.push_str(&format!("  [{relation}]"));
    }
    if let Some(d) = &m.description {
        line.push_str("  ");
        line.push_str(&first_line(d, 100));
    }
    line.truncate(line.trim_end().len());
    line.push('\n');
    line
}

/// A line of the answer: a derived reading says how it answers
/// (`0x8007007E = HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND): The specified module could not be
/// found.`); a name of the value itself is a [`match_line`].
pub fn answer_line(m: &Match) -> String {
    match (&m.reason, &m.description) {
        (MatchReason::Related { relation }, Some(text)) => {
            format!("{relation}: {}\n", first_line(text, 160))
        }
        _ => match_line(m),
    }
}

/// One line of a full-text hit: a definition (value, name, place, text) or a message.
pub fn hit_line(hit: &SearchHit) -> String {
    match hit {
        SearchHit::Definition(o) => {
            let value = o
                .value
                .map_or_else(|| "(no value)".into(), |v| format!("0x{v:08X}"));
            let mut line = format!(
                "{value}  {:<40} {}:{} ({} {})",
                o.name, o.file, o.line, o.kit, o.version
            );
            if let Some(t) = o.message_text.as_ref().or(o.line_comments.as_ref()) {
                line.push_str("  ");
                line.push_str(&first_line(t, 80));
            }
            line.push('\n');
            line
        }
        SearchHit::Message(m) => format!(
            "0x{:08X}  {} {}  {}\n",
            m.message_id,
            m.lang,
            m.source,
            first_line(&m.text, 100)
        ),
    }
}

/// A full-text hit as JSON (`werr search --json`).
pub fn hit_json(hit: &SearchHit) -> serde_json::Value {
    match hit {
        SearchHit::Definition(o) => serde_json::json!({
            "kind": "definition", "name": o.name,
            "value": o.value.map(werr_codes::ValueForms::of),
            "source": o.kit, "version": o.version, "file": o.file, "line": o.line,
            "text": o.message_text.as_ref().or(o.line_comments.as_ref()),
        }),
        SearchHit::Message(m) => serde_json::json!({
            "kind": "message", "id": format!("0x{:08X}", m.message_id),
            "module": m.module, "lang": m.lang, "langid": m.langid,
            "text": m.text, "source": m.source,
        }),
    }
}

/// The text of a code no source names: readings, enclosing groups, neighbours.
pub fn unnamed_text(u: &Unnamed) -> String {
    let mut out = format!(
        "{}  no name in the KB; signed {}, unsigned {}\n",
        u.value.hex, u.value.signed, u.value.unsigned
    );
    for r in &u.readings {
        let mut line = format!("  as {:<9}", r.scheme.name());
        for (name, v) in &r.fields {
            line.push_str(&format!(" {name}={v}"));
        }
        if let Some(s) = r.severity_name {
            line.push_str(&format!("  [{s}]"));
        }
        if let Some(f) = r.facility_name {
            line.push_str(&format!("  [{f}]"));
        }
        out.push_str(&line);
        out.push('\n');
    }
    for e in &u.enclosing_groups {
        out.push_str(&format!(
            "  in group {:?} ({}) of {}\n",
            first_line(&e.group.title, 60),
            range_text(e.group.first, e.group.last),
            e.place
        ));
    }
    for n in &u.neighbours {
        out.push_str(&format!(
            "  nearest named: {} {} ({:+})\n",
            n.value, n.name, n.distance
        ));
    }
    if u.neighbours.is_empty() {
        out.push_str("  no named code shares its upper 16 bits (severity and facility)\n");
    }
    out
}

/// `Codes 4225 - 4264`, or what is known of a range.
pub fn range_text(first: Option<u32>, last: Option<u32>) -> String {
    match (first, last) {
        (Some(a), Some(b)) => format!("Codes {a} - {b}"),
        _ => "no codes".to_string(),
    }
}
