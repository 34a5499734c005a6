//! Events looked up like codes: `/api/v1/events/{provider}/{id}`, `/api/v1/events/{id}`, the
//! page `/event/{provider}/{id}` and the code page's links to events, on the embedded KB.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;
use werr_server::{router, AppState, KbPool};

async fn get(uri: &str) -> (StatusCode, String) {
    let pool = KbPool::embedded().expect("the embedded KB opens");
    let app = router(AppState::new(Arc::new(pool)));
    let response = app
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get_json(uri: &str) -> (StatusCode, Value) {
    let (status, body) = get(uri).await;
    (status, serde_json::from_str(&body).expect("JSON"))
}

#[tokio::test]
async fn an_event_by_its_short_form_is_the_providers_with_its_releases() {
    let (status, doc) = get_json("/api/v1/events/Security/4624").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["provider"], "Microsoft-Windows-Security-Auditing");
    assert_eq!(doc["event_id"], 4624);
    assert_eq!(doc["provider_match"], "alias");
    assert_eq!(
        doc["href"],
        "/event/Microsoft-Windows-Security-Auditing/4624"
    );
    // The same texts as the KB holds, each with its releases.
    let kb = werr_kb::Kb::embedded().unwrap();
    let texts = kb
        .event_texts("Microsoft-Windows-Security-Auditing", 4624)
        .unwrap();
    assert_eq!(doc["texts"].as_array().unwrap().len(), texts.len());
    for (t, k) in doc["texts"].as_array().unwrap().iter().zip(&texts) {
        assert_eq!(t["text"], k.text.as_str());
        assert_eq!(t["releases"], serde_json::to_value(&k.releases).unwrap());
    }
    assert!(doc["texts"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("An account was successfully logged on."));
    let releases = doc["releases"].as_array().unwrap();
    assert_eq!(releases.first().unwrap(), "vista-sp2");
    assert_eq!(releases.last().unwrap(), "10-1703");
    // The full name, in any case, is the same event.
    let (_, full) = get_json("/api/v1/events/microsoft-windows-security-auditing/0x1210").await;
    assert_eq!(full["texts"], doc["texts"]);
    assert_eq!(full["provider_match"], "name");
}

#[tokio::test]
async fn a_classic_source_answers_with_its_modules_message() {
    let (status, doc) = get_json("/api/v1/events/EventLog/6005").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["provider"], "EventLog");
    assert_eq!(doc["texts"][0]["source"], "netevent.dll");
    assert_eq!(doc["texts"][0]["message_id"], 0x8000_1775u32);
    assert_eq!(
        doc["texts"][0]["text"],
        "The Event log service was started.\r\n"
    );
    assert_eq!(doc["releases"], Value::Array(Vec::new()));
    // The default KB's netevent.dll is ReactOS's table, and the answer says so; the page too.
    assert_eq!(doc["texts"][0]["written_for"], "ReactOS");
    let (status, page) = get("/event/EventLog/6005").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("The text as ReactOS writes it, not Windows' own table"),
        "{page}"
    );
    let (_, doc) = get_json("/api/v1/events/Security/4624").await;
    assert_eq!(doc["texts"][0]["written_for"], Value::Null);
}

#[tokio::test]
async fn events_with_an_id_list_every_provider() {
    let (status, doc) = get_json("/api/v1/events/4624?limit=100").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let events = doc["events"].as_array().unwrap();
    assert_eq!(doc["total"].as_u64().unwrap() as usize, events.len());
    let auditing = events
        .iter()
        .find(|e| e["provider"] == "Microsoft-Windows-Security-Auditing")
        .expect("Security-Auditing has 4624");
    assert_eq!(auditing["oldest_release"], "vista-sp2");
    assert_eq!(
        auditing["href"],
        "/event/Microsoft-Windows-Security-Auditing/4624"
    );
    let kb = werr_kb::Kb::embedded().unwrap();
    let providers = kb.event_providers_with_id(4624).unwrap().len();
    // The KB's providers with the event, and the classic modules with the id.
    assert!(events.len() >= providers, "{} < {providers}", events.len());
    let (_, two) = get_json("/api/v1/events/4624?limit=2").await;
    assert_eq!(two["events"].as_array().unwrap().len(), 2);
    assert_eq!(two["total"], doc["total"]);
}

#[tokio::test]
async fn a_lookup_of_a_decimal_number_carries_its_events_after_the_codes() {
    let (status, doc) = get_json("/api/v1/lookup?q=4624&limit=100").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let (_, by_id) = get_json("/api/v1/events/4624?limit=100").await;
    assert_eq!(
        doc["events"], by_id,
        "the lookup's events are /events/4624's"
    );
    assert!(doc["events"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["provider"] == "Microsoft-Windows-Security-Auditing"));
    // Hex values and names are no event ids.
    for q in ["0x80070005", "E_ACCESSDENIED", "4624x"] {
        let (status, doc) = get_json(&format!("/api/v1/lookup?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{doc}");
        assert!(doc["events"].is_null(), "{q}: {}", doc["events"]);
    }
}

#[tokio::test]
async fn unknown_events_and_bad_ids_are_json_4xx() {
    let (status, doc) = get_json("/api/v1/events/NoSuchProviderAnywhere/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(doc["error"]
        .as_str()
        .unwrap()
        .contains("NoSuchProviderAnywhere"));
    let (status, doc) = get_json("/api/v1/events/Security/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        doc["error"].as_str().unwrap().contains("no event 1 of"),
        "{doc}"
    );
    for bad in [
        "/api/v1/events/Security/65536",
        "/api/v1/events/x",
        "/api/v1/events/-1",
    ] {
        let (status, doc) = get_json(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {doc}");
    }
}

#[tokio::test]
async fn the_event_page_shows_texts_inserts_and_releases() {
    let (status, page) = get("/event/Security/4624").await;
    assert_eq!(status, StatusCode::OK);
    for fact in [
        "<h1>Microsoft-Windows-Security-Auditing/4624</h1>",
        "Found for <code>Security</code>",
        "In 14 Windows releases: vista-sp2,",
        "Its text differs between releases",
        "<code>%1</code>",
        r#"href="/api/v1/events/Microsoft-Windows-Security-Auditing/4624""#,
    ] {
        assert!(page.contains(fact), "missing {fact:?}");
    }
    let (status, page) = get("/event/Service%20Control%20Manager/7036").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("The %1 service entered the %2 state."));
    let (status, _) = get("/event/NoSuchProviderAnywhere/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_code_page_links_the_events_with_its_number() {
    // ERROR_WRONG_EFS is 6005, the id of EventLog's "The Event log service was started."
    let (status, page) = get("/code/ERROR_WRONG_EFS").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Events with id 6005"), "no events section");
    assert!(page.contains(r#"<a href="/event/EventLog/6005">EventLog/6005</a>"#));
    // A code wider than 16 bits has none.
    let (_, page) = get("/code/E_ACCESSDENIED").await;
    assert!(!page.contains("Events with id"));
}
