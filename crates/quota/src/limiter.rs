//! The limiter's decision: go now, wait until a time, or blocked until the quota resets. Pure:
//! the figures, what Port refused last, the user's reserve and the time are all given.

use std::time::Duration;

use history::{LimiterRow, QuotaSnapshotRow};
use serde::{Deserialize, Serialize};

/// How cautious the limiter is. The defaults wait only when Port's own figures say the window is
/// used up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Wait for the reset when this many LLM calls or fewer are left in the window.
    pub reserve_requests: f64,
    /// Wait for the reset when this many tokens or fewer are left in the window.
    pub reserve_tokens: f64,
    /// How often a `RATE_LIMIT_ERROR` is retried (after its `retryAfter`) before giving up.
    pub max_retries: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            reserve_requests: 0.0,
            reserve_tokens: 0.0,
            max_retries: 3,
        }
    }
}

/// When Port refuses with a rate limit but says nothing about when to come back.
pub const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum WaitReason {
    /// Port's last figures: no calls or tokens left in the window.
    WindowExhausted,
    /// Fewer calls or tokens left than the reserve the user keeps.
    BelowReserve,
    /// Port refused with `RATE_LIMIT_ERROR`; its `retryAfter` has not passed.
    RateLimited,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Decision {
    Go,
    #[serde(rename_all = "camelCase")]
    Wait {
        until_ms: i64,
        reason: WaitReason,
    },
    /// The monthly quota is used up: nothing is sent until it resets, and nothing retries.
    #[serde(rename_all = "camelCase")]
    Blocked {
        until_ms: Option<i64>,
        reset_date: Option<String>,
        message: String,
    },
}

pub const KIND_RATE_LIMITED: &str = "rate_limited";
pub const KIND_QUOTA_EXCEEDED: &str = "quota_exceeded";

/// Decides from the newest window figures, the newest monthly figures and the last refusal.
pub fn decide(
    now_ms: i64,
    window: Option<&QuotaSnapshotRow>,
    monthly: Option<&QuotaSnapshotRow>,
    refusal: Option<&LimiterRow>,
    policy: &Policy,
) -> Decision {
    if let Some(row) = refusal.filter(|r| r.until_ms > now_ms) {
        if row.kind == KIND_QUOTA_EXCEEDED {
            return Decision::Blocked {
                until_ms: Some(row.until_ms),
                reset_date: row.reset_date.clone(),
                message: row
                    .message
                    .clone()
                    .unwrap_or_else(|| "the monthly AI invocation quota is used up".into()),
            };
        }
        if row.kind == KIND_RATE_LIMITED {
            return Decision::Wait {
                until_ms: row.until_ms,
                reason: WaitReason::RateLimited,
            };
        }
    }
    if let Some(m) = monthly {
        let resets_later = m.month_reset_at_ms.is_none_or(|at| at > now_ms);
        if resets_later && m.remaining_quota.is_some_and(|left| left <= 0.0) {
            return Decision::Blocked {
                until_ms: m.month_reset_at_ms,
                reset_date: None,
                message: "the monthly AI invocation quota is used up".into(),
            };
        }
    }
    if let Some(w) = window {
        // Figures of a window that has since reset say nothing about the next one.
        if let Some(reset_at) = w.window_reset_at_ms.filter(|&at| at > now_ms) {
            let calls = w.remaining_requests;
            let tokens = w.remaining_tokens;
            if calls.is_some_and(|c| c <= 0.0) || tokens.is_some_and(|t| t <= 0.0) {
                return Decision::Wait {
                    until_ms: reset_at,
                    reason: WaitReason::WindowExhausted,
                };
            }
            let below = |left: Option<f64>, reserve: f64| {
                reserve > 0.0 && left.is_some_and(|l| l <= reserve)
            };
            if below(calls, policy.reserve_requests) || below(tokens, policy.reserve_tokens) {
                return Decision::Wait {
                    until_ms: reset_at,
                    reason: WaitReason::BelowReserve,
                };
            }
        }
    }
    Decision::Go
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(remaining: f64, tokens: f64, reset_at: i64) -> QuotaSnapshotRow {
        QuotaSnapshotRow {
            profile: "p".into(),
            read_at_ms: 0,
            source: "done".into(),
            max_requests: Some(200.0),
            remaining_requests: Some(remaining),
            max_tokens: Some(500_000.0),
            remaining_tokens: Some(tokens),
            window_reset_at_ms: Some(reset_at),
            ..Default::default()
        }
    }

    fn refusal(kind: &str, until: i64) -> LimiterRow {
        LimiterRow {
            profile: "p".into(),
            kind: kind.into(),
            until_ms: until,
            reset_date: Some("2027-01-01T00:00:00.000Z".into()),
            message: None,
            set_at_ms: 0,
        }
    }

    #[test]
    fn an_exhausted_window_waits_until_its_reset_and_not_after() {
        let p = Policy::default();
        let w = window(0.0, 1000.0, 60_000);
        assert_eq!(
            decide(1_000, Some(&w), None, None, &p),
            Decision::Wait {
                until_ms: 60_000,
                reason: WaitReason::WindowExhausted
            }
        );
        assert_eq!(decide(60_000, Some(&w), None, None, &p), Decision::Go);
        let no_tokens = window(5.0, 0.0, 60_000);
        assert!(matches!(
            decide(1_000, Some(&no_tokens), None, None, &p),
            Decision::Wait { .. }
        ));
    }

    #[test]
    fn the_reserve_holds_back_only_when_set() {
        let w = window(3.0, 1000.0, 60_000);
        assert_eq!(
            decide(0, Some(&w), None, None, &Policy::default()),
            Decision::Go
        );
        let p = Policy {
            reserve_requests: 5.0,
            ..Policy::default()
        };
        assert_eq!(
            decide(0, Some(&w), None, None, &p),
            Decision::Wait {
                until_ms: 60_000,
                reason: WaitReason::BelowReserve
            }
        );
    }

    #[test]
    fn refusals_decide_first_and_expire() {
        let p = Policy::default();
        let rate = refusal(KIND_RATE_LIMITED, 30_000);
        assert_eq!(
            decide(0, None, None, Some(&rate), &p),
            Decision::Wait {
                until_ms: 30_000,
                reason: WaitReason::RateLimited
            }
        );
        assert_eq!(decide(30_000, None, None, Some(&rate), &p), Decision::Go);
        let quota = refusal(KIND_QUOTA_EXCEEDED, 90_000);
        assert!(matches!(
            decide(0, None, None, Some(&quota), &p),
            Decision::Blocked {
                until_ms: Some(90_000),
                ..
            }
        ));
    }

    #[test]
    fn an_empty_month_blocks_until_it_resets() {
        let m = QuotaSnapshotRow {
            remaining_quota: Some(0.0),
            monthly_limit: Some(500.0),
            month_reset_at_ms: Some(100),
            ..Default::default()
        };
        let p = Policy::default();
        assert!(matches!(
            decide(0, None, Some(&m), None, &p),
            Decision::Blocked { .. }
        ));
        assert_eq!(decide(100, None, Some(&m), None, &p), Decision::Go);
    }
}
