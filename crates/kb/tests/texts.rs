//! The default texts: Wine 8.0's message tables in the embedded KB, each text on the name
//! Wine's own message files give its id (`message_names`), never on a constant that merely
//! shares the value.

use std::path::PathBuf;
use werr_codes::Scheme;
use werr_kb::lang::LangRequest;
use werr_kb::{Kb, SourceRow};

const WINE: &str = "libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows";

fn wine(file: &str) -> Option<PathBuf> {
    werr_testdata::fixture(&format!("{WINE}/{file}"))
}

fn embedded_wine_source(kb: &Kb) -> werr_kb::SourceInfo {
    kb.sources()
        .unwrap()
        .into_iter()
        .find(|s| s.kit == "wine" && s.version == "8.0")
        .expect("the embedded KB has the wine 8.0 source")
}

#[test]
fn embedded_texts_are_what_the_importer_reads_from_the_wine_modules() {
    let (Some(dlls), Some(mcs)) = (
        werr_testdata::fixture(WINE),
        werr_testdata::corpus("wine-mc"),
    ) else {
        return;
    };
    let embedded = Kb::embedded().unwrap();
    let wanted = embedded_wine_source(&embedded);
    assert_eq!(wanted.messages, 33 * 761 + 32 * 101 + 22 * 12);
    let mut fresh = Kb::in_memory().unwrap();
    let assembled = werr_kb::default_sources::wine(
        &dlls,
        &mcs,
        SourceRow {
            kit: wanted.kit.clone(),
            version: wanted.version.clone(),
            origin: wanted.origin.clone(),
            license: wanted.license.clone(),
        },
    )
    .unwrap();
    assert!(assembled.issues.iter().all(|i| !i.skipped_file));
    fresh.store_assembled(&assembled).unwrap();
    let fresh_source = embedded_wine_source(&fresh);
    // Same rows, byte for byte: data/wine-8.0.tsv is up to date with the importers.
    assert!(
        embedded.export_source(&wanted).unwrap() == fresh.export_source(&fresh_source).unwrap(),
        "data/wine-8.0.tsv differs from a fresh import: run scripts/refresh-data"
    );
}

#[test]
fn wine_names_its_table_ids_with_its_own_mc_files() {
    let kb = Kb::embedded().unwrap();
    let record = kb
        .record("ERROR_ACCESS_DENIED", &LangRequest::ANY)
        .unwrap()
        .unwrap();
    let wine = record
        .defined_at
        .iter()
        .find(|d| d.source == "wine" && d.version == "8.0")
        .expect("wine 8.0 names id 5");
    assert_eq!(wine.file, "dlls/kernelbase/winerror.mc");
    let Some(mc) = werr_testdata::corpus("wine-mc/winerror.mc") else {
        return;
    };
    let text = std::fs::read_to_string(mc).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The definition sits at the message's MessageId line, its SymbolicName right below.
    assert_eq!(lines[wine.line as usize - 1], "MessageId=5");
    assert_eq!(
        lines[wine.line as usize],
        "SymbolicName=ERROR_ACCESS_DENIED"
    );
    // The SDK's header stays the name's primary definition.
    assert_eq!(record.defined_at[0].source, "mingw-w64");
    // Every name Wine gives is of its module's id space: Win32 below 0x10000, else HRESULT.
    for (module, mc) in werr_kb::default_sources::WINE_TABLES {
        let Some(path) = werr_testdata::corpus(&format!("wine-mc/{}", werr_kb::module_name(mc)))
        else {
            return;
        };
        let parsed =
            werr_kb::default_sources::wine_mc_names(mc, &std::fs::read(path).unwrap(), module)
                .unwrap();
        assert!(
            parsed.messages.is_empty(),
            "the module's table has the texts"
        );
        assert!(parsed.definitions.len() >= 12, "{mc}");
        for (_, d) in &parsed.definitions {
            let value = d.value.unwrap();
            let scheme = werr_kb::scheme_of(&d.name, &d.c_type, &d.category, value);
            let wanted = if value <= 0xFFFF {
                Scheme::Win32
            } else {
                Scheme::Hresult
            };
            assert_eq!(scheme, Some(wanted), "{mc}: {} = {value:#x}", d.name);
            assert!(d.message_text.is_some(), "{mc}: {}", d.name);
        }
    }
}

#[test]
fn access_denied_has_33_languages_and_the_german_of_kernelbase() {
    let kb = Kb::embedded().unwrap();
    let record = kb
        .record("ERROR_ACCESS_DENIED", &LangRequest::ANY)
        .unwrap()
        .unwrap();
    let kernelbase: Vec<_> = record
        .messages
        .iter()
        .filter(|m| m.source == "wine 8.0 kernelbase.dll")
        .collect();
    assert_eq!(kernelbase.len(), 33, "{:?}", record.messages);
    // Wine's private LANGIDs carry their tags through werr-msgtable's table.
    for (langid, tag) in [
        (0x8018, "ast"),
        (0x80A5, "eo"),
        (0x0007, "de"),
        (0x0409, "en-US"),
    ] {
        assert!(
            kernelbase
                .iter()
                .any(|m| m.langid == langid && m.lang == tag),
            "{langid:#x} {tag}"
        );
    }
    let Some(dll) = wine("kernelbase.dll") else {
        return;
    };
    let bytes = std::fs::read(dll).unwrap();
    let extracted = werr_msgtable::extract(&bytes, 0).unwrap();
    let german = extracted
        .tables
        .iter()
        .find(|t| werr_msgtable::lang::primary_language(t.langid) == 0x07)
        .unwrap();
    let table = werr_msgtable::read(german.data).unwrap();
    let text = table
        .entries
        .iter()
        .find(|e| e.id == 5)
        .unwrap()
        .text(werr_msgtable::lang::ansi_code_page(german.langid));
    let de = kb
        .record("ERROR_ACCESS_DENIED", &LangRequest::parse("de").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(de.messages.len(), 1);
    assert_eq!(de.messages[0].langid, german.langid);
    assert_eq!(de.messages[0].text, text);
    assert_eq!(de.description.as_deref(), Some(text.trim_end()));
}

#[test]
fn austrian_german_falls_back_to_the_german_text() {
    let kb = Kb::embedded().unwrap();
    let at = kb
        .record("ERROR_ACCESS_DENIED", &LangRequest::parse("de-AT").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(at.messages.len(), 1);
    assert_eq!(at.messages[0].lang, "de");
    assert_eq!(at.messages[0].text, "Zugriff verweigert.\n");
}

#[test]
fn kernelbase_texts_attach_only_to_the_name_winerror_mc_gives_the_id() {
    let kb = Kb::embedded().unwrap();
    let mut others = Vec::new();
    for m in kb.lookup("5", 200).unwrap() {
        if m.value.map(|v| v.unsigned) != Some(5) {
            continue;
        }
        let record = kb.record(&m.name, &LangRequest::ANY).unwrap().unwrap();
        let from_kernelbase = record
            .messages
            .iter()
            .any(|t| t.source.ends_with("kernelbase.dll"));
        assert_eq!(
            from_kernelbase,
            m.name == "ERROR_ACCESS_DENIED",
            "{}",
            m.name
        );
        if m.name != "ERROR_ACCESS_DENIED" {
            others.push((m.name, record.layout.map(|l| l.scheme)));
        }
    }
    // Among them Win32 names that only share the value (ERROR_I24_BAD_LENGTH is not what
    // Windows' message table calls id 5), and names of other schemes.
    assert!(
        others.iter().any(|(_, s)| *s == Some(Scheme::Win32)),
        "{others:?}"
    );
    assert!(
        others.iter().any(|(_, s)| *s != Some(Scheme::Win32)),
        "{others:?}"
    );
}

#[test]
fn mferror_and_wininet_texts_reach_their_names() {
    let kb = Kb::embedded().unwrap();
    let mf = kb
        .record("MF_E_INVALIDMEDIATYPE", &LangRequest::ANY)
        .unwrap()
        .unwrap();
    assert!(mf
        .messages
        .iter()
        .all(|m| m.source == "wine 8.0 mferror.dll"));
    assert_eq!(mf.messages.len(), 32);
    let inet = kb
        .record("ERROR_INTERNET_TIMEOUT", &LangRequest::ANY)
        .unwrap()
        .unwrap();
    assert!(inet
        .messages
        .iter()
        .all(|m| m.source == "wine 8.0 wininet.dll"));
    assert_eq!(inet.messages.len(), 22);
    assert_eq!(
        inet.description.as_deref(),
        Some("The request has timed out.")
    );
}

#[test]
fn full_hresult_ids_of_kernelbase_reach_the_hresult_name() {
    let kb = Kb::embedded().unwrap();
    // kernelbase.dll also carries full ids such as 0x80004001: the id space is the code's own.
    let notimpl = kb
        .record("E_NOTIMPL", &LangRequest::parse("en-US").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(notimpl.messages.len(), 1, "{:?}", notimpl.messages);
    assert_eq!(notimpl.messages[0].source, "wine 8.0 kernelbase.dll");
    assert_eq!(notimpl.messages[0].text, "Not implemented.\n");
}
