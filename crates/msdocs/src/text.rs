//! Markdown and HTML fragments turned into plain text, and the small HTML tokenizer the
//! table and block readers share.

use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag, TagEnd};

/// One piece of a fragment: text, or an HTML tag (comments are dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// Text between tags, as written (Markdown, entities).
    Text(&'a str),
    /// A tag: its name in lower case, whether it closes (`</td>`), and its attributes as written.
    Tag {
        name: &'a str,
        closing: bool,
        attrs: &'a str,
        /// Byte offset of the `<` in the scanned text.
        at: usize,
    },
}

/// The length of the HTML tag or comment that starts `s` (at a `<`), or `None` when `s` does
/// not start with one (a `<` in prose, an autolink such as `<https://...>`).
fn tag_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    if s.starts_with("<!--") {
        return s.find("-->").map(|end| end + 3);
    }
    let mut i = 1;
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    let name_start = i;
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    // After the name: whitespace, `/` or `>`; anything else (`<https:`) is not a tag.
    match b.get(i) {
        Some(b'>') => return Some(i + 1),
        Some(c) if c.is_ascii_whitespace() || *c == b'/' => {}
        _ => return None,
    }
    let mut quote: Option<u8> = None;
    while let Some(&c) = b.get(i) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i + 1),
            None if c == b'<' || c == b'\n' && b.get(i + 1) == Some(&b'\n') => return None,
            None => {}
        }
        i += 1;
    }
    None
}

/// Splits `s` into text and tags.
pub(crate) fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(off) = s[i..].find('<') {
        let at = i + off;
        match tag_len(&s[at..]) {
            Some(len) => {
                if text_start < at {
                    out.push(Piece::Text(&s[text_start..at]));
                }
                let raw = &s[at..at + len];
                if !raw.starts_with("<!--") {
                    let inner = raw[1..raw.len() - 1].trim_end_matches('/');
                    let (closing, inner) = match inner.strip_prefix('/') {
                        Some(rest) => (true, rest),
                        None => (false, inner),
                    };
                    let name_end = inner
                        .find(|c: char| !c.is_ascii_alphanumeric())
                        .unwrap_or(inner.len());
                    out.push(Piece::Tag {
                        name: &inner[..name_end],
                        closing,
                        attrs: &inner[name_end..],
                        at,
                    });
                }
                i = at + len;
                text_start = i;
            }
            None => i = at + 1,
        }
    }
    if text_start < s.len() {
        out.push(Piece::Text(&s[text_start..]));
    }
    out
}

/// The value of attribute `name` in a tag's attributes (`id="X"`).
pub(crate) fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_ascii_whitespace());
        let after = rest[at + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next()?;
                if q == '"' || q == '\'' {
                    let end = v[1..].find(q)?;
                    return Some(&v[1..1 + end]);
                }
                let end = v.find(|c: char| c.is_ascii_whitespace()).unwrap_or(v.len());
                return Some(&v[..end]);
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Tag names that start a new line of text; the other tags (`span`, `strong`, `a`, `em`,
/// `code`, `sup`...) are dropped and their content kept.
pub(crate) fn is_break_tag(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "thead"
            | "tbody"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// Whether a fragment marks its text as strong (`**X**`, `__X__`, `<strong>`, `<b>`).
pub(crate) fn has_strong(raw: &str) -> bool {
    raw.contains("**")
        || raw.contains("__")
        || raw.contains("<strong>")
        || raw.contains("<b>")
        || raw.contains("<STRONG>")
}

/// The plain text of a Markdown fragment that may hold inline HTML: escapes undone
/// (`\_`), entities decoded (`&lt;`), links and images reduced to their text, emphasis and
/// tags dropped, `[!NOTE]` alerts written `Note:`. Lines of a paragraph are joined by a
/// space; paragraphs and lines broken by `<br>`/`<p>`/list items are kept apart by `\n`
/// (a blank line between paragraphs).
pub fn plain_text(fragment: &str) -> String {
    // HTML first: block-level tags at the start of a line would otherwise make the Markdown
    // parser keep the whole fragment as raw HTML.
    let mut md = String::with_capacity(fragment.len());
    for piece in pieces(fragment) {
        match piece {
            Piece::Text(t) => md.push_str(t),
            Piece::Tag { name, closing, .. } => {
                let lower = name.to_ascii_lowercase();
                match lower.as_str() {
                    "p" | "dl" | "dt" | "dd" | "div" | "ul" | "ol" | "table" | "tr" => {
                        md.push_str("\n\n")
                    }
                    "li" if !closing => md.push_str("\n\n"),
                    "br" | "li" | "td" | "th" => md.push_str("  \n"),
                    _ => {}
                }
            }
        }
    }
    // Leading blanks would make indented code blocks of ordinary lines.
    let md: String = md
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::with_capacity(md.len());
    let mut in_image = 0usize;
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_GFM | Options::ENABLE_TABLES;
    for event in Parser::new_ext(&md, options) {
        match event {
            Event::Text(t) | Event::Code(t) if in_image == 0 => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                out.push_str(match kind {
                    BlockQuoteKind::Note => "Note: ",
                    BlockQuoteKind::Tip => "Tip: ",
                    BlockQuoteKind::Important => "Important: ",
                    BlockQuoteKind::Warning => "Warning: ",
                    BlockQuoteKind::Caution => "Caution: ",
                });
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::Table,
            ) => out.push_str("\n\n"),
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    tidy(&out)
}

/// The plain text of a fragment of raw HTML (a cell of an HTML table): as [`plain_text`],
/// but backslashes are text, as a browser shows them (Markdown escapes do not apply inside
/// HTML blocks).
pub(crate) fn plain_text_of_html(fragment: &str) -> String {
    if fragment.contains('\\') {
        plain_text(&fragment.replace('\\', "\\\\"))
    } else {
        plain_text(fragment)
    }
}

/// Whitespace made regular: no-break spaces as spaces, zero-width characters dropped, runs
/// of blanks inside a line made one, lines trimmed, at most one empty line in a row, and
/// alert markers a Markdown parser left as text (`[!NOTE]`) written as words.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let mut cleaned = String::with_capacity(line.len());
        let mut space = false;
        for c in line.chars() {
            match c {
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
                c if c.is_whitespace() => space = true,
                c => {
                    if space && !cleaned.is_empty() {
                        cleaned.push(' ');
                    }
                    space = false;
                    cleaned.push(c);
                }
            }
        }
        let cleaned = alert_words(&cleaned);
        if cleaned.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&cleaned);
    }
    out
}

fn alert_words(line: &str) -> String {
    const ALERTS: [(&str, &str); 5] = [
        ("[!NOTE]", "Note:"),
        ("[!TIP]", "Tip:"),
        ("[!IMPORTANT]", "Important:"),
        ("[!WARNING]", "Warning:"),
        ("[!CAUTION]", "Caution:"),
    ];
    let mut s = line.to_string();
    for (marker, word) in ALERTS {
        if s.contains(marker) {
            s = s.replace(marker, word);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_entities_links_and_tags() {
        assert_eq!(
            plain_text(r"**ERROR\_FILE\_NOT\_FOUND**"),
            "ERROR_FILE_NOT_FOUND"
        );
        assert_eq!(
            plain_text("did not conform to the &lt;Domain&gt;\\\\&lt;Name&gt; syntax<br/>"),
            r"did not conform to the <Domain>\<Name> syntax"
        );
        assert_eq!(
            plain_text("Use the [**FormatMessage**](/windows/x) function."),
            "Use the FormatMessage function."
        );
        assert_eq!(
            plain_text(r#"<a href="/x"><strong>sendto</strong></a> without &quot;x&quot;"#),
            "sendto without \"x\""
        );
        assert_eq!(plain_text("a<br/>b"), "a\nb");
        assert_eq!(plain_text("<p>a</p><p>b</p>"), "a\n\nb");
    }

    #[test]
    fn notes_become_words() {
        assert_eq!(
            plain_text("> [!NOTE]\n> This information is for developers."),
            "Note: This information is for developers."
        );
        assert_eq!(plain_text("[!NOTE] Read this."), "Note: Read this.");
    }

    #[test]
    fn tags_and_attributes() {
        let p = pieces(r#"<span id="E_FAIL"></span>x < y <https://a.b>"#);
        assert_eq!(
            p[0],
            Piece::Tag {
                name: "span",
                closing: false,
                attrs: r#" id="E_FAIL""#,
                at: 0
            }
        );
        assert_eq!(attr(r#" id="E_FAIL""#, "id"), Some("E_FAIL"));
        assert_eq!(p.last(), Some(&Piece::Text("x < y <https://a.b>")));
    }
}
