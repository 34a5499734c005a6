//! The table reader on arbitrary bytes: no panic; a strictly valid table reads the same
//! leniently and survives a write/read round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_msgtable::{read, read_lenient, write, CodePage};

fuzz_target!(|data: &[u8]| {
    let (lenient, defects) = read_lenient(data);
    assert!(lenient.entries.len() <= data.len() / 4);
    for entry in &lenient.entries {
        let _ = entry.text(CodePage(932));
    }
    if let Ok(strict) = read(data) {
        assert!(defects.is_empty());
        assert_eq!(strict, lenient);
        let owned = strict.to_table();
        let bytes = write(&owned).expect("a table that was read can be written");
        assert_eq!(read(&bytes).expect("written tables read back").to_table(), owned);
    }
});
