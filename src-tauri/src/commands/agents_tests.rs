//! The agents' pattern sets an earlier Portdesk kept in the settings join the first workspace
//! that reads them, on real files: the settings file and the workspace's prefs file.

use std::path::Path;

use serde_json::{json, Value};

use super::*;
use crate::settings::tests::store_on;
use crate::settings::SETTINGS_FILE;

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn profile(name: &str) -> WorkspaceKey {
    WorkspaceKey::Profile(name.to_string())
}

fn earlier_settings(dir: &Path) -> (std::path::PathBuf, Value) {
    let path = dir.join(SETTINGS_FILE);
    let sets = json!({
        "ops": {"patterns": ["^run_.*"],
                "checks": [{"tool": "run_deploy", "expect": "match", "why": "audit"}],
                "pinned": true},
        "sre": {"patterns": 7}
    });
    std::fs::write(
        &path,
        json!({"windowState": {"w": 1},
               "settings": {"theme": "dark", "futureKey": [1], "agentTools": sets}})
        .to_string(),
    )
    .unwrap();
    (path, sets)
}

#[test]
fn earlier_agent_sets_move_once_into_the_first_workspace_that_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let (settings_path, sets) = earlier_settings(dir.path());
    let settings = store_on(&settings_path);
    let store = AgentStore::new(dir.path());
    // The workspace already had a set for `sre`: its own wins over the earlier one.
    let own = SavedPatternSet {
        patterns: vec!["^get_.*".into()],
        checks: Vec::new(),
    };
    store
        .prefs()
        .save_pattern_set(&profile("eu"), "sre", &own)
        .unwrap();

    let eu = pattern_sets_adopting_legacy(&settings, &store, &profile("eu")).unwrap();
    let view = AgentPatternSets::of(&eu);
    assert_eq!(view.sets["ops"].patterns, vec!["^run_.*"]);
    assert_eq!(view.sets["sre"], own);
    assert_eq!(view.notice, None);

    let prefs_file = store.dir().join("profile-eu.prefs.json");
    let raw = read(&prefs_file);
    assert_eq!(raw["patternSets"]["ops"], sets["ops"], "as it was: {raw}");
    assert_eq!(
        read(&settings_path),
        json!({"windowState": {"w": 1}, "settings": {"theme": "dark", "futureKey": [1]}}),
        "gone from the settings once the workspace holds them"
    );

    // Only the first workspace takes them: the next one has its own sets (none yet).
    let us = pattern_sets_adopting_legacy(&settings, &store, &profile("us")).unwrap();
    assert!(us.pattern_sets().is_empty());
    // A save in the first keeps what this version does not know of the set and its checks.
    let mut ops = view.sets["ops"].clone();
    ops.patterns.push("^list_.*".into());
    store
        .prefs()
        .save_pattern_set(&profile("eu"), "ops", &ops)
        .unwrap();
    let raw = read(&prefs_file);
    assert_eq!(raw["patternSets"]["ops"]["pinned"], true);
    assert_eq!(raw["patternSets"]["ops"]["checks"][0]["why"], "audit");
    assert_eq!(
        raw["patternSets"]["ops"]["patterns"],
        json!(["^run_.*", "^list_.*"])
    );
}

#[test]
fn an_unreadable_prefs_file_is_kept_aside_and_the_earlier_sets_still_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let (settings_path, sets) = earlier_settings(dir.path());
    let settings = store_on(&settings_path);
    let store = AgentStore::new(dir.path());
    std::fs::create_dir_all(store.dir()).unwrap();
    let prefs_file = store.dir().join("profile-eu.prefs.json");
    std::fs::write(&prefs_file, b"{ \"favourites\": [\"ops\"").unwrap();

    let eu = pattern_sets_adopting_legacy(&settings, &store, &profile("eu")).unwrap();
    let view = AgentPatternSets::of(&eu);
    let notice = view.notice.expect("a notice");
    assert!(notice.contains("could not be read"), "{notice}");
    assert!(
        notice.contains("unreadable"),
        "says where it went: {notice}"
    );
    assert_eq!(
        std::fs::read(store.dir().join("profile-eu.prefs.json.unreadable")).unwrap(),
        b"{ \"favourites\": [\"ops\"",
        "the damaged file is kept for the user"
    );
    assert_eq!(view.sets["ops"].patterns, vec!["^run_.*"]);
    assert_eq!(read(&prefs_file)["patternSets"], sets);
    assert!(read(&settings_path)["settings"].get("agentTools").is_none());
}

#[test]
fn when_the_workspace_cannot_be_written_the_settings_keep_the_sets() {
    let dir = tempfile::tempdir().unwrap();
    let (settings_path, sets) = earlier_settings(dir.path());
    let settings = store_on(&settings_path);
    // A file where the agents directory should be: the prefs cannot be written.
    std::fs::write(dir.path().join(agents::AGENTS_DIR), b"").unwrap();
    let store = AgentStore::new(dir.path());

    let err = pattern_sets_adopting_legacy(&settings, &store, &profile("eu")).unwrap_err();
    assert_eq!(err.code, "agents_cache_unwritable");
    assert_eq!(read(&settings_path)["settings"]["agentTools"], sets);
}
