//! What the limiter costs an invocation: the decision (three indexed reads of the history file)
//! and the panel's figures, over a history holding a heavy month of snapshots for several
//! profiles. Prints figures; `cargo test` runs it in quick mode so it keeps working.
//!
//! `cargo bench -p quota --bench limiter` (full) or `cargo test -p quota --bench limiter` (quick).

use std::time::{Duration, Instant};

use history::{HistoryStore, QuotaSnapshotRow};
use quota::{Policy, QuotaBook, DAY_MS};

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let (profiles, per_profile, rounds) = if quick {
        (2, 500, 200)
    } else {
        (5, 10_000, 2_000)
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = HistoryStore::open_in(dir.path()).expect("open");
    let book = QuotaBook::new(store.clone());
    let start = 1_796_000_000_000i64;
    let filled = Instant::now();
    for p in 0..profiles {
        for i in 0..per_profile {
            let at = start + i as i64 * (30 * DAY_MS / per_profile as i64);
            store
                .record_quota_snapshot(QuotaSnapshotRow {
                    profile: format!("profile-{p}"),
                    read_at_ms: at,
                    source: "done".into(),
                    max_requests: Some(200.0),
                    remaining_requests: Some(150.0),
                    max_tokens: Some(500_000.0),
                    remaining_tokens: Some(400_000.0),
                    window_reset_at_ms: Some(at + 60_000),
                    monthly_limit: Some(100_000.0),
                    remaining_quota: Some(100_000.0 - i as f64),
                    month: Some("2026-12".into()),
                    month_reset_at_ms: Some(start + 31 * DAY_MS),
                    raw: None,
                })
                .expect("insert");
        }
    }
    let fill = filled.elapsed();
    let now = start + 30 * DAY_MS;
    let policy = Policy::default();
    let time = |f: &dyn Fn()| {
        let mut samples: Vec<Duration> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        samples.sort();
        (
            samples[samples.len() / 2],
            samples[samples.len() * 99 / 100],
        )
    };
    let (decide_p50, decide_p99) = time(&|| {
        book.decide("profile-1", now, &policy).expect("decide");
    });
    let (figures_p50, figures_p99) = time(&|| {
        book.figures("profile-1", now).expect("figures");
    });
    println!(
        "quota limiter bench{}: {profiles} profiles × {per_profile} snapshots (written in {:.1} s)",
        if quick { " (quick mode)" } else { "" },
        fill.as_secs_f64()
    );
    println!("  decide (before each invocation): p50 {decide_p50:?}, p99 {decide_p99:?}");
    println!("  figures (panel, CLI quota):      p50 {figures_p50:?}, p99 {figures_p99:?}");
}
