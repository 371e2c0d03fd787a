//! Folds an invocation's events into what the history shows at a glance: the answer, the tool
//! calls with their timings, Port's id and the quota figures. The folding itself is port-api's
//! [`Transcript`]; this adds when each part arrived.

use std::collections::HashMap;

use port_api::{InvokeEvent, Transcript};
use serde_json::{json, Value};

use crate::model::ToolCall;

/// Tool results past this many bytes are not indexed for search (they are stored whole).
pub(crate) const INDEXED_RESULT_BYTES: usize = 256 * 1024;

#[derive(Default, Clone, Copy)]
struct CallTimes {
    started: Option<i64>,
    arguments_done: Option<i64>,
    result_started: Option<i64>,
    finished: Option<i64>,
}

#[derive(Default)]
pub(crate) struct Assembler {
    transcript: Transcript,
    times: HashMap<String, CallTimes>,
    first_token_at: Option<i64>,
    last_at: Option<i64>,
    quota: Option<Value>,
    pub events: i64,
}

/// The stable `type` tag of an event, as serde writes it.
pub(crate) fn kind_of(event: &InvokeEvent) -> &'static str {
    match event {
        InvokeEvent::InvocationId { .. } => "invocation_id",
        InvokeEvent::ToolCallStarted { .. } => "tool_call_started",
        InvokeEvent::ToolCallArgumentsDelta { .. } => "tool_call_arguments_delta",
        InvokeEvent::ToolCallComplete { .. } => "tool_call_complete",
        InvokeEvent::ToolResultDelta { .. } => "tool_result_delta",
        InvokeEvent::ToolResultComplete { .. } => "tool_result_complete",
        InvokeEvent::AnswerDelta { .. } => "answer_delta",
        InvokeEvent::Done { .. } => "done",
        InvokeEvent::Unknown { .. } => "unknown",
    }
}

impl Assembler {
    fn times_of(&mut self, id: &str) -> &mut CallTimes {
        // Looked up first: most events belong to a call already seen, and a key costs an
        // allocation.
        if !self.times.contains_key(id) {
            self.times.insert(id.to_string(), CallTimes::default());
        }
        self.times.get_mut(id).expect("inserted above")
    }

    pub fn apply(&mut self, at: i64, event: &InvokeEvent) {
        self.events += 1;
        self.last_at = Some(at);
        self.transcript.apply(event);
        match event {
            InvokeEvent::ToolCallStarted { id, .. }
            | InvokeEvent::ToolCallArgumentsDelta { id, .. } => {
                self.times_of(id).started.get_or_insert(at);
            }
            InvokeEvent::ToolCallComplete { id } => {
                let t = self.times_of(id);
                t.started.get_or_insert(at);
                t.arguments_done.get_or_insert(at);
            }
            InvokeEvent::ToolResultDelta { id, .. } => {
                let t = self.times_of(id);
                t.started.get_or_insert(at);
                t.result_started.get_or_insert(at);
            }
            InvokeEvent::ToolResultComplete { id } => {
                let t = self.times_of(id);
                t.started.get_or_insert(at);
                t.finished.get_or_insert(at);
            }
            InvokeEvent::AnswerDelta { delta } => {
                if !delta.is_empty() {
                    self.first_token_at.get_or_insert(at);
                }
            }
            InvokeEvent::Done {
                rate_limit_usage,
                monthly_quota_usage,
                ..
            } => {
                if rate_limit_usage.is_some() || monthly_quota_usage.is_some() {
                    self.quota = Some(json!({
                        "rateLimitUsage": rate_limit_usage,
                        "monthlyQuotaUsage": monthly_quota_usage,
                    }));
                }
            }
            InvokeEvent::InvocationId { .. } | InvokeEvent::Unknown { .. } => {}
        }
    }

    pub fn answer(&self) -> &str {
        &self.transcript.answer
    }

    pub fn port_invocation_id(&self) -> Option<&str> {
        self.transcript.invocation_id.as_deref()
    }

    pub fn first_token_at(&self) -> Option<i64> {
        self.first_token_at
    }

    pub fn last_at(&self) -> Option<i64> {
        self.last_at
    }

    pub fn quota(&self) -> Option<&Value> {
        self.quota.as_ref()
    }

    pub fn tool_calls(&self) -> Vec<ToolCall> {
        self.transcript
            .tool_calls
            .iter()
            .map(|call| {
                let t = self.times.get(&call.id).copied().unwrap_or_default();
                ToolCall {
                    call_id: call.id.clone(),
                    name: call.name.clone(),
                    arguments: call.arguments.clone(),
                    result: call.result.clone(),
                    started_at: t.started,
                    arguments_done_at: t.arguments_done,
                    result_started_at: t.result_started,
                    finished_at: t.finished,
                    arguments_complete: call.arguments_complete,
                    result_complete: call.result_complete,
                }
            })
            .collect()
    }
}

/// The text the search index holds for an invocation's tool calls: names, arguments, results.
pub(crate) fn tools_text(calls: &[ToolCall]) -> String {
    let mut text = String::new();
    for call in calls {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(call.name.as_deref().unwrap_or(""));
        text.push('\n');
        text.push_str(&call.arguments);
        text.push('\n');
        if let Some(result) = &call.result {
            text.push_str(truncate_bytes(result, INDEXED_RESULT_BYTES));
        }
    }
    text
}

fn truncate_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_each_part_of_a_tool_call_and_the_first_token() {
        let mut a = Assembler::default();
        let events = [
            (10, InvokeEvent::InvocationId { id: "p1".into() }),
            (
                20,
                InvokeEvent::ToolCallStarted {
                    id: "c".into(),
                    name: Some("list_entities".into()),
                },
            ),
            (
                25,
                InvokeEvent::ToolCallArgumentsDelta {
                    id: "c".into(),
                    delta: "{}".into(),
                },
            ),
            (30, InvokeEvent::ToolCallComplete { id: "c".into() }),
            (
                40,
                InvokeEvent::ToolResultDelta {
                    id: "c".into(),
                    delta: "[1]".into(),
                },
            ),
            (55, InvokeEvent::ToolResultComplete { id: "c".into() }),
            (60, InvokeEvent::AnswerDelta { delta: "".into() }),
            (70, InvokeEvent::AnswerDelta { delta: "Hi".into() }),
        ];
        for (at, e) in &events {
            a.apply(*at, e);
        }
        let calls = a.tool_calls();
        assert_eq!(calls.len(), 1);
        let c = &calls[0];
        assert_eq!(
            (
                c.started_at,
                c.arguments_done_at,
                c.result_started_at,
                c.finished_at
            ),
            (Some(20), Some(30), Some(40), Some(55))
        );
        assert_eq!(c.duration_ms(), Some(35));
        assert!(c.arguments_complete && c.result_complete);
        assert_eq!(
            a.first_token_at(),
            Some(70),
            "an empty delta is not a token"
        );
        assert_eq!(a.port_invocation_id(), Some("p1"));
        assert_eq!(a.answer(), "Hi");
        assert_eq!(a.events, 8);
        assert_eq!(tools_text(&calls), "list_entities\n{}\n[1]");
    }

    #[test]
    fn kinds_match_the_serde_tags() {
        let e = InvokeEvent::Unknown {
            event: "plan".into(),
            data: "x".into(),
            reason: None,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["type"], kind_of(&e));
        let d = InvokeEvent::ToolResultComplete { id: "a".into() };
        assert_eq!(serde_json::to_value(&d).unwrap()["type"], kind_of(&d));
    }

    #[test]
    fn truncates_on_a_char_boundary() {
        assert_eq!(truncate_bytes("héllo", 2), "h");
        assert_eq!(truncate_bytes("abc", 10), "abc");
    }
}
