//! The JSON API under `/api/v1`: lookup, decode, search (and symbols once the KB serves
//! records). Each handler validates its input first and answers 4xx with a message.

use crate::error::ApiError;
use crate::{check_length, check_name, AppState};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use werr_codes::{
    is_one_query, parse_value, queries_of_words, Alternative, Decoding, Query as PastedQuery,
    Scheme, ValueForms,
};
use werr_kb::lang::LangRequest;
use werr_kb::{Kb, Match, MatchReason, SearchHit, TextCredit, WordedMessage};

/// Every route of the API. The router is built from this list and the OpenAPI test checks
/// the list against the document, so a route cannot be added or dropped without documenting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ApiRoute {
    Lookup,
    Symbols,
    Decode,
    Search,
    Format,
    Event,
    EventsWithId,
}

impl ApiRoute {
    /// Every route.
    pub(crate) const ALL: &'static [ApiRoute] = &[
        ApiRoute::Lookup,
        ApiRoute::Symbols,
        ApiRoute::Decode,
        ApiRoute::Search,
        ApiRoute::Format,
        ApiRoute::Event,
        ApiRoute::EventsWithId,
    ];

    /// The path under `/api/v1`, in the syntax shared by axum and OpenAPI.
    pub(crate) fn path(self) -> &'static str {
        match self {
            ApiRoute::Lookup => "/lookup",
            ApiRoute::Symbols => "/symbols/{name}",
            ApiRoute::Decode => "/decode/{value}",
            ApiRoute::Search => "/search",
            ApiRoute::Format => "/format",
            ApiRoute::Event => "/events/{provider}/{id}",
            ApiRoute::EventsWithId => "/events/{id}",
        }
    }

    /// The HTTP method, lower case as OpenAPI writes it.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn method(self) -> &'static str {
        match self {
            ApiRoute::Lookup
            | ApiRoute::Symbols
            | ApiRoute::Decode
            | ApiRoute::Search
            | ApiRoute::Event
            | ApiRoute::EventsWithId => "get",
            ApiRoute::Format => "post",
        }
    }

    fn handler(self) -> MethodRouter<AppState> {
        match self {
            ApiRoute::Lookup => get(lookup),
            ApiRoute::Symbols => get(symbol),
            ApiRoute::Decode => get(decode),
            ApiRoute::Search => get(search),
            ApiRoute::Format => post(format),
            ApiRoute::Event => get(event),
            ApiRoute::EventsWithId => get(events_with_id),
        }
    }
}

/// The router of [`ApiRoute::ALL`].
pub(crate) fn routes() -> Router<AppState> {
    ApiRoute::ALL.iter().fold(Router::new(), |r, route| {
        r.route(route.path(), route.handler())
    })
}

/// Answers already serialized, by route, query and limit. The server never writes to the KB,
/// so an answer stays true while the KB file is unchanged; entries expire after
/// [`AnswerCache::FRESH_FOR`] so that a KB re-imported under a running server shows through.
/// Errors are not kept.
pub(crate) struct AnswerCache {
    entries: quick_cache::sync::Cache<(ApiRoute, String, usize), (Instant, Bytes)>,
}

impl AnswerCache {
    /// How many answers are kept.
    pub(crate) const CAPACITY: usize = 4096;
    /// How long an answer is served from the cache.
    pub(crate) const FRESH_FOR: Duration = Duration::from_secs(60);

    pub(crate) fn new() -> AnswerCache {
        AnswerCache {
            entries: quick_cache::sync::Cache::new(Self::CAPACITY),
        }
    }

    /// The JSON answer for `key`: kept, or computed by `compute` and kept.
    pub(crate) async fn json<T: Serialize>(
        &self,
        key: (ApiRoute, String, usize),
        compute: impl std::future::Future<Output = Result<T, ApiError>>,
    ) -> Result<Response, ApiError> {
        let now = Instant::now();
        let body = match self.entries.get(&key) {
            Some((at, body)) if now.duration_since(at) < Self::FRESH_FOR => body,
            _ => {
                let answer = compute.await?;
                let body = Bytes::from(serde_json::to_vec(&answer).map_err(|e| {
                    ApiError::unavailable(format!("the answer could not be written: {e}"))
                })?);
                self.entries.insert(key, (now, body.clone()));
                body
            }
        };
        let mut response = body.into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Ok(response)
    }
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
        werr_quote::quoted(uri.path())
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
                "unknown scheme {}; expected one of win32, hresult, ntstatus, message, event",
                werr_quote::quoted(name)
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
    /// The symbol has the queried value.
    Value,
    /// The symbol's value converts to or from the queried value (HRESULT_FROM_WIN32...).
    Related,
    /// The symbol's name matches.
    Name,
    /// The symbol's comments or message text match.
    Text,
    /// No symbol: the value itself, to decode.
    Decoding,
}

/// One lookup result, with the page that shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LookupResult {
    /// How it matched.
    pub matched: Matched,
    /// More on how: the number form, the conversion, the kind of name match, the language.
    pub detail: Option<String>,
    /// Whether it is part of the answer ([`Match::lead`]: Windows' own name for the value with
    /// its text, else the derived reading with one; the names a name query asked for; the
    /// decoding of a value no source names), listed before the other names.
    pub lead: bool,
    /// The symbol's name; null for a bare decoding or an unnamed message.
    pub name: Option<String>,
    /// The value's three forms; null when the definition could not be evaluated.
    pub value: Option<ValueForms>,
    /// The symbol's category; null for a bare decoding.
    #[serde(rename = "type")]
    pub category: Option<String>,
    /// The message text, shortened.
    pub description: Option<String>,
    /// Where the description was read and its source's license, for the credit some
    /// licenses ask for wherever the text is shown.
    pub description_source: Option<TextCredit>,
    /// The sources that define it (`kit version`).
    pub sources: Vec<String>,
    /// The page's path on this server.
    pub href: String,
}

/// The answer of `/lookup`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LookupAnswer {
    /// The query as given, trimmed.
    pub query: String,
    /// What is answered: the query, or the first value (else the phrase) of pasted text, as
    /// `werr lookup` reads it (`Error 0x80070005` answers `0x80070005`).
    pub answered: String,
    /// The other queries the pasted text holds (`5 E_FAIL`: `E_FAIL`), each to ask by itself.
    pub also: Vec<String>,
    /// The values the query can mean (empty when it is not a number), most plausible first.
    pub values: Vec<Alternative>,
    /// Symbols, then the bare values, best first.
    pub results: Vec<LookupResult>,
    /// For a query that may be an event id (a decimal number of at most 65535, as event ids
    /// are written): the events with that id, at most `limit`, after the codes; else null.
    pub events: Option<EventsAnswer>,
}

/// The page of a symbol. Names are C identifiers, but escape anything else anyway.
pub(crate) fn code_href(name: &str) -> String {
    escaped_href("/code/", name)
}

/// The search page of a query.
pub(crate) fn search_href(query: &str) -> String {
    escaped_href("/?q=", query)
}

/// `prefix` and `text` with every byte but letters, digits, `_`, `-` and `.` percent-escaped.
fn escaped_href(prefix: &str, text: &str) -> String {
    let mut href = String::from(prefix);
    for b in text.bytes() {
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

/// `text` cut to about `max` characters at a word boundary, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let end = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

fn match_result(kb: &Kb, m: Match) -> werr_kb::Result<LookupResult> {
    let (matched, detail) = match &m.reason {
        MatchReason::Value { read_as } => (Matched::Value, Some(read_as.describe().to_string())),
        MatchReason::Related { relation } => (Matched::Related, Some(relation.clone())),
        MatchReason::Name { how } => (Matched::Name, Some(format!("{how:?}").to_lowercase())),
    };
    let description_source = credit(kb, m.description_from.as_deref())?;
    Ok(LookupResult {
        matched,
        detail,
        lead: m.lead,
        href: code_href(&m.name),
        name: Some(m.name),
        value: m.value,
        category: Some(m.category),
        description: m.description.as_deref().map(|d| shorten(d, 200)),
        description_source,
        sources: m.sources,
    })
}

/// The credit of a text read at `from` (`kit version file`), when there is a text.
fn credit(kb: &Kb, from: Option<&str>) -> werr_kb::Result<Option<TextCredit>> {
    match from {
        Some(from) => kb.text_credit(from),
        None => Ok(None),
    }
}

/// A full-text hit as a lookup result; a message is shown under the name that has its id.
fn hit_result(kb: &Kb, hit: SearchHit) -> werr_kb::Result<LookupResult> {
    Ok(match hit {
        SearchHit::Definition(o) => LookupResult {
            matched: Matched::Text,
            detail: None,
            lead: false,
            href: code_href(&o.name),
            value: o.value.map(ValueForms::of),
            category: Some(o.category.clone()),
            description: o.message_text.as_deref().map(|d| shorten(d, 200)),
            description_source: match &o.message_text {
                Some(_) => credit(kb, Some(&format!("{} {} {}", o.kit, o.version, o.file)))?,
                None => None,
            },
            sources: vec![o.source_label()],
            name: Some(o.name),
        },
        SearchHit::Message(m) => {
            let owner = kb.occurrences_with_value(m.message_id)?.into_iter().next();
            LookupResult {
                matched: Matched::Text,
                detail: Some(m.lang.clone()),
                lead: false,
                description_source: credit(kb, Some(&m.source))?,
                href: match &owner {
                    Some(o) => code_href(&o.name),
                    None => value_href(m.message_id),
                },
                value: Some(ValueForms::of(m.message_id)),
                category: owner.as_ref().map(|o| o.category.clone()),
                description: Some(shorten(&m.text, 200)),
                sources: vec![m.source.clone()],
                name: owner.map(|o| o.name),
            }
        }
    })
}

/// Everything `q` can mean, best first: names with its value or a related one, names like
/// it, then (for words) texts containing it, then the bare values to decode.
pub(crate) async fn lookup_answer(
    state: &AppState,
    q: &str,
    limit: usize,
) -> Result<LookupAnswer, ApiError> {
    check_length("q", q)?;
    let query = q.trim();
    // Pasted text (`Error 0x80070005`, `hr=0x80070005`) is read as `werr lookup` reads it:
    // the answer is its first query's, the others are named for the caller to ask.
    let words: Vec<&str> = query.split_whitespace().collect();
    let queries: Vec<String> = if words.len() > 1 || !is_one_query(query) {
        queries_of_words(&words)
            .into_iter()
            .map(|q| match q {
                PastedQuery::Lookup(q) | PastedQuery::Phrase(q) => q,
            })
            .collect()
    } else {
        Vec::new()
    };
    let q = queries.first().map_or(query, String::as_str);
    let values: Vec<Alternative> = parse_value(q)
        .map(|p| {
            p.readings()
                .iter()
                .map(|r| Alternative {
                    value: ValueForms::of(r.value),
                    read_as: r.form,
                })
                .collect()
        })
        .unwrap_or_default();
    let mut results = Vec::new();
    let mut unnamed = false;
    let mut events = None;
    if !q.is_empty() {
        let q = q.to_string();
        (results, unnamed, events) = state
            .kb
            .ask(move |kb| {
                // The rule the CLI answers with too: names with the lead marked, the texts
                // with the words when no name answers.
                let answer = kb.answer(&q, &LangRequest::ANY, limit)?;
                let unnamed = answer.unnamed.is_some();
                let mut results: Vec<LookupResult> = answer
                    .matches
                    .into_iter()
                    .map(|m| match_result(kb, m))
                    .collect::<werr_kb::Result<_>>()?;
                for hit in answer.hits {
                    let r = hit_result(kb, hit)?;
                    if r.name.is_none() || !results.iter().any(|x| x.name == r.name) {
                        results.push(r);
                    }
                }
                results.truncate(limit);
                let events = match answer.event_id {
                    Some(event_id) => {
                        let (events, total) = event_summaries(kb, event_id, limit)?;
                        Some(EventsAnswer {
                            event_id,
                            total,
                            events,
                        })
                    }
                    None => None,
                };
                Ok((results, unnamed, events))
            })
            .await?;
    }
    // The bare values to decode; a value no source names exactly leads with its decoding.
    for v in &values {
        if results.len() >= limit {
            break;
        }
        results.push(LookupResult {
            matched: Matched::Decoding,
            detail: Some(v.read_as.describe().to_string()),
            lead: unnamed,
            description_source: None,
            name: None,
            value: Some(v.value),
            category: None,
            description: None,
            sources: Vec::new(),
            href: value_href(v.value.unsigned),
        });
    }
    Ok(LookupAnswer {
        query: query.to_string(),
        answered: q.to_string(),
        also: queries.into_iter().skip(1).collect(),
        values,
        results,
        events,
    })
}

/// `GET /api/v1/lookup?q=`: symbols by value in any form, by name, by text. The search box
/// asks this on every keystroke, so answers are kept for a while (see [`AnswerCache`]).
pub(crate) async fn lookup(
    State(state): State<AppState>,
    Query(params): Query<LookupParams>,
) -> Result<Response, ApiError> {
    let limit = limit_of(params.limit)?;
    check_length("q", &params.q)?;
    let key = (ApiRoute::Lookup, params.q.trim().to_string(), limit);
    state
        .answers
        .json(key, lookup_answer(&state, &params.q, limit))
        .await
}

/// Query of `/symbols/{name}`.
#[derive(Debug, Deserialize)]
pub(crate) struct SymbolParams {
    /// Only message texts in this language.
    lang: Option<String>,
}

/// The language a `lang=` parameter asks for ([`LangRequest::parse_known`]); 400 when it is
/// malformed or names no language werr knows, so a typo is not answered in English.
pub(crate) fn lang_request(lang: Option<&str>) -> Result<LangRequest, ApiError> {
    match lang {
        None => Ok(LangRequest::ANY),
        Some(tag) => {
            LangRequest::parse_known(tag).map_err(|e| ApiError::bad_request(format!("lang: {e}")))
        }
    }
}

/// `GET /api/v1/symbols/{name}`: every field of the seed page, as `werr show --json`.
pub(crate) async fn symbol(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<SymbolParams>,
) -> Result<Response, ApiError> {
    check_name(&name)?;
    let request = lang_request(params.lang.as_deref())?;
    let key = (
        ApiRoute::Symbols,
        format!("{name}\u{0}{}", params.lang.as_deref().unwrap_or("")),
        0,
    );
    let answer = async {
        let asked = name.clone();
        match state.kb.ask(move |kb| kb.record(&asked, &request)).await? {
            Some(record) => Ok(record),
            None => Err(ApiError::not_found(format!(
                "no source defines {}; try /api/v1/lookup?q= for similar names",
                werr_quote::quoted(&name)
            ))),
        }
    };
    state.answers.json(key, answer).await
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

/// The answer of `/search`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchAnswer {
    /// The query as given, trimmed.
    pub query: String,
    /// The language asked for, if any.
    pub lang: Option<String>,
    /// Matches, best first.
    pub results: Vec<LookupResult>,
}

/// `GET /api/v1/search?q=&lang=`: names, comments and message texts in any language.
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
    let request = lang_request(params.lang.as_deref())?;
    let asked = q.to_string();
    let results = state
        .kb
        .ask(move |kb| {
            kb.search(&asked, &request, limit)?
                .into_iter()
                .map(|hit| hit_result(kb, hit))
                .collect::<werr_kb::Result<Vec<_>>>()
        })
        .await?;
    Ok(Json(SearchAnswer {
        query: q.to_string(),
        lang: params.lang,
        results,
    }))
}

/// The body of `POST /format`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FormatRequest {
    /// The message text to render (`%1 of %2!d!`); or give `id`.
    text: Option<String>,
    /// A message id whose text the KB has (any value form); or give `text`.
    id: Option<String>,
    /// The language of the KB text for `id`; without its text, English, neutral, then any.
    lang: Option<String>,
    /// The inserts `%1`, `%2`...: strings or integers.
    #[serde(default)]
    args: Vec<serde_json::Value>,
    /// FormatMessage's width: 0 keeps line breaks, 255 unlimited, 1-254 wraps at N columns.
    #[serde(default)]
    max_width: u8,
    /// FORMAT_MESSAGE_IGNORE_INSERTS.
    #[serde(default)]
    ignore_inserts: bool,
}

/// The answer of `POST /format`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormatAnswer {
    /// The rendered text.
    pub text: String,
    /// The message text that was rendered (for `id`, the KB's).
    pub source_text: String,
    /// The language of the KB text, for `id`.
    pub lang: Option<String>,
    /// For `id`, whose text it is when it is not a Windows table's own (the default KB's
    /// kernelbase.dll is Wine's: its English Win32 error texts give way to Microsoft's).
    pub note: Option<String>,
}

/// The most inserts a message can reference (`%1`..`%99`).
const MAX_ARGS: usize = 99;

/// `POST /api/v1/format`: a message text rendered as FormatMessage renders it.
pub(crate) async fn format(
    State(state): State<AppState>,
    Json(request): Json<FormatRequest>,
) -> Result<Json<FormatAnswer>, ApiError> {
    if request.args.len() > MAX_ARGS {
        return Err(ApiError::bad_request(format!(
            "{} args given; a message has at most {MAX_ARGS} inserts",
            request.args.len()
        )));
    }
    let (source_text, lang, note) = match (&request.text, &request.id) {
        (Some(text), None) => (text.clone(), None, None),
        (None, Some(id)) => {
            check_length("id", id)?;
            let value = parse_value(id)
                .map_err(|e| ApiError::bad_request(e.to_string()))?
                .primary()
                .value;
            let wanted = lang_request(request.lang.as_deref())?;
            let worded = state
                .kb
                .ask(move |kb| kb.message_in_windows_words(value, &wanted))
                .await?;
            match worded {
                WordedMessage::Found { wording: w, .. } => (w.text, Some(w.lang), w.note),
                WordedMessage::Ambiguous(ids) => {
                    return Err(ApiError::bad_request(format!(
                        "no message has id 0x{value:08X}; several have {value} as their low 16 \
                         bits: {}; give the full id",
                        ids.iter()
                            .map(|i| format!("0x{i:08X}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
                WordedMessage::NotFound => {
                    return Err(ApiError::not_found(format!(
                        "the knowledge base has no message text with id 0x{value:08X}"
                    )))
                }
            }
        }
        _ => {
            return Err(ApiError::bad_request(
                "give exactly one of text (a message text) and id (a message id)",
            ))
        }
    };
    let args = request
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| match a {
            serde_json::Value::String(s) => Ok(werr_format::Arg::Str(s)),
            serde_json::Value::Number(n) => n
                .as_u64()
                .map(werr_format::Arg::U64)
                .or_else(|| n.as_i64().map(werr_format::Arg::I64))
                .ok_or_else(|| ApiError::bad_request(format!("args[{i}] = {n} is not an integer"))),
            other => Err(ApiError::bad_request(format!(
                "args[{i}] = {other} is neither a string nor an integer"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = werr_format::Options {
        width: match request.max_width {
            0 => werr_format::Width::Keep,
            255 => werr_format::Width::Unlimited,
            n => werr_format::Width::Columns(n),
        },
        ignore_inserts: request.ignore_inserts,
        event_log: None,
        max_output: werr_format::MAX_OUTPUT_BYTES,
    };
    let text = werr_format::format(&source_text, &args, &options).map_err(|e| match e.kind {
        // The request is well formed; what it asks for is too big to answer.
        werr_format::FormatErrorKind::TooLong { .. } => ApiError::unprocessable(e.to_string()),
        _ => ApiError::bad_request(e.to_string()),
    })?;
    Ok(Json(FormatAnswer {
        text,
        source_text,
        lang,
        note,
    }))
}

/// The page of an event: `/event/{provider}/{id}`, the provider's name escaped as a path
/// segment (names hold spaces: `Service Control Manager`).
pub(crate) fn event_href(provider: &str, event_id: u16) -> String {
    let mut href = String::from("/event/");
    for b in provider.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.' {
            href.push(b as char);
        } else {
            href.push_str(&format!("%{b:02X}"));
        }
    }
    href.push_str(&format!("/{event_id}"));
    href
}

/// An event id of a path: decimal or `0x` hex, at most 65535.
fn event_id_of(text: &str) -> Result<u16, ApiError> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u16::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    };
    parsed.ok_or_else(|| {
        ApiError::bad_request(format!(
            "event id {}: expected a number from 0 to 65535 (decimal, or hex with 0x)",
            werr_quote::quoted(text)
        ))
    })
}

/// The answer of `/events/{provider}/{id}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventAnswer {
    /// The provider as the KB spells it.
    pub provider: String,
    /// The event id.
    pub event_id: u16,
    /// How the provider in the path was read: its name, a channel or classic name, or the
    /// end of the provider's name.
    pub provider_match: werr_evtx::ProviderMatch,
    /// The releases with a text, oldest first (empty for a classic source's messages).
    pub releases: Vec<String>,
    /// Each distinct text with the releases that have it, or a classic source's messages.
    pub texts: Vec<werr_evtx::EventTextEntry>,
    /// The page's path on this server.
    pub href: String,
}

/// One event of `/events/{id}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventSummary {
    /// The provider.
    pub provider: String,
    /// The event id.
    pub event_id: u16,
    /// The oldest and the newest release with a text (null for a classic source's messages).
    pub oldest_release: Option<String>,
    pub newest_release: Option<String>,
    /// The text most releases have, shortened (empty: declared without a message).
    pub text: String,
    /// The page's path on this server.
    pub href: String,
}

/// The answer of `/events/{id}`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EventsAnswer {
    /// The event id.
    pub event_id: u16,
    /// How many providers have the event.
    pub total: usize,
    /// The events, classic sources first, then the providers of the built-in map, then the
    /// others by name; at most `limit`.
    pub events: Vec<EventSummary>,
}

/// The releases of `event`'s texts, oldest first.
pub(crate) fn event_releases(kb: &Kb, event: &werr_evtx::EventEntry) -> Vec<String> {
    kb.releases()
        .map(|all| {
            all.iter()
                .filter(|r| event.texts.iter().any(|t| t.releases.contains(&r.name)))
                .map(|r| r.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// An event found by `PROVIDER/ID`, or the API error saying why not.
pub(crate) async fn find_event(
    state: &AppState,
    provider: String,
    id: &str,
) -> Result<(werr_evtx::EventEntry, werr_evtx::ProviderMatch, Vec<String>), ApiError> {
    check_name(&provider)?;
    let event_id = event_id_of(id)?;
    let asked = provider.clone();
    let found = state
        .kb
        .ask(move |kb| {
            let found = werr_evtx::find_event(kb, &asked, event_id)?;
            let releases = match &found {
                werr_evtx::EventLookup::Found { event, .. } => event_releases(kb, event),
                _ => Vec::new(),
            };
            Ok((found, releases))
        })
        .await?;
    match found {
        (werr_evtx::EventLookup::Found { event, matched }, releases) => {
            Ok((event, matched, releases))
        }
        (werr_evtx::EventLookup::Ambiguous { candidates }, _) => Err(ApiError::not_found(format!(
            "several providers have event {event_id} for {}: {}; name one",
            werr_quote::quoted(&provider),
            candidates.join(", ")
        ))),
        (werr_evtx::EventLookup::NotFound { providers }, _) => {
            Err(ApiError::not_found(if providers.is_empty() {
                format!(
                    "no provider {} in the knowledge base",
                    werr_quote::quoted(&provider)
                )
            } else {
                format!("no event {event_id} of {}", providers.join(", "))
            }))
        }
    }
}

/// `GET /api/v1/events/{provider}/{id}`: an event's texts, by provider (its name without
/// regard to case, a channel such as `Security`, or the end of its name) and event id.
pub(crate) async fn event(
    State(state): State<AppState>,
    Path((provider, id)): Path<(String, String)>,
) -> Result<Json<EventAnswer>, ApiError> {
    let (event, matched, releases) = find_event(&state, provider, &id).await?;
    Ok(Json(EventAnswer {
        href: event_href(&event.provider, event.event_id),
        provider: event.provider,
        event_id: event.event_id,
        provider_match: matched,
        releases,
        texts: event.texts,
    }))
}

/// Query of `/events/{id}`.
#[derive(Debug, Deserialize)]
pub(crate) struct EventsParams {
    /// At most this many events.
    limit: Option<usize>,
}

/// The first `limit` events with id `event_id` as summaries, and how many there are.
pub(crate) fn event_summaries(
    kb: &Kb,
    event_id: u16,
    limit: usize,
) -> werr_kb::Result<(Vec<EventSummary>, usize)> {
    let found = werr_evtx::events_with_id(kb, event_id, Some(limit))?;
    let summaries = found
        .events
        .iter()
        .map(|e| {
            let range = e.release_range(kb);
            EventSummary {
                provider: e.provider.clone(),
                event_id: e.event_id,
                oldest_release: range.as_ref().map(|r| r.0.clone()),
                newest_release: range.map(|r| r.1),
                text: shorten(e.lead_text(), 200),
                href: event_href(&e.provider, e.event_id),
            }
        })
        .collect();
    Ok((summaries, found.total))
}

/// `GET /api/v1/events/{id}`: every provider's event with this id.
pub(crate) async fn events_with_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<EventsParams>,
) -> Result<Json<EventsAnswer>, ApiError> {
    let limit = limit_of(params.limit)?;
    let event_id = event_id_of(&id)?;
    let (events, total) = state
        .kb
        .ask(move |kb| event_summaries(kb, event_id, limit))
        .await?;
    Ok(Json(EventsAnswer {
        event_id,
        total,
        events,
    }))
}
