//! Rate-limit window and monthly quota: the figures `done`, the quota endpoint and the
//! `x-ratelimit-*` headers report, falling with each invocation.

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use crate::clock;
use crate::config::MockConfig;
use crate::faults::{limit_response, ErrorShape, Limit};
use crate::state::{lock, App};

/// Port documents a per-minute window for LLM calls and tokens.
const WINDOW_MS: u64 = 60_000;

pub(crate) struct Quota {
    monthly_limit: u64,
    max_requests: u64,
    max_tokens: u64,
    own_llm_provider: bool,
    usage: Mutex<Usage>,
    /// Figures tests scripted for the next `done` events, in order (see `MockServer::script_quota`).
    scripted: Mutex<VecDeque<Value>>,
}

#[derive(Default)]
struct Usage {
    month: String,
    month_used: u64,
    window_start_ms: u64,
    requests_used: u64,
    tokens_used: u64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RateLimitUsage {
    pub(crate) max_requests: u64,
    pub(crate) remaining_requests: u64,
    pub(crate) max_tokens: u64,
    pub(crate) remaining_tokens: u64,
    pub(crate) remaining_time_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MonthlyQuotaUsage {
    pub(crate) monthly_limit: u64,
    pub(crate) remaining_quota: u64,
    pub(crate) month: String,
    pub(crate) remaining_time_ms: u64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Snapshot {
    pub(crate) rate_limit_usage: RateLimitUsage,
    pub(crate) monthly_quota_usage: MonthlyQuotaUsage,
}

impl Snapshot {
    /// Epoch seconds at which the rate window resets, for `x-ratelimit-reset`.
    pub(crate) fn rate_reset_epoch_secs(&self, now_ms: u64) -> u64 {
        now_ms
            .saturating_add(self.rate_limit_usage.remaining_time_ms)
            .div_ceil(1000)
    }
}

/// Why an invocation was turned away before it started.
pub(crate) enum Refusal {
    Quota { reset_date: String },
    Rate { retry_after_secs: u64 },
}

impl Refusal {
    pub(crate) fn into_response(self) -> Response {
        match self {
            Self::Quota { reset_date } => {
                limit_response(&Limit::Quota { reset_date }, &ErrorShape::QuotaType, 403)
            }
            Self::Rate { retry_after_secs } => limit_response(
                &Limit::Rate { retry_after_secs },
                &ErrorShape::RateLimitType,
                429,
            ),
        }
    }
}

impl Quota {
    pub(crate) fn new(config: &MockConfig) -> Self {
        Self {
            monthly_limit: config.monthly_limit,
            max_requests: config.rate_max_requests,
            max_tokens: config.rate_max_tokens,
            own_llm_provider: config.own_llm_provider,
            usage: Mutex::new(Usage::default()),
            scripted: Mutex::new(VecDeque::new()),
        }
    }

    pub(crate) fn own_llm_provider(&self) -> bool {
        self.own_llm_provider
    }

    pub(crate) fn script(&self, figures: impl IntoIterator<Item = Value>) {
        lock(&self.scripted).extend(figures);
    }

    /// The `done` data of the next invocation: scripted figures first, else the counted ones,
    /// else (own LLM provider) none at all.
    pub(crate) fn done_data(&self, counted: &Snapshot, pretty: bool) -> String {
        let value = match lock(&self.scripted).pop_front() {
            Some(scripted) => scripted,
            None if self.own_llm_provider => json!({}),
            None => serde_json::to_value(counted).unwrap_or_default(),
        };
        let text = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        };
        text.unwrap_or_default()
    }

    /// Counts one invocation that is about to run and estimated to use `tokens`.
    pub(crate) fn consume(&self, tokens: u64) -> Result<Snapshot, Refusal> {
        let now = clock::now_ms();
        let mut usage = lock(&self.usage);
        self.roll(&mut usage, now);
        if self.own_llm_provider {
            return Ok(self.snapshot_of(&usage, now));
        }
        if usage.month_used >= self.monthly_limit {
            let next = clock::month_of(now).next_start_ms;
            return Err(Refusal::Quota {
                reset_date: clock::iso8601(next),
            });
        }
        if usage.requests_used >= self.max_requests || usage.tokens_used >= self.max_tokens {
            let window_end = usage.window_start_ms + WINDOW_MS;
            return Err(Refusal::Rate {
                retry_after_secs: window_end.saturating_sub(now).div_ceil(1000),
            });
        }
        usage.month_used += 1;
        usage.requests_used += 1;
        usage.tokens_used = usage.tokens_used.saturating_add(tokens);
        Ok(self.snapshot_of(&usage, now))
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        let now = clock::now_ms();
        let mut usage = lock(&self.usage);
        self.roll(&mut usage, now);
        self.snapshot_of(&usage, now)
    }

    fn roll(&self, usage: &mut Usage, now: u64) {
        let month = clock::month_of(now).key;
        if usage.month != month {
            usage.month = month;
            usage.month_used = 0;
        }
        if now >= usage.window_start_ms + WINDOW_MS {
            usage.window_start_ms = now;
            usage.requests_used = 0;
            usage.tokens_used = 0;
        }
    }

    fn snapshot_of(&self, usage: &Usage, now: u64) -> Snapshot {
        let month = clock::month_of(now);
        Snapshot {
            rate_limit_usage: RateLimitUsage {
                max_requests: self.max_requests,
                remaining_requests: self.max_requests.saturating_sub(usage.requests_used),
                max_tokens: self.max_tokens,
                remaining_tokens: self.max_tokens.saturating_sub(usage.tokens_used),
                remaining_time_ms: (usage.window_start_ms + WINDOW_MS).saturating_sub(now),
            },
            monthly_quota_usage: MonthlyQuotaUsage {
                monthly_limit: self.monthly_limit,
                remaining_quota: self.monthly_limit.saturating_sub(usage.month_used),
                month: month.key,
                remaining_time_ms: month.next_start_ms.saturating_sub(now),
            },
        }
    }
}

pub(crate) async fn get_quota(State(app): State<App>) -> Json<Value> {
    if app.quota.own_llm_provider() {
        return Json(json!({"ok": true}));
    }
    let snapshot = app.quota.snapshot();
    Json(json!({"ok": true, "monthlyQuotaUsage": snapshot.monthly_quota_usage}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_fall_and_limits_refuse() {
        let config = MockConfig {
            monthly_limit: 2,
            ..MockConfig::default()
        };
        let quota = Quota::new(&config);
        let first = quota.consume(1000).ok().map(|s| s.monthly_quota_usage);
        assert_eq!(first.map(|m| m.remaining_quota), Some(1));
        let second = quota.consume(1000).ok().map(|s| s.rate_limit_usage);
        assert_eq!(second.as_ref().map(|r| r.remaining_requests), Some(198));
        assert_eq!(second.map(|r| r.remaining_tokens), Some(498_000));
        assert!(matches!(quota.consume(1), Err(Refusal::Quota { .. })));
    }
}
