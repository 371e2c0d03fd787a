//! The organisation's self-service actions. Each one is a tool of its own for Port AI,
//! `run_<identifier>` (executed through `run_action`), so the pattern editor lists them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::PortClient;
use crate::error::{PortError, Result};
use crate::lenient;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PortAction {
    pub identifier: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The blueprint a self-service action belongs to, when it has one.
    pub blueprint: Option<String>,
}

impl PortAction {
    /// The tool name Port AI knows the action by.
    pub fn tool_name(&self) -> String {
        format!("run_{}", self.identifier)
    }
}

fn action_from(value: &Value) -> Option<PortAction> {
    let identifier = lenient::string(value.get("identifier"))?;
    if identifier.is_empty() {
        return None;
    }
    // Older actions carry `blueprint` at the top; newer ones inside `trigger`.
    let blueprint = lenient::string(value.get("blueprint")).or_else(|| {
        value
            .get("trigger")
            .and_then(|t| lenient::string(t.get("blueprintIdentifier")))
    });
    Some(PortAction {
        identifier,
        title: lenient::string(value.get("title")),
        description: lenient::string(value.get("description")),
        blueprint,
    })
}

impl PortClient {
    /// `GET /v1/actions`. Entries without an identifier are skipped, unknown fields ignored:
    /// the list only names tools.
    pub async fn list_actions(&self) -> Result<Vec<PortAction>> {
        let body: Value = self.get("/v1/actions").await?;
        match body.get("actions") {
            Some(Value::Array(items)) => Ok(items.iter().filter_map(action_from).collect()),
            _ => Err(PortError::invalid_response(
                "the actions answer has no actions array",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_are_read_leniently() {
        let old = json!({"identifier": "deploy", "title": "Deploy", "blueprint": "service"});
        let new = json!({"identifier": "scale", "trigger": {"type": "self-service", "blueprintIdentifier": "service"}, "extra": 1});
        let numeric = json!({"identifier": 42});
        assert_eq!(
            action_from(&old).map(|a| a.blueprint),
            Some(Some("service".to_owned()))
        );
        let scale = action_from(&new).expect("scale");
        assert_eq!(scale.blueprint.as_deref(), Some("service"));
        assert_eq!(scale.title, None);
        assert_eq!(scale.tool_name(), "run_scale");
        assert_eq!(
            action_from(&numeric).map(|a| a.identifier),
            Some("42".into())
        );
        assert_eq!(action_from(&json!({"title": "no id"})), None);
        assert_eq!(action_from(&json!({"identifier": ""})), None);
    }
}
