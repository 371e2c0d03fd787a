//! The organisation's agents: the saved copy first (instant, offline), then Port's list, which
//! replaces the copy; plus the workspace's favourite and recently used agents, the request
//! options Chat starts with for each of them, and the tool-pattern set saved for each.

use std::collections::BTreeMap;

use agents::{
    AgentPrefs, AgentPrefsView, AgentStore, AgentsSnapshot, RequestOptions, SavedPatternSet,
    WorkspaceKey,
};
use port_api::Agent;
use serde::Serialize;
use tauri::State;

use crate::connection::ConnectionKind;
use crate::error::AppError;
use crate::settings::SettingsStore;
use crate::state::AppState;

/// The open workspace's AI agents, straight from Port.
#[tauri::command]
#[specta::specta]
pub async fn list_agents(state: State<'_, AppState>) -> Result<Vec<Agent>, AppError> {
    Ok(state.client()?.list_agents().await?)
}

/// The cache key of the open workspace, and the address its agents come from (the demo's
/// address changes every start, so it is not checked).
fn workspace(state: &AppState) -> Result<(WorkspaceKey, Option<String>), AppError> {
    let info = state
        .connection_info()
        .ok_or_else(AppError::not_connected)?;
    Ok(match (info.kind, info.profile_name) {
        (ConnectionKind::Profile, Some(name)) => (WorkspaceKey::Profile(name), Some(info.base_url)),
        _ => (WorkspaceKey::Demo, None),
    })
}

/// The agents saved the last time they were fetched, without asking Port. This and the
/// favourites commands are async so their file I/O runs off the main thread, which Tauri would
/// otherwise block for a synchronous command.
#[tauri::command]
#[specta::specta]
pub async fn cached_agents(state: State<'_, AppState>) -> Result<AgentsSnapshot, AppError> {
    let (key, base_url) = workspace(&state)?;
    Ok(state.agents.load(&key, base_url.as_deref()))
}

/// Fetches the agents from Port and saves them. A failure to save still returns the fresh list,
/// with a notice: the panel works, only the next start is slower.
#[tauri::command]
#[specta::specta]
pub async fn refresh_agents(state: State<'_, AppState>) -> Result<AgentsSnapshot, AppError> {
    let (key, _) = workspace(&state)?;
    let client = state.client()?;
    let base_url = client.base().as_str().to_string();
    let fetched = client.list_agents().await?;
    // The workspace may have changed while Port answered: its cache is not this list's.
    if workspace(&state)?.0 != key {
        return Err(AppError::new(
            "workspace_changed",
            "The workspace changed while the agents were loading.",
        ));
    }
    let at = agents::now_ms();
    Ok(state
        .agents
        .save(&key, &base_url, &fetched, at)
        .unwrap_or_else(|e| AgentsSnapshot {
            agents: fetched,
            fetched_at_ms: Some(at as f64),
            notice: Some(format!(
                "The agents could not be saved for offline use ({e})."
            )),
        }))
}

#[tauri::command]
#[specta::specta]
pub async fn agent_prefs(state: State<'_, AppState>) -> Result<AgentPrefsView, AppError> {
    let (key, _) = workspace(&state)?;
    Ok(state.agents.prefs().get(&key).view())
}

#[tauri::command]
#[specta::specta]
pub async fn set_agent_favourite(
    state: State<'_, AppState>,
    identifier: String,
    favourite: bool,
) -> Result<AgentPrefsView, AppError> {
    let (key, _) = workspace(&state)?;
    Ok(state
        .agents
        .prefs()
        .set_favourite(&key, &identifier, favourite)?
        .view())
}

/// Remembers that an agent ("" for the general assistant) was picked, for the recent list.
#[tauri::command]
#[specta::specta]
pub async fn note_agent_used(
    state: State<'_, AppState>,
    identifier: String,
) -> Result<AgentPrefsView, AppError> {
    let (key, _) = workspace(&state)?;
    Ok(state.agents.prefs().note_used(&key, &identifier)?.view())
}

/// The open workspace's request options, by agent ("" for the general assistant). Options an
/// earlier Portdesk kept by agent only are taken in by the first workspace that reads them: the
/// one the user was working in.
#[tauri::command]
#[specta::specta]
pub async fn request_options(
    state: State<'_, AppState>,
) -> Result<BTreeMap<String, RequestOptions>, AppError> {
    let (key, _) = workspace(&state)?;
    let prefs = match state.settings.legacy_request_options() {
        Some(legacy) => {
            // Saved with the workspace first: a failure in between leaves a copy, never none.
            let adopted = state.agents.prefs().adopt_request_options(&key, &legacy)?;
            state.settings.forget_legacy_request_options()?;
            adopted
        }
        None => state.agents.prefs().get(&key),
    };
    Ok(prefs.request_options())
}

/// Remembers Chat's request options for one agent ("" for the general assistant) of the open
/// workspace; returns the workspace's options.
#[tauri::command]
#[specta::specta]
pub async fn save_request_options(
    state: State<'_, AppState>,
    agent: String,
    options: RequestOptions,
) -> Result<BTreeMap<String, RequestOptions>, AppError> {
    let (key, _) = workspace(&state)?;
    Ok(state
        .agents
        .prefs()
        .save_request_options(&key, &agent, &options)?
        .request_options())
}

/// The pattern sets saved for the open workspace's agents, by agent identifier.
#[derive(Debug, Clone, PartialEq, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentPatternSets {
    pub sets: BTreeMap<String, SavedPatternSet>,
    /// Set when the workspace's saved choices could not be read (the file was moved aside).
    pub notice: Option<String>,
}

impl AgentPatternSets {
    fn of(prefs: &AgentPrefs) -> Self {
        Self {
            sets: prefs.pattern_sets(),
            notice: prefs.notice.clone(),
        }
    }
}

/// The pattern sets saved for the open workspace's agents. Sets an earlier Portdesk kept in the
/// settings by agent only are taken in by the first workspace that reads them: the one the user
/// was working in.
#[tauri::command]
#[specta::specta]
pub async fn agent_pattern_sets(state: State<'_, AppState>) -> Result<AgentPatternSets, AppError> {
    let (key, _) = workspace(&state)?;
    let prefs = pattern_sets_adopting_legacy(&state.settings, &state.agents, &key)?;
    Ok(AgentPatternSets::of(&prefs))
}

/// The workspace's prefs, once it has taken in the agents' sets the settings still hold. Saved
/// with the workspace first: a failure in between leaves a copy, never none.
pub(crate) fn pattern_sets_adopting_legacy(
    settings: &SettingsStore,
    store: &AgentStore,
    key: &WorkspaceKey,
) -> Result<AgentPrefs, AppError> {
    match settings.legacy_agent_tools() {
        Some(legacy) => {
            let adopted = store.prefs().adopt_pattern_sets(key, &legacy)?;
            settings.forget_legacy_agent_tools()?;
            Ok(adopted)
        }
        None => Ok(store.prefs().get(key)),
    }
}

/// Saves the pattern set for one agent of the open workspace; returns the workspace's sets.
#[tauri::command]
#[specta::specta]
pub async fn save_agent_pattern_set(
    state: State<'_, AppState>,
    agent: String,
    set: SavedPatternSet,
) -> Result<AgentPatternSets, AppError> {
    if agent.is_empty() {
        return Err(AppError::new(
            "invalid_request",
            "The general assistant's set is the default set: save it as the default.",
        ));
    }
    let (key, _) = workspace(&state)?;
    let prefs = state.agents.prefs().save_pattern_set(&key, &agent, &set)?;
    Ok(AgentPatternSets::of(&prefs))
}

#[cfg(test)]
#[path = "agents_tests.rs"]
mod tests;
