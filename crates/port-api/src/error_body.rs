//! Turning Port's error responses into [`PortError`].
//!
//! Port answers errors in four body shapes and with any HTTP status (no 429 is documented), so the
//! body decides first and the status only fills in what the body leaves open.

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::error::{ErrorCode, PortError};

/// Rate-limit headers some Port responses carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    pub remaining: Option<u64>,
    /// Epoch seconds when the window resets.
    pub reset_epoch_secs: Option<u64>,
    pub retry_after_secs: Option<u64>,
}

impl RateLimitHeaders {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map(|v| v as u64)
        };
        Self {
            remaining: number("x-ratelimit-remaining"),
            reset_epoch_secs: number("x-ratelimit-reset"),
            retry_after_secs: number("retry-after"),
        }
    }

    /// Seconds to wait, from `Retry-After` or else from the reset time.
    fn wait_secs(&self, now_epoch_secs: u64) -> Option<u64> {
        self.retry_after_secs.or_else(|| {
            self.reset_epoch_secs
                .map(|reset| reset.saturating_sub(now_epoch_secs))
        })
    }
}

pub(crate) fn trace_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-trace-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn now_epoch_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Whether a body that came with a success status is really one of Port's error shapes.
pub(crate) fn is_error_body(body: &Value) -> bool {
    body.get("ok") == Some(&Value::Bool(false))
        || matches!(
            body.get("type").and_then(Value::as_str),
            Some("RATE_LIMIT_ERROR" | "QUOTA_ERROR")
        )
}

/// Builds the error for a non-success response from its status, headers and raw body.
pub(crate) fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> PortError {
    let limits = RateLimitHeaders::from_headers(headers);
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let mut err = match parsed.as_ref() {
        Some(value) => from_body(status, value),
        None => from_status_only(status, body),
    };
    err.status = Some(status);
    err.trace_id = trace_id(headers);
    if err.code == ErrorCode::RateLimited && err.retry_after_secs.is_none() {
        err.retry_after_secs = limits.wait_secs(now_epoch_secs());
    }
    err
}

fn from_body(status: u16, body: &Value) -> PortError {
    let kind = body.get("type").and_then(Value::as_str);
    let (name, text) = match body.get("error") {
        // {ok:false, error:{name, message}}
        Some(Value::Object(obj)) => (
            obj.get("name").and_then(Value::as_str).map(str::to_string),
            obj.get("message")
                .and_then(Value::as_str)
                .map(str::to_string),
        ),
        Some(Value::String(s)) => (Some(s.clone()), None),
        _ => (None, None),
    };
    let message = text
        .or_else(|| {
            body.get("message")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .or_else(|| name.clone())
        .unwrap_or_else(|| format!("Port answered HTTP {status}"));

    let code = match kind {
        Some("RATE_LIMIT_ERROR") => ErrorCode::RateLimited,
        Some("QUOTA_ERROR") => ErrorCode::QuotaExceeded,
        _ => name
            .as_deref()
            .and_then(code_from_name)
            .unwrap_or_else(|| code_from_status(status)),
    };

    let mut err = PortError::new(code, message);
    err.port_error = name;
    if code == ErrorCode::RateLimited {
        err.retry_after_secs = body
            .get("retryAfter")
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.ceil() as u64);
    }
    if code == ErrorCode::QuotaExceeded {
        err.reset_date = body
            .get("resetDate")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    err
}

/// Port's error names and codes that say more than the status does.
fn code_from_name(name: &str) -> Option<ErrorCode> {
    let lower = name.to_ascii_lowercase();
    if lower.contains("rate_limit") || lower.contains("ratelimit") || lower.contains("too_many") {
        Some(ErrorCode::RateLimited)
    } else if lower.contains("quota") {
        Some(ErrorCode::QuotaExceeded)
    } else if lower.contains("token_expired")
        || lower.contains("invalid_credentials")
        || lower.contains("unauthorized")
        || lower.contains("invalid_token")
    {
        Some(ErrorCode::AuthFailed)
    } else if lower.contains("notfound") || lower.contains("not_found") {
        Some(ErrorCode::NotFound)
    } else if lower.contains("notenabled")
        || lower.contains("invalid")
        || lower.contains("validation")
    {
        Some(ErrorCode::InvalidRequest)
    } else {
        None
    }
}

fn code_from_status(status: u16) -> ErrorCode {
    match status {
        401 => ErrorCode::AuthFailed,
        403 => ErrorCode::PermissionDenied,
        404 => ErrorCode::NotFound,
        429 => ErrorCode::RateLimited,
        400..=499 => ErrorCode::InvalidRequest,
        500..=599 => ErrorCode::ServerError,
        _ => ErrorCode::InvalidResponse,
    }
}

fn from_status_only(status: u16, body: &[u8]) -> PortError {
    let code = code_from_status(status);
    let snippet: String = String::from_utf8_lossy(body)
        .chars()
        .take(200)
        .collect::<String>()
        .trim()
        .to_string();
    let message = if snippet.is_empty() {
        format!("Port answered HTTP {status}")
    } else {
        format!("Port answered HTTP {status}: {snippet}")
    };
    PortError::new(code, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};
    use serde_json::json;

    fn parse(status: u16, body: Value) -> PortError {
        from_response(status, &HeaderMap::new(), body.to_string().as_bytes())
    }

    #[test]
    fn rate_limit_shape_wins_over_any_status() {
        for status in [200, 400, 403, 429, 500] {
            let err = parse(
                status,
                json!({"error": "Too many", "type": "RATE_LIMIT_ERROR", "retryAfter": 42}),
            );
            assert_eq!(err.code, ErrorCode::RateLimited, "status {status}");
            assert_eq!(err.retry_after_secs, Some(42));
            assert_eq!(err.message, "Too many");
        }
    }

    #[test]
    fn quota_shape_keeps_the_reset_date() {
        let err = parse(
            403,
            json!({"error": "Quota exceeded", "type": "QUOTA_ERROR", "resetDate": "2026-12-01T00:00:00.000Z"}),
        );
        assert_eq!(err.code, ErrorCode::QuotaExceeded);
        assert_eq!(err.reset_date.as_deref(), Some("2026-12-01T00:00:00.000Z"));
    }

    #[test]
    fn ok_false_string_shape_maps_by_status_or_name() {
        let err = parse(
            404,
            json!({"ok": false, "error": "not_found", "message": "Agent x not found"}),
        );
        assert_eq!(err.code, ErrorCode::NotFound);
        assert_eq!(err.message, "Agent x not found");
        assert_eq!(err.port_error.as_deref(), Some("not_found"));

        let err = parse(
            400,
            json!({"ok": false, "error": "rate_limit_exceeded", "message": "slow"}),
        );
        assert_eq!(err.code, ErrorCode::RateLimited);
    }

    #[test]
    fn ok_false_object_shape_reads_name_and_message() {
        let err = parse(
            400,
            json!({"ok": false, "error": {"name": "LLMProviderNotFoundError", "message": "no such provider"}}),
        );
        assert_eq!(err.code, ErrorCode::NotFound);
        assert_eq!(err.port_error.as_deref(), Some("LLMProviderNotFoundError"));
        assert_eq!(err.message, "no such provider");

        let err = parse(
            422,
            json!({"ok": false, "error": {"name": "LLMProviderModelNotEnabledError", "message": "m"}}),
        );
        assert_eq!(err.code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn non_json_body_falls_back_to_status() {
        let err = from_response(502, &HeaderMap::new(), b"<html>Bad gateway</html>");
        assert_eq!(err.code, ErrorCode::ServerError);
        assert!(err.message.contains("502"));
    }

    #[test]
    fn headers_give_trace_id_and_retry_after() {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("x-trace-id"),
            HeaderValue::from_static("abc-123"),
        );
        let reset = now_epoch_secs() + 30;
        headers.insert(
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderValue::from_str(&reset.to_string()).unwrap(),
        );
        headers.insert(
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderValue::from_static("0"),
        );
        let err = from_response(429, &headers, b"");
        assert_eq!(err.code, ErrorCode::RateLimited);
        assert_eq!(err.trace_id.as_deref(), Some("abc-123"));
        let wait = err.retry_after_secs.unwrap();
        assert!((29..=30).contains(&wait), "{wait}");
        assert_eq!(RateLimitHeaders::from_headers(&headers).remaining, Some(0));
    }
}
