//! From a record's XML (as the `evtx` crate renders it, unindented) to an [`EventRecord`].
//!
//! The XML is the faithful form of a record: the `evtx` crate's JSON folds repeated `Data`
//! elements and attributes into shapes that lose their order and names, so werr reads the XML.

use crate::model::EventRecord;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

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

/// One open element: its local name, its collected text, and whether it has child elements.
struct Open {
    name: String,
    text: String,
    has_children: bool,
    data_name: Option<String>,
}

/// Reads the unindented XML of one record (`<Event>...</Event>`) into an [`EventRecord`].
///
/// `record_id` and `time` come from the record header (they are also in the XML, which wins
/// when present). Unknown elements are skipped; `System` values that do not parse as numbers
/// are an error naming the element.
pub fn record_from_xml(
    xml: &str,
    record_id: u64,
    time: String,
    recovered: bool,
) -> Result<EventRecord, RecordXmlError> {
    let mut record = EventRecord {
        record_id,
        time,
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
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Open> = Vec::with_capacity(8);
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
                let open =
                    open_element(&start, &mut record, stack.len(), section).map_err(&error)?;
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                if stack.len() == 1 {
                    section = section_of(&open.name);
                }
                stack.push(open);
            }
            Event::Empty(start) => {
                let open =
                    open_element(&start, &mut record, stack.len(), section).map_err(&error)?;
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                close_element(open, &mut record, stack.len(), section, &mut saw_event_id)
                    .map_err(&error)?;
            }
            Event::Text(text) => {
                if let Some(open) = stack.last_mut() {
                    let text = text
                        .unescape()
                        .map_err(|e| error(format!("bad character reference: {e}")))?;
                    open.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::End(_) => {
                let Some(open) = stack.pop() else {
                    return Err(error("closing tag without an opening one".into()));
                };
                close_element(open, &mut record, stack.len(), section, &mut saw_event_id)
                    .map_err(&error)?;
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
            message: format!("the document ends inside <{}>", stack[stack.len() - 1].name),
        });
    }
    if !saw_event_id {
        return Err(RecordXmlError {
            position: 0,
            message: "no <System><EventID> element".into(),
        });
    }
    Ok(record)
}

fn section_of(name: &str) -> Section {
    match name {
        "System" => Section::System,
        "EventData" => Section::EventData,
        "UserData" => Section::UserData,
        _ => Section::Other,
    }
}

fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

/// Reads the attributes werr keeps from an opening tag at `depth` (0 for `Event`).
fn open_element(
    start: &BytesStart<'_>,
    record: &mut EventRecord,
    depth: usize,
    section: Section,
) -> Result<Open, String> {
    let name = local_name(start);
    let mut data_name = None;
    let in_system = depth == 2 && section == Section::System;
    let in_event_data = depth == 2 && section == Section::EventData;
    if in_system || in_event_data {
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| format!("bad attribute in <{name}>: {e}"))?;
            let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
            let value = attribute
                .unescape_value()
                .map_err(|e| format!("bad attribute value {key} in <{name}>: {e}"))?
                .into_owned();
            match (name.as_str(), key.as_str()) {
                ("Provider", "Name") => record.provider = value,
                ("Provider", "Guid") => record.provider_guid = Some(value),
                ("Provider", "EventSourceName") => record.event_source_name = Some(value),
                ("EventID", "Qualifiers") => {
                    record.qualifiers = Some(parse_number(&value, "EventID/@Qualifiers")?)
                }
                ("TimeCreated", "SystemTime") => record.time = value,
                ("Execution", "ProcessID") => {
                    record.process_id = Some(parse_number(&value, "Execution/@ProcessID")?)
                }
                ("Execution", "ThreadID") => {
                    record.thread_id = Some(parse_number(&value, "Execution/@ThreadID")?)
                }
                ("Security", "UserID") => record.user_id = Some(value),
                ("Data", "Name") if in_event_data => data_name = Some(value),
                _ => {}
            }
        }
    }
    Ok(Open {
        name,
        text: String::new(),
        has_children: false,
        data_name,
    })
}

/// Takes the value of a finished element at `depth` (the depth of its parent's children).
fn close_element(
    open: Open,
    record: &mut EventRecord,
    depth: usize,
    section: Section,
    saw_event_id: &mut bool,
) -> Result<(), String> {
    match section {
        Section::System if depth == 2 => match open.name.as_str() {
            "EventID" => {
                record.event_id = parse_number(&open.text, "EventID")?;
                *saw_event_id = true;
            }
            "Version" => record.version = Some(parse_number(&open.text, "Version")?),
            "Level" => record.level = Some(parse_number(&open.text, "Level")?),
            "Task" => record.task = Some(parse_number(&open.text, "Task")?),
            "Opcode" => record.opcode = Some(parse_number(&open.text, "Opcode")?),
            "Keywords" => record.keywords = Some(open.text),
            "EventRecordID" => record.record_id = parse_number(&open.text, "EventRecordID")?,
            "Channel" => record.channel = Some(open.text),
            "Computer" => record.computer = Some(open.text),
            _ => {}
        },
        Section::EventData if depth == 2 => match open.name.as_str() {
            "Data" => {
                record.inserts.push(open.text);
                record.insert_names.push(open.data_name);
            }
            "Binary" => record.binary = Some(open.text),
            _ => {}
        },
        // Under UserData sits one wrapper element per event; its leaves are the inserts.
        Section::UserData if depth >= 3 && !open.has_children => {
            record.inserts.push(open.text);
            record.insert_names.push(Some(open.name));
        }
        _ => {}
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
        let r = record_from_xml(xml, 0, String::new(), false).unwrap();
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
        let r = record_from_xml(xml, 7, String::new(), false).unwrap();
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
        let e = record_from_xml(xml, 0, String::new(), false).unwrap_err();
        assert!(e.message.contains("EventID is \"x\""), "{e}");
    }

    #[test]
    fn rejects_record_without_event_id() {
        let xml = r#"<Event><System></System></Event>"#;
        assert!(record_from_xml(xml, 0, String::new(), false).is_err());
    }
}
