//! Importing C header trees through `werr-headers`, and which headers count as code headers.

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{DefinitionRow, FileRow, GroupRow};
use werr_headers::HeaderFile;

/// Which definitions of a header tree to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderFilter {
    /// The code rule of `werr-headers`: every integer constant of the code headers
    /// ([`werr_headers::is_code_header`]: winerror.h, ntstatus.h, netevent.h, lmerr.h,
    /// ntiologc.h, bugcodes.h, mc-generated headers, headers made mostly of HRESULTs); from
    /// other headers the definitions [`werr_headers::is_code`] accepts (typed HRESULT,
    /// SCODE, NTSTATUS, NDIS_STATUS, or named as codes). Only definitions with a value are
    /// kept, after resolving names across the tree.
    #[default]
    Codes,
    /// Every definition the scanner finds.
    All,
}

/// Turns what the scanner found in one header into rows, keeping what `filter` keeps.
pub(crate) fn header_rows(header: &HeaderFile, filter: HeaderFilter) -> ParsedFile {
    let rule = werr_headers::CodeRule::new(header);
    let kept: Vec<&werr_headers::Definition> = header
        .definitions
        .iter()
        .filter(|d| match filter {
            HeaderFilter::All => true,
            HeaderFilter::Codes => d.value.is_some() && rule.is_code(d),
        })
        .collect();
    let issues = header
        .diagnostics
        .iter()
        .map(|d| ImportIssue {
            path: header.path.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            skipped_file: false,
        })
        .collect();
    // Keep only the groups that kept definitions sit under, renumbered.
    let mut group_map: Vec<Option<usize>> = vec![None; header.groups.len()];
    let mut groups = Vec::new();
    for d in &kept {
        if let Some(g) = d
            .group
            .filter(|g| *g < header.groups.len() && !is_boilerplate(&header.groups[*g].title))
        {
            if group_map[g].is_none() {
                group_map[g] = Some(groups.len());
                let src = &header.groups[g];
                groups.push(GroupRow {
                    title: src.title.clone(),
                    line: src.line,
                    first: src.first,
                    last: src.last,
                });
            }
        }
    }
    let definitions = kept
        .iter()
        .map(|d| {
            (
                d.group.and_then(|g| group_map.get(g).copied().flatten()),
                DefinitionRow {
                    name: d.name.clone(),
                    value: d.value,
                    expression: d.expression.clone(),
                    c_type: d.c_type.clone(),
                    category: d.category.clone(),
                    line: d.line,
                    definition: d.definition.clone(),
                    line_comments: d.line_comments.clone(),
                    message_text: d.message_text.clone(),
                    namespace: None,
                },
            )
        })
        .collect();
    ParsedFile {
        file: FileRow {
            path: header.path.clone(),
            preamble: if kept.is_empty() {
                None
            } else {
                header.preamble.clone()
            },
        },
        groups,
        definitions,
        issues,
        ..ParsedFile::default()
    }
}

/// Whether a comment block is a license or copyright notice rather than a heading (the
/// scanner takes the first comment of a file as a heading when defines follow it).
fn is_boilerplate(title: &str) -> bool {
    let lower = title.to_ascii_lowercase();
    ["copyright", "public domain", "disclaimer", "license"]
        .iter()
        .any(|w| lower.contains(w))
}

/// The issue of a binary file (one with a NUL byte), naming the NUL's line and column.
pub(crate) fn binary_file_issue(rel: &str, bytes: &[u8]) -> Option<ImportIssue> {
    let at = memchr::memchr(0, bytes)?;
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() as u32 + 1;
    let line_start = bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    Some(ImportIssue {
        path: rel.to_string(),
        line,
        column: (at - line_start) as u32 + 1,
        message: format!("binary file: NUL byte at offset {at}; expected C header text"),
        skipped_file: true,
    })
}

/// Imports C headers (`.h`, `.hh`, `.hpp`, `.hxx`, `.inl`) through the `werr-headers` scanner.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeaderImporter {
    /// Which definitions to keep.
    pub filter: HeaderFilter,
}

impl Importer for HeaderImporter {
    fn name(&self) -> &'static str {
        "headers"
    }

    fn accepts(&self, rel: &str, _head: &[u8]) -> bool {
        let lower = rel.to_ascii_lowercase();
        [".h", ".hh", ".hpp", ".hxx", ".inl"]
            .iter()
            .any(|e| lower.ends_with(e))
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        if let Some(issue) = binary_file_issue(rel, bytes) {
            return Err(issue);
        }
        Ok(ParsedFile {
            header: Some(werr_headers::scan_bytes(rel, bytes)),
            ..ParsedFile::default()
        })
    }

    /// Resolves names across the imported headers (`werr_headers::resolve_across`), then
    /// keeps what the filter keeps.
    fn finish(&self, files: &mut [ParsedFile]) {
        let slots: Vec<usize> = (0..files.len())
            .filter(|i| files[*i].header.is_some())
            .collect();
        let mut headers: Vec<HeaderFile> = slots
            .iter()
            .map(|i| files[*i].header.take().unwrap_or_default())
            .collect();
        werr_headers::resolve_across(&mut headers);
        for (i, h) in slots.into_iter().zip(headers) {
            files[i] = header_rows(&h, self.filter);
        }
    }
}
