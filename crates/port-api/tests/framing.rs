//! SSE framing over real loopback HTTP: the server writes exactly the given byte chunks.

mod common;

use std::time::Duration;

use common::*;
use port_api::{ErrorCode, InvokeEvent};
use port_mock::Fault;

const GAP: Duration = Duration::from_millis(15);

async fn raw(chunks: Vec<&[u8]>) -> Run {
    let server = server().await;
    server.push_fault(Fault::RawStream {
        chunks: chunks.into_iter().map(|c| c.to_vec()).collect(),
        chunk_delay: GAP,
    });
    let client = token_client(&server, "t");
    run(&client, &general("raw")).await
}

fn answer_of(run: &Run) -> &str {
    &run.transcript.answer
}

#[tokio::test]
async fn chunk_boundary_inside_a_multibyte_character() {
    let text = "event: execution\ndata: caf\u{e9} \u{1F680}\n\nevent: done\ndata: {}\n\n";
    let bytes = text.as_bytes();
    let e_acute = text.find('\u{e9}').expect("é");
    let rocket = text.find('\u{1F680}').expect("rocket");
    let run = raw(vec![
        &bytes[..e_acute + 1],
        &bytes[e_acute + 1..rocket + 2],
        &bytes[rocket + 2..rocket + 3],
        &bytes[rocket + 3..],
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(answer_of(&run), "caf\u{e9} \u{1F680}");
}

#[tokio::test]
async fn chunk_boundary_between_cr_and_lf() {
    let run = raw(vec![
        b"event: execution\r",
        b"\ndata: one\r",
        b"\n\r",
        b"\nevent: execution\r\ndata: two\r\n\r",
        b"\nevent: done\r\ndata: {}\r\n\r\n",
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(answer_of(&run), "onetwo");
    // A CR split from its LF must not count as an extra blank line (no empty event between).
    assert_eq!(
        run.events
            .iter()
            .filter(|e| matches!(e, InvokeEvent::AnswerDelta { .. }))
            .count(),
        2
    );
}

#[tokio::test]
async fn lf_cr_and_crlf_endings_all_work() {
    for ending in ["\n", "\r", "\r\n"] {
        let body = [
            "event: execution",
            "data: a",
            "",
            "event: execution",
            "data: b",
            "",
            "event: done",
            "data: {}",
            "",
        ]
        .iter()
        .map(|l| format!("{l}{ending}"))
        .collect::<String>();
        let run = raw(vec![body.as_bytes()]).await;
        assert!(run.error.is_none(), "ending {ending:?}: {:?}", run.error);
        assert_eq!(answer_of(&run), "ab", "ending {ending:?}");
        assert!(run.transcript.saw_done, "ending {ending:?}");
    }
}

#[tokio::test]
async fn lone_cr_as_the_last_byte_of_the_stream() {
    let run = raw(vec![
        b"event: execution\rdata: x\r\revent: done\rdata: {}\r\r",
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert!(run.transcript.saw_done);
    assert_eq!(answer_of(&run), "x");
}

#[tokio::test]
async fn comments_and_multi_line_data() {
    let run = raw(vec![
        b": keep-alive\n\n",
        b"event: execution\ndata: line 1\ndata: line 2\n\n: another comment\n",
        b"event: done\ndata: {\"rateLimitUsage\":\ndata: {\"remainingRequests\": 7}}\n\n",
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(answer_of(&run), "line 1\nline 2");
    assert_eq!(
        run.transcript
            .done_field("rateLimitUsage")
            .and_then(|r| r.get("remainingRequests")),
        Some(&serde_json::json!(7))
    );
}

#[tokio::test]
async fn single_chunk_calls_without_last_chunk_complete_at_done() {
    let run = raw(vec![
        br#"event: tool_call
data: {"id":"call_0","name":"list_entities","arguments":"{}"}

event: tool_call
data: {"id":"call_1","name":"get_entity","arguments":"{\"id\":1}"}

event: tool_result
data: {"id":"call_1","content":"ok"}

event: done
data: {}

"#,
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    let calls = &run.transcript.tool_calls;
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.complete()), "{calls:?}");
    assert_eq!(calls[0].result, None);
    assert_eq!(calls[1].result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn a_stream_cut_mid_call_is_interrupted_and_keeps_the_partial_call() {
    let run = raw(vec![
        b"event: execution\ndata: partial\n\n",
        br#"event: tool_call
data: {"id":"call_9","name":"search_entities","arguments":"{\"q\":"}

"#,
    ])
    .await;
    let err = run.error.as_ref().expect("interrupted");
    assert_eq!(err.code, ErrorCode::StreamInterrupted);
    assert_eq!(answer_of(&run), "partial");
    let call = &run.transcript.tool_calls[0];
    assert_eq!(call.arguments, "{\"q\":");
    assert!(!call.complete());
}
