//! Retention, deletion, wiping and keeping the search index compact.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{HistoryError, Result};
use crate::model::Retention;
use crate::time::now_ms;

const RETENTION_KEY: &str = "retention_days";
const FTS_CHANGES_KEY: &str = "fts_changes";

/// After this many index changes the next open (or [`crate::HistoryStore::optimize`]) merges the
/// index into one segment: without it, an index that sees many updates keeps growing.
pub(crate) const OPTIMIZE_AFTER_CHANGES: i64 = 5_000;

pub(crate) fn count_fts_change(conn: &Connection, n: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + ?2",
    )?
    .execute(params![FTS_CHANGES_KEY, n])?;
    Ok(())
}

pub(crate) fn fts_changes(conn: &Connection) -> Result<i64> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [FTS_CHANGES_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub(crate) fn optimize(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO invocations_fts(invocations_fts) VALUES ('optimize')",
        [],
    )?;
    conn.execute(
        "INSERT OR REPLACE INTO settings(key, value) VALUES (?1, '0')",
        [FTS_CHANGES_KEY],
    )?;
    Ok(())
}

pub(crate) fn retention(conn: &Connection) -> Result<Retention> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [RETENTION_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match value.and_then(|v| v.parse::<u32>().ok()) {
        Some(days) if days > 0 => Retention::Days(days),
        _ => Retention::Forever,
    })
}

pub(crate) fn set_retention(conn: &Connection, retention: Retention) -> Result<()> {
    match retention {
        Retention::Forever => {
            conn.execute("DELETE FROM settings WHERE key = ?1", [RETENTION_KEY])?;
        }
        Retention::Days(0) => {
            return Err(HistoryError::InvalidInput(
                "retention must be at least one day (or forever)".to_string(),
            ))
        }
        Retention::Days(days) => {
            conn.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)",
                params![RETENTION_KEY, days.to_string()],
            )?;
        }
    }
    Ok(())
}

/// Deletes the invocations matching `condition` over `invocations` (never live streams), with
/// their events, tool calls, labels and search entries, and conversations left empty.
fn delete_where(
    conn: &Connection,
    condition: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<u32> {
    let scope = format!("SELECT id FROM invocations WHERE ({condition}) AND status <> 'streaming'");
    conn.execute(
        &format!("DELETE FROM invocations_fts WHERE rowid IN ({scope})"),
        params,
    )?;
    let deleted = conn.execute(
        &format!("DELETE FROM invocations WHERE id IN ({scope})"),
        params,
    )?;
    conn.execute(
        "DELETE FROM conversations WHERE NOT EXISTS
             (SELECT 1 FROM invocations i WHERE i.conversation_id = conversations.id)",
        [],
    )?;
    count_fts_change(conn, deleted as i64)?;
    Ok(u32::try_from(deleted).unwrap_or(u32::MAX))
}

pub(crate) fn apply_retention(conn: &Connection) -> Result<u32> {
    match retention(conn)? {
        Retention::Forever => Ok(0),
        Retention::Days(days) => {
            let cutoff = now_ms() - i64::from(days) * 86_400_000;
            delete_where(conn, "asked_at < ?1", &[&cutoff])
        }
    }
}

pub(crate) fn delete_invocation(conn: &Connection, uid: &str) -> Result<bool> {
    let status: Option<String> = conn
        .query_row(
            "SELECT status FROM invocations WHERE uid = ?1",
            [uid],
            |r| r.get(0),
        )
        .optional()?;
    match status.as_deref() {
        None => Err(HistoryError::not_found("invocation", uid)),
        Some("streaming") => Err(HistoryError::InvalidInput(
            "this invocation is still streaming: stop it first".to_string(),
        )),
        Some(_) => Ok(delete_where(conn, "uid = ?1", &[&uid])? > 0),
    }
}

pub(crate) fn delete_conversation(conn: &Connection, uid: &str) -> Result<u32> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM conversations WHERE uid = ?1)",
        [uid],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(HistoryError::not_found("conversation", uid));
    }
    let deleted = delete_where(
        conn,
        "conversation_id = (SELECT id FROM conversations WHERE uid = ?1)",
        &[&uid],
    )?;
    // Only if nothing in it is still streaming.
    conn.execute(
        "DELETE FROM conversations WHERE uid = ?1 AND NOT EXISTS
             (SELECT 1 FROM invocations i WHERE i.conversation_id = conversations.id)",
        [uid],
    )?;
    Ok(deleted)
}

/// Everything but live streams and the settings: rows, events, the search index's content.
pub(crate) fn wipe(conn: &Connection) -> Result<u32> {
    let deleted = delete_where(conn, "1", &[])?;
    optimize(conn)?;
    Ok(deleted)
}
