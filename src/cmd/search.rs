//! `werr search TEXT... [--lang TAG] [--json]`: full text over names, comments and messages.

use super::kb::{hit_json, hit_lines, kb_error, open_for_reading};
use super::{print, CliError, CmdResult, Global};

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
            "{}: no name, comment or message matches",
            werr_quote::quoted(&text)
        )));
    }
    if args.json {
        let docs: Vec<_> = hits.iter().map(hit_json).collect();
        let mut out =
            serde_json::to_string_pretty(&docs).map_err(|e| CliError::failed(e.to_string()))?;
        out.push('\n');
        print(&out)?;
        return Ok(());
    }
    print(&hit_lines(&hits))?;
    Ok(())
}
