//! The stored request body (exactly what Port received) read back as an `InvokeRequest`, so an
//! invocation can be sent again as it was.

use std::collections::BTreeMap;

use port_api::{ApprovalMode, ChatMode, ExecutionMode, InvokeRequest, ModelChoice};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `None` when there is no body (imported from Port) or it has no prompt. Fields that do not
/// read are left at their defaults rather than failing the whole request.
pub fn request_from_body(agent: Option<&str>, body: &Value) -> Option<InvokeRequest> {
    let body = body.as_object()?;
    let prompt = body
        .get("userPrompt")
        .or_else(|| body.get("prompt"))
        .and_then(Value::as_str)?
        .to_string();
    let field = |name: &str| body.get(name).filter(|v| !v.is_null());
    let model = match (
        field("provider").and_then(Value::as_str),
        field("model").and_then(Value::as_str),
    ) {
        (Some(provider), Some(model)) => Some(ModelChoice {
            provider: provider.to_string(),
            model: model.to_string(),
        }),
        _ => None,
    };
    let mcp_servers = field("mcpServers")
        .and_then(Value::as_array)
        .map(|servers| {
            servers
                .iter()
                .filter_map(|s| s.get("identifier").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Some(InvokeRequest {
        agent: agent.map(str::to_string),
        prompt,
        tools: read::<Vec<String>>(field("tools")).unwrap_or_default(),
        labels: read::<BTreeMap<String, String>>(field("labels")).unwrap_or_default(),
        tool_approval_overrides: read::<BTreeMap<String, ApprovalMode>>(field(
            "toolApprovalOverrides",
        ))
        .unwrap_or_default(),
        output_schema: field("outputSchema").cloned(),
        model,
        mcp_servers,
        chat_mode: read::<ChatMode>(field("chatMode")),
        system_prompt: field("systemPrompt")
            .and_then(Value::as_str)
            .map(str::to_string),
        execution_mode: read::<ExecutionMode>(field("executionMode")),
    })
}

fn read<T: DeserializeOwned>(value: Option<&Value>) -> Option<T> {
    value.and_then(|v| serde_json::from_value(v.clone()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field Portdesk can send survives body → request → body unchanged.
    #[test]
    fn a_full_general_request_round_trips_through_its_body() {
        let mut request = InvokeRequest::general("Which services failed?");
        request.labels.insert("team".into(), "platform".into());
        request
            .tool_approval_overrides
            .insert("run_action".into(), ApprovalMode::Approval);
        request.output_schema = Some(serde_json::json!({"type": "object"}));
        request.model = Some(ModelChoice {
            provider: "port".into(),
            model: "gpt-5".into(),
        });
        request.mcp_servers = vec!["notion".into()];
        request.chat_mode = Some(ChatMode::Plan);
        request.system_prompt = Some("be brief".into());
        request.execution_mode = Some(ExecutionMode::ApprovalRequired);
        let body = request.body().unwrap();
        let back = request_from_body(None, &body).expect("a request");
        assert_eq!(back, request);
    }

    #[test]
    fn an_agent_request_takes_its_agent_from_the_record() {
        let request = InvokeRequest::agent("ops", "why?");
        let back = request_from_body(Some("ops"), &request.body().unwrap()).unwrap();
        assert_eq!(back, request);
    }

    #[test]
    fn no_body_or_no_prompt_is_no_request() {
        assert_eq!(request_from_body(None, &Value::Null), None);
        assert_eq!(
            request_from_body(None, &serde_json::json!({"tools": []})),
            None
        );
        // A field of the wrong type is dropped, not fatal.
        let odd = serde_json::json!({"userPrompt": "hi", "tools": "not a list", "chatMode": 3});
        let back = request_from_body(None, &odd).unwrap();
        assert_eq!(back.prompt, "hi");
        assert!(back.tools.is_empty());
        assert_eq!(back.chat_mode, None);
    }
}
