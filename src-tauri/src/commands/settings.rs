use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::error::AppError;
use crate::events::SettingsChanged;
use crate::settings::{AppSettings, SettingsPatch};
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
