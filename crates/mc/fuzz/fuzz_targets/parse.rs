//! Any bytes through the decoder, the parser and (when it parses) the compiler: no panic, and
//! every error has a location.
#![no_main]

use libfuzzer_sys::fuzz_target;
use werr_mc::{compile, decode_source, parse, CompileOptions, InputEncoding, ParseOptions};

fuzz_target!(|data: &[u8]| {
    for how in [InputEncoding::Detect, InputEncoding::Utf16, InputEncoding::Ansi(932)] {
        let Ok(text) = decode_source(data, how) else {
            continue;
        };
        match parse(&text, ParseOptions::default()) {
            Ok(file) => {
                let _ = compile(&file, &CompileOptions::default());
                let ansi = CompileOptions {
                    ansi_tables: true,
                    no_final_line_end: true,
                    ..CompileOptions::default()
                };
                let _ = compile(&file, &ansi);
            }
            Err(e) => assert!(e.line >= 1 && e.column >= 1, "unlocated error {e:?}"),
        }
    }
});
