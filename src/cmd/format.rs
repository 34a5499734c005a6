//! `werr format TEXT [ARG...] [--max-width N] [--ignore-inserts] [--json]`: render message
//! text exactly as Windows' FormatMessage does.
//!
//! `werr format --id VALUE [--lang TAG] [ARG...]` renders the KB's text of message VALUE, in
//! the best language the KB has (`--lang`, then en-US, then neutral, then any).

use super::kb::{kb_error, open_for_reading};
use super::{print, CliError, CmdResult, Global};
use werr_codes::parse_value;
use werr_format::{format, Arg, Options, Width};
use werr_kb::lang::LangRequest;
use werr_kb::WordedMessage;

/// Arguments of `werr format`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The message text, with FormatMessage inserts and escapes: %1 .. %99, %2!d!, %1!-10s!,
    /// %n (CRLF), %r, %t, %0 (end), %% and %. %! %space. Put `--` before text that starts
    /// with `-`.
    /// With --id there is no TEXT: every positional value is an ARG.
    #[arg(allow_negative_numbers = true, required_unless_present = "id")]
    pub text: Option<String>,
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
    /// Take the text of this message from the KB instead of TEXT: a value in any form
    /// (0x80001775, 2147489653) or an event id (6005, the low 16 bits of a message id).
    #[arg(long, value_name = "VALUE", allow_negative_numbers = true)]
    pub id: Option<String>,
    /// With --id: the language of the text (en-US, de, 0x407...); when the KB does not
    /// have it, the same language, en-US, language-neutral, then any (noted on stderr).
    #[arg(long, value_name = "TAG", requires = "id")]
    pub lang: Option<String>,
    /// Print {"text": "..."} instead of the bare text.
    #[arg(long)]
    pub json: bool,
    /// The longest rendered text, in bytes or with K, M, G; longer is an error. The default is
    /// FormatMessage's own limit (64K): a few inserts of a long argument can ask for gigabytes.
    #[arg(long, value_name = "SIZE", default_value = "64K", value_parser = super::parse_size)]
    pub max_output: u64,
}

fn parse_width(s: &str) -> Result<Width, String> {
    if s.eq_ignore_ascii_case("max") {
        return Ok(Width::Unlimited);
    }
    s.parse::<u8>().map(Width::from_flags).map_err(|_| {
        format!(
            "{} is not a width; expected 0-255 or `max`",
            werr_quote::quoted(s)
        )
    })
}

/// Runs `werr format`.
pub fn run(global: &Global, args: Args) -> CmdResult {
    let (text, values) = match &args.id {
        Some(id) => {
            let mut values = Vec::new();
            values.extend(args.text.iter().cloned());
            values.extend(args.args.iter().cloned());
            (message_text(global, id, args.lang.as_deref())?, values)
        }
        None => (args.text.clone().unwrap_or_default(), args.args.clone()),
    };
    let inserts: Vec<Arg> = values.iter().map(|a| Arg::Str(a)).collect();
    let options = Options {
        width: args.max_width,
        ignore_inserts: args.ignore_inserts,
        event_log: None,
        max_output: usize::try_from(args.max_output).unwrap_or(usize::MAX),
    };
    let text = format(&text, &inserts, &options).map_err(|e| {
        let raise = match e.kind {
            werr_format::FormatErrorKind::TooLong { .. } => " (--max-output SIZE raises the limit)",
            _ => "",
        };
        CliError::usage(format!("cannot format the text: {e}{raise}"))
    })?;
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

/// The KB's text of message `id` (a value, or a name the KB defines) in the best language.
fn message_text(global: &Global, id: &str, lang: Option<&str>) -> Result<String, CliError> {
    let kb = open_for_reading(global)?;
    let request = super::show::lang_request(lang)?;
    let value = match parse_value(id) {
        Ok(p) => p.primary().value,
        Err(e) if e.is_malformed_number() => return Err(CliError::usage(format!("--id {e}"))),
        Err(_) => match kb
            .record(id, &LangRequest::ANY)
            .map_err(kb_error)?
            .and_then(|r| r.value)
        {
            Some(v) => v.unsigned,
            None => {
                return Err(CliError::failed(format!(
                    "--id {}: no such name in the KB; expected a message id (0x80001775, 2147489653, 6005) or a name the KB defines",
                    werr_quote::quoted(id)
                )))
            }
        },
    };
    match kb
        .message_in_windows_words(value, &request)
        .map_err(kb_error)?
    {
        WordedMessage::Found {
            wording,
            fallback_note,
        } => {
            super::show::say_fallback(fallback_note.as_deref());
            super::show::say_fallback(wording.note.as_deref());
            Ok(wording.text)
        }
        WordedMessage::Ambiguous(ids) => Err(CliError::failed(format!(
            "--id {id}: no message has id 0x{value:08X}; several have {value} as their low 16 bits: {}; pass the full id",
            ids.iter()
                .map(|i| format!("0x{i:08X}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        WordedMessage::NotFound => Err(CliError::failed(format!(
            "--id {id}: no message 0x{value:08X} in the KB{}",
            match &global.kb {
                Some(p) => format!(" {}", p.display()),
                None => " (the embedded default KB has the texts of Wine's kernelbase.dll, mferror.dll and wininet.dll; import a .mc or a DLL with `werr import --kb FILE` for others)".to_string(),
            }
        ))),
    }
}
