//! Lists, filters, search, stats, deletion and retention over a real SQLite file.

mod common;

use common::*;
use history::{AgentFilter, HistoryFilter, HistoryStatus, LabelFilter, PageRequest, Retention};
use port_api::{ErrorCode, InvokeEvent, InvokeRequest, PortError};

fn seeded() -> TempStore {
    let t = temp_store();
    for i in 0..7 {
        let mut request = if i % 2 == 0 {
            InvokeRequest::general(format!("Deploy status of service number{i}"))
        } else {
            InvokeRequest::agent("ops", format!("Incident review {i}"))
        };
        request
            .labels
            .insert("env".into(), if i < 3 { "prod" } else { "dev" }.into());
        let mut events = Vec::new();
        if i == 4 {
            events.extend(tool_events(
                "c",
                "get_entity",
                "{\"id\":\"quasar-api\"}",
                "owner: zed",
            ));
        }
        events.push(answer(&format!(
            "Answer number {i} mentions \"deploys\" (AND NEAR)"
        )));
        events.push(done());
        let error = (i == 5).then(|| PortError::new(ErrorCode::ServerError, "boom"));
        record(&t.store, &request, None, &events, error);
    }
    t
}

#[test]
fn keyset_pages_cover_everything_once_newest_first() {
    let t = seeded();
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let p = t.store.list(&HistoryFilter::default(), &page).unwrap();
        assert!(p.items.len() <= 3);
        seen.extend(p.items.iter().map(|i| (i.asked_at, i.id.clone())));
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.0));
    assert_eq!(
        seen.iter().map(|s| s.0).collect::<Vec<_>>(),
        sorted.iter().map(|s| s.0).collect::<Vec<_>>()
    );
    let unique: std::collections::HashSet<_> = seen.iter().map(|s| &s.1).collect();
    assert_eq!(unique.len(), 7);
    let bad = t.store.list(
        &HistoryFilter::default(),
        &PageRequest {
            limit: 3,
            cursor: Some("nonsense".into()),
        },
    );
    assert_eq!(bad.unwrap_err().code(), "invalid_input");
}

#[test]
fn filters_narrow_the_list() {
    let t = seeded();
    let count = |f: HistoryFilter| {
        t.store
            .list(&f, &PageRequest::first(100))
            .unwrap()
            .items
            .len()
    };
    assert_eq!(
        count(HistoryFilter {
            agent: Some(AgentFilter::General),
            ..Default::default()
        }),
        4
    );
    assert_eq!(
        count(HistoryFilter {
            agent: Some(AgentFilter::Agent("ops".into())),
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        count(HistoryFilter {
            statuses: vec![HistoryStatus::Failed],
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(HistoryFilter {
            labels: vec![LabelFilter {
                key: "env".into(),
                value: Some("prod".into())
            }],
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        count(HistoryFilter {
            labels: vec![LabelFilter {
                key: "env".into(),
                value: None
            }],
            ..Default::default()
        }),
        7
    );
    assert_eq!(
        count(HistoryFilter {
            tool: Some("get_entity".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(HistoryFilter {
            from_ms: Some(i64::MAX - 1),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        count(HistoryFilter {
            to_ms: Some(i64::MAX),
            from_ms: Some(0),
            ..Default::default()
        }),
        7
    );
    let facets = t.store.facets().unwrap();
    assert_eq!(facets.agents, ["ops"]);
    assert!(facets.general_assistant);
    assert_eq!(facets.tools, ["get_entity"]);
    assert_eq!(facets.label_keys, ["env"]);
}

#[test]
fn search_finds_prompts_answers_and_tool_calls_with_highlights() {
    let t = seeded();
    let all = HistoryFilter::default();
    let page = PageRequest::first(50);
    let hits = t.store.search("deploy", &all, &page).unwrap();
    // Prefix: "deploy" matches "Deploy" in prompts and "deploys" in answers.
    assert_eq!(hits.items.len(), 7);
    let prompt_hit = hits
        .items
        .iter()
        .find(|h| h.invocation.prompt_preview.starts_with("Deploy"))
        .unwrap();
    assert_eq!(prompt_hit.field, "prompt");
    assert!(prompt_hit
        .snippet
        .iter()
        .any(|p| p.hit && p.text.eq_ignore_ascii_case("deploy")));

    let tool = t.store.search("quasar", &all, &page).unwrap();
    assert_eq!(tool.items.len(), 1);
    assert_eq!(tool.items[0].field, "tools");
    assert_eq!(tool.items[0].invocation.tool_names, ["get_entity"]);

    // Filters apply to search too, and pages chain.
    let ops = HistoryFilter {
        agent: Some(AgentFilter::Agent("ops".into())),
        ..Default::default()
    };
    assert_eq!(
        t.store.search("number", &ops, &page).unwrap().items.len(),
        3
    );
    let first = t
        .store
        .search("answer", &all, &PageRequest::first(4))
        .unwrap();
    assert_eq!(first.items.len(), 4);
    let rest = t
        .store
        .search(
            "answer",
            &all,
            &PageRequest {
                limit: 4,
                cursor: first.next_cursor.clone(),
            },
        )
        .unwrap();
    assert_eq!(rest.items.len(), 3);
    assert!(rest.next_cursor.is_none());

    for hostile in [
        "\"deploys",
        "AND NEAR",
        "(AND",
        "NEAR(deploy",
        "*",
        "-x",
        "\"\"",
        ")(",
    ] {
        t.store
            .search(hostile, &all, &page)
            .unwrap_or_else(|e| panic!("{hostile:?}: {e}"));
    }
    // Operators are words: "AND NEAR" matches the answers that literally say it.
    assert_eq!(
        t.store
            .search("AND NEAR ", &all, &page)
            .unwrap()
            .items
            .len(),
        7
    );
}

#[test]
fn stats_count_days_agents_statuses_tools_and_durations() {
    let t = seeded();
    let s = t.store.stats(&HistoryFilter::default()).unwrap();
    assert_eq!(s.invocations, 7);
    assert_eq!(s.conversations, 7);
    assert_eq!(s.per_day.iter().map(|d| d.count).sum::<i64>(), 7);
    assert_eq!(s.per_day[0].day.len(), 10);
    let general = s.per_agent.iter().find(|a| a.agent.is_none()).unwrap();
    assert_eq!(general.count, 4);
    let failed = s
        .per_status
        .iter()
        .find(|x| x.status == HistoryStatus::Failed)
        .unwrap();
    assert_eq!(failed.count, 1);
    assert_eq!(s.tools.len(), 1);
    assert_eq!(s.tools[0].name, "get_entity");
    assert_eq!(s.tools[0].calls, 1);
    assert_eq!(s.duration.count, 7);
    assert!(s.duration.p50_ms.unwrap() >= 0);
    assert_eq!(s.time_to_first_token.count, 7);
}

#[test]
fn deleting_removes_rows_events_and_search_entries() {
    let t = seeded();
    let all = HistoryFilter::default();
    let page = PageRequest::first(50);
    let target = t.store.search("quasar", &all, &page).unwrap().items[0]
        .invocation
        .clone();
    assert!(t.store.delete_invocation(&target.id).unwrap());
    assert!(t
        .store
        .search("quasar", &all, &page)
        .unwrap()
        .items
        .is_empty());
    assert_eq!(t.store.show(&target.id).unwrap_err().code(), "not_found");
    assert_eq!(
        t.store.delete_invocation(&target.id).unwrap_err().code(),
        "not_found"
    );
    // Its conversation had only it: gone too.
    let conversation = target.conversation_id.unwrap();
    assert_eq!(
        t.store.conversation(&conversation).unwrap_err().code(),
        "not_found"
    );

    let another = t.store.list(&all, &page).unwrap().items[0].clone();
    let conv = another.conversation_id.unwrap();
    assert_eq!(t.store.delete_conversation(&conv).unwrap(), 1);
    assert_eq!(t.store.list(&all, &page).unwrap().items.len(), 5);

    assert_eq!(t.store.wipe().unwrap(), 5);
    assert!(t.store.list(&all, &page).unwrap().items.is_empty());
    assert!(t
        .store
        .search("answer", &all, &page)
        .unwrap()
        .items
        .is_empty());
    assert_eq!(t.store.stats(&all).unwrap().invocations, 0);
    // The text is gone from the file, not just unlinked from the index.
    let bytes = std::fs::read(t.store.path()).unwrap();
    let needle = b"mentions";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn retention_keeps_forever_by_default_and_deletes_older_than_n_days() {
    let t = seeded();
    assert_eq!(t.store.retention().unwrap(), Retention::Forever);
    let old = record(
        &t.store,
        &InvokeRequest::general("ancient question"),
        None,
        &[InvokeEvent::AnswerDelta { delta: "x".into() }],
        None,
    );
    backdate(&t, &old.id, 40);
    assert_eq!(t.store.apply_retention().unwrap(), 0, "forever keeps it");
    assert_eq!(
        t.store
            .set_retention(Retention::Days(0))
            .unwrap_err()
            .code(),
        "invalid_input"
    );
    assert_eq!(t.store.set_retention(Retention::Days(30)).unwrap(), 1);
    assert_eq!(t.store.retention().unwrap(), Retention::Days(30));
    assert_eq!(t.store.show(&old.id).unwrap_err().code(), "not_found");
    assert_eq!(
        t.store
            .list(&HistoryFilter::default(), &PageRequest::first(50))
            .unwrap()
            .items
            .len(),
        7
    );
    t.store.optimize().unwrap();
    // The setting is in the file: the next opener (the CLI, say) sees it.
    let path = t.store.path().to_path_buf();
    let again = history::HistoryStore::open(&path).unwrap();
    assert_eq!(again.retention().unwrap(), Retention::Days(30));
}

fn backdate(t: &TempStore, id: &str, days: i64) {
    let conn = rusqlite::Connection::open(t.store.path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    conn.execute(
        "UPDATE invocations SET asked_at = asked_at - ?2 WHERE uid = ?1",
        rusqlite::params![id, days * 86_400_000],
    )
    .unwrap();
}

#[test]
fn opening_compacts_the_search_index_after_many_changes() {
    let t = seeded();
    let path = t.store.path().to_path_buf();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let changes = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'fts_changes'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Each recorded invocation counted one index change.
    assert_eq!(changes(&conn), 7);
    conn.execute(
        "UPDATE settings SET value = '5000' WHERE key = 'fts_changes'",
        [],
    )
    .unwrap();
    let reopened = history::HistoryStore::open(&path).unwrap();
    assert_eq!(changes(&conn), 0, "optimized on open, counter reset");
    // Still searchable after the merge.
    let hits = reopened
        .search("quasar", &HistoryFilter::default(), &PageRequest::first(5))
        .unwrap();
    assert_eq!(hits.items.len(), 1);
}
