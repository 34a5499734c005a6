//! JSON Lines: one JSON object per record, its fields and its rendering, in the order of
//! docs/evtx.md's contract.

use crate::model::EventRecord;
use crate::render::Rendering;

/// One JSON line as serde writes it: the reference [`write_json_line`] is tested against.
#[cfg(all(test, feature = "kb"))]
#[derive(serde::Serialize)]
struct JsonRecord<'a> {
    file: &'a str,
    record_id: u64,
    time: &'a str,
    level: Option<u8>,
    level_name: Option<&'static str>,
    channel: &'a Option<String>,
    computer: &'a Option<String>,
    provider: &'a str,
    provider_guid: &'a Option<String>,
    event_source_name: &'a Option<String>,
    event_id: u16,
    qualifiers: Option<u16>,
    version: Option<u8>,
    task: Option<u16>,
    opcode: Option<u8>,
    keywords: &'a Option<String>,
    process_id: Option<u32>,
    thread_id: Option<u32>,
    user_id: &'a Option<String>,
    activity_id: &'a Option<String>,
    related_activity_id: &'a Option<String>,
    inserts: &'a [String],
    insert_names: &'a [Option<String>],
    binary: &'a Option<String>,
    recovered: bool,
    message_id: Option<u32>,
    message_id_rule: Option<crate::MessageIdRule>,
    message: &'a Option<String>,
    message_source: &'a Option<std::sync::Arc<str>>,
    message_lang: &'a Option<String>,
    message_release: &'a Option<std::sync::Arc<str>>,
    message_match: Option<crate::MessageMatch>,
    message_error: &'a Option<String>,
    message_note: &'a Option<String>,
}

#[cfg(all(test, feature = "kb"))]
impl<'a> JsonRecord<'a> {
    fn new(file: &'a str, r: &'a EventRecord, m: &'a Rendering) -> Self {
        JsonRecord {
            file,
            record_id: r.record_id,
            time: &r.time,
            level: r.level,
            level_name: r.level_name(),
            channel: &r.channel,
            computer: &r.computer,
            provider: &r.provider,
            provider_guid: &r.provider_guid,
            event_source_name: &r.event_source_name,
            event_id: r.event_id,
            qualifiers: r.qualifiers,
            version: r.version,
            task: r.task,
            opcode: r.opcode,
            keywords: &r.keywords,
            process_id: r.process_id,
            thread_id: r.thread_id,
            user_id: &r.user_id,
            activity_id: &r.activity_id,
            related_activity_id: &r.related_activity_id,
            inserts: &r.inserts,
            insert_names: &r.insert_names,
            binary: &r.binary,
            recovered: r.recovered,
            message_id: m.message_id,
            message_id_rule: m.message_id_rule,
            message: &m.message,
            message_source: &m.message_source,
            message_lang: &m.message_lang,
            message_release: &m.message_release,
            message_match: m.message_match,
            message_error: &m.message_error,
            message_note: &m.message_note,
        }
    }
}

/// The key of a member written after another: `,"NAME":`, one constant per key (the first
/// member's key drops the comma). Names are ASCII and need no escaping.
macro_rules! member {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}
// The other JSON shapes (ecs.rs, timesketch.rs) write their keys the same way.
pub(super) use member;

/// Writes one JSON line (without its newline): the file, every record field, and the
/// rendering, in the order of the JSON Lines contract (docs/evtx.md). Written directly, with
/// the keys as constants and strings that need no escaping copied whole, which serde's
/// writer does not do; the tests hold it byte for byte to what serde_json writes.
pub fn write_json_line(out: &mut Vec<u8>, file: &str, r: &EventRecord, m: &Rendering) {
    let mut json = JsonObject::new(out);
    json.str(member!("file"), file);
    json.num(member!("record_id"), r.record_id);
    json.str(member!("time"), &r.time);
    json.opt_num(member!("level"), r.level);
    json.opt_str(member!("level_name"), r.level_name());
    json.opt_str(member!("channel"), r.channel.as_deref());
    json.opt_str(member!("computer"), r.computer.as_deref());
    json.str(member!("provider"), &r.provider);
    json.opt_str(member!("provider_guid"), r.provider_guid.as_deref());
    json.opt_str(member!("event_source_name"), r.event_source_name.as_deref());
    json.num(member!("event_id"), r.event_id);
    json.opt_num(member!("qualifiers"), r.qualifiers);
    json.opt_num(member!("version"), r.version);
    json.opt_num(member!("task"), r.task);
    json.opt_num(member!("opcode"), r.opcode);
    json.opt_str(member!("keywords"), r.keywords.as_deref());
    json.opt_num(member!("process_id"), r.process_id);
    json.opt_num(member!("thread_id"), r.thread_id);
    json.opt_str(member!("user_id"), r.user_id.as_deref());
    json.opt_str(member!("activity_id"), r.activity_id.as_deref());
    json.opt_str(
        member!("related_activity_id"),
        r.related_activity_id.as_deref(),
    );
    json.strs(
        member!("inserts"),
        r.inserts.iter().map(|s| Some(s.as_str())),
    );
    json.strs(
        member!("insert_names"),
        r.insert_names.iter().map(Option::as_deref),
    );
    json.opt_str(member!("binary"), r.binary.as_deref());
    json.bool(member!("recovered"), r.recovered);
    json.opt_num(member!("message_id"), m.message_id);
    json.opt_str(member!("message_id_rule"), m.message_id_rule.map(rule_name));
    json.opt_str(member!("message"), m.message.as_deref());
    json.opt_str(member!("message_source"), m.message_source.as_deref());
    json.opt_str(member!("message_lang"), m.message_lang.as_deref());
    json.opt_str(member!("message_release"), m.message_release.as_deref());
    json.opt_str(member!("message_match"), m.message_match.map(match_name));
    json.opt_str(member!("message_error"), m.message_error.as_deref());
    json.opt_str(member!("message_note"), m.message_note.as_deref());
    json.close();
}

/// A message-id rule as serde names it (the tests compare).
pub(super) fn rule_name(rule: crate::MessageIdRule) -> &'static str {
    use crate::MessageIdRule::*;
    match rule {
        Classic => "classic",
        EventIdIsMessageId => "event_id_is_message_id",
        Manifest => "manifest",
    }
}

/// A message match as serde names it (see [`rule_name`]).
pub(super) fn match_name(matched: crate::MessageMatch) -> &'static str {
    use crate::MessageMatch::*;
    match matched {
        Exact => "exact",
        Approximate => "approximate",
        EventId => "event_id",
    }
}

/// A JSON object being written into a buffer, member by member. Members are named with
/// [`member!`] constants, or with [`JsonObject::text_key`] for names that come from the data.
pub(super) struct JsonObject<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> JsonObject<'o> {
    pub(super) fn new(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonObject { out, first: true }
    }

    /// A member whose value is an object, written through the returned writer (closed with
    /// [`JsonObject::close`]).
    pub(super) fn object(&mut self, name: &str) -> JsonObject<'_> {
        self.key(name);
        JsonObject::new(self.out)
    }

    /// A member named by data (an event-data name): the name is escaped as any string.
    pub(super) fn text_key(&mut self, name: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        json_string(self.out, name);
        self.out.push(b':');
    }

    /// The value of a member just named with [`JsonObject::text_key`].
    pub(super) fn value_str(&mut self, value: &str) {
        json_string(self.out, value);
    }

    /// A string member written only when there is a value (shapes that leave absent fields
    /// out instead of writing `null`).
    pub(super) fn some_str(&mut self, name: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(name, v);
        }
    }

    /// A number member written only when there is a value (see [`JsonObject::some_str`]).
    pub(super) fn some_num(&mut self, name: &str, value: Option<impl itoa::Integer>) {
        if let Some(v) = value {
            self.num(name, v);
        }
    }

    /// A member's key, as [`member!`] writes it: with its comma unless it is the first.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        let key = if self.first { &key[1..] } else { key };
        self.first = false;
        self.out.extend_from_slice(key.as_bytes());
    }

    #[inline(always)]
    pub(super) fn str(&mut self, name: &str, value: &str) {
        self.key(name);
        json_string(self.out, value);
    }

    #[inline(always)]
    pub(super) fn opt_str(&mut self, name: &str, value: Option<&str>) {
        self.key(name);
        match value {
            Some(v) => json_string(self.out, v),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    #[inline(always)]
    pub(super) fn num(&mut self, name: &str, value: impl itoa::Integer) {
        self.key(name);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    #[inline(always)]
    pub(super) fn opt_num(&mut self, name: &str, value: Option<impl itoa::Integer>) {
        match value {
            Some(v) => self.num(name, v),
            None => {
                self.key(name);
                self.out.extend_from_slice(b"null");
            }
        }
    }

    #[inline(always)]
    pub(super) fn bool(&mut self, name: &str, value: bool) {
        self.key(name);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    pub(super) fn strs<'s>(&mut self, name: &str, values: impl Iterator<Item = Option<&'s str>>) {
        self.key(name);
        self.out.push(b'[');
        for (i, value) in values.enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            match value {
                Some(v) => json_string(self.out, v),
                None => self.out.extend_from_slice(b"null"),
            }
        }
        self.out.push(b']');
    }

    pub(super) fn close(self) {
        self.out.push(b'}');
    }
}

/// A JSON string, escaped as serde_json escapes it (quote, backslash, control characters),
/// through sonic-rs, which finds the bytes to escape many at a time with SIMD. The tests
/// compare it with serde_json.
fn json_string(out: &mut Vec<u8>, value: &str) {
    // Writing a string into a `Vec` cannot fail.
    let _ = sonic_rs::to_writer(&mut *out, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "kb")]
    fn by_serde(file: &str, r: &EventRecord, m: &Rendering) -> Vec<u8> {
        serde_json::to_vec(&JsonRecord::new(file, r, m)).expect("serializes")
    }

    #[cfg(feature = "kb")]
    fn by_writer(file: &str, r: &EventRecord, m: &Rendering) -> Vec<u8> {
        let mut out = Vec::new();
        write_json_line(&mut out, file, r, m);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them_at_every_position() {
        // Every ASCII character, and some others, at every position of strings that span
        // zero, one and two eight-byte words and a tail.
        let specials = (0u8..0x80)
            .map(char::from)
            .chain(['é', '日', '🙂', '\u{7f}']);
        for special in specials {
            for len in [1, 7, 8, 9, 16, 19] {
                for at in 0..len {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { 'a' })
                        .collect();
                    let mut ours = Vec::new();
                    json_string(&mut ours, &text);
                    assert_eq!(
                        String::from_utf8(ours).unwrap(),
                        serde_json::to_string(&text).unwrap(),
                        "{text:?}"
                    );
                }
            }
        }
    }

    #[cfg(feature = "kb")]
    #[test]
    fn json_lines_are_byte_identical_to_serde_json_on_the_corpus_and_on_tricky_text() {
        use crate::{read_log_items, LogItem, MessageIdRule, MessageMatch, ReadOptions};
        use crate::{RenderOptions, Renderer};
        use werr_kb::Kb;
        let kb = Kb::embedded().expect("embedded KB");
        let renderer = Renderer::new(&kb, RenderOptions::default());
        let mut records = Vec::new();
        for name in [
            "system.evtx",
            "Security_short_selected.evtx",
            "TestLogX.evtx",
        ] {
            let Some(path) = werr_testdata::corpus(&format!("evtx/{name}")) else {
                return;
            };
            let data = std::fs::read(path).expect("read log");
            for item in read_log_items(&data, &ReadOptions::default()).expect("a log") {
                if let LogItem::Record(r) = item {
                    records.push(*r);
                }
            }
        }
        assert!(records.len() > 1800, "{} records", records.len());
        let mut tricky = records[0].clone();
        tricky.computer =
            Some("quote \" backslash \\ tab \t newline \n bell \u{7} del \u{7f}".into());
        tricky.inserts = vec!["é ü 日本 🙂".into(), String::new(), "\u{1}\u{1f}".into()];
        tricky.insert_names = vec![Some("a\"b".into()), None, Some("c".into())];
        tricky.channel = None;
        tricky.level = None;
        records.push(tricky);
        let rendered = Rendering {
            message_id: Some(0x8000_1083),
            message_id_rule: Some(MessageIdRule::Classic),
            message: Some("line one\r\nline \"two\"".into()),
            message_source: Some("netevent.dll".into()),
            message_lang: Some("en-US".into()),
            message_release: Some("10-1703".into()),
            message_match: Some(MessageMatch::Approximate),
            message_error: None,
            message_note: Some("%12 left as written".into()),
            no_source: false,
            missing_inserts: true,
            declared_without_text: false,
            written_for: None,
        };
        let file = "logs\\C:\"odd\".evtx";
        // Every rule and match, as serde names them.
        let rules = [
            MessageIdRule::Classic,
            MessageIdRule::EventIdIsMessageId,
            MessageIdRule::Manifest,
        ];
        let matches = [
            MessageMatch::Exact,
            MessageMatch::Approximate,
            MessageMatch::EventId,
        ];
        let mut variants = Vec::new();
        for (rule, matched) in rules.into_iter().zip(matches) {
            let mut each = rendered.clone();
            each.message_id_rule = Some(rule);
            each.message_match = Some(matched);
            variants.push(each);
        }
        for r in &records {
            let m = renderer.render(r);
            for m in [&m, &rendered].into_iter().chain(&variants) {
                assert_eq!(
                    String::from_utf8(by_writer(file, r, m)).unwrap(),
                    String::from_utf8(by_serde(file, r, m)).unwrap(),
                    "record {}",
                    r.record_id
                );
            }
        }
    }
}
