//! Reader of Microsoft's documentation pages that list Windows codes.
//!
//! The pages are the Markdown of Microsoft Learn (the "DocFX" dialect of the
//! MicrosoftDocs/win32 and MicrosoftDocs/windows-driver-docs repositories): front matter,
//! then codes written in one of these layouts ([`Layout`]):
//!
//! - **blocks**: an anchored or bold name, its value, its text, as paragraphs
//!   (`<span id="ERROR_FILE_NOT_FOUND"></span>**ERROR\_FILE\_NOT\_FOUND**` / `2 (0x2)` /
//!   `The system cannot find the file specified.`) or as an HTML definition list;
//! - **Markdown tables** and **HTML tables**: one code per row, name and value in one cell
//!   (`<dl><dt>**E\_FAIL**</dt><dt>0x80004005</dt></dl>`, `JET_errOutOfMemory<br />-1011`,
//!   `0x800007D0 (PDH_CSTATUS_NO_MACHINE)`) or in cells of their own, in any order, the text
//!   in the other cells;
//! - **bug checks**: `# Bug Check 0xA: IRQL_NOT_LESS_OR_EQUAL` and the paragraph that
//!   states the value and says what the bug check means.
//!
//! [`read_page`] takes a page's text and path and returns every [`Entry`] it read (name,
//! value as written and as a number, plain English text, line, layout) and what it skipped
//! ([`Skipped`]: line and why). It never guesses: a row or block that names a code but whose
//! value cannot be read (two forms that disagree, a heading and a sentence that disagree) is
//! skipped and reported; a name the page gives without a value is kept with `value: None`
//! (weaker evidence than a name with its value). Text is plain: escapes undone (`\_`),
//! entities decoded, links reduced to their text, notes (`[!NOTE]`) written `Note:`, no
//! markup left.
//!
//! Which pages are lists of codes, the family of their codes and which page leads for a name
//! are [`rule`]'s decisions (the KB's importer applies them).
//!
//! Pure: text in, model out; no I/O. Bad input never panics (fuzzed: `fuzz/`).
#![deny(missing_docs)]

mod blocks;
mod bugcheck;
pub mod rule;
mod table;
mod text;
mod value;

pub use text::plain_text;
pub use value::{is_name, parse_value};

/// How a page writes its codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layout {
    /// Anchored or bold names followed by their value and text, as paragraphs or an HTML
    /// definition list.
    Blocks,
    /// A Markdown pipe table.
    MarkdownTable,
    /// An HTML `<table>`.
    HtmlTable,
    /// A bug check page's heading and first paragraph.
    BugCheck,
}

impl Layout {
    /// A short name (`blocks`, `markdown-table`, `html-table`, `bug-check`).
    pub fn name(self) -> &'static str {
        match self {
            Layout::Blocks => "blocks",
            Layout::MarkdownTable => "markdown-table",
            Layout::HtmlTable => "html-table",
            Layout::BugCheck => "bug-check",
        }
    }
}

/// One code a page lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name (`ERROR_ACCESS_DENIED`), escapes undone.
    pub name: String,
    /// The value, when the page gives one that reads as a number.
    pub value: Option<u32>,
    /// The value as the page writes it (`5 (0x5)`, `0x80004005`, `-1011`), or the name the
    /// page gives in its place (see [`Entry::alias_of`]).
    pub value_text: Option<String>,
    /// The name the page gives where the value goes (`JET_wrnRecordFoundGreater`:
    /// `JET_wrnSeekNotEqual`); [`read_page`] fills [`Entry::value`] from that name's entry on
    /// the same page when it has one.
    pub alias_of: Option<String>,
    /// The English text, plain; paragraphs separated by an empty line.
    pub text: Option<String>,
    /// 1-based line of the name.
    pub line: u32,
    /// The layout it was read from.
    pub layout: Layout,
}

impl Entry {
    fn named(name: String, line: u32, layout: Layout) -> Entry {
        Entry {
            name,
            value: None,
            value_text: None,
            alias_of: None,
            text: None,
            line,
            layout,
        }
    }
}

/// Something on a page that looked like a code but was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line.
    pub line: u32,
    /// What was found and why it was not read.
    pub reason: String,
}

/// What [`read_page`] read from one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The page's title (front matter `title:`), plain.
    pub title: Option<String>,
    /// The codes, in page order.
    pub entries: Vec<Entry>,
    /// What was skipped, in page order.
    pub skipped: Vec<Skipped>,
}

impl Page {
    /// The layouts the page's entries were read from, in [`Layout`] order.
    pub fn layouts(&self) -> Vec<Layout> {
        let mut l: Vec<Layout> = self.entries.iter().map(|e| e.layout).collect();
        l.sort();
        l.dedup();
        l
    }
}

/// Whether `head` (a file's first bytes) starts like a Microsoft Learn page: Markdown with
/// front matter that has a `title:` or an `ms.` key.
pub fn is_docfx_page(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    lines
        .take_while(|l| l.trim_end() != "---")
        .any(|l| l.starts_with("title:") || l.starts_with("ms."))
}

/// Reads the codes of one page. `path` is the page's path (a bug check page is recognised by
/// its `bug-check-0x` file name or its `# Bug Check 0xN: NAME` heading).
pub fn read_page(path: &str, text: &str) -> Page {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut page = Page::default();
    let body = front_matter(&lines, &mut page);
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let bug_check_heading = lines[body..]
        .iter()
        .find(|l| l.starts_with("# "))
        .is_some_and(|h| bugcheck::heading(&plain_text(&h[2..])).is_some());
    if (file_name.starts_with("bug-check-0x") || bug_check_heading)
        && bugcheck::read(&lines, body, &mut page.entries, &mut page.skipped)
    {
        return page;
    }
    read_body(&lines, body, &mut page);
    resolve_aliases(&mut page.entries);
    page
}

/// Reads the front matter (`---` ... `---`) for the title; returns the index of the first
/// line of the body.
fn front_matter(lines: &[&str], page: &mut Page) -> usize {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return 0;
    }
    let Some(end) = lines.iter().skip(1).position(|l| l.trim_end() == "---") else {
        return 0;
    };
    for l in &lines[1..=end] {
        if let Some(t) = l.strip_prefix("title:") {
            let t = t.trim().trim_matches(['\'', '"']);
            page.title = Some(plain_text(t));
        }
    }
    end + 2
}

fn read_body(lines: &[&str], body: usize, page: &mut Page) {
    let mut blocks = blocks::BlockReader::default();
    let (entries, skipped) = (&mut page.entries, &mut page.skipped);
    let mut i = body;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        // Fenced code: listings, not tables of codes.
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            blocks.barrier(entries, skipped);
            let fence = &trimmed[..3];
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with(fence) {
                i += 1;
            }
            i += 1;
            continue;
        }
        // A pipe table: a row, then the delimiter row.
        if trimmed.contains('|')
            && lines
                .get(i + 1)
                .is_some_and(|next| table::is_delimiter_row(next))
        {
            blocks.barrier(entries, skipped);
            let header: Vec<String> = table::split_pipe_row(line)
                .iter()
                .map(|c| plain_text(c))
                .collect();
            let mut rows = Vec::new();
            let mut j = i + 2;
            while j < lines.len() && lines[j].contains('|') && !lines[j].trim().is_empty() {
                rows.push(table::Row {
                    line: j as u32 + 1,
                    cells: table::split_pipe_row(lines[j])
                        .into_iter()
                        .map(|raw| table::Cell {
                            raw,
                            line: j as u32 + 1,
                        })
                        .collect(),
                });
                j += 1;
            }
            table::read_table(&header, &rows, Layout::MarkdownTable, entries, skipped);
            i = j;
            continue;
        }
        // An HTML table, to its closing tag.
        if let Some(at) = line.to_ascii_lowercase().find("<table") {
            blocks.barrier(entries, skipped);
            let mut j = i;
            let mut joined = String::from(&line[at..]);
            let mut depth = count_tags(&line[at..]);
            while depth > 0 && j + 1 < lines.len() {
                j += 1;
                joined.push('\n');
                joined.push_str(lines[j]);
                depth += count_tags(lines[j]);
            }
            let (header, rows) = table::html_rows(&joined, i as u32 + 1);
            table::read_table(&header, &rows, Layout::HtmlTable, entries, skipped);
            i = j + 1;
            continue;
        }
        blocks.line(line, i as u32 + 1, entries, skipped);
        i += 1;
    }
    blocks.end(entries, skipped);
}

/// `<table` opened minus `</table>` closed on a line.
fn count_tags(line: &str) -> i64 {
    let lower = line.to_ascii_lowercase();
    lower.matches("<table").count() as i64 - lower.matches("</table").count() as i64
}

/// Fills the value of entries whose page gives it by name from that name's entry.
fn resolve_aliases(entries: &mut [Entry]) {
    let known: std::collections::HashMap<String, u32> = entries
        .iter()
        .filter(|e| e.alias_of.is_none())
        .filter_map(|e| e.value.map(|v| (e.name.clone(), v)))
        .collect();
    for e in entries.iter_mut() {
        if let (None, Some(target)) = (e.value, &e.alias_of) {
            e.value = known.get(target).copied();
        }
    }
}
