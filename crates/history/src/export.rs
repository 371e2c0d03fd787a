//! Exports: a conversation as Markdown or JSON, the (filtered) history as one JSON document that
//! imports back, JSON lines or CSV for audits.

use std::collections::BTreeMap;
use std::io::Write;

use rusqlite::{params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{HistoryError, Result};
use crate::filter::filter_sql;
use crate::model::*;
use crate::query;
use crate::time::iso;

/// The document's `format`; `version` is [`DOCUMENT_VERSION`].
pub(crate) const DOCUMENT_FORMAT: &str = "portdesk-history";
pub(crate) const DOCUMENT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Document {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: Option<String>,
    #[serde(default)]
    pub conversations: Vec<ConversationRecord>,
    #[serde(default)]
    pub invocations: Vec<InvocationRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ConversationRecord {
    pub id: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Fields this version does not know: kept on import, written back on export.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InvocationRecord {
    pub id: String,
    pub conversation_id: Option<String>,
    pub profile: Option<String>,
    pub agent: Option<String>,
    pub source: String,
    pub status: String,
    pub prompt: String,
    #[serde(default)]
    pub request: Value,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub tool_patterns: Vec<String>,
    pub asked_at: i64,
    pub first_token_at: Option<i64>,
    pub replied_at: Option<i64>,
    pub port_invocation_id: Option<String>,
    pub trace_id: Option<String>,
    pub quota: Option<Value>,
    #[serde(default)]
    pub answer: String,
    pub error: Option<Value>,
    #[serde(default)]
    pub tool_calls: Vec<ToolCall>,
    #[serde(default)]
    pub events: Vec<EventRecord>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn extra_of(text: Option<String>) -> Map<String, Value> {
    text.and_then(|t| serde_json::from_str::<Map<String, Value>>(&t).ok())
        .unwrap_or_default()
}

pub(crate) fn invocation_record(conn: &Connection, rowid: i64) -> Result<InvocationRecord> {
    let d = query::detail(conn, rowid, true)?;
    let extra: Option<String> = conn
        .prepare_cached("SELECT extra FROM invocations WHERE id = ?1")?
        .query_row([rowid], |r| r.get(0))?;
    Ok(InvocationRecord {
        id: d.id,
        conversation_id: d.conversation_id,
        profile: d.profile,
        agent: d.agent,
        source: d.source.as_str().to_string(),
        status: d.status.as_str().to_string(),
        prompt: d.prompt,
        request: d.request,
        labels: d.labels,
        tool_patterns: d.tool_patterns,
        asked_at: d.asked_at,
        first_token_at: d.first_token_at,
        replied_at: d.replied_at,
        port_invocation_id: d.port_invocation_id,
        trace_id: d.trace_id,
        quota: d.quota,
        answer: d.answer,
        error: d
            .error
            .map(|e| serde_json::to_value(e).unwrap_or(Value::Null)),
        tool_calls: d.tool_calls,
        events: d.events,
        extra: extra_of(extra),
    })
}

fn conversation_record(conn: &Connection, rowid: i64) -> Result<Option<ConversationRecord>> {
    Ok(conn
        .prepare_cached(
            "SELECT uid, title, created_at, updated_at, extra FROM conversations WHERE id = ?1",
        )?
        .query_row([rowid], |r| {
            Ok(ConversationRecord {
                id: r.get(0)?,
                title: r.get(1)?,
                created_at: r.get(2)?,
                updated_at: r.get(3)?,
                extra: extra_of(r.get(4)?),
            })
        })
        .optional()?)
}

/// Row ids of the filtered invocations, oldest first.
fn filtered_rowids(conn: &Connection, filter: &HistoryFilter) -> Result<Vec<i64>> {
    let w = filter_sql(filter);
    let mut stmt = conn.prepare(&format!(
        "SELECT i.id FROM invocations i {} ORDER BY i.asked_at, i.id",
        w.sql()
    ))?;
    let rows = stmt.query_map(params_from_iter(w.params.iter()), |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn conversation_rowids(conn: &Connection, invocations: &[i64]) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT conversation_id FROM invocations WHERE id = ?1")?;
    let mut seen = std::collections::BTreeSet::new();
    let mut ordered = Vec::new();
    for id in invocations {
        let conversation: Option<i64> = stmt.query_row([id], |r| r.get(0))?;
        if let Some(c) = conversation {
            if seen.insert(c) {
                ordered.push(c);
            }
        }
    }
    Ok(ordered)
}

fn io_err(e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Export(e.to_string())
}

fn write_document(conn: &Connection, invocations: &[i64], out: &mut dyn Write) -> Result<u64> {
    let header = serde_json::json!({
        "format": DOCUMENT_FORMAT,
        "version": DOCUMENT_VERSION,
        "exportedAt": iso(crate::time::now_ms()),
    });
    let header = serde_json::to_string(&header).map_err(io_err)?;
    // The header without its closing brace; the arrays follow. Streamed, so a large history
    // never has to fit in memory at once.
    out.write_all(&header.as_bytes()[..header.len() - 1])
        .map_err(io_err)?;
    out.write_all(b",\"conversations\":[").map_err(io_err)?;
    let mut wrote = false;
    for c in conversation_rowids(conn, invocations)? {
        if let Some(record) = conversation_record(conn, c)? {
            if wrote {
                out.write_all(b",").map_err(io_err)?;
            }
            serde_json::to_writer(&mut *out, &record).map_err(io_err)?;
            wrote = true;
        }
    }
    out.write_all(b"],\"invocations\":[").map_err(io_err)?;
    for (n, id) in invocations.iter().enumerate() {
        if n > 0 {
            out.write_all(b",").map_err(io_err)?;
        }
        serde_json::to_writer(&mut *out, &invocation_record(conn, *id)?).map_err(io_err)?;
    }
    out.write_all(b"]}\n").map_err(io_err)?;
    Ok(invocations.len() as u64)
}

const CSV_HEADER: [&str; 17] = [
    "id",
    "conversation_id",
    "asked_at",
    "replied_at",
    "duration_ms",
    "status",
    "source",
    "agent",
    "profile",
    "labels",
    "tools",
    "prompt",
    "answer",
    "port_invocation_id",
    "trace_id",
    "error_code",
    "error_message",
];

fn write_csv(conn: &Connection, invocations: &[i64], out: &mut dyn Write) -> Result<u64> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER).map_err(io_err)?;
    for id in invocations {
        let d = query::detail(conn, *id, false)?;
        let tools: Vec<&str> = d
            .tool_calls
            .iter()
            .filter_map(|c| c.name.as_deref())
            .collect();
        writer
            .write_record([
                d.id.as_str(),
                d.conversation_id.as_deref().unwrap_or(""),
                &iso(d.asked_at),
                &d.replied_at.map(iso).unwrap_or_default(),
                &d.replied_at
                    .map(|r| (r - d.asked_at).to_string())
                    .unwrap_or_default(),
                d.status.as_str(),
                d.source.as_str(),
                d.agent.as_deref().unwrap_or(""),
                d.profile.as_deref().unwrap_or(""),
                &serde_json::to_string(&d.labels).unwrap_or_default(),
                &tools.join(" "),
                &d.prompt,
                &d.answer,
                d.port_invocation_id.as_deref().unwrap_or(""),
                d.trace_id.as_deref().unwrap_or(""),
                d.error.as_ref().map(|e| e.code.as_str()).unwrap_or(""),
                d.error.as_ref().map(|e| e.message.as_str()).unwrap_or(""),
            ])
            .map_err(io_err)?;
    }
    writer.flush().map_err(io_err)?;
    Ok(invocations.len() as u64)
}

pub(crate) fn export(
    conn: &Connection,
    filter: &HistoryFilter,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<u64> {
    let invocations = filtered_rowids(conn, filter)?;
    match format {
        ExportFormat::Json => write_document(conn, &invocations, out),
        ExportFormat::Jsonl => {
            for id in &invocations {
                serde_json::to_writer(&mut *out, &invocation_record(conn, *id)?).map_err(io_err)?;
                out.write_all(b"\n").map_err(io_err)?;
            }
            out.flush().map_err(io_err)?;
            Ok(invocations.len() as u64)
        }
        ExportFormat::Csv => write_csv(conn, &invocations, out),
    }
}

pub(crate) fn conversation(
    conn: &Connection,
    uid: &str,
    format: ConversationFormat,
) -> Result<String> {
    match format {
        ConversationFormat::Json => {
            let (rowid, _) = query::conversation_summary(conn, uid)?;
            let filter = HistoryFilter {
                conversation_id: Some(uid.to_string()),
                ..HistoryFilter::default()
            };
            let invocations = filtered_rowids(conn, &filter)?;
            let mut out = Vec::new();
            if invocations.is_empty() {
                let doc = Document {
                    format: DOCUMENT_FORMAT.to_string(),
                    version: DOCUMENT_VERSION,
                    exported_at: Some(iso(crate::time::now_ms())),
                    conversations: conversation_record(conn, rowid)?.into_iter().collect(),
                    invocations: Vec::new(),
                };
                return serde_json::to_string(&doc).map_err(io_err);
            }
            write_document(conn, &invocations, &mut out)?;
            String::from_utf8(out).map_err(io_err)
        }
        ConversationFormat::Markdown => Ok(crate::export_markdown::markdown(&query::conversation(
            conn, uid,
        )?)),
    }
}
