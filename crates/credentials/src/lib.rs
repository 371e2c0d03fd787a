//! Connection profiles, shared by the desktop app and `portdesk-cli` (Tauri-free).
//!
//! A profile is a name, a target (a Port region or a custom base URL) and a credential. The
//! non-secret parts live in `<data dir>/profiles.json`; the client secret or access token lives
//! only in the OS keychain, under the accounts `profile/<name>/client_secret` and
//! `profile/<name>/access_token`.

mod connection;
mod error;
mod file;
mod profile;
mod store;

use std::path::PathBuf;

pub use connection::{test_connection, TestReport};
pub use error::CredentialsError;
pub use profile::{
    validate_name as validate_profile_name, AuthKind, ProfileSummary, Secret, Target,
};
pub use store::ProfileStore;

/// Overrides the data directory (tests, portable setups).
const DATA_DIR_ENV: &str = "PORTDESK_DATA_DIR";

/// Where Portdesk keeps its data: `PORTDESK_DATA_DIR` if set and non-empty, else the platform's
/// data directory under this build's identifier, so dev builds never touch a real install's data.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let id = secrets::build_identifier();
    if let Some(dir) = dirs::data_dir() {
        return dir.join(id);
    }
    // No data dir and no home means no fixed place to go; the working directory is at least not
    // a shared, predictable path like /tmp.
    dirs::home_dir()
        .map(|home| home.join(".local").join("share"))
        .unwrap_or_else(|| PathBuf::from(".portdesk"))
        .join(id)
}

#[cfg(test)]
mod tests {
    use specta_typescript::{export, Typescript};

    /// The desktop shell exports these types to TypeScript; a shape specta rejects should fail
    /// here, next to the types, rather than in the app's bindings test.
    #[test]
    fn types_export_to_typescript() {
        let conf = Typescript::default();
        for ts in [
            export::<super::Target>(&conf),
            export::<super::AuthKind>(&conf),
            export::<super::ProfileSummary>(&conf),
            export::<super::TestReport>(&conf),
            export::<super::CredentialsError>(&conf),
            export::<secrets::KeychainError>(&conf),
            export::<secrets::KeychainErrorCode>(&conf),
        ] {
            let ts = ts.expect("exports");
            assert!(!ts.contains("any"), "{ts}");
        }
        let target = export::<super::Target>(&conf).unwrap();
        assert!(target.contains("baseUrl"), "{target}");
    }
}
