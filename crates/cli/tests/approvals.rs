//! `portdesk-cli approvals`: the real binary against port-mock over loopback.

use std::process::{Command, Output, Stdio};

use port_mock::{MockConfig, MockServer, RecordedRequest};
use serde_json::{json, Value};

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");
const PATH: &str = "/v1/ai/tool-approval-preferences";

async fn server() -> MockServer {
    MockServer::start(MockConfig::default())
        .await
        .expect("mock")
}

/// Runs the CLI against the mock with stdin closed (never a terminal).
async fn cli(server: &MockServer, args: &[&str]) -> Output {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(CLI);
    command
        .args(["--base-url", &server.base_url(), "--token", "T"])
        .args(args)
        .env_remove("PORT_CLIENT_ID")
        .env_remove("PORT_CLIENT_SECRET")
        .env("PORTDESK_DATA_DIR", data_dir.path())
        .stdin(Stdio::null());
    tokio::task::spawn_blocking(move || {
        let output = command.output().expect("run portdesk-cli");
        drop(data_dir);
        output
    })
    .await
    .expect("join")
}

fn puts(server: &MockServer) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path == PATH)
        .collect()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn get_prints_ports_preferences() {
    let server = server().await;
    let out = cli(&server, &["approvals", "get", "--json"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(body["toolOverrides"]["run_action"], "approval");
    assert_eq!(body["disabledTools"], json!([]));
    let out = cli(&server, &["approvals", "get"]).await;
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("run_action") && l.ends_with("approval")),
        "{text}"
    );
}

#[tokio::test]
async fn set_changes_only_the_named_tools_and_confirms_what_port_holds() {
    let server = server().await;
    let out = cli(
        &server,
        &[
            "approvals",
            "set",
            "--mode",
            "run_action=automatic",
            "--disable",
            "delete_entity",
            "--default",
            "list_entities",
            "--yes",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("run_action: approval → automatic"), "{text}");
    assert!(
        text.contains("delete_entity: approval → approval, disabled"),
        "{text}"
    );
    assert!(text.contains("Saved; Port now holds"), "{text}");
    let sent = puts(&server);
    assert_eq!(sent.len(), 1);
    let body = sent[0].json().expect("JSON");
    let modes = body["toolOverrides"].as_object().expect("modes");
    assert_eq!(modes["run_action"], "automatic");
    assert!(
        !modes.contains_key("list_entities"),
        "--default removes the saved mode"
    );
    assert_eq!(
        modes["upsert_entity"], "approval",
        "untouched tools keep Port's value"
    );
    assert_eq!(modes.len(), 32);
    assert_eq!(body["disabledTools"], json!(["delete_entity"]));
    // Port re-reads: the mode is saved, the removed one is back to its default.
    let out = cli(&server, &["approvals", "get", "--json"]).await;
    let held: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(held["toolOverrides"]["run_action"], "automatic");
    assert_eq!(held["toolOverrides"]["list_entities"], "automatic");
    assert_eq!(held["disabledTools"], json!(["delete_entity"]));
    let out = cli(
        &server,
        &["approvals", "set", "--enable", "delete_entity", "--yes"],
    )
    .await;
    assert!(out.status.success());
    assert_eq!(
        puts(&server)[1].json().expect("JSON")["disabledTools"],
        json!([])
    );
}

#[tokio::test]
async fn without_a_terminal_or_yes_nothing_is_written() {
    let server = server().await;
    let out = cli(
        &server,
        &["approvals", "set", "--mode", "run_action=automatic"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert!(
        stdout(&out).contains("run_action: approval → automatic"),
        "the diff is shown first"
    );
    assert!(puts(&server).is_empty());
}

#[tokio::test]
async fn bad_arguments_are_refused_before_anything_is_sent() {
    let server = server().await;
    let out = cli(
        &server,
        &[
            "approvals",
            "set",
            "--mode",
            "run_action=sometimes",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_mode_newer_than_portdesk_is_written_back_unchanged() {
    let server = server().await;
    server.seed_newer_approval_preferences(json!({
        "toolOverrides": {"load_skill": "ask_once", "run_action": "approval"},
        "disabledTools": [],
        "defaultMode": {"write": "approval"}
    }));
    let out = cli(&server, &["approvals", "get"]).await;
    assert!(stdout(&out).contains("ask_once (unknown to this Portdesk, kept)"));
    let out = cli(
        &server,
        &[
            "approvals",
            "set",
            "--mode",
            "run_action=automatic",
            "--yes",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body = puts(&server)[0].json().expect("JSON");
    assert_eq!(body["toolOverrides"]["load_skill"], "ask_once");
    assert_eq!(body["toolOverrides"]["run_action"], "automatic");
    assert_eq!(body["defaultMode"], json!({"write": "approval"}));
}

#[tokio::test]
async fn a_change_port_does_not_keep_is_reported() {
    let server = server().await;
    let out = cli(
        &server,
        &[
            "approvals",
            "set",
            "--mode",
            "no_such_tool=automatic",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not list no_such_tool"), "{err}");
    assert!(err.contains("holds something else"), "{err}");
}
