//! Substitution values as stored, and their text as the `evtx` crate shows it.

use super::fmt::{
    push_ansi, push_binary, push_filetime, push_guid, push_hex, push_sid, push_utf16,
};
use evtx::binxml::value_variant::{BinXmlValue, FileTime, SysTime};

/// A substitution value, as stored: its type and bytes, read into text only when kept.
#[derive(Debug, Clone, Copy)]
pub(super) enum Value<'c> {
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
pub(super) mod value_type {
    pub(in crate::template) const NULL: u8 = 0x00;
    pub(in crate::template) const STRING: u8 = 0x01;
    pub(in crate::template) const ANSI_STRING: u8 = 0x02;
    pub(in crate::template) const INT8: u8 = 0x03;
    pub(in crate::template) const UINT8: u8 = 0x04;
    pub(in crate::template) const INT16: u8 = 0x05;
    pub(in crate::template) const UINT16: u8 = 0x06;
    pub(in crate::template) const INT32: u8 = 0x07;
    pub(in crate::template) const UINT32: u8 = 0x08;
    pub(in crate::template) const INT64: u8 = 0x09;
    pub(in crate::template) const UINT64: u8 = 0x0a;
    pub(in crate::template) const REAL32: u8 = 0x0b;
    pub(in crate::template) const REAL64: u8 = 0x0c;
    pub(in crate::template) const BOOL: u8 = 0x0d;
    pub(in crate::template) const BINARY: u8 = 0x0e;
    pub(in crate::template) const GUID: u8 = 0x0f;
    pub(in crate::template) const SIZE_T: u8 = 0x10;
    pub(in crate::template) const FILETIME: u8 = 0x11;
    pub(in crate::template) const SYSTEMTIME: u8 = 0x12;
    pub(in crate::template) const SID: u8 = 0x13;
    pub(in crate::template) const HEX_INT32: u8 = 0x14;
    pub(in crate::template) const HEX_INT64: u8 = 0x15;
    pub(in crate::template) const BINXML: u8 = 0x21;
    pub(in crate::template) const STRING_ARRAY: u8 = 0x81;

    /// Whether `kind` is a type MS-EVEN6 defines (and the `evtx` crate reads): the scalars
    /// 0x00..=0x15, handles (0x20), BinXML (0x21), EvtXml (0x23), and arrays of the scalars
    /// from strings on (0x81..=0x95).
    pub(in crate::template) fn is_known(kind: u8) -> bool {
        matches!(kind, 0x00..=0x15 | 0x20 | 0x21 | 0x23 | 0x81..=0x95)
    }
}

impl<'c> Value<'c> {
    /// The value of type `kind` stored in `bytes`, which start at chunk offset `at`.
    pub(super) fn read(kind: u8, bytes: &'c [u8], at: usize) -> Value<'c> {
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
    pub(super) fn write_text(self, out: &mut String) -> Option<()> {
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
    pub(super) fn unsigned(self) -> Option<u64> {
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
    pub(super) fn items(self) -> Option<Vec<Value<'c>>> {
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
