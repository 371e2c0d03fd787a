//! The OS keychain, through keyring's native stores (its `v1` feature): Secret Service on Linux and
//! the BSDs, Keychain Services on macOS, Credential Manager on Windows. keyring picks the store and
//! sets it as keyring-core's default once per process; there is deliberately no fallback to a file
//! or an in-memory store, so a secret is either in the OS keychain or the call fails.
//!
//! Every call blocks (D-Bus round trips on Linux, and on a desktop an unlock prompt may wait for the
//! user): async callers should run them on a blocking thread.

use serde::{Deserialize, Serialize};

use crate::Sensitive;

/// Tests point the keychain at a namespace of their own with this variable.
const NAMESPACE_ENV: &str = "PORTDESK_KEYCHAIN_NAMESPACE";

/// Stable codes for keychain failures; the UI and scripts match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum KeychainErrorCode {
    /// No keychain to talk to: no Secret Service, no D-Bus session, or the store failed to start.
    KeychainUnavailable,
    /// The keychain is there but locked, and unlocking it needs the user.
    KeychainLocked,
    KeychainFailed,
}

impl KeychainErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            KeychainErrorCode::KeychainUnavailable => "keychain_unavailable",
            KeychainErrorCode::KeychainLocked => "keychain_locked",
            KeychainErrorCode::KeychainFailed => "keychain_failed",
        }
    }
}

/// A keychain failure. The message says what to do about it and never contains a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct KeychainError {
    pub code: KeychainErrorCode,
    pub message: String,
}

impl KeychainError {
    fn new(code: KeychainErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    fn unavailable(detail: Option<String>) -> Self {
        let mut message = String::from(UNAVAILABLE_HINT);
        if let Some(detail) = detail {
            message.push_str(&format!(" (Details: {detail}.)"));
        }
        Self::new(KeychainErrorCode::KeychainUnavailable, message)
    }

    fn locked() -> Self {
        Self::new(
            KeychainErrorCode::KeychainLocked,
            "The OS keychain is locked: unlock it (e.g. log in again or open Passwords and Keys) and try again.",
        )
    }

    fn failed(message: impl Into<String>) -> Self {
        Self::new(KeychainErrorCode::KeychainFailed, message)
    }
}

#[cfg(target_os = "macos")]
const UNAVAILABLE_HINT: &str =
    "No OS keychain is available: Portdesk could not open your login keychain in Keychain Access.";
#[cfg(target_os = "windows")]
const UNAVAILABLE_HINT: &str =
    "No OS keychain is available: Portdesk could not open the Windows Credential Manager.";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const UNAVAILABLE_HINT: &str = "No OS keychain is available: on Linux, Portdesk needs a Secret Service provider such as GNOME Keyring running and unlocked in your session.";

/// Entries of one namespace in the OS keychain: the entry's service is the namespace, its user is
/// the account. Cheap to clone; holds no connection of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keychain {
    namespace: String,
}

impl Keychain {
    /// The namespace of this build ([`crate::build_identifier`]), unless `PORTDESK_KEYCHAIN_NAMESPACE`
    /// is set and non-empty (tests isolate themselves with it).
    ///
    /// Does not touch the keychain: a missing or locked keychain shows up in the first call that
    /// needs it, so code that can work without one (listing profiles) still can.
    pub fn for_this_build() -> Result<Keychain, KeychainError> {
        match std::env::var(NAMESPACE_ENV) {
            Ok(ns) if !ns.is_empty() => Self::with_namespace(ns),
            _ => Self::with_namespace(crate::build_identifier()),
        }
    }

    pub fn with_namespace(namespace: impl Into<String>) -> Result<Keychain, KeychainError> {
        let namespace = namespace.into();
        if namespace.trim().is_empty() || namespace.chars().any(char::is_control) {
            return Err(KeychainError::failed(format!(
                "{namespace:?} is not a usable keychain namespace: it must be non-empty text without control characters."
            )));
        }
        Ok(Self { namespace })
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Stores `secret` under `account`, replacing any value already there.
    pub fn set(&self, account: &str, secret: &Sensitive<String>) -> Result<(), KeychainError> {
        let fail = |err: keyring::Error| map_error(err, account, Some(secret.expose()));
        let entry = self.entry(account)?;
        match entry.set_password(secret.expose()) {
            Ok(()) => Ok(()),
            // Duplicates (e.g. made by another tool) make the entry ambiguous; replacing means
            // leaving exactly one, ours.
            Err(keyring::Error::Ambiguous(duplicates)) => {
                for duplicate in duplicates {
                    ignore_missing(duplicate.delete_credential()).map_err(fail)?;
                }
                entry.set_password(secret.expose()).map_err(fail)
            }
            Err(err) => Err(fail(err)),
        }
    }

    /// The secret under `account`, or `None` when there is no such entry.
    pub fn get(&self, account: &str) -> Result<Option<Sensitive<String>>, KeychainError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(map_error(err, account, None)),
        }
    }

    /// Removes the entry under `account`; succeeds when there is none.
    pub fn delete(&self, account: &str) -> Result<(), KeychainError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(keyring::Error::Ambiguous(duplicates)) => {
                for duplicate in duplicates {
                    ignore_missing(duplicate.delete_credential())
                        .map_err(|e| map_error(e, account, None))?;
                }
                Ok(())
            }
            Err(err) => Err(map_error(err, account, None)),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeychainError> {
        if account.is_empty() {
            return Err(KeychainError::failed(
                "A keychain account name cannot be empty.",
            ));
        }
        keyring::Entry::new(&self.namespace, account).map_err(|e| map_error(e, account, None))
    }
}

fn ignore_missing(result: keyring::Result<()>) -> keyring::Result<()> {
    match result {
        Err(keyring::Error::NoEntry) => Ok(()),
        other => other,
    }
}

/// Turns keyring's error into one with a stable code and a message that says what to do.
///
/// Only messages written here or the platform's own error text are used, never `Debug` of the
/// error (some variants carry the raw secret bytes); `secret`, when given, is scrubbed from the
/// platform text as well in case a store ever echoes it.
fn map_error(err: keyring::Error, account: &str, secret: Option<&str>) -> KeychainError {
    let scrub = |text: String| match secret {
        Some(s) if !s.is_empty() => text.replace(s, "<redacted>"),
        _ => text,
    };
    match err {
        keyring::Error::NoDefaultStore => {
            let detail = match keyring::Entry::store_status() {
                Err(init) => Some(scrub(init.to_string())),
                Ok(()) => None,
            };
            KeychainError::unavailable(detail)
        }
        keyring::Error::NoStorageAccess(_) => KeychainError::locked(),
        keyring::Error::PlatformFailure(platform) => {
            let detail = scrub(platform.to_string());
            if looks_unavailable(&detail) {
                KeychainError::unavailable(Some(detail))
            } else {
                KeychainError::failed(format!(
                    "The OS keychain failed on the entry {account:?}: {detail}. Try again; if it keeps failing, restart your keyring service or log in again."
                ))
            }
        }
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
            KeychainError::failed(format!(
                "The keychain entry {account:?} holds data Portdesk cannot read: enter the secret again to replace it."
            ))
        }
        keyring::Error::Ambiguous(items) => KeychainError::failed(format!(
            "{} keychain entries match {account:?}: remove the duplicates (e.g. in Passwords and Keys) and try again.",
            items.len()
        )),
        keyring::Error::TooLong(attribute, limit) => KeychainError::failed(format!(
            "The keychain refuses the entry {account:?}: its {attribute} is longer than the limit of {limit} characters."
        )),
        keyring::Error::Invalid(attribute, reason) => KeychainError::failed(format!(
            "The keychain refuses the entry {account:?}: the {attribute} {reason}."
        )),
        other => KeychainError::failed(format!(
            "The OS keychain failed on the entry {account:?}: {}.",
            scrub(other.to_string())
        )),
    }
}

/// The Secret Service can vanish after the store connected (the daemon stopped or crashed); zbus
/// reports that only as text, so it is recognised by the D-Bus error names in it.
fn looks_unavailable(detail: &str) -> bool {
    [
        "ServiceUnknown",
        "NameHasNoOwner",
        "no secret service provider",
        "Disconnected",
    ]
    .iter()
    .any(|needle| detail.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_must_be_printable_and_non_empty() {
        assert!(Keychain::with_namespace("dev.portdesk.app").is_ok());
        for bad in ["", "  ", "a\nb"] {
            let err = Keychain::with_namespace(bad).unwrap_err();
            assert_eq!(err.code, KeychainErrorCode::KeychainFailed);
        }
    }

    #[test]
    fn codes_serialize_as_their_str() {
        for code in [
            KeychainErrorCode::KeychainUnavailable,
            KeychainErrorCode::KeychainLocked,
            KeychainErrorCode::KeychainFailed,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let json = serde_json::to_value(KeychainError::locked()).unwrap();
        assert_eq!(json["code"], "keychain_locked");
        assert!(json["message"].as_str().unwrap().contains("unlock it"));
    }

    #[test]
    fn platform_text_is_scrubbed_of_the_secret() {
        let platform: Box<dyn std::error::Error + Send + Sync> =
            "store echoed hunter2-secret back".into();
        let err = map_error(
            keyring::Error::PlatformFailure(platform),
            "profile/x/client_secret",
            Some("hunter2-secret"),
        );
        assert_eq!(err.code, KeychainErrorCode::KeychainFailed);
        assert!(!err.message.contains("hunter2-secret"), "{}", err.message);
        assert!(!format!("{err:?}").contains("hunter2-secret"));
    }

    #[test]
    fn bad_encoding_never_prints_the_bytes() {
        let err = map_error(
            keyring::Error::BadEncoding(b"hunter2\xff".to_vec()),
            "a",
            None,
        );
        assert!(!err.message.contains("hunter2"));
        assert!(!format!("{err:?}").contains("104, 117"));
    }

    #[test]
    fn a_vanished_service_is_unavailable() {
        let platform: Box<dyn std::error::Error + Send + Sync> =
            "org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable".into();
        let err = map_error(keyring::Error::PlatformFailure(platform), "a", None);
        assert_eq!(err.code, KeychainErrorCode::KeychainUnavailable);
        assert!(err.message.starts_with(UNAVAILABLE_HINT));
    }

    #[test]
    fn no_storage_access_is_locked() {
        let platform: Box<dyn std::error::Error + Send + Sync> =
            "SS error: prompt dismissed".into();
        let err = map_error(keyring::Error::NoStorageAccess(platform), "a", None);
        assert_eq!(err.code, KeychainErrorCode::KeychainLocked);
    }
}
