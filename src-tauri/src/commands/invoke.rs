//! Streaming an invocation to the UI over a `Channel`, one channel per run.

use std::time::Instant;

use port_api::{InvocationStatus, InvokeEvent, InvokeRequest, PortError};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::bridge::Coalescer;
use crate::error::AppError;
use crate::events::QuotaChanged;
use crate::recording::RunRecording;
use crate::state::AppState;

/// How a run ended. A cancelled run is a normal ending, not an error.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RunOutcome {
    pub status: InvocationStatus,
    pub error: Option<AppError>,
}

/// Runs one invocation, sending its events on `on_event` (deltas coalesced, each message under
/// 8 KB), and resolves when it ends. `run_id` lets `cancel` stop it; several runs may stream at
/// once. The run is recorded in the local history under `conversation_id` (a new conversation
/// when `None`); Port never sees that id.
#[tauri::command]
#[specta::specta]
pub async fn invoke(
    app: AppHandle,
    state: State<'_, AppState>,
    run_id: String,
    request: InvokeRequest,
    conversation_id: Option<String>,
    on_event: Channel<InvokeEvent>,
) -> Result<RunOutcome, AppError> {
    let client = state.client()?;
    let guard = state.runs.start(&run_id)?;
    let token = guard.token.clone();
    let invocation = RunRecording::invocation(&request, conversation_id, state.history_profile());
    let recording = RunRecording::begin(state.history().ok(), Some(app.clone()), invocation).await;
    let result = pump(&client, &request, token.clone(), |event| {
        if let Some(recording) = &recording {
            recording.event(&event);
        }
        if let InvokeEvent::Done {
            monthly_quota_usage: Some(usage),
            ..
        } = &event
        {
            let _ = QuotaChanged {
                usage: usage.clone(),
            }
            .emit(&app);
        }
        if on_event.send(event).is_err() {
            // The window that listened is gone: nobody wants the rest.
            token.cancel();
        }
    })
    .await;
    drop(guard);
    let error = result.err();
    if let Some(recording) = recording {
        recording.finish(error.as_ref()).await;
    }
    Ok(RunOutcome {
        status: InvocationStatus::from_outcome(error.as_ref()),
        error: error.map(AppError::from),
    })
}

/// Stops a run; false when it is not running (it may have just ended).
#[tauri::command]
#[specta::specta]
pub fn cancel(state: State<'_, AppState>, run_id: String) -> bool {
    state.runs.cancel(&run_id)
}

/// Reads the stream and hands coalesced events to `send`, in order.
pub async fn pump(
    client: &port_api::PortClient,
    request: &InvokeRequest,
    cancel: port_api::CancellationToken,
    mut send: impl FnMut(InvokeEvent),
) -> Result<(), PortError> {
    let mut stream = client.invoke(request, cancel).await?;
    let mut coalescer = Coalescer::new();
    let mut out = Vec::new();
    let outcome = loop {
        let deadline = coalescer.deadline();
        tokio::select! {
            item = stream.next_event() => match item {
                Some(Ok(event)) => coalescer.push(event, Instant::now(), &mut out),
                Some(Err(err)) => break Err(err),
                None => break Ok(()),
            },
            _ = sleep_until(deadline), if deadline.is_some() => {
                coalescer.tick(Instant::now(), &mut out);
            }
        }
        for event in out.drain(..) {
            send(event);
        }
    };
    coalescer.flush(&mut out);
    for event in out.drain(..) {
        send(event);
    }
    outcome
}

async fn sleep_until(deadline: Option<Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use port_api::{ApiBase, Credentials, ErrorCode, PortClient, Transcript};
    use port_mock::{MockConfig, MockServer};

    use super::*;
    use crate::runs::RunRegistry;

    async fn demo() -> (MockServer, PortClient) {
        let server = MockServer::start(MockConfig::default()).await.unwrap();
        let client = PortClient::new(
            ApiBase::custom(&server.base_url()).unwrap(),
            Credentials::access_token("t"),
        )
        .unwrap();
        (server, client)
    }

    fn general(prompt: &str) -> InvokeRequest {
        InvokeRequest::general(prompt)
    }

    #[tokio::test]
    async fn long_answers_arrive_coalesced_small_and_exact() {
        let (_server, client) = demo().await;
        let request = general("[bench-answer 5000]");
        let mut direct = Transcript::new();
        let mut stream = client
            .invoke(&request, port_api::CancellationToken::new())
            .await
            .unwrap();
        let mut direct_count = 0;
        while let Some(Ok(event)) = stream.next_event().await {
            direct.apply(&event);
            direct_count += 1;
        }

        let mut sent = Vec::new();
        pump(&client, &request, port_api::CancellationToken::new(), |e| {
            sent.push(e)
        })
        .await
        .unwrap();
        let mut bridged = Transcript::new();
        for event in &sent {
            bridged.apply(event);
            let json = serde_json::to_string(event).unwrap();
            assert!(json.len() < 8 * 1024, "a message of {} bytes", json.len());
        }
        assert_eq!(bridged.answer, direct.answer);
        assert!(bridged.saw_done);
        assert!(
            sent.len() * 10 < direct_count,
            "{} messages for {direct_count} events",
            sent.len()
        );
    }

    #[tokio::test]
    async fn a_large_tool_result_is_split_under_8_kb() {
        let (_server, client) = demo().await;
        let request = general("[bench-tool-result 200000 65536]");
        let mut sent = Vec::new();
        pump(&client, &request, port_api::CancellationToken::new(), |e| {
            sent.push(e)
        })
        .await
        .unwrap();
        let mut t = Transcript::new();
        for event in &sent {
            assert!(serde_json::to_string(event).unwrap().len() < 8 * 1024);
            t.apply(event);
        }
        assert_eq!(
            t.tool_calls[0].result.as_ref().map(String::len),
            Some(200_000)
        );
        assert!(t.tool_calls[0].complete());
    }

    #[tokio::test]
    async fn one_of_two_concurrent_runs_is_cancelled_by_id() {
        let (server, client) = demo().await;
        server.set_event_delay(Duration::from_millis(30));
        let registry = RunRegistry::default();
        let slow = registry.start("slow").unwrap();
        let other = registry.start("other").unwrap();
        let slow_request = general("[slow] list services");
        let other_request = general("What services do we have?");
        let canceller = async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert!(registry.cancel("slow"));
        };
        let (slow_result, other_result, ()) = tokio::join!(
            pump(&client, &slow_request, slow.token.clone(), |_| {}),
            pump(&client, &other_request, other.token.clone(), |_| {}),
            canceller,
        );
        assert_eq!(slow_result.unwrap_err().code, ErrorCode::Cancelled);
        assert!(other_result.is_ok(), "{other_result:?}");
    }
}
