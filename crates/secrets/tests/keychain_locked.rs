//! The keychain against a real Secret Service whose login keyring exists but is locked. Run through
//! the script, which creates that keyring (with one seeded item) and locks it:
//!
//!     scripts/with-keyring.sh --locked -- cargo test -p secrets --features keyring-tests --test keychain_locked

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use secrets::{Keychain, KeychainError, KeychainErrorCode, Sensitive};

const SECRET: &str = "s3cr3t-for-a-locked-keychain-must-not-land-anywhere";
/// Seeded by `with-keyring.sh --locked` before the keyring was locked.
const SEED_NAMESPACE: &str = "dev.portdesk.test.locked-seed";
const SEED_ACCOUNT: &str = "seeded";
const LOCKED_MESSAGE: &str =
    "The OS keychain is locked: unlock it (e.g. log in again or open Passwords and Keys) and try again.";

/// Fails loudly outside the script: passing or skipping there would hide that nothing was tested.
fn session_root() -> PathBuf {
    match std::env::var("PORTDESK_KEYRING_SESSION").as_deref() {
        Ok("locked") => {}
        other => panic!(
            "these tests need a locked test keyring: run them via \
             `scripts/with-keyring.sh --locked -- cargo test -p secrets --features keyring-tests --test keychain_locked` \
             (PORTDESK_KEYRING_SESSION is {other:?})"
        ),
    }
    PathBuf::from(std::env::var_os("PORTDESK_KEYRING_ROOT").expect("PORTDESK_KEYRING_ROOT"))
}

fn fresh_keychain() -> Keychain {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    Keychain::with_namespace(format!("dev.portdesk.test.{}.{n}", std::process::id())).unwrap()
}

fn seeded() -> Keychain {
    Keychain::with_namespace(SEED_NAMESPACE).unwrap()
}

fn assert_locked(err: KeychainError) {
    assert_eq!(err.code, KeychainErrorCode::KeychainLocked, "{err:?}");
    assert_eq!(err.message, LOCKED_MESSAGE);
    assert!(!format!("{err:?}").contains(SECRET));
}

/// Every file under `root` with its bytes.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => dirs.push(path),
                Ok(t) if t.is_file() => {
                    if let Ok(bytes) = std::fs::read(&path) {
                        files.insert(path, bytes);
                    }
                }
                _ => {}
            }
        }
    }
    files
}

#[test]
fn writing_a_new_entry_fails_as_locked_and_writes_nothing() {
    let root = session_root();
    let before = snapshot(&root);
    let keychain = fresh_keychain();
    let secret = Sensitive::new(SECRET.to_string());
    assert_locked(
        keychain
            .set("profile/work/client_secret", &secret)
            .unwrap_err(),
    );
    // Not kept in memory either: a store that fell back to one would now return the value.
    assert!(keychain
        .get("profile/work/client_secret")
        .unwrap()
        .is_none());

    let after = snapshot(&root);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &after {
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "the secret reached {}",
            path.display()
        );
    }
    assert!(
        after.keys().any(|p| p.ends_with("keyrings/login.keyring")),
        "the locked keyring should exist under {}",
        root.display()
    );
}

#[test]
fn reading_an_existing_entry_fails_as_locked() {
    session_root();
    assert_locked(seeded().get(SEED_ACCOUNT).unwrap_err());
}

#[test]
fn replacing_and_removing_an_existing_entry_fail_as_locked() {
    session_root();
    let secret = Sensitive::new(SECRET.to_string());
    assert_locked(seeded().set(SEED_ACCOUNT, &secret).unwrap_err());
    assert_locked(seeded().delete(SEED_ACCOUNT).unwrap_err());
}
