//! The assembled state of an invocation, built by folding its events: the answer so far, each tool
//! call with its arguments and result, the quota figures and anything unknown.
//!
//! The CLI's result record, the history and the property tests all assemble through this one type.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::event::InvokeEvent;
use crate::error::{ErrorCode, PortError};

/// How an invocation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum InvocationStatus {
    /// `done` arrived.
    Completed,
    /// Port refused or failed the invocation, or its answer could not be read.
    Failed,
    /// The stream ended or dropped before `done`: what arrived is kept, but may be incomplete.
    Interrupted,
    /// The user stopped it.
    Cancelled,
}

impl InvocationStatus {
    /// The status of an invocation that ended with `error`, or completed when there was none.
    pub fn from_outcome(error: Option<&PortError>) -> Self {
        match error.map(|e| e.code) {
            None => Self::Completed,
            Some(ErrorCode::Cancelled) => Self::Cancelled,
            Some(ErrorCode::StreamInterrupted) => Self::Interrupted,
            Some(_) => Self::Failed,
        }
    }
}

/// A tool call as assembled from its chunks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCallRecord {
    pub id: String,
    pub name: Option<String>,
    /// The argument chunks concatenated exactly (a JSON string when complete).
    pub arguments: String,
    /// The result chunks concatenated exactly; `None` when no result came.
    pub result: Option<String>,
    #[serde(skip)]
    pub arguments_complete: bool,
    #[serde(skip)]
    pub result_complete: bool,
}

impl ToolCallRecord {
    /// Complete when its arguments were, and its result too if one began. A call cut off by the
    /// end of the stream stays incomplete.
    pub fn complete(&self) -> bool {
        self.arguments_complete && (self.result.is_none() || self.result_complete)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownEventRecord {
    pub event: String,
    pub data: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    pub invocation_id: Option<String>,
    pub answer: String,
    pub tool_calls: Vec<ToolCallRecord>,
    index: HashMap<String, usize>,
    /// The `done` data as received, when it was JSON.
    pub done: Option<Value>,
    pub saw_done: bool,
    pub unknown_events: Vec<UnknownEventRecord>,
}

impl Transcript {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn apply(&mut self, event: &InvokeEvent) {
        match event {
            InvokeEvent::InvocationId { id } => self.invocation_id = Some(id.clone()),
            InvokeEvent::ToolCallStarted { id, name } => {
                let call = self.call(id);
                if call.name.is_none() {
                    call.name = name.clone();
                }
            }
            InvokeEvent::ToolCallArgumentsDelta { id, delta } => {
                self.call(id).arguments.push_str(delta)
            }
            InvokeEvent::ToolCallComplete { id } => self.call(id).arguments_complete = true,
            InvokeEvent::ToolResultDelta { id, delta } => self
                .call(id)
                .result
                .get_or_insert_with(String::new)
                .push_str(delta),
            InvokeEvent::ToolResultComplete { id } => self.call(id).result_complete = true,
            InvokeEvent::AnswerDelta { delta } => self.answer.push_str(delta),
            InvokeEvent::Done { data, .. } => {
                self.saw_done = true;
                self.done = serde_json::from_str(data).ok();
            }
            InvokeEvent::Unknown { event, data, .. } => {
                self.unknown_events.push(UnknownEventRecord {
                    event: event.clone(),
                    data: data.clone(),
                })
            }
        }
    }

    fn call(&mut self, id: &str) -> &mut ToolCallRecord {
        let next = self.tool_calls.len();
        let slot = *self.index.entry(id.to_string()).or_insert(next);
        if slot == next {
            self.tool_calls.push(ToolCallRecord {
                id: id.to_string(),
                name: None,
                arguments: String::new(),
                result: None,
                arguments_complete: false,
                result_complete: false,
            });
        }
        &mut self.tool_calls[slot]
    }

    /// A figure block of the `done` data (`rateLimitUsage`, `monthlyQuotaUsage`), as received.
    pub fn done_field(&self, name: &str) -> Option<&Value> {
        self.done.as_ref().and_then(|d| d.get(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assembles_interleaved_calls_in_first_appearance_order() {
        let mut t = Transcript::new();
        let events = [
            InvokeEvent::ToolCallStarted {
                id: "b".into(),
                name: Some("second".into()),
            },
            InvokeEvent::ToolCallStarted {
                id: "a".into(),
                name: Some("first".into()),
            },
            InvokeEvent::ToolCallArgumentsDelta {
                id: "a".into(),
                delta: "{\"x\"".into(),
            },
            InvokeEvent::ToolCallArgumentsDelta {
                id: "b".into(),
                delta: "{}".into(),
            },
            InvokeEvent::ToolCallArgumentsDelta {
                id: "a".into(),
                delta: ":1}".into(),
            },
            InvokeEvent::ToolCallComplete { id: "a".into() },
            InvokeEvent::ToolResultDelta {
                id: "a".into(),
                delta: "".into(),
            },
            InvokeEvent::AnswerDelta {
                delta: "Hi ".into(),
            },
            InvokeEvent::AnswerDelta {
                delta: "there".into(),
            },
        ];
        for e in &events {
            t.apply(e);
        }
        assert_eq!(t.tool_calls[0].id, "b");
        assert_eq!(t.tool_calls[1].arguments, "{\"x\":1}");
        assert_eq!(t.tool_calls[1].result.as_deref(), Some(""));
        assert!(
            !t.tool_calls[1].complete(),
            "result began but never completed"
        );
        assert!(!t.tool_calls[0].complete());
        assert_eq!(t.answer, "Hi there");
        assert!(!t.saw_done);
    }
}
