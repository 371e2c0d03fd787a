//! Stream oddities clients must survive: data that should be JSON and is not, and event names
//! older Port servers sent (`agentSelection`, `plan`, `checkIfActionRequested`).

use std::collections::VecDeque;

use crate::sse::{EventIter, SseEvent};

const MALFORMED_TOOL_CALL: &str = r#"{"id": "call_9", "name": "list_ent"#;
const MALFORMED_DONE: &str = r#"{"rateLimitUsage": {"maxRequests": 200, "remainingRequ"#;
const AGENT_SELECTION: &str =
    r#"{"agent":"service_explorer","reason":"The question is about services and their owners."}"#;
const PLAN: &str = "1. Look up the services involved\n2. Check their owners and health\n3. Answer";
const CHECK_ACTION: &str = r#"{"actionRequested":false}"#;

/// Wraps a stream lazily; with both flags off it is returned unchanged.
pub(crate) fn decorate(events: EventIter, malformed: bool, unknown: bool) -> EventIter {
    if !malformed && !unknown {
        return events;
    }
    Box::new(Decorated {
        inner: events,
        malformed,
        unknown,
        planned: false,
        pending: VecDeque::new(),
    })
}

struct Decorated {
    inner: EventIter,
    malformed: bool,
    unknown: bool,
    /// Whether the old-style plan went out (before the first answer chunk).
    planned: bool,
    pending: VecDeque<SseEvent>,
}

impl Iterator for Decorated {
    type Item = SseEvent;

    fn next(&mut self) -> Option<SseEvent> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let mut event = self.inner.next()?;
        match event.name.as_ref() {
            "invocationIdentifier" => {
                if self.unknown {
                    self.pending
                        .push_back(SseEvent::new("agentSelection", AGENT_SELECTION));
                }
                if self.malformed {
                    self.pending
                        .push_back(SseEvent::new("tool_call", MALFORMED_TOOL_CALL));
                }
            }
            "execution" if self.unknown && !self.planned => {
                self.planned = true;
                self.pending
                    .push_back(SseEvent::new("checkIfActionRequested", CHECK_ACTION));
                self.pending.push_back(event);
                return Some(SseEvent::new("plan", PLAN));
            }
            "done" if self.malformed => event.data = MALFORMED_DONE.to_owned(),
            _ => {}
        }
        Some(event)
    }
}
