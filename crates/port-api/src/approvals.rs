//! Persistent tool-approval preferences of the signed-in user.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::PortClient;
use crate::error::Result;
use crate::invoke::ApprovalMode;
use crate::lenient;

/// Saved per-tool approval modes and disabled tools. Port's GET syncs them with the tools that
/// exist, so the keys double as the list of the user's tools.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalPreferences {
    pub tool_overrides: BTreeMap<String, ApprovalMode>,
    pub disabled_tools: Vec<String>,
}

impl ApprovalPreferences {
    /// Reads the preferences from a body that has them at the top level or under `result` /
    /// `preferences`; unknown modes are skipped rather than failing the whole read.
    fn from_body(body: &Value) -> Self {
        let holder = ["result", "preferences"]
            .iter()
            .find_map(|k| body.get(*k).filter(|v| v.is_object()))
            .unwrap_or(body);
        let tool_overrides = match holder.get("toolOverrides") {
            Some(Value::Object(obj)) => obj
                .iter()
                .filter_map(|(tool, mode)| {
                    serde_json::from_value::<ApprovalMode>(mode.clone())
                        .ok()
                        .map(|m| (tool.clone(), m))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        Self {
            tool_overrides,
            disabled_tools: lenient::strings(holder.get("disabledTools")),
        }
    }
}

const PATH: &str = "/v1/ai/tool-approval-preferences";

impl PortClient {
    pub async fn approval_preferences(&self) -> Result<ApprovalPreferences> {
        let body: Value = self.get(PATH).await?;
        Ok(ApprovalPreferences::from_body(&body))
    }

    /// Saves the preferences and returns them as Port stored them (it prunes unknown tools).
    pub async fn set_approval_preferences(
        &self,
        preferences: &ApprovalPreferences,
    ) -> Result<ApprovalPreferences> {
        let body = serde_json::json!({
            "toolOverrides": preferences.tool_overrides,
            "disabledTools": preferences.disabled_tools,
        });
        let answer: Value = self.json(Method::PUT, PATH, Some(&body)).await?;
        Ok(ApprovalPreferences::from_body(&answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_top_level_or_nested_and_skips_unknown_modes() {
        let top = ApprovalPreferences::from_body(&json!({
            "ok": true, "toolOverrides": {"run_action": "approval", "x": "sometimes"},
            "disabledTools": ["delete_entity"]
        }));
        assert_eq!(top.tool_overrides.len(), 1);
        assert_eq!(top.disabled_tools, vec!["delete_entity"]);
        let nested = ApprovalPreferences::from_body(&json!({
            "ok": true, "result": {"toolOverrides": {"list_entities": "automatic"}}
        }));
        assert_eq!(
            nested.tool_overrides.get("list_entities"),
            Some(&ApprovalMode::Automatic)
        );
    }
}
