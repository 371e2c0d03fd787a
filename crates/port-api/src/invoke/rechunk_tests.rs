//! Property: however the same bytes are cut into network reads, and whichever line endings the
//! server uses, the assembled invocation is the same.

use bytes::Bytes;
use futures_util::StreamExt;
use proptest::prelude::*;

use super::decoder::StreamDecoder;
use super::sse;
use super::transcript::Transcript;

/// A stream with every feature the framing must survive: comments, multi-line data, multi-byte
/// characters, interleaved chunked calls, a call without `lastChunk`, an unknown event and `done`.
fn script(ending: &str) -> Vec<u8> {
    let lines = [
        ": a comment",
        "event: invocationIdentifier",
        "data: inv_42",
        "",
        "event: tool_call",
        r#"data: {"id":"c0","name":"list_entities","arguments":"{\"blue"}"#,
        "",
        "event: tool_call",
        r#"data: {"id":"c1","name":"search_entities","arguments":"{\"q\":\"caf\u00e9 \ud83d\ude80\"}"}"#,
        "",
        "event: tool_call",
        r#"data: {"id":"c0","arguments":"print\":\"service\"}","lastChunk":true}"#,
        "",
        "event: tool_result",
        r#"data: {"id":"c1","content":"r\u00e9sultat "}"#,
        "",
        "event: tool_result",
        r#"data: {"id":"c0","content":"15 services","lastChunk":true}"#,
        "",
        "event: plan",
        "data: step one",
        "data: step two",
        "",
        "event: tool_result",
        r#"data: {"id":"c1","content":"fin","lastChunk":true}"#,
        "",
        "event: execution",
        "data: ## Services – résumé 🚀",
        "data: ",
        "data: - payments-api",
        "",
        "event: execution",
        "data:  and ",
        "",
        "event: execution",
        "data: checkout-web\u{00a0}✓",
        "",
        "event: done",
        r#"data: {"rateLimitUsage":{"maxRequests":200,"remainingRequests":193},"#,
        r#"data: "monthlyQuotaUsage":{"monthlyLimit":50,"remainingQuota":49,"month":"2025-09","remainingTimeMs":1}}"#,
        "",
    ];
    let mut out = String::new();
    for line in lines {
        out.push_str(line);
        out.push_str(ending);
    }
    out.into_bytes()
}

fn assemble(bytes: &[u8], cuts: &[usize]) -> (Transcript, bool) {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut sorted: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    sorted.sort_unstable();
    for cut in sorted {
        if cut > start {
            chunks.push(Bytes::copy_from_slice(&bytes[start..cut]));
            start = cut;
        }
    }
    chunks.push(Bytes::copy_from_slice(&bytes[start..]));
    let source =
        futures_util::stream::iter(chunks.into_iter().map(Ok::<_, std::convert::Infallible>));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut frames = sse::frames(Box::pin(source));
        let mut decoder = StreamDecoder::new();
        let mut transcript = Transcript::new();
        let mut events = Vec::new();
        while let Some(frame) = frames.next().await {
            let frame = frame.expect("valid framing");
            decoder.decode(&frame.event, &frame.data, &mut events);
        }
        for event in &events {
            transcript.apply(event);
        }
        (transcript, decoder.saw_done())
    })
}

#[test]
fn the_script_assembles_as_expected() {
    let (t, done) = assemble(&script("\n"), &[]);
    assert!(done);
    assert_eq!(t.invocation_id.as_deref(), Some("inv_42"));
    assert_eq!(
        t.answer,
        "## Services – résumé 🚀\n\n- payments-api and checkout-web\u{00a0}✓"
    );
    assert_eq!(t.tool_calls.len(), 2);
    assert_eq!(t.tool_calls[0].arguments, "{\"blueprint\":\"service\"}");
    assert_eq!(t.tool_calls[1].arguments, "{\"q\":\"café 🚀\"}");
    assert_eq!(t.tool_calls[1].result.as_deref(), Some("résultat fin"));
    assert!(t.tool_calls.iter().all(|c| c.complete()));
    assert_eq!(t.unknown_events.len(), 1);
    assert_eq!(t.unknown_events[0].data, "step one\nstep two");
    assert_eq!(
        t.done_field("monthlyQuotaUsage")
            .and_then(|q| q.get("remainingQuota")),
        Some(&serde_json::json!(49))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_rechunking_assembles_the_same(
        cuts in proptest::collection::vec(any::<usize>(), 0..40),
        ending in prop_oneof![Just("\n"), Just("\r"), Just("\r\n")],
    ) {
        let bytes = script(ending);
        let expected = assemble(&script("\n"), &[]);
        let actual = assemble(&bytes, &cuts);
        prop_assert_eq!(actual, expected);
    }

    #[test]
    fn byte_by_byte_cuts_near_every_boundary(start in 0usize..2000, len in 1usize..64) {
        let bytes = script("\r\n");
        let cuts: Vec<usize> = (start..start + len).collect();
        prop_assert_eq!(assemble(&bytes, &cuts), assemble(&script("\n"), &[]));
    }
}
