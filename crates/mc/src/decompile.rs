//! From message tables back to a `.mc` file that compiles to the same bytes.

use crate::compile::{ansi_code_page, compile, CompileOptions};
use crate::model::Diagnostic;
use crate::parser::{parse, ParseOptions};
use crate::LineEnding;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use werr_msgtable::{CodePage, Encoding, MessageTable};

/// One input table: its language and its bytes (a `MSGxxxxx.bin` or an extracted resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTable {
    /// The language id the table is for.
    pub langid: u16,
    /// The MESSAGE_RESOURCE_DATA bytes.
    pub bytes: Vec<u8>,
}

/// A decompiled file and how to compile it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decompiled {
    /// The `.mc` text.
    pub text: String,
    /// The compile options that reproduce the input bytes.
    pub options: CompileOptions,
    /// Whether the messages carry the customer bit (compile with `-c`).
    pub customer_bit: bool,
    /// The `werr mc` options those are, e.g. `["-n", "--line-endings", "lf"]`.
    pub flags: Vec<String>,
}

/// Why tables cannot be decompiled to an equivalent `.mc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecompileError {
    /// What stands in the way, naming the language and message.
    pub message: String,
    /// The index in the sources of the table the problem lies in, when it lies in one (so
    /// the caller can name its file).
    pub table: Option<usize>,
}

impl fmt::Display for DecompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecompileError {}

fn fail<T>(message: String) -> Result<T, DecompileError> {
    Err(DecompileError {
        message,
        table: None,
    })
}

/// A failure in the table at `index` of the sources.
fn fail_in<T>(index: usize, message: String) -> Result<T, DecompileError> {
    Err(DecompileError {
        message,
        table: Some(index),
    })
}

/// English names for common language ids, used as `Language=` names.
fn language_name(langid: u16) -> String {
    let name = match langid {
        0x0409 => "English",
        0x0809 => "EnglishUK",
        0x0407 => "German",
        0x040C => "French",
        0x0410 => "Italian",
        0x040A => "SpanishTraditional",
        0x0C0A => "Spanish",
        0x0416 => "PortugueseBrazil",
        0x0816 => "Portuguese",
        0x0413 => "Dutch",
        0x0406 => "Danish",
        0x041D => "Swedish",
        0x0414 => "Norwegian",
        0x040B => "Finnish",
        0x0408 => "Greek",
        0x0419 => "Russian",
        0x0415 => "Polish",
        0x0405 => "Czech",
        0x040E => "Hungarian",
        0x041F => "Turkish",
        0x0411 => "Japanese",
        0x0412 => "Korean",
        0x0404 => "ChineseTraditional",
        0x0804 => "ChineseSimplified",
        0x0000 => "Neutral",
        _ => return format!("Lang{langid:04X}"),
    };
    name.to_owned()
}

/// Decompiles tables to `.mc` text, then compiles that text and checks that every table comes
/// out byte for byte as given; anything that cannot round-trip is an error naming the message.
pub fn decompile(sources: &[SourceTable]) -> Result<Decompiled, DecompileError> {
    if sources.is_empty() {
        return fail("no tables to decompile".into());
    }
    let mut tables: Vec<(u16, MessageTable)> = Vec::with_capacity(sources.len());
    for (index, s) in sources.iter().enumerate() {
        if tables.iter().any(|(id, _)| *id == s.langid) {
            return fail_in(
                index,
                format!(
                    "two tables for language {:#06x}; expected one per language",
                    s.langid
                ),
            );
        }
        let table = werr_msgtable::read_table(&s.bytes).map_err(|e| DecompileError {
            message: format!("table for language {:#06x}: {e}", s.langid),
            table: Some(index),
        })?;
        tables.push((s.langid, table));
    }

    // One encoding for all entries.
    let mut encoding: Option<Encoding> = None;
    for (index, (langid, table)) in tables.iter().enumerate() {
        for (id, entry) in &table.entries {
            match encoding {
                None => encoding = Some(entry.encoding),
                Some(e) if e == entry.encoding => {}
                Some(e) => {
                    return fail_in(index, format!(
                        "message {id:#010x} (language {langid:#06x}) is {} but others are {}; mc writes one encoding per compile",
                        entry.encoding.name(),
                        e.name()
                    ))
                }
            }
        }
    }
    let ansi = match encoding {
        Some(Encoding::Ansi) => true,
        Some(Encoding::Unicode) | None => false,
        Some(other) => {
            return fail(format!(
                "entries are {}; mc writes only ANSI or UTF-16 entries",
                other.name()
            ))
        }
    };

    // Decode every text; find the line-end convention and whether texts end with one.
    let mut texts: BTreeMap<u32, Vec<(usize, String)>> = BTreeMap::new();
    let (mut crlf, mut lf) = (false, false);
    let mut all_end_with_eol = true;
    for (index, (langid, table)) in tables.iter().enumerate() {
        let code_page = CodePage(ansi_code_page(*langid));
        for (&id, entry) in &table.entries {
            let text = entry.text(code_page).into_owned();
            if text.contains("\r\n") {
                crlf = true;
            }
            if text.replace("\r\n", "").contains('\n') {
                lf = true;
            }
            if !text.is_empty() && !text.ends_with('\n') {
                all_end_with_eol = false;
            }
            texts.entry(id).or_default().push((index, text));
        }
    }
    if crlf && lf {
        return fail("texts mix CRLF and LF line ends; mc uses one kind per compile".into());
    }
    let line_ending = if lf { LineEnding::Lf } else { LineEnding::Crlf };
    let eol = line_ending.as_str();
    let no_final = !all_end_with_eol;

    // The customer bit is one switch for the whole compile; the reserved bit cannot be set.
    let customer = texts.keys().next().is_some_and(|&id| id & 0x2000_0000 != 0);
    for &id in texts.keys() {
        if (id & 0x2000_0000 != 0) != customer {
            return fail(format!(
                "message {id:#010x}: the customer bit differs between messages; -c sets it for all"
            ));
        }
        if id & 0x1000_0000 != 0 {
            return fail(format!(
                "message {id:#010x} has the reserved bit (28) set, which no .mc statement can produce"
            ));
        }
    }

    let mut out = String::new();
    let nl = "\r\n";
    let _ = write!(
        out,
        ";// Decompiled by werr from {} message table(s).{nl}",
        tables.len()
    );
    // Facilities other than mc.exe's defaults need declaring.
    let mut facilities: Vec<u32> = texts.keys().map(|id| (id >> 16) & 0xFFF).collect();
    facilities.sort_unstable();
    facilities.dedup();
    let facility_name = |f: u32| match f {
        0x0FF => "System".to_owned(),
        0xFFF => "Application".to_owned(),
        _ => format!("Facility{f:03X}"),
    };
    let declared: Vec<u32> = facilities
        .iter()
        .copied()
        .filter(|f| *f != 0x0FF && *f != 0xFFF)
        .collect();
    if !declared.is_empty() {
        out.push_str("FacilityNames=(");
        for (i, f) in declared.iter().enumerate() {
            if i > 0 {
                out.push_str(nl);
                out.push_str("               ");
            }
            let _ = write!(out, "{}={f:#05x}", facility_name(*f));
        }
        out.push(')');
        out.push_str(nl);
    }
    out.push_str("LanguageNames=(");
    let names: Vec<String> = tables.iter().map(|(l, _)| language_name(*l)).collect();
    for (i, (langid, _)) in tables.iter().enumerate() {
        if i > 0 {
            out.push_str(nl);
            out.push_str("               ");
        }
        let _ = write!(out, "{}={langid:#06x}:MSG{langid:05X}", names[i]);
    }
    out.push(')');
    out.push_str(nl);
    const SEVERITIES: [&str; 4] = ["Success", "Informational", "Warning", "Error"];
    for (&id, versions) in &texts {
        out.push_str(nl);
        let _ = write!(
            out,
            "MessageId={:#06x}{nl}Severity={}{nl}Facility={}{nl}SymbolicName=MSG_{id:08X}{nl}",
            id & 0xFFFF,
            SEVERITIES[(id >> 30) as usize],
            facility_name((id >> 16) & 0xFFF)
        );
        for (index, text) in versions {
            let body = if no_final {
                text.as_str()
            } else {
                text.strip_suffix(eol).unwrap_or(text)
            };
            let _ = write!(out, "Language={}{nl}", names[*index]);
            if !text.is_empty() || no_final {
                for line in body.split(eol) {
                    if line == "." || line.ends_with('\r') || line.contains('\n') {
                        return fail_in(
                            *index,
                            format!(
                            "message {id:#010x} ({}) has the line {}, which a .mc text cannot hold",
                            names[*index],
                            werr_quote::quoted(line)
                        ),
                        );
                    }
                    out.push_str(line);
                    out.push_str(nl);
                }
            }
            out.push('.');
            out.push_str(nl);
        }
    }

    let options = CompileOptions {
        text_line_ending: line_ending,
        ansi_tables: ansi,
        no_final_line_end: no_final,
        ..CompileOptions::default()
    };
    let mut flags = Vec::new();
    if customer {
        flags.push("-c".to_owned());
    }
    if ansi {
        flags.push("-A".to_owned());
    }
    if no_final {
        flags.push("-n".to_owned());
    }
    if line_ending == LineEnding::Lf {
        flags.extend(["--line-endings".to_owned(), "lf".to_owned()]);
    }

    // Prove it: compile the text and compare every table.
    let reparsed = parse(
        &out,
        ParseOptions {
            customer_bit: customer,
        },
    )
    .map_err(|d: Diagnostic| DecompileError {
        message: format!("the decompiled text does not parse: {d}"),
        table: None,
    })?;
    let compiled = compile(&reparsed, &options).map_err(|e| DecompileError {
        message: format!("the decompiled text does not compile: {}", e.diagnostic),
        table: None,
    })?;
    for (index, s) in sources.iter().enumerate() {
        let Some(t) = compiled.tables.iter().find(|t| t.language.id == s.langid) else {
            if werr_msgtable::read_table(&s.bytes).is_ok_and(|t| t.is_empty()) {
                continue;
            }
            return fail_in(
                index,
                format!("language {:#06x} produced no table", s.langid),
            );
        };
        if t.bytes != s.bytes {
            let at = t
                .bytes
                .iter()
                .zip(&s.bytes)
                .position(|(a, b)| a != b)
                .unwrap_or(t.bytes.len().min(s.bytes.len()));
            return fail_in(index, format!(
                "language {:#06x}: recompiled table differs from the input at byte offset {at} ({} vs {} bytes); the input was not written by mc",
                s.langid,
                t.bytes.len(),
                s.bytes.len()
            ));
        }
    }
    Ok(Decompiled {
        text: out,
        options,
        customer_bit: customer,
        flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use werr_msgtable::Entry;

    fn table(entries: &[(u32, &str)]) -> Vec<u8> {
        let mut t = MessageTable::new();
        for (id, text) in entries {
            t.insert(*id, Entry::unicode(text));
        }
        werr_msgtable::write(&t).expect("writable")
    }

    #[test]
    fn finds_lf_and_missing_final_line_end_options() {
        let bytes = table(&[(0xC0FF_0001, "one\ntwo"), (0xC0FF_0002, "three\n")]);
        let d = decompile(&[SourceTable {
            langid: 0x409,
            bytes,
        }])
        .expect("decompiles");
        assert_eq!(d.flags, vec!["-n", "--line-endings", "lf"]);
        assert!(d
            .text
            .contains("MessageId=0x0001\r\nSeverity=Error\r\nFacility=System\r\n"));
    }

    #[test]
    fn refuses_a_line_holding_only_a_period() {
        let bytes = table(&[(1, "a\r\n.\r\nb\r\n")]);
        let e = decompile(&[SourceTable {
            langid: 0x409,
            bytes,
        }])
        .unwrap_err();
        assert!(e.message.contains("the line `.`"), "{}", e.message);
    }

    #[test]
    fn refuses_the_customer_bit_on_some_messages_only() {
        let bytes = table(&[(0x2000_0001, "a\r\n"), (2, "b\r\n")]);
        let e = decompile(&[SourceTable {
            langid: 0x409,
            bytes,
        }])
        .unwrap_err();
        assert!(e.message.contains("customer bit"), "{}", e.message);
    }
}
