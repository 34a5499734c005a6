//! Rendering corpus records from the default KB's event texts (the WELM databases of 14
//! Windows releases), with no import; and how they rank after a registered module.

mod common;

use common::records;
use std::path::Path;
use werr_evtx::{EventRecord, MessageIdRule, MessageMatch, RenderOptions, Renderer};
use werr_kb::{Importer, Kb, McImporter, NoProgress, ProviderRole, SourceRow};

fn record(records: &[EventRecord], record_id: u64) -> &EventRecord {
    records
        .iter()
        .find(|r| r.record_id == record_id)
        .unwrap_or_else(|| panic!("record {record_id}"))
}

/// The first `%N` in `text` with N above `inserts` (an insert left as written), if any; the
/// record's own values may hold `%` signs, so only inserts it lacks count.
fn unfilled_insert(text: &str, inserts: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let after_percent = bytes[i] == b'%' && (i == 0 || bytes[i - 1] != b'%');
        let digits: String = bytes[i + 1..]
            .iter()
            .take(2)
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| char::from(b))
            .collect();
        let n: usize = digits.parse().ok()?;
        (after_percent && n > inserts).then_some(n)
    })
}

/// With the default KB alone, how many records of each corpus log render completely (a
/// message with no `%N` insert left): printed, and held to the floor measured with the
/// classic providers' modules and the system's `%%N` texts (before the event texts, the
/// default KB rendered none of them).
#[test]
fn the_default_kb_alone_renders_most_corpus_records() {
    let kb = Kb::embedded().unwrap();
    let renderer = Renderer::new(&kb, RenderOptions::default());
    // (log, records, floor of complete renderings)
    let logs = [
        ("system.evtx", 1881, 1479),
        ("Security_short_selected.evtx", 7, 7),
        ("Application_no_crc32.evtx", 17, 11),
        ("TestLogX.evtx", 5, 0),
    ];
    let (mut all, mut all_complete) = (0, 0);
    for (log, count, floor) in logs {
        let Some(records) = records(log) else {
            return;
        };
        assert_eq!(records.len(), count, "{log}");
        let mut complete = 0;
        let mut partial = 0;
        for r in &records {
            let rendering = renderer.render(r);
            match (&rendering.message, rendering.missing_inserts) {
                (Some(text), false) => {
                    complete += 1;
                    assert_eq!(
                        unfilled_insert(text, r.inserts.len()),
                        None,
                        "{log} record {}: {text:?}",
                        r.record_id
                    );
                }
                (Some(text), true) => {
                    partial += 1;
                    assert!(unfilled_insert(text, r.inserts.len()).is_some(), "{text:?}");
                }
                (None, _) => {}
            }
        }
        println!("{log}: {count} records, {complete} rendered completely, {partial} in part");
        assert!(complete >= floor, "{log}: {complete} < {floor}");
        all += count;
        all_complete += complete;
    }
    println!("all corpus logs: {all_complete} of {all} rendered completely");
}

#[test]
fn event_texts_render_manifest_records_with_their_inserts_and_release() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    let renderer = Renderer::new(&kb, RenderOptions::default());
    // Kernel-General 12: a manifest provider with no manifest imported; no message id rule,
    // the text by provider and event id.
    let started = records
        .iter()
        .find(|r| r.provider == "Microsoft-Windows-Kernel-General" && r.event_id == 12)
        .unwrap();
    let r = renderer.render(started);
    assert_eq!(
        r.message.as_deref(),
        Some(
            format!(
                "The operating system started at system time {}.",
                started.inserts[6]
            )
            .as_str()
        )
    );
    assert_eq!(r.message_match, Some(MessageMatch::EventId));
    assert_eq!(r.message_release.as_deref(), Some("10-1703"));
    assert_eq!(r.message_source.as_deref(), Some("welm 2.3.0.0"));
    assert_eq!((r.message_id, r.message_id_rule), (None, None));
    assert_eq!(r.message_note, None);

    // Service Control Manager 7026 (Qualifiers 0xC000: classic rule) has no module in the
    // default KB; Windows 7 worded it otherwise.
    let drivers = record(&records, 44);
    assert_eq!((drivers.event_id, drivers.qualifiers), (7026, Some(0xC000)));
    let r = renderer.render(drivers);
    assert_eq!(r.message_id, Some(0xC000_1B72));
    assert_eq!(r.message_id_rule, Some(MessageIdRule::Classic));
    assert_eq!(
        r.message.as_deref(),
        Some("The following boot-start or system-start driver(s) did not load: \r\nCSC\r\ndam")
    );
    let seven = Renderer::new(
        &kb,
        RenderOptions {
            release: Some(kb.resolve_release("7").unwrap().name),
            ..RenderOptions::default()
        },
    );
    let r = seven.render(drivers);
    assert_eq!(r.message_release.as_deref(), Some("7-sp1"));
    assert!(r
        .message
        .unwrap()
        .starts_with("The following boot-start or system-start driver(s) failed to load:"));
    // An event Windows 7 does not have: the newest text, and a note saying so.
    let hive = records
        .iter()
        .find(|r| r.provider == "Microsoft-Windows-Kernel-General" && r.event_id == 16)
        .unwrap();
    let r = seven.render(hive);
    assert_eq!(r.message_release.as_deref(), Some("10-1703"));
    let note = r.message_note.unwrap();
    assert!(note.contains("7-sp1 has no text for this event"), "{note}");
}

#[test]
fn events_declared_without_a_message_say_so() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    let r = Renderer::new(&kb, RenderOptions::default()).render(record(&records, 540));
    assert_eq!(r.message, None);
    assert!(r.declared_without_text);
    let error = r.message_error.unwrap();
    assert!(
        error.starts_with(
            "welm 2.3.0.0 declares event 107 of \"Microsoft-Windows-Kernel-Power\" without a message"
        ),
        "{error}"
    );
}

#[test]
fn versions_of_an_event_are_told_apart_by_the_inserts_they_use() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    // Windows 10 1703 declares DotNETRuntime event 80 twice: "NONE", and a text with six
    // inserts. A corpus record made into one such event, with six inserts and with none.
    let mut exception = records[0].clone();
    exception.provider = "Microsoft-Windows-DotNETRuntime".into();
    exception.provider_guid = Some("{e13c0d23-ccbc-4e12-931b-d9cc2eee27e4}".into());
    exception.qualifiers = None;
    exception.event_id = 80;
    exception.inserts = ["System.Exception", "boom", "0x1", "0x80131500", "0x0", "9"]
        .map(String::from)
        .to_vec();
    let renderer = Renderer::new(&kb, RenderOptions::default());
    assert_eq!(
        renderer.render(&exception).message.as_deref(),
        Some(
            "ExceptionType=System.Exception;  ExceptionMessage=boom;  ExceptionEIP=0x1;  \
             ExceptionHRESULT=0x80131500;  ExceptionFlags=0x0;  ClrInstanceID=9"
        )
    );
    exception.inserts.clear();
    assert_eq!(renderer.render(&exception).message.as_deref(), Some("NONE"));
}

/// A KB file made from the default (so with its event texts) with ReactOS's neteventmsg.mc
/// registered for Service Control Manager.
fn default_with_netevent(dir: &Path) -> Option<Kb> {
    let mc = werr_testdata::corpus("reactos-mc/neteventmsg.mc")?;
    let mut kb = Kb::open_or_create(&dir.join("k.kb")).unwrap();
    let source = SourceRow {
        kit: "reactos".into(),
        version: "test".into(),
        origin: mc.display().to_string(),
        license: "GPL".into(),
    };
    kb.import_paths(&source, &[mc], &[&McImporter as &dyn Importer], &NoProgress)
        .unwrap();
    kb.add_provider_module(
        "Service Control Manager",
        "neteventmsg.mc",
        ProviderRole::Messages,
        None,
    )
    .unwrap();
    Some(kb)
}

#[test]
fn a_registered_module_comes_first_and_event_texts_fill_its_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let (Some(records), Some(kb)) = (records("system.evtx"), default_with_netevent(dir.path()))
    else {
        return;
    };
    let renderer = Renderer::new(&kb, RenderOptions::default());
    let scm: Vec<&EventRecord> = records
        .iter()
        .filter(|r| r.provider == "Service Control Manager")
        .collect();
    let (mut from_module, mut from_texts) = (0, 0);
    for r in scm {
        let rendering = renderer.render(r);
        let module_has_it = kb
            .module_message(
                "neteventmsg.mc",
                rendering.message_id.unwrap(),
                &werr_kb::lang::LangRequest::ANY,
            )
            .unwrap()
            .is_some();
        // Windows has a text for every SCM event of the log.
        assert!(kb
            .event_message(&r.provider, r.event_id, None)
            .unwrap()
            .is_some());
        if module_has_it {
            assert_eq!(rendering.message_match, Some(MessageMatch::Exact));
            assert_eq!(rendering.message_source.as_deref(), Some("neteventmsg.mc"));
            from_module += 1;
        } else {
            assert_eq!(rendering.message_match, Some(MessageMatch::EventId));
            assert_eq!(rendering.message_source.as_deref(), Some("welm 2.3.0.0"));
            from_texts += 1;
        }
    }
    assert!(
        from_module > 0 && from_texts > 0,
        "{from_module} {from_texts}"
    );
}

/// The default KB, counting the event-text lookups made of it.
struct Counting {
    kb: Kb,
    event_lookups: std::sync::atomic::AtomicUsize,
}

impl werr_evtx::MessageCatalog for Counting {
    fn provider_modules(
        &self,
        provider: &str,
    ) -> Result<Vec<werr_evtx::ProviderModule>, werr_evtx::LookupError> {
        werr_evtx::MessageCatalog::provider_modules(&self.kb, provider)
    }
    fn has_module(&self, module: &str) -> Result<bool, werr_evtx::LookupError> {
        werr_evtx::MessageCatalog::has_module(&self.kb, module)
    }
    fn message(
        &self,
        module: &str,
        id: u32,
        lang: Option<&str>,
    ) -> Result<Option<werr_evtx::CatalogMessage>, werr_evtx::LookupError> {
        werr_evtx::MessageCatalog::message(&self.kb, module, id, lang)
    }
    fn ids_with_event_id(
        &self,
        module: &str,
        event_id: u16,
    ) -> Result<Vec<u32>, werr_evtx::LookupError> {
        werr_evtx::MessageCatalog::ids_with_event_id(&self.kb, module, event_id)
    }
    fn event_text(
        &self,
        provider: &str,
        event_id: u16,
        release: Option<&str>,
    ) -> Result<Option<werr_evtx::CatalogEvent>, werr_evtx::LookupError> {
        self.event_lookups
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        werr_evtx::MessageCatalog::event_text(&self.kb, provider, event_id, release)
    }
}

#[test]
fn an_event_text_fetched_ahead_is_not_looked_up_again() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let catalog = Counting {
        kb: Kb::embedded().unwrap(),
        event_lookups: Default::default(),
    };
    let renderer = Renderer::new(&catalog, RenderOptions::default());
    let drivers = record(&records, 44);
    renderer.prefetch(&drivers.provider, drivers.event_id);
    renderer.prefetch(&drivers.provider.to_uppercase(), drivers.event_id);
    let lookups = || {
        catalog
            .event_lookups
            .load(std::sync::atomic::Ordering::SeqCst)
    };
    assert_eq!(lookups(), 1, "once, whatever the letter case");
    let r = renderer.render(drivers);
    assert!(r.message.unwrap().contains("did not load"));
    assert_eq!(lookups(), 1, "rendering found it");
}

/// Classic sources render from the modules Windows registers for them, where ReactOS has the
/// table: Workstation's NELOG_* codes from netmsg.dll; disk and cdrom look in iologmsg.dll,
/// whose ReactOS table stops before IO_WARNING_PAGING_FAILURE (0x80040033), and the error
/// says which module lacks which id.
#[test]
fn classic_providers_render_from_their_windows_modules() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    let renderer = Renderer::new(&kb, RenderOptions::default());
    let joined = records
        .iter()
        .find(|r| r.provider == "Workstation" && r.event_id == 3261)
        .unwrap();
    let r = renderer.render(joined);
    assert_eq!(r.message_source.as_deref(), Some("netmsg.dll"));
    assert_eq!(r.message_match, Some(MessageMatch::Exact));
    assert_eq!(
        r.message.as_deref(),
        Some(
            format!(
                "This computer has been successfully joined to workgroup '{}'.\r\n",
                joined.inserts[0]
            )
            .as_str()
        )
    );
    for provider in ["Disk", "cdrom"] {
        let paging = records
            .iter()
            .find(|r| r.provider == provider && r.event_id == 51)
            .unwrap();
        assert_eq!(paging.qualifiers, Some(0x8004));
        let r = renderer.render(paging);
        assert_eq!(r.message_id, Some(0x8004_0033), "{provider}");
        assert_eq!(
            r.message_error.as_deref(),
            Some("message id 0x80040033 (event id 51) is not in iologmsg.dll"),
            "{provider}"
        );
        assert!(!r.no_source, "{provider}");
    }
    // Serial's own codes (facility 6) are serial.sys's, after iologmsg.dll: the I/O code with
    // the same event id is named, not used.
    let serial = records.iter().find(|r| r.provider == "Serial").unwrap();
    let r = renderer.render(serial);
    assert_eq!(r.message, None);
    assert!(r.message_error.unwrap().starts_with(
        "message id 0x40060002 is not in iologmsg.dll; the same event id 2 is there as 0xC0040002"
    ));
}

/// `%%N` in a Service Control Manager record's inserts (Win32 error codes) read from the
/// system's Win32 texts, since the provider registers no parameter file; an HRESULT of a
/// Win32 error (`%%2147942414`, 0x8007000E) reads as that error. The default KB's
/// kernelbase.dll is Wine's ("Out of memory."), so in English Microsoft's own text of the
/// error is used (its documentation: "Not enough storage is available to complete this
/// operation."), and Wine's table only for another language, which the note says. The note
/// says where each came from.
#[test]
fn win32_codes_in_inserts_read_from_the_system_texts() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    let english = Renderer::new(&kb, RenderOptions::default());
    let german = Renderer::new(
        &kb,
        RenderOptions {
            lang: Some("de-DE".into()),
            ..RenderOptions::default()
        },
    );
    let scm: Vec<&EventRecord> = records
        .iter()
        .filter(|r| {
            r.provider == "Service Control Manager" && r.inserts.iter().any(|i| i.contains("%%"))
        })
        .collect();
    assert_eq!(scm.len(), 15);
    let german_table = werr_kb::lang::LangRequest::parse("de-DE").unwrap();
    for record in scm {
        let code = record.inserts.iter().find(|i| i.starts_with("%%")).unwrap();
        let id: u32 = code[2..].parse().unwrap();
        let win32 = id as u16;
        let (microsoft, source) = kb.microsoft_win32_text(win32).unwrap().unwrap();
        let r = english.render(record);
        let text = r.message.unwrap();
        assert!(!text.contains("%%"), "{text:?}");
        assert!(
            text.trim_end().ends_with(&microsoft),
            "{code}: {text:?} does not end with {microsoft:?}"
        );
        assert_eq!(
            r.message_note.unwrap(),
            format!(
                "{code} from Microsoft's texts of the Win32 errors ({source}), as Windows \
                 formats the parameters of a provider with no parameter file"
            )
        );
        // In German: Wine's table, said to be Wine's.
        let wine = kb
            .module_message("kernelbase.dll", u32::from(win32), &german_table)
            .unwrap()
            .unwrap();
        assert_eq!(wine.lang, "de");
        let r = german.render(record);
        let text = r.message.unwrap();
        assert!(
            text.trim_end().ends_with(wine.text.trim_end()),
            "{code}: {text:?} does not end with {:?}",
            wine.text
        );
        assert_eq!(
            r.message_note.unwrap(),
            format!(
                "{code} from the system's Win32 texts (kernelbase.dll as Wine writes them: \
                 the wording can differ from Windows'), as Windows formats the parameters of \
                 a provider with no parameter file"
            )
        );
    }
    // The codes of this log, as Windows' own table words them.
    for (code, text) in [
        (1058, "The service cannot be started, either because it is disabled or because it has no enabled devices associated with it."),
        (14, "Not enough storage is available to complete this operation."),
    ] {
        assert_eq!(kb.microsoft_win32_text(code).unwrap().unwrap().0, text);
    }
}

/// Every record of Security_short_selected.evtx renders with every `%N` filled; the
/// `%%N` of msobjs.dll (the provider's parameter file, not in the default KB) stay as
/// written, and the note names each and the file.
#[test]
fn security_records_fill_every_insert_and_name_msobjs_parameters() {
    let Some(records) = records("Security_short_selected.evtx") else {
        return;
    };
    let kb = Kb::embedded().unwrap();
    let renderer = Renderer::new(&kb, RenderOptions::default());
    let mut ids: Vec<u16> = records.iter().map(|r| r.event_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids, [4611, 4625, 4673, 4776, 5152, 5157]);
    let mut noted = 0;
    for record in &records {
        let r = renderer.render(record);
        let text = r
            .message
            .unwrap_or_else(|| panic!("{}: {:?}", record.event_id, r.message_error));
        assert!(!r.missing_inserts, "{}", record.event_id);
        assert_eq!(
            unfilled_insert(&text, record.inserts.len()),
            None,
            "{text:?}"
        );
        // Every `%N` is filled: what is left with a `%` is a `%%N` parameter, and each one
        // left is named in the note.
        let raw: Vec<&str> = text
            .match_indices("%%")
            .map(|(at, _)| {
                let digits = text[at + 2..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count();
                &text[at..at + 2 + digits]
            })
            .collect();
        match r.message_note {
            Some(note) => {
                noted += 1;
                assert!(!raw.is_empty(), "{note}");
                assert!(note.contains("msobjs.dll"), "{note}");
                for code in raw {
                    assert!(note.contains(code), "{code} not in {note}");
                }
            }
            None => assert!(raw.is_empty(), "{text:?}"),
        }
    }
    // 4625's failure reason and the WFP records' direction and layer.
    assert_eq!(noted, 4);
}

/// Each renderer keeps its own routes, on every thread: two renderers that choose different
/// releases, used in turn on one thread and then on another, each answer as if alone, and
/// so does a renderer made after one is dropped.
#[test]
fn renderers_used_in_turn_and_on_other_threads_keep_their_own_answers() {
    let Some(records) = records("system.evtx") else {
        return;
    };
    let kb = std::sync::Mutex::new(Kb::embedded().unwrap());
    let release_7 = kb.lock().unwrap().resolve_release("7").unwrap().name;
    let options_7 = RenderOptions {
        release: Some(release_7),
        ..RenderOptions::default()
    };
    let newest = Renderer::new(&kb, RenderOptions::default());
    let seven = Renderer::new(&kb, options_7.clone());
    let drivers = record(&records, 44);
    let releases = |newest: &Renderer<'_, _>, seven: &Renderer<'_, _>| {
        for _ in 0..3 {
            let r = newest.render(drivers);
            assert_eq!(r.message_release.as_deref(), Some("10-1703"));
            assert!(r.message.unwrap().contains("did not load"));
            let r = seven.render(drivers);
            assert_eq!(r.message_release.as_deref(), Some("7-sp1"));
            assert!(r.message.unwrap().contains("failed to load"));
        }
    };
    releases(&newest, &seven);
    std::thread::scope(|scope| {
        scope.spawn(|| releases(&newest, &seven));
    });
    drop(seven);
    let seven_again = Renderer::new(&kb, options_7);
    releases(&newest, &seven_again);
}
