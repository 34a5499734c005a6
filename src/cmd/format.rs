//! `werr format TEXT [ARG...] [--max-width N] [--ignore-inserts] [--json]`: render message
//! text exactly as Windows' FormatMessage does.

use super::{print, CliError, CmdResult, Global};
use werr_format::{format, Arg, Options, Width};

/// Arguments of `werr format`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The message text, with FormatMessage inserts and escapes: %1 .. %99, %2!d!, %1!-10s!,
    /// %n (CRLF), %r, %t, %0 (end), %% and %. %! %space. Put `--` before text that starts
    /// with `-`.
    #[arg(allow_negative_numbers = true)]
    pub text: String,
    /// The insert arguments, ARG 1 for %1 and so on. An insert's conversion types its
    /// argument: d i u x X o read an integer (42, -5, 0x1F), c a character, s any text.
    #[arg(value_name = "ARG", allow_negative_numbers = true)]
    pub args: Vec<String>,
    /// The line width (the low byte of FormatMessage's flags): 0 keeps the text's line
    /// breaks as CRLF; 1-254 wraps lines at N characters; 255 or `max` (MAX_WIDTH_MASK)
    /// turns the text's line breaks into spaces and keeps only %n.
    #[arg(long, value_name = "N", default_value = "0", value_parser = parse_width)]
    pub max_width: Width,
    /// Leave inserts as they are (FORMAT_MESSAGE_IGNORE_INSERTS); %n %r %t %0 still act.
    #[arg(long)]
    pub ignore_inserts: bool,
    /// Print {"text": "..."} instead of the bare text.
    #[arg(long)]
    pub json: bool,
}

fn parse_width(s: &str) -> Result<Width, String> {
    if s.eq_ignore_ascii_case("max") {
        return Ok(Width::Unlimited);
    }
    s.parse::<u8>()
        .map(Width::from_flags)
        .map_err(|_| format!("{s:?} is not a width; expected 0-255 or `max`"))
}

/// Runs `werr format`.
pub fn run(_global: &Global, args: Args) -> CmdResult {
    let inserts: Vec<Arg> = args.args.iter().map(|a| Arg::Str(a)).collect();
    let options = Options {
        width: args.max_width,
        ignore_inserts: args.ignore_inserts,
        event_log: None,
    };
    let text = format(&args.text, &inserts, &options)
        .map_err(|e| CliError::usage(format!("cannot format the text: {e}")))?;
    if args.json {
        let mut doc = serde_json::to_string(&serde_json::json!({ "text": text }))
            .map_err(|e| CliError::failed(e.to_string()))?;
        doc.push('\n');
        print(&doc)?;
    } else {
        print(&text)?;
    }
    Ok(())
}
