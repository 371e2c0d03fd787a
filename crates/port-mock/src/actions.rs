//! `GET /v1/actions`: the demo organisation's self-service actions. The invoke scripts draft
//! runs of `create_incident` and `deploy_service`, so both are here; the rest make the Tools
//! panel's Actions group look like a real org's (mixed blueprints, one legacy shape).

use axum::Json;
use serde_json::{json, Value};

fn action(identifier: &str, title: &str, blueprint: &str, description: &str) -> Value {
    json!({
        "identifier": identifier,
        "title": title,
        "description": description,
        "trigger": {"type": "self-service", "operation": "DAY-2", "blueprintIdentifier": blueprint},
        "invocationMethod": {"type": "GITHUB", "org": "acme-demo", "repo": "platform-actions"},
        "requiredApproval": false,
        "createdAt": "2025-09-14T10:00:00.000Z",
    })
}

pub(crate) fn actions() -> Vec<Value> {
    vec![
        action(
            "deploy_service",
            "Deploy a service",
            "service",
            "Deploy a version of a service to an environment.",
        ),
        action(
            "rollback_service",
            "Roll back a service",
            "service",
            "Return a service to its previous version.",
        ),
        action(
            "scale_service",
            "Scale a service",
            "service",
            "Change the replica count of a service.",
        ),
        action(
            "create_incident",
            "Open an incident",
            "service",
            "Open an incident in PagerDuty and link it to the service.",
        ),
        action(
            "resolve_incident",
            "Resolve an incident",
            "incident",
            "Mark an incident resolved and post the summary.",
        ),
        action(
            "delete_environment",
            "Delete an ephemeral environment",
            "environment",
            "Tear down a preview environment and its resources.",
        ),
        // An older action: `blueprint` at the top level, no trigger object.
        json!({"identifier": "create_github_repo", "title": "Create a repository", "blueprint": "repository"}),
    ]
}

pub(crate) async fn list() -> Json<Value> {
    Json(json!({"ok": true, "actions": actions()}))
}
