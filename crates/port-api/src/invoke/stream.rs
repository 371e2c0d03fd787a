//! A running invocation: reads the response (SSE, or polling after a 202) and yields typed events.

use std::collections::VecDeque;
use std::time::Instant;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::event::InvokeEvent;
use super::sse::ByteDecoder;
use crate::client::{segment, PortClient};
use crate::error::{ErrorCode, PortError, Result};
use crate::error_body::RateLimitHeaders;

type Body = std::pin::Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

enum Source {
    Sse(Body),
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
    decoder: ByteDecoder,
    pending: VecDeque<InvokeEvent>,
    scratch: Vec<InvokeEvent>,
    /// A terminal error that waits until the events decoded before it have been yielded.
    deferred: Option<PortError>,
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
        let body: Body = Box::pin(response.bytes_stream());
        Self::with_source(Source::Sse(body), cancel, trace_id, rate_limit)
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
            decoder: ByteDecoder::new(),
            pending: VecDeque::new(),
            scratch: Vec::new(),
            deferred: None,
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

    /// Whether the next call to [`InvocationStream::next_event`] answers without waiting for the
    /// network: events from the last read are still queued. Lets a consumer batch its output
    /// (one terminal write per network read instead of one per event).
    pub fn has_buffered_events(&self) -> bool {
        !self.pending.is_empty() || self.deferred.is_some()
    }

    /// The next event, or the terminal error, or `None` once the stream has ended.
    pub async fn next_event(&mut self) -> Option<Result<InvokeEvent>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(Ok(event));
            }
            if let Some(err) = self.deferred.take() {
                return Some(Err(err));
            }
            if matches!(self.source, Source::Finished) {
                return None;
            }
            if self.cancel.is_cancelled() {
                return Some(Err(self.finish(PortError::cancelled())));
            }
            let step = match &mut self.source {
                Source::Sse(body) => {
                    let cancel = self.cancel.clone();
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => Step::Cancelled,
                        item = body.next() => Step::Bytes(item),
                    }
                }
                Source::Poll(state) => poll_once(state, &self.cancel).await,
                Source::Finished => return None,
            };
            match step {
                Step::Cancelled => return Some(Err(self.finish(PortError::cancelled()))),
                Step::Bytes(Some(Ok(chunk))) => {
                    let fed = self.decoder.feed(&chunk, &mut self.scratch);
                    self.pending.extend(self.scratch.drain(..));
                    if let Err(err) = fed {
                        self.defer(err);
                    }
                    if self.decoder.saw_done() {
                        // Nothing after `done` matters; dropping the body frees the connection.
                        self.source = Source::Finished;
                    }
                }
                Step::Bytes(Some(Err(err))) => {
                    let err = PortError::stream_interrupted(format!(
                        "the connection dropped mid-stream: {err}"
                    ));
                    self.defer(err);
                }
                Step::Bytes(None) => {
                    let ended = self.decoder.finish(&mut self.scratch);
                    self.pending.extend(self.scratch.drain(..));
                    match ended {
                        Ok(()) => self.source = Source::Finished,
                        Err(err) => self.defer(err),
                    }
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

    /// Ends the stream with `err`, after the events already decoded have been yielded.
    fn defer(&mut self, err: PortError) {
        self.source = Source::Finished;
        self.deferred = Some(err.with_trace_id(self.trace_id.clone()));
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
    Bytes(Option<reqwest::Result<Bytes>>),
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
