//! Property: however the same bytes are cut into network reads, and whichever line endings the
//! server uses, the assembled invocation is the same.

use proptest::prelude::*;

use super::sse::decode_chunks;
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
            chunks.push(&bytes[start..cut]);
            start = cut;
        }
    }
    chunks.push(&bytes[start..]);
    let (events, end) = decode_chunks(chunks);
    let mut transcript = Transcript::new();
    for event in &events {
        transcript.apply(event);
    }
    (transcript, end.is_ok())
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

/// Bytes a server might send: mostly SSE-shaped lines (so the decoder's JSON paths are reached),
/// mixed with arbitrary bytes, BOMs, NULs, lone CRs and invalid UTF-8.
fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"event: tool_call\n".to_vec()),
        Just(b"event: tool_result\n".to_vec()),
        Just(b"event: execution\n".to_vec()),
        Just(b"event: done\n".to_vec()),
        Just(b"event: invocationIdentifier\n".to_vec()),
        Just(br#"data: {"id":"c0","name":"x","arguments":"{\"a\""}"#.to_vec()),
        Just(br#"data: {"id":1,"content":"r","lastChunk":true}"#.to_vec()),
        Just(br#"data: {"id":"c0","content":{"nested":[1,2]}}"#.to_vec()),
        Just(b"data: \n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\xFF\xC3".to_vec()),
        Just(b": comment\n".to_vec()),
        Just(b"id: \0\n".to_vec()),
        Just(b"retry: 99999999999999999999999\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..24),
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

/// Everything the decoder produced, in a comparable form (errors by code and message).
fn outcome(bytes: &[u8], cuts: &[usize]) -> (Vec<super::InvokeEvent>, Result<(), String>) {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut sorted: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    sorted.sort_unstable();
    for cut in sorted {
        chunks.push(&bytes[start..cut.max(start)]);
        start = cut.max(start);
    }
    chunks.push(&bytes[start..]);
    let (events, end) = decode_chunks(chunks);
    (
        events,
        end.map_err(|e| format!("{}: {}", e.code, e.message)),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// No byte sequence panics, and however it is cut into reads (empty reads included) the
    /// events and the ending are the same as when it arrives whole.
    #[test]
    fn arbitrary_bytes_never_panic_and_chunking_never_matters(
        body in prop_oneof![hostile_body(), proptest::collection::vec(any::<u8>(), 0..512)],
        cuts in proptest::collection::vec(any::<usize>(), 0..64),
    ) {
        let whole = outcome(&body, &[]);
        let cut = outcome(&body, &cuts);
        prop_assert_eq!(&cut, &whole);
        let bytewise: Vec<usize> = (0..=body.len()).collect();
        prop_assert_eq!(outcome(&body, &bytewise), whole);
    }
}
