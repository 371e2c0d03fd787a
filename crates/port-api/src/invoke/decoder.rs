//! From SSE frames (event name + data) to [`InvokeEvent`]s.
//!
//! Pure and synchronous, so it can be tested and fuzzed without a network. It keeps the little
//! state needed to turn Port's chunks into deltas with explicit start and completion events:
//! which call ids were seen and which of their parts are complete.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::event::{InvokeEvent, MonthlyQuotaUsage, RateLimitUsage};

#[derive(Debug, Default, Clone, Copy)]
struct CallState {
    arguments_complete: bool,
    result_started: bool,
    result_complete: bool,
}

/// Decodes one invocation's frames. Feed every frame in order to [`StreamDecoder::decode`].
#[derive(Debug, Default)]
pub struct StreamDecoder {
    calls: HashMap<String, CallState>,
    /// First-appearance order, so completions emitted at `done` are deterministic.
    order: Vec<String>,
    saw_done: bool,
}

impl StreamDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a `done` event arrived: a stream that ends without one was interrupted.
    pub fn saw_done(&self) -> bool {
        self.saw_done
    }

    /// Decodes one frame, appending the resulting events to `out`. `data` is taken by value so an
    /// answer chunk becomes its event without a copy.
    pub fn decode(&mut self, event: &str, data: String, out: &mut Vec<InvokeEvent>) {
        match event {
            "execution" => {
                if !data.is_empty() {
                    out.push(InvokeEvent::AnswerDelta { delta: data });
                }
            }
            "tool_call" => self.tool_call(data, out),
            "tool_result" => self.tool_result(data, out),
            "invocationIdentifier" => out.push(InvokeEvent::InvocationId {
                id: invocation_id(&data),
            }),
            "done" => self.done(data, out),
            other => out.push(InvokeEvent::Unknown {
                event: other.to_string(),
                data,
                reason: None,
            }),
        }
    }

    fn tool_call(&mut self, data: String, out: &mut Vec<InvokeEvent>) {
        let Some(chunk) = ToolChunk::parse("tool_call", data, out) else {
            return;
        };
        let name = match chunk.fields.name {
            Some(Value::String(name)) => Some(name),
            _ => None,
        };
        self.ensure_started(&chunk.id, name, out);
        if let Some(delta) = chunk.fields.arguments.and_then(text_of) {
            if !delta.is_empty() {
                out.push(InvokeEvent::ToolCallArgumentsDelta {
                    id: chunk.id.clone(),
                    delta,
                });
            }
        }
        if chunk.last {
            self.complete_arguments(&chunk.id, out);
        }
    }

    fn tool_result(&mut self, data: String, out: &mut Vec<InvokeEvent>) {
        let Some(chunk) = ToolChunk::parse("tool_result", data, out) else {
            return;
        };
        let id = chunk.id;
        // A result for a call never announced still gets a call, so nothing is orphaned.
        self.ensure_started(&id, None, out);
        self.complete_arguments(&id, out);
        let delta = chunk.fields.content.and_then(text_of).unwrap_or_default();
        let state = self.calls.entry(id.clone()).or_default();
        let first = !state.result_started;
        state.result_started = true;
        if first || !delta.is_empty() {
            out.push(InvokeEvent::ToolResultDelta {
                id: id.clone(),
                delta,
            });
        }
        if chunk.last {
            self.complete_result(&id, out);
        }
    }

    fn done(&mut self, data: String, out: &mut Vec<InvokeEvent>) {
        self.saw_done = true;
        let ids = self.order.clone();
        for id in &ids {
            self.complete_arguments(id, out);
            if self.calls.get(id).is_some_and(|s| s.result_started) {
                self.complete_result(id, out);
            }
        }
        let parsed: Option<Value> = serde_json::from_str(&data).ok();
        let field = |name: &str| parsed.as_ref().and_then(|v| v.get(name)).cloned();
        let rate_limit_usage =
            field("rateLimitUsage").and_then(|v| serde_json::from_value::<RateLimitUsage>(v).ok());
        let monthly_quota_usage = field("monthlyQuotaUsage")
            .and_then(|v| serde_json::from_value::<MonthlyQuotaUsage>(v).ok());
        out.push(InvokeEvent::Done {
            rate_limit_usage,
            monthly_quota_usage,
            data,
        });
    }

    fn ensure_started(&mut self, id: &str, name: Option<String>, out: &mut Vec<InvokeEvent>) {
        if self.calls.contains_key(id) {
            return;
        }
        self.calls.insert(id.to_string(), CallState::default());
        self.order.push(id.to_string());
        out.push(InvokeEvent::ToolCallStarted {
            id: id.to_string(),
            name,
        });
    }

    fn complete_arguments(&mut self, id: &str, out: &mut Vec<InvokeEvent>) {
        if let Some(state) = self.calls.get_mut(id) {
            if !state.arguments_complete {
                state.arguments_complete = true;
                out.push(InvokeEvent::ToolCallComplete { id: id.to_string() });
            }
        }
    }

    fn complete_result(&mut self, id: &str, out: &mut Vec<InvokeEvent>) {
        if let Some(state) = self.calls.get_mut(id) {
            if !state.result_complete {
                state.result_complete = true;
                out.push(InvokeEvent::ToolResultComplete { id: id.to_string() });
            }
        }
    }
}

/// The fields of a `tool_call` or `tool_result` chunk that Portdesk reads. Typed, so the parser
/// skips everything else without building a map, and a large `content` string is read once.
#[derive(Deserialize)]
struct ChunkFields {
    id: Option<Value>,
    name: Option<Value>,
    arguments: Option<Value>,
    content: Option<Value>,
    #[serde(rename = "lastChunk")]
    last_chunk: Option<Value>,
}

struct ToolChunk {
    id: String,
    last: bool,
    fields: ChunkFields,
}

impl ToolChunk {
    /// Parses a chunk and its id; anything unreadable is kept raw as an unknown event.
    fn parse(event: &str, data: String, out: &mut Vec<InvokeEvent>) -> Option<ToolChunk> {
        let reason = match serde_json::from_str::<ChunkFields>(&data) {
            Ok(mut fields) => match fields.id.take() {
                Some(Value::String(id)) => {
                    let last = fields.last_chunk.as_ref().and_then(Value::as_bool) == Some(true);
                    return Some(ToolChunk { id, last, fields });
                }
                Some(Value::Number(n)) => {
                    let last = fields.last_chunk.as_ref().and_then(Value::as_bool) == Some(true);
                    return Some(ToolChunk {
                        id: n.to_string(),
                        last,
                        fields,
                    });
                }
                _ => "the chunk has no id".to_string(),
            },
            // The slow path, for a precise reason only.
            Err(e) => match serde_json::from_str::<Value>(&data) {
                Ok(Value::Object(_)) => format!("the chunk is unreadable: {e}"),
                Ok(_) => "the data is JSON but not an object".to_string(),
                Err(_) => format!("the data is not valid JSON: {e}"),
            },
        };
        out.push(InvokeEvent::Unknown {
            event: event.to_string(),
            data,
            reason: Some(reason),
        });
        None
    }
}

/// Port sends `arguments` and `content` as strings; tolerate JSON values too.
fn text_of(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// The id is documented as a plain string; tolerate a JSON string or an object carrying it.
fn invocation_id(data: &str) -> String {
    match serde_json::from_str::<Value>(data) {
        Ok(Value::String(s)) => s,
        Ok(Value::Object(obj)) => ["invocationIdentifier", "identifier", "id"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str))
            .map(str::to_string)
            .unwrap_or_else(|| data.trim().to_string()),
        _ => data.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvokeEvent::*;

    fn run(frames: &[(&str, &str)]) -> Vec<InvokeEvent> {
        let mut decoder = StreamDecoder::new();
        let mut out = Vec::new();
        for (event, data) in frames {
            decoder.decode(event, data.to_string(), &mut out);
        }
        out
    }

    fn id(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn chunked_call_completes_on_last_chunk() {
        let out = run(&[
            (
                "tool_call",
                r#"{"id":"c0","name":"list_entities","arguments":"{\"a\""}"#,
            ),
            (
                "tool_call",
                r#"{"id":"c0","arguments":":1}","lastChunk":true}"#,
            ),
        ]);
        assert_eq!(
            out,
            vec![
                ToolCallStarted {
                    id: id("c0"),
                    name: Some(id("list_entities"))
                },
                ToolCallArgumentsDelta {
                    id: id("c0"),
                    delta: id("{\"a\"")
                },
                ToolCallArgumentsDelta {
                    id: id("c0"),
                    delta: id(":1}")
                },
                ToolCallComplete { id: id("c0") },
            ]
        );
    }

    #[test]
    fn single_chunk_call_without_last_chunk_completes_when_result_starts() {
        let out = run(&[
            ("tool_call", r#"{"id":"c0","name":"x","arguments":"{}"}"#),
            ("tool_result", r#"{"id":"c0","content":"ok"}"#),
        ]);
        assert_eq!(
            out[2..],
            [
                ToolCallComplete { id: id("c0") },
                ToolResultDelta {
                    id: id("c0"),
                    delta: id("ok")
                },
            ]
        );
    }

    #[test]
    fn done_completes_everything_open() {
        let out = run(&[
            ("tool_call", r#"{"id":"c0","name":"x","arguments":"{}"}"#),
            ("tool_call", r#"{"id":"c1","name":"y","arguments":"{}"}"#),
            ("tool_result", r#"{"id":"c1","content":"part"}"#),
            ("done", "{}"),
        ]);
        assert_eq!(
            out[out.len() - 3..],
            [
                ToolCallComplete { id: id("c0") },
                ToolResultComplete { id: id("c1") },
                Done {
                    rate_limit_usage: None,
                    monthly_quota_usage: None,
                    data: id("{}")
                },
            ]
        );
        // c1's arguments were completed by its result, not again by done.
        let completions = out
            .iter()
            .filter(|e| matches!(e, ToolCallComplete { .. }))
            .count();
        assert_eq!(completions, 2);
    }

    #[test]
    fn malformed_and_unknown_data_is_kept_raw() {
        let out = run(&[
            ("tool_call", r#"{"id": "c0", "name": "list_ent"#),
            ("plan", "step 1"),
            ("tool_result", r#"["not", "an", "object"]"#),
        ]);
        assert!(
            matches!(&out[0], Unknown { event, reason: Some(_), data } if event == "tool_call" && data.starts_with("{\"id\""))
        );
        assert_eq!(
            out[1],
            Unknown {
                event: id("plan"),
                data: id("step 1"),
                reason: None
            }
        );
        assert!(matches!(
            &out[2],
            Unknown {
                reason: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn done_parses_figures_and_keeps_raw_data() {
        let data = r#"{"rateLimitUsage":{"maxRequests":200,"remainingRequests":193},"monthlyQuotaUsage":{"monthlyLimit":50,"remainingQuota":49,"month":"2025-09","remainingTimeMs":1}}"#;
        let mut decoder = StreamDecoder::new();
        let mut out = Vec::new();
        decoder.decode("done", data.to_string(), &mut out);
        assert!(decoder.saw_done());
        let Done {
            rate_limit_usage,
            monthly_quota_usage,
            data: raw,
        } = &out[0]
        else {
            panic!("not done: {out:?}");
        };
        assert_eq!(
            rate_limit_usage.as_ref().unwrap().remaining_requests,
            Some(193.0)
        );
        assert_eq!(
            monthly_quota_usage.as_ref().unwrap().month.as_deref(),
            Some("2025-09")
        );
        assert_eq!(raw, data);

        let mut out = Vec::new();
        StreamDecoder::new().decode("done", "not json".into(), &mut out);
        assert_eq!(
            out[0],
            Done {
                rate_limit_usage: None,
                monthly_quota_usage: None,
                data: id("not json")
            }
        );
    }

    #[test]
    fn invocation_id_accepts_plain_or_json() {
        assert_eq!(invocation_id("inv_1"), "inv_1");
        assert_eq!(invocation_id("\"inv_2\""), "inv_2");
        assert_eq!(
            invocation_id(r#"{"invocationIdentifier":"inv_3"}"#),
            "inv_3"
        );
    }

    #[test]
    fn empty_answer_chunks_are_skipped_and_text_is_exact() {
        let out = run(&[("execution", ""), ("execution", " a\n b ")]);
        assert_eq!(
            out,
            vec![AnswerDelta {
                delta: id(" a\n b ")
            }]
        );
    }
}
