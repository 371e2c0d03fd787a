//! The limiter and the quota figures in the running app: runs wait in a visible queue before
//! they are sent, `done` figures are recorded for the panel (and for the CLI, which reads the
//! same database), and thresholds crossed are announced once per window.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use port_api::{CancellationToken, InvokeEvent, PortError, RateLimitHeaders};
use quota::{Clock, GateEvent, QuotaBook, SystemClock};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tokio::sync::Notify;

use crate::events::{QuotaAlertRaised, QuotaFiguresChanged, RunQueueChanged};
use crate::state::AppState;

/// Runs waiting for the limiter, by run id: "Send anyway" wakes one.
#[derive(Default)]
pub struct QueuedRuns {
    waiting: Mutex<HashMap<String, Arc<Notify>>>,
}

impl QueuedRuns {
    fn register(&self, run_id: &str) -> Arc<Notify> {
        let notify = Arc::new(Notify::new());
        self.lock().insert(run_id.to_string(), notify.clone());
        notify
    }

    fn remove(&self, run_id: &str) {
        self.lock().remove(run_id);
    }

    /// Sends a queued run now; false when it is not waiting.
    pub fn send_now(&self, run_id: &str) -> bool {
        match self.lock().get(run_id) {
            Some(notify) => {
                notify.notify_one();
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Notify>>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The quota account of the open workspace (the profile's name, or "demo").
pub fn account(state: &AppState) -> Option<String> {
    state.history_profile()
}

pub fn book(state: &AppState) -> Option<QuotaBook> {
    state.history().ok().map(QuotaBook::new)
}

/// Runs `attempt` when the limiter allows: waiting in the queue (announced as `RunQueueChanged`)
/// until the window resets, the user sends anyway or cancels; retrying a rate limit a bounded
/// number of times; never sending while the monthly quota is used up.
pub async fn gated<F, Fut>(
    app: &AppHandle,
    run_id: &str,
    cancel: &CancellationToken,
    attempt: F,
) -> Result<(), PortError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), PortError>>,
{
    let state = app.state::<AppState>();
    let queue = app.state::<QueuedRuns>();
    let account = account(&state).unwrap_or_default();
    let book = book(&state);
    let policy = book
        .as_ref()
        .and_then(|b| b.preferences().ok())
        .unwrap_or_default()
        .policy();
    let send_now = queue.register(run_id);
    let mut queued = false;
    let result = quota::guarded(
        book.as_ref(),
        &account,
        &SystemClock,
        &policy,
        true,
        cancel,
        Some(&send_now),
        |event| {
            if matches!(event, GateEvent::Tick { .. }) {
                return; // The UI counts down on its own.
            }
            queued |= matches!(event, GateEvent::Queued { .. });
            let _ = RunQueueChanged {
                run_id: run_id.to_string(),
                event: Some(event),
            }
            .emit(app);
        },
        attempt,
    )
    .await;
    queue.remove(run_id);
    if queued {
        let _ = RunQueueChanged {
            run_id: run_id.to_string(),
            event: None,
        }
        .emit(app);
    }
    if let Err(err) = &result {
        if matches!(
            err.code,
            port_api::ErrorCode::RateLimited | port_api::ErrorCode::QuotaExceeded
        ) {
            let _ = QuotaFiguresChanged { profile: account }.emit(app);
        }
    }
    result
}

/// Records a run's `done` figures (and its `x-ratelimit-*` headers when `done` has no window
/// figures) off the async runtime, then announces them and any threshold crossed.
pub async fn after_done(app: &AppHandle, done: Option<InvokeEvent>, headers: &RateLimitHeaders) {
    let Some(InvokeEvent::Done {
        rate_limit_usage,
        monthly_quota_usage,
        data,
    }) = done
    else {
        return;
    };
    let state = app.state::<AppState>();
    let (Some(account), Some(book)) = (account(&state), book(&state)) else {
        return;
    };
    let recorded = {
        let account = account.clone();
        let headers = headers.clone();
        tokio::task::spawn_blocking(move || {
            let now = SystemClock.now_ms();
            if rate_limit_usage.is_none() {
                book.record_headers(&account, &headers, now)?;
            }
            book.record_done(
                &account,
                rate_limit_usage.as_ref(),
                monthly_quota_usage.as_ref(),
                &data,
                now,
            )?;
            book.new_alerts(&account, now)
        })
        .await
    };
    match recorded {
        Ok(Ok(alerts)) => announce(app, account, alerts),
        Ok(Err(err)) => eprintln!("Portdesk: the quota figures were not recorded: {err}"),
        Err(err) => eprintln!("Portdesk: recording the quota figures stopped: {err}"),
    }
}

/// Each alert as an in-app banner (the `QuotaAlertRaised` event) and a desktop notification. The
/// banner shows regardless: a desktop without a notification service only loses the latter.
pub fn announce(app: &AppHandle, account: String, alerts: Vec<quota::QuotaAlert>) {
    for alert in alerts {
        notify_desktop(app, &alert);
        let _ = QuotaAlertRaised { alert }.emit(app);
    }
    let _ = QuotaFiguresChanged { profile: account }.emit(app);
}

fn notify_desktop(app: &AppHandle, alert: &quota::QuotaAlert) {
    use tauri_plugin_notification::NotificationExt;
    let title = if alert.metric.ends_with("reset") {
        "Portdesk: quota reset"
    } else {
        "Portdesk: quota threshold crossed"
    };
    let body = format!("{} ({})", alert.message, alert.profile);
    let app = app.clone();
    // The notification service is a D-Bus round trip: never on the async workers.
    tauri::async_runtime::spawn_blocking(move || {
        if let Err(err) = app.notification().builder().title(title).body(body).show() {
            eprintln!("Portdesk: no desktop notification for a quota alert: {err}");
        }
    });
}
