//! The bit layouts of 32-bit Windows codes, and the relations between them.

use crate::tables::{HRESULT_FACILITIES, NTSTATUS_FACILITIES};

/// A way to interpret a 32-bit value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Scheme {
    /// A message id as mc.exe assigns it: Sev 2 | C 1 | R 1 | Facility 12 | Code 16.
    Message,
    /// A COM/Win32 HRESULT: S 1 | R 1 | C 1 | N 1 | X 1 | Facility 11 | Code 16.
    Hresult,
    /// A kernel NTSTATUS: Sev 2 | C 1 | R 1 | Facility 12 | Code 16.
    Ntstatus,
    /// A Win32 error code (`GetLastError`), 0..=0xFFFF.
    Win32,
    /// An event-log pair: Qualifiers 16 | EventID 16.
    Event,
}

impl Scheme {
    /// Every scheme, in the order of this enum.
    pub const ALL: [Scheme; 5] = [
        Scheme::Message,
        Scheme::Hresult,
        Scheme::Ntstatus,
        Scheme::Win32,
        Scheme::Event,
    ];

    /// The scheme's name as used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Message => "message",
            Scheme::Hresult => "hresult",
            Scheme::Ntstatus => "ntstatus",
            Scheme::Win32 => "win32",
            Scheme::Event => "event",
        }
    }

    /// The scheme for a command-line or JSON name.
    pub fn from_name(name: &str) -> Option<Scheme> {
        Scheme::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// A one-line human title of the scheme.
    pub fn title(self) -> &'static str {
        match self {
            Scheme::Message => "message id (mc.exe layout)",
            Scheme::Hresult => "HRESULT",
            Scheme::Ntstatus => "NTSTATUS",
            Scheme::Win32 => "Win32 error code",
            Scheme::Event => "event-log EventID and Qualifiers",
        }
    }

    /// The bit fields of the scheme, most significant first; widths add up to 32.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            Scheme::Message | Scheme::Ntstatus => &SEV_C_R_LAYOUT,
            Scheme::Hresult => &HRESULT_LAYOUT,
            Scheme::Win32 => &WIN32_LAYOUT,
            Scheme::Event => &EVENT_LAYOUT,
        }
    }
}

/// One bit field of a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's JSON name (`severity`, `facility`...).
    pub name: &'static str,
    /// The field's label in the bit box (`Sev`, `Facility`...).
    pub label: &'static str,
    /// Lowest bit of the field.
    pub shift: u32,
    /// Width in bits.
    pub width: u32,
}

impl FieldSpec {
    const fn new(name: &'static str, label: &'static str, shift: u32, width: u32) -> FieldSpec {
        FieldSpec {
            name,
            label,
            shift,
            width,
        }
    }

    /// The field's value within `value`.
    pub fn extract(&self, value: u32) -> u32 {
        let mask = if self.width == 32 {
            u32::MAX
        } else {
            (1u32 << self.width) - 1
        };
        (value >> self.shift) & mask
    }

    /// `value` with this field set to `field` (excess bits dropped).
    pub fn insert(&self, value: u32, field: u32) -> u32 {
        let mask = if self.width == 32 {
            u32::MAX
        } else {
            ((1u32 << self.width) - 1) << self.shift
        };
        (value & !mask) | ((field << self.shift) & mask)
    }
}

const SEV_C_R_LAYOUT: [FieldSpec; 5] = [
    FieldSpec::new("severity", "Sev", 30, 2),
    FieldSpec::new("customer", "C", 29, 1),
    FieldSpec::new("reserved", "R", 28, 1),
    FieldSpec::new("facility", "Facility", 16, 12),
    FieldSpec::new("code", "Code", 0, 16),
];

const HRESULT_LAYOUT: [FieldSpec; 7] = [
    FieldSpec::new("severity", "S", 31, 1),
    FieldSpec::new("reserved", "R", 30, 1),
    FieldSpec::new("customer", "C", 29, 1),
    FieldSpec::new("ntstatus", "N", 28, 1),
    FieldSpec::new("x", "X", 27, 1),
    FieldSpec::new("facility", "Facility", 16, 11),
    FieldSpec::new("code", "Code", 0, 16),
];

const WIN32_LAYOUT: [FieldSpec; 2] = [
    FieldSpec::new("high", "(zero)", 16, 16),
    FieldSpec::new("code", "Code", 0, 16),
];

const EVENT_LAYOUT: [FieldSpec; 2] = [
    FieldSpec::new("qualifiers", "Qualifiers", 16, 16),
    FieldSpec::new("event_id", "EventID", 0, 16),
];

/// Severity names of the two-bit severity of message ids and NTSTATUS (mc.exe's default
/// `SeverityNames` and ntstatus.h's `STATUS_SEVERITY_*`).
pub const SEVERITY_NAMES: [&str; 4] = ["Success", "Informational", "Warning", "Error"];

/// Severity names of the HRESULT severity bit (winerror.h `SEVERITY_SUCCESS`, `SEVERITY_ERROR`).
pub const HRESULT_SEVERITY_NAMES: [&str; 2] = ["Success", "Error"];

/// mc.exe's default facility names for message ids (`FacilityNames=(System=0x0FF
/// Application=0xFFF)`), as documented for the message text file.
pub const MC_DEFAULT_FACILITIES: [(u16, &str); 2] = [(0x0FF, "System"), (0xFFF, "Application")];

/// FACILITY_WIN32 of winerror.h (HRESULT) and FACILITY_NTWIN32 of ntstatus.h (NTSTATUS).
pub const FACILITY_WIN32: u32 = 7;
/// The N bit of an HRESULT: the value is an NTSTATUS mapped by HRESULT_FROM_NT.
pub const FACILITY_NT_BIT: u32 = 0x1000_0000;

/// The names a facility value carries in a table, or an empty slice.
fn names_in(
    table: &'static [(u16, &'static [&'static str])],
    facility: u32,
) -> &'static [&'static str] {
    u16::try_from(facility)
        .ok()
        .and_then(|f| table.binary_search_by_key(&f, |e| e.0).ok())
        .map_or(&[], |i| table[i].1)
}

/// The winerror.h names of an HRESULT facility value (11 bits, or 12 with the X bit, as
/// the SDK's large facilities such as FACILITY_DXGI = 0x87A use it).
pub fn hresult_facility_names(facility: u32) -> &'static [&'static str] {
    names_in(HRESULT_FACILITIES, facility)
}

/// The ntstatus.h names of an NTSTATUS facility value.
pub fn ntstatus_facility_names(facility: u32) -> &'static [&'static str] {
    names_in(NTSTATUS_FACILITIES, facility)
}

/// HRESULT_FROM_WIN32: `x` itself when it is 0 or negative as an `i32`, else
/// `0x80070000 | (x & 0xFFFF)`.
pub fn hresult_from_win32(code: u32) -> u32 {
    if code as i32 <= 0 {
        code
    } else {
        (code & 0xFFFF) | (FACILITY_WIN32 << 16) | 0x8000_0000
    }
}

/// The Win32 code inside an HRESULT_FROM_WIN32 value (`0x8007xxxx`).
pub fn win32_from_hresult(hr: u32) -> Option<u32> {
    (hr & 0xFFFF_0000 == 0x8007_0000).then_some(hr & 0xFFFF)
}

/// HRESULT_FROM_NT: the NTSTATUS with the N bit set.
pub fn hresult_from_nt(status: u32) -> u32 {
    status | FACILITY_NT_BIT
}

/// The NTSTATUS inside an HRESULT_FROM_NT value (N bit set), with the N bit cleared.
pub fn nt_from_hresult(hr: u32) -> Option<u32> {
    (hr & FACILITY_NT_BIT != 0).then_some(hr & !FACILITY_NT_BIT)
}

/// NTSTATUS_FROM_WIN32: `x` itself when 0 or negative, else `0xC0070000 | (x & 0xFFFF)`.
pub fn ntstatus_from_win32(code: u32) -> u32 {
    if code as i32 <= 0 {
        code
    } else {
        (code & 0xFFFF) | (FACILITY_WIN32 << 16) | 0xC000_0000
    }
}

/// The Win32 code inside an NTSTATUS_FROM_WIN32 value (`0xC007xxxx`).
pub fn win32_from_ntstatus(status: u32) -> Option<u32> {
    (status & 0xFFFF_0000 == 0xC007_0000).then_some(status & 0xFFFF)
}

/// The message id of an event-log record: `Qualifiers << 16 | EventID`.
pub fn message_id_from_event(event_id: u16, qualifiers: u16) -> u32 {
    (u32::from(qualifiers) << 16) | u32::from(event_id)
}

/// The (EventID, Qualifiers) pair of a message id.
pub fn event_from_message_id(id: u32) -> (u16, u16) {
    (id as u16, (id >> 16) as u16)
}
