//! Importing C header trees through `werr-headers`, and which headers count as code headers.

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{DefinitionRow, FileRow, GroupRow};
use werr_headers::HeaderFile;

/// Which definitions of a header tree to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderFilter {
    /// The code rule (see [`is_code_header`] and [`is_code_definition`]): every definition
    /// of the error, status and event headers; from other headers only the definitions that
    /// are codes by their form.
    #[default]
    Codes,
    /// Every definition the scanner finds.
    All,
}

/// Whether a header is an error/status/event header, all of whose definitions are kept:
/// its file name without extension and trailing digits, lower-cased, ends in `err`,
/// `error`, `errors`, `errlog`, `status`, `msg`, `msgs`, `codes`, `event`, `events` or
/// `logc` (winerror.h, ntstatus.h, netevent.h, lmerr.h, ntiologc.h, bugcodes.h, dxerr9.h,
/// pdhmsg.h...).
pub fn is_code_header(rel: &str) -> bool {
    let base = rel.rsplit('/').next().unwrap_or(rel);
    let stem = base.split('.').next().unwrap_or(base).to_ascii_lowercase();
    let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    const ENDINGS: [&str; 11] = [
        "err", "error", "errors", "errlog", "status", "msg", "msgs", "codes", "event", "events",
        "logc",
    ];
    ENDINGS.iter().any(|e| stem.ends_with(e))
}

/// Whether a definition of any other header is a code by its form: typed HRESULT, SCODE or
/// NTSTATUS (`_HRESULT_TYPEDEF_`, `MAKE_HRESULT`, `((NTSTATUS)...)`), or preceded by an
/// mc-generated `MessageId:` comment.
pub fn is_code_definition(def: &werr_headers::Definition) -> bool {
    def.value.is_some()
        && (matches!(def.c_type.as_str(), "HRESULT" | "SCODE" | "NTSTATUS")
            || def
                .line_comments
                .as_deref()
                .is_some_and(|c| c.contains("MessageId:")))
}

/// Turns what the scanner found in one header into rows, keeping what `filter` keeps.
pub fn header_rows(header: &HeaderFile, filter: HeaderFilter) -> ParsedFile {
    let whole = filter == HeaderFilter::All || is_code_header(&header.path);
    let kept: Vec<&werr_headers::Definition> = header
        .definitions
        .iter()
        .filter(|d| whole || is_code_definition(d))
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
        if let Some(g) = d.group.filter(|g| *g < header.groups.len()) {
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
        messages: Vec::new(),
        issues,
    }
}

/// Decodes a header's bytes: UTF-8 (a BOM is dropped), else Windows-1252 as old SDK headers
/// are written, so no byte is lost. A NUL byte means a binary file: an issue naming its line.
pub fn decode_header(rel: &str, bytes: &[u8]) -> Result<String, ImportIssue> {
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let column = (at
            - bytes[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1)) as u32
            + 1;
        return Err(ImportIssue {
            path: rel.to_string(),
            line,
            column,
            message: format!("binary file: NUL byte at offset {at}; expected C header text"),
            skipped_file: true,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => Ok(bytes.iter().map(|b| windows_1252(*b)).collect()),
    }
}

/// Windows-1252 to Unicode; the five unassigned bytes map to the C1 controls as Windows does.
fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
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
        let text = decode_header(rel, bytes)?;
        let header = scan_stub(rel, &text);
        Ok(header_rows(&header, self.filter))
    }
}
// TEMP until werr-headers lands
fn scan_stub(rel: &str, _text: &str) -> HeaderFile {
    HeaderFile {
        path: rel.to_string(),
        ..Default::default()
    }
}
