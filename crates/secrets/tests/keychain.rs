//! The keychain against a real Secret Service. Run through the script, which starts a private,
//! unlocked gnome-keyring:
//!
//!     scripts/with-keyring.sh -- cargo test -p secrets --features keyring-tests --test keychain

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use secrets::{Keychain, KeychainErrorCode, Sensitive};

const SECRET: &str = "s3cr3t-keychain-value-that-must-not-leak";

/// Fails loudly outside the script: passing or skipping there would hide that nothing was tested.
fn keychain() -> Keychain {
    match std::env::var("PORTDESK_KEYRING_SESSION").as_deref() {
        Ok("unlocked") => {}
        other => panic!(
            "these tests need a private, unlocked test keyring: run them via \
             `scripts/with-keyring.sh -- cargo test -p secrets --features keyring-tests --test keychain` \
             (PORTDESK_KEYRING_SESSION is {other:?})"
        ),
    }
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    Keychain::with_namespace(format!("dev.portdesk.test.{}.{n}", std::process::id()))
        .expect("namespace")
}

fn secret(value: &str) -> Sensitive<String> {
    Sensitive::new(value.to_string())
}

/// What the Secret Service itself holds, read with libsecret's tool rather than through keyring.
fn secret_tool_lookup(keychain: &Keychain, account: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            keychain.namespace(),
            "username",
            account,
        ])
        .output()
        .expect("run secret-tool (package libsecret-tools)");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn stores_reads_replaces_and_removes() {
    let keychain = keychain();
    let account = "profile/work/client_secret";
    keychain.set(account, &secret(SECRET)).expect("set");
    assert_eq!(
        keychain.get(account).expect("get").unwrap().expose(),
        SECRET
    );
    // In the real Secret Service, not in some store inside this process.
    assert_eq!(
        secret_tool_lookup(&keychain, account).as_deref(),
        Some(SECRET)
    );

    keychain
        .set(account, &secret("second value"))
        .expect("replace");
    assert_eq!(
        keychain.get(account).unwrap().unwrap().expose(),
        "second value"
    );
    assert_eq!(
        secret_tool_lookup(&keychain, account).as_deref(),
        Some("second value")
    );

    keychain.delete(account).expect("delete");
    assert!(keychain.get(account).expect("get after delete").is_none());
    assert_eq!(secret_tool_lookup(&keychain, account), None);
    keychain
        .delete(account)
        .expect("deleting a missing entry is fine");
}

#[test]
fn a_missing_entry_is_none() {
    let keychain = keychain();
    assert!(keychain
        .get("profile/nobody/access_token")
        .unwrap()
        .is_none());
}

#[test]
fn namespaces_do_not_see_each_other() {
    let (a, b) = (keychain(), keychain());
    let account = "profile/shared-name/access_token";
    a.set(account, &secret("value of a")).unwrap();
    assert!(b.get(account).unwrap().is_none());
    b.set(account, &secret("value of b")).unwrap();
    assert_eq!(a.get(account).unwrap().unwrap().expose(), "value of a");
    assert_eq!(b.get(account).unwrap().unwrap().expose(), "value of b");
    b.delete(account).unwrap();
    assert_eq!(a.get(account).unwrap().unwrap().expose(), "value of a");
    a.delete(account).unwrap();
}

#[test]
fn unusual_secrets_round_trip() {
    let keychain = keychain();
    let value = format!("päss wörd ✓ \"quoted\" {}", "x".repeat(4000));
    keychain.set("long", &secret(&value)).unwrap();
    assert_eq!(keychain.get("long").unwrap().unwrap().expose(), &value);
    keychain.delete("long").unwrap();
}

#[test]
fn debug_output_never_contains_the_secret() {
    let keychain = keychain();
    keychain.set("debug", &secret(SECRET)).unwrap();
    let read = keychain.get("debug");
    assert!(!format!("{read:?}").contains(SECRET));
    assert!(!format!("{keychain:?}").contains(SECRET));
    let err = keychain
        .set("", &secret(SECRET))
        .expect_err("empty account");
    assert_eq!(err.code, KeychainErrorCode::KeychainFailed);
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
    keychain.delete("debug").unwrap();
}

#[test]
fn for_this_build_uses_the_build_identifier_unless_overridden() {
    let _ = keychain();
    let expected = std::env::var("PORTDESK_KEYCHAIN_NAMESPACE")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| secrets::build_identifier().to_string());
    assert_eq!(Keychain::for_this_build().unwrap().namespace(), expected);
    let kind = if cfg!(debug_assertions) { ".dev" } else { "" };
    assert_eq!(
        secrets::build_identifier(),
        format!("dev.portdesk.app{kind}")
    );
}
