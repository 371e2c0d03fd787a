mod common;

use std::time::Duration;

use common::{events_of, get, invoke, post, start};
use port_mock::{ErrorShape, Fault};
use serde_json::{json, Value};

async fn rate_limited_once(shape: ErrorShape, status: u16) -> (reqwest::header::HeaderMap, Value) {
    let server = start().await;
    server.push_fault(Fault::RateLimited {
        shape,
        status,
        retry_after_secs: 42,
    });
    let response = invoke(&server, "hello").await;
    assert_eq!(response.status().as_u16(), status);
    let headers = response.headers().clone();
    let body = response.json().await.expect("json");
    // Consumed: normal service resumes.
    let next = invoke(&server, "hello").await;
    assert_eq!(next.status(), 200);
    assert_eq!(
        events_of(next).await.last().map(|e| e.name.clone()),
        Some("done".into())
    );
    assert_eq!(server.invocation_count(), 1);
    (headers, body)
}

#[tokio::test]
async fn rate_limits_in_every_shape_are_one_shot() {
    let (headers, body) = rate_limited_once(ErrorShape::RateLimitType, 429).await;
    assert_eq!(body["type"], json!("RATE_LIMIT_ERROR"));
    assert_eq!(body["retryAfter"], json!(42));
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    let reset: u64 = headers["x-ratelimit-reset"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("epoch");
    assert!(reset > 1_700_000_000);

    let (_, body) = rate_limited_once(ErrorShape::OkFalseString, 400).await;
    assert_eq!(body["ok"], json!(false));
    assert_eq!(body["error"], json!("rate_limit_exceeded"));
    assert!(body["message"].is_string());

    let (_, body) = rate_limited_once(ErrorShape::OkFalseObject, 403).await;
    assert_eq!(body["error"]["name"], json!("RateLimitExceededError"));

    let (_, body) = rate_limited_once(ErrorShape::QuotaType, 500).await;
    assert_eq!(body["type"], json!("QUOTA_ERROR"));
}

#[tokio::test]
async fn quota_faults_carry_the_reset_date() {
    let server = start().await;
    for shape in [
        ErrorShape::QuotaType,
        ErrorShape::OkFalseString,
        ErrorShape::OkFalseObject,
    ] {
        server.push_fault(Fault::QuotaExceeded {
            shape,
            status: 403,
            reset_date: "2026-02-01T00:00:00.000Z".into(),
        });
    }
    let mut bodies = Vec::new();
    for _ in 0..3 {
        let body: Value = invoke(&server, "hi").await.json().await.expect("json");
        bodies.push(body);
    }
    assert_eq!(bodies[0]["resetDate"], json!("2026-02-01T00:00:00.000Z"));
    assert_eq!(bodies[1]["error"], json!("quota_exceeded"));
    assert_eq!(bodies[2]["error"]["name"], json!("QuotaExceededError"));
}

#[tokio::test]
async fn http_error_and_path_faults_answer_once() {
    let server = start().await;
    server.push_fault(Fault::HttpError {
        status: 502,
        body: json!({"ok": false, "error": "bad_gateway"}),
    });
    let response = invoke(&server, "hi").await;
    assert_eq!(response.status(), 502);
    assert!(response.headers().contains_key("x-trace-id"));

    server.push_path_fault(
        "/v1/llm-providers",
        500,
        json!({"ok": false, "error": "boom"}),
    );
    assert_eq!(
        get(&server, "/v1/llm-providers/defaults").await.status(),
        200
    );
    assert_eq!(get(&server, "/v1/llm-providers").await.status(), 500);
    assert_eq!(get(&server, "/v1/llm-providers").await.status(), 200);
}

#[tokio::test]
async fn raw_stream_bytes_arrive_exactly() {
    let server = start().await;
    // A boundary inside "é" (0xC3 0xA9) and one between \r and \n.
    let chunks = vec![
        b"event: execution\r".to_vec(),
        b"\ndata: caf\xC3".to_vec(),
        b"\xA9\r\n\r\n".to_vec(),
    ];
    server.push_fault(Fault::RawStream {
        chunks: chunks.clone(),
        chunk_delay: Duration::from_millis(5),
    });
    let response = invoke(&server, "hi").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/event-stream; charset=utf-8"
    );
    let body = response.bytes().await.expect("body");
    assert_eq!(body.to_vec(), chunks.concat());
}

#[tokio::test]
async fn accepted_invocations_complete_through_polling() {
    let server = start().await;
    server.push_fault(Fault::Accepted);
    let response = invoke(&server, "Which services need attention?").await;
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.expect("json");
    let id = body["invocation"]["identifier"]
        .as_str()
        .expect("id")
        .to_owned();

    let path = format!("/v1/ai/invoke/{id}");
    let mut statuses = Vec::new();
    let mut last = Value::Null;
    for _ in 0..3 {
        last = get(&server, &path).await.json().await.expect("json");
        statuses.push(
            last["result"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(statuses, ["In Progress", "In Progress", "Completed"]);
    assert_eq!(last["result"]["invocationIdentifier"], json!(id));
    assert!(last["result"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("payments-api")));
    assert_eq!(get(&server, "/v1/ai/invoke/inv_nope").await.status(), 404);
}

#[tokio::test]
async fn agents_without_stream_answer_202() {
    let server = start().await;
    let response = post(
        &server,
        "/v1/agent/service_explorer/invoke",
        &json!({"prompt": "hi"}),
    )
    .await;
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.expect("json");
    let id = body["invocation"]["identifier"].as_str().expect("id");
    let poll: Value = get(&server, &format!("/v1/ai/invoke/{id}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(poll["result"]["status"], json!("In Progress"));
    assert_eq!(poll["result"]["selectedAgent"], json!("service_explorer"));
}

#[tokio::test]
async fn stream_faults_shape_one_stream() {
    let server = start().await;
    server.push_fault(Fault::UnknownEvents);
    let events = events_of(invoke(&server, "hi").await).await;
    assert!(events.iter().any(|e| e.name == "agentSelection"));
    let events = events_of(invoke(&server, "hi").await).await;
    assert!(!events.iter().any(|e| e.name == "agentSelection"));

    server.push_fault(Fault::DisconnectAfter { events: 2 });
    let text = invoke(&server, "hi").await.text().await;
    assert!(text.is_err(), "the body must end abruptly");

    server.push_fault(Fault::Slow {
        delay: Duration::from_millis(10),
    });
    let started = std::time::Instant::now();
    let events = events_of(invoke(&server, "[bench-answer 20]").await).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(events.len(), 22);
}

#[tokio::test]
async fn recorder_captures_requests_before_handling() {
    let server = start().await;
    let body = json!({"userPrompt": "hi", "tools": ["^list_.*"], "labels": {"source": "test"}});
    post(&server, "/v1/ai/invoke?invocation_identifier=abc", &body)
        .await
        .text()
        .await
        .ok();
    let unauthorized = common::client()
        .get(format!("{}/v1/llm-providers", server.base_url()))
        .send()
        .await
        .expect("sent");
    assert_eq!(unauthorized.status(), 401);

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/v1/ai/invoke");
    assert_eq!(
        requests[0].query.as_deref(),
        Some("invocation_identifier=abc")
    );
    assert_eq!(requests[0].json(), Some(body));
    assert_eq!(
        requests[0].header("AUTHORIZATION"),
        Some("Bearer test-token")
    );
    assert_eq!(requests[1].header("authorization"), None);
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn shutdown_is_graceful() {
    let server = start().await;
    let base = server.base_url();
    server.shutdown().await;
    assert!(common::client().get(&base).send().await.is_err());
}
