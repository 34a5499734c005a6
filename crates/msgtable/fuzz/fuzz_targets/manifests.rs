//! Event manifests on arbitrary bytes: `read_manifest` on the bytes themselves, and the
//! `WEVT_TEMPLATE` walk of a PE module: no panic, no hang, bounded memory; every resource found
//! is inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_msgtable::{read_manifest, wevt_templates};

fuzz_target!(|data: &[u8]| {
    let _ = read_manifest(data);
    if let Ok(found) = wevt_templates(data) {
        for resource in &found.tables {
            assert!(resource.file_offset + resource.data.len() <= data.len());
            let _ = read_manifest(resource.data);
        }
    }
});
