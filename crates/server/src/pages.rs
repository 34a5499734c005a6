//! The HTML pages, rendered on the server with maud (which escapes every interpolated text:
//! message texts contain `<`, `&` and `%`).

use crate::api::{code_href, lookup_answer, value_href, LookupAnswer, Matched};
use crate::error::PageError;
use crate::{check_length, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use werr_codes::{parse_value, readings, Reading, ValueForms};

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
                }
            }
        }
    }
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
        Some(lookup_answer(&state, &q, 30)?)
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
                @if let Some(a) = &answer { (a.results.len()) " results" }
            }
            ol #results.results {
                @if let Some(a) = &answer { (result_items(a)) }
            }
            script src="/static/search.js" defer {}
        },
    ))
}

fn result_items(answer: &LookupAnswer) -> Markup {
    html! {
        @for r in &answer.results {
            li {
                a href=(r.href) {
                    @if let Some(name) = &r.name { (name) } @else { (r.value.hex) " (decode)" }
                }
                span.meta {
                    (r.value.hex) " · " (r.value.signed) " · " (r.value.unsigned)
                    @if let Some(t) = &r.category { " · " (t) }
                    " · by " (matched_word(r.matched))
                }
                @if let Some(s) = &r.snippet { span.snippet { (s) } }
            }
        }
    }
}

fn matched_word(m: Matched) -> &'static str {
    match m {
        Matched::Value => "value",
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

/// Every reading of `value` with its filled-in bit box and links to the related codes.
pub(crate) fn readings_section(value: u32) -> Markup {
    html! {
        @for (i, r) in readings(value).iter().enumerate() {
            (reading_block(r, i == 0))
        }
    }
}

fn reading_block(r: &Reading, most_plausible: bool) -> Markup {
    html! {
        section.reading {
            h3 {
                (r.scheme.title())
                @if most_plausible { " " span.mute { "(most plausible)" } }
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

/// `GET /value/{value}`: the symbols with this value and the value under every layout.
pub(crate) async fn value(
    State(state): State<AppState>,
    Path(text): Path<String>,
) -> Result<Markup, PageError> {
    check_length("value", &text)?;
    let parsed = parse_value(&text).map_err(|e| PageError::bad_request(e.to_string()))?;
    let primary = parsed.primary();
    let forms = ValueForms::of(primary.value);
    let symbols = state.kb.symbols_with_value(primary.value)?;
    let title = forms.hex.to_string();
    Ok(layout(
        &title,
        &text,
        html! {
            h1 { (forms.hex) }
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
            h2 { "Names with this value" }
            @if symbols.is_empty() {
                p.mute { "No symbol in the knowledge base has this value." }
            } @else {
                ul {
                    @for s in &symbols {
                        li { a href=(code_href(&s.name)) { (s.name) } " " span.mute { (s.category) } }
                    }
                }
            }
            h2 { "Readings" }
            (readings_section(primary.value))
        },
    ))
}
