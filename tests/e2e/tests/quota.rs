//! Quota in the real app: the panel after a few invocations (gauges in real units, live reset
//! countdown, monthly figures, charts from the history), a threshold banner, the status-bar chip,
//! and a queued invocation's countdown with Cancel, Send anyway and the start by itself at reset.
//! Run by scripts/test.sh: `cargo test -p portdesk-e2e --features e2e --test quota`.

use std::time::{Duration, Instant};

use history::{HistoryStore, QuotaSnapshotRow};
use portdesk_e2e::{App, Dirs, Result};
use quota::{Clock, SystemClock};

const STREAM_TIMEOUT: Duration = Duration::from_secs(30);

/// Figures another process recorded for the demo workspace: the window is used up until
/// `reset_in` from now.
fn exhaust_window(dirs: &Dirs, reset_in: Duration) -> Result<i64> {
    let store = HistoryStore::open_in(&dirs.data())?;
    let now = SystemClock.now_ms();
    let reset_at = now + reset_in.as_millis() as i64;
    store.record_quota_snapshot(QuotaSnapshotRow {
        profile: "demo".into(),
        read_at_ms: now,
        source: "done".into(),
        max_requests: Some(200.0),
        remaining_requests: Some(0.0),
        max_tokens: Some(500_000.0),
        remaining_tokens: Some(41_000.0),
        window_reset_at_ms: Some(reset_at),
        ..Default::default()
    })?;
    Ok(reset_at)
}

async fn queued_count(app: &App) -> Result<usize> {
    Ok(app.find_all("queued-invocation").await?.len())
}

#[tokio::test]
async fn the_panel_after_a_few_invocations_with_a_threshold_banner_and_the_chip() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;

    // A threshold the second invocation crosses: 99 % of 200 calls is 198.
    app.click("nav-quota").await?;
    app.wait_for("threshold-warnRequestsPercent", STREAM_TIMEOUT)
        .await?;
    app.type_into("threshold-warnRequestsPercent", "99").await?;
    app.click("thresholds-save").await?;
    app.wait_until("the thresholds saved", STREAM_TIMEOUT, || async {
        let note = app.text("thresholds-note").await?;
        Ok(note.starts_with("Saved").then_some(()))
    })
    .await?;

    app.click("nav-chat").await?;
    for (i, prompt) in [
        "What services do we have?",
        "Summarise open incidents",
        "Which deploys failed today?",
    ]
    .iter()
    .enumerate()
    {
        app.ask(prompt).await?;
        app.wait_for_turns(i as u64 + 1, "completed", STREAM_TIMEOUT)
            .await?;
    }

    // The banner, once (not once per invocation).
    let banners = app
        .wait_until("the threshold banner", STREAM_TIMEOUT, || async {
            let found = app.find_all("quota-banner").await?;
            Ok((!found.is_empty()).then_some(found.len()))
        })
        .await?;
    assert_eq!(banners, 1);
    let banner = app.text("quota-banner").await?;
    assert!(
        banner.contains("Quota threshold crossed: 198 of 200 LLM calls"),
        "{banner}"
    );
    assert!(app.attr("quota-banner", "data-metric").await?.as_deref() == Some("requests"));
    let chip = app
        .wait_until("the chip at 497", STREAM_TIMEOUT, || async {
            let text = app.text("quota-chip").await?;
            Ok(text.contains("497 / 500").then_some(text))
        })
        .await?;
    assert!(chip.contains("left"), "{chip}");
    app.painted_screenshot("quota-chat-banner-chip").await?;

    app.click("nav-quota").await?;
    let left = app
        .wait_until("the calls gauge at 197", STREAM_TIMEOUT, || async {
            let left = app.attr("gauge-calls", "data-left").await?;
            Ok(left.filter(|l| l == "197"))
        })
        .await?;
    assert_eq!(left, "197");
    assert_eq!(
        app.attr("gauge-calls", "data-max").await?.as_deref(),
        Some("200")
    );
    let calls = app.text("gauge-calls").await?;
    assert!(
        calls.contains("197") && calls.contains("of 200 calls left"),
        "{calls}"
    );
    let tokens = app.text("gauge-tokens").await?;
    assert!(tokens.contains("tokens left"), "{tokens}");
    // A live countdown: it moves while the panel is open.
    let first = app.text("window-reset").await?;
    assert!(first.starts_with("Resets in 0:"), "{first}");
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let second = app.text("window-reset").await?;
    assert_ne!(first, second, "the countdown moves");
    let updated = app.text("window-updated").await?;
    assert!(
        updated.starts_with("updated ") && updated.ends_with(" s ago"),
        "{updated}"
    );
    assert_eq!(app.text("monthly-remaining").await?, "497");
    let days = app.text("monthly-days-left").await?;
    assert!(days.contains("resets"), "{days}");
    assert!(app.text("monthly-pace").await?.contains("3 used"));
    assert_eq!(
        app.text("monthly-projection").await?,
        "Shown after 2 days of history"
    );
    assert_eq!(
        app.attr("quota-decision", "data-kind").await?.as_deref(),
        Some("go")
    );
    // Charts from the history: three invocations today, all by the general assistant.
    let today = app
        .wait_until("today's bar", STREAM_TIMEOUT, || async {
            let v = app
                .eval(
                    "const bars = document.querySelectorAll('[data-testid=\"chart-per-day\"] rect');\
                     return bars.length ? bars[bars.length - 1].getAttribute('data-count') : null;",
                )
                .await?;
            Ok(v.as_str().filter(|c| *c == "3").map(str::to_string))
        })
        .await?;
    assert_eq!(today, "3");
    let agents = app.text("chart-per-agent").await?;
    assert!(
        agents.contains("General assistant") && agents.contains('3'),
        "{agents}"
    );
    app.painted_screenshot("quota-panel").await?;
    app.eval(
        "document.querySelector('[data-testid=\"quota-usage\"]').scrollIntoView(); return null;",
    )
    .await?;
    app.painted_screenshot("quota-panel-charts").await?;
    app.quit().await
}

#[tokio::test]
async fn a_queued_invocation_counts_down_starts_at_reset_and_can_be_cancelled_or_sent() -> Result<()>
{
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;

    // Another process learnt that the window is used up for 8 s more.
    let reset_at = exhaust_window(&dirs, Duration::from_secs(8))?;
    app.ask("What services do we have?").await?;
    app.wait_for("queued-invocation", STREAM_TIMEOUT).await?;
    let first = app.text("queued-countdown").await?;
    assert!(first.starts_with("0:0"), "{first}");
    let text = app.text("queued-invocation").await?;
    assert!(text.contains("The rate-limit window is used up"), "{text}");
    app.painted_screenshot("quota-queued-countdown").await?;
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    assert_ne!(app.text("queued-countdown").await?, first, "it counts down");

    // It starts by itself at the reset, not before.
    app.wait_for_turns(1, "completed", STREAM_TIMEOUT).await?;
    assert!(
        SystemClock.now_ms() >= reset_at,
        "the run completed before the window reset"
    );
    assert_eq!(queued_count(&app).await?, 0);

    // Send anyway skips a long wait.
    exhaust_window(&dirs, Duration::from_secs(120))?;
    app.ask("Summarise open incidents").await?;
    app.wait_for("queued-invocation", STREAM_TIMEOUT).await?;
    let started = Instant::now();
    app.click("queued-send-anyway").await?;
    app.wait_for_turns(2, "completed", STREAM_TIMEOUT).await?;
    assert!(started.elapsed() < Duration::from_secs(60));

    // Cancel: nothing is sent, the turn ends cancelled.
    exhaust_window(&dirs, Duration::from_secs(120))?;
    app.ask("Which deploys failed today?").await?;
    app.wait_for("queued-invocation", STREAM_TIMEOUT).await?;
    app.click("queued-cancel").await?;
    app.wait_for_turns(3, "cancelled", STREAM_TIMEOUT).await?;
    app.wait_until("the queue to empty", STREAM_TIMEOUT, || async {
        Ok((queued_count(&app).await? == 0).then_some(()))
    })
    .await?;
    app.painted_screenshot("quota-queued-cancelled").await?;
    app.quit().await
}
