//! Streams for the Chat view's own tests: a long markdown answer paced like a fast model, with
//! tool calls between its chunks, and an answer full of markup that must never run.

use super::{answer_chunks, tool_call, tool_result, Script};
use crate::sse::SseEvent;

/// How much of a benchmark answer the invocation record keeps.
const ANSWER_PREVIEW_CHARS: usize = 4096;
/// A tool call (started, complete, with its result) every this many answer chunks.
const TOOL_CALL_EVERY: u64 = 1_000;

/// Chunk `i` of the benchmark answer: headings, paragraphs, inline code, bold words and a fenced
/// code block now and then, so the client's markdown work is that of a real answer.
fn piece(i: u64) -> String {
    if i % 1_000 == 0 {
        format!("## Section {}\n\n", i / 1_000 + 1)
    } else if i % 250 == 125 {
        format!("\n\n```rust\nfn step_{i}() -> u32 {{\n    {i}\n}}\n```\n\n")
    } else if i % 60 == 59 {
        "end.\n\n".to_owned()
    } else if i % 7 == 3 {
        format!("**bold{i}** ")
    } else if i % 11 == 5 {
        format!("`code{i}` ")
    } else {
        format!("word{i} ")
    }
}

pub(super) fn bench(chunks: u64) -> Script {
    let mut preview = String::new();
    for i in 0..chunks {
        if preview.len() >= ANSWER_PREVIEW_CHARS {
            break;
        }
        preview.push_str(&piece(i));
    }
    let events = (0..chunks).flat_map(|i| {
        let mut out = Vec::with_capacity(3);
        if i % TOOL_CALL_EVERY == TOOL_CALL_EVERY / 2 {
            let id = format!("call_{}", i / TOOL_CALL_EVERY);
            let arguments = format!(r#"{{"blueprintIdentifier":"service","page":{i}}}"#);
            out.push(tool_call(
                &id,
                Some("list_entities"),
                &arguments,
                Some(true),
            ));
            let content = format!(r#"{{"ok":true,"entities":[{{"identifier":"svc-{i}"}}]}}"#);
            out.push(tool_result(&id, &content, Some(true)));
        }
        out.push(SseEvent::new("execution", piece(i)));
        out
    });
    Script {
        events: Box::new(events),
        answer: preview,
    }
}

/// Every way a model's answer could try to run code or navigate the app; none of it may work.
/// A payload that ran would set `window.__pwned` and the page title.
pub(crate) const XSS_ANSWER: &str = concat!(
    "Here is the report you asked for.\n\n",
    "<script>window.__pwned = 'script'; document.title = 'PWNED script';</script>\n\n",
    "<img src=x onerror=\"window.__pwned='img'; document.title='PWNED img'\">\n\n",
    "<iframe src=\"javascript:parent.__pwned='iframe'\" srcdoc=\"<script>parent.__pwned='srcdoc'</script>\"></iframe>\n\n",
    "<a href=\"javascript:window.__pwned='a-href'; document.title='PWNED a'\">raw anchor</a>\n\n",
    "<svg onload=\"window.__pwned='svg'\"><circle r=\"4\"/></svg>\n\n",
    "A [markdown link](javascript:window.__pwned='md-link') and a ",
    "[data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0nZGF0YSc8L3NjcmlwdD4=) and ",
    "an image ![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9InBhcmVudC5fX3B3bmVkPSdkYXRhLWltZyciLz4=).\n\n",
    "A [safe link](https://docs.port.io/ai-interfaces/overview) stays a link.\n\n",
    "```html\n<script>window.__pwned = 'code';</script>\n```\n\n",
    "That is all.",
);

pub(super) fn xss() -> Script {
    // Small chunks, so half-written tags reach the client mid-stream too.
    let pieces = XSS_ANSWER.len() / 7;
    let events: Vec<SseEvent> = answer_chunks(XSS_ANSWER, pieces);
    Script {
        events: Box::new(events.into_iter()),
        answer: XSS_ANSWER.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn bench_has_the_chunks_and_a_tool_call_every_thousand() {
        let events: Vec<_> = bench(2_500).events.collect();
        let answers = events.iter().filter(|e| e.name == "execution").count();
        let calls = events.iter().filter(|e| e.name == "tool_call").count();
        let results = events.iter().filter(|e| e.name == "tool_result").count();
        assert_eq!(answers, 2_500);
        assert_eq!((calls, results), (2, 2));
        for event in events.iter().filter(|e| e.name != "execution") {
            let data: Value = serde_json::from_str(&event.data).expect("valid JSON");
            assert_eq!(data["lastChunk"], Value::Bool(true));
        }
        let text: String = events
            .iter()
            .filter(|e| e.name == "execution")
            .map(|e| e.data.as_str())
            .collect();
        assert!(text.starts_with("## Section 1\n\n"));
        assert!(text.contains("```rust\nfn step_125()"));
    }

    #[test]
    fn xss_answer_arrives_whole() {
        let text: String = xss().events.map(|e| e.data).collect();
        assert_eq!(text, XSS_ANSWER);
    }
}
