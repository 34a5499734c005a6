//! From a parsed file to mc.exe's outputs: the header, the `.rc` script and one
//! MESSAGE_RESOURCE_DATA table per language.

use crate::header::{write_header, HeaderOptions};
use crate::model::{Diagnostic, LanguageName, MessageFile, Text};
use crate::LineEnding;
use std::fmt::Write as _;
use werr_msgtable::{CodePage, Encoding, Entry, MessageTable};

/// Choices for compiling (mc.exe's options, in werr's names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// The header's form (`-o`, `-d`, line ends).
    pub header: HeaderOptions,
    /// Line ends inside message texts: CRLF (mc.exe) or LF (GNU windmc).
    pub text_line_ending: LineEnding,
    /// `-A`: ANSI entries (flags 0) in each language's code page instead of UTF-16LE.
    pub ansi_tables: bool,
    /// `-n`: no line end after the last line of each message.
    pub no_final_line_end: bool,
    /// `-b`: prefix `.bin` names with this base name and `_`.
    pub bin_prefix: Option<String>,
    /// `-m N`: warn about messages longer than N characters.
    pub max_length: Option<usize>,
}

/// One language's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledTable {
    /// The language as declared.
    pub language: LanguageName,
    /// The `.bin` file name (`MSG00409.bin`, or `base_MSG00409.bin` with `-b`).
    pub file_name: String,
    /// The table's bytes, as written to the `.bin` file.
    pub bytes: Vec<u8>,
}

/// Everything mc.exe writes for one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// The header text (encode it with the requested output encoding).
    pub header: String,
    /// The `.rc` script.
    pub rc: String,
    /// One table per language that has messages, in `.rc` order.
    pub tables: Vec<CompiledTable>,
    /// Notes about the input (parse warnings and length warnings).
    pub warnings: Vec<Diagnostic>,
}

/// The ANSI code page of a language id (for `-A` tables), from `werr-msgtable`'s table.
pub fn ansi_code_page(langid: u16) -> u16 {
    werr_msgtable::lang::ansi_code_page(langid).0
}

/// Why compiling failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// Where and what.
    pub diagnostic: Diagnostic,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for CompileError {}

/// Appends a text's lines with their line ends.
fn push_text(out: &mut String, text: &Text, eol: &str, final_eol: bool) {
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        if final_eol || i + 1 < text.line_count {
            out.push_str(eol);
        }
    }
}

/// A text as UTF-16LE bytes with its line ends, without an intermediate string.
fn utf16_text(text: &Text, eol: &str, final_eol: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 * (text.body.len() + 2 * text.line_count));
    let mut push = |s: &str| {
        for unit in s.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
    };
    for (i, line) in text.lines().enumerate() {
        push(line);
        if final_eol || i + 1 < text.line_count {
            push(eol);
        }
    }
    out
}

/// Compiles a parsed file.
pub fn compile(file: &MessageFile, options: &CompileOptions) -> Result<Compiled, CompileError> {
    let eol = options.text_line_ending.as_str();
    let mut warnings = file.warnings.clone();
    // One table per (langid, file), in first-use order. Tables are built one at a time so
    // that only one language's encoded texts are in memory at once.
    let mut groups: Vec<usize> = Vec::new();
    let mut group_of: Vec<Option<usize>> = vec![None; file.languages.len()];
    for message in file.messages() {
        for text in &message.texts {
            let Some(language) = file.languages.get(text.language) else {
                continue;
            };
            if group_of[text.language].is_some() {
                continue;
            }
            let same = |&r: &usize| {
                let other = &file.languages[r];
                other.id == language.id && other.file == language.file
            };
            let group = match groups.iter().position(same) {
                Some(g) => g,
                None => {
                    groups.push(text.language);
                    groups.len() - 1
                }
            };
            group_of[text.language] = Some(group);
        }
    }
    let mut buffer = String::new();
    let final_eol = !options.no_final_line_end;
    let mut compiled_tables = Vec::with_capacity(groups.len());
    for (group, &language_index) in groups.iter().enumerate() {
        let language = &file.languages[language_index];
        let mut entries: Vec<(u32, Entry, u32)> = Vec::new();
        for message in file.messages() {
            for text in &message.texts {
                if group_of.get(text.language).copied().flatten() != Some(group) {
                    continue;
                }
                let language = &file.languages[text.language];
                if let Some(max) = options.max_length {
                    let length = text.body.chars().count()
                        + eol.len() * (text.line_count.saturating_sub(1) + usize::from(final_eol));
                    if length > max {
                        warnings.push(Diagnostic {
                            line: text.line,
                            column: 1,
                            message: format!(
                                "message {:#010x} in {} has {length} characters; the limit (-m) is {max}",
                                message.value, language.name
                            ),
                            hint: None,
                        });
                    }
                }
                let entry = if options.ansi_tables {
                    buffer.clear();
                    push_text(&mut buffer, text, eol, final_eol);
                    let code_page = CodePage(
                        language
                            .code_page
                            .unwrap_or_else(|| ansi_code_page(language.id)),
                    );
                    Entry::ansi(&buffer, code_page).map_err(|e| CompileError {
                        diagnostic: Diagnostic {
                            line: text.line,
                            column: 1,
                            message: format!(
                                "message {:#010x} in {}: {e}",
                                message.value, language.name
                            ),
                            hint: Some(
                                "drop -A to write UTF-16 tables, or give the language a code page: NAME=LANGID:FILE:CODEPAGE".into(),
                            ),
                        },
                    })?
                } else {
                    Entry::from_bytes(Encoding::Unicode, utf16_text(text, eol, final_eol))
                };
                entries.push((message.value, entry, text.line));
            }
        }
        // Sorted input lets the table be built in bulk; equal neighbours are duplicates.
        entries.sort_by_key(|e| e.0);
        if let Some(pair) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            let (value, first_line, line) = (pair[0].0, pair[0].2, pair[1].2);
            return Err(CompileError {
                diagnostic: Diagnostic {
                    line,
                    column: 1,
                    message: format!(
                        "message {value:#010x} already has a {} text (line {first_line}); expected each value once per language",
                        language.name
                    ),
                    hint: Some("give the message another MessageId, Severity or Facility".into()),
                },
            });
        }
        let table = MessageTable {
            entries: entries.into_iter().map(|(v, e, _)| (v, e)).collect(),
        };
        let bytes = werr_msgtable::write(&table).map_err(|e| CompileError {
            diagnostic: Diagnostic {
                line: 1,
                column: 1,
                message: format!("table for {}: {e}", language.name),
                hint: None,
            },
        })?;
        let file_name = match &options.bin_prefix {
            Some(prefix) => format!("{prefix}_{}.bin", language.file),
            None => format!("{}.bin", language.file),
        };
        drop(table);
        compiled_tables.push(CompiledTable {
            language: language.clone(),
            file_name,
            bytes,
        });
    }
    // mc.exe lists languages by name, descending.
    compiled_tables.sort_by(|a, b| {
        b.language
            .name
            .to_ascii_uppercase()
            .cmp(&a.language.name.to_ascii_uppercase())
    });
    let rc = write_rc(&compiled_tables, options.header.line_ending);
    Ok(Compiled {
        header: write_header(file, options.header),
        rc,
        tables: compiled_tables,
        warnings,
    })
}

/// The `.rc` script: per table, `LANGUAGE primary,sub` and `1 11 "FILE"`.
pub fn write_rc(tables: &[CompiledTable], line_ending: LineEnding) -> String {
    let eol = line_ending.as_str();
    let mut rc = String::new();
    for t in tables {
        let id = t.language.id;
        let _ = write!(
            rc,
            "LANGUAGE 0x{:x},0x{:x}{eol}1 11 \"{}\"{eol}",
            id & 0x3FF,
            id >> 10,
            t.file_name
        );
    }
    rc
}
