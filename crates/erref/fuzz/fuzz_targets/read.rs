//! The [MS-ERREF] table reader on arbitrary bytes: no panic; an error points inside the input;
//! what it reads is where it says (each entry's text as written sits on its line).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = 1 + data.iter().filter(|b| **b == b'\n' || **b == b'\r').count();
    match werr_erref::read(data) {
        Err(e) => assert!(e.line >= 1 && e.line as usize <= lines && e.column >= 1),
        Ok(table) => {
            for entry in &table.entries {
                assert!(entry.line >= 1 && entry.line as usize <= lines);
                assert!(entry.written.starts_with(&entry.literal));
            }
            for constant in &table.constants {
                assert!(constant.written.starts_with(&constant.name));
            }
        }
    }
});
