//! Invoking Port AI: the request, the typed event stream and the assembled transcript.

mod decoder;
mod event;
#[cfg(test)]
mod rechunk_tests;
mod request;
mod sse;
mod stream;
mod transcript;

pub use decoder::StreamDecoder;
pub use event::{InvokeEvent, MonthlyQuotaUsage, RateLimitUsage};
pub use request::{
    ApprovalMode, ChatMode, ExecutionMode, InvokeRequest, ModelChoice, DEFAULT_TOOL_PATTERNS,
    MAX_MCP_SERVERS,
};
pub use sse::{decode_chunks, ByteDecoder, MAX_EVENT_BYTES};
pub use stream::InvocationStream;
pub use transcript::{InvocationStatus, ToolCallRecord, Transcript, UnknownEventRecord};

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::client::PortClient;
use crate::error::{PortError, Result};

#[derive(Deserialize)]
struct AcceptedBody {
    invocation: AcceptedInvocation,
}

#[derive(Deserialize)]
struct AcceptedInvocation {
    identifier: String,
}

impl PortClient {
    /// Starts an invocation. The returned stream yields its events; cancelling `cancel` stops it at
    /// once, whether it is still connecting, streaming or polling.
    pub async fn invoke(
        &self,
        request: &InvokeRequest,
        cancel: CancellationToken,
    ) -> Result<InvocationStream> {
        let body = request.body()?;
        let path = request.path();
        let response = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(PortError::cancelled()),
            r = self.send(Method::POST, &path, Some(&body), true) => r?,
        };
        if is_event_stream(&response) {
            return Ok(InvocationStream::from_sse(response, cancel));
        }
        // Not a stream: a 202 to poll, or an error body that came with a success status (Port
        // sends its error shapes with any status).
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let trace_id = crate::error_body::trace_id(&headers);
        let bytes = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(PortError::cancelled()),
            b = response.bytes() => b.map_err(|e| PortError::from_transport(&e))?,
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            PortError::invalid_response(format!(
                "Port answered HTTP {status} with neither a stream nor JSON: {e}"
            ))
            .with_status(status)
            .with_trace_id(trace_id.clone())
        })?;
        if crate::error_body::is_error_body(&value) {
            return Err(crate::error_body::from_response(status, &headers, &bytes));
        }
        let accepted: AcceptedBody = serde_json::from_value(value).map_err(|e| {
            PortError::invalid_response(format!("unreadable answer to the invocation: {e}"))
                .with_status(status)
                .with_trace_id(trace_id.clone())
        })?;
        Ok(InvocationStream::from_accepted(
            self.clone(),
            accepted.invocation.identifier,
            cancel,
            trace_id,
        ))
    }
}

fn is_event_stream(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("text/event-stream")
        })
}
