//! From a record's XML (as the `evtx` crate renders it, unindented) to an [`EventRecord`].
//!
//! The XML is the faithful form of a record: the `evtx` crate's JSON folds repeated `Data`
//! elements and attributes into shapes that lose their order and names, so werr reads the XML.

use crate::builder::{local, RecordBuilder};
use crate::model::EventRecord;
use std::borrow::Cow;
use werr_quote::quoted;

/// Why a record's XML could not be read into an [`EventRecord`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {position} of the record's XML: {message}")]
pub struct RecordXmlError {
    /// Byte offset in the rendered XML where the problem was seen.
    pub position: u64,
    /// What was wrong, and what was expected.
    pub message: String,
}

/// Reads the unindented UTF-8 XML of one record (`<Event>...</Event>`) into an
/// [`EventRecord`].
///
/// `record_id` comes from the record header and `time` is used when the XML has no
/// `TimeCreated/@SystemTime` (the XML wins when present). Unknown elements are skipped;
/// `System` values that do not parse as numbers are an error naming the element.
pub fn record_from_xml(
    xml: &[u8],
    record_id: u64,
    time: impl FnOnce() -> String,
    recovered: bool,
) -> Result<EventRecord, RecordXmlError> {
    // The `evtx` crate writes well-formed UTF-8 XML with no DTD; a small scanner over that
    // form (elements, attributes, text, the five entities and character references, CDATA,
    // comments, processing instructions) is several times faster than a general XML reader.
    let xml = std::str::from_utf8(xml).map_err(|e| RecordXmlError {
        position: e.valid_up_to() as u64,
        message: format!("the record's XML is not UTF-8: {e}"),
    })?;
    let mut scanner = Scanner { xml, at: 0 };
    let mut builder = RecordBuilder::new(record_id, recovered);

    loop {
        let position = scanner.at as u64;
        let error = |message: String| RecordXmlError { position, message };
        match scanner.next_token().map_err(&error)? {
            Token::Start {
                name,
                attributes,
                empty,
            } => {
                if builder.start(name) {
                    let mut rest = attributes;
                    while let Some((key, raw, after)) = next_attribute(rest)
                        .map_err(|e| error(format!("bad attribute in <{name}>: {e}")))?
                    {
                        rest = after;
                        let value = unescape(raw)
                            .map_err(|e| error(format!("bad attribute value in <{name}>: {e}")))?;
                        builder.attribute(key, value).map_err(&error)?;
                    }
                }
                if empty {
                    builder.end().map_err(&error)?;
                }
            }
            Token::Text(text) => {
                if builder.wants_text() {
                    let text = unescape(text)
                        .map_err(|e| error(format!("bad character reference: {e}")))?;
                    builder.text(text);
                }
            }
            Token::CData(text) => builder.text(Cow::Borrowed(text)),
            Token::End => builder.end().map_err(&error)?,
            Token::Eof => break,
        }
    }
    builder
        .finish(time)
        .map(|record| *record)
        .map_err(|message| RecordXmlError {
            position: if message.starts_with("the document ends") {
                xml.len() as u64
            } else {
                0
            },
            message,
        })
}

/// One piece of a record's XML.
enum Token<'a> {
    /// An opening tag (local name, the raw text of its attributes) or an empty element.
    Start {
        name: &'a str,
        attributes: &'a str,
        empty: bool,
    },
    /// A closing tag.
    End,
    /// Character data, still escaped.
    Text(&'a str),
    /// A CDATA section's content.
    CData(&'a str),
    /// The end of the document.
    Eof,
}

/// Walks a record's XML token by token; `at` is the byte offset of the next token.
struct Scanner<'a> {
    xml: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn next_token(&mut self) -> Result<Token<'a>, String> {
        loop {
            let rest = &self.xml[self.at..];
            let bytes = rest.as_bytes();
            let Some(&first) = bytes.first() else {
                return Ok(Token::Eof);
            };
            if first != b'<' {
                let len = position(bytes, b'<').unwrap_or(bytes.len());
                self.at += len;
                return Ok(Token::Text(&rest[..len]));
            }
            let skip_to = |end: &str, what: &str| {
                find(bytes, end.as_bytes())
                    .map(|i| i + end.len())
                    .ok_or_else(|| format!("{what} is not closed with {end:?}"))
            };
            match bytes.get(1) {
                Some(b'/') => {
                    let len =
                        position(bytes, b'>').ok_or("a closing tag is not closed with '>'")?;
                    self.at += len + 1;
                    return Ok(Token::End);
                }
                Some(b'?') => {
                    self.at += skip_to("?>", "a processing instruction")?;
                    continue;
                }
                Some(b'!') => {
                    if let Some(body) = rest.strip_prefix("<![CDATA[") {
                        let len = find(body.as_bytes(), b"]]>")
                            .ok_or("a CDATA section is not closed with \"]]>\"")?;
                        self.at += "<![CDATA[".len() + len + "]]>".len();
                        return Ok(Token::CData(&body[..len]));
                    }
                    if rest.starts_with("<!--") {
                        self.at += skip_to("-->", "a comment")?;
                        continue;
                    }
                    return Err("unexpected markup declaration; expected an element".into());
                }
                _ => {}
            }
            let name_end = bytes[1..]
                .iter()
                .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
                .map_or(bytes.len(), |i| i + 1);
            let name = &rest[1..name_end];
            if name.is_empty() {
                return Err("an opening tag has no element name".into());
            }
            let len = name_end + tag_length(&bytes[name_end..])?;
            self.at += len;
            let attributes = &rest[name_end..len - 1];
            let (attributes, empty) = match attributes.strip_suffix('/') {
                Some(attributes) => (attributes, true),
                None => (attributes, false),
            };
            return Ok(Token::Start {
                name: local(name),
                attributes,
                empty,
            });
        }
    }
}

/// The index of the first `byte` in `bytes`.
fn position(bytes: &[u8], byte: u8) -> Option<usize> {
    memchr::memchr(byte, bytes)
}

/// The index of the first `needle` in `bytes` (a short needle, found soon: no searcher set-up).
fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, tail) = needle.split_first()?;
    let mut from = 0;
    while let Some(i) = position(&bytes[from..], first) {
        let at = from + i;
        if bytes[at + 1..].starts_with(tail) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The length of `text` up to and including the `>` that ends its tag (quotes respected).
fn tag_length(text: &[u8]) -> Result<usize, String> {
    let mut at = 0;
    while let Some(i) = memchr::memchr3(b'>', b'"', b'\'', &text[at..]) {
        let found = at + i;
        let quote = text[found];
        if quote == b'>' {
            return Ok(found + 1);
        }
        let close = memchr::memchr(quote, &text[found + 1..])
            .ok_or("an attribute value in an opening tag is not closed")?;
        at = found + 1 + close + 1;
    }
    Err("an opening tag is not closed with '>'".into())
}

/// The first attribute of `text` (`key="value"`, value still escaped) and the text after it;
/// `None` when only white space is left.
fn next_attribute(text: &str) -> Result<Option<(&str, &str, &str)>, String> {
    let text = text.trim_start();
    if text.is_empty() {
        return Ok(None);
    }
    let bytes = text.as_bytes();
    let equals =
        position(bytes, b'=').ok_or_else(|| format!("attribute {} has no '='", quoted(text)))?;
    let key = text[..equals].trim_end();
    let rest = text[equals + 1..].trim_start();
    let quote = match rest.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => {
            return Err(format!(
                "the value of attribute {} is not quoted",
                quoted(key)
            ))
        }
    };
    let end = position(&rest.as_bytes()[1..], quote)
        .ok_or_else(|| format!("the value of attribute {} is not closed", quoted(key)))?;
    Ok(Some((key, &rest[1..end + 1], &rest[end + 2..])))
}

/// Resolves the five XML entities and character references in `text`.
fn unescape(text: &str) -> Result<Cow<'_, str>, String> {
    let Some(first) = position(text.as_bytes(), b'&') else {
        return Ok(Cow::Borrowed(text));
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .ok_or_else(|| format!("'&' without ';' in {}", quoted(text)))?;
        let entity = &after[..semi];
        match entity {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(decimal) = entity.strip_prefix('#') {
                    decimal.parse::<u32>().ok()
                } else {
                    None
                };
                let c = code
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown entity &{entity};"))?;
                out.push(c);
            }
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_classic_record_with_qualifiers_and_data() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="EventLog"/><EventID Qualifiers="32768">6009</EventID><Level>4</Level><EventRecordID>1</EventRecordID><Channel>System</Channel><Computer>PC</Computer><Security/></System><EventData><Data>10.00.</Data><Data></Data><Data>a &amp; b</Data><Binary>E107</Binary></EventData></Event>"#;
        let r = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap();
        assert_eq!(r.provider, "EventLog");
        assert_eq!((r.event_id, r.qualifiers), (6009, Some(0x8000)));
        assert_eq!(r.record_id, 1);
        assert_eq!(r.inserts, ["10.00.", "", "a & b"]);
        assert_eq!(r.insert_names, [None, None, None]);
        assert_eq!(r.binary.as_deref(), Some("E107"));
    }

    #[test]
    fn reads_user_data_leaves_in_order() {
        let xml = r#"<Event><System><Provider Name="P" Guid="{1}"/><EventID>1102</EventID></System><UserData><LogFileCleared xmlns="x"><SubjectUserSid>S-1</SubjectUserSid><SubjectUserName>bob</SubjectUserName><Empty/></LogFileCleared></UserData></Event>"#;
        let r = record_from_xml(xml.as_bytes(), 7, String::new, false).unwrap();
        assert_eq!(r.inserts, ["S-1", "bob", ""]);
        assert_eq!(
            r.insert_names,
            [
                Some("SubjectUserSid".to_string()),
                Some("SubjectUserName".to_string()),
                Some("Empty".to_string())
            ]
        );
        assert_eq!(r.qualifiers, None);
        assert_eq!(r.provider_guid.as_deref(), Some("{1}"));
    }

    #[test]
    fn reads_both_activity_ids_of_correlation_and_only_under_system() {
        let xml = r#"<Event><System><EventID>4</EventID><Correlation ActivityID="{A}" RelatedActivityID="{B}"/></System><EventData><Correlation ActivityID="{C}"/></EventData></Event>"#;
        let r = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap();
        assert_eq!(r.activity_id.as_deref(), Some("{A}"));
        assert_eq!(r.related_activity_id.as_deref(), Some("{B}"));
        let xml = r#"<Event><System><EventID>4</EventID><Correlation/></System></Event>"#;
        let r = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap();
        assert_eq!((r.activity_id, r.related_activity_id), (None, None));
    }

    #[test]
    fn rejects_event_id_that_is_not_a_number() {
        let xml = r#"<Event><System><EventID>x</EventID></System></Event>"#;
        let e = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap_err();
        assert!(e.message.contains("EventID is `x`"), "{e}");
    }

    #[test]
    fn rejects_record_without_event_id() {
        let xml = r#"<Event><System></System></Event>"#;
        assert!(record_from_xml(xml.as_bytes(), 0, String::new, false).is_err());
    }

    #[test]
    fn reads_entities_cdata_and_skips_comments_and_instructions() {
        let xml = "<?xml version=\"1.0\"?><Event><!-- c --><System><Provider Name=\"a&amp;b &#x41;&#66;\"/>\
                   <EventID>7</EventID><?pi x?></System><EventData><Data Name='q&quot;&gt;'>&lt;1&gt; &apos;x&apos;</Data>\
                   <Data><![CDATA[<raw> & text]]></Data></EventData></Event>";
        let r = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap();
        assert_eq!(r.provider, "a&b AB");
        assert_eq!(r.inserts, ["<1> 'x'", "<raw> & text"]);
        assert_eq!(r.insert_names, [Some("q\">".to_string()), None]);
    }

    #[test]
    fn reads_quoted_angle_bracket_and_prefixed_names() {
        let xml = r#"<e:Event xmlns:e="x"><e:System><e:Provider e:Name="a>b"/><e:EventID>9</e:EventID></e:System></e:Event>"#;
        let r = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap();
        assert_eq!((r.provider.as_str(), r.event_id), ("a>b", 9));
    }

    #[test]
    fn rejects_unclosed_tag_and_unknown_entity_with_position() {
        let xml = r#"<Event><System><EventID>1</EventID></System><EventData><Data Name="x""#;
        let e = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap_err();
        assert_eq!(e.position, 55, "{e}");
        assert!(e.message.contains("not closed with '>'"), "{e}");
        let xml = r#"<Event><System><EventID>1</EventID></System><EventData><Data>&bogus;</Data></EventData></Event>"#;
        let e = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap_err();
        assert!(e.message.contains("unknown entity &bogus;"), "{e}");
    }
}
