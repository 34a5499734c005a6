//! The [MS-ERREF] tables (impacket 0.13.1's packaging) in the default KB.

use werr_codes::Scheme;
use werr_kb::{ErrefImporter, Importer, Kb, NoProgress, SourceInfo, SourceRow};

fn erref_source(kb: &Kb) -> SourceInfo {
    kb.sources()
        .unwrap()
        .into_iter()
        .find(|s| s.kit == "ms-erref")
        .expect("the KB has the ms-erref source")
}

#[test]
fn embedded_erref_is_what_the_importer_reads_from_impacket() {
    let Some(dir) = werr_testdata::fixture("impacket-0.13.1") else {
        return;
    };
    let embedded = Kb::embedded().unwrap();
    let wanted = erref_source(&embedded);
    let mut fresh = Kb::in_memory().unwrap();
    let summary = fresh
        .import_paths(
            &SourceRow {
                kit: wanted.kit.clone(),
                version: wanted.version.clone(),
                origin: wanted.origin.clone(),
                license: wanted.license.clone(),
            },
            &[dir],
            &[&ErrefImporter as &dyn Importer],
            &NoProgress,
        )
        .unwrap();
    assert_eq!(summary.files, 3);
    assert!(summary.issues.is_empty(), "{:?}", summary.issues);
    assert!(
        embedded.export_source(&wanted).unwrap()
            == fresh.export_source(&erref_source(&fresh)).unwrap(),
        "data/ms-erref-impacket-0.13.1.tsv differs from a fresh import: run scripts/refresh-data"
    );
}

#[test]
fn names_carry_the_specification_text_with_file_and_line() {
    let kb = Kb::embedded().unwrap();
    for (name, file, value, scheme, text) in [
        (
            "ERROR_ACCESS_DENIED",
            "impacket/system_errors.py",
            5,
            Scheme::Win32,
            "Access is denied.",
        ),
        (
            "ERROR_INSTALL_FAILURE",
            "impacket/system_errors.py",
            1603,
            Scheme::Win32,
            "Fatal error during installation.",
        ),
        (
            "E_FAIL",
            "impacket/hresult_errors.py",
            0x8000_4005,
            Scheme::Hresult,
            "Unspecified error.",
        ),
        (
            "STATUS_INSUFFICIENT_RESOURCES",
            "impacket/nt_errors.py",
            0xC000_009A,
            Scheme::Ntstatus,
            "Insufficient system resources exist to complete the API.",
        ),
    ] {
        let erref: Vec<_> = kb
            .occurrences_of(name)
            .unwrap()
            .into_iter()
            .filter(|o| o.kit == "ms-erref")
            .collect();
        assert_eq!(erref.len(), 1, "{name}");
        let o = &erref[0];
        assert_eq!(
            (o.file.as_str(), o.value, o.scheme()),
            (file, Some(value), Some(scheme)),
            "{name}"
        );
        assert_eq!(o.message_text.as_deref(), Some(text), "{name}");
        // The line is the entry's own: it writes the name and the text.
        let Some(path) = werr_testdata::fixture(&format!("impacket-0.13.1/{file}")) else {
            return;
        };
        let source = std::fs::read_to_string(path).unwrap();
        let line = source.lines().nth(o.line as usize - 1).unwrap();
        assert!(
            line.contains(&format!("\"{name}\"")) && line.contains(text),
            "{name}: {line}"
        );
    }
}
