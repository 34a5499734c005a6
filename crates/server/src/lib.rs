//! werr's web face: a page per code, an as-you-type search page and a key-free JSON API,
//! served by axum from the knowledge base and the code arithmetic of `werr-codes`.
//!
//! # What it offers
//!
//! - [`router`]: the whole application as an axum [`Router`], ready for `tower::ServiceExt::oneshot`
//!   in tests or for [`serve`].
//! - [`serve_blocking`]: what `werr serve` calls: binds, serves, stops on SIGTERM.
//! - [`serve`] / [`serve_with`]: runs the router on a bound listener until the shutdown
//!   future resolves (`werr serve` passes SIGTERM/Ctrl-C), finishing requests in flight, with
//!   the connection limits of [`ServeOptions`] (header-read and idle timeout, connection cap,
//!   shutdown grace; see `connections.rs`).
//! - [`KbPool`]: the knowledge base's handles, asked on blocking threads, a bounded number
//!   at once and under a deadline; [`AppState`] holds one.
//!
//! # Routes
//!
//! Pages (HTML, server-rendered, every text escaped): `/` (search box; `?q=` renders results
//! without JavaScript), `/code/{NAME}`, `/value/{VALUE}`, `/about`; `/favicon.ico`. JSON: `/api/v1/lookup?q=`,
//! `/api/v1/symbols/{name}`, `/api/v1/decode/{value}`, `/api/v1/search?q=&lang=`, `POST
//! /api/v1/format` (a text rendered with its arguments), and the OpenAPI 3 document at
//! `/api/openapi.json`. The API's routes are listed once, in `api::ApiRoute`. `/healthz` answers `ok`.
//!
//! # Failure modes
//!
//! The client's mistakes (a malformed value, an unknown name, an oversize query, a body over
//! [`MAX_BODY_BYTES`], a text that would render past 64 KiB) are 4xx with a JSON message on
//! `/api/` and an HTML page elsewhere; a request running longer than [`REQUEST_TIMEOUT`] is
//! cut off with 503, and its KB query is stopped. Every response, errors included, carries
//! the Content-Security-Policy and `X-Content-Type-Options: nosniff`. Nothing from the URL
//! reaches the file system: static assets are compiled into the binary.
#![deny(missing_docs)]

mod api;
mod assets;
mod connections;
mod error;
mod knowledge;
mod openapi;
mod pages;

pub use connections::{default_max_connections, serve_with, ServeOptions, HEADER_READ_TIMEOUT};
pub use error::{ApiError, PageError};
pub use knowledge::{KbPool, KnowledgeError};

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest request body accepted (the format route's text and arguments fit easily).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The longest query text accepted, in characters (`q=`, names, values).
pub const MAX_QUERY_CHARS: usize = 256;
/// The longest symbol name looked up (the longest in the default KB has 78 characters). Finding
/// names near a misspelling scans every name, so longer text is not taken for a name.
pub const MAX_NAME_CHARS: usize = werr_kb::MAX_NAME_CHARS;
/// How long a request may run before it is answered with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What every handler shares: the knowledge base.
#[derive(Clone)]
pub struct AppState {
    kb: Arc<KbPool>,
    answers: Arc<api::AnswerCache>,
}

impl AppState {
    /// State serving reads from `kb`.
    pub fn new(kb: Arc<KbPool>) -> AppState {
        AppState {
            kb,
            answers: Arc::new(api::AnswerCache::new()),
        }
    }
}

/// The content security policy of every response: nothing may load from another origin,
/// so the pages work offline and a message text can never pull in a script.
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; \
img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole application: pages, API, OpenAPI document, health check, with body and time
/// limits, the access log and JSON errors on `/api/`. The security headers are set outermost
/// (inside only the access log), so the errors the limits and `error_bodies` make carry them.
pub fn router(state: AppState) -> Router {
    let api = api::routes().fallback(api::not_found);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/", get(pages::search))
        .route("/code/{name}", get(pages::code))
        .route("/value/{value}", get(pages::value))
        .route("/event/{provider}/{id}", get(pages::event))
        .route("/about", get(pages::about))
        .route("/static/werr.css", get(assets::css))
        .route("/static/search.js", get(assets::search_js))
        .route("/favicon.ico", get(assets::favicon))
        .route("/api/openapi.json", get(openapi::document))
        .nest("/api/v1", api)
        .fallback(pages::not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(error_bodies))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(access_span)
                .on_request(())
                .on_response(access_event),
        )
}

/// `/healthz`: the server is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The span of one request in the access log.
fn access_span(req: &Request) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
    )
}

/// One `access` event per request at INFO: status and latency (method and path are in the
/// span).
fn access_event(res: &Response, latency: Duration, _span: &tracing::Span) {
    tracing::info!(
        target: "werr_server::access",
        status = res.status().as_u16(),
        micros = latency.as_micros() as u64,
        "access"
    );
}

/// Gives every error response the body its route promises: JSON on `/api/`, an HTML page
/// elsewhere. Errors our handlers make already have one; this catches axum's rejections (a
/// malformed path or query, a method not allowed), the body limit's 413 and the timeout's 503,
/// keeping their status and message.
async fn error_bodies(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    let finished = if is_api {
        content_type.starts_with(b"application/json")
    } else {
        content_type.starts_with(b"text/html")
    };
    if finished {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let body = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let message = if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text.trim().to_string()
    };
    let mut rewritten = if is_api {
        error::json_error(status, &message)
    } else {
        PageError { status, message }.into_response()
    };
    if let Some(allow) = allow {
        rewritten.headers_mut().insert(header::ALLOW, allow);
    }
    rewritten
}

/// Serves `app` on `listener` with the default [`ServeOptions`] until `shutdown` resolves,
/// then stops accepting and lets the requests in flight finish ([`serve_with`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, ServeOptions::default(), shutdown).await
}

/// Serves `state` on `addr` on a new multi-threaded runtime until SIGTERM or Ctrl-C, calling
/// `on_listening` with the bound address (useful with port 0) once connections are accepted.
pub fn serve_blocking(
    addr: std::net::SocketAddr,
    state: AppState,
    on_listening: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let shutdown = shutdown_signal();
        on_listening(listener.local_addr()?);
        serve(listener, router(state), shutdown).await
    })
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT), whichever comes first. The handlers are installed
/// when this is called, not when the future is first polled: a signal that arrives once
/// connections are accepted stops the server gracefully instead of killing the process.
/// Call it inside a Tokio runtime.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate()).ok();
        let interrupt = signal(SignalKind::interrupt()).ok();
        async move {
            let received = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = received(term) => {},
                () = received(interrupt) => {},
            }
        }
    }
    #[cfg(not(unix))]
    async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Text that must not be longer than [`MAX_QUERY_CHARS`]: 400 otherwise.
pub(crate) fn check_length(what: &str, text: &str) -> Result<(), ApiError> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "{what} is {chars} characters long; at most {MAX_QUERY_CHARS} are accepted"
        )));
    }
    Ok(())
}

/// A name no longer than [`MAX_NAME_CHARS`]: 400 otherwise.
pub(crate) fn check_name(name: &str) -> Result<(), ApiError> {
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(format!(
            "name is {chars} characters long; symbol names have at most {MAX_NAME_CHARS}"
        )));
    }
    Ok(())
}

impl From<KnowledgeError> for ApiError {
    fn from(e: KnowledgeError) -> ApiError {
        ApiError::unavailable(e.to_string())
    }
}

impl From<KnowledgeError> for PageError {
    fn from(e: KnowledgeError) -> PageError {
        ApiError::from(e).into()
    }
}
