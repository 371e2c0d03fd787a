//! The live matcher's budget: 5,000 tools × 50 patterns fully resolved (compile the set, match
//! every tool with the connector rule, availability and approval mode with their sources) in
//! under 5 ms.
//!
//! Run with `cargo bench -p tool-patterns --bench resolve`. `cargo test --benches` runs each
//! case once, as a smoke test.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use tool_patterns::{
    lint, match_tools, presets, resolve, ApprovalMode, ApprovalPreferences, Catalog, ChatMode,
    PatternSet, ResolveOptions,
};

const CONNECTORS: [&str; 4] = ["notion", "github", "jira", "slack"];

/// 31 built-ins, 2,969 actions, 4 connectors × 500 tools: 5,000 tools.
fn catalog() -> Catalog {
    let mut catalog = Catalog::builtin();
    let verbs = [
        "deploy", "rollback", "scale", "create", "update", "delete", "notify",
    ];
    let actions: Vec<String> = (0..2_969)
        .map(|i| {
            format!(
                "{}_{}_service_{i}",
                verbs[i % verbs.len()],
                ["github", "jira", "k8s", "aws"][i % 4]
            )
        })
        .collect();
    catalog.add_actions(actions.iter().map(String::as_str));
    for connector in CONNECTORS {
        for i in 0..500 {
            let verb = ["search", "fetch", "list", "get", "post", "delete"][i % 6];
            catalog.add_connector_tool(connector, &format!("{verb}-item-{i}"));
        }
    }
    assert_eq!(catalog.len(), 5_000);
    catalog
}

/// 50 patterns of the kinds people write: Port's presets, connector patterns, lookarounds,
/// alternations, broad ones, two invalid ones.
fn patterns() -> Vec<String> {
    let mut patterns: Vec<String> = presets().into_iter().flat_map(|p| p.patterns).collect();
    patterns.extend(
        [
            "^(list|get|search|track|describe)_.*",
            "notion_.*",
            "github_(list|get)-.*",
            "^jira_.*",
            r"slack_post-item-\d+$",
            "run_deploy_.*",
            r"run_.*_service_\d{1,3}$",
            "run_action",
            r"(?=.*_7$)run_.*",
            "list_.*|get_.*",
            ".*",
            "(?i)list",
            "ab(c",
            r"run_(?!delete_)\w+_aws_",
            "jira_search-item-1\\d\\d",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    let mut i = 0;
    while patterns.len() < 50 {
        patterns.push(format!("run_scale_k8s_service_{i}\\d*$"));
        i += 1;
    }
    patterns
}

fn preferences(catalog: &Catalog) -> ApprovalPreferences {
    let mut prefs = ApprovalPreferences::default();
    for (i, tool) in catalog.tools().iter().enumerate() {
        if i % 5 == 0 {
            let mode = if i % 2 == 0 {
                ApprovalMode::Approval
            } else {
                ApprovalMode::Automatic
            };
            prefs.set_mode(&tool.name, Some(mode));
        }
        if i % 50 == 0 {
            prefs.set_disabled(&tool.name, true);
        }
    }
    prefs
}

fn options() -> ResolveOptions {
    ResolveOptions {
        overrides: BTreeMap::from([
            ("run_action".to_owned(), ApprovalMode::Approval),
            ("list_.*".to_owned(), ApprovalMode::Automatic),
            ("run_deploy_.*".to_owned(), ApprovalMode::Approval),
            ("notion_.*".to_owned(), ApprovalMode::Automatic),
            ("(?!delete_)get_.*".to_owned(), ApprovalMode::Automatic),
        ]),
        chat_mode: Some(ChatMode::Ask),
        explicit_tools: false,
    }
}

fn bench(c: &mut Criterion) {
    let catalog = catalog();
    let patterns = patterns();
    assert_eq!(patterns.len(), 50);
    let prefs = preferences(&catalog);
    let options = options();
    if let Some(cpu) = cpu_ms_per_run(&patterns, &catalog, &prefs, &options) {
        // Wall time on a shared machine includes waiting for a core; the thread's own CPU time
        // is what the resolution costs.
        eprintln!("resolve 5000 x 50: {cpu:.2} ms of CPU time per run (this thread, /proc)");
    }

    c.bench_function(
        "resolve 5000 tools x 50 patterns (compile + match + modes)",
        |b| {
            b.iter(|| {
                let set = PatternSet::compile(black_box(&patterns));
                black_box(resolve(&set, &catalog, &prefs, &options))
            })
        },
    );
    let set = PatternSet::compile(&patterns);
    if std::env::var_os("PATTERN_COSTS").is_some() {
        // Which patterns cost the most (one pass each over the catalog's names).
        for (i, p) in set.iter().enumerate() {
            let started = std::time::Instant::now();
            for _ in 0..20 {
                for tool in catalog.tools() {
                    black_box(p.test(&tool.name));
                }
            }
            eprintln!(
                "{:>8.0} µs  #{i} {}",
                started.elapsed().as_micros() as f64 / 20.0,
                p.text()
            );
        }
    }
    c.bench_function("match 5000 tools x 50 patterns (compiled set)", |b| {
        b.iter(|| black_box(match_tools(&set, black_box(&catalog))))
    });
    c.bench_function("compile 50 patterns", |b| {
        b.iter(|| black_box(PatternSet::compile(black_box(&patterns))))
    });
    c.bench_function("lint 50 patterns over 5000 tools", |b| {
        b.iter(|| black_box(lint(&set, black_box(&catalog))))
    });
}

/// utime + stime of this thread, in clock ticks (Linux).
fn thread_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn cpu_ms_per_run(
    patterns: &[String],
    catalog: &Catalog,
    prefs: &ApprovalPreferences,
    options: &ResolveOptions,
) -> Option<f64> {
    let quick = !std::env::args().any(|a| a == "--bench");
    let runs = if quick { 5 } else { 500 };
    let before = thread_cpu_ticks()?;
    for _ in 0..runs {
        let set = PatternSet::compile(black_box(patterns));
        black_box(resolve(&set, catalog, prefs, options));
    }
    let ticks = thread_cpu_ticks()?.checked_sub(before)?;
    // Linux reports these in USER_HZ, 100 per second on every platform it supports.
    Some(ticks as f64 * 10.0 / runs as f64)
}

criterion_group!(benches, bench);
criterion_main!(benches);
