//! Events looked up like codes: `werr show PROVIDER/ID` (full names, short forms, classic
//! sources, ambiguity), the events listed after a bare number's codes, and `werr search`
//! finding event texts; on the default KB alone.

use crate::common::{stdout_of, werr};
use serde_json::Value;

#[test]
fn show_reads_full_names_short_forms_and_classic_sources() {
    let full = stdout_of(werr().args(["show", "Microsoft-Windows-Security-Auditing/4624"]));
    assert!(
        full.starts_with("Microsoft-Windows-Security-Auditing/4624\n"),
        "{full}"
    );
    assert!(full.contains("An account was successfully logged on."));
    // The channel name people use, and the case does not matter.
    let short = stdout_of(werr().args(["show", "security/4624"]));
    assert!(
        short.starts_with("Microsoft-Windows-Security-Auditing/4624  (for `security`)\n"),
        "{short}"
    );
    assert_eq!(
        short.lines().skip(1).collect::<Vec<_>>(),
        full.lines().skip(1).collect::<Vec<_>>()
    );
    // Bare, as a lookup.
    assert_eq!(stdout_of(werr().arg("security/4624")), short);
    // The end of a provider's name.
    let kernel = stdout_of(werr().args(["show", "Kernel-General/12"]));
    assert!(kernel.starts_with("Microsoft-Windows-Kernel-General/12  (for `Kernel-General`)"));
    assert!(kernel.contains("The operating system started at system time %7."));
    // A classic source: its module's message, from the default KB's ReactOS table, which
    // says so (its 6009 names ReactOS where Windows' names Microsoft Windows).
    let started = stdout_of(werr().args(["show", "EventLog/6005"]));
    assert_eq!(
        started,
        "EventLog/6005\nmessage 0x80001775 of netevent.dll (en-US)\n  (the text as ReactOS \
         writes it, not Windows' own table: the wording can differ)\n  The Event log service \
         was started.\n"
    );
    let product: Value =
        serde_json::from_str(&stdout_of(werr().args(["show", "--json", "EventLog/6009"]))).unwrap();
    assert_eq!(product["texts"][0]["written_for"], "ReactOS");
    assert_eq!(product["texts"][0]["text"], "ReactOS %1 %2 %3 %4.\r\n");
}

#[test]
fn show_json_gives_texts_releases_and_how_the_provider_was_read() {
    let out = stdout_of(werr().args(["show", "--json", "Security/4625"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["provider"], "Microsoft-Windows-Security-Auditing");
    assert_eq!(doc["event_id"], 4625);
    assert_eq!(doc["provider_match"], "alias");
    assert_eq!(doc["releases"]["oldest"], "vista-sp2");
    assert_eq!(doc["releases"]["newest"], "10-1703");
    let kb = werr_kb::Kb::embedded().unwrap();
    let texts = kb
        .event_texts("Microsoft-Windows-Security-Auditing", 4625)
        .unwrap();
    let shown = doc["texts"].as_array().unwrap();
    assert_eq!(shown.len(), texts.len());
    for (s, t) in shown.iter().zip(&texts) {
        assert_eq!(s["text"], t.text.as_str());
        assert_eq!(s["source"], "welm 2.3.0.0");
        assert_eq!(s["written_for"], Value::Null, "Windows' own text");
    }
}

#[test]
fn show_says_what_it_cannot_find_and_lists_candidates() {
    let out = werr()
        .args(["show", "NoSuchProviderAnywhere/1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no provider `NoSuchProviderAnywhere`"));
    let out = werr().args(["show", "Security/1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no event 1 of"));
    // A suffix several providers end with, each having the event: all are named.
    let kb = werr_kb::Kb::embedded().unwrap();
    let names = kb.event_provider_names().unwrap();
    let with_client: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with("-client"))
        .collect();
    assert!(with_client.len() > 1, "{with_client:?}");
    let out = werr().args(["show", "Client/1"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let having: Vec<&&String> = with_client
        .iter()
        .filter(|n| !kb.event_texts(n, 1).unwrap().is_empty())
        .collect();
    if having.len() > 1 {
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr.contains("several providers have event 1"),
            "{stderr}"
        );
        for n in having {
            assert!(stderr.contains(&format!("{n}/1")), "{n} not in {stderr}");
        }
    }
}

#[test]
fn a_bare_number_lists_its_events_after_the_codes() {
    let out = stdout_of(werr().arg("6005"));
    let lines: Vec<&str> = out.lines().collect();
    // The code first, as before.
    assert!(lines[0].starts_with("0x00001775  ERROR_WRONG_EFS"), "{out}");
    // Then the credit of the code's text (its license asks for it), then the events.
    let at = lines
        .iter()
        .position(|l| *l == "events with id 6005:")
        .expect("an events section");
    assert!(
        lines[1..at].iter().all(|l| l.starts_with("  text from ")),
        "{out}"
    );
    assert!(
        lines[at + 1].trim_start().starts_with("EventLog/6005"),
        "{out}"
    );
    assert!(lines[at + 1].ends_with("The Event log service was started."));
    // Folded beyond a few, with how to see all.
    let listed = lines[at + 1..]
        .iter()
        .filter(|l| l.starts_with("  "))
        .count();
    assert_eq!(listed, 5, "{out}");
    let folded = lines.last().unwrap();
    assert!(
        folded.starts_with('+') && folded.ends_with("werr lookup --all 6005"),
        "{out}"
    );
    let all = stdout_of(werr().args(["lookup", "--all", "6005"]));
    let hidden: usize = folded[1..].split(' ').next().unwrap().parse().unwrap();
    let listed_all = all
        .lines()
        .skip_while(|l| *l != "events with id 6005:")
        .skip(1)
        .filter(|l| l.starts_with("  "))
        .count();
    assert_eq!(listed_all, listed + hidden);
    // JSON carries them too; a hex value or a value past 16 bits asks for none.
    let doc: Value =
        serde_json::from_str(&stdout_of(werr().args(["lookup", "--json", "4624"]))).unwrap();
    // The event people look up leads: Security's logon, before netmsg.dll's message 4624
    // of the classic Workstation source.
    let events = doc[0]["events"].as_array().unwrap();
    assert_eq!(
        events[0]["provider"], "Microsoft-Windows-Security-Auditing",
        "{events:?}"
    );
    assert!(events.iter().any(|e| e["provider"] == "Workstation"));
    let hex = stdout_of(werr().arg("0x80070005"));
    assert!(!hex.contains("events with id"), "{hex}");
}

/// A bare number no code has is an event id people read off a log: its events come second,
/// after one line on the value, not after its every bit field.
#[test]
fn a_number_no_code_has_leads_with_its_events() {
    let out = stdout_of(werr().arg("7036"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0], "0x00001B7C  no name in the KB; its fields: werr decode 7036",
        "{out}"
    );
    assert_eq!(lines[1], "events with id 7036:", "{out}");
    assert!(
        lines[2]
            .trim_start()
            .starts_with("Service Control Manager/7036"),
        "{out}"
    );
    // With --all, everything: the readings too.
    let all = stdout_of(werr().args(["lookup", "--all", "7036"]));
    assert!(
        all.contains("  as event     qualifiers=0 event_id=7036"),
        "{all}"
    );
}

#[test]
fn search_finds_event_texts_after_the_codes() {
    let out = stdout_of(werr().args(["search", "logon", "failure"]));
    let (codes, events) = out.split_once("events:\n").expect("an events section");
    assert!(codes.contains("ERROR_LOGON_FAILURE"), "{codes}");
    assert!(!events.is_empty());
    for line in events.lines() {
        let (name, text) = line.split_once("  ").unwrap();
        assert!(name.contains('/'), "{line}");
        let lower = text.to_lowercase();
        assert!(
            lower.contains("logon") && lower.contains("failure"),
            "{line}"
        );
    }
    let doc: Value = serde_json::from_str(&stdout_of(
        werr().args(["search", "--json", "logon", "failure"]),
    ))
    .unwrap();
    let kinds: Vec<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    let first_event = kinds
        .iter()
        .position(|k| *k == "event")
        .expect("event hits");
    assert!(
        kinds[first_event..].iter().all(|k| *k == "event"),
        "codes first"
    );
}
