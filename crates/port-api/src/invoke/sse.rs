//! SSE framing: an HTTP byte stream in, `(event, data)` frames out.
//!
//! eventsource-stream does the WHATWG parsing (CR, LF and CRLF endings, comments, multi-line data,
//! UTF-8 characters split across chunks). Two adapters in front of it cover what it leaves open:
//! - A lone CR as the very last byte of the stream is a complete line ending, but the parser waits
//!   for a possible LF that never comes; at the end of the stream we supply that LF, which turns the
//!   final CR into one CRLF ending and changes nothing else.
//! - The parser copies its remaining buffer after every line, which is quadratic in the size of one
//!   network read; feeding it bounded slices keeps that cost linear in practice.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use eventsource_stream::{EventStream, EventStreamError};
use futures_util::Stream;

/// Largest piece handed to the SSE parser at once.
const SLICE_BYTES: usize = 4 * 1024;

pub(crate) type ByteStream<E> = Pin<Box<dyn Stream<Item = Result<Bytes, E>> + Send>>;

/// Splits large reads into bounded slices and closes a trailing lone CR at the end of the stream.
pub(crate) struct SliceAndCloseCr<E> {
    inner: ByteStream<E>,
    pending: Bytes,
    last_byte: Option<u8>,
    finished: bool,
}

impl<E> SliceAndCloseCr<E> {
    pub(crate) fn new(inner: ByteStream<E>) -> Self {
        Self {
            inner,
            pending: Bytes::new(),
            last_byte: None,
            finished: false,
        }
    }
}

impl<E> Stream for SliceAndCloseCr<E> {
    type Item = Result<Bytes, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if !this.pending.is_empty() {
                let take = this.pending.len().min(SLICE_BYTES);
                return Poll::Ready(Some(Ok(this.pending.split_to(take))));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Some(&last) = chunk.last() {
                        this.last_byte = Some(last);
                    }
                    this.pending = chunk;
                }
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(None) => {
                    this.finished = true;
                    if this.last_byte == Some(b'\r') {
                        return Poll::Ready(Some(Ok(Bytes::from_static(b"\n"))));
                    }
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

/// A framed SSE stream: each item is one dispatched event, or a transport/parse error.
pub(crate) type Frames<E> = EventStream<SliceAndCloseCr<E>>;

pub(crate) fn frames<E>(bytes: ByteStream<E>) -> Frames<E> {
    EventStream::new(SliceAndCloseCr::new(bytes))
}

/// Describes a framing error without exposing the underlying error type to callers.
pub(crate) fn describe<E: std::fmt::Display>(err: &EventStreamError<E>) -> String {
    match err {
        EventStreamError::Utf8(e) => format!("the stream is not valid UTF-8: {e}"),
        EventStreamError::Parser(e) => format!("the stream is not valid SSE: {e}"),
        EventStreamError::Transport(e) => format!("the connection dropped mid-stream: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    /// Frames `chunks` exactly as given (no network), returning (event, data) pairs.
    pub(crate) async fn frame_chunks(chunks: Vec<Vec<u8>>) -> Vec<(String, String)> {
        let source = futures_util::stream::iter(
            chunks
                .into_iter()
                .map(|c| Ok::<_, std::convert::Infallible>(Bytes::from(c))),
        );
        let mut frames = frames(Box::pin(source));
        let mut out = Vec::new();
        while let Some(item) = frames.next().await {
            let event = item.expect("framing failed");
            out.push((event.event, event.data));
        }
        out
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[tokio::test]
    async fn lone_cr_at_the_very_end_still_ends_the_event() {
        let out = frame_chunks(vec![b"event: done\rdata: {}\r\r".to_vec()]).await;
        assert_eq!(out, pairs(&[("done", "{}")]));
    }

    #[tokio::test]
    async fn cr_and_lf_split_across_chunks_is_one_line_ending() {
        let out = frame_chunks(vec![
            b"event: execution\r".to_vec(),
            b"\ndata: a\r".to_vec(),
            b"\n\r".to_vec(),
            b"\n".to_vec(),
        ])
        .await;
        assert_eq!(out, pairs(&[("execution", "a")]));
    }

    #[tokio::test]
    async fn utf8_split_inside_a_character() {
        let text = "data: h\u{e9}llo \u{1F680}\n\n".as_bytes().to_vec();
        let chunks = text.iter().map(|b| vec![*b]).collect();
        let out = frame_chunks(chunks).await;
        assert_eq!(out, pairs(&[("message", "h\u{e9}llo \u{1F680}")]));
    }

    #[tokio::test]
    async fn comments_and_multiline_data() {
        let out = frame_chunks(vec![
            b": keep-alive\nevent: execution\ndata: line 1\ndata: line 2\n\n".to_vec(),
        ])
        .await;
        assert_eq!(out, pairs(&[("execution", "line 1\nline 2")]));
    }

    #[tokio::test]
    async fn large_reads_are_sliced_without_changing_the_result() {
        let mut body = Vec::new();
        for i in 0..2000 {
            body.extend_from_slice(format!("event: execution\ndata: chunk {i}\n\n").as_bytes());
        }
        let out = frame_chunks(vec![body]).await;
        assert_eq!(out.len(), 2000);
        assert_eq!(out[1999].1, "chunk 1999");
    }

    #[tokio::test]
    async fn a_stream_ending_mid_event_dispatches_nothing_partial() {
        let out = frame_chunks(vec![
            b"event: execution\ndata: a\n\nevent: done\ndata: {}".to_vec()
        ])
        .await;
        assert_eq!(out, pairs(&[("execution", "a")]));
    }
}
