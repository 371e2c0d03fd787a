//! The demo organisation's AI agents, as Port returns them from `_ai_agent`. Deliberately
//! uneven: one legacy agent lacks most properties and carries `allowed_blueprints`, one is
//! inactive, models and providers differ (one the org has not enabled), so clients meet what
//! older orgs really hold.

use std::sync::OnceLock;

use serde_json::{json, Value};

const CREATED_AT: &str = "2025-10-02T08:15:00.000Z";
const UPDATED_AT: &str = "2026-01-12T14:03:27.000Z";
const ADMIN: &str = "maya.cohen@acme-demo.io";

fn agent(identifier: &str, title: &str, icon: &str, properties: Value) -> Value {
    json!({
        "identifier": identifier,
        "title": title,
        "icon": icon,
        "blueprint": "_ai_agent",
        "team": [],
        "properties": properties,
        "relations": {},
        "createdAt": CREATED_AT,
        "createdBy": ADMIN,
        "updatedAt": UPDATED_AT,
        "updatedBy": ADMIN,
    })
}

pub(crate) fn agents() -> &'static [Value] {
    static AGENTS: OnceLock<Vec<Value>> = OnceLock::new();
    AGENTS.get_or_init(build_agents)
}

fn build_agents() -> Vec<Value> {
    vec![
        agent(
            "service_explorer",
            "Service Explorer",
            "Microservice",
            json!({
                "description": "Answers questions about services, their owners, dependencies, scorecards and recent deployments.",
                "status": "active",
                "tools": ["^(list|get|search|track|describe)_.*"],
                "prompt": "You help engineers understand the software catalog. Always name the owning team and link to the entity page. Prefer tables for comparisons.",
                "execution_mode": "Automatic",
                "conversation_starters": [
                    "Who owns payments-api?",
                    "Which tier 1 services failed a scorecard this week?",
                    "What depends on auth-service?"
                ],
                "labels": {"domain": "catalog", "team": "platform"}
            }),
        ),
        agent(
            "incident_manager",
            "Incident Manager",
            "PagerDuty",
            json!({
                "description": "Triages incidents: finds the affected service and its on-call, and drafts incidents for approval.",
                "status": "active",
                "tools": ["^(list|search)_.*", "run_action", "^(create|trigger)_incident"],
                "prompt": "You are the incident commander's assistant. Identify the affected service, its owners and on-call, and open incidents only through self-service actions.",
                "execution_mode": "Approval Required",
                "conversation_starters": [
                    "checkout-web latency is above SLO, open an incident",
                    "Who is on call for auth-service?"
                ],
                "provider": "port",
                "model": "claude-haiku-4-5-20251001",
                "labels": {"domain": "reliability"}
            }),
        ),
        agent(
            "deploy_assistant",
            "Deployment Assistant",
            "Deployment",
            json!({
                "description": "Checks deployment readiness and triggers deployments through self-service actions.",
                "status": "active",
                "tools": ["^(list|get|search)_.*", "^run_.*"],
                "prompt": "Before any deployment, check the service's scorecards and open incidents. Never deploy a service with an open SEV1 or SEV2.",
                "execution_mode": "Approval Required",
                "conversation_starters": [
                    "Is payments-api ready to deploy v3.8.0 to production?",
                    "What was deployed to production today?"
                ],
                "provider": "port",
                "model": "gpt-5",
                "labels": {"domain": "delivery", "team": "platform"}
            }),
        ),
        agent(
            "scorecard_coach",
            "Scorecard Coach",
            "Scorecards",
            json!({
                "description": "Explains scorecard results and suggests the next step for each failing rule.",
                "status": "active",
                "tools": ["^list_(scorecards|entities)$", "search_.*"],
                "prompt": "Explain scorecard rules in plain language and suggest one concrete fix per failing rule.",
                "execution_mode": "Automatic",
                "conversation_starters": ["Why is checkout-web only Silver on Production Readiness?"],
                "labels": {}
            }),
        ),
        agent(
            "cost_reporter",
            "Cloud Cost Reporter",
            "Cloud",
            json!({
                "description": "Summarised monthly cloud spend per team. Paused while the FinOps integration is rebuilt.",
                "status": "inactive",
                "tools": ["^(list|search)_.*"],
                "prompt": "Report cloud spend per team and flag month-over-month increases above 15%.",
                "execution_mode": "Automatic",
                "conversation_starters": ["What did the Payments team spend last month?"],
                "provider": "openai",
                "model": "gpt-5"
            }),
        ),
        agent(
            "onboarding_buddy",
            "Onboarding Buddy",
            "Team",
            json!({
                "description": "Helps new engineers find their team's services, runbooks and owners in their first weeks.",
                "status": "active",
                "tools": ["^(list|get|search)_(entities|blueprints)", "^describe_.*"],
                "prompt": "Welcome new engineers. Answer briefly, link to the entity pages, and suggest one next thing to read.",
                "execution_mode": "Automatic",
                "conversation_starters": [
                    "Which services does my team own?",
                    "Where are the runbooks for payments-api?",
                    "Who should I ask about auth-service?"
                ],
                "provider": "port",
                "model": "claude-sonnet-4-5-20250929",
                "labels": {"domain": "people"}
            }),
        ),
        agent(
            "catalog_helper_v1",
            "Catalog Helper (v1)",
            "Bot",
            json!({
                "description": "First-generation catalog assistant.",
                "allowed_blueprints": ["service", "microservice", "team"]
            }),
        ),
    ]
}
