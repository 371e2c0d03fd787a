//! Settings on real files: what survives a write, what is moved aside, what is read leniently.

use super::*;
use serde_json::json;

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
fn settings_that_are_not_an_object_are_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SETTINGS_FILE);
    std::fs::write(&path, br#"{"settings": ["dark"]}"#).unwrap();
    assert!(recover_if_corrupt(&path).is_some());
    assert!(!path.exists());
}

#[test]
fn a_value_this_version_cannot_read_is_reported_shown_at_its_default_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SETTINGS_FILE);
    let newer = json!({"settings": {
        "theme": "sepia",
        "lastAgent": "ops",
        "defaultToolChecks": [{"tool": "x", "expect": "maybe"}],
        "agentTools": {"ops": {"patterns": ["^run_.*"]}, "sre": {"patterns": 7}}
    }});
    std::fs::write(&path, newer.to_string()).unwrap();
    let store = store_on(&path);
    let notice = store.notice().expect("a notice");
    assert!(notice.contains("(defaultToolChecks, theme)"), "{notice}");
    assert!(path.exists(), "not moved aside");
    let read = store.get();
    assert_eq!(read.theme, Theme::System);
    assert_eq!(read.last_agent.as_deref(), Some("ops"), "the rest reads");
    assert!(read.default_tool_checks.is_empty());

    // A write that changes neither keeps both as they are, and the agents' sets an earlier
    // version kept here (a workspace takes them in).
    store
        .update(SettingsPatch {
            last_agent: Some(String::new()),
            ..Default::default()
        })
        .unwrap();
    let after = on_disk(&path)["settings"].clone();
    assert_eq!(after["theme"], "sepia");
    assert_eq!(
        after["defaultToolChecks"],
        newer["settings"]["defaultToolChecks"]
    );
    assert_eq!(after["agentTools"], newer["settings"]["agentTools"]);
    assert_eq!(after["lastAgent"], Value::Null);

    // Changing one replaces its value.
    store
        .update(SettingsPatch {
            theme: Some(Theme::Dark),
            ..Default::default()
        })
        .unwrap();
    let after = on_disk(&path)["settings"].clone();
    assert_eq!(after["theme"], "dark");
    assert_eq!(after["agentTools"], newer["settings"]["agentTools"]);
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

pub(crate) fn store_on(path: &Path) -> SettingsStore {
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
    let mut default = store.get();
    default.default_tool_checks.push(ToolCheck {
        tool: "search_entities".into(),
        expect: CheckExpect::Match,
    });
    store
        .save_default_pattern_set(SavedPatternSet {
            patterns: default.default_tools,
            checks: default.default_tool_checks,
        })
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
    assert_eq!(
        settings["agentTools"], newer["settings"]["agentTools"],
        "left for the workspace that takes them in"
    );
    assert_eq!(
        settings["requestOptions"],
        json!({"ops": {"chatMode": "ask", "temperature": 0.1}}),
        "left for the workspace that takes them in"
    );
}

#[test]
fn legacy_request_options_and_agent_sets_are_handed_over_once_and_only_they_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SETTINGS_FILE);
    let store = store_on(&path);
    assert!(store.legacy_request_options().is_none(), "no file");
    assert!(store.legacy_agent_tools().is_none(), "no file");
    let ops = json!({"patterns": ["^run_.*"], "checks": [], "pinned": true});
    std::fs::write(
        &path,
        json!({"settings": {"theme": "dark", "futureKey": [1],
            "requestOptions": {"": {"chatMode": "plan", "extra": 1}},
            "agentTools": {"ops": ops, "sre": {"patterns": 7}}}})
        .to_string(),
    )
    .unwrap();
    let legacy = store.legacy_request_options().expect("legacy options");
    assert_eq!(legacy[""], json!({"chatMode": "plan", "extra": 1}));
    let sets = store.legacy_agent_tools().expect("legacy sets");
    assert_eq!(sets["ops"], ops);
    assert_eq!(sets["sre"], json!({"patterns": 7}), "handed over as it is");
    store.forget_legacy_request_options().unwrap();
    assert!(store.legacy_request_options().is_none());
    assert!(
        store.legacy_agent_tools().is_some(),
        "only what was taken in goes"
    );
    store.forget_legacy_agent_tools().unwrap();
    assert!(store.legacy_agent_tools().is_none());
    store.forget_legacy_agent_tools().unwrap();
    assert_eq!(
        on_disk(&path),
        json!({"settings": {"theme": "dark", "futureKey": [1]}})
    );
}

#[test]
fn a_corrupt_file_is_kept_aside_and_a_write_never_lands_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(SETTINGS_FILE);
    std::fs::write(&path, br#"{"settings": "theme: 7", "fontSize": 15}"#).unwrap();
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
        br#"{"settings": "theme: 7", "fontSize": 15}"#
    );
}

#[test]
fn the_default_pattern_set_saves_in_the_settings() {
    let mut settings = AppSettings::default();
    let check = ToolCheck {
        tool: "delete_entity".into(),
        expect: CheckExpect::NoMatch,
    };
    settings.save_default_pattern_set(SavedPatternSet {
        patterns: vec!["list_.*".into()],
        checks: vec![check],
    });
    assert_eq!(settings.default_tools, vec!["list_.*"]);
    assert_eq!(settings.default_tool_checks.len(), 1);
    // Older settings files without the new fields, or with the agents' sets, still read.
    let old: AppSettings = serde_json::from_value(serde_json::json!({
        "theme": "dark", "defaultTools": [], "agentTools": {"ops": {"patterns": []}}
    }))
    .unwrap();
    assert_eq!(old.theme, Theme::Dark);
}
