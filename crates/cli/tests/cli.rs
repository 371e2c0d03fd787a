//! portdesk-cli end to end: the real binary against port-mock over loopback.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use port_mock::{Fault, MockConfig, MockServer};
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");

async fn server() -> MockServer {
    MockServer::start(MockConfig::default())
        .await
        .expect("mock")
}

/// Runs the CLI without inheriting credentials from the developer's environment, including their
/// saved profiles (an empty data directory of its own).
async fn cli(args: &[&str], env: &[(&str, &str)]) -> Output {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(CLI);
    command
        .args(args)
        .env_remove("PORT_ACCESS_TOKEN")
        .env_remove("PORT_CLIENT_ID")
        .env_remove("PORT_CLIENT_SECRET")
        .env("PORTDESK_DATA_DIR", data_dir.path());
    for (k, v) in env {
        command.env(k, v);
    }
    tokio::task::spawn_blocking(move || {
        let output = command.output().expect("run portdesk-cli");
        drop(data_dir);
        output
    })
    .await
    .expect("join")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

#[tokio::test]
async fn invoke_json_prints_events_then_the_result_record() {
    let server = server().await;
    let url = server.base_url();
    let out = cli(
        &[
            "invoke",
            "--base-url",
            &url,
            "--token",
            "T",
            "--json",
            "What services do we have?",
        ],
        &[],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    let (result, events) = lines.split_last().expect("lines");
    assert!(events.len() > 5);
    assert!(events
        .iter()
        .all(|e| e["type"].is_string() && e["type"] != "result"));

    let mut keys: Vec<&str> = result
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "answer",
            "error",
            "invocationIdentifier",
            "monthlyQuotaUsage",
            "rateLimitUsage",
            "status",
            "toolCalls",
            "type",
            "unknownEvents"
        ]
    );
    assert_eq!(result["type"], "result");
    assert_eq!(result["status"], "completed");
    assert!(result["error"].is_null());
    assert!(result["invocationIdentifier"].is_string());

    // The answer is the answer deltas concatenated exactly.
    let concatenated: String = events
        .iter()
        .filter(|e| e["type"] == "answer_delta")
        .map(|e| e["delta"].as_str().unwrap())
        .collect();
    assert_eq!(result["answer"], concatenated);
    assert!(!concatenated.is_empty());

    let calls = result["toolCalls"].as_array().unwrap();
    assert!(calls.len() >= 2);
    for call in calls {
        let mut keys: Vec<&str> = call
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["arguments", "complete", "id", "name", "result"]);
        assert_eq!(call["complete"], true);
    }
    // Order of first appearance.
    let first_started: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "tool_call_started")
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let record_order: Vec<&str> = calls.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(first_started, record_order);
    assert!(result["monthlyQuotaUsage"]["remainingQuota"].is_number());
    assert!(result["rateLimitUsage"]["maxRequests"].is_number());
}

#[tokio::test]
async fn global_options_work_before_or_after_the_subcommand_and_from_env() {
    let server = server().await;
    let url = server.base_url();
    let before = cli(
        &["--base-url", &url, "--token", "T", "quota", "--json"],
        &[],
    )
    .await;
    let after = cli(
        &["quota", "--json", "--base-url", &url],
        &[("PORT_ACCESS_TOKEN", "T")],
    )
    .await;
    for out in [&before, &after] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(json_lines(out)[0]["monthlyLimit"].is_number());
    }
    let with_secret = cli(
        &["agents", "--json", "--base-url", &url],
        &[
            ("PORT_CLIENT_ID", "demo-client-id"),
            ("PORT_CLIENT_SECRET", "demo-client-secret"),
        ],
    )
    .await;
    assert!(
        with_secret.status.success(),
        "{}",
        String::from_utf8_lossy(&with_secret.stderr)
    );
    assert!(json_lines(&with_secret)[0]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
}

#[tokio::test]
async fn human_mode_streams_the_answer_to_stdout_and_tools_to_stderr() {
    let server = server().await;
    let url = server.base_url();
    let out = cli(
        &[
            "--base-url",
            &url,
            "--token",
            "T",
            "invoke",
            "What services do we have?",
        ],
        &[],
    )
    .await;
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("▸ list_entities"), "stderr: {stderr}");
    assert!(!stdout.contains("▸"), "tool calls stay off stdout");
    assert!(stdout.len() > 40, "stdout: {stdout}");

    for command in ["agents", "providers", "quota"] {
        let out = cli(&["--base-url", &url, "--token", "T", command], &[]).await;
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{command} printed nothing");
    }
}

#[tokio::test]
async fn interrupted_and_failed_invocations_report_status_and_exit_non_zero() {
    let server = server().await;
    let url = server.base_url();
    server.push_fault(Fault::DisconnectAfter { events: 3 });
    let out = cli(
        &["--base-url", &url, "--token", "T", "invoke", "--json", "hi"],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(3));
    let result = json_lines(&out).pop().unwrap();
    assert_eq!(result["status"], "interrupted");
    assert_eq!(result["error"]["code"], "stream_interrupted");

    server.push_fault(Fault::RateLimited {
        shape: port_mock::ErrorShape::RateLimitType,
        status: 429,
        retry_after_secs: 30,
    });
    // --no-wait: the limiter would otherwise retry after Port's retryAfter (crates/cli/tests/quota.rs).
    let out = cli(
        &[
            "--base-url",
            &url,
            "--token",
            "T",
            "invoke",
            "--no-wait",
            "--json",
            "hi",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(5), "rate limit or quota");
    let result = json_lines(&out).pop().unwrap();
    assert_eq!(result["status"], "failed");
    assert_eq!(result["error"]["code"], "rate_limited");
    assert_eq!(result["error"]["retryAfterSecs"], 30);
    assert!(result["invocationIdentifier"].is_null());
    assert_eq!(result["toolCalls"], serde_json::json!([]));
}

#[tokio::test]
async fn bad_usage_is_refused_before_anything_is_sent() {
    let server = server().await;
    let url = server.base_url();
    let out = cli(
        &[
            "--base-url",
            &url,
            "--token",
            "T",
            "invoke",
            "--agent",
            "a",
            "--mcp-server",
            "notion",
            "hi",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("general assistant only"));
    let out = cli(&["--base-url", &url, "invoke", "hi"], &[]).await;
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no credentials"));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn serve_mock_prints_its_url_and_answers() {
    let mut child = Command::new(CLI)
        .args(["serve-mock", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve-mock");
    let stdout = child.stdout.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("url line");
        line.trim().to_string()
    })
    .await
    .unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let out = cli(
        &[
            "invoke",
            "--base-url",
            &url,
            "--token",
            "T",
            "--json",
            "hello",
        ],
        &[],
    )
    .await;
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&out).pop().unwrap()["status"], "completed");
}
