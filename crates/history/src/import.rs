//! Importing a Portdesk JSON export (a document or JSON lines): merged without duplicates, and
//! what this version does not understand is kept for the next export.

use std::io::Read;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use crate::assemble::tools_text;
use crate::error::{HistoryError, Result};
use crate::export::{Document, InvocationRecord, DOCUMENT_FORMAT, DOCUMENT_VERSION};
use crate::model::{HistoryStatus, ImportReport, Source};
use crate::writer::{
    ensure_conversation, index, insert_labels, json_text, redact, write_tool_calls,
};

pub(crate) fn read_document(input: &mut dyn Read) -> Result<Document> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| HistoryError::Import(format!("not readable as UTF-8 text: {e}")))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(HistoryError::Import("the file is empty".to_string()));
    }
    // A whole-file JSON object is a document; anything else is tried as JSON lines.
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        if value.get("format").is_some() || value.get("invocations").is_some() {
            return document(value);
        }
    }
    let mut invocations = Vec::new();
    for (n, line) in trimmed.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: InvocationRecord = serde_json::from_str(line).map_err(|e| {
            HistoryError::Import(format!(
                "line {} is neither a Portdesk history export nor one invocation as JSON: {e}",
                n + 1
            ))
        })?;
        invocations.push(record);
    }
    Ok(Document {
        format: DOCUMENT_FORMAT.to_string(),
        version: DOCUMENT_VERSION,
        exported_at: None,
        conversations: Vec::new(),
        invocations,
    })
}

fn document(value: Value) -> Result<Document> {
    match value.get("format").and_then(Value::as_str) {
        Some(DOCUMENT_FORMAT) => {}
        Some(other) => {
            return Err(HistoryError::Import(format!(
                "the format is {other:?}, not a Portdesk history export ({DOCUMENT_FORMAT:?})"
            )))
        }
        None => {
            return Err(HistoryError::Import(
                "no \"format\" field: not a Portdesk history export".to_string(),
            ))
        }
    }
    if let Some(version) = value.get("version").and_then(Value::as_u64) {
        if version > u64::from(DOCUMENT_VERSION) {
            return Err(HistoryError::Import(format!(
                "the export is format version {version}, written by a newer Portdesk (this one \
                 reads up to {DOCUMENT_VERSION}): update Portdesk to import it"
            )));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| HistoryError::Import(format!("not a valid Portdesk history export: {e}")))
}

fn exists(conn: &Connection, sql: &str, key: &str) -> Result<bool> {
    Ok(conn.prepare_cached(sql)?.query_row([key], |r| r.get(0))?)
}

fn extra_text(extra: &serde_json::Map<String, Value>) -> Result<Option<String>> {
    if extra.is_empty() {
        Ok(None)
    } else {
        json_text(extra).map(Some)
    }
}

pub(crate) fn import(conn: &Connection, document: Document) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    for c in &document.conversations {
        if exists(
            conn,
            "SELECT EXISTS(SELECT 1 FROM conversations WHERE uid = ?1)",
            &c.id,
        )? {
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO conversations(uid, title, created_at, updated_at, extra)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            c.id,
            c.title,
            c.created_at,
            c.updated_at,
            extra_text(&c.extra)?
        ])?;
        report.conversations_added += 1;
    }
    for inv in document.invocations {
        if exists(
            conn,
            "SELECT EXISTS(SELECT 1 FROM invocations WHERE uid = ?1)",
            &inv.id,
        )? || inv.port_invocation_id.as_deref().is_some_and(|pid| {
            exists(
                conn,
                "SELECT EXISTS(SELECT 1 FROM invocations WHERE port_invocation_id = ?1)",
                pid,
            )
            .unwrap_or(true)
        }) {
            report.invocations_skipped += 1;
            continue;
        }
        let added_conversation = insert(conn, &inv)?;
        if added_conversation {
            report.conversations_added += 1;
        }
        report.invocations_added += 1;
    }
    Ok(report)
}

/// Inserts one invocation with its events and tool calls; returns whether it needed a new
/// conversation.
fn insert(conn: &Connection, inv: &InvocationRecord) -> Result<bool> {
    let status = match HistoryStatus::parse(&inv.status) {
        // Nobody is recording it here: it ends as interrupted, never completed.
        Some(HistoryStatus::Streaming) => HistoryStatus::Interrupted,
        Some(s) => s,
        None => {
            return Err(HistoryError::Import(format!(
                "invocation {}: unknown status {:?}",
                inv.id, inv.status
            )))
        }
    };
    let source = Source::parse(&inv.source).unwrap_or(Source::Import);
    let conversation_uid = inv
        .conversation_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let had_conversation: Option<i64> = conn
        .prepare_cached("SELECT id FROM conversations WHERE uid = ?1")?
        .query_row([&conversation_uid], |r| r.get(0))
        .optional()?;
    let conversation = ensure_conversation(conn, &conversation_uid, &inv.prompt, inv.asked_at)?;
    let error_code = inv
        .error
        .as_ref()
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str);
    conn.prepare_cached(
        "INSERT INTO invocations(uid, conversation_id, profile, agent, prompt, request, labels,
             tool_patterns, status, source, asked_at, first_token_at, replied_at,
             port_invocation_id, trace_id, quota, answer, error, error_code, event_count, extra)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21)",
    )?
    .execute(params![
        inv.id,
        conversation,
        inv.profile,
        inv.agent,
        inv.prompt,
        json_text(&redact(inv.request.clone()))?,
        json_text(&inv.labels)?,
        json_text(&inv.tool_patterns)?,
        status.as_str(),
        source.as_str(),
        inv.asked_at,
        inv.first_token_at,
        inv.replied_at,
        inv.port_invocation_id,
        inv.trace_id,
        inv.quota.as_ref().map(json_text).transpose()?,
        inv.answer,
        inv.error.as_ref().map(json_text).transpose()?,
        error_code,
        inv.events.len() as i64,
        extra_text(&inv.extra)?,
    ])?;
    let rowid = conn.last_insert_rowid();
    insert_labels(conn, rowid, &inv.labels)?;
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO events(invocation_id, seq, kind, payload, at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in &inv.events {
        stmt.execute(params![rowid, e.seq, e.kind, json_text(&e.payload)?, e.at])?;
    }
    write_tool_calls(conn, rowid, &inv.tool_calls)?;
    index(
        conn,
        rowid,
        &inv.prompt,
        &inv.answer,
        &tools_text(&inv.tool_calls),
    )?;
    conn.prepare_cached("UPDATE conversations SET updated_at = max(updated_at, ?2) WHERE id = ?1")?
        .execute(params![conversation, inv.asked_at])?;
    Ok(had_conversation.is_none())
}
