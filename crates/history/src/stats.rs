//! Statistics straight from SQL: invocations per day, per agent and per status, tool usage, and
//! duration percentiles.

use rusqlite::{params_from_iter, Connection};

use crate::error::Result;
use crate::filter::{filter_sql, Where};
use crate::model::*;

fn durations_sql(w: &Where, expr: &str) -> String {
    let extra = if w.clauses.is_empty() { "WHERE" } else { "AND" };
    format!(
        "SELECT {expr} AS d FROM invocations i {} {extra} {expr} IS NOT NULL ORDER BY d",
        w.sql()
    )
}

fn durations(conn: &Connection, w: &Where, expr: &str) -> Result<DurationStats> {
    let mut stmt = conn.prepare(&durations_sql(w, expr))?;
    let values: Vec<i64> = stmt
        .query_map(params_from_iter(w.params.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(percentiles(&values))
}

/// Nearest-rank percentiles of sorted values.
pub(crate) fn percentiles(sorted: &[i64]) -> DurationStats {
    let pick = |p: f64| -> Option<i64> {
        if sorted.is_empty() {
            return None;
        }
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        Some(sorted[rank - 1])
    };
    DurationStats {
        count: sorted.len() as i64,
        p50_ms: pick(0.50),
        p90_ms: pick(0.90),
        p99_ms: pick(0.99),
        max_ms: sorted.last().copied(),
    }
}

fn tools_sql(w: &Where) -> String {
    // Without a filter the usage index alone answers; with one, each call's invocation is
    // checked.
    let (from, condition) = if w.clauses.is_empty() {
        ("tool_calls t", "WHERE".to_string())
    } else {
        (
            "tool_calls t JOIN invocations i ON i.id = t.invocation_id",
            format!("{} AND", w.sql()),
        )
    };
    format!(
        "SELECT t.name, count(*) AS calls, count(DISTINCT t.invocation_id),
             avg(coalesce(t.finished_at, t.arguments_done_at) - t.started_at)
         FROM {from} {condition} t.name IS NOT NULL
         GROUP BY t.name ORDER BY calls DESC, t.name"
    )
}

pub(crate) fn stats(conn: &Connection, filter: &HistoryFilter) -> Result<HistoryStats> {
    let w = filter_sql(filter);
    let params = || params_from_iter(w.params.iter());
    let (invocations, conversations): (i64, i64) = conn.query_row(
        &format!(
            "SELECT count(*), count(DISTINCT i.conversation_id) FROM invocations i {}",
            w.sql()
        ),
        params(),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let per_day = {
        // Whole days since the epoch: integer arithmetic on the time index, text made here.
        let mut stmt = conn.prepare(&format!(
            "SELECT i.asked_at / 86400000 AS day, count(*) FROM invocations i {}
             GROUP BY day ORDER BY day",
            w.sql()
        ))?;
        let rows = stmt.query_map(params(), |r| {
            let day: i64 = r.get(0)?;
            Ok(DayCount {
                day: crate::time::day(day),
                count: r.get(1)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let per_agent = {
        let mut stmt = conn.prepare(&format!(
            "SELECT i.agent, count(*) AS n FROM invocations i {} GROUP BY i.agent
             ORDER BY n DESC, i.agent",
            w.sql()
        ))?;
        let rows = stmt.query_map(params(), |r| {
            Ok(AgentCount {
                agent: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let per_status = {
        let mut stmt = conn.prepare(&format!(
            "SELECT i.status, count(*) AS n FROM invocations i {} GROUP BY i.status
             ORDER BY n DESC",
            w.sql()
        ))?;
        let rows = stmt.query_map(params(), |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<(String, i64)>>>()?
            .into_iter()
            .filter_map(|(s, count)| {
                HistoryStatus::parse(&s).map(|status| StatusCount { status, count })
            })
            .collect()
    };
    let tools = {
        let mut stmt = conn.prepare(&tools_sql(&w))?;
        let rows = stmt.query_map(params(), |r| {
            Ok(ToolUsage {
                name: r.get(0)?,
                calls: r.get(1)?,
                invocations: r.get(2)?,
                avg_duration_ms: r.get(3)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(HistoryStats {
        invocations,
        conversations,
        per_day,
        per_agent,
        per_status,
        tools,
        duration: durations(conn, &w, "(i.replied_at - i.asked_at)")?,
        time_to_first_token: durations(conn, &w, "(i.first_token_at - i.asked_at)")?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The query plan SQLite picks, as one line per step.
    pub(crate) fn plan(conn: &Connection, sql: &str, params: &[rusqlite::types::Value]) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    pub(crate) fn schema() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::schema::migrations().to_latest(&mut conn).unwrap();
        conn
    }

    /// Durations and tool usage read indexes only, never the wide rows.
    #[test]
    fn stats_read_covering_indexes() {
        let conn = schema();
        let w = Where::default();
        let durations = plan(
            &conn,
            &durations_sql(&w, "(i.replied_at - i.asked_at)"),
            &[],
        );
        assert!(
            durations.contains("COVERING INDEX invocations_timings"),
            "{durations}"
        );
        let tools = plan(&conn, &tools_sql(&w), &[]);
        assert!(tools.contains("COVERING INDEX tool_calls_usage"), "{tools}");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<i64> = (1..=100).collect();
        let s = percentiles(&values);
        assert_eq!(
            (s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms),
            (Some(50), Some(90), Some(99), Some(100))
        );
        assert_eq!(percentiles(&[]).p50_ms, None);
        assert_eq!(percentiles(&[7]).p99_ms, Some(7));
    }
}
