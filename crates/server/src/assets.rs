//! The stylesheet and the search script, compiled into the binary: no path from a request
//! ever reaches the file system, and the pages need nothing from another origin.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../assets/werr.css");
const SEARCH_JS: &str = include_str!("../assets/search.js");
const FAVICON: &[u8] = include_bytes!("../assets/favicon.ico");

/// `GET /static/werr.css`.
pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

/// `GET /static/search.js`.
pub(crate) async fn search_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SEARCH_JS,
    )
}

/// `GET /favicon.ico`, which every browser asks for (`tools/gen-favicon.py` draws it).
pub(crate) async fn favicon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/x-icon"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}
