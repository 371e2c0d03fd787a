//! What the History panel gets over IPC beyond `crates/history`'s own types: an invocation with
//! its events typed (the UI folds them like live ones) and its request ready to send again.

use std::collections::BTreeMap;

use history::{
    ConversationFormat, ConversationSummary, EventRecord, ExportFormat, HistoryFilter,
    HistoryStatus, InvocationDetail, Source, StoredError, ToolCall,
};
use port_api::{InvokeEvent, InvokeRequest, MonthlyQuotaUsage};
use serde::{Deserialize, Serialize};

use super::request::request_from_body;

/// One event as it arrived (`at`: epoch ms).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RecordedEvent {
    pub seq: i64,
    pub at: i64,
    pub event: InvokeEvent,
}

impl From<EventRecord> for RecordedEvent {
    fn from(record: EventRecord) -> Self {
        // A kind this build does not know (a newer Portdesk wrote it) is shown, not dropped.
        let event = record.event().unwrap_or_else(|| InvokeEvent::Unknown {
            event: record.kind.clone(),
            data: record.payload.to_string(),
            reason: Some("recorded by another version of Portdesk".to_string()),
        });
        Self {
            seq: record.seq,
            at: record.at,
            event,
        }
    }
}

/// Everything about one invocation, as the History panel and Chat read it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvocationRecord {
    pub id: String,
    pub conversation_id: Option<String>,
    pub profile: Option<String>,
    pub agent: Option<String>,
    pub source: Source,
    pub status: HistoryStatus,
    pub prompt: String,
    /// The request to send it again; `None` when none was recorded (imported from Port).
    pub request: Option<InvokeRequest>,
    pub labels: BTreeMap<String, String>,
    pub tool_patterns: Vec<String>,
    pub asked_at: i64,
    pub first_token_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub port_invocation_id: Option<String>,
    pub trace_id: Option<String>,
    pub quota: Option<MonthlyQuotaUsage>,
    pub answer: String,
    pub error: Option<StoredError>,
    pub tool_calls: Vec<ToolCall>,
    pub events: Vec<RecordedEvent>,
}

impl From<InvocationDetail> for InvocationRecord {
    fn from(d: InvocationDetail) -> Self {
        let request = request_from_body(d.agent.as_deref(), &d.request);
        Self {
            id: d.id,
            conversation_id: d.conversation_id,
            profile: d.profile,
            agent: d.agent,
            source: d.source,
            status: d.status,
            prompt: d.prompt,
            request,
            labels: d.labels,
            tool_patterns: d.tool_patterns,
            asked_at: d.asked_at,
            first_token_at: d.first_token_at,
            replied_at: d.replied_at,
            port_invocation_id: d.port_invocation_id,
            trace_id: d.trace_id,
            quota: d.quota.and_then(|q| serde_json::from_value(q).ok()),
            answer: d.answer,
            error: d.error,
            tool_calls: d.tool_calls,
            events: d.events.into_iter().map(RecordedEvent::from).collect(),
        }
    }
}

/// A conversation with its invocations, oldest first: what Chat needs to reopen it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ConversationRecord {
    pub conversation: ConversationSummary,
    pub invocations: Vec<InvocationRecord>,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ExportRequest {
    /// One conversation, for reading (Markdown) or keeping (JSON).
    Conversation {
        id: String,
        format: ConversationFormat,
    },
    /// Everything the filter covers (all of it when empty), for audit or backup.
    History {
        filter: HistoryFilter,
        format: ExportFormat,
    },
}

/// What to delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DeleteTarget {
    Invocation { id: String },
    Conversation { id: String },
}
