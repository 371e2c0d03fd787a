//! Wall-clock helpers. Hand-written (Howard Hinnant's civil-date algorithms) because the server
//! needs only ISO 8601 stamps and month boundaries, not a date library.

use std::time::{SystemTime, UNIX_EPOCH};

const DAY_MS: u64 = 86_400_000;

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-01-15T09:40:00.000Z`
pub(crate) fn iso8601(ms: u64) -> String {
    let (y, m, d) = civil_from_days((ms / DAY_MS) as i64);
    let rem = ms % DAY_MS;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// The UTC month containing `ms`: its `YYYY-MM` key and when the next one starts.
pub(crate) struct Month {
    pub(crate) key: String,
    pub(crate) next_start_ms: u64,
}

pub(crate) fn month_of(ms: u64) -> Month {
    let (y, m, _) = civil_from_days((ms / DAY_MS) as i64);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let next_days = days_from_civil(ny, nm, 1);
    Month {
        key: format!("{y:04}-{m:02}"),
        next_start_ms: u64::try_from(next_days).unwrap_or(0) * DAY_MS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(iso8601(1_709_208_000_000), "2024-02-29T12:00:00.000Z");
    }

    #[test]
    fn month_boundaries() {
        let dec = month_of(1_703_030_400_000); // 2023-12-20
        assert_eq!(dec.key, "2023-12");
        assert_eq!(iso8601(dec.next_start_ms), "2024-01-01T00:00:00.000Z");
        let feb = month_of(1_709_208_000_000);
        assert_eq!(feb.key, "2024-02");
        assert_eq!(iso8601(feb.next_start_ms), "2024-03-01T00:00:00.000Z");
    }

    #[test]
    fn days_round_trip() {
        for days in [-800_000_i64, -1, 0, 59, 60, 11_016, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
