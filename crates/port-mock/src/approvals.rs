//! Tool approval preferences (`/v1/ai/tool-approval-preferences`) and the tool list they
//! are checked against.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{parse_body, ApiError};
use crate::state::{lock, App};

/// Port's built-in tools: the same file the tool-patterns crate owns (one list, one review).
const PORT_TOOLS_JSON: &str = include_str!("../../tool-patterns/data/port-tools.json");

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

impl ApprovalMode {
    fn parse(mode: &str) -> Option<Self> {
        match mode {
            "approval" => Some(Self::Approval),
            "automatic" => Some(Self::Automatic),
            _ => None,
        }
    }
}

const WRITE_VERBS: [&str; 5] = ["upsert_", "delete_", "update_", "trigger_", "run_"];

/// A tool's mode when the user saved none: tools that change something ask first.
fn default_mode(tool: &str) -> &'static str {
    if WRITE_VERBS.iter().any(|v| tool.starts_with(v)) || CONNECTOR_TOOLS.contains(&tool) {
        "approval"
    } else {
        "automatic"
    }
}

/// What the user saved. Modes are kept as text so that the mock can play a newer Port (see
/// [`crate::MockServer::seed_newer_approval_preferences`]).
#[derive(Clone, Default)]
struct Preferences {
    tool_overrides: BTreeMap<String, String>,
    disabled_tools: Vec<String>,
    /// Top-level fields a newer Port keeps beside the two documented ones.
    extra: Map<String, Value>,
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
    /// Modes this mock accepts besides approval/automatic (a newer Port's).
    newer_modes: Mutex<Vec<String>>,
}

impl Default for Approvals {
    fn default() -> Self {
        Self {
            prefs: Mutex::new(Preferences::default()),
            newer_modes: Mutex::new(Vec::new()),
        }
    }
}

impl Approvals {
    /// The saved mode, else the tool's default (as Port's GET reports it).
    pub(crate) fn saved_mode(&self, tool: &str) -> Option<ApprovalMode> {
        let prefs = lock(&self.prefs);
        match prefs.tool_overrides.get(tool) {
            Some(mode) => ApprovalMode::parse(mode),
            None => is_known_tool(tool)
                .then(|| ApprovalMode::parse(default_mode(tool)))
                .flatten(),
        }
    }

    /// Port's GET: every tool that exists, with its saved mode or its default.
    fn to_json(&self) -> Value {
        let prefs = lock(&self.prefs).clone();
        let mut overrides = Map::new();
        for tool in port_tool_names()
            .iter()
            .map(String::as_str)
            .chain(CONNECTOR_TOOLS)
        {
            let mode = prefs
                .tool_overrides
                .get(tool)
                .cloned()
                .unwrap_or_else(|| default_mode(tool).to_owned());
            overrides.insert(tool.to_owned(), Value::String(mode));
        }
        let mut body = prefs.extra.clone();
        body.insert("ok".into(), Value::Bool(true));
        body.insert("toolOverrides".into(), Value::Object(overrides));
        body.insert("disabledTools".into(), Value::from(prefs.disabled_tools));
        Value::Object(body)
    }

    /// Plays a newer Port: `body` (`toolOverrides`, `disabledTools` and any other top-level
    /// fields) is stored as is, and the modes and fields it uses are accepted from then on.
    pub(crate) fn seed_newer(&self, body: &Value) {
        let mut prefs = Preferences::default();
        let mut newer = lock(&self.newer_modes);
        if let Some(Value::Object(obj)) = body.get("toolOverrides") {
            for (tool, mode) in obj {
                let mode = mode.as_str().unwrap_or_default().to_owned();
                if ApprovalMode::parse(&mode).is_none() && !newer.contains(&mode) {
                    newer.push(mode.clone());
                }
                prefs.tool_overrides.insert(tool.clone(), mode);
            }
        }
        if let Some(Value::Array(tools)) = body.get("disabledTools") {
            prefs.disabled_tools = tools
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
        }
        if let Value::Object(obj) = body {
            for (k, v) in obj {
                if !["ok", "toolOverrides", "disabledTools"].contains(&k.as_str()) {
                    prefs.extra.insert(k.clone(), v.clone());
                }
            }
        }
        *lock(&self.prefs) = prefs;
    }

    /// Validates a PUT body as Port would: the two documented fields with known modes; other
    /// fields only where a newer Port (seeded) has them.
    fn parse_put(&self, body: &Value) -> Result<Preferences, ApiError> {
        let Value::Object(obj) = body else {
            return Err(ApiError::Invalid("body must be an object".into()));
        };
        let known_extra: Vec<String> = lock(&self.prefs).extra.keys().cloned().collect();
        let newer = lock(&self.newer_modes).clone();
        let mut prefs = Preferences::default();
        for (key, value) in obj {
            match key.as_str() {
                "toolOverrides" => {
                    let Value::Object(modes) = value else {
                        return Err(ApiError::Invalid("toolOverrides must be an object".into()));
                    };
                    for (tool, mode) in modes {
                        let mode = mode.as_str().unwrap_or_default();
                        if ApprovalMode::parse(mode).is_none() && !newer.iter().any(|m| m == mode) {
                            return Err(ApiError::Invalid(format!(
                                "toolOverrides.{tool}: unknown mode {mode:?}"
                            )));
                        }
                        prefs.tool_overrides.insert(tool.clone(), mode.to_owned());
                    }
                }
                "disabledTools" => {
                    let Value::Array(tools) = value else {
                        return Err(ApiError::Invalid("disabledTools must be an array".into()));
                    };
                    for tool in tools {
                        let Some(tool) = tool.as_str() else {
                            return Err(ApiError::Invalid(
                                "disabledTools must hold strings".into(),
                            ));
                        };
                        prefs.disabled_tools.push(tool.to_owned());
                    }
                }
                other if known_extra.iter().any(|k| k == other) => {
                    prefs.extra.insert(other.to_owned(), value.clone());
                }
                other => {
                    return Err(ApiError::Invalid(format!("unknown field {other:?}")));
                }
            }
        }
        Ok(prefs)
    }
}

pub(crate) async fn get_preferences(State(app): State<App>) -> Json<Value> {
    Json(app.approvals.to_json())
}

pub(crate) async fn put_preferences(
    State(app): State<App>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let value: Value = parse_body(&body)?;
    let prefs = app.approvals.parse_put(&value)?;
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
                ("run_action".to_owned(), "automatic".to_owned()),
                ("no_such_tool".to_owned(), "approval".to_owned()),
            ]),
            disabled_tools: vec![
                "delete_entity".into(),
                "ghost".into(),
                "delete_entity".into(),
            ],
            extra: Map::new(),
        }
        .pruned();
        assert_eq!(prefs.tool_overrides.len(), 1);
        assert_eq!(prefs.disabled_tools, vec!["delete_entity".to_owned()]);
    }

    #[test]
    fn every_tool_has_a_mode_and_writes_ask_first() {
        let approvals = Approvals::default();
        let body = approvals.to_json();
        let modes = body["toolOverrides"].as_object().expect("object");
        assert_eq!(modes.len(), 33);
        assert_eq!(modes["run_action"], "approval");
        assert_eq!(modes["list_entities"], "automatic");
        assert_eq!(
            approvals.saved_mode("run_action"),
            Some(ApprovalMode::Approval)
        );
    }
}
