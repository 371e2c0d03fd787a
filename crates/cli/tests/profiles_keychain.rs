//! `portdesk-cli profile …` against a real Secret Service and port-mock, running the real binary.
//! Run through the script, which starts a private, unlocked gnome-keyring:
//!
//!     scripts/with-keyring.sh -- cargo test -p portdesk-cli --features keyring-tests --test profiles_keychain

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use port_mock::{MockConfig, MockServer};
use secrets::Keychain;
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");
const CLIENT_SECRET: &str = "demo-client-secret";
const TOKEN: &str = "tok-cli-7c1f-never-in-a-file";

struct Env {
    data: tempfile::TempDir,
    namespace: String,
}

impl Env {
    /// Fails loudly outside the script: passing or skipping there would hide that nothing was
    /// tested.
    fn new() -> Env {
        match std::env::var("PORTDESK_KEYRING_SESSION").as_deref() {
            Ok("unlocked") => {}
            other => panic!(
                "these tests need a private, unlocked test keyring: run them via \
                 `scripts/with-keyring.sh -- cargo test -p portdesk-cli --features keyring-tests --test profiles_keychain` \
                 (PORTDESK_KEYRING_SESSION is {other:?})"
            ),
        }
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        Env {
            data: tempfile::tempdir().unwrap(),
            namespace: format!("dev.portdesk.test.cli.{}.{n}", std::process::id()),
        }
    }

    fn keychain(&self) -> Keychain {
        Keychain::with_namespace(self.namespace.clone()).unwrap()
    }

    async fn cli(&self, args: &[&str], stdin: &str) -> Output {
        let mut command = Command::new(CLI);
        command
            .args(args)
            .env_remove("PORT_ACCESS_TOKEN")
            .env_remove("PORT_CLIENT_ID")
            .env_remove("PORT_CLIENT_SECRET")
            .env("PORTDESK_DATA_DIR", self.data.path())
            .env("PORTDESK_KEYCHAIN_NAMESPACE", &self.namespace)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let stdin = stdin.to_string();
        tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().expect("run portdesk-cli");
            let mut pipe = child.stdin.take().expect("stdin");
            let _ = pipe.write_all(stdin.as_bytes());
            drop(pipe);
            child.wait_with_output().expect("wait")
        })
        .await
        .expect("join")
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_no_file_contains(root: &Path, secrets: &[&str]) {
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
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
}

#[tokio::test]
async fn profiles_round_trip_through_the_keychain_and_connect() {
    let env = Env::new();
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("mock");
    let url = server.base_url();
    let keychain = env.keychain();

    let out = env
        .cli(
            &[
                "profile",
                "add",
                "work",
                "--base-url",
                &url,
                "--client-id",
                "demo-client-id",
            ],
            &format!("{CLIENT_SECRET}\n"),
        )
        .await;
    assert!(ok(&out).contains("the default profile"));
    assert_eq!(
        keychain
            .get("profile/work/client_secret")
            .unwrap()
            .unwrap()
            .expose(),
        CLIENT_SECRET,
        "the trailing newline is not part of the secret"
    );
    ok(&env
        .cli(
            &["profile", "add", "ci", "--base-url", &url, "--access-token"],
            TOKEN,
        )
        .await);
    assert_eq!(
        keychain
            .get("profile/ci/access_token")
            .unwrap()
            .unwrap()
            .expose(),
        TOKEN
    );

    for name in ["work", "ci"] {
        let stdout = ok(&env.cli(&["profile", "test", name], "").await);
        assert!(stdout.starts_with("OK: profile"), "{stdout}");
        assert!(stdout.contains("of 500 AI invocations"), "{stdout}");
    }

    // --profile, then the default profile when nothing else is given.
    for args in [
        &["--profile", "ci", "invoke", "--json", "hi"][..],
        &["invoke", "--json", "hi"],
    ] {
        let stdout = ok(&env.cli(args, "").await);
        let last: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        assert_eq!(last["status"], "completed", "{args:?}");
    }

    let stdout = ok(&env.cli(&["profile", "list", "--json"], "").await);
    assert!(
        !stdout.contains("demo-client-id"),
        "the client ID is masked: {stdout}"
    );
    let list: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(list[0]["name"], "work");
    assert_eq!(list[0]["maskedClientId"], "demo…t-id");
    assert_eq!(list[0]["isDefault"], true);
    assert_eq!(list[0]["configured"], true);
    assert_eq!(list[1]["auth"], "access_token");

    ok(&env.cli(&["profile", "default", "ci"], "").await);
    let list: Value =
        serde_json::from_str(&ok(&env.cli(&["profile", "list", "--json"], "").await)).unwrap();
    assert_eq!(list[1]["isDefault"], true);

    // What the app keeps per workspace: saved agents, favourites, request options.
    let agents = agents::AgentStore::new(env.data.path());
    for name in ["work", "ci"] {
        let key = agents::WorkspaceKey::Profile(name.into());
        agents.save(&key, &url, &[], 1).unwrap();
        agents.prefs().set_favourite(&key, "ops", true).unwrap();
    }
    let kept = |name: &str| {
        ["cache", "prefs"]
            .iter()
            .filter(|kind| {
                let file = format!("profile-{name}.{kind}.json");
                agents.dir().join(file).exists()
            })
            .count()
    };
    assert_eq!((kept("work"), kept("ci")), (2, 2));

    ok(&env.cli(&["profile", "remove", "work"], "").await);
    assert!(keychain
        .get("profile/work/client_secret")
        .unwrap()
        .is_none());
    assert_eq!(
        (kept("work"), kept("ci")),
        (0, 2),
        "the removed profile's agent files went with it, and only those"
    );
    ok(&env.cli(&["profile", "remove", "ci"], "").await);
    assert!(keychain.get("profile/ci/access_token").unwrap().is_none());
    assert_eq!(kept("ci"), 0);

    assert_no_file_contains(env.data.path(), &[CLIENT_SECRET, TOKEN]);
}

#[tokio::test]
async fn a_wrong_secret_fails_the_test_with_its_code() {
    let env = Env::new();
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("mock");
    let url = server.base_url();
    ok(&env
        .cli(
            &[
                "profile",
                "add",
                "wrong",
                "--base-url",
                &url,
                "--client-id",
                "demo-client-id",
            ],
            "not-the-secret\n",
        )
        .await);
    let out = env.cli(&["profile", "test", "wrong"], "").await;
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[auth_failed]"), "{stderr}");
    assert!(!stderr.contains("not-the-secret"), "{stderr}");
    ok(&env.cli(&["profile", "remove", "wrong"], "").await);
}
