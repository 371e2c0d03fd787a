mod common;

use std::time::{Duration, Instant};

use common::{answer_of, events_of, invoke, post, start, Event};
use serde_json::{json, Value};

fn names(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.name.as_str()).collect()
}

#[tokio::test]
async fn default_stream_interleaves_tool_call_chunks() {
    let server = start().await;
    let response = invoke(&server, "Which services need attention?").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/event-stream; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["x-ratelimit-remaining"], "199");
    assert!(headers.contains_key("x-ratelimit-reset"));
    let events = events_of(response).await;

    assert_eq!(events[0].name, "invocationIdentifier");
    assert_eq!(events[0].data, "inv_000001");
    let calls: Vec<Value> = events
        .iter()
        .filter(|e| e.name == "tool_call")
        .map(Event::json)
        .collect();
    let ids: Vec<&str> = calls[..5].iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["call_0", "call_1", "call_0", "call_1", "call_0"]);
    let last_flags: Vec<bool> = calls[..5]
        .iter()
        .map(|c| c.get("lastChunk").is_some())
        .collect();
    assert_eq!(last_flags, [false, false, false, true, true]);
    assert_eq!(calls[0]["name"], json!("list_entities"));
    assert!(calls[2].get("name").is_none());
    let args: String = calls[..5]
        .iter()
        .filter(|c| c["id"] == "call_0")
        .filter_map(|c| c["arguments"].as_str())
        .collect();
    let args: Value = serde_json::from_str(&args).expect("arguments join into JSON");
    assert_eq!(args["blueprintIdentifier"], json!("service"));
    // Port's own single-chunk style: no lastChunk at all.
    assert!(calls[5].get("lastChunk").is_none() && calls[5]["name"].is_string());

    let answer = answer_of(&events);
    assert!(answer.starts_with("## Service catalog overview\n\n"));
    assert!(answer.contains("| checkout-web | Storefront | 1 | ⚠️ Degraded |\n"));

    let done = events.last().expect("events");
    assert_eq!(done.name, "done");
    let done = done.json();
    assert_eq!(done["monthlyQuotaUsage"]["remainingQuota"], json!(499));
    assert_eq!(done["rateLimitUsage"]["remainingRequests"], json!(199));
    assert_eq!(
        done["monthlyQuotaUsage"]["month"].as_str().map(str::len),
        Some(7)
    );
}

#[tokio::test]
async fn figures_fall_with_each_invocation() {
    let server = start().await;
    events_of(invoke(&server, "first").await).await;
    let events = events_of(invoke(&server, "second").await).await;
    let done = events.last().expect("done").json();
    assert_eq!(done["monthlyQuotaUsage"]["remainingQuota"], json!(498));
    let quota: Value = common::get(&server, "/v1/quota/ai-invocations")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(quota["monthlyQuotaUsage"]["remainingQuota"], json!(498));
    assert_eq!(server.invocation_count(), 2);
}

#[tokio::test]
async fn incident_prompts_draft_an_action_for_review() {
    let server = start().await;
    let events = events_of(invoke(&server, "Open an incident for checkout-web").await).await;
    let run_action = events
        .iter()
        .filter(|e| e.name == "tool_call")
        .map(Event::json)
        .find(|c| c["name"] == "run_action");
    assert!(run_action.is_some());
    let answer = answer_of(&events);
    assert!(answer.contains("[Review in Port](https://app.port.io/self-serve?runId=r_000001)"));
}

#[tokio::test]
async fn output_schema_gets_a_json_answer() {
    let server = start().await;
    let schema = json!({"type": "object", "properties": {
        "serviceName": {"type": "string"},
        "dependencies": {"type": "array", "items": {"type": "string"}}
    }});
    let body = json!({"userPrompt": "Analyze payments-api", "tools": [], "outputSchema": schema});
    let events = events_of(post(&server, "/v1/ai/invoke", &body).await).await;
    assert!(events.iter().filter(|e| e.name == "execution").count() > 1);
    let answer: Value = serde_json::from_str(&answer_of(&events)).expect("answer is JSON");
    assert!(answer["serviceName"].is_string() && answer["dependencies"].is_array());
}

#[tokio::test]
async fn bench_answer_sends_n_chunks_without_delay() {
    let server = start().await;
    server.set_event_delay(Duration::from_millis(200));
    let started = Instant::now();
    let events = events_of(invoke(&server, "[bench-answer 500]").await).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(events.iter().filter(|e| e.name == "execution").count(), 500);
    assert!(!events.iter().any(|e| e.name == "tool_call"));
    assert!(answer_of(&events).ends_with("tok499 "));
}

#[tokio::test]
async fn bench_tool_result_sends_exact_byte_counts() {
    let server = start().await;
    let events = events_of(invoke(&server, "[bench-tool-result 100000 8192]").await).await;
    let results: Vec<Value> = events
        .iter()
        .filter(|e| e.name == "tool_result")
        .map(Event::json)
        .collect();
    assert_eq!(results.len(), 13);
    let bytes: usize = results
        .iter()
        .filter_map(|r| r["content"].as_str())
        .map(str::len)
        .sum();
    assert_eq!(bytes, 100_000);
    let flagged: Vec<bool> = results
        .iter()
        .map(|r| r.get("lastChunk").is_some())
        .collect();
    assert_eq!(flagged.iter().filter(|f| **f).count(), 1);
    assert_eq!(flagged.last(), Some(&true));
    assert_eq!(events.last().map(|e| e.name.as_str()), Some("done"));
}

#[tokio::test]
async fn markers_shape_the_stream() {
    let server = start().await;
    let unknown = events_of(invoke(&server, "hello [unknown]").await).await;
    for name in ["agentSelection", "plan", "checkIfActionRequested"] {
        assert!(names(&unknown).contains(&name), "{name} missing");
    }
    let malformed = events_of(invoke(&server, "hello [malformed]").await).await;
    let bad_call = malformed
        .iter()
        .filter(|e| e.name == "tool_call")
        .find(|e| serde_json::from_str::<Value>(&e.data).is_err());
    assert!(bad_call.is_some());
    let done = malformed.last().expect("done");
    assert_eq!(done.name, "done");
    assert!(serde_json::from_str::<Value>(&done.data).is_err());

    let long = events_of(invoke(&server, "report [long]").await).await;
    assert_eq!(long.iter().filter(|e| e.name == "execution").count(), 200);

    let response = invoke(&server, "hello [rate-limit]").await;
    assert_eq!(response.status(), 429);
    let response = invoke(&server, "hello [quota]").await;
    assert_eq!(response.status(), 403);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["type"], json!("QUOTA_ERROR"));
}

#[tokio::test]
async fn disconnect_marker_cuts_the_stream_before_done() {
    let server = start().await;
    let mut response = invoke(&server, "hello [disconnect]").await;
    let mut text = Vec::new();
    let outcome = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => text.extend_from_slice(&chunk),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    assert!(outcome.is_err(), "the body must not end cleanly");
    let events = common::parse_sse(&String::from_utf8_lossy(&text));
    assert_eq!(events.len(), 4);
    assert!(!events.iter().any(|e| e.name == "done"));
    let entities: Value = common::get(&server, "/v1/blueprints/_ai_invocations/entities")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        entities["entities"][0]["properties"]["status"],
        json!("Failed")
    );
}

#[tokio::test]
async fn invalid_bodies_get_422() {
    let server = start().await;
    let cases = [
        json!({"userPrompt": "hi"}),
        json!({"userPrompt": "hi", "tools": [], "temperature": 0.2}),
        json!({"userPrompt": 5, "tools": []}),
        json!({"userPrompt": "hi", "tools": [], "provider": "port"}),
        json!({"userPrompt": "hi", "tools": [], "executionMode": "Sometimes"}),
        json!({"userPrompt": "hi", "tools": [], "outputSchema": {"type": "array"}}),
        json!({"userPrompt": "hi", "tools": [], "mcpServers": [
            {"identifier": "a"}, {"identifier": "b"}, {"identifier": "c"},
            {"identifier": "d"}, {"identifier": "e"}, {"identifier": "f"}]}),
        json!({"userPrompt": "hi", "tools": [], "toolApprovalOverrides": {"run_action": "never"}}),
    ];
    for body in cases {
        let response = post(&server, "/v1/ai/invoke", &body).await;
        assert_eq!(response.status(), 422, "{body}");
        let error: Value = response.json().await.expect("json");
        assert_eq!(error["error"], json!("invalid_request"));
    }
    // Port's docs send `prompt` to the general endpoint: accepted as an alias.
    let alias = json!({"prompt": "hi", "tools": []});
    assert_eq!(post(&server, "/v1/ai/invoke", &alias).await.status(), 200);
}

#[tokio::test]
async fn disabled_providers_are_refused_by_name() {
    let server = start().await;
    let body = json!({"userPrompt": "hi", "tools": [], "provider": "openai", "model": "gpt-5"});
    let response = post(&server, "/v1/ai/invoke", &body).await;
    assert!(response.status().is_client_error());
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["error"]["name"], json!("LLMProviderNotFoundError"));
    let body = json!({"userPrompt": "hi", "tools": [], "provider": "port",
        "model": "claude-sonnet-4-20250514"});
    let error: Value = post(&server, "/v1/ai/invoke", &body)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        error["error"]["name"],
        json!("LLMProviderModelNotEnabledError")
    );
}

#[tokio::test]
async fn agents_stream_and_refuse_general_only_fields() {
    let server = start().await;
    let path = "/v1/agent/service_explorer/invoke?stream=true";
    let events =
        events_of(post(&server, path, &json!({"prompt": "Who owns payments-api?"})).await).await;
    assert_eq!(events.last().map(|e| e.name.as_str()), Some("done"));

    let with_tools = json!({"prompt": "hi", "tools": [".*"]});
    assert_eq!(post(&server, path, &with_tools).await.status(), 422);
    let unknown = post(
        &server,
        "/v1/agent/nobody/invoke?stream=true",
        &json!({"prompt": "x"}),
    )
    .await;
    assert_eq!(unknown.status(), 404);
    let inactive = "/v1/agent/cost_reporter/invoke?stream=true";
    assert_eq!(
        post(&server, inactive, &json!({"prompt": "x"}))
            .await
            .status(),
        400
    );
}
