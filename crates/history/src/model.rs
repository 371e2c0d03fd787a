//! The public shapes of the history: what goes in when recording, and what queries return.
//!
//! Times are milliseconds since the Unix epoch (UTC). Ids are the store's own (UUID strings), not
//! Port's; Port's id is `port_invocation_id`.

use std::collections::BTreeMap;

use port_api::invoke::InvocationStatus;
use port_api::{InvokeEvent, InvokeRequest, PortError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where an invocation's status stands. `Streaming` only while a live writer is recording it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum HistoryStatus {
    Streaming,
    Completed,
    Failed,
    Interrupted,
    Cancelled,
}

impl HistoryStatus {
    pub const ALL: [HistoryStatus; 5] = [
        Self::Streaming,
        Self::Completed,
        Self::Failed,
        Self::Interrupted,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Streaming => "streaming",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl From<InvocationStatus> for HistoryStatus {
    fn from(status: InvocationStatus) -> Self {
        match status {
            InvocationStatus::Completed => Self::Completed,
            InvocationStatus::Failed => Self::Failed,
            InvocationStatus::Interrupted => Self::Interrupted,
            InvocationStatus::Cancelled => Self::Cancelled,
        }
    }
}

impl std::fmt::Display for HistoryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who recorded an invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    App,
    Cli,
    /// Imported from Port's `_ai_invocations` records (no event log: Port keeps flattened text).
    Port,
    /// Imported from a Portdesk JSON export.
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Cli => "cli",
            Self::Port => "port",
            Self::Import => "import",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::App, Self::Cli, Self::Port, Self::Import]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// An invocation about to be sent. Build it with [`NewInvocation::from_request`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvocation {
    /// Continue this conversation (a store id); `None` starts a new one titled by the prompt.
    pub conversation_id: Option<String>,
    /// The connection profile's name, when one was used.
    pub profile: Option<String>,
    pub source: Source,
    /// `None`: the general assistant.
    pub agent: Option<String>,
    pub prompt: String,
    /// The JSON body exactly as sent to Port. Keys that name credentials are removed before it is
    /// stored, as a second line of defence: a body never carries one.
    pub request: Value,
    pub labels: BTreeMap<String, String>,
    pub tool_patterns: Vec<String>,
}

impl NewInvocation {
    /// The invocation `request` describes, with the body Port receives.
    pub fn from_request(request: &InvokeRequest, source: Source) -> Self {
        let body = request
            .body()
            .or_else(|_| serde_json::to_value(request))
            .unwrap_or(Value::Null);
        Self {
            conversation_id: None,
            profile: None,
            source,
            agent: request.agent.clone(),
            prompt: request.prompt.clone(),
            request: body,
            labels: request.labels.clone(),
            tool_patterns: request.tools.clone(),
        }
    }

    pub fn in_conversation(mut self, conversation_id: Option<String>) -> Self {
        self.conversation_id = conversation_id;
        self
    }

    pub fn with_profile(mut self, profile: Option<String>) -> Self {
        self.profile = profile;
        self
    }
}

/// What [`crate::Recorder::begin`] created: the row exists once you hold this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Begun {
    pub id: String,
    pub conversation_id: String,
}

/// How an invocation ended, for [`crate::Recorder::finish`].
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: HistoryStatus,
    pub error: Option<PortError>,
    /// Port's `X-Trace-Id` for the invocation request.
    pub trace_id: Option<String>,
}

impl Outcome {
    /// Completed when there is no error, else the status the error implies (port-api's rule).
    pub fn from_error(error: Option<PortError>, trace_id: Option<String>) -> Self {
        let status = InvocationStatus::from_outcome(error.as_ref()).into();
        let trace_id = trace_id.or_else(|| error.as_ref().and_then(|e| e.trace_id.clone()));
        Self {
            status,
            error,
            trace_id,
        }
    }
}

/// An error as stored with an invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StoredError {
    pub code: String,
    pub message: String,
    /// Everything else port-api reported (status, trace id, retry-after, …).
    pub details: Value,
}

/// Which invocations a list, search, stats or export covers. Empty means all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryFilter {
    pub agent: Option<AgentFilter>,
    /// Any of these statuses.
    pub statuses: Vec<HistoryStatus>,
    /// All of these labels (a `None` value: the key with any value).
    pub labels: Vec<LabelFilter>,
    pub profile: Option<String>,
    /// Invocations that called this tool.
    pub tool: Option<String>,
    /// `asked_at >= from_ms`.
    pub from_ms: Option<i64>,
    /// `asked_at < to_ms`.
    pub to_ms: Option<i64>,
    pub conversation_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "id", rename_all = "camelCase")]
pub enum AgentFilter {
    /// The general assistant.
    General,
    Agent(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LabelFilter {
    pub key: String,
    pub value: Option<String>,
}

/// A page request: `cursor` is the `next_cursor` of the previous page (opaque).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PageRequest {
    pub limit: u32,
    pub cursor: Option<String>,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = 500;

    pub fn first(limit: u32) -> Self {
        Self {
            limit,
            cursor: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `None` on the last page.
    pub next_cursor: Option<String>,
}

/// One row of the list: no large payloads (previews only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvocationSummary {
    pub id: String,
    pub conversation_id: Option<String>,
    pub profile: Option<String>,
    pub agent: Option<String>,
    pub source: Source,
    pub status: HistoryStatus,
    /// The first 200 characters of the prompt.
    pub prompt_preview: String,
    /// The first 200 characters of the answer.
    pub answer_preview: String,
    pub asked_at: i64,
    pub first_token_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub port_invocation_id: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub tool_names: Vec<String>,
    pub error_code: Option<String>,
    pub event_count: i64,
}

/// A tool call assembled from its chunks, with when each part happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolCall {
    pub call_id: String,
    pub name: Option<String>,
    pub arguments: String,
    pub result: Option<String>,
    pub started_at: Option<i64>,
    pub arguments_done_at: Option<i64>,
    pub result_started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub arguments_complete: bool,
    pub result_complete: bool,
}

impl ToolCall {
    /// From the call's first chunk to its result's end (or arguments' end when no result came).
    pub fn duration_ms(&self) -> Option<i64> {
        let end = self.finished_at.or(self.arguments_done_at)?;
        Some(end - self.started_at?)
    }
}

/// One entry of the event log: `payload` is the [`InvokeEvent`] as JSON (tagged by `type`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub payload: Value,
}

impl EventRecord {
    /// The typed event, when this build knows its kind.
    pub fn event(&self) -> Option<InvokeEvent> {
        serde_json::from_value(self.payload.clone()).ok()
    }
}

/// Everything about one invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvocationDetail {
    pub id: String,
    pub conversation_id: Option<String>,
    pub profile: Option<String>,
    pub agent: Option<String>,
    pub source: Source,
    pub status: HistoryStatus,
    pub prompt: String,
    pub request: Value,
    pub labels: BTreeMap<String, String>,
    pub tool_patterns: Vec<String>,
    pub asked_at: i64,
    pub first_token_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub port_invocation_id: Option<String>,
    pub trace_id: Option<String>,
    pub quota: Option<Value>,
    pub answer: String,
    pub error: Option<StoredError>,
    pub tool_calls: Vec<ToolCall>,
    pub events: Vec<EventRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub invocation_count: i64,
    pub agent: Option<String>,
    pub profile: Option<String>,
}

/// A conversation with its invocations in the order they were asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDetail {
    pub conversation: ConversationSummary,
    pub invocations: Vec<InvocationDetail>,
}

/// A piece of a search snippet; `hit` pieces matched the query. Plain text: render it as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub invocation: InvocationSummary,
    /// Where the best match is: `prompt`, `answer` or `tools`.
    pub field: String,
    pub snippet: Vec<SnippetPart>,
}

/// The distinct values the filter menus offer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Facets {
    /// Agent identifiers; the general assistant is `general_assistant: true`.
    pub agents: Vec<String>,
    pub general_assistant: bool,
    pub profiles: Vec<String>,
    pub tools: Vec<String>,
    pub label_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DayCount {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentCount {
    /// `None`: the general assistant.
    pub agent: Option<String>,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: HistoryStatus,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolUsage {
    pub name: String,
    pub calls: i64,
    pub invocations: i64,
    pub avg_duration_ms: Option<f64>,
}

/// Percentiles of a duration, in milliseconds; `None` when nothing was measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DurationStats {
    pub count: i64,
    pub p50_ms: Option<i64>,
    pub p90_ms: Option<i64>,
    pub p99_ms: Option<i64>,
    pub max_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryStats {
    pub invocations: i64,
    pub conversations: i64,
    pub per_day: Vec<DayCount>,
    pub per_agent: Vec<AgentCount>,
    pub per_status: Vec<StatusCount>,
    pub tools: Vec<ToolUsage>,
    /// Asked → replied.
    pub duration: DurationStats,
    /// Asked → first answer token.
    pub time_to_first_token: DurationStats,
}

/// How long invocations are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "days", rename_all = "camelCase")]
pub enum Retention {
    Forever,
    Days(u32),
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub invocations_added: u32,
    /// Already present (same store id, or same Port invocation id).
    pub invocations_skipped: u32,
    /// Port records still in progress: imported once they finish.
    pub in_progress_skipped: u32,
    pub conversations_added: u32,
}

/// What opening the store did besides opening it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenReport {
    /// The schema version found, when the file was upgraded.
    pub migrated_from: Option<u32>,
    pub schema_version: u32,
    /// The copy taken before the upgrade.
    pub backup: Option<String>,
    /// Invocations a dead writer left streaming, now marked interrupted.
    pub interrupted: Vec<String>,
    /// Invocations removed by the retention setting.
    pub expired: u32,
}

/// Formats of [`crate::HistoryStore::export_conversation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ConversationFormat {
    Markdown,
    Json,
}

/// Formats of [`crate::HistoryStore::export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One document that [`crate::HistoryStore::import_json`] reads back.
    Json,
    /// One invocation per line (audit), same objects as in the JSON document.
    Jsonl,
    /// One row per invocation, flat columns (audit).
    Csv,
}
