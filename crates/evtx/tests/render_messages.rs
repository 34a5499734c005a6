//! Rendering corpus records with real message files imported into a KB: ReactOS's
//! neteventmsg.mc for EventLog and Service Control Manager, the `evtx` crate's adtschema.dll
//! for Security-Auditing, Wine's kernelbase.dll as a parameter-message module.

mod common;

use common::records;
use std::path::Path;
use werr_evtx::{EventRecord, MessageIdRule, MessageMatch, RenderOptions, Renderer, Rendering};
use werr_kb::{
    Importer, Kb, McImporter, MessageTableImporter, NoProgress, ProviderRole, SourceRow,
};

fn import(kb: &mut Kb, path: &Path, providers: &[&str], role: ProviderRole) {
    let importers: [&dyn Importer; 2] = [&McImporter, &MessageTableImporter];
    let source = SourceRow {
        kit: werr_kb::module_name(&path.to_string_lossy()),
        version: "test".into(),
        origin: path.display().to_string(),
        license: "test input".into(),
    };
    let summary = kb
        .import_paths(&source, &[path.to_path_buf()], &importers, &NoProgress)
        .expect("import");
    assert!(summary.messages > 0, "{path:?} brought messages");
    for module in kb
        .modules_of_source(&summary.kit, &summary.version)
        .unwrap()
    {
        for provider in providers {
            kb.add_provider_module(provider, &module, role, None)
                .unwrap();
        }
    }
}

fn netevent_kb() -> Option<Kb> {
    let mc = werr_testdata::corpus("reactos-mc/neteventmsg.mc")?;
    let mut kb = Kb::in_memory().unwrap();
    import(
        &mut kb,
        &mc,
        &["EventLog", "Service Control Manager"],
        ProviderRole::Messages,
    );
    Some(kb)
}

fn render_id(
    kb: &Kb,
    records: &[EventRecord],
    record_id: u64,
    options: RenderOptions,
) -> Rendering {
    let record = records
        .iter()
        .find(|r| r.record_id == record_id)
        .unwrap_or_else(|| panic!("record {record_id}"));
    Renderer::new(kb, options).render(record)
}

#[test]
fn eventlog_records_render_with_their_inserts() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    let r = render_id(&kb, &records, 1, RenderOptions::default());
    assert_eq!(
        r.message.as_deref(),
        Some("ReactOS 10.00. 15063  Multiprocessor Free.\r\n")
    );
    assert_eq!(r.message_id, Some(0x8000_1779));
    assert_eq!(r.message_id_rule, Some(MessageIdRule::Classic));
    assert_eq!(r.message_source.as_deref(), Some("neteventmsg.mc"));
    assert_eq!(r.message_lang.as_deref(), Some("en-US"));
    assert_eq!(r.message_error, None);

    let started = render_id(&kb, &records, 2, RenderOptions::default());
    assert_eq!(
        started.message.as_deref(),
        Some("The Event log service was started.\r\n")
    );
    let stopped = render_id(&kb, &records, 168, RenderOptions::default());
    assert_eq!(
        stopped.message.as_deref(),
        Some("The Event log service was stopped.\r\n")
    );
}

#[test]
fn service_control_manager_records_render_with_their_inserts() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    let terminated = render_id(&kb, &records, 40, RenderOptions::default());
    assert_eq!(
        terminated.message.as_deref(),
        Some("The Spooler service terminated with the following error: \r\n%%2147942414\r\n"),
        "an unknown %%N parameter stays as written"
    );
    let start_type = render_id(&kb, &records, 242, RenderOptions::default());
    assert_eq!(
        start_type.message.as_deref(),
        Some(
            "The start type of the Background Intelligent Transfer Service service was changed \
             from demand start to auto start.\r\n"
        )
    );
    assert_eq!(start_type.message_id, Some(0x4000_1B80));
}

#[test]
fn every_record_whose_id_is_in_the_file_renders() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    let ids_in_file: Vec<u32> = {
        let conn = kb.connection();
        let mut stmt = conn
            .prepare("SELECT DISTINCT message_id FROM messages")
            .unwrap();
        let ids = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<Vec<u32>, _>>()
            .unwrap();
        ids
    };
    let renderer = Renderer::new(&kb, RenderOptions::default());
    let mut rendered = 0;
    for record in records
        .iter()
        .filter(|r| r.provider == "EventLog" || r.provider == "Service Control Manager")
    {
        let r = renderer.render(record);
        let id = r.message_id.expect("classic records have a message id");
        if ids_in_file.contains(&id) {
            assert!(r.message.is_some(), "record {}: {r:?}", record.record_id);
            rendered += 1;
        } else {
            assert!(r.message.is_none());
            assert!(r.message_error.is_some());
        }
    }
    assert_eq!(rendered, 51);
}

#[test]
fn severity_mismatch_is_an_error_naming_the_file_severity() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    // EventLog 6011: Warning (Qualifiers 0x8000) in the log, Severity=Error in the .mc file.
    let r = render_id(&kb, &records, 174, RenderOptions::default());
    assert_eq!(r.message, None);
    assert_eq!(r.message_id, Some(0x8000_177B));
    let error = r.message_error.unwrap();
    assert!(error.contains("0xC000177B"), "{error}");
    assert!(
        error.contains("severity Error where the record's Qualifiers say Warning"),
        "{error}"
    );
}

#[test]
fn approximate_match_renders_the_same_event_id_flagged() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    let options = RenderOptions {
        approximate: true,
        ..RenderOptions::default()
    };
    let r = render_id(&kb, &records, 174, options);
    assert_eq!(
        r.message.as_deref(),
        Some(
            "The NetBIOS name and DNS host name of this machine have been changed from \
             WIN-P4SIAA0SQCO to DESKTOP-2KGM189.\r\n"
        )
    );
    assert_eq!(r.message_match, Some(MessageMatch::Approximate));
}

#[test]
fn absent_ids_say_which_id_was_looked_for() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    let time_zone = render_id(&kb, &records, 177, RenderOptions::default());
    assert_eq!(
        time_zone.message_error.as_deref(),
        Some("message id 0x8000177D (event id 6013) is not in neteventmsg.mc")
    );
    let installed = render_id(&kb, &records, 45, RenderOptions::default());
    assert_eq!(
        installed.message_error.as_deref(),
        Some("message id 0x40001B85 (event id 7045) is not in neteventmsg.mc")
    );
}

#[test]
fn provider_without_source_says_how_to_import_one() {
    let (Some(kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    let nic = records.iter().find(|r| r.provider == "e1iexpress").unwrap();
    let r = Renderer::new(&kb, RenderOptions::default()).render(nic);
    assert!(r.no_source);
    assert!(
        r.message_error
            .as_deref()
            .unwrap()
            .contains("werr import FILE --provider \"e1iexpress\""),
        "{r:?}"
    );
    let tcpip_like = records.iter().find(|r| r.provider == "EventLog").unwrap();
    let empty = Kb::in_memory().unwrap();
    let r = Renderer::new(&empty, RenderOptions::default()).render(tcpip_like);
    assert!(
        r.message_error
            .as_deref()
            .unwrap()
            .contains("netevent.dll (built-in map)"),
        "{r:?}"
    );
}

#[test]
fn parameter_messages_come_from_the_parameter_module_in_the_asked_language() {
    let Some(kernelbase) = werr_testdata::fixture(
        "libwine-8.0/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernelbase.dll",
    ) else {
        return;
    };
    let (Some(mut kb), Some(records)) = (netevent_kb(), records("system.evtx")) else {
        return;
    };
    import(
        &mut kb,
        &kernelbase,
        &["Service Control Manager"],
        ProviderRole::Parameters,
    );
    // Record 35: "%%50" in its second insert; Win32 error 50 is ERROR_NOT_SUPPORTED.
    let english = render_id(&kb, &records, 35, RenderOptions::default());
    assert_eq!(
        english.message.as_deref(),
        Some("The CldFlt service failed to start due to the following error: \r\nRequest not supported.\r\n")
    );
    let german = render_id(
        &kb,
        &records,
        35,
        RenderOptions {
            lang: Some("de".into()),
            ..RenderOptions::default()
        },
    );
    assert!(
        german
            .message
            .as_deref()
            .unwrap()
            .ends_with("error: \r\nAnfrage nicht unterstützt.\r\n"),
        "{german:?}"
    );
    assert_eq!(
        german.message_lang.as_deref(),
        Some("en-US"),
        "the .mc file has no German"
    );
}

fn adtschema_kb() -> Option<Kb> {
    let dll = werr_testdata::cargo_registry_file("evtx-", "samples/dlls/adtschema.dll")?;
    let mut kb = Kb::in_memory().unwrap();
    import(
        &mut kb,
        &dll,
        &["Microsoft-Windows-Security-Auditing"],
        ProviderRole::Messages,
    );
    Some(kb)
}

#[test]
fn security_auditing_events_render_from_adtschema() {
    let (Some(kb), Some(records)) = (adtschema_kb(), records("Security_short_selected.evtx"))
    else {
        return;
    };
    let renderer = Renderer::new(&kb, RenderOptions::default());
    let logon_process = records.iter().find(|r| r.event_id == 4611).unwrap();
    let r = renderer.render(logon_process);
    assert_eq!(r.message_id, Some(4611));
    // The id comes from adtschema.dll's event manifest, imported with its messages.
    assert_eq!(r.message_id_rule, Some(MessageIdRule::Manifest));
    assert_eq!(r.message_source.as_deref(), Some("adtschema.dll"));
    assert_eq!(
        r.message.as_deref(),
        Some(
            "A trusted logon process has been registered with the Local Security Authority.\r\n\
             This logon process will be trusted to submit logon requests.\r\n\r\n\
             Subject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n\tAccount Name:\t\tTEMPORAL$\r\n\
             \tAccount Domain:\t\tWORKGROUP\r\n\tLogon ID:\t\t0x3e7\r\n\r\n\
             Logon Process Name:\t\tWinlogon\r\n"
        )
    );
    let failed_logon = records.iter().find(|r| r.event_id == 4625).unwrap();
    let text = renderer.render(failed_logon).message.unwrap();
    assert!(
        text.starts_with("An account failed to log on.\r\n"),
        "{text}"
    );
    assert!(
        text.contains("Source Network Address:\t23.94.153.202"),
        "{text}"
    );
    assert!(
        text.contains("Failure Reason:\t\t%%2313"),
        "without msobjs.dll the parameter stays as written: {text}"
    );
    let rendered = records
        .iter()
        .filter(|r| renderer.render(r).message.is_some())
        .count();
    assert_eq!(rendered, records.len(), "all 7 records render");
}

#[test]
fn missing_inserts_stay_as_written_with_a_note() {
    let (Some(kb), Some(records)) = (adtschema_kb(), records("Security_short_selected.evtx"))
    else {
        return;
    };
    // Without the event manifest, the EventID-is-message-id rule gives 5152 (version 1's
    // message) to 5152 records of version 0, which carry 11 values; that message uses %12.
    kb.connection()
        .execute("DELETE FROM manifest_events", [])
        .unwrap();
    let packet = records.iter().find(|r| r.event_id == 5152).unwrap();
    assert_eq!(packet.inserts.len(), 11);
    let r = Renderer::new(&kb, RenderOptions::default()).render(packet);
    assert_eq!(r.message_id_rule, Some(MessageIdRule::EventIdIsMessageId));
    let text = r.message.unwrap();
    assert!(text.contains("Layer Run-Time ID:\t%12"), "{text}");
    assert!(r.message_note.unwrap().contains("%12"));
}

#[test]
fn the_event_manifest_gives_each_version_of_an_event_its_own_message() {
    // adtschema.dll's manifest (imported with its messages) names, for each EventID and
    // Version, the message Windows shows: 5152 of version 0 has one of its own, which uses
    // the 11 values such records carry.
    let (Some(kb), Some(records)) = (adtschema_kb(), records("Security_short_selected.evtx"))
    else {
        return;
    };
    let renderer = Renderer::new(&kb, RenderOptions::default());
    let packet = records.iter().find(|r| r.event_id == 5152).unwrap();
    assert_eq!(packet.version, Some(0));
    let r = renderer.render(packet);
    assert_eq!(r.message_id_rule, Some(MessageIdRule::Manifest));
    assert_eq!(r.message_id, Some(0xB000_1420));
    assert!(!r.missing_inserts, "no insert missing");
    // msobjs.dll, the provider's parameter file, is not imported: the note names its `%%N`.
    assert!(r.message_note.unwrap().contains("msobjs.dll"));
    let text = r.message.unwrap();
    assert!(
        text.starts_with("The Windows Filtering Platform has blocked a packet."),
        "{text}"
    );
    // Every insert filled: only `%%NNNN` parameters (msobjs.dll not imported) stay.
    let unfilled = text
        .match_indices('%')
        .filter(|&(at, _)| {
            let before = text[..at].ends_with('%');
            let after = text[at + 1..].starts_with(|c: char| c.is_ascii_digit());
            after && !before
        })
        .count();
    assert_eq!(unfilled, 0, "{text}");
    let connection = records.iter().find(|r| r.event_id == 5157).unwrap();
    assert_eq!(connection.version, Some(1));
    let r = renderer.render(connection);
    assert_eq!(r.message_id, Some(0xB001_1425));
    assert!(!r.missing_inserts);
    let rendered = records
        .iter()
        .filter(|r| !renderer.render(r).missing_inserts)
        .count();
    assert_eq!(rendered, records.len(), "no record misses an insert");
}
