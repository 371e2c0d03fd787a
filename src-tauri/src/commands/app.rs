use serde::Serialize;
use tauri::State;

use crate::error::AppError;
use crate::rendering::{Compositing, Rendering};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StartupInfo {
    /// From the process start to the UI's first paint, as the UI reports it.
    pub ms_since_start: f64,
    pub version: String,
}

/// Called by the UI once it has painted: measures cold start.
#[tauri::command]
#[specta::specta]
pub fn app_ready(state: State<'_, AppState>) -> StartupInfo {
    StartupInfo {
        ms_since_start: state.started.elapsed().as_secs_f64() * 1000.0,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// Compositing on while a panel that repaints much of the window at once is shown (the Tools
/// panel), off again when it goes; only on machines where GL is software (see `rendering`).
/// Answers with the web view's compositing as WebKit's settings then say.
#[tauri::command]
#[specta::specta]
pub async fn set_compositing(
    window: tauri::WebviewWindow,
    rendering: State<'_, Rendering>,
    on: bool,
) -> Result<Compositing, AppError> {
    let problem = |e: String| AppError::new("internal", format!("the web view's compositing: {e}"));
    let now = rendering
        .set_compositing(&window, on)
        .map_err(|e| problem(e.to_string()))?;
    now.await
        .map_err(|_| problem("the web view did not answer".to_string()))
}
