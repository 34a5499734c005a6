//! Every interpretation of a 32-bit value, ranked, and the filled-in bit box.

use crate::layout::{
    hresult_facility_names, hresult_from_nt, hresult_from_win32, nt_from_hresult,
    ntstatus_facility_names, ntstatus_from_win32, win32_from_hresult, win32_from_ntstatus,
    FieldSpec, Scheme, HRESULT_SEVERITY_NAMES, MC_DEFAULT_FACILITIES, SEVERITY_NAMES,
};

/// One interpretation of a value under one [`Scheme`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Reading {
    /// The scheme.
    pub scheme: Scheme,
    /// The value read.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub value: u32,
    /// The layout's fields with their values, most significant first.
    #[cfg_attr(feature = "serde", serde(serialize_with = "fields_as_map"))]
    pub fields: Vec<(&'static str, u32)>,
    /// The facility's name, when the scheme has facilities and the value's is known.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub facility_name: Option<&'static str>,
    /// The severity's name, when the scheme has a severity.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub severity_name: Option<&'static str>,
    /// Codes of other schemes this value converts to or from.
    pub related: Vec<Related>,
    /// Remarks on unusual bits (a reserved bit set, a value out of the scheme's range).
    pub notes: Vec<String>,
}

/// A code of another scheme that a reading converts to or from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Related {
    /// The conversion, named after its SDK macro (`HRESULT_FROM_WIN32(5)`...).
    pub relation: &'static str,
    /// The scheme of the related value.
    pub scheme: Scheme,
    /// The related value.
    #[cfg_attr(feature = "serde", serde(serialize_with = "hex32"))]
    pub value: u32,
}

/// The relation of an exception code of the delay-load helper to its Win32 error:
/// `VcppException(sev, err)` of delayimp.h, `sev | FACILITY_VISUALCPP << 16 | err`
/// (0xC06D007E: ERROR_MOD_NOT_FOUND, the DLL could not be loaded).
pub const VCPP_EXCEPTION_OF: &str = "VcppException of";

/// Visual C++'s facility (delayimp.h: `FACILITY_VISUALCPP`, 0x6D).
const FACILITY_VISUALCPP: u32 = 0x6D;

impl Related {
    /// The queried value as the expression that derives it from `name`, the related code's
    /// name, for a relation read backwards (`HRESULT_FROM_WIN32 of`):
    /// `0x80070005 = HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)`,
    /// `0xC06D007E = VcppException(ERROR_SEVERITY_ERROR, ERROR_MOD_NOT_FOUND)`. `None` for a
    /// relation read forwards (the related code derives from the queried value).
    pub fn derived_expression(relation: &str, queried: u32, name: &str) -> Option<String> {
        let mac = relation.strip_suffix(" of")?;
        Some(if relation == VCPP_EXCEPTION_OF {
            // winnt.h's severities, the macro's first argument.
            let severity = if queried >> 30 == 3 {
                "ERROR_SEVERITY_ERROR"
            } else {
                "ERROR_SEVERITY_WARNING"
            };
            format!("0x{queried:08X} = {mac}({severity}, {name})")
        } else {
            format!("0x{queried:08X} = {mac}({name})")
        })
    }
}

#[cfg(feature = "serde")]
fn fields_as_map<S: serde::Serializer>(
    fields: &[(&'static str, u32)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(fields.len()))?;
    for (name, value) in fields {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

#[cfg(feature = "serde")]
fn hex32<S: serde::Serializer>(value: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("0x{value:08X}"))
}

impl Reading {
    /// Reads `value` under `scheme`. Win32 codes above 0xFFFF still get a reading, with a note.
    pub fn new(scheme: Scheme, value: u32) -> Reading {
        let fields: Vec<(&'static str, u32)> = scheme
            .fields()
            .iter()
            .map(|f| (f.name, f.extract(value)))
            .collect();
        let mut notes = Vec::new();
        let mut related = Vec::new();
        let (facility_name, severity_name) = match scheme {
            Scheme::Message => {
                let facility = (value >> 16) & 0xFFF;
                let name = MC_DEFAULT_FACILITIES
                    .iter()
                    .find(|(f, _)| u32::from(*f) == facility)
                    .map(|(_, n)| *n);
                if value & 0x1000_0000 != 0 {
                    notes.push("reserved bit R is set".to_string());
                }
                related.push(Related {
                    relation: "event-log EventID + Qualifiers",
                    scheme: Scheme::Event,
                    value,
                });
                (name, Some(SEVERITY_NAMES[(value >> 30) as usize]))
            }
            Scheme::Ntstatus => {
                let facility = (value >> 16) & 0xFFF;
                if let Some(code) = win32_from_ntstatus(value) {
                    related.push(Related {
                        relation: "NTSTATUS_FROM_WIN32 of",
                        scheme: Scheme::Win32,
                        value: code,
                    });
                }
                if facility == FACILITY_VISUALCPP && value >> 31 == 1 && value & 0xFFFF != 0 {
                    related.push(Related {
                        relation: VCPP_EXCEPTION_OF,
                        scheme: Scheme::Win32,
                        value: value & 0xFFFF,
                    });
                }
                if value & 0x1000_0000 != 0 {
                    notes.push("reserved bit R is set (in an HRESULT it is the N bit)".to_string());
                } else {
                    related.push(Related {
                        relation: "HRESULT_FROM_NT",
                        scheme: Scheme::Hresult,
                        value: hresult_from_nt(value),
                    });
                }
                (
                    ntstatus_facility_names(facility).first().copied(),
                    Some(SEVERITY_NAMES[(value >> 30) as usize]),
                )
            }
            Scheme::Hresult => {
                if let Some(code) = win32_from_hresult(value) {
                    related.push(Related {
                        relation: "HRESULT_FROM_WIN32 of",
                        scheme: Scheme::Win32,
                        value: code,
                    });
                }
                if let Some(status) = nt_from_hresult(value) {
                    related.push(Related {
                        relation: "HRESULT_FROM_NT of",
                        scheme: Scheme::Ntstatus,
                        value: status,
                    });
                } else if value & 0x4000_0000 != 0 {
                    notes.push("reserved bit R is set without the N bit".to_string());
                }
                (
                    hresult_facility_name(value),
                    Some(HRESULT_SEVERITY_NAMES[(value >> 31) as usize]),
                )
            }
            Scheme::Win32 => {
                if value > 0xFFFF {
                    notes.push("Win32 error codes are 16-bit; this value is larger".to_string());
                } else if value != 0 {
                    related.push(Related {
                        relation: "HRESULT_FROM_WIN32",
                        scheme: Scheme::Hresult,
                        value: hresult_from_win32(value),
                    });
                    related.push(Related {
                        relation: "NTSTATUS_FROM_WIN32",
                        scheme: Scheme::Ntstatus,
                        value: ntstatus_from_win32(value),
                    });
                }
                (None, None)
            }
            Scheme::Event => {
                related.push(Related {
                    relation: "message id (Qualifiers << 16 | EventID)",
                    scheme: Scheme::Message,
                    value,
                });
                (None, None)
            }
        };
        Reading {
            scheme,
            value,
            fields,
            facility_name,
            severity_name,
            related,
            notes,
        }
    }

    /// The value of a field by its JSON name.
    pub fn field(&self, name: &str) -> Option<u32> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The filled-in bit box of this reading (see [`bit_box`]).
    pub fn bit_box(&self) -> String {
        bit_box(self.scheme, self.value)
    }
}

/// HRESULT facility name: the SDK's large facilities (0x800 and up) use the X bit as a
/// twelfth facility bit, so try that first when X is set.
fn hresult_facility_name(value: u32) -> Option<&'static str> {
    let wide = (value >> 16) & 0xFFF;
    let narrow = (value >> 16) & 0x7FF;
    if wide != narrow {
        if let Some(n) = hresult_facility_names(wide).first() {
            return Some(n);
        }
    }
    hresult_facility_names(narrow).first().copied()
}

/// Every applicable reading of `value`, the most plausible first.
///
/// The ranking follows how codes are used in practice: a 16-bit value is first a Win32
/// error; `0x8007xxxx` is first HRESULT_FROM_WIN32; severity 3 with the reserved bit clear
/// (`0xC0000005`) is first an NTSTATUS; the mc.exe default facilities System (0x0FF) and
/// Application (0xFFF) make a message id likely. Win32 is offered only for values up to
/// 0xFFFF.
pub fn readings(value: u32) -> Vec<Reading> {
    let mut scored: Vec<(u32, Reading)> = Scheme::ALL
        .into_iter()
        .filter(|s| *s != Scheme::Win32 || value <= 0xFFFF)
        .map(|s| (plausibility(s, value), Reading::new(s, value)))
        .collect();
    // Stable sort: equal scores keep the enum order.
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored.into_iter().map(|(_, r)| r).collect()
}

fn plausibility(scheme: Scheme, value: u32) -> u32 {
    let sev = value >> 30;
    let reserved = value & 0x1000_0000 != 0;
    let small = value <= 0xFFFF;
    match scheme {
        Scheme::Win32 => 100,
        Scheme::Hresult => {
            let s = value & 0x8000_0000 != 0;
            let r = value & 0x4000_0000 != 0;
            let n = value & 0x1000_0000 != 0;
            if win32_from_hresult(value).is_some() {
                95
            } else if s && n {
                88
            } else if s && !r {
                80
            } else if small {
                30
            } else if !s && !r {
                50
            } else {
                20
            }
        }
        Scheme::Ntstatus => match (sev, reserved) {
            (_, true) => 15,
            (3, false) => 90,
            (1, false) => 70,
            (2, false) => 60,
            _ if small => 25,
            _ => 40,
        },
        Scheme::Message => {
            let facility = (value >> 16) & 0xFFF;
            if MC_DEFAULT_FACILITIES
                .iter()
                .any(|(f, _)| u32::from(*f) == facility)
            {
                85
            } else if small {
                35
            } else if facility == 0 {
                75
            } else {
                45
            }
        }
        Scheme::Event => {
            if small {
                40
            } else {
                10
            }
        }
    }
}

/// The seed page's bit diagram for `scheme`, with a row of `value`'s bits and a legend of
/// each field's value and name.
///
/// ```text
///   3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1
///   1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
///  +---+-+-+-----------------------+-------------------------------+
///  |Sev|C|R|        Facility       |              Code             |
///  +---+-+-+-----------------------+-------------------------------+
///  |1 0|0|0|0 0 0 0 0 0 0 0 0 0 0 0|0 0 0 1 0 0 0 0 1 0 0 0 0 0 1 1|
///  +---+-+-+-----------------------+-------------------------------+
/// ```
pub fn bit_box(scheme: Scheme, value: u32) -> String {
    let fields = scheme.fields();
    let mut out = String::with_capacity(1024);
    out.push_str("  3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1\n");
    out.push_str("  1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0\n");
    let rule = rule_line(fields);
    out.push_str(&rule);
    out.push_str(" |");
    for f in fields {
        let inner = (2 * f.width - 1) as usize;
        out.push_str(&center(f.label, inner));
        out.push('|');
    }
    out.push('\n');
    out.push_str(&rule);
    out.push_str(" |");
    for f in fields {
        let bits: Vec<String> = (0..f.width)
            .rev()
            .map(|b| ((value >> (f.shift + b)) & 1).to_string())
            .collect();
        out.push_str(&bits.join(" "));
        out.push('|');
    }
    out.push('\n');
    out.push_str(&rule);
    let reading = Reading::new(scheme, value);
    let label_width = fields.iter().map(|f| f.label.len()).max().unwrap_or(0);
    for f in fields {
        let v = f.extract(value);
        let name = match f.name {
            "severity" => reading.severity_name,
            "facility" => reading.facility_name,
            _ => None,
        };
        let digits = (f.width as usize).div_ceil(4);
        let mut line = format!("  {:<label_width$} = {v}", f.label);
        if f.width > 4 {
            line.push_str(&format!(" (0x{v:0digits$X})"));
        }
        if let Some(n) = name {
            line.push_str(&format!(" {n}"));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn rule_line(fields: &[FieldSpec]) -> String {
    let mut line = String::from(" +");
    for f in fields {
        line.push_str(&"-".repeat((2 * f.width - 1) as usize));
        line.push('+');
    }
    line.push('\n');
    line
}

fn center(label: &str, width: usize) -> String {
    if label.len() >= width {
        return label[..width].to_string();
    }
    let left = (width - label.len()) / 2;
    let right = width - label.len() - left;
    format!("{}{label}{}", " ".repeat(left), " ".repeat(right))
}
