//! Values cross-checked against the win32metadata constants of the `windows-sys` crate
//! (0.61): every name that both a header tree and windows-sys define with a 32-bit value
//! must agree, except the differences listed in `windows_sys_known_differences.tsv`. Enum
//! members are compared when the import rule takes them (codes): the others include C++
//! class-scoped enums (d2d1helper.h's colors) and markers whose values moved between SDKs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use werr_headers::{resolve_across, scan_bytes, CodeRule, HeaderFile};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A Rust integer literal as windows-sys writes it (`5u32`, `-2147479421i32`,
/// `0x80070005_u32 as _`) as a 32-bit value; `None` for other constants (strings, GUIDs,
/// floats, 64-bit values).
fn rust_literal(text: &str) -> Option<u32> {
    let text = text.strip_suffix(" as _").unwrap_or(text);
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let suffix_at = text.find(['u', 'i']).unwrap_or(text.len());
    let (digits, suffix) = text.split_at(suffix_at);
    if !matches!(
        suffix,
        "" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" | "isize"
    ) {
        return None;
    }
    let digits = digits.trim_end_matches('_').replace('_', "");
    let magnitude = match digits.strip_prefix("0x") {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i128>().ok()?,
    };
    let value = if negative { -magnitude } else { magnitude };
    (-(1i128 << 31)..(1i128 << 32))
        .contains(&value)
        .then_some(value as u32)
}

/// Every `pub const NAME: TYPE = VALUE;` of windows-sys with a 32-bit value, by name (a
/// name can have several values in different namespaces).
fn windows_sys_constants(src: &Path) -> BTreeMap<String, BTreeSet<u32>> {
    let mut files = Vec::new();
    walk(src, &mut files);
    let mut constants: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(file).expect("utf-8 source");
        for line in text.lines() {
            let Some(rest) = line.trim().strip_prefix("pub const ") else {
                continue;
            };
            let Some((name, rest)) = rest.split_once(':') else {
                continue;
            };
            let Some((_ty, value)) = rest.split_once(" = ") else {
                continue;
            };
            let Some(value) = value.strip_suffix(';').and_then(rust_literal) else {
                continue;
            };
            constants.entry(name.to_string()).or_default().insert(value);
        }
    }
    constants
}

/// Name -> value -> the first `file:line` that defines it with that value.
type HeaderValues = BTreeMap<String, BTreeMap<u32, String>>;

fn header_values(rel: &str) -> Option<HeaderValues> {
    let root = werr_testdata::fixture(rel)?;
    let mut paths = Vec::new();
    walk(&root, &mut paths);
    let mut files: Vec<HeaderFile> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("under root").to_string_lossy();
            scan_bytes(&rel, &std::fs::read(p).expect("readable"))
        })
        .collect();
    resolve_across(&mut files);
    let mut values: HeaderValues = BTreeMap::new();
    for f in &files {
        let rule = CodeRule::new(f);
        for d in &f.definitions {
            if d.enum_line.is_some() && !rule.is_code(d) {
                continue;
            }
            if let Some(v) = d.value {
                values
                    .entry(d.name.clone())
                    .or_default()
                    .entry(v)
                    .or_insert_with(|| format!("{}:{}", f.path, d.line));
            }
        }
    }
    Some(values)
}

/// The names of the known differences file: `NAME<TAB>tree<TAB>why`.
fn known_differences() -> BTreeMap<(String, String), String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows_sys_known_differences.tsv");
    let text = std::fs::read_to_string(path).expect("known differences file");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '\t');
            let name = parts.next().unwrap_or_default().to_string();
            let tree = parts.next().unwrap_or_default().to_string();
            let why = parts.next().unwrap_or_default().to_string();
            ((name, tree), why)
        })
        .collect()
}

fn compare(tree: &str, rel: &str) {
    let Some(src) = werr_testdata::cargo_registry_file("windows-sys-0.61", "src/Windows") else {
        return;
    };
    let Some(headers) = header_values(rel) else {
        return;
    };
    let windows_sys = windows_sys_constants(&src);
    let known = known_differences();
    let mut shared = 0;
    let mut unexpected = Vec::new();
    let mut seen_known = BTreeSet::new();
    for (name, ours) in &headers {
        let Some(theirs) = windows_sys.get(name) else {
            continue;
        };
        shared += 1;
        if ours.keys().any(|v| theirs.contains(v)) {
            continue;
        }
        let key = (name.clone(), tree.to_string());
        if known.contains_key(&key) {
            seen_known.insert(key);
        } else {
            let ours: Vec<String> = ours
                .iter()
                .map(|(v, at)| format!("{v:#X} ({at})"))
                .collect();
            let theirs: Vec<String> = theirs.iter().map(|v| format!("{v:#X}")).collect();
            unexpected.push(format!(
                "{name}\t{tree}\t{}\t{}",
                ours.join(", "),
                theirs.join(", ")
            ));
        }
    }
    let stale: Vec<_> = known
        .keys()
        .filter(|(_, t)| t == tree)
        .filter(|k| !seen_known.contains(*k))
        .collect();
    eprintln!(
        "{tree}: {shared} names in both, {} known differences, {} unexpected",
        seen_known.len(),
        unexpected.len()
    );
    assert!(shared > 20_000, "only {shared} names in common");
    assert!(
        unexpected.is_empty(),
        "values that differ from windows-sys:\n{}",
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "known differences that no longer differ: {stale:?}"
    );
}

#[test]
fn mingw_values_agree_with_windows_sys() {
    compare(
        "mingw",
        "mingw-w64-common-10.0.0/usr/share/mingw-w64/include",
    );
}

#[test]
fn zig_values_agree_with_windows_sys() {
    compare(
        "zig",
        "ziglang-0.15.1/ziglang/lib/libc/include/any-windows-any",
    );
}

#[test]
fn reads_windows_sys_literals() {
    assert_eq!(rust_literal("5u32"), Some(5));
    assert_eq!(rust_literal("-2147479421i32"), Some(0x8000_1083));
    assert_eq!(rust_literal("0x80070005_u32 as _"), Some(0x8007_0005));
    assert_eq!(rust_literal("0xFFFFFFFFFFFFFFFF_u64"), None);
    assert_eq!(rust_literal("1.5f32"), None);
}
