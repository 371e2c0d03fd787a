//! The server's own error answers, in the body shapes Port uses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// The body parsed but does not match the route's schema (Port: 422).
    #[error("{0}")]
    Invalid(String),
    /// The request cannot be served as asked (bad JSON, inactive agent, bad cursor).
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("the access token has expired")]
    TokenExpired,
    #[error("invalid client credentials")]
    InvalidCredentials,
    #[error("request body is too large (limit is 1MiB)")]
    PayloadTooLarge,
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Errors Port reports as `{ok:false, error:{name, message}}`.
    #[error("{name}: {message}")]
    Named {
        status: StatusCode,
        name: &'static str,
        message: String,
    },
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::TokenExpired => (StatusCode::UNAUTHORIZED, "token_expired"),
            Self::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Named { status, name, .. } => (*status, name),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let body = match &self {
            Self::Named { name, message, .. } => {
                json!({"ok": false, "error": {"name": name, "message": message}})
            }
            other => json!({"ok": false, "error": code, "message": other.to_string()}),
        };
        (status, Json(body)).into_response()
    }
}

/// A JSON answer with a status chosen by a test; nonsense statuses become 500.
pub(crate) fn json_response(status: u16, body: Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(body)).into_response()
}

/// Parses a request body the way Port's schema validation answers: broken JSON is a 400,
/// JSON of the wrong shape (unknown field, wrong type, missing field) a 422.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            ApiError::Invalid(format!("body {e}"))
        } else {
            ApiError::BadRequest(format!("body is not valid JSON: {e}"))
        }
    })
}
