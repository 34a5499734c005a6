//! The page reader on arbitrary text: no panic; every entry has a code name, a line inside
//! the page and a plain text without markup; every skip names a line inside the page.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = if data.first().is_some_and(|b| b & 1 == 1) {
        "debugger/bug-check-0x1--apc-index-mismatch.md"
    } else {
        "com/com-error-codes-1.md"
    };
    let page = werr_msdocs::read_page(path, text);
    let lines = text.split('\n').count() as u32;
    for e in &page.entries {
        assert!(werr_msdocs::is_name(&e.name), "{:?}", e.name);
        assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
        if let Some(t) = &e.text {
            assert!(!t.is_empty() && t.trim() == t, "{t:?}");
        }
        if e.alias_of.is_none() {
            assert_eq!(e.value.is_some(), e.value_text.is_some(), "{e:?}");
        }
    }
    for s in &page.skipped {
        assert!(s.line >= 1 && s.line <= lines, "skip at line {} of {lines}", s.line);
    }
    let _ = werr_msdocs::plain_text(text);
    let _ = werr_msdocs::is_docfx_page(data);
});
