//! 32-bit Windows codes: how to read them, how they are laid out, how they relate.
//!
//! This crate owns the arithmetic of Windows message codes and nothing else: no I/O, no
//! knowledge base, no names of individual codes. Every other werr crate uses it.
//!
//! # What it offers
//!
//! - [`parse_value`]: the text a user pastes (`0x80001083`, `0X80001083L`, `80001083`,
//!   `-2147479421`, `2147487875`, `4227`, `0xFFFFFFFF80070005`) to one or more 32-bit
//!   values. Ambiguous digits keep both readings, most plausible first.
//! - [`Scheme`] and its [`FieldSpec`]s: the bit layouts of mc.exe message ids, HRESULT,
//!   NTSTATUS, Win32 error codes and event-log EventID/Qualifiers pairs.
//! - [`readings`]: every interpretation of a value, ranked; each [`Reading`] carries its
//!   fields, facility and severity names and the [`Related`] codes of other schemes.
//! - The SDK's conversions: [`hresult_from_win32`], [`hresult_from_nt`],
//!   [`ntstatus_from_win32`] and their inverses; [`message_id_from_event`].
//! - [`Decoding`]: a whole decoding of user input (value forms, alternatives, readings), the
//!   shape of `werr decode --json` and of the web API's decode route.
//! - [`bit_box`]: the layout diagram of message files, filled in with a value's bits.
//! - Facility tables ([`HRESULT_FACILITIES`], [`NTSTATUS_FACILITIES`]), generated from the
//!   win32metadata constants of the `windows-sys` crate (see [`FACILITY_TABLE_SOURCE`]).
//!
//! # Features
//!
//! `serde`: `Serialize` for [`Reading`], [`Related`], [`Scheme`] and [`NumberForm`], in the
//! shape of `werr decode --json`.
#![deny(missing_docs)]

mod decoded;
mod layout;
mod parse;
mod paste;
mod reading;
mod tables;

pub use decoded::{Alternative, Decoding};
pub use layout::{
    event_from_message_id, hresult_facility_names, hresult_from_nt, hresult_from_win32,
    message_id_from_event, nt_from_hresult, ntstatus_facility_names, ntstatus_from_win32,
    win32_from_hresult, win32_from_ntstatus, FieldSpec, Scheme, FACILITY_NT_BIT, FACILITY_WIN32,
    HRESULT_SEVERITY_NAMES, MC_DEFAULT_FACILITIES, SEVERITY_NAMES,
};
pub use parse::{
    parse_value, NumberForm, ParseValueError, ParseValueErrorKind, ParsedValue, ValueReading,
    ACCEPTED_FORMS,
};
pub use paste::{is_one_query, queries_of_words, read_pasted, Pasted, Query};
pub use reading::{bit_box, readings, Reading, Related, VCPP_EXCEPTION_OF};
pub use tables::{FACILITY_TABLE_SOURCE, HRESULT_FACILITIES, NTSTATUS_FACILITIES};

/// A value's three printed forms, as the seed page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ValueForms {
    /// `0x` and eight upper-case hex digits.
    pub hex: HexString,
    /// The value as a signed 32-bit integer.
    pub signed: i32,
    /// The value as an unsigned 32-bit integer.
    pub unsigned: u32,
}

impl ValueForms {
    /// The forms of `value`.
    pub fn of(value: u32) -> ValueForms {
        ValueForms {
            hex: HexString(value),
            signed: value as i32,
            unsigned: value,
        }
    }
}

/// A value printed as `0x%08X`; serializes as that string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HexString(pub u32);

impl std::fmt::Display for HexString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x{:08X}", self.0)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HexString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
