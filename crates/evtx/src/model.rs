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
    /// `Correlation/@ActivityID`: the activity the record belongs to (a GUID, with braces as
    /// the log writes it), which ties together the records of one operation.
    pub activity_id: Option<String>,
    /// `Correlation/@RelatedActivityID`: the activity that started this one, on the record
    /// that links the two.
    pub related_activity_id: Option<String>,
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
    /// Whether the inserts are the leaves under `UserData` rather than `EventData` values
    /// (ECS files them under `winlog.user_data`, as winlogbeat does).
    pub user_data: bool,
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
            activity_id: None,
            related_activity_id: None,
            inserts: Vec::new(),
            insert_names: Vec::new(),
            binary: None,
            recovered,
            user_data: false,
        }
    }

    /// The record's level as Event Viewer shows it: `Audit Success` or `Audit Failure` for a
    /// record whose [`EventRecord::keywords`] carry an audit keyword (Security's records,
    /// logged at level 0, LogAlways), else the name of [`EventRecord::level`], if it has one.
    pub fn level_name(&self) -> Option<&'static str> {
        match self.keywords.as_deref().and_then(audit_result) {
            Some(audit) => Some(audit),
            None => self.level.and_then(level_name),
        }
    }
}

/// The audit keywords every provider shares (winmeta.xml: `WINEVENT_KEYWORD_AUDIT_FAILURE`,
/// bit 52, and `WINEVENT_KEYWORD_AUDIT_SUCCESS`, bit 53): both in the 14th hex digit from
/// the right.
const AUDIT_FAILURE: u32 = 0x1;
const AUDIT_SUCCESS: u32 = 0x2;
const AUDIT_DIGIT_FROM_RIGHT: usize = 14;

/// `Audit Success` or `Audit Failure` for keywords (`0x8020000000000000`, as the log writes
/// them, without leading zeros) that carry an audit keyword; `None` for others, or for text
/// that is not a 64-bit hex number. Every record asks: only the one digit is decoded.
fn audit_result(keywords: &str) -> Option<&'static str> {
    let digits = keywords
        .strip_prefix("0x")
        .or_else(|| keywords.strip_prefix("0X"))?
        .as_bytes();
    if !(AUDIT_DIGIT_FROM_RIGHT..=16).contains(&digits.len()) {
        return None;
    }
    let digit = char::from(digits[digits.len() - AUDIT_DIGIT_FROM_RIGHT]).to_digit(16)?;
    // Most records carry no audit keyword: the other digits are checked only when it does.
    if digit & (AUDIT_FAILURE | AUDIT_SUCCESS) == 0 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    if digit & AUDIT_FAILURE != 0 {
        Some("Audit Failure")
    } else if digit & AUDIT_SUCCESS != 0 {
        Some("Audit Success")
    } else {
        None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with(level: Option<u8>, keywords: Option<&str>) -> EventRecord {
        EventRecord {
            level,
            keywords: keywords.map(String::from),
            ..EventRecord::empty(1, false)
        }
    }

    #[test]
    fn audit_keywords_name_the_level_and_other_keywords_leave_it() {
        fn name(level: Option<u8>, keywords: Option<&str>) -> Option<&'static str> {
            with(level, keywords).level_name()
        }
        assert_eq!(
            name(Some(0), Some("0x8020000000000000")),
            Some("Audit Success")
        );
        assert_eq!(
            name(Some(0), Some("0x8010000000000000")),
            Some("Audit Failure")
        );
        assert_eq!(
            name(Some(4), Some("0X0010000000000000")),
            Some("Audit Failure")
        );
        assert_eq!(name(Some(0), Some("0x8000000000000000")), Some("LogAlways"));
        assert_eq!(
            name(Some(4), Some("0x4000000000000000")),
            Some("Information")
        );
        // Keywords that are not a hex number are no audit keywords.
        assert_eq!(name(Some(2), Some("0x80z0")), Some("Error"));
        assert_eq!(name(Some(2), Some("8020000000000000")), Some("Error"));
        assert_eq!(name(Some(2), Some("0x802000000000z0")), Some("Error"));
        assert_eq!(
            name(None, Some("0x8020000000000000")),
            Some("Audit Success")
        );
        assert_eq!(name(Some(42), None), None);
        // Fewer digits: a number below bit 52; more than 16: no 64-bit number.
        assert_eq!(
            name(Some(4), Some("0x20000000000000")),
            Some("Audit Success")
        );
        assert_eq!(name(Some(4), Some("0x2000000000000")), Some("Information"));
        assert_eq!(
            name(Some(4), Some("0x10000000000000000")),
            Some("Information")
        );
        // Both bits: failure.
        assert_eq!(
            name(Some(0), Some("0x0030000000000000")),
            Some("Audit Failure")
        );
        // The one digit read agrees with the whole number's bits.
        let values = [
            0x8000_0000_0000_0000_u64,
            0x8010_0000_0000_0000,
            0x4000_0000_1000_0000,
            0x0020_0000_0000_2004,
            0xffff_ffff_ffff_ffff,
            0x1f,
        ];
        for bits in values {
            let expected = if bits & 0x0010_0000_0000_0000 != 0 {
                "Audit Failure"
            } else if bits & 0x0020_0000_0000_0000 != 0 {
                "Audit Success"
            } else {
                "Verbose"
            };
            let keywords = format!("{bits:#x}");
            assert_eq!(name(Some(5), Some(&keywords)), Some(expected), "{keywords}");
        }
    }
}
