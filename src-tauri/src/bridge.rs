//! Between an invocation stream and the UI's `Channel`: coalesce deltas and keep every message
//! small.
//!
//! Tauri inlines IPC messages under 8 KB; larger ones cost an extra fetch and hold up the ordered
//! queue behind them. A long answer arriving token by token would otherwise be thousands of tiny
//! messages, each a re-render. So consecutive deltas of the same part are merged for a short window
//! (about a frame) and split again wherever their JSON would pass the budget.

use std::time::{Duration, Instant};

use port_api::InvokeEvent;

/// How long a delta may wait for the next one of the same part: one or two frames.
pub const COALESCE_WINDOW: Duration = Duration::from_millis(24);

/// Budget for one delta's JSON-escaped text; the event's envelope (type, id) fits in the rest
/// of the 8 KB.
pub const MAX_DELTA_JSON_BYTES: usize = 7 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Answer,
    Arguments(String),
    Result(String),
}

impl Part {
    fn of(event: &InvokeEvent) -> Option<(Part, &str)> {
        match event {
            InvokeEvent::AnswerDelta { delta } => Some((Part::Answer, delta)),
            InvokeEvent::ToolCallArgumentsDelta { id, delta } => {
                Some((Part::Arguments(id.clone()), delta))
            }
            InvokeEvent::ToolResultDelta { id, delta } => Some((Part::Result(id.clone()), delta)),
            _ => None,
        }
    }

    fn event(&self, delta: String) -> InvokeEvent {
        match self {
            Part::Answer => InvokeEvent::AnswerDelta { delta },
            Part::Arguments(id) => InvokeEvent::ToolCallArgumentsDelta {
                id: id.clone(),
                delta,
            },
            Part::Result(id) => InvokeEvent::ToolResultDelta {
                id: id.clone(),
                delta,
            },
        }
    }
}

#[derive(Debug)]
struct Pending {
    part: Part,
    text: String,
    /// When the first delta of this batch arrived.
    since: Instant,
}

/// Merges deltas; see the module docs. Pure: time is passed in, so tests need no clock.
#[derive(Debug, Default)]
pub struct Coalescer {
    pending: Option<Pending>,
}

impl Coalescer {
    pub fn new() -> Self {
        Self::default()
    }

    /// When the pending delta must be sent at the latest.
    pub fn deadline(&self) -> Option<Instant> {
        self.pending.as_ref().map(|p| p.since + COALESCE_WINDOW)
    }

    /// Takes one event; appends what must be sent now to `out`, in order.
    pub fn push(&mut self, event: InvokeEvent, now: Instant, out: &mut Vec<InvokeEvent>) {
        let Some((part, delta)) = Part::of(&event) else {
            self.flush(out);
            out.push(event);
            return;
        };
        match &mut self.pending {
            Some(pending) if pending.part == part => pending.text.push_str(delta),
            _ => {
                self.flush(out);
                if delta.is_empty() {
                    // An empty first result delta says "a result began": send it as it is.
                    out.push(event);
                    return;
                }
                self.pending = Some(Pending {
                    part,
                    text: delta.to_string(),
                    since: now,
                });
            }
        }
        // A pending text that already fills several messages goes out now, keeping the tail.
        if let Some(pending) = &mut self.pending {
            if json_len(&pending.text) > MAX_DELTA_JSON_BYTES * 4 {
                let text = std::mem::take(&mut pending.text);
                let part = pending.part.clone();
                self.pending = None;
                emit_split(&part, text, out);
            }
        }
    }

    /// Sends what is pending when its deadline has passed.
    pub fn tick(&mut self, now: Instant, out: &mut Vec<InvokeEvent>) {
        if self.deadline().is_some_and(|d| now >= d) {
            self.flush(out);
        }
    }

    pub fn flush(&mut self, out: &mut Vec<InvokeEvent>) {
        if let Some(pending) = self.pending.take() {
            emit_split(&pending.part, pending.text, out);
        }
    }
}

fn emit_split(part: &Part, text: String, out: &mut Vec<InvokeEvent>) {
    for piece in split_by_json_len(&text, MAX_DELTA_JSON_BYTES) {
        out.push(part.event(piece));
    }
}

/// Bytes a character takes inside a JSON string.
fn json_char_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{08}' | '\u{0c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

fn json_len(text: &str) -> usize {
    text.chars().map(json_char_len).sum()
}

/// Splits at character boundaries so that each piece's JSON-escaped length is at most `budget`.
pub fn split_by_json_len(text: &str, budget: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (index, c) in text.char_indices() {
        let len = json_char_len(c);
        if used + len > budget && index > start {
            pieces.push(text[start..index].to_string());
            start = index;
            used = 0;
        }
        used += len;
    }
    if start < text.len() || pieces.is_empty() {
        pieces.push(text[start..].to_string());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(s: &str) -> InvokeEvent {
        InvokeEvent::AnswerDelta { delta: s.into() }
    }

    fn concat_answer(events: &[InvokeEvent]) -> String {
        events
            .iter()
            .filter_map(|e| match e {
                InvokeEvent::AnswerDelta { delta } => Some(delta.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn deltas_within_the_window_become_one_message() {
        let mut c = Coalescer::new();
        let mut out = Vec::new();
        let t0 = Instant::now();
        for (i, word) in ["Hel", "lo ", "wor", "ld"].iter().enumerate() {
            c.push(answer(word), t0 + Duration::from_millis(i as u64), &mut out);
        }
        assert!(out.is_empty(), "nothing sent before the window closes");
        c.tick(t0 + Duration::from_millis(5), &mut out);
        assert!(out.is_empty());
        c.tick(t0 + COALESCE_WINDOW, &mut out);
        assert_eq!(out, vec![answer("Hello world")]);
        assert!(c.deadline().is_none());
    }

    #[test]
    fn other_events_flush_first_and_order_is_kept() {
        let mut c = Coalescer::new();
        let mut out = Vec::new();
        let now = Instant::now();
        c.push(answer("a"), now, &mut out);
        c.push(
            InvokeEvent::ToolCallStarted {
                id: "c".into(),
                name: None,
            },
            now,
            &mut out,
        );
        c.push(
            InvokeEvent::ToolResultDelta {
                id: "c".into(),
                delta: String::new(),
            },
            now,
            &mut out,
        );
        c.push(answer("b"), now, &mut out);
        c.flush(&mut out);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0], answer("a"));
        assert!(matches!(&out[2], InvokeEvent::ToolResultDelta { delta, .. } if delta.is_empty()));
        assert_eq!(out[3], answer("b"));
    }

    #[test]
    fn every_message_stays_under_8_kb_and_nothing_is_lost() {
        let mut c = Coalescer::new();
        let mut out = Vec::new();
        let now = Instant::now();
        // Escaping-heavy text: quotes, newlines, control characters and multi-byte characters.
        let chunk = "\"quote\"\n\u{1}é🚀".repeat(300);
        let mut sent = String::new();
        for _ in 0..20 {
            c.push(answer(&chunk), now, &mut out);
            sent.push_str(&chunk);
        }
        c.flush(&mut out);
        for event in &out {
            let json = serde_json::to_string(event).unwrap();
            assert!(json.len() < 8 * 1024, "message of {} bytes", json.len());
        }
        assert_eq!(concat_answer(&out), sent);
        assert!(
            out.len() < 20 * 4,
            "merged into few messages: {}",
            out.len()
        );
    }

    #[test]
    fn split_respects_character_boundaries() {
        let pieces = split_by_json_len(&"é".repeat(10), 5);
        assert!(pieces.iter().all(|p| json_len(p) <= 5));
        assert_eq!(pieces.concat(), "é".repeat(10));
        assert_eq!(split_by_json_len("", 5), vec![String::new()]);
    }
}
