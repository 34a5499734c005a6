//! The reader on broken tables: strict mode names the first defect with its byte offset,
//! lenient mode keeps every entry it can and reports the rest; nothing panics or allocates
//! in proportion to counts read from the file.

use werr_msgtable::{read, read_lenient, write, CodePage, DefectKind, Entry, MessageTable};

fn table(entries: &[(u32, &str)]) -> Vec<u8> {
    let mut t = MessageTable::new();
    for &(id, text) in entries {
        t.insert(id, Entry::unicode(text));
    }
    write(&t).unwrap()
}

fn put_u32(bytes: &mut [u8], at: usize, v: u32) {
    bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn put_u16(bytes: &mut [u8], at: usize, v: u16) {
    bytes[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

#[test]
fn rejects_missing_block_count() {
    let err = read(&[1, 0]).unwrap_err();
    assert_eq!(err.kind, DefectKind::MissingBlockCount { len: 2 });
    assert_eq!(err.offset, 0);
}

#[test]
fn rejects_block_past_end() {
    let mut bytes = table(&[(1, "a")]);
    put_u32(&mut bytes, 0, 0xFFFF_FFFF);
    let err = read(&bytes).unwrap_err();
    assert_eq!(err.kind, DefectKind::BlocksPastEnd { count: 0xFFFF_FFFF });
    let (t, defects) = read_lenient(&bytes);
    assert!(t.entries.is_empty());
    assert_eq!(defects.len(), 1);
}

#[test]
fn rejects_entries_offset_past_end() {
    let mut bytes = table(&[(1, "a")]);
    put_u32(&mut bytes, 12, 0x1000);
    let err = read(&bytes).unwrap_err();
    assert_eq!(err.offset, 12);
    assert_eq!(err.id, Some(1));
    assert_eq!(
        err.kind,
        DefectKind::EntriesOffsetOutOfBounds { offset: 0x1000 }
    );
    assert!(
        err.to_string()
            .starts_with("at byte 0xC (message 0x00000001):"),
        "{err}"
    );
}

#[test]
fn rejects_entries_offset_inside_block_array() {
    let mut bytes = table(&[(1, "a")]);
    put_u32(&mut bytes, 12, 4);
    assert_eq!(
        read(&bytes).unwrap_err().kind,
        DefectKind::EntriesOffsetOutOfBounds { offset: 4 }
    );
}

#[test]
fn rejects_entry_past_end() {
    let mut bytes = table(&[(1, "a"), (2, "b")]);
    // Second entry at 16 + 8: give it a length past the end.
    put_u16(&mut bytes, 24, 0x100);
    let err = read(&bytes).unwrap_err();
    assert_eq!((err.offset, err.id), (24, Some(2)));
    assert_eq!(err.kind, DefectKind::EntryPastEnd { length: 0x100 });
    let (t, defects) = read_lenient(&bytes);
    assert_eq!(t.entries.len(), 1, "the first entry is salvaged");
    assert_eq!(t.entries[0].text(CodePage::UTF8), "a");
    assert_eq!(defects.len(), 1);
}

#[test]
fn rejects_entry_length_below_head() {
    let mut bytes = table(&[(1, "a")]);
    put_u16(&mut bytes, 16, 0);
    assert_eq!(
        read(&bytes).unwrap_err().kind,
        DefectKind::EntryLengthTooSmall { length: 0 }
    );
}

#[test]
fn rejects_unaligned_length_but_lenient_keeps_the_text() {
    let mut bytes = table(&[(1, "abc")]);
    // "abc" UTF-16 = 6 bytes + 2 terminator + 4 head = 12; claim 10.
    put_u16(&mut bytes, 16, 10);
    let err = read(&bytes).unwrap_err();
    assert_eq!(err.kind, DefectKind::EntryLengthUnaligned { length: 10 });
    let (t, defects) = read_lenient(&bytes);
    assert_eq!(t.entries[0].text(CodePage::UTF8), "abc");
    // The 6 bytes left for text hold no terminator either.
    let kinds: Vec<_> = defects.into_iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        vec![
            DefectKind::EntryLengthUnaligned { length: 10 },
            DefectKind::MissingTerminator
        ]
    );
}

#[test]
fn rejects_unknown_flags_at_the_flags_field() {
    let mut bytes = table(&[(1, "a"), (2, "b")]);
    put_u16(&mut bytes, 18, 7);
    let err = read(&bytes).unwrap_err();
    assert_eq!(
        (err.offset, err.kind.clone()),
        (18, DefectKind::UnknownFlags { flags: 7 })
    );
    let (t, _) = read_lenient(&bytes);
    assert_eq!(t.entries.iter().map(|e| e.id).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn rejects_missing_terminator() {
    let mut t = MessageTable::new();
    t.insert(1, Entry::utf8("abc")); // 4 + 3 + 1 = 8: the terminator is the last byte
    let mut bytes = write(&t).unwrap();
    let last = bytes.len() - 1;
    bytes[last] = b'd';
    assert_eq!(
        read(&bytes).unwrap_err().kind,
        DefectKind::MissingTerminator
    );
    let (t, defects) = read_lenient(&bytes);
    assert_eq!(t.entries[0].text(CodePage::UTF8), "abcd");
    assert_eq!(defects[0].kind, DefectKind::MissingTerminator);
}

#[test]
fn rejects_nonzero_padding() {
    let mut t = MessageTable::new();
    t.insert(1, Entry::utf8("a")); // 4 + 1 + 1 -> 8: two padding bytes
    let mut bytes = write(&t).unwrap();
    let last = bytes.len() - 1;
    bytes[last] = 0x55;
    assert_eq!(read(&bytes).unwrap_err().kind, DefectKind::NonzeroPadding);
}

#[test]
fn rejects_reversed_block_ids() {
    let mut bytes = table(&[(5, "a")]);
    put_u32(&mut bytes, 8, 4);
    assert_eq!(
        read(&bytes).unwrap_err().kind,
        DefectKind::BlockIdsReversed { low: 5, high: 4 }
    );
}

#[test]
fn rejects_unsorted_blocks_and_lenient_keeps_each_id_once() {
    let mut bytes = table(&[(1, "one"), (3, "three")]);
    // Make the second block claim id 1 as well: ids not ascending.
    put_u32(&mut bytes, 16, 1);
    put_u32(&mut bytes, 20, 1);
    let err = read(&bytes).unwrap_err();
    assert!(matches!(
        err.kind,
        DefectKind::BlockNotAscending {
            low: 1,
            previous_high: 1
        }
    ));
    let (t, defects) = read_lenient(&bytes);
    assert_eq!(t.entries.len(), 1);
    assert_eq!(t.entries[0].text(CodePage::UTF8), "one");
    assert!(defects.iter().any(|d| d.kind == DefectKind::DuplicateId));
}

#[test]
fn blocks_sharing_entries_do_not_multiply_them() {
    // 1000 blocks, each claiming 65536 ids over the same single entry area: a reader that
    // followed them all would produce 65 million entries.
    let entry = table(&[(0, "x")]);
    let body = &entry[16..];
    let count = 1000usize;
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&(count as u32).to_le_bytes());
    let entries_at = 4 + 12 * count;
    for block in 0..count as u32 {
        bytes.extend_from_slice(&(block << 16).to_le_bytes());
        bytes.extend_from_slice(&((block << 16) | 0xFFFF).to_le_bytes());
        bytes.extend_from_slice(&(entries_at as u32).to_le_bytes());
    }
    bytes.extend_from_slice(body);
    assert!(read(&bytes).is_err());
    let (t, defects) = read_lenient(&bytes);
    assert!(t.entries.len() <= bytes.len() / 4);
    assert!(!defects.is_empty());
    assert!(defects.len() <= 2 * count + 2);
}

#[test]
fn every_truncation_of_a_real_table_is_an_error_or_a_prefix() {
    let bytes = table(&[
        (1, "Hello"),
        (2, "World"),
        (10, "Ten"),
        (0xC000_0001, "high"),
    ]);
    for len in 0..bytes.len() {
        let cut = &bytes[..len];
        if let Ok(t) = read(cut) {
            panic!(
                "truncation to {len} bytes read as {} entries",
                t.entries.len()
            );
        }
        let (t, defects) = read_lenient(cut);
        assert!(!defects.is_empty());
        assert!(t.entries.len() <= 4);
    }
    assert_eq!(read(&bytes).unwrap().entries.len(), 4);
}
