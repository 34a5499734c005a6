//! `werr search TEXT... [--lang TAG] [--json]`: full text over names, comments and messages,
//! then over event texts.

use super::kb::{hit_json, hit_lines, kb_error, open_for_reading};
use super::{print, print_json, CliError, CmdResult, Global};

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

/// The fewest event hits listed when there are as many (the limit allowing).
const EVENT_HITS: usize = 10;

/// Runs `werr search`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let kb = open_for_reading(global)?;
    let request = super::show::lang_request(args.lang.as_deref())?;
    let text = args.text.join(" ");
    let hits = kb.search(&text, &request, args.limit).map_err(kb_error)?;
    // Event texts after the codes: the room the codes leave within the limit, and at least
    // a few (the two full-text indexes rank apart, so codes stay first).
    let room = args
        .limit
        .saturating_sub(hits.len())
        .max(args.limit.min(EVENT_HITS));
    let events = kb.search_events(&text, room).map_err(kb_error)?;
    if hits.is_empty() && events.is_empty() {
        return Err(CliError::failed(format!(
            "{}: no name, comment or message matches, nor any event text",
            werr_quote::quoted(&text)
        )));
    }
    if args.json {
        let mut docs: Vec<_> = hits.iter().map(hit_json).collect();
        docs.extend(events.iter().map(super::events::hit_json));
        print_json(&docs)?;
        return Ok(());
    }
    let mut out = hit_lines(&hits);
    if !events.is_empty() {
        out.push_str("events:\n");
        out.push_str(&super::events::hit_lines(&events));
    }
    print(&out)?;
    Ok(())
}
