//! The whole byte path of an invocation (SSE framing + decoding into events) on arbitrary bytes and
//! an arbitrary cutting into reads. It must never panic, and the cutting must never change the
//! result. Every crash found becomes a test in `crates/port-api/tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use port_api::invoke::decode_chunks;

fuzz_target!(|input: &[u8]| {
    // The first byte picks the read size (1–256 bytes); the rest is the body.
    let Some((&size, body)) = input.split_first() else {
        return;
    };
    let size = usize::from(size) + 1;
    let (whole_events, whole_end) = decode_chunks([body]);
    let (cut_events, cut_end) = decode_chunks(body.chunks(size));
    assert_eq!(whole_events, cut_events);
    assert_eq!(
        whole_end.map_err(|e| (e.code, e.message)),
        cut_end.map_err(|e| (e.code, e.message))
    );
});
