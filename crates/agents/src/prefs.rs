//! Favourites, recently used agents, request options and pattern sets of one workspace: the
//! user's own choices.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::file::{keep_aside, write_atomically};
use crate::options::RequestOptions;
use crate::pattern_sets::SavedPatternSet;
use crate::per_agent;
use crate::AgentsError;

pub const PREFS_FORMAT: u32 = 1;
/// How many recently used agents are remembered.
pub const RECENT_LIMIT: usize = 8;

/// What the UI sees of the saved choices.
#[derive(Debug, Clone, PartialEq, Default, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AgentPrefsView {
    pub favourites: Vec<String>,
    pub recent: Vec<String>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentPrefs {
    /// Agent identifiers, in the order they were starred.
    #[serde(default)]
    pub favourites: Vec<String>,
    /// Agent identifiers, most recent first ("" is the general assistant).
    #[serde(default)]
    pub recent: Vec<String>,
    /// Chat's request options per agent ("" is the general assistant), as read from disk: see
    /// `options.rs`.
    #[serde(default)]
    pub request_options: BTreeMap<String, Value>,
    /// The tool-pattern set saved per agent, as read from disk: see `pattern_sets.rs`.
    #[serde(default)]
    pub pattern_sets: BTreeMap<String, Value>,
    /// Set when the saved file could not be read (and was moved aside).
    #[serde(skip)]
    pub notice: Option<String>,
    /// Fields a newer Portdesk added: kept when this one writes the file back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AgentPrefs {
    pub fn view(&self) -> AgentPrefsView {
        AgentPrefsView {
            favourites: self.favourites.clone(),
            recent: self.recent.clone(),
            notice: self.notice.clone(),
        }
    }

    pub fn set_favourite(&mut self, identifier: &str, favourite: bool) {
        let present = self.favourites.iter().any(|f| f == identifier);
        if favourite && !present {
            self.favourites.push(identifier.to_string());
        } else if !favourite {
            self.favourites.retain(|f| f != identifier);
        }
    }

    pub fn note_used(&mut self, identifier: &str) {
        self.recent.retain(|r| r != identifier);
        self.recent.insert(0, identifier.to_string());
        self.recent.truncate(RECENT_LIMIT);
    }

    /// The request options saved per agent that this version can read.
    pub fn request_options(&self) -> BTreeMap<String, RequestOptions> {
        per_agent::readable(&self.request_options)
    }

    /// The pattern sets saved per agent that this version can read.
    pub fn pattern_sets(&self) -> BTreeMap<String, SavedPatternSet> {
        per_agent::readable(&self.pattern_sets)
    }

    /// Takes in the sets an earlier Portdesk kept in the settings by agent only (see
    /// `per_agent::adopt`).
    pub fn adopt_pattern_sets(&mut self, legacy: &Map<String, Value>) {
        per_agent::adopt(&mut self.pattern_sets, legacy);
    }

    /// Takes in options saved before they were kept per workspace (see `per_agent::adopt`).
    pub fn adopt_request_options(&mut self, legacy: &Map<String, Value>) {
        per_agent::adopt(&mut self.request_options, legacy);
    }
}

pub(crate) fn load(path: &Path) -> AgentPrefs {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(_) => return AgentPrefs::default(),
    };
    let parsed = serde_json::from_slice::<Value>(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|mut value| {
            if let Some(map) = value.as_object_mut() {
                // The format is the file's, not a preference.
                map.remove("format");
            }
            serde_json::from_value::<AgentPrefs>(value).map_err(|e| e.to_string())
        });
    match parsed {
        Ok(prefs) => prefs,
        Err(problem) => {
            let moved = keep_aside(path)
                .map(|b| format!(" It was moved to {}.", b.display()))
                .unwrap_or_default();
            AgentPrefs {
                notice: Some(format!(
                    "Your saved agent choices (favourites, recent agents, request options, tool-pattern sets) could not be read ({problem}) and start empty.{moved}"
                )),
                ..AgentPrefs::default()
            }
        }
    }
}

pub(crate) fn save(path: &Path, prefs: &AgentPrefs) -> Result<(), AgentsError> {
    let mut value = serde_json::to_value(prefs)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("format".into(), Value::from(PREFS_FORMAT));
    }
    write_atomically(path, &serde_json::to_vec_pretty(&value)?)
}
