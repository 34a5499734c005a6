//! Bug check pages (`debugger/bug-check-0x*.md`): `# Bug Check 0xA: IRQL_NOT_LESS_OR_EQUAL`,
//! then "The IRQL_NOT_LESS_OR_EQUAL bug check has a value of 0x0000000A. This bug check
//! indicates that ...": the name and value of the heading, confirmed by the sentence, and
//! the rest of that paragraph as the text.

use crate::text::plain_text;
use crate::value::is_name;
use crate::{Entry, Layout, Skipped};

/// The name and value of a bug check heading (`Bug Check 0xA: NAME`, `Bug check 17C: NAME`;
/// the number is hex with or without `0x`).
pub(crate) fn heading(plain: &str) -> Option<(String, String, u32)> {
    let lower = plain.to_ascii_lowercase();
    let rest = plain[lower.find("bug check")? + "bug check".len()..].trim_start();
    let (number, name) = rest.split_once(':')?;
    let number = number.trim();
    let digits = number
        .strip_prefix("0x")
        .or_else(|| number.strip_prefix("0X"))
        .unwrap_or(number);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let value = u32::from_str_radix(digits, 16).ok()?;
    let name = name.trim();
    is_name(name).then(|| (name.to_string(), number.to_string(), value))
}

/// Reads a bug check page from its lines (`lines[i]` is line `i + 1`), body starting at
/// index `body`. `None` when the page has no bug check heading.
pub(crate) fn read(
    lines: &[&str],
    body: usize,
    entries: &mut Vec<Entry>,
    skipped: &mut Vec<Skipped>,
) -> bool {
    let Some(h1) = (body..lines.len()).find(|&i| lines[i].starts_with("# ")) else {
        return false;
    };
    let Some((name, written, value)) = heading(&plain_text(&lines[h1][2..])) else {
        skipped.push(Skipped {
            line: h1 as u32 + 1,
            reason: "a bug check page whose heading is not \"Bug Check 0xN: NAME\"".to_string(),
        });
        return true;
    };
    let mut entry = Entry::named(name, h1 as u32 + 1, Layout::BugCheck);
    entry.value = Some(value);
    entry.value_text = Some(written);
    // The paragraph that states the value.
    let mut i = h1 + 1;
    while i < lines.len() && !lines[i].starts_with('#') {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() && !lines[i].starts_with('#') {
            i += 1;
        }
        let paragraph = plain_text(&lines[start..i].join("\n"));
        let Some(at) = paragraph.find("has a value of") else {
            continue;
        };
        let after = paragraph[at + "has a value of".len()..].trim_start();
        let stated = after
            .split(|c: char| c.is_whitespace() || c == ',')
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        let stated_value = stated
            .strip_prefix("0x")
            .or_else(|| stated.strip_prefix("0X"))
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        if stated_value != Some(value) {
            skipped.push(Skipped {
                line: start as u32 + 1,
                reason: format!(
                    "{}: the heading says {:?}, the text {stated:?}",
                    entry.name,
                    entry.value_text.as_deref().unwrap_or("")
                ),
            });
            return true;
        }
        let rest = after[stated.len()..].trim_start_matches('.').trim();
        if !rest.is_empty() {
            entry.text = Some(rest.to_string());
        } else {
            // "... has a value of 0x00000010." alone: the paragraph after it says what the bug
            // check means ("This bug check appears very infrequently."), when it is running
            // text (not a note, a heading, a table or a list).
            entry.text = next_paragraph(lines, i);
        }
        break;
    }
    entries.push(entry);
    true
}

/// The plain text of the paragraph after line index `from`, when it is running text.
fn next_paragraph(lines: &[&str], from: usize) -> Option<String> {
    let start = (from..lines.len()).find(|&i| !lines[i].trim().is_empty())?;
    let first = lines[start].trim_start();
    if ['#', '>', '|', '<', '-', '*', '`', '!', '[']
        .iter()
        .any(|c| first.starts_with(*c))
        || first.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let end = (start..lines.len())
        .find(|&i| lines[i].trim().is_empty())
        .unwrap_or(lines.len());
    let text = plain_text(&lines[start..end].join("\n"));
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(
            heading("Bug Check 0xA: IRQL_NOT_LESS_OR_EQUAL"),
            Some(("IRQL_NOT_LESS_OR_EQUAL".into(), "0xA".into(), 0xA))
        );
        assert_eq!(
            heading("Bug Check 17C: PDC_LOCK_WATCHDOG_LIVEDUMP"),
            Some(("PDC_LOCK_WATCHDOG_LIVEDUMP".into(), "17C".into(), 0x17C))
        );
        assert_eq!(heading("Bug Check Code Reference"), None);
    }
}
