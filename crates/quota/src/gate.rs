//! The limiter applied around one invocation: ask the book, wait (visibly) or refuse at once,
//! send, learn from a refusal, and retry a rate limit a bounded number of times.

use std::future::Future;
use std::time::Duration;

use port_api::{CancellationToken, ErrorCode, PortError};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::limiter::{Decision, Policy, WaitReason};
use crate::{Clock, QuotaBook};

/// What the gate is doing, for the countdown a person watches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum GateEvent {
    /// The invocation waits until `until_ms`. `attempt` counts rate-limit retries (0: none yet).
    #[serde(rename_all = "camelCase")]
    Queued {
        until_ms: i64,
        reason: WaitReason,
        attempt: u32,
        max_attempts: u32,
    },
    /// About once a second while waiting.
    #[serde(rename_all = "camelCase")]
    Tick { remaining_ms: i64 },
    /// The wait is over (reset reached, or the user chose to send anyway); sending now.
    #[serde(rename_all = "camelCase")]
    Sending { anyway: bool },
}

enum WaitEnd {
    Reached,
    Cancelled,
    Anyway,
}

const TICK: Duration = Duration::from_secs(1);

async fn wait_until(
    clock: &dyn Clock,
    until_ms: i64,
    cancel: &CancellationToken,
    send_now: Option<&Notify>,
    on: &mut impl FnMut(GateEvent),
) -> WaitEnd {
    loop {
        let left = until_ms - clock.now_ms();
        if left <= 0 {
            return WaitEnd::Reached;
        }
        on(GateEvent::Tick { remaining_ms: left });
        let step = TICK.min(Duration::from_millis(left as u64));
        let anyway = async {
            match send_now {
                Some(notify) => notify.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return WaitEnd::Cancelled,
            _ = anyway => return WaitEnd::Anyway,
            _ = clock.sleep(step) => {}
        }
    }
}

fn secs_until(until_ms: i64, now_ms: i64) -> u64 {
    u64::try_from((until_ms - now_ms).max(0))
        .unwrap_or(0)
        .div_ceil(1000)
}

/// Runs `attempt` when the limiter allows it. With `wait` false, an invocation that would have
/// to wait fails at once (`rate_limited`, nothing sent); a used-up monthly quota always does
/// (`quota_exceeded`). `send_now` lets the user skip a wait. A history that cannot be read never
/// stops an invocation: the limiter then lets it go.
#[allow(clippy::too_many_arguments)]
pub async fn guarded<T, F, Fut>(
    book: Option<&QuotaBook>,
    profile: &str,
    clock: &dyn Clock,
    policy: &Policy,
    wait: bool,
    cancel: &CancellationToken,
    send_now: Option<&Notify>,
    mut on: impl FnMut(GateEvent),
    mut attempt: F,
) -> Result<T, PortError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, PortError>>,
{
    let mut retries = 0u32;
    let mut skip_wait = false;
    // A refusal remembered here when there is no book to keep it in.
    let mut refused_until: Option<i64> = None;
    loop {
        let now = clock.now_ms();
        let mut decision = match (book, skip_wait) {
            (_, true) => Decision::Go,
            (Some(book), false) => book.decide(profile, now, policy).unwrap_or(Decision::Go),
            (None, false) => Decision::Go,
        };
        if let (Decision::Go, false, Some(until)) = (&decision, skip_wait, refused_until) {
            if until > now {
                decision = Decision::Wait {
                    until_ms: until,
                    reason: WaitReason::RateLimited,
                };
            }
        }
        skip_wait = false;
        match decision {
            Decision::Go => {}
            Decision::Blocked {
                until_ms,
                reset_date,
                message,
            } => {
                let mut err = PortError::new(
                    ErrorCode::QuotaExceeded,
                    format!("{message}; nothing was sent"),
                );
                err.reset_date = reset_date.or_else(|| until_ms.map(iso));
                return Err(err);
            }
            Decision::Wait { until_ms, reason } => {
                if !wait {
                    let secs = secs_until(until_ms, now);
                    let why = match reason {
                        WaitReason::WindowExhausted => "the rate-limit window is used up",
                        WaitReason::BelowReserve => "the rate-limit window is down to your reserve",
                        WaitReason::RateLimited => "Port asked to wait before the next invocation",
                    };
                    let mut err = PortError::new(
                        ErrorCode::RateLimited,
                        format!("{why}: it resets in {secs} s; nothing was sent"),
                    );
                    err.retry_after_secs = Some(secs);
                    return Err(err);
                }
                on(GateEvent::Queued {
                    until_ms,
                    reason,
                    attempt: retries,
                    max_attempts: policy.max_retries,
                });
                match wait_until(clock, until_ms, cancel, send_now, &mut on).await {
                    WaitEnd::Cancelled => return Err(PortError::cancelled()),
                    WaitEnd::Anyway => on(GateEvent::Sending { anyway: true }),
                    WaitEnd::Reached => {
                        on(GateEvent::Sending { anyway: false });
                        // Decide again: another process may have learnt something meanwhile.
                        continue;
                    }
                }
            }
        }
        if cancel.is_cancelled() {
            return Err(PortError::cancelled());
        }
        match attempt().await {
            Ok(value) => {
                if let Some(book) = book {
                    let _ = book.cleared(profile);
                }
                return Ok(value);
            }
            Err(err) => {
                let learnt = match book {
                    Some(book) => book.learn(profile, &err, clock.now_ms()).ok().flatten(),
                    None => None,
                };
                if err.code != ErrorCode::RateLimited || !wait || retries >= policy.max_retries {
                    return Err(err);
                }
                retries += 1;
                if learnt.is_none() {
                    let secs = err
                        .retry_after_secs
                        .unwrap_or(crate::limiter::DEFAULT_RETRY_AFTER.as_secs());
                    let wait_ms = i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX);
                    refused_until = Some(clock.now_ms().saturating_add(wait_ms));
                }
            }
        }
    }
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|| ms.to_string())
}
