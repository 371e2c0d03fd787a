//! Secrets for Portdesk.
//!
//! [`Sensitive`] wraps a value that must never reach a log, a file, the settings store or the UI by
//! accident: its `Debug` and `Display` print `<redacted>` and it refuses to serialize. Reading the
//! value takes an explicit [`Sensitive::expose`], so every place a secret leaves its wrapper is easy
//! to find in review.
//!
//! [`Keychain`] keeps secrets in the OS keychain (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows), in a namespace per build kind so a dev build never reads or
//! overwrites the secrets of a user's real install.

mod keychain;
mod sensitive;

pub use keychain::{Keychain, KeychainError, KeychainErrorCode};
pub use sensitive::Sensitive;

/// The app identifier of this build: the keychain namespace and the data directory name.
///
/// Debug builds get their own identifier so that running Portdesk from a checkout never shares data
/// or secrets with the installed app.
pub fn build_identifier() -> &'static str {
    if cfg!(debug_assertions) {
        "dev.portdesk.app.dev"
    } else {
        "dev.portdesk.app"
    }
}
