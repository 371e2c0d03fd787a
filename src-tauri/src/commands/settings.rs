use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::AppError;
use crate::events::SettingsChanged;
use crate::settings::{AppSettings, RequestOptions, SettingsPatch};
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> AppSettings {
    state.settings.get()
}

#[tauri::command]
#[specta::specta]
pub fn update_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    patch: SettingsPatch,
) -> Result<AppSettings, AppError> {
    let settings = state.settings.update(patch)?;
    let _ = SettingsChanged {
        settings: settings.clone(),
    }
    .emit(&app);
    Ok(settings)
}

/// Remembers Chat's request options for one agent ("" for the general assistant).
#[tauri::command]
#[specta::specta]
pub fn save_request_options(
    app: AppHandle,
    state: State<'_, AppState>,
    agent: String,
    options: RequestOptions,
) -> Result<AppSettings, AppError> {
    let settings = state.settings.save_request_options(&agent, options)?;
    let _ = SettingsChanged {
        settings: settings.clone(),
    }
    .emit(&app);
    Ok(settings)
}
