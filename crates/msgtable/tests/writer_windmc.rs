//! The writer is byte-identical to GNU windmc (`x86_64-w64-mingw32-windmc`), UTF-16 and ANSI.

use std::path::Path;
use std::process::Command;
use werr_msgtable::{read, write, CodePage, Encoding, Entry, MessageTable};

/// Messages (id, English text, German text) spanning several blocks, padding cases
/// (text lengths 0..7 mod 4), non-ASCII, and high ids.
const MESSAGES: &[(u32, &str, &str)] = &[
    (1, "Hello", "Hallo \u{fc}ber"),
    (2, "abc", "x"),
    (3, "ab", "xy"),
    (4, "abcd", "xyz"),
    (10, "Ten %1 of %2!d!", "Zehn \u{e4}\u{f6}"),
    (11, "Eleven", "Elf"),
    (
        0x1000,
        "A longer text that spans\r\nmore than one line.",
        "Mehr als eine Zeile.",
    ),
    (0xCFFF_0020, "Severity error.", "Fehler."),
];

fn mc_source() -> String {
    let mut s = String::from(
        "MessageIdTypedef=DWORD\nLanguageNames=(English=0x409:MSG00409)\nLanguageNames=(German=0x407:MSG00407)\n",
    );
    for (id, en, de) in MESSAGES {
        // windmc treats each line as a line: the text ends with "\n" per line.
        let en = en.replace("\r\n", "\n");
        // The top bits come from Severity and Facility, MessageId holds the low 16 bits.
        let head = match id >> 16 {
            0 => String::new(),
            0xCFFF => "Severity=Error\nFacility=Application\n".to_string(),
            other => panic!("no severity/facility for 0x{other:X}"),
        };
        let low = id & 0xFFFF;
        s.push_str(&format!(
            "MessageId=0x{low:X}\n{head}SymbolicName=M{id:X}\nLanguage=English\n{en}\n.\nLanguage=German\n{de}\n.\n"
        ));
    }
    s
}

fn windmc(dir: &Path, extra: &[&str]) -> Option<()> {
    let mc = dir.join("t.mc");
    std::fs::write(&mc, mc_source()).unwrap();
    let windmc = werr_testdata::tool("windmc")?;
    let status = Command::new(&windmc)
        .args(extra)
        .arg("-r")
        .arg(dir)
        .arg("-h")
        .arg(dir)
        .arg(&mc)
        .status()
        .unwrap_or_else(|e| panic!("{} does not run: {e}", windmc.display()));
    assert!(status.success(), "windmc failed: {status}");
    Some(())
}

fn expected(lang: usize, make: impl Fn(&str) -> Entry) -> MessageTable {
    let mut table = MessageTable::new();
    for m in MESSAGES {
        let text = if lang == 0 { m.1 } else { m.2 };
        // windmc writes each line with "\n" (the .mc's line ends), including the last one.
        let text = format!("{}\n", text.replace("\r\n", "\n"));
        table.insert(m.0, make(&text));
    }
    table
}

#[test]
fn writes_unicode_tables_identical_to_windmc() {
    let dir = tempfile::tempdir().unwrap();
    if windmc(dir.path(), &["-C", "65001"]).is_none() {
        return;
    }
    for (lang, file) in [(0, "MSG00409.bin"), (1, "MSG00407.bin")] {
        let theirs = std::fs::read(dir.path().join(file)).unwrap();
        let ours = write(&expected(lang, Entry::unicode)).unwrap();
        assert_eq!(ours, theirs, "{file}");
        let back = read(&theirs).unwrap();
        assert_eq!(back.entries.len(), MESSAGES.len());
        assert!(back.entries.iter().all(|e| e.encoding == Encoding::Unicode));
        assert_eq!(back.to_table(), expected(lang, Entry::unicode));
    }
}

#[test]
fn writes_ansi_tables_identical_to_windmc() {
    let dir = tempfile::tempdir().unwrap();
    // -A: ANSI output, in the code page of each language (1252 for English and German).
    if windmc(dir.path(), &["-C", "65001", "-A"]).is_none() {
        return;
    }
    for (lang, file) in [(0, "MSG00409.bin"), (1, "MSG00407.bin")] {
        let theirs = std::fs::read(dir.path().join(file)).unwrap();
        let make = |t: &str| Entry::ansi(t, CodePage::WINDOWS_1252).unwrap();
        assert_eq!(write(&expected(lang, make)).unwrap(), theirs, "{file}");
        let back = read(&theirs).unwrap();
        assert_eq!(
            back.get(1).unwrap().text(CodePage::WINDOWS_1252),
            expected(lang, make)
                .get(1)
                .unwrap()
                .text(CodePage::WINDOWS_1252)
        );
    }
}

#[test]
fn empty_table_is_a_zero_block_count() {
    assert_eq!(write(&MessageTable::new()).unwrap(), vec![0, 0, 0, 0]);
    assert!(read(&[0, 0, 0, 0]).unwrap().entries.is_empty());
}

#[test]
fn rejects_entry_longer_than_u16() {
    let mut table = MessageTable::new();
    table.insert(7, Entry::utf8(&"x".repeat(65_530)));
    let err = write(&table).unwrap_err();
    assert!(err.to_string().contains("0x00000007"), "{err}");
    let mut table = MessageTable::new();
    table.insert(7, Entry::utf8(&"x".repeat(65_527)));
    assert_eq!(write(&table).unwrap().len(), 4 + 12 + 65_532);
}

#[test]
fn ids_at_u32_max_end_a_block() {
    let mut table = MessageTable::new();
    table.insert(u32::MAX - 1, Entry::utf8("a"));
    table.insert(u32::MAX, Entry::utf8("b"));
    table.insert(0, Entry::utf8("c"));
    let bytes = write(&table).unwrap();
    assert_eq!(u32::from_le_bytes(bytes[0..4].try_into().unwrap()), 2);
    assert_eq!(read(&bytes).unwrap().to_table(), table);
}
