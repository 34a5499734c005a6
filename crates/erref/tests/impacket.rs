//! The reader on impacket 0.13.1's three [MS-ERREF] tables (`scripts/fetch-fixtures impacket`).

use proptest::prelude::*;
use werr_erref::{read, Table};

fn table(file: &str) -> Option<(String, Table)> {
    let path = werr_testdata::fixture(&format!("impacket-0.13.1/impacket/{file}"))?;
    let bytes = std::fs::read(path).unwrap();
    let table = read(&bytes).unwrap_or_else(|e| panic!("{file}:{e}"));
    Some((String::from_utf8(bytes).unwrap(), table))
}

/// The 1-based line of the dictionary entry naming `name`, found in the raw text.
fn entry_line(text: &str, name: &str) -> u32 {
    let needle = format!("(\"{name}\",");
    1 + text
        .lines()
        .position(|l| l.trim_start().starts_with("0x") && l.contains(&needle))
        .unwrap_or_else(|| panic!("{name} not in the file")) as u32
}

#[test]
fn every_entry_of_the_three_tables_is_read_with_its_line() {
    for (file, kind) in [
        ("hresult_errors.py", "HRESULT"),
        ("nt_errors.py", "NT STATUS"),
        ("system_errors.py", "SYSTEM"),
    ] {
        let Some((text, table)) = table(file) else {
            return;
        };
        // One entry per line that opens with a value inside the dictionary.
        let written = text
            .lines()
            .filter(|l| l.starts_with("        0x") && l.contains(": (\""))
            .count();
        assert_eq!(table.entries.len(), written, "{file}");
        assert!(
            table.entries.len() > 1500,
            "{file}: {}",
            table.entries.len()
        );
        // The constants repeat the dictionary, name for name and value for value.
        let mut entries: Vec<(&str, u32)> = table
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.value))
            .collect();
        let mut constants: Vec<(&str, u32)> = table
            .constants
            .iter()
            .map(|c| (c.name.as_str(), c.value))
            .collect();
        entries.sort_unstable();
        constants.sort_unstable();
        assert_eq!(entries, constants, "{file}");
        for e in &table.entries {
            let line = text.lines().nth(e.line as usize - 1).unwrap();
            assert_eq!(line.trim().trim_end_matches(','), e.written, "{file}");
            assert_eq!(e.column, 9, "{file}:{}", e.line);
        }
        assert!(
            table
                .description
                .contains(&format!("{kind} Errors from [MS-ERREF]")),
            "{file}: {}",
            table.description
        );
        assert!(table
            .description
            .contains("slightly modified version\nof the Apache Software License"));
    }
}

#[test]
fn known_entries_read_exactly() {
    let cases: [(&str, &str, u32, &str); 7] = [
        (
            "system_errors.py",
            "ERROR_ACCESS_DENIED",
            5,
            "Access is denied.",
        ),
        (
            "system_errors.py",
            "ERROR_MOD_NOT_FOUND",
            126,
            "The specified module could not be found.",
        ),
        (
            "system_errors.py",
            "ERROR_INSTALL_FAILURE",
            1603,
            "Fatal error during installation.",
        ),
        // Escaped backslashes: two user names in the text.
        (
            "system_errors.py",
            "ERROR_CTX_SESSION_IN_USE",
            0x1B96,
            "The user %s\\%s is currently logged on to this computer. Only the current user or an administrator can log on to this computer.",
        ),
        (
            "hresult_errors.py",
            "E_FAIL",
            0x8000_4005,
            "Unspecified error.",
        ),
        (
            "nt_errors.py",
            "STATUS_ACCESS_VIOLATION",
            0xC000_0005,
            "The instruction at 0x%08lx referenced memory at 0x%08lx. The memory could not be %s.",
        ),
        // Escaped quotes.
        (
            "nt_errors.py",
            "STATUS_CANT_ENABLE_DENY_ONLY",
            0xC000_02B3,
            "A group marked \"use for deny only\" cannot be enabled.",
        ),
    ];
    for (file, name, value, text) in cases {
        let Some((raw, table)) = table(file) else {
            return;
        };
        let found: Vec<_> = table.entries.iter().filter(|e| e.name == name).collect();
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0].value, value, "{name}");
        assert_eq!(found[0].text, text, "{name}");
        assert_eq!(found[0].line, entry_line(&raw, name), "{name}");
    }
}

#[test]
fn a_value_with_two_names_keeps_both() {
    let Some((_, table)) = table("nt_errors.py") else {
        return;
    };
    let names: Vec<&str> = table
        .entries
        .iter()
        .filter(|e| e.value == 0x80)
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["STATUS_ABANDONED", "STATUS_ABANDONED_WAIT_0"]);
}

#[test]
fn some_system_entries_have_no_text() {
    let Some((_, table)) = table("system_errors.py") else {
        return;
    };
    let empty: Vec<&str> = table
        .entries
        .iter()
        .filter(|e| e.text.is_empty())
        .map(|e| e.name.as_str())
        .collect();
    assert!(empty.contains(&"ERROR_CLUSTER_GROUP_QUEUED"), "{empty:?}");
    assert!(empty.iter().all(|n| n.starts_with("ERROR_")), "{empty:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any bytes: a table or an error inside the input, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Err(e) = read(&bytes) {
            prop_assert!(e.line >= 1 && e.column >= 1);
            prop_assert!(e.line as usize <= 1 + bytes.iter().filter(|b| **b == b'\n' || **b == b'\r').count());
        }
    }

    /// A real table cut or changed anywhere: never a panic.
    #[test]
    fn damaged_tables_never_panic(cut in 0usize..400, at in 0usize..400, byte in any::<u8>()) {
        let src = b"# x\nERROR_MESSAGES = {\n        0x00000005: (\"ERROR_ACCESS_DENIED\", \"Access is \\\"denied\\\".\"),\n        0x80004005: ('E_FAIL', 'Unspecified error.'),\n}\n\nE_FAIL = 0x80004005\n";
        let mut bytes = src[..cut.min(src.len())].to_vec();
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        let _ = read(&bytes);
    }
}
