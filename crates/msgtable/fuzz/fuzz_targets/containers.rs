//! The container walk (PE32/PE32+ resource directories, .res, raw .bin) on arbitrary bytes:
//! no panic, no hang, bounded memory; every table found is inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_msgtable::{extract, read_lenient};

fuzz_target!(|data: &[u8]| {
    if let Ok(found) = extract(data, 0x409) {
        for table in &found.tables {
            assert!(table.file_offset + table.data.len() <= data.len());
            let _ = read_lenient(table.data);
        }
    }
});
