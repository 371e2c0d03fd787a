//! One-shot faults tests queue up, and the error bodies Port sends when a limit is hit.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::clock;
use crate::error::json_response;
use crate::state::lock;

/// The body shapes Port has been seen to use for errors (see PORT-API.md, "Quota and errors").
#[derive(Clone, Debug)]
pub enum ErrorShape {
    /// `{"error": "...", "type": "RATE_LIMIT_ERROR", "retryAfter": <secs>}`
    RateLimitType,
    /// `{"error": "...", "type": "QUOTA_ERROR", "resetDate": "<ISO 8601>"}`
    QuotaType,
    /// `{"ok": false, "error": "<string code>", "message": "...", "details": {...}}`
    OkFalseString,
    /// `{"ok": false, "error": {"name": "<ErrorName>", "message": "..."}}`
    OkFalseObject,
}

/// A misbehaviour for the next invocation request (`POST /v1/ai/invoke` or
/// `POST /v1/agent/{id}/invoke`); queued FIFO, each consumed by exactly one request.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Also sends `x-ratelimit-remaining: 0` and `x-ratelimit-reset: <epoch secs>`.
    RateLimited {
        shape: ErrorShape,
        status: u16,
        retry_after_secs: u64,
    },
    QuotaExceeded {
        shape: ErrorShape,
        status: u16,
        reset_date: String,
    },
    HttpError {
        status: u16,
        body: Value,
    },
    /// Sends this many events, then cuts the connection without `done` or a clean body end.
    DisconnectAfter {
        events: usize,
    },
    /// A `tool_call` and the `done` carry data that is not JSON.
    MalformedData,
    /// Adds `agentSelection`, `plan` and `checkIfActionRequested` events.
    UnknownEvents,
    /// This stream uses this delay between events.
    Slow {
        delay: Duration,
    },
    /// 202 with an invocation id; polling reports "In Progress" twice, then the answer.
    Accepted,
    /// 200 `text/event-stream` whose body is exactly these bytes, one body frame per chunk.
    RawStream {
        chunks: Vec<Vec<u8>>,
        chunk_delay: Duration,
    },
}

struct PathFault {
    path: String,
    status: u16,
    body: Value,
}

#[derive(Default)]
pub(crate) struct FaultQueues {
    invocation: Mutex<VecDeque<Fault>>,
    path: Mutex<Vec<PathFault>>,
}

impl FaultQueues {
    pub(crate) fn push(&self, fault: Fault) {
        lock(&self.invocation).push_back(fault);
    }

    pub(crate) fn pop(&self) -> Option<Fault> {
        lock(&self.invocation).pop_front()
    }

    pub(crate) fn push_path(&self, path: &str, status: u16, body: Value) {
        lock(&self.path).push(PathFault {
            path: path.to_owned(),
            status,
            body,
        });
    }

    /// The oldest fault queued for exactly this path, as the response to send instead.
    pub(crate) fn take_path(&self, path: &str) -> Option<Response> {
        let mut faults = lock(&self.path);
        let index = faults.iter().position(|f| f.path == path)?;
        let fault = faults.remove(index);
        Some(json_response(fault.status, fault.body))
    }
}

/// Which limit was hit. Every shape is rendered from the same facts, so a test can pair any
/// limit with any shape.
pub(crate) enum Limit {
    Rate { retry_after_secs: u64 },
    Quota { reset_date: String },
}

pub(crate) fn limit_response(limit: &Limit, shape: &ErrorShape, status: u16) -> Response {
    let now = clock::now_ms();
    let (retry_after, reset_date) = match limit {
        Limit::Rate { retry_after_secs } => (
            *retry_after_secs,
            clock::iso8601(now.saturating_add(retry_after_secs.saturating_mul(1000))),
        ),
        Limit::Quota { reset_date } => {
            let until_month_end = clock::month_of(now).next_start_ms.saturating_sub(now);
            (until_month_end.div_ceil(1000), reset_date.clone())
        }
    };
    let (code, name, message) = match limit {
        Limit::Rate { .. } => (
            "rate_limit_exceeded",
            "RateLimitExceededError",
            format!("Rate limit exceeded. Try again in {retry_after} seconds."),
        ),
        Limit::Quota { .. } => (
            "quota_exceeded",
            "QuotaExceededError",
            format!("Monthly AI invocation quota exceeded. It resets on {reset_date}."),
        ),
    };
    let body = match shape {
        ErrorShape::RateLimitType => {
            json!({"error": message, "type": "RATE_LIMIT_ERROR", "retryAfter": retry_after})
        }
        ErrorShape::QuotaType => {
            json!({"error": message, "type": "QUOTA_ERROR", "resetDate": reset_date})
        }
        ErrorShape::OkFalseString => {
            let details = match limit {
                Limit::Rate { .. } => json!({"retryAfter": retry_after}),
                Limit::Quota { .. } => json!({"resetDate": reset_date}),
            };
            json!({"ok": false, "error": code, "message": message, "details": details})
        }
        ErrorShape::OkFalseObject => {
            json!({"ok": false, "error": {"name": name, "message": message}})
        }
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::TOO_MANY_REQUESTS);
    let mut response = (status, Json(body)).into_response();
    if let Limit::Rate { .. } = limit {
        let reset_epoch = (now / 1000).saturating_add(retry_after);
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-remaining", HeaderValue::from(0u64));
        headers.insert("x-ratelimit-reset", HeaderValue::from(reset_epoch));
    }
    response
}
