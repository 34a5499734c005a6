//! From the elements of a record's `Event` document to an [`EventRecord`].
//!
//! Both ways of reading a record feed this one builder: the rendered XML
//! ([`crate::record_from_xml`]) and the template substitution values (`crate::template`). So the
//! rules of what werr keeps (which `System` children, `Data` and `UserData` leaves as inserts)
//! live in one place, and the two readers can only differ in how they produce the document.

use crate::model::EventRecord;
use std::borrow::Cow;

/// Where the element being read sits in the `Event` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Section {
    Event,
    System,
    EventData,
    UserData,
    Other,
}

/// The elements whose values werr keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Carrier {
    Provider,
    EventId,
    TimeCreated,
    Execution,
    Security,
    Correlation,
    Data,
    Other,
}

impl Kind {
    /// Whether an element of this kind is kept as a number (`EventID`, `Level`...).
    pub(crate) fn is_number(self) -> bool {
        matches!(
            self,
            Kind::EventId
                | Kind::Version
                | Kind::Level
                | Kind::Task
                | Kind::Opcode
                | Kind::EventRecordId
        )
    }

    /// Whether the text of an element of this kind is collected.
    pub(crate) fn keeps_text(self) -> bool {
        self != Kind::Other
    }
}

impl Carrier {
    /// Whether an attribute of class `class` is kept on an element carrying this.
    pub(crate) fn keeps(self, class: AttributeName) -> bool {
        use AttributeName as A;
        matches!(
            (self, class),
            (Carrier::Provider, A::Name | A::Guid | A::EventSourceName)
                | (Carrier::EventId, A::Qualifiers)
                | (Carrier::TimeCreated, A::SystemTime)
                | (Carrier::Execution, A::ProcessId | A::ThreadId)
                | (Carrier::Security, A::UserId)
                | (Carrier::Correlation, A::ActivityId | A::RelatedActivityId)
                | (Carrier::Data, A::Name)
        )
    }
}

/// What an element is, given its name, its depth (the number of open elements around it)
/// and its section: the one rule [`RecordBuilder::start_named`] and a template's plan apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    pub(crate) kind: Kind,
    /// Which attributes of it werr keeps.
    pub(crate) carrier: Carrier,
    /// Whether its attributes carry something werr keeps.
    pub(crate) wants_attributes: bool,
}

impl Placed {
    /// `section` is the section open around the element (for one at depth 1, the section
    /// it opens).
    pub(crate) fn of(class: ElementName, depth: usize, section: Section) -> Placed {
        let kind = class.kind(depth, section);
        let wants_attributes = match section {
            Section::System => depth == 2,
            Section::EventData => kind == Kind::Data,
            _ => false,
        };
        Placed {
            kind,
            carrier: if wants_attributes {
                class.carrier()
            } else {
                Carrier::Other
            },
            wants_attributes,
        }
    }
}

/// What an element's local name means to the builder: worked out once per name (a
/// template's names are classified when it is compiled, not for every record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ElementName {
    System,
    EventData,
    UserData,
    Provider,
    EventId,
    Version,
    Level,
    Task,
    Opcode,
    Keywords,
    TimeCreated,
    EventRecordId,
    Correlation,
    Execution,
    Channel,
    Computer,
    Security,
    Data,
    Binary,
    Other,
}

impl ElementName {
    pub(crate) fn of(name: &str) -> ElementName {
        match name {
            "System" => ElementName::System,
            "EventData" => ElementName::EventData,
            "UserData" => ElementName::UserData,
            "Provider" => ElementName::Provider,
            "EventID" => ElementName::EventId,
            "Version" => ElementName::Version,
            "Level" => ElementName::Level,
            "Task" => ElementName::Task,
            "Opcode" => ElementName::Opcode,
            "Keywords" => ElementName::Keywords,
            "TimeCreated" => ElementName::TimeCreated,
            "EventRecordID" => ElementName::EventRecordId,
            "Correlation" => ElementName::Correlation,
            "Execution" => ElementName::Execution,
            "Channel" => ElementName::Channel,
            "Computer" => ElementName::Computer,
            "Security" => ElementName::Security,
            "Data" => ElementName::Data,
            "Binary" => ElementName::Binary,
            _ => ElementName::Other,
        }
    }

    /// The section an element of this name opens under `Event`.
    pub(crate) fn section(self) -> Section {
        match self {
            ElementName::System => Section::System,
            ElementName::EventData => Section::EventData,
            ElementName::UserData => Section::UserData,
            _ => Section::Other,
        }
    }

    /// What an element of this name is at `depth` in `section`.
    fn kind(self, depth: usize, section: Section) -> Kind {
        match section {
            Section::System if depth == 2 => match self {
                ElementName::EventId => Kind::EventId,
                ElementName::Version => Kind::Version,
                ElementName::Level => Kind::Level,
                ElementName::Task => Kind::Task,
                ElementName::Opcode => Kind::Opcode,
                ElementName::Keywords => Kind::Keywords,
                ElementName::EventRecordId => Kind::EventRecordId,
                ElementName::Channel => Kind::Channel,
                ElementName::Computer => Kind::Computer,
                _ => Kind::Other,
            },
            Section::EventData if depth == 2 => match self {
                ElementName::Data => Kind::Data,
                ElementName::Binary => Kind::Binary,
                _ => Kind::Other,
            },
            Section::UserData if depth >= 3 => Kind::UserValue,
            _ => Kind::Other,
        }
    }

    /// Which attributes of an element of this name werr keeps (when it keeps any).
    fn carrier(self) -> Carrier {
        match self {
            ElementName::Provider => Carrier::Provider,
            ElementName::EventId => Carrier::EventId,
            ElementName::TimeCreated => Carrier::TimeCreated,
            ElementName::Execution => Carrier::Execution,
            ElementName::Security => Carrier::Security,
            ElementName::Correlation => Carrier::Correlation,
            ElementName::Data => Carrier::Data,
            _ => Carrier::Other,
        }
    }
}

/// What an attribute's local name means to the builder, worked out once per name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttributeName {
    Name,
    Guid,
    EventSourceName,
    Qualifiers,
    SystemTime,
    ProcessId,
    ThreadId,
    UserId,
    ActivityId,
    RelatedActivityId,
    Other,
}

impl AttributeName {
    /// The class of attribute `key`, which may carry a namespace prefix.
    pub(crate) fn of(key: &str) -> AttributeName {
        match local(key) {
            "Name" => AttributeName::Name,
            "Guid" => AttributeName::Guid,
            "EventSourceName" => AttributeName::EventSourceName,
            "Qualifiers" => AttributeName::Qualifiers,
            "SystemTime" => AttributeName::SystemTime,
            "ProcessID" => AttributeName::ProcessId,
            "ThreadID" => AttributeName::ThreadId,
            "UserID" => AttributeName::UserId,
            "ActivityID" => AttributeName::ActivityId,
            "RelatedActivityID" => AttributeName::RelatedActivityId,
            _ => AttributeName::Other,
        }
    }
}

/// One open element: what it is, its collected text, and whether it has child elements.
pub(crate) struct Open<'a> {
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
    record: Box<EventRecord>,
    stack: Vec<Open<'a>>,
    section: Section,
    saw_event_id: bool,
}

impl<'a> RecordBuilder<'a> {
    /// A builder for the record with header id `record_id`.
    pub(crate) fn new(record_id: u64, recovered: bool) -> Self {
        let record = Box::new(EventRecord::empty(record_id, recovered));
        RecordBuilder::reusing(record, Vec::with_capacity(8), record_id, recovered)
    }

    /// A builder that fills `record` (emptied by [`Spares::recycle`] or new) and uses `stack`
    /// (empty) for its open elements: a reader going through many records allocates neither
    /// again.
    pub(crate) fn reusing(
        mut record: Box<EventRecord>,
        mut stack: Vec<Open<'a>>,
        record_id: u64,
        recovered: bool,
    ) -> Self {
        record.record_id = record_id;
        record.recovered = recovered;
        stack.clear();
        RecordBuilder {
            record,
            stack,
            section: Section::Event,
            saw_event_id: false,
        }
    }

    /// Opens element `name` (its local name, without a namespace prefix); returns whether its
    /// attributes should be passed to [`RecordBuilder::attribute`].
    pub(crate) fn start(&mut self, name: &str) -> bool {
        self.start_named(name, ElementName::of(name))
    }

    /// [`RecordBuilder::start`] with the name's class already worked out.
    pub(crate) fn start_named(&mut self, name: &str, class: ElementName) -> bool {
        let depth = self.stack.len();
        if depth == 1 {
            self.section = class.section();
        }
        let place = Placed::of(class, depth, self.section);
        self.open_placed(&place, name, true);
        place.wants_attributes
    }

    /// Opens an element placed ahead of time (a template's plan): what
    /// [`RecordBuilder::start_named`] does, without working out its place again.
    /// `mark_parent`: whether the element's parent is the element open now (a plan leaves
    /// out of the stack the elements that keep nothing).
    pub(crate) fn open_placed(&mut self, place: &Placed, name: &str, mark_parent: bool) {
        if mark_parent {
            if let Some(parent) = self.stack.last_mut() {
                parent.has_children = true;
            }
        }
        self.stack.push(Open {
            carrier: place.carrier,
            kind: place.kind,
            wants_attributes: place.wants_attributes,
            text: Cow::Borrowed(""),
            number: None,
            has_children: false,
            insert_name: (place.kind == Kind::UserValue).then(|| name.to_string()),
        });
    }

    /// An element placed ahead of time that holds one value and nothing else (no attributes
    /// passed, no child elements): opened and closed at once, its value given as a number
    /// (`number`) or as its text (`text`, empty for none).
    pub(crate) fn leaf(
        &mut self,
        kind: Kind,
        mark_parent: bool,
        number: Option<u64>,
        text: Cow<'a, str>,
    ) -> Result<(), String> {
        if mark_parent {
            if let Some(parent) = self.stack.last_mut() {
                parent.has_children = true;
            }
        }
        self.close(Open {
            carrier: Carrier::Other,
            kind,
            wants_attributes: false,
            text,
            number,
            has_children: false,
            insert_name: None,
        })
    }

    /// Gives up the record being built: its storage and the (emptied) stack, to be reused.
    pub(crate) fn abandon(mut self) -> (Box<EventRecord>, Vec<Open<'a>>) {
        self.stack.clear();
        (self.record, self.stack)
    }

    /// Whether [`RecordBuilder::attribute_named`] would keep an attribute of class `class`
    /// on the element just started (callers may skip producing its text otherwise).
    pub(crate) fn keeps_attribute(&self, class: AttributeName) -> bool {
        let Some(open) = self.stack.last() else {
            return false;
        };
        open.wants_attributes && open.carrier.keeps(class)
    }

    /// An attribute (`key` may carry a namespace prefix) of the element just started.
    pub(crate) fn attribute(&mut self, key: &str, value: Cow<'_, str>) -> Result<(), String> {
        self.attribute_named(AttributeName::of(key), value)
    }

    /// [`RecordBuilder::attribute`] with the name's class already worked out.
    pub(crate) fn attribute_named(
        &mut self,
        class: AttributeName,
        value: Cow<'_, str>,
    ) -> Result<(), String> {
        let Some(open) = self.stack.last_mut() else {
            return Err("an attribute outside any element".into());
        };
        if !open.wants_attributes {
            return Ok(());
        }
        let record = &mut self.record;
        let number = |what| NumberOf {
            number: None,
            text: &value,
            what,
        };
        if set_number_attribute(record, open.carrier, class, number)? {
            return Ok(());
        }
        use AttributeName as A;
        match (open.carrier, class) {
            (Carrier::Provider, A::Name) => record.provider = value.into_owned(),
            (Carrier::Provider, A::Guid) => record.provider_guid = Some(value.into_owned()),
            (Carrier::Provider, A::EventSourceName) => {
                record.event_source_name = Some(value.into_owned())
            }
            (Carrier::TimeCreated, A::SystemTime) => record.time = value.into_owned(),
            (Carrier::Security, A::UserId) => record.user_id = Some(value.into_owned()),
            (Carrier::Correlation, A::ActivityId) => record.activity_id = Some(value.into_owned()),
            (Carrier::Correlation, A::RelatedActivityId) => {
                record.related_activity_id = Some(value.into_owned())
            }
            (Carrier::Data, A::Name) => open.insert_name = Some(value.into_owned()),
            _ => {}
        }
        Ok(())
    }

    /// An attribute whose value is an unsigned number: the same as
    /// [`RecordBuilder::attribute_named`] with its decimal text, without writing and parsing
    /// that text for the numeric ones.
    pub(crate) fn attribute_number(&mut self, class: AttributeName, n: u64) -> Result<(), String> {
        let Some(open) = self.stack.last() else {
            return Err("an attribute outside any element".into());
        };
        if !open.wants_attributes {
            return Ok(());
        }
        let number = |what| NumberOf {
            number: Some(n),
            text: "",
            what,
        };
        if set_number_attribute(&mut self.record, open.carrier, class, number)? {
            return Ok(());
        }
        if self.keeps_attribute(class) {
            self.attribute_named(class, Cow::Owned(n.to_string()))?;
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
        self.stack.last().is_some_and(|open| open.kind.is_number())
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
    pub(crate) fn finish(self, time: impl FnOnce() -> String) -> Result<Box<EventRecord>, String> {
        self.finish_keeping_stack(time).0
    }

    /// [`RecordBuilder::finish`], handing back the (emptied) stack for the next record.
    pub(crate) fn finish_keeping_stack(
        mut self,
        time: impl FnOnce() -> String,
    ) -> (Result<Box<EventRecord>, String>, Vec<Open<'a>>) {
        let result = if !self.stack.is_empty() {
            Err("the document ends inside an open element".into())
        } else if !self.saw_event_id {
            Err("no <System><EventID> element".into())
        } else {
            if self.record.time.is_empty() {
                self.record.time = time();
            }
            Ok(self.record)
        };
        self.stack.clear();
        (result, self.stack)
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
                record.user_data = true;
                reserve_inserts(record);
                record.inserts.push(text.into_owned());
                record.insert_names.push(open.insert_name);
            }
            Kind::UserValue | Kind::Other => {}
        }
        Ok(())
    }
}

/// Storage of records that were read and used, kept for the next ones: the boxes, their
/// insert lists and their strings keep their capacity, so reading a log allocates little
/// once its first chunk is read.
#[derive(Default)]
pub(crate) struct Spares {
    /// Boxed: `LogItem::Record` holds a box, which is handed out again as it is.
    #[allow(clippy::vec_box)]
    records: Vec<Box<EventRecord>>,
    strings: Vec<String>,
    /// A builder's element stack (without lifetime: only readers whose text is owned use it).
    pub(crate) stack: Vec<Open<'static>>,
}

/// At most this many records and strings are kept (about a chunk's worth).
const MAX_SPARE_RECORDS: usize = 1024;
const MAX_SPARE_STRINGS: usize = 16 * 1024;
/// Strings longer than this are not kept (one large value should not stay allocated).
const MAX_SPARE_STRING: usize = 4096;

impl Spares {
    /// An empty record, recycled when one is spare.
    pub(crate) fn record(&mut self) -> Box<EventRecord> {
        self.records
            .pop()
            .unwrap_or_else(|| Box::new(EventRecord::empty(0, false)))
    }

    /// An empty string, recycled when one is spare. New ones have room for most values:
    /// growing from nothing cost more reallocations than the pool saved on a small log.
    pub(crate) fn string(&mut self) -> String {
        self.strings
            .pop()
            .unwrap_or_else(|| String::with_capacity(64))
    }

    /// Keeps `text`'s storage for [`Spares::string`].
    pub(crate) fn keep(&mut self, mut text: String) {
        if text.capacity() > 0
            && text.capacity() <= MAX_SPARE_STRING
            && self.strings.len() < MAX_SPARE_STRINGS
        {
            text.clear();
            self.strings.push(text);
        }
    }

    /// Empties `record` into the spares: its strings, then the record itself. Every field is
    /// named, so a field added to [`EventRecord`] is a compile error here until it is
    /// emptied too (a record handed out again must carry nothing of the one before).
    pub(crate) fn recycle(&mut self, mut record: Box<EventRecord>) {
        let EventRecord {
            record_id: _,
            time,
            level: _,
            channel,
            computer,
            provider,
            provider_guid,
            event_source_name,
            event_id: _,
            qualifiers: _,
            version: _,
            task: _,
            opcode: _,
            keywords,
            process_id: _,
            thread_id: _,
            user_id,
            activity_id,
            related_activity_id,
            inserts,
            insert_names,
            binary,
            recovered: _,
            user_data: _,
        } = &mut *record;
        self.keep(std::mem::take(time));
        self.keep(std::mem::take(provider));
        for text in [
            channel,
            computer,
            provider_guid,
            event_source_name,
            keywords,
            user_id,
            activity_id,
            related_activity_id,
            binary,
        ] {
            if let Some(text) = text.take() {
                self.keep(text);
            }
        }
        for text in inserts.drain(..) {
            self.keep(text);
        }
        for name in insert_names.drain(..).flatten() {
            self.keep(name);
        }
        // The emptied lists keep their capacity; every other field starts afresh.
        let (inserts, insert_names) = (std::mem::take(inserts), std::mem::take(insert_names));
        *record = EventRecord {
            inserts,
            insert_names,
            ..EventRecord::empty(0, false)
        };
        if self.records.len() < MAX_SPARE_RECORDS {
            self.records.push(record);
        }
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

/// Sets the numeric attribute `class` of an element that carries `carrier` (Qualifiers,
/// ProcessID, ThreadID) from `value`; `false` when the attribute is not one of those.
fn set_number_attribute<'t>(
    record: &mut EventRecord,
    carrier: Carrier,
    class: AttributeName,
    value: impl Fn(&'static str) -> NumberOf<'t>,
) -> Result<bool, String> {
    use AttributeName as A;
    match (carrier, class) {
        (Carrier::EventId, A::Qualifiers) => {
            record.qualifiers = Some(value("EventID/@Qualifiers").get()?)
        }
        (Carrier::Execution, A::ProcessId) => {
            record.process_id = Some(value("Execution/@ProcessID").get()?)
        }
        (Carrier::Execution, A::ThreadId) => {
            record.thread_id = Some(value("Execution/@ThreadID").get()?)
        }
        _ => return Ok(false),
    }
    Ok(true)
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
        "{what} is {}; expected a number that fits in {} bits",
        werr_quote::quoted(text),
        std::mem::size_of::<T>() * 8
    )
}
