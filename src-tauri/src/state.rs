//! What the app holds while it runs, shared by every command through `tauri::State`.

use std::sync::RwLock;
use std::time::Instant;

use agents::AgentStore;
use credentials::ProfileStore;
use history::HistoryStore;
use port_api::PortClient;

use crate::catalog::CatalogCache;
use crate::connection::{Connection, ConnectionInfo};
use crate::error::AppError;
use crate::runs::RunRegistry;
use crate::settings::SettingsStore;

pub struct AppState {
    pub profiles: ProfileStore,
    pub settings: SettingsStore,
    pub runs: RunRegistry,
    /// The open workspace's tools for the matcher; emptied when the workspace changes.
    pub catalog: CatalogCache,
    pub started: Instant,
    /// Each workspace's saved agents, favourites and recents.
    pub agents: AgentStore,
    connection: RwLock<Option<Connection>>,
    /// The local history, or why it could not be opened (the app works on without it).
    history: Result<HistoryStore, AppError>,
}

impl AppState {
    pub fn new(
        profiles: ProfileStore,
        settings: SettingsStore,
        history: Result<HistoryStore, AppError>,
        agents: AgentStore,
        started: Instant,
    ) -> Self {
        Self {
            profiles,
            settings,
            runs: RunRegistry::default(),
            catalog: CatalogCache::default(),
            started,
            agents,
            connection: RwLock::new(None),
            history,
        }
    }

    /// The history store (cheap to clone), or the error that kept it closed.
    pub fn history(&self) -> Result<HistoryStore, AppError> {
        self.history.clone()
    }

    /// The profile name invocations are recorded under: the profile's, or "demo".
    pub fn history_profile(&self) -> Option<String> {
        self.connection_info().map(|info| {
            info.profile_name
                .unwrap_or_else(|| crate::recording::DEMO_PROFILE.to_string())
        })
    }

    /// The client of the open workspace.
    pub fn client(&self) -> Result<PortClient, AppError> {
        let guard = self
            .connection
            .read()
            .map_err(|_| AppError::new("internal", "the connection state is unavailable"))?;
        guard
            .as_ref()
            .map(|c| c.client.clone())
            .ok_or_else(AppError::not_connected)
    }

    pub fn connection_info(&self) -> Option<ConnectionInfo> {
        self.connection
            .read()
            .ok()
            .and_then(|c| c.as_ref().map(|c| c.info.clone()))
    }

    /// Opens a workspace in place of the current one; runs of the old one are cancelled.
    pub fn replace_connection(&self, next: Option<Connection>) -> Option<ConnectionInfo> {
        self.runs.cancel_all();
        self.catalog.clear();
        let info = next.as_ref().map(|c| c.info.clone());
        if let Ok(mut guard) = self.connection.write() {
            *guard = next;
        }
        info
    }
}
