//! Any bytes as an event log, read from template values and through XML: both readers must
//! never panic and must yield the same items (records and problems), as the tests require on
//! the corpus and on damaged copies of it. A third read copies each chunk's items, whose
//! records' storage the reader then reuses for the next chunks: reuse must change nothing either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_evtx::{read_log_chunks, read_log_items, LogItem, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let options = |via_xml| ReadOptions {
        threads: 1,
        recover_records: false,
        via_xml,
        pin_threads: false,
    };
    let read = |via_xml| read_log_items(data, &options(via_xml)).map(|items| format!("{items:?}"));
    let from_templates = read(false);
    assert_eq!(from_templates, read(true));
    let mut copies = Vec::new();
    let reused = read_log_chunks(
        data,
        &options(false),
        |items: &[LogItem]| items.to_vec(),
        |chunk| {
            copies.extend(chunk);
            std::ops::ControlFlow::Continue(())
        },
    );
    assert_eq!(from_templates, reused.map(|()| format!("{copies:?}")));
});
