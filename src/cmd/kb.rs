//! Opening the KB the global options select, and printing shared by the KB subcommands.

use super::style::{self, Columns};
use super::{CliError, Global};
use anstyle::Style;
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

/// The first line of a text, shortened to `max` characters; an ellipsis marks a cut, and
/// text left out after the first line.
pub fn first_line(text: &str, max: usize) -> String {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let line = lines.next().unwrap_or("");
    let more = lines.next().is_some();
    if line.chars().count() > max {
        let cut: String = line.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else if more {
        format!("{line} …")
    } else {
        line.to_string()
    }
}

/// The kind of a match: its layout's name, with the category when it says more
/// (`ntstatus (TDI status codes)`), else the category (`bug check code`).
fn kind_of(m: &Match) -> String {
    match m.scheme {
        Some(s) if !m.category.to_ascii_lowercase().contains(s.name()) => {
            format!("{} ({})", s.name(), m.category)
        }
        Some(s) => s.name().to_string(),
        None => m.category.clone(),
    }
}

/// The cells of one line of a lookup listing: value, name, kind, relation, text.
pub fn match_row(m: &Match) -> Vec<(Style, String)> {
    let value = m
        .value
        .map_or_else(|| "(no value)".to_string(), |v| v.hex.to_string());
    let relation = match &m.reason {
        MatchReason::Related { relation } => format!("[{relation}]"),
        _ => String::new(),
    };
    let text = m
        .description
        .as_deref()
        .map_or_else(String::new, |d| first_line(d, 100));
    vec![
        (style::VALUE, value),
        (style::NAME, m.name.clone()),
        (style::KIND, kind_of(m)),
        (style::MUTE, relation),
        (Style::new(), text),
    ]
}

/// The line of an answer that is a derived reading with a text, which says how it answers
/// (`0x8007007E = HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND): The specified module could not be
/// found.`); `None` for a name of the value itself, which is a [`match_row`].
pub fn derived_answer_line(m: &Match) -> Option<String> {
    match (&m.reason, &m.description) {
        (MatchReason::Related { relation }, Some(text)) => Some(format!(
            "{}: {}\n",
            style::paint(style::NAME, relation),
            first_line(text, 160)
        )),
        _ => None,
    }
}

/// The cells of a full-text hit: a definition (value, name, place, text) or a message
/// (value, language, source, text).
pub fn hit_row(hit: &SearchHit) -> Vec<(Style, String)> {
    match hit {
        SearchHit::Definition(o) => {
            let value = o
                .value
                .map_or_else(|| "(no value)".into(), |v| format!("0x{v:08X}"));
            let text = o
                .message_text
                .as_ref()
                .or(o.line_comments.as_ref())
                .map_or_else(String::new, |t| first_line(t, 80));
            vec![
                (style::VALUE, value),
                (style::NAME, o.name.clone()),
                (
                    style::MUTE,
                    format!("{}:{} ({} {})", o.file, o.line, o.kit, o.version),
                ),
                (Style::new(), text),
            ]
        }
        SearchHit::Message(m) => vec![
            (style::VALUE, format!("0x{:08X}", m.message_id)),
            (style::KIND, m.lang.clone()),
            (style::MUTE, m.source.clone()),
            (Style::new(), first_line(&m.text, 100)),
        ],
    }
}

/// Full-text hits as aligned lines.
pub fn hit_lines(hits: &[SearchHit]) -> String {
    let mut columns = Columns::default();
    for hit in hits {
        columns.push(hit_row(hit));
    }
    columns.render()
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
