//! Importer of the [MS-ERREF] tables as impacket packages them (`impacket/hresult_errors.py`,
//! `nt_errors.py`, `system_errors.py`; reader: `werr-erref`).
//!
//! Each dictionary entry becomes a definition whose `message_text` is the specification's
//! English text, at the entry's line; the file's name says which scheme its values follow
//! (HRESULT, NTSTATUS, Win32 error), stored as C type and category so that
//! [`crate::scheme_of`] reads them that way. An assignment `NAME = VALUE` that repeats an
//! entry adds nothing; one that does not (another name or value) is kept as a definition
//! without text.

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{DefinitionRow, FileRow};
use std::collections::HashSet;

/// The three tables and what their values are: file name, C type, category.
pub const ERREF_TABLES: [(&str, &str, &str); 3] = [
    ("hresult_errors.py", "HRESULT", "HRESULT"),
    ("nt_errors.py", "NTSTATUS", "NTSTATUS"),
    ("system_errors.py", "WIN32_ERROR", "Win32 error"),
];

/// Imports impacket's [MS-ERREF] tables (see the module docs).
pub struct ErrefImporter;

impl Importer for ErrefImporter {
    fn name(&self) -> &'static str {
        "ms-erref"
    }

    fn accepts(&self, rel: &str, head: &[u8]) -> bool {
        let base = crate::module_name(rel);
        ERREF_TABLES.iter().any(|(file, _, _)| *file == base)
            && head.windows(10).any(|w| w == b"[MS-ERREF]")
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let base = crate::module_name(rel);
        let Some((_, c_type, category)) = ERREF_TABLES.iter().find(|(f, _, _)| *f == base) else {
            return Err(ImportIssue {
                path: rel.to_string(),
                line: 0,
                column: 0,
                message: format!(
                    "expected one of the [MS-ERREF] tables {}",
                    ERREF_TABLES.map(|t| t.0).join(", ")
                ),
                skipped_file: true,
            });
        };
        let table = werr_erref::read(bytes).map_err(|e| ImportIssue {
            path: rel.to_string(),
            line: e.line,
            column: e.column,
            message: e.message,
            skipped_file: true,
        })?;
        let row =
            |name: &str, value: u32, expression: &str, line: u32, written: &str| DefinitionRow {
                name: name.to_string(),
                value: Some(value),
                expression: expression.to_string(),
                c_type: c_type.to_string(),
                category: category.to_string(),
                line,
                definition: written.to_string(),
                line_comments: None,
                message_text: None,
                namespace: None,
            };
        let mut definitions = Vec::with_capacity(table.entries.len());
        let mut seen = HashSet::new();
        for e in &table.entries {
            seen.insert((e.name.as_str(), e.value));
            let mut def = row(&e.name, e.value, &e.literal, e.line, &e.written);
            def.message_text = (!e.text.trim().is_empty()).then(|| e.text.clone());
            definitions.push((None, def));
        }
        for c in &table.constants {
            if !seen.contains(&(c.name.as_str(), c.value)) {
                definitions.push((None, row(&c.name, c.value, &c.literal, c.line, &c.written)));
            }
        }
        Ok(ParsedFile {
            file: FileRow {
                path: rel.to_string(),
                preamble: (!table.description.is_empty()).then_some(table.description),
            },
            definitions,
            ..ParsedFile::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use werr_codes::Scheme;

    const SAMPLE: &str = "#   NT STATUS Errors from [MS-ERREF].\nERROR_MESSAGES = {\n        0xC0000005: (\"STATUS_ACCESS_VIOLATION\",\"The instruction at 0x%08lx referenced memory.\"),\n}\nSTATUS_ACCESS_VIOLATION = 0xC0000005\nSTATUS_EXTRA = 0xC0000006\n";

    #[test]
    fn entries_become_definitions_of_the_file_scheme() {
        let rel = "impacket/nt_errors.py";
        assert!(ErrefImporter.accepts(rel, SAMPLE.as_bytes()));
        assert!(!ErrefImporter.accepts("impacket/smb.py", SAMPLE.as_bytes()));
        let parsed = ErrefImporter.parse(rel, SAMPLE.as_bytes()).unwrap();
        assert_eq!(
            parsed.definitions.len(),
            2,
            "the repeated constant adds nothing"
        );
        let (_, av) = &parsed.definitions[0];
        assert_eq!(av.line, 3);
        assert_eq!(av.expression, "0xC0000005");
        assert_eq!(
            av.message_text.as_deref(),
            Some("The instruction at 0x%08lx referenced memory.")
        );
        assert_eq!(
            crate::scheme_of(&av.name, &av.c_type, &av.category, 0xC000_0005),
            Some(Scheme::Ntstatus)
        );
        let (_, extra) = &parsed.definitions[1];
        assert_eq!((extra.name.as_str(), extra.line), ("STATUS_EXTRA", 6));
        assert_eq!(extra.message_text, None);
        assert_eq!(
            parsed.file.preamble.as_deref(),
            Some("  NT STATUS Errors from [MS-ERREF].")
        );
    }

    #[test]
    fn each_table_classifies_as_its_scheme() {
        for ((_, c_type, category), (value, scheme)) in ERREF_TABLES.iter().zip([
            (0x8000_4005, Scheme::Hresult),
            (0xC000_009A, Scheme::Ntstatus),
            (1603, Scheme::Win32),
        ]) {
            // A name that by itself says nothing: the table's type decides.
            assert_eq!(
                crate::scheme_of("SOME_CODE", c_type, category, value),
                Some(scheme)
            );
        }
    }

    #[test]
    fn a_damaged_table_is_skipped_with_its_position() {
        let issue = ErrefImporter
            .parse(
                "impacket/nt_errors.py",
                b"ERROR_MESSAGES = {\n  0x5: (\"A\" \"B\"),\n}\n",
            )
            .unwrap_err();
        assert_eq!((issue.line, issue.column), (2, 16), "{issue}");
        assert!(issue.skipped_file);
    }
}
