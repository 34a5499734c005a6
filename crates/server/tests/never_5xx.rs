//! Whatever text lands in a path segment or a query parameter, the answer is never a 5xx and
//! always has the body its route promises (JSON under /api/, HTML for pages). Texts are kept
//! short: a text that matches no name makes the KB compare it with every name (a typo
//! search), which is slow in a debug build; the length limits have their own tests.

use axum::body::Body;
use axum::http::{header, Request};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;
use werr_server::{router, AppState, KbPool};

fn state() -> AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE
        .get_or_init(|| AppState::new(Arc::new(KbPool::embedded().expect("embedded KB"))))
        .clone()
}

/// Percent-encodes every byte outside the unreserved set, as a browser would.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn status_and_type(uri: &str) -> (u16, String) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = router(state())
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (response.status().as_u16(), content_type)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn api_routes_answer_any_text_without_a_server_error(text in "\\PC{0,24}") {
        let t = encode(&text);
        for uri in [
            format!("/api/v1/decode/{t}"),
            format!("/api/v1/symbols/{t}"),
            format!("/api/v1/lookup?q={t}"),
            format!("/api/v1/search?q={t}"),
            format!("/api/v1/search?q=error&lang={t}"),
        ] {
            let (status, content_type) = status_and_type(&uri);
            prop_assert!(status < 500, "{uri}: {status}");
            prop_assert!(content_type.starts_with("application/json"), "{uri}: {content_type}");
        }
    }

    #[test]
    fn pages_answer_any_text_without_a_server_error(text in "\\PC{0,24}") {
        let t = encode(&text);
        for uri in [format!("/code/{t}"), format!("/value/{t}"), format!("/?q={t}")] {
            let (status, content_type) = status_and_type(&uri);
            prop_assert!(status < 500, "{uri}: {status}");
            prop_assert!(content_type.starts_with("text/html"), "{uri}: {content_type}");
        }
    }
}
