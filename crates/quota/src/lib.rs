//! Quota monitoring and a client-side rate limiter, shared by the desktop app and `portdesk-cli`
//! (Tauri-free).
//!
//! - [`QuotaBook`] keeps what Port reported (every `done`, the quota endpoint, `x-ratelimit-*`
//!   headers, refusals) in the history database, per profile, so the app and the CLI share it.
//! - [`figures`] turns those snapshots into what a person reads: calls and tokens left in the
//!   window with its reset, the month with days left, pace and a projected run-out range.
//! - [`limiter::decide`] says whether an invocation may go now, must wait until a time, or is
//!   blocked until the quota resets; [`gate::guarded`] applies that around an invocation (waiting,
//!   retrying `RATE_LIMIT_ERROR` a bounded number of times, never retrying `QUOTA_ERROR`), against
//!   an injectable [`Clock`] so its timing is tested without waiting.

mod book;
pub mod clock;
pub mod figures;
pub mod gate;
pub mod limiter;
mod preferences;

pub use book::{format_count, QuotaAlert, QuotaBook};
pub use clock::{Clock, ManualClock, SystemClock};
pub use figures::{MonthlyFigures, Pace, Projection, QuotaFigures, WindowFigures};
pub use gate::{guarded, GateEvent};
pub use limiter::{Decision, Policy, WaitReason};
pub use preferences::QuotaPreferences;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// The quota account when no profile names it: the organisation behind this API base URL.
pub fn account_for(profile: Option<&str>, base_url: &str) -> String {
    match profile {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => base_url.trim_end_matches('/').to_string(),
    }
}
