//! The limiter's timing against a manual clock and a real history file: how long it waits, how
//! often it retries, what it never retries, and what a later invocation learns from an earlier one.

use std::cell::Cell;
use std::time::Duration;

use history::{HistoryStore, QuotaSnapshotRow};
use port_api::{CancellationToken, ErrorCode, PortError};
use quota::{guarded, Clock, GateEvent, ManualClock, Policy, QuotaBook, WaitReason};

const T0: i64 = 1_796_000_000_000;

fn book() -> (tempfile::TempDir, QuotaBook) {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open_in(dir.path()).unwrap();
    (dir, QuotaBook::new(store))
}

fn rate_limited(secs: u64) -> PortError {
    let mut err = PortError::new(ErrorCode::RateLimited, "Too many requests");
    err.retry_after_secs = Some(secs);
    err
}

fn quota_exceeded() -> PortError {
    let mut err = PortError::new(ErrorCode::QuotaExceeded, "Monthly quota exceeded");
    err.reset_date = Some("2027-01-01T00:00:00.000Z".into());
    err
}

fn exhausted_window(profile: &str, read_at: i64, reset_in_ms: i64) -> QuotaSnapshotRow {
    QuotaSnapshotRow {
        profile: profile.into(),
        read_at_ms: read_at,
        source: "done".into(),
        max_requests: Some(200.0),
        remaining_requests: Some(0.0),
        max_tokens: Some(500_000.0),
        remaining_tokens: Some(120_000.0),
        window_reset_at_ms: Some(read_at + reset_in_ms),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_rate_limit_is_retried_after_retry_after_a_bounded_number_of_times() {
    let (_dir, book) = book();
    let clock = ManualClock::at(T0);
    let calls = Cell::new(0u32);
    let mut events = Vec::new();
    let result = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        true,
        &CancellationToken::new(),
        None,
        |e| events.push(e),
        || {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move {
                if n <= 2 {
                    Err(rate_limited(7))
                } else {
                    Ok(n)
                }
            }
        },
    )
    .await;
    assert_eq!(result.unwrap(), 3);
    // Exactly Port's retryAfter, twice, in one-second steps.
    assert_eq!(clock.slept(), Duration::from_secs(14));
    assert!(clock.sleeps().iter().all(|s| *s <= Duration::from_secs(1)));
    let queued: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            GateEvent::Queued {
                until_ms,
                reason,
                attempt,
                max_attempts,
            } => Some((*until_ms - T0, *reason, *attempt, *max_attempts)),
            _ => None,
        })
        .collect();
    assert_eq!(
        queued,
        vec![
            (7_000, WaitReason::RateLimited, 1, 3),
            (14_000, WaitReason::RateLimited, 2, 3)
        ]
    );
    // A success forgets the rate limit.
    assert_eq!(book.limiter_state("work").unwrap(), None);

    let calls = Cell::new(0u32);
    let clock = ManualClock::at(T0);
    let err = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        true,
        &CancellationToken::new(),
        None,
        |_| {},
        || {
            calls.set(calls.get() + 1);
            async { Err::<(), _>(rate_limited(5)) }
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert_eq!(
        calls.get(),
        4,
        "one attempt and three retries, then it gives up"
    );
    assert_eq!(clock.slept(), Duration::from_secs(15));
}

#[tokio::test]
async fn a_quota_error_is_never_retried_and_blocks_until_its_reset_date() {
    let (_dir, book) = book();
    let clock = ManualClock::at(T0);
    let calls = Cell::new(0u32);
    let attempt = || {
        calls.set(calls.get() + 1);
        async { Err::<(), _>(quota_exceeded()) }
    };
    let cancel = CancellationToken::new();
    let err = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        true,
        &cancel,
        None,
        |_| {},
        attempt,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::QuotaExceeded);
    assert_eq!(calls.get(), 1);
    assert_eq!(clock.slept(), Duration::ZERO);
    let state = book.limiter_state("work").unwrap().unwrap();
    assert_eq!(state.kind, "quota_exceeded");
    assert_eq!(
        state.until_ms,
        chrono::DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
            .unwrap()
            .timestamp_millis()
    );

    // The next invocation is refused before anything is sent, with the date, without waiting.
    let err = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        true,
        &cancel,
        None,
        |_| {},
        || {
            calls.set(calls.get() + 1);
            async { Ok::<(), PortError>(()) }
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::QuotaExceeded);
    assert_eq!(err.reset_date.as_deref(), Some("2027-01-01T00:00:00.000Z"));
    assert_eq!(calls.get(), 1, "nothing sent");
    // Another profile is not blocked.
    let ok = guarded(
        Some(&book),
        "other",
        &clock,
        &Policy::default(),
        true,
        &cancel,
        None,
        |_| {},
        || async { Ok::<u8, PortError>(1) },
    )
    .await;
    assert_eq!(ok.unwrap(), 1);
}

#[tokio::test]
async fn an_exhausted_window_waits_until_the_reset_or_refuses_at_once() {
    let (_dir, book) = book();
    book.store()
        .record_quota_snapshot(exhausted_window("work", T0 - 5_000, 45_000))
        .unwrap();
    let clock = ManualClock::at(T0);
    let calls = Cell::new(0u32);
    let cancel = CancellationToken::new();

    let err = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        false,
        &cancel,
        None,
        |_| {},
        || {
            calls.set(calls.get() + 1);
            async { Ok::<(), PortError>(()) }
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert_eq!(err.retry_after_secs, Some(40));
    assert_eq!(calls.get(), 0);

    let mut ticks = 0;
    let done = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        true,
        &cancel,
        None,
        |e| ticks += matches!(e, GateEvent::Tick { .. }) as u32,
        || {
            calls.set(calls.get() + 1);
            async { Ok::<(), PortError>(()) }
        },
    )
    .await;
    assert!(done.is_ok());
    assert_eq!(calls.get(), 1);
    // It sent at the reset, not a millisecond before.
    assert_eq!(clock.now_ms(), T0 + 40_000);
    assert_eq!(ticks, 40, "one countdown tick a second");
}

#[tokio::test]
async fn the_reserve_holds_invocations_back_and_send_anyway_skips_the_wait() {
    let (_dir, book) = book();
    let mut row = exhausted_window("work", T0, 30_000);
    row.remaining_requests = Some(2.0);
    book.store().record_quota_snapshot(row).unwrap();
    let policy = Policy {
        reserve_requests: 5.0,
        ..Policy::default()
    };
    let clock = ManualClock::at(T0);
    let anyway = tokio::sync::Notify::new();
    anyway.notify_one();
    let mut events = Vec::new();
    let result = guarded(
        Some(&book),
        "work",
        &clock,
        &policy,
        true,
        &CancellationToken::new(),
        Some(&anyway),
        |e| events.push(e),
        || async { Ok::<(), PortError>(()) },
    )
    .await;
    assert!(result.is_ok());
    assert!(matches!(
        events[0],
        GateEvent::Queued {
            reason: WaitReason::BelowReserve,
            ..
        }
    ));
    assert!(events.contains(&GateEvent::Sending { anyway: true }));
    assert!(
        clock.slept() < Duration::from_secs(2),
        "{:?}",
        clock.slept()
    );
}

#[tokio::test]
async fn cancelling_a_queued_invocation_sends_nothing() {
    let (_dir, book) = book();
    book.store()
        .record_quota_snapshot(exhausted_window("work", T0, 60_000))
        .unwrap();
    let clock = ManualClock::at(T0);
    let cancel = CancellationToken::new();
    let calls = Cell::new(0u32);
    let mut seen = 0;
    let err = guarded(
        Some(&book),
        "work",
        &clock,
        &Policy::default(),
        true,
        &cancel,
        None,
        |e| {
            if matches!(e, GateEvent::Tick { .. }) {
                seen += 1;
                if seen == 3 {
                    cancel.cancel();
                }
            }
        },
        || {
            calls.set(calls.get() + 1);
            async { Ok::<(), PortError>(()) }
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert_eq!(calls.get(), 0);
}

#[tokio::test]
async fn without_a_history_a_rate_limit_is_still_waited_out() {
    let clock = ManualClock::at(T0);
    let calls = Cell::new(0u32);
    let result = guarded(
        None,
        "work",
        &clock,
        &Policy::default(),
        true,
        &CancellationToken::new(),
        None,
        |_| {},
        || {
            calls.set(calls.get() + 1);
            let first = calls.get() == 1;
            async move {
                if first {
                    Err(rate_limited(3))
                } else {
                    Ok(())
                }
            }
        },
    )
    .await;
    assert!(result.is_ok());
    assert_eq!(clock.slept(), Duration::from_secs(3));
}
