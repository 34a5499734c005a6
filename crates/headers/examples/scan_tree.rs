//! Scans every file of a header tree and prints counts and timing:
//! `cargo run --release -p werr-headers --example scan_tree -- DIR [--dump NAME_SUBSTRING]`.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: scan_tree DIR [--unevaluated] [--codes]");
        std::process::exit(2);
    };
    let root = Path::new(root);
    let mut paths = Vec::new();
    walk(root, &mut paths);
    paths.sort();
    let read_start = Instant::now();
    let files: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, std::fs::read(p).ok()?))
        })
        .collect();
    let read = read_start.elapsed();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let scan_start = Instant::now();
    let mut scanned: Vec<_> = files
        .iter()
        .map(|(rel, b)| werr_headers::scan_bytes(rel, b))
        .collect();
    let scan = scan_start.elapsed();
    if args.iter().any(|a| a == "--cpu") {
        // CPU time of this thread (Linux), which other processes on a busy machine do not
        // inflate: the best of five scans of the in-memory tree.
        let cpu = || -> Option<u64> {
            let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
            s.split_whitespace().next()?.parse().ok()
        };
        let mut best = u64::MAX;
        for _ in 0..5 {
            let before = cpu().unwrap_or(0);
            let n: usize = files
                .iter()
                .map(|(rel, b)| werr_headers::scan_bytes(rel, b).definitions.len())
                .sum();
            best = best.min(cpu().unwrap_or(0) - before);
            std::hint::black_box(n);
        }
        let mut again: Vec<_> = files
            .iter()
            .map(|(rel, b)| werr_headers::scan_bytes(rel, b))
            .collect();
        let before = cpu().unwrap_or(0);
        werr_headers::resolve_across(&mut again);
        let resolve_cpu = cpu().unwrap_or(0) - before;
        println!(
            "cpu: scan {:.1} ms (best of 5, {:.0} MB/s), resolve_across {:.1} ms",
            best as f64 / 1e6,
            bytes as f64 / (best as f64 / 1e9) / 1e6,
            resolve_cpu as f64 / 1e6
        );
        return;
    }
    if args.iter().any(|a| a == "--scan-only") {
        let defs: usize = scanned.iter().map(|f| f.definitions.len()).sum();
        println!(
            "{} files, {} bytes, {defs} definitions; read {read:?}, scan {scan:?}",
            files.len(),
            bytes
        );
        return;
    }
    let resolve_start = Instant::now();
    let resolved = werr_headers::resolve_across(&mut scanned);
    let resolve = resolve_start.elapsed();
    let defs: usize = scanned.iter().map(|f| f.definitions.len()).sum();
    let evaluated: usize = scanned
        .iter()
        .flat_map(|f| &f.definitions)
        .filter(|d| d.value.is_some())
        .count();
    let diags: usize = scanned.iter().map(|f| f.diagnostics.len()).sum();
    let code_headers: Vec<_> = scanned
        .iter()
        .filter(|f| werr_headers::is_code_header(f))
        .collect();
    let codes: usize = scanned
        .iter()
        .map(|f| {
            let rule = werr_headers::CodeRule::new(f);
            f.definitions.iter().filter(|d| rule.is_code(d)).count()
        })
        .sum();
    let codes_valued: usize = scanned
        .iter()
        .map(|f| {
            let rule = werr_headers::CodeRule::new(f);
            f.definitions
                .iter()
                .filter(|d| rule.is_code(d) && d.value.is_some())
                .count()
        })
        .sum();
    println!(
        "{} files, {} bytes; read {:?}, scan {:?}, resolve_across {:?}",
        files.len(),
        bytes,
        read,
        scan,
        resolve
    );
    println!(
        "{defs} definitions: {evaluated} evaluated ({resolved} of them across files), {} unevaluated; {diags} diagnostics",
        defs - evaluated
    );
    println!(
        "{} code headers; {codes} code definitions, {codes_valued} with a value",
        code_headers.len()
    );
    if args.iter().any(|a| a == "--unevaluated") {
        for f in &scanned {
            for d in f.definitions.iter().filter(|d| d.value.is_none()) {
                println!(
                    "U\t{}:{}\t{}\t{}\t{}",
                    f.path,
                    d.line,
                    d.name,
                    d.expression,
                    d.unevaluated_reason.as_deref().unwrap_or("")
                );
            }
        }
    }
    if args.iter().any(|a| a == "--codes") {
        for f in &scanned {
            let rule = werr_headers::CodeRule::new(f);
            let h = rule.code_header();
            let n = f.definitions.iter().filter(|d| rule.is_code(d)).count();
            if n > 0 {
                println!(
                    "C\t{}\t{}\t{}",
                    f.path,
                    if h { "header" } else { "names" },
                    n
                );
            }
        }
    }
    if args.iter().any(|a| a == "--all") {
        for f in &scanned {
            let rule = werr_headers::CodeRule::new(f);
            for d in &f.definitions {
                println!(
                    "A\t{}\t{}\t{}\t{}\t{}\t{}",
                    f.path,
                    d.line,
                    d.name,
                    d.value.map(|v| format!("{v:#010x}")).unwrap_or_default(),
                    d.c_type,
                    rule.is_code(d)
                );
            }
        }
    }
    if let Some(i) = args.iter().position(|a| a == "--file") {
        let wanted = args.get(i + 1).map(String::as_str).unwrap_or("");
        for f in scanned.iter().filter(|f| f.path == wanted) {
            let rule = werr_headers::CodeRule::new(f);
            println!("preamble: {:?}", f.preamble);
            for (i, g) in f.groups.iter().enumerate() {
                println!(
                    "group {i}: {:?} line {} {:?}..{:?}",
                    g.title, g.line, g.first, g.last
                );
            }
            for d in &f.definitions {
                println!(
                    "{}\t{}\t{}\t{:?}\t{}\t{}\tgroup={:?}\tcode={}\tcomments={:?}\tmsg={:?}",
                    d.line,
                    d.name,
                    d.expression,
                    d.value.map(|v| format!("{v:#010x}")),
                    d.c_type,
                    d.category,
                    d.group,
                    rule.is_code(d),
                    d.line_comments,
                    d.message_text
                );
            }
        }
    }
    if args.iter().any(|a| a == "--categories") {
        let mut counts = std::collections::BTreeMap::new();
        for f in &scanned {
            let rule = werr_headers::CodeRule::new(f);
            let h = rule.code_header();
            for d in f
                .definitions
                .iter()
                .filter(|d| rule.is_code(d) && d.value.is_some())
            {
                *counts.entry(d.category.clone()).or_insert(0usize) += 1;
                if d.category == "Constant" {
                    println!("Q\t{}\t{}\t{}", f.path, d.name, d.expression);
                }
            }
            if h {
                println!(
                    "P\t{}\t{:?}",
                    f.path,
                    f.preamble.as_deref().and_then(|p| p.lines().next())
                );
            }
        }
        for (c, n) in counts {
            println!("K\t{n}\t{c}");
        }
    }
    if args.iter().any(|a| a == "--diagnostics") {
        for f in &scanned {
            for d in &f.diagnostics {
                println!("D\t{}:{}:{}\t{}", f.path, d.line, d.column, d.message);
            }
        }
    }
}
