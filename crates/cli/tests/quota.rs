//! The quota figures and the shared rate limiter across processes: what one `portdesk-cli` (or
//! the app, here the test process writing the same database) learnt, the next one honours.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use history::{HistoryStore, QuotaSnapshotRow};
use port_mock::{ErrorShape, Fault, MockConfig, MockServer};
use quota::{Clock, QuotaBook, SystemClock};
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");

async fn cli(data: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(CLI);
    command
        .args(args)
        .env_remove("PORT_ACCESS_TOKEN")
        .env_remove("PORT_CLIENT_ID")
        .env_remove("PORT_CLIENT_SECRET")
        .env("PORTDESK_DATA_DIR", data);
    tokio::task::spawn_blocking(move || command.output().expect("run portdesk-cli"))
        .await
        .expect("join")
}

async fn invoke(data: &Path, url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["--base-url", url, "--token", "T", "invoke"];
    args.extend_from_slice(extra);
    args.push("What services do we have?");
    cli(data, &args).await
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn invocations_sent(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/ai/invoke")
        .count()
}

/// The account the CLI keys figures by when no profile is used: the API base URL.
fn account(server: &MockServer) -> String {
    quota::account_for(None, &server.base_url())
}

fn exhausted_window(account: &str, reset_in_ms: i64) -> QuotaSnapshotRow {
    let now = SystemClock.now_ms();
    QuotaSnapshotRow {
        profile: account.into(),
        read_at_ms: now,
        source: "done".into(),
        max_requests: Some(200.0),
        remaining_requests: Some(0.0),
        max_tokens: Some(500_000.0),
        remaining_tokens: Some(200_000.0),
        window_reset_at_ms: Some(now + reset_in_ms),
        ..Default::default()
    }
}

#[tokio::test]
async fn no_wait_fails_with_status_5_and_sends_nothing_when_another_process_saw_the_window_used_up()
{
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    {
        // Another process (the app, say) recorded figures that say the window is used up.
        let store = HistoryStore::open_in(data.path()).unwrap();
        store
            .record_quota_snapshot(exhausted_window(&account(&server), 60_000))
            .unwrap();
    }
    let out = invoke(data.path(), &server.base_url(), &["--no-wait"]).await;
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing was sent"),
        "{}",
        stderr(&out)
    );
    assert_eq!(invocations_sent(&server), 0, "port-mock received nothing");

    let json = invoke(data.path(), &server.base_url(), &["--no-wait", "--json"]).await;
    assert_eq!(json.status.code(), Some(5));
    let result: Value = serde_json::from_str(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(result["error"]["code"], "rate_limited");
    assert!(result["error"]["retryAfterSecs"].as_u64().unwrap() <= 60);
    assert_eq!(invocations_sent(&server), 0);
}

#[tokio::test]
async fn invoke_waits_with_a_countdown_on_stderr_then_sends() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    {
        let store = HistoryStore::open_in(data.path()).unwrap();
        store
            .record_quota_snapshot(exhausted_window(&account(&server), 3_000))
            .unwrap();
    }
    let started = Instant::now();
    let out = invoke(data.path(), &server.base_url(), &[]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("waiting: the rate-limit window is used up"),
        "{err}"
    );
    assert!(err.contains("s left"), "a countdown: {err}");
    assert!(err.contains("sending now"), "{err}");
    assert!(started.elapsed() >= Duration::from_millis(2_000));
    assert_eq!(invocations_sent(&server), 1);
}

#[tokio::test]
async fn a_refusal_one_process_met_is_honoured_by_the_next() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    server.push_fault(Fault::RateLimited {
        shape: ErrorShape::RateLimitType,
        status: 429,
        retry_after_secs: 45,
    });
    let first = invoke(data.path(), &server.base_url(), &["--no-wait"]).await;
    assert_eq!(first.status.code(), Some(5), "{}", stderr(&first));
    assert_eq!(invocations_sent(&server), 1);

    // This process reads what the CLI learnt.
    let book = QuotaBook::new(HistoryStore::open_in(data.path()).unwrap());
    let state = book.limiter_state(&account(&server)).unwrap().unwrap();
    assert_eq!(state.kind, "rate_limited");
    let wait = state.until_ms - SystemClock.now_ms();
    assert!((40_000..=45_000).contains(&wait), "{wait}");
    drop(book);

    let second = invoke(data.path(), &server.base_url(), &["--no-wait"]).await;
    assert_eq!(second.status.code(), Some(5));
    assert!(
        stderr(&second).contains("Port asked to wait"),
        "{}",
        stderr(&second)
    );
    assert_eq!(invocations_sent(&server), 1, "the second sent nothing");

    // QUOTA_ERROR: blocked with the date, never retried, even without --no-wait.
    let data = tempfile::tempdir().unwrap();
    server.push_fault(Fault::QuotaExceeded {
        shape: ErrorShape::QuotaType,
        status: 403,
        reset_date: "2027-01-01T00:00:00.000Z".into(),
    });
    let quota = invoke(data.path(), &server.base_url(), &[]).await;
    assert_eq!(quota.status.code(), Some(5), "{}", stderr(&quota));
    assert_eq!(invocations_sent(&server), 2);
    let again = invoke(data.path(), &server.base_url(), &[]).await;
    assert_eq!(again.status.code(), Some(5));
    assert!(stderr(&again).contains("2027-01-01"), "{}", stderr(&again));
    assert_eq!(invocations_sent(&server), 2, "blocked until the reset date");
}

#[tokio::test]
async fn quota_shows_the_figures_invocations_reported() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = invoke(data.path(), &server.base_url(), &[]).await;
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let url = server.base_url();
    let out = cli(
        data.path(),
        &["--base-url", &url, "--token", "T", "quota", "--json"],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["monthlyLimit"], 500.0);
    assert_eq!(doc["window"]["remainingRequests"], 198.0);
    assert_eq!(doc["window"]["maxRequests"], 200.0);
    assert!(doc["window"]["resetAtMs"].as_i64().unwrap() > SystemClock.now_ms());
    assert_eq!(doc["monthly"]["remaining"], 498.0);
    assert_eq!(doc["monthly"]["used"], 2.0);
    assert!(doc["monthly"]["pace"]["expectedUsed"].is_number());
    assert!(doc["monthly"]["projection"].is_null());
    assert_eq!(doc["decision"]["kind"], "go");
    assert_eq!(doc["ownProvider"], false);

    let human = cli(data.path(), &["--base-url", &url, "--token", "T", "quota"]).await;
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("window: 198 of 200 LLM calls"), "{text}");
    assert!(
        text.contains("498 of 500 invocations left (2 used)"),
        "{text}"
    );
    assert!(
        text.contains("projection: not enough history yet"),
        "{text}"
    );
    assert!(text.contains("limiter: invocations go now"), "{text}");
}
