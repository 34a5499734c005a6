//! Microsoft's documentation pages as a KB source: the embedded `data/msdocs-*.tsv` are what
//! the importer reads from the corpus, every text sits on a name its page gives at the
//! stored line, each code's layout is its family's, and the texts lead where they should.

use std::collections::{BTreeMap, HashMap, HashSet};
use werr_codes::Scheme;
use werr_kb::{Importer, Kb, MsdocsImporter, NoProgress, SourceInfo, SourceRow};

/// The repository folder each corpus folder's pages sit in (the corpus's SOURCE.txt).
const FOLDERS: [(&str, &str); 2] = [
    ("win32", "desktop-src/"),
    ("driver", "windows-driver-docs-pr/"),
];

fn source(kb: &Kb, kit: &str) -> SourceInfo {
    kb.sources()
        .unwrap()
        .into_iter()
        .find(|s| s.kit == kit)
        .unwrap_or_else(|| panic!("the KB has {kit}"))
}

/// The values the embedded KB's header and metadata sources give each name (what the
/// importer checks pages against when `scripts/refresh-data` runs).
fn other_sources_values(kb: &Kb) -> HashMap<String, Vec<u32>> {
    let mut stmt = kb
        .connection()
        .prepare(
            "SELECT DISTINCT s.name, o.value FROM occurrences o JOIN symbols s ON s.id = o.symbol \
             JOIN sources src ON src.id = o.source \
             WHERE o.value IS NOT NULL AND src.kit NOT LIKE 'msdocs-%'",
        )
        .unwrap();
    let mut out: HashMap<String, Vec<u32>> = HashMap::new();
    for row in stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))
        .unwrap()
    {
        let (name, value) = row.unwrap();
        out.entry(name).or_default().push(value);
    }
    out
}

#[test]
fn embedded_pages_are_what_the_importer_reads_from_the_corpus() {
    let Some(root) = werr_testdata::corpus("msdocs") else {
        return;
    };
    let embedded = Kb::embedded().unwrap();
    let known = other_sources_values(&embedded);
    let mut fresh = Kb::in_memory().unwrap();
    for (folder, prefix) in FOLDERS {
        let wanted = source(&embedded, &format!("msdocs-{folder}"));
        assert_eq!(wanted.license, "CC-BY-4.0");
        assert!(
            wanted.origin.starts_with("Microsoft Learn documentation")
                && wanted.origin.contains(prefix),
            "{}",
            wanted.origin
        );
        let importer = MsdocsImporter::new(prefix, known.clone());
        let started = std::time::Instant::now();
        let summary = fresh
            .import_paths(
                &SourceRow {
                    kit: wanted.kit.clone(),
                    version: wanted.version.clone(),
                    origin: wanted.origin.clone(),
                    license: wanted.license.clone(),
                },
                &[root.join(folder)],
                &[&importer as &dyn Importer],
                &NoProgress,
            )
            .unwrap();
        eprintln!(
            "msdocs-{folder}: {} pages stored, {} definitions, {} issues, imported in {:?}",
            summary.files,
            summary.definitions,
            summary.issues.len(),
            started.elapsed()
        );
        let got = source(&fresh, &wanted.kit);
        assert!(
            embedded.export_source(&wanted).unwrap() == fresh.export_source(&got).unwrap(),
            "data/msdocs-{folder}-*.tsv differs from a fresh import: run scripts/refresh-data"
        );
    }
}

/// Every msdocs definition of the embedded KB: (kit, file, line, name, value, category,
/// text).
type Row = (String, String, u32, String, u32, String, Option<String>);

fn msdocs_rows(kb: &Kb) -> Vec<Row> {
    let mut stmt = kb
        .connection()
        .prepare(
            "SELECT src.kit, f.path, o.line, s.name, o.value, o.category, o.message_text \
             FROM occurrences o JOIN symbols s ON s.id = o.symbol JOIN files f ON f.id = o.file \
             JOIN sources src ON src.id = o.source WHERE src.kit LIKE 'msdocs-%'",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

#[test]
fn every_text_sits_on_a_name_its_page_gives_at_that_line() {
    let Some(root) = werr_testdata::corpus("msdocs") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    let rows = msdocs_rows(&kb);
    let mut pages: HashMap<String, Vec<String>> = HashMap::new();
    for (kit, file, line, name, ..) in &rows {
        let folder = kit.strip_prefix("msdocs-").unwrap();
        let (_, prefix) = FOLDERS.iter().find(|(f, _)| *f == folder).unwrap();
        let lines = pages.entry(file.clone()).or_insert_with(|| {
            let rel = file
                .strip_prefix(prefix)
                .expect("stored under the repository folder");
            std::fs::read_to_string(root.join(folder).join(rel))
                .expect("the page")
                .lines()
                .map(str::to_string)
                .collect()
        });
        let at = &lines[*line as usize - 1];
        let escaped = name.replace('_', "\\_");
        let split = name.split('_').next().unwrap_or(name);
        assert!(
            at.contains(name.as_str()) || at.contains(&escaped) || at.contains(split),
            "{file}:{line} does not name {name}: {at:?}"
        );
    }
}

/// The family of a page, for the counts of the report.
fn family(file: &str) -> &'static str {
    let f = file.split_once('/').map_or(file, |(_, r)| r);
    if f.starts_with("Debug/system-error-codes") {
        "Win32 system errors"
    } else if f.starts_with("com/com-error-codes") {
        "COM HRESULTs (winerror.h)"
    } else if f.starts_with("debugger/bug-check") {
        "bug checks"
    } else if f.starts_with("extensible-storage-engine/") {
        "ESE"
    } else if f.starts_with("WinSock/") {
        "WinSock"
    } else if f.starts_with("Wua_Sdk/") {
        "Windows Update"
    } else if f.starts_with("Msi/") {
        "MSI"
    } else if f.starts_with("WmiSdk/") {
        "WMI"
    } else if f.starts_with("RRAS/") || f.starts_with("NetMgmt/") {
        "RAS and NetMgmt"
    } else {
        "other lists"
    }
}

#[test]
fn counts_per_family_and_what_the_documentation_adds() {
    let kb = Kb::embedded().unwrap();
    let rows = msdocs_rows(&kb);
    let mut per_family: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (_, file, _, _, _, _, text) in &rows {
        let e = per_family.entry(family(file)).or_default();
        e.0 += 1;
        e.1 += usize::from(text.is_some());
    }
    // Names and texts the other sources do not have.
    let mut stmt = kb
        .connection()
        .prepare(
            "SELECT s.name, src.kit, o.message_text IS NOT NULL FROM occurrences o \
             JOIN symbols s ON s.id = o.symbol JOIN sources src ON src.id = o.source",
        )
        .unwrap();
    let mut others: HashSet<String> = HashSet::new();
    let mut others_with_text: HashSet<String> = HashSet::new();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })
        .unwrap()
    {
        let (name, kit, has_text) = row.unwrap();
        if !kit.starts_with("msdocs-") {
            if has_text {
                others_with_text.insert(name.clone());
            }
            others.insert(name);
        }
    }
    let names: HashSet<&String> = rows.iter().map(|r| &r.3).collect();
    let new_names = names.iter().filter(|n| !others.contains(**n)).count();
    let with_text: HashSet<&String> = rows
        .iter()
        .filter(|r| r.6.is_some())
        .map(|r| &r.3)
        .collect();
    let new_texts = with_text
        .iter()
        .filter(|n| !others_with_text.contains(**n))
        .count();
    eprintln!(
        "msdocs in the default KB: {} definitions of {} names ({new_names} new to the KB), \
         {} names with a text ({new_texts} had no definition text before); per family \
         (definitions, with text): {per_family:?}",
        rows.len(),
        names.len(),
        with_text.len()
    );
    // Floors measured on the corpus; a drop is a regression of the reader or the rule.
    assert!(rows.len() >= 9_400, "{} definitions", rows.len());
    // Names no other source has (the header rules take most families the pages list).
    assert!(new_names >= 900, "{new_names} new names");
    assert!(with_text.len() >= 9_000, "{} texts", with_text.len());
    let floors = [
        ("Win32 system errors", 2_700),
        ("COM HRESULTs (winerror.h)", 2_550),
        ("bug checks", 425),
        ("ESE", 350),
    ];
    for (f, floor) in floors {
        let n = per_family.get(f).map_or(0, |c| c.0);
        assert!(n >= floor, "{f}: {n}");
    }
}

#[test]
fn codes_keep_their_family_layout() {
    let kb = Kb::embedded().unwrap();
    let all = msdocs_rows(&kb);
    // The value and layout of a name's leading definition (its first, by page rank); every
    // other page's definition of the name has the same layout.
    let scheme_of = |name: &str| {
        let rows: Vec<&Row> = all.iter().filter(|r| r.3 == name).collect();
        let schemes: HashSet<Option<Scheme>> = rows
            .iter()
            .map(|r| werr_kb::scheme_of(&r.3, "", &r.5, r.4))
            .collect();
        assert_eq!(schemes.len(), 1, "{name}: {rows:?}");
        (
            rows[0].4,
            werr_kb::scheme_of(&rows[0].3, "", &rows[0].5, rows[0].4),
        )
    };
    assert_eq!(scheme_of("ERROR_ACCESS_DENIED"), (5, Some(Scheme::Win32)));
    assert_eq!(scheme_of("WSAEACCES"), (10013, Some(Scheme::Win32)));
    assert_eq!(scheme_of("E_FAIL").1, Some(Scheme::Hresult));
    assert_eq!(
        scheme_of("WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL"),
        (0x8024_4022, Some(Scheme::Hresult))
    );
    // DXGI_ERROR_* have no `E_` word: the page's WinError.h family says HRESULT.
    assert_eq!(
        scheme_of("DXGI_ERROR_DEVICE_REMOVED").1,
        Some(Scheme::Hresult)
    );
    // Bug checks follow no layout, whatever their bits.
    assert_eq!(scheme_of("IRQL_NOT_LESS_OR_EQUAL"), (0xA, None));
    assert_eq!(scheme_of("WINLOGON_FATAL_ERROR"), (0xC000_021A, None));
    // ESE's negative errors are none of the layouts either.
    assert_eq!(scheme_of("JET_errOutOfMemory"), (0xFFFF_FC0D, None));
}

#[test]
fn the_documentation_text_leads_with_its_credit() {
    let kb = Kb::embedded().unwrap();
    let cases = [
        (
            "ERROR_ACCESS_DENIED",
            "Access is denied.",
            "desktop-src/Debug/system-error-codes--0-499-.md",
        ),
        (
            "ERROR_MOD_NOT_FOUND",
            "The specified module could not be found.",
            "desktop-src/Debug/system-error-codes--0-499-.md",
        ),
        (
            "E_FAIL",
            "Unspecified error",
            "desktop-src/com/com-error-codes-1.md",
        ),
        (
            "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL",
            "Same as HTTP status 503 – The service is temporarily overloaded.",
            "desktop-src/Wua_Sdk/wua-networking-error-codes-.md",
        ),
        (
            "JET_errOutOfMemory",
            "The system is out of memory.",
            "desktop-src/extensible-storage-engine/extensible-storage-engine-error-codes.md",
        ),
        (
            "WSAEACCES",
            "An attempt was made to access a socket in a way forbidden by its access permissions.",
            "desktop-src/Debug/system-error-codes--9000-11999-.md",
        ),
    ];
    for (name, text, file) in cases {
        let r = kb
            .record(name, &werr_kb::lang::LangRequest::ANY)
            .unwrap()
            .expect(name);
        assert_eq!(r.description.as_deref(), Some(text), "{name}");
        let s = r.description_source.expect("a source");
        assert_eq!(
            (s.file.as_str(), s.license.as_str()),
            (file, "CC-BY-4.0"),
            "{name}"
        );
        assert!(s.origin.starts_with("Microsoft Learn documentation"));
    }
    // A Win32 name a page writes with its HRESULT (HRESULT_FROM_WIN32) keeps its Win32 value.
    let values: HashSet<u32> = msdocs_rows(&kb)
        .into_iter()
        .filter(|r| r.3 == "ERROR_ACCESS_DENIED")
        .map(|r| r.4)
        .collect();
    assert_eq!(values, HashSet::from([5]));
}
