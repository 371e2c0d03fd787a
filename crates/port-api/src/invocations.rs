//! Port's own records of invocations: one invocation's result, and the `_ai_invocations` entities
//! (kept by Port for 30 days; the local history imports them to keep them for good).

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{segment, PortClient};
use crate::error::{ErrorCode, Result};
use crate::lenient;

/// `GET /v1/ai/invoke/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvocationResult {
    /// `In Progress`, `Completed` or `Failed`.
    pub status: String,
    pub message: Option<String>,
    pub error: Option<String>,
    pub invocation_identifier: Option<String>,
    pub selected_agent: Option<String>,
}

/// One `_ai_invocations` entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PortInvocation {
    pub identifier: String,
    pub status: Option<String>,
    pub asked_at: Option<String>,
    pub replied_at: Option<String>,
    pub prompt: Option<String>,
    pub response: Option<String>,
    pub error: Option<String>,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub agent: Option<String>,
    pub asked_by: Option<String>,
}

impl PortInvocation {
    fn from_entity(entity: &Value) -> Option<Self> {
        let props = entity.get("properties");
        let prop = |name: &str| props.and_then(|p| p.get(name));
        let rel = |name: &str| entity.get("relations").and_then(|r| r.get(name));
        Some(Self {
            identifier: lenient::string(entity.get("identifier"))?,
            status: lenient::string(prop("status")),
            asked_at: lenient::string(prop("asked_at")),
            replied_at: lenient::string(prop("replied_at")),
            prompt: lenient::string(prop("prompt")),
            response: lenient::string(prop("response")),
            error: lenient::string(prop("error")),
            provider: lenient::string(prop("provider")),
            model: lenient::string(prop("model")),
            labels: lenient::string_map(prop("labels")),
            agent: lenient::relation(rel("agent")),
            asked_by: lenient::relation(rel("asked_by")),
        })
    }
}

/// A page of Port's invocation records; pass `next` back to get the following page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InvocationPage {
    pub invocations: Vec<PortInvocation>,
    pub next: Option<String>,
}

/// Port's docs name the blueprint both ways; the plural is the current one.
const BLUEPRINTS: [&str; 2] = ["_ai_invocations", "_ai_invocation"];

impl PortClient {
    pub async fn invocation_result(&self, identifier: &str) -> Result<InvocationResult> {
        let body: Value = self
            .get(&format!("/v1/ai/invoke/{}", segment(identifier)))
            .await?;
        let result = body.get("result").cloned().unwrap_or(body);
        serde_json::from_value(result).map_err(|e| {
            crate::PortError::invalid_response(format!("unreadable invocation result: {e}"))
        })
    }

    /// One page (at most `limit`, Port allows up to 1000) of Port's invocation records.
    pub async fn port_invocations(&self, limit: u32, from: Option<&str>) -> Result<InvocationPage> {
        let mut query = serde_json::json!({ "limit": limit.clamp(1, 1000) });
        if let Some(cursor) = from {
            query["from"] = Value::from(cursor);
        }
        let mut last_err = None;
        for blueprint in BLUEPRINTS {
            let path = format!("/v1/blueprints/{blueprint}/entities/search");
            match self.json::<Value>(Method::POST, &path, Some(&query)).await {
                Ok(body) => {
                    let invocations = body
                        .get("entities")
                        .and_then(Value::as_array)
                        .map(|items| {
                            items
                                .iter()
                                .filter_map(PortInvocation::from_entity)
                                .collect()
                        })
                        .unwrap_or_default();
                    return Ok(InvocationPage {
                        invocations,
                        next: lenient::string(body.get("next")),
                    });
                }
                Err(err) if err.code == ErrorCode::NotFound => last_err = Some(err),
                Err(err) => return Err(err),
            }
        }
        Err(last_err.unwrap_or_else(|| {
            crate::PortError::new(ErrorCode::NotFound, "no invocation blueprint")
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_relations_as_strings_or_objects() {
        let inv = PortInvocation::from_entity(&json!({
            "identifier": "inv_1",
            "properties": {"status": "Completed", "prompt": "p", "labels": {"a": "b"}},
            "relations": {"agent": {"identifier": "ops"}, "asked_by": "me@x.io"}
        }))
        .unwrap();
        assert_eq!(inv.agent.as_deref(), Some("ops"));
        assert_eq!(inv.asked_by.as_deref(), Some("me@x.io"));
        assert_eq!(inv.status.as_deref(), Some("Completed"));
    }
}
