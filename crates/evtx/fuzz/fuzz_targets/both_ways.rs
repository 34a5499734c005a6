//! Any bytes as an event log, read from template values and through XML: both readers must
//! never panic and must yield the same items (records and problems), as the tests require on
//! the corpus and on damaged copies of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_evtx::{read_log_items, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let read = |via_xml| {
        let options = ReadOptions {
            threads: 1,
            recover_records: false,
            via_xml,
        };
        read_log_items(data, &options).map(|items| format!("{items:?}"))
    };
    assert_eq!(read(false), read(true));
});
