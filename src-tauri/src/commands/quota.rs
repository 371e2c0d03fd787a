//! The quota panel's commands: figures per profile, a refresh from Port's quota endpoint, the
//! charts' data and CSV export, preferences, and "send anyway" for a queued run.

use std::path::PathBuf;

use port_api::MonthlyQuotaUsage;
use quota::{Clock, QuotaBook, QuotaFigures, QuotaPreferences, SystemClock, DAY_MS};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::commands::credentials::blocking;
use crate::error::AppError;
use crate::events::QuotaChanged;
use crate::limiter::{account, announce, book, QueuedRuns};
use crate::state::AppState;

/// The monthly quota of the open workspace; also announced as a `QuotaChanged` event.
#[tauri::command]
#[specta::specta]
pub async fn get_quota(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<MonthlyQuotaUsage, AppError> {
    let usage = state.client()?.monthly_quota().await?;
    let _ = QuotaChanged {
        usage: usage.clone(),
    }
    .emit(&app);
    Ok(usage)
}

fn open_book(state: &AppState) -> Result<QuotaBook, AppError> {
    book(state).ok_or_else(|| match state.history() {
        Err(err) => err,
        Ok(_) => AppError::new("history_unavailable", "the history is not open"),
    })
}

fn profile_or_open(state: &AppState, profile: Option<String>) -> Result<String, AppError> {
    profile
        .or_else(|| account(state))
        .ok_or_else(AppError::not_connected)
}

/// The figures recorded for `profile` (the open workspace's when `None`); no request to Port.
#[tauri::command]
#[specta::specta]
pub async fn quota_figures(
    state: State<'_, AppState>,
    profile: Option<String>,
) -> Result<QuotaFigures, AppError> {
    let book = open_book(&state)?;
    let profile = profile_or_open(&state, profile)?;
    blocking(move || Ok(book.figures(&profile, SystemClock.now_ms())?)).await
}

/// Asks Port for the open workspace's monthly quota (usage elsewhere shows up), records it and
/// returns the figures. Port unreachable: the error, figures stay as recorded.
#[tauri::command]
#[specta::specta]
pub async fn refresh_quota(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<QuotaFigures, AppError> {
    let client = state.client()?;
    let book = open_book(&state)?;
    let profile = profile_or_open(&state, None)?;
    let monthly = client.quota_status().await?;
    if let Some(usage) = &monthly {
        let _ = QuotaChanged {
            usage: usage.clone(),
        }
        .emit(&app);
    }
    let (figures, alerts) = {
        let profile = profile.clone();
        blocking(move || {
            let now = SystemClock.now_ms();
            book.record_endpoint(&profile, monthly.as_ref(), now)?;
            let alerts = book.new_alerts(&profile, now)?;
            Ok((book.figures(&profile, now)?, alerts))
        })
        .await?
    };
    announce(&app, profile, alerts);
    Ok(figures)
}

/// Every profile with recorded figures, the open workspace's first.
#[tauri::command]
#[specta::specta]
pub async fn quota_profiles(state: State<'_, AppState>) -> Result<Vec<String>, AppError> {
    let book = open_book(&state)?;
    let open = account(&state);
    blocking(move || {
        let mut profiles = book.profiles()?;
        if let Some(open) = open {
            profiles.retain(|p| *p != open);
            profiles.insert(0, open);
        }
        Ok(profiles)
    })
    .await
}

/// Invocations of one day, agent and chat mode.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageBucket {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// `None`: the general assistant.
    pub agent: Option<String>,
    pub chat_mode: Option<String>,
    pub count: u32,
}

fn usage(book: &QuotaBook, profile: &str, days: u32) -> Result<Vec<UsageBucket>, AppError> {
    let since = SystemClock.now_ms() - i64::from(days.clamp(1, 366)) * DAY_MS;
    Ok(book
        .usage(profile, since)?
        .into_iter()
        .map(|row| UsageBucket {
            day: history::format_time(row.day * DAY_MS)
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string(),
            agent: row.agent,
            chat_mode: row.chat_mode,
            count: u32::try_from(row.count).unwrap_or(u32::MAX),
        })
        .collect())
}

/// The charts' data: the last `days` days of invocations from the history.
#[tauri::command]
#[specta::specta]
pub async fn quota_usage(
    state: State<'_, AppState>,
    profile: Option<String>,
    days: u32,
) -> Result<Vec<UsageBucket>, AppError> {
    let book = open_book(&state)?;
    let profile = profile_or_open(&state, profile)?;
    blocking(move || usage(&book, &profile, days)).await
}

fn csv_of(buckets: &[UsageBucket]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("day,agent,chat_mode,invocations\n");
    for b in buckets {
        out.push_str(&format!(
            "{},{},{},{}\n",
            b.day,
            field(b.agent.as_deref().unwrap_or("general assistant")),
            field(b.chat_mode.as_deref().unwrap_or("")),
            b.count
        ));
    }
    out
}

/// Writes the charts' data as CSV into the Downloads folder; resolves with the file's path.
#[tauri::command]
#[specta::specta]
pub async fn quota_export_csv(
    state: State<'_, AppState>,
    profile: Option<String>,
    days: u32,
) -> Result<String, AppError> {
    let book = open_book(&state)?;
    let profile = profile_or_open(&state, profile)?;
    blocking(move || {
        let text = csv_of(&usage(&book, &profile, days)?);
        let dir = dirs::download_dir()
            .or_else(dirs::home_dir)
            .unwrap_or_else(|| PathBuf::from("."));
        let safe: String = profile
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(40)
            .collect();
        let path = dir.join(format!(
            "portdesk-usage-{safe}-{}.csv",
            SystemClock.now_ms() / 1000
        ));
        std::fs::write(&path, text).map_err(|e| {
            AppError::new(
                "export_failed",
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
        Ok(path.display().to_string())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn quota_preferences(state: State<'_, AppState>) -> Result<QuotaPreferences, AppError> {
    let book = open_book(&state)?;
    blocking(move || Ok(book.preferences()?)).await
}

/// Saves thresholds and the reserve (shared with the CLI); announces the figures again, since
/// the limiter's decision may change.
#[tauri::command]
#[specta::specta]
pub async fn set_quota_preferences(
    app: AppHandle,
    state: State<'_, AppState>,
    preferences: QuotaPreferences,
) -> Result<(), AppError> {
    let book = open_book(&state)?;
    let profile = account(&state);
    let alerts = blocking(move || {
        book.set_preferences(&preferences)?;
        match &profile {
            Some(p) => Ok((p.clone(), book.new_alerts(p, SystemClock.now_ms())?)),
            None => Ok((String::new(), Vec::new())),
        }
    })
    .await?;
    if !alerts.0.is_empty() {
        announce(&app, alerts.0, alerts.1);
    }
    Ok(())
}

/// Sends a run that waits in the limiter's queue now; false when it is not waiting.
#[tauri::command]
#[specta::specta]
pub fn quota_send_now(queue: State<'_, QueuedRuns>, run_id: String) -> bool {
    queue.send_now(&run_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = vec![UsageBucket {
            day: "2026-12-03".into(),
            agent: Some("a,\"b\"".into()),
            chat_mode: None,
            count: 3,
        }];
        assert_eq!(
            csv_of(&rows),
            "day,agent,chat_mode,invocations\n2026-12-03,\"a,\"\"b\"\"\",,3\n"
        );
    }
}
