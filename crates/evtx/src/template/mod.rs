//! Records read from their template's substitution values, without rendering XML.
//!
//! Almost every record of a log is one BinXML *template instance*: a reference to a template
//! definition stored once in the chunk (the shape of the `Event` document, with numbered
//! substitution slots) and the typed values of those slots (MS-EVEN6 §2.2.3, "Binary XML").
//! Rendering each record to XML and scanning that text back costs several times more than
//! the values themselves, so werr compiles each template definition of a chunk once into a
//! small tree and walks it with the record's values (read by the `evtx` crate's
//! `EvtxRecord::template_instances`), feeding the same [`RecordBuilder`] as the XML reader.
//!
//! This path takes only the shapes it reads exactly like the XML path: one template instance
//! and nothing else in the record; template definitions made of elements, attributes, text,
//! character and entity references, CDATA and substitutions; scalar values. Anything else
//! (a nested BinXML fragment or an array among the values, a value type with no plain text
//! form, a malformed definition) makes [`record_from_template`] answer `None`, and the caller
//! reads that record through its XML. A test reads every corpus log both ways and compares.

mod compile;
mod fmt;
mod plan;
mod store;
mod value;
mod walk;

pub(crate) use store::TemplateStore;

use crate::builder::{AttributeName, ElementName, RecordBuilder, Spares};
use crate::model::EventRecord;
use compile::compile;
use evtx::EvtxRecord;
use plan::{run_fragment, Entry, Plan, Stop};
use value::Value;
use walk::walk_fragment;
// foldhash: these maps are looked up for every record; its hash, seeded per process as
// SipHash is, costs a fraction of SipHash's on short keys.
use foldhash::HashMap;
use std::sync::{Arc, Mutex};

/// BinXML tokens (MS-EVEN6 §2.2.3.1). A token's 0x40 bit says "more data follows" (attributes
/// for an element, more of the same for the others); the low bits name the token.
mod token {
    pub const EOF: u8 = 0x00;
    pub const OPEN_START_ELEMENT: u8 = 0x01;
    pub const CLOSE_START_ELEMENT: u8 = 0x02;
    pub const CLOSE_EMPTY_ELEMENT: u8 = 0x03;
    pub const END_ELEMENT: u8 = 0x04;
    pub const VALUE: u8 = 0x05;
    pub const ATTRIBUTE: u8 = 0x06;
    pub const CDATA: u8 = 0x07;
    pub const CHAR_REF: u8 = 0x08;
    pub const ENTITY_REF: u8 = 0x09;
    pub const PI_TARGET: u8 = 0x0a;
    pub const PI_DATA: u8 = 0x0b;
    pub const TEMPLATE_INSTANCE: u8 = 0x0c;
    pub const NORMAL_SUBSTITUTION: u8 = 0x0d;
    pub const OPTIONAL_SUBSTITUTION: u8 = 0x0e;
    pub const FRAGMENT_HEADER: u8 = 0x0f;
    /// The "more data follows" flag.
    pub const MORE: u8 = 0x40;
}

/// Size of a template definition's header: next definition offset, GUID, data size.
pub(crate) const TEMPLATE_HEADER_SIZE: usize = 24;

/// One compiled template definition: the `Event` document with substitution slots.
#[derive(Debug)]
pub(crate) struct Template {
    root: Element,
    /// Its plans, by where it enters the document, compiled on first use (`plan.rs`).
    plans: Mutex<Vec<(Entry, Option<Arc<Plan>>)>>,
}

/// A compiled element: its lists are boxed slices, sized once compiled, and a child element
/// is boxed, so that a definition's tree holds no spare capacity (a log's definitions are
/// most of what a run allocates before its first record is written).
#[derive(Debug, Clone)]
struct Element {
    name: Arc<str>,
    class: ElementName,
    attributes: Box<[Attribute]>,
    children: Box<[Content]>,
    /// The substitution slots among `children`, in order (where an array can repeat the
    /// element); worked out once when the definition is compiled.
    slots: Box<[u16]>,
    /// The DependencyId: the slot whose null value leaves the element out of the document.
    dependency: Option<u16>,
}

#[derive(Debug, Clone)]
struct Attribute {
    class: AttributeName,
    value: Box<[Content]>,
}

#[derive(Debug, Clone)]
enum Content {
    Element(Box<Element>),
    /// Text of the definition itself (value text, character and entity references, CDATA).
    Text(Box<str>),
    /// Substitution slot `id` (normal or optional: what is left out goes by the value and
    /// the DependencyId, see `Walk::attribute` and `Walk::left_out`).
    Substitution {
        id: u16,
    },
}

/// The compiled templates of one chunk, by the chunk offset of their definition (`None`:
/// a definition this path does not take).
#[derive(Default)]
pub(crate) struct TemplateCache<'c> {
    templates: HashMap<u32, Option<Arc<Template>>>,
    /// The plans run in this chunk, by definition offset and entry.
    plans: HashMap<(u32, Entry), Option<Arc<Plan>>>,
    /// Definitions compiled for other chunks of the log, when the caller shares them.
    store: Option<&'c TemplateStore>,
    /// Emptied value lists, kept for the next fragment (one allocation per nesting level per
    /// chunk instead of one per fragment).
    spare_values: Vec<Vec<Value<'c>>>,
    /// The chunk's names decoded so far, by chunk offset: templates share most of theirs.
    names: HashMap<usize, Arc<str>>,
    /// Storage for the records read and their text.
    pub(crate) spares: Spares,
    /// Text of values that are checked but not kept.
    scratch: String,
}

impl<'c> TemplateCache<'c> {
    /// A cache for one chunk that takes and leaves compiled definitions in `store`, and
    /// takes its records' storage from `spares` (see [`TemplateCache::spares`]).
    pub(crate) fn sharing(store: &'c TemplateStore, spares: Spares) -> Self {
        TemplateCache {
            store: Some(store),
            spares,
            ..TemplateCache::default()
        }
    }

    fn get(&mut self, chunk: &[u8], offset: u32) -> Option<Arc<Template>> {
        if let Some(known) = self.templates.get(&offset) {
            return known.clone();
        }
        let names = &mut self.names;
        let template = match self.store {
            Some(store) => store.get(chunk, offset, |holes| compile(chunk, offset, names, holes)),
            None => compile(chunk, offset, names, None).map(Arc::new),
        };
        self.templates.insert(offset, template.clone());
        template
    }

    /// The plan of the definition at `offset` entered at `entry`: [`Stop::Reject`] when the
    /// definition does not compile, [`Stop::Walk`] when the plan does not take it.
    fn plan(&mut self, chunk: &[u8], offset: u32, entry: Entry) -> Result<Arc<Plan>, Stop> {
        if let Some(known) = self.plans.get(&(offset, entry)) {
            return known.clone().ok_or(Stop::Walk);
        }
        let template = self.get(chunk, offset).ok_or(Stop::Reject)?;
        let plan = template.plan(entry);
        self.plans.insert((offset, entry), plan.clone());
        plan.ok_or(Stop::Walk)
    }
}

/// Where one record's BinXML sits in its chunk, and its header fields.
pub(crate) struct RawRecord<'c> {
    /// The whole chunk (name and template references are chunk offsets).
    pub chunk: &'c [u8],
    /// Offset of the record's BinXML in the chunk, and its size.
    pub binxml_offset: usize,
    pub binxml_size: usize,
    /// The record header's id.
    pub record_id: u64,
    /// Whether the record was carved from unallocated space.
    pub recovered: bool,
}

/// Reads `record` from its template instance, or `None` when the record has a shape this
/// path does not take (the caller then reads its XML). `time` gives the record header's
/// timestamp, for a document without `TimeCreated`.
pub(crate) fn record_from_template<'c>(
    record: &RawRecord<'c>,
    time: impl FnOnce() -> String,
    cache: &mut TemplateCache<'c>,
) -> Option<Box<EventRecord>> {
    read_record(record, time, cache, true).0
}

/// [`record_from_template`] through the plans when `planned` (else the walk alone); also
/// answers whether the plans read the record (the walk reads what they do not take).
fn read_record<'c>(
    record: &RawRecord<'c>,
    time: impl FnOnce() -> String,
    cache: &mut TemplateCache<'c>,
    planned: bool,
) -> (Option<Box<EventRecord>>, bool) {
    let start = record.binxml_offset;
    let Some(end) = start.checked_add(record.binxml_size) else {
        return (None, false);
    };
    let builder = |cache: &mut TemplateCache<'c>| {
        RecordBuilder::reusing(
            cache.spares.record(),
            std::mem::take(&mut cache.spares.stack),
            record.record_id,
            record.recovered,
        )
    };
    if planned {
        let mut builder = builder(cache);
        match run_fragment(
            record.chunk,
            start,
            end,
            Entry::RECORD,
            cache,
            &mut builder,
            0,
        ) {
            Ok(()) => {
                let (built, stack) = builder.finish_keeping_stack(time);
                cache.spares.stack = stack;
                return (built.ok(), true);
            }
            Err(stop) => {
                let (unfinished, stack) = builder.abandon();
                cache.spares.recycle(unfinished);
                cache.spares.stack = stack;
                if let Stop::Reject = stop {
                    return (None, true);
                }
            }
        }
    }
    // The reference reading, for the records a plan does not take.
    let mut builder = builder(cache);
    let walked = walk_fragment(record.chunk, start, end, cache, &mut builder, 0);
    let (built, stack) = builder.finish_keeping_stack(time);
    cache.spares.stack = stack;
    (walked.and(built.ok()), false)
}

/// [`record_from_template`] for a record the `evtx` crate has read.
pub(crate) fn evtx_record_from_template<'c>(
    record: &EvtxRecord<'c>,
    cache: &mut TemplateCache<'c>,
) -> Option<Box<EventRecord>> {
    let raw = RawRecord {
        chunk: record.chunk.data,
        binxml_offset: usize::try_from(record.binxml_offset).ok()?,
        binxml_size: record.binxml_size as usize,
        record_id: record.event_record_id,
        recovered: record.recovered,
    };
    record_from_template(&raw, || record.timestamp.to_string(), cache)
}

pub(crate) fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::fmt::{push_utf16, xml_char};
    use super::value::value_type;
    use super::*;
    use crate::xml::record_from_xml;
    use evtx::binxml::value_variant::{BinXmlValue, FileTime};
    use evtx::{EvtxChunkData, ParserSettings};
    use std::sync::Arc;

    #[test]
    fn scalars_are_written_as_the_evtx_crate_shows_them() {
        // GUIDs, hex integers and FILETIMEs, each against the `evtx` crate's `Display` (the
        // XML text this path must match byte for byte): edges, then a pseudo-random spread
        // (xorshift), then FILETIMEs within the years the fast path writes itself.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // The last tick of year 9999, then the Unix epoch and 2000-02-29 in FILETIME ticks.
        let last_tick = 2_650_467_743_999_999_999_u64;
        let mut values = vec![
            0,
            1,
            9,
            10,
            15,
            16,
            255,
            256,
            u64::MAX,
            u32::MAX.into(),
            1 << 63,
        ];
        values.extend([
            last_tick,
            last_tick + 1,
            116_444_736_000_000_000,
            125_963_712_000_000_000,
        ]);
        values.extend((0..3000).map(|_| next()));
        values.extend((0..3000).map(|_| next() % last_tick));
        let shown = |kind: u8, bytes: &[u8]| {
            let mut text = String::from("kept");
            Value::Scalar(kind, bytes).write_text(&mut text).unwrap();
            text.strip_prefix("kept").unwrap().to_string()
        };
        for pair in values.windows(2) {
            let n = pair[0];
            let bytes = n.to_le_bytes();
            let filetime = BinXmlValue::FileTimeType(FileTime(n)).to_string();
            assert_eq!(shown(value_type::FILETIME, &bytes), filetime, "{n}");
            let hex = BinXmlValue::HexInt64Type(n).to_string();
            assert_eq!(shown(value_type::HEX_INT64, &bytes), hex, "{n}");
            let hex32 = BinXmlValue::HexInt32Type(n as u32).to_string();
            assert_eq!(shown(value_type::HEX_INT32, &bytes[..4]), hex32, "{n}");
            let mut guid = [0; 16];
            guid[..8].copy_from_slice(&bytes);
            guid[8..].copy_from_slice(&pair[1].to_le_bytes());
            let expected = BinXmlValue::GuidType(guid).to_string();
            assert_eq!(shown(value_type::GUID, &guid), expected, "{guid:?}");
        }
        // Binary data of every length up to past one 64-byte piece.
        let data: Vec<u8> = (0..200).map(|_| next() as u8).collect();
        for len in 0..data.len() {
            let expected = BinXmlValue::BinaryType(&data[..len]).to_string();
            assert_eq!(
                shown(value_type::BINARY, &data[..len]),
                expected,
                "{len} bytes"
            );
        }
    }

    /// Reads every record of `log` both ways; returns (records, read from templates).
    fn compare_both_ways(log: &[u8]) -> (usize, usize) {
        let settings = Arc::new(
            ParserSettings::new()
                .indent(false)
                .validate_checksums(false),
        );
        let (mut records, mut fast) = (0, 0);
        for chunk_bytes in log[4096..].chunks_exact(65536) {
            let Ok(mut data) = EvtxChunkData::new(chunk_bytes.to_vec(), false) else {
                continue;
            };
            let Ok(mut chunk) = data.parse(Arc::clone(&settings)) else {
                continue;
            };
            let mut cache = TemplateCache::default();
            for record in chunk.iter().flatten() {
                records += 1;
                let Some(from_template) = evtx_record_from_template(&record, &mut cache) else {
                    continue;
                };
                fast += 1;
                let (id, recovered, time) =
                    (record.event_record_id, record.recovered, record.timestamp);
                let xml = record.into_xml_bytes().expect("renders").data;
                let from_xml = record_from_xml(&xml, id, || time.to_string(), recovered)
                    .expect("reads from XML");
                assert_eq!(
                    *from_template,
                    from_xml,
                    "record {id}: template path and XML path differ; XML: {}",
                    String::from_utf8_lossy(&xml)
                );
            }
        }
        (records, fast)
    }

    /// Reads every record of `log` through the plans and through the walk alone; returns
    /// (records read from templates, read by the plans).
    fn compare_plan_and_walk(log: &[u8]) -> (usize, usize) {
        let settings = Arc::new(ParserSettings::new().validate_checksums(false));
        let (mut read, mut planned) = (0, 0);
        for chunk_bytes in log[4096..].chunks_exact(65536) {
            let Ok(mut data) = EvtxChunkData::new(chunk_bytes.to_vec(), false) else {
                continue;
            };
            let Ok(mut chunk) = data.parse(Arc::clone(&settings)) else {
                continue;
            };
            // Separate caches, so neither reading reuses what the other left.
            let (mut by_plan, mut by_walk) = (TemplateCache::default(), TemplateCache::default());
            for record in chunk.iter().flatten() {
                let raw = RawRecord {
                    chunk: record.chunk.data,
                    binxml_offset: record.binxml_offset as usize,
                    binxml_size: record.binxml_size as usize,
                    record_id: record.event_record_id,
                    recovered: record.recovered,
                };
                let time = || record.timestamp.to_string();
                let (plan, took) = read_record(&raw, time, &mut by_plan, true);
                let (walk, _) = read_record(&raw, time, &mut by_walk, false);
                assert_eq!(plan, walk, "record {}", record.event_record_id);
                read += usize::from(walk.is_some());
                planned += usize::from(took && plan.is_some());
            }
        }
        (read, planned)
    }

    #[test]
    fn plans_read_every_corpus_record_exactly_as_the_walk() {
        for name in [
            "system.evtx",
            "Security_short_selected.evtx",
            "Application_no_crc32.evtx",
            "TestLogX.evtx",
        ] {
            let Some(path) = werr_testdata::corpus(&format!("evtx/{name}")) else {
                return;
            };
            let log = std::fs::read(path).expect("read log");
            let (read, planned) = compare_plan_and_walk(&log);
            eprintln!("{name}: {planned} of {read} records read by plans");
            assert!(read > 0, "{name}: no records");
            assert_eq!(planned, read, "{name}: records the plans did not read");
        }
    }

    /// What [`push_utf16`] must give, unit by unit.
    fn utf16_reference(units: &[u16], until_nul: bool) -> Option<String> {
        let end = match until_nul {
            true => units.iter().position(|&u| u == 0).unwrap_or(units.len()),
            false => units.len(),
        };
        let text: String = char::decode_utf16(units[..end].iter().copied())
            .collect::<Result<_, _>>()
            .ok()?;
        text.chars().all(xml_char).then_some(text)
    }

    #[test]
    fn utf16_text_is_decoded_alike_at_every_position_of_a_word() {
        let specials = [
            0u16, 9, 10, 13, 0x1f, 0x20, 0x41, 0x7f, 0x80, 0xe9, 0x100, 0x2041, 0x65e5, 0xd83d,
            0xdc00, 0xfffe,
        ];
        for special in specials {
            for len in 1..12 {
                for at in 0..len {
                    let units: Vec<u16> = (0..len)
                        .map(|i| {
                            if i == at {
                                special
                            } else {
                                u16::from(b'a') + i as u16
                            }
                        })
                        .collect();
                    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
                    for until_nul in [false, true] {
                        let mut text = String::from("kept ");
                        let pushed = push_utf16(&mut text, &bytes, until_nul);
                        let expected = utf16_reference(&units, until_nul);
                        let what = format!("{units:x?}, until NUL: {until_nul}");
                        assert_eq!(pushed.is_some(), expected.is_some(), "{what}");
                        let appended = text.strip_prefix("kept ").expect("prefix kept");
                        assert_eq!(appended, expected.unwrap_or_default(), "{what}");
                    }
                }
            }
        }
        // An odd number of bytes is no UTF-16 text.
        let mut text = String::new();
        assert!(push_utf16(&mut text, b"a\0b", false).is_none());
        assert!(text.is_empty());
    }

    #[test]
    fn template_path_reads_every_corpus_record_exactly_as_the_xml_path() {
        // (file, least share of records the template path must take, in percent)
        for (name, least) in [
            ("system.evtx", 100),
            ("Security_short_selected.evtx", 100),
            ("Application_no_crc32.evtx", 100),
            ("TestLogX.evtx", 100),
        ] {
            let Some(path) = werr_testdata::corpus(&format!("evtx/{name}")) else {
                return;
            };
            let log = std::fs::read(path).expect("read log");
            let (records, fast) = compare_both_ways(&log);
            eprintln!("{name}: {fast} of {records} records read from their templates");
            assert!(records > 0, "{name}: no records");
            assert!(
                fast * 100 >= records * least,
                "{name}: only {fast} of {records} records read from their templates"
            );
        }
    }
}
