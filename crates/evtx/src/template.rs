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

use crate::builder::{local, AttributeName, ElementName, RecordBuilder, Spares};
use crate::model::EventRecord;
use crate::template_store::{Holes, TemplateStore};
use evtx::binxml::value_variant::{BinXmlValue, FileTime, SysTime};
use evtx::EvtxRecord;
use std::borrow::Cow;
// foldhash: these maps are looked up for every record, and SipHash was 4% of a run.
use foldhash::HashMap;
use std::sync::Arc;

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
}

#[derive(Debug)]
struct Element {
    name: Arc<str>,
    class: ElementName,
    attributes: Vec<Attribute>,
    children: Vec<Content>,
    /// The substitution slots among `children`, in order (where an array can repeat the
    /// element); worked out once when the definition is compiled.
    slots: Vec<u16>,
    /// The DependencyId: the slot whose null value leaves the element out of the document.
    dependency: Option<u16>,
}

#[derive(Debug)]
struct Attribute {
    class: AttributeName,
    value: Vec<Content>,
}

#[derive(Debug)]
enum Content {
    Element(Element),
    /// Text of the definition itself (value text, character and entity references, CDATA).
    Text(String),
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
    let start = record.binxml_offset;
    let end = start.checked_add(record.binxml_size)?;
    let mut builder = RecordBuilder::reusing(
        cache.spares.record(),
        std::mem::take(&mut cache.spares.stack),
        record.record_id,
        record.recovered,
    );
    let walked = walk_fragment(record.chunk, start, end, cache, &mut builder, 0);
    let (built, stack) = builder.finish_keeping_stack(time);
    cache.spares.stack = stack;
    walked?;
    built.ok()
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

/// Nesting limit for fragments inside values (real logs nest once: System, then EventData).
const MAX_NESTING: usize = 8;

/// Walks the BinXML fragment at chunk bytes `start..end`: an optional fragment header, one
/// template instance, then the end of the fragment.
fn walk_fragment<'c>(
    chunk: &'c [u8],
    start: usize,
    end: usize,
    cache: &mut TemplateCache<'c>,
    builder: &mut RecordBuilder<'_>,
    nesting: usize,
) -> Option<()> {
    if nesting > MAX_NESTING {
        return None;
    }
    let mut at = start;
    if *chunk.get(at)? == token::FRAGMENT_HEADER {
        at += 4;
    }
    if *chunk.get(at)? != token::TEMPLATE_INSTANCE {
        return None;
    }
    // Token, an unknown byte, template id, definition offset.
    let def_offset = read_u32(chunk, at + 6)?;
    at += 10;
    if def_offset as usize == at {
        // The definition is stored inline, right here (its first use in the chunk).
        let data_size = read_u32(chunk, at + 20)? as usize;
        at = at
            .checked_add(TEMPLATE_HEADER_SIZE)?
            .checked_add(data_size)?;
    }
    let count = read_u32(chunk, at)? as usize;
    at += 4;
    let descriptors = chunk.get(at..at.checked_add(count.checked_mul(4)?)?)?;
    at += descriptors.len();
    let mut values = cache.spare_values.pop().unwrap_or_default();
    values.clear();
    values.reserve(count);
    for descriptor in descriptors.chunks_exact(4) {
        let size = u16::from_le_bytes([descriptor[0], descriptor[1]]) as usize;
        let bytes = chunk.get(at..at.checked_add(size)?)?;
        // A value this path cannot read, used or not (a type MS-EVEN6 does not define, a
        // size that does not fit its type, a type werr reads only through XML), sends the
        // record to the XML reader: the `evtx` crate reads every value, and may read such a
        // one otherwise or refuse the record.
        let value = Value::read(descriptor[2], bytes, at);
        if matches!(value, Value::Unsupported) {
            return None;
        }
        values.push(value);
        at += size;
    }
    if at > end || (at < end && chunk[at] != token::EOF) {
        return None;
    }
    let template = cache.get(chunk, def_offset)?;
    let walk = Walk {
        chunk,
        values: &values,
        has_arrays: values.iter().any(|v| matches!(v, Value::StringArray(_))),
        nesting,
    };
    let walked = walk.element(&template.root, None, cache, builder);
    cache.spare_values.push(values);
    walked
}
/// A substitution value, as stored: its type and bytes, read into text only when kept.
#[derive(Debug, Clone, Copy)]
enum Value<'c> {
    Null,
    /// A UTF-16LE string.
    String(&'c [u8]),
    /// An ANSI (Windows-1252) string.
    Ansi(&'c [u8]),
    /// A fixed-size scalar of BinXML value type `.0`.
    Scalar(u8, &'c [u8]),
    /// A nested BinXML fragment at this chunk offset, this long.
    Fragment(usize, usize),
    /// An array of NUL-terminated UTF-16LE strings.
    StringArray(&'c [u8]),
    /// A type this path does not take.
    Unsupported,
}

/// BinXML value types (MS-EVEN6 §2.2.3.3); 0x80 marks an array of the type.
mod value_type {
    pub const NULL: u8 = 0x00;
    pub const STRING: u8 = 0x01;
    pub const ANSI_STRING: u8 = 0x02;
    pub const INT8: u8 = 0x03;
    pub const UINT8: u8 = 0x04;
    pub const INT16: u8 = 0x05;
    pub const UINT16: u8 = 0x06;
    pub const INT32: u8 = 0x07;
    pub const UINT32: u8 = 0x08;
    pub const INT64: u8 = 0x09;
    pub const UINT64: u8 = 0x0a;
    pub const REAL32: u8 = 0x0b;
    pub const REAL64: u8 = 0x0c;
    pub const BOOL: u8 = 0x0d;
    pub const BINARY: u8 = 0x0e;
    pub const GUID: u8 = 0x0f;
    pub const SIZE_T: u8 = 0x10;
    pub const FILETIME: u8 = 0x11;
    pub const SYSTEMTIME: u8 = 0x12;
    pub const SID: u8 = 0x13;
    pub const HEX_INT32: u8 = 0x14;
    pub const HEX_INT64: u8 = 0x15;
    pub const BINXML: u8 = 0x21;
    pub const STRING_ARRAY: u8 = 0x81;

    /// Whether `kind` is a type MS-EVEN6 defines (and the `evtx` crate reads): the scalars
    /// 0x00..=0x15, handles (0x20), BinXML (0x21), EvtXml (0x23), and arrays of the scalars
    /// from strings on (0x81..=0x95).
    pub fn is_known(kind: u8) -> bool {
        matches!(kind, 0x00..=0x15 | 0x20 | 0x21 | 0x23 | 0x81..=0x95)
    }
}

impl<'c> Value<'c> {
    /// The value of type `kind` stored in `bytes`, which start at chunk offset `at`.
    fn read(kind: u8, bytes: &'c [u8], at: usize) -> Value<'c> {
        use value_type::*;
        let size = match kind {
            NULL => return Value::Null,
            STRING => return Value::String(bytes),
            ANSI_STRING => return Value::Ansi(bytes),
            BINXML => return Value::Fragment(at, bytes.len()),
            STRING_ARRAY => return Value::StringArray(bytes),
            INT8 | UINT8 => 1,
            INT16 | UINT16 => 2,
            INT32 | UINT32 | BOOL | HEX_INT32 | REAL32 => 4,
            INT64 | UINT64 | REAL64 | FILETIME | HEX_INT64 => 8,
            // A pointer-sized value: 4 or 8 bytes, as the log was written.
            SIZE_T if matches!(bytes.len(), 4 | 8) => bytes.len(),
            GUID | SYSTEMTIME => 16,
            BINARY | SID => bytes.len(),
            _ => return Value::Unsupported,
        };
        if bytes.len() == size {
            Value::Scalar(kind, bytes)
        } else {
            Value::Unsupported
        }
    }

    /// Appends the value's text as the `evtx` crate writes it in XML (unescaped) to `out`;
    /// `None` (and `out` unchanged) for values this path does not take.
    fn write_text(self, out: &mut String) -> Option<()> {
        use value_type::*;
        let (kind, b) = match self {
            Value::Null => return Some(()),
            // The `evtx` crate ends a string at its first NUL (what follows is not shown).
            // An odd size is malformed: the crate rejects the record.
            Value::String(bytes) if bytes.len() % 2 != 0 => return None,
            Value::String(bytes) => return push_utf16(out, bytes, true),
            Value::Scalar(kind, bytes) => (kind, bytes),
            Value::Ansi(bytes) => return push_ansi(out, bytes),
            Value::Fragment(..) | Value::StringArray(_) | Value::Unsupported => return None,
        };
        let u16_at = |i: usize| Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?));
        let u32_at = |i: usize| Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?));
        let u64_at = |i: usize| Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
        let mut digits = itoa::Buffer::new();
        let mut decimal = |n: Option<&str>| {
            out.push_str(n?);
            Some(())
        };
        // The `evtx` crate's `Display` of a value is its XML text for every scalar but strings
        // (which XML escapes; decoded above). The common ones are formatted here, in the same
        // form, without its intermediate buffers.
        let shown = match kind {
            INT8 => return decimal(b.first().map(|&n| digits.format(n as i8))),
            UINT8 => return decimal(b.first().map(|&n| digits.format(n))),
            INT16 => return decimal(u16_at(0).map(|n| digits.format(n as i16))),
            UINT16 => return decimal(u16_at(0).map(|n| digits.format(n))),
            INT32 => return decimal(u32_at(0).map(|n| digits.format(n as i32))),
            UINT32 => return decimal(u32_at(0).map(|n| digits.format(n))),
            INT64 => return decimal(u64_at(0).map(|n| digits.format(n as i64))),
            UINT64 => return decimal(u64_at(0).map(|n| digits.format(n))),
            SID => return push_sid(out, b),
            REAL32 => BinXmlValue::Real32Type(f32::from_bits(u32_at(0)?)),
            REAL64 => BinXmlValue::Real64Type(f64::from_bits(u64_at(0)?)),
            // The `evtx` crate shows a BOOL that is neither 0 nor 1 as the number it holds.
            BOOL => match u32_at(0)? {
                0 => BinXmlValue::BoolType(false),
                1 => BinXmlValue::BoolType(true),
                other => BinXmlValue::Int32Type(other as i32),
            },
            BINARY => return push_binary(out, b),
            GUID => return push_guid(out, b),
            // The `evtx` crate reads a SizeT as the hex integer of its width.
            SIZE_T if b.len() == 4 => return push_hex(out, u32_at(0)?.into()),
            SIZE_T => return push_hex(out, u64_at(0)?),
            FILETIME => match push_filetime(out, u64_at(0)?) {
                Some(()) => return Some(()),
                None => BinXmlValue::FileTimeType(FileTime(u64_at(0)?)),
            },
            SYSTEMTIME => BinXmlValue::SysTimeType(SysTime::from_bytes(b.try_into().ok()?)),
            HEX_INT32 => return push_hex(out, u32_at(0)?.into()),
            HEX_INT64 => return push_hex(out, u64_at(0)?),
            _ => return None,
        };
        use std::fmt::Write as _;
        write!(out, "{shown}").ok()
    }

    /// The value of an unsigned integer type, which its text shows in decimal.
    fn unsigned(self) -> Option<u64> {
        use value_type::*;
        let Value::Scalar(kind, b) = self else {
            return None;
        };
        match kind {
            UINT8 => Some(u64::from(*b.first()?)),
            UINT16 => Some(u64::from(u16::from_le_bytes(b.try_into().ok()?))),
            UINT32 => Some(u64::from(u32::from_le_bytes(b.try_into().ok()?))),
            UINT64 => Some(u64::from_le_bytes(b.try_into().ok()?)),
            _ => None,
        }
    }

    /// The items of a string array (each a UTF-16LE string without its NUL).
    fn items(self) -> Option<Vec<Value<'c>>> {
        let Value::StringArray(bytes) = self else {
            return None;
        };
        let mut items = Vec::new();
        let mut from = 0;
        for (i, unit) in bytes.chunks_exact(2).enumerate() {
            if unit == [0, 0] {
                items.push(Value::String(&bytes[from..2 * i]));
                from = 2 * i + 2;
            }
        }
        // A last item without its NUL (a damaged array): the `evtx` crate reads on past the
        // value to the next NUL, so such a record is left to the XML reader.
        (from == bytes.len()).then_some(items)
    }
}

/// Lowercase hex digits.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends `ascii`, text these formatters built from ASCII digits and punctuation. (Writing
/// whole buffers at once: a `String::push` per character was 600 instructions per GUID.)
fn push_ascii(text: &mut String, ascii: &[u8]) -> Option<()> {
    text.push_str(std::str::from_utf8(ascii).ok()?);
    Some(())
}

/// Appends a GUID as the log shows it: `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}`, lowercase,
/// its first three fields little-endian.
fn push_guid(text: &mut String, b: &[u8]) -> Option<()> {
    let b: &[u8; 16] = b.try_into().ok()?;
    // For each byte of the text, in order, the stored byte it shows (the first three fields
    // reversed, the last two as stored) and where its two digits go.
    const ORDER: [usize; 16] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    const AT: [usize; 16] = [1, 3, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27, 29, 31, 33, 35];
    let mut shown = *b"{00000000-0000-0000-0000-000000000000}";
    for (&from, &to) in ORDER.iter().zip(&AT) {
        shown[to] = HEX_DIGITS[usize::from(b[from] >> 4)];
        shown[to + 1] = HEX_DIGITS[usize::from(b[from] & 0xf)];
    }
    push_ascii(text, &shown)
}

/// Appends an integer as `{:#x}` writes it: `0x` and lowercase digits, no leading zeros.
fn push_hex(text: &mut String, n: u64) -> Option<()> {
    let digits = ((64 - n.leading_zeros()).div_ceil(4).max(1)) as usize;
    let mut shown = *b"0x0000000000000000";
    for (i, digit) in shown[2..2 + digits].iter_mut().rev().enumerate() {
        *digit = HEX_DIGITS[((n >> (4 * i)) & 0xf) as usize];
    }
    push_ascii(text, &shown[..2 + digits])
}

/// Appends binary data as the log shows it: two uppercase hex digits per byte.
fn push_binary(text: &mut String, bytes: &[u8]) -> Option<()> {
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    text.reserve(2 * bytes.len());
    let mut shown = [0; 128];
    for piece in bytes.chunks(shown.len() / 2) {
        for (digits, &byte) in shown.chunks_exact_mut(2).zip(piece) {
            digits[0] = UPPER[usize::from(byte >> 4)];
            digits[1] = UPPER[usize::from(byte & 0xf)];
        }
        push_ascii(text, &shown[..2 * piece.len()])?;
    }
    Some(())
}

/// Writes `n` into `digits` in decimal, zero-padded to its whole width (`n` must fit).
fn put_decimal(digits: &mut [u8], mut n: u64) {
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Appends a FILETIME (100 ns ticks since 1601-01-01 UTC) as the log shows it:
/// `YYYY-MM-DDThh:mm:ss.fffffffZ`; `None` (nothing appended) past year 9999.
fn push_filetime(text: &mut String, ticks: u64) -> Option<()> {
    const TICKS_PER_SECOND: u64 = 10_000_000;
    const SECONDS_PER_DAY: u64 = 86_400;
    // Days from 1601-01-01 to 1970-01-01.
    const DAYS_1601_TO_1970: i64 = 134_774;
    let seconds = ticks / TICKS_PER_SECOND;
    let fraction = ticks % TICKS_PER_SECOND;
    let days = (seconds / SECONDS_PER_DAY) as i64 - DAYS_1601_TO_1970;
    let of_day = seconds % SECONDS_PER_DAY;
    let (year, month, day) = civil_from_days(days);
    if !(1601..=9999).contains(&year) {
        return None;
    }
    let mut shown = *b"0000-00-00T00:00:00.0000000Z";
    for (range, n) in [
        (0..4, year as u64),
        (5..7, u64::from(month)),
        (8..10, u64::from(day)),
        (11..13, of_day / 3600),
        (14..16, of_day / 60 % 60),
        (17..19, of_day % 60),
        (20..27, fraction),
    ] {
        put_decimal(&mut shown[range], n);
    }
    push_ascii(text, &shown)
}

/// The proleptic Gregorian (year, month, day) of `days` since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift to a calendar whose years start on March 1st, in 400-year eras, so that the leap
    // day is the last day of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Appends a SID as `S-R-A-S1-S2...`; `None` (nothing appended) for one this path leaves to
/// the XML reader (a malformed one, or one whose authority needs more than 32 bits).
fn push_sid(text: &mut String, b: &[u8]) -> Option<()> {
    let (&revision, &count) = (b.first()?, b.get(1)?);
    if b.len() != 8 + 4 * count as usize || b[2..4] != [0, 0] {
        return None;
    }
    let authority = u32::from_be_bytes(b[4..8].try_into().ok()?);
    text.reserve(12 + 11 * count as usize);
    let mut buffer = itoa::Buffer::new();
    text.push_str("S-");
    text.push_str(buffer.format(revision));
    text.push('-');
    text.push_str(buffer.format(authority));
    for sub in b[8..].chunks_exact(4) {
        text.push('-');
        let sub: [u8; 4] = sub.try_into().expect("chunks of 4");
        text.push_str(buffer.format(u32::from_le_bytes(sub)));
    }
    Some(())
}

/// Walks a template with one instance's values, feeding a [`RecordBuilder`].
struct Walk<'c, 'v> {
    chunk: &'c [u8],
    values: &'v [Value<'c>],
    /// Whether any value is a string array: most instances have none, and then no element
    /// needs its slots searched for one.
    has_arrays: bool,
    nesting: usize,
}

impl<'c> Walk<'c, '_> {
    /// Emits `element`; `item` replaces the value of an array slot with one of its items
    /// (the element is repeated once per item, as the XML shows it).
    fn element(
        &self,
        element: &Element,
        item: Option<(u16, Value<'c>)>,
        cache: &mut TemplateCache<'c>,
        builder: &mut RecordBuilder<'_>,
    ) -> Option<()> {
        let value_of = |id: u16| -> Option<Value<'c>> {
            match item {
                Some((slot, value)) if slot == id => Some(value),
                _ => self.values.get(id as usize).copied(),
            }
        };
        if builder.start_named(&element.name, element.class) {
            for attribute in &element.attributes {
                self.attribute(attribute, &value_of, cache, builder)?;
            }
        }
        for content in &element.children {
            match content {
                Content::Element(child) => match self.array_slot(child) {
                    None => {
                        if !self.left_out(child, item)? {
                            self.element(child, item, cache, builder)?;
                        }
                    }
                    Some(slot) => {
                        for each in value_of(slot)?.items()? {
                            if !self.left_out(child, Some((slot, each)))? {
                                self.element(child, Some((slot, each)), cache, builder)?;
                            }
                        }
                    }
                },
                Content::Text(text) => {
                    if builder.wants_text() {
                        let mut owned = cache.spares.string();
                        owned.push_str(text);
                        builder.text(Cow::Owned(owned));
                    }
                }
                Content::Substitution { id } => match value_of(*id)? {
                    Value::Fragment(at, len) => {
                        walk_fragment(self.chunk, at, at + len, cache, builder, self.nesting + 1)?
                    }
                    // Not kept, but an array or unknown value would change the document.
                    Value::StringArray(_) | Value::Unsupported => return None,
                    value if builder.wants_text() => match value.unsigned() {
                        // A number werr keeps as a number skips its text.
                        Some(n) if builder.wants_number() => builder.number(n),
                        _ => {
                            let mut text = cache.spares.string();
                            value.write_text(&mut text)?;
                            if text.is_empty() {
                                cache.spares.keep(text);
                            } else {
                                builder.text(Cow::Owned(text));
                            }
                        }
                    },
                    _ => {}
                },
            }
        }
        builder.end().ok()
    }

    /// Passes `attribute` on as the `evtx` crate writes it (MS-EVEN6 leaves this open):
    /// an attribute of constant text only is written when that text is not empty; one with
    /// non-empty constant text and substitutions always; one that is a single substitution
    /// (around empty text) only when the value's text is not empty, null or not, optional
    /// or not. Several substitutions and no constant text: the crate takes another path,
    /// so the record goes to the XML reader (`None`).
    fn attribute(
        &self,
        attribute: &Attribute,
        value_of: &impl Fn(u16) -> Option<Value<'c>>,
        cache: &mut TemplateCache<'c>,
        builder: &mut RecordBuilder<'_>,
    ) -> Option<()> {
        let kept = builder.keeps_attribute(attribute.class);
        // Most attribute values are one substitution: its text is the value.
        if let [Content::Substitution { id }] = attribute.value.as_slice() {
            let value = value_of(*id)?;
            if let Some(n) = value.unsigned() {
                return builder.attribute_number(attribute.class, n).ok();
            }
            if !kept {
                // Not kept, but a value with no text would change the document.
                cache.scratch.clear();
                return value.write_text(&mut cache.scratch);
            }
            let mut text = cache.spares.string();
            value.write_text(&mut text)?;
            if text.is_empty() {
                cache.spares.keep(text);
            } else {
                builder
                    .attribute_named(attribute.class, Cow::Owned(text))
                    .ok()?;
            }
            return Some(());
        }
        let mut text = cache.spares.string();
        let (mut substitutions, mut constant) = (0, false);
        for piece in &attribute.value {
            match piece {
                Content::Text(t) => {
                    constant |= !t.is_empty();
                    text.push_str(t);
                }
                Content::Substitution { id } => {
                    substitutions += 1;
                    value_of(*id)?.write_text(&mut text)?;
                }
                Content::Element(_) => return None,
            }
        }
        if !constant && substitutions > 1 {
            return None;
        }
        if kept && (constant || !text.is_empty()) {
            builder
                .attribute_named(attribute.class, Cow::Owned(text))
                .ok()?;
        } else {
            cache.spares.keep(text);
        }
        Some(())
    }

    /// Whether child `element` is left out of the document: the value its DependencyId names
    /// is null (MS-EVEN6; the `evtx` crate does the same). `None` when that slot does not
    /// exist.
    fn left_out(&self, element: &Element, item: Option<(u16, Value<'c>)>) -> Option<bool> {
        let Some(slot) = element.dependency else {
            return Some(false);
        };
        let value = match item {
            Some((array_slot, value)) if array_slot == slot => value,
            _ => *self.values.get(slot as usize)?,
        };
        Some(matches!(value, Value::Null))
    }

    /// The array slot among `element`'s own content, if any: the element is then repeated
    /// once per item.
    fn array_slot(&self, element: &Element) -> Option<u16> {
        if !self.has_arrays {
            return None;
        }
        element
            .slots
            .iter()
            .copied()
            .find(|&id| matches!(self.values.get(id as usize), Some(Value::StringArray(_))))
    }
}

/// Compiles the template definition at chunk offset `offset`.
/// `holes`, when given, records the places of the definition that depend on the chunk.
fn compile(
    chunk: &[u8],
    offset: u32,
    names: &mut HashMap<usize, Arc<str>>,
    holes: Option<&mut Holes>,
) -> Option<Template> {
    let offset = offset as usize;
    let data_size = read_u32(chunk, offset.checked_add(20)?)? as usize;
    let start = offset + TEMPLATE_HEADER_SIZE;
    let end = start.checked_add(data_size)?.min(chunk.len());
    let mut reader = Reader {
        chunk,
        at: start,
        end,
        names,
        holes,
    };
    if reader.u8()? == token::FRAGMENT_HEADER {
        reader.skip(3)?;
    } else {
        return None;
    }
    let first = reader.u8()?;
    if first & !token::MORE != token::OPEN_START_ELEMENT {
        return None;
    }
    let root = reader.element(first, 0)?;
    (reader.at >= reader.end || reader.u8()? == token::EOF).then_some(Template { root })
}

/// Deepest element nesting a definition may have (real ones have 4 or 5).
const MAX_DEPTH: usize = 64;

/// A bounds-checked reader over a template definition inside its chunk.
struct Reader<'c, 'n> {
    chunk: &'c [u8],
    at: usize,
    end: usize,
    names: &'n mut HashMap<usize, Arc<str>>,
    holes: Option<&'n mut Holes>,
}

impl Reader<'_, '_> {
    fn u8(&mut self) -> Option<u8> {
        if self.at >= self.end {
            return None;
        }
        let byte = *self.chunk.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn peek(&self) -> Option<u8> {
        (self.at < self.end).then(|| self.chunk.get(self.at).copied())?
    }

    fn u16(&mut self) -> Option<u16> {
        let value = read_u16(self.chunk, self.at)?;
        self.skip(2)?;
        Some(value)
    }

    fn u32(&mut self) -> Option<u32> {
        let value = read_u32(self.chunk, self.at)?;
        self.skip(4)?;
        Some(value)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        let at = self.at.checked_add(n)?;
        (at <= self.end).then(|| self.at = at)
    }

    /// A length-prefixed UTF-16 string, up to its first NUL as the `evtx` crate reads it.
    fn utf16(&mut self) -> Option<String> {
        let chars = self.u16()? as usize;
        let bytes = self.chunk.get(self.at..self.at.checked_add(chars * 2)?)?;
        self.skip(chars * 2)?;
        utf16_string(bytes, true)
    }

    /// A name reference: the chunk offset of a name structure, which may sit right here.
    fn name(&mut self) -> Option<Arc<str>> {
        let field = self.at;
        let offset = self.u32()? as usize;
        // Name structure: next-name offset (4), hash (2), length in characters (2), the
        // characters, a NUL character.
        let chars = read_u16(self.chunk, offset.checked_add(6)?)? as usize;
        let bytes = self
            .chunk
            .get(offset + 8..(offset + 8).checked_add(chars * 2)?)?;
        if let Some(holes) = self.holes.as_deref_mut() {
            holes.name_reference(field, offset, bytes);
        }
        if offset == self.at {
            self.skip(8 + chars * 2 + 2)?;
        }
        if let Some(name) = self.names.get(&offset) {
            return Some(Arc::clone(name));
        }
        let name: Arc<str> = utf16_string(bytes, false)?.into();
        self.names.insert(offset, Arc::clone(&name));
        Some(name)
    }

    /// The element whose open-start token `open` was just read.
    fn element(&mut self, open: u8, depth: usize) -> Option<Element> {
        if depth > MAX_DEPTH {
            return None;
        }
        // DependencyId (0xFFFF: none), then the data size, not needed to read the definition.
        let dependency = self.u16()?;
        self.skip(4)?;
        let full = self.name()?;
        if !is_xml_name(&full) {
            return None;
        }
        let name = match local(&full) {
            local if local.len() == full.len() => full,
            local => local.into(),
        };
        if open & token::MORE != 0 {
            self.skip(4)?; // size of the attribute list
        }
        let mut element = Element {
            class: ElementName::of(&name),
            name,
            attributes: Vec::new(),
            children: Vec::new(),
            slots: Vec::new(),
            dependency: (dependency != 0xFFFF).then_some(dependency),
        };
        while self.peek()? & !token::MORE == token::ATTRIBUTE {
            self.u8()?;
            let name = self.name()?;
            if !is_xml_name(&name) {
                return None;
            }
            let mut value = Vec::new();
            while let Some(piece) = self.value_piece()? {
                value.push(piece);
            }
            element.attributes.push(Attribute {
                class: AttributeName::of(&name),
                value,
            });
        }
        match self.u8()? {
            token::CLOSE_EMPTY_ELEMENT => return Some(element),
            token::CLOSE_START_ELEMENT => {}
            _ => return None,
        }
        loop {
            let next = self.peek()?;
            match next & !token::MORE {
                token::END_ELEMENT => {
                    self.u8()?;
                    element.slots = element
                        .children
                        .iter()
                        .filter_map(|content| match content {
                            Content::Substitution { id } => Some(*id),
                            _ => None,
                        })
                        .collect();
                    return Some(element);
                }
                token::OPEN_START_ELEMENT => {
                    self.u8()?;
                    let child = self.element(next, depth + 1)?;
                    element.children.push(Content::Element(child));
                }
                token::CDATA => {
                    self.u8()?;
                    element.children.push(Content::Text(self.utf16()?));
                }
                token::PI_TARGET => {
                    // A processing instruction has no text werr keeps.
                    self.u8()?;
                    self.name()?;
                    if self.peek()? == token::PI_DATA {
                        self.u8()?;
                        self.utf16()?;
                    }
                }
                _ => match self.value_piece()? {
                    Some(piece) => element.children.push(piece),
                    None => return None,
                },
            }
        }
    }

    /// The next piece of character content (value text, a character or entity reference, a
    /// substitution), `Some(None)` when the next token is something else.
    fn value_piece(&mut self) -> Option<Option<Content>> {
        let next = self.peek()?;
        let piece = match next & !token::MORE {
            token::VALUE => {
                self.u8()?;
                if self.u8()? != value_type::STRING {
                    return None;
                }
                Content::Text(self.utf16()?)
            }
            token::CHAR_REF => {
                self.u8()?;
                let code = self.u16()?;
                Content::Text(char::from_u32(code.into())?.to_string())
            }
            token::ENTITY_REF => {
                self.u8()?;
                let text = match &*self.name()? {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => return None,
                };
                Content::Text(text.to_string())
            }
            _ if next == token::NORMAL_SUBSTITUTION || next == token::OPTIONAL_SUBSTITUTION => {
                self.u8()?;
                let id = self.u16()?;
                // The value type the slot expects: the value carries its own, but the `evtx`
                // crate refuses a record whose definition names no known type.
                if !value_type::is_known(self.u8()?) {
                    return None;
                }
                Content::Substitution { id }
            }
            _ => return Some(None),
        };
        Some(Some(piece))
    }
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

/// Appends an ANSI string value as the `evtx` crate shows it: its NUL bytes dropped, the rest
/// decoded as Windows-1252 (the crate's default code page, which werr keeps); `None` (nothing
/// appended) for a character XML cannot hold.
fn push_ansi(out: &mut String, bytes: &[u8]) -> Option<()> {
    let kept: Cow<'_, [u8]> = if bytes.contains(&0) {
        Cow::Owned(bytes.iter().copied().filter(|&b| b != 0).collect())
    } else {
        Cow::Borrowed(bytes)
    };
    let text =
        encoding_rs::WINDOWS_1252.decode_without_bom_handling_and_without_replacement(&kept)?;
    text.chars().all(xml_char).then(|| out.push_str(&text))
}

/// Whether XML 1.0 can hold `c` (the NUL the crate ends strings with aside).
fn xml_char(c: char) -> bool {
    matches!(c, '\0' | '\t' | '\n' | '\r' | ' '..='\u{D7FF}')
        || matches!(c, '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `name` is an XML name (a letter, `_` or `:`, then letters, digits, `-`, `.`, `_`,
/// `:`) whose local part is not empty. A damaged definition can hold any text as a name; in
/// the XML the `evtx` crate writes, such a name reads as something else (`< rovider`, or
/// an element and an attribute), so those records are left to the XML reader.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || matches!(c, '_' | ':'));
    first_ok
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
        && !local(name).is_empty()
}

/// UTF-16LE to a string; `None` for an odd length, an unpaired surrogate, or a character XML
/// cannot hold (the `evtx` crate's XML replaces those; the XML reader takes such records).
fn utf16_string(bytes: &[u8], until_nul: bool) -> Option<String> {
    let mut text = String::new();
    push_utf16(&mut text, bytes, until_nul)?;
    Some(text)
}

/// Appends [`utf16_string`]'s text to `out`; `None` (nothing appended) where it has none.
/// With `until_nul`, the text ends at the first NUL unit, as the `evtx` crate shows values.
fn push_utf16(out: &mut String, bytes: &[u8], until_nul: bool) -> Option<()> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let before = out.len();
    // Most of a log's text is printable ASCII: four units at a time are checked and their
    // low bytes copied; the first four that are anything else (or hold a NUL) end that.
    let mut ascii = std::mem::take(out).into_bytes();
    ascii.reserve(bytes.len() / 2);
    let mut words = bytes.chunks_exact(8);
    let mut rest = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        const LANES: u64 = 0x0001_0001_0001_0001;
        // A unit of 0x80 or more, or below a space (NUL, tab and line breaks included).
        let beyond_ascii = w & (LANES * 0xff80) != 0;
        let below_space = w.wrapping_sub(LANES * 0x20) & (LANES * 0x8000) != 0;
        if beyond_ascii || below_space {
            break;
        }
        ascii.extend_from_slice(&[w as u8, (w >> 16) as u8, (w >> 32) as u8, (w >> 48) as u8]);
        rest += 8;
    }
    // Unit by unit from there: printable ASCII, tab and line breaks are copied; a NUL ends
    // the text when asked; anything else is decoded in full below.
    let mut other = false;
    for pair in bytes[rest..].chunks_exact(2) {
        match (pair[0], pair[1]) {
            (0, 0) if until_nul => break,
            (b, 0) if (0x20..0x80).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r' | 0) => {
                ascii.push(b)
            }
            _ => {
                other = true;
                break;
            }
        }
    }
    if other {
        ascii.truncate(before);
    }
    match String::from_utf8(ascii) {
        Ok(text) => *out = text,
        // Cannot happen (ASCII appended to a string), but must not lose `out`.
        Err(e) => {
            let mut bytes = e.into_bytes();
            bytes.truncate(before);
            *out = String::from_utf8(bytes).unwrap_or_default();
            return None;
        }
    }
    if !other {
        return Some(());
    }
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    let units = units.take_while(|&unit| !(until_nul && unit == 0));
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) if xml_char(c) => out.push(c),
            _ => {
                out.truncate(before);
                return None;
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::record_from_xml;
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
                .num_threads(1)
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
