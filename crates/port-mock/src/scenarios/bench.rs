//! Benchmark streams, produced lazily one event at a time so their size costs no memory.

use std::sync::OnceLock;

use super::{tool_call, Script, MAX_BENCH_CHUNK};
use crate::sse::SseEvent;

/// How much of a benchmark answer the invocation record keeps.
const ANSWER_PREVIEW_CHARS: usize = 4096;

/// Tool output text: plain ASCII without quotes or backslashes, so it needs no JSON escaping
/// and its byte count is exactly what the client decodes.
const PATTERN: &str = "The quick brown fox jumps over the lazy dog; 0123456789 abcdefghij.";

pub(super) fn answer(n: u64) -> Script {
    let token = |i: u64| format!("tok{i} ");
    let mut preview = String::new();
    for i in 0..n {
        if preview.len() >= ANSWER_PREVIEW_CHARS {
            break;
        }
        preview.push_str(&token(i));
    }
    let events = (0..n).map(move |i| SseEvent::new("execution", token(i)));
    Script {
        events: Box::new(events),
        answer: preview,
    }
}

pub(super) fn tool_result(bytes: u64, chunk: u64) -> Script {
    let pieces = bytes.div_ceil(chunk).max(1);
    let answer = format!("Read {bytes} bytes of tool output in {pieces} chunks.");
    let call = tool_call(
        "call_0",
        Some("list_entities"),
        r#"{"blueprintIdentifier":"service","limit":1000}"#,
        Some(true),
    );
    let results = (0..pieces).map(move |i| {
        let start = i * chunk;
        let len = chunk.min(bytes - start.min(bytes));
        let last = if i + 1 == pieces {
            r#","lastChunk":true"#
        } else {
            ""
        };
        let content = filler(start, len);
        SseEvent::new(
            "tool_result",
            format!(r#"{{"id":"call_0","content":"{content}"{last}}}"#),
        )
    });
    let events = std::iter::once(call)
        .chain(results)
        .chain(std::iter::once(SseEvent::new("execution", answer.clone())));
    Script {
        events: Box::new(events),
        answer,
    }
}

/// `len` bytes of the endless pattern, starting at `offset`.
fn filler(offset: u64, len: u64) -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| {
        let needed = MAX_BENCH_CHUNK as usize + PATTERN.len();
        PATTERN.repeat(needed.div_ceil(PATTERN.len()))
    });
    let start = (offset % PATTERN.len() as u64) as usize;
    let len = (len as usize).min(MAX_BENCH_CHUNK as usize);
    &text[start..start + len]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn tool_result_content_adds_up() {
        let script = tool_result(100_000, 8192);
        let mut total = 0;
        let mut last_flags = 0;
        for event in script.events.filter(|e| e.name == "tool_result") {
            let data: Value = serde_json::from_str(&event.data).expect("valid JSON");
            total += data["content"].as_str().map_or(0, str::len);
            last_flags += usize::from(data.get("lastChunk").is_some());
        }
        assert_eq!(total, 100_000);
        assert_eq!(last_flags, 1);
    }

    #[test]
    fn zero_bytes_still_closes_the_result() {
        let script = tool_result(0, 10);
        let results: Vec<_> = script.events.filter(|e| e.name == "tool_result").collect();
        assert_eq!(results.len(), 1);
        assert!(results[0].data.contains("lastChunk"));
    }

    #[test]
    fn answer_has_n_tokens() {
        assert_eq!(answer(5).events.count(), 5);
        assert!(answer(3).answer.starts_with("tok0 tok1 tok2"));
    }
}
