//! Request options per workspace and agent, and what removing a profile deletes, on a real
//! directory.

use agents::{AgentStore, RequestOptions, WorkspaceKey};
use serde_json::json;

mod common;
use common::{prefs_file, profile, read_json, store, write_json};

fn mode(chat_mode: port_api::ChatMode) -> RequestOptions {
    RequestOptions {
        chat_mode: Some(chat_mode),
        ..Default::default()
    }
}

#[test]
fn two_workspaces_with_the_same_agent_keep_their_own_options() {
    let (dir, store) = store();
    let prefs = store.prefs();
    prefs
        .save_request_options(&profile("eu"), "ops", &mode(port_api::ChatMode::Plan))
        .unwrap();
    prefs
        .save_request_options(&profile("us"), "ops", &mode(port_api::ChatMode::Ask))
        .unwrap();
    prefs
        .save_request_options(&WorkspaceKey::Demo, "", &mode(port_api::ChatMode::Build))
        .unwrap();

    let reopened = AgentStore::new(dir.path());
    let eu = reopened.prefs().get(&profile("eu")).request_options();
    let us = reopened.prefs().get(&profile("us")).request_options();
    assert_eq!(eu["ops"].chat_mode, Some(port_api::ChatMode::Plan));
    assert_eq!(us["ops"].chat_mode, Some(port_api::ChatMode::Ask));
    assert!(
        !eu.contains_key(""),
        "the demo's general assistant is the demo's"
    );
    assert_eq!(
        reopened.prefs().get(&WorkspaceKey::Demo).request_options()[""].chat_mode,
        Some(port_api::ChatMode::Build)
    );

    // Options Port would refuse are not saved, and say why.
    let err = reopened
        .prefs()
        .save_request_options(
            &profile("eu"),
            "ops",
            &RequestOptions {
                tools: Some(vec!["^list_.*".into()]),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_request");
    assert_eq!(
        reopened.prefs().get(&profile("eu")).request_options()["ops"],
        mode(port_api::ChatMode::Plan)
    );
}

#[test]
fn unknown_fields_in_the_file_and_in_each_entry_survive_a_save() {
    let (_dir, store) = store();
    let path = prefs_file(&store, &profile("eu"));
    write_json(
        &path,
        json!({
            "format": 1,
            "favourites": ["ops"],
            "pinnedOrder": ["ops"],
            "requestOptions": {
                "ops": {"chatMode": "ask", "temperature": 0.3,
                        "model": {"provider": "port", "model": "a", "tier": "fast"}},
                "sre": {"chatMode": "research", "labels": {"team": "sre"}}
            }
        }),
    );

    let mut ops = store.prefs().get(&profile("eu")).request_options()["ops"].clone();
    ops.labels.insert("team".into(), "platform".into());
    store
        .prefs()
        .save_request_options(&profile("eu"), "ops", &ops)
        .unwrap();

    let after = read_json(&path);
    assert_eq!(after["pinnedOrder"], json!(["ops"]));
    assert_eq!(after["favourites"], json!(["ops"]));
    let saved = &after["requestOptions"]["ops"];
    assert_eq!(saved["labels"], json!({"team": "platform"}));
    assert_eq!(saved["temperature"], 0.3);
    assert_eq!(saved["model"]["tier"], "fast");
    assert_eq!(
        after["requestOptions"]["sre"],
        json!({"chatMode": "research", "labels": {"team": "sre"}}),
        "an entry this version cannot read is left as it was"
    );
}

#[test]
fn options_saved_before_workspaces_join_the_first_workspace_that_reads_them() {
    let (_dir, store) = store();
    store
        .prefs()
        .save_request_options(&profile("eu"), "ops", &mode(port_api::ChatMode::Plan))
        .unwrap();
    let legacy = json!({
        "ops": {"chatMode": "ask"},
        "": {"chatMode": "build", "futureField": true}
    });
    let legacy = legacy.as_object().unwrap();
    let adopted = store
        .prefs()
        .adopt_request_options(&profile("eu"), legacy)
        .unwrap();
    let options = adopted.request_options();
    assert_eq!(
        options["ops"].chat_mode,
        Some(port_api::ChatMode::Plan),
        "what the workspace already had wins"
    );
    assert_eq!(options[""].chat_mode, Some(port_api::ChatMode::Build));
    let raw = read_json(&prefs_file(&store, &profile("eu")));
    assert_eq!(raw["requestOptions"][""]["futureField"], true);
}

#[test]
fn forgetting_a_profile_deletes_its_files_and_no_one_elses() {
    let (_dir, store) = store();
    let agents: Vec<port_api::Agent> = Vec::new();
    for key in [profile("eu"), profile("us"), WorkspaceKey::Demo] {
        store.save(&key, "http://127.0.0.1:1", &agents, 1).unwrap();
        store.prefs().set_favourite(&key, "ops", true).unwrap();
        store
            .prefs()
            .save_request_options(&key, "ops", &mode(port_api::ChatMode::Ask))
            .unwrap();
    }
    let files = |store: &AgentStore| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(store.dir())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert!(files(&store).iter().any(|f| f.starts_with("profile-eu.")));
    // What an earlier damaged read moved aside: a copy of Port's list, and the user's choices.
    for aside in [
        "profile-eu.cache.json.unreadable",
        "profile-eu.prefs.json.unreadable",
    ] {
        std::fs::write(store.dir().join(aside), b"{").unwrap();
    }

    store.forget(&profile("eu")).unwrap();
    assert_eq!(
        files(&store),
        vec![
            "demo.cache.json",
            "demo.prefs.json",
            "profile-eu.prefs.json.unreadable",
            "profile-us.cache.json",
            "profile-us.prefs.json"
        ],
        "the saved agents and prefs went; unreadable prefs stay for the user to look at"
    );
    assert!(store
        .prefs()
        .get(&profile("eu"))
        .request_options()
        .is_empty());
    assert_eq!(store.prefs().get(&profile("us")).favourites, vec!["ops"]);
    // Nothing to delete is not an error.
    store.forget(&profile("eu")).unwrap();
    store.forget(&profile("never-saved")).unwrap();
}
