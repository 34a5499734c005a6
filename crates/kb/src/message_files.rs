//! Importers of message files: `.mc` sources (compiled with `werr-mc` as mc.exe would) and
//! message-table containers (PE modules, `.mui`, `.res`, through `werr-msgtable`).
//!
//! Each message becomes a [`MessageRow`] whose module is the file's name (`neteventmsg.mc`,
//! `adtschema.dll`): the name `werr import FILE --provider NAME` registers for the provider.
//!
//! A `.mc` file also yields a definition per named message, as the header mc.exe writes
//! for it would hold it (see [`mc_definitions`]).

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{
    DefinitionRow, FileRow, GroupRow, ManifestEventRow, MessageNameRow, MessageRow,
};
use werr_msgtable::BinTableName;

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
        let mut parsed = mc_definitions(rel, &file);
        parsed.message_names = message_names(&file, &module);
        for table in &compiled.tables {
            let langid = table.language.id;
            let entries = werr_msgtable::read(&table.bytes).map_err(|e| {
                issue(
                    rel,
                    0,
                    0,
                    format!("compiled table {}: {e}", table.file_name),
                )
            })?;
            push_table(&mut parsed, rel, &module, langid, &entries);
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

/// The definitions, groups and description a `.mc` file's header would carry, placed at the
/// `.mc` file's lines:
///
/// - each named message: its `#define`, C type and line comments as the header mc.exe writes
///   (werr-mc's header writer, read back by the werr-headers scanner), at the line of its
///   `MessageId`;
/// - groups and the file's category and description: [`werr_mc::outline`], with licence
///   and authorship paragraphs left out (`werr_headers::is_boilerplate`);
/// - a SymbolicName the file gives to messages of different values names none of them: it
///   is reported (an issue at its first message) and not stored;
pub(crate) fn mc_definitions(rel: &str, file: &werr_mc::MessageFile) -> ParsedFile {
    // Licence notices (Wine's files open with the LGPL's) describe no code.
    let outline = werr_mc::outline(file, werr_headers::is_boilerplate);
    let groups: Vec<GroupRow> = outline
        .groups
        .iter()
        .map(|g| GroupRow {
            title: g.title.clone(),
            line: g.line,
            first: g.first,
            last: g.last,
        })
        .collect();
    let (category, placed) = (outline.category, outline.messages);
    let ambiguous = names_of_several_values(&placed);
    let mut issues = Vec::new();
    for (name, lines) in &ambiguous {
        let shown: Vec<String> = lines.iter().take(5).map(u32::to_string).collect();
        issues.push(ImportIssue {
            path: rel.to_string(),
            line: lines[0],
            column: 1,
            message: format!(
                "SymbolicName {name} is given to {} messages of different values (lines {}{}); a name that stands for several values names none of them: not stored as a definition",
                lines.len(),
                shown.join(", "),
                if lines.len() > shown.len() { ", ..." } else { "" }
            ),
            skipped_file: false,
        });
    }
    let mut definitions = Vec::new();
    for (g, m) in placed {
        let Some(symbol) = &m.symbol else { continue };
        if ambiguous.contains_key(symbol) {
            continue;
        }
        let one = werr_mc::MessageFile {
            items: vec![werr_mc::Item::Message(m.clone())],
            languages: file.languages.clone(),
            ..werr_mc::MessageFile::default()
        };
        let text = werr_mc::write_header(
            &one,
            werr_mc::HeaderOptions {
                line_ending: werr_mc::LineEnding::Lf,
                ..werr_mc::HeaderOptions::default()
            },
        );
        let scanned = werr_headers::scan(rel, &text);
        let Some(d) = scanned.definitions.iter().find(|d| &d.name == symbol) else {
            continue;
        };
        definitions.push((
            g,
            DefinitionRow {
                name: d.name.clone(),
                value: Some(m.value),
                expression: d.expression.clone(),
                c_type: d.c_type.clone(),
                category: if category.is_empty() {
                    d.category.clone()
                } else {
                    category.clone()
                },
                line: m.line,
                definition: d.definition.clone(),
                line_comments: d.line_comments.clone(),
                message_text: d.message_text.clone(),
                namespace: None,
            },
        ));
    }
    ParsedFile {
        file: FileRow {
            path: rel.to_string(),
            preamble: Some(outline.description),
        },
        groups,
        definitions,
        issues,
        ..ParsedFile::default()
    }
}

/// The name each named message of `file` gets, for the messages of `module`; a name the file
/// gives messages of different values names none of them (see [`names_of_several_values`]).
pub fn message_names(file: &werr_mc::MessageFile, module: &str) -> Vec<MessageNameRow> {
    let placed: Vec<(Option<usize>, &werr_mc::Message)> = file
        .items
        .iter()
        .filter_map(|item| match item {
            werr_mc::Item::Message(m) => Some((None, m)),
            _ => None,
        })
        .collect();
    let ambiguous = names_of_several_values(&placed);
    placed
        .iter()
        .filter_map(|(_, m)| {
            let name = m.symbol.as_ref()?;
            (!ambiguous.contains_key(name)).then(|| MessageNameRow {
                module: module.to_string(),
                message_id: m.value,
                name: name.clone(),
            })
        })
        .collect()
}

/// The SymbolicNames a file gives to messages of different values, with the lines of those
/// messages (ReactOS's pciclass.mc calls all its 100 messages `NONE`; mc.exe's header would
/// `#define` the name again for each).
fn names_of_several_values(
    placed: &[(Option<usize>, &werr_mc::Message)],
) -> std::collections::BTreeMap<String, Vec<u32>> {
    let mut by_name: std::collections::BTreeMap<String, Vec<&werr_mc::Message>> =
        Default::default();
    for (_, m) in placed {
        if let Some(symbol) = &m.symbol {
            by_name.entry(symbol.clone()).or_default().push(m);
        }
    }
    by_name
        .into_iter()
        .filter(|(_, ms)| ms.iter().any(|m| m.value != ms[0].value))
        .map(|(name, ms)| (name, ms.iter().map(|m| m.line).collect()))
        .collect()
}

/// Imports the message tables `mc` writes (`MSG00409.bin`, `netevent_MSG00409.bin`), in the
/// language their name gives; the module is the file name.
pub struct BinTableImporter;

impl Importer for BinTableImporter {
    fn name(&self) -> &'static str {
        "mc-bin"
    }

    fn accepts(&self, rel: &str, _head: &[u8]) -> bool {
        BinTableName::parse(rel).is_some()
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let langid = BinTableName::parse(rel)
            .ok_or_else(|| issue(rel, 0, 0, "expected a name [PREFIX_]MSGxxxxx.bin".into()))?
            .langid;
        let (table, defects) = werr_msgtable::read_lenient(bytes);
        let mut parsed = ParsedFile {
            file: FileRow {
                path: rel.to_string(),
                preamble: None,
            },
            ..ParsedFile::default()
        };
        for defect in defects {
            parsed.issues.push(ImportIssue {
                skipped_file: false,
                ..issue(rel, 0, 0, format!("message table: {defect}"))
            });
        }
        let module = module_name(rel);
        push_table(&mut parsed, rel, &module, langid, &table);
        if parsed.messages.is_empty() {
            return Err(issue(rel, 0, 0, "no messages in the table".into()));
        }
        Ok(parsed)
    }
}

/// Imports the message tables of PE modules (`.dll`, `.exe`, `.sys`, `.mui`...) and `.res`
/// files (mc's `MSGxxxxx.bin` tables: [`BinTableImporter`]).
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
        PE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
            && werr_msgtable::detect(head).is_some()
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let module = module_name(rel);
        let extracted = werr_msgtable::extract(bytes, 0)
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
            push_table(&mut parsed, rel, &module, resource.langid, &table);
        }
        if matches!(
            extracted.kind,
            werr_msgtable::FileKind::Pe32 | werr_msgtable::FileKind::Pe64
        ) {
            push_manifests(&mut parsed, rel, &module, bytes);
        }
        Ok(parsed)
    }
}

/// Adds the events of the module's compiled event manifests (`WEVT_TEMPLATE`): for a
/// manifest provider's record, the link from its EventID and Version to its message. A
/// manifest that cannot be read is reported and skipped; the messages still import.
fn push_manifests(parsed: &mut ParsedFile, rel: &str, module: &str, bytes: &[u8]) {
    let found = match werr_msgtable::wevt_templates(bytes) {
        Ok(found) => found,
        Err(e) => {
            parsed.issues.push(ImportIssue {
                skipped_file: false,
                ..issue(rel, 0, 0, format!("event manifests skipped: {e}"))
            });
            return;
        }
    };
    for problem in &found.problems {
        parsed.issues.push(ImportIssue {
            skipped_file: false,
            ..issue(rel, 0, 0, format!("event manifest skipped: {problem}"))
        });
    }
    for resource in &found.tables {
        let manifest = match werr_msgtable::read_manifest(resource.data) {
            Ok(manifest) => manifest,
            Err(e) => {
                parsed.issues.push(ImportIssue {
                    skipped_file: false,
                    ..issue(
                        rel,
                        0,
                        0,
                        format!("event manifest at byte 0x{:X}: {e}", resource.file_offset),
                    )
                });
                continue;
            }
        };
        for provider in &manifest.providers {
            for event in &provider.events {
                parsed.manifest_events.push(ManifestEventRow {
                    provider_guid: provider.guid.clone(),
                    event_id: event.id,
                    version: event.version,
                    message_id: event.message_id,
                    module: module.to_string(),
                });
            }
        }
    }
}

/// Adds every message of `table` (language `langid`, decoded with its ANSI code page) as a
/// message of `module` read from `rel`.
fn push_table(
    parsed: &mut ParsedFile,
    rel: &str,
    module: &str,
    langid: u16,
    table: &werr_msgtable::TableRef<'_>,
) {
    let code_page = werr_msgtable::lang::ansi_code_page(langid);
    for entry in &table.entries {
        parsed.messages.push(MessageRow {
            module: module.to_string(),
            message_id: entry.id,
            langid,
            text: entry.text(code_page).into_owned(),
            file: Some(rel.to_string()),
        });
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
    fn mc_import_stores_definitions_as_the_header_would() {
        let Some(path) = werr_testdata::corpus("reactos-mc/neteventmsg.mc") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let parsed = McImporter.parse("mc/neteventmsg.mc", &bytes).unwrap();
        let (group, started) = parsed
            .definitions
            .iter()
            .find(|(_, d)| d.name == "EVENT_EventlogStarted")
            .expect("EVENT_EventlogStarted defined");
        assert_eq!(started.value, Some(0x8000_1775));
        assert_eq!(
            started.definition, "#define EVENT_EventlogStarted            ((DWORD)0x80001775L)",
            "MessageIdTypedef=DWORD, as mc.exe writes it"
        );
        let message_line = text
            .lines()
            .position(|l| l.trim() == "MessageId=6005")
            .unwrap() as u32
            + 1;
        assert_eq!(started.line, message_line);
        assert_eq!(
            started.line_comments.as_deref(),
            Some("MessageId: EVENT_EventlogStarted\n\nMessageText:\n\nThe Event log service was started.")
        );
        let group = &parsed.groups[group.expect("under a heading")];
        assert_eq!(group.title, "eventlog events 6000-6099");
        assert_eq!(group.first, Some(6000));
        assert_eq!(
            started.category,
            "netevent.mc MESSAGE resources for netevent.dll"
        );
        // Every named message is defined once; the texts keep all four languages.
        let named = text
            .lines()
            .filter(|l| l.starts_with("SymbolicName="))
            .count();
        assert_eq!(parsed.definitions.len(), named);
        let preamble = parsed.file.preamble.as_deref().unwrap();
        assert!(preamble.contains("Values are 32 bit values laid out as follows:"));
    }

    #[test]
    fn a_name_given_to_many_values_is_reported_not_stored() {
        let Some(path) = werr_testdata::corpus("reactos-mc/pciclass.mc") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let named = text.lines().filter(|l| *l == "SymbolicName=NONE").count();
        let parsed = McImporter.parse("pciclass.mc", &bytes).unwrap();
        assert!(parsed.definitions.iter().all(|(_, d)| d.name != "NONE"));
        let issue = parsed
            .issues
            .iter()
            .find(|i| i.message.contains("SymbolicName NONE"))
            .expect("reported");
        assert!(!issue.skipped_file);
        assert!(
            issue.message.contains(&format!("{named} messages")),
            "{issue}"
        );
        // The texts stay: every message in its three languages.
        assert_eq!(parsed.messages.len(), 3 * named);
    }

    #[test]
    fn a_licence_notice_is_neither_category_nor_group() {
        let Some(path) = werr_testdata::corpus("wine-mc/winineterror.mc") else {
            return;
        };
        let bytes = std::fs::read(&path).unwrap();
        let parsed = McImporter.parse("winineterror.mc", &bytes).unwrap();
        assert!(!parsed.definitions.is_empty());
        assert!(parsed
            .definitions
            .iter()
            .all(|(_, d)| !d.category.contains("Copyright")));
        assert!(parsed.groups.iter().all(|g| !g.title.contains("License")));
        assert!(!parsed.file.preamble.unwrap_or_default().contains("License"));
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
    fn bin_tables_import_in_the_language_their_name_gives() {
        let takes = |rel: &str| BinTableImporter.accepts(rel, &[]);
        assert!(takes("r/MSG00409.bin") && takes("netevent_MSG00C0A.bin"));
        for rel in [
            "MSG0040G.bin",
            "xMSG00409.bin",
            "MSG00409.txt",
            "MSG.bin",
            "MSG10000.bin",
        ] {
            assert!(!takes(rel), "{rel}");
        }
        let mut table = werr_msgtable::MessageTable::new();
        table.insert(7, werr_msgtable::Entry::unicode("Hola\n"));
        let bytes = werr_msgtable::write(&table).unwrap();
        let parsed = BinTableImporter
            .parse("r/netevent_MSG00C0A.bin", &bytes)
            .unwrap();
        assert_eq!(parsed.messages.len(), 1);
        assert_eq!(parsed.messages[0].langid, 0x0C0A);
        assert_eq!(parsed.messages[0].module, "netevent_MSG00C0A.bin");
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
