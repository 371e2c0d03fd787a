//! The history at size: 100,000 invocations of 20 events each.
//!
//! Run with `cargo bench -p history --bench history`. `cargo test` runs this binary in quick mode
//! (2,000 invocations) so it stays fast and keeps compiling. Prints:
//! - seeding time;
//! - append throughput in events/s through the recorder (writer thread, batched transactions),
//!   beside a plain rusqlite insert of the same rows in one transaction, in the same run;
//! - list-page latency p50/p99 (first page, deep keyset pages, filtered pages);
//! - search latency p50/p99 for a common and a rare term (and a prefix while typing);
//! - database size per invocation;
//! - stats and facets (the History panel's filter menus) at that size.

use std::time::{Duration, Instant};

use history::seed::{self, COMMON_TERM, RARE_TERM};
use history::{
    AgentFilter, HistoryFilter, HistoryStatus, HistoryStore, LabelFilter, PageRequest, Recorder,
};
use port_api::InvokeEvent;
use rusqlite::{params, Connection};

const EVENTS: usize = 20;
const PAGE: u32 = 50;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(label: &str, mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let (p50, p99) = (percentile(&samples, 0.50), percentile(&samples, 0.99));
    println!(
        "  {label:<52} p50 {:>7.3} ms   p99 {:>7.3} ms   ({} runs)",
        ms(p50),
        ms(p99),
        samples.len()
    );
    (p50, p99)
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

/// The order events arrive in when `streams` invocations stream at once: each group of
/// `streams` interleaves event by event, groups follow one another.
fn arrival_order(invocations: usize, streams: usize) -> Vec<(usize, usize)> {
    let mut order = Vec::with_capacity(invocations * EVENTS);
    let mut first = 0;
    while first < invocations {
        let last = (first + streams).min(invocations);
        for round in 0..EVENTS {
            for inv in first..last {
                order.push((inv, round));
            }
        }
        first = last;
    }
    order
}

/// Appends every event through the recorder in arrival order and waits until they are committed.
fn append_through_recorder(
    recorder: &Recorder,
    ids: &[String],
    events: &[Vec<InvokeEvent>],
    order: &[(usize, usize)],
) -> Duration {
    let started = Instant::now();
    for &(inv, round) in order {
        recorder
            .append(&ids[inv], &events[inv][round])
            .expect("append");
    }
    recorder.flush().expect("flush");
    started.elapsed()
}

fn begin_all(store: &HistoryStore, count: usize) -> (Vec<String>, Vec<Duration>) {
    let recorder = store.recorder();
    let mut ids = Vec::with_capacity(count);
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let (new, _) = seed::synthetic(i, EVENTS);
        let (begun, took) = time(|| recorder.begin(new).expect("begin"));
        ids.push(begun.id);
        latencies.push(took);
    }
    (ids, latencies)
}

fn append_benchmark(invocations: usize, streams: usize) {
    let order = arrival_order(invocations, streams);
    let events: Vec<Vec<InvokeEvent>> = (0..invocations)
        .map(|i| seed::synthetic(i, EVENTS).1)
        .collect();
    let total = (invocations * EVENTS) as f64;

    // The recorder: the real path (serialize, channel, writer thread, batched commits).
    let ours_dir = tempfile::tempdir().expect("temp dir");
    let ours = HistoryStore::open_in(ours_dir.path()).expect("open");
    let (ids, begins) = begin_all(&ours, invocations);
    let ours_time = append_through_recorder(&ours.recorder(), &ids, &events, &order);

    // Plain rusqlite: the same rows (payload already serialized) into the same table with the
    // same settings, one prepared statement, one transaction.
    let plain_dir = tempfile::tempdir().expect("temp dir");
    let plain_store = HistoryStore::open_in(plain_dir.path()).expect("open");
    let (plain_ids, _) = begin_all(&plain_store, invocations);
    let path = plain_store.path().to_path_buf();
    let conn = Connection::open(&path).expect("open plain");
    conn.busy_timeout(Duration::from_secs(5)).expect("busy");
    conn.pragma_update(None, "foreign_keys", true).expect("fk");
    conn.pragma_update(None, "synchronous", "NORMAL")
        .expect("sync");
    let rowids: Vec<i64> = plain_ids
        .iter()
        .map(|uid| {
            conn.query_row("SELECT id FROM invocations WHERE uid = ?1", [uid], |r| {
                r.get(0)
            })
            .expect("rowid")
        })
        .collect();
    let rows: Vec<(i64, i64, String, String, i64)> = order
        .iter()
        .map(|&(inv, round)| {
            let event = &events[inv][round];
            let payload = serde_json::to_string(event).expect("json");
            let kind = serde_json::to_value(event).expect("json")["type"]
                .as_str()
                .unwrap_or("unknown")
                .to_string();
            (
                rowids[inv],
                round as i64,
                kind,
                payload,
                1_700_000_000_000 + round as i64,
            )
        })
        .collect();
    let plain_time = {
        let started = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        {
            let mut stmt = conn
                .prepare("INSERT INTO events(invocation_id, seq, kind, payload, at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .expect("prepare");
            for (rowid, seq, kind, payload, at) in &rows {
                stmt.execute(params![rowid, seq, kind, payload, at])
                    .expect("insert");
            }
        }
        conn.execute_batch("COMMIT").expect("commit");
        started.elapsed()
    };
    drop(conn);
    drop(plain_store);

    let ours_rate = total / ours_time.as_secs_f64();
    let plain_rate = total / plain_time.as_secs_f64();
    println!(
        "append: {invocations} invocations × {EVENTS} events = {} events, {streams} streaming at once",
        invocations * EVENTS
    );
    println!("  recorder (writer thread, batched)  {ours_rate:>12.0} events/s");
    println!("  plain rusqlite, one transaction    {plain_rate:>12.0} events/s");
    println!(
        "  ratio recorder / plain             {:>12.2}",
        ours_rate / plain_rate
    );
    report("begin (row committed) latency", begins);
}

fn list_benchmark(store: &HistoryStore, runs: usize) {
    let all = HistoryFilter::default();
    let first: Vec<Duration> = (0..runs)
        .map(|_| time(|| store.list(&all, &PageRequest::first(PAGE)).expect("list")).1)
        .collect();
    let (_, _) = report("list: first page", first.clone());

    // Deep pages: walk the keyset chain.
    let mut deep = Vec::new();
    let mut page = PageRequest::first(PAGE);
    for _ in 0..runs {
        let (p, took) = time(|| store.list(&all, &page).expect("list"));
        deep.push(took);
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => page.cursor = None,
        }
    }
    report("list: consecutive pages (keyset)", deep.clone());

    let filters = [
        HistoryFilter {
            agent: Some(AgentFilter::Agent("incident_manager".into())),
            ..Default::default()
        },
        HistoryFilter {
            statuses: vec![HistoryStatus::Failed],
            ..Default::default()
        },
        HistoryFilter {
            labels: vec![LabelFilter {
                key: "team".into(),
                value: Some("sre".into()),
            }],
            ..Default::default()
        },
        HistoryFilter {
            tool: Some("run_action".into()),
            ..Default::default()
        },
    ];
    let mut filtered = Vec::new();
    for filter in &filters {
        for _ in 0..runs / filters.len() {
            filtered.push(time(|| store.list(filter, &PageRequest::first(PAGE)).expect("list")).1);
        }
    }
    report("list: filtered (agent/status/label/tool)", filtered.clone());
    let mut everything = first;
    everything.extend(deep);
    everything.extend(filtered);
    report("list: all of the above", everything);
}

fn search_benchmark(store: &HistoryStore, runs: usize) {
    let all = HistoryFilter::default();
    for (label, query) in [
        ("search: common term", COMMON_TERM),
        ("search: rare term", RARE_TERM),
        ("search: two words", "payments deployments"),
        ("search: prefix while typing", "deplo"),
    ] {
        let mut hits = 0;
        let samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let (page, took) = time(|| {
                    store
                        .search(query, &all, &PageRequest::first(PAGE))
                        .expect("search")
                });
                hits = page.items.len();
                took
            })
            .collect();
        report(&format!("{label} ({query:?}, {hits} shown)"), samples);
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test` runs this without it: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (invocations, runs, append_invocations) = if quick {
        (2_000, 20, 200)
    } else {
        (100_000, 500, 5_000)
    };
    println!(
        "history bench ({} mode): {invocations} invocations × {EVENTS} events",
        if quick { "quick" } else { "full" }
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let store = HistoryStore::open_in(dir.path()).expect("open");
    let (written, took) = time(|| seed::seed(&store, invocations, EVENTS).expect("seed"));
    println!(
        "seed: {written} events in {:.1} s ({:.0} events/s, search index included)",
        took.as_secs_f64(),
        written as f64 / took.as_secs_f64()
    );
    store.optimize().expect("optimize");
    let size = store.size_bytes().expect("size");
    println!(
        "size: {:.1} MB, {:.0} bytes per invocation (events, tool calls, search index)",
        size as f64 / 1e6,
        size as f64 / invocations as f64
    );

    list_benchmark(&store, runs);
    search_benchmark(&store, runs);
    let all = HistoryFilter::default();
    let stats: Vec<Duration> = (0..(runs / 25).max(3))
        .map(|_| time(|| store.stats(&all).expect("stats")).1)
        .collect();
    report("stats (days, agents, statuses, tools, durations)", stats);
    let facets: Vec<Duration> = (0..(runs / 25).max(3))
        .map(|_| time(|| store.facets().expect("facets")).1)
        .collect();
    report("facets (filter menus)", facets);
    drop(store);
    // A person's app and CLI stream a few invocations at once; 5,000 at once is the worst case
    // for batching (every batch touches every invocation's pages).
    append_benchmark(append_invocations, 4);
    append_benchmark(append_invocations, append_invocations);
}
