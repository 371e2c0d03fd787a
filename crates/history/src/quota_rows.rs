//! The quota tables (migration 4) as plain rows. What the figures mean, and what the limiter does
//! with them, is the `quota` crate's business; this module only stores and reads them.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// One set of figures Port reported, with when it was read. `None`: not reported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuotaSnapshotRow {
    pub profile: String,
    pub read_at_ms: i64,
    /// `done`, `endpoint` or `headers`.
    pub source: String,
    pub max_requests: Option<f64>,
    pub remaining_requests: Option<f64>,
    pub max_tokens: Option<f64>,
    pub remaining_tokens: Option<f64>,
    pub window_reset_at_ms: Option<i64>,
    pub monthly_limit: Option<f64>,
    pub remaining_quota: Option<f64>,
    pub month: Option<String>,
    pub month_reset_at_ms: Option<i64>,
    /// The figures as received (kept whole, unknown fields included).
    pub raw: Option<String>,
}

impl QuotaSnapshotRow {
    pub fn has_window(&self) -> bool {
        self.remaining_requests.is_some() || self.remaining_tokens.is_some()
    }

    pub fn has_monthly(&self) -> bool {
        self.remaining_quota.is_some() || self.monthly_limit.is_some()
    }
}

/// What the limiter learnt from a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimiterRow {
    pub profile: String,
    /// `rate_limited` or `quota_exceeded`.
    pub kind: String,
    pub until_ms: i64,
    pub reset_date: Option<String>,
    pub message: Option<String>,
    pub set_at_ms: i64,
}

/// Invocations of one day, agent and chat mode (the quota panel's charts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageRow {
    /// Whole days since the epoch (UTC).
    pub day: i64,
    /// `None`: the general assistant.
    pub agent: Option<String>,
    pub chat_mode: Option<String>,
    pub count: i64,
}

const SNAPSHOT_COLUMNS: &str = "profile, read_at, source, max_requests, remaining_requests, \
     max_tokens, remaining_tokens, window_reset_at, monthly_limit, remaining_quota, month, \
     month_reset_at, raw";

fn snapshot(r: &Row<'_>) -> rusqlite::Result<QuotaSnapshotRow> {
    Ok(QuotaSnapshotRow {
        profile: r.get(0)?,
        read_at_ms: r.get(1)?,
        source: r.get(2)?,
        max_requests: r.get(3)?,
        remaining_requests: r.get(4)?,
        max_tokens: r.get(5)?,
        remaining_tokens: r.get(6)?,
        window_reset_at_ms: r.get(7)?,
        monthly_limit: r.get(8)?,
        remaining_quota: r.get(9)?,
        month: r.get(10)?,
        month_reset_at_ms: r.get(11)?,
        raw: r.get(12)?,
    })
}

pub(crate) fn insert_snapshot(conn: &Connection, s: &QuotaSnapshotRow) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO quota_snapshots ({SNAPSHOT_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        ),
        params![
            s.profile,
            s.read_at_ms,
            s.source,
            s.max_requests,
            s.remaining_requests,
            s.max_tokens,
            s.remaining_tokens,
            s.window_reset_at_ms,
            s.monthly_limit,
            s.remaining_quota,
            s.month,
            s.month_reset_at_ms,
            s.raw,
        ],
    )?;
    Ok(())
}

/// Which of a profile's newest snapshots to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotKind {
    Any,
    /// One with rate-window figures.
    Window,
    /// One with monthly figures.
    Monthly,
}

pub(crate) fn latest_snapshot(
    conn: &Connection,
    profile: &str,
    kind: SnapshotKind,
) -> Result<Option<QuotaSnapshotRow>> {
    let condition = match kind {
        SnapshotKind::Any => "",
        SnapshotKind::Window => {
            "AND (remaining_requests IS NOT NULL OR remaining_tokens IS NOT NULL)"
        }
        SnapshotKind::Monthly => "AND (remaining_quota IS NOT NULL OR monthly_limit IS NOT NULL)",
    };
    Ok(conn
        .query_row(
            &format!(
                "SELECT {SNAPSHOT_COLUMNS} FROM quota_snapshots WHERE profile = ?1 {condition}
                 ORDER BY read_at DESC, id DESC LIMIT 1"
            ),
            [profile],
            snapshot,
        )
        .optional()?)
}

/// A profile's snapshots read at or after `since_ms`, oldest first, without their raw figures
/// (a month of series for the projection does not need them; `raw` is `None`).
pub(crate) fn snapshots_since(
    conn: &Connection,
    profile: &str,
    since_ms: i64,
) -> Result<Vec<QuotaSnapshotRow>> {
    let columns = SNAPSHOT_COLUMNS.replace(", raw", ", NULL");
    let mut stmt = conn.prepare(&format!(
        "SELECT {columns} FROM quota_snapshots WHERE profile = ?1 AND read_at >= ?2
         ORDER BY read_at, id"
    ))?;
    let rows = stmt.query_map(params![profile, since_ms], snapshot)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every profile with figures, most recently read first.
pub(crate) fn profiles(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT profile FROM quota_snapshots GROUP BY profile ORDER BY max(read_at) DESC",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn limiter(conn: &Connection, profile: &str) -> Result<Option<LimiterRow>> {
    Ok(conn
        .query_row(
            "SELECT profile, kind, until, reset_date, message, set_at FROM quota_limiter
             WHERE profile = ?1",
            [profile],
            |r| {
                Ok(LimiterRow {
                    profile: r.get(0)?,
                    kind: r.get(1)?,
                    until_ms: r.get(2)?,
                    reset_date: r.get(3)?,
                    message: r.get(4)?,
                    set_at_ms: r.get(5)?,
                })
            },
        )
        .optional()?)
}

pub(crate) fn set_limiter(conn: &Connection, row: &LimiterRow) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO quota_limiter (profile, kind, until, reset_date, message, set_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            row.profile,
            row.kind,
            row.until_ms,
            row.reset_date,
            row.message,
            row.set_at_ms
        ],
    )?;
    Ok(())
}

pub(crate) fn clear_limiter(conn: &Connection, profile: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM quota_limiter WHERE profile = ?1", [profile])? > 0)
}

pub(crate) fn preference(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM quota_preferences WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) fn set_preference(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO quota_preferences (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

/// Two reset times this close apart are the same window: each snapshot computes the reset from
/// its own read time, a few milliseconds apart.
const SAME_WINDOW_MS: i64 = 5_000;

/// Records that an alert fired; false when it had already fired for this window. A window key
/// that is a reset time (ms) also matches keys within [`SAME_WINDOW_MS`] of it.
pub(crate) fn mark_alert(
    conn: &Connection,
    profile: &str,
    metric: &str,
    window_key: &str,
    now_ms: i64,
) -> Result<bool> {
    if let Ok(at) = window_key.parse::<i64>() {
        let near: i64 = conn.query_row(
            "SELECT count(*) FROM quota_alerts WHERE profile = ?1 AND metric = ?2
             AND abs(CAST(window_key AS INTEGER) - ?3) < ?4",
            params![profile, metric, at, SAME_WINDOW_MS],
            |r| r.get(0),
        )?;
        if near > 0 {
            return Ok(false);
        }
    }
    Ok(conn.execute(
        "INSERT OR IGNORE INTO quota_alerts (profile, metric, window_key, fired_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![profile, metric, window_key, now_ms],
    )? > 0)
}

/// Invocations of `profile` asked at or after `since_ms`, per day, agent and chat mode.
pub(crate) fn usage(conn: &Connection, profile: &str, since_ms: i64) -> Result<Vec<UsageRow>> {
    // The chat mode lives in the request body as sent; a month of rows is read once per chart.
    let mut stmt = conn.prepare(
        "SELECT i.asked_at / 86400000 AS day, i.agent, json_extract(i.request, '$.chatMode') AS mode,
                count(*)
         FROM invocations i WHERE i.profile = ?1 AND i.asked_at >= ?2
         GROUP BY day, i.agent, mode ORDER BY day",
    )?;
    let rows = stmt.query_map(params![profile, since_ms], |r| {
        Ok(UsageRow {
            day: r.get(0)?,
            agent: r.get(1)?,
            chat_mode: r.get::<_, Option<String>>(2).ok().flatten(),
            count: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::tests::{plan, schema};

    #[test]
    fn the_newest_snapshot_is_an_index_range_scan() {
        let conn = schema();
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM quota_snapshots WHERE profile = 'a'
             ORDER BY read_at DESC, id DESC LIMIT 1"
        );
        let plan = plan(&conn, &sql, &[]);
        assert!(plan.contains("quota_snapshots_by_profile"), "{plan}");
    }

    #[test]
    fn snapshots_limiter_and_alerts_round_trip() {
        let conn = schema();
        let mut row = QuotaSnapshotRow {
            profile: "work".into(),
            read_at_ms: 10,
            source: "done".into(),
            remaining_requests: Some(5.0),
            ..Default::default()
        };
        insert_snapshot(&conn, &row).unwrap();
        row.read_at_ms = 20;
        row.remaining_requests = None;
        row.remaining_quota = Some(7.0);
        row.source = "endpoint".into();
        insert_snapshot(&conn, &row).unwrap();
        let window = latest_snapshot(&conn, "work", SnapshotKind::Window)
            .unwrap()
            .unwrap();
        assert_eq!(window.remaining_requests, Some(5.0));
        let any = latest_snapshot(&conn, "work", SnapshotKind::Any)
            .unwrap()
            .unwrap();
        assert_eq!(any.source, "endpoint");
        assert!(latest_snapshot(&conn, "other", SnapshotKind::Any)
            .unwrap()
            .is_none());
        let series = snapshots_since(&conn, "work", 15).unwrap();
        assert_eq!(series.len(), 1);
        assert_eq!(series[0].raw, None, "the series leaves the raw figures out");

        let limit = LimiterRow {
            profile: "work".into(),
            kind: "rate_limited".into(),
            until_ms: 99,
            reset_date: None,
            message: Some("slow down".into()),
            set_at_ms: 1,
        };
        set_limiter(&conn, &limit).unwrap();
        assert_eq!(limiter(&conn, "work").unwrap(), Some(limit));
        assert!(clear_limiter(&conn, "work").unwrap());
        assert_eq!(limiter(&conn, "work").unwrap(), None);

        assert!(mark_alert(&conn, "work", "calls", "w1", 1).unwrap());
        assert!(!mark_alert(&conn, "work", "calls", "w1", 2).unwrap());
        assert!(mark_alert(&conn, "work", "calls", "w2", 3).unwrap());
        assert!(mark_alert(&conn, "work", "calls", "60000", 4).unwrap());
        assert!(!mark_alert(&conn, "work", "calls", "60004", 5).unwrap());
        assert!(mark_alert(&conn, "work", "calls", "120000", 6).unwrap());
    }
}
