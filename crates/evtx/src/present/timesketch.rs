//! Timesketch JSON Lines: one event per record with the fields Timesketch requires
//! (`message`, `datetime`, `timestamp_desc`, and `timestamp`), named otherwise as plaso names
//! the attributes of its `windows:evtx:record` events, so a sketch can hold werr's timeline
//! beside plaso's (docs/evtx.md, "Timesketch output"; docs/schemas/werr-evtx-timesketch.schema.json).

use super::json::{match_name, member, rule_name, JsonObject};
use crate::model::EventRecord;
use crate::render::Rendering;

/// plaso's data type of an EVTX record's event.
pub const DATA_TYPE: &str = "windows:evtx:record";

/// plaso's description of the time a record carries in `TimeCreated/@SystemTime` (its
/// `creation_time` attribute, timeliner.yaml).
pub const CREATION_TIME: &str = "Creation Time";

/// plaso's description of a time that is not set (`TIME_DESCRIPTION_NOT_A_TIME`): a record
/// whose `TimeCreated` is not a time is placed at the epoch with it.
pub const NOT_A_TIME: &str = "Not a time";

/// Writes one Timesketch event (without its newline) for record `r` of log `file`, rendered
/// as `m`. `message` is the record's text as the text view shows it (the message on one
/// line, else its inserts).
pub fn write_timesketch_line(
    out: &mut Vec<u8>,
    file: &str,
    r: &EventRecord,
    m: &Rendering,
    message: &str,
) {
    let time = r.time.parse::<jiff::Timestamp>().ok();
    let mut event = JsonObject::new(out);
    event.str(member!("message"), message);
    match time {
        Some(t) => {
            event.str(member!("datetime"), &iso_8601_with_offset(t));
            event.num(member!("timestamp"), t.as_microsecond());
            event.str(member!("timestamp_desc"), CREATION_TIME);
        }
        None => {
            event.str(member!("datetime"), "1970-01-01T00:00:00.000000+00:00");
            event.num(member!("timestamp"), 0);
            event.str(member!("timestamp_desc"), NOT_A_TIME);
        }
    }
    event.str(member!("data_type"), DATA_TYPE);
    event.str(member!("filename"), file);
    event.str(member!("source_name"), &r.provider);
    if let Some(guid) = &r.provider_guid {
        // plaso writes the provider's GUID in lower case.
        event.str(member!("provider_identifier"), &guid.to_ascii_lowercase());
    }
    event.some_str(member!("channel"), r.channel.as_deref());
    event.some_str(member!("computer_name"), r.computer.as_deref());
    event.num(member!("event_identifier"), r.event_id);
    event.some_num(member!("event_level"), r.level);
    event.some_num(member!("event_version"), r.version);
    // plaso's rule: the event id with the Qualifiers above it, whatever the provider.
    let qualifiers = u32::from(r.qualifiers.unwrap_or(0));
    event.num(
        member!("message_identifier"),
        (qualifiers << 16) | u32::from(r.event_id),
    );
    event.num(member!("record_number"), r.record_id);
    event.bool(member!("recovered"), r.recovered);
    event.strs(
        member!("strings"),
        r.inserts.iter().map(|s| Some(s.as_str())),
    );
    event.some_str(member!("user_sid"), r.user_id.as_deref());
    // werr's own fields, flat as Timesketch shows attributes, under one prefix.
    event.some_num(member!("werr_task"), r.task);
    event.some_num(member!("werr_opcode"), r.opcode);
    // As the log writes them: a number past 2^63 does not fit a search engine's long.
    event.some_str(member!("werr_keywords"), r.keywords.as_deref());
    event.some_num(member!("werr_process_id"), r.process_id);
    event.some_num(member!("werr_thread_id"), r.thread_id);
    event.some_num(member!("werr_message_id"), m.message_id);
    event.some_str(
        member!("werr_message_id_rule"),
        m.message_id_rule.map(rule_name),
    );
    event.some_str(member!("werr_message_source"), m.message_source.as_deref());
    event.some_str(member!("werr_message_lang"), m.message_lang.as_deref());
    event.some_str(
        member!("werr_message_release"),
        m.message_release.as_deref(),
    );
    event.some_str(
        member!("werr_message_match"),
        m.message_match.map(match_name),
    );
    event.some_str(member!("werr_message_error"), m.message_error.as_deref());
    event.some_str(member!("werr_message_note"), m.message_note.as_deref());
    event.close();
}

/// `t` in ISO 8601 with its offset, to the microsecond (`2016-06-29T15:24:36.686000+00:00`),
/// as plaso writes `datetime`: the precision of `timestamp`, and one Python's
/// `datetime.fromisoformat` reads (it takes at most six digits of fraction).
fn iso_8601_with_offset(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_has_microseconds_and_an_offset() {
        let t: jiff::Timestamp = "2016-06-29T15:24:36.6860001Z".parse().unwrap();
        assert_eq!(iso_8601_with_offset(t), "2016-06-29T15:24:36.686000+00:00");
        assert_eq!(t.as_microsecond(), 1_467_213_876_686_000);
        let before_1970: jiff::Timestamp = "1601-01-01T00:00:00.0000000Z".parse().unwrap();
        assert_eq!(
            iso_8601_with_offset(before_1970),
            "1601-01-01T00:00:00.000000+00:00"
        );
        assert_eq!(before_1970.as_microsecond(), -11_644_473_600_000_000);
    }
}
