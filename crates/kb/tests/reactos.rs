//! ReactOS's message files in the default KB (`werr_kb::default_sources::reactos`, from the
//! shared corpus's `reactos-mc/`): definitions with their English texts, every language's
//! messages under the module Windows names, and the file that does not compile reported.

use werr_kb::default_sources::{reactos, REACTOS_MC_MODULES};
use werr_kb::{Kb, SourceInfo};

fn reactos_source(kb: &Kb) -> SourceInfo {
    kb.sources()
        .unwrap()
        .into_iter()
        .find(|s| s.kit == "reactos")
        .expect("the KB has the reactos source")
}

/// The English text of `symbol` in a .mc file, read here line by line: the lines after its
/// `Language=English` up to the line holding only `.`.
fn english_text(mc: &str, symbol: &str) -> String {
    let lines: Vec<&str> = mc.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == format!("SymbolicName={symbol}"))
        .unwrap_or_else(|| panic!("{symbol} in the file"));
    let start = at
        + lines[at..]
            .iter()
            .position(|l| l.trim_end() == "Language=English")
            .unwrap()
        + 1;
    let end = start
        + lines[start..]
            .iter()
            .position(|l| l.trim_end() == ".")
            .unwrap();
    lines[start..end].join("\n")
}

#[test]
fn embedded_reactos_is_what_the_importer_reads_from_the_corpus() {
    let Some(dir) = werr_testdata::corpus("reactos-mc") else {
        return;
    };
    let assembled = reactos(&dir).unwrap();
    let mut fresh = Kb::in_memory().unwrap();
    fresh.store_assembled(&assembled).unwrap();
    let embedded = Kb::embedded().unwrap();
    assert!(
        embedded.export_source(&reactos_source(&embedded)).unwrap()
            == fresh.export_source(&reactos_source(&fresh)).unwrap(),
        "data/reactos-git.tsv differs from a fresh import: run scripts/refresh-data"
    );
    // Provenance: each file's commit, from the corpus's SOURCE.txt.
    let source = std::fs::read_to_string(dir.join("SOURCE.txt")).unwrap();
    let origin = reactos_source(&embedded).origin;
    for line in source
        .lines()
        .filter(|l| l.ends_with("\tok") || l.contains("\tok;"))
    {
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(
            origin.contains(&format!("{} {}", fields[0], fields[2])),
            "{origin}"
        );
    }
}

#[test]
fn every_file_imports_but_wdfstaus_which_is_reported_where_it_fails() {
    let Some(dir) = werr_testdata::corpus("reactos-mc") else {
        return;
    };
    let assembled = reactos(&dir).unwrap();
    let skipped: Vec<_> = assembled.issues.iter().filter(|i| i.skipped_file).collect();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    // Line 25's `Severity=STATUS_SEVERITY_INFORMATIONAL` (a severity's symbol) is read as
    // Wine's wmc reads it; line 73 names a severity no SeverityNames entry declares.
    let wdf = skipped[0];
    assert_eq!(
        (wdf.path.as_str(), wdf.line, wdf.column),
        ("sdk/include/reactos/mc/wdfstaus.mc", 73, 10)
    );
    assert!(wdf.message.contains("STATUS_WDF_REQUEST_ALREADY_PENDING"));
    let imported: Vec<&str> = assembled
        .files
        .iter()
        .map(|f| f.file.path.as_str())
        .collect();
    let listed = REACTOS_MC_MODULES
        .iter()
        .filter(|(f, _)| *f != "wdfstaus.mc")
        .count();
    assert_eq!(imported.len(), listed, "{imported:?}");
}

#[test]
fn messages_belong_to_the_modules_windows_names() {
    let kb = Kb::embedded().unwrap();
    // EventLog 6005 (0x80001775) of netevent.dll, in the four languages of the file.
    let started = kb.messages_for(0x8000_1775).unwrap();
    let netevent: Vec<_> = started
        .iter()
        .filter(|m| m.module == "netevent.dll")
        .collect();
    assert_eq!(netevent.len(), 4, "{started:?}");
    assert!(netevent
        .iter()
        .all(|m| m.source == "reactos git netevent.dll"));
    for (file, module) in REACTOS_MC_MODULES {
        let Some(module) = module else { continue };
        assert!(
            kb.has_module_messages(module).unwrap(),
            "{file}: no messages of {module}"
        );
    }
}

#[test]
fn definitions_carry_the_english_text_of_their_message() {
    let kb = Kb::embedded().unwrap();
    for (file, symbol) in [
        ("ntstatus.mc", "STATUS_ACCESS_VIOLATION"),
        ("ntiologc.mc", "IO_ERR_RETRY_SUCCEEDED"),
        ("netmsgmsg.mc", "NERR_NetNotStarted"),
        ("bugcodes.mc", "IRQL_NOT_LESS_OR_EQUAL"),
        ("neteventmsg.mc", "EVENT_EventlogStarted"),
    ] {
        let Some(path) = werr_testdata::corpus(&format!("reactos-mc/{file}")) else {
            return;
        };
        let mc = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
        let wanted = english_text(&mc, symbol);
        let reactos: Vec<_> = kb
            .occurrences_of(symbol)
            .unwrap()
            .into_iter()
            .filter(|o| o.kit == "reactos")
            .collect();
        assert_eq!(reactos.len(), 1, "{symbol} defined once by ReactOS");
        assert_eq!(reactos[0].file, format!("sdk/include/reactos/mc/{file}"));
        let text = reactos[0]
            .message_text
            .clone()
            .unwrap_or_else(|| panic!("{symbol} has a text"));
        assert_eq!(text, wanted.trim_end(), "{symbol}");
    }
}

#[test]
fn quirky_files_import_their_texts() {
    let kb = Kb::embedded().unwrap();
    // ntiologc.mc has CRLF line ends: texts keep the \r\n message tables carry, no stray \r\r.
    let retry = kb.messages_for(0x0004_0001).unwrap();
    let iolog = retry.iter().find(|m| m.module == "iologmsg.dll").unwrap();
    assert!(!iolog.text.contains("\r\r"), "{:?}", iolog.text);
    // neteventmsg.mc message 6007 has `;` lines inside its Russian text: text, as mc.exe and
    // windmc keep them (docs/mc-compatibility.md); the file still imports whole.
    let russian = kb
        .messages_for(0x8000_1777)
        .unwrap()
        .into_iter()
        .find(|m| m.module == "netevent.dll" && m.langid == 0x0419)
        .expect("6007 in Russian");
    assert!(
        russian.text.contains("; IMPORTANT") && russian.text.contains("Служба журнала событий %0"),
        "{:?}",
        russian.text
    );
    // UTF-8 files: net_msg.mc's Romanian text keeps its letters.
    let Some(path) = werr_testdata::corpus("reactos-mc/net_msg.mc") else {
        return;
    };
    let mc = std::fs::read_to_string(path).unwrap();
    let romanian_word = mc
        .split_whitespace()
        .find(|w| w.contains('ș') || w.contains('ț'))
        .expect("a Romanian word with ș or ț");
    let hits = kb
        .search(
            romanian_word,
            &werr_kb::lang::LangRequest::parse("0x418").unwrap(),
            5,
        )
        .unwrap();
    assert!(!hits.is_empty(), "{romanian_word} found in the KB's texts");
}

#[test]
fn a_module_s_own_ids_belong_to_the_names_its_file_gives_them() {
    let kb = Kb::embedded().unwrap();
    // sacdrv.sys's message 10 is SACDRV_10 ("Paging is now OFF."); bug check 0xA is
    // IRQL_NOT_LESS_OR_EQUAL: each text stays with the name its file gives the id.
    let bugcheck = kb
        .record("IRQL_NOT_LESS_OR_EQUAL", &werr_kb::lang::LangRequest::ANY)
        .unwrap()
        .unwrap();
    let modules: Vec<&str> = bugcheck
        .messages
        .iter()
        .map(|m| m.source.as_str())
        .collect();
    assert_eq!(
        modules,
        ["reactos git ntoskrnl.exe"],
        "{:?}",
        bugcheck.messages
    );
    let sac = kb
        .record("SACDRV_10", &werr_kb::lang::LangRequest::ANY)
        .unwrap()
        .unwrap();
    assert_eq!(sac.messages.len(), 1, "{:?}", sac.messages);
    assert_eq!(sac.messages[0].source, "reactos git sacdrv.sys");
    assert_eq!(sac.messages[0].text, "Paging is now OFF.\r\n");
}
