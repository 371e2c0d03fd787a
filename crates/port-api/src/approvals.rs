//! Persistent tool-approval preferences of the signed-in user.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::PortClient;
use crate::error::Result;
use crate::invoke::ApprovalMode;
use crate::lenient;

/// Saved per-tool approval modes and disabled tools. Port's GET syncs them with the tools that
/// exist, so the keys double as the list of the user's tools.
///
/// What Portdesk reads and writes back keeps what it does not understand: a saved mode newer
/// than this client stays in `unknown_overrides`, and unknown top-level fields in `extra`; both
/// go back to Port unchanged on save.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalPreferences {
    pub tool_overrides: BTreeMap<String, ApprovalMode>,
    pub disabled_tools: Vec<String>,
    /// Tool → a saved mode Portdesk does not know (e.g. from a newer Port), as Port sent it.
    pub unknown_overrides: BTreeMap<String, Value>,
    /// Top-level preference fields Portdesk does not know, as Port sent them.
    pub extra: BTreeMap<String, Value>,
}

/// Fields of the response envelope, never written back as preferences.
const ENVELOPE_FIELDS: [&str; 1] = ["ok"];
const KNOWN_FIELDS: [&str; 2] = ["toolOverrides", "disabledTools"];

impl ApprovalPreferences {
    /// Reads the preferences from a body that has them at the top level or under `result` /
    /// `preferences`.
    fn from_body(body: &Value) -> Self {
        let nested = ["result", "preferences"]
            .iter()
            .find_map(|k| body.get(*k).filter(|v| v.is_object()));
        let holder = nested.unwrap_or(body);
        let mut tool_overrides = BTreeMap::new();
        let mut unknown_overrides = BTreeMap::new();
        if let Some(Value::Object(obj)) = holder.get("toolOverrides") {
            for (tool, mode) in obj {
                match serde_json::from_value::<ApprovalMode>(mode.clone()) {
                    Ok(m) => {
                        tool_overrides.insert(tool.clone(), m);
                    }
                    Err(_) => {
                        unknown_overrides.insert(tool.clone(), mode.clone());
                    }
                }
            }
        }
        let extra = match holder {
            Value::Object(obj) => obj
                .iter()
                .filter(|(k, _)| !KNOWN_FIELDS.contains(&k.as_str()))
                .filter(|(k, _)| nested.is_some() || !ENVELOPE_FIELDS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => BTreeMap::new(),
        };
        Self {
            tool_overrides,
            disabled_tools: lenient::strings(holder.get("disabledTools")),
            unknown_overrides,
            extra,
        }
    }

    /// The PUT body: known and unknown modes together (a mode Portdesk set wins over an unknown
    /// one for the same tool), unknown fields as they came.
    pub fn to_body(&self) -> Value {
        let mut overrides: Map<String, Value> = self
            .unknown_overrides
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (tool, mode) in &self.tool_overrides {
            overrides.insert(
                tool.clone(),
                serde_json::to_value(mode).unwrap_or(Value::Null),
            );
        }
        let mut body: Map<String, Value> = self
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        body.insert("toolOverrides".into(), Value::Object(overrides));
        body.insert(
            "disabledTools".into(),
            Value::from(self.disabled_tools.clone()),
        );
        Value::Object(body)
    }

    /// Sets (or with `None` removes) a tool's saved mode, dropping any unknown mode it had.
    pub fn set_mode(&mut self, tool: &str, mode: Option<ApprovalMode>) {
        self.unknown_overrides.remove(tool);
        match mode {
            Some(m) => {
                self.tool_overrides.insert(tool.to_owned(), m);
            }
            None => {
                self.tool_overrides.remove(tool);
            }
        }
    }

    /// Adds the tool to, or takes it off, the disabled list (order otherwise kept).
    pub fn set_disabled(&mut self, tool: &str, disabled: bool) {
        let present = self.disabled_tools.iter().any(|t| t == tool);
        if disabled && !present {
            self.disabled_tools.push(tool.to_owned());
        } else if !disabled {
            self.disabled_tools.retain(|t| t != tool);
        }
    }

    /// Every tool the preferences name, sorted and without duplicates.
    pub fn tool_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tool_overrides
            .keys()
            .chain(self.unknown_overrides.keys())
            .chain(self.disabled_tools.iter())
            .cloned()
            .collect();
        names.sort();
        names.dedup();
        names
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
        let body = preferences.to_body();
        let answer: Value = self.json(Method::PUT, PATH, Some(&body)).await?;
        Ok(ApprovalPreferences::from_body(&answer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_top_level_or_nested_and_keeps_unknown_modes() {
        let top = ApprovalPreferences::from_body(&json!({
            "ok": true, "toolOverrides": {"run_action": "approval", "x": "sometimes"},
            "disabledTools": ["delete_entity"], "defaultMode": {"write": "approval"}
        }));
        assert_eq!(top.tool_overrides.len(), 1);
        assert_eq!(top.unknown_overrides.get("x"), Some(&json!("sometimes")));
        assert_eq!(top.disabled_tools, vec!["delete_entity"]);
        assert_eq!(
            top.extra.keys().collect::<Vec<_>>(),
            ["defaultMode"],
            "ok is the envelope"
        );
        let nested = ApprovalPreferences::from_body(&json!({
            "ok": true, "result": {"toolOverrides": {"list_entities": "automatic"}}
        }));
        assert_eq!(
            nested.tool_overrides.get("list_entities"),
            Some(&ApprovalMode::Automatic)
        );
        assert!(nested.extra.is_empty());
    }

    #[test]
    fn writes_back_what_it_does_not_understand() {
        let read = ApprovalPreferences::from_body(&json!({
            "ok": true,
            "toolOverrides": {"run_action": "approval", "load_skill": "ask_once", "odd": {"m": 1}},
            "disabledTools": [], "defaultMode": "approval"
        }));
        assert_eq!(
            read.to_body(),
            json!({
                "toolOverrides": {"run_action": "approval", "load_skill": "ask_once", "odd": {"m": 1}},
                "disabledTools": [], "defaultMode": "approval"
            })
        );
        let mut changed = read.clone();
        changed.set_mode("load_skill", Some(ApprovalMode::Automatic));
        changed.set_mode("run_action", None);
        changed.set_disabled("delete_entity", true);
        assert_eq!(
            changed.to_body(),
            json!({
                "toolOverrides": {"load_skill": "automatic", "odd": {"m": 1}},
                "disabledTools": ["delete_entity"], "defaultMode": "approval"
            })
        );
        assert_eq!(changed.tool_names(), ["delete_entity", "load_skill", "odd"]);
    }
}
