use port_api::MonthlyQuotaUsage;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::AppError;
use crate::events::QuotaChanged;
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
