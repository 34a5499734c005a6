//! Any bytes as a record's XML: `record_from_xml` returns a record or an error, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = werr_evtx::record_from_xml(data, 0, String::new, false);
});
