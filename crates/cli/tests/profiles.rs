//! `portdesk-cli profile …` where no keychain is needed: argument checks and an empty data
//! directory. The keychain paths are in profiles_keychain.rs (run through scripts/with-keyring.sh).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");

/// Runs the CLI with its own data directory and keychain namespace, and `stdin` piped in.
fn cli(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(CLI)
        .args(args)
        .env_remove("PORT_ACCESS_TOKEN")
        .env_remove("PORT_CLIENT_ID")
        .env_remove("PORT_CLIENT_SECRET")
        .env("PORTDESK_DATA_DIR", data_dir)
        .env(
            "PORTDESK_KEYCHAIN_NAMESPACE",
            format!("dev.portdesk.test.cli-plain.{}", std::process::id()),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run portdesk-cli");
    let mut pipe = child.stdin.take().expect("stdin");
    // The CLI may exit before reading (bad arguments): a broken pipe is expected then.
    let _ = pipe.write_all(stdin.as_bytes());
    drop(pipe);
    child.wait_with_output().expect("wait")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_nothing_written(data_dir: &Path) {
    let entries: Vec<_> = std::fs::read_dir(data_dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(entries.is_empty(), "wrote {entries:?}");
}

#[test]
fn list_on_an_empty_data_dir_prints_an_empty_array() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(dir.path(), &["profile", "list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    let human = cli(dir.path(), &["profile", "list"], "");
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains("No profiles yet"));
    assert_nothing_written(dir.path());
}

#[test]
fn bad_add_commands_fail_with_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "profile",
                "add",
                "bad/name",
                "--region",
                "eu",
                "--access-token",
            ],
            "invalid_profile",
        ),
        (
            &["profile", "add", "ok", "--access-token"],
            "needs a target",
        ),
        (
            &[
                "profile",
                "add",
                "ok",
                "--base-url",
                "http://127.0.0.1:9",
                "--legacy",
                "--access-token",
            ],
            "--legacy",
        ),
        (
            &[
                "profile",
                "add",
                "ok",
                "--base-url",
                "http://example.com",
                "--access-token",
            ],
            "plain http",
        ),
        (&["profile", "add", "ok", "--region", "eu"], "--client-id"),
        // There is deliberately no way to pass the secret on the command line.
        (
            &[
                "profile",
                "add",
                "ok",
                "--region",
                "eu",
                "--client-id",
                "id",
                "--client-secret",
                "s",
            ],
            "--client-secret",
        ),
    ];
    for (args, expected) in cases {
        let out = cli(dir.path(), args, "a-secret-value\n");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = cli(
        dir.path(),
        &["profile", "add", "ok", "--region", "eu", "--access-token"],
        "\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no access token given"));
    assert_nothing_written(dir.path());
}

#[test]
fn unknown_profiles_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--profile", "nope", "quota"][..],
        &["profile", "test", "nope"],
        &["profile", "remove", "nope"],
        &["profile", "default", "nope"],
    ] {
        let out = cli(dir.path(), args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("error[profile_not_found]"),
            "{}",
            stderr(&out)
        );
    }
    assert_nothing_written(dir.path());
}

#[test]
fn a_corrupt_profiles_file_is_moved_aside_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("profiles.json"), "{oops").unwrap();
    let out = cli(dir.path(), &["profile", "list", "--json"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    assert!(stderr(&out).contains("warning: profiles.json could not be used"));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].starts_with("profiles.json.corrupt-"), "{names:?}");
}
