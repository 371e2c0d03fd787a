//! The request options Chat starts with for one agent of one workspace: two Port organisations can
//! each have an agent called `ops`, and what the user set for one is not the other's. Kept in the
//! workspace's prefs file per agent (see `per_agent.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::per_agent::keep_unknown;

/// The options a Chat request starts with for one agent. Only what the user set is kept, and
/// only what is set is sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestOptions {
    /// Tool patterns for this request (general assistant only); `None`: the saved default set.
    pub tools: Option<Vec<String>>,
    pub labels: BTreeMap<String, String>,
    pub model: Option<port_api::ModelChoice>,
    pub chat_mode: Option<port_api::ChatMode>,
    /// MCP connector identifiers (general assistant only, at most five).
    pub mcp_servers: Vec<String>,
    pub tool_approval_overrides: BTreeMap<String, port_api::ApprovalMode>,
    /// The schema as the user typed it, so a draft that does not parse yet is not lost.
    pub output_schema: Option<String>,
}

impl RequestOptions {
    /// Port's rules for what may be remembered for `agent` ("" is the general assistant): the
    /// reason when it would refuse them.
    pub fn check(&self, agent: &str) -> Result<(), String> {
        let max = port_api::invoke::MAX_MCP_SERVERS;
        if self.mcp_servers.len() > max {
            return Err(format!(
                "{} MCP connectors chosen; Port accepts at most {max}",
                self.mcp_servers.len()
            ));
        }
        if !agent.is_empty() && (self.tools.is_some() || !self.mcp_servers.is_empty()) {
            return Err(
                "tool patterns and MCP connectors apply to the general assistant only".to_string(),
            );
        }
        Ok(())
    }
}

/// Writes one agent's options over what is saved for it. Options back at their defaults remove
/// the entry, unless it holds fields this version does not know.
pub(crate) fn write(
    stored: &mut BTreeMap<String, Value>,
    agent: &str,
    options: &RequestOptions,
) -> Result<(), serde_json::Error> {
    let old = stored.get(agent);
    let mut next = keep_unknown(old, serde_json::to_value(options)?);
    if let Some(map) = next.as_object_mut() {
        let old_model = old.and_then(|o| o.get("model"));
        if let Some(model) = map.remove("model") {
            map.insert("model".into(), keep_unknown(old_model, model));
        }
    }
    let known = known_fields()?;
    let only_known = next
        .as_object()
        .is_some_and(|m| m.keys().all(|k| known.contains_key(k)));
    if *options == RequestOptions::default() && only_known {
        stored.remove(agent);
    } else {
        stored.insert(agent.to_string(), next);
    }
    Ok(())
}

fn known_fields() -> Result<Map<String, Value>, serde_json::Error> {
    match serde_json::to_value(RequestOptions::default())? {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::per_agent::readable;
    use serde_json::json;

    fn read(stored: &BTreeMap<String, Value>) -> BTreeMap<String, RequestOptions> {
        readable(stored)
    }

    #[test]
    fn unknown_fields_of_an_entry_and_of_its_model_survive_a_write() {
        let mut stored = BTreeMap::new();
        stored.insert(
            "ops".to_string(),
            json!({"chatMode": "ask", "temperature": 0.2,
                   "model": {"provider": "port", "model": "a", "region": "eu"}}),
        );
        let mut options = read(&stored).remove("ops").expect("readable");
        assert_eq!(options.chat_mode, Some(port_api::ChatMode::Ask));
        options.chat_mode = Some(port_api::ChatMode::Plan);
        options.model = Some(port_api::ModelChoice {
            provider: "port".into(),
            model: "b".into(),
        });
        write(&mut stored, "ops", &options).unwrap();
        let entry = &stored["ops"];
        assert_eq!(entry["chatMode"], "plan");
        assert_eq!(entry["temperature"], 0.2);
        assert_eq!(
            entry["model"],
            json!({"provider": "port", "model": "b", "region": "eu"})
        );

        // Cleared: the entry stays for the field this version does not know.
        write(&mut stored, "ops", &RequestOptions::default()).unwrap();
        assert_eq!(stored["ops"]["temperature"], 0.2);
        assert_eq!(stored["ops"]["chatMode"], Value::Null);
    }

    #[test]
    fn cleared_options_without_unknown_fields_are_forgotten() {
        let mut stored = BTreeMap::new();
        let options = RequestOptions {
            chat_mode: Some(port_api::ChatMode::Build),
            ..Default::default()
        };
        write(&mut stored, "", &options).unwrap();
        assert_eq!(read(&stored)[""], options);
        write(&mut stored, "", &RequestOptions::default()).unwrap();
        assert!(stored.is_empty());
    }

    #[test]
    fn an_entry_this_version_cannot_read_is_left_alone() {
        let mut stored = BTreeMap::new();
        stored.insert("ops".to_string(), json!({"chatMode": "research"}));
        assert!(read(&stored).is_empty());
        write(
            &mut stored,
            "sre",
            &RequestOptions {
                chat_mode: Some(port_api::ChatMode::Ask),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(stored["ops"], json!({"chatMode": "research"}));
    }

    #[test]
    fn port_would_refuse_general_only_options_for_agents_and_six_connectors() {
        let six = RequestOptions {
            mcp_servers: (0..6).map(|i| format!("m{i}")).collect(),
            ..Default::default()
        };
        assert!(six.check("").is_err());
        let tools = RequestOptions {
            tools: Some(vec!["^list_.*".into()]),
            ..Default::default()
        };
        assert!(tools.check("").is_ok());
        assert!(tools.check("ops").is_err());
    }
}
