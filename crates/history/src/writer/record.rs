//! Rows written while an invocation streams: the invocation itself and its events.

use std::collections::BTreeMap;

use port_api::InvokeEvent;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use crate::assemble::kind_of;
use crate::error::{HistoryError, Result};
use crate::model::NewInvocation;

/// Keys that name a credential. A request body never carries one; if a future field did, it is
/// masked here rather than written to disk.
const SECRET_KEYS: &[&str] = &[
    "clientsecret",
    "accesstoken",
    "authorization",
    "password",
    "apikey",
    "secret",
    "token",
    "bearer",
    "refreshtoken",
];

pub(crate) const REDACTED: &str = "<redacted>";

pub(crate) fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let norm: String = k
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric())
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    if SECRET_KEYS.contains(&norm.as_str()) {
                        (k, Value::String(REDACTED.to_string()))
                    } else {
                        (k, redact(v))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

/// A conversation's title: the prompt's first non-empty line, at most 80 characters.
pub(crate) fn title_from(prompt: &str) -> String {
    let line = prompt
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.is_empty() {
        return "Untitled".to_string();
    }
    if line.chars().count() <= 80 {
        return line.to_string();
    }
    let mut cut: String = line.chars().take(79).collect();
    cut.push('…');
    cut
}

pub(crate) fn ensure_conversation(
    conn: &Connection,
    uid: &str,
    prompt: &str,
    at: i64,
) -> Result<i64> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM conversations WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    conn.prepare_cached(
        "INSERT INTO conversations(uid, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![uid, title_from(prompt), at])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn insert_labels(
    conn: &Connection,
    rowid: i64,
    labels: &BTreeMap<String, String>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO invocation_labels(invocation_id, key, value) VALUES (?1, ?2, ?3)",
    )?;
    for (key, value) in labels {
        stmt.execute(params![rowid, key, value])?;
    }
    Ok(())
}

pub(crate) fn json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| HistoryError::InvalidInput(e.to_string()))
}

pub(crate) fn insert_invocation(
    conn: &Connection,
    writer_token: &str,
    new: &NewInvocation,
    id: &str,
    conversation_id: &str,
    at: i64,
) -> Result<i64> {
    let conversation = ensure_conversation(conn, conversation_id, &new.prompt, at)?;
    let request = redact(new.request.clone());
    conn.prepare_cached(
        "INSERT INTO invocations(uid, conversation_id, profile, agent, prompt, request, labels,
             tool_patterns, status, source, asked_at, writer_pid, writer_token)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'streaming', ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        id,
        conversation,
        new.profile,
        new.agent,
        new.prompt,
        json_text(&request)?,
        json_text(&new.labels)?,
        json_text(&new.tool_patterns)?,
        new.source.as_str(),
        at,
        i64::from(std::process::id()),
        writer_token,
    ])?;
    let rowid = conn.last_insert_rowid();
    insert_labels(conn, rowid, &new.labels)?;
    conn.prepare_cached("UPDATE conversations SET updated_at = max(updated_at, ?2) WHERE id = ?1")?
        .execute(params![conversation, at])?;
    Ok(rowid)
}

pub(crate) fn insert_event(
    conn: &Connection,
    rowid: i64,
    seq: i64,
    event: &InvokeEvent,
    payload: &str,
    at: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO events(invocation_id, seq, kind, payload, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![rowid, seq, kind_of(event), payload, at])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_credential_keys_at_any_depth() {
        let body = json!({
            "userPrompt": "hi",
            "clientSecret": "s3cret",
            "nested": [{"access_token": "t"}, {"Authorization": "Bearer x"}],
            "maxTokens": 5
        });
        let clean = redact(body);
        assert_eq!(clean["clientSecret"], REDACTED);
        assert_eq!(clean["nested"][0]["access_token"], REDACTED);
        assert_eq!(clean["nested"][1]["Authorization"], REDACTED);
        assert_eq!(clean["userPrompt"], "hi");
        assert_eq!(clean["maxTokens"], 5);
    }

    #[test]
    fn titles_come_from_the_first_line() {
        assert_eq!(title_from("\n  Why did it fail?\nmore"), "Why did it fail?");
        assert_eq!(title_from("   "), "Untitled");
        let long = "x".repeat(100);
        assert_eq!(title_from(&long).chars().count(), 80);
    }
}
