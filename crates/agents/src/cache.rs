//! The saved agent list of one workspace.

use std::path::Path;

use port_api::Agent;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::file::{move_aside, write_atomically};
use crate::AgentsError;

/// The cache file's format. A file with a higher number was written by a newer Portdesk: it is
/// not read (its meaning may have changed) and the list is fetched again.
pub const CACHE_FORMAT: u32 = 1;

/// What the panel shows before (and without) Port: the saved agents and when they were fetched.
#[derive(Debug, Clone, PartialEq, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentsSnapshot {
    pub agents: Vec<Agent>,
    /// When the list was last fetched from Port (ms since the epoch); `None`: never.
    pub fetched_at_ms: Option<f64>,
    /// Something the user should know about the saved copy (unreadable, from a newer version).
    pub notice: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOut<'a> {
    format: u32,
    base_url: &'a str,
    fetched_at_ms: i64,
    agents: &'a [Agent],
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileIn {
    base_url: Option<String>,
    fetched_at_ms: i64,
    agents: Vec<Agent>,
}

pub(crate) fn load(path: &Path, base_url: Option<&str>) -> AgentsSnapshot {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return AgentsSnapshot::default(),
        Err(e) => {
            return notice(format!(
                "The saved agents could not be read ({e}); they are fetched from Port again."
            ))
        }
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(e) => return unreadable(path, &format!("it is not valid JSON: {e}")),
    };
    let format = value.get("format").and_then(Value::as_u64);
    match format {
        Some(f) if f == u64::from(CACHE_FORMAT) => {}
        Some(f) if f > u64::from(CACHE_FORMAT) => {
            // Left in place: the newer Portdesk that wrote it can still use it until the refresh
            // replaces it.
            return notice(format!(
                "The saved agents were written by a newer Portdesk (format {f}); they are fetched from Port again."
            ));
        }
        _ => return unreadable(path, "its format is unknown"),
    }
    let file: FileIn = match serde_json::from_value(value) {
        Ok(file) => file,
        Err(e) => return unreadable(path, &format!("its contents do not fit: {e}")),
    };
    if let (Some(expected), Some(saved)) = (base_url, file.base_url.as_deref()) {
        if expected.trim_end_matches('/') != saved.trim_end_matches('/') {
            // The profile now points elsewhere: another org's agents must not show.
            return AgentsSnapshot::default();
        }
    }
    AgentsSnapshot {
        agents: file.agents,
        // f64 holds every millisecond timestamp exactly for the next quarter-million years.
        fetched_at_ms: Some(file.fetched_at_ms as f64),
        notice: None,
    }
}

pub(crate) fn save(
    path: &Path,
    base_url: &str,
    agents: &[Agent],
    fetched_at_ms: i64,
) -> Result<AgentsSnapshot, AgentsError> {
    let bytes = serde_json::to_vec_pretty(&FileOut {
        format: CACHE_FORMAT,
        base_url,
        fetched_at_ms,
        agents,
    })?;
    write_atomically(path, &bytes)?;
    Ok(AgentsSnapshot {
        agents: agents.to_vec(),
        fetched_at_ms: Some(fetched_at_ms as f64),
        notice: None,
    })
}

fn notice(message: String) -> AgentsSnapshot {
    AgentsSnapshot {
        notice: Some(message),
        ..AgentsSnapshot::default()
    }
}

fn unreadable(path: &Path, problem: &str) -> AgentsSnapshot {
    let moved = match move_aside(path) {
        Some(backup) => format!(" It was moved to {}.", backup.display()),
        None => String::new(),
    };
    notice(format!(
        "The saved agents could not be read ({problem}); they are fetched from Port again.{moved}"
    ))
}
