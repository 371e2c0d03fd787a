//! The scripted streams of port-mock, read over real loopback HTTP.

mod common;

use common::*;
use port_api::{InvocationStatus, InvokeEvent, InvokeRequest};

#[tokio::test]
async fn default_stream_yields_every_event_type_in_order() {
    let server = server().await;
    let client = token_client(&server, "t");
    let run = run(&client, &general("What services do we have?")).await;
    assert!(run.error.is_none(), "{:?}", run.error);

    let kinds: Vec<&str> = run
        .events
        .iter()
        .map(|e| match e {
            InvokeEvent::InvocationId { .. } => "id",
            InvokeEvent::ToolCallStarted { .. } => "call_started",
            InvokeEvent::ToolCallArgumentsDelta { .. } => "args",
            InvokeEvent::ToolCallComplete { .. } => "call_complete",
            InvokeEvent::ToolResultDelta { .. } => "result",
            InvokeEvent::ToolResultComplete { .. } => "result_complete",
            InvokeEvent::AnswerDelta { .. } => "answer",
            InvokeEvent::Done { .. } => "done",
            InvokeEvent::Unknown { .. } => "unknown",
        })
        .collect();
    for kind in [
        "id",
        "call_started",
        "args",
        "call_complete",
        "result",
        "result_complete",
        "answer",
        "done",
    ] {
        assert!(kinds.contains(&kind), "no {kind} in {kinds:?}");
    }
    assert_eq!(kinds.first(), Some(&"id"));
    assert_eq!(kinds.last(), Some(&"done"));

    let t = &run.transcript;
    assert!(t.invocation_id.is_some());
    assert!(t.tool_calls.len() >= 2);
    for call in &t.tool_calls {
        assert!(call.complete(), "{call:?}");
        assert!(call.name.is_some(), "{call:?}");
        serde_json::from_str::<serde_json::Value>(&call.arguments)
            .unwrap_or_else(|e| panic!("arguments of {} are not JSON: {e}", call.id));
    }
    assert!(t.answer.len() > 40, "answer: {:?}", t.answer);
    assert!(t.done_field("monthlyQuotaUsage").is_some());
    assert!(t.done_field("rateLimitUsage").is_some());
    assert_eq!(
        InvocationStatus::from_outcome(run.error.as_ref()),
        InvocationStatus::Completed
    );
}

#[tokio::test]
async fn interleaved_chunks_are_reassembled_per_call() {
    let server = server().await;
    let client = token_client(&server, "t");
    let run = run(&client, &general("list services")).await;
    // Interleaving: some call's arguments continue after another call's started.
    let mut open: Vec<String> = Vec::new();
    let mut interleaved = false;
    for event in &run.events {
        match event {
            InvokeEvent::ToolCallStarted { id, .. } => open.push(id.clone()),
            InvokeEvent::ToolCallArgumentsDelta { id, .. }
                if open.last() != Some(id) && open.contains(id) =>
            {
                interleaved = true;
            }
            _ => {}
        }
    }
    assert!(interleaved, "the default script interleaves two calls");
    // Every call's arguments, concatenated, are one JSON document.
    for call in &run.transcript.tool_calls {
        assert!(serde_json::from_str::<serde_json::Value>(&call.arguments).is_ok());
    }
}

#[tokio::test]
async fn quota_figures_fall_with_each_invocation() {
    let server = server().await;
    let client = token_client(&server, "t");
    let first = run(&client, &general("one")).await;
    let second = run(&client, &general("two")).await;
    let remaining = |r: &Run| {
        r.transcript
            .done_field("monthlyQuotaUsage")
            .and_then(|q| q.get("remainingQuota"))
            .and_then(|v| v.as_f64())
            .expect("remainingQuota")
    };
    assert!(remaining(&second) < remaining(&first));
    let quota = client.monthly_quota().await.expect("quota");
    assert_eq!(quota.remaining_quota, Some(remaining(&second)));
}

#[tokio::test]
async fn action_answers_link_to_the_draft_run() {
    let server = server().await;
    let client = token_client(&server, "t");
    let run = run(&client, &general("Open an incident for payments-api")).await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert!(run
        .transcript
        .tool_calls
        .iter()
        .any(|c| c.name.as_deref() == Some("run_action")));
    assert!(
        run.transcript.answer.contains("https://app.port.io/"),
        "{}",
        run.transcript.answer
    );
}

#[tokio::test]
async fn agent_invocation_streams_and_sends_prompt() {
    let server = server().await;
    let client = token_client(&server, "t");
    let agents = client.list_agents().await.expect("agents");
    let agent = agents
        .iter()
        .find(|a| a.is_active())
        .expect("an active agent");
    let run = run(
        &client,
        &InvokeRequest::agent(&agent.identifier, "How healthy is checkout?"),
    )
    .await;
    assert!(run.error.is_none(), "{:?}", run.error);
    assert!(run.transcript.saw_done);
    let request = server
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/v1/agent/"))
        .expect("agent request");
    assert_eq!(request.query.as_deref(), Some("stream=true"));
    assert_eq!(
        request.json().unwrap(),
        serde_json::json!({"prompt": "How healthy is checkout?"})
    );
}

#[tokio::test]
async fn output_schema_answer_is_a_json_object() {
    let server = server().await;
    let client = token_client(&server, "t");
    let mut request = general("Summarise the services");
    request.output_schema = Some(serde_json::json!({
        "type": "object",
        "properties": {"summary": {"type": "string"}}
    }));
    let run = run(&client, &request).await;
    assert!(run.error.is_none(), "{:?}", run.error);
    let answer: serde_json::Value =
        serde_json::from_str(&run.transcript.answer).expect("answer is JSON");
    assert!(answer.is_object());
    assert_eq!(last_invoke_body(&server)["outputSchema"]["type"], "object");
}

#[tokio::test]
async fn unknown_events_are_kept_and_not_fatal() {
    let server = server().await;
    server.push_fault(port_mock::Fault::UnknownEvents);
    let client = token_client(&server, "t");
    let run = run(&client, &general("anything")).await;
    assert!(run.error.is_none(), "{:?}", run.error);
    let names: Vec<&str> = run
        .transcript
        .unknown_events
        .iter()
        .map(|u| u.event.as_str())
        .collect();
    for name in ["agentSelection", "plan", "checkIfActionRequested"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert!(run.transcript.saw_done);
}

#[tokio::test]
async fn malformed_data_is_kept_raw_and_the_stream_goes_on() {
    let server = server().await;
    server.push_fault(port_mock::Fault::MalformedData);
    let client = token_client(&server, "t");
    let run = run(&client, &general("anything")).await;
    assert!(run.error.is_none(), "{:?}", run.error);
    let malformed: Vec<_> = run
        .events
        .iter()
        .filter(|e| {
            matches!(
                e,
                InvokeEvent::Unknown {
                    reason: Some(_),
                    ..
                }
            )
        })
        .collect();
    assert!(!malformed.is_empty(), "no malformed tool_call kept");
    match run.events.last() {
        Some(InvokeEvent::Done {
            rate_limit_usage: None,
            data,
            ..
        }) => {
            assert!(serde_json::from_str::<serde_json::Value>(data).is_err());
            assert!(!data.is_empty());
        }
        other => panic!("expected a raw done, got {other:?}"),
    }
}
