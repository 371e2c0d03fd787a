//! Global, low-rate facts pushed to the UI as typed events (streams use channels instead).

use serde::{Deserialize, Serialize};
use tauri_specta::Event;

use crate::connection::ConnectionInfo;
use crate::settings::AppSettings;

/// New quota figures, from an invocation's `done` or a quota request.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct QuotaChanged {
    pub usage: port_api::MonthlyQuotaUsage,
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct SettingsChanged {
    pub settings: AppSettings,
}

/// The local history changed: an invocation began or ended (`invocation_id`), or invocations
/// were deleted or imported (`None`). Lists re-read their first page.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct HistoryChanged {
    pub invocation_id: Option<String>,
}

/// The open workspace changed (connected, switched, closed).
#[derive(Debug, Clone, Serialize, specta::Type, Event)]
pub struct ConnectionChanged {
    pub connection: Option<ConnectionInfo>,
}

/// New quota figures were recorded for `profile` (a `done`, the quota endpoint, a refusal): the
/// panel and the status-bar chip read them again.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct QuotaFiguresChanged {
    pub profile: String,
}

/// A threshold the user set was crossed (once per window), or the monthly quota reset.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct QuotaAlertRaised {
    pub alert: quota::QuotaAlert,
}

/// A run waits for the limiter (`Queued`), is being sent after waiting (`Sending`), or is no
/// longer queued (`None`: sent, cancelled or refused).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct RunQueueChanged {
    pub run_id: String,
    pub event: Option<quota::GateEvent>,
}
