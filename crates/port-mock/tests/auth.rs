mod common;

use common::{client, get, start, start_with};
use port_mock::MockConfig;
use serde_json::{json, Value};

async fn ask_token(base: &str, body: Value) -> reqwest::Response {
    client()
        .post(format!("{base}/v1/auth/access_token"))
        .json(&body)
        .send()
        .await
        .expect("request sent")
}

fn credentials() -> Value {
    json!({"clientId": "demo-client-id", "clientSecret": "demo-client-secret"})
}

async fn bearer_get(base: &str, token: &str) -> reqwest::Response {
    client()
        .get(format!("{base}/v1/quota/ai-invocations"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request sent")
}

#[tokio::test]
async fn issues_and_reuses_one_token_per_credential_set() {
    let server = start().await;
    let first: Value = ask_token(&server.base_url(), credentials())
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(first["ok"], json!(true));
    assert_eq!(first["tokenType"], json!("Bearer"));
    assert_eq!(first["expiresIn"], json!(10_800));
    let token = first["accessToken"].as_str().expect("token");
    assert!(!token.contains("secret") && !token.contains("demo-client"));

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let second: Value = ask_token(&server.base_url(), credentials())
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(second["accessToken"].as_str(), Some(token));
    assert!(second["expiresIn"].as_u64() < first["expiresIn"].as_u64());
    assert_eq!(bearer_get(&server.base_url(), token).await.status(), 200);
}

#[tokio::test]
async fn rejects_bad_credentials_and_unknown_fields() {
    let server = start().await;
    let wrong = json!({"clientId": "demo-client-id", "clientSecret": "nope"});
    let response = ask_token(&server.base_url(), wrong).await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], json!("invalid_credentials"));

    let mut extra = credentials();
    extra["scope"] = json!("all");
    assert_eq!(ask_token(&server.base_url(), extra).await.status(), 422);
}

#[tokio::test]
async fn requires_a_bearer_token() {
    let server = start().await;
    let response = client()
        .get(format!("{}/v1/llm-providers", server.base_url()))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body,
        json!({"ok": false, "error": "unauthorized", "message": body["message"]})
    );
    assert!(body["message"].is_string());
    assert_eq!(get(&server, "/v1/llm-providers").await.status(), 200);
}

#[tokio::test]
async fn expired_tokens_are_refused_and_replaced() {
    let server = start().await;
    let base = server.base_url();
    let old: Value = ask_token(&base, credentials())
        .await
        .json()
        .await
        .expect("json");
    let old = old["accessToken"].as_str().expect("token").to_owned();
    server.expire_tokens();

    let refused = bearer_get(&base, &old).await;
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["error"], json!("token_expired"));

    let new: Value = ask_token(&base, credentials())
        .await
        .json()
        .await
        .expect("json");
    let new = new["accessToken"].as_str().expect("token");
    assert_ne!(new, old);
    assert_eq!(bearer_get(&base, new).await.status(), 200);
}

#[tokio::test]
async fn tokens_expire_after_their_ttl() {
    let server = start_with(MockConfig {
        token_ttl_secs: 0,
        ..MockConfig::default()
    })
    .await;
    let issued: Value = ask_token(&server.base_url(), credentials())
        .await
        .json()
        .await
        .expect("json");
    let token = issued["accessToken"].as_str().expect("token");
    assert_eq!(bearer_get(&server.base_url(), token).await.status(), 401);
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let server = start().await;
    server.revoke_token("leaked");
    let response = bearer_get(&server.base_url(), "leaked").await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], json!("unauthorized"));
}

#[tokio::test]
async fn every_response_carries_a_counting_trace_id() {
    let server = start().await;
    let first = get(&server, "/v1/llm-providers").await;
    assert_eq!(first.headers()["x-trace-id"], "mock-trace-000001");
    let missing = get(&server, "/v1/nowhere").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["x-trace-id"], "mock-trace-000002");
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let server = start().await;
    let prompt = "x".repeat((1 << 20) + 10);
    let response = common::invoke(&server, &prompt).await;
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], json!("payload_too_large"));
    assert_eq!(server.invocation_count(), 0);
}
