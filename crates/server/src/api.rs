//! The JSON API under `/api/v1`: lookup, decode, search (and symbols once the KB serves
//! records). Each handler validates its input first and answers 4xx with a message.

use crate::error::ApiError;
use crate::knowledge::{SymbolRef, TextHit};
use crate::{check_length, AppState};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use werr_codes::{parse_value, Alternative, Decoding, Scheme, ValueForms};

/// Every route of the API. The router is built from this list and the OpenAPI test checks
/// the list against the document, so a route cannot be added or dropped without documenting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiRoute {
    Lookup,
    Decode,
    Search,
}

impl ApiRoute {
    /// Every route.
    pub(crate) const ALL: &'static [ApiRoute] =
        &[ApiRoute::Lookup, ApiRoute::Decode, ApiRoute::Search];

    /// The path under `/api/v1`, in the syntax shared by axum and OpenAPI.
    pub(crate) fn path(self) -> &'static str {
        match self {
            ApiRoute::Lookup => "/lookup",
            ApiRoute::Decode => "/decode/{value}",
            ApiRoute::Search => "/search",
        }
    }

    /// The HTTP method, lower case as OpenAPI writes it.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn method(self) -> &'static str {
        match self {
            ApiRoute::Lookup | ApiRoute::Decode | ApiRoute::Search => "get",
        }
    }

    fn handler(self) -> MethodRouter<AppState> {
        match self {
            ApiRoute::Lookup => get(lookup),
            ApiRoute::Decode => get(decode),
            ApiRoute::Search => get(search),
        }
    }
}

/// The router of [`ApiRoute::ALL`].
pub(crate) fn routes() -> Router<AppState> {
    ApiRoute::ALL.iter().fold(Router::new(), |r, route| {
        r.route(route.path(), route.handler())
    })
}

/// The default and the largest number of results a list answers with.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;

fn limit_of(limit: Option<usize>) -> Result<usize, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(0) => Err(ApiError::bad_request("limit must be at least 1")),
        Some(n) if n > MAX_LIMIT => Err(ApiError::bad_request(format!(
            "limit {n} is too large; at most {MAX_LIMIT}"
        ))),
        Some(n) => Ok(n),
    }
}

/// Fallback for unknown `/api/v1/...` paths.
pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!(
        "no API route {}; see /api/openapi.json",
        uri.path()
    ))
}

/// Query of `/decode/{value}`.
#[derive(Debug, Deserialize)]
pub(crate) struct DecodeParams {
    /// Only this scheme's reading.
    #[serde(rename = "as")]
    scheme: Option<String>,
}

/// `GET /api/v1/decode/{value}`: the value under every layout, as `werr decode --json`.
pub(crate) async fn decode(
    Path(value): Path<String>,
    Query(params): Query<DecodeParams>,
) -> Result<Json<Decoding>, ApiError> {
    check_length("value", &value)?;
    let scheme = match params.scheme.as_deref() {
        None => None,
        Some(name) => Some(Scheme::from_name(name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown scheme {name:?}; expected one of win32, hresult, ntstatus, message, event"
            ))
        })?),
    };
    let parsed = parse_value(&value).map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(Json(Decoding::new(&value, &parsed, scheme)))
}

/// Query of `/lookup`.
#[derive(Debug, Deserialize)]
pub(crate) struct LookupParams {
    /// A value in any form, a name or part of one, or words of a message text.
    q: String,
    /// At most this many results.
    limit: Option<usize>,
}

/// How a lookup result matched the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Matched {
    /// A symbol has the queried value.
    Value,
    /// A symbol's name matches.
    Name,
    /// A symbol's message text matches.
    Text,
    /// No symbol: the value itself, to decode.
    Decoding,
}

/// One lookup result, with the page that shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LookupResult {
    /// How it matched.
    pub matched: Matched,
    /// The symbol's name; absent for a bare decoding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The value's three forms.
    pub value: ValueForms,
    /// The symbol's category; absent for a bare decoding.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// For text matches, the text around the match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// The page's path on this server.
    pub href: String,
}

/// The answer of `/lookup`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LookupAnswer {
    /// The query as given.
    pub query: String,
    /// The values the query can mean (empty when it is not a number), most plausible first.
    pub values: Vec<Alternative>,
    /// Symbols and values, best first.
    pub results: Vec<LookupResult>,
}

fn symbol_result(matched: Matched, s: SymbolRef) -> LookupResult {
    LookupResult {
        matched,
        href: code_href(&s.name),
        name: Some(s.name),
        value: s.value,
        category: Some(s.category),
        snippet: None,
    }
}

/// The page of a symbol. Names are C identifiers, but escape anything else anyway.
pub(crate) fn code_href(name: &str) -> String {
    let mut href = String::from("/code/");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.' {
            href.push(b as char);
        } else {
            href.push_str(&format!("%{b:02X}"));
        }
    }
    href
}

/// The page of a value.
pub(crate) fn value_href(value: u32) -> String {
    format!("/value/0x{value:08X}")
}

/// Whether `q` could be (part of) a symbol name.
fn looks_like_name(q: &str) -> bool {
    q.len() >= 2
        && q.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && q.chars().any(|c| c.is_ascii_alphabetic())
}

/// Everything `q` can mean, best first: symbols with its value, symbols named like it,
/// symbols whose text contains it, then the bare values to decode.
pub(crate) fn lookup_answer(
    state: &AppState,
    q: &str,
    limit: usize,
) -> Result<LookupAnswer, ApiError> {
    check_length("q", q)?;
    let q = q.trim();
    let mut answer = LookupAnswer {
        query: q.to_string(),
        values: Vec::new(),
        results: Vec::new(),
    };
    if q.is_empty() {
        return Ok(answer);
    }
    let mut seen = std::collections::HashSet::new();
    if let Ok(parsed) = parse_value(q) {
        for reading in parsed.readings() {
            answer.values.push(Alternative {
                value: ValueForms::of(reading.value),
                read_as: reading.form,
            });
            for s in state.kb.symbols_with_value(reading.value)? {
                if seen.insert(s.name.clone()) {
                    answer.results.push(symbol_result(Matched::Value, s));
                }
            }
        }
    }
    if looks_like_name(q) {
        for s in state.kb.symbols_named_like(q, limit)? {
            if seen.insert(s.name.clone()) {
                answer.results.push(symbol_result(Matched::Name, s));
            }
        }
    }
    if answer.results.len() < limit && q.chars().count() >= 3 && answer.values.is_empty() {
        for hit in state.kb.search_text(q, None, limit)? {
            if seen.insert(hit.name.clone()) {
                answer.results.push(LookupResult {
                    matched: Matched::Text,
                    href: code_href(&hit.name),
                    name: Some(hit.name),
                    value: hit.value,
                    category: None,
                    snippet: Some(hit.snippet),
                });
            }
        }
    }
    answer.results.truncate(limit);
    for v in &answer.values {
        if answer.results.len() >= limit {
            break;
        }
        answer.results.push(LookupResult {
            matched: Matched::Decoding,
            name: None,
            value: v.value,
            category: None,
            snippet: None,
            href: value_href(v.value.unsigned),
        });
    }
    Ok(answer)
}

/// `GET /api/v1/lookup?q=`: symbols by value in any form, by name, by text.
pub(crate) async fn lookup(
    State(state): State<AppState>,
    Query(params): Query<LookupParams>,
) -> Result<Json<LookupAnswer>, ApiError> {
    let limit = limit_of(params.limit)?;
    Ok(Json(lookup_answer(&state, &params.q, limit)?))
}

/// Query of `/search`.
#[derive(Debug, Deserialize)]
pub(crate) struct SearchParams {
    /// Words of a message text.
    q: String,
    /// Only texts in this language (`da`, `de-DE`).
    lang: Option<String>,
    /// At most this many results.
    limit: Option<usize>,
}

/// One full-text result, with its page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchResult {
    /// The match.
    #[serde(flatten)]
    pub hit: TextHit,
    /// The page's path on this server.
    pub href: String,
}

/// The answer of `/search`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchAnswer {
    /// The query as given.
    pub query: String,
    /// The language asked for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Matches, best first.
    pub results: Vec<SearchResult>,
}

/// `GET /api/v1/search?q=&lang=`: message texts in any language.
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let limit = limit_of(params.limit)?;
    check_length("q", &params.q)?;
    let q = params.q.trim();
    if q.is_empty() {
        return Err(ApiError::bad_request(
            "q is empty; give words of a message text",
        ));
    }
    if let Some(lang) = &params.lang {
        if lang.is_empty()
            || lang.len() > 35
            || !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(ApiError::bad_request(format!(
                "lang {lang:?} is not a language tag such as en, da or zh-TW"
            )));
        }
    }
    let hits = state.kb.search_text(q, params.lang.as_deref(), limit)?;
    Ok(Json(SearchAnswer {
        query: q.to_string(),
        lang: params.lang,
        results: hits
            .into_iter()
            .map(|hit| SearchResult {
                href: code_href(&hit.name),
                hit,
            })
            .collect(),
    }))
}
