//! The one error type of this crate: `{code, message}` with a stable code, like every error that
//! crosses IPC.

use secrets::KeychainError;
use serde::Serialize;

/// A failure of a profile operation. `code` is one of `keychain_unavailable`, `keychain_locked`,
/// `keychain_failed`, `profile_not_found`, `profile_exists`, `invalid_profile`, `secret_missing`,
/// `settings_unwritable`, `invalid_request`, or a [`port_api::ErrorCode`] string for errors that
/// came from Port's client. Messages never contain a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct CredentialsError {
    pub code: String,
    pub message: String,
}

impl CredentialsError {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn profile_not_found(name: &str) -> Self {
        Self::new(
            "profile_not_found",
            format!("There is no profile named {name:?}."),
        )
    }

    pub(crate) fn profile_exists(name: &str) -> Self {
        Self::new(
            "profile_exists",
            format!(
                "A profile named {name:?} already exists: pick another name, or edit that profile."
            ),
        )
    }

    pub(crate) fn invalid_profile(message: impl Into<String>) -> Self {
        Self::new("invalid_profile", message)
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Self::new("invalid_request", message)
    }

    pub(crate) fn settings_unwritable(message: impl Into<String>) -> Self {
        Self::new("settings_unwritable", message)
    }

    pub(crate) fn secret_missing(name: &str, what: &str) -> Self {
        Self::new(
            "secret_missing",
            format!(
                "The {what} of profile {name:?} is not in the OS keychain (it may have been removed there): enter it again by editing the profile, or with `portdesk-cli profile remove` and `profile add`."
            ),
        )
    }
}

impl From<KeychainError> for CredentialsError {
    fn from(err: KeychainError) -> Self {
        Self::new(err.code.as_str(), err.message)
    }
}

impl From<port_api::PortError> for CredentialsError {
    fn from(err: port_api::PortError) -> Self {
        Self::new(err.code.as_str(), err.message)
    }
}
