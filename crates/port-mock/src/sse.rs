//! SSE encoding and the response bodies that carry it: paced one event per frame, or, without
//! a delay, batched into frames of up to [`FRAME_BYTES`] so tens of megabytes go out quickly.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::BytesMut;
use futures_util::stream;

const FRAME_BYTES: usize = 32 * 1024;

/// Time hyper gets to flush what was written before a scripted disconnect; an error from the
/// body stream drops the connection together with anything still buffered.
const FLUSH_GRACE: Duration = Duration::from_millis(20);

pub(crate) const CONTENT_TYPE: &str = "text/event-stream; charset=utf-8";

pub(crate) struct SseEvent {
    pub(crate) name: Cow<'static, str>,
    pub(crate) data: String,
}

impl SseEvent {
    pub(crate) fn new(name: &'static str, data: impl Into<String>) -> Self {
        Self {
            name: Cow::Borrowed(name),
            data: data.into(),
        }
    }
}

pub(crate) type EventIter = Box<dyn Iterator<Item = SseEvent> + Send>;

/// Multi-line data goes out as one `data:` line per line, which clients join back with `\n`.
pub(crate) fn encode(event: &SseEvent, out: &mut BytesMut) {
    out.extend_from_slice(b"event: ");
    out.extend_from_slice(event.name.as_bytes());
    out.extend_from_slice(b"\n");
    let data: Cow<'_, str> = if event.data.contains('\r') {
        Cow::Owned(event.data.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(&event.data)
    };
    for line in data.split('\n') {
        out.extend_from_slice(b"data: ");
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\n");
    }
    out.extend_from_slice(b"\n");
}

/// Told once how a stream ended: `true` after the last event, `false` when it was cut off or
/// dropped early (the client went away).
pub(crate) struct OnEnd(Option<Box<dyn FnOnce(bool) + Send>>);

impl OnEnd {
    pub(crate) fn new(f: impl FnOnce(bool) + Send + 'static) -> Self {
        Self(Some(Box::new(f)))
    }

    fn finish(&mut self, completed: bool) {
        if let Some(f) = self.0.take() {
            f(completed);
        }
    }
}

impl Drop for OnEnd {
    fn drop(&mut self) {
        self.finish(false);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Cutting,
    Over,
}

/// How a stream's events are spread over time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Pace {
    /// This long between events (zero: as fast as the client reads, batched into frames).
    Delay(Duration),
    /// This many events a second on average, sent in whatever batches are due when the timer
    /// fires: tokio's timer resolution (1 ms) could not pace one event per frame above 1,000/s.
    Rate(u32),
}

struct Pump {
    events: EventIter,
    pace: Pace,
    /// When the first frame went out (for `Pace::Rate`).
    start: Option<tokio::time::Instant>,
    cut_after: Option<usize>,
    sent: usize,
    started: bool,
    phase: Phase,
    on_end: OnEnd,
}

type Frame = Result<Bytes, io::Error>;

async fn next_frame(mut pump: Pump) -> Option<(Frame, Pump)> {
    match pump.phase {
        Phase::Over => return None,
        Phase::Cutting => return Some(cut(pump).await),
        Phase::Running => {}
    }
    let paced = match pump.pace {
        Pace::Delay(delay) => {
            if !delay.is_zero() && pump.started {
                tokio::time::sleep(delay).await;
            }
            !delay.is_zero()
        }
        Pace::Rate(_) => false,
    };
    // With a rate, the frame carries every event due by now (at least one).
    let mut due = usize::MAX;
    if let Pace::Rate(rate) = pump.pace {
        let rate = u64::from(rate.max(1));
        let start = *pump.start.get_or_insert_with(tokio::time::Instant::now);
        let at = |n: usize| {
            start + Duration::from_nanos((n as u64).saturating_mul(1_000_000_000) / rate)
        };
        tokio::time::sleep_until(at(pump.sent)).await;
        let elapsed = start.elapsed().as_nanos();
        due = usize::try_from(elapsed.saturating_mul(u128::from(rate)) / 1_000_000_000)
            .unwrap_or(usize::MAX)
            .max(pump.sent + 1);
    }
    pump.started = true;
    let mut buf = BytesMut::new();
    loop {
        if pump.sent >= due {
            break;
        }
        if pump.cut_after.is_some_and(|n| pump.sent >= n) {
            pump.phase = Phase::Cutting;
            break;
        }
        match pump.events.next() {
            Some(event) => {
                encode(&event, &mut buf);
                pump.sent += 1;
                if paced || buf.len() >= FRAME_BYTES {
                    break;
                }
            }
            None => {
                pump.phase = Phase::Over;
                pump.on_end.finish(true);
                break;
            }
        }
    }
    if buf.is_empty() {
        // Nothing left to send: either the end, or straight into the cut.
        return match pump.phase {
            Phase::Cutting => Some(cut(pump).await),
            _ => None,
        };
    }
    Some((Ok(buf.freeze()), pump))
}

async fn cut(mut pump: Pump) -> (Frame, Pump) {
    tokio::time::sleep(FLUSH_GRACE).await;
    pump.phase = Phase::Over;
    pump.on_end.finish(false);
    let error = io::Error::new(io::ErrorKind::ConnectionAborted, "scripted disconnect");
    (Err(error), pump)
}

/// A lazily produced event stream: events are pulled from the iterator only as the client
/// reads, so a 50 MB benchmark never sits in memory.
pub(crate) fn event_body(
    events: EventIter,
    pace: Pace,
    cut_after: Option<usize>,
    on_end: OnEnd,
) -> Body {
    let pump = Pump {
        events,
        pace,
        start: None,
        cut_after,
        sent: 0,
        started: false,
        phase: Phase::Running,
        on_end,
    };
    Body::from_stream(stream::unfold(pump, next_frame))
}

/// Exactly these bytes, one body frame per chunk, for tests of a client's framing.
pub(crate) fn raw_body(chunks: Vec<Vec<u8>>, delay: Duration) -> Body {
    let state = (VecDeque::from(chunks), false);
    Body::from_stream(stream::unfold(
        state,
        move |(mut rest, started)| async move {
            let chunk = rest.pop_front()?;
            if started && !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Some((Ok::<_, io::Error>(Bytes::from(chunk)), (rest, true)))
        },
    ))
}

pub(crate) fn response(body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(event: &SseEvent) -> String {
        let mut buf = BytesMut::new();
        encode(event, &mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    }

    #[test]
    fn splits_multi_line_data() {
        let event = SseEvent::new("execution", "## Title\n\n- item\n");
        assert_eq!(
            encoded(&event),
            "event: execution\ndata: ## Title\ndata: \ndata: - item\ndata: \n\n"
        );
    }

    #[test]
    fn carriage_returns_become_line_breaks() {
        let event = SseEvent::new("execution", "a\r\nb\rc");
        assert_eq!(
            encoded(&event),
            "event: execution\ndata: a\ndata: b\ndata: c\n\n"
        );
    }
}
