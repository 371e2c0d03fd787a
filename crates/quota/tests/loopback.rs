//! Scripted quota sequences from port-mock over loopback, recorded in a real history file: falling
//! figures, an exhausted window, each error shape, and an organisation on its own LLM provider.

use history::HistoryStore;
use port_api::{
    ApiBase, CancellationToken, Credentials, ErrorCode, InvokeEvent, InvokeRequest, PortClient,
    PortError,
};
use port_mock::{ErrorShape, Fault, MockConfig, MockServer};
use quota::{guarded, Clock, Decision, ManualClock, Policy, QuotaBook, SystemClock, WaitReason};
use serde_json::json;

async fn start(config: MockConfig) -> (MockServer, PortClient) {
    let server = MockServer::start(config).await.unwrap();
    let client = PortClient::new(
        ApiBase::custom(&server.base_url()).unwrap(),
        Credentials::access_token("t"),
    )
    .unwrap();
    (server, client)
}

fn book() -> (tempfile::TempDir, QuotaBook) {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open_in(dir.path()).unwrap();
    (dir, QuotaBook::new(store))
}

/// One invocation through the limiter, its `done` figures and headers recorded as the app and
/// the CLI do.
async fn invoke(
    book: &QuotaBook,
    client: &PortClient,
    clock: &dyn Clock,
    wait: bool,
) -> Result<(), PortError> {
    let request = &InvokeRequest::general("What services do we have?");
    guarded(
        Some(book),
        "work",
        clock,
        &Policy::default(),
        wait,
        &CancellationToken::new(),
        None,
        |_| {},
        move || async move {
            let mut stream = client.invoke(request, CancellationToken::new()).await?;
            let headers = stream.rate_limit_headers().clone();
            while let Some(event) = stream.next_event().await {
                if let InvokeEvent::Done {
                    rate_limit_usage,
                    monthly_quota_usage,
                    data,
                } = event?
                {
                    let now = SystemClock.now_ms();
                    if rate_limit_usage.is_none() {
                        book.record_headers("work", &headers, now).unwrap();
                    }
                    book.record_done(
                        "work",
                        rate_limit_usage.as_ref(),
                        monthly_quota_usage.as_ref(),
                        &data,
                        now,
                    )
                    .unwrap();
                }
            }
            Ok(())
        },
    )
    .await
}

fn invocations_sent(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/ai/invoke")
        .count()
}

#[tokio::test]
async fn falling_figures_are_recorded_and_an_exhausted_window_holds_the_next_invocation() {
    let (server, client) = start(MockConfig::default()).await;
    let (_dir, book) = book();
    let figures = |left: u64, tokens: u64| {
        json!({
            "rateLimitUsage": {"maxRequests": 20, "remainingRequests": left, "maxTokens": 50000,
                               "remainingTokens": tokens, "remainingTimeMs": 50_000},
            "monthlyQuotaUsage": {"monthlyLimit": 500, "remainingQuota": 400 - left, "month": "2026-12",
                                  "remainingTimeMs": 864_000_000u64},
            "futureField": true
        })
    };
    server.script_quota([figures(10, 30_000), figures(4, 9_000), figures(0, 1_000)]);
    let clock = SystemClock;
    let mut seen = Vec::new();
    for _ in 0..3 {
        invoke(&book, &client, &clock, false).await.unwrap();
        let now = clock.now_ms();
        let f = book.figures("work", now).unwrap();
        let w = f.window.unwrap();
        seen.push((
            w.remaining_requests,
            w.remaining_tokens,
            f.monthly.unwrap().remaining,
        ));
    }
    assert_eq!(
        seen,
        vec![
            (Some(10.0), Some(30_000.0), Some(390.0)),
            (Some(4.0), Some(9_000.0), Some(396.0)),
            (Some(0.0), Some(1_000.0), Some(400.0)),
        ]
    );
    // What Port sent is kept whole, the field this version does not know included.
    let raw = book
        .store()
        .latest_quota_snapshot("work", history::SnapshotKind::Any)
        .unwrap()
        .unwrap()
        .raw
        .unwrap();
    assert!(raw.contains("futureField"), "{raw}");

    let decision = book
        .decide("work", clock.now_ms(), &Policy::default())
        .unwrap();
    assert!(matches!(
        decision,
        Decision::Wait {
            reason: WaitReason::WindowExhausted,
            ..
        }
    ));
    let before = invocations_sent(&server);
    let err = invoke(&book, &client, &clock, false).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert!(err.message.contains("nothing was sent"), "{}", err.message);
    assert_eq!(
        invocations_sent(&server),
        before,
        "port-mock received nothing"
    );

    // Waiting with a manual clock goes through at the reset, and the figures come back.
    let manual = ManualClock::at(clock.now_ms());
    invoke(&book, &client, &manual, true).await.unwrap();
    assert_eq!(invocations_sent(&server), before + 1);
    assert!(manual.slept().as_secs() >= 45, "{:?}", manual.slept());
}

#[tokio::test]
async fn the_mock_refuses_once_its_window_is_used_up_and_the_refusal_is_learnt() {
    let (server, client) = start(MockConfig {
        rate_max_requests: 2,
        ..MockConfig::default()
    })
    .await;
    let (_dir, book) = book();
    let clock = SystemClock;
    invoke(&book, &client, &clock, false).await.unwrap();
    invoke(&book, &client, &clock, false).await.unwrap();
    // The figures already say so: the limiter holds the third without asking Port.
    let err = invoke(&book, &client, &clock, false).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert_eq!(invocations_sent(&server), 2);

    // A limiter that did not know (figures wiped) meets Port's refusal and learns from it.
    let (_dir2, fresh) = self::book();
    let err = invoke(&fresh, &client, &clock, false).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert!(err.retry_after_secs.is_some_and(|s| (1..=60).contains(&s)));
    assert_eq!(invocations_sent(&server), 3);
    let state = fresh.limiter_state("work").unwrap().unwrap();
    assert_eq!(state.kind, "rate_limited");
    invoke(&fresh, &client, &clock, false).await.unwrap_err();
    assert_eq!(
        invocations_sent(&server),
        3,
        "the learnt refusal sends nothing"
    );
}

#[tokio::test]
async fn every_error_shape_is_learnt_as_the_right_limit() {
    let (server, client) = start(MockConfig::default()).await;
    let shapes = [
        ErrorShape::RateLimitType,
        ErrorShape::QuotaType,
        ErrorShape::OkFalseString,
        ErrorShape::OkFalseObject,
    ];
    for shape in shapes {
        // The typed shapes say which limit they are; the `ok: false` ones carry either.
        let limits: &[bool] = match shape {
            ErrorShape::RateLimitType => &[true],
            ErrorShape::QuotaType => &[false],
            _ => &[true, false],
        };
        for &rate in limits {
            let (_dir, book) = book();
            server.push_fault(if rate {
                Fault::RateLimited {
                    shape: shape.clone(),
                    status: 429,
                    retry_after_secs: 12,
                }
            } else {
                Fault::QuotaExceeded {
                    shape: shape.clone(),
                    status: 403,
                    reset_date: "2027-01-01T00:00:00.000Z".into(),
                }
            });
            let err = invoke(&book, &client, &SystemClock, false)
                .await
                .unwrap_err();
            let state = book.limiter_state("work").unwrap().expect("learnt");
            let expected = if rate {
                "rate_limited"
            } else {
                "quota_exceeded"
            };
            assert_eq!(state.kind, expected, "{shape:?} rate={rate}: {err:?}");
            let sent = invocations_sent(&server);
            let again = invoke(&book, &client, &SystemClock, false)
                .await
                .unwrap_err();
            assert_eq!(invocations_sent(&server), sent, "{shape:?}: nothing sent");
            let code = if rate {
                ErrorCode::RateLimited
            } else {
                ErrorCode::QuotaExceeded
            };
            assert_eq!(again.code, code);
        }
    }
}

#[tokio::test]
async fn an_org_on_its_own_llm_provider_has_no_port_limits() {
    let (_server, client) = start(MockConfig {
        own_llm_provider: true,
        ..MockConfig::default()
    })
    .await;
    let (_dir, book) = book();
    for _ in 0..3 {
        invoke(&book, &client, &SystemClock, false).await.unwrap();
    }
    let monthly = client.quota_status().await.unwrap();
    assert_eq!(monthly, None);
    book.record_endpoint("work", monthly.as_ref(), SystemClock.now_ms())
        .unwrap();
    let figures = book.figures("work", SystemClock.now_ms()).unwrap();
    assert!(figures.own_provider);
    assert!(figures.window.is_none() && figures.monthly.is_none());
    assert_eq!(figures.decision, Decision::Go);
}

#[tokio::test]
async fn the_quota_endpoint_and_done_agree_and_thresholds_fire_once_per_window() {
    let (_server, client) = start(MockConfig {
        rate_max_requests: 10,
        ..MockConfig::default()
    })
    .await;
    let (_dir, book) = book();
    let mut prefs = book.preferences().unwrap();
    prefs.warn_requests_percent = Some(80.0);
    book.set_preferences(&prefs).unwrap();
    let mut fired = Vec::new();
    for _ in 0..4 {
        invoke(&book, &client, &SystemClock, false).await.unwrap();
        fired.extend(book.new_alerts("work", SystemClock.now_ms()).unwrap());
    }
    // 9, 8 (80 %: fires), 7, 6 left: once in this window.
    let calls: Vec<_> = fired.iter().filter(|a| a.metric == "requests").collect();
    assert_eq!(calls.len(), 1, "{fired:?}");
    assert!(
        calls[0].message.starts_with("8 of 10 LLM calls"),
        "{}",
        calls[0].message
    );

    let endpoint = client.monthly_quota().await.unwrap();
    book.record_endpoint("work", Some(&endpoint), SystemClock.now_ms())
        .unwrap();
    let f = book.figures("work", SystemClock.now_ms()).unwrap();
    let m = f.monthly.unwrap();
    assert_eq!(
        (m.limit, m.remaining, m.used),
        (Some(500.0), Some(496.0), Some(4.0))
    );
    assert!(m.days_left.unwrap() > 0.0 && m.days_left.unwrap() <= 31.0);
    assert!(m.pace.is_some());
    assert!(m.projection.is_none(), "minutes of history are too little");
}
