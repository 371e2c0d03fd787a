//! ProfileStore's file logic, with an in-memory stand-in for the keychain. The real keychain is
//! exercised by tests/profiles_keychain.rs.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use port_api::Region;
use secrets::{KeychainError, KeychainErrorCode, Sensitive};
use serde_json::{json, Value};

use super::{ProfileStore, SecretStore};
use crate::file::{self, ProfilesFile};
use crate::{CredentialsError, Secret, Target};

const SECRET: &str = "hunter2-client-secret-value";
const TOKEN: &str = "tok-abc-123-token-value";

#[derive(Debug, Default)]
pub(super) struct FakeSecrets {
    pub(super) entries: Mutex<HashMap<String, String>>,
    /// When set, every call fails as a locked keychain would.
    locked: AtomicBool,
    gets: AtomicUsize,
}

impl FakeSecrets {
    fn check(&self) -> Result<(), KeychainError> {
        if self.locked.load(Ordering::SeqCst) {
            return Err(KeychainError {
                code: KeychainErrorCode::KeychainLocked,
                message: "locked (fake)".into(),
            });
        }
        Ok(())
    }
    fn value(&self, account: &str) -> Option<String> {
        self.entries.lock().unwrap().get(account).cloned()
    }
}

impl SecretStore for Arc<FakeSecrets> {
    fn set(&self, account: &str, secret: &Sensitive<String>) -> Result<(), KeychainError> {
        self.check()?;
        let mut entries = self.entries.lock().unwrap();
        entries.insert(account.to_string(), secret.expose().clone());
        Ok(())
    }
    fn get(&self, account: &str) -> Result<Option<Sensitive<String>>, KeychainError> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        self.check()?;
        Ok(self.value(account).map(Sensitive::new))
    }
    fn delete(&self, account: &str) -> Result<(), KeychainError> {
        self.check()?;
        self.entries.lock().unwrap().remove(account);
        Ok(())
    }
}

fn failing_save(_: &Path, _: &ProfilesFile) -> Result<(), CredentialsError> {
    Err(CredentialsError::settings_unwritable("disk full (test)"))
}

pub(super) struct Fixture {
    dir: tempfile::TempDir,
    pub(super) secrets: Arc<FakeSecrets>,
    pub(super) store: ProfileStore,
}

impl Fixture {
    pub(super) fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(FakeSecrets::default());
        let store = ProfileStore::with_parts(
            &dir.path().join("data"),
            Box::new(secrets.clone()),
            file::save,
        );
        Fixture {
            dir,
            secrets,
            store,
        }
    }

    /// The same directory and secrets, but every save fails.
    pub(super) fn failing_saves(&self) -> ProfileStore {
        ProfileStore::with_parts(
            &self.data_dir(),
            Box::new(self.secrets.clone()),
            failing_save,
        )
    }

    pub(super) fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    pub(super) fn file_path(&self) -> std::path::PathBuf {
        self.data_dir().join("profiles.json")
    }

    pub(super) fn file_json(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.file_path()).unwrap()).unwrap()
    }

    pub(super) fn write_file(&self, bytes: &[u8]) {
        std::fs::create_dir_all(self.data_dir()).unwrap();
        std::fs::write(self.file_path(), bytes).unwrap();
    }

    pub(super) fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.data_dir())
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

pub(super) fn eu() -> Target {
    Target::Region {
        region: Region::Eu,
        legacy: false,
    }
}

fn client_secret(id: &str) -> Secret {
    Secret::ClientSecret {
        client_id: id.into(),
        client_secret: Sensitive::new(SECRET.into()),
    }
}

pub(super) fn token() -> Secret {
    Secret::AccessToken(Sensitive::new(TOKEN.into()))
}

#[test]
fn an_empty_data_dir_lists_nothing_and_writes_nothing() {
    let f = Fixture::new();
    assert!(f.store.list().unwrap().is_empty());
    assert_eq!(f.store.default_profile().unwrap(), None);
    assert_eq!(f.store.load_notice(), None);
    assert!(!f.data_dir().exists());
}

#[test]
fn add_writes_the_documented_file_and_the_secret_to_the_keychain_only() {
    let f = Fixture::new();
    let summary = f
        .store
        .add("work", eu(), client_secret("abcdefghijwxyz"))
        .unwrap();
    assert!(summary.is_default && summary.configured);
    assert_eq!(summary.auth, "client_secret");
    assert_eq!(summary.masked_client_id.as_deref(), Some("abcd…wxyz"));
    assert_eq!(summary.target_label, "EU (api.port.io)");
    assert_eq!(
        f.secrets.value("profile/work/client_secret").as_deref(),
        Some(SECRET)
    );
    assert_eq!(
        f.file_json(),
        json!({
            "version": 1,
            "defaultProfile": "work",
            "profiles": [{
                "name": "work",
                "target": {"kind": "region", "region": "eu", "legacy": false},
                "auth": {"kind": "clientSecret", "clientId": "abcdefghijwxyz"}
            }]
        })
    );
    let raw = std::fs::read_to_string(f.file_path()).unwrap();
    assert!(!raw.contains(SECRET));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.file_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No temporary files left behind.
    assert_eq!(f.files(), ["profiles.json"]);

    let second = f.store.add("ci", eu(), token()).unwrap();
    assert!(!second.is_default);
    assert_eq!(second.masked_client_id, None);
    assert_eq!(
        f.secrets.value("profile/ci/access_token").as_deref(),
        Some(TOKEN)
    );
}

#[test]
fn add_refuses_bad_names_duplicates_and_bad_urls_before_touching_anything() {
    let f = Fixture::new();
    let err = f.store.add("a/b", eu(), token()).unwrap_err();
    assert_eq!(err.code, "invalid_profile");
    let custom = Target::Custom {
        base_url: "http://example.com".into(),
    };
    assert_eq!(
        f.store.add("x", custom, token()).unwrap_err().code,
        "invalid_request"
    );
    assert!(f.secrets.entries.lock().unwrap().is_empty());
    assert!(!f.data_dir().exists());

    f.store.add("work", eu(), client_secret("id-one")).unwrap();
    let err = f.store.add("work", eu(), token()).unwrap_err();
    assert_eq!(err.code, "profile_exists");
    assert_eq!(f.secrets.value("profile/work/access_token"), None);
    assert_eq!(
        f.secrets.value("profile/work/client_secret").as_deref(),
        Some(SECRET)
    );
}

#[test]
fn a_failed_save_takes_the_new_secret_back_out_of_the_keychain() {
    let f = Fixture::new();
    let err = f.failing_saves().add("work", eu(), token()).unwrap_err();
    assert_eq!(err.code, "settings_unwritable");
    assert!(f.secrets.entries.lock().unwrap().is_empty());

    f.store.add("work", eu(), token()).unwrap();
    let other = Secret::AccessToken(Sensitive::new("replacement".into()));
    f.failing_saves()
        .update("work", eu(), Some(other))
        .unwrap_err();
    assert_eq!(
        f.secrets.value("profile/work/access_token").as_deref(),
        Some(TOKEN)
    );
    f.failing_saves()
        .update("work", eu(), Some(client_secret("id")))
        .unwrap_err();
    assert_eq!(f.secrets.value("profile/work/client_secret"), None);
    assert_eq!(
        f.secrets.value("profile/work/access_token").as_deref(),
        Some(TOKEN)
    );
}

#[test]
fn a_locked_keychain_fails_add_but_not_list() {
    let f = Fixture::new();
    f.store.add("a", eu(), token()).unwrap();
    f.store.add("b", eu(), token()).unwrap();
    f.secrets.locked.store(true, Ordering::SeqCst);
    let err = f.store.add("c", eu(), token()).unwrap_err();
    assert_eq!(err.code, "keychain_locked");
    assert_eq!(f.store.list().unwrap().len(), 2);
    f.secrets.gets.store(0, Ordering::SeqCst);
    let list = f.store.list().unwrap();
    assert!(list.iter().all(|p| !p.configured));
    assert_eq!(
        f.secrets.gets.load(Ordering::SeqCst),
        1,
        "one attempt, not one per profile"
    );
    assert_eq!(f.store.connect("a").unwrap_err().code, "keychain_locked");
    // The profile and its secret stay together when the keychain cannot be reached.
    assert_eq!(f.store.remove("a").unwrap_err().code, "keychain_locked");
    f.secrets.locked.store(false, Ordering::SeqCst);
    assert_eq!(f.store.list().unwrap().len(), 2);
}

#[test]
fn update_keeps_or_replaces_the_secret_and_switches_kinds() {
    let f = Fixture::new();
    f.store
        .add("work", eu(), client_secret("id-one-long"))
        .unwrap();
    let us = Target::Region {
        region: Region::Us,
        legacy: false,
    };
    let summary = f.store.update("work", us, None).unwrap();
    assert_eq!(summary.target_label, "US (api.us.port.io)");
    assert_eq!(summary.masked_client_id.as_deref(), Some("id-o…long"));
    assert!(summary.configured);
    assert_eq!(
        f.secrets.value("profile/work/client_secret").as_deref(),
        Some(SECRET)
    );

    let summary = f.store.update("work", eu(), Some(token())).unwrap();
    assert_eq!(summary.auth, "access_token");
    assert_eq!(f.secrets.value("profile/work/client_secret"), None);
    assert_eq!(
        f.secrets.value("profile/work/access_token").as_deref(),
        Some(TOKEN)
    );
    assert_eq!(
        f.file_json()["profiles"][0]["auth"],
        json!({"kind": "accessToken"})
    );

    assert_eq!(
        f.store.update("nope", eu(), None).unwrap_err().code,
        "profile_not_found"
    );
}

#[test]
fn remove_clears_the_keychain_and_moves_the_default() {
    let f = Fixture::new();
    f.store.add("a", eu(), token()).unwrap();
    f.store.add("b", eu(), client_secret("id")).unwrap();
    f.store.add("c", eu(), token()).unwrap();
    f.store.set_default("b").unwrap();
    assert_eq!(f.store.default_profile().unwrap().as_deref(), Some("b"));
    f.store.remove("b").unwrap();
    assert_eq!(f.secrets.value("profile/b/client_secret"), None);
    assert_eq!(f.store.default_profile().unwrap().as_deref(), Some("a"));
    f.store.remove("c").unwrap();
    assert_eq!(f.store.default_profile().unwrap().as_deref(), Some("a"));
    f.store.remove("a").unwrap();
    assert_eq!(f.store.default_profile().unwrap(), None);
    assert!(f.secrets.entries.lock().unwrap().is_empty());
    assert_eq!(f.store.remove("a").unwrap_err().code, "profile_not_found");
    assert_eq!(
        f.store.set_default("a").unwrap_err().code,
        "profile_not_found"
    );
}

#[test]
fn connect_builds_credentials_from_the_keychain() {
    let f = Fixture::new();
    let target = Target::Custom {
        base_url: "http://127.0.0.1:9/".into(),
    };
    f.store
        .add("mock", target, client_secret("demo-id"))
        .unwrap();
    let (base, credentials) = f.store.connect("mock").unwrap();
    assert_eq!(base.as_str(), "http://127.0.0.1:9");
    match credentials {
        port_api::Credentials::ClientSecret {
            client_id,
            client_secret,
        } => {
            assert_eq!(client_id, "demo-id");
            assert_eq!(client_secret.expose(), SECRET);
        }
        other => panic!("{other:?}"),
    }
    f.secrets.entries.lock().unwrap().clear();
    let err = f.store.connect("mock").unwrap_err();
    assert_eq!(err.code, "secret_missing");
    assert!(!f.store.list().unwrap()[0].configured);
    assert_eq!(
        f.store.connect("other").unwrap_err().code,
        "profile_not_found"
    );
}

#[test]
fn debug_output_never_shows_a_secret() {
    let f = Fixture::new();
    f.store.add("work", eu(), client_secret("id")).unwrap();
    let (_, credentials) = f.store.connect("work").unwrap();
    assert!(!format!("{credentials:?}").contains(SECRET));
    assert!(!format!("{:?}", client_secret("id")).contains(SECRET));
    assert!(!format!("{:?}", f.store.list()).contains(SECRET));
}

#[test]
fn targets_come_from_the_file_without_touching_the_keychain() {
    let f = Fixture::new();
    f.store.add("a", eu(), token()).unwrap();
    f.store.add("b", eu(), token()).unwrap();
    f.secrets.gets.store(0, Ordering::SeqCst);
    let targets = f.store.targets();
    let names: Vec<&str> = targets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(targets[0].1, eu());
    assert_eq!(f.secrets.gets.load(Ordering::SeqCst), 0, "no keychain read");
}
