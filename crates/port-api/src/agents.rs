//! Port AI agents: entities of the `_ai_agent` blueprint.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::PortClient;
use crate::error::{PortError, Result};
use crate::lenient;

/// An agent as Portdesk shows it. Every property but the identifier is optional: older orgs lack
/// some of them, and carry legacy ones (`allowed_blueprints`) that are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    pub identifier: String,
    pub title: Option<String>,
    pub icon: Option<String>,
    pub description: Option<String>,
    /// `active` or `inactive`; `None` when the org does not track it (treated as active).
    pub status: Option<String>,
    /// Tool-name patterns (ECMAScript regex, anchored at the start).
    pub tools: Vec<String>,
    /// The agent's system prompt.
    pub prompt: Option<String>,
    /// `Automatic` or `Approval Required`.
    pub execution_mode: Option<String>,
    pub conversation_starters: Vec<String>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub labels: BTreeMap<String, String>,
}

impl Agent {
    /// Reads an entity; `None` when it has no identifier (nothing could invoke it).
    pub fn from_entity(entity: &Value) -> Option<Self> {
        let identifier = lenient::string(entity.get("identifier"))?;
        let props = entity.get("properties");
        let prop = |name: &str| props.and_then(|p| p.get(name));
        let labels = match prop("labels") {
            Some(Value::Array(_)) | Some(Value::String(_)) => lenient::strings(prop("labels"))
                .into_iter()
                .map(|l| (l, String::new()))
                .collect(),
            other => lenient::string_map(other),
        };
        Some(Self {
            identifier,
            title: lenient::string(entity.get("title")),
            icon: lenient::string(entity.get("icon")),
            description: lenient::string(prop("description")),
            status: lenient::string(prop("status")),
            tools: lenient::strings(prop("tools")),
            prompt: lenient::string(prop("prompt")),
            execution_mode: lenient::string(prop("execution_mode")),
            conversation_starters: lenient::strings(prop("conversation_starters")),
            provider: lenient::string(prop("provider")),
            model: lenient::string(prop("model")),
            labels,
        })
    }

    pub fn is_active(&self) -> bool {
        !matches!(self.status.as_deref(), Some(s) if s.eq_ignore_ascii_case("inactive"))
    }

    /// The title, or the identifier when the agent has none.
    pub fn display_name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.identifier)
    }
}

#[derive(Deserialize)]
struct EntitiesBody {
    #[serde(default)]
    entities: Vec<Value>,
}

impl PortClient {
    /// Every AI agent of the organisation.
    pub async fn list_agents(&self) -> Result<Vec<Agent>> {
        let body: EntitiesBody = self
            .get("/v1/blueprints/_ai_agent/entities")
            .await
            .map_err(|e: PortError| e)?;
        Ok(body
            .entities
            .iter()
            .filter_map(Agent::from_entity)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_full_agent() {
        let agent = Agent::from_entity(&json!({
            "identifier": "ops",
            "title": "Ops",
            "properties": {
                "description": "d", "status": "active", "tools": ["^list_.*"],
                "prompt": "p", "execution_mode": "Automatic",
                "conversation_starters": ["a", "b"], "provider": "port", "model": "gpt-5",
                "labels": {"team": "sre"}
            }
        }))
        .unwrap();
        assert_eq!(agent.tools, vec!["^list_.*"]);
        assert_eq!(agent.conversation_starters.len(), 2);
        assert_eq!(agent.labels.get("team").map(String::as_str), Some("sre"));
        assert!(agent.is_active());
    }

    #[test]
    fn tolerates_missing_wrongly_typed_and_legacy_properties() {
        let agent = Agent::from_entity(&json!({
            "identifier": "legacy",
            "properties": {"allowed_blueprints": ["service"], "tools": "^get_.*",
                           "status": "inactive", "conversation_starters": null, "prompt": 3}
        }))
        .unwrap();
        assert_eq!(agent.display_name(), "legacy");
        assert_eq!(agent.tools, vec!["^get_.*"]);
        assert!(agent.conversation_starters.is_empty());
        assert_eq!(agent.prompt.as_deref(), Some("3"));
        assert!(!agent.is_active());
        assert!(Agent::from_entity(&json!({"title": "no id"})).is_none());
        assert!(Agent::from_entity(&json!({"identifier": "bare"})).is_some());
    }
}
