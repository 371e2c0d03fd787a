//! `portdesk-cli` and the history: the real binary against port-mock over loopback, recording to
//! a real SQLite file that this test process opens too.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use history::{HistoryFilter, HistoryStatus, HistoryStore, PageRequest};
use port_mock::{Fault, MockConfig, MockServer};
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");

fn command(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(CLI);
    command
        .args(args)
        .env_remove("PORT_ACCESS_TOKEN")
        .env_remove("PORT_CLIENT_ID")
        .env_remove("PORT_CLIENT_SECRET")
        .env("PORTDESK_DATA_DIR", data_dir);
    command
}

async fn run(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = command(data_dir, args);
    for (k, v) in env {
        command.env(k, v);
    }
    tokio::task::spawn_blocking(move || command.output().expect("run portdesk-cli"))
        .await
        .expect("join")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect()
}

async fn invoke(data_dir: &Path, url: &str, prompt: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--base-url", url, "--token", "T", "invoke", "--json"];
    args.extend_from_slice(extra);
    args.push(prompt);
    json_lines(&ok(&run(data_dir, &args, &[]).await))
}

#[tokio::test]
async fn invoke_records_and_every_history_command_reads_it() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let url = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let lines = invoke(
        d,
        &url,
        "What services do we have?",
        &["--label", "team=sre"],
    )
    .await;
    let (result, events) = lines.split_last().unwrap();
    let list = json_lines(&ok(&run(d, &["history", "list", "--json"], &[]).await));
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "completed");
    let id = list[0]["id"].as_str().unwrap().to_string();

    let shown: Value =
        serde_json::from_str(&ok(&run(d, &["history", "show", &id, "--json"], &[]).await)).unwrap();
    assert_eq!(shown["answer"], result["answer"]);
    assert_eq!(shown["portInvocationId"], result["invocationIdentifier"]);
    assert_eq!(
        shown["toolCalls"].as_array().unwrap().len(),
        result["toolCalls"].as_array().unwrap().len()
    );
    let logged: Vec<&Value> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["payload"])
        .collect();
    assert_eq!(
        logged,
        events.iter().collect::<Vec<_>>(),
        "the same events the CLI printed"
    );
    assert_eq!(shown["labels"]["team"], "sre");
    assert_eq!(shown["traceId"], "mock-trace-000001");

    // A follow-up in the same conversation.
    invoke(
        d,
        &url,
        "And which are failing?",
        &["--conversation", shown["conversationId"].as_str().unwrap()],
    )
    .await;
    let filtered = json_lines(&ok(&run(
        d,
        &[
            "history",
            "list",
            "--json",
            "--label",
            "team=sre",
            "--general",
            "--status",
            "completed",
            "--since",
            "2000-01-01",
        ],
        &[],
    )
    .await));
    assert_eq!(filtered.len(), 1);

    for query in [
        "services",
        "-dash",
        "\"unbalanced (",
        "AND NEAR(*",
        "",
        "*",
        "col:x ^y",
    ] {
        let out = run(d, &["history", "search", query, "--json"], &[]).await;
        assert_eq!(
            out.status.code(),
            Some(0),
            "{query:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let hits = json_lines(&ok(&run(
        d,
        &["history", "search", "services", "--json"],
        &[],
    )
    .await));
    assert!(!hits.is_empty());
    assert!(hits[0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["hit"] == true));

    let stats: Value =
        serde_json::from_str(&ok(&run(d, &["history", "stats", "--json"], &[]).await)).unwrap();
    assert_eq!(stats["invocations"], 2);
    assert_eq!(stats["conversations"], 1);

    // Export, import elsewhere, export again: the same invocations.
    let export = ok(&run(d, &["history", "export", "--format", "json"], &[]).await);
    assert_eq!(
        ok(&run(d, &["history", "export", "--json"], &[]).await).len(),
        export.len()
    );
    let file = d.join("export.json");
    std::fs::write(&file, &export).unwrap();
    let other = tempfile::tempdir().unwrap();
    let report: Value = serde_json::from_str(&ok(&run(
        other.path(),
        &["history", "import", file.to_str().unwrap(), "--json"],
        &[],
    )
    .await))
    .unwrap();
    assert_eq!(report["invocationsAdded"], 2);
    let again: Value =
        serde_json::from_str(&ok(&run(other.path(), &["history", "export"], &[]).await)).unwrap();
    let original: Value = serde_json::from_str(&export).unwrap();
    assert_eq!(again["invocations"], original["invocations"]);
    let md = ok(&run(
        d,
        &[
            "history",
            "export",
            "--conversation",
            shown["conversationId"].as_str().unwrap(),
            "--format",
            "md",
        ],
        &[],
    )
    .await);
    assert!(md.contains("## 2. General assistant"), "{md}");
    let csv = ok(&run(d, &["history", "export", "--format", "csv"], &[]).await);
    assert_eq!(csv.lines().next().unwrap().split(',').next(), Some("id"));

    // Delete, and bad ids are clear errors.
    ok(&run(d, &["history", "delete", &id], &[]).await);
    let out = run(d, &["history", "show", &id], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not_found"));
    let out = run(d, &["history", "list", "--since", "last tuesday"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    ok(&run(d, &["history", "delete", "--all", "--yes"], &[]).await);
    assert!(ok(&run(d, &["history", "list", "--json"], &[]).await).is_empty());
}

#[tokio::test]
async fn no_history_records_nothing() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    invoke(dir.path(), &server.base_url(), "hello", &["--no-history"]).await;
    assert!(!dir.path().join(history::FILE_NAME).exists());
}

/// `kill -9` mid-stream: every event the process had printed (so had received) more than
/// ~100 ms before the kill is in the file; the next opener marks the invocation interrupted.
/// While the process is alive, another opener leaves its stream alone.
// Multi-threaded: this test blocks its own thread while port-mock keeps streaming.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_stream_loses_nothing_and_ends_interrupted() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    server.push_fault(Fault::Slow {
        delay: Duration::from_millis(150),
    });
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let mut child = command(
        &d,
        &[
            "--base-url",
            &server.base_url(),
            "--token",
            "T",
            "invoke",
            "--json",
            "What services do we have?",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed: Vec<Value> = Vec::new();
    let next = |printed: &mut Vec<Value>| {
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("an event line");
        printed.push(serde_json::from_str(&line).unwrap());
    };
    for _ in 0..3 {
        next(&mut printed);
    }
    {
        // The CLI is alive and streaming: this opener must leave it alone.
        let store = HistoryStore::open_in(&d).unwrap();
        assert!(store.open_report().interrupted.is_empty());
        let page = store
            .list(&HistoryFilter::default(), &PageRequest::first(5))
            .unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].status, HistoryStatus::Streaming);
    }
    for _ in 0..5 {
        next(&mut printed);
    }
    std::thread::sleep(Duration::from_millis(120));
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success());
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9));
    }
    // Lines printed up to the kill (the reader may have buffered a few more).
    while let Ok(line) = rx.try_recv() {
        printed.push(serde_json::from_str(&line).unwrap());
    }

    let store = HistoryStore::open_in(&d).unwrap();
    assert_eq!(store.open_report().interrupted.len(), 1);
    let id = &store.open_report().interrupted[0].clone();
    let detail = store.show(id).unwrap();
    assert_eq!(detail.status, HistoryStatus::Interrupted);
    assert_eq!(detail.error.as_ref().unwrap().code, "stream_interrupted");
    let stored: Vec<&Value> = detail.events.iter().map(|e| &e.payload).collect();
    assert!(
        stored.len() >= 8,
        "all 8 events received before the kill are stored, got {}",
        stored.len()
    );
    assert_eq!(stored[..8], printed.iter().take(8).collect::<Vec<_>>()[..]);
    assert!(
        !detail.tool_calls.is_empty(),
        "assembled from the stored events"
    );
    // Reopening again changes nothing: interrupted stays interrupted.
    drop(store);
    let again = HistoryStore::open_in(&d).unwrap();
    assert!(again.open_report().interrupted.is_empty());
    assert_eq!(again.show(id).unwrap().status, HistoryStatus::Interrupted);
}

/// The app (this process) and two CLI processes write the same file at once.
#[tokio::test]
async fn several_writers_at_once_lose_nothing() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    for _ in 0..2 {
        server.push_fault(Fault::Slow {
            delay: Duration::from_millis(10),
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_path_buf();
    let url = server.base_url();
    let app = HistoryStore::open_in(&d).unwrap();
    let a = tokio::spawn({
        let (d, url) = (d.clone(), url.clone());
        async move { invoke(&d, &url, "first writer", &[]).await }
    });
    let b = tokio::spawn({
        let (d, url) = (d.clone(), url.clone());
        async move { invoke(&d, &url, "second writer", &[]).await }
    });
    let recorder = app.recorder();
    let begun = recorder
        .begin_async(history::NewInvocation::from_request(
            &port_api::InvokeRequest::general("in-app writer"),
            history::Source::App,
        ))
        .await
        .unwrap();
    for n in 0..400 {
        recorder
            .append(
                &begun.id,
                &port_api::InvokeEvent::AnswerDelta {
                    delta: format!("{n} "),
                },
            )
            .unwrap();
        if n % 40 == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    recorder
        .finish(&begun.id, history::Outcome::from_error(None, None))
        .unwrap();
    recorder.flush_async().await.unwrap();
    let (a, b) = (a.await.unwrap(), b.await.unwrap());

    let page = app
        .list(&HistoryFilter::default(), &PageRequest::first(10))
        .unwrap();
    assert_eq!(page.items.len(), 3);
    assert!(page
        .items
        .iter()
        .all(|i| i.status == HistoryStatus::Completed));
    for (lines, prompt) in [(a, "first writer"), (b, "second writer")] {
        let item = page
            .items
            .iter()
            .find(|i| i.prompt_preview == prompt)
            .unwrap();
        assert_eq!(item.event_count as usize, lines.len() - 1, "{prompt}");
    }
    let mine = app.show(&begun.id).unwrap();
    assert_eq!(mine.events.len(), 400);
    assert!(mine.answer.starts_with("0 1 2 "));
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Credentials never reach the history: not the client secret, not an access token.
#[tokio::test]
async fn no_secret_reaches_the_history_file() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let url = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&run(
        d,
        &[
            "--base-url",
            &url,
            "invoke",
            "--json",
            "What services do we have?",
        ],
        &[
            ("PORT_CLIENT_ID", "demo-client-id"),
            ("PORT_CLIENT_SECRET", "demo-client-secret"),
        ],
    )
    .await);
    ok(&run(
        d,
        &["--base-url", &url, "invoke", "--json", "hello again"],
        &[("PORT_ACCESS_TOKEN", "sentinel-access-token-8f3a")],
    )
    .await);
    let list = json_lines(&ok(&run(d, &["history", "list", "--json"], &[]).await));
    assert_eq!(list.len(), 2, "both were recorded");
    let mut checked = 0;
    for entry in std::fs::read_dir(d).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for secret in [
                "demo-client-secret",
                "sentinel-access-token-8f3a",
                "mock-token-",
                "Bearer ",
            ] {
                assert!(
                    !contains(&bytes, secret),
                    "{secret} found in {}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 1);
    // The prompt is there: the scan would have seen a secret if one had been written.
    assert!(
        contains(
            &std::fs::read(d.join(history::FILE_NAME)).unwrap(),
            "hello again"
        ) || contains(
            &std::fs::read(d.join(format!("{}-wal", history::FILE_NAME))).unwrap_or_default(),
            "hello again"
        )
    );
}

#[tokio::test]
async fn import_port_merges_ports_records_once() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let url = server.base_url();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    invoke(d, &url, "recorded locally", &[]).await;
    invoke(d, &url, "only on port", &["--no-history"]).await;
    let args = [
        "--base-url",
        url.as_str(),
        "--token",
        "T",
        "history",
        "import-port",
        "--json",
    ];
    let first: Value = serde_json::from_str(&ok(&run(d, &args, &[]).await)).unwrap();
    assert_eq!(first["invocationsAdded"], 1);
    assert_eq!(first["invocationsSkipped"], 1);
    let second: Value = serde_json::from_str(&ok(&run(d, &args, &[]).await)).unwrap();
    assert_eq!(second["invocationsAdded"], 0);
    let list = json_lines(&ok(&run(d, &["history", "list", "--json"], &[]).await));
    assert_eq!(list.len(), 2);
    assert!(list
        .iter()
        .any(|i| i["source"] == "port" && i["promptPreview"] == "only on port"));
}
