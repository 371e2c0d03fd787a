//! App settings in tauri-plugin-store, behind typed get/update functions.
//!
//! The store file is checked before the plugin opens it: a file that is not JSON, or whose
//! settings do not fit the schema, is moved aside (never deleted, it is the user's) and replaced
//! by defaults, and the UI is told so. A file from a newer Portdesk with keys this one does not
//! know is read as usual, and every write puts the known fields over the object read from disk,
//! so those keys survive (see `written_over`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use agents::keep_unknown;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tauri::{AppHandle, Wry};
use tauri_plugin_store::{Store, StoreExt};

use crate::error::AppError;

pub const SETTINGS_FILE: &str = "settings.json";
const KEY: &str = "settings";
/// Where request options were kept, by agent only, before they were kept per workspace.
const LEGACY_REQUEST_OPTIONS: &str = "requestOptions";

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

/// Where the settings object lives: tauri-plugin-store in the app (it keeps the file's other
/// top-level keys), a plain JSON file in tests.
pub trait SettingsBacking: Send + Sync {
    /// The settings object as read from disk, unknown keys included.
    fn read(&self) -> Option<Value>;
    fn write(&self, value: Value) -> Result<(), String>;
}

impl SettingsBacking for Store<Wry> {
    fn read(&self) -> Option<Value> {
        self.get(KEY)
    }

    fn write(&self, value: Value) -> Result<(), String> {
        self.set(KEY, value);
        self.save().map_err(|e| e.to_string())
    }
}

pub struct SettingsStore {
    store: Arc<dyn SettingsBacking>,
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
        Ok(Self::with_backing(store, notice))
    }

    pub fn with_backing(store: Arc<dyn SettingsBacking>, notice: Option<String>) -> Self {
        Self { store, notice }
    }

    /// Set when the settings file was unreadable and moved aside at start-up.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn get(&self) -> AppSettings {
        self.store
            .read()
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

    /// Chat's request options as an earlier Portdesk kept them, by agent only (they now live
    /// with each workspace's agents): each entry as it is on disk.
    pub fn legacy_request_options(&self) -> Option<Map<String, Value>> {
        match self.store.read()?.get(LEGACY_REQUEST_OPTIONS)? {
            Value::Object(map) if !map.is_empty() => Some(map.clone()),
            _ => None,
        }
    }

    /// Drops the legacy request options, once a workspace has taken them in.
    pub fn forget_legacy_request_options(&self) -> Result<(), AppError> {
        let Some(Value::Object(mut raw)) = self.store.read() else {
            return Ok(());
        };
        if raw.remove(LEGACY_REQUEST_OPTIONS).is_none() {
            return Ok(());
        }
        self.store.write(Value::Object(raw)).map_err(unwritable)
    }

    /// Writes the known settings over what was read from disk, so keys this version does not
    /// know (a newer Portdesk's, or the user's) are kept at every level.
    fn write(&self, settings: AppSettings) -> Result<AppSettings, AppError> {
        let value = written_over(self.store.read().as_ref(), &settings)
            .map_err(|e| AppError::new("settings_unwritable", e.to_string()))?;
        self.store.write(value).map_err(unwritable)?;
        Ok(settings)
    }
}

fn unwritable(e: String) -> AppError {
    AppError::new(
        "settings_unwritable",
        format!("cannot save the settings: {e}"),
    )
}

/// `settings` over the JSON read from disk: the top level, each saved pattern set and each
/// check keep the keys this version does not know. Maps (agents' sets, by identifier) take
/// their entries from `settings`, so an entry removed here stays removed.
fn written_over(old: Option<&Value>, settings: &AppSettings) -> Result<Value, serde_json::Error> {
    let mut out = keep_unknown(old, serde_json::to_value(settings)?);
    let Some(map) = out.as_object_mut() else {
        return Ok(out);
    };
    let old_field = |name: &str| old.and_then(|o| o.get(name));
    checks_over(
        old_field("defaultToolChecks"),
        map.get_mut("defaultToolChecks"),
    );
    if let Some(Value::Object(sets)) = map.get_mut("agentTools") {
        for (agent, set) in sets.iter_mut() {
            let before = old_field("agentTools").and_then(|s| s.get(agent));
            *set = keep_unknown(before, set.take());
            checks_over(before.and_then(|b| b.get("checks")), set.get_mut("checks"));
        }
    }
    Ok(out)
}

/// Each check keeps the unknown keys of the saved check it matches (same known fields).
fn checks_over(old: Option<&Value>, new: Option<&mut Value>) {
    let (Some(Value::Array(old)), Some(Value::Array(new))) = (old, new) else {
        return;
    };
    let mut unused: Vec<&Value> = old.iter().collect();
    for check in new.iter_mut() {
        let Some(known) = check.as_object() else {
            continue;
        };
        let same = |o: &&Value| known.iter().all(|(k, v)| o.get(k) == Some(v));
        if let Some(i) = unused.iter().position(same) {
            *check = keep_unknown(Some(unused.remove(i)), check.take());
        }
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
    use serde_json::json;

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

    /// tauri-plugin-store's way with the file: one JSON object, the settings one key of it.
    struct FileBacking(PathBuf);

    impl SettingsBacking for FileBacking {
        fn read(&self) -> Option<Value> {
            let file: Value = serde_json::from_slice(&std::fs::read(&self.0).ok()?).ok()?;
            file.get(KEY).cloned()
        }

        fn write(&self, value: Value) -> Result<(), String> {
            let mut file = std::fs::read(&self.0)
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .unwrap_or_else(|| json!({}));
            file[KEY] = value;
            std::fs::write(&self.0, file.to_string()).map_err(|e| e.to_string())
        }
    }

    fn store_on(path: &Path) -> SettingsStore {
        // As the app opens it: a file that cannot be read is moved aside first.
        let notice = recover_if_corrupt(path);
        SettingsStore::with_backing(Arc::new(FileBacking(path.to_path_buf())), notice)
    }

    fn on_disk(path: &Path) -> Value {
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn keys_this_version_does_not_know_survive_every_write_at_every_level() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        let newer = json!({
            "windowState": {"width": 900},
            "settings": {
                "theme": "light",
                "fontSize": 15,
                "defaultTools": ["^list_.*"],
                "defaultToolChecks": [
                    {"tool": "list_entities", "expect": "match", "note": "keep me"}
                ],
                "agentTools": {
                    "ops": {
                        "patterns": ["^run_.*"],
                        "checks": [{"tool": "delete_entity", "expect": "noMatch", "why": "audit"}],
                        "pinned": true
                    },
                    "sre": {"patterns": [], "checks": [], "color": "red"}
                },
                "requestOptions": {"ops": {"chatMode": "ask", "temperature": 0.1}}
            }
        });
        std::fs::write(&path, newer.to_string()).unwrap();
        let store = store_on(&path);
        assert!(store.notice().is_none(), "a newer file is not corrupt");
        assert_eq!(store.get().default_tools, vec!["^list_.*"]);

        // The same calls the commands make.
        store
            .update(SettingsPatch {
                theme: Some(Theme::Dark),
                last_agent: Some("ops".into()),
                ..Default::default()
            })
            .unwrap();
        let mut ops = store.get().agent_tools["ops"].clone();
        ops.patterns.push("^get_.*".into());
        ops.checks.push(ToolCheck {
            tool: "get_entity".into(),
            expect: CheckExpect::Match,
        });
        store.save_pattern_set(Some("ops"), ops).unwrap();
        let mut default = store.get();
        default.default_tool_checks.push(ToolCheck {
            tool: "search_entities".into(),
            expect: CheckExpect::Match,
        });
        store
            .save_pattern_set(
                None,
                SavedPatternSet {
                    patterns: default.default_tools,
                    checks: default.default_tool_checks,
                },
            )
            .unwrap();

        let after = on_disk(&path);
        assert_eq!(after["windowState"], json!({"width": 900}));
        let settings = &after["settings"];
        assert_eq!(settings["theme"], "dark");
        assert_eq!(settings["lastAgent"], "ops");
        assert_eq!(settings["fontSize"], 15);
        assert_eq!(
            settings["defaultToolChecks"],
            json!([
                {"tool": "list_entities", "expect": "match", "note": "keep me"},
                {"tool": "search_entities", "expect": "match"}
            ])
        );
        let ops = &settings["agentTools"]["ops"];
        assert_eq!(ops["pinned"], true);
        assert_eq!(ops["patterns"], json!(["^run_.*", "^get_.*"]));
        assert_eq!(ops["checks"][0]["why"], "audit");
        assert_eq!(
            ops["checks"][1],
            json!({"tool": "get_entity", "expect": "match"})
        );
        assert_eq!(settings["agentTools"]["sre"]["color"], "red");
        assert_eq!(
            settings["requestOptions"],
            json!({"ops": {"chatMode": "ask", "temperature": 0.1}}),
            "left for the workspace that takes them in"
        );
    }

    #[test]
    fn legacy_request_options_are_handed_over_once_and_only_they_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        let store = store_on(&path);
        assert!(store.legacy_request_options().is_none(), "no file");
        std::fs::write(
            &path,
            json!({"settings": {"theme": "dark", "futureKey": [1],
                "requestOptions": {"": {"chatMode": "plan", "extra": 1}}}})
            .to_string(),
        )
        .unwrap();
        let legacy = store.legacy_request_options().expect("legacy options");
        assert_eq!(legacy[""], json!({"chatMode": "plan", "extra": 1}));
        store.forget_legacy_request_options().unwrap();
        assert!(store.legacy_request_options().is_none());
        assert_eq!(
            on_disk(&path),
            json!({"settings": {"theme": "dark", "futureKey": [1]}})
        );
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_and_a_write_never_lands_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, br#"{"settings": {"theme": 7, "fontSize": 15}}"#).unwrap();
        let store = store_on(&path);
        assert!(store.notice().is_some_and(|n| n.contains("moved to")));
        assert_eq!(store.get(), AppSettings::default());
        store
            .update(SettingsPatch {
                theme: Some(Theme::Light),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(on_disk(&path)["settings"]["theme"], "light");
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(
            std::fs::read(kept[0].path()).unwrap(),
            br#"{"settings": {"theme": 7, "fontSize": 15}}"#
        );
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
