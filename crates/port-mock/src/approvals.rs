//! Tool approval preferences (`/v1/ai/tool-approval-preferences`) and the tool list they
//! are checked against.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{parse_body, ApiError};
use crate::state::{lock, App};

/// Port's built-in tools, copied from `shared/port-tools.json` so the crate builds on its own.
const PORT_TOOLS_JSON: &str = include_str!("../data/port-tools.json");

/// The demo org has one MCP connector (`notion`); its tools are named `{connector}_{tool}`.
const CONNECTOR_TOOLS: [&str; 2] = ["notion_notion-search", "notion_notion-fetch"];

#[derive(Deserialize)]
struct ToolsFile {
    tools: Vec<ToolEntry>,
}

#[derive(Deserialize)]
struct ToolEntry {
    name: String,
}

fn port_tool_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        serde_json::from_str::<ToolsFile>(PORT_TOOLS_JSON)
            .map(|file| file.tools.into_iter().map(|t| t.name).collect())
            .unwrap_or_default()
    })
}

fn is_known_tool(name: &str) -> bool {
    CONNECTOR_TOOLS.contains(&name) || port_tool_names().iter().any(|t| t == name)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ApprovalMode {
    Approval,
    Automatic,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Preferences {
    tool_overrides: BTreeMap<String, ApprovalMode>,
    disabled_tools: Vec<String>,
}

impl Preferences {
    /// Port keeps only tools that exist; duplicates in `disabledTools` collapse.
    fn pruned(mut self) -> Self {
        self.tool_overrides.retain(|tool, _| is_known_tool(tool));
        let mut seen = Vec::new();
        for tool in self.disabled_tools {
            if is_known_tool(&tool) && !seen.contains(&tool) {
                seen.push(tool);
            }
        }
        self.disabled_tools = seen;
        self
    }
}

pub(crate) struct Approvals {
    prefs: Mutex<Preferences>,
}

impl Default for Approvals {
    fn default() -> Self {
        let tool_overrides = BTreeMap::from([("run_action".to_owned(), ApprovalMode::Approval)]);
        Self {
            prefs: Mutex::new(Preferences {
                tool_overrides,
                disabled_tools: Vec::new(),
            }),
        }
    }
}

impl Approvals {
    pub(crate) fn saved_mode(&self, tool: &str) -> Option<ApprovalMode> {
        lock(&self.prefs).tool_overrides.get(tool).copied()
    }

    fn to_json(&self) -> Value {
        let prefs = lock(&self.prefs).clone();
        let mut body = serde_json::to_value(prefs).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut body {
            map.insert("ok".into(), Value::Bool(true));
        }
        body
    }
}

pub(crate) async fn get_preferences(State(app): State<App>) -> Json<Value> {
    Json(app.approvals.to_json())
}

pub(crate) async fn put_preferences(
    State(app): State<App>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let prefs: Preferences = parse_body(&body)?;
    *lock(&app.approvals.prefs) = prefs.pruned();
    Ok(Json(app.approvals.to_json()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tool_list_is_complete() {
        assert_eq!(port_tool_names().len(), 31);
        assert!(is_known_tool("run_action"));
        assert!(is_known_tool("notion_notion-fetch"));
        assert!(!is_known_tool("search_entities"));
    }

    #[test]
    fn embedded_tool_list_matches_shared_copy() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/port-tools.json");
        let Ok(text) = std::fs::read_to_string(&shared) else {
            return; // the shared folder is optional outside the team's checkout
        };
        let file: ToolsFile = serde_json::from_str(&text).expect("shared port-tools.json parses");
        let names: Vec<String> = file.tools.into_iter().map(|t| t.name).collect();
        assert_eq!(names, port_tool_names());
    }

    #[test]
    fn pruning_drops_unknown_and_duplicate_tools() {
        let prefs = Preferences {
            tool_overrides: BTreeMap::from([
                ("run_action".to_owned(), ApprovalMode::Automatic),
                ("no_such_tool".to_owned(), ApprovalMode::Approval),
            ]),
            disabled_tools: vec![
                "delete_entity".into(),
                "ghost".into(),
                "delete_entity".into(),
            ],
        }
        .pruned();
        assert_eq!(prefs.tool_overrides.len(), 1);
        assert_eq!(prefs.disabled_tools, vec!["delete_entity".to_owned()]);
    }
}
