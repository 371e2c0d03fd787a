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
    assert_eq!(seen.len(), 6);

    let active = json!({"query": {"combinator": "and", "rules": [
        {"property": "status", "operator": "=", "value": "active"}]}});
    let page = json_of(post(&server, path, &active).await).await;
    assert_eq!(page["entities"].as_array().map(Vec::len), Some(4));
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

#[tokio::test]
async fn approval_preferences_round_trip() {
    let server = start().await;
    let path = "/v1/ai/tool-approval-preferences";
    let initial = json_of(get(&server, path).await).await;
    assert_eq!(
        initial,
        json!({"ok": true, "toolOverrides": {"run_action": "approval"}, "disabledTools": []})
    );

    let update = json!({
        "toolOverrides": {"run_action": "automatic", "upsert_entity": "approval", "gone": "automatic"},
        "disabledTools": ["delete_entity", "notion_notion-search", "ghost"]
    });
    let response = common::client()
        .put(format!("{}{path}", server.base_url()))
        .bearer_auth(common::ANY_TOKEN)
        .json(&update)
        .send()
        .await
        .expect("sent");
    let stored = json_of(response).await;
    let expected = json!({"ok": true,
        "toolOverrides": {"run_action": "automatic", "upsert_entity": "approval"},
        "disabledTools": ["delete_entity", "notion_notion-search"]});
    assert_eq!(stored, expected);
    assert_eq!(json_of(get(&server, path).await).await, expected);

    // Saved preference now lets run_action run without a draft.
    let events = common::events_of(common::invoke(&server, "open an incident").await).await;
    assert!(common::answer_of(&events).contains("started automatically"));

    let bad = json!({"toolOverrides": {"run_action": "sometimes"}, "disabledTools": []});
    let response = common::client()
        .put(format!("{}{path}", server.base_url()))
        .bearer_auth(common::ANY_TOKEN)
        .json(&bad)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
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
