//! Streaming an invocation to the UI over a `Channel`, one channel per run.

use std::time::Instant;

use port_api::{InvocationStatus, InvokeEvent, InvokeRequest, PortError, RateLimitHeaders};
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
    // The recording travels with the run: if the run's task panics, dropping it on the way out
    // marks the invocation interrupted in the history, never left streaming.
    let queue_id = run_id.clone();
    let run = async move {
        let done = std::sync::Mutex::new(None);
        let headers = std::sync::Mutex::new(RateLimitHeaders::default());
        // The limiter may hold the run in its queue (or retry a rate limit) before it is sent.
        let outcome = {
            let (client, request, recording, on_event, app_ref, token_ref, done_ref, headers_ref) = (
                &client, &request, &recording, &on_event, &app, &token, &done, &headers,
            );
            crate::limiter::gated(&app, &queue_id, &token, move || async move {
                let sent = pump(client, request, token_ref.clone(), move |event| {
                    if let Some(recording) = recording {
                        recording.event(&event);
                    }
                    if let InvokeEvent::Done {
                        monthly_quota_usage,
                        ..
                    } = &event
                    {
                        if let Some(usage) = monthly_quota_usage {
                            let _ = QuotaChanged {
                                usage: usage.clone(),
                            }
                            .emit(app_ref);
                        }
                        *done_ref.lock().unwrap_or_else(|e| e.into_inner()) = Some(event.clone());
                    }
                    if on_event.send(event).is_err() {
                        // The window that listened is gone: nobody wants the rest.
                        token_ref.cancel();
                    }
                })
                .await?;
                *headers_ref.lock().unwrap_or_else(|e| e.into_inner()) = sent;
                Ok(())
            })
            .await
        };
        let done = done.into_inner().unwrap_or_else(|e| e.into_inner());
        let headers = headers.into_inner().unwrap_or_else(|e| e.into_inner());
        crate::limiter::after_done(&app, done, &headers).await;
        (outcome, recording)
    };
    let result = run_guarded(&run_id, run).await;
    drop(guard);
    Ok(match result {
        Ok((outcome, recording)) => {
            let error = outcome.err();
            if let Some(recording) = recording {
                recording.finish(error.as_ref()).await;
            }
            RunOutcome {
                status: InvocationStatus::from_outcome(error.as_ref()),
                error: error.map(AppError::from),
            }
        }
        Err(crash) => RunOutcome {
            status: InvocationStatus::Failed,
            error: Some(crash),
        },
    })
}

/// Runs one stream on its own task, so that a panic anywhere in it (a bug on input nobody
/// foresaw) ends that run with a clear error instead of leaving its turn open forever; the app and
/// other runs go on. Relies on `panic = "unwind"`, the default, which the release profile keeps.
async fn run_guarded<T: Send + 'static>(
    run_id: &str,
    run: impl std::future::Future<Output = T> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::spawn(run).await {
        Ok(value) => Ok(value),
        Err(join) => {
            let detail = if join.is_panic() {
                panic_message(join.into_panic())
            } else {
                "the task was stopped".to_string()
            };
            // The panic message and the run id only: requests and events are not logged, and
            // secrets never reach this layer (the client holds them as `Sensitive`).
            eprintln!("portdesk: run {run_id} crashed while streaming: {detail}");
            Err(AppError::new(
                "stream_crashed",
                "Portdesk hit an internal error while reading this answer and stopped the run. \
                 Ask again; if it repeats, please report it.",
            ))
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    text.chars().take(300).collect()
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
) -> Result<RateLimitHeaders, PortError> {
    let mut stream = client.invoke(request, cancel).await?;
    // `x-ratelimit-*` of the response, for the limiter when `done` brings no window figures.
    let headers = stream.rate_limit_headers().clone();
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
    outcome.map(|()| headers)
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
        let headers = pump(&client, &request, port_api::CancellationToken::new(), |e| {
            sent.push(e)
        })
        .await
        .unwrap();
        // port-mock sends x-ratelimit-* like Port: the limiter gets them from the app too.
        assert!(headers.remaining.is_some(), "{headers:?}");
        assert!(headers.reset_epoch_secs.is_some(), "{headers:?}");
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
        let headers = pump(&client, &request, port_api::CancellationToken::new(), |e| {
            sent.push(e)
        })
        .await
        .unwrap();
        // port-mock sends x-ratelimit-* like Port: the limiter gets them from the app too.
        assert!(headers.remaining.is_some(), "{headers:?}");
        assert!(headers.reset_epoch_secs.is_some(), "{headers:?}");
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
    async fn a_panicking_run_ends_with_a_clear_error_and_the_next_run_works() {
        let (_server, client) = demo().await;
        let request = general("What services do we have?");
        let crashing = {
            let (client, request) = (client.clone(), request.clone());
            async move {
                let mut seen = 0;
                pump(
                    &client,
                    &request,
                    port_api::CancellationToken::new(),
                    |_| {
                        seen += 1;
                        assert!(seen < 3, "a bug in the consumer");
                    },
                )
                .await
            }
        };
        let err = run_guarded("r1", crashing).await.unwrap_err();
        assert_eq!(err.code, "stream_crashed");
        assert!(err.message.contains("stopped the run"), "{}", err.message);

        let healthy = async move {
            let mut t = Transcript::new();
            pump(&client, &request, port_api::CancellationToken::new(), |e| {
                t.apply(&e)
            })
            .await
            .map(|_| t)
        };
        let transcript = run_guarded("r2", healthy).await.unwrap().unwrap();
        assert!(transcript.saw_done);
        assert!(!transcript.answer.is_empty());
    }

    #[test]
    fn panic_messages_are_read_and_bounded() {
        assert_eq!(panic_message(Box::new("static")), "static");
        assert_eq!(panic_message(Box::new("x".repeat(1000))).len(), 300);
        assert_eq!(panic_message(Box::new(7u8)), "a panic without a message");
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
