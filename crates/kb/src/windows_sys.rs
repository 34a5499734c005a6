//! Importing the win32metadata constants of the `windows-sys` crate.
//!
//! windows-sys writes every constant of the Windows SDK metadata as one line,
//! `pub const NAME: TYPE = LITERAL;`, in `src/Windows/<Namespace>/mod.rs`. The
//! [`WindowsSysImporter`] keeps the constants that are codes ([`codes_of`]), whatever their
//! Rust type: those typed `WIN32_ERROR`, `HRESULT`, `NTSTATUS`, `RPC_STATUS` or
//! `BUGCHECK_ERROR`; the plain integers (`i32`, `u32`...) that are codes by their name and
//! value (the header rule, [`werr_headers::is_code_name`]: Windows Search's
//! `FTE_E_*`/`QUERY_S_*` are `i32`, WinRM's `ERROR_WINRS_*` are `u32`); the constants of
//! enum types that are code enums ([`werr_headers::enum_code_members`]: `WBEMSTATUS`,
//! `WbemErrorEnum`, `MQERROR`...); and the integer constants whose name a header source of
//! the KB already defines (netevent.h's `EVENT_*` are plain `i32` in the metadata).

use crate::import::{ImportIssue, Importer, ParsedFile};
use crate::writer::{DefinitionRow, FileRow};
use std::collections::HashSet;

/// One `pub const` of windows-sys with a 32-bit integer value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RustConst {
    /// The constant's name.
    pub name: String,
    /// Its type as written, without the `windows_sys::core::` path (`HRESULT`, `i32`).
    pub rust_type: String,
    /// The value as 32 bits (negative `i32` values as their two's complement).
    pub value: u32,
    /// The literal as written (`0x80070005_u32 as _`).
    pub literal: String,
    /// 1-based line.
    pub line: u32,
    /// The whole line.
    pub definition: String,
}

/// The windows-sys types whose constants are codes whatever their name.
pub const CODE_TYPES: [&str; 5] = [
    "WIN32_ERROR",
    "HRESULT",
    "NTSTATUS",
    "RPC_STATUS",
    "BUGCHECK_ERROR",
];

/// Reads the integer constants of one windows-sys module. Lines that are not `pub const`
/// of a 32-bit integer literal are not constants of interest and are passed over.
pub(crate) fn parse_module(text: &str) -> Vec<RustConst> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("pub const ") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once(": ") else {
            continue;
        };
        let Some((ty, literal)) = rest.split_once(" = ") else {
            continue;
        };
        let Some(literal) = literal.strip_suffix(';') else {
            continue;
        };
        let Some(value) = parse_literal(literal) else {
            continue;
        };
        let ty = ty.rsplit("::").next().unwrap_or(ty);
        out.push(RustConst {
            name: name.to_string(),
            rust_type: ty.to_string(),
            value,
            literal: literal.to_string(),
            line: i as u32 + 1,
            definition: line.to_string(),
        });
    }
    out
}

/// A Rust integer literal as 32 bits: `5u32`, `-2147479421i32`, `0x80070005_u32 as _`,
/// `1u16`; `None` for other types or values outside 32 bits.
pub(crate) fn parse_literal(literal: &str) -> Option<u32> {
    let lit = literal.strip_suffix(" as _").unwrap_or(literal);
    let (negative, lit) = match lit.strip_prefix('-') {
        Some(l) => (true, l),
        None => (false, lit),
    };
    let suffix_at = lit.find(['u', 'i'])?;
    let (digits, suffix) = lit.split_at(suffix_at);
    if !matches!(suffix, "u32" | "i32" | "u16" | "i16" | "u8" | "i8") {
        return None;
    }
    let digits = digits.trim_end_matches('_').replace('_', "");
    let magnitude = match digits.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok()?,
        None => digits.parse::<u64>().ok()?,
    };
    if negative {
        let v = -i64::try_from(magnitude).ok()?;
        i32::try_from(v).ok().map(|v| v as u32)
    } else {
        u32::try_from(magnitude).ok()
    }
}

/// The win32metadata namespace of a module path: `src/Windows/Win32/Foundation/mod.rs`
/// is `Windows.Win32.Foundation`.
pub fn namespace_of(rel: &str) -> Option<String> {
    let at = rel.find("Windows/")?;
    let module = rel[at..].strip_suffix("/mod.rs")?;
    Some(module.replace('/', "."))
}

/// The Rust types of plain integers (as opposed to typedefs and enum types).
const PRIMITIVES: [&str; 6] = ["i32", "u32", "i16", "u16", "i8", "u8"];

/// The category of a constant: by its code type, else, for one kept as a code by its name
/// or enum, by the shape of its value; else a plain constant.
fn category_of(c: &RustConst, code_by_rule: bool) -> &'static str {
    match c.rust_type.as_str() {
        "WIN32_ERROR" | "RPC_STATUS" => return "Win32 error",
        "HRESULT" => return "HRESULT",
        "NTSTATUS" => return "NTSTATUS",
        "BUGCHECK_ERROR" => return "bug check code",
        _ => {}
    }
    if !code_by_rule {
        return "constant";
    }
    let facility = (c.value >> 16) & 0x7FF;
    let win32_name = ["ERROR_", "NERR_", "WSAE"]
        .iter()
        .any(|p| c.name.starts_with(p));
    if win32_name && c.value <= 0xFFFF {
        "Win32 error"
    } else if c.value >> 30 == 0 && facility != 0 {
        // Success codes with a facility (`QUERY_S_NO_QUERY`).
        "HRESULT"
    } else if c.value & 0x8000_0000 != 0 && facility != 0 && facility != 0x7FF {
        "HRESULT"
    } else {
        "constant"
    }
}

/// Which constants of one module are codes, one answer per constant: the code types
/// ([`CODE_TYPES`]), plain integers that are codes by name and value
/// ([`werr_headers::is_code_name`]), the members of code enums
/// ([`werr_headers::enum_code_members`], each enum type being one enum), and names in
/// `known_names`. The second flag says whether the rule (not only `known_names`) keeps it.
pub(crate) fn codes_of(consts: &[RustConst], known_names: &HashSet<String>) -> Vec<(bool, bool)> {
    let mut by_rule: Vec<bool> = consts
        .iter()
        .map(|c| {
            let ty = c.rust_type.as_str();
            CODE_TYPES.contains(&ty)
                || (PRIMITIVES.contains(&ty) && werr_headers::is_code_name(&c.name, c.value))
        })
        .collect();
    // Constants of one enum type are that enum's members.
    let mut enums: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, c) in consts.iter().enumerate() {
        let ty = c.rust_type.as_str();
        if !CODE_TYPES.contains(&ty) && !PRIMITIVES.contains(&ty) {
            enums.entry(ty).or_default().push(i);
        }
    }
    for (ty, members) in enums {
        let pairs: Vec<(&str, Option<u32>)> = members
            .iter()
            .map(|&i| (consts[i].name.as_str(), Some(consts[i].value)))
            .collect();
        for (&i, code) in members
            .iter()
            .zip(werr_headers::enum_code_members(ty, &pairs))
        {
            by_rule[i] |= code;
        }
    }
    consts
        .iter()
        .zip(by_rule)
        .map(|(c, rule)| (rule || known_names.contains(&c.name), rule))
        .collect()
}

/// Imports windows-sys modules (`src/Windows/**/mod.rs`).
#[derive(Debug, Clone, Default)]
pub struct WindowsSysImporter {
    /// Names to keep whatever their type (the names header sources of the KB define).
    pub known_names: HashSet<String>,
}

impl Importer for WindowsSysImporter {
    fn name(&self) -> &'static str {
        "windows-sys"
    }

    fn accepts(&self, rel: &str, _head: &[u8]) -> bool {
        rel.ends_with("mod.rs") && namespace_of(rel).is_some()
    }

    fn parse(&self, rel: &str, bytes: &[u8]) -> Result<ParsedFile, ImportIssue> {
        let text = std::str::from_utf8(bytes).map_err(|e| ImportIssue {
            path: rel.to_string(),
            line: bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u32
                + 1,
            column: 0,
            message: format!(
                "not UTF-8 at byte offset {}; expected Rust source",
                e.valid_up_to()
            ),
            skipped_file: true,
        })?;
        let namespace = namespace_of(rel);
        let consts = parse_module(text);
        let codes = codes_of(&consts, &self.known_names);
        let definitions = consts
            .into_iter()
            .zip(codes)
            .filter(|(_, (keep, _))| *keep)
            .map(|(c, (_, by_rule))| {
                (
                    None,
                    DefinitionRow {
                        category: category_of(&c, by_rule).to_string(),
                        name: c.name,
                        value: Some(c.value),
                        expression: c.literal,
                        c_type: c.rust_type,
                        line: c.line,
                        definition: c.definition,
                        line_comments: None,
                        message_text: None,
                        namespace: namespace.clone(),
                    },
                )
            })
            .collect();
        Ok(ParsedFile {
            file: FileRow {
                path: rel.to_string(),
                preamble: None,
            },
            definitions,
            ..ParsedFile::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_sys_literals_read_as_32_bits() {
        assert_eq!(parse_literal("5u32"), Some(5));
        assert_eq!(parse_literal("-2147479421i32"), Some(0x8000_1083));
        assert_eq!(parse_literal("0x80070005_u32 as _"), Some(0x8007_0005));
        assert_eq!(parse_literal("1u16"), Some(1));
        assert_eq!(parse_literal("5u64"), None);
        assert_eq!(parse_literal("0x1_0000_0000_u32"), None);
    }
}
