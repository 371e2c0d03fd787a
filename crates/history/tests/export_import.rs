//! Exports and imports: JSON that round-trips (unknown fields included), JSONL and CSV for
//! audits, Markdown for people, and Port's records merged without duplicates over real HTTP.

mod common;

use common::*;
use history::{
    ConversationFormat, ExportFormat, HistoryFilter, HistoryStatus, HistoryStore, PageRequest,
    Source,
};
use port_api::{ApiBase, Credentials, InvokeRequest, PortClient, PortInvocation};
use serde_json::Value;

fn export(store: &HistoryStore, format: ExportFormat) -> String {
    let mut out = Vec::new();
    store
        .export(&HistoryFilter::default(), format, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

fn without_export_time(mut doc: Value) -> Value {
    doc.as_object_mut().unwrap().remove("exportedAt");
    doc
}

fn sample(store: &HistoryStore) -> history::Begun {
    let mut request = InvokeRequest::general("Who owns the ``` payments service?");
    request.labels.insert("team".into(), "sre".into());
    let mut events = vec![port_id("port-a")];
    events.extend(tool_events(
        "c1",
        "get_entity",
        "{\"id\":\"payments\"}",
        "owner: ```dana```",
    ));
    events.push(answer("Dana owns **payments**."));
    events.push(done());
    let first = record(store, &request, None, &events, None);
    record(
        store,
        &InvokeRequest::general("And who is on call?"),
        Some(first.conversation_id.clone()),
        &[answer("Sam is.")],
        None,
    );
    first
}

#[test]
fn json_export_imports_back_identically_keeping_unknown_fields() {
    let a = temp_store();
    sample(&a.store);
    let mut doc: Value = serde_json::from_str(&export(&a.store, ExportFormat::Json)).unwrap();
    assert_eq!(doc["format"], "portdesk-history");
    assert_eq!(doc["invocations"].as_array().unwrap().len(), 2);
    assert_eq!(doc["conversations"].as_array().unwrap().len(), 1);
    // Fields a newer Portdesk might write.
    doc["invocations"][0]["rating"] = Value::from(5);
    doc["invocations"][0]["futureBlock"] = serde_json::json!({"a": [1, 2]});
    doc["conversations"][0]["pinned"] = Value::from(true);
    let text = serde_json::to_string(&doc).unwrap();

    let b = temp_store();
    let report = b.store.import_json(&mut text.as_bytes()).unwrap();
    assert_eq!(report.invocations_added, 2);
    assert_eq!(report.conversations_added, 1);
    let again: Value = serde_json::from_str(&export(&b.store, ExportFormat::Json)).unwrap();
    assert_eq!(without_export_time(again), without_export_time(doc.clone()));

    // Importing the same file again adds nothing.
    let report = b.store.import_json(&mut text.as_bytes()).unwrap();
    assert_eq!(report.invocations_added, 0);
    assert_eq!(report.invocations_skipped, 2);

    // The imported copy is a full citizen: searchable, with its event log.
    let hits = b
        .store
        .search("dana", &HistoryFilter::default(), &PageRequest::first(5))
        .unwrap();
    assert_eq!(hits.items.len(), 1);
    let shown = b.store.show(&hits.items[0].invocation.id).unwrap();
    assert_eq!(shown.events.len(), 8);
    assert_eq!(shown.source, Source::App);
}

#[test]
fn bad_imports_are_refused_with_a_reason_and_change_nothing() {
    let t = temp_store();
    for (input, needle) in [
        ("", "empty"),
        (
            "{\"format\":\"something-else\"}",
            "not a Portdesk history export",
        ),
        (
            "{\"format\":\"portdesk-history\",\"version\":7,\"invocations\":[]}",
            "newer Portdesk",
        ),
        ("not json at all", "line 1"),
        (
            "{\"format\":\"portdesk-history\",\"version\":1,\"invocations\":[{\"id\":\"x\"}]}",
            "not a valid",
        ),
    ] {
        let err = t.store.import_json(&mut input.as_bytes()).unwrap_err();
        assert_eq!(err.code(), "history_import_failed");
        assert!(err.to_string().contains(needle), "{input:?}: {err}");
    }
    let bad_status = r#"{"format":"portdesk-history","version":1,"invocations":[
        {"id":"ok-1","conversationId":null,"profile":null,"agent":null,"source":"app","status":"completed","prompt":"fine","askedAt":1,"firstTokenAt":null,"repliedAt":null,"portInvocationId":null,"traceId":null,"quota":null,"error":null},
        {"id":"bad-1","conversationId":null,"profile":null,"agent":null,"source":"app","status":"exploded","prompt":"p","askedAt":1,"firstTokenAt":null,"repliedAt":null,"portInvocationId":null,"traceId":null,"quota":null,"error":null}]}"#;
    let err = t.store.import_json(&mut bad_status.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("exploded"), "{err}");
    // All or nothing: the good one before the bad one was rolled back.
    assert_eq!(t.store.show("ok-1").unwrap_err().code(), "not_found");
}

#[test]
fn jsonl_and_csv_hold_one_record_per_invocation() {
    let t = temp_store();
    sample(&t.store);
    let jsonl = export(&t.store, ExportFormat::Jsonl);
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["prompt"], "Who owns the ``` payments service?");
    assert_eq!(lines[0]["toolCalls"][0]["name"], "get_entity");
    assert_eq!(lines[0]["status"], "completed");
    // JSON lines import too.
    let other = temp_store();
    assert_eq!(
        other
            .store
            .import_json(&mut jsonl.as_bytes())
            .unwrap()
            .invocations_added,
        2
    );

    let csv = export(&t.store, ExportFormat::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("tools")], "get_entity");
    assert_eq!(&rows[0][col("answer")], "Dana owns **payments**.");
    assert_eq!(&rows[0][col("labels")], "{\"team\":\"sre\"}");
    assert!(rows[0][col("asked_at")].ends_with('Z'));
}

#[test]
fn a_conversation_exports_as_markdown_and_json() {
    let t = temp_store();
    let first = sample(&t.store);
    let md = t
        .store
        .export_conversation(&first.conversation_id, ConversationFormat::Markdown)
        .unwrap();
    assert!(
        md.starts_with("# Who owns the ``` payments service?"),
        "{md}"
    );
    assert!(md.contains("## 1. General assistant"), "{md}");
    assert!(md.contains("## 2. General assistant"), "{md}");
    assert!(md.contains("**Tool call** `get_entity`"), "{md}");
    // The result holds ``` so its fence is longer.
    assert!(md.contains("````\nowner: ```dana```\n````"), "{md}");
    assert!(md.contains("Dana owns **payments**."), "{md}");
    assert!(md.contains("Sam is."), "{md}");
    assert!(
        md.contains("each message below was its own invocation"),
        "{md}"
    );

    let json: Value = serde_json::from_str(
        &t.store
            .export_conversation(&first.conversation_id, ConversationFormat::Json)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["conversations"][0]["id"],
        first.conversation_id.as_str()
    );
    assert_eq!(json["invocations"].as_array().unwrap().len(), 2);
    assert_eq!(
        t.store
            .export_conversation("nope", ConversationFormat::Markdown)
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn ports_records_merge_without_duplicates() {
    let server = port_mock::MockServer::start(port_mock::MockConfig::default())
        .await
        .unwrap();
    let client = PortClient::new(
        ApiBase::custom(&server.base_url()).unwrap(),
        Credentials::access_token("T"),
    )
    .unwrap();
    let t = temp_store();

    // One invocation recorded locally as it streamed (Port knows it too)…
    let mut stream = client
        .invoke(
            &InvokeRequest::general("What services do we have?"),
            port_api::CancellationToken::new(),
        )
        .await
        .unwrap();
    let recorder = t.store.recorder();
    let begun = recorder
        .begin_async(history::NewInvocation::from_request(
            &InvokeRequest::general("What services do we have?"),
            Source::Cli,
        ))
        .await
        .unwrap();
    while let Some(event) = stream.next_event().await {
        recorder.append(&begun.id, &event.unwrap()).unwrap();
    }
    recorder
        .finish(&begun.id, history::Outcome::from_error(None, None))
        .unwrap();
    recorder.flush_async().await.unwrap();
    // …and two more that only Port has.
    for prompt in ["Summarise incidents", "List deployments"] {
        let mut s = client
            .invoke(
                &InvokeRequest::general(prompt),
                port_api::CancellationToken::new(),
            )
            .await
            .unwrap();
        while let Some(e) = s.next_event().await {
            e.unwrap();
        }
    }

    let first = t
        .store
        .import_from_port(&client, Some("demo".into()))
        .await
        .unwrap();
    assert_eq!(first.invocations_added, 2);
    assert_eq!(
        first.invocations_skipped, 1,
        "the local recording is Port's first one"
    );
    let second = t
        .store
        .import_from_port(&client, Some("demo".into()))
        .await
        .unwrap();
    assert_eq!(second.invocations_added, 0);
    assert_eq!(second.invocations_skipped, 3);

    let page = t
        .store
        .list(&HistoryFilter::default(), &PageRequest::first(10))
        .unwrap();
    assert_eq!(page.items.len(), 3);
    let port_ids: std::collections::HashSet<_> = page
        .items
        .iter()
        .map(|i| i.port_invocation_id.clone().unwrap())
        .collect();
    assert_eq!(port_ids.len(), 3);
    let imported = page
        .items
        .iter()
        .find(|i| i.prompt_preview == "Summarise incidents")
        .unwrap();
    assert_eq!(imported.source, Source::Port);
    assert_eq!(imported.status, HistoryStatus::Completed);
    let detail = t.store.show(&imported.id).unwrap();
    assert!(!detail.answer.is_empty());
    assert_eq!(detail.profile.as_deref(), Some("demo"));
    let hits = t
        .store
        .search(
            "Summarise",
            &HistoryFilter::default(),
            &PageRequest::first(5),
        )
        .unwrap();
    assert_eq!(hits.items.len(), 1);

    // Port's unknown statuses are kept (as interrupted, saying what Port said); in-progress
    // records wait for the next import.
    let odd = |id: &str, status: &str| PortInvocation {
        identifier: id.into(),
        status: Some(status.into()),
        asked_at: Some("2026-11-01T10:00:00.000Z".into()),
        replied_at: None,
        prompt: Some(format!("odd {status}")),
        response: None,
        error: None,
        provider: None,
        model: None,
        labels: Default::default(),
        agent: Some("ops".into()),
        asked_by: None,
    };
    let report = t
        .store
        .import_port(vec![odd("p-x", "Paused"), odd("p-y", "In Progress")], None)
        .unwrap();
    assert_eq!(report.invocations_added, 1);
    assert_eq!(report.in_progress_skipped, 1);
    let paused = t
        .store
        .search("Paused", &HistoryFilter::default(), &PageRequest::first(5))
        .unwrap();
    let d = t.store.show(&paused.items[0].invocation.id).unwrap();
    assert_eq!(d.status, HistoryStatus::Interrupted);
    assert!(d.error.unwrap().message.contains("Paused"));
    assert_eq!(d.asked_at, 1_793_527_200_000);
    server.shutdown().await;
}
