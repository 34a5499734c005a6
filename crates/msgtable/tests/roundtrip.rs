//! Any table written reads back as itself, strictly, with the layout the format prescribes.

use proptest::prelude::*;
use werr_msgtable::{read, write, CodePage, Encoding, Entry, MessageTable};

fn entry() -> impl Strategy<Value = Entry> {
    prop_oneof![
        "[^\u{0}]{0,40}".prop_map(|s| Entry::unicode(&s)),
        "[^\u{0}]{0,40}".prop_map(|s| Entry::utf8(&s)),
        "[ -~\u{a0}-\u{ff}]{0,40}".prop_map(|s| Entry::ansi(&s, CodePage(1252)).unwrap()),
    ]
}

fn table() -> impl Strategy<Value = MessageTable> {
    // Ids clustered so that runs of consecutive ids (blocks) occur.
    prop::collection::btree_map(prop_oneof![0u32..64, any::<u32>()], entry(), 0..40)
        .prop_map(|entries| MessageTable { entries })
}

proptest! {
    #[test]
    fn written_tables_read_back_strictly(t in table()) {
        let bytes = write(&t).unwrap();
        let back = read(&bytes).unwrap();
        prop_assert_eq!(back.to_table(), t.clone());
        // Layout: count, blocks of consecutive ids, entries 4-aligned and in id order.
        let count = u32::from_le_bytes(bytes[0..4].try_into().unwrap()) as usize;
        let ids: Vec<u32> = t.entries.keys().copied().collect();
        let runs = ids.windows(2).filter(|w| w[1] != w[0] + 1).count() + usize::from(!ids.is_empty());
        prop_assert_eq!(count, runs);
        let mut expected_offset = 4 + 12 * count;
        for e in &back.entries {
            prop_assert_eq!(e.offset, expected_offset);
            let length = u16::from_le_bytes([bytes[e.offset], bytes[e.offset + 1]]) as usize;
            prop_assert_eq!(length % 4, 0);
            expected_offset += length;
        }
        prop_assert_eq!(expected_offset, bytes.len());
        for e in &back.entries {
            let text = e.text(CodePage(1252));
            let original = t.get(e.id).unwrap();
            prop_assert_eq!(text, original.text(CodePage(1252)));
            if e.encoding == Encoding::Unicode {
                prop_assert_eq!(e.bytes.len() % 2, 0);
            }
        }
    }
}
