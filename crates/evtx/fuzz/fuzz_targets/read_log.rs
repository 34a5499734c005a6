//! Any bytes as an event log: `read_log` must never panic, and every item it yields is a
//! record or a problem with an offset inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_evtx::{read_log, LogItem, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        threads: 1,
        recover_records: false,
        via_xml: false,
        pin_threads: false,
    };
    let _ = read_log(data, &options, |item| {
        if let LogItem::Problem(p) = item {
            assert!(p.offset <= data.len() as u64, "{p}");
        }
    });
});
