//! The WHATWG event-stream rules, and hostile bytes, over real loopback HTTP: port-mock writes
//! exactly the given byte chunks and the client reads them through reqwest, the SSE parser and the
//! decoder, as in the app and the CLI.

mod common;

use std::time::Duration;

use common::*;
use port_api::{ErrorCode, InvokeEvent};
use port_mock::Fault;
use proptest::prelude::*;

async fn raw_on(server: &port_mock::MockServer, chunks: Vec<Vec<u8>>, gap: Duration) -> Run {
    server.push_fault(Fault::RawStream {
        chunks,
        chunk_delay: gap,
    });
    let client = token_client(server, "t");
    run(&client, &general("raw")).await
}

async fn raw(chunks: Vec<&[u8]>) -> Run {
    let server = server().await;
    let chunks = chunks.into_iter().map(<[u8]>::to_vec).collect();
    raw_on(&server, chunks, Duration::from_millis(10)).await
}

const DONE: &[u8] = b"event: done\ndata: {}\n\n";

fn unknown(event: &str, data: &str) -> InvokeEvent {
    InvokeEvent::Unknown {
        event: event.into(),
        data: data.into(),
        reason: None,
    }
}

#[tokio::test]
async fn a_leading_bom_is_stripped_even_one_byte_per_read() {
    // The exact stream that crashed eventsource-stream 0.2.3 (issue: BOM panic).
    let whole = raw(vec![b"\xEF\xBB\xBFevent: execution\ndata: hello\n\n", DONE]).await;
    assert!(whole.error.is_none(), "{:?}", whole.error);
    assert_eq!(whole.transcript.answer, "hello");

    let split = raw(vec![
        b"\xEF",
        b"\xBB",
        b"\xBF",
        b"event: execution\ndata: hello\n\n",
        DONE,
    ])
    .await;
    assert!(split.error.is_none(), "{:?}", split.error);
    assert_eq!(split.transcript.answer, "hello");
}

#[tokio::test]
async fn a_bom_later_in_the_stream_is_not_stripped() {
    let run = raw(vec![
        b"event: execution\ndata: a\n\n",
        "\u{feff}event: execution\ndata: b\n\n".as_bytes(),
        "event: execution\n\u{feff}data: lost\n\n".as_bytes(),
        DONE,
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    // `\u{feff}event` is an unknown field: `b` dispatches with the default type; `\u{feff}data`
    // is unknown too, so that block has no data and dispatches nothing.
    assert_eq!(run.transcript.answer, "a");
    assert_eq!(run.events[1], unknown("message", "b"));
    assert!(matches!(run.events[2], InvokeEvent::Done { .. }));
}

#[tokio::test]
async fn field_value_spacing_empty_data_and_default_type() {
    let run = raw(vec![
        b"event:execution\ndata:no space\n\n",
        b"event: execution\ndata:  two spaces\n\n",
        b"event: plan\ndata\n\n",
        b"event\ndata: plain\n\n",
        DONE,
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(run.transcript.answer, "no space two spaces");
    assert_eq!(run.events[2], unknown("plan", ""));
    assert_eq!(run.events[3], unknown("message", "plain"));
}

#[tokio::test]
async fn comments_unknown_fields_ids_with_nul_and_retry_are_ignored() {
    let run = raw(vec![
        b": hi\nevent: execution\nunknown: x\nid: a\0b\nretry: 1500\ndata: one\n\n",
        b"event: execution\nretry: soon\nid: 7\ndata: two\n\n",
        DONE,
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(run.transcript.answer, "onetwo");
    assert_eq!(run.events.len(), 3);
}

#[tokio::test]
async fn nul_bytes_and_invalid_utf8_survive_as_text() {
    let run = raw(vec![b"event: execution\ndata: a\0b \xFF\xFE c\n\n", DONE]).await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(run.transcript.answer, "a\0b \u{FFFD}\u{FFFD} c");
}

#[tokio::test]
async fn data_without_a_final_blank_line_is_not_dispatched() {
    let run = raw(vec![
        b"event: execution\ndata: a\n\nevent: execution\ndata: tail",
    ])
    .await;
    assert_eq!(run.transcript.answer, "a");
    assert_eq!(
        run.error.as_ref().map(|e| e.code),
        Some(ErrorCode::StreamInterrupted)
    );
}

#[tokio::test]
async fn non_port_events_reach_the_caller_with_their_exact_data() {
    let run = raw(vec![
        b"event: agentSelection\ndata: {\"agent\":\"x\"}\n\n",
        b"event: checkIfActionRequested\ndata:  spaced \ndata: second\n\n",
        b"data: no type\n\n",
        DONE,
    ])
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert_eq!(
        run.events[..3],
        [
            unknown("agentSelection", "{\"agent\":\"x\"}"),
            unknown("checkIfActionRequested", " spaced \nsecond"),
            unknown("message", "no type"),
        ]
    );
    assert_eq!(run.transcript.unknown_events.len(), 3);
}

proptest! {
    // Each case is a real HTTP round trip; the sans-IO property test covers many more.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_bytes_over_http_end_in_events_or_a_typed_error(
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 1..8),
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let run = runtime.block_on(async {
            let server = server().await;
            raw_on(&server, chunks, Duration::ZERO).await
        });
        // Random bytes never contain `event: done` plus a blank line in practice, so the ending is
        // a typed interruption; the point is that it is an ending, not a panic.
        if let Some(err) = &run.error {
            prop_assert!(
                matches!(err.code, ErrorCode::StreamInterrupted | ErrorCode::StreamMalformed),
                "{err:?}"
            );
        }
    }
}
