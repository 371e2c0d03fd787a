//! Wall-clock milliseconds and their text forms.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, SecondsFormat, Utc};

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// RFC 3339 in UTC with milliseconds, or the raw number when it is out of range.
pub(crate) fn iso(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => ms.to_string(),
    }
}

/// A local-independent, human form: `2026-11-24 09:41` (UTC).
pub fn format_time(ms: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => ms.to_string(),
    }
}

/// `YYYY-MM-DD` of a day counted from the epoch (UTC).
pub(crate) fn day(days_since_epoch: i64) -> String {
    match DateTime::<Utc>::from_timestamp_millis(days_since_epoch.saturating_mul(86_400_000)) {
        Some(t) => t.format("%Y-%m-%d").to_string(),
        None => days_since_epoch.to_string(),
    }
}

/// Port's timestamps (ISO 8601 / RFC 3339) as milliseconds.
pub(crate) fn parse_iso(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}

/// A date (`YYYY-MM-DD`, UTC midnight) or a timestamp (RFC 3339) as milliseconds; with
/// `end_of_day`, a bare date means the end of that day (for inclusive "until" filters).
pub fn parse_time(text: &str, end_of_day: bool) -> Option<i64> {
    let text = text.trim();
    if let Some(ms) = parse_iso(text) {
        return Some(ms);
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let start = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis();
    Some(if end_of_day {
        start + 86_400_000
    } else {
        start
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trips() {
        let ms = 1_764_000_000_123;
        assert_eq!(parse_iso(&iso(ms)), Some(ms));
        assert_eq!(
            parse_iso("2026-11-24T00:00:00+01:00"),
            Some(1_795_474_800_000)
        );
        assert_eq!(parse_iso("yesterday"), None);
        assert_eq!(parse_time("2026-11-24", false), Some(1_795_478_400_000));
        assert_eq!(parse_time("2026-11-24", true), Some(1_795_564_800_000));
        assert_eq!(
            parse_time("2026-11-24T00:00:00Z", true),
            Some(1_795_478_400_000)
        );
        assert_eq!(parse_time("24/11/2026", false), None);
        assert_eq!(day(1_795_478_400_000 / 86_400_000), "2026-11-24");
    }
}
