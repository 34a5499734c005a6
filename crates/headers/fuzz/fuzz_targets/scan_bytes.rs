//! Any bytes: the scanner must not panic, and what it returns must be consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = werr_headers::scan_bytes("fuzz.h", data);
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    for d in &file.definitions {
        assert!(d.line >= 1 && d.line <= lines, "line {} of {lines}", d.line);
        assert!(d.group.is_none_or(|g| g < file.groups.len()));
        assert!(d.value.is_some() || d.unevaluated_reason.is_some());
    }
    for diag in &file.diagnostics {
        assert!(diag.line >= 1 && diag.line <= lines);
    }
    let rule = werr_headers::CodeRule::new(&file);
    let _ = file.definitions.iter().filter(|d| rule.is_code(d)).count();
    let mut files = vec![file];
    werr_headers::resolve_across(&mut files);
});
