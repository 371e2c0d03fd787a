//! What a person reads from the snapshots: the window in real units with its reset, and the month
//! with days left, pace against an even spread and a projected run-out range.

use chrono::NaiveDate;
use history::QuotaSnapshotRow;
use serde::{Deserialize, Serialize};

use crate::DAY_MS;

/// A projection rests on at least this much history; with less it is not shown.
pub const MIN_PROJECTION_DAYS: f64 = 2.0;
/// The recent rate (one end of the projected range) is measured over this many days.
const RECENT_DAYS: f64 = 3.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuotaFigures {
    pub profile: String,
    /// When these figures were computed (ms); countdowns run from here.
    pub now_ms: i64,
    /// The organisation uses its own LLM provider: Port reported no limits at all.
    pub own_provider: bool,
    pub window: Option<WindowFigures>,
    pub monthly: Option<MonthlyFigures>,
    /// What the limiter would do with an invocation now.
    pub decision: crate::Decision,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WindowFigures {
    pub max_requests: Option<f64>,
    pub remaining_requests: Option<f64>,
    pub max_tokens: Option<f64>,
    pub remaining_tokens: Option<f64>,
    pub reset_at_ms: Option<i64>,
    pub read_at_ms: i64,
    /// The window has reset since these figures were read: a fresh one is full.
    pub has_reset: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyFigures {
    pub limit: Option<f64>,
    pub remaining: Option<f64>,
    pub used: Option<f64>,
    /// `YYYY-MM`, as Port sent it.
    pub month: Option<String>,
    pub reset_at_ms: Option<i64>,
    pub days_left: Option<f64>,
    pub pace: Option<Pace>,
    pub projection: Option<Projection>,
    pub read_at_ms: i64,
}

/// Usage against an even spread of the limit over the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Pace {
    /// What an even spread would have used by now.
    pub expected_used: f64,
    pub used: f64,
    /// `used / expected_used`: above 1 is faster than an even spread.
    pub ratio: f64,
}

/// When the quota would run out at the observed rates: a range between the month's average rate
/// and the last days' rate, with the days of history it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Projection {
    pub history_days: f64,
    /// At the faster of the two rates.
    pub earliest_ms: Option<i64>,
    /// At the slower; `None` when that rate is zero.
    pub latest_ms: Option<i64>,
    /// The earliest run-out falls before the month resets.
    pub before_reset: bool,
}

pub(crate) fn window(row: &QuotaSnapshotRow, now_ms: i64) -> WindowFigures {
    let has_reset = row.window_reset_at_ms.is_some_and(|at| at <= now_ms);
    WindowFigures {
        max_requests: row.max_requests,
        remaining_requests: if has_reset {
            row.max_requests.or(row.remaining_requests)
        } else {
            row.remaining_requests
        },
        max_tokens: row.max_tokens,
        remaining_tokens: if has_reset {
            row.max_tokens.or(row.remaining_tokens)
        } else {
            row.remaining_tokens
        },
        reset_at_ms: row.window_reset_at_ms,
        read_at_ms: row.read_at_ms,
        has_reset,
    }
}

/// When the month `YYYY-MM` began (UTC).
fn month_start_ms(month: &str) -> Option<i64> {
    let (y, m) = month.split_once('-')?;
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// The monthly figures from the newest monthly snapshot and the month's series (oldest first).
pub(crate) fn monthly(
    latest: &QuotaSnapshotRow,
    series: &[QuotaSnapshotRow],
    now_ms: i64,
) -> MonthlyFigures {
    let used = match (latest.monthly_limit, latest.remaining_quota) {
        (Some(limit), Some(left)) => Some((limit - left).max(0.0)),
        _ => None,
    };
    let reset_at = latest.month_reset_at_ms;
    let days_left = reset_at.map(|at| ((at - now_ms).max(0)) as f64 / DAY_MS as f64);
    let start = latest
        .month
        .as_deref()
        .and_then(month_start_ms)
        .or_else(|| reset_at.map(|at| at - 30 * DAY_MS));
    let pace = match (start, reset_at, latest.monthly_limit, used) {
        (Some(start), Some(end), Some(limit), Some(used)) if end > start && now_ms > start => {
            let share = ((now_ms - start) as f64 / (end - start) as f64).clamp(0.0, 1.0);
            let expected = limit * share;
            Some(Pace {
                expected_used: expected,
                used,
                ratio: if expected > 0.0 { used / expected } else { 0.0 },
            })
        }
        _ => None,
    };
    let same_month: Vec<&QuotaSnapshotRow> = series
        .iter()
        .filter(|s| s.remaining_quota.is_some() && s.month == latest.month)
        .collect();
    MonthlyFigures {
        limit: latest.monthly_limit,
        remaining: latest.remaining_quota,
        used,
        month: latest.month.clone(),
        reset_at_ms: reset_at,
        days_left,
        pace,
        projection: projection(&same_month, latest.remaining_quota, reset_at, now_ms),
        read_at_ms: latest.read_at_ms,
    }
}

/// Units used per day between two snapshots.
fn rate(from: &QuotaSnapshotRow, to: &QuotaSnapshotRow) -> Option<f64> {
    let days = (to.read_at_ms - from.read_at_ms) as f64 / DAY_MS as f64;
    let used = from.remaining_quota? - to.remaining_quota?;
    (days > 0.0).then(|| (used / days).max(0.0))
}

fn projection(
    series: &[&QuotaSnapshotRow],
    remaining: Option<f64>,
    reset_at: Option<i64>,
    now_ms: i64,
) -> Option<Projection> {
    let (first, last) = (*series.first()?, *series.last()?);
    let history_days = (last.read_at_ms - first.read_at_ms) as f64 / DAY_MS as f64;
    if history_days < MIN_PROJECTION_DAYS {
        return None;
    }
    let remaining = remaining?;
    let overall = rate(first, last)?;
    let recent_from = last.read_at_ms - (RECENT_DAYS * DAY_MS as f64) as i64;
    let recent_start = series
        .iter()
        .find(|s| s.read_at_ms >= recent_from)
        .copied()
        .unwrap_or(first);
    let recent = rate(recent_start, last).unwrap_or(overall);
    let at = |per_day: f64| {
        (per_day > 0.0).then(|| now_ms + ((remaining.max(0.0) / per_day) * DAY_MS as f64) as i64)
    };
    let (fast, slow) = (overall.max(recent), overall.min(recent));
    let earliest = at(fast);
    Some(Projection {
        history_days,
        earliest_ms: earliest,
        latest_ms: at(slow),
        before_reset: match (earliest, reset_at) {
            (Some(e), Some(r)) => e < r,
            _ => false,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month_row(read_at: i64, remaining: f64) -> QuotaSnapshotRow {
        QuotaSnapshotRow {
            profile: "p".into(),
            read_at_ms: read_at,
            source: "done".into(),
            monthly_limit: Some(500.0),
            remaining_quota: Some(remaining),
            month: Some("2026-12".into()),
            month_reset_at_ms: month_start_ms("2027-01"),
            ..Default::default()
        }
    }

    #[test]
    fn month_boundaries_are_utc() {
        assert_eq!(month_start_ms("1970-02"), Some(31 * DAY_MS));
        assert_eq!(month_start_ms("2026-13"), None);
        assert_eq!(month_start_ms("garbage"), None);
    }

    #[test]
    fn pace_compares_with_an_even_spread() {
        let start = month_start_ms("2026-12").unwrap();
        let now = start + 10 * DAY_MS;
        // 31 days: after 10 an even spread has used 500 × 10/31 ≈ 161.
        let latest = month_row(now, 300.0);
        let m = monthly(&latest, std::slice::from_ref(&latest), now);
        let pace = m.pace.unwrap();
        assert!((pace.expected_used - 161.29).abs() < 0.01, "{pace:?}");
        assert_eq!(pace.used, 200.0);
        assert!(pace.ratio > 1.2);
        assert!((m.days_left.unwrap() - 21.0).abs() < 1e-9);
        assert!(m.projection.is_none(), "one snapshot is too little history");
    }

    #[test]
    fn projection_is_a_range_labelled_with_its_history() {
        let start = month_start_ms("2026-12").unwrap();
        // 10 a day for 4 days, then 40 a day for the last 3.
        let series = vec![
            month_row(start, 500.0),
            month_row(start + 4 * DAY_MS, 460.0),
            month_row(start + 7 * DAY_MS, 340.0),
        ];
        let now = start + 7 * DAY_MS;
        let m = monthly(&series[2], &series, now);
        let p = m.projection.unwrap();
        assert_eq!(p.history_days, 7.0);
        // Overall 160/7 ≈ 22.9 a day → 14.9 days; recent 40 a day → 8.5 days.
        assert_eq!(p.earliest_ms, Some(now + (8.5 * DAY_MS as f64) as i64));
        let latest = p.latest_ms.unwrap();
        assert!((latest - now - (340.0 / (160.0 / 7.0) * DAY_MS as f64) as i64).abs() < 2);
        assert!(p.before_reset);

        let short = vec![month_row(start, 500.0), month_row(start + DAY_MS, 490.0)];
        assert!(monthly(&short[1], &short, start + DAY_MS)
            .projection
            .is_none());
    }

    #[test]
    fn a_window_that_has_reset_reads_full() {
        let row = QuotaSnapshotRow {
            max_requests: Some(200.0),
            remaining_requests: Some(0.0),
            window_reset_at_ms: Some(100),
            read_at_ms: 50,
            ..Default::default()
        };
        assert_eq!(window(&row, 99).remaining_requests, Some(0.0));
        let w = window(&row, 100);
        assert!(w.has_reset);
        assert_eq!(w.remaining_requests, Some(200.0));
    }
}
