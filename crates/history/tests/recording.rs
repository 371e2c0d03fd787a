//! Recording through the writer thread, then reading back: the row before the stream, events in
//! order, the assembled answer and tool calls, conversations, and live streams left alone.

mod common;

use common::*;
use history::{
    HistoryFilter, HistoryStatus, HistoryStore, NewInvocation, Outcome, PageRequest, Source,
};
use port_api::{ErrorCode, InvokeRequest, PortError};

#[test]
fn an_invocation_is_recorded_with_its_events_answer_and_tool_calls() {
    let t = temp_store();
    let mut request = InvokeRequest::general("Which services failed?");
    request.labels.insert("team".into(), "sre".into());
    let recorder = t.store.recorder();
    let begun = recorder
        .begin(NewInvocation::from_request(&request, Source::Cli).with_profile(Some("work".into())))
        .unwrap();

    // The row exists before any event: another reader sees it streaming.
    let other = HistoryStore::open_in(t.dir.path()).unwrap();
    let row = other.show(&begun.id).unwrap();
    assert_eq!(row.status, HistoryStatus::Streaming);
    assert_eq!(row.request["userPrompt"], "Which services failed?");
    assert!(row.events.is_empty());

    let mut events = vec![port_id("port-1")];
    events.extend(tool_events(
        "c1",
        "list_entities",
        "{\"q\":1}",
        "[\"payments\"]",
    ));
    events.push(answer("Payments "));
    events.push(answer("failed."));
    events.push(done());
    for e in &events {
        recorder.append(&begun.id, e).unwrap();
    }
    recorder.flush().unwrap();
    // Mid-stream, a reader assembles what arrived so far.
    let live = other.show(&begun.id).unwrap();
    assert_eq!(live.status, HistoryStatus::Streaming);
    assert_eq!(live.answer, "Payments failed.");
    assert_eq!(live.events.len(), events.len());

    recorder
        .finish(&begun.id, Outcome::from_error(None, Some("trace-9".into())))
        .unwrap();
    recorder.flush().unwrap();
    let d = t.store.show(&begun.id).unwrap();
    assert_eq!(d.status, HistoryStatus::Completed);
    assert_eq!(d.answer, "Payments failed.");
    assert_eq!(d.port_invocation_id.as_deref(), Some("port-1"));
    assert_eq!(d.trace_id.as_deref(), Some("trace-9"));
    assert_eq!(d.profile.as_deref(), Some("work"));
    assert_eq!(d.labels["team"], "sre");
    assert_eq!(d.tool_calls.len(), 1);
    let call = &d.tool_calls[0];
    assert_eq!(call.name.as_deref(), Some("list_entities"));
    assert_eq!(call.arguments, "{\"q\":1}");
    assert_eq!(call.result.as_deref(), Some("[\"payments\"]"));
    assert!(call.arguments_complete && call.result_complete);
    assert!(call.started_at.is_some() && call.finished_at.is_some());
    let seqs: Vec<i64> = d.events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (0..events.len() as i64).collect::<Vec<_>>());
    let typed: Vec<_> = d.events.iter().map(|e| e.event().unwrap()).collect();
    assert_eq!(typed, events, "the log holds exactly the events the UI got");
    assert!(d.first_token_at.unwrap() >= d.asked_at);
    assert!(d.replied_at.unwrap() >= d.first_token_at.unwrap());
}

#[test]
fn failures_keep_their_error_and_follow_ups_share_a_conversation() {
    let t = temp_store();
    let first = record(
        &t.store,
        &InvokeRequest::agent("ops", "First question"),
        None,
        &[answer("one"), done()],
        None,
    );
    let mut limited = PortError::new(ErrorCode::RateLimited, "Rate limit exceeded");
    limited.retry_after_secs = Some(30);
    let second = record(
        &t.store,
        &InvokeRequest::agent("ops", "Follow-up"),
        Some(first.conversation_id.clone()),
        &[],
        Some(limited),
    );
    assert_eq!(second.conversation_id, first.conversation_id);
    let failed = t.store.show(&second.id).unwrap();
    assert_eq!(failed.status, HistoryStatus::Failed);
    let err = failed.error.unwrap();
    assert_eq!(err.code, "rate_limited");
    assert_eq!(err.details["retryAfterSecs"], 30);

    let conversation = t.store.conversation(&first.conversation_id).unwrap();
    assert_eq!(conversation.conversation.title, "First question");
    assert_eq!(conversation.conversation.invocation_count, 2);
    let prompts: Vec<&str> = conversation
        .invocations
        .iter()
        .map(|i| i.prompt.as_str())
        .collect();
    assert_eq!(prompts, ["First question", "Follow-up"]);
    let page = t.store.conversations(&PageRequest::first(10)).unwrap();
    assert_eq!(page.items.len(), 1);

    let cancelled = record(
        &t.store,
        &InvokeRequest::general("stop me"),
        None,
        &[answer("par")],
        Some(PortError::cancelled()),
    );
    assert_eq!(
        t.store.show(&cancelled.id).unwrap().status,
        HistoryStatus::Cancelled
    );
}

#[test]
fn events_for_unknown_or_finished_invocations_are_dropped_not_fatal() {
    let t = temp_store();
    let recorder = t.store.recorder();
    recorder.append("no-such-id", &answer("x")).unwrap();
    let done_one = record(
        &t.store,
        &InvokeRequest::general("q"),
        None,
        &[answer("a")],
        None,
    );
    recorder.append(&done_one.id, &answer("late")).unwrap();
    recorder.flush().unwrap();
    assert_eq!(t.store.show(&done_one.id).unwrap().events.len(), 1);
}

#[test]
fn a_live_writers_stream_is_left_alone_and_a_closed_one_ends_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let app = HistoryStore::open_in(dir.path()).unwrap();
    let recorder = app.recorder();
    let begun = recorder
        .begin(NewInvocation::from_request(
            &InvokeRequest::general("long one"),
            Source::App,
        ))
        .unwrap();
    recorder.append(&begun.id, &answer("partial")).unwrap();
    recorder.flush().unwrap();

    // The CLI opens the same file while the app is still streaming.
    let cli = HistoryStore::open_in(dir.path()).unwrap();
    assert!(cli.open_report().interrupted.is_empty());
    assert_eq!(
        cli.show(&begun.id).unwrap().status,
        HistoryStatus::Streaming
    );
    drop(cli);

    // The app closes without finishing it: interrupted, never completed, with what arrived.
    drop(recorder);
    drop(app);
    let reopened = HistoryStore::open_in(dir.path()).unwrap();
    let d = reopened.show(&begun.id).unwrap();
    assert_eq!(d.status, HistoryStatus::Interrupted);
    assert_eq!(d.answer, "partial");
    assert_eq!(d.error.unwrap().code, "stream_interrupted");
    let page = reopened
        .list(&HistoryFilter::default(), &PageRequest::first(10))
        .unwrap();
    assert_eq!(page.items[0].status, HistoryStatus::Interrupted);
}

#[test]
fn a_dead_writers_stream_is_marked_interrupted_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(history::FILE_NAME);
    drop(HistoryStore::open(&path).unwrap());
    // What a process killed mid-stream leaves: a streaming row whose writer holds no lock.
    let raw = rusqlite_free_insert(&path);
    let reopened = HistoryStore::open(&path).unwrap();
    assert_eq!(reopened.open_report().interrupted, vec![raw.clone()]);
    let d = reopened.show(&raw).unwrap();
    assert_eq!(d.status, HistoryStatus::Interrupted);
    assert_eq!(d.answer, "half an ans");
    assert_eq!(d.port_invocation_id.as_deref(), Some("p-dead"));
    // And it is searchable now.
    let hits = reopened
        .search("half", &HistoryFilter::default(), &PageRequest::first(5))
        .unwrap();
    assert_eq!(hits.items.len(), 1);
}

/// Writes a streaming invocation as a writer that then died would have, through a second store
/// whose lock file is removed (as after `kill -9`, when the kernel drops the lock).
fn rusqlite_free_insert(path: &std::path::Path) -> String {
    let store = HistoryStore::open(path).unwrap();
    let recorder = store.recorder();
    let begun = recorder
        .begin(NewInvocation::from_request(
            &InvokeRequest::general("dying"),
            Source::Cli,
        ))
        .unwrap();
    recorder.append(&begun.id, &port_id("p-dead")).unwrap();
    recorder.append(&begun.id, &answer("half an ans")).unwrap();
    recorder.flush().unwrap();
    // Leak the store: its thread and lock stay as they are, like a process frozen mid-stream…
    std::mem::forget(recorder);
    std::mem::forget(store);
    // …then the lock goes, as the kernel releases it when the process dies.
    release_all_locks(path);
    begun.id
}

fn release_all_locks(path: &std::path::Path) {
    let mut dir = path.as_os_str().to_owned();
    dir.push(".writers");
    for entry in std::fs::read_dir(std::path::PathBuf::from(dir)).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
}
