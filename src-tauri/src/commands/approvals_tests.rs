use super::*;
use port_mock::{MockConfig, MockServer};
use serde_json::json;

fn prefs(body: serde_json::Value) -> ApprovalPreferences {
    let mut p = ApprovalPreferences::default();
    for (tool, mode) in body["toolOverrides"].as_object().into_iter().flatten() {
        match parse_mode(mode.as_str().unwrap_or_default()) {
            Some(m) => p.set_mode(tool, Some(m)),
            None => {
                p.unknown_overrides.insert(tool.clone(), mode.clone());
            }
        }
    }
    for tool in body["disabledTools"].as_array().into_iter().flatten() {
        p.set_disabled(tool.as_str().unwrap_or_default(), true);
    }
    for (k, v) in body["extra"].as_object().into_iter().flatten() {
        p.extra.insert(k.clone(), v.clone());
    }
    p
}

fn view_of(overrides: &[(&str, &str)], disabled: &[&str]) -> Preferences {
    Preferences {
        tool_overrides: overrides
            .iter()
            .map(|(t, m)| (t.to_string(), m.to_string()))
            .collect(),
        disabled_tools: disabled.iter().map(|t| t.to_string()).collect(),
    }
}

#[test]
fn unknown_modes_show_as_their_text_and_survive_a_save_of_other_tools() {
    let current = prefs(json!({
        "toolOverrides": {"run_action": "approval", "list_entities": "sometimes"},
        "disabledTools": [],
        "extra": {"defaultMode": {"write": "approval"}}
    }));
    let base = view(&current);
    assert_eq!(state_of(&base, "list_entities"), "sometimes");
    let mut desired = base.clone();
    desired
        .tool_overrides
        .insert("run_action".into(), "automatic".into());
    desired.disabled_tools.push("delete_entity".into());

    let next = apply_changes(&current, &base, &desired);
    let body = next.to_body();
    assert_eq!(body["toolOverrides"]["list_entities"], "sometimes");
    assert_eq!(body["toolOverrides"]["run_action"], "automatic");
    assert_eq!(body["disabledTools"], json!(["delete_entity"]));
    assert_eq!(body["defaultMode"], json!({"write": "approval"}));
}

#[test]
fn diff_lists_each_changed_tool_once_and_default_means_nothing_saved() {
    let before = view_of(
        &[("run_action", "approval"), ("list_entities", "automatic")],
        &[],
    );
    let after = view_of(&[("run_action", "approval")], &["delete_entity"]);
    let changes = diff(&before, &after);
    assert_eq!(
        changes,
        vec![
            ApprovalChange {
                tool: "delete_entity".into(),
                before: "default".into(),
                after: "disabled".into()
            },
            ApprovalChange {
                tool: "list_entities".into(),
                before: "automatic".into(),
                after: "default".into()
            },
        ]
    );
    assert!(diff(&before, &before).is_empty());
}

#[test]
fn only_changed_tools_are_applied_onto_ports_newer_copy() {
    // Port's copy gained a change by someone else since `base` was loaded.
    let current =
        prefs(json!({"toolOverrides": {"run_action": "automatic", "upsert_entity": "approval"}}));
    let base = view_of(&[("run_action", "automatic")], &[]);
    let desired = view_of(&[("run_action", "automatic")], &["delete_entity"]);
    let next = view(&apply_changes(&current, &base, &desired));
    assert_eq!(state_of(&next, "upsert_entity"), "approval");
    assert_eq!(state_of(&next, "delete_entity"), "disabled");
}

async fn demo() -> (MockServer, PortClient) {
    let server = MockServer::start(MockConfig::default())
        .await
        .expect("mock");
    let client = PortClient::new(
        port_api::ApiBase::custom(&server.base_url()).expect("base"),
        port_api::Credentials::access_token("test-token"),
    )
    .expect("client");
    (server, client)
}

#[tokio::test]
async fn a_save_is_written_read_back_and_confirmed_over_http() {
    let (server, client) = demo().await;
    let base = view(&client.approval_preferences().await.expect("get"));
    let mut desired = base.clone();
    desired
        .tool_overrides
        .insert("list_entities".into(), "approval".into());
    desired.disabled_tools.push("delete_entity".into());
    let (outcome, held) = save(&client, base, desired, false).await.expect("save");
    match outcome {
        ApprovalsSaveOutcome::Saved {
            held: held_view,
            changes,
            mismatches,
        } => {
            assert!(mismatches.is_empty(), "{mismatches:?}");
            assert_eq!(changes.len(), 2, "{changes:?}");
            assert_eq!(state_of(&held_view, "delete_entity"), "disabled");
        }
        other => panic!("expected a save, got {other:?}"),
    }
    assert!(held.is_some());
    let puts: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path == "/v1/ai/tool-approval-preferences")
        .collect();
    assert_eq!(puts.len(), 1);
    let body = puts[0].json().expect("a JSON body");
    assert_eq!(body["toolOverrides"]["list_entities"], "approval");
    assert_eq!(body["disabledTools"], json!(["delete_entity"]));
}

#[tokio::test]
async fn a_copy_changed_in_port_since_loading_is_a_conflict_and_nothing_is_written() {
    let (server, client) = demo().await;
    let base = view(&client.approval_preferences().await.expect("get"));
    // Someone else changes Port's copy meanwhile.
    let mut theirs = client.approval_preferences().await.expect("get");
    theirs.set_disabled("upsert_entity", true);
    client.set_approval_preferences(&theirs).await.expect("put");
    server.clear_requests();

    let mut desired = base.clone();
    desired.disabled_tools.push("delete_entity".into());
    let (outcome, _) = save(&client, base.clone(), desired.clone(), false)
        .await
        .expect("save");
    let ApprovalsSaveOutcome::Conflict { their_changes, .. } = outcome else {
        panic!("expected a conflict");
    };
    assert_eq!(their_changes.len(), 1);
    assert_eq!(their_changes[0].tool, "upsert_entity");
    assert!(server.requests().iter().all(|r| r.method != "PUT"));

    // Forced: mine go on top of theirs, theirs kept.
    let (outcome, _) = save(&client, base, desired, true).await.expect("save");
    let ApprovalsSaveOutcome::Saved { held, .. } = outcome else {
        panic!("expected a save");
    };
    assert_eq!(state_of(&held, "upsert_entity"), "disabled");
    assert_eq!(state_of(&held, "delete_entity"), "disabled");
}

#[tokio::test]
async fn a_tool_port_prunes_is_reported_as_a_mismatch() {
    let (_server, client) = demo().await;
    let base = view(&client.approval_preferences().await.expect("get"));
    let mut desired = base.clone();
    desired
        .tool_overrides
        .insert("no_such_tool".into(), "automatic".into());
    let (outcome, _) = save(&client, base, desired, false).await.expect("save");
    let ApprovalsSaveOutcome::Saved { mismatches, .. } = outcome else {
        panic!("expected a save");
    };
    assert_eq!(
        mismatches,
        vec![ApprovalMismatch {
            tool: "no_such_tool".into(),
            wanted: "automatic".into(),
            held: "default".into()
        }]
    );
}
