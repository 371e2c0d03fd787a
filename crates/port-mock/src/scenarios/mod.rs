//! Scripted invocations, chosen deterministically from the prompt: keywords pick the topic,
//! bracketed markers (`[slow]`, `[bench-answer N]`…) pick special behaviour.

mod bench;
mod catalog;
mod chat;
mod oddities;
mod structured;

use serde::Serialize;
use serde_json::{json, Value};

use crate::approvals::ApprovalMode;
use crate::sse::{EventIter, SseEvent};

pub(crate) use oddities::decorate;

/// Bench prompts are typed by people and scripts; keep a typo from asking for terabytes.
const MAX_BENCH_EVENTS: u64 = 10_000_000;
const MAX_BENCH_BYTES: u64 = 1 << 30;
const MAX_BENCH_CHUNK: u64 = 1 << 20;
const MAX_BENCH_RATE: u32 = 1_000_000;

#[derive(Debug, Default)]
pub(crate) struct Markers {
    pub(crate) slow: bool,
    pub(crate) long: bool,
    pub(crate) disconnect: bool,
    pub(crate) malformed: bool,
    pub(crate) unknown: bool,
    pub(crate) rate_limit: bool,
    pub(crate) quota: bool,
    pub(crate) schema: bool,
    pub(crate) bench_answer: Option<u64>,
    pub(crate) bench_chat: Option<(u64, u32)>,
    pub(crate) xss: bool,
    pub(crate) bench_tool_result: Option<(u64, u64)>,
}

impl Markers {
    pub(crate) fn parse(prompt: &str) -> Self {
        let lower = prompt.to_lowercase();
        let has = |marker: &str| lower.contains(marker);
        Self {
            slow: has("[slow]"),
            long: has("[long]"),
            disconnect: has("[disconnect]"),
            malformed: has("[malformed]"),
            unknown: has("[unknown]"),
            rate_limit: has("[rate-limit]"),
            quota: has("[quota]"),
            schema: has("[schema]"),
            bench_answer: match marker_args(&lower, "[bench-answer ").as_deref() {
                Some([n]) => Some((*n).min(MAX_BENCH_EVENTS)),
                _ => None,
            },
            bench_chat: match marker_args(&lower, "[bench-chat ").as_deref() {
                Some([n, rate]) => Some((
                    (*n).min(MAX_BENCH_EVENTS),
                    u32::try_from(*rate)
                        .unwrap_or(u32::MAX)
                        .clamp(1, MAX_BENCH_RATE),
                )),
                _ => None,
            },
            xss: has("[xss]"),
            bench_tool_result: match marker_args(&lower, "[bench-tool-result ").as_deref() {
                Some([bytes, chunk]) => Some((
                    (*bytes).min(MAX_BENCH_BYTES),
                    (*chunk).clamp(1, MAX_BENCH_CHUNK),
                )),
                _ => None,
            },
        }
    }
}

/// The numbers of `[name N M]`; `None` unless every argument is a number.
fn marker_args(lower: &str, opening: &str) -> Option<Vec<u64>> {
    let rest = &lower[lower.find(opening)? + opening.len()..];
    let args = &rest[..rest.find(']')?];
    args.split_whitespace().map(|a| a.parse().ok()).collect()
}

pub(crate) enum Topic {
    Catalog,
    Incident,
    Deploy,
    Long,
    Structured(Value),
    BenchAnswer(u64),
    /// A markdown answer of N chunks at RATE a second, with tool calls between them.
    BenchChat {
        chunks: u64,
        rate: u32,
    },
    /// An answer full of markup that must never run (the Chat view's XSS test).
    Xss,
    BenchToolResult {
        bytes: u64,
        chunk: u64,
    },
}

pub(crate) fn choose(prompt: &str, markers: &Markers, output_schema: Option<&Value>) -> Topic {
    if let Some(n) = markers.bench_answer {
        return Topic::BenchAnswer(n);
    }
    if let Some((chunks, rate)) = markers.bench_chat {
        return Topic::BenchChat { chunks, rate };
    }
    if let Some((bytes, chunk)) = markers.bench_tool_result {
        return Topic::BenchToolResult { bytes, chunk };
    }
    if markers.xss {
        return Topic::Xss;
    }
    if let Some(schema) = output_schema {
        return Topic::Structured(schema.clone());
    }
    if markers.schema {
        return Topic::Structured(structured::docs_example_schema());
    }
    if markers.long {
        return Topic::Long;
    }
    let lower = prompt.to_lowercase();
    if lower.contains("incident") {
        Topic::Incident
    } else if lower.contains("deploy") {
        Topic::Deploy
    } else if lower.contains("action") {
        Topic::Incident
    } else {
        Topic::Catalog
    }
}

impl Topic {
    /// Roughly what Port would count against the token window for this invocation.
    pub(crate) fn tokens_estimate(&self, prompt: &str) -> u64 {
        let base = match self {
            Self::Catalog => 2_400,
            Self::Incident | Self::Deploy => 3_100,
            Self::Long => 6_800,
            Self::Structured(_) | Self::Xss => 1_800,
            Self::BenchAnswer(_) | Self::BenchChat { .. } | Self::BenchToolResult { .. } => 50,
        };
        base + prompt.len() as u64 / 4
    }

    /// Benchmarks measure the client, so they are never paced by the configured delay.
    pub(crate) fn unpaced(&self) -> bool {
        matches!(self, Self::BenchAnswer(_) | Self::BenchToolResult { .. })
    }

    /// Events a second for streams paced by rate rather than by a delay between events.
    pub(crate) fn rate(&self) -> Option<u32> {
        match self {
            Self::BenchChat { rate, .. } => Some(*rate),
            _ => None,
        }
    }
}

/// What the script needs to know about this invocation.
pub(crate) struct Context {
    pub(crate) seq: u64,
    /// How the invocation resolved `run_action`: approval means a draft run to review.
    pub(crate) run_action_mode: ApprovalMode,
}

/// The body of an invocation's stream (between `invocationIdentifier` and `done`).
pub(crate) struct Script {
    pub(crate) events: EventIter,
    /// The whole answer, capped for benchmarks, for polling and the invocation entity.
    pub(crate) answer: String,
}

pub(crate) fn script(topic: Topic, ctx: &Context) -> Script {
    match topic {
        Topic::Catalog => catalog::overview(),
        Topic::Incident => catalog::action(catalog::ActionKind::Incident, ctx),
        Topic::Deploy => catalog::action(catalog::ActionKind::Deploy, ctx),
        Topic::Long => catalog::long(),
        Topic::Structured(schema) => structured::answer(&schema),
        Topic::BenchAnswer(n) => bench::answer(n),
        Topic::BenchChat { chunks, .. } => chat::bench(chunks),
        Topic::Xss => chat::xss(),
        Topic::BenchToolResult { bytes, chunk } => bench::tool_result(bytes, chunk),
    }
}

impl Script {
    fn from_events(events: Vec<SseEvent>, answer: String) -> Self {
        Self {
            events: Box::new(events.into_iter()),
            answer,
        }
    }
}

#[derive(Serialize)]
struct ToolCallData<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    arguments: &'a str,
    #[serde(rename = "lastChunk", skip_serializing_if = "Option::is_none")]
    last_chunk: Option<bool>,
}

#[derive(Serialize)]
struct ToolResultData<'a> {
    id: &'a str,
    content: &'a str,
    #[serde(rename = "lastChunk", skip_serializing_if = "Option::is_none")]
    last_chunk: Option<bool>,
}

fn serialized(name: &'static str, data: &impl Serialize) -> SseEvent {
    let text = serde_json::to_string(data).unwrap_or_else(|_| json!(null).to_string());
    SseEvent::new(name, text)
}

/// `last` is `None` for Port's single-chunk style that omits `lastChunk` altogether.
fn tool_call(id: &str, name: Option<&str>, arguments: &str, last: Option<bool>) -> SseEvent {
    let data = ToolCallData {
        id,
        name,
        arguments,
        last_chunk: last,
    };
    serialized("tool_call", &data)
}

fn tool_result(id: &str, content: &str, last: Option<bool>) -> SseEvent {
    let data = ToolResultData {
        id,
        content,
        last_chunk: last,
    };
    serialized("tool_result", &data)
}

/// A call's arguments in `pieces` chunks; only the first names the tool, only the last is
/// flagged.
fn tool_call_chunks(id: &str, name: &str, arguments: &str, pieces: usize) -> Vec<SseEvent> {
    let parts = split_into(arguments, pieces);
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let name = (i == 0).then_some(name);
            tool_call(id, name, part, (i + 1 == count).then_some(true))
        })
        .collect()
}

fn tool_result_chunks(id: &str, content: &str, pieces: usize) -> Vec<SseEvent> {
    let parts = split_into(content, pieces);
    let count = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| tool_result(id, part, (i + 1 == count).then_some(true)))
        .collect()
}

fn answer_chunks(text: &str, pieces: usize) -> Vec<SseEvent> {
    split_into(text, pieces)
        .into_iter()
        .map(|part| SseEvent::new("execution", part))
        .collect()
}

/// `text` in at most `pieces` parts of about equal length, cut only at character boundaries
/// (cuts inside UTF-8 characters are the transport's business, tested with raw streams).
fn split_into(text: &str, pieces: usize) -> Vec<&str> {
    let chars = text.chars().count();
    let pieces = pieces.clamp(1, chars.max(1));
    let mut cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    cuts.push(text.len());
    (0..pieces)
        .map(|p| {
            let start = cuts[p * chars / pieces];
            let end = cuts[(p + 1) * chars / pieces];
            &text[start..end]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_every_character() {
        let text = "Übersicht — ✅ payments-api";
        for pieces in 1..40 {
            let parts = split_into(text, pieces);
            assert_eq!(parts.concat(), text);
            assert!(parts.iter().all(|p| !p.is_empty()));
        }
        assert_eq!(split_into("", 3), vec![""]);
    }

    #[test]
    fn markers_parse_numbers_case_insensitively() {
        let m = Markers::parse("Go [BENCH-tool-result 100000 8192] [Slow]");
        assert_eq!(m.bench_tool_result, Some((100_000, 8192)));
        assert!(m.slow);
        assert_eq!(Markers::parse("[bench-answer x]").bench_answer, None);
        assert_eq!(Markers::parse("[bench-answer 7]").bench_answer, Some(7));
    }

    #[test]
    fn keywords_choose_topics() {
        let none = Markers::default();
        assert!(matches!(
            choose("Open an INCIDENT", &none, None),
            Topic::Incident
        ));
        assert!(matches!(choose("deploy it", &none, None), Topic::Deploy));
        assert!(matches!(choose("who owns x?", &none, None), Topic::Catalog));
        let schema = json!({"type": "object"});
        assert!(matches!(
            choose("x", &none, Some(&schema)),
            Topic::Structured(_)
        ));
    }
}
