//! LLM providers of the demo org: Port's managed models are on, bring-your-own providers off.

use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::error::ApiError;

struct Provider {
    name: &'static str,
    enabled: bool,
    models: &'static [(&'static str, bool)],
}

const PROVIDERS: &[Provider] = &[
    Provider {
        name: "port",
        enabled: true,
        models: &[
            ("claude-sonnet-4-5-20250929", true),
            ("claude-haiku-4-5-20251001", true),
            ("gpt-5", true),
            ("claude-sonnet-4-20250514", false),
        ],
    },
    Provider {
        name: "anthropic",
        enabled: false,
        models: &[
            ("claude-sonnet-4-5-20250929", true),
            ("claude-haiku-4-5-20251001", true),
        ],
    },
    Provider {
        name: "openai",
        enabled: false,
        models: &[("gpt-5", true)],
    },
    Provider {
        name: "azure-openai",
        enabled: false,
        models: &[("gpt-5", true)],
    },
    Provider {
        name: "bedrock",
        enabled: false,
        models: &[("claude-sonnet-4-5-20250929", true)],
    },
];

pub(crate) const DEFAULT_PROVIDER: &str = "port";
pub(crate) const DEFAULT_MODEL: &str = "claude-sonnet-4-5-20250929";

pub(crate) async fn list() -> Json<Value> {
    let result: Vec<Value> = PROVIDERS
        .iter()
        .map(|p| {
            let models: Map<String, Value> = p
                .models
                .iter()
                .map(|(model, enabled)| ((*model).to_owned(), json!({"enabled": enabled})))
                .collect();
            json!({"provider": p.name, "enabled": p.enabled, "effectiveModels": models})
        })
        .collect();
    Json(json!({"ok": true, "result": result}))
}

pub(crate) async fn defaults() -> Json<Value> {
    Json(json!({"ok": true, "result": {"provider": DEFAULT_PROVIDER, "model": DEFAULT_MODEL}}))
}

/// Port refuses a provider the org has not enabled, or a model that provider does not offer.
pub(crate) fn check(provider: &str, model: &str) -> Result<(), ApiError> {
    let found = PROVIDERS.iter().find(|p| p.name == provider && p.enabled);
    let Some(found) = found else {
        return Err(ApiError::Named {
            status: StatusCode::NOT_FOUND,
            name: "LLMProviderNotFoundError",
            message: format!("LLM provider '{provider}' is not configured for this organization"),
        });
    };
    if found.models.contains(&(model, true)) {
        Ok(())
    } else {
        Err(ApiError::Named {
            status: StatusCode::BAD_REQUEST,
            name: "LLMProviderModelNotEnabledError",
            message: format!("Model '{model}' is not enabled for provider '{provider}'"),
        })
    }
}
