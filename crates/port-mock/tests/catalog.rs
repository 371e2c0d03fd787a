mod common;

use common::{get, post, start};
use serde_json::{json, Value};

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

#[tokio::test]
async fn agents_include_legacy_and_inactive_ones() {
    let server = start().await;
    let body = json_of(get(&server, "/v1/blueprints/_ai_agent/entities").await).await;
    let agents = body["entities"].as_array().expect("entities");
    assert!(agents.len() >= 5);
    let by_id = |id: &str| agents.iter().find(|a| a["identifier"] == id).cloned();
    let explorer = by_id("service_explorer").expect("service_explorer");
    assert_eq!(
        explorer["properties"]["tools"],
        json!(["^(list|get|search|track|describe)_.*"])
    );
    assert_eq!(explorer["properties"]["execution_mode"], json!("Automatic"));
    let legacy = by_id("catalog_helper_v1").expect("legacy agent");
    assert!(legacy["properties"]["allowed_blueprints"].is_array());
    assert!(legacy["properties"].get("tools").is_none());
    assert!(agents
        .iter()
        .any(|a| a["properties"]["status"] == "inactive"));
}

#[tokio::test]
async fn search_pages_with_an_opaque_cursor() {
    let server = start().await;
    let path = "/v1/blueprints/_ai_agent/entities/search";
    let mut seen = Vec::new();
    let mut from: Option<String> = None;
    loop {
        let mut request = json!({"limit": 2, "include": ["$title", "status"]});
        if let Some(cursor) = &from {
            request["from"] = json!(cursor);
        }
        let page = json_of(post(&server, path, &request).await).await;
        for entity in page["entities"].as_array().expect("entities") {
            assert!(entity.get("createdAt").is_none(), "include limits fields");
            seen.push(entity["identifier"].as_str().unwrap_or_default().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => from = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);

    let active = json!({"query": {"combinator": "and", "rules": [
        {"property": "status", "operator": "=", "value": "active"}]}});
    let page = json_of(post(&server, path, &active).await).await;
    assert_eq!(page["entities"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        post(&server, path, &json!({"limit": 0})).await.status(),
        422
    );
    assert_eq!(
        post(&server, path, &json!({"from": "garbage"}))
            .await
            .status(),
        400
    );
}

#[tokio::test]
async fn invocations_become_entities_and_the_singular_blueprint_is_missing() {
    let server = start().await;
    let body = json!({"userPrompt": "Who owns payments-api?", "tools": [],
        "labels": {"source": "portdesk"}, "provider": "port", "model": "gpt-5"});
    post(&server, "/v1/ai/invoke", &body)
        .await
        .text()
        .await
        .ok();
    let list = json_of(get(&server, "/v1/blueprints/_ai_invocations/entities").await).await;
    let entity = &list["entities"][0];
    assert_eq!(entity["identifier"], json!("inv_000001"));
    let properties = &entity["properties"];
    assert_eq!(properties["status"], json!("Completed"));
    assert_eq!(properties["prompt"], json!("Who owns payments-api?"));
    assert_eq!(properties["labels"]["source"], json!("portdesk"));
    assert_eq!(properties["model"], json!("gpt-5"));
    assert!(properties["asked_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert!(properties["response"]
        .as_str()
        .is_some_and(|r| r.contains("payments-api")));
    assert_eq!(entity["relations"]["agent"], Value::Null);

    let searched = json_of(
        post(
            &server,
            "/v1/blueprints/_ai_invocations/entities/search",
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(searched["entities"].as_array().map(Vec::len), Some(1));
    let singular = get(&server, "/v1/blueprints/_ai_invocation/entities").await;
    assert_eq!(singular.status(), 404);
}

async fn put(server: &port_mock::MockServer, body: &Value) -> reqwest::Response {
    common::client()
        .put(format!(
            "{}/v1/ai/tool-approval-preferences",
            server.base_url()
        ))
        .bearer_auth(common::ANY_TOKEN)
        .json(body)
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn approval_preferences_round_trip() {
    let server = start().await;
    let path = "/v1/ai/tool-approval-preferences";
    let initial = json_of(get(&server, path).await).await;
    // Like Port, the GET lists every tool the user has, each with its mode.
    let modes = initial["toolOverrides"].as_object().expect("modes");
    assert_eq!(modes.len(), 31 + 2);
    assert_eq!(modes["run_action"], "approval");
    assert_eq!(modes["delete_entity"], "approval");
    assert_eq!(modes["list_entities"], "automatic");
    assert_eq!(modes["notion_notion-search"], "approval");
    assert_eq!(initial["disabledTools"], json!([]));

    let update = json!({
        "toolOverrides": {"run_action": "automatic", "list_entities": "approval", "gone": "automatic"},
        "disabledTools": ["delete_entity", "notion_notion-search", "ghost"]
    });
    let stored = json_of(put(&server, &update).await).await;
    assert_eq!(stored["toolOverrides"]["run_action"], "automatic");
    assert_eq!(stored["toolOverrides"]["list_entities"], "approval");
    assert!(stored["toolOverrides"].get("gone").is_none(), "pruned");
    assert_eq!(
        stored["disabledTools"],
        json!(["delete_entity", "notion_notion-search"])
    );
    assert_eq!(json_of(get(&server, path).await).await, stored);

    // Saved preference now lets run_action run without a draft.
    let events = common::events_of(common::invoke(&server, "open an incident").await).await;
    assert!(common::answer_of(&events).contains("started automatically"));

    let bad = json!({"toolOverrides": {"run_action": "sometimes"}, "disabledTools": []});
    assert_eq!(put(&server, &bad).await.status(), 422);
    let extra = json!({"toolOverrides": {}, "disabledTools": [], "defaultMode": "approval"});
    assert_eq!(put(&server, &extra).await.status(), 422);
}

#[tokio::test]
async fn a_newer_port_keeps_its_modes_and_fields() {
    let server = start().await;
    let path = "/v1/ai/tool-approval-preferences";
    server.seed_newer_approval_preferences(json!({
        "toolOverrides": {"load_skill": "ask_once"},
        "disabledTools": [],
        "defaultMode": {"write": "approval"}
    }));
    let body = json_of(get(&server, path).await).await;
    assert_eq!(body["toolOverrides"]["load_skill"], "ask_once");
    assert_eq!(body["defaultMode"], json!({"write": "approval"}));
    let update = json!({
        "toolOverrides": {"load_skill": "ask_once", "run_action": "automatic"},
        "disabledTools": [], "defaultMode": {"write": "automatic"}
    });
    let stored = json_of(put(&server, &update).await).await;
    assert_eq!(stored["toolOverrides"]["load_skill"], "ask_once");
    assert_eq!(stored["defaultMode"], json!({"write": "automatic"}));
}

#[tokio::test]
async fn providers_and_defaults() {
    let server = start().await;
    let providers = json_of(get(&server, "/v1/llm-providers").await).await;
    let port = providers["result"]
        .as_array()
        .and_then(|r| r.iter().find(|p| p["provider"] == "port"))
        .expect("port provider");
    assert_eq!(port["enabled"], json!(true));
    assert_eq!(port["effectiveModels"]["gpt-5"]["enabled"], json!(true));
    let defaults = json_of(get(&server, "/v1/llm-providers/defaults").await).await;
    assert_eq!(
        defaults["result"],
        json!({"provider": "port", "model": "claude-sonnet-4-5-20250929"})
    );
}
