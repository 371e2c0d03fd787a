//! A running invocation: reads the response (SSE, or polling after a 202) and yields typed events.

use std::collections::VecDeque;
use std::time::Instant;

use futures_util::StreamExt;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::decoder::StreamDecoder;
use super::event::InvokeEvent;
use super::sse::{self, Frames};
use crate::client::{segment, PortClient};
use crate::error::{ErrorCode, PortError, Result};
use crate::error_body::RateLimitHeaders;

enum Source {
    Sse(Box<Frames<reqwest::Error>>),
    Poll(PollState),
    Finished,
}

struct PollState {
    client: PortClient,
    id: String,
    started: Instant,
}

/// The events of one invocation. Call [`InvocationStream::next_event`] until it returns `None`.
///
/// The last item is either `Ok(Done)` followed by `None`, or one `Err` (interrupted, cancelled,
/// failed) followed by `None`. Cancelling the token stops the HTTP read at once: the response body
/// is dropped, which closes the connection.
pub struct InvocationStream {
    source: Source,
    decoder: StreamDecoder,
    pending: VecDeque<InvokeEvent>,
    scratch: Vec<InvokeEvent>,
    cancel: CancellationToken,
    trace_id: Option<String>,
    rate_limit: RateLimitHeaders,
}

impl std::fmt::Debug for InvocationStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InvocationStream")
            .field("trace_id", &self.trace_id)
            .finish_non_exhaustive()
    }
}

impl InvocationStream {
    pub(crate) fn from_sse(response: reqwest::Response, cancel: CancellationToken) -> Self {
        let trace_id = crate::error_body::trace_id(response.headers());
        let rate_limit = RateLimitHeaders::from_headers(response.headers());
        let frames = sse::frames(Box::pin(response.bytes_stream()));
        Self::with_source(Source::Sse(Box::new(frames)), cancel, trace_id, rate_limit)
    }

    pub(crate) fn from_accepted(
        client: PortClient,
        id: String,
        cancel: CancellationToken,
        trace_id: Option<String>,
    ) -> Self {
        let mut stream = Self::with_source(
            Source::Poll(PollState {
                client,
                id: id.clone(),
                started: Instant::now(),
            }),
            cancel,
            trace_id,
            RateLimitHeaders::default(),
        );
        stream.pending.push_back(InvokeEvent::InvocationId { id });
        stream
    }

    fn with_source(
        source: Source,
        cancel: CancellationToken,
        trace_id: Option<String>,
        rate_limit: RateLimitHeaders,
    ) -> Self {
        Self {
            source,
            decoder: StreamDecoder::new(),
            pending: VecDeque::new(),
            scratch: Vec::new(),
            cancel,
            trace_id,
            rate_limit,
        }
    }

    /// Port's `X-Trace-Id` for the invocation request.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    /// The `x-ratelimit-*` headers of the invocation response, when Port sent them.
    pub fn rate_limit_headers(&self) -> &RateLimitHeaders {
        &self.rate_limit
    }

    /// The next event, or the terminal error, or `None` once the stream has ended.
    pub async fn next_event(&mut self) -> Option<Result<InvokeEvent>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(Ok(event));
            }
            if matches!(self.source, Source::Finished) {
                return None;
            }
            if self.cancel.is_cancelled() {
                return Some(Err(self.finish(PortError::cancelled())));
            }
            let step = match &mut self.source {
                Source::Sse(frames) => {
                    let cancel = self.cancel.clone();
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => Step::Cancelled,
                        item = frames.next() => Step::Frame(item),
                    }
                }
                Source::Poll(state) => poll_once(state, &self.cancel).await,
                Source::Finished => return None,
            };
            match step {
                Step::Cancelled => return Some(Err(self.finish(PortError::cancelled()))),
                Step::Frame(Some(Ok(frame))) => {
                    self.decoder
                        .decode(&frame.event, &frame.data, &mut self.scratch);
                    self.pending.extend(self.scratch.drain(..));
                    if self.decoder.saw_done() {
                        // Nothing after `done` matters; dropping the body frees the connection.
                        self.source = Source::Finished;
                    }
                }
                Step::Frame(Some(Err(err))) => {
                    let message = sse::describe(&err);
                    let code = match err {
                        eventsource_stream::EventStreamError::Transport(_) => {
                            ErrorCode::StreamInterrupted
                        }
                        _ => ErrorCode::InvalidResponse,
                    };
                    return Some(Err(self.finish(PortError::new(code, message))));
                }
                Step::Frame(None) => {
                    let err = PortError::stream_interrupted(
                        "the stream ended before Port said it was done; the answer may be incomplete",
                    );
                    return Some(Err(self.finish(err)));
                }
                Step::Events(events) => {
                    self.pending.extend(events);
                    if self
                        .pending
                        .iter()
                        .any(|e| matches!(e, InvokeEvent::Done { .. }))
                    {
                        self.source = Source::Finished;
                    }
                }
                Step::Failed(err) => return Some(Err(self.finish(err))),
            }
        }
    }

    fn finish(&mut self, err: PortError) -> PortError {
        self.source = Source::Finished;
        self.pending.clear();
        err.with_trace_id(self.trace_id.clone())
    }

    /// Adapts this into a `futures` stream, for callers that compose streams.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<InvokeEvent>> + Send {
        futures_util::stream::unfold(self, |mut s| async move {
            s.next_event().await.map(|item| (item, s))
        })
    }
}

enum Step {
    Cancelled,
    Frame(
        Option<
            std::result::Result<
                eventsource_stream::Event,
                eventsource_stream::EventStreamError<reqwest::Error>,
            >,
        >,
    ),
    Events(Vec<InvokeEvent>),
    Failed(PortError),
}

#[derive(Deserialize)]
struct InvocationResultBody {
    result: InvocationResult,
}

#[derive(Deserialize)]
struct InvocationResult {
    status: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// One poll of `GET /v1/ai/invoke/{id}`, after waiting the polling interval.
async fn poll_once(state: &mut PollState, cancel: &CancellationToken) -> Step {
    let options = state.client.options().clone();
    if state.started.elapsed() > options.poll_timeout {
        return Step::Failed(PortError::new(
            ErrorCode::ServerError,
            format!(
                "invocation {} was still in progress after {} s",
                state.id,
                options.poll_timeout.as_secs()
            ),
        ));
    }
    tokio::select! {
        biased;
        _ = cancel.cancelled() => return Step::Cancelled,
        _ = tokio::time::sleep(options.poll_interval) => {}
    }
    let path = format!("/v1/ai/invoke/{}", segment(&state.id));
    let fetched = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Step::Cancelled,
        r = state.client.get::<InvocationResultBody>(&path) => r,
    };
    let result = match fetched {
        Ok(body) => body.result,
        Err(err) => return Step::Failed(err),
    };
    match result.status.as_str() {
        "In Progress" => Step::Events(Vec::new()),
        "Completed" => {
            let mut events = Vec::new();
            if let Some(answer) = result.message.filter(|m| !m.is_empty()) {
                events.push(InvokeEvent::AnswerDelta { delta: answer });
            }
            events.push(InvokeEvent::Done {
                rate_limit_usage: None,
                monthly_quota_usage: None,
                data: String::new(),
            });
            Step::Events(events)
        }
        "Failed" => {
            let reason = result
                .message
                .or(result.error.clone())
                .unwrap_or_else(|| "no reason given".to_string());
            let mut err = PortError::new(
                ErrorCode::ServerError,
                format!("the invocation failed: {reason}"),
            );
            err.port_error = result.error;
            Step::Failed(err)
        }
        other => Step::Failed(PortError::invalid_response(format!(
            "unknown invocation status {other:?}"
        ))),
    }
}
