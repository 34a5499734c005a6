//! Message tables of real modules: Wine 8.0 (33 languages), pywin32 (built by mc.exe) and a
//! Windows 10 DLL; every text equal to an independent reader (pefile, tests/support/).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use werr_msgtable::{extract, lang, read, FileKind, ResourceName};

const WINE: &str = "libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

/// (fixture path, languages, entries per language; 0 languages means "one, 0x409").
fn cases() -> Vec<(PathBuf, usize, usize)> {
    let mut out = Vec::new();
    let wine = [
        ("kernelbase.dll", 33, 761),
        ("mferror.dll", 32, 101),
        ("wininet.dll", 22, 12),
        ("fsutil.exe", 17, 3),
    ];
    for (file, langs, entries) in wine {
        if let Some(p) = werr_testdata::fixture(&format!("{WINE}/{file}")) {
            out.push((p, langs, entries));
        }
    }
    let pywin32 = [
        ("win32/servicemanager.pyd", 62),
        ("win32/win32evtlog.pyd", 36),
        ("win32/win32service.pyd", 36),
        ("win32/perfmondata.dll", 8),
        ("isapi/PyISAPI_loader.dll", 5),
    ];
    for (file, entries) in pywin32 {
        if let Some(p) = werr_testdata::fixture(&format!("pywin32-312/{file}")) {
            out.push((p, 0, entries));
        }
    }
    if let Some(p) = werr_testdata::cargo_registry_file("evtx-", "samples/dlls/adtschema.dll") {
        out.push((p, 0, 544));
    }
    out
}

type Tables = Vec<(String, u16, Vec<(u32, u16, String)>)>;

fn ours(path: &Path) -> Tables {
    let bytes = std::fs::read(path).unwrap();
    let found = extract(&bytes, 0).unwrap();
    assert!(matches!(found.kind, FileKind::Pe32 | FileKind::Pe64));
    assert_eq!(found.problems, vec![], "{}", path.display());
    found
        .tables
        .iter()
        .map(|t| {
            let table = read(t.data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let cp = lang::ansi_code_page(t.langid);
            let entries = table
                .entries
                .iter()
                .map(|e| (e.id, e.encoding.flags(), e.text(cp).into_owned()))
                .collect();
            let name = match &t.name {
                ResourceName::Id(id) => id.to_string(),
                ResourceName::Name(n) => n.clone(),
            };
            (name, t.langid, entries)
        })
        .collect()
}

#[test]
fn counts_of_languages_and_entries_match_the_issue() {
    for (path, langs, entries) in cases() {
        let tables = ours(&path);
        if langs == 0 {
            assert_eq!(tables.len(), 1, "{}", path.display());
            assert_eq!(tables[0].1, 0x409, "{}", path.display());
        } else {
            assert_eq!(tables.len(), langs, "{}", path.display());
        }
        for (_, langid, t) in &tables {
            assert_eq!(t.len(), entries, "{} lang 0x{langid:x}", path.display());
            assert!(t.iter().all(|e| e.1 == 1), "all UTF-16: {}", path.display());
        }
    }
}

/// Hand-checked texts of Wine's kernelbase.dll.
#[test]
fn kernelbase_texts_in_several_languages() {
    let Some(path) = werr_testdata::fixture(&format!("{WINE}/kernelbase.dll")) else {
        return;
    };
    let tables = ours(&path);
    let text = |langid: u16, id: u32| {
        let t = tables.iter().find(|t| t.1 == langid).unwrap();
        t.2.iter().find(|e| e.0 == id).unwrap().2.clone()
    };
    assert_eq!(text(0x409, 5), "Access denied.\n");
    assert_eq!(text(0x7, 5), "Zugriff verweigert.\n");
    assert_eq!(text(0x19, 5), "Доступ запрещён.\n");
    assert_eq!(text(0x11, 5), "アクセスが拒否されました。\n");
    assert_eq!(text(0x7, 0x3ee), "Datei ungültig.\n");
    // Wine's private ids: 0x8018 is Asturian, 0x80a5 Esperanto (partly translated).
    assert_eq!(text(0x8018, 1), "La función nun ye válida.\n");
    assert_eq!(text(0x80a5, 2), "Dosiero ne estis trovita.\n");
    assert_eq!(lang::tag_of(0x8018), "ast");
    assert_eq!(lang::tag_of(0x80a5), "eo");
}

fn pefile_python() -> Option<PathBuf> {
    let candidate = std::env::var_os("WERR_PEFILE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| werr_testdata::cache_dir().join("pefile-venv/bin/python"));
    if candidate.exists() {
        return Some(candidate);
    }
    let message = format!(
        "python with pefile not found at {} (scripts/setup-deps creates it)",
        candidate.display()
    );
    assert!(!werr_testdata::in_ci(), "{message}");
    eprintln!("SKIPPED: {message}");
    None
}

#[test]
fn every_text_equals_the_independent_pefile_reader() {
    let cases = cases();
    let Some(python) = pefile_python() else {
        return;
    };
    if cases.is_empty() {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pefile_tables.py");
    let output = Command::new(python)
        .arg(script)
        .args(cases.iter().map(|c| &c.0))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let theirs: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&output.stdout).unwrap();
    let mut compared = 0;
    for (path, _, _) in &cases {
        let mine = ours(path);
        let reference = &theirs[&path.display().to_string()];
        let reference: Tables = reference
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let name = match &t["name"] {
                    serde_json::Value::Number(n) => n.to_string(),
                    other => other.as_str().unwrap().to_string(),
                };
                let entries = t["entries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            e[0].as_u64().unwrap() as u32,
                            e[1].as_u64().unwrap() as u16,
                            e[2].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                (name, t["langid"].as_u64().unwrap() as u16, entries)
            })
            .collect();
        assert_eq!(mine, reference, "{}", path.display());
        compared += mine.iter().map(|t| t.2.len()).sum::<usize>();
    }
    eprintln!("compared {compared} texts with pefile");
}

/// Tables built by mc.exe (pywin32, adtschema.dll) and by Wine's wmc come out of the writer
/// byte for byte after a read.
#[test]
fn rewriting_real_tables_gives_the_same_bytes() {
    for (path, _, _) in cases() {
        let bytes = std::fs::read(&path).unwrap();
        for t in extract(&bytes, 0).unwrap().tables {
            let table = read(t.data).unwrap().to_table();
            let again = werr_msgtable::write(&table).unwrap();
            assert!(
                again == t.data,
                "{} lang 0x{:x}: {} bytes written, {} stored",
                path.display(),
                t.langid,
                again.len(),
                t.data.len()
            );
        }
    }
}
