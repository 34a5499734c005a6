//! Compiled event manifests (`WEVT_TEMPLATE`) of real Windows modules: the ones shipped in the
//! `evtx` crate's package (samples/dlls), read from the cargo registry.

use std::collections::BTreeSet;
use werr_msgtable::{extract, read, read_manifest, wevt_templates, Manifest};

/// The manifests of a module, and the message ids of its message tables (every language).
fn module(name: &str) -> Option<(Vec<Manifest>, BTreeSet<u32>)> {
    let path = werr_testdata::cargo_registry_file("evtx-", &format!("samples/dlls/{name}"))?;
    let bytes = std::fs::read(&path).unwrap();
    let found = wevt_templates(&bytes).unwrap();
    assert_eq!(found.problems, vec![], "{name}");
    let manifests = found
        .tables
        .iter()
        .map(|t| read_manifest(t.data).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect();
    let mut ids = BTreeSet::new();
    for table in extract(&bytes, 0).unwrap().tables {
        ids.extend(read(table.data).unwrap().entries.iter().map(|e| e.id));
    }
    Some((manifests, ids))
}

/// The provider of `guid` in `manifests`, with its events.
fn provider<'m>(
    manifests: &'m [Manifest],
    guid: &str,
) -> Option<&'m werr_msgtable::ManifestProvider> {
    manifests
        .iter()
        .flat_map(|m| &m.providers)
        .find(|p| p.guid == guid)
}

#[test]
fn the_manifests_of_four_modules_declare_the_providers_event_logs_name() {
    // The GUIDs event logs carry for these providers (system.evtx, Security_short_selected.evtx).
    let cases = [
        ("wevtsvc.dll", "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}", 44), // Microsoft-Windows-Eventlog
        ("services.exe", "{555908d1-a6d7-4695-8e1e-26931d2012f4}", 43), // Service Control Manager
        (
            "adtschema.dll",
            "{54849625-5478-4994-a5ba-3e3b0328c30d}",
            488,
        ), // Security-Auditing
        ("lsasrv.dll", "{199fe037-2b82-40a9-82ac-e1d46c792b99}", 69),  // LSA (LsaSrv)
    ];
    for (name, guid, events) in cases {
        let Some((manifests, _)) = module(name) else {
            return;
        };
        // Windows 10's modules; the format notes describe 3.1.
        assert!(manifests.iter().all(|m| m.version == (5, 1)), "{name}");
        let found = provider(&manifests, guid).unwrap_or_else(|| panic!("{name}: {guid}"));
        assert_eq!(found.events.len(), events, "{name}");
        // mc.exe numbers a provider's own name message 0x9x000001.
        assert!(found.message_id.is_none_or(|id| id >> 28 == 9), "{name}");
    }
    let Some((none, _)) = module("scesrv.dll") else {
        return;
    };
    assert!(none.is_empty(), "scesrv.dll has no manifest");
}

#[test]
fn every_security_auditing_event_message_is_in_adtschema_s_message_table() {
    // adtschema.dll keeps its message table in the module itself (the others keep theirs in
    // .mui files, not shipped): each of its 488 events names a message it has. A wrong reading
    // of the layout (an offset, the event size) gives ids the table does not have.
    let Some((manifests, ids)) = module("adtschema.dll") else {
        return;
    };
    let auditing = provider(&manifests, "{54849625-5478-4994-a5ba-3e3b0328c30d}").unwrap();
    let mut checked = 0;
    for event in &auditing.events {
        let id = event.message_id.expect("a message");
        assert!(
            ids.contains(&id),
            "event {} v{}: message {id:#x}",
            event.id,
            event.version
        );
        checked += 1;
    }
    assert_eq!(checked, 488);
}

#[test]
fn wevtsvc_declares_the_event_system_evtx_records_carry() {
    // system.evtx's two Microsoft-Windows-Eventlog records: EventID 104, Version 0.
    let Some((manifests, _)) = module("wevtsvc.dll") else {
        return;
    };
    let eventlog = provider(&manifests, "{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}").unwrap();
    let cleared = eventlog
        .events
        .iter()
        .find(|e| e.id == 104 && e.version == 0);
    assert_eq!(cleared.and_then(|e| e.message_id), Some(104));
}
