//! What an invocation asks for, and the exact JSON body Port receives.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{PortError, Result};

/// Port's read-only default for agents, and a new install's default pattern set: least privilege,
/// as Port's docs advise.
pub const DEFAULT_TOOL_PATTERNS: &[&str] = &["^(list|get|search|track|describe)_.*"];

/// Port accepts at most this many MCP connectors per general-assistant request.
pub const MAX_MCP_SERVERS: usize = 5;

/// Whether a tool asks for approval before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalMode {
    Approval,
    Automatic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ChatMode {
    Ask,
    Plan,
    Build,
}

impl std::str::FromStr for ChatMode {
    type Err = PortError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ask" => Ok(Self::Ask),
            "plan" => Ok(Self::Plan),
            "build" => Ok(Self::Build),
            other => Err(PortError::invalid_request(format!(
                "unknown chat mode {other:?}: expected ask, plan or build"
            ))),
        }
    }
}

/// Whether self-service actions run on their own or wait for approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum ExecutionMode {
    Automatic,
    #[serde(rename = "Approval Required")]
    ApprovalRequired,
}

/// An LLM provider and one of its models: Port wants both or neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ModelChoice {
    pub provider: String,
    pub model: String,
}

/// One invocation: the general assistant when `agent` is `None`, else that agent.
///
/// Optional fields are sent only when set. Fields the target endpoint does not take are refused
/// before sending, with a message saying why, rather than silently dropped.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvokeRequest {
    pub agent: Option<String>,
    pub prompt: String,
    /// Tool-name patterns for the general assistant (always sent there; an agent has its own).
    pub tools: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub tool_approval_overrides: BTreeMap<String, ApprovalMode>,
    pub output_schema: Option<Value>,
    pub model: Option<ModelChoice>,
    /// MCP connector identifiers (general assistant only, at most five).
    pub mcp_servers: Vec<String>,
    pub chat_mode: Option<ChatMode>,
    /// General assistant only.
    pub system_prompt: Option<String>,
    /// General assistant only.
    pub execution_mode: Option<ExecutionMode>,
}

impl InvokeRequest {
    /// A general-assistant request with the default, read-only tool patterns.
    pub fn general(prompt: impl Into<String>) -> Self {
        Self {
            prompt: prompt.into(),
            tools: DEFAULT_TOOL_PATTERNS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Self::default()
        }
    }

    pub fn agent(agent: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            agent: Some(agent.into()),
            prompt: prompt.into(),
            ..Self::default()
        }
    }

    /// The path (with query) this request is posted to.
    pub fn path(&self) -> String {
        match &self.agent {
            None => "/v1/ai/invoke".to_string(),
            Some(agent) => format!(
                "/v1/agent/{}/invoke?stream=true",
                crate::client::segment(agent)
            ),
        }
    }

    /// Validates the request and builds the exact body Port receives.
    pub fn body(&self) -> Result<Value> {
        if self.prompt.trim().is_empty() {
            return Err(PortError::invalid_request("the prompt is empty"));
        }
        let mut body = Map::new();
        match &self.agent {
            None => {
                body.insert("userPrompt".into(), Value::from(self.prompt.clone()));
                body.insert("tools".into(), Value::from(self.tools.clone()));
            }
            Some(agent) => {
                if agent.trim().is_empty() {
                    return Err(PortError::invalid_request("the agent identifier is empty"));
                }
                self.refuse_general_only_fields()?;
                body.insert("prompt".into(), Value::from(self.prompt.clone()));
            }
        }
        if !self.labels.is_empty() {
            body.insert("labels".into(), to_value(&self.labels)?);
        }
        if let Some(choice) = &self.model {
            if choice.provider.trim().is_empty() || choice.model.trim().is_empty() {
                return Err(PortError::invalid_request(
                    "provider and model go together: set both or neither",
                ));
            }
            body.insert("provider".into(), Value::from(choice.provider.clone()));
            body.insert("model".into(), Value::from(choice.model.clone()));
        }
        if let Some(prompt) = &self.system_prompt {
            body.insert("systemPrompt".into(), Value::from(prompt.clone()));
        }
        if let Some(mode) = self.execution_mode {
            body.insert("executionMode".into(), to_value(&mode)?);
        }
        if !self.tool_approval_overrides.is_empty() {
            body.insert(
                "toolApprovalOverrides".into(),
                to_value(&self.tool_approval_overrides)?,
            );
        }
        if let Some(schema) = &self.output_schema {
            check_output_schema(schema)?;
            body.insert("outputSchema".into(), schema.clone());
        }
        if !self.mcp_servers.is_empty() {
            if self.mcp_servers.len() > MAX_MCP_SERVERS {
                return Err(PortError::invalid_request(format!(
                    "{} MCP servers requested; Port accepts at most {MAX_MCP_SERVERS} per invocation",
                    self.mcp_servers.len()
                )));
            }
            let servers: Vec<Value> = self
                .mcp_servers
                .iter()
                .map(|id| serde_json::json!({ "identifier": id }))
                .collect();
            body.insert("mcpServers".into(), Value::Array(servers));
        }
        if let Some(mode) = self.chat_mode {
            body.insert("chatMode".into(), to_value(&mode)?);
        }
        Ok(Value::Object(body))
    }

    fn refuse_general_only_fields(&self) -> Result<()> {
        let mut refused = Vec::new();
        if !self.tools.is_empty() {
            refused.push("tools (an agent's tools are set on the agent)");
        }
        if !self.mcp_servers.is_empty() {
            refused.push("MCP servers");
        }
        if self.system_prompt.is_some() {
            refused.push("a system prompt (an agent has its own)");
        }
        if self.execution_mode.is_some() {
            refused.push("an execution mode (set on the agent)");
        }
        if refused.is_empty() {
            Ok(())
        } else {
            Err(PortError::invalid_request(format!(
                "an agent invocation cannot take {}: they apply to the general assistant only",
                refused.join(", ")
            )))
        }
    }
}

fn to_value<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| PortError::invalid_request(format!("cannot encode the request: {e}")))
}

/// Port requires a JSON Schema with `type: "object"` at the root.
fn check_output_schema(schema: &Value) -> Result<()> {
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => Ok(()),
        _ => Err(PortError::invalid_request(
            "the output schema must be a JSON Schema object with \"type\": \"object\" at the root",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use serde_json::json;

    #[test]
    fn general_sends_user_prompt_and_always_tools() {
        let body = InvokeRequest::general("hi").body().unwrap();
        assert_eq!(
            body,
            json!({"userPrompt": "hi", "tools": ["^(list|get|search|track|describe)_.*"]})
        );
        let mut empty_tools = InvokeRequest::general("hi");
        empty_tools.tools.clear();
        assert_eq!(empty_tools.body().unwrap()["tools"], json!([]));
    }

    #[test]
    fn agent_sends_prompt_and_streams() {
        let request = InvokeRequest::agent("ops agent", "why?");
        assert_eq!(request.body().unwrap(), json!({"prompt": "why?"}));
        assert_eq!(request.path(), "/v1/agent/ops%20agent/invoke?stream=true");
    }

    #[test]
    fn every_optional_field_is_sent_only_when_set() {
        let mut request = InvokeRequest::general("q");
        request.labels.insert("source".into(), "cli".into());
        request
            .tool_approval_overrides
            .insert("run_action".into(), ApprovalMode::Approval);
        request.output_schema = Some(json!({"type": "object", "properties": {}}));
        request.model = Some(ModelChoice {
            provider: "port".into(),
            model: "gpt-5".into(),
        });
        request.mcp_servers = vec!["notion".into()];
        request.chat_mode = Some(ChatMode::Plan);
        request.system_prompt = Some("be brief".into());
        request.execution_mode = Some(ExecutionMode::ApprovalRequired);
        let body = request.body().unwrap();
        assert_eq!(body["labels"], json!({"source": "cli"}));
        assert_eq!(
            body["toolApprovalOverrides"],
            json!({"run_action": "approval"})
        );
        assert_eq!(body["provider"], "port");
        assert_eq!(body["model"], "gpt-5");
        assert_eq!(body["mcpServers"], json!([{"identifier": "notion"}]));
        assert_eq!(body["chatMode"], "plan");
        assert_eq!(body["systemPrompt"], "be brief");
        assert_eq!(body["executionMode"], "Approval Required");
        assert_eq!(body.as_object().unwrap().len(), 11);
    }

    #[test]
    fn refuses_what_port_would_reject() {
        let mut too_many = InvokeRequest::general("q");
        too_many.mcp_servers = (0..6).map(|i| format!("m{i}")).collect();
        assert_eq!(too_many.body().unwrap_err().code, ErrorCode::InvalidRequest);

        let mut agent_mcp = InvokeRequest::agent("a", "q");
        agent_mcp.mcp_servers = vec!["notion".into()];
        let err = agent_mcp.body().unwrap_err();
        assert!(err.message.contains("MCP servers"), "{}", err.message);

        let mut half_model = InvokeRequest::general("q");
        half_model.model = Some(ModelChoice {
            provider: "port".into(),
            model: String::new(),
        });
        assert!(half_model.body().is_err());

        let mut bad_schema = InvokeRequest::general("q");
        bad_schema.output_schema = Some(json!({"type": "array"}));
        assert!(bad_schema.body().is_err());

        assert!(InvokeRequest::general("   ").body().is_err());
    }
}
