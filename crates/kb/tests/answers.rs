//! The answer to the codes people look up most: the name that leads and Windows' own text for
//! it, from its Microsoft source (a documentation page or [MS-ERREF]), read back from that
//! source to show the text is the source's own.

use werr_kb::{Kb, MatchReason};

/// (query, the name that leads, whether it answers through a conversion, its exact text, the
/// source kit of the text).
const ANSWERS: &[(&str, &str, bool, &str, &str)] = &[
    ("0x80070005", "E_ACCESSDENIED", false, "General access denied error", "msdocs-win32"),
    ("5", "ERROR_ACCESS_DENIED", false, "Access is denied.", "msdocs-win32"),
    ("2", "ERROR_FILE_NOT_FOUND", false, "The system cannot find the file specified.", "msdocs-win32"),
    ("0x8007007E", "ERROR_MOD_NOT_FOUND", true, "The specified module could not be found.", "msdocs-win32"),
    ("0x80004005", "E_FAIL", false, "Unspecified error", "msdocs-win32"),
    ("0x80070057", "E_INVALIDARG", false, "One or more arguments are invalid", "msdocs-win32"),
    ("0x8007000E", "E_OUTOFMEMORY", false, "Ran out of memory", "msdocs-win32"),
    ("0x80004001", "E_NOTIMPL", false, "Not implemented", "msdocs-win32"),
    ("0x80004002", "E_NOINTERFACE", false, "No such interface supported", "msdocs-win32"),
    (
        "0xC0000005",
        "STATUS_ACCESS_VIOLATION",
        false,
        "The instruction at 0x%08lx referenced memory at 0x%08lx. The memory could not be %s.",
        "ms-erref",
    ),
    (
        "0xC000009A",
        "STATUS_INSUFFICIENT_RESOURCES",
        false,
        "Insufficient system resources exist to complete the API.",
        "ms-erref",
    ),
    (
        "0xC0000022",
        "STATUS_ACCESS_DENIED",
        false,
        "{Access Denied} A process has requested access to an object but has not been granted those access rights.",
        "ms-erref",
    ),
    ("1603", "ERROR_INSTALL_FAILURE", false, "Fatal error during installation.", "msdocs-win32"),
    (
        "1618",
        "ERROR_INSTALL_ALREADY_RUNNING",
        false,
        "Another installation is already in progress. Complete that installation before proceeding with this install.",
        "msdocs-win32",
    ),
    (
        "0x80072EE7",
        "ERROR_INTERNET_NAME_NOT_RESOLVED",
        true,
        "The server name could not be resolved.",
        "msdocs-win32",
    ),
    (
        "0x80244022",
        "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL",
        false,
        "Same as HTTP status 503 – The service is temporarily overloaded.",
        "msdocs-win32",
    ),
    (
        "0x8024402C",
        "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED",
        false,
        "Same as ERROR_WINHTTP_NAME_NOT_RESOLVED - The proxy server or target server name cannot be resolved.",
        "msdocs-win32",
    ),
    (
        "0x80073CF3",
        "ERROR_INSTALL_RESOLVE_DEPENDENCY_FAILED",
        true,
        "Package failed updates, dependency or conflict validation.",
        "msdocs-win32",
    ),
    ("0x800706BA", "RPC_S_SERVER_UNAVAILABLE", true, "The RPC server is unavailable.", "msdocs-win32"),
    ("0x80090016", "NTE_BAD_KEYSET", false, "Keyset does not exist", "msdocs-win32"),
    ("0x8009000F", "NTE_EXISTS", false, "Object already exists.", "msdocs-win32"),
];

#[test]
fn the_most_looked_up_codes_lead_with_their_name_and_microsoft_s_text() {
    let kb = Kb::embedded().unwrap();
    for &(query, name, derived, text, kit) in ANSWERS {
        let matches = kb.lookup(query, 40).unwrap();
        let first = &matches[0];
        assert!(first.lead, "{query}: {first:?}");
        assert_eq!(first.name, name, "{query}");
        assert_eq!(
            matches!(first.reason, MatchReason::Related { .. }),
            derived,
            "{query}: {:?}",
            first.reason
        );
        assert_eq!(first.description.as_deref(), Some(text), "{query}");
        let from = first.description_from.as_deref().unwrap_or_default();
        assert!(from.starts_with(kit), "{query}: text from {from}");
    }
}

#[test]
fn each_text_is_its_microsoft_source_s_own() {
    let kb = Kb::embedded().unwrap();
    for &(query, name, _, text, kit) in ANSWERS {
        let first = kb.lookup(query, 40).unwrap().remove(0);
        let from = first.description_from.unwrap_or_default();
        // `kit version file`: the file is a page of the corpus or a table of impacket.
        let file = from.splitn(3, ' ').nth(2).unwrap_or_default();
        let source = if kit.starts_with("msdocs") {
            let folder = kit.strip_prefix("msdocs-").unwrap_or_default();
            let page = file.split_once('/').map_or(file, |(_, rest)| rest);
            werr_testdata::corpus(&format!("msdocs/{folder}/{page}"))
        } else {
            werr_testdata::fixture(&format!("impacket-0.13.1/{file}"))
        };
        let Some(source) = source else { continue };
        let written = std::fs::read_to_string(&source).unwrap();
        // Pages escape underscores and mark names up; the words of the text are as written.
        let plain = written.replace("\\_", "_");
        assert!(
            plain.contains(name),
            "{query}: {name} in {}",
            source.display()
        );
        let words: String = text.chars().take(24).collect();
        assert!(
            plain.contains(&words),
            "{query}: {words:?} in {}",
            source.display()
        );
    }
}

#[test]
fn no_redistributable_source_names_these() {
    // CBS_E_SOURCE_MISSING (0x800F081F) and the Windows setup result 0xC1900101 are in no
    // source the default KB embeds; COR_E_EXCEPTION has a name (mingw-w64's corerror.h) but
    // no text. The lookup still answers with what is known, and says no name is known.
    let kb = Kb::embedded().unwrap();
    for value in ["0x800F081F", "0xC1900101"] {
        assert!(
            !kb.lookup(value, 40)
                .unwrap()
                .iter()
                .any(|m| matches!(m.reason, MatchReason::Value { .. })),
            "{value} has gained a name: move it to ANSWERS"
        );
    }
    let cor = kb.lookup("0x80131500", 40).unwrap();
    assert_eq!(cor[0].name, "COR_E_EXCEPTION");
    assert_eq!(
        cor[0].description, None,
        "COR_E_EXCEPTION has gained a text"
    );
}

#[test]
fn no_text_sits_on_a_name_its_source_does_not_name() {
    let kb = Kb::embedded().unwrap();
    let conn = kb.connection();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM symbols")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut named = conn
        .prepare(
            "SELECT 1 FROM message_names WHERE name = ?1 AND message_id = ?2 \
             AND (lower(module) = lower(?3) OR lower(module) || '.mui' = lower(?3) \
                  OR (lower(module) IN ('kernelbase.dll', 'kernel32.dll') \
                      AND lower(?3) IN ('kernelbase.dll', 'kernel32.dll', \
                                        'kernelbase.dll.mui', 'kernel32.dll.mui')))",
        )
        .unwrap();
    let mut with_texts = 0;
    for name in &names {
        let texts = kb.messages_named(name).unwrap();
        with_texts += usize::from(!texts.is_empty());
        for t in texts {
            assert!(
                named
                    .exists(rusqlite::params![name, t.message_id, t.module])
                    .unwrap(),
                "{name} shows {} id {:#x}, which no message file names {name}",
                t.module,
                t.message_id
            );
        }
    }
    assert!(with_texts > 3_000, "{with_texts} names have message texts");
    // The names that only share a value with a named message have none of its texts.
    for (name, value) in [("ERROR_I24_BAD_LENGTH", 5), ("ERROR_LABEL_QUESTIONABLE", 2)] {
        assert!(
            kb.messages_named(name).unwrap().is_empty(),
            "{name} = {value}"
        );
    }
}

/// `Kb::answer`, the rule `werr lookup` and the server answer with: what a query is answered
/// with besides the names.
#[test]
fn an_answer_says_what_a_query_is() {
    use werr_kb::lang::LangRequest;
    let kb = Kb::embedded().unwrap();
    let ask = |q: &str| kb.answer(q, &LangRequest::ANY, 20).unwrap();
    // A named value: its name leads, nothing unnamed, no text search.
    let a = ask(" 0x80070005 ");
    assert_eq!(a.query, "0x80070005");
    let lead: Vec<&str> = a.lead().map(|m| m.name.as_str()).collect();
    assert_eq!(lead, ["E_ACCESSDENIED"]);
    assert!(a.unnamed.is_none() && a.hits.is_empty());
    assert_eq!(a.event_id, None, "hex is never an event id");
    // A bare decimal number may be an event id; 70000 cannot.
    assert_eq!(ask("4624").event_id, Some(4624));
    assert_eq!(ask("70000").event_id, None);
    // A value no source names: its readings are the answer.
    let a = ask("0x7FFF1234");
    assert_eq!(
        a.unnamed.as_ref().map(|u| u.value.unsigned),
        Some(0x7FFF_1234)
    );
    // Words no name has: the texts with them.
    let a = ask("access denied");
    assert!(a.matches.is_empty() && a.unnamed.is_none());
    assert!(!a.hits.is_empty());
    // A value that cannot be read is not searched for as words.
    assert!(ask("0xZZZ").is_empty());
}
