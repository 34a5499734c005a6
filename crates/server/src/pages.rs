//! The HTML pages, rendered on the server with maud (which escapes every interpolated text:
//! message texts contain `<`, `&` and `%`).

use crate::api::{
    code_href, event_summaries, lookup_answer, search_href, shorten, value_href, EventSummary,
    LookupAnswer, LookupResult, Matched,
};
use crate::error::PageError;
use crate::{check_length, check_name, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use werr_codes::{parse_value, readings, Reading, Scheme, ValueForms};
use werr_kb::lang::{Choice, LangRequest};
use werr_kb::{Match, MatchReason, Occurrence, Record, TextCredit, Unnamed};

/// The frame of every page: header with the search box, the body, a footer.
pub(crate) fn layout(title: &str, query: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · werr" }
                link rel="stylesheet" href="/static/werr.css";
                link rel="icon" href="/favicon.ico";
            }
            body {
                header {
                    a.brand href="/" { "werr" }
                    form action="/" method="get" role="search" {
                        input #q type="search" name="q" value=(query) autocomplete="off"
                            placeholder="0x80001083, E_ACCESSDENIED, words of a message…"
                            aria-label="Search codes, names and message texts";
                    }
                }
                main { (body) }
                footer {
                    "werr: Windows message codes, offline. "
                    a href="/api/openapi.json" { "JSON API" }
                    " · "
                    a href="/about" { "Licenses and data sources" }
                }
            }
        }
    }
}

/// `GET /about`: the code's license and the notices of the embedded data (sources, their
/// licenses, the attributions they require), as `werr about` prints them.
pub(crate) async fn about() -> Markup {
    layout(
        "Licenses and data sources",
        "",
        html! {
            h1 { "Licenses and data sources" }
            p {
                "werr " (env!("CARGO_PKG_VERSION")) "'s code is licensed under MIT OR Apache-2.0. "
                "The data it serves comes from the sources below, each under its own terms."
            }
            pre.notice { (werr_kb::DATA_NOTICE) }
        },
    )
}

/// The page shown for a failed request.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Markup {
    layout(
        status.canonical_reason().unwrap_or("Error"),
        "",
        html! {
            h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("Error")) }
            p { (message) }
            p { a href="/" { "Search for a code" } }
        },
    )
}

/// Fallback for unknown paths outside `/api/`.
pub(crate) async fn not_found(uri: Uri) -> PageError {
    PageError::not_found(format!("There is no page at {}.", uri.path()))
}

/// Query of `/`.
#[derive(Debug, Deserialize)]
pub(crate) struct SearchParams {
    q: Option<String>,
}

/// `GET /`: the search box; with `?q=` the results are rendered on the server too, so the
/// page works without JavaScript and its address is a permalink.
pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Markup, PageError> {
    let q = params.q.unwrap_or_default();
    let answer = if q.trim().is_empty() {
        None
    } else {
        Some(lookup_answer(&state, &q, 30).await?)
    };
    let title = if q.is_empty() { "Search" } else { q.as_str() };
    Ok(layout(
        title,
        &q,
        html! {
            h1 { "Windows message codes" }
            p.mute {
                "Type a value in any form (0x80001083, -2147479421, 2147487875, 4227), "
                "a name or part of one, or words of a message text in any language."
            }
            p #status.mute aria-live="polite" {
                @if let Some(a) = &answer {
                    (a.results.len()) " results"
                    @if a.answered != a.query { " for " code { (a.answered) } }
                    @for other in &a.also { " · also " a href=(search_href(other)) { (other) } }
                }
            }
            ol #results.results {
                @if let Some(a) = &answer { (result_items(a)) }
            }
            script src="/static/search.js" defer {}
        },
    ))
}

/// The results of a lookup, the answer first (as the CLI prints it): the leading results,
/// the texts and decodings, then the other names with the value folded (`search.js` builds
/// the same list as-you-type).
fn result_items(answer: &LookupAnswer) -> Markup {
    let terms = highlight_terms(answer);
    let folded = |r: &LookupResult| {
        !r.lead && matches!(r.matched, Matched::Value | Matched::Related | Matched::Name)
    };
    let others: Vec<&LookupResult> = answer.results.iter().filter(|r| folded(r)).collect();
    html! {
        @for r in answer.results.iter().filter(|r| !folded(r)) {
            (result_item(r, &terms))
        }
        @if !others.is_empty() {
            li.more {
                details {
                    summary { "+" (others.len()) " other names with this value or converting to it" }
                    ol.results {
                        @for r in &others { (result_item(r, &terms)) }
                    }
                }
            }
        }
    }
}

fn result_item(r: &LookupResult, terms: &[String]) -> Markup {
    html! {
        li class=[r.lead.then_some("lead")] {
            a href=(r.href) {
                @if let Some(name) = &r.name { (highlighted(name, terms)) }
                @else if let Some(v) = &r.value { (v.hex) " (decode)" }
            }
            span.meta {
                @if let Some(v) = &r.value { (v.hex) " · " (v.signed) " · " (v.unsigned) }
                @if let Some(t) = &r.category { " · " (t) }
                " · by " (matched_word(r.matched))
                @if let Some(d) = &r.detail { " (" (d) ")" }
            }
            @if let Some(s) = &r.description { span.snippet { (highlighted(s, terms)) } }
            @if let Some(c) = r.description_source.as_ref().filter(|c| asks_for_credit(c)) {
                (credit_line(c))
            }
        }
    }
}

/// The words of a query to mark in its results: for words and names, each word of two
/// letters or more (a name's `_` kept); none for a value, which matches no text.
fn highlight_terms(answer: &LookupAnswer) -> Vec<String> {
    if !answer.values.is_empty() {
        return Vec::new();
    }
    answer
        .answered
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

/// `text` with each occurrence of a term (letter case ignored) in `<mark>`.
fn highlighted(text: &str, terms: &[String]) -> Markup {
    let lower = text.to_ascii_lowercase();
    // (start, end) of every match, the longest at a place first, overlaps dropped.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for term in terms {
        let term = term.to_ascii_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(&term) {
            let start = from + at;
            spans.push((start, start + term.len()));
            from = start + term.len();
        }
    }
    spans.sort_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            continue;
        }
        parts.push((false, &text[at..start]));
        parts.push((true, &text[start..end]));
        at = end;
    }
    parts.push((false, &text[at..]));
    html! {
        @for (marked, part) in parts {
            @if marked { mark { (part) } } @else { (part) }
        }
    }
}

/// Whether a text's source asks to be credited wherever the text is shown (Creative Commons
/// Attribution: Microsoft's documentation), or is another system's table of a Windows module
/// (Wine's, ReactOS's), which the reader must not take for Windows' own words.
fn asks_for_credit(c: &TextCredit) -> bool {
    c.license.starts_with("CC-BY") || werr_kb::authority::written_for(&c.source).is_some()
}

/// What the credit line adds for a text written for another system than Windows.
fn rewrite_mark(kit: &str) -> Option<String> {
    werr_kb::authority::written_for(kit)
        .map(|system| format!(" · written for {system}: Windows' wording can differ"))
}

/// What a person calls a source: Microsoft's documentation by its name, others by their kit.
fn source_title(kit: &str) -> &str {
    if kit.starts_with("msdocs") {
        "Microsoft Learn"
    } else {
        kit
    }
}

/// The small credit line of a text: its source, the page (or file), the license, and the
/// page of every source's terms.
fn credit_line(c: &TextCredit) -> Markup {
    html! {
        span.credit {
            "Text: " (source_title(&c.source)) " (" (c.source) " " (c.version) "), "
            (c.file) " · " (c.license)
            @if let Some(mark) = rewrite_mark(&c.source) { (mark) }
            " · "
            a href="/about" { "sources and licenses" }
        }
    }
}

fn matched_word(m: Matched) -> &'static str {
    match m {
        Matched::Value => "value",
        Matched::Related => "related value",
        Matched::Name => "name",
        Matched::Text => "text",
        Matched::Decoding => "decoding",
    }
}

/// The value's three forms, as the seed page lists them.
pub(crate) fn value_forms(forms: &ValueForms) -> Markup {
    html! {
        table.forms {
            tr { td { (forms.signed) } td.mute { "signed int" } }
            tr { td { (forms.unsigned) } td.mute { "unsigned int" } }
            tr { td { (forms.hex) } td.mute { "hexadecimal value" } }
        }
    }
}

/// The readings of `value` with their filled-in bit boxes and links to the related codes,
/// but that of `except` (the layout a record page shows already); the first is labelled
/// `first_label` (an unnamed value's most plausible reading).
pub(crate) fn readings_section(value: u32, except: Option<Scheme>, first_label: &str) -> Markup {
    let shown: Vec<Reading> = readings(value)
        .into_iter()
        .filter(|r| Some(r.scheme) != except)
        .collect();
    html! {
        @for (i, r) in shown.iter().enumerate() {
            (reading_block(r, if i == 0 { first_label } else { "" }))
        }
    }
}

fn reading_block(r: &Reading, label: &str) -> Markup {
    html! {
        section.reading {
            h3 {
                (r.scheme.title())
                @if !label.is_empty() { " " span.mute { "(" (label) ")" } }
            }
            pre.bitbox { (r.bit_box()) }
            @if !r.related.is_empty() {
                ul {
                    @for rel in &r.related {
                        li {
                            (rel.relation) " → " (rel.scheme.title()) " "
                            a href=(value_href(rel.value)) { (format!("0x{:08X}", rel.value)) }
                        }
                    }
                }
            }
            @for note in &r.notes { p.mute { "Note: " (note) } }
        }
    }
}

/// A section folded behind its summary (`<details>`): what most readers do not need first.
fn folded(summary: Markup, body: Markup) -> Markup {
    html! {
        details.more {
            summary { (summary) }
            (body)
        }
    }
}

/// Query of `/code/{name}` and `/value/{value}`.
#[derive(Debug, Deserialize)]
pub(crate) struct PageParams {
    /// The language to show message texts in first (else Accept-Language).
    lang: Option<String>,
}

/// A page that depends on Accept-Language: caches must keep one copy per language.
fn negotiated(page: Markup) -> Response {
    ([(header::VARY, "Accept-Language")], page).into_response()
}

/// The reader's languages: `?lang=` first, then Accept-Language. A tag werr does not know
/// is kept (the page falls back from it and says so); only a malformed one is a 400.
fn requested_languages(params: &PageParams, headers: &HeaderMap) -> Result<LangRequest, PageError> {
    let asked = match &params.lang {
        Some(tag) => {
            LangRequest::parse(tag).map_err(|e| PageError::bad_request(format!("lang: {e}")))?
        }
        None => LangRequest::ANY,
    };
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(LangRequest::ANY, LangRequest::from_accept_language);
    Ok(asked.then(accepted))
}

/// `GET /code/{name}`: every field of the seed page, and more.
pub(crate) async fn code(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    check_name(&name)?;
    let wanted = requested_languages(&params, &headers)?;
    let asked = name.clone();
    let found = state
        .kb
        .ask(move |kb| match kb.record(&asked, &LangRequest::ANY)? {
            Some(record) => {
                let neighbours = match record.value {
                    Some(v) => kb.neighbours(v.unsigned)?,
                    None => Vec::new(),
                };
                let others = same_value_names(kb, &record)?;
                let events = events_of_value(kb, &record)?;
                Ok(Ok((record, neighbours, others, events)))
            }
            None => Ok(Err(kb.lookup(&asked, 10)?)),
        })
        .await?;
    match found {
        Ok((record, neighbours, others, events)) => Ok(negotiated(record_page(
            &record,
            &neighbours,
            &others,
            &wanted,
            &events,
        ))),
        Err(similar) => {
            let page = layout(
                "Not found",
                &name,
                html! {
                    h1 { "No symbol named " code { (name) } }
                    @if similar.is_empty() {
                        p { "No source in the knowledge base defines it, and no name is close." }
                    } @else {
                        p { "No source defines it. Similar names:" }
                        ul {
                            @for m in &similar {
                                li { a href=(code_href(&m.name)) { (m.name) } }
                            }
                        }
                    }
                },
            );
            Ok((StatusCode::NOT_FOUND, page).into_response())
        }
    }
}

/// What a value's page shows.
enum ValuePage {
    /// The record of the name that answers (Windows' own name for the value), its neighbours
    /// and the value's other names.
    Record(
        Box<Record>,
        Vec<Occurrence>,
        Vec<String>,
        (Vec<EventSummary>, usize),
    ),
    /// No name of the value itself answers: the derived readings that do, with their texts'
    /// credits (`0x8007007E = HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)`), the value's own names
    /// (without a text), and what can be said of the value.
    Derived {
        answers: Vec<(Match, Option<TextCredit>)>,
        own_names: Vec<String>,
        unnamed: Unnamed,
        events: (Vec<EventSummary>, usize),
    },
}

/// `GET /value/{value}`: the answer first, as `werr VALUE` gives it: the page of the name that
/// answers, else the derived readings that answer and what can be said of the value.
pub(crate) async fn value(
    State(state): State<AppState>,
    Path(text): Path<String>,
    Query(params): Query<PageParams>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    check_length("value", &text)?;
    let parsed = parse_value(&text).map_err(|e| PageError::bad_request(e.to_string()))?;
    let wanted = requested_languages(&params, &headers)?;
    let value = parsed.primary().value;
    let found = state
        .kb
        .ask(move |kb| {
            let matches = kb.lookup(&format!("0x{value:08X}"), 50)?;
            let own = |m: &Match| matches!(m.reason, MatchReason::Value { .. });
            if let Some(m) = matches.iter().find(|m| m.lead && own(m)) {
                if let Some(record) = kb.record(&m.name, &LangRequest::ANY)? {
                    let others = matches
                        .iter()
                        .filter(|o| own(o) && o.name != record.name)
                        .map(|o| o.name.clone())
                        .collect();
                    let events = events_of_value(kb, &record)?;
                    return Ok(ValuePage::Record(
                        Box::new(record),
                        kb.neighbours(value)?,
                        others,
                        events,
                    ));
                }
            }
            let mut answers = Vec::new();
            for m in matches
                .iter()
                .filter(|m| m.lead && !own(m) && m.description.is_some())
            {
                let credit = match &m.description_from {
                    Some(from) => kb.text_credit(from)?,
                    None => None,
                };
                answers.push((m.clone(), credit));
            }
            Ok(ValuePage::Derived {
                answers,
                own_names: matches
                    .iter()
                    .filter(|m| own(m))
                    .map(|m| m.name.clone())
                    .collect(),
                unnamed: kb.unnamed(value)?,
                events: match u16::try_from(value) {
                    Ok(id) => event_summaries(kb, id, PAGE_EVENTS)?,
                    Err(_) => (Vec::new(), 0),
                },
            })
        })
        .await?;
    let page = match found {
        ValuePage::Record(record, neighbours, others, events) => {
            record_page(&record, &neighbours, &others, &wanted, &events)
        }
        ValuePage::Derived {
            answers,
            own_names,
            unnamed,
            events,
        } => unnamed_page(&text, &parsed, &answers, &own_names, &unnamed, &events),
    };
    Ok(negotiated(page))
}

/// The events whose id is the record's value, when it fits an event id (16 bits): a number
/// people read off a log (`6005`) is often an event's id rather than the code.
fn events_of_value(
    kb: &werr_kb::Kb,
    record: &Record,
) -> werr_kb::Result<(Vec<EventSummary>, usize)> {
    match record.value.map(|v| u16::try_from(v.unsigned)) {
        Some(Ok(id)) => event_summaries(kb, id, PAGE_EVENTS),
        _ => Ok((Vec::new(), 0)),
    }
}

/// The events of a value that fits an event id, with a link to all of them past the first;
/// nothing when there are none.
fn events_section(events: &[EventSummary], total: usize) -> Markup {
    html! {
        @if !events.is_empty() {
            h2 #events { "Events with id " (events[0].event_id) }
            (event_list(events))
            @if total > events.len() {
                p.mute {
                    (total - events.len()) " more: "
                    a href=(format!("/api/v1/events/{}?limit=100", events[0].event_id)) { "all events with this id" }
                }
            }
        }
    }
}

/// How many events a code page lists (the API lists them all).
const PAGE_EVENTS: usize = 10;

/// Events as a list of links: provider/id, release range, first words.
fn event_list(events: &[EventSummary]) -> Markup {
    html! {
        ul.names.events {
            @for e in events {
                li {
                    a href=(e.href) { (e.provider) "/" (e.event_id) }
                    @if let (Some(old), Some(new)) = (&e.oldest_release, &e.newest_release) {
                        " " span.mute { @if old == new { (old) } @else { (old) "–" (new) } }
                    }
                    " " (shorten(&e.text, 100))
                }
            }
        }
    }
}

/// `GET /event/{provider}/{id}`: an event's texts, their inserts, the releases each appears
/// in (texts that differ between releases are each shown with theirs).
pub(crate) async fn event(
    State(state): State<AppState>,
    Path((provider, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let asked = provider.clone();
    let (event, matched, releases) = crate::api::find_event(&state, provider, &id).await?;
    let title = format!("{}/{}", event.provider, event.event_id);
    let api = format!(
        "/api/v1/events{}",
        &crate::api::event_href(&event.provider, event.event_id)[6..]
    );
    let page = layout(
        &title,
        "",
        html! {
            h1 { (title) }
            @if matched != werr_evtx::ProviderMatch::Name {
                p.mute { "Found for " code { (asked) } "." }
            }
            @if !releases.is_empty() {
                p { "In " (releases.len()) " Windows releases: " (releases.join(", ")) "." }
            }
            @if event.texts.len() > 1 {
                p { "Its text differs between releases: each text is shown with the releases that have it." }
            }
            @for t in &event.texts {
                section.event-text {
                    @if let Some(id) = t.message_id {
                        h2 { "Message " (format!("0x{id:08X}")) " of " (t.source) }
                        @if let Some(lang) = &t.lang { p.mute { "Language: " (lang) } }
                        @if let Some(system) = t.written_for {
                            p.mute { "The text as " (system) " writes it, not Windows' own table: the wording can differ." }
                        }
                    } @else {
                        h2 { (t.releases.join(", ")) }
                        p.mute { "Source: " (t.source) }
                    }
                    @if t.text.is_empty() {
                        p.mute { "Declared without a message." }
                    } @else {
                        pre { (t.text.trim_end()) }
                        @let used = werr_format::inserts_named(&t.text);
                        @if !used.is_empty() {
                            p {
                                "Inserts: "
                                @for (i, n) in used.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    code { "%" (n) }
                                }
                                " (the record's values, in order)"
                            }
                        }
                    }
                }
            }
            p.mute {
                "Permalink: " a href=(crate::api::event_href(&event.provider, event.event_id)) {
                    (crate::api::event_href(&event.provider, event.event_id))
                }
                " · JSON: " a href=(api) { "event" }
            }
        },
    );
    Ok(page.into_response())
}

/// The other names defined with the record's value.
fn same_value_names(kb: &werr_kb::Kb, record: &Record) -> werr_kb::Result<Vec<String>> {
    let Some(value) = record.value else {
        return Ok(Vec::new());
    };
    Ok(kb
        .lookup(&value.hex.to_string(), 50)?
        .into_iter()
        .filter(|m| matches!(m.reason, MatchReason::Value { .. }) && m.name != record.name)
        .map(|m| m.name)
        .collect())
}

/// `note` as a sentence: capitalised, with a full stop.
fn sentence(note: &str) -> String {
    let mut chars = note.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

fn range_text(first: Option<u32>, last: Option<u32>) -> Option<String> {
    match (first, last) {
        (Some(f), Some(l)) => Some(format!("Codes {f} - {l}")),
        _ => None,
    }
}

/// The page of one record, laid out like the seed page.
pub(crate) fn record_page(
    record: &Record,
    neighbours: &[Occurrence],
    other_names: &[String],
    wanted: &LangRequest,
    events: &(Vec<EventSummary>, usize),
) -> Markup {
    let (events, total_events) = (&events.0, events.1);
    let langids: Vec<u16> = record.messages.iter().map(|m| m.langid).collect();
    let choice = wanted.choose(&langids);
    let chosen = choice
        .as_ref()
        .and_then(|c| record.messages.iter().position(|m| m.langid == c.langid));
    let fallback_note = choice.as_ref().and_then(Choice::fallback_note);
    let chosen_message = chosen
        .map(|i| &record.messages[i])
        .filter(|m| record.shows_message_as_description(m));
    let sample_text = chosen_message
        .map(|m| m.text.as_str())
        .or(record.description.as_deref());
    let first = record.defined_at.first();
    let hex = record
        .value
        .map_or_else(|| "no value".to_string(), |v| v.hex.to_string());
    let title = format!("{}, {hex}", record.name);
    let own_scheme = record.layout.as_ref().map(|l| l.scheme);
    layout(
        &title,
        "",
        html! {
            h1 { (title) }
            @if let Some(d) = first {
                p.mute { "(" (d.source) " " (d.version) ")" }
            }
            // The fields of the seed page, in its order; what fewer readers need is folded
            // at the end.
            dl.fields {
                dt { "Name" } dd { code { (record.name) } }
                dt { "Value" }
                dd {
                    @if let Some(v) = &record.value { (value_forms(v)) }
                    @else { span.mute { "no source's definition could be evaluated" } }
                }
                dt { "Type" } dd { (record.category) }
                dt { "Description" }
                dd {
                    @if let Some(m) = chosen_message {
                        p.desc lang=(m.lang) { (m.text.trim_end()) }
                        @if let Some(mark) = rewrite_mark(&m.kit) {
                            p.mute.credit { "Text: " (m.source) (mark) }
                        }
                        @if let Some(note) = &fallback_note {
                            p.mute.fallback { (sentence(note)) }
                        }
                    } @else if let Some(d) = &record.description {
                        p.desc { (d) }
                        @if let Some(of) = &record.description_of {
                            p.mute.derived { "The text of the code it derives from: " (of) }
                        }
                        @if let Some(s) = &record.description_source {
                            p.mute.credit {
                                "Text: " (source_title(&s.source)) " (" (s.source) " " (s.version)
                                "), " (s.file) ", line " (s.line) " · " (s.license)
                                @if let Some(mark) = rewrite_mark(&s.source) { (mark) }
                                " · "
                                a href="/about" { "sources and licenses" }
                            }
                        }
                        // The English description, where a table's English text gave way
                        // to it because the language asked for has none.
                        @if let Some(note) = &fallback_note {
                            p.mute.fallback { (sentence(note)) }
                        }
                    } @else {
                        span.mute { "none recorded" }
                    }
                }
                dt { "C/C++ Type" } dd { code { (record.c_type) } }
                @if let Some(d) = first {
                    dt { "Defined at" }
                    dd { (d.file) ", line " (d.line) " (" (d.source) " " (d.version) ")" }
                    dt { "Definition" }
                    dd { pre { (d.definition) } }
                }
                @if let Some(c) = &record.line_comments {
                    dt { "Line comments" } dd { pre { (c) } }
                }
                @if let Some(g) = &record.group {
                    dt { "Group comments" }
                    dd {
                        pre { (g.title) }
                        @if let Some(r) = range_text(g.first, g.last) { p { (r) } }
                    }
                }
                @if !record.also_used_in.is_empty() {
                    dt { "Also used in" }
                    dd {
                        @for (i, a) in record.also_used_in.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("#def-{}", definition_index(record, &a.source, &a.version))) {
                                (a.source) " " (a.version)
                            }
                            @if let Some(v) = &a.value { " (value " (v) ")" }
                        }
                    }
                }
                @if let Some(t) = &record.type_description {
                    dt #type-description { "Type description" }
                    dd { pre { (t) } }
                }
                @if let Some(l) = &record.layout {
                    dt { "Layout" }
                    dd {
                        p.mute { (l.scheme.title()) }
                        pre.bitbox { (l.bit_box) }
                    }
                }
                dt #messages { "Translations" }
                dd {
                    @if record.messages.is_empty() {
                        span.mute { "The knowledge base has no message table entry with this id." }
                    } @else {
                        nav.langs aria-label="Language" {
                            @for (i, m) in record.messages.iter().enumerate() {
                                @if Some(i) == chosen { strong lang=(m.lang) { (m.lang) } }
                                @else { a href=(format!("?lang={}#messages", m.lang)) hreflang=(m.lang) { (m.lang) } }
                            }
                        }
                        (folded(
                            html! { "The text in all " (record.messages.len()) " languages" },
                            html! {
                                dl.fields.messages {
                                    @for m in &record.messages {
                                        dt { (m.lang) }
                                        dd lang=(m.lang) { (m.text.trim_end()) br; span.mute { (m.source) } }
                                    }
                                }
                            },
                        ))
                    }
                }
            }
            @if let Some(rendered) = sample_text.and_then(sample_rendering) {
                h2 #rendered { "Rendered with sample inserts" }
                pre { (rendered) }
            }
            @if !record.related.is_empty() || !other_names.is_empty() {
                h2 { "Related names" }
                ul.names {
                    @for r in &record.related {
                        li { a href=(code_href(&r.name)) { (r.name) } " " span.mute { (r.relation) } }
                    }
                    @for n in other_names {
                        li { a href=(code_href(n)) { (n) } " " span.mute { "same value" } }
                    }
                }
            }
            (events_section(events, total_events))
            @if let Some(v) = &record.value {
                (folded(
                    html! { "Neighbours" },
                    neighbour_list(neighbours, v.unsigned),
                ))
                (folded(
                    html! { "Other readings of " (v.hex) },
                    readings_section(v.unsigned, own_scheme, ""),
                ))
            }
            (folded(
                html! { "Definitions (" (record.defined_at.len()) ")" },
                html! {
                    ol {
                        @for (i, d) in record.defined_at.iter().enumerate() {
                            li #(format!("def-{i}")) {
                                (d.source) " " (d.version) ": " (d.file) ", line " (d.line)
                                @if let Some(v) = &d.value { " = " (v) }
                                pre { (d.definition) }
                            }
                        }
                    }
                },
            ))
            p.mute {
                "Permalink: " a href=(code_href(&record.name)) { (code_href(&record.name)) }
                " · JSON: " a href=(format!("/api/v1/symbols/{}", &code_href(&record.name)[6..])) { "symbol" }
            }
        },
    )
}

/// The position in `defined_at` of the first definition from `source version`.
fn definition_index(record: &Record, source: &str, version: &str) -> usize {
    record
        .defined_at
        .iter()
        .position(|d| d.source == source && d.version == version)
        .unwrap_or(0)
}

fn neighbour_list(neighbours: &[Occurrence], value: u32) -> Markup {
    html! {
        @if neighbours.is_empty() {
            p.mute { "No named code shares the upper 16 bits of this value." }
        } @else {
            ul {
                @for o in neighbours {
                    @if let Some(v) = o.value {
                        li {
                            @if v < value { "↑ " } @else { "↓ " }
                            a href=(code_href(&o.name)) { (o.name) } " "
                            span.mute { (format!("0x{v:08X}")) " · " (o.kit) " " (o.version) }
                            @if let Some(t) = &o.message_text { br; span.mute { (shorten(t, 140)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The page of a value no name of its own answers: the derived readings that do (each with
/// its text and credit), the value's own names folded, then its forms, the events with its id
/// (a number no code has is often an event id read off a log), groups, neighbours and
/// readings.
fn unnamed_page(
    text: &str,
    parsed: &werr_codes::ParsedValue,
    answers: &[(Match, Option<TextCredit>)],
    own_names: &[String],
    unnamed: &Unnamed,
    events: &(Vec<EventSummary>, usize),
) -> Markup {
    let primary = parsed.primary();
    let forms = unnamed.value;
    layout(
        &forms.hex.to_string(),
        text,
        html! {
            h1 { (forms.hex) }
            @for (m, credit) in answers {
                div.answer {
                    p {
                        a href=(code_href(&m.name)) {
                            @if let MatchReason::Related { relation } = &m.reason { (relation) }
                            @else { (m.name) }
                        }
                        @if let Some(d) = &m.description { ": " (d) }
                    }
                    @if let Some(c) = credit { (credit_line(c)) }
                }
            }
            (value_forms(&forms))
            @if parsed.is_ambiguous() {
                p.mute {
                    "Read as " (primary.form.describe()) "; the text also reads as "
                    @for (i, alt) in parsed.readings()[1..].iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(value_href(alt.value)) { (format!("0x{:08X}", alt.value)) }
                        " (" (alt.form.describe()) ")"
                    }
                    "."
                }
            }
            @if own_names.is_empty() && answers.is_empty() && !events.0.is_empty() {
                p { "No code has this value; the events with this id are below." }
            } @else if own_names.is_empty() && answers.is_empty() {
                p { "No source in the knowledge base names this value." }
            } @else if own_names.is_empty() {
                p.mute { "No source names this value itself: the reading above derives it." }
            } @else {
                (folded(
                    html! { "+" (own_names.len()) " other names with this value" },
                    html! {
                        ul.names {
                            @for n in own_names { li { a href=(code_href(n)) { (n) } } }
                        }
                    },
                ))
            }
            (events_section(&events.0, events.1))
            @if !unnamed.enclosing_groups.is_empty() {
                h2 { "Groups whose range holds it" }
                ul {
                    @for e in &unnamed.enclosing_groups {
                        li {
                            (e.group.title)
                            @if let Some(r) = range_text(e.group.first, e.group.last) { " (" (r) ")" }
                            " " span.mute { (e.place) }
                        }
                    }
                }
            }
            h2 { "Neighbours" }
            @if unnamed.neighbours.is_empty() {
                p.mute { "No named code shares the upper 16 bits of this value." }
            } @else {
                ul {
                    @for n in &unnamed.neighbours {
                        li { a href=(code_href(&n.name)) { (n.name) } " " span.mute { (n.value) " (" (format!("{:+}", n.distance)) ")" } }
                    }
                }
            }
            h2 { "Readings" }
            (readings_section(forms.unsigned, None, "most plausible"))
        },
    )
}

/// The message text rendered as FormatMessage would, with a sample for each insert
/// (`[insert 1]` for strings, the insert number for integers), when it has inserts.
pub(crate) fn sample_rendering(text: &str) -> Option<String> {
    use werr_format::ArgKind;
    let kinds = werr_format::argument_kinds(text);
    if kinds.is_empty() {
        return None;
    }
    let labels: Vec<String> = (1..=kinds.len()).map(|n| format!("[insert {n}]")).collect();
    let args: Vec<werr_format::Arg<'_>> = kinds
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(n, (kind, label))| match kind {
            ArgKind::Integer => werr_format::Arg::U32(n as u32 + 1),
            ArgKind::Char => werr_format::Arg::Char('?'),
            ArgKind::Text => werr_format::Arg::Str(label),
        })
        .collect();
    werr_format::format(text, &args, &werr_format::Options::default()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use werr_kb::MessageInfo;

    fn message(lang: &str, langid: u16, text: &str) -> MessageInfo {
        MessageInfo {
            lang: lang.to_string(),
            langid,
            text: text.to_string(),
            source: "Wine 8.0 kernelbase.dll".to_string(),
            kit: "Wine".to_string(),
            module: "kernelbase.dll".to_string(),
            message_id: 0x8000_1083,
            source_id: 1,
        }
    }

    /// The seed's code, with two of its languages (texts from the seed page).
    fn seed_record() -> Record {
        Record {
            name: "EVENT_TCPIP_TCP_TIME_WAIT_COLLISION".to_string(),
            value: Some(ValueForms::of(0x8000_1083)),
            category: "Windows Lanman Server Events".to_string(),
            c_type: "int".to_string(),
            description: Some("TCP/IP failed to establish an outgoing connection <&>".to_string()),
            description_source: None,
            description_of: None,
            defined_at: Vec::new(),
            line_comments: None,
            group: None,
            also_used_in: Vec::new(),
            layout: None,
            type_description: None,
            language: None,
            messages: vec![
                message(
                    "en-US",
                    0x409,
                    "TCP/IP failed to establish an outgoing connection",
                ),
                message(
                    "da-DK",
                    0x406,
                    "TCP/IP kunne ikke oprette en udgående forbindelse",
                ),
            ],
            related: Vec::new(),
        }
    }

    fn description_of(page: &str) -> &str {
        let start = page.find("<dt>Description</dt>").expect("description");
        let end = start + page[start..].find("</dd>").expect("end of the description");
        &page[start..end]
    }

    #[test]
    fn description_follows_accept_language() {
        let page = record_page(
            &seed_record(),
            &[],
            &[],
            &LangRequest::from_accept_language("da, en"),
            &(Vec::new(), 0),
        )
        .into_string();
        assert!(
            description_of(&page).contains("kunne ikke oprette"),
            "{page}"
        );
        assert!(page.contains(r#"<strong lang="da-DK">da-DK</strong>"#));
        assert!(page.contains(r##"<a href="?lang=en-US#messages" hreflang="en-US">en-US</a>"##));
    }

    #[test]
    fn description_falls_back_to_english() {
        let page = record_page(
            &seed_record(),
            &[],
            &[],
            &LangRequest::from_accept_language("ko, en-us"),
            &(Vec::new(), 0),
        )
        .into_string();
        assert!(
            description_of(&page).contains("failed to establish"),
            "{page}"
        );
        assert!(!page.contains("No text in"), "en-US was asked: no fallback");
        let page = record_page(
            &seed_record(),
            &[],
            &[],
            &LangRequest::parse("ko").unwrap(),
            &(Vec::new(), 0),
        )
        .into_string();
        assert!(
            description_of(&page).contains("No text in ko; showing en-US."),
            "{page}"
        );
    }

    #[test]
    fn record_texts_are_escaped() {
        let mut record = seed_record();
        record.messages.clear();
        let page =
            record_page(&record, &[], &[], &LangRequest::ANY, &(Vec::new(), 0)).into_string();
        assert!(page.contains("outgoing connection &lt;&amp;&gt;"), "{page}");
    }

    #[test]
    fn record_without_a_value_says_so() {
        let mut record = seed_record();
        record.value = None;
        let page =
            record_page(&record, &[], &[], &LangRequest::ANY, &(Vec::new(), 0)).into_string();
        assert!(
            page.contains("<h1>EVENT_TCPIP_TCP_TIME_WAIT_COLLISION, no value</h1>"),
            "{page}"
        );
        assert!(page.contains("could be evaluated"));
        assert!(!page.contains("Every reading of"));
    }

    #[test]
    fn samples_fill_string_and_integer_inserts() {
        assert_eq!(
            sample_rendering("File %1 has %2!d! errors.%n").as_deref(),
            Some("File [insert 1] has 2 errors.\r\n")
        );
        assert_eq!(sample_rendering("No inserts here."), None);
    }

    #[test]
    fn samples_survive_malformed_inserts() {
        for text in [
            "%",
            "%1!",
            "%1!d",
            "%é%1",
            "100%",
            "%99!*.*s!",
            "%1!!",
            "ü%12%",
        ] {
            let _ = sample_rendering(text);
        }
        assert_eq!(sample_rendering("%é %1").as_deref(), Some("é [insert 1]"));
    }
}
