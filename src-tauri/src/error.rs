//! The one error shape that crosses IPC: `{code, message, …}` with a stable `code`.

use serde::Serialize;

/// An error as the UI sees it. `code` is stable (`auth_failed`, `rate_limited`,
/// `keychain_unavailable`, `not_connected`, …); `message` is for people and never holds a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    pub code: String,
    pub message: String,
    pub status: Option<u16>,
    pub trace_id: Option<String>,
    pub retry_after_secs: Option<u32>,
    pub reset_date: Option<String>,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            status: None,
            trace_id: None,
            retry_after_secs: None,
            reset_date: None,
        }
    }

    pub fn not_connected() -> Self {
        Self::new(
            "not_connected",
            "No workspace is open: connect your Port account or try the demo workspace.",
        )
    }
}

impl From<port_api::PortError> for AppError {
    fn from(err: port_api::PortError) -> Self {
        Self {
            code: err.code.as_str().to_string(),
            message: err.message,
            status: err.status,
            trace_id: err.trace_id,
            retry_after_secs: err
                .retry_after_secs
                .map(|s| u32::try_from(s).unwrap_or(u32::MAX)),
            reset_date: err.reset_date,
        }
    }
}

impl From<agents::AgentsError> for AppError {
    fn from(err: agents::AgentsError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

impl From<history::HistoryError> for AppError {
    fn from(err: history::HistoryError) -> Self {
        Self::new(err.code(), err.to_string())
    }
}

impl From<credentials::CredentialsError> for AppError {
    fn from(err: credentials::CredentialsError) -> Self {
        Self::new(&err.code, err.message)
    }
}

impl From<secrets::KeychainError> for AppError {
    fn from(err: secrets::KeychainError) -> Self {
        let code = serde_json::to_value(err.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "keychain_failed".to_string());
        Self::new(&code, err.message)
    }
}
