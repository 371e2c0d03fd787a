//! App settings in tauri-plugin-store, behind typed get/update functions.
//!
//! The store file is checked before the plugin opens it: a file that is not JSON, or whose
//! settings do not fit the schema, is moved aside (never deleted, it is the user's) and replaced
//! by defaults, and the UI is told so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Wry};
use tauri_plugin_store::{Store, StoreExt};

use crate::error::AppError;

pub const SETTINGS_FILE: &str = "settings.json";
const KEY: &str = "settings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AppSettings {
    pub theme: Theme,
    /// Tool patterns a new general-assistant request starts with.
    pub default_tools: Vec<String>,
    /// The agent chosen last in Chat (`None`: the general assistant).
    pub last_agent: Option<String>,
    /// Saved checks of the default pattern set.
    pub default_tool_checks: Vec<ToolCheck>,
    /// Pattern sets saved for one agent each, by agent identifier.
    pub agent_tools: BTreeMap<String, SavedPatternSet>,
    /// Chat's request options, remembered per agent ("" is the general assistant).
    pub request_options: BTreeMap<String, RequestOptions>,
}

/// The options a Chat request starts with for one agent. Only what the user set is kept, and
/// only what is set is sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestOptions {
    /// Tool patterns for this request (general assistant only); `None`: the saved default set.
    pub tools: Option<Vec<String>>,
    pub labels: BTreeMap<String, String>,
    pub model: Option<port_api::ModelChoice>,
    pub chat_mode: Option<port_api::ChatMode>,
    /// MCP connector identifiers (general assistant only, at most five).
    pub mcp_servers: Vec<String>,
    pub tool_approval_overrides: BTreeMap<String, port_api::ApprovalMode>,
    /// The schema as the user typed it, so a draft that does not parse yet is not lost.
    pub output_schema: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum CheckExpect {
    Match,
    NoMatch,
}

/// "This tool must (not) be let in by the set": re-run on every edit and catalog change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolCheck {
    pub tool: String,
    pub expect: CheckExpect,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct SavedPatternSet {
    pub patterns: Vec<String>,
    pub checks: Vec<ToolCheck>,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            theme: Theme::System,
            default_tools: port_api::DEFAULT_TOOL_PATTERNS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            last_agent: None,
            default_tool_checks: Vec::new(),
            agent_tools: BTreeMap::new(),
            request_options: BTreeMap::new(),
        }
    }
}

/// A partial update: only the fields that are set change.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsPatch {
    pub theme: Option<Theme>,
    pub default_tools: Option<Vec<String>>,
    /// `Some(None)` is not expressible in JSON here, so an empty string means "general assistant".
    pub last_agent: Option<String>,
}

impl AppSettings {
    fn save_pattern_set(&mut self, agent: Option<&str>, set: SavedPatternSet) {
        match agent.filter(|a| !a.is_empty()) {
            None => {
                self.default_tools = set.patterns;
                self.default_tool_checks = set.checks;
            }
            Some(agent) => {
                self.agent_tools.insert(agent.to_string(), set);
            }
        }
    }

    fn save_request_options(
        &mut self,
        agent: &str,
        options: RequestOptions,
    ) -> Result<(), AppError> {
        let max = port_api::invoke::MAX_MCP_SERVERS;
        if options.mcp_servers.len() > max {
            return Err(AppError::new(
                "invalid_request",
                format!(
                    "{} MCP connectors chosen; Port accepts at most {max}",
                    options.mcp_servers.len()
                ),
            ));
        }
        if !agent.is_empty() && (options.tools.is_some() || !options.mcp_servers.is_empty()) {
            return Err(AppError::new(
                "invalid_request",
                "tool patterns and MCP connectors apply to the general assistant only",
            ));
        }
        if options == RequestOptions::default() {
            self.request_options.remove(agent);
        } else {
            self.request_options.insert(agent.to_string(), options);
        }
        Ok(())
    }

    fn apply(&mut self, patch: SettingsPatch) {
        if let Some(theme) = patch.theme {
            self.theme = theme;
        }
        if let Some(tools) = patch.default_tools {
            self.default_tools = tools;
        }
        if let Some(agent) = patch.last_agent {
            self.last_agent = Some(agent).filter(|a| !a.is_empty());
        }
    }
}

pub struct SettingsStore {
    store: Arc<Store<Wry>>,
    notice: Option<String>,
}

impl SettingsStore {
    pub fn open(app: &AppHandle, data_dir: &Path) -> Result<Self, AppError> {
        let path = data_dir.join(SETTINGS_FILE);
        let notice = recover_if_corrupt(&path);
        let store = app.store(&path).map_err(|e| {
            AppError::new(
                "settings_unwritable",
                format!("cannot open the settings at {}: {e}", path.display()),
            )
        })?;
        Ok(Self { store, notice })
    }

    /// Set when the settings file was unreadable and moved aside at start-up.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn get(&self) -> AppSettings {
        self.store
            .get(KEY)
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }

    pub fn update(&self, patch: SettingsPatch) -> Result<AppSettings, AppError> {
        let mut settings = self.get();
        settings.apply(patch);
        self.write(settings)
    }

    /// The default set for new general-assistant requests (`agent: None`), or one agent's.
    pub fn save_pattern_set(
        &self,
        agent: Option<&str>,
        set: SavedPatternSet,
    ) -> Result<AppSettings, AppError> {
        let mut settings = self.get();
        settings.save_pattern_set(agent, set);
        self.write(settings)
    }

    /// Remembers the request options of one agent ("" for the general assistant).
    pub fn save_request_options(
        &self,
        agent: &str,
        options: RequestOptions,
    ) -> Result<AppSettings, AppError> {
        let mut settings = self.get();
        settings.save_request_options(agent, options)?;
        self.write(settings)
    }

    fn write(&self, settings: AppSettings) -> Result<AppSettings, AppError> {
        let value = serde_json::to_value(&settings)
            .map_err(|e| AppError::new("settings_unwritable", e.to_string()))?;
        self.store.set(KEY, value);
        self.store.save().map_err(|e| {
            AppError::new(
                "settings_unwritable",
                format!("cannot save the settings: {e}"),
            )
        })?;
        Ok(settings)
    }
}

/// Moves an unreadable settings file aside; returns the notice for the UI when it did.
pub fn recover_if_corrupt(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let problem = match serde_json::from_slice::<Value>(&bytes) {
        Err(e) => format!("it is not valid JSON ({e})"),
        Ok(Value::Object(map)) => match map.get(KEY) {
            None => return None,
            Some(settings) => match serde_json::from_value::<AppSettings>(settings.clone()) {
                Ok(_) => return None,
                Err(e) => format!("its settings do not fit ({e})"),
            },
        },
        Ok(_) => "it is not a JSON object".to_string(),
    };
    let backup = backup_path(path);
    match std::fs::rename(path, &backup) {
        Ok(()) => Some(format!(
            "Your settings file could not be read ({problem}). It was moved to {} and the defaults are in use.",
            backup.display()
        )),
        Err(e) => Some(format!(
            "Your settings file could not be read ({problem}) nor moved aside ({e}); the defaults are in use for this session."
        )),
    }
}

fn backup_path(path: &Path) -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| SETTINGS_FILE.to_string());
    path.with_file_name(format!("{name}.corrupt-{stamp}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_moved_aside_with_a_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, b"{ not json").unwrap();
        let notice = recover_if_corrupt(&path).expect("a notice");
        assert!(notice.contains("moved to"), "{notice}");
        assert!(!path.exists());
        let backups: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(backups.len(), 1);
        assert_eq!(std::fs::read(backups[0].path()).unwrap(), b"{ not json");
    }

    #[test]
    fn wrongly_typed_settings_are_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, br#"{"settings": {"theme": "purple"}}"#).unwrap();
        assert!(recover_if_corrupt(&path).is_some());
        assert!(!path.exists());
    }

    #[test]
    fn valid_missing_or_partial_files_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        assert!(recover_if_corrupt(&path).is_none());
        std::fs::write(&path, br#"{"settings": {"theme": "dark"}, "other": 1}"#).unwrap();
        assert!(recover_if_corrupt(&path).is_none());
        assert!(path.exists());
    }

    #[test]
    fn patches_change_only_what_is_set() {
        let mut settings = AppSettings::default();
        settings.apply(SettingsPatch {
            theme: Some(Theme::Dark),
            ..Default::default()
        });
        assert_eq!(settings.theme, Theme::Dark);
        assert_eq!(settings.default_tools, AppSettings::default().default_tools);
        settings.apply(SettingsPatch {
            last_agent: Some("ops".into()),
            ..Default::default()
        });
        assert_eq!(settings.last_agent.as_deref(), Some("ops"));
        settings.apply(SettingsPatch {
            last_agent: Some(String::new()),
            ..Default::default()
        });
        assert_eq!(settings.last_agent, None);
    }

    #[test]
    fn request_options_are_kept_per_agent_and_cleared_when_empty() {
        let mut settings = AppSettings::default();
        let mut general = RequestOptions {
            chat_mode: Some(port_api::ChatMode::Plan),
            ..Default::default()
        };
        general.labels.insert("team".into(), "sre".into());
        settings.save_request_options("", general.clone()).unwrap();
        let ops = RequestOptions {
            model: Some(port_api::ModelChoice {
                provider: "port".into(),
                model: "gpt-5".into(),
            }),
            ..Default::default()
        };
        settings.save_request_options("ops", ops.clone()).unwrap();
        assert_eq!(settings.request_options.get(""), Some(&general));
        assert_eq!(settings.request_options.get("ops"), Some(&ops));

        // Through JSON and back, as the store keeps it.
        let value = serde_json::to_value(&settings).unwrap();
        assert_eq!(value["requestOptions"][""]["chatMode"], "plan");
        let back: AppSettings = serde_json::from_value(value).unwrap();
        assert_eq!(back, settings);

        settings
            .save_request_options("ops", RequestOptions::default())
            .unwrap();
        assert!(!settings.request_options.contains_key("ops"));
    }

    #[test]
    fn request_options_port_would_refuse_are_not_saved() {
        let mut settings = AppSettings::default();
        let six = RequestOptions {
            mcp_servers: (0..6).map(|i| format!("m{i}")).collect(),
            ..Default::default()
        };
        let err = settings.save_request_options("", six).unwrap_err();
        assert_eq!(err.code, "invalid_request");
        let agent_tools = RequestOptions {
            tools: Some(vec!["^list_.*".into()]),
            ..Default::default()
        };
        assert!(settings.save_request_options("ops", agent_tools).is_err());
        assert!(settings.request_options.is_empty(), "nothing was kept");
    }

    #[test]
    fn pattern_sets_save_as_the_default_or_for_one_agent() {
        let mut settings = AppSettings::default();
        let check = ToolCheck {
            tool: "delete_entity".into(),
            expect: CheckExpect::NoMatch,
        };
        settings.save_pattern_set(
            Some("ops"),
            SavedPatternSet {
                patterns: vec!["^run_.*".into()],
                checks: vec![check.clone()],
            },
        );
        assert_eq!(settings.default_tools, AppSettings::default().default_tools);
        assert_eq!(settings.agent_tools["ops"].patterns, vec!["^run_.*"]);
        settings.save_pattern_set(
            None,
            SavedPatternSet {
                patterns: vec!["list_.*".into()],
                checks: vec![check],
            },
        );
        assert_eq!(settings.default_tools, vec!["list_.*"]);
        assert_eq!(settings.default_tool_checks.len(), 1);
        // Older settings files without the new fields still read.
        let old: AppSettings =
            serde_json::from_value(serde_json::json!({"theme": "dark", "defaultTools": []}))
                .unwrap();
        assert!(old.agent_tools.is_empty());
    }
}
