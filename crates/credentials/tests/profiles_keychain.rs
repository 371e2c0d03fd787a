//! Profiles against a real Secret Service. Run through the script, which starts a private,
//! unlocked gnome-keyring:
//!
//!     scripts/with-keyring.sh -- cargo test -p credentials --features keyring-tests --test profiles_keychain

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use credentials::{ProfileStore, Secret, Target};
use port_api::{Credentials, Region};
use secrets::{Keychain, Sensitive};

const CLIENT_SECRET: &str = "demo-client-secret";
const TOKEN: &str = "tok-3f9c1e-never-in-a-file";
const NEW_TOKEN: &str = "tok-second-7b2d-never-in-a-file";

/// Fails loudly outside the script: passing or skipping there would hide that nothing was tested.
fn setup() -> (tempfile::TempDir, Keychain, ProfileStore) {
    match std::env::var("PORTDESK_KEYRING_SESSION").as_deref() {
        Ok("unlocked") => {}
        other => panic!(
            "these tests need a private, unlocked test keyring: run them via \
             `scripts/with-keyring.sh -- cargo test -p credentials --features keyring-tests --test profiles_keychain` \
             (PORTDESK_KEYRING_SESSION is {other:?})"
        ),
    }
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let keychain =
        Keychain::with_namespace(format!("dev.portdesk.test.{}.{n}", std::process::id())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = ProfileStore::open(&dir.path().join("data"), keychain.clone());
    (dir, keychain, store)
}

fn eu() -> Target {
    Target::Region {
        region: Region::Eu,
        legacy: false,
    }
}

fn client_secret() -> Secret {
    Secret::ClientSecret {
        client_id: "demo-client-id".into(),
        client_secret: Sensitive::new(CLIENT_SECRET.into()),
    }
}

fn token(value: &str) -> Secret {
    Secret::AccessToken(Sensitive::new(value.into()))
}

fn stored(keychain: &Keychain, account: &str) -> Option<String> {
    keychain
        .get(account)
        .expect("keychain")
        .map(|s| s.expose().clone())
}

/// Every file under `root`, read as bytes, must not contain any of `secrets`.
fn assert_no_file_contains(root: &Path, secrets: &[&str]) {
    let mut dirs = vec![root.to_path_buf()];
    let mut files = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&path).unwrap();
            for secret in secrets {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{} contains a secret",
                    path.display()
                );
            }
        }
    }
    assert!(files > 0, "expected profiles.json under {}", root.display());
}

#[test]
fn secrets_live_in_the_keychain_and_never_in_files() {
    let (dir, keychain, store) = setup();
    let work = store.add("work", eu(), client_secret()).expect("add work");
    assert!(work.configured && work.is_default);
    assert_eq!(work.masked_client_id.as_deref(), Some("demo…t-id"));
    assert_eq!(
        stored(&keychain, "profile/work/client_secret").as_deref(),
        Some(CLIENT_SECRET)
    );
    store.add("ci", eu(), token(TOKEN)).expect("add ci");
    assert_eq!(
        stored(&keychain, "profile/ci/access_token").as_deref(),
        Some(TOKEN)
    );
    let list = store.list().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|p| p.configured));

    // Same kind, new secret: replaced in place.
    store.update("ci", eu(), Some(token(NEW_TOKEN))).unwrap();
    assert_eq!(
        stored(&keychain, "profile/ci/access_token").as_deref(),
        Some(NEW_TOKEN)
    );
    // Switching kinds removes the old kind's entry.
    store.update("work", eu(), Some(token(TOKEN))).unwrap();
    assert_eq!(stored(&keychain, "profile/work/client_secret"), None);
    assert_eq!(
        stored(&keychain, "profile/work/access_token").as_deref(),
        Some(TOKEN)
    );
    // Only the target: the secret stays.
    let us = Target::Region {
        region: Region::Us,
        legacy: true,
    };
    let updated = store.update("work", us, None).unwrap();
    assert!(updated.configured);
    assert_eq!(updated.target_label, "US legacy (api.us.getport.io)");
    let (base, credentials) = store.connect("work").unwrap();
    assert_eq!(base.as_str(), "https://api.us.getport.io");
    match credentials {
        Credentials::AccessToken(t) => assert_eq!(t.expose(), TOKEN),
        other => panic!("unexpected credentials {other:?}"),
    }

    assert_no_file_contains(dir.path(), &[CLIENT_SECRET, TOKEN, NEW_TOKEN]);

    store.remove("work").unwrap();
    assert_eq!(stored(&keychain, "profile/work/access_token"), None);
    assert_eq!(store.default_profile().unwrap().as_deref(), Some("ci"));
    store.remove("ci").unwrap();
    assert_eq!(stored(&keychain, "profile/ci/access_token"), None);
    assert!(store.list().unwrap().is_empty());
    assert_eq!(store.default_profile().unwrap(), None);
    assert_no_file_contains(dir.path(), &[CLIENT_SECRET, TOKEN, NEW_TOKEN]);
}

#[test]
fn a_secret_removed_behind_our_back_is_reported() {
    let (_dir, keychain, store) = setup();
    store.add("work", eu(), client_secret()).unwrap();
    keychain.delete("profile/work/client_secret").unwrap();
    assert!(!store.list().unwrap()[0].configured);
    assert_eq!(store.connect("work").unwrap_err().code, "secret_missing");
    store.remove("work").unwrap();
}

#[test]
fn a_stored_profile_connects_to_port() {
    let (_dir, _keychain, store) = setup();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = port_mock::MockServer::start(port_mock::MockConfig::default())
            .await
            .unwrap();
        let target = Target::Custom {
            base_url: server.base_url(),
        };
        store.add("mock", target, client_secret()).unwrap();
        let (base, credentials) = store.connect("mock").unwrap();
        let report = credentials::test_connection(base, credentials)
            .await
            .expect("connection test");
        assert_eq!(report.monthly_limit, Some(500.0));
    });
    store.remove("mock").unwrap();
}
