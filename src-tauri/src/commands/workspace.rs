use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::commands::credentials::blocking;
use crate::connection::{Connection, ConnectionInfo};
use crate::error::AppError;
use crate::events::ConnectionChanged;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceStatus {
    pub connection: Option<ConnectionInfo>,
    pub has_profiles: bool,
    /// Things the user must hear about once: a settings file moved aside, and the like.
    pub notices: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn workspace_status(state: State<'_, AppState>) -> Result<WorkspaceStatus, AppError> {
    let mut notices = Vec::new();
    if let Some(notice) = state.settings.notice() {
        notices.push(notice.to_string());
    }
    if let Err(err) = state.history() {
        notices.push(format!(
            "Your local history is unavailable in this session: {}",
            err.message
        ));
    }
    let profiles = state.profiles.clone();
    // The file alone answers this: a keychain read here would run (and maybe prompt) at start-up.
    let (has_profiles, profiles_notice) =
        blocking(move || Ok((!profiles.targets().is_empty(), profiles.load_notice()))).await?;
    notices.extend(profiles_notice);
    Ok(WorkspaceStatus {
        connection: state.connection_info(),
        has_profiles,
        notices,
    })
}

/// Opens the demo workspace: a Port-compatible server in-process on loopback.
#[tauri::command]
#[specta::specta]
pub async fn connect_demo(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ConnectionInfo, AppError> {
    let connection = Connection::demo().await?;
    announce(&app, state.replace_connection(Some(connection)))
}

/// Opens the Port organisation of a saved profile.
#[tauri::command]
#[specta::specta]
pub async fn connect_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<ConnectionInfo, AppError> {
    let profiles = state.profiles.clone();
    let connection = blocking(move || open_profile(&profiles, &name)).await?;
    announce(&app, state.replace_connection(Some(connection)))
}

#[tauri::command]
#[specta::specta]
pub fn disconnect(app: AppHandle, state: State<'_, AppState>) {
    state.replace_connection(None);
    let _ = ConnectionChanged { connection: None }.emit(&app);
}

pub fn open_profile(
    profiles: &credentials::ProfileStore,
    name: &str,
) -> Result<Connection, AppError> {
    let (base, credentials) = profiles.connect(name)?;
    let label = profiles
        .targets()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, target)| target.describe())
        .unwrap_or_else(|| base.as_str().to_string());
    Connection::profile(name, &label, base, credentials)
}

fn announce(app: &AppHandle, info: Option<ConnectionInfo>) -> Result<ConnectionInfo, AppError> {
    let _ = ConnectionChanged {
        connection: info.clone(),
    }
    .emit(app);
    info.ok_or_else(|| AppError::new("internal", "the workspace did not open"))
}
