//! Importers of message files: `.mc` sources (compiled with `werr-mc` as mc.exe would) and
//! message-table containers (PE modules, `.mui`, `.res`, through `werr-msgtable`).
//!
//! Each message becomes a [`MessageRow`] whose module is the file's name (`neteventmsg.mc`,
//! `adtschema.dll`): the name `werr import FILE --provider NAME` registers for the provider.

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{FileRow, MessageRow};

/// The module name of a file: its last path component.
pub fn module_name(rel: &str) -> String {
    rel.rsplit(['/', '\\']).next().unwrap_or(rel).to_string()
}

fn issue(rel: &str, line: u32, column: u32, message: String) -> ImportIssue {
    ImportIssue {
        path: rel.to_string(),
        line,
        column,
        message,
        skipped_file: true,
    }
}

/// Imports `.mc` files: every message in every language, as mc.exe would compile it.
pub struct McImporter;

impl Importer for McImporter {
    fn name(&self) -> &'static str {
        "mc"
    }

    fn accepts(&self, rel: &str, _head: &[u8]) -> bool {
        rel.to_ascii_lowercase().ends_with(".mc")
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let text = werr_mc::decode_source(bytes, werr_mc::InputEncoding::Detect)
            .map_err(|d| issue(rel, d.line, d.column, d.message))?;
        let file = werr_mc::parse(&text, werr_mc::ParseOptions::default())
            .map_err(|d| issue(rel, d.line, d.column, d.message))?;
        let compiled =
            werr_mc::compile(&file, &werr_mc::CompileOptions::default()).map_err(|e| {
                issue(
                    rel,
                    e.diagnostic.line,
                    e.diagnostic.column,
                    e.diagnostic.message,
                )
            })?;
        let module = module_name(rel);
        let mut parsed = ParsedFile {
            file: FileRow {
                path: rel.to_string(),
                preamble: None,
            },
            ..ParsedFile::default()
        };
        for table in &compiled.tables {
            let langid = table.language.id;
            let code_page = werr_msgtable::lang::ansi_code_page(langid);
            let entries = werr_msgtable::read(&table.bytes).map_err(|e| {
                issue(
                    rel,
                    0,
                    0,
                    format!("compiled table {}: {e}", table.file_name),
                )
            })?;
            for entry in &entries.entries {
                parsed.messages.push(MessageRow {
                    module: module.clone(),
                    message_id: entry.id,
                    langid,
                    text: entry.text(code_page).into_owned(),
                    file: Some(rel.to_string()),
                });
            }
        }
        for warning in &compiled.warnings {
            parsed.issues.push(ImportIssue {
                skipped_file: false,
                ..issue(rel, warning.line, warning.column, warning.message.clone())
            });
        }
        Ok(parsed)
    }
}

/// Imports the message tables of PE modules (`.dll`, `.exe`, `.sys`, `.mui`...), `.res`
/// files and raw tables named as mc writes them (`MSG00409.bin`, language from the name).
///
/// Every table of every language becomes [`MessageRow`]s (module = file name, id, LANGID,
/// text decoded with the language's ANSI code page when the entry is ANSI). A file that is
/// not a readable container is skipped with an issue naming the byte offset; a table with
/// defects imports the entries that read (lenient reader) and reports the rest; a PE module
/// without message tables contributes nothing and is not reported (a tree such as Wine's
/// has hundreds).
pub struct MessageTableImporter;

const PE_EXTENSIONS: [&str; 9] = [
    ".dll", ".exe", ".sys", ".mui", ".res", ".pyd", ".ocx", ".cpl", ".drv",
];

impl Importer for MessageTableImporter {
    fn name(&self) -> &'static str {
        "msgtable"
    }

    fn accepts(&self, rel: &str, head: &[u8]) -> bool {
        let lower = rel.to_ascii_lowercase();
        if PE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext)) {
            return werr_msgtable::detect(head).is_some();
        }
        werr_msgtable::langid_from_bin_name(&module_name(rel)).is_some()
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let module = module_name(rel);
        let bin_langid = werr_msgtable::langid_from_bin_name(&module).unwrap_or(0);
        let extracted = werr_msgtable::extract(bytes, bin_langid)
            .map_err(|e| issue(rel, 0, 0, format!("not a message-table container: {e}")))?;
        let mut parsed = ParsedFile {
            file: FileRow {
                path: rel.to_string(),
                preamble: None,
            },
            ..ParsedFile::default()
        };
        for problem in &extracted.problems {
            parsed.issues.push(ImportIssue {
                skipped_file: false,
                ..issue(rel, 0, 0, format!("resource skipped: {problem}"))
            });
        }
        for resource in &extracted.tables {
            let code_page = werr_msgtable::lang::ansi_code_page(resource.langid);
            let (table, defects) = werr_msgtable::read_lenient(resource.data);
            for defect in defects {
                parsed.issues.push(ImportIssue {
                    skipped_file: false,
                    ..issue(
                        rel,
                        0,
                        0,
                        format!(
                            "message table (LANGID 0x{:04X}) at byte 0x{:X}: {defect}",
                            resource.langid, resource.file_offset
                        ),
                    )
                });
            }
            for entry in &table.entries {
                parsed.messages.push(MessageRow {
                    module: module.clone(),
                    message_id: entry.id,
                    langid: resource.langid,
                    text: entry.text(code_page).into_owned(),
                    file: Some(rel.to_string()),
                });
            }
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mc_import_yields_every_language_with_full_ids() {
        let Some(path) = werr_testdata::corpus("reactos-mc/neteventmsg.mc") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let parsed = McImporter.parse("mc/neteventmsg.mc", &bytes).unwrap();
        let started: Vec<&MessageRow> = parsed
            .messages
            .iter()
            .filter(|m| m.message_id == 0x8000_1775)
            .collect();
        assert_eq!(started.len(), 4, "English, French, Polish, Russian");
        assert!(started.iter().all(|m| m.module == "neteventmsg.mc"));
        let english = started.iter().find(|m| m.langid == 0x0409).unwrap();
        assert_eq!(english.text, "The Event log service was started.\r\n");
    }

    #[test]
    fn pe_import_reads_the_message_table() {
        let Some(path) = werr_testdata::cargo_registry_file("evtx-", "samples/dlls/adtschema.dll")
        else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        assert!(MessageTableImporter.accepts("adtschema.dll", &bytes[..64]));
        let parsed = MessageTableImporter.parse("adtschema.dll", &bytes).unwrap();
        assert_eq!(parsed.messages.len(), 544);
        let startup = parsed
            .messages
            .iter()
            .find(|m| m.message_id == 4608)
            .unwrap();
        assert!(
            startup.text.starts_with("Windows is starting up."),
            "{}",
            startup.text
        );
        assert_eq!(startup.langid, 0x0409);
    }

    #[test]
    fn rejects_text_that_is_not_a_message_file() {
        assert!(!MessageTableImporter.accepts("notes.dll", b"plain text"));
        let issue = McImporter
            .parse("bad.mc", b"MessageId=\nSeverity=Nope\n")
            .unwrap_err();
        assert!(issue.line > 0, "{issue}");
    }
}
