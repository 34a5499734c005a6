//! Importing Microsoft's documentation pages (Microsoft Learn Markdown) through
//! `werr-msdocs`: each code a page lists becomes a definition whose `message_text` is the
//! page's English text, with the page's path and line as its place.

use crate::classify::scheme_of;
use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{DefinitionRow, FileRow};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use werr_codes::Scheme;
use werr_msdocs::rule::{self, Family};
use werr_msdocs::{Entry, Layout};

/// The credit CC BY 4.0 asks for, for texts of Microsoft's documentation (with the page's
/// path): `SOURCE.txt` of the corpus and data/README.md give it.
pub const MSDOCS_ATTRIBUTION: &str =
    "Microsoft Learn documentation (MicrosoftDocs/win32, MicrosoftDocs/windows-driver-docs on GitHub), CC BY 4.0";

/// Imports Microsoft Learn pages (`*.md` with DocFX front matter).
///
/// Which entries become definitions: every entry with a value of a page that is a list of
/// codes ([`rule::is_code_list`], bug check pages included), with its text, and from other
/// pages the entries the headers' code rule accepts by name and value
/// ([`werr_headers::is_code`]: `ERROR_`/`NERR_`/`WSAE` names, error names with the severity
/// bit), without their text (a method's page says what that method means by the code). Names given without a
/// value (or by a name the page does not define) are left out, and so are the parts of
/// codes some lists give (`FACILITY_*`). When several pages give a name the same value, the
/// page of the SDK's code header leads ([`rule::rank`]) and the others are dropped; a name
/// pages give with different values keeps each value, and the difference is reported, as
/// is a value that differs from what the KB's other sources say ([`Self::known_values`]).
#[derive(Debug, Default)]
pub struct MsdocsImporter {
    /// Prefixed to each page's path as the import names it, to make it the page's path in
    /// its repository (`desktop-src/` for MicrosoftDocs/win32).
    pub path_prefix: String,
    /// The values the KB's other sources give each name, to report pages that differ.
    pub known_values: HashMap<String, Vec<u32>>,
    /// The pages this importer parsed (their stored paths), for [`Importer::finish`].
    parsed: Mutex<HashSet<String>>,
}

impl MsdocsImporter {
    /// An importer that stores pages under `path_prefix` and reports values that differ
    /// from `known_values`.
    pub fn new(path_prefix: &str, known_values: HashMap<String, Vec<u32>>) -> MsdocsImporter {
        MsdocsImporter {
            path_prefix: path_prefix.to_string(),
            known_values,
            parsed: Mutex::new(HashSet::new()),
        }
    }
}

/// The category of an entry: its page's family, else what its name and value say.
fn category_of(entry: &Entry, family: Family, value: u32) -> &'static str {
    if entry.layout == Layout::BugCheck || family == Family::BugChecks {
        return "bug check code";
    }
    let small = value <= 0xFFFF;
    match family {
        Family::Win32Errors if small => return "Win32 error",
        Family::Hresults if !small => return "HRESULT",
        _ => {}
    }
    match scheme_of(&entry.name, "", "", value) {
        Some(Scheme::Win32) => "Win32 error",
        Some(Scheme::Hresult) => "HRESULT",
        Some(Scheme::Ntstatus) => "NTSTATUS",
        _ => "error code",
    }
}

/// Whether the headers' code rule takes the entry, read as a definition outside a code
/// header.
fn is_code_by_name(name: &str, value: u32) -> bool {
    werr_headers::is_code_name(name, value)
}

/// The rows one page contributes (pure).
pub fn msdocs_rows(stored_path: &str, text: &str) -> ParsedFile {
    let page = werr_msdocs::read_page(stored_path, text);
    let list = rule::is_code_list(page.title.as_deref())
        || page.entries.iter().any(|e| e.layout == Layout::BugCheck);
    let family = rule::family(page.title.as_deref(), stored_path);
    let mut definitions = Vec::new();
    for entry in &page.entries {
        let Some(value) = entry.value else { continue };
        if rule::is_part_not_code(&entry.name) || !(list || is_code_by_name(&entry.name, value)) {
            continue;
        }
        let written = entry.value_text.clone().unwrap_or_default();
        definitions.push((
            None,
            DefinitionRow {
                name: entry.name.clone(),
                value: Some(value),
                definition: format!("{} {written}", entry.name),
                expression: written,
                c_type: String::new(),
                category: category_of(entry, family, value).to_string(),
                line: entry.line,
                line_comments: None,
                // Another page's text says what one API means by the code, not what the
                // code means.
                message_text: if list { entry.text.clone() } else { None },
                namespace: None,
            },
        ));
    }
    // What a list of codes skipped is worth a report; other pages (flags, structures) skip
    // rows that were never codes.
    let issues = if list || !definitions.is_empty() {
        page.skipped
            .iter()
            .map(|s| ImportIssue {
                path: stored_path.to_string(),
                line: s.line,
                column: 0,
                message: s.reason.clone(),
                skipped_file: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    ParsedFile {
        file: FileRow {
            path: stored_path.to_string(),
            preamble: page.title.clone(),
        },
        definitions,
        issues,
        ..ParsedFile::default()
    }
}

impl Importer for MsdocsImporter {
    fn name(&self) -> &'static str {
        "msdocs"
    }

    fn accepts(&self, rel: &str, head: &[u8]) -> bool {
        rel.ends_with(".md") && werr_msdocs::is_docfx_page(head)
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let stored = format!("{}{rel}", self.path_prefix);
        let text = std::str::from_utf8(bytes).map_err(|e| ImportIssue {
            path: stored.clone(),
            line: 0,
            column: 0,
            message: format!(
                "not UTF-8 at byte {}; expected a Markdown page in UTF-8",
                e.valid_up_to()
            ),
            skipped_file: true,
        })?;
        let parsed = msdocs_rows(&stored, text);
        if let Ok(mut set) = self.parsed.lock() {
            set.insert(stored);
        }
        Ok(parsed)
    }

    fn finish(&self, files: &mut [ParsedFile]) {
        let ours = match self.parsed.lock() {
            Ok(set) => set.clone(),
            Err(_) => return,
        };
        // The leading page of each (name, value): lowest rank, then a text, then path order.
        let mut best: HashMap<(String, u32), (u8, bool, usize, usize)> = HashMap::new();
        let mut values: HashMap<String, Vec<(u32, String)>> = HashMap::new();
        for (fi, file) in files.iter().enumerate() {
            if !ours.contains(&file.file.path) {
                continue;
            }
            let rank = rule::rank(file.file.preamble.as_deref(), &file.file.path);
            for (di, (_, d)) in file.definitions.iter().enumerate() {
                let Some(v) = d.value else { continue };
                let key = (rank, d.message_text.is_none(), fi, di);
                let slot = best.entry((d.name.clone(), v)).or_insert(key);
                if key < *slot {
                    *slot = key;
                }
                let place = format!("{}:{}", file.file.path, d.line);
                let seen = values.entry(d.name.clone()).or_default();
                if !seen.iter().any(|(x, _)| *x == v) {
                    seen.push((v, place));
                }
            }
        }
        // A Win32 name written with its HRESULT (`ERROR_ACCESS_DENIED` 0x80070005, where a
        // page means HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)) when the name's Win32 value is
        // known: the conversion relates the two; the name keeps its Win32 value only.
        let is_win32_as_hresult = |name: &str, v: u32| {
            v & 0xFFFF_0000 == 0x8007_0000
                && (values
                    .get(name)
                    .is_some_and(|vs| vs.iter().any(|(x, _)| *x == v & 0xFFFF))
                    || self
                        .known_values
                        .get(name)
                        .is_some_and(|k| k.contains(&(v & 0xFFFF))))
        };
        let mut keep: HashSet<(usize, usize)> = best.values().map(|k| (k.2, k.3)).collect();
        for (fi, file) in files.iter_mut().enumerate() {
            if !ours.contains(&file.file.path) {
                continue;
            }
            for (di, (_, d)) in file.definitions.iter().enumerate() {
                let Some(v) = d.value else { continue };
                if is_win32_as_hresult(&d.name, v) {
                    keep.remove(&(fi, di));
                    file.issues.push(ImportIssue {
                        path: file.file.path.clone(),
                        line: d.line,
                        column: 0,
                        message: format!(
                            "{} written as 0x{v:08X}, which is HRESULT_FROM_WIN32({}); the name keeps its Win32 value {}",
                            d.name,
                            d.name,
                            v & 0xFFFF
                        ),
                        skipped_file: false,
                    });
                }
            }
        }
        for (fi, file) in files.iter_mut().enumerate() {
            if !ours.contains(&file.file.path) {
                continue;
            }
            let mut di = 0;
            file.definitions.retain(|_| {
                let kept = keep.contains(&(fi, di));
                di += 1;
                kept
            });
            for (_, d) in &file.definitions {
                let Some(v) = d.value else { continue };
                let pages = values.get(&d.name).map(Vec::as_slice).unwrap_or(&[]);
                let other_pages: Vec<String> = pages
                    .iter()
                    .filter(|(x, _)| *x != v && !is_win32_as_hresult(&d.name, *x))
                    .map(|(x, place)| format!("0x{x:08X} at {place}"))
                    .collect();
                let known: Vec<String> = self
                    .known_values
                    .get(&d.name)
                    .filter(|k| !k.contains(&v))
                    .map(|k| k.iter().map(|x| format!("0x{x:08X}")).collect())
                    .unwrap_or_default();
                if other_pages.is_empty() && known.is_empty() {
                    continue;
                }
                let mut message = format!("{} is 0x{v:08X} here", d.name);
                if !other_pages.is_empty() {
                    message.push_str(&format!("; other pages: {}", other_pages.join(", ")));
                }
                if !known.is_empty() {
                    message.push_str(&format!("; the KB's other sources: {}", known.join(", ")));
                }
                message.push_str(" (both kept)");
                file.issues.push(ImportIssue {
                    path: file.file.path.clone(),
                    line: d.line,
                    column: 0,
                    message,
                    skipped_file: false,
                });
            }
        }
    }
}
