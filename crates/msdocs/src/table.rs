//! Tables of codes: Markdown pipe tables and HTML `<table>`s, one entry per row.

use crate::text::{pieces, plain_text, plain_text_of_html, Piece};
use crate::value::{read_line, Reading};
use crate::{Entry, Layout, Skipped};

/// One cell as written, and the line it starts on.
#[derive(Debug)]
pub(crate) struct Cell<'a> {
    pub raw: &'a str,
    pub line: u32,
}

/// One table row.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    pub line: u32,
    pub cells: Vec<Cell<'a>>,
}

/// Whether a line is the delimiter row of a pipe table (`|---|:--:|`).
pub(crate) fn is_delimiter_row(line: &str) -> bool {
    let t = line.trim();
    if !t.contains('-') || !t.contains('|') {
        return false;
    }
    let inner = t.trim_start_matches('|').trim_end_matches('|');
    !inner.is_empty()
        && inner.split('|').all(|c| {
            let dashes = c.trim().trim_matches(':');
            !dashes.is_empty() && dashes.bytes().all(|b| b == b'-')
        })
}

/// The cells of a pipe-table line: split at `|` outside code spans and not escaped
/// (`\|`), without the outer pipes.
pub(crate) fn split_pipe_row(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let bytes = t.as_bytes();
    let mut start = 0;
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => in_code = !in_code,
            b'|' if !in_code => {
                cells.push(&t[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = &t[start.min(t.len())..];
    if !last.trim().is_empty() {
        cells.push(last);
    }
    cells
}

/// Reads the rows of an HTML table (`text` from `<table` to `</table>`, starting on line
/// `first_line`): each `<tr>`'s `<td>`/`<th>` cells; the header is the first row made of `<th>`.
pub(crate) fn html_rows(text: &str, first_line: u32) -> (Vec<String>, Vec<Row<'_>>) {
    // Tags mostly come in text order: lines are counted from the last offset asked for
    // (backwards for a cell opened before a row that cut it short).
    let (mut counted_to, mut line) = (0usize, first_line);
    let mut line_of = |offset: usize| {
        let bytes = text.as_bytes();
        if offset >= counted_to {
            line += memchr_count(&bytes[counted_to..offset]);
        } else {
            line -= memchr_count(&bytes[offset..counted_to]);
        }
        counted_to = offset;
        line
    };
    let mut header = Vec::new();
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut depth = 0usize;
    let mut cell_start: Option<(usize, usize, bool)> = None; // (content start, tag at, is th)
    let mut header_row: Vec<String> = Vec::new();
    let mut row_has_td = false;
    for piece in pieces(text) {
        let Piece::Tag {
            name, closing, at, ..
        } = piece
        else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        match (lower.as_str(), closing) {
            ("table", false) => depth += 1,
            ("table", true) => depth = depth.saturating_sub(1),
            _ if depth != 1 => {}
            ("tr", false) => {
                rows.push(Row {
                    line: line_of(at),
                    cells: Vec::new(),
                });
                header_row.clear();
                row_has_td = false;
            }
            ("td" | "th", false) => {
                let content = text[at..].find('>').map_or(text.len(), |e| at + e + 1);
                cell_start = Some((content, at, lower == "th"));
            }
            ("td" | "th", true) => {
                if let (Some((start, tag_at, is_th)), Some(row)) =
                    (cell_start.take(), rows.last_mut())
                {
                    let raw = &text[start..at];
                    if is_th {
                        header_row.push(plain_text_of_html(raw));
                    } else {
                        row_has_td = true;
                    }
                    row.cells.push(Cell {
                        raw,
                        line: line_of(tag_at),
                    });
                }
            }
            ("tr", true) if !row_has_td && !header_row.is_empty() && header.is_empty() => {
                header = std::mem::take(&mut header_row);
                rows.pop();
            }
            _ => {}
        }
    }
    rows.retain(|r| !r.cells.is_empty());
    (header, rows)
}

/// The number of line feeds in `bytes`.
fn memchr_count(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|b| **b == b'\n').count() as u32
}

/// Column titles that hold an entry's text, not its name or value.
fn is_text_column(title: &str) -> bool {
    let t = title.to_ascii_lowercase();
    [
        "description",
        "meaning",
        "message",
        "remark",
        "text",
        "cause",
        "explanation",
        "comment",
        "details",
        "resolution",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// What one row gave.
pub(crate) enum RowOutcome {
    /// An entry.
    Entry(Entry),
    /// A row that names a code but cannot be read (why).
    Problem(String),
    /// No name in the row (a table of other things, or a row the caller reports when the
    /// rest of the table held entries); whether any cell had content.
    NoName(bool),
}

/// Reads one row of a table whose column titles are `header`.
pub(crate) fn read_row(header: &[String], row: &Row<'_>, layout: Layout) -> RowOutcome {
    let text_columns: Vec<bool> = (0..row.cells.len())
        .map(|i| header.get(i).is_some_and(|h| is_text_column(h)))
        .collect();
    let any_text_column = text_columns.iter().any(|t| *t);
    let mut name: Option<(String, u32)> = None;
    let mut values: Vec<(String, u32)> = Vec::new();
    let mut alias: Option<String> = None;
    let mut texts: Vec<String> = Vec::new();
    let mut problem: Option<String> = None;
    let mut any_content = false;
    let plain_of = |raw: &str| match layout {
        Layout::HtmlTable => plain_text_of_html(raw),
        _ => plain_text(raw),
    };
    for (i, cell) in row.cells.iter().enumerate() {
        let plain = plain_of(cell.raw);
        if plain.is_empty() {
            continue;
        }
        any_content = true;
        if text_columns[i] {
            texts.push(plain);
            continue;
        }
        let readings = cell_readings(&plain);
        let names_here = readings
            .iter()
            .any(|r| matches!(r, Reading::Name(_) | Reading::NameValue(..)));
        let all_values = readings.iter().all(|r| matches!(r, Reading::Value(..)));
        if names_here && name.is_none() {
            for r in readings {
                match r {
                    Reading::Name(n) if name.is_none() => name = Some((n, cell.line)),
                    Reading::NameValue(n, vt, v) if name.is_none() => {
                        name = Some((n, cell.line));
                        values.push((vt, v));
                    }
                    // A second name where the value goes: the page gives the value by name.
                    Reading::Name(n) if values.is_empty() && alias.is_none() => alias = Some(n),
                    Reading::Value(vt, v) => values.push((vt, v)),
                    Reading::BadValue(vt, why) => problem = Some(format!("value {vt:?}: {why}")),
                    _ => {}
                }
            }
        } else if all_values {
            for r in readings {
                if let Reading::Value(vt, v) = r {
                    values.push((vt, v));
                }
            }
        } else if let Some(Reading::BadValue(vt, why)) =
            readings.iter().find(|r| matches!(r, Reading::BadValue(..)))
        {
            problem = Some(format!("value {vt:?}: {why}"));
        } else if !any_text_column || names_here {
            texts.push(plain);
        }
    }
    let Some((name, line)) = name else {
        // `HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`: a code written as a conversion of
        // another, not a name of its own.
        if let Some(form) = row.cells.iter().find_map(|c| {
            let plain = plain_of(c.raw);
            plain.lines().find(|l| is_macro_form(l)).map(str::to_string)
        }) {
            return RowOutcome::Problem(format!(
                "{form}: a code written as a macro of another name, not a name of its own"
            ));
        }
        return RowOutcome::NoName(any_content);
    };
    if let Some(p) = problem {
        return RowOutcome::Problem(format!("{name}: {p}"));
    }
    values.dedup_by(|a, b| a.1 == b.1);
    if values.len() > 1 {
        return RowOutcome::Problem(format!(
            "{name}: the row gives two values, {:?} and {:?}",
            values[0].0, values[1].0
        ));
    }
    let (value_text, value) = match values.pop() {
        Some((t, v)) => (Some(t), Some(v)),
        None => (alias.clone(), None),
    };
    let text = texts.join("\n\n");
    RowOutcome::Entry(Entry {
        name,
        value,
        value_text,
        alias_of: if value.is_none() { alias } else { None },
        text: (!text.is_empty()).then_some(text),
        line: if line > 0 { line } else { row.line },
        layout,
    })
}

/// Whether a line is a macro applied to a name (`HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`).
fn is_macro_form(line: &str) -> bool {
    let t = line.trim();
    let Some((mac, rest)) = t.split_once('(') else {
        return false;
    };
    let Some(arg) = rest.strip_suffix(')') else {
        return false;
    };
    crate::value::is_name(mac) && crate::value::is_name(arg.trim())
}

/// The readings of a cell's lines; a name broken over two lines after an underscore
/// (`ERROR_INSTALL_OPEN_` / `PACKAGE_FAILED`) is one name.
fn cell_readings(plain: &str) -> Vec<Reading> {
    let mut out: Vec<Reading> = Vec::new();
    for line in plain.lines().filter(|l| !l.trim().is_empty()) {
        let r = read_line(line);
        if let (Reading::Name(next), Some(Reading::Name(prev))) = (&r, out.last_mut()) {
            if prev.ends_with('_') {
                prev.push_str(next);
                continue;
            }
        }
        out.push(r);
    }
    out
}

/// Reads a table's rows into `entries`; rows that name a code but cannot be read, and rows
/// without a name in a table whose other rows held entries, go to `skipped`.
pub(crate) fn read_table(
    header: &[String],
    rows: &[Row<'_>],
    layout: Layout,
    entries: &mut Vec<Entry>,
    skipped: &mut Vec<Skipped>,
) {
    let before = entries.len();
    let mut unnamed = Vec::new();
    for row in rows {
        match read_row(header, row, layout) {
            RowOutcome::Entry(e) => entries.push(e),
            RowOutcome::Problem(reason) => skipped.push(Skipped {
                line: row.line,
                reason,
            }),
            RowOutcome::NoName(true) => unnamed.push(row.line),
            RowOutcome::NoName(false) => {}
        }
    }
    if entries.len() > before {
        skipped.extend(unnamed.into_iter().map(|line| Skipped {
            line,
            reason: "a row of a table of codes without a code name".to_string(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_rows() {
        assert!(is_delimiter_row("|------|:---|"));
        assert!(is_delimiter_row("|:-----|:-----|"));
        assert!(!is_delimiter_row("| 2102 | text |"));
        assert_eq!(
            split_pipe_row(r"| **E\_FAIL** | 0x80004005 | a \| b `x|y` |"),
            vec![r" **E\_FAIL** ", " 0x80004005 ", r" a \| b `x|y` "]
        );
    }

    #[test]
    fn cells_cut_short_by_a_row_keep_their_line() {
        let t = "<table>\n<tr><td>ERROR_A\n<tr>\n5</td>\n</table>";
        let (_, rows) = html_rows(t, 1);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].cells[0].line, 2);
    }

    #[test]
    fn html_table() {
        let t = "<table>\n<tr><th>Code</th><th>Description</th></tr>\n<tr>\n<td><strong>PENDING</strong><br/>600</td>\n<td>An operation is pending.</td>\n</tr>\n</table>";
        let (header, rows) = html_rows(t, 10);
        assert_eq!(header, vec!["Code", "Description"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].cells[0].line, 13);
        let RowOutcome::Entry(e) = read_row(&header, &rows[0], Layout::HtmlTable) else {
            panic!("no entry")
        };
        assert_eq!((e.name.as_str(), e.value), ("PENDING", Some(600)));
        assert_eq!(e.text.as_deref(), Some("An operation is pending."));
    }
}
