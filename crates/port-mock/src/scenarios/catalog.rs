//! Scripts about the demo software catalog: an overview, self-service actions, a long report.

use super::{
    answer_chunks, tool_call, tool_call_chunks, tool_result, tool_result_chunks, Context, Script,
};
use crate::approvals::ApprovalMode;

const OVERVIEW_ANSWER: &str = "## Service catalog overview

Found **12 services** owned by 5 teams. The ones that need attention:

- `payments-api` — owned by **Payments**, tier 1, deployed v3.7.2 two hours ago
- `checkout-web` — owned by **Storefront**, tier 1, one open incident (INC-2041)
- `auth-service` — owned by **Identity**, tier 0, Gold on Production Readiness

| Service | Owner | Tier | Health |
|---|---|---|---|
| payments-api | Payments | 1 | ✅ Healthy |
| checkout-web | Storefront | 1 | ⚠️ Degraded |
| auth-service | Identity | 0 | ✅ Healthy |
| search-api | Discovery | 2 | ✅ Healthy |

To see all of them, filter the catalog with `blueprint = service`.
";

/// Two calls whose chunks interleave, results in chunks, then a call in Port's own
/// single-chunk style without `lastChunk`, then the answer.
pub(super) fn overview() -> Script {
    let list_args = r#"{"blueprintIdentifier":"service","limit":50,"include":["$title","owning_team","tier","health"]}"#;
    let search_args = r#"{"blueprintIdentifier":"incident","query":{"combinator":"and","rules":[{"property":"status","operator":"=","value":"open"}]}}"#;
    let list = tool_call_chunks("call_0", "list_entities", list_args, 3).into_iter();
    let mut search = tool_call_chunks("call_1", "list_entities", search_args, 2).into_iter();
    let mut events = Vec::new();
    // call_0, call_1, call_0, call_1 (last), call_0 (last)
    for chunk in list {
        events.push(chunk);
        events.extend(search.next());
    }
    events.extend(tool_result_chunks(
        "call_0",
        "Found 12 services: payments-api (Payments, tier 1, healthy), checkout-web (Storefront, \
         tier 1, degraded), auth-service (Identity, tier 0, healthy), search-api (Discovery, \
         tier 2, healthy), notifications-worker (Platform, tier 2, healthy) and 7 more.",
        3,
    ));
    events.extend(tool_result_chunks(
        "call_1",
        "1 open incident: INC-2041 \"checkout-web p95 latency above SLO\" (SEV2, opened 40 \
         minutes ago, on-call: Storefront).",
        2,
    ));
    events.push(tool_call(
        "call_2",
        Some("list_scorecards"),
        r#"{"blueprintIdentifier":"service"}"#,
        None,
    ));
    events.push(tool_result(
        "call_2",
        "Production Readiness: payments-api Gold, checkout-web Silver, auth-service Gold.",
        None,
    ));
    events.extend(answer_chunks(OVERVIEW_ANSWER, 24));
    Script::from_events(events, OVERVIEW_ANSWER.to_owned())
}

#[derive(Clone, Copy)]
pub(super) enum ActionKind {
    Incident,
    Deploy,
}

struct ActionText {
    service: &'static str,
    lookup: &'static str,
    action: &'static str,
    arguments: &'static str,
    heading: &'static str,
    summary: &'static str,
}

fn action_text(kind: ActionKind) -> ActionText {
    match kind {
        ActionKind::Incident => ActionText {
            service: "checkout-web",
            lookup: "checkout-web: owned by Storefront (on-call: Maya Cohen), tier 1, p95 latency \
                     1.8 s against an 800 ms SLO since 09:40 UTC.",
            action: "create_incident",
            arguments: r#"{"actionIdentifier":"create_incident","entityIdentifier":"checkout-web","properties":{"title":"checkout-web p95 latency above SLO","severity":"SEV2","description":"p95 latency 1.8s vs 800ms SLO since 09:40 UTC"}}"#,
            heading: "Incident for `checkout-web`",
            summary: "- **Title:** checkout-web p95 latency above SLO\n- **Severity:** SEV2\n\
                      - **Owner:** Storefront (on-call: Maya Cohen)\n",
        },
        ActionKind::Deploy => ActionText {
            service: "payments-api",
            lookup: "payments-api: owned by Payments, tier 1, Gold on Production Readiness, no \
                     open incidents; v3.8.0 passed staging checks 25 minutes ago.",
            action: "deploy_service",
            arguments: r#"{"actionIdentifier":"deploy_service","entityIdentifier":"payments-api","properties":{"version":"v3.8.0","environment":"production"}}"#,
            heading: "Deployment of `payments-api` v3.8.0",
            summary: "- **Version:** v3.8.0 → production\n- **Readiness:** Gold, no open \
                      incidents\n- **Owner:** Payments\n",
        },
    }
}

pub(super) fn action(kind: ActionKind, ctx: &Context) -> Script {
    let text = action_text(kind);
    let run_id = format!("r_{:06}", ctx.seq);
    let url = format!("https://app.port.io/self-serve?runId={run_id}");
    let lookup_args = format!(
        r#"{{"blueprintIdentifier":"service","query":"{}"}}"#,
        text.service
    );
    let (result, closing) = match ctx.run_action_mode {
        ApprovalMode::Approval => (
            format!(
                "Draft action run {run_id} created for {} on {}. It needs approval before it \
                 runs: {url}",
                text.action, text.service
            ),
            format!(
                "The run `{run_id}` is a **draft**: it needs your approval before it runs.\n\n\
                 [Review in Port]({url})\n"
            ),
        ),
        ApprovalMode::Automatic => (
            format!(
                "Action run {run_id} for {} on {} was triggered and is in progress.",
                text.action, text.service
            ),
            format!("The run `{run_id}` started automatically.\n\n[View the run in Port]({url})\n"),
        ),
    };
    let answer = format!("## {}\n\n{}\n{closing}", text.heading, text.summary);
    let mut events = tool_call_chunks("call_0", "list_actions", &lookup_args, 2);
    events.push(tool_result("call_0", text.lookup, Some(true)));
    events.extend(tool_call_chunks("call_1", "run_action", text.arguments, 3));
    events.extend(tool_result_chunks("call_1", &result, 2));
    events.extend(answer_chunks(&answer, 12));
    Script::from_events(events, answer)
}

const TEAMS: [&str; 5] = [
    "Payments",
    "Storefront",
    "Identity",
    "Discovery",
    "Platform",
];
const HEALTH: [&str; 4] = ["✅ Healthy", "✅ Healthy", "⚠️ Degraded", "✅ Healthy"];

/// A weekly report long enough to be cut into about 200 chunks.
pub(super) fn long() -> Script {
    let mut answer = String::from(
        "## Weekly service health report\n\nEvery service in the catalog, with its owner, \
         tier, deployments this week and health:\n\n| Service | Owner | Tier | Deploys | Health |\n\
         |---|---|---|---|---|\n",
    );
    for i in 0..48 {
        answer.push_str(&format!(
            "| service-{i:02} | {} | {} | {} | {} |\n",
            TEAMS[i % TEAMS.len()],
            i % 3,
            (i * 7) % 5,
            HEALTH[i % HEALTH.len()]
        ));
    }
    answer.push_str(
        "\n### Recommendations\n\n1. Roll back `service-02` to its last Gold build.\n2. Add an \
         on-call schedule for the **Discovery** team.\n3. Raise `search-api` to tier 1 before the \
         holiday freeze.\n",
    );
    let mut events = vec![tool_call(
        "call_0",
        Some("list_entities"),
        r#"{"blueprintIdentifier":"service","limit":200}"#,
        Some(true),
    )];
    events.push(tool_result(
        "call_0",
        "Found 48 services with deployment counts for the last 7 days.",
        Some(true),
    ));
    events.extend(answer_chunks(&answer, 200));
    Script::from_events(events, answer)
}
