//! Injected faults: error bodies in every shape, dropped connections, expired tokens, slow streams
//! with cancellation, and the 202 polling path.

mod common;

use std::time::{Duration, Instant};

use common::*;
use port_api::{CancellationToken, ErrorCode, InvokeRequest};
use port_mock::{ErrorShape, Fault};

#[tokio::test]
async fn rate_limits_in_every_shape_and_status() {
    let server = server().await;
    let client = token_client(&server, "t");
    let cases = [
        (ErrorShape::RateLimitType, 429),
        (ErrorShape::RateLimitType, 200),
        (ErrorShape::OkFalseString, 429),
        (ErrorShape::OkFalseObject, 403),
    ];
    for (shape, status) in cases {
        server.push_fault(Fault::RateLimited {
            shape: shape.clone(),
            status,
            retry_after_secs: 37,
        });
        let run = run(&client, &general("hi")).await;
        let err = run
            .error
            .unwrap_or_else(|| panic!("{shape:?}/{status}: no error"));
        assert_eq!(
            err.code,
            ErrorCode::RateLimited,
            "{shape:?}/{status}: {err:?}"
        );
        let wait = err.retry_after_secs.expect("retry after");
        assert!((36..=37).contains(&wait), "{shape:?}/{status}: {wait}");
        assert!(err.trace_id.is_some(), "trace id kept");
        assert!(run.events.is_empty());
    }
    // Service resumes after the one-shot faults.
    assert!(run(&client, &general("hi")).await.error.is_none());
}

#[tokio::test]
async fn quota_errors_in_every_shape() {
    let server = server().await;
    let client = token_client(&server, "t");
    for (shape, status) in [
        (ErrorShape::QuotaType, 403),
        (ErrorShape::QuotaType, 429),
        (ErrorShape::OkFalseString, 402),
        (ErrorShape::OkFalseObject, 400),
    ] {
        server.push_fault(Fault::QuotaExceeded {
            shape: shape.clone(),
            status,
            reset_date: "2026-12-01T00:00:00.000Z".into(),
        });
        let err = run(&client, &general("hi")).await.error.expect("error");
        assert_eq!(
            err.code,
            ErrorCode::QuotaExceeded,
            "{shape:?}/{status}: {err:?}"
        );
        assert_eq!(err.status, Some(status));
        if matches!(shape, ErrorShape::QuotaType) {
            assert_eq!(err.reset_date.as_deref(), Some("2026-12-01T00:00:00.000Z"));
        }
    }
}

#[tokio::test]
async fn other_errors_map_to_stable_codes() {
    let server = server().await;
    let client = token_client(&server, "t");
    let cases = [
        (
            500,
            serde_json::json!({"ok": false, "error": "internal_error", "message": "boom"}),
            ErrorCode::ServerError,
        ),
        (
            404,
            serde_json::json!({"ok": false, "error": "not_found", "message": "no"}),
            ErrorCode::NotFound,
        ),
        (
            422,
            serde_json::json!({"ok": false, "error": "invalid_request", "message": "bad"}),
            ErrorCode::InvalidRequest,
        ),
        (
            400,
            serde_json::json!({"ok": false, "error": {"name": "LLMProviderNotFoundError", "message": "no provider"}}),
            ErrorCode::NotFound,
        ),
    ];
    for (status, body, code) in cases {
        server.push_fault(Fault::HttpError {
            status,
            body: body.clone(),
        });
        let err = run(&client, &general("hi")).await.error.expect("error");
        assert_eq!(err.code, code, "{body}");
        assert!(!err.message.is_empty());
    }
}

#[tokio::test]
async fn unknown_agent_is_not_found() {
    let server = server().await;
    let client = token_client(&server, "t");
    let err = run(&client, &InvokeRequest::agent("no-such-agent", "hi"))
        .await
        .error
        .expect("error");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn disconnect_mid_stream_is_interrupted_and_keeps_what_arrived() {
    let server = server().await;
    server.push_fault(Fault::DisconnectAfter { events: 4 });
    let client = token_client(&server, "t");
    let run = run(&client, &general("hi")).await;
    let err = run.error.expect("interrupted");
    assert_eq!(err.code, ErrorCode::StreamInterrupted, "{err:?}");
    assert!(!run.events.is_empty(), "events before the cut are kept");
    assert!(!run.transcript.saw_done);
}

#[tokio::test]
async fn cancelling_a_slow_stream_stops_at_once() {
    let server = server().await;
    server.push_fault(Fault::Slow {
        delay: Duration::from_secs(2),
    });
    let client = token_client(&server, "t");
    let cancel = CancellationToken::new();
    let mut stream = client
        .invoke(&general("hi"), cancel.clone())
        .await
        .expect("stream");
    let first = stream.next_event().await.expect("an event").expect("ok");
    assert!(
        matches!(first, port_api::InvokeEvent::InvocationId { .. }),
        "{first:?}"
    );
    let started = Instant::now();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        canceller.cancel();
    });
    let err = loop {
        match stream.next_event().await {
            Some(Ok(_)) => continue,
            Some(Err(err)) => break err,
            None => panic!("ended without the cancellation error"),
        }
    };
    assert_eq!(err.code, ErrorCode::Cancelled);
    // Well under the 2 s the next event would have taken.
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(stream.next_event().await.is_none());
}

#[tokio::test]
async fn cancelling_before_the_response_returns_cancelled() {
    let server = server().await;
    let client = token_client(&server, "t");
    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = client
        .invoke(&general("hi"), cancel)
        .await
        .expect_err("cancelled");
    assert_eq!(err.code, ErrorCode::Cancelled);
}

#[tokio::test]
async fn client_secret_is_exchanged_cached_and_refreshed_once_on_401() {
    let server = server().await;
    let client = secret_client(&server);
    assert!(run(&client, &general("one")).await.error.is_none());
    assert!(run(&client, &general("two")).await.error.is_none());
    let exchanges = |s: &port_mock::MockServer| {
        s.requests()
            .iter()
            .filter(|r| r.path == "/v1/auth/access_token")
            .count()
    };
    assert_eq!(exchanges(&server), 1, "the token is cached");

    server.expire_tokens();
    let run3 = run(&client, &general("three")).await;
    assert!(run3.error.is_none(), "{:?}", run3.error);
    assert_eq!(exchanges(&server), 2, "refreshed once after the 401");

    // The token exchange sent the credentials; nothing else did.
    let requests = server.requests();
    let exchange = requests
        .iter()
        .find(|r| r.path == "/v1/auth/access_token")
        .unwrap();
    assert_eq!(exchange.json().unwrap()["clientId"], "demo-client-id");
    let secret = port_mock::MockConfig::default().client_secret;
    for r in requests
        .iter()
        .filter(|r| r.path != "/v1/auth/access_token")
    {
        assert!(!r.body.contains(&secret));
        assert!(r.headers.iter().all(|(_, v)| !v.contains(&secret)));
    }
}

#[tokio::test]
async fn wrong_client_secret_is_auth_failed() {
    let server = server().await;
    let base = port_api::ApiBase::custom(&server.base_url()).unwrap();
    let client = port_api::PortClient::new(
        base,
        port_api::Credentials::client_secret("demo-client-id", "wrong"),
    )
    .unwrap();
    let err = client.authenticate().await.expect_err("rejected");
    assert_eq!(err.code, ErrorCode::AuthFailed);
    assert!(!err.message.contains("wrong"), "the secret is not echoed");
}

#[tokio::test]
async fn expired_raw_token_is_auth_failed_with_advice() {
    let server = server().await;
    server.revoke_token("old-token");
    let client = token_client(&server, "old-token");
    let err = run(&client, &general("hi")).await.error.expect("error");
    assert_eq!(err.code, ErrorCode::AuthFailed);
    assert!(err.message.contains("3 hours"), "{}", err.message);
    let err = client.monthly_quota().await.expect_err("error");
    assert_eq!(err.code, ErrorCode::AuthFailed);
}

#[tokio::test]
async fn accepted_202_is_followed_by_polling() {
    let server = server().await;
    server.push_fault(Fault::Accepted);
    let client = token_client(&server, "t");
    let run = run(&client, &general("What services do we have?")).await;
    assert!(run.error.is_none(), "{:?}", run.error);
    let id = run.transcript.invocation_id.clone().expect("id");
    assert!(!run.transcript.answer.is_empty());
    assert!(run.transcript.saw_done);
    let polls = server
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == format!("/v1/ai/invoke/{id}"))
        .count();
    assert!(polls >= 3, "polled {polls} times");
}

#[tokio::test]
async fn network_failure_is_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let base = port_api::ApiBase::custom(&format!("http://{addr}")).unwrap();
    let client = port_api::PortClient::new(base, port_api::Credentials::access_token("t")).unwrap();
    let err = client.monthly_quota().await.expect_err("no server");
    assert_eq!(err.code, ErrorCode::Network);
}
