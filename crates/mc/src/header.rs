//! The C header mc.exe writes: comments, the layout box, facility and severity defines, and
//! one commented `#define` per message.

use crate::model::{IdType, Item, Message, MessageFile, NameValue};
use crate::LineEnding;
use std::fmt::Write as _;

/// Choices for the header's form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeaderOptions {
    /// Line ends: CRLF (mc.exe) or LF.
    pub line_ending: LineEnding,
    /// `-o`: spell message values as `_HRESULT_TYPEDEF_(0x...L)`.
    pub hresult: bool,
    /// `-d`: facility and severity defines in decimal.
    pub decimal: bool,
}

/// The layout box mc.exe writes before the first message, one line per entry (without `//`).
pub const LAYOUT_BOX: [&str; 25] = [
    "",
    "  Values are 32 bit values laid out as follows:",
    "",
    "   3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1",
    "   1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0",
    "  +---+-+-+-----------------------+-------------------------------+",
    "  |Sev|C|R|     Facility          |               Code            |",
    "  +---+-+-+-----------------------+-------------------------------+",
    "",
    "  where",
    "",
    "      Sev - is the severity code",
    "",
    "          00 - Success",
    "          01 - Informational",
    "          10 - Warning",
    "          11 - Error",
    "",
    "      C - is the Customer code flag",
    "",
    "      R - is a reserved bit",
    "",
    "      Facility - is the facility code",
    "",
    "      Code - is the facility's status code",
];

/// Writes the header text for `file`.
pub fn write_header(file: &MessageFile, options: HeaderOptions) -> String {
    let eol = options.line_ending.as_str();
    let mut out = String::with_capacity(256 * file.items.len() + 2048);
    for item in &file.items {
        match item {
            Item::Comment(text) => {
                out.push_str(text);
                out.push_str(eol);
            }
            Item::Preamble(preamble) => {
                for line in LAYOUT_BOX {
                    out.push_str("//");
                    out.push_str(line);
                    out.push_str(eol);
                }
                for line in ["//", "//", "// Define the facility codes", "//"] {
                    out.push_str(line);
                    out.push_str(eol);
                }
                write_name_defines(&mut out, &preamble.facilities, options);
                out.push_str(eol);
                out.push_str(eol);
                for line in ["//", "// Define the severity codes", "//"] {
                    out.push_str(line);
                    out.push_str(eol);
                }
                write_name_defines(&mut out, &preamble.severities, options);
                out.push_str(eol);
                out.push_str(eol);
            }
            Item::Message(message) => write_message(&mut out, file, message, options),
        }
    }
    out
}

/// The defines of named facilities or severities, in mc.exe's order: names descending.
fn write_name_defines(out: &mut String, names: &[NameValue], options: HeaderOptions) {
    let mut named: Vec<(&NameValue, &str)> = names
        .iter()
        .filter_map(|nv| nv.symbol.as_deref().map(|s| (nv, s)))
        .collect();
    named.sort_by(|a, b| {
        b.0.name
            .to_ascii_uppercase()
            .cmp(&a.0.name.to_ascii_uppercase())
    });
    for (nv, symbol) in named {
        let value = if options.decimal {
            nv.value.to_string()
        } else {
            format!("0x{:X}", nv.value)
        };
        let _ = write!(out, "#define {symbol:<32} {value}");
        out.push_str(options.line_ending.as_str());
    }
}

/// The `#define` value of a message as mc.exe spells it.
pub fn define_value(message: &Message, hresult: bool) -> String {
    let number = if message.output_base == 10 {
        format!("{}L", message.value)
    } else {
        format!("0x{:08X}L", message.value)
    };
    if hresult {
        return format!("_HRESULT_TYPEDEF_({number})");
    }
    match &message.id_type {
        IdType::Plain => number,
        IdType::Typedef(t) => format!("(({t}){number})"),
        IdType::Macro(m) => format!("{m}({number})"),
    }
}

fn write_message(out: &mut String, file: &MessageFile, message: &Message, options: HeaderOptions) {
    let Some(symbol) = &message.symbol else {
        return;
    };
    let eol = options.line_ending.as_str();
    let _ = file;
    out.push_str("//");
    out.push_str(eol);
    out.push_str("// MessageId: ");
    out.push_str(symbol);
    out.push_str(eol);
    out.push_str("//");
    out.push_str(eol);
    out.push_str("// MessageText:");
    out.push_str(eol);
    out.push_str("//");
    out.push_str(eol);
    if let Some(text) = message.texts.first() {
        for line in text.lines() {
            out.push_str("// ");
            out.push_str(line);
            out.push_str(eol);
        }
    }
    out.push_str("//");
    out.push_str(eol);
    let _ = write!(
        out,
        "#define {symbol:<32} {}",
        define_value(message, options.hresult)
    );
    out.push_str(eol);
    out.push_str(eol);
}
