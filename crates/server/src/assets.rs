//! The stylesheet and the search script, compiled into the binary: no path from a request
//! ever reaches the file system, and the pages need nothing from another origin.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../assets/werr.css");
const SEARCH_JS: &str = include_str!("../assets/search.js");

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
