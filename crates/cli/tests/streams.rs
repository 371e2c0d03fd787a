//! Streams a server may really send, through the real CLI binary over loopback: nothing panics,
//! a leading BOM is fine, and events Portdesk does not know are printed, not dropped.

use std::process::{Command, Output};
use std::time::Duration;

use port_mock::{Fault, MockConfig, MockServer};
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");

async fn invoke_raw(chunks: Vec<Vec<u8>>, json: bool) -> Output {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("mock");
    server.push_fault(Fault::RawStream {
        chunks,
        chunk_delay: Duration::from_millis(5),
    });
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(CLI);
    command
        .args(["invoke", "--base-url", &server.base_url(), "--token", "T"])
        .args(json.then_some("--json"))
        .arg("raw")
        .env_remove("PORT_ACCESS_TOKEN")
        .env_remove("PORT_CLIENT_ID")
        .env_remove("PORT_CLIENT_SECRET")
        .env("PORTDESK_DATA_DIR", data_dir.path());
    tokio::task::spawn_blocking(move || {
        let output = command.output().expect("run portdesk-cli");
        drop(data_dir);
        output
    })
    .await
    .expect("join")
}

fn no_panic(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "panicked: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[tokio::test]
async fn a_stream_with_a_leading_bom_completes() {
    let body = b"\xEF\xBB\xBFevent: execution\ndata: Hello\n\nevent: done\ndata: {}\n\n".to_vec();
    let out = invoke_raw(vec![body], false).await;
    no_panic(&out);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Hello\n");
}

#[tokio::test]
async fn json_mode_prints_unknown_events_with_their_exact_data() {
    let body = b"event: plan\ndata: step 1\ndata:  step 2\n\nevent: execution\ndata: ok\n\nevent: done\ndata: {}\n\n";
    let out = invoke_raw(vec![body.to_vec()], true).await;
    no_panic(&out);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines[0]["type"], "unknown");
    assert_eq!(lines[0]["event"], "plan");
    assert_eq!(lines[0]["data"], "step 1\n step 2");
    let result = lines.last().expect("result line");
    assert_eq!(result["unknownEvents"][0]["data"], "step 1\n step 2");
    assert_eq!(result["answer"], "ok");
}

#[tokio::test]
async fn hostile_bytes_end_with_a_typed_status_never_a_panic() {
    let bodies: Vec<Vec<Vec<u8>>> = vec![
        vec![b"\xEF\xBB".to_vec()],
        vec![
            b"\xEF".to_vec(),
            b"\xBB\xBF\xEF\xBB\xBF\r\r\n\0\xFF".to_vec(),
        ],
        vec![(0u8..=255).collect()],
        vec![
            b"event: tool_call\ndata: {\"id\":\n\n".to_vec(),
            b"data: \xC3\n\n".to_vec(),
        ],
        vec![b"event: done\ndata: \xFF{}\r\r".to_vec()],
    ];
    for chunks in bodies {
        let out = invoke_raw(chunks.clone(), true).await;
        no_panic(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let result: Value = serde_json::from_str(stdout.lines().last().expect("a result line"))
            .expect("JSON result");
        let status = result["status"].as_str().expect("status");
        assert!(
            ["completed", "interrupted"].contains(&status),
            "{chunks:?} ended {status}"
        );
        let expected_exit = if status == "completed" { 0 } else { 3 };
        assert_eq!(out.status.code(), Some(expected_exit), "{chunks:?}");
    }
}
