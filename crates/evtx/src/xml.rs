//! From a record's XML (as the `evtx` crate renders it, unindented) to an [`EventRecord`].
//!
//! The XML is the faithful form of a record: the `evtx` crate's JSON folds repeated `Data`
//! elements and attributes into shapes that lose their order and names, so werr reads the XML.

use crate::model::EventRecord;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// Why a record's XML could not be read into an [`EventRecord`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {position} of the record's XML: {message}")]
pub struct RecordXmlError {
    /// Byte offset in the rendered XML where the problem was seen.
    pub position: u64,
    /// What was wrong, and what was expected.
    pub message: String,
}

/// Where the element being read sits in the `Event` document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Event,
    System,
    EventData,
    UserData,
    Other,
}

/// The elements whose values werr keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    EventId,
    Version,
    Level,
    Task,
    Opcode,
    Keywords,
    EventRecordId,
    Channel,
    Computer,
    Data,
    Binary,
    /// An element under `UserData` (a leaf is an insert).
    UserValue,
    /// Anything else: its text is not collected.
    Other,
}

/// One open element: what it is, its collected text, and whether it has child elements.
struct Open<'a> {
    kind: Kind,
    text: Cow<'a, str>,
    has_children: bool,
    /// `Data/@Name`, or the element name under `UserData`.
    name: Option<String>,
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
    let mut record = EventRecord {
        record_id,
        time: String::new(),
        level: None,
        channel: None,
        computer: None,
        provider: String::new(),
        provider_guid: None,
        event_source_name: None,
        event_id: 0,
        qualifiers: None,
        version: None,
        task: None,
        opcode: None,
        keywords: None,
        process_id: None,
        thread_id: None,
        user_id: None,
        inserts: Vec::new(),
        insert_names: Vec::new(),
        binary: None,
        recovered,
    };
    let mut reader = Reader::from_reader(xml);
    // The `evtx` crate writes well-formed XML; matching every end tag to its start is
    // redundant work on the hot path.
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<Open<'_>> = Vec::with_capacity(8);
    let mut section = Section::Event;
    let mut saw_event_id = false;

    loop {
        let position = reader.buffer_position();
        let error = |message: String| RecordXmlError { position, message };
        let event = reader
            .read_event()
            .map_err(|e| error(format!("malformed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                if stack.len() == 1 {
                    section = section_of(start.local_name().as_ref());
                }
                let open =
                    open_element(&start, &mut record, stack.len(), section).map_err(&error)?;
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                stack.push(open);
            }
            Event::Empty(start) => {
                let section = if stack.len() == 1 {
                    section_of(start.local_name().as_ref())
                } else {
                    section
                };
                let open =
                    open_element(&start, &mut record, stack.len(), section).map_err(&error)?;
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                close_element(open, &mut record, &mut saw_event_id).map_err(&error)?;
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    if open.kind != Kind::Other {
                        let text = text
                            .unescape()
                            .map_err(|e| error(format!("bad character reference: {e}")))?;
                        append(&mut open.text, text);
                    }
                }
            }
            Event::CData(data) => {
                if let Some(open) = stack.last_mut() {
                    if open.kind != Kind::Other {
                        let text = String::from_utf8_lossy(&data).into_owned();
                        append(&mut open.text, Cow::Owned(text));
                    }
                }
            }
            Event::End(_) => {
                let Some(open) = stack.pop() else {
                    return Err(error("closing tag without an opening one".into()));
                };
                close_element(open, &mut record, &mut saw_event_id).map_err(&error)?;
                if stack.len() == 1 {
                    section = Section::Event;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(RecordXmlError {
            position: xml.len() as u64,
            message: "the document ends inside an open element".into(),
        });
    }
    if !saw_event_id {
        return Err(RecordXmlError {
            position: 0,
            message: "no <System><EventID> element".into(),
        });
    }
    if record.time.is_empty() {
        record.time = time();
    }
    Ok(record)
}

fn append<'a>(to: &mut Cow<'a, str>, text: Cow<'a, str>) {
    if to.is_empty() {
        *to = text;
    } else {
        to.to_mut().push_str(&text);
    }
}

fn section_of(name: &[u8]) -> Section {
    match name {
        b"System" => Section::System,
        b"EventData" => Section::EventData,
        b"UserData" => Section::UserData,
        _ => Section::Other,
    }
}

fn kind_of(name: &[u8], depth: usize, section: Section) -> Kind {
    match section {
        Section::System if depth == 2 => match name {
            b"EventID" => Kind::EventId,
            b"Version" => Kind::Version,
            b"Level" => Kind::Level,
            b"Task" => Kind::Task,
            b"Opcode" => Kind::Opcode,
            b"Keywords" => Kind::Keywords,
            b"EventRecordID" => Kind::EventRecordId,
            b"Channel" => Kind::Channel,
            b"Computer" => Kind::Computer,
            _ => Kind::Other,
        },
        Section::EventData if depth == 2 => match name {
            b"Data" => Kind::Data,
            b"Binary" => Kind::Binary,
            _ => Kind::Other,
        },
        Section::UserData if depth >= 3 => Kind::UserValue,
        _ => Kind::Other,
    }
}

/// Reads the attributes werr keeps from an opening tag at `depth` (0 for `Event`).
fn open_element<'a>(
    start: &BytesStart<'a>,
    record: &mut EventRecord,
    depth: usize,
    section: Section,
) -> Result<Open<'a>, String> {
    let local = start.local_name();
    let name = local.as_ref();
    let kind = kind_of(name, depth, section);
    let mut element_name = None;
    let wanted = match section {
        Section::System => depth == 2 && !matches!(name, b"Correlation"),
        Section::EventData => kind == Kind::Data,
        _ => false,
    };
    if wanted {
        for attribute in start.attributes().with_checks(false) {
            let attribute = attribute.map_err(|e| {
                format!("bad attribute in <{}>: {e}", String::from_utf8_lossy(name))
            })?;
            let key = attribute.key.local_name();
            let value = || {
                attribute.unescape_value().map_err(|e| {
                    format!(
                        "bad attribute value in <{}>: {e}",
                        String::from_utf8_lossy(name)
                    )
                })
            };
            match (name, key.as_ref()) {
                (b"Provider", b"Name") => record.provider = value()?.into_owned(),
                (b"Provider", b"Guid") => record.provider_guid = Some(value()?.into_owned()),
                (b"Provider", b"EventSourceName") => {
                    record.event_source_name = Some(value()?.into_owned())
                }
                (b"EventID", b"Qualifiers") => {
                    record.qualifiers = Some(parse_number(&value()?, "EventID/@Qualifiers")?)
                }
                (b"TimeCreated", b"SystemTime") => record.time = value()?.into_owned(),
                (b"Execution", b"ProcessID") => {
                    record.process_id = Some(parse_number(&value()?, "Execution/@ProcessID")?)
                }
                (b"Execution", b"ThreadID") => {
                    record.thread_id = Some(parse_number(&value()?, "Execution/@ThreadID")?)
                }
                (b"Security", b"UserID") => record.user_id = Some(value()?.into_owned()),
                (b"Data", b"Name") => element_name = Some(value()?.into_owned()),
                _ => {}
            }
        }
    }
    if kind == Kind::UserValue {
        element_name = Some(String::from_utf8_lossy(name).into_owned());
    }
    Ok(Open {
        kind,
        text: Cow::Borrowed(""),
        has_children: false,
        name: element_name,
    })
}

/// Takes the value of a finished element.
fn close_element(
    open: Open<'_>,
    record: &mut EventRecord,
    saw_event_id: &mut bool,
) -> Result<(), String> {
    let text = open.text;
    match open.kind {
        Kind::EventId => {
            record.event_id = parse_number(&text, "EventID")?;
            *saw_event_id = true;
        }
        Kind::Version => record.version = Some(parse_number(&text, "Version")?),
        Kind::Level => record.level = Some(parse_number(&text, "Level")?),
        Kind::Task => record.task = Some(parse_number(&text, "Task")?),
        Kind::Opcode => record.opcode = Some(parse_number(&text, "Opcode")?),
        Kind::Keywords => record.keywords = Some(text.into_owned()),
        Kind::EventRecordId => record.record_id = parse_number(&text, "EventRecordID")?,
        Kind::Channel => record.channel = Some(text.into_owned()),
        Kind::Computer => record.computer = Some(text.into_owned()),
        Kind::Data => {
            record.inserts.push(text.into_owned());
            record.insert_names.push(open.name);
        }
        Kind::Binary => record.binary = Some(text.into_owned()),
        // Under UserData sits one wrapper element per event; its leaves are the inserts.
        Kind::UserValue if !open.has_children => {
            record.inserts.push(text.into_owned());
            record.insert_names.push(open.name);
        }
        Kind::UserValue | Kind::Other => {}
    }
    Ok(())
}

/// A decimal number, or a `0x` hex number, of the element `what`.
fn parse_number<T: TryFrom<u64>>(text: &str, what: &str) -> Result<T, String> {
    let trimmed = text.trim();
    let parsed = match trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
    {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => trimmed.parse::<u64>(),
    };
    parsed
        .ok()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| {
            format!(
                "{what} is {text:?}; expected a number that fits in {} bits",
                std::mem::size_of::<T>() * 8
            )
        })
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
    fn rejects_event_id_that_is_not_a_number() {
        let xml = r#"<Event><System><EventID>x</EventID></System></Event>"#;
        let e = record_from_xml(xml.as_bytes(), 0, String::new, false).unwrap_err();
        assert!(e.message.contains("EventID is \"x\""), "{e}");
    }

    #[test]
    fn rejects_record_without_event_id() {
        let xml = r#"<Event><System></System></Event>"#;
        assert!(record_from_xml(xml.as_bytes(), 0, String::new, false).is_err());
    }
}
