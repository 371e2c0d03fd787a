//! The non-streaming endpoints, and exactly what the client sends.

mod common;

use common::*;
use port_api::invoke::{ApprovalMode, ChatMode, ExecutionMode, ModelChoice};
use port_api::{ApprovalPreferences, ErrorCode};
use serde_json::json;

#[tokio::test]
async fn agents_are_listed_leniently() {
    let server = server().await;
    let client = token_client(&server, "t");
    let agents = client.list_agents().await.expect("agents");
    assert!(agents.len() >= 4, "{agents:?}");
    assert!(agents.iter().any(|a| !a.is_active()), "an inactive agent");
    assert!(
        agents
            .iter()
            .any(|a| a.execution_mode.is_none() && a.tools.is_empty()),
        "a legacy agent lacking properties is still listed"
    );
    let full = agents
        .iter()
        .find(|a| !a.conversation_starters.is_empty())
        .expect("an agent with starters");
    assert!(!full.tools.is_empty());
    assert!(full.execution_mode.is_some());
}

#[tokio::test]
async fn actions_are_listed_as_run_tools() {
    let server = server().await;
    let client = token_client(&server, "t");
    let actions = client.list_actions().await.expect("actions");
    let tools: Vec<String> = actions.iter().map(|a| a.tool_name()).collect();
    // The two the invoke scripts draft runs of, and the legacy-shaped one.
    for expected in [
        "run_deploy_service",
        "run_create_incident",
        "run_create_github_repo",
    ] {
        assert!(
            tools.iter().any(|t| t == expected),
            "{expected} in {tools:?}"
        );
    }
    let legacy = actions
        .iter()
        .find(|a| a.identifier == "create_github_repo")
        .expect("legacy action");
    assert_eq!(legacy.blueprint.as_deref(), Some("repository"));
}

#[tokio::test]
async fn quota_providers_and_defaults() {
    let server = server().await;
    let client = token_client(&server, "t");
    let quota = client.monthly_quota().await.expect("quota");
    assert!(quota.monthly_limit.unwrap_or(0.0) > 0.0);
    assert!(quota.month.as_deref().is_some_and(|m| m.len() == 7));

    let providers = client.llm_providers().await.expect("providers");
    let defaults = client.llm_defaults().await.expect("defaults");
    let default_provider = providers
        .iter()
        .find(|p| p.provider == defaults.provider)
        .expect("the default provider is listed");
    assert!(default_provider
        .models
        .iter()
        .any(|m| m.name == defaults.model && m.enabled));
}

#[tokio::test]
async fn approval_preferences_round_trip() {
    let server = server().await;
    let client = token_client(&server, "t");
    let before = client.approval_preferences().await.expect("get");
    let mut wanted = ApprovalPreferences::default();
    wanted
        .tool_overrides
        .insert("list_entities".into(), ApprovalMode::Automatic);
    wanted
        .tool_overrides
        .insert("run_action".into(), ApprovalMode::Approval);
    wanted
        .tool_overrides
        .insert("no_such_tool".into(), ApprovalMode::Automatic);
    wanted.disabled_tools = vec!["delete_entity".into()];
    let saved = client.set_approval_preferences(&wanted).await.expect("put");
    assert!(!saved.tool_overrides.contains_key("no_such_tool"), "pruned");
    assert_eq!(saved.disabled_tools, vec!["delete_entity"]);
    let after = client.approval_preferences().await.expect("get");
    assert_eq!(after, saved);
    assert_ne!(after, before);
    let put = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT");
    assert_eq!(
        put.json().unwrap()["disabledTools"],
        json!(["delete_entity"])
    );
}

#[tokio::test]
async fn invocation_results_and_port_records() {
    let server = server().await;
    let client = token_client(&server, "t");
    let run = run(&client, &general("What services do we have?")).await;
    let id = run.transcript.invocation_id.expect("id");
    let result = client.invocation_result(&id).await.expect("result");
    assert_eq!(result.status, "Completed");

    let page = client.port_invocations(100, None).await.expect("records");
    assert!(page
        .invocations
        .iter()
        .any(|i| i.prompt.as_deref() == Some("What services do we have?")));
    let err = client
        .invocation_result("inv_missing")
        .await
        .expect_err("404");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn port_records_page_through_next() {
    let server = server().await;
    let client = token_client(&server, "t");
    for i in 0..3 {
        assert!(run(&client, &general(&format!("q{i}")))
            .await
            .error
            .is_none());
    }
    let first = client.port_invocations(2, None).await.expect("page 1");
    assert_eq!(first.invocations.len(), 2);
    let next = first.next.expect("a next cursor");
    let second = client
        .port_invocations(2, Some(&next))
        .await
        .expect("page 2");
    assert!(!second.invocations.is_empty());
    assert!(second.invocations.iter().all(|i| first
        .invocations
        .iter()
        .all(|f| f.identifier != i.identifier)));
}

#[tokio::test]
async fn the_client_sends_exactly_what_was_set() {
    let server = server().await;
    let client = token_client(&server, "tok-123");
    let mut request = general("Deploy checkout");
    request.tools = vec!["^(list|get)_.*".into(), "run_action".into()];
    request.labels.insert("source".into(), "test".into());
    request
        .tool_approval_overrides
        .insert("run_action".into(), ApprovalMode::Approval);
    request.model = Some(ModelChoice {
        provider: "port".into(),
        model: "claude-sonnet-4-5-20250929".into(),
    });
    request.mcp_servers = vec!["notion".into()];
    request.chat_mode = Some(ChatMode::Build);
    request.system_prompt = Some("Be brief.".into());
    request.execution_mode = Some(ExecutionMode::ApprovalRequired);
    let run = run(&client, &request).await;
    assert!(run.error.is_none(), "{:?}", run.error);

    let sent = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/ai/invoke")
        .expect("sent");
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(
        sent.json().unwrap(),
        json!({
            "userPrompt": "Deploy checkout",
            "tools": ["^(list|get)_.*", "run_action"],
            "labels": {"source": "test"},
            "toolApprovalOverrides": {"run_action": "approval"},
            "provider": "port",
            "model": "claude-sonnet-4-5-20250929",
            "mcpServers": [{"identifier": "notion"}],
            "chatMode": "build",
            "systemPrompt": "Be brief.",
            "executionMode": "Approval Required"
        })
    );

    // A minimal request sends only the required fields.
    server.clear_requests();
    assert!(common::run(&client, &general("hi")).await.error.is_none());
    assert_eq!(
        last_invoke_body(&server),
        json!({"userPrompt": "hi", "tools": ["^(list|get|search|track|describe)_.*"]})
    );
}

#[tokio::test]
async fn refused_requests_send_nothing() {
    let server = server().await;
    let client = token_client(&server, "t");
    let mut request = general("hi");
    request.mcp_servers = (0..6).map(|i| format!("mcp{i}")).collect();
    let err = run(&client, &request).await.error.expect("refused");
    assert_eq!(err.code, ErrorCode::InvalidRequest);
    let mut big = general(&"x".repeat(1024 * 1024));
    big.tools.clear();
    let err = run(&client, &big).await.error.expect("refused");
    assert!(err.message.contains("1 MiB"));
    assert!(server.requests().is_empty(), "nothing reached the server");
}

/// A mode or field from a newer Port is read, kept and written back unchanged.
#[tokio::test]
async fn unknown_approval_modes_and_fields_survive_a_save() {
    let server = server().await;
    server.seed_newer_approval_preferences(json!({
        "toolOverrides": {"load_skill": "ask_once", "run_action": "approval"},
        "disabledTools": ["delete_entity"],
        "defaultMode": {"write": "approval"}
    }));
    let client = token_client(&server, "t");
    let mut prefs = client.approval_preferences().await.expect("get");
    assert_eq!(
        prefs.unknown_overrides.get("load_skill"),
        Some(&json!("ask_once"))
    );
    assert!(!prefs.tool_overrides.contains_key("load_skill"));
    assert_eq!(
        prefs.extra.get("defaultMode"),
        Some(&json!({"write": "approval"}))
    );
    prefs.set_mode("run_action", Some(ApprovalMode::Automatic));
    let saved = client.set_approval_preferences(&prefs).await.expect("put");
    let put = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a PUT")
        .json()
        .expect("JSON");
    assert_eq!(put["toolOverrides"]["load_skill"], "ask_once");
    assert_eq!(put["toolOverrides"]["run_action"], "automatic");
    assert_eq!(put["defaultMode"], json!({"write": "approval"}));
    assert_eq!(put["disabledTools"], json!(["delete_entity"]));
    assert!(put.get("ok").is_none(), "the envelope is not written back");
    assert_eq!(
        saved.unknown_overrides.get("load_skill"),
        Some(&json!("ask_once"))
    );
    assert_eq!(
        saved.tool_overrides.get("run_action"),
        Some(&ApprovalMode::Automatic)
    );
}
