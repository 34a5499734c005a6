//! Errors as the client sees them: JSON `{"error": ..., "status": ...}` for the API, an HTML
//! page for the pages. Every handler's failure goes through one of these two types.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An API failure: a status and a message, answered as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status (4xx for the client's mistakes).
    pub status: StatusCode,
    /// What went wrong and what was expected.
    pub message: String,
}

/// The JSON body of every API error.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// What went wrong and what was expected.
    pub error: &'a str,
    /// The HTTP status code, repeated for clients that only see the body.
    pub status: u16,
}

impl ApiError {
    /// 400: the request's input is wrong.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404: nothing has that name or value.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 422: the request is well formed, but what it asks for cannot be given (a rendered
    /// text past the output limit).
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
        }
    }

    /// 503: the knowledge base could not answer (the request itself was fine).
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, &self.message)
    }
}

/// A JSON error response with `status` and `message`.
pub fn json_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::to_vec(&ErrorBody {
        error: message,
        status: status.as_u16(),
    })
    .unwrap_or_else(|_| b"{\"error\":\"error\"}".to_vec());
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A page failure: a status and a message, answered as an HTML page with the search box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, shown to the reader (escaped).
    pub message: String,
}

impl PageError {
    /// 400: the address holds a malformed value or name.
    pub fn bad_request(message: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404: nothing has that name or value.
    pub fn not_found(message: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError {
            status: e.status,
            message: e.message,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = crate::pages::error_page(self.status, &self.message);
        (self.status, page).into_response()
    }
}
