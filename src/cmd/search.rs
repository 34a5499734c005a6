//! `werr search TEXT... [--lang TAG] [--json]`: full text over names, comments and messages.

use super::kb::{first_line, kb_error, open_for_reading};
use super::{print, CliError, CmdResult, Global};
use serde_json::json;
use werr_kb::SearchHit;

/// Arguments of `werr search`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Words that must all occur (a trailing * matches a prefix): `tcp collision`, `access den*`.
    #[arg(required = true)]
    pub text: Vec<String>,
    /// Only messages in this language (en-US, de, 0x407...).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// At most this many hits.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// Runs `werr search`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    let request = super::show::lang_request(args.lang.as_deref())?;
    let text = args.text.join(" ");
    let hits = kb.search(&text, &request, args.limit).map_err(kb_error)?;
    if hits.is_empty() {
        return Err(CliError::failed(format!(
            "{text:?}: no name, comment or message matches"
        )));
    }
    if args.json {
        let docs: Vec<_> = hits
            .iter()
            .map(|h| match h {
                SearchHit::Definition(o) => json!({
                    "kind": "definition", "name": o.name,
                    "value": o.value.map(werr_codes::ValueForms::of),
                    "source": o.kit, "version": o.version, "file": o.file, "line": o.line,
                    "text": o.message_text.as_ref().or(o.line_comments.as_ref()),
                }),
                SearchHit::Message(m) => json!({
                    "kind": "message", "id": format!("0x{:08X}", m.message_id),
                    "module": m.module, "lang": m.lang, "langid": m.langid,
                    "text": m.text, "source": m.source,
                }),
            })
            .collect();
        let mut out =
            serde_json::to_string_pretty(&docs).map_err(|e| CliError::failed(e.to_string()))?;
        out.push('\n');
        print(&out)?;
        return Ok(());
    }
    let mut out = String::new();
    for h in &hits {
        match h {
            SearchHit::Definition(o) => {
                let value = o
                    .value
                    .map_or_else(|| "(no value)".into(), |v| format!("0x{v:08X}"));
                let text = o.message_text.as_ref().or(o.line_comments.as_ref());
                out.push_str(&format!(
                    "{value}  {:<40} {}:{} ({} {})",
                    o.name, o.file, o.line, o.kit, o.version
                ));
                if let Some(t) = text {
                    out.push_str("  ");
                    out.push_str(&first_line(t, 80));
                }
                out.push('\n');
            }
            SearchHit::Message(m) => out.push_str(&format!(
                "0x{:08X}  {} {}  {}\n",
                m.message_id,
                m.lang,
                m.source,
                first_line(&m.text, 100)
            )),
        }
    }
    print(&out)?;
    Ok(())
}
