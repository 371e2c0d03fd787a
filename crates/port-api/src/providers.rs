//! LLM providers and the org's default provider and model. Read from Port, never hard-coded.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::PortClient;
use crate::error::{PortError, Result};
use crate::lenient;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LlmModel {
    pub name: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LlmProvider {
    pub provider: String,
    pub enabled: bool,
    pub models: Vec<LlmModel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LlmDefaults {
    pub provider: String,
    pub model: String,
}

fn provider_from(value: &Value) -> Option<LlmProvider> {
    let provider = lenient::string(value.get("provider"))?;
    let models = match value.get("effectiveModels") {
        Some(Value::Object(models)) => models
            .iter()
            .map(|(name, m)| LlmModel {
                name: name.clone(),
                enabled: m.get("enabled").and_then(Value::as_bool).unwrap_or(true),
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(LlmProvider {
        provider,
        enabled: value
            .get("enabled")
            .and_then(Value::as_bool)
            .unwrap_or(true),
        models,
    })
}

impl PortClient {
    pub async fn llm_providers(&self) -> Result<Vec<LlmProvider>> {
        let body: Value = self.get("/v1/llm-providers").await?;
        let list = match body.get("result") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(PortError::invalid_response(
                    "the providers answer has no result list",
                ))
            }
        };
        Ok(list.iter().filter_map(provider_from).collect())
    }

    pub async fn llm_defaults(&self) -> Result<LlmDefaults> {
        let body: Value = self.get("/v1/llm-providers/defaults").await?;
        let result = body.get("result");
        let field = |name: &str| lenient::string(result.and_then(|r| r.get(name)));
        match (field("provider"), field("model")) {
            (Some(provider), Some(model)) => Ok(LlmDefaults { provider, model }),
            _ => Err(PortError::invalid_response(
                "the defaults answer lacks a provider or model",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_effective_models() {
        let p = provider_from(&json!({
            "provider": "port", "enabled": true,
            "effectiveModels": {"gpt-5": {"enabled": true}, "old": {"enabled": false}}
        }))
        .unwrap();
        assert_eq!(p.models.len(), 2);
        assert!(p.models.iter().any(|m| m.name == "old" && !m.enabled));
    }
}
