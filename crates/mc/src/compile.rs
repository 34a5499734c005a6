//! From a parsed file to mc.exe's outputs: the header, the `.rc` script and one
//! MESSAGE_RESOURCE_DATA table per language.

use crate::header::{write_header, HeaderOptions};
use crate::model::{Diagnostic, LanguageName, MessageFile};
use crate::LineEnding;
use std::collections::HashMap;
use std::fmt::Write as _;
use werr_msgtable::{CodePage, Entry, MessageTable};

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
    /// The table.
    pub table: MessageTable,
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

/// The ANSI code page Windows uses for a language id (for `-A` tables).
pub fn ansi_code_page(langid: u16) -> u16 {
    let primary = langid & 0x3FF;
    match primary {
        0x04 => match langid {
            0x0804 | 0x1004 => 936,
            _ => 950,
        },
        0x11 => 932,
        0x12 => 949,
        0x1E => 874,
        0x2A => 1258,
        0x19 | 0x22 | 0x23 | 0x02 | 0x2F | 0x3F | 0x44 | 0x50 | 0x28 | 0x40 | 0x45 | 0x6D => 1251,
        0x1A if matches!(langid, 0x0C1A | 0x1C1A | 0x201A) => 1251,
        0x05 | 0x0E | 0x15 | 0x18 | 0x1A | 0x1B | 0x1C | 0x24 => 1250,
        0x08 => 1253,
        0x1F | 0x2C | 0x43 => 1254,
        0x0D => 1255,
        0x01 | 0x29 | 0x20 | 0x8C | 0x92 => 1256,
        0x25..=0x27 => 1257,
        _ => 1252,
    }
}

/// Why compiling failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// Where and what.
    pub diagnostic: Diagnostic,
}

/// Compiles a parsed file.
pub fn compile(file: &MessageFile, options: &CompileOptions) -> Result<Compiled, CompileError> {
    let eol = options.text_line_ending.as_str();
    let mut warnings = file.warnings.clone();
    // Tables keyed by (langid, file); languages in first-use order.
    let mut order: Vec<usize> = Vec::new();
    let mut tables: HashMap<(u16, &str), (usize, MessageTable, HashMap<u32, u32>)> = HashMap::new();
    let mut buffer = String::new();
    for message in file.messages() {
        for text in &message.texts {
            let Some(language) = file.languages.get(text.language) else {
                continue;
            };
            buffer.clear();
            for (i, line) in text.lines.iter().enumerate() {
                buffer.push_str(line);
                if !(options.no_final_line_end && i + 1 == text.lines.len()) {
                    buffer.push_str(eol);
                }
            }
            if let Some(max) = options.max_length {
                let length = buffer.chars().count();
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
                Entry::unicode(&buffer)
            };
            let key = (language.id, language.file.as_str());
            let slot = tables.entry(key).or_insert_with(|| {
                order.push(text.language);
                (text.language, MessageTable::new(), HashMap::new())
            });
            if let Some(first_line) = slot.2.insert(message.value, text.line) {
                return Err(CompileError {
                    diagnostic: Diagnostic {
                        line: text.line,
                        column: 1,
                        message: format!(
                            "message {:#010x} already has a {} text (line {first_line}); expected each value once per language",
                            message.value, language.name
                        ),
                        hint: Some("give the message another MessageId, Severity or Facility".into()),
                    },
                });
            }
            slot.1.insert(message.value, entry);
        }
    }
    let mut compiled_tables = Vec::with_capacity(order.len());
    for language_index in order {
        let language = &file.languages[language_index];
        let Some((_, table, _)) = tables.remove(&(language.id, language.file.as_str())) else {
            continue;
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
        compiled_tables.push(CompiledTable {
            language: language.clone(),
            file_name,
            table,
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
