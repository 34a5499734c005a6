//! What the reader finds in every page under the folders given: per page its entries, what
//! it skipped, its layouts and title, then the totals. `V=1` lists every entry and skip;
//! `NAME=X` prints the entries named X in full.
//!
//! `cargo run --release -p werr-msdocs --example survey -- ../shared/corpus/msdocs/win32`
fn main() {
    let mut pages = 0;
    let mut with = 0;
    let mut entries = 0;
    let mut skipped = 0;
    let verbose = std::env::var("V").is_ok();
    for root in std::env::args().skip(1) {
        let mut stack = vec![std::path::PathBuf::from(&root)];
        let mut files = Vec::new();
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                for e in std::fs::read_dir(&p).unwrap() {
                    stack.push(e.unwrap().path());
                }
            } else if p.extension().is_some_and(|e| e == "md") {
                files.push(p);
            }
        }
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let rel = f.strip_prefix(&root).unwrap().display().to_string();
            let page = werr_msdocs::read_page(&rel, &text);
            pages += 1;
            if !page.entries.is_empty() {
                with += 1;
            }
            entries += page.entries.len();
            skipped += page.skipped.len();
            let layouts: Vec<&str> = page.layouts().iter().map(|l| l.name()).collect();
            println!(
                "PAGE {rel} entries={} skipped={} layouts={layouts:?} title={:?}",
                page.entries.len(),
                page.skipped.len(),
                page.title
            );
            if let Ok(want) = std::env::var("NAME") {
                for e in page.entries.iter().filter(|e| e.name == want) {
                    println!(
                        "{rel}:{} {:?} {:?} {:?} {:?}",
                        e.line, e.layout, e.value, e.value_text, e.text
                    );
                }
            }
            if verbose {
                for e in &page.entries {
                    println!(
                        "  {}:{} {} = {:?} [{:?}] {:?}",
                        rel,
                        e.line,
                        e.name,
                        e.value.map(|v| format!("0x{v:08X}")),
                        e.value_text,
                        e.text
                            .as_deref()
                            .map(|t| t.chars().take(100).collect::<String>())
                    );
                }
                for s in &page.skipped {
                    println!("  SKIP {}:{} {}", rel, s.line, s.reason);
                }
            }
        }
    }
    println!("pages={pages} with_entries={with} entries={entries} skipped={skipped}");
}
