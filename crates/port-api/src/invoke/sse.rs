//! From the bytes of an HTTP body to typed events: SSE framing, then [`StreamDecoder`].
//!
//! The framing follows the WHATWG "interpreting an event stream" rules and is sse-parse's: a
//! byte-level, sans-IO parser (memchr line scanning) that is linear in the bytes fed whatever the
//! chunking, strips a byte order mark only at stream offset 0 (even when it arrives one byte per
//! read), decodes invalid UTF-8 to U+FFFD as the spec says, and has no error to return.
//!
//! It replaced eventsource-stream 0.2.3, which panicked on a leading BOM (it sliced a `str` inside
//! U+FEFF), copied its remaining buffer after every line (quadratic in the size of one read),
//! waited forever for an LF after a final lone CR, and failed the whole stream on one invalid
//! UTF-8 byte. Each of those needed an adapter or was a crash; measured, the new path is also
//! faster (see `crates/cli/benches/stream_peers.rs`).
//!
//! What this module adds on top: a bound on one event's size, so a server that never sends a blank
//! line cannot make the client hold an unbounded buffer, and the rule that nothing after `done`
//! matters.

use sse_parse::SseParser;

use super::decoder::StreamDecoder;
use super::event::InvokeEvent;
use crate::error::{ErrorCode, PortError};

/// The largest single event Portdesk holds. Port splits large tool results into chunks of a few KB,
/// so this is far above anything real, and still bounds memory against a runaway stream.
pub const MAX_EVENT_BYTES: usize = 64 * 1024 * 1024;

/// Bytes in, [`InvokeEvent`]s out, for one invocation's body. Pure and synchronous: the network
/// path, the property tests and the fuzz target all drive this same code.
#[derive(Debug)]
pub struct ByteDecoder {
    parser: SseParser,
    decoder: StreamDecoder,
    max_event_bytes: usize,
    /// Nothing is fed after `finish` or after `done`.
    closed: bool,
}

impl Default for ByteDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ByteDecoder {
    pub fn new() -> Self {
        Self::with_max_event_bytes(MAX_EVENT_BYTES)
    }

    /// A decoder that refuses events larger than `max_event_bytes` (tests use a small bound).
    pub fn with_max_event_bytes(max_event_bytes: usize) -> Self {
        Self {
            parser: SseParser::new().max_buffer(max_event_bytes),
            decoder: StreamDecoder::new(),
            max_event_bytes,
            closed: false,
        }
    }

    /// Whether `done` arrived. Once it has, the rest of the body is ignored.
    pub fn saw_done(&self) -> bool {
        self.decoder.saw_done()
    }

    /// Feeds one read of the body, appending the events it completes to `out`. An error is
    /// terminal: the events appended before it are still valid.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<InvokeEvent>) -> Result<(), PortError> {
        if self.closed {
            return Ok(());
        }
        self.parser.feed(bytes);
        self.drain(out);
        if self.parser.overflows() > 0 {
            self.closed = true;
            return Err(PortError::new(
                ErrorCode::StreamMalformed,
                format!(
                    "Port sent one event larger than {} MiB without ending it; Portdesk stopped \
                     reading the stream rather than hold it all in memory",
                    self.max_event_bytes / (1024 * 1024)
                ),
            ));
        }
        if self.saw_done() {
            self.closed = true;
        }
        Ok(())
    }

    /// The body ended. An event without its closing blank line is not dispatched (WHATWG); a body
    /// that ended before `done` is an interrupted invocation.
    pub fn finish(&mut self, out: &mut Vec<InvokeEvent>) -> Result<(), PortError> {
        if !self.closed {
            self.closed = true;
            self.parser.finish();
            self.drain(out);
        }
        if self.saw_done() {
            Ok(())
        } else {
            Err(PortError::stream_interrupted(
                "the stream ended before Port said it was done; the answer may be incomplete",
            ))
        }
    }

    fn drain(&mut self, out: &mut Vec<InvokeEvent>) {
        while !self.decoder.saw_done() {
            let Some(frame) = self.parser.next_event() else {
                break;
            };
            self.decoder.decode(&frame.event, frame.data, out);
        }
    }
}

/// Decodes a whole body cut into the given reads: the events, then how it ended. For tests and the
/// fuzz target.
pub fn decode_chunks<'a>(
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<InvokeEvent>, Result<(), PortError>) {
    let mut decoder = ByteDecoder::new();
    let mut out = Vec::new();
    for chunk in chunks {
        if let Err(err) = decoder.feed(chunk, &mut out) {
            return (out, Err(err));
        }
    }
    let end = decoder.finish(&mut out);
    (out, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvokeEvent::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    /// The events of `body` fed whole, and fed one byte at a time: they must agree.
    fn events(body: &[u8]) -> Vec<InvokeEvent> {
        let (whole, _) = decode_chunks([body]);
        let (bytewise, _) = decode_chunks(body.chunks(1));
        assert_eq!(whole, bytewise, "chunking changed the result");
        whole
    }

    fn unknown(event: &str, data: &str) -> InvokeEvent {
        Unknown {
            event: s(event),
            data: s(data),
            reason: None,
        }
    }

    #[test]
    fn a_leading_bom_is_stripped() {
        let body = b"\xEF\xBB\xBFevent: execution\ndata: hi\n\n";
        assert_eq!(events(body), vec![AnswerDelta { delta: s("hi") }]);
    }

    #[test]
    fn a_bom_elsewhere_is_content_and_makes_its_field_unknown() {
        // Only the first BOM is stripped; the second one starts the field name, so the line is an
        // unknown field and ignored, and the event has no data to dispatch.
        let body = "\u{feff}\u{feff}data: lost\n\nevent: execution\ndata: kept\n\n";
        assert_eq!(
            events(body.as_bytes()),
            vec![AnswerDelta { delta: s("kept") }]
        );
        let body = "event: execution\ndata: a\n\n\u{feff}event: execution\ndata: b\n\n";
        // The BOM before `event` makes that field unknown: `b` dispatches as a plain message.
        assert_eq!(
            events(body.as_bytes()),
            vec![AnswerDelta { delta: s("a") }, unknown("message", "b")]
        );
    }

    #[test]
    fn one_space_after_the_colon_is_removed_and_no_more() {
        let body = b"event:execution\ndata:a\n\nevent: execution\ndata:  b \n\n";
        assert_eq!(
            events(body),
            vec![
                AnswerDelta { delta: s("a") },
                AnswerDelta { delta: s(" b ") }
            ]
        );
    }

    #[test]
    fn a_field_alone_has_an_empty_value_and_empty_data_dispatches() {
        assert_eq!(events(b"event: plan\ndata\n\n"), vec![unknown("plan", "")]);
        assert_eq!(events(b"event: plan\ndata:\n\n"), vec![unknown("plan", "")]);
        // `event` alone is the empty type, which means `message`.
        assert_eq!(events(b"event\ndata: x\n\n"), vec![unknown("message", "x")]);
    }

    #[test]
    fn no_data_field_means_no_event() {
        assert_eq!(events(b"event: plan\n\n"), vec![]);
    }

    #[test]
    fn comments_unknown_fields_id_and_retry_change_nothing() {
        let body = b": hello\nevent: plan\nfoo: bar\nid: 1\0 2\nretry: 10\nretry: x\ndata: a\n\n";
        assert_eq!(events(body), vec![unknown("plan", "a")]);
    }

    #[test]
    fn data_lines_join_with_lf() {
        let body = b"event: plan\ndata: a\ndata:\ndata: b\n\n";
        assert_eq!(events(body), vec![unknown("plan", "a\n\nb")]);
    }

    #[test]
    fn cr_lf_and_crlf_mixed_in_one_stream() {
        let body = b"event: execution\rdata: a\r\n\nevent: execution\ndata: b\r\r";
        assert_eq!(
            events(body),
            vec![AnswerDelta { delta: s("a") }, AnswerDelta { delta: s("b") }]
        );
    }

    #[test]
    fn an_event_without_its_blank_line_is_not_dispatched() {
        let (out, end) =
            decode_chunks([&b"event: execution\ndata: a\n\nevent: done\ndata: {}\n"[..]]);
        assert_eq!(out, vec![AnswerDelta { delta: s("a") }]);
        assert_eq!(end.unwrap_err().code, ErrorCode::StreamInterrupted);
    }

    #[test]
    fn nul_bytes_and_invalid_utf8_are_kept_as_text() {
        let body = b"event: execution\ndata: a\0b\xFFc\n\n";
        assert_eq!(
            events(body),
            vec![AnswerDelta {
                delta: s("a\0b\u{FFFD}c")
            }]
        );
    }

    #[test]
    fn nothing_after_done_is_read() {
        let body = b"event: done\ndata: {}\n\nevent: execution\ndata: late\n\n";
        let (out, end) = decode_chunks([&body[..]]);
        assert!(end.is_ok());
        assert_eq!(out.len(), 1);
        assert!(matches!(out[0], Done { .. }));
    }

    #[test]
    fn an_oversized_event_is_a_clear_error_and_earlier_events_survive() {
        let mut decoder = ByteDecoder::with_max_event_bytes(1024);
        let mut out = Vec::new();
        decoder
            .feed(b"event: execution\ndata: ok\n\n", &mut out)
            .unwrap();
        let big = vec![b'x'; 4096];
        let err = decoder.feed(&big, &mut out).unwrap_err();
        assert_eq!(err.code, ErrorCode::StreamMalformed);
        assert_eq!(out, vec![AnswerDelta { delta: s("ok") }]);
        // Fed again after the error: nothing happens, nothing panics.
        decoder.feed(b"\n\n", &mut out).unwrap();
        assert_eq!(
            decoder.finish(&mut out).unwrap_err().code,
            ErrorCode::StreamInterrupted
        );
    }
}
