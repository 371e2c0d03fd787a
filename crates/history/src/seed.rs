//! Synthetic history for benchmarks and the app's open-time measurement: realistic invocations
//! (prompts, tool calls, answers, a `done`) written through the same code as real recordings.
//!
//! `portdesk-cli history seed-bench N` calls [`seed`]; so does `benches/history.rs`.

use port_api::{InvokeEvent, MonthlyQuotaUsage, RateLimitUsage};
use serde_json::json;

use crate::assemble::Assembler;
use crate::error::Result;
use crate::model::{HistoryStatus, NewInvocation, Source};
use crate::store::HistoryStore;
use crate::time::now_ms;
use crate::writer::{finalize, Finalize};

/// A word in about every invocation (the "common term" of the benchmark).
pub const COMMON_TERM: &str = "service";
/// A word in one invocation of every 10,000 (the "rare term").
pub const RARE_TERM: &str = "quasar";
pub const RARE_EVERY: usize = 10_000;

const AGENTS: [Option<&str>; 5] = [
    None,
    Some("incident_manager"),
    Some("deploy_helper"),
    Some("service_catalog"),
    Some("oncall_buddy"),
];
const TOOLS: [&str; 6] = [
    "list_entities",
    "get_entity",
    "search_entities",
    "describe_blueprint",
    "track_action_run",
    "run_action",
];
const SERVICES: [&str; 12] = [
    "payments",
    "checkout",
    "search",
    "billing",
    "inventory",
    "auth",
    "gateway",
    "ledger",
    "notifications",
    "catalog",
    "shipping",
    "reporting",
];
const VERBS: [&str; 6] = [
    "Summarise",
    "Investigate",
    "List",
    "Explain",
    "Compare",
    "Review",
];
const TOPICS: [&str; 6] = [
    "failed deployments",
    "open incidents",
    "health checks",
    "ownership gaps",
    "scorecard results",
    "latency regressions",
];

/// A small deterministic generator: the same seed gives the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// The prompt and events of the `i`-th synthetic invocation, `events` long (at least 2).
pub fn synthetic(i: usize, events: usize) -> (NewInvocation, Vec<InvokeEvent>) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let service = rng.pick(&SERVICES);
    let rare = if i % RARE_EVERY == 7 {
        format!(" ({RARE_TERM} cluster)")
    } else {
        String::new()
    };
    let prompt = format!(
        "{} {} for the {service} {COMMON_TERM}{rare} in week {}",
        rng.pick(&VERBS),
        rng.pick(&TOPICS),
        i % 52
    );
    let agent = rng.pick(&AGENTS);
    let mut new = NewInvocation {
        conversation_id: None,
        profile: Some(
            if i.is_multiple_of(7) {
                "staging"
            } else {
                "work"
            }
            .to_string(),
        ),
        source: if i.is_multiple_of(3) {
            Source::Cli
        } else {
            Source::App
        },
        agent: agent.map(str::to_string),
        prompt: prompt.clone(),
        request: json!({ "prompt": prompt }),
        labels: [(
            "team".to_string(),
            rng.pick(&["platform", "payments", "sre"]).to_string(),
        )]
        .into_iter()
        .collect(),
        tool_patterns: Vec::new(),
    };
    if agent.is_none() {
        new.request =
            json!({ "userPrompt": prompt, "tools": ["^(list|get|search|track|describe)_.*"] });
        new.tool_patterns = vec!["^(list|get|search|track|describe)_.*".to_string()];
    }
    let tool = rng.pick(&TOOLS);
    let call = format!("call_{i}");
    let mut list = vec![InvokeEvent::InvocationId {
        id: format!("seed-{i:08}"),
    }];
    if events >= 10 {
        list.extend([
            InvokeEvent::ToolCallStarted {
                id: call.clone(),
                name: Some(tool.to_string()),
            },
            InvokeEvent::ToolCallArgumentsDelta {
                id: call.clone(),
                delta: format!("{{\"blueprint\":\"{COMMON_TERM}\","),
            },
            InvokeEvent::ToolCallArgumentsDelta {
                id: call.clone(),
                delta: format!("\"query\":\"{service}\"}}"),
            },
            InvokeEvent::ToolCallComplete { id: call.clone() },
            InvokeEvent::ToolResultDelta {
                id: call.clone(),
                delta: format!("[{{\"identifier\":\"{service}-api\",\"team\":\"platform\","),
            },
            InvokeEvent::ToolResultDelta {
                id: call.clone(),
                delta: "\"tier\":\"gold\",\"healthy\":true}]".to_string(),
            },
            InvokeEvent::ToolResultComplete { id: call },
        ]);
    }
    let words = [
        "The",
        service,
        COMMON_TERM,
        "had",
        "two",
        "deployments",
        "today;",
        "both",
        "passed",
        "their",
        "health",
        "checks",
        "and",
        "the",
        "error",
        "rate",
        "stayed",
        "flat.",
    ];
    let answers = events.saturating_sub(list.len() + 1).max(1);
    for n in 0..answers {
        list.push(InvokeEvent::AnswerDelta {
            delta: format!("{} ", words[n % words.len()]),
        });
    }
    list.push(InvokeEvent::Done {
        rate_limit_usage: Some(RateLimitUsage {
            max_requests: Some(200.0),
            remaining_requests: Some(199.0),
            ..Default::default()
        }),
        monthly_quota_usage: Some(MonthlyQuotaUsage {
            monthly_limit: Some(500.0),
            remaining_quota: Some(480.0),
            ..Default::default()
        }),
        data: "{}".to_string(),
    });
    (new, list)
}

/// Adds `count` completed synthetic invocations of `events` events each, one a minute back from
/// now, in transactions of a thousand. Returns the number of events written.
pub fn seed(store: &HistoryStore, count: usize, events: usize) -> Result<u64> {
    // Four invocations to a conversation, like follow-ups in Chat.
    seed_with(store, count, events, |i| {
        format!("seed-conversation-{}", i / 4)
    })
}

/// One conversation of `turns` invocations (a long Chat thread reopened from History).
pub fn seed_conversation(
    store: &HistoryStore,
    id: &str,
    turns: usize,
    events: usize,
) -> Result<u64> {
    let id = id.to_owned();
    seed_with(store, turns, events, move |_| id.clone())
}

fn seed_with(
    store: &HistoryStore,
    count: usize,
    events: usize,
    conversation: impl Fn(usize) -> String + Clone + Send + 'static,
) -> Result<u64> {
    let start = now_ms() - (count as i64) * 60_000;
    let mut written = 0;
    let mut first = 0;
    while first < count {
        let last = (first + 1000).min(count);
        let conversation = conversation.clone();
        written += store.with_writer(move |ctx| {
            ctx.transaction(|conn| {
                let mut written = 0u64;
                for i in first..last {
                    let (mut new, list) = synthetic(i, events);
                    new.conversation_id = Some(conversation(i));
                    let asked = start + (i as i64) * 60_000;
                    let id = uuid::Uuid::new_v4().to_string();
                    let rowid = crate::writer::insert_invocation(
                        conn,
                        "seed",
                        &new,
                        &id,
                        new.conversation_id.as_deref().unwrap_or_default(),
                        asked,
                    )?;
                    let mut assembler = Assembler::default();
                    for (seq, event) in list.iter().enumerate() {
                        let at = asked + 400 + (seq as i64) * 35;
                        let payload = crate::writer::json_text(event)?;
                        crate::writer::insert_event(conn, rowid, seq as i64, event, &payload, at)?;
                        assembler.apply(at, event);
                        written += 1;
                    }
                    let status = if i % 50 == 3 {
                        HistoryStatus::Failed
                    } else {
                        HistoryStatus::Completed
                    };
                    finalize(
                        conn,
                        &Finalize {
                            rowid,
                            prompt: &new.prompt,
                            assembler: &assembler,
                            status,
                            error: None,
                            trace_id: None,
                            replied_at: assembler.last_at().unwrap_or(asked),
                        },
                    )?;
                }
                Ok(written)
            })
        })?;
        first = last;
    }
    Ok(written)
}
