//! Recording the app's invocations in the local history as they stream: the same (coalesced)
//! events the UI gets, handed to the history's writer thread, which batches them. A channel send
//! per event, so the stream never waits on the disk.
//!
//! A history problem never stops a run: it is logged, and the run streams on unrecorded. A run
//! whose task dies without ending (a panic) is ended by `Drop`, as interrupted, so nothing stays
//! `streaming` in the history.

use history::{HistoryStatus, HistoryStore, NewInvocation, Outcome, Recorder, Source};
use port_api::{InvokeEvent, InvokeRequest, PortError};
use tauri::AppHandle;
use tauri_specta::Event;

use crate::events::HistoryChanged;

/// The profile name of invocations made in the demo workspace.
pub const DEMO_PROFILE: &str = "demo";

pub struct RunRecording {
    recorder: Recorder,
    id: String,
    app: Option<AppHandle>,
    finished: bool,
}

impl RunRecording {
    /// Creates the invocation's row before anything is sent. `None` when the history is
    /// unavailable (the run goes on without it).
    pub async fn begin(
        store: Option<HistoryStore>,
        app: Option<AppHandle>,
        invocation: NewInvocation,
    ) -> Option<Self> {
        let recorder = store?.recorder();
        match recorder.begin_async(invocation).await {
            Ok(begun) => {
                if let Some(app) = &app {
                    announce(app, &begun.id);
                }
                Some(Self {
                    recorder,
                    id: begun.id,
                    app,
                    finished: false,
                })
            }
            Err(err) => {
                eprintln!("Portdesk: this invocation is not recorded in the history: {err}");
                None
            }
        }
    }

    /// What the app records about a request it is about to send.
    pub fn invocation(
        request: &InvokeRequest,
        conversation_id: Option<String>,
        profile: Option<String>,
    ) -> NewInvocation {
        NewInvocation::from_request(request, Source::App)
            .in_conversation(conversation_id)
            .with_profile(profile)
    }

    #[cfg(test)]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Queues one event; never blocks.
    pub fn event(&self, event: &InvokeEvent) {
        if let Err(err) = self.recorder.append(&self.id, event) {
            eprintln!("Portdesk: an event was not recorded in the history: {err}");
        }
    }

    /// Ends the invocation with the run's outcome and waits until the history has it, so a list
    /// read after `HistoryChanged` sees the final status.
    pub async fn finish(mut self, error: Option<&PortError>) {
        self.finished = true;
        let outcome = Outcome::from_error(error.cloned(), None);
        self.end(outcome);
        if let Err(err) = self.recorder.flush_async().await {
            eprintln!("Portdesk: the history did not confirm the invocation's end: {err}");
        }
        if let Some(app) = &self.app {
            announce(app, &self.id);
        }
    }

    fn end(&self, outcome: Outcome) {
        if let Err(err) = self.recorder.finish(&self.id, outcome) {
            eprintln!("Portdesk: the invocation's end was not recorded in the history: {err}");
        }
    }
}

impl Drop for RunRecording {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // The run's task ended without `finish`: it panicked or was dropped mid-stream.
        self.end(Outcome {
            status: HistoryStatus::Interrupted,
            error: Some(PortError::new(
                port_api::ErrorCode::StreamInterrupted,
                "the run stopped unexpectedly inside Portdesk; what arrived before is kept",
            )),
            trace_id: None,
        });
        if let Some(app) = &self.app {
            announce(app, &self.id);
        }
    }
}

fn announce(app: &AppHandle, id: &str) {
    let _ = HistoryChanged {
        invocation_id: Some(id.to_string()),
    }
    .emit(app);
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use history::HistoryFilter;
    use port_api::{ApiBase, Credentials, PortClient, Transcript};
    use port_mock::{MockConfig, MockServer};

    use super::*;
    use crate::commands::invoke::pump;

    async fn demo() -> (MockServer, PortClient) {
        let server = MockServer::start(MockConfig::default()).await.unwrap();
        let client = PortClient::new(
            ApiBase::custom(&server.base_url()).unwrap(),
            Credentials::access_token("t"),
        )
        .unwrap();
        (server, client)
    }

    fn store() -> (tempfile::TempDir, HistoryStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = HistoryStore::open_in(dir.path()).unwrap();
        (dir, store)
    }

    async fn begin(store: &HistoryStore, request: &InvokeRequest) -> RunRecording {
        let invocation =
            RunRecording::invocation(request, Some("conv-1".into()), Some("demo".into()));
        RunRecording::begin(Some(store.clone()), None, invocation)
            .await
            .expect("recording")
    }

    /// The events the UI got are the events the history has, in order, and the run's end is
    /// recorded with them.
    #[tokio::test]
    async fn a_streamed_run_is_recorded_as_the_ui_saw_it() {
        let (_server, client) = demo().await;
        let (_dir, store) = store();
        let request = InvokeRequest::general("What services do we have?");
        let recording = begin(&store, &request).await;
        let id = recording.id().to_string();
        // The row exists before anything is sent.
        assert_eq!(store.show(&id).unwrap().status, HistoryStatus::Streaming);

        let mut sent = Vec::new();
        let result = pump(
            &client,
            &request,
            port_api::CancellationToken::new(),
            |event| {
                recording.event(&event);
                sent.push(event);
            },
        )
        .await;
        recording.finish(result.as_ref().err()).await;

        let detail = store.show(&id).unwrap();
        assert_eq!(detail.status, HistoryStatus::Completed);
        assert_eq!(detail.conversation_id.as_deref(), Some("conv-1"));
        assert_eq!(detail.profile.as_deref(), Some("demo"));
        let recorded: Vec<InvokeEvent> = detail.events.iter().filter_map(|e| e.event()).collect();
        assert_eq!(recorded, sent);
        let mut transcript = Transcript::new();
        for event in &sent {
            transcript.apply(event);
        }
        assert_eq!(detail.answer, transcript.answer);
        assert!(!detail.tool_calls.is_empty(), "tool calls are assembled");
        let listed = store
            .list(&HistoryFilter::default(), &history::PageRequest::first(10))
            .unwrap();
        assert_eq!(listed.items.len(), 1);
    }

    /// A run's task that dies mid-stream leaves no invocation `streaming`: it ends interrupted,
    /// with what arrived kept.
    #[tokio::test]
    async fn a_run_whose_task_panics_is_recorded_as_interrupted() {
        let (_dir, store) = store();
        let request = InvokeRequest::general("hello");
        let task_store = store.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let recording = begin(&task_store, &request).await;
            let _ = tx.send(recording.id().to_string());
            recording.event(&InvokeEvent::AnswerDelta {
                delta: "partial answer".into(),
            });
            panic!("a bug in the stream task");
        });
        assert!(task.await.unwrap_err().is_panic());
        let id = rx.await.unwrap();
        store.recorder().flush().unwrap();
        let detail = store.show(&id).unwrap();
        assert_eq!(detail.status, HistoryStatus::Interrupted);
        assert_eq!(detail.answer, "partial answer");
        let error = detail.error.expect("an error is kept");
        assert_eq!(error.code, "stream_interrupted");
    }

    #[tokio::test]
    async fn a_cancelled_run_is_recorded_as_cancelled() {
        let (server, client) = demo().await;
        server.set_event_delay(Duration::from_millis(30));
        let (_dir, store) = store();
        let request = InvokeRequest::general("[slow] list services");
        let recording = begin(&store, &request).await;
        let id = recording.id().to_string();
        let token = port_api::CancellationToken::new();
        let canceller = {
            let token = token.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                token.cancel();
            }
        };
        let (result, ()) = tokio::join!(
            pump(&client, &request, token.clone(), |e| recording.event(&e)),
            canceller
        );
        recording.finish(result.as_ref().err()).await;
        assert_eq!(store.show(&id).unwrap().status, HistoryStatus::Cancelled);
    }
}
