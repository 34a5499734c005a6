//! Any bytes as a message table: decompiling never panics, and what it accepts recompiles to
//! the same bytes (the decompiler checks that itself and errors otherwise).
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_mc::{decompile, SourceTable};

fuzz_target!(|data: &[u8]| {
    let _ = decompile(&[SourceTable {
        langid: 0x409,
        bytes: data.to_vec(),
    }]);
});
