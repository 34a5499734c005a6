//! From the elements of a record's `Event` document to an [`EventRecord`].
//!
//! Both ways of reading a record feed this one builder: the rendered XML
//! ([`crate::record_from_xml`]) and the template substitution values (`crate::template`). So the
//! rules of what werr keeps (which `System` children, `Data` and `UserData` leaves as inserts)
//! live in one place, and the two readers can only differ in how they produce the document.

use crate::model::EventRecord;
use std::borrow::Cow;

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

/// The `System` and `EventData` elements with attributes werr keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Carrier {
    Provider,
    EventId,
    TimeCreated,
    Execution,
    Security,
    Data,
    Other,
}

impl Carrier {
    fn of(name: &str) -> Carrier {
        match name {
            "Provider" => Carrier::Provider,
            "EventID" => Carrier::EventId,
            "TimeCreated" => Carrier::TimeCreated,
            "Execution" => Carrier::Execution,
            "Security" => Carrier::Security,
            "Data" => Carrier::Data,
            _ => Carrier::Other,
        }
    }
}

/// One open element: what it is, its collected text, and whether it has child elements.
struct Open<'a> {
    /// Which attributes of it werr keeps.
    carrier: Carrier,
    kind: Kind,
    /// Whether its attributes carry something werr keeps.
    wants_attributes: bool,
    text: Cow<'a, str>,
    /// The element's value given as a number ([`RecordBuilder::number`]) while `text` is
    /// empty.
    number: Option<u64>,
    has_children: bool,
    /// `Data/@Name`, or the element name under `UserData`.
    insert_name: Option<String>,
}

/// Builds one [`EventRecord`] from the events of a walk over its `Event` document: `start`
/// (then `attribute` for each attribute, when `start` says they are wanted), `text`, `end`.
///
/// Errors are messages naming the element and what was expected; the caller adds where.
pub(crate) struct RecordBuilder<'a> {
    record: EventRecord,
    stack: Vec<Open<'a>>,
    section: Section,
    saw_event_id: bool,
}

impl<'a> RecordBuilder<'a> {
    /// A builder for the record with header id `record_id`.
    pub(crate) fn new(record_id: u64, recovered: bool) -> Self {
        RecordBuilder {
            record: EventRecord {
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
            },
            stack: Vec::with_capacity(8),
            section: Section::Event,
            saw_event_id: false,
        }
    }

    /// Opens element `name` (its local name, without a namespace prefix); returns whether its
    /// attributes should be passed to [`RecordBuilder::attribute`].
    pub(crate) fn start(&mut self, name: &str) -> bool {
        let depth = self.stack.len();
        if depth == 1 {
            self.section = section_of(name.as_bytes());
        }
        let kind = kind_of(name.as_bytes(), depth, self.section);
        let wants_attributes = match self.section {
            Section::System => depth == 2 && name != "Correlation",
            Section::EventData => kind == Kind::Data,
            _ => false,
        };
        if let Some(parent) = self.stack.last_mut() {
            parent.has_children = true;
        }
        self.stack.push(Open {
            carrier: if wants_attributes {
                Carrier::of(name)
            } else {
                Carrier::Other
            },
            kind,
            wants_attributes,
            text: Cow::Borrowed(""),
            number: None,
            has_children: false,
            insert_name: (kind == Kind::UserValue).then(|| name.to_string()),
        });
        wants_attributes
    }

    /// An attribute (`key` may carry a namespace prefix) of the element just started.
    pub(crate) fn attribute(&mut self, key: &str, value: Cow<'_, str>) -> Result<(), String> {
        let Some(open) = self.stack.last_mut() else {
            return Err("an attribute outside any element".into());
        };
        if !open.wants_attributes {
            return Ok(());
        }
        let record = &mut self.record;
        match (open.carrier, local(key)) {
            (Carrier::Provider, "Name") => record.provider = value.into_owned(),
            (Carrier::Provider, "Guid") => record.provider_guid = Some(value.into_owned()),
            (Carrier::Provider, "EventSourceName") => {
                record.event_source_name = Some(value.into_owned())
            }
            (Carrier::EventId, "Qualifiers") => {
                record.qualifiers = Some(parse_number(&value, "EventID/@Qualifiers")?)
            }
            (Carrier::TimeCreated, "SystemTime") => record.time = value.into_owned(),
            (Carrier::Execution, "ProcessID") => {
                record.process_id = Some(parse_number(&value, "Execution/@ProcessID")?)
            }
            (Carrier::Execution, "ThreadID") => {
                record.thread_id = Some(parse_number(&value, "Execution/@ThreadID")?)
            }
            (Carrier::Security, "UserID") => record.user_id = Some(value.into_owned()),
            (Carrier::Data, "Name") => open.insert_name = Some(value.into_owned()),
            _ => {}
        }
        Ok(())
    }

    /// An attribute whose value is an unsigned number: the same as [`RecordBuilder::attribute`]
    /// with its decimal text, without writing and parsing that text for the numeric ones.
    pub(crate) fn attribute_number(&mut self, key: &str, n: u64) -> Result<(), String> {
        let Some(open) = self.stack.last() else {
            return Err("an attribute outside any element".into());
        };
        if !open.wants_attributes {
            return Ok(());
        }
        let record = &mut self.record;
        match (open.carrier, local(key)) {
            (Carrier::EventId, "Qualifiers") => {
                record.qualifiers = Some(fit_number(n, "EventID/@Qualifiers")?)
            }
            (Carrier::Execution, "ProcessID") => {
                record.process_id = Some(fit_number(n, "Execution/@ProcessID")?)
            }
            (Carrier::Execution, "ThreadID") => {
                record.thread_id = Some(fit_number(n, "Execution/@ThreadID")?)
            }
            _ => self.attribute(key, Cow::Owned(n.to_string()))?,
        }
        Ok(())
    }

    /// Whether text given now would be kept (callers may skip producing it otherwise).
    pub(crate) fn wants_text(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|open| open.kind != Kind::Other)
    }

    /// Whether the current element's value is a number werr keeps as one (`EventID`,
    /// `Level`...): [`RecordBuilder::number`] then spares writing and parsing its text.
    pub(crate) fn wants_number(&self) -> bool {
        self.stack.last().is_some_and(|open| {
            matches!(
                open.kind,
                Kind::EventId
                    | Kind::Version
                    | Kind::Level
                    | Kind::Task
                    | Kind::Opcode
                    | Kind::EventRecordId
            )
        })
    }

    /// An unsigned number inside the current element: the same as its decimal text.
    pub(crate) fn number(&mut self, n: u64) {
        match self.stack.last_mut() {
            Some(open) if open.text.is_empty() && open.number.is_none() => open.number = Some(n),
            _ => self.text(Cow::Owned(n.to_string())),
        }
    }

    /// Character data (already unescaped) inside the current element.
    pub(crate) fn text(&mut self, text: Cow<'a, str>) {
        if let Some(open) = self.stack.last_mut() {
            if let Some(n) = open.number.take() {
                // Text after a number: the number was the start of the text.
                open.text = Cow::Owned(n.to_string());
            }
            if open.kind != Kind::Other {
                if open.text.is_empty() {
                    open.text = text;
                } else {
                    open.text.to_mut().push_str(&text);
                }
            }
        }
    }

    /// Closes the current element.
    pub(crate) fn end(&mut self) -> Result<(), String> {
        let Some(open) = self.stack.pop() else {
            return Err("closing tag without an opening one".into());
        };
        self.close(open)?;
        if self.stack.len() == 1 {
            self.section = Section::Event;
        }
        Ok(())
    }

    /// The record, once the document has ended. `time` is used when the document has no
    /// `TimeCreated/@SystemTime`.
    pub(crate) fn finish(mut self, time: impl FnOnce() -> String) -> Result<EventRecord, String> {
        if !self.stack.is_empty() {
            return Err("the document ends inside an open element".into());
        }
        if !self.saw_event_id {
            return Err("no <System><EventID> element".into());
        }
        if self.record.time.is_empty() {
            self.record.time = time();
        }
        Ok(self.record)
    }

    /// Takes the value of a finished element.
    fn close(&mut self, open: Open<'_>) -> Result<(), String> {
        let record = &mut self.record;
        let text = open.text;
        let number = open.number;
        let value = |what| NumberOf {
            number,
            text: &text,
            what,
        };
        match open.kind {
            Kind::EventId => {
                record.event_id = value("EventID").get()?;
                self.saw_event_id = true;
            }
            Kind::Version => record.version = Some(value("Version").get()?),
            Kind::Level => record.level = Some(value("Level").get()?),
            Kind::Task => record.task = Some(value("Task").get()?),
            Kind::Opcode => record.opcode = Some(value("Opcode").get()?),
            Kind::Keywords => record.keywords = Some(text.into_owned()),
            Kind::EventRecordId => record.record_id = value("EventRecordID").get()?,
            Kind::Channel => record.channel = Some(text.into_owned()),
            Kind::Computer => record.computer = Some(text.into_owned()),
            Kind::Data => {
                reserve_inserts(record);
                record.inserts.push(text.into_owned());
                record.insert_names.push(open.insert_name);
            }
            Kind::Binary => record.binary = Some(text.into_owned()),
            // Under UserData sits one wrapper element per event; its leaves are the inserts.
            Kind::UserValue if !open.has_children => {
                reserve_inserts(record);
                record.inserts.push(text.into_owned());
                record.insert_names.push(open.insert_name);
            }
            Kind::UserValue | Kind::Other => {}
        }
        Ok(())
    }
}

/// Room for a typical record's inserts at the first one (growing 1, 2, 4, 8 cost an
/// allocation each).
fn reserve_inserts(record: &mut EventRecord) {
    if record.inserts.capacity() == 0 {
        record.inserts.reserve(8);
        record.insert_names.reserve(8);
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

/// A name without its namespace prefix (`ns:Name` is `Name`).
pub(crate) fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
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
    match parsed {
        Ok(n) => fit(n, text, what),
        Err(_) => Err(not_a_number::<T>(text, what)),
    }
}

/// An element's numeric value: given as a number, or as text to parse.
struct NumberOf<'t> {
    number: Option<u64>,
    text: &'t str,
    what: &'static str,
}

impl NumberOf<'_> {
    fn get<T: TryFrom<u64>>(&self) -> Result<T, String> {
        match self.number {
            Some(n) => fit_number(n, self.what),
            None => parse_number(self.text, self.what),
        }
    }
}

/// `n`, given as a number, as a `T`; the error shows it as the text it stands for.
fn fit_number<T: TryFrom<u64>>(n: u64, what: &str) -> Result<T, String> {
    T::try_from(n).map_err(|_| not_a_number::<T>(&n.to_string(), what))
}

/// `n` as a `T`, or the error naming the element `what` and its `text`.
fn fit<T: TryFrom<u64>>(n: u64, text: &str, what: &str) -> Result<T, String> {
    T::try_from(n).map_err(|_| not_a_number::<T>(text, what))
}

fn not_a_number<T>(text: &str, what: &str) -> String {
    format!(
        "{what} is {text:?}; expected a number that fits in {} bits",
        std::mem::size_of::<T>() * 8
    )
}
