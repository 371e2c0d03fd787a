//! Tool-pattern sets per workspace and agent, on a real directory: two organisations with an
//! `ops` agent each, a newer file, a damaged one, and what removing a profile deletes.

use agents::{AgentStore, CheckExpect, SavedPatternSet, ToolCheck, WorkspaceKey};
use serde_json::json;

mod common;
use common::{prefs_file, profile, read_json, store, write_json};

fn set(patterns: &[&str]) -> SavedPatternSet {
    SavedPatternSet {
        patterns: patterns.iter().map(|p| p.to_string()).collect(),
        checks: vec![ToolCheck {
            tool: "delete_entity".into(),
            expect: CheckExpect::NoMatch,
        }],
    }
}

#[test]
fn two_workspaces_with_an_ops_agent_keep_their_own_sets() {
    let (dir, store) = store();
    store
        .prefs()
        .save_pattern_set(&profile("eu"), "ops", &set(&["^run_.*"]))
        .unwrap();
    let us = store
        .prefs()
        .save_pattern_set(&profile("us"), "ops", &set(&["^list_.*"]))
        .unwrap();
    assert_eq!(us.pattern_sets()["ops"], set(&["^list_.*"]));

    let reopened = AgentStore::new(dir.path());
    assert_eq!(
        reopened.prefs().get(&profile("eu")).pattern_sets()["ops"],
        set(&["^run_.*"])
    );
    assert_eq!(
        reopened.prefs().get(&profile("us")).pattern_sets()["ops"],
        set(&["^list_.*"])
    );
    assert!(reopened
        .prefs()
        .get(&WorkspaceKey::Demo)
        .pattern_sets()
        .is_empty());
    // The sets sit beside the workspace's other choices without touching them.
    reopened
        .prefs()
        .set_favourite(&profile("eu"), "ops", true)
        .unwrap();
    let eu = reopened.prefs().get(&profile("eu"));
    assert_eq!(eu.favourites, vec!["ops"]);
    assert_eq!(eu.pattern_sets()["ops"], set(&["^run_.*"]));
}

#[test]
fn a_newer_file_keeps_what_this_version_does_not_know() {
    let (_dir, store) = store();
    let path = prefs_file(&store, &profile("eu"));
    write_json(
        &path,
        json!({
            "format": 2,
            "favourites": ["ops"],
            "pinnedOrder": ["ops"],
            "patternSets": {
                "ops": {"patterns": ["^run_.*"], "pinned": true,
                        "checks": [{"tool": "run_x", "expect": "match", "why": "audit"}]},
                "sre": {"patterns": {"regex": "^get_"}}
            }
        }),
    );

    let read_back = store.prefs().get(&profile("eu"));
    assert_eq!(read_back.notice, None, "a newer file is not a damaged one");
    let sets = read_back.pattern_sets();
    assert!(!sets.contains_key("sre"), "a set this version cannot read");
    let mut ops = sets["ops"].clone();
    ops.checks.push(ToolCheck {
        tool: "get_entity".into(),
        expect: CheckExpect::Match,
    });
    store
        .prefs()
        .save_pattern_set(&profile("eu"), "ops", &ops)
        .unwrap();

    let after = read_json(&path);
    assert_eq!(after["pinnedOrder"], json!(["ops"]));
    assert_eq!(after["favourites"], json!(["ops"]));
    let ops = &after["patternSets"]["ops"];
    assert_eq!(ops["pinned"], true);
    assert_eq!(
        ops["checks"],
        json!([
            {"tool": "run_x", "expect": "match", "why": "audit"},
            {"tool": "get_entity", "expect": "match"}
        ])
    );
    assert_eq!(
        after["patternSets"]["sre"],
        json!({"patterns": {"regex": "^get_"}}),
        "left as it was"
    );
}

#[test]
fn a_damaged_file_is_moved_aside_with_a_notice_and_saving_starts_afresh_each_time() {
    let (dir, store) = store();
    std::fs::create_dir_all(store.dir()).unwrap();
    let path = prefs_file(&store, &profile("eu"));
    // Valid JSON of a shape this version cannot read at all.
    let damaged = br#"{"patternSets": ["ops"]}"#;
    std::fs::write(&path, damaged).unwrap();

    let prefs = store.prefs().get(&profile("eu"));
    let notice = prefs.notice.clone().expect("a notice");
    assert!(notice.contains("tool-pattern sets"), "{notice}");
    assert!(prefs.pattern_sets().is_empty());
    let aside = store.dir().join("profile-eu.prefs.json.unreadable");
    assert_eq!(std::fs::read(&aside).unwrap(), damaged);

    store
        .prefs()
        .save_pattern_set(&profile("eu"), "ops", &set(&["^run_.*"]))
        .unwrap();
    assert_eq!(
        read_json(&path)["patternSets"]["ops"]["patterns"],
        json!(["^run_.*"])
    );
    assert_eq!(std::fs::read(&aside).unwrap(), damaged, "still there");

    // Damaged again, read by the next start: a second copy beside the first, which stays.
    let again = br#"{"favourites": 3}"#;
    std::fs::write(&path, again).unwrap();
    let restarted = AgentStore::new(dir.path());
    let notice = restarted
        .prefs()
        .get(&profile("eu"))
        .notice
        .expect("a notice");
    let second = store.dir().join("profile-eu.prefs.json.unreadable-2");
    assert!(notice.contains(&second.display().to_string()), "{notice}");
    assert_eq!(std::fs::read(&second).unwrap(), again);
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        damaged,
        "the first copy is kept"
    );
}

#[test]
fn earlier_sets_join_a_workspace_without_replacing_its_own() {
    let (_dir, store) = store();
    store
        .prefs()
        .save_pattern_set(&profile("eu"), "ops", &set(&["^get_.*"]))
        .unwrap();
    let legacy = json!({
        "ops": {"patterns": ["^run_.*"]},
        "sre": {"patterns": ["^list_.*"], "checks": [], "color": "red"}
    });
    let adopted = store
        .prefs()
        .adopt_pattern_sets(&profile("eu"), legacy.as_object().unwrap())
        .unwrap();
    let sets = adopted.pattern_sets();
    assert_eq!(sets["ops"], set(&["^get_.*"]), "the workspace's own wins");
    assert_eq!(sets["sre"].patterns, vec!["^list_.*"]);
    assert_eq!(
        read_json(&prefs_file(&store, &profile("eu")))["patternSets"]["sre"],
        legacy["sre"]
    );
}

#[test]
fn removing_a_profile_deletes_its_sets_and_no_one_elses() {
    let (_dir, store) = store();
    for key in [profile("eu"), profile("us")] {
        store
            .prefs()
            .save_pattern_set(&key, "ops", &set(&["^run_.*"]))
            .unwrap();
    }
    store.forget(&profile("eu")).unwrap();
    assert!(!prefs_file(&store, &profile("eu")).exists());
    assert!(store.prefs().get(&profile("eu")).pattern_sets().is_empty());
    assert_eq!(
        store.prefs().get(&profile("us")).pattern_sets()["ops"],
        set(&["^run_.*"])
    );
}
