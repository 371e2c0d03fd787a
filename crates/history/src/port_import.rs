//! Importing Port's own records (`_ai_invocations`): Port keeps them 30 days, flattened to text;
//! merged here, matched on Port's invocation id, they are kept for good.

use port_api::{PortClient, PortInvocation};
use rusqlite::{params, Connection};
use serde_json::{json, Value};

use crate::error::Result;
use crate::model::{HistoryStatus, ImportReport, Source, StoredError};
use crate::store::HistoryStore;
use crate::time::{now_ms, parse_iso};
use crate::writer::{ensure_conversation, index, insert_labels, json_text};

/// Port answers at most this many records per page.
const PAGE_SIZE: u32 = 1000;

/// A stop for a server that keeps handing out cursors.
const MAX_PAGES: usize = 10_000;

fn status_of(inv: &PortInvocation) -> Option<HistoryStatus> {
    match inv.status.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("completed") => Some(HistoryStatus::Completed),
        Some(s) if s.eq_ignore_ascii_case("failed") => Some(HistoryStatus::Failed),
        // Still running on Port's side: the next import picks it up once it has finished.
        Some(s) if s.eq_ignore_ascii_case("in progress") => None,
        // A status Port added later: keep the record, say what Port called it.
        _ => Some(HistoryStatus::Interrupted),
    }
}

pub(crate) fn import(
    conn: &Connection,
    invocations: &[PortInvocation],
    profile: Option<&str>,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    for inv in invocations {
        let Some(status) = status_of(inv) else {
            report.in_progress_skipped += 1;
            continue;
        };
        let known: bool = conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM invocations WHERE port_invocation_id = ?1)",
            )?
            .query_row([&inv.identifier], |r| r.get(0))?;
        if known {
            report.invocations_skipped += 1;
            continue;
        }
        insert(conn, inv, status, profile)?;
        report.invocations_added += 1;
        report.conversations_added += 1;
    }
    Ok(report)
}

fn insert(
    conn: &Connection,
    inv: &PortInvocation,
    status: HistoryStatus,
    profile: Option<&str>,
) -> Result<()> {
    let replied_at = inv.replied_at.as_deref().and_then(parse_iso);
    let asked_at = inv
        .asked_at
        .as_deref()
        .and_then(parse_iso)
        .or(replied_at)
        .unwrap_or_else(now_ms);
    let prompt = inv.prompt.clone().unwrap_or_default();
    let answer = inv.response.clone().unwrap_or_default();
    let error = match (&inv.error, status) {
        (Some(message), _) if !message.is_empty() => Some(StoredError {
            code: "port_failed".to_string(),
            message: message.clone(),
            details: json!({}),
        }),
        (_, HistoryStatus::Interrupted) => Some(StoredError {
            code: "port_status".to_string(),
            message: format!(
                "Port reported the status {:?}",
                inv.status.as_deref().unwrap_or("")
            ),
            details: json!({}),
        }),
        _ => None,
    };
    // What Port sent is kept whole (who asked, provider, model, …) for the next export.
    let extra = json!({ "port": inv });
    let mut request = serde_json::Map::new();
    if let (Some(provider), Some(model)) = (&inv.provider, &inv.model) {
        request.insert("provider".into(), Value::from(provider.clone()));
        request.insert("model".into(), Value::from(model.clone()));
    }
    let conversation =
        ensure_conversation(conn, &uuid::Uuid::new_v4().to_string(), &prompt, asked_at)?;
    conn.prepare_cached(
        "INSERT INTO invocations(uid, conversation_id, profile, agent, prompt, request, labels,
             status, source, asked_at, replied_at, port_invocation_id, answer, error, error_code,
             extra)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        uuid::Uuid::new_v4().to_string(),
        conversation,
        profile,
        inv.agent,
        prompt,
        json_text(&Value::Object(request))?,
        json_text(&inv.labels)?,
        status.as_str(),
        Source::Port.as_str(),
        asked_at,
        replied_at,
        inv.identifier,
        answer,
        error.as_ref().map(json_text).transpose()?,
        error.as_ref().map(|e| e.code.clone()),
        json_text(&extra)?,
    ])?;
    let rowid = conn.last_insert_rowid();
    insert_labels(conn, rowid, &inv.labels)?;
    index(conn, rowid, &prompt, &answer, "")?;
    Ok(())
}

pub(crate) async fn import_all(
    store: &HistoryStore,
    client: &PortClient,
    profile: Option<String>,
) -> Result<ImportReport> {
    let mut total = ImportReport::default();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = client
            .port_invocations(PAGE_SIZE, cursor.as_deref())
            .await?;
        let report = store.import_port(page.invocations, profile.clone())?;
        total.invocations_added += report.invocations_added;
        total.invocations_skipped += report.invocations_skipped;
        total.in_progress_skipped += report.in_progress_skipped;
        total.conversations_added += report.conversations_added;
        match page.next {
            Some(next) if cursor.as_deref() != Some(next.as_str()) => cursor = Some(next),
            _ => break,
        }
    }
    Ok(total)
}
