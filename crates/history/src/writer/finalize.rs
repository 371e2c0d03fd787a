//! Ending an invocation: its answer, tool calls, status and search entry, from the events
//! recorded. Used when a stream finishes, when a dead writer's stream is found, and by imports.

use port_api::InvokeEvent;
use rusqlite::{params, Connection};
use serde_json::json;

use super::WriterCtx;
use crate::assemble::{tools_text, Assembler};
use crate::error::Result;
use crate::liveness;
use crate::model::{HistoryStatus, StoredError, ToolCall};
use crate::writer::record::json_text;

pub(crate) struct Finalize<'a> {
    pub rowid: i64,
    pub prompt: &'a str,
    pub assembler: &'a Assembler,
    pub status: HistoryStatus,
    pub error: Option<StoredError>,
    pub trace_id: Option<&'a str>,
    pub replied_at: i64,
}

pub(crate) fn stopped_error() -> StoredError {
    StoredError {
        code: "stream_interrupted".to_string(),
        message: "Portdesk stopped before the invocation finished (the app or the CLI was closed \
                  or killed); everything that arrived until then is kept"
            .to_string(),
        details: json!({}),
    }
}

pub(crate) fn finalize(conn: &Connection, f: &Finalize<'_>) -> Result<()> {
    let calls = f.assembler.tool_calls();
    let port_id = match f.assembler.port_invocation_id() {
        Some(pid) => claim_port_id(conn, pid, f.rowid)?.then_some(pid),
        None => None,
    };
    let error = f.error.as_ref().map(json_text).transpose()?;
    let quota = f.assembler.quota().map(json_text).transpose()?;
    conn.prepare_cached(
        "UPDATE invocations SET status = ?2, first_token_at = ?3, replied_at = ?4,
             port_invocation_id = coalesce(port_invocation_id, ?5),
             trace_id = coalesce(?6, trace_id), quota = coalesce(?7, quota), answer = ?8,
             error = ?9, error_code = ?10, event_count = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        f.rowid,
        f.status.as_str(),
        f.assembler.first_token_at(),
        f.replied_at,
        port_id,
        f.trace_id,
        quota,
        f.assembler.answer(),
        error,
        f.error.as_ref().map(|e| e.code.as_str()),
        f.assembler.events,
    ])?;
    write_tool_calls(conn, f.rowid, &calls)?;
    index(
        conn,
        f.rowid,
        f.prompt,
        f.assembler.answer(),
        &tools_text(&calls),
    )?;
    Ok(())
}

/// Port's own record of this invocation, imported before, gives way to this fuller one. Returns
/// whether the id is free for this row (another local recording may hold it already).
fn claim_port_id(conn: &Connection, port_id: &str, rowid: i64) -> Result<bool> {
    conn.prepare_cached(
        "DELETE FROM invocations_fts WHERE rowid IN (SELECT id FROM invocations
             WHERE port_invocation_id = ?1 AND id <> ?2 AND source = 'port')",
    )?
    .execute(params![port_id, rowid])?;
    conn.prepare_cached(
        "DELETE FROM invocations WHERE port_invocation_id = ?1 AND id <> ?2 AND source = 'port'",
    )?
    .execute(params![port_id, rowid])?;
    let taken: bool = conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM invocations WHERE port_invocation_id = ?1 AND id <> ?2)",
        )?
        .query_row(params![port_id, rowid], |r| r.get(0))?;
    Ok(!taken)
}

pub(crate) fn write_tool_calls(conn: &Connection, rowid: i64, calls: &[ToolCall]) -> Result<()> {
    conn.prepare_cached("DELETE FROM tool_calls WHERE invocation_id = ?1")?
        .execute([rowid])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO tool_calls(invocation_id, ordinal, call_id, name, arguments, result,
             started_at, arguments_done_at, result_started_at, finished_at,
             arguments_complete, result_complete)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (ordinal, call) in calls.iter().enumerate() {
        stmt.execute(params![
            rowid,
            i64::try_from(ordinal).unwrap_or(i64::MAX),
            call.call_id,
            call.name,
            call.arguments,
            call.result,
            call.started_at,
            call.arguments_done_at,
            call.result_started_at,
            call.finished_at,
            call.arguments_complete,
            call.result_complete,
        ])?;
    }
    Ok(())
}

/// (Re)indexes one invocation for search, and counts the change toward the next `optimize`.
pub(crate) fn index(
    conn: &Connection,
    rowid: i64,
    prompt: &str,
    answer: &str,
    tools: &str,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM invocations_fts WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached(
        "INSERT INTO invocations_fts(rowid, prompt, answer, tools) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![rowid, prompt, answer, tools])?;
    crate::maintenance::count_fts_change(conn, 1)?;
    Ok(())
}

/// Folds the recorded events of one invocation.
pub(crate) fn fold_events(conn: &Connection, rowid: i64) -> Result<Assembler> {
    let mut assembler = Assembler::default();
    let mut stmt = conn
        .prepare_cached("SELECT at, payload FROM events WHERE invocation_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([rowid])?;
    while let Some(row) = rows.next()? {
        let at: i64 = row.get(0)?;
        let payload: String = row.get(1)?;
        // An event kind from a newer build is kept in the log; it just adds nothing here.
        if let Ok(event) = serde_json::from_str::<InvokeEvent>(&payload) {
            assembler.apply(at, &event);
        } else {
            assembler.events += 1;
        }
    }
    Ok(assembler)
}

/// Marks invocations left streaming by writers that are no longer alive as interrupted, with
/// their answer and tool calls assembled from the events that reached the file.
pub(crate) fn recover_dead_writers(ctx: &mut WriterCtx) -> Result<Vec<String>> {
    let tokens: Vec<Option<String>> = {
        let mut stmt = ctx
            .conn
            .prepare("SELECT DISTINCT writer_token FROM invocations WHERE status = 'streaming'")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut recovered = Vec::new();
    for token in tokens {
        if let Some(t) = &token {
            if *t == ctx.lock.token || liveness::is_alive(&ctx.db_path, t) {
                continue;
            }
        }
        let ids = ctx.transaction(|conn| {
            let rows: Vec<(i64, String, String, i64)> = {
                let mut stmt = conn.prepare(
                    "SELECT id, uid, prompt, asked_at FROM invocations
                     WHERE status = 'streaming' AND writer_token IS ?1",
                )?;
                let rows = stmt.query_map([&token], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let mut ids = Vec::new();
            for (rowid, uid, prompt, asked_at) in rows {
                let assembler = fold_events(conn, rowid)?;
                finalize(
                    conn,
                    &Finalize {
                        rowid,
                        prompt: &prompt,
                        assembler: &assembler,
                        status: HistoryStatus::Interrupted,
                        error: Some(stopped_error()),
                        trace_id: None,
                        replied_at: assembler.last_at().unwrap_or(asked_at),
                    },
                )?;
                ids.push(uid);
            }
            Ok(ids)
        })?;
        if let Some(t) = &token {
            liveness::forget(&ctx.db_path, t);
        }
        recovered.extend(ids);
    }
    Ok(recovered)
}
