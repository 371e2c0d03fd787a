//! The typed, delta-based events of an invocation: what the client yields, what the desktop shell
//! forwards unchanged over IPC and what the history stores.
//!
//! Deltas, never re-sent prefixes: re-sending what came before makes a long answer quadratic.

use serde::{Deserialize, Serialize};

/// One step of an invocation, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InvokeEvent {
    /// Port's identifier for this invocation (links the local history to Port's records).
    InvocationId { id: String },
    /// A tool call appeared. `name` comes with the first chunk only, so it may be missing.
    ToolCallStarted { id: String, name: Option<String> },
    /// More of the call's arguments (a JSON string, split anywhere).
    ToolCallArgumentsDelta { id: String, delta: String },
    /// The call's arguments are complete (its last chunk, its result starting, or `done`).
    ToolCallComplete { id: String },
    /// More of the tool's result. The first delta of a call may be empty: it says a result began.
    ToolResultDelta { id: String, delta: String },
    /// The result is complete (its last chunk, or `done`).
    ToolResultComplete { id: String },
    /// More of the final answer; concatenate exactly.
    AnswerDelta { delta: String },
    /// The invocation finished. Figures are parsed when Port sent readable JSON; `data` is always
    /// the event's data exactly as received (empty when no `done` event was sent, as after a 202).
    Done {
        #[serde(rename = "rateLimitUsage")]
        rate_limit_usage: Option<RateLimitUsage>,
        #[serde(rename = "monthlyQuotaUsage")]
        monthly_quota_usage: Option<MonthlyQuotaUsage>,
        data: String,
    },
    /// An event Portdesk does not know (older servers sent `agentSelection`, `plan`, …) or a known
    /// one whose data could not be read. Kept and shown, never dropped. `reason` is set for the
    /// latter.
    Unknown {
        event: String,
        data: String,
        reason: Option<String>,
    },
}

/// The rolling rate-limit window, as reported in `done`. Numbers, because Port's figures are
/// JavaScript numbers and the docs disagree on their ranges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitUsage {
    pub max_requests: Option<f64>,
    pub remaining_requests: Option<f64>,
    pub max_tokens: Option<f64>,
    pub remaining_tokens: Option<f64>,
    pub remaining_time_ms: Option<f64>,
}

/// The monthly invocation quota, as reported in `done` and by the quota endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyQuotaUsage {
    pub monthly_limit: Option<f64>,
    pub remaining_quota: Option<f64>,
    pub month: Option<String>,
    pub remaining_time_ms: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_by_type() {
        let event = InvokeEvent::ToolCallArgumentsDelta {
            id: "call_0".into(),
            delta: "{\"a\"".into(),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["type"], "tool_call_arguments_delta");
        assert_eq!(json["id"], "call_0");
        let back: InvokeEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
    }

    #[test]
    fn done_uses_ports_field_names() {
        let event = InvokeEvent::Done {
            rate_limit_usage: Some(RateLimitUsage {
                remaining_requests: Some(3.0),
                ..Default::default()
            }),
            monthly_quota_usage: None,
            data: "{}".into(),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["rateLimitUsage"]["remainingRequests"], 3.0);
        assert!(json["monthlyQuotaUsage"].is_null());
    }
}
