//! ECS JSON Lines: one document per record in the Elastic Common Schema, with the field names,
//! nesting and value forms winlogbeat writes (docs/evtx.md, "ECS output", has the mapping
//! table; docs/schemas/werr-evtx-ecs.schema.json the shape), werr's rendered text as `message`,
//! and werr's own fields under one `werr` object.
//!
//! Fields are nested objects, as winlogbeat sends them and as Elasticsearch stores them in
//! `_source`; a field the record does not carry is left out, never `null`.

use super::json::{match_name, member, rule_name, JsonObject};
use crate::model::EventRecord;
use crate::render::Rendering;
use std::borrow::Cow;

/// The ECS version whose field reference the lines follow (`ecs.version`).
pub const ECS_VERSION: &str = "8.11.0";

/// Writes one ECS document (without its newline) for record `r` of log `file`, rendered as
/// `m`. `created` is `event.created`, when the run read the record (RFC 3339); empty: left
/// out.
pub fn write_ecs_line(
    out: &mut Vec<u8>,
    file: &str,
    r: &EventRecord,
    m: &Rendering,
    created: &str,
) {
    let keywords = r.keywords.as_deref().and_then(hex_u64);
    let event_id = itoa::Buffer::new().format(r.event_id).to_owned();
    let mut doc = JsonObject::new(out);
    // A record whose TimeCreated is not a time has none: a pipeline then stamps its own.
    if is_timestamp(&r.time) {
        doc.str(member!("@timestamp"), &r.time);
    }
    let mut ecs = doc.object(member!("ecs"));
    ecs.str(member!("version"), ECS_VERSION);
    ecs.close();
    if let Some(message) = &m.message {
        doc.str(member!("message"), &without_windows_line_endings(message));
    }

    let mut event = doc.object(member!("event"));
    event.str(member!("code"), &event_id);
    event.str(member!("kind"), "event");
    event.str(member!("provider"), &r.provider);
    if !created.is_empty() {
        event.str(member!("created"), created);
    }
    event.some_str(member!("outcome"), keywords.and_then(audit_outcome));
    event.close();

    let mut log = doc.object(member!("log"));
    log.some_str(member!("level"), r.level.and_then(log_level));
    let mut log_file = log.object(member!("file"));
    log_file.str(member!("path"), file);
    log_file.close();
    log.close();

    if let Some(computer) = &r.computer {
        let mut host = doc.object(member!("host"));
        host.str(member!("name"), computer);
        host.close();
    }
    if let Some(error) = &m.message_error {
        let mut error_object = doc.object(member!("error"));
        error_object.str(member!("message"), error);
        error_object.close();
    }

    write_winlog(&mut doc, r, &event_id, keywords);
    write_werr(&mut doc, r, m);
    doc.close();
}

/// The `winlog` object: the record's own fields, as winlogbeat names them.
fn write_winlog(doc: &mut JsonObject<'_>, r: &EventRecord, event_id: &str, keywords: Option<u64>) {
    let mut winlog = doc.object(member!("winlog"));
    winlog.some_str(member!("channel"), r.channel.as_deref());
    winlog.some_str(member!("computer_name"), r.computer.as_deref());
    winlog.str(member!("event_id"), event_id);
    winlog.str(member!("provider_name"), &r.provider);
    winlog.some_str(member!("provider_guid"), r.provider_guid.as_deref());
    winlog.num(member!("record_id"), r.record_id);
    winlog.some_str(member!("activity_id"), r.activity_id.as_deref());
    winlog.some_str(
        member!("related_activity_id"),
        r.related_activity_id.as_deref(),
    );
    if r.process_id.is_some() || r.thread_id.is_some() {
        let mut process = winlog.object(member!("process"));
        process.some_num(member!("pid"), r.process_id);
        if let Some(thread_id) = r.thread_id {
            let mut thread = process.object(member!("thread"));
            thread.num(member!("id"), thread_id);
            thread.close();
        }
        process.close();
    }
    if let Some(sid) = &r.user_id {
        let mut user = winlog.object(member!("user"));
        user.str(member!("identifier"), sid);
        user.close();
    }
    let names = keywords.map(keyword_names).unwrap_or_default();
    if !names.is_empty() {
        winlog.strs(member!("keywords"), names.iter().map(|&n| Some(n)));
    }
    winlog.some_str(member!("opcode"), r.opcode.and_then(opcode_name));
    winlog.some_str(member!("task"), r.task.and_then(task_name));
    winlog.some_num(member!("version"), r.version);
    let pairs = event_data(r);
    if !pairs.is_empty() {
        // winlogbeat's two sections: EventData values, or the leaves under UserData.
        let mut data = if r.user_data {
            winlog.object(member!("user_data"))
        } else {
            winlog.object(member!("event_data"))
        };
        for (name, value) in &pairs {
            data.text_key(name);
            data.value_str(value);
        }
        data.close();
    }
    winlog.close();
}

/// The `werr` object: what werr adds (the rendering, and the raw numbers winlogbeat shows by
/// name or not at all).
fn write_werr(doc: &mut JsonObject<'_>, r: &EventRecord, m: &Rendering) {
    let mut werr = doc.object(member!("werr"));
    werr.some_num(member!("level"), r.level);
    werr.some_num(member!("task"), r.task);
    werr.some_num(member!("opcode"), r.opcode);
    werr.some_str(member!("keywords"), r.keywords.as_deref());
    werr.some_num(member!("qualifiers"), r.qualifiers);
    werr.some_str(member!("event_source_name"), r.event_source_name.as_deref());
    werr.bool(member!("recovered"), r.recovered);
    werr.some_num(member!("message_id"), m.message_id);
    werr.some_str(member!("message_id_rule"), m.message_id_rule.map(rule_name));
    werr.some_str(member!("message_source"), m.message_source.as_deref());
    werr.some_str(member!("message_lang"), m.message_lang.as_deref());
    werr.some_str(member!("message_release"), m.message_release.as_deref());
    werr.some_str(member!("message_match"), m.message_match.map(match_name));
    werr.some_str(member!("message_note"), m.message_note.as_deref());
    werr.close();
}

/// `winlog.event_data` as winlogbeat fills it: each insert under its name, `paramN` (N its
/// position, from 1) when it has none or is a bare `Data`; empty values left out; the first
/// of two inserts with one name kept; then the record's `Binary` (hex) as `Binary`. Values
/// have their Windows line endings removed, as the message.
fn event_data(r: &EventRecord) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::with_capacity(r.inserts.len() + 1);
    let named = r.inserts.iter().zip(&r.insert_names).enumerate();
    let binary = r.binary.iter().map(|b| (Cow::Borrowed("Binary"), b));
    let all = named
        .map(|(i, (value, name))| {
            let name = match name.as_deref() {
                Some(n) if !n.is_empty() && n != "Data" => Cow::Borrowed(n),
                _ => Cow::Owned(format!("param{}", i + 1)),
            };
            (name, value)
        })
        .chain(binary);
    for (name, value) in all {
        if value.is_empty() || pairs.iter().any(|(n, _)| *n == name) {
            continue;
        }
        pairs.push((name, without_windows_line_endings(value)));
    }
    pairs
}

/// Text as winlogbeat sends a message or an event-data value: CR LF become LF, and white
/// space at the end is cut.
fn without_windows_line_endings(text: &str) -> Cow<'_, str> {
    let trimmed = text.trim_end();
    if trimmed.contains("\r\n") {
        Cow::Owned(trimmed.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// Whether `time` (the record's `TimeCreated/@SystemTime`) is an RFC 3339 time.
fn is_timestamp(time: &str) -> bool {
    time.parse::<jiff::Timestamp>().is_ok()
}

/// Keywords as the log writes them (`0x8010000000000000`) as a number.
pub(super) fn hex_u64(text: &str) -> Option<u64> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    u64::from_str_radix(digits, 16).ok()
}

/// The keywords every provider shares (winmeta.xml, `WINEVENT_KEYWORD_*`), by bit.
const WINMETA_KEYWORDS: [(u64, &str); 8] = [
    (0x0001_0000_0000_0000, "Response Time"),
    (0x0002_0000_0000_0000, "WDI Context"),
    (0x0004_0000_0000_0000, "WDI Diag"),
    (0x0008_0000_0000_0000, "SQM"),
    (0x0010_0000_0000_0000, "Audit Failure"),
    (0x0020_0000_0000_0000, "Audit Success"),
    (0x0040_0000_0000_0000, "Correlation Hint"),
    (0x0080_0000_0000_0000, "Classic"),
];

/// The names of winmeta's keywords among `keywords`, lowest bit first: the names winlogbeat
/// gives when the provider's own manifest is not at hand (its keyword bits have no name
/// here).
fn keyword_names(keywords: u64) -> Vec<&'static str> {
    WINMETA_KEYWORDS
        .iter()
        .filter(|(bit, _)| keywords & bit != 0)
        .map(|&(_, name)| name)
        .collect()
}

/// `event.outcome` of an audit record: winlogbeat's rule, failure first.
fn audit_outcome(keywords: u64) -> Option<&'static str> {
    if keywords & 0x0010_0000_0000_0000 != 0 {
        Some("failure")
    } else if keywords & 0x0020_0000_0000_0000 != 0 {
        Some("success")
    } else {
        None
    }
}

/// `log.level`: winmeta's level name in lower case, as winlogbeat writes it; level 0
/// (LogAlways, Security's audit records) reads `information`, as Event Viewer shows it.
/// Provider-defined levels (6 and up) have no name here.
fn log_level(level: u8) -> Option<&'static str> {
    Some(match level {
        0 | 4 => "information",
        1 => "critical",
        2 => "error",
        3 => "warning",
        5 => "verbose",
        _ => return None,
    })
}

/// winmeta's opcode names (`win:Info`...).
fn opcode_name(opcode: u8) -> Option<&'static str> {
    Some(match opcode {
        0 => "Info",
        1 => "Start",
        2 => "Stop",
        3 => "DCStart",
        4 => "DCStop",
        5 => "Extension",
        6 => "Reply",
        7 => "Resume",
        8 => "Suspend",
        9 => "Send",
        240 => "Receive",
        _ => return None,
    })
}

/// winmeta's one task name (`win:None`); other tasks are named by the provider's manifest.
fn task_name(task: u16) -> Option<&'static str> {
    (task == 0).then_some("None")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_name_winmeta_bits_only_lowest_first() {
        assert_eq!(
            keyword_names(hex_u64("0x8010000000000000").unwrap()),
            ["Audit Failure"]
        );
        assert_eq!(
            keyword_names(hex_u64("0x80000000000000").unwrap()),
            ["Classic"]
        );
        assert_eq!(
            keyword_names(0x0030_0000_0000_0001),
            ["Audit Failure", "Audit Success"]
        );
        assert!(keyword_names(hex_u64("0x8000000000000080").unwrap()).is_empty());
        assert_eq!(hex_u64("8010"), None);
        assert_eq!(hex_u64("0x1z"), None);
    }

    #[test]
    fn outcome_is_failure_when_both_audit_bits_are_set() {
        assert_eq!(audit_outcome(0x0030_0000_0000_0000), Some("failure"));
        assert_eq!(audit_outcome(0x0020_0000_0000_0000), Some("success"));
        assert_eq!(audit_outcome(0x8000_0000_0000_0000), None);
    }

    #[test]
    fn event_data_follows_winlogbeat_naming() {
        let mut r = crate::model::EventRecord::empty(1, false);
        r.inserts = ["a", "", "c\r\nd \r\n", "dup", "e"]
            .map(String::from)
            .to_vec();
        r.insert_names = vec![
            None,
            Some("Empty".into()),
            Some("Data".into()),
            Some("Name".into()),
            Some("Name".into()),
        ];
        r.binary = Some("00FF".into());
        let pairs: Vec<(String, String)> = event_data(&r)
            .into_iter()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        let expected = [
            ("param1", "a"),
            ("param3", "c\nd"),
            ("Name", "dup"),
            ("Binary", "00FF"),
        ]
        .map(|(n, v)| (n.to_string(), v.to_string()));
        assert_eq!(pairs, expected);
    }
}
