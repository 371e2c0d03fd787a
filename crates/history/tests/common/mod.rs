//! Helpers shared by the history's integration tests: a store in a temporary directory and a
//! recorded invocation from a list of events.

#![allow(dead_code)]

use history::{Begun, HistoryStore, NewInvocation, Outcome, Source};
use port_api::{InvokeEvent, InvokeRequest, PortError};

pub struct TempStore {
    pub dir: tempfile::TempDir,
    pub store: HistoryStore,
}

pub fn temp_store() -> TempStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = HistoryStore::open_in(dir.path()).expect("open history");
    TempStore { dir, store }
}

pub fn tool_events(call: &str, name: &str, args: &str, result: &str) -> Vec<InvokeEvent> {
    vec![
        InvokeEvent::ToolCallStarted {
            id: call.into(),
            name: Some(name.into()),
        },
        InvokeEvent::ToolCallArgumentsDelta {
            id: call.into(),
            delta: args.into(),
        },
        InvokeEvent::ToolCallComplete { id: call.into() },
        InvokeEvent::ToolResultDelta {
            id: call.into(),
            delta: result.into(),
        },
        InvokeEvent::ToolResultComplete { id: call.into() },
    ]
}

pub fn done() -> InvokeEvent {
    InvokeEvent::Done {
        rate_limit_usage: None,
        monthly_quota_usage: None,
        data: "{}".into(),
    }
}

/// Records one invocation start to finish and waits until it is committed.
pub fn record(
    store: &HistoryStore,
    request: &InvokeRequest,
    conversation: Option<String>,
    events: &[InvokeEvent],
    error: Option<PortError>,
) -> Begun {
    let recorder = store.recorder();
    let begun = recorder
        .begin(NewInvocation::from_request(request, Source::App).in_conversation(conversation))
        .expect("begin");
    for event in events {
        recorder.append(&begun.id, event).expect("append");
    }
    recorder
        .finish(
            &begun.id,
            Outcome::from_error(error, Some("trace-1".into())),
        )
        .expect("finish");
    recorder.flush().expect("flush");
    begun
}

pub fn answer(text: &str) -> InvokeEvent {
    InvokeEvent::AnswerDelta { delta: text.into() }
}

pub fn port_id(id: &str) -> InvokeEvent {
    InvokeEvent::InvocationId { id: id.into() }
}
