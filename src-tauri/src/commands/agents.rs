use port_api::Agent;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

/// The open workspace's AI agents.
#[tauri::command]
#[specta::specta]
pub async fn list_agents(state: State<'_, AppState>) -> Result<Vec<Agent>, AppError> {
    Ok(state.client()?.list_agents().await?)
}
