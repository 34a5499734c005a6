//! Every route through `tower::ServiceExt::oneshot` on the embedded knowledge base: the
//! answers, and for bad input a 4xx with a JSON (API) or HTML (pages) message, never a 5xx.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;
use werr_server::{router, AppState, KbPool, MAX_BODY_BYTES, MAX_QUERY_CHARS};

fn app() -> Router {
    let pool = KbPool::embedded().expect("the embedded KB opens");
    router(AppState::new(Arc::new(pool)))
}

struct Answer {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        assert!(
            self.content_type.starts_with("application/json"),
            "content type {:?} for {}",
            self.content_type,
            self.body
        );
        serde_json::from_str(&self.body).expect("valid JSON")
    }
}

async fn send(request: Request<Body>) -> Answer {
    send_to(app(), request).await
}

async fn send_to(app: Router, request: Request<Body>) -> Answer {
    let response = app.oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        content_type,
        headers,
        // Pages and JSON are UTF-8; an icon is read as bytes.
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(uri: &str) -> Answer {
    send(Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn get_with(uri: &str, name: &str, value: &str) -> Answer {
    send(
        Request::get(uri)
            .header(name, value)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

async fn post_json(uri: &str, body: &str) -> Answer {
    send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request"),
    )
    .await
}

/// An API failure: the status, and a JSON body carrying a message and the same status.
fn assert_json_error(answer: &Answer, status: StatusCode) -> String {
    assert_eq!(answer.status, status, "{}", answer.body);
    let doc = answer.json();
    assert_eq!(doc["status"], status.as_u16());
    let message = doc["error"].as_str().expect("error message").to_string();
    assert!(!message.is_empty());
    message
}

/// A page failure: the status and an HTML page.
fn assert_html_error(answer: &Answer, status: StatusCode) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(
        answer.content_type.starts_with("text/html"),
        "{}",
        answer.content_type
    );
    assert!(
        answer.body.contains("<form"),
        "error pages keep the search box"
    );
}

fn names(results: &Value) -> Vec<&str> {
    results
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect()
}

#[tokio::test]
async fn healthz_answers_ok() {
    let a = get("/healthz").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, "ok");
}

#[tokio::test]
async fn decode_gives_the_three_value_forms_and_every_reading() {
    let doc = get("/api/v1/decode/0x80001083").await.json();
    assert_eq!(doc["value"]["hex"], "0x80001083");
    assert_eq!(doc["value"]["signed"], -2147479421i64);
    assert_eq!(doc["value"]["unsigned"], 2147487875u64);
    let schemes: Vec<&str> = doc["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scheme"].as_str().unwrap())
        .collect();
    assert!(
        schemes.contains(&"message") && schemes.contains(&"hresult"),
        "{schemes:?}"
    );
}

#[tokio::test]
async fn decode_is_the_same_document_as_the_cli_shape() {
    let parsed = werr_codes::parse_value("80001083").unwrap();
    let expected =
        serde_json::to_value(werr_codes::Decoding::new("80001083", &parsed, None)).unwrap();
    assert_eq!(get("/api/v1/decode/80001083").await.json(), expected);
}

#[tokio::test]
async fn decode_as_keeps_one_reading() {
    let doc = get("/api/v1/decode/5?as=win32").await.json();
    assert_eq!(doc["readings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["readings"][0]["scheme"], "win32");
}

#[tokio::test]
async fn decode_rejects_non_numeric_value() {
    let message = assert_json_error(&get("/api/v1/decode/zz9").await, StatusCode::BAD_REQUEST);
    assert!(message.contains("unexpected `z` at offset 0"), "{message}");
}

#[tokio::test]
async fn decode_rejects_value_wider_than_32_bits() {
    assert_json_error(
        &get("/api/v1/decode/0x1FFFFFFFF").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn decode_rejects_unknown_scheme() {
    let message = assert_json_error(
        &get("/api/v1/decode/5?as=vax").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(message.contains("vax"), "{message}");
}

#[tokio::test]
async fn decode_rejects_oversize_value() {
    let long = "1".repeat(MAX_QUERY_CHARS + 1);
    let message = assert_json_error(
        &get(&format!("/api/v1/decode/{long}")).await,
        StatusCode::BAD_REQUEST,
    );
    assert!(message.contains("at most 256"), "{message}");
}

#[tokio::test]
async fn lookup_finds_a_name_by_value_and_through_hresult_from_win32() {
    let doc = get("/api/v1/lookup?q=0x80070005").await.json();
    let results = &doc["results"];
    assert_eq!(results[0]["name"], "E_ACCESSDENIED");
    assert_eq!(results[0]["matched"], "value");
    assert_eq!(results[0]["href"], "/code/E_ACCESSDENIED");
    // The answer first, as the CLI gives it: the one name that leads, then the others.
    assert_eq!(results[0]["lead"], true);
    assert!(results.as_array().unwrap()[1..]
        .iter()
        .all(|r| r["lead"] == false));
    // Its text is Microsoft's documentation's, credited with the page and the license.
    let credit = &results[0]["description_source"];
    assert_eq!(credit["source"], "msdocs-win32", "{credit}");
    assert_eq!(credit["license"], "CC-BY-4.0");
    assert!(credit["file"].as_str().unwrap().starts_with("desktop-src/"));
    let related = results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "ERROR_ACCESS_DENIED")
        .expect("ERROR_ACCESS_DENIED through HRESULT_FROM_WIN32");
    assert_eq!(related["matched"], "related");
    assert!(related["detail"]
        .as_str()
        .unwrap()
        .contains("HRESULT_FROM_WIN32"));
}

#[tokio::test]
async fn lookup_reads_every_value_form() {
    for q in ["-2147024891", "2147942405", "80070005", "0x80070005L"] {
        let doc = get(&format!("/api/v1/lookup?q={q}")).await.json();
        assert!(
            names(&doc["results"]).contains(&"E_ACCESSDENIED"),
            "{q}: {doc}"
        );
    }
}

#[tokio::test]
async fn lookup_reads_pasted_text_as_the_cli_does() {
    // The value inside pasted text is answered, as `werr lookup Error 0x80070005` answers it.
    for q in [
        "Error%200x80070005",
        "hr%3D0x80070005",
        "Error%200x80070005%3A%20Access%20denied",
    ] {
        let doc = get(&format!("/api/v1/lookup?q={q}")).await.json();
        assert_eq!(doc["answered"], "0x80070005", "{q}: {doc}");
        assert_eq!(doc["results"][0]["name"], "E_ACCESSDENIED", "{q}: {doc}");
        assert_eq!(doc["also"], serde_json::json!([]), "{q}");
    }
    // Several queries: the first answered, the others named.
    let doc = get("/api/v1/lookup?q=5%20E_FAIL").await.json();
    assert_eq!(doc["query"], "5 E_FAIL");
    assert_eq!(doc["answered"], "5");
    assert_eq!(doc["also"], serde_json::json!(["E_FAIL"]));
    assert!(
        names(&doc["results"]).contains(&"ERROR_ACCESS_DENIED"),
        "{doc}"
    );
    // Words stay one phrase; a single value or name is answered as it is.
    let doc = get("/api/v1/lookup?q=access%20denied").await.json();
    assert_eq!(doc["answered"], "access denied");
    let doc = get("/api/v1/lookup?q=E_FAIL").await.json();
    assert_eq!(doc["answered"], "E_FAIL");
    // The search page says what it answered and links the others.
    let page = get("/?q=5%20E_FAIL").await;
    assert!(page.body.contains("<code>5</code>"), "{}", page.body);
    assert!(page.body.contains(r#"href="/?q=E_FAIL""#), "{}", page.body);
}

#[tokio::test]
async fn lookup_ends_with_the_bare_values_to_decode() {
    let doc = get("/api/v1/lookup?q=80001083").await.json();
    let decodings: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["matched"] == "decoding")
        .map(|r| r["href"].as_str().unwrap())
        .collect();
    // 80001083 is hex first, then decimal 80001083 = 0x04C4B83B.
    assert_eq!(decodings, ["/value/0x80001083", "/value/0x04C4B83B"]);
}

#[tokio::test]
async fn lookup_finds_names_by_prefix_and_by_typo() {
    let prefix = get("/api/v1/lookup?q=E_ACCESSDENIE").await.json();
    assert!(
        names(&prefix["results"]).contains(&"E_ACCESSDENIED"),
        "{prefix}"
    );
    let typo = get("/api/v1/lookup?q=ERROR_ACESS_DENIED").await.json();
    // The ranking among near spellings is the KB's; the server must pass the match through.
    assert!(
        names(&typo["results"]).contains(&"ERROR_ACCESS_DENIED"),
        "{typo}"
    );
}

#[tokio::test]
async fn lookup_finds_words_in_the_text_index() {
    let doc = get("/api/v1/lookup?q=accessdenied").await.json();
    assert!(names(&doc["results"]).contains(&"E_ACCESSDENIED"), "{doc}");
}

#[tokio::test]
async fn lookup_of_blank_query_is_empty() {
    let doc = get("/api/v1/lookup?q=%20%20").await.json();
    assert_eq!(doc["results"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn lookup_without_q_is_a_json_400() {
    let message = assert_json_error(&get("/api/v1/lookup").await, StatusCode::BAD_REQUEST);
    assert!(message.contains("q"), "{message}");
}

#[tokio::test]
async fn lookup_rejects_limits_out_of_range() {
    assert_json_error(
        &get("/api/v1/lookup?q=5&limit=0").await,
        StatusCode::BAD_REQUEST,
    );
    assert_json_error(
        &get("/api/v1/lookup?q=5&limit=101").await,
        StatusCode::BAD_REQUEST,
    );
    assert_json_error(
        &get("/api/v1/lookup?q=5&limit=many").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn lookup_rejects_oversize_query() {
    let q = "A".repeat(MAX_QUERY_CHARS + 1);
    assert_json_error(
        &get(&format!("/api/v1/lookup?q={q}")).await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn symbols_answers_the_show_json_record() {
    let doc = get("/api/v1/symbols/ERROR_ACCESS_DENIED").await.json();
    let kb = werr_kb::Kb::embedded().unwrap();
    let record = kb
        .record("ERROR_ACCESS_DENIED", &werr_kb::lang::LangRequest::ANY)
        .unwrap()
        .expect("in the KB");
    assert_eq!(doc, serde_json::to_value(&record).unwrap());
    assert_eq!(doc["value"]["hex"], "0x00000005");
    for key in [
        "name",
        "value",
        "type",
        "c_type",
        "description",
        "defined_at",
        "line_comments",
        "group",
        "also_used_in",
        "layout",
        "type_description",
        "messages",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
}

/// A name with no text of its own reads as the code its value derives from, on its page and
/// in the API, saying so.
#[tokio::test]
async fn a_name_without_a_text_shows_the_text_it_derives_from() {
    let doc = get("/api/v1/symbols/WININET_E_NAME_NOT_RESOLVED")
        .await
        .json();
    assert_eq!(doc["description"], "The server name could not be resolved.");
    assert_eq!(
        doc["description_of"],
        "0x80072EE7 = HRESULT_FROM_WIN32(ERROR_INTERNET_NAME_NOT_RESOLVED)"
    );
    let page = get("/code/WININET_E_NAME_NOT_RESOLVED").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(
            "The text of the code it derives from: 0x80072EE7 = \
             HRESULT_FROM_WIN32(ERROR_INTERNET_NAME_NOT_RESOLVED)"
        ),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn symbols_rejects_unknown_name_with_404() {
    let message = assert_json_error(
        &get("/api/v1/symbols/NO_SUCH_CODE_ANYWHERE").await,
        StatusCode::NOT_FOUND,
    );
    assert!(message.contains("NO_SUCH_CODE_ANYWHERE"), "{message}");
}

#[tokio::test]
async fn symbols_rejects_unknown_language() {
    assert_json_error(
        &get("/api/v1/symbols/E_ACCESSDENIED?lang=klingon").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn search_finds_names_in_the_text_index() {
    let doc = get("/api/v1/search?q=accessdenied&limit=50").await.json();
    assert!(
        names(&doc["results"]).contains(&"STG_E_ACCESSDENIED"),
        "{doc}"
    );
    assert!(doc["results"].as_array().unwrap().len() <= 50);
}

#[tokio::test]
async fn search_rejects_empty_query_and_bad_language() {
    assert_json_error(&get("/api/v1/search?q=%20").await, StatusCode::BAD_REQUEST);
    assert_json_error(
        &get("/api/v1/search?q=x&lang=%3Cb%3E").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn search_survives_fts_syntax_in_the_query() {
    for q in ["%22", "NEAR(", "a%20OR", "*", "%5E"] {
        let a = get(&format!("/api/v1/search?q={q}")).await;
        assert!(
            a.status == StatusCode::OK || a.status == StatusCode::BAD_REQUEST,
            "{q}: {}",
            a.body
        );
    }
}

#[tokio::test]
async fn format_renders_inserts_as_formatmessage() {
    let doc = post_json(
        "/api/v1/format",
        r#"{"text": "%1 of %2!d! writers agree: Soccer is %3%!", "args": ["4", 5, "Best"]}"#,
    )
    .await
    .json();
    assert_eq!(doc["text"], "4 of 5 writers agree: Soccer is Best!");
}

#[tokio::test]
async fn symbols_and_format_fall_back_as_the_pages_do() {
    let doc = get("/api/v1/symbols/ERROR_INTERNET_TIMEOUT?lang=el")
        .await
        .json();
    assert_eq!(doc["messages"][0]["lang"], "en-US");
    assert_eq!(doc["description"], "The request has timed out.");
    assert_eq!(
        doc["language"]["fallback_note"],
        "no text in el; showing en-US"
    );
    let greek = post_json("/api/v1/format", r#"{"id": "12002", "lang": "el"}"#)
        .await
        .json();
    assert_eq!(greek["lang"], "en-US");
    assert_eq!(greek["text"], "The request has timed out.\r\n");
    // The KB's wininet.dll is Wine's: the English text is Microsoft's, and the answer says so.
    assert_eq!(
        greek["note"],
        "Microsoft's text of Win32 error 12002 (msdocs-win32 47e64c1): the KB's wininet.dll is \
         Wine's"
    );
    let wine = post_json("/api/v1/format", r#"{"id": "14"}"#).await.json();
    assert_eq!(
        wine["text"],
        "Not enough storage is available to complete this operation.\r\n"
    );
    // A Win32 error Wine's table lacks is Windows' own text, as `werr format --id` gives it.
    let lacking = post_json("/api/v1/format", r#"{"id": "1275"}"#)
        .await
        .json();
    assert_eq!(
        lacking["text"],
        "This driver has been blocked from loading.\r\n"
    );
    assert_eq!(
        lacking["note"],
        "Microsoft's text of Win32 error 1275 (msdocs-win32 47e64c1): the KB's kernelbase.dll \
         is Wine's, which lacks it"
    );
    let text = post_json("/api/v1/format", r#"{"text": "x"}"#).await.json();
    assert_eq!(text["note"], serde_json::Value::Null);
    let japanese = post_json("/api/v1/format", r#"{"id": "12002", "lang": "0x411"}"#)
        .await
        .json();
    assert_eq!(japanese["lang"], "ja");
}

#[tokio::test]
async fn format_wraps_at_max_width() {
    let doc = post_json(
        "/api/v1/format",
        r#"{"text": "short long line", "max_width": 11}"#,
    )
    .await
    .json();
    assert_eq!(doc["text"], "short long\r\nline");
}

#[tokio::test]
async fn format_names_the_missing_insert() {
    let a = post_json(
        "/api/v1/format",
        r#"{"text": "%1 and %2", "args": ["one"]}"#,
    )
    .await;
    let message = assert_json_error(&a, StatusCode::BAD_REQUEST);
    assert!(message.contains('2'), "{message}");
}

#[tokio::test]
async fn format_refuses_output_past_the_limit_with_422() {
    // The 64 KiB body of issue 17: 16,000 inserts of a 32,000-character argument would render
    // 512 MB; the answer is a short JSON error, not the text.
    let body = serde_json::json!({
        "text": "%1".repeat(16_000),
        "args": ["x".repeat(32_000)],
    })
    .to_string();
    assert!(body.len() <= MAX_BODY_BYTES);
    let a = post_json("/api/v1/format", &body).await;
    let message = assert_json_error(&a, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message.contains(&format!(
            "would pass {} bytes",
            werr_format::MAX_OUTPUT_BYTES
        )),
        "{message}"
    );
    assert!(a.body.len() < 1000, "{} bytes", a.body.len());
}

#[tokio::test]
async fn format_rejects_text_and_id_together() {
    let a = post_json("/api/v1/format", r#"{"text": "x", "id": "5"}"#).await;
    assert_json_error(&a, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn format_rejects_malformed_json_and_wrong_shape() {
    assert_json_error(
        &post_json("/api/v1/format", "{").await,
        StatusCode::BAD_REQUEST,
    );
    assert_json_error(
        &post_json("/api/v1/format", r#"{"text": 5}"#).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_json_error(
        &post_json("/api/v1/format", r#"{"text": "x", "args": [1.5]}"#).await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn format_rejects_body_over_the_limit() {
    let text = "x".repeat(MAX_BODY_BYTES + 10);
    let a = post_json("/api/v1/format", &format!(r#"{{"text": "{text}"}}"#)).await;
    assert_json_error(&a, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn format_without_json_content_type_is_415() {
    let a = send(
        Request::post("/api/v1/format")
            .body(Body::from(r#"{"text": "x"}"#))
            .unwrap(),
    )
    .await;
    assert_json_error(&a, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn api_answers_unknown_routes_and_methods_in_json() {
    assert_json_error(&get("/api/v1/nothing").await, StatusCode::NOT_FOUND);
    let a = send(
        Request::builder()
            .method(Method::DELETE)
            .uri("/api/v1/lookup?q=5")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_json_error(&a, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn openapi_document_is_served_as_json() {
    let doc = get("/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.0.3");
    assert!(doc["paths"]["/api/v1/lookup"]["get"].is_object());
}

#[tokio::test]
async fn search_page_has_the_box_and_the_script_and_nothing_external() {
    let a = get("/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body.contains(r#"<input id="q" type="search" name="q""#),
        "{}",
        a.body
    );
    assert!(a.body.contains(r#"<script src="/static/search.js""#));
    assert!(!a.body.contains("http://") && !a.body.contains("https://"));
    let csp = a.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
}

#[tokio::test]
async fn search_page_renders_results_without_javascript() {
    let a = get("/?q=0x80070005").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body
            .contains(r#"<a href="/code/E_ACCESSDENIED">E_ACCESSDENIED</a>"#),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn about_page_serves_the_data_notice_escaped_and_every_footer_links_it() {
    let a = get("/about").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.content_type.starts_with("text/html"),
        "{}",
        a.content_type
    );
    // The notice's `<https://...>` links are text, escaped like every other text.
    assert!(werr_kb::DATA_NOTICE.contains("<https://creativecommons.org/licenses/by/4.0/>"));
    assert!(a
        .body
        .contains("&lt;https://creativecommons.org/licenses/by/4.0/&gt;"));
    assert!(!a.body.contains("<https://"));
    for section in werr_kb::DATA_NOTICE
        .lines()
        .filter(|l| l.starts_with("## "))
    {
        let title = section.trim_start_matches("## ").replace('&', "&amp;");
        assert!(a.body.contains(&title), "{title}");
    }
    for page in ["/", "/code/E_ACCESSDENIED", "/value/0x5", "/about"] {
        let body = get(page).await.body;
        assert!(body.contains(r#"<a href="/about">"#), "{page}");
    }
}

#[tokio::test]
async fn pages_escape_what_the_reader_typed() {
    let a = get("/?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(!a.body.contains("<script>alert"), "{}", a.body);
    assert!(a.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let b = get("/code/%3Cimg%20src=x%3E").await;
    assert_eq!(b.status, StatusCode::NOT_FOUND);
    assert!(!b.body.contains("<img src=x>") && b.body.contains("&lt;img src=x&gt;"));
}

#[tokio::test]
async fn code_page_shows_every_field_and_the_bit_box() {
    let a = get("/code/E_ACCESSDENIED").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for fact in [
        "<h1>E_ACCESSDENIED, 0x80070005</h1>",
        "-2147024891",
        "2147942405",
        "<dt>C/C++ Type</dt>",
        "<dt>Defined at</dt>",
        "src/Windows/Win32/Foundation/mod.rs, line",
        "|S|R|C|N|X|",
        "<summary>Other readings of 0x80070005</summary>",
        r#"<a href="/code/ERROR_ACCESS_DENIED">ERROR_ACCESS_DENIED</a>"#,
        "<summary>Neighbours</summary>",
        // The text's credit: page, license, and the page of every source's terms.
        "Text: Microsoft Learn (msdocs-win32 47e64c1), desktop-src/",
        r#"CC-BY-4.0 · <a href="/about">sources and licenses</a>"#,
    ] {
        assert!(a.body.contains(fact), "missing {fact:?}");
    }
    assert_eq!(a.headers[header::VARY], "Accept-Language");
}

/// The part of a page before its first folded section (`<details>`).
fn unfolded(page: &str) -> &str {
    &page[..page.find("<details").unwrap_or(page.len())]
}

#[tokio::test]
async fn code_page_draws_its_layout_once_and_folds_the_other_readings() {
    // A message id whose header says so: its own layout leads, labelled as such, and no
    // other reading is called more plausible.
    let a = get("/code/EVENT_TCPIP_TCP_TIME_WAIT_COLLISION").await;
    assert_eq!(a.status, StatusCode::OK);
    let top = unfolded(&a.body);
    assert_eq!(top.matches(r#"<pre class="bitbox">"#).count(), 1, "{top}");
    assert!(top.contains("<dt>Layout</dt>"));
    assert!(top.contains("message id (mc.exe layout)"));
    assert!(!top.contains("layout) layout"));
    assert!(!a.body.contains("most plausible"), "{}", a.body);
    // The other readings are folded, the record's own one is not repeated there.
    let readings = &a.body[a.body.find("Other readings of").expect("folded readings")..];
    assert!(readings.contains("<h3>HRESULT"));
    assert!(!readings[..readings.find("</details>").unwrap()].contains("<h3>message id"));
}

#[tokio::test]
async fn value_page_answers_with_the_derived_reading_and_its_credited_text() {
    // No name of 0x8007007E itself: HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND) answers.
    let a = get("/value/0x8007007E").await;
    assert_eq!(a.status, StatusCode::OK);
    let answer = &a.body[a.body.find(r#"<div class="answer">"#).expect("an answer")..];
    assert!(
        answer.starts_with(
            r#"<div class="answer"><p><a href="/code/ERROR_MOD_NOT_FOUND">0x8007007E = HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)</a>: The specified module could not be found."#
        ),
        "{answer}"
    );
    assert!(answer.contains("Text: Microsoft Learn"), "{answer}");
    // The answer comes before the value's forms.
    assert!(a.body.find("answer").unwrap() < a.body.find("hexadecimal value").unwrap());
}

#[tokio::test]
async fn search_page_leads_with_the_answer_and_folds_the_other_names() {
    let a = get("/?q=0x80070005").await;
    let results = &a.body[a.body.find(r#"id="results""#).expect("results")..];
    let lead = results.find(r#"<li class="lead"><a href="/code/E_ACCESSDENIED">"#);
    let folded = results.find("<details><summary>+");
    assert!(lead.is_some() && folded.is_some(), "{results}");
    assert!(lead < folded);
    assert!(results.contains("other names with this value or converting to it</summary>"));
    // The answer's text and its credit.
    assert!(results.contains(r#"<span class="snippet">General access denied error</span>"#));
    assert!(results.contains(r#"<span class="credit">Text: Microsoft Learn"#));
}

#[tokio::test]
async fn a_text_of_wine_s_or_reactos_s_tables_is_marked_as_theirs() {
    for (query, kit) in [
        ("MF_E_PLATFORM_NOT_INITIALIZED", "wine 8.0"),
        ("EVENT_EventLogProductInfo", "reactos git"),
    ] {
        let system = if kit.starts_with("wine") {
            "Wine"
        } else {
            "ReactOS"
        };
        let mark = format!("written for {system}: Windows' wording can differ");
        let results = get(&format!("/?q={query}")).await.body;
        assert!(results.contains(&format!("({kit})")), "{results}");
        assert!(results.contains(&mark), "{query}: {results}");
        let page = get(&format!("/code/{query}")).await.body;
        assert!(page.contains(&mark), "{query}: {page}");
    }
    // Microsoft's own words carry no such mark.
    let page = get("/code/E_ACCESSDENIED").await.body;
    assert!(!page.contains("Windows' wording can differ"));
    // In English the description is Microsoft's, not Wine's table's ("Out of memory."), as
    // `werr show` gives it; in German, Wine's translation, marked.
    let english = get("/code/ERROR_OUTOFMEMORY").await.body;
    let description = description_field(&english);
    assert!(
        description.contains("Not enough storage is available to complete this operation.")
            && !description.contains("Out of memory"),
        "{description}"
    );
    let german = get("/code/ERROR_OUTOFMEMORY?lang=de").await.body;
    let description = description_field(&german);
    assert!(
        description.contains("Kein Arbeitsspeicher mehr.")
            && description.contains("written for Wine: Windows' wording can differ"),
        "{description}"
    );
}

#[tokio::test]
async fn search_page_marks_the_words_it_matched() {
    let a = get("/?q=module%20could%20not%20be%20found").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body.contains("The specified <mark>module</mark> <mark>could</mark> <mark>not</mark> <mark>be</mark> <mark>found</mark>."),
        "{}",
        a.body
    );
    // A value matches no words: nothing is marked.
    assert!(!get("/?q=0x5").await.body.contains("<mark>"));
}

#[tokio::test]
async fn favicon_is_an_icon() {
    let a = send(
        Request::builder()
            .uri("/favicon.ico")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type, "image/x-icon");
}

#[tokio::test]
async fn code_page_for_unknown_name_is_404_with_similar_names() {
    let a = get("/code/E_ACCESSDENIE").await;
    assert_html_error(&a, StatusCode::NOT_FOUND);
    assert!(
        a.body.contains(r#"<a href="/code/E_ACCESSDENIED">"#),
        "{}",
        a.body
    );
}

/// The page's Description field (up to the next field).
fn description_field(page: &str) -> &str {
    let start = page.find("<dt>Description</dt>").expect("a description");
    let end = page[start..]
        .find("<dt>C/C++ Type</dt>")
        .expect("the next field");
    &page[start..start + end]
}

#[tokio::test]
async fn code_page_falls_back_from_a_language_without_text_and_says_so() {
    // Greek is a language werr knows; wininet has no Greek text.
    let a = get("/code/ERROR_INTERNET_TIMEOUT?lang=el").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let description = description_field(&a.body);
    assert!(
        description.contains("The request has timed out."),
        "{description}"
    );
    assert!(
        description.contains("No text in el; showing en-US."),
        "{description}"
    );
    // zz-top is a well-formed tag that names no language: the same fallback, not a 400.
    let b = get("/code/ERROR_INTERNET_TIMEOUT?lang=zz-top").await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert!(description_field(&b.body).contains("No text in zz-top; showing en-US."));
    // A language the code has text in says nothing of a fallback.
    let c = get("/code/ERROR_INTERNET_TIMEOUT?lang=ja").await;
    assert!(
        !description_field(&c.body).contains("No text in"),
        "{}",
        c.body
    );
}

#[tokio::test]
async fn code_page_rejects_only_a_malformed_language() {
    let long = "a".repeat(36);
    for lang in ["%3Cb%3E", "de--AT", "0xZZ", "p4", long.as_str()] {
        let a = get(&format!("/code/E_ACCESSDENIED?lang={lang}")).await;
        assert_html_error(&a, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("malformed language"), "{lang}: {}", a.body);
    }
}

#[tokio::test]
async fn code_page_reads_a_langid_as_the_api_does() {
    // `?lang=0x407` once passed validation and was then compared with tags: English showed.
    let api = get("/api/v1/symbols/ERROR_ACCESS_DENIED?lang=0x407")
        .await
        .json();
    let german = api["messages"][0]["text"].as_str().expect("a German text");
    assert_eq!(api["messages"][0]["lang"], "de");
    for lang in ["0x407", "1031", "de-DE", "de"] {
        let page = get(&format!("/code/ERROR_ACCESS_DENIED?lang={lang}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let description = description_field(&page.body);
        assert!(
            description.contains(&format!(
                r#"<p class="desc" lang="de">{}"#,
                german.trim_end()
            )),
            "{lang}: {description}"
        );
        assert!(
            page.body.contains(r#"<strong lang="de">de</strong>"#),
            "{lang}"
        );
    }
}

#[tokio::test]
async fn value_page_of_a_named_value_is_its_record() {
    let a = get("/value/0x80070005").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.body.contains("<h1>E_ACCESSDENIED, 0x80070005</h1>"),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn value_page_of_an_unnamed_value_decodes_it() {
    let a = get("/value/0x7FFE1234").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a
        .body
        .contains("No source in the knowledge base names this value."));
    assert!(a.body.contains("2147357236"), "unsigned form");
    assert!(a.body.contains("|Sev|C|R|"), "a bit box");
}

/// A number no code has, read off a log, is an event id: its page lists the events.
#[tokio::test]
async fn value_page_of_an_event_id_lists_its_events() {
    let a = get("/value/7036").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a
        .body
        .contains("No code has this value; the events with this id are below."));
    assert!(a.body.contains("Events with id 7036"), "{}", a.body);
    assert!(
        a.body.contains("/event/Service%20Control%20Manager/7036"),
        "{}",
        a.body
    );
}

#[tokio::test]
async fn value_page_rejects_non_numeric_value_with_html_400() {
    assert_html_error(&get("/value/hello").await, StatusCode::BAD_REQUEST);
    let long = "9".repeat(MAX_QUERY_CHARS + 1);
    assert_html_error(
        &get(&format!("/value/{long}")).await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn unknown_page_is_html_404() {
    assert_html_error(&get("/etc/passwd").await, StatusCode::NOT_FOUND);
    assert_html_error(&get("/static/../Cargo.toml").await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_assets_are_compiled_in() {
    let css = get("/static/werr.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    let js = get("/static/search.js").await;
    assert!(js.content_type.starts_with("text/javascript"));
    assert!(js.body.contains("/api/v1/lookup"));
}

#[tokio::test]
async fn accept_language_header_does_not_break_pages() {
    let a = get_with(
        "/code/E_ACCESSDENIED",
        "accept-language",
        "da, en;q=0.5, *;q=0.1",
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = get_with("/code/E_ACCESSDENIED", "accept-language", ";;;q=x,,").await;
    assert_eq!(b.status, StatusCode::OK);
}

#[tokio::test]
async fn kept_answers_still_follow_query_and_limit() {
    let app = app();
    let mut counts = Vec::new();
    for uri in [
        "/api/v1/lookup?q=ACCESS_DENIED&limit=1",
        "/api/v1/lookup?q=ACCESS_DENIED&limit=5",
        "/api/v1/lookup?q=ACCESS_DENIED&limit=1",
        "/api/v1/lookup?q=0x80070005&limit=5",
    ] {
        let response = app
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        counts.push((
            doc["query"].as_str().unwrap().to_string(),
            doc["results"].as_array().unwrap().len(),
        ));
    }
    assert_eq!(counts[0], ("ACCESS_DENIED".to_string(), 1));
    assert_eq!(counts[1], ("ACCESS_DENIED".to_string(), 5));
    assert_eq!(counts[2], counts[0]);
    assert_eq!(counts[3].0, "0x80070005");
}

#[tokio::test]
async fn seed_code_page_shows_the_seed_fields() {
    let a = get("/code/EVENT_TCPIP_TCP_TIME_WAIT_COLLISION").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    for fact in [
        "<h1>EVENT_TCPIP_TCP_TIME_WAIT_COLLISION, 0x80001083</h1>",
        "<td>-2147479421</td>",
        "<td>2147487875</td>",
        "<td>0x80001083</td>",
        "netevent.h, line 520 (mingw-w64 10.0.0)",
        "#define EVENT_TCPIP_TCP_TIME_WAIT_COLLISION",
        "<dt>Also used in</dt>",
        "windows-sys 0.61.2</a>",
        "|Sev|C|R|",
        "|1 0|0|0|0 0 0 0 0 0 0 0 0 0 0 0|0 0 0 1 0 0 0 0 1 0 0 0 0 0 1 1|",
        r#"<a href="/code/EVENT_TCPIP_TCP_CONNECT_LIMIT_REACHED">"#,
        r#"<a href="/code/E_ALREADYINIT">E_ALREADYINIT</a>"#,
    ] {
        assert!(a.body.contains(fact), "missing {fact:?}");
    }
}

#[tokio::test]
async fn seed_value_is_looked_up_in_every_form() {
    for q in ["0x80001083", "-2147479421", "2147487875", "80001083"] {
        let doc = get(&format!("/api/v1/lookup?q={q}")).await.json();
        assert!(
            names(&doc["results"]).contains(&"EVENT_TCPIP_TCP_TIME_WAIT_COLLISION"),
            "{q}: {doc}"
        );
    }
}

#[tokio::test]
async fn language_parameters_longer_than_a_tag_are_rejected() {
    let long = "0".repeat(36);
    assert_json_error(
        &get(&format!("/api/v1/symbols/E_ACCESSDENIED?lang={long}")).await,
        StatusCode::BAD_REQUEST,
    );
    assert_eq!(
        get("/api/v1/symbols/E_ACCESSDENIED?lang=0x409")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn declared_oversize_body_is_refused_in_json_before_reading_it() {
    let a = send(
        Request::post("/api/v1/format")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, (MAX_BODY_BYTES + 1).to_string())
            .body(Body::from(vec![b' '; MAX_BODY_BYTES + 1]))
            .unwrap(),
    )
    .await;
    assert_json_error(&a, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn pages_answer_wrong_methods_with_an_html_405() {
    let a = send(
        Request::post("/code/E_ACCESSDENIED")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_html_error(&a, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.headers[header::ALLOW], "GET,HEAD");
}

/// A request body that never arrives.
struct StalledBody;

impl http_body::Body for StalledBody {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test(start_paused = true)]
async fn a_request_that_stalls_is_cut_off_with_a_json_503() {
    // Paused time: the runtime jumps to the timeout as soon as everything waits.
    let a = send(
        Request::post("/api/v1/format")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::new(StalledBody))
            .unwrap(),
    )
    .await;
    assert_json_error(&a, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn names_longer_than_any_symbol_are_rejected_before_the_typo_search() {
    let long = "A".repeat(werr_server::MAX_NAME_CHARS + 1);
    assert_json_error(
        &get(&format!("/api/v1/symbols/{long}")).await,
        StatusCode::BAD_REQUEST,
    );
    assert_html_error(
        &get(&format!("/code/{long}")).await,
        StatusCode::BAD_REQUEST,
    );
    let doc = get(&format!("/api/v1/lookup?q={long}")).await.json();
    assert_eq!(doc["results"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn format_by_id_needs_a_text_in_the_knowledge_base() {
    let a = post_json("/api/v1/format", r#"{"id": "0x7FFE1234"}"#).await;
    let message = assert_json_error(&a, StatusCode::NOT_FOUND);
    assert!(message.contains("0x7FFE1234"), "{message}");
    let b = post_json("/api/v1/format", r#"{"id": "not a value"}"#).await;
    assert_json_error(&b, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn value_page_of_an_unnamed_value_links_its_named_neighbours() {
    let a = get("/value/0x800010A0").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a
        .body
        .contains("No source in the knowledge base names this value."));
    assert!(
        a.body
            .contains(r#"<a href="/code/EVENT_TCPIP_UDP_LIMIT_REACHED">"#),
        "{}",
        a.body
    );
    assert!(a.body.contains("(+9)"), "distance to the neighbour above");
}

#[tokio::test]
async fn error_responses_carry_the_security_headers() {
    let big = format!(r#"{{"text": "{}"}}"#, "x".repeat(MAX_BODY_BYTES + 10));
    let answers = [
        ("400", get("/api/v1/lookup?q=5&limit=lots").await),
        ("404", get("/api/v1/nothing").await),
        ("405", post_json("/healthz", "{}").await),
        ("413", post_json("/api/v1/format", &big).await),
        (
            "415",
            send(
                Request::post("/api/v1/format")
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(Body::from("{}"))
                    .expect("request"),
            )
            .await,
        ),
        ("400 page", get("/code/E_FAIL?lang=%C3%28!!").await),
    ];
    for (what, a) in &answers {
        assert!(a.status.is_client_error(), "{what}: {}", a.status);
        let csp = a
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap_or_else(|| panic!("{what} ({}) has no Content-Security-Policy", a.status));
        assert!(csp.to_str().unwrap().contains("default-src 'none'"));
        assert_eq!(
            a.headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{what} ({})",
            a.status
        );
    }
}

#[tokio::test]
async fn a_request_past_the_time_limit_answers_503_and_its_query_stops() {
    // No time at all: the first check of the progress handler stops the query.
    let pool = KbPool::with_limits(werr_kb::Kb::embedded, 1, std::time::Duration::ZERO)
        .expect("the embedded KB opens");
    let app = router(AppState::new(Arc::new(pool)));
    let started = std::time::Instant::now();
    let request = Request::get("/api/v1/search?q=error").body(Body::empty());
    let a = send_to(app, request.expect("request")).await;
    let message = assert_json_error(&a, StatusCode::SERVICE_UNAVAILABLE);
    assert!(message.contains("ran past its time limit"), "{message}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
