//! Codes written as blocks outside tables: an anchored or bold name, then its value, then
//! its text, as paragraphs (`<span id="X"></span>**X**` / `2 (0x2)` / text) or as an HTML
//! definition list (`<dl><dt>**X**</dt><dd><dl><dt>12111</dt><dt>text</dt></dl></dd>`).

use crate::text::{attr, pieces, plain_text, Piece};
use crate::value::{read_line, Reading};
use crate::{Entry, Layout, Skipped};

/// A paragraph or list item being collected.
#[derive(Default)]
struct Fragment {
    raw: String,
    line: u32,
    /// The depth of `<dl>` lists where it starts.
    depth: usize,
}

/// The entry being read.
struct Open {
    entry: Entry,
    depth: usize,
    texts: Vec<String>,
}

/// Reads block-written codes line by line; tables, code and headings end the entry being read
/// ([`BlockReader::barrier`]).
#[derive(Default)]
pub(crate) struct BlockReader {
    fragment: Fragment,
    depth: usize,
    open: Option<Open>,
}

impl BlockReader {
    /// Feeds one line (1-based `line`) of running text.
    pub(crate) fn line(
        &mut self,
        text: &str,
        line: u32,
        entries: &mut Vec<Entry>,
        skipped: &mut Vec<Skipped>,
    ) {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.end_fragment(entries, skipped);
            return;
        }
        if trimmed.starts_with('#') {
            self.barrier(entries, skipped);
            return;
        }
        for piece in pieces(text) {
            match piece {
                Piece::Tag { name, closing, .. } if crate::text::is_break_tag(name) => {
                    self.end_fragment(entries, skipped);
                    if name.eq_ignore_ascii_case("dl") {
                        if closing {
                            self.depth = self.depth.saturating_sub(1);
                            if self.open.as_ref().is_some_and(|o| self.depth < o.depth) {
                                self.finish(entries);
                            }
                        } else {
                            self.depth += 1;
                        }
                    }
                }
                Piece::Text(t) => self.push(t, line),
                Piece::Tag { at, .. } => {
                    // An inline tag (`<span id=...>`, `<strong>`): kept for the fragment's
                    // reading, which looks at anchors and strong marks.
                    let len = text[at..].find('>').map_or(text.len() - at, |e| e + 1);
                    self.push(&text[at..at + len], line);
                }
            }
        }
        self.push("\n", line);
    }

    fn push(&mut self, s: &str, line: u32) {
        if self.fragment.raw.trim().is_empty() {
            self.fragment.raw.clear();
            if s.trim().is_empty() {
                return;
            }
            self.fragment.line = line;
            self.fragment.depth = self.depth;
        }
        self.fragment.raw.push_str(s);
    }

    /// Ends the entry being read: a heading, a table or a code block follows.
    pub(crate) fn barrier(&mut self, entries: &mut Vec<Entry>, skipped: &mut Vec<Skipped>) {
        self.end_fragment(entries, skipped);
        self.finish(entries);
    }

    fn finish(&mut self, entries: &mut Vec<Entry>) {
        if let Some(open) = self.open.take() {
            let mut entry = open.entry;
            let text = open.texts.join("\n\n");
            entry.text = (!text.is_empty()).then_some(text);
            // A bold word with neither value nor text is emphasis, not an entry.
            if entry.value_text.is_some() || entry.text.is_some() {
                entries.push(entry);
            }
        }
    }

    fn end_fragment(&mut self, entries: &mut Vec<Entry>, skipped: &mut Vec<Skipped>) {
        let fragment = std::mem::take(&mut self.fragment);
        if fragment.raw.trim().is_empty() {
            return;
        }
        let plain = plain_text(&fragment.raw);
        if plain.is_empty() {
            return;
        }
        let anchored = has_anchor(&fragment.raw);
        let marked = crate::text::has_strong(&fragment.raw) || anchors(&fragment.raw, &plain);
        let reading = if plain.contains('\n') {
            Reading::Text
        } else {
            read_line(&plain)
        };
        let fresh = self
            .open
            .as_ref()
            .is_some_and(|o| o.entry.value_text.is_none() && o.texts.is_empty());
        match reading {
            Reading::Name(name) if marked => {
                self.finish(entries);
                self.open = Some(Open {
                    entry: Entry::named(name, fragment.line, Layout::Blocks),
                    depth: fragment.depth,
                    texts: Vec::new(),
                });
            }
            Reading::NameValue(name, written, value) if marked => {
                self.finish(entries);
                let mut entry = Entry::named(name, fragment.line, Layout::Blocks);
                entry.value = Some(value);
                entry.value_text = Some(written);
                self.open = Some(Open {
                    entry,
                    depth: fragment.depth,
                    texts: Vec::new(),
                });
            }
            Reading::Value(written, value) if fresh => {
                if let Some(open) = self.open.as_mut() {
                    open.entry.value = Some(value);
                    open.entry.value_text = Some(written);
                }
            }
            Reading::BadValue(written, why) if fresh => {
                if let Some(open) = self.open.take() {
                    skipped.push(Skipped {
                        line: fragment.line,
                        reason: format!("{}: value {written:?}: {why}", open.entry.name),
                    });
                }
            }
            // A second name where the value goes: the page gives the value by name.
            Reading::Name(name) if fresh => {
                if let Some(open) = self.open.as_mut() {
                    open.entry.value_text = Some(name.clone());
                    open.entry.alias_of = Some(name);
                }
            }
            // An anchored heading that is not a code name (`ERROR_INTERNET_*`, a range, a
            // sentence): the entry before it ends, and nothing is read under it.
            Reading::Text | Reading::Value(..) | Reading::BadValue(..) if anchored => {
                self.finish(entries);
                skipped.push(Skipped {
                    line: fragment.line,
                    reason: format!("{:?} is not a code name", one_line(&plain)),
                });
            }
            _ => {
                if let Some(open) = self.open.as_mut() {
                    open.texts.push(plain);
                }
            }
        }
    }

    /// Ends the page.
    pub(crate) fn end(mut self, entries: &mut Vec<Entry>, skipped: &mut Vec<Skipped>) {
        self.barrier(entries, skipped);
    }
}

/// Whether the fragment carries an anchor (`<span id="...">`).
fn has_anchor(raw: &str) -> bool {
    pieces(raw).iter().any(|p| match p {
        Piece::Tag { name, attrs, .. } if name.eq_ignore_ascii_case("span") => {
            attr(attrs, "id").is_some()
        }
        _ => false,
    })
}

/// The text shortened for a report.
fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(80) {
        Some((at, _)) => format!("{}...", &line[..at]),
        None => line.to_string(),
    }
}

/// Whether the fragment carries an anchor (`<span id="X">`) named like its text.
fn anchors(raw: &str, plain: &str) -> bool {
    let name = plain.split_whitespace().next().unwrap_or("");
    pieces(raw).iter().any(|p| match p {
        Piece::Tag {
            name: tag, attrs, ..
        } if tag.eq_ignore_ascii_case("span") => attr(attrs, "id").is_some_and(|id| id == name),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Entry>, Vec<Skipped>) {
        let mut reader = BlockReader::default();
        let (mut entries, mut skipped) = (Vec::new(), Vec::new());
        for (i, line) in text.lines().enumerate() {
            reader.line(line, i as u32 + 1, &mut entries, &mut skipped);
        }
        reader.end(&mut entries, &mut skipped);
        (entries, skipped)
    }

    #[test]
    fn span_blocks() {
        let (e, s) = read(
            "<span id=\"ERROR_ACCESS_DENIED\"></span>**ERROR\\_ACCESS\\_DENIED**\n   \n\n5 (0x5)\n \n\n\nAccess is denied.\n\n\n<span id=\"ERROR_X\"></span>**ERROR\\_X**\n\n6 (0x7)\n\nText.\n## Requirements\n\nMore.",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].name, "ERROR_ACCESS_DENIED");
        assert_eq!(e[0].value, Some(5));
        assert_eq!(e[0].line, 1);
        assert_eq!(e[0].text.as_deref(), Some("Access is denied."));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].line, 13);
    }

    #[test]
    fn definition_lists() {
        let (e, _) = read(
            "<dl> <dt>\n\n<span id=\"ERROR_FTP_DROPPED\"></span>**ERROR\\_FTP\\_DROPPED**\n</dt> <dd> <dl> <dt>\n\n12111\n</dt> <dt>\n\n\n\nThe FTP operation was not completed.\n\n\n</dt> </dl> </dd> </dl>\n\nAfter the list.",
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].value, Some(12111));
        assert_eq!(
            e[0].text.as_deref(),
            Some("The FTP operation was not completed.")
        );
    }
}
