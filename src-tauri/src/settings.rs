//! App settings in tauri-plugin-store, behind typed get/update functions.
//!
//! The store file is checked before the plugin opens it: a file that is not JSON, or whose
//! settings are not an object, is moved aside (never deleted, it is the user's) and replaced by
//! defaults, and the UI is told so. A file from a newer Portdesk is read as far as this one can:
//! a setting whose value it cannot read shows at its default (the UI is told which) and stays in
//! the file until the user changes it; keys it does not know at all survive every write, which
//! puts the known fields over the object read from disk (see `written_over`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use agents::{checks_over, keep_unknown};
pub use agents::{CheckExpect, SavedPatternSet, ToolCheck};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tauri::{AppHandle, Wry};
use tauri_plugin_store::{Store, StoreExt};

use crate::error::AppError;

pub const SETTINGS_FILE: &str = "settings.json";
const KEY: &str = "settings";
/// Where request options were kept, by agent only, before they were kept per workspace.
const LEGACY_REQUEST_OPTIONS: &str = "requestOptions";
/// Where the pattern sets saved for agents were kept, by agent only, before they were kept per
/// workspace.
const LEGACY_AGENT_TOOLS: &str = "agentTools";

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
    fn save_default_pattern_set(&mut self, set: SavedPatternSet) {
        self.default_tools = set.patterns;
        self.default_tool_checks = set.checks;
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
    /// Every change is read-modify-write of the whole object: one at a time, so dropping the
    /// legacy entries and saving a setting at once cannot bring them back.
    write_lock: Mutex<()>,
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
        Self {
            store,
            notice,
            write_lock: Mutex::new(()),
        }
    }

    /// Set when the settings file was unreadable and moved aside at start-up.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn get(&self) -> AppSettings {
        self.store
            .read()
            .map(|v| read_leniently(&v).0)
            .unwrap_or_default()
    }

    pub fn update(&self, patch: SettingsPatch) -> Result<AppSettings, AppError> {
        let _guard = self.write_lock.lock();
        let mut settings = self.get();
        settings.apply(patch);
        self.write(settings)
    }

    /// The default set for new general-assistant requests (an agent's set lives with its
    /// workspace: see `agents::PrefsHandle::save_pattern_set`).
    pub fn save_default_pattern_set(&self, set: SavedPatternSet) -> Result<AppSettings, AppError> {
        let _guard = self.write_lock.lock();
        let mut settings = self.get();
        settings.save_default_pattern_set(set);
        self.write(settings)
    }

    /// Chat's request options as an earlier Portdesk kept them, by agent only (they now live
    /// with each workspace's agents): each entry as it is on disk.
    pub fn legacy_request_options(&self) -> Option<Map<String, Value>> {
        self.legacy(LEGACY_REQUEST_OPTIONS)
    }

    /// Drops the legacy request options, once a workspace has taken them in.
    pub fn forget_legacy_request_options(&self) -> Result<(), AppError> {
        self.forget_legacy(LEGACY_REQUEST_OPTIONS)
    }

    /// The pattern sets an earlier Portdesk saved per agent in the settings, by agent only
    /// (they now live with each workspace's agents): each entry as it is on disk.
    pub fn legacy_agent_tools(&self) -> Option<Map<String, Value>> {
        self.legacy(LEGACY_AGENT_TOOLS)
    }

    /// Drops the legacy agent pattern sets, once a workspace has taken them in.
    pub fn forget_legacy_agent_tools(&self) -> Result<(), AppError> {
        self.forget_legacy(LEGACY_AGENT_TOOLS)
    }

    /// A map of entries by agent that this version no longer keeps in the settings; an entry
    /// of any shape is handed over as it is (the workspace reads what it can of it).
    fn legacy(&self, name: &str) -> Option<Map<String, Value>> {
        match self.store.read()?.get(name)? {
            Value::Object(map) if !map.is_empty() => Some(map.clone()),
            _ => None,
        }
    }

    fn forget_legacy(&self, name: &str) -> Result<(), AppError> {
        let _guard = self.write_lock.lock();
        let Some(Value::Object(mut raw)) = self.store.read() else {
            return Ok(());
        };
        if raw.remove(name).is_none() {
            return Ok(());
        }
        self.store.write(Value::Object(raw)).map_err(unwritable)
    }

    /// Writes the known settings over what was read from disk, so keys this version does not
    /// know (a newer Portdesk's, or the user's) are kept at every level.
    fn write(&self, settings: AppSettings) -> Result<AppSettings, AppError> {
        let old = self.store.read();
        let value = written_over(old.as_ref(), &settings)
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

/// `settings` over the JSON read from disk: the top level and each check of the default set
/// keep the keys this version does not know (the agents' sets an earlier version kept here
/// among them, until a workspace takes them in).
fn written_over(old: Option<&Value>, settings: &AppSettings) -> Result<Value, serde_json::Error> {
    let mut out = keep_unknown(old, serde_json::to_value(settings)?);
    let Some(map) = out.as_object_mut() else {
        return Ok(out);
    };
    let old_field = |name: &str| old.and_then(|o| o.get(name));
    // A setting this version could not read (a newer one's value) was shown at its default: it
    // stays as it is on disk unless this write changed it.
    if let Some(old) = old {
        let (before, unreadable) = read_leniently(old);
        let before = serde_json::to_value(before)?;
        for name in unreadable {
            let (Some(raw), Some(now)) = (old.get(&name), map.get(&name)) else {
                continue;
            };
            let kept = if before.get(&name) == Some(now) {
                raw.clone()
            } else {
                keep_unknown(Some(raw), now.clone())
            };
            map.insert(name, kept);
        }
    }
    checks_over(
        old_field("defaultToolChecks"),
        map.get_mut("defaultToolChecks"),
    );
    Ok(out)
}

/// The settings this version can read: a setting whose value it cannot read (a newer Portdesk's
/// theme, say) takes its default, or for a map the entries it can read; such settings are named
/// in the second half.
fn read_leniently(raw: &Value) -> (AppSettings, Vec<String>) {
    if let Ok(settings) = serde_json::from_value(raw.clone()) {
        return (settings, Vec::new());
    }
    let Value::Object(map) = raw else {
        return (AppSettings::default(), Vec::new());
    };
    let fits = |name: &str, value: &Value| {
        let alone = Value::Object(Map::from_iter([(name.to_string(), value.clone())]));
        serde_json::from_value::<AppSettings>(alone).is_ok()
    };
    let mut readable = Map::new();
    let mut unreadable = Vec::new();
    for (name, value) in map {
        if fits(name, value) {
            readable.insert(name.clone(), value.clone());
            continue;
        }
        unreadable.push(name.clone());
        if let Value::Object(entries) = value {
            let good: Map<String, Value> = entries
                .iter()
                .filter(|(k, v)| {
                    fits(
                        name,
                        &Value::Object(Map::from_iter([((*k).clone(), (*v).clone())])),
                    )
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if fits(name, &Value::Object(good.clone())) {
                readable.insert(name.clone(), Value::Object(good));
            }
        }
    }
    let settings = serde_json::from_value(Value::Object(readable)).unwrap_or_default();
    (settings, unreadable)
}

/// Moves an unreadable settings file aside; returns the notice for the UI when it did, or when
/// some settings could not be read (those are left in the file, and their defaults used).
pub fn recover_if_corrupt(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let problem = match serde_json::from_slice::<Value>(&bytes) {
        Err(e) => format!("it is not valid JSON ({e})"),
        Ok(Value::Object(map)) => match map.get(KEY) {
            None => return None,
            Some(settings @ Value::Object(_)) => {
                let (_, unreadable) = read_leniently(settings);
                return (!unreadable.is_empty()).then(|| {
                    format!(
                        "Some settings could not be read ({}): perhaps a newer Portdesk wrote them. Their defaults are in use; the file keeps them until you change them.",
                        unreadable.join(", ")
                    )
                });
            }
            Some(_) => "its settings are not a JSON object".to_string(),
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
#[path = "settings_tests.rs"]
pub(crate) mod tests;
