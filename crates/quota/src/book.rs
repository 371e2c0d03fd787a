//! Persistence through the history database: snapshots per profile with the time they were read,
//! the limiter's state, preferences and alerts. Every process that opens the same data directory
//! sees what the others learnt.

use history::{
    HistoryError, HistoryStore, LimiterRow, QuotaSnapshotRow, Result, SnapshotKind, UsageRow,
};
use port_api::{ErrorCode, MonthlyQuotaUsage, PortError, RateLimitHeaders, RateLimitUsage};
use serde::{Deserialize, Serialize};

use crate::figures::{self, QuotaFigures};
use crate::limiter::{self, Decision, Policy, KIND_QUOTA_EXCEEDED, KIND_RATE_LIMITED};
use crate::{QuotaPreferences, DAY_MS};

const PREFERENCES_KEY: &str = "preferences";

/// A threshold crossed (or a reset seen) for the first time in its window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuotaAlert {
    pub profile: String,
    /// `requests`, `tokens`, `monthly` or `monthly_reset`.
    pub metric: String,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct QuotaBook {
    store: HistoryStore,
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|n| n.is_finite())
}

fn after(now_ms: i64, remaining_ms: Option<f64>) -> Option<i64> {
    finite(remaining_ms).map(|ms| now_ms.saturating_add(ms.max(0.0) as i64))
}

impl QuotaBook {
    pub fn new(store: HistoryStore) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &HistoryStore {
        &self.store
    }

    /// Records the figures of an invocation's `done` (`data` as received). A `done` without any
    /// figures is recorded too: it is how an organisation on its own LLM provider shows.
    pub fn record_done(
        &self,
        profile: &str,
        rate: Option<&RateLimitUsage>,
        monthly: Option<&MonthlyQuotaUsage>,
        data: &str,
        now_ms: i64,
    ) -> Result<()> {
        if rate.is_none() && monthly.is_none() && !reports_no_limits(data) {
            // No `done` was sent (a polled invocation) or its data was unreadable: that says
            // nothing about limits, so it must not read as "no Port limits".
            return Ok(());
        }
        let mut row = QuotaSnapshotRow {
            profile: profile.to_string(),
            read_at_ms: now_ms,
            source: "done".into(),
            raw: (!data.is_empty()).then(|| data.to_string()),
            ..Default::default()
        };
        if let Some(r) = rate {
            row.max_requests = finite(r.max_requests);
            row.remaining_requests = finite(r.remaining_requests);
            row.max_tokens = finite(r.max_tokens);
            row.remaining_tokens = finite(r.remaining_tokens);
            row.window_reset_at_ms = after(now_ms, r.remaining_time_ms);
        }
        if let Some(m) = monthly {
            fill_monthly(&mut row, m, now_ms);
        }
        self.store.record_quota_snapshot(row)
    }

    /// Records the quota endpoint's answer; `None`: Port reported no monthly quota.
    pub fn record_endpoint(
        &self,
        profile: &str,
        monthly: Option<&MonthlyQuotaUsage>,
        now_ms: i64,
    ) -> Result<()> {
        let mut row = QuotaSnapshotRow {
            profile: profile.to_string(),
            read_at_ms: now_ms,
            source: "endpoint".into(),
            raw: monthly.and_then(|m| serde_json::to_string(m).ok()),
            ..Default::default()
        };
        if let Some(m) = monthly {
            fill_monthly(&mut row, m, now_ms);
        }
        self.store.record_quota_snapshot(row)
    }

    /// Records `x-ratelimit-*` headers, when Port sent any.
    pub fn record_headers(
        &self,
        profile: &str,
        headers: &RateLimitHeaders,
        now_ms: i64,
    ) -> Result<bool> {
        let Some(remaining) = headers.remaining else {
            return Ok(false);
        };
        let reset_at = headers
            .reset_epoch_secs
            .and_then(|s| i64::try_from(s).ok())
            .map(|s| s.saturating_mul(1000));
        self.store.record_quota_snapshot(QuotaSnapshotRow {
            profile: profile.to_string(),
            read_at_ms: now_ms,
            source: "headers".into(),
            remaining_requests: Some(remaining as f64),
            window_reset_at_ms: reset_at,
            ..Default::default()
        })?;
        Ok(true)
    }

    /// Learns from a refusal: a rate limit until `retryAfter`, a used-up quota until its reset.
    /// Returns the limiter state it stored, if the error was one of those.
    pub fn learn(&self, profile: &str, err: &PortError, now_ms: i64) -> Result<Option<LimiterRow>> {
        let row = match err.code {
            ErrorCode::RateLimited => {
                let wait = err
                    .retry_after_secs
                    .map(|s| i64::try_from(s).unwrap_or(i64::MAX).saturating_mul(1000))
                    .unwrap_or(limiter::DEFAULT_RETRY_AFTER.as_millis() as i64);
                LimiterRow {
                    profile: profile.to_string(),
                    kind: KIND_RATE_LIMITED.into(),
                    until_ms: now_ms.saturating_add(wait),
                    reset_date: None,
                    message: Some(err.message.clone()),
                    set_at_ms: now_ms,
                }
            }
            ErrorCode::QuotaExceeded => {
                let parsed = err.reset_date.as_deref().and_then(parse_iso);
                let until = match parsed {
                    Some(at) => at,
                    // No date from Port: the month's reset from its last figures, else a day.
                    None => self
                        .store
                        .latest_quota_snapshot(profile, SnapshotKind::Monthly)?
                        .and_then(|s| s.month_reset_at_ms)
                        .filter(|&at| at > now_ms)
                        .unwrap_or(now_ms + DAY_MS),
                };
                LimiterRow {
                    profile: profile.to_string(),
                    kind: KIND_QUOTA_EXCEEDED.into(),
                    until_ms: until,
                    reset_date: err.reset_date.clone(),
                    message: Some(err.message.clone()),
                    set_at_ms: now_ms,
                }
            }
            _ => return Ok(None),
        };
        self.store.set_limiter_state(row.clone())?;
        Ok(Some(row))
    }

    /// A request went through: a rate limit learnt earlier no longer holds.
    pub fn cleared(&self, profile: &str) -> Result<()> {
        if let Some(row) = self.store.limiter_state(profile)? {
            if row.kind == KIND_RATE_LIMITED {
                self.store.clear_limiter_state(profile)?;
            }
        }
        Ok(())
    }

    pub fn limiter_state(&self, profile: &str) -> Result<Option<LimiterRow>> {
        self.store.limiter_state(profile)
    }

    pub fn decide(&self, profile: &str, now_ms: i64, policy: &Policy) -> Result<Decision> {
        let window = self
            .store
            .latest_quota_snapshot(profile, SnapshotKind::Window)?;
        let monthly = self
            .store
            .latest_quota_snapshot(profile, SnapshotKind::Monthly)?;
        let refusal = self.store.limiter_state(profile)?;
        Ok(limiter::decide(
            now_ms,
            window.as_ref(),
            monthly.as_ref(),
            refusal.as_ref(),
            policy,
        ))
    }

    /// The figures the panel and `portdesk-cli quota` show.
    pub fn figures(&self, profile: &str, now_ms: i64) -> Result<QuotaFigures> {
        let newest = self
            .store
            .latest_quota_snapshot(profile, SnapshotKind::Any)?;
        let own_provider = newest
            .as_ref()
            .is_some_and(|s| s.source != "headers" && !s.has_window() && !s.has_monthly());
        let window_row = self
            .store
            .latest_quota_snapshot(profile, SnapshotKind::Window)?;
        let monthly_row = self
            .store
            .latest_quota_snapshot(profile, SnapshotKind::Monthly)?;
        let monthly = match &monthly_row {
            Some(latest) => {
                let series = self
                    .store
                    .quota_snapshots_since(profile, latest.read_at_ms - 32 * DAY_MS)?;
                Some(figures::monthly(latest, &series, now_ms))
            }
            None => None,
        };
        let policy = self.preferences()?.policy();
        let refusal = self.store.limiter_state(profile)?;
        Ok(QuotaFigures {
            profile: profile.to_string(),
            now_ms,
            own_provider,
            window: (!own_provider)
                .then(|| window_row.as_ref().map(|w| figures::window(w, now_ms)))
                .flatten(),
            monthly: if own_provider { None } else { monthly },
            decision: limiter::decide(
                now_ms,
                window_row.as_ref(),
                monthly_row.as_ref(),
                refusal.as_ref(),
                &policy,
            ),
        })
    }

    pub fn profiles(&self) -> Result<Vec<String>> {
        self.store.quota_profiles()
    }

    pub fn usage(&self, profile: &str, since_ms: i64) -> Result<Vec<UsageRow>> {
        self.store.quota_usage(profile, since_ms)
    }

    /// The saved preferences, or the defaults. A document this version cannot read gives the
    /// defaults rather than an error: it is kept, and replaced only when the user saves.
    pub fn preferences(&self) -> Result<QuotaPreferences> {
        Ok(self
            .store
            .quota_preference(PREFERENCES_KEY)?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default())
    }

    /// Saves the preferences, keeping fields a newer version wrote.
    pub fn set_preferences(&self, prefs: &QuotaPreferences) -> Result<()> {
        if let Some(problem) = prefs.problem() {
            return Err(HistoryError::InvalidInput(problem));
        }
        let mut doc = self
            .store
            .quota_preference(PREFERENCES_KEY)?
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .filter(serde_json::Value::is_object)
            .unwrap_or_else(|| serde_json::json!({}));
        if let (Some(target), Ok(serde_json::Value::Object(known))) =
            (doc.as_object_mut(), serde_json::to_value(prefs))
        {
            target.extend(known);
        }
        self.store
            .set_quota_preference(PREFERENCES_KEY, &doc.to_string())
    }

    /// Thresholds crossed by the newest figures that have not fired yet in their window, and a
    /// monthly reset seen between the last two monthly snapshots.
    pub fn new_alerts(&self, profile: &str, now_ms: i64) -> Result<Vec<QuotaAlert>> {
        let prefs = self.preferences()?;
        let figures = self.figures(profile, now_ms)?;
        let mut alerts = Vec::new();
        let mut check = |metric: &str,
                         left: Option<f64>,
                         max: Option<f64>,
                         threshold: Option<f64>,
                         window_key: Option<String>,
                         what: &str|
         -> Result<()> {
            let (Some(left), Some(max), Some(threshold), Some(key)) =
                (left, max, threshold, window_key)
            else {
                return Ok(());
            };
            if max <= 0.0 {
                return Ok(());
            }
            let percent = left / max * 100.0;
            if percent <= threshold && self.store.mark_quota_alert(profile, metric, &key, now_ms)? {
                alerts.push(QuotaAlert {
                    profile: profile.to_string(),
                    metric: metric.to_string(),
                    message: format!(
                        "{} of {} {what} left ({percent:.0} %, threshold {threshold:.0} %)",
                        format_count(left),
                        format_count(max)
                    ),
                });
            }
            Ok(())
        };
        if let Some(w) = figures.window.as_ref().filter(|w| !w.has_reset) {
            let key = w.reset_at_ms.map(|at| at.to_string());
            check(
                "requests",
                w.remaining_requests,
                w.max_requests,
                prefs.warn_requests_percent,
                key.clone(),
                "LLM calls in this window",
            )?;
            check(
                "tokens",
                w.remaining_tokens,
                w.max_tokens,
                prefs.warn_tokens_percent,
                key,
                "tokens in this window",
            )?;
        }
        if let Some(m) = &figures.monthly {
            check(
                "monthly",
                m.remaining,
                m.limit,
                prefs.warn_monthly_percent,
                m.month.clone(),
                "monthly invocations",
            )?;
            if let Some(month) = &m.month {
                let earlier = self
                    .store
                    .quota_snapshots_since(profile, m.read_at_ms - 40 * DAY_MS)?
                    .into_iter()
                    .rev()
                    .filter(|s| s.has_monthly() && s.read_at_ms < m.read_at_ms)
                    .find_map(|s| s.month);
                if earlier.is_some_and(|e| &e != month)
                    && self
                        .store
                        .mark_quota_alert(profile, "monthly_reset", month, now_ms)?
                {
                    alerts.push(QuotaAlert {
                        profile: profile.to_string(),
                        metric: "monthly_reset".into(),
                        message: format!("the monthly quota has reset for {month}"),
                    });
                }
            }
        }
        Ok(alerts)
    }
}

/// A readable `done` that carries neither set of figures: Port meters nothing for this org.
fn reports_no_limits(data: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(data) {
        Ok(serde_json::Value::Object(fields)) => ["rateLimitUsage", "monthlyQuotaUsage"]
            .iter()
            .all(|k| fields.get(*k).is_none_or(serde_json::Value::is_null)),
        _ => false,
    }
}

fn fill_monthly(row: &mut QuotaSnapshotRow, m: &MonthlyQuotaUsage, now_ms: i64) {
    row.monthly_limit = finite(m.monthly_limit);
    row.remaining_quota = finite(m.remaining_quota);
    row.month = m.month.clone();
    row.month_reset_at_ms = after(now_ms, m.remaining_time_ms);
}

fn parse_iso(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.timestamp_millis())
}

/// A count as people read it: rounded, with thousands separated by commas (`491,382`).
pub fn format_count(n: f64) -> String {
    let whole = n.round() as i64;
    let digits = whole.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_readable_done_without_figures_means_no_limits() {
        assert!(reports_no_limits("{}"));
        assert!(reports_no_limits(r#"{"rateLimitUsage": null}"#));
        assert!(!reports_no_limits(""));
        assert!(!reports_no_limits("not json"));
        assert!(!reports_no_limits(r#"{"rateLimitUsage": "garbled"}"#));
    }

    #[test]
    fn counts_read_naturally_whatever_port_sends() {
        assert_eq!(format_count(491_382.4), "491,382");
        assert_eq!(format_count(-1_000.0), "-1,000");
        assert_eq!(format_count(f64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(format_count(f64::NAN), "0");
    }
}
