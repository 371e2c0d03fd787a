//! Reading the history: the keyset-paged list, one invocation in full, conversations, facets.

use std::collections::BTreeMap;

use port_api::PortError;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};
use serde_json::Value;

use crate::error::{HistoryError, Result};
use crate::filter::filter_sql;
use crate::model::*;
use crate::writer::fold_events;

/// The columns of [`InvocationSummary`], over `invocations i` joined to `conversations c`.
pub(crate) const SUMMARY_COLUMNS: &str = "i.uid, c.uid, i.profile, i.agent, i.source, i.status,
    substr(i.prompt, 1, 200), substr(i.answer, 1, 200), i.asked_at, i.first_token_at,
    i.replied_at, i.port_invocation_id, i.labels,
    (SELECT group_concat(name, char(31)) FROM (SELECT DISTINCT name FROM tool_calls t
        WHERE t.invocation_id = i.id AND t.name IS NOT NULL)),
    i.error_code, i.event_count, i.id";

/// How many columns [`SUMMARY_COLUMNS`] has; the next column is free for the caller.
pub(crate) const SUMMARY_WIDTH: usize = 17;

pub(crate) fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<InvocationSummary> {
    let labels: String = row.get(12)?;
    let tools: Option<String> = row.get(13)?;
    Ok(InvocationSummary {
        id: row.get(0)?,
        conversation_id: row.get(1)?,
        profile: row.get(2)?,
        agent: row.get(3)?,
        source: Source::parse(&row.get::<_, String>(4)?).unwrap_or(Source::Import),
        status: HistoryStatus::parse(&row.get::<_, String>(5)?)
            .unwrap_or(HistoryStatus::Interrupted),
        prompt_preview: row.get(6)?,
        answer_preview: row.get(7)?,
        asked_at: row.get(8)?,
        first_token_at: row.get(9)?,
        replied_at: row.get(10)?,
        port_invocation_id: row.get(11)?,
        labels: serde_json::from_str(&labels).unwrap_or_default(),
        tool_names: tools
            .map(|t| t.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
        error_code: row.get(14)?,
        event_count: row.get(15)?,
    })
}

pub(crate) fn clamp_limit(limit: u32) -> i64 {
    i64::from(limit.clamp(1, PageRequest::MAX_LIMIT))
}

fn parse_list_cursor(cursor: &str) -> Result<(i64, i64)> {
    let bad = || HistoryError::InvalidInput(format!("not a page cursor: {cursor:?}"));
    let (at, id) = cursor.split_once('.').ok_or_else(bad)?;
    Ok((
        at.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

fn list_sql(w: &crate::filter::Where, limit: i64) -> String {
    format!(
        "SELECT {SUMMARY_COLUMNS} FROM invocations i
         LEFT JOIN conversations c ON c.id = i.conversation_id
         {} ORDER BY i.asked_at DESC, i.id DESC LIMIT {limit}",
        w.sql()
    )
}

/// Newest first; keyset-paged on (asked_at, id), never OFFSET, so page 1,000 costs what page 1 does.
pub(crate) fn list(
    conn: &Connection,
    filter: &HistoryFilter,
    page: &PageRequest,
) -> Result<Page<InvocationSummary>> {
    let mut w = filter_sql(filter);
    if let Some(cursor) = &page.cursor {
        let (at, id) = parse_list_cursor(cursor)?;
        w.push(
            "(i.asked_at, i.id) < (?, ?)",
            [SqlValue::Integer(at), SqlValue::Integer(id)],
        );
    }
    let limit = clamp_limit(page.limit);
    let mut stmt = conn.prepare_cached(&list_sql(&w, limit + 1))?;
    let mut items = Vec::new();
    let mut keys = Vec::new();
    let mut rows = stmt.query(params_from_iter(w.params.iter()))?;
    while let Some(row) = rows.next()? {
        let summary = summary_from_row(row)?;
        keys.push((summary.asked_at, row.get::<_, i64>(16)?));
        items.push(summary);
    }
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        keys.get(items.len() - 1)
            .map(|(at, id)| format!("{at}.{id}"))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

pub(crate) fn stored_error(err: &PortError) -> StoredError {
    let mut details = serde_json::to_value(err).unwrap_or(Value::Null);
    if let Some(map) = details.as_object_mut() {
        map.remove("code");
        map.remove("message");
        map.retain(|_, v| !v.is_null());
    }
    StoredError {
        code: err.code.as_str().to_string(),
        message: err.message.clone(),
        details,
    }
}

fn parse_json(text: Option<String>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

pub(crate) fn tool_calls(conn: &Connection, rowid: i64) -> Result<Vec<ToolCall>> {
    let mut stmt = conn.prepare_cached(
        "SELECT call_id, name, arguments, result, started_at, arguments_done_at,
             result_started_at, finished_at, arguments_complete, result_complete
         FROM tool_calls WHERE invocation_id = ?1 ORDER BY ordinal",
    )?;
    let rows = stmt.query_map([rowid], |r| {
        Ok(ToolCall {
            call_id: r.get(0)?,
            name: r.get(1)?,
            arguments: r.get(2)?,
            result: r.get(3)?,
            started_at: r.get(4)?,
            arguments_done_at: r.get(5)?,
            result_started_at: r.get(6)?,
            finished_at: r.get(7)?,
            arguments_complete: r.get(8)?,
            result_complete: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn events(conn: &Connection, rowid: i64) -> Result<Vec<EventRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, kind, payload FROM events WHERE invocation_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([rowid], |r| {
        let payload: String = r.get(3)?;
        Ok(EventRecord {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            payload: serde_json::from_str(&payload).unwrap_or(Value::String(payload)),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The store's row id of an invocation.
pub(crate) fn rowid_of(conn: &Connection, uid: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM invocations WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| HistoryError::not_found("invocation", uid))
}

/// One invocation in full. A streaming one is assembled from its events so far.
pub(crate) fn detail(conn: &Connection, rowid: i64, with_events: bool) -> Result<InvocationDetail> {
    let mut detail = conn
        .prepare_cached(
            "SELECT i.uid, c.uid, i.profile, i.agent, i.source, i.status, i.prompt, i.request,
                 i.labels, i.tool_patterns, i.asked_at, i.first_token_at, i.replied_at,
                 i.port_invocation_id, i.trace_id, i.quota, i.answer, i.error
             FROM invocations i LEFT JOIN conversations c ON c.id = i.conversation_id
             WHERE i.id = ?1",
        )?
        .query_row([rowid], |r| {
            let request: String = r.get(7)?;
            let labels: String = r.get(8)?;
            let patterns: String = r.get(9)?;
            Ok(InvocationDetail {
                id: r.get(0)?,
                conversation_id: r.get(1)?,
                profile: r.get(2)?,
                agent: r.get(3)?,
                source: Source::parse(&r.get::<_, String>(4)?).unwrap_or(Source::Import),
                status: HistoryStatus::parse(&r.get::<_, String>(5)?)
                    .unwrap_or(HistoryStatus::Interrupted),
                prompt: r.get(6)?,
                request: serde_json::from_str(&request).unwrap_or(Value::Null),
                labels: serde_json::from_str::<BTreeMap<String, String>>(&labels)
                    .unwrap_or_default(),
                tool_patterns: serde_json::from_str(&patterns).unwrap_or_default(),
                asked_at: r.get(10)?,
                first_token_at: r.get(11)?,
                replied_at: r.get(12)?,
                port_invocation_id: r.get(13)?,
                trace_id: r.get(14)?,
                quota: parse_json(r.get(15)?),
                answer: r.get(16)?,
                error: parse_json(r.get(17)?).and_then(|v| serde_json::from_value(v).ok()),
                tool_calls: Vec::new(),
                events: Vec::new(),
            })
        })?;
    if detail.status == HistoryStatus::Streaming {
        let assembler = fold_events(conn, rowid)?;
        detail.answer = assembler.answer().to_string();
        detail.tool_calls = assembler.tool_calls();
        detail.first_token_at = assembler.first_token_at();
        detail.port_invocation_id = assembler.port_invocation_id().map(str::to_string);
    } else {
        detail.tool_calls = tool_calls(conn, rowid)?;
    }
    if with_events {
        detail.events = events(conn, rowid)?;
    }
    Ok(detail)
}

pub(crate) fn conversation_summary(
    conn: &Connection,
    uid: &str,
) -> Result<(i64, ConversationSummary)> {
    conn.prepare_cached(&format!(
        "SELECT c.id, {CONVERSATION_COLUMNS} FROM conversations c WHERE c.uid = ?1"
    ))?
    .query_row([uid], |r| Ok((r.get(0)?, conversation_from_row(r, 1)?)))
    .optional()?
    .ok_or_else(|| HistoryError::not_found("conversation", uid))
}

const CONVERSATION_COLUMNS: &str = "c.uid, c.title, c.created_at, c.updated_at,
    (SELECT count(*) FROM invocations i WHERE i.conversation_id = c.id),
    (SELECT i.agent FROM invocations i WHERE i.conversation_id = c.id ORDER BY i.asked_at DESC LIMIT 1),
    (SELECT i.profile FROM invocations i WHERE i.conversation_id = c.id ORDER BY i.asked_at DESC LIMIT 1)";

fn conversation_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<ConversationSummary> {
    Ok(ConversationSummary {
        id: r.get(at)?,
        title: r.get(at + 1)?,
        created_at: r.get(at + 2)?,
        updated_at: r.get(at + 3)?,
        invocation_count: r.get(at + 4)?,
        agent: r.get(at + 5)?,
        profile: r.get(at + 6)?,
    })
}

pub(crate) fn conversation(conn: &Connection, uid: &str) -> Result<ConversationDetail> {
    let (rowid, conversation) = conversation_summary(conn, uid)?;
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM invocations WHERE conversation_id = ?1 ORDER BY asked_at, id",
        )?;
        let rows = stmt.query_map([rowid], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let invocations = ids
        .into_iter()
        .map(|id| detail(conn, id, false))
        .collect::<Result<_>>()?;
    Ok(ConversationDetail {
        conversation,
        invocations,
    })
}

/// Conversations, most recently active first; keyset-paged on (updated_at, id).
pub(crate) fn conversations(
    conn: &Connection,
    page: &PageRequest,
) -> Result<Page<ConversationSummary>> {
    let limit = clamp_limit(page.limit);
    let (at, id) = match &page.cursor {
        Some(cursor) => parse_list_cursor(cursor)?,
        None => (i64::MAX, i64::MAX),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, {CONVERSATION_COLUMNS} FROM conversations c
         WHERE (c.updated_at, c.id) < (?1, ?2)
         ORDER BY c.updated_at DESC, c.id DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(rusqlite::params![at, id, limit + 1], |r| {
        Ok((r.get::<_, i64>(0)?, conversation_from_row(r, 1)?))
    })?;
    let mut rows: Vec<(i64, ConversationSummary)> = rows.collect::<rusqlite::Result<_>>()?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|(id, c)| format!("{}.{id}", c.updated_at))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|(_, c)| c).collect(),
        next_cursor,
    })
}

fn strings(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn facets(conn: &Connection) -> Result<Facets> {
    Ok(Facets {
        agents: strings(
            conn,
            "SELECT DISTINCT agent FROM invocations WHERE agent IS NOT NULL ORDER BY agent",
        )?,
        general_assistant: conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM invocations WHERE agent IS NULL)",
            [],
            |r| r.get(0),
        )?,
        profiles: strings(
            conn,
            "SELECT DISTINCT profile FROM invocations WHERE profile IS NOT NULL ORDER BY profile",
        )?,
        tools: strings(
            conn,
            "SELECT DISTINCT name FROM tool_calls WHERE name IS NOT NULL ORDER BY name",
        )?,
        label_keys: strings(
            conn,
            "SELECT DISTINCT key FROM invocation_labels ORDER BY key",
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tests::{plan, schema};

    /// Pages come straight off an index in order (no sort of the whole history), whatever the
    /// cursor; an agent filter uses its own index.
    #[test]
    fn list_pages_are_index_ordered() {
        let conn = schema();
        let mut w = filter_sql(&HistoryFilter::default());
        w.push(
            "(i.asked_at, i.id) < (?, ?)",
            [SqlValue::Integer(1), SqlValue::Integer(2)],
        );
        let p = plan(&conn, &list_sql(&w, 51), &w.params);
        assert!(p.contains("INDEX invocations_by_time"), "{p}");
        assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{p}");
        let agent = filter_sql(&HistoryFilter {
            agent: Some(AgentFilter::Agent("ops".into())),
            ..Default::default()
        });
        let p = plan(&conn, &list_sql(&agent, 51), &agent.params);
        assert!(p.contains("INDEX invocations_by_agent"), "{p}");
        assert!(!p.contains("TEMP B-TREE FOR ORDER BY"), "{p}");
    }
}
