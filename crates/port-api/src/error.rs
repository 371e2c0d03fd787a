//! One error taxonomy for everything that talks to Port.
//!
//! Every failure carries a stable [`ErrorCode`] that the CLI prints, the desktop shell forwards over
//! IPC as `{code, message, …}` and the history stores. Messages are for people; codes are for code.

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes. Never rename a variant: scripts and the UI match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Bad or expired credentials, even after one refresh.
    AuthFailed,
    /// The credentials are fine but the user may not do this.
    PermissionDenied,
    /// Too many requests; `retryAfterSecs` says when to try again when Port told us.
    RateLimited,
    /// The monthly AI invocation quota is used up; `resetDate` says when it refills when known.
    QuotaExceeded,
    NotFound,
    /// Port refused the request as malformed, or Portdesk refused to send it.
    InvalidRequest,
    ServerError,
    /// Could not reach Port at all (DNS, refused connection, TLS, timeout before a response).
    Network,
    /// A stream that began ended before `done` (dropped connection, server stopped).
    StreamInterrupted,
    /// Port answered something Portdesk cannot read.
    InvalidResponse,
    /// The event stream itself broke a limit Portdesk keeps (an event too large to hold).
    StreamMalformed,
    /// The user cancelled. A normal terminal state, not a failure of Port's.
    Cancelled,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::AuthFailed => "auth_failed",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::QuotaExceeded => "quota_exceeded",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::ServerError => "server_error",
            ErrorCode::Network => "network",
            ErrorCode::StreamInterrupted => "stream_interrupted",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::StreamMalformed => "stream_malformed",
            ErrorCode::Cancelled => "cancelled",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from Port or from talking to it. Serializes as `{code, message, …}`.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct PortError {
    pub code: ErrorCode,
    pub message: String,
    /// The HTTP status, when the error came with a response.
    pub status: Option<u16>,
    /// Port's `X-Trace-Id`: support asks for it.
    pub trace_id: Option<String>,
    /// Port's own error name or code (`"invalid_credentials"`, `"LLMProviderNotFoundError"`, …).
    pub port_error: Option<String>,
    /// For `rate_limited`: seconds to wait, from the body's `retryAfter` or the headers.
    pub retry_after_secs: Option<u64>,
    /// For `quota_exceeded`: when the quota resets (ISO 8601), as Port sent it.
    pub reset_date: Option<String>,
}

impl PortError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            status: None,
            trace_id: None,
            port_error: None,
            retry_after_secs: None,
            reset_date: None,
        }
    }

    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidResponse, message)
    }

    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "cancelled by the user")
    }

    pub fn stream_interrupted(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::StreamInterrupted, message)
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn with_trace_id(mut self, trace_id: Option<String>) -> Self {
        if trace_id.is_some() {
            self.trace_id = trace_id;
        }
        self
    }

    /// Whether trying the same request again later can succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.code,
            ErrorCode::RateLimited
                | ErrorCode::ServerError
                | ErrorCode::Network
                | ErrorCode::StreamInterrupted
        )
    }

    /// Maps a transport failure. Only the kind of failure is kept: reqwest's messages can carry the
    /// full URL, which is harmless, but never a header, so no secret can leak through here.
    pub(crate) fn from_transport(err: &reqwest::Error) -> Self {
        let what = if err.is_timeout() {
            "timed out"
        } else if err.is_connect() {
            "could not connect"
        } else if err.is_body() || err.is_decode() {
            "the connection dropped while reading the response"
        } else {
            "the request failed"
        };
        let host = err
            .url()
            .and_then(|u| u.host_str().map(|h| h.to_string()))
            .unwrap_or_else(|| "Port".to_string());
        let mut source = std::error::Error::source(err);
        let mut detail = String::new();
        while let Some(s) = source {
            detail = s.to_string();
            source = s.source();
        }
        let message = if detail.is_empty() {
            format!("{what} ({host})")
        } else {
            format!("{what} ({host}): {detail}")
        };
        Self::new(ErrorCode::Network, message)
    }
}

pub type Result<T, E = PortError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_a_stable_code() {
        let err = PortError::new(ErrorCode::RateLimited, "slow down").with_status(429);
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "rate_limited");
        assert_eq!(json["message"], "slow down");
        assert_eq!(json["status"], 429);
    }

    #[test]
    fn every_code_serializes_as_its_as_str() {
        use ErrorCode::*;
        for code in [
            AuthFailed,
            PermissionDenied,
            RateLimited,
            QuotaExceeded,
            NotFound,
            InvalidRequest,
            ServerError,
            Network,
            StreamInterrupted,
            InvalidResponse,
            Cancelled,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
