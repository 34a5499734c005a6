//! How a `.mc` file's `;` comments outline it, as a reader of the header mc.exe writes sees
//! them: the file's own heading and description, and groups of messages under headings.

use crate::{write_header, HeaderOptions, Item, LineEnding, Message, MessageFile, Preamble};

/// A heading of the comments and the messages under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentGroup {
    /// The heading text (`TCP messages`).
    pub title: String,
    /// The line of the message it heads.
    pub line: u32,
    /// The smallest code (low 16 bits) it covers.
    pub first: Option<u32>,
    /// The largest code (low 16 bits) it covers.
    pub last: Option<u32>,
}

/// The outline of a `.mc` file ([`outline`]).
#[derive(Debug, Clone)]
pub struct Outline<'f> {
    /// The file's category: its header comments' first paragraph when that is one line
    /// (the seed page's "Type"); empty otherwise.
    pub category: String,
    /// The file's other header paragraphs and mc.exe's layout box, one text.
    pub description: String,
    /// The groups, in file order.
    pub groups: Vec<CommentGroup>,
    /// Every message, in file order, with the index of its group in `groups`.
    pub messages: Vec<(Option<usize>, &'f Message)>,
}

/// Outlines `file` by its comments:
///
/// - the last paragraph of the `;` comments before a message (since the previous message)
///   heads a group. Before the first message, the comments are the file's header when there
///   is only one paragraph; else the last paragraph heads the first group. Paragraphs
///   `is_boilerplate` says are licence or authorship text are left out;
/// - a group's codes run from its first message's code up to the code before the next
///   group's first (a group reserves its block, as netevent.h's "TCP messages" 4225 - 4264
///   does), the last group's up to its last message's code;
/// - the header's one-line first paragraph is the category; its other paragraphs and
///   mc.exe's layout box are the description.
pub fn outline(file: &MessageFile, is_boilerplate: impl Fn(&str) -> bool) -> Outline<'_> {
    let mut pending: Vec<String> = Vec::new();
    let mut header_paragraphs: Option<Vec<Vec<String>>> = None;
    let mut groups: Vec<CommentGroup> = Vec::new();
    let mut current_group: Option<usize> = None;
    let mut messages: Vec<(Option<usize>, &Message)> = Vec::new();
    for item in &file.items {
        match item {
            Item::Comment(text) => pending.push(text.clone()),
            Item::Preamble(_) => {}
            Item::Message(m) => {
                let mut paras = paragraphs(&pending);
                pending.clear();
                paras.retain(|p| !is_boilerplate(&p.join("\n")));
                if header_paragraphs.is_none() {
                    let title = if paras.len() >= 2 { paras.pop() } else { None };
                    header_paragraphs = Some(paras);
                    paras = title.into_iter().collect();
                }
                if let Some(title) = paras.pop() {
                    current_group = Some(groups.len());
                    groups.push(CommentGroup {
                        title: title.join("\n").trim_end().to_string(),
                        line: m.line,
                        first: None,
                        last: None,
                    });
                }
                messages.push((current_group, m));
            }
        }
    }
    let code = |m: &Message| m.value & 0xFFFF;
    for (g, m) in &messages {
        if let Some(group) = g.and_then(|g| groups.get_mut(g)) {
            group.first = Some(group.first.map_or(code(m), |f| f.min(code(m))));
            group.last = Some(group.last.map_or(code(m), |l| l.max(code(m))));
        }
    }
    for i in 1..groups.len() {
        let next_first = groups[i].first;
        let group = &mut groups[i - 1];
        if let (Some(first), Some(last), Some(next)) = (group.first, group.last, next_first) {
            if next > last && next > first {
                group.last = Some(next - 1);
            }
        }
    }
    let mut header = header_paragraphs.unwrap_or_default();
    let category = match header.first() {
        Some(p) if p.len() == 1 => {
            let title = p[0].trim().to_string();
            header.remove(0);
            title
        }
        _ => String::new(),
    };
    let mut description: Vec<String> = Vec::new();
    for p in &header {
        description.extend(p.iter().cloned());
        description.push(String::new());
    }
    description.extend(layout_box());
    while description.last().is_some_and(|l| l.trim().is_empty()) {
        description.pop();
    }
    Outline {
        category,
        description: description.join("\n"),
        groups,
        messages,
    }
}

/// The lines of the layout box mc.exe's header opens with, uncommented.
fn layout_box() -> Vec<String> {
    let layout = write_header(
        &MessageFile {
            items: vec![Item::Preamble(Preamble::default())],
            ..MessageFile::default()
        },
        HeaderOptions {
            line_ending: LineEnding::Lf,
            ..HeaderOptions::default()
        },
    );
    layout
        .lines()
        .map(|l| comment_text(l).unwrap_or(l).to_string())
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l != "Define the facility codes")
        .collect()
}

/// The text of a `;` line as a comment: `// text` gives `text`, and so does plain ` text`
/// (ReactOS and Wine write headings as `; text`); `None` for C lines (`#ifndef`, `/*`).
fn comment_text(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("//").unwrap_or(line);
    if rest.len() == line.len() {
        let code = line.trim_start();
        if code.starts_with('#') || code.starts_with("/*") || code.starts_with('*') {
            return None;
        }
    }
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// Splits comment lines into paragraphs: runs of non-empty comment lines.
fn paragraphs(lines: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in lines {
        match comment_text(line) {
            Some(t) if !t.trim().is_empty() => current.push(t.to_string()),
            _ => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse, ParseOptions};

    const NETEVENT_LIKE: &str = "\
;// Copyright notice
;// All rights reserved.
;
;// Network events
;
;// TCP messages
MessageId=4225
SymbolicName=TCP_FIRST
Language=English
first
.
MessageId=4230
SymbolicName=TCP_LAST
Language=English
last
.
;// UDP messages
MessageId=4265
SymbolicName=UDP_ONE
Language=English
udp
.
";

    #[test]
    fn headings_group_the_messages_and_reserve_their_block() {
        let file = parse(NETEVENT_LIKE, ParseOptions::default()).unwrap();
        let o = outline(&file, |p| p.contains("Copyright"));
        let titles: Vec<_> = o.groups.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["TCP messages", "UDP messages"]);
        // TCP's block runs up to the code before UDP's first.
        assert_eq!(
            (o.groups[0].first, o.groups[0].last),
            (Some(4225), Some(4264))
        );
        assert_eq!(
            (o.groups[1].first, o.groups[1].last),
            (Some(4265), Some(4265))
        );
        assert_eq!(o.groups[0].line, 7);
        let groups_of: Vec<_> = o.messages.iter().map(|(g, _)| *g).collect();
        assert_eq!(groups_of, [Some(0), Some(0), Some(1)]);
        // The boilerplate is left out; the one-line paragraph is the category.
        assert_eq!(o.category, "Network events");
        assert!(!o.description.contains("Copyright"), "{}", o.description);
        assert!(
            o.description.contains("Sev - is the severity code"),
            "{}",
            o.description
        );
    }

    #[test]
    fn without_boilerplate_the_first_paragraph_is_the_category() {
        let file = parse(NETEVENT_LIKE, ParseOptions::default()).unwrap();
        let o = outline(&file, |_| false);
        // Three paragraphs before the first message: the last heads the group, the
        // two-line first is no category.
        assert_eq!(o.category, "");
        assert!(
            o.description
                .starts_with("Copyright notice\nAll rights reserved.\n\nNetwork events"),
            "{}",
            o.description
        );
        assert_eq!(o.groups[0].title, "TCP messages");
    }
}
