//! `werr show`'s text of a record: the sections of the seed page, in its order.

use super::super::kb::range_text;
use werr_kb::Record;

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
    // A text of Wine's or ReactOS's tables says so: it is not Windows' own wording.
    let rewrite = |kit: &str| {
        werr_kb::authority::written_for(kit)
            .map(|system| format!("\nWritten for {system}: Windows' wording can differ"))
            .unwrap_or_default()
    };
    // A text of the code the value derives from says so first.
    let derived = r
        .description_of
        .as_deref()
        .map(|of| format!("the text of the code it derives from: {of}\n"))
        .unwrap_or_default();
    if let Some(s) = &r.description_source {
        section(
            &mut out,
            "Description source",
            &format!(
                "{derived}{}, line {} ({} {})
{}
License: {}{}",
                s.file,
                s.line,
                s.source,
                s.version,
                s.origin,
                s.license,
                rewrite(&s.source)
            ),
        );
    } else if let Some(m) = r.description.as_deref().and_then(|d| {
        // A text in the language asked for is a message table's.
        r.messages.iter().find(|m| m.text.trim_end() == d)
    }) {
        section(
            &mut out,
            "Description source",
            &format!("{} ({}){}", m.source, m.lang, rewrite(&m.kit)),
        );
    } else if !derived.is_empty() {
        section(&mut out, "Description source", derived.trim_end());
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
