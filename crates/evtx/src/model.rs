//! The record model: what werr keeps of one event-log record.

use serde::Serialize;

/// One event-log record, with the `System` fields werr uses and its insert strings.
///
/// Everything comes from the record's own XML; nothing is looked up. Text fields that the
/// record does not carry are empty (`None`), never invented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    /// `EventRecordID` from the record header: the record's number in its log.
    pub record_id: u64,
    /// `TimeCreated/@SystemTime`, as the log writes it (UTC, RFC 3339, 100 ns precision).
    pub time: String,
    /// `Level` (0 LogAlways, 1 Critical, 2 Error, 3 Warning, 4 Information, 5 Verbose).
    pub level: Option<u8>,
    /// `Channel`, e.g. `System`, `Security`.
    pub channel: Option<String>,
    /// `Computer`: the machine that logged the record.
    pub computer: Option<String>,
    /// `Provider/@Name`: the event source, e.g. `EventLog`, `Microsoft-Windows-Security-Auditing`.
    pub provider: String,
    /// `Provider/@Guid` of manifest providers, with braces as the log writes it.
    pub provider_guid: Option<String>,
    /// `Provider/@EventSourceName` of manifest providers that also register a classic source.
    pub event_source_name: Option<String>,
    /// `EventID`: the 16-bit event id.
    pub event_id: u16,
    /// `EventID/@Qualifiers`: the high 16 bits of a classic (ReportEvent) message id.
    pub qualifiers: Option<u16>,
    /// `Version` of the event definition (manifest providers).
    pub version: Option<u8>,
    /// `Task`.
    pub task: Option<u16>,
    /// `Opcode`.
    pub opcode: Option<u8>,
    /// `Keywords`, as the log writes it (`0x8020000000000000`).
    pub keywords: Option<String>,
    /// `Execution/@ProcessID`.
    pub process_id: Option<u32>,
    /// `Execution/@ThreadID`.
    pub thread_id: Option<u32>,
    /// `Security/@UserID`: the SID the record names, if any.
    pub user_id: Option<String>,
    /// The insert strings `%1..%n`, in order: the `EventData/Data` values, or the leaf values
    /// under `UserData`.
    pub inserts: Vec<String>,
    /// The name of each insert (`Data/@Name`, or the `UserData` element's name), when it has one;
    /// same length as `inserts`.
    pub insert_names: Vec<Option<String>>,
    /// `EventData/Binary`: the record's binary data, as the hex digits the log writes.
    pub binary: Option<String>,
    /// Whether the record was carved from unallocated chunk space rather than read as live.
    pub recovered: bool,
}

impl EventRecord {
    /// A record with header id `record_id` and nothing else yet.
    pub(crate) fn empty(record_id: u64, recovered: bool) -> Self {
        EventRecord {
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
        }
    }

    /// The name of [`EventRecord::level`] as Event Viewer shows it, if the level has one.
    pub fn level_name(&self) -> Option<&'static str> {
        self.level.and_then(level_name)
    }
}

/// The standard name of an event level: 0 LogAlways, 1 Critical, 2 Error, 3 Warning,
/// 4 Information, 5 Verbose. Providers may define other levels (16..255); they have no
/// standard name.
pub fn level_name(level: u8) -> Option<&'static str> {
    Some(match level {
        0 => "LogAlways",
        1 => "Critical",
        2 => "Error",
        3 => "Warning",
        4 => "Information",
        5 => "Verbose",
        _ => return None,
    })
}
