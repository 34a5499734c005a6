//! `werr show NAME|VALUE [--json] [--lang TAG]`: every field of the seed page the KB has.

use super::kb::{kb_error, open_for_reading, range_text, unnamed_text};
use super::{print, CliError, CmdResult, Global};
use werr_codes::parse_value;
use werr_kb::lang::LangRequest;
use werr_kb::{Kb, Record};

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

fn find(kb: &Kb, what: &str, request: &LangRequest) -> Result<Option<Record>, CliError> {
    if let Some(r) = kb.record(what, request).map_err(kb_error)? {
        return Ok(Some(r));
    }
    match parse_value(what) {
        Ok(p) => kb
            .record_for_value(p.primary().value, request)
            .map_err(kb_error),
        Err(_) => Ok(None),
    }
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
    let Some(record) = find(&kb, &args.what, &request)? else {
        let parsed = parse_value(&args.what);
        if let Err(e) = &parsed {
            if e.is_malformed_number() {
                return Err(CliError::usage(e.to_string()));
            }
        }
        if let Ok(p) = parsed {
            let u = kb.unnamed(p.primary().value).map_err(kb_error)?;
            if args.json {
                let mut text =
                    serde_json::to_string_pretty(&serde_json::json!({"name": null, "unnamed": u}))
                        .map_err(|e| CliError::failed(e.to_string()))?;
                text.push('\n');
                print(&text)?;
            } else {
                print(&unnamed_text(&u))?;
            }
            return Ok(());
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
        let mut text =
            serde_json::to_string_pretty(&record).map_err(|e| CliError::failed(e.to_string()))?;
        text.push('\n');
        print(&text)?;
    } else {
        print(&record_text(&record))?;
    }
    Ok(())
}

fn section(out: &mut String, title: &str, body: &str) {
    out.push_str(title);
    out.push('\n');
    for line in body.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// The record as text, in the order of the seed page.
pub fn record_text(r: &Record) -> String {
    let mut out = match &r.value {
        Some(v) => format!("{}, {}\n", r.name, v.hex),
        None => format!("{}, (no value)\n", r.name),
    };
    if let Some(d) = r.defined_at.first() {
        out.push_str(&format!("({} {})\n", d.source, d.version));
    }
    out.push('\n');
    section(&mut out, "Name", &r.name);
    let value = match &r.value {
        Some(v) => format!(
            "{} signed int\n{} unsigned int\n{} hexadecimal value",
            v.signed, v.unsigned, v.hex
        ),
        None => "not evaluated (see the definitions below)".to_string(),
    };
    section(&mut out, "Value", &value);
    section(&mut out, "Type", &r.category);
    if let Some(d) = &r.description {
        section(&mut out, "Description", d);
    }
    // The text's place and its source's terms: some licenses ask for this credit wherever
    // the text is shown (Microsoft's documentation, CC BY 4.0).
    if let Some(s) = &r.description_source {
        section(
            &mut out,
            "Description source",
            &format!(
                "{}, line {} ({} {})
{}
License: {}",
                s.file, s.line, s.source, s.version, s.origin, s.license
            ),
        );
    }
    section(&mut out, "C/C++ Type", &r.c_type);
    let places: Vec<String> = r
        .defined_at
        .iter()
        .map(|d| format!("{}, line {} ({} {})", d.file, d.line, d.source, d.version))
        .collect();
    section(&mut out, "Defined at", &places.join("\n"));
    if let Some(d) = r.defined_at.first() {
        section(&mut out, "Definition", &d.definition);
    }
    if let Some(c) = &r.line_comments {
        section(&mut out, "Line comments", c);
    }
    if let Some(g) = &r.group {
        section(
            &mut out,
            "Group comments",
            &format!("{}\n\n{}", g.title, range_text(g.first, g.last)),
        );
    }
    if !r.also_used_in.is_empty() {
        let list: Vec<String> = r
            .also_used_in
            .iter()
            .map(|a| match a.value {
                Some(v) => format!("{} {} (value {v})", a.source, a.version),
                None => format!("{} {}", a.source, a.version),
            })
            .collect();
        section(&mut out, "Also used in", &list.join(", "));
    }
    if !r.related.is_empty() {
        let list: Vec<String> = r.related.iter().map(|x| x.relation.clone()).collect();
        section(&mut out, "Related", &list.join("\n"));
    }
    if let Some(t) = &r.type_description {
        section(&mut out, "Type description", t);
    }
    if let Some(l) = &r.layout {
        let mut body = format!("{}\n", l.scheme.title());
        body.push_str(&l.bit_box);
        section(&mut out, "Layout", &body);
    }
    if !r.messages.is_empty() {
        let list: Vec<String> = r
            .messages
            .iter()
            .map(|m| format!("{} {} ({})", m.lang, m.text.trim_end(), m.source))
            .collect();
        section(&mut out, "Messages", &list.join("\n"));
    }
    out
}
