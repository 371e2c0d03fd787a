//! The organisation's LLM providers and models, for Chat's provider and model choice.

use port_api::{LlmDefaults, LlmProvider};
use serde::Serialize;
use tauri::State;

use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LlmChoices {
    /// Enabled providers with only their enabled models: what a request may name.
    pub providers: Vec<LlmProvider>,
    /// The organisation's default, when Port says (shown as what "default" means).
    pub defaults: Option<LlmDefaults>,
}

/// Only what the organisation has enabled: Port refuses the rest.
pub fn enabled_only(providers: Vec<LlmProvider>) -> Vec<LlmProvider> {
    providers
        .into_iter()
        .filter(|p| p.enabled)
        .map(|mut p| {
            p.models.retain(|m| m.enabled);
            p
        })
        .filter(|p| !p.models.is_empty())
        .collect()
}

#[tauri::command]
#[specta::specta]
pub async fn llm_providers(state: State<'_, AppState>) -> Result<LlmChoices, AppError> {
    let client = state.client()?;
    let providers = enabled_only(client.llm_providers().await?);
    // The defaults only label the "organisation default" choice: a failure there is not fatal.
    let defaults = client.llm_defaults().await.ok();
    Ok(LlmChoices {
        providers,
        defaults,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use port_api::LlmModel;

    fn model(name: &str, enabled: bool) -> LlmModel {
        LlmModel {
            name: name.into(),
            enabled,
        }
    }

    #[test]
    fn only_enabled_providers_and_models_are_offered() {
        let list = vec![
            LlmProvider {
                provider: "port".into(),
                enabled: true,
                models: vec![model("a", true), model("b", false)],
            },
            LlmProvider {
                provider: "openai".into(),
                enabled: false,
                models: vec![model("gpt-5", true)],
            },
            LlmProvider {
                provider: "empty".into(),
                enabled: true,
                models: vec![model("off", false)],
            },
        ];
        let offered = enabled_only(list);
        assert_eq!(offered.len(), 1);
        assert_eq!(offered[0].provider, "port");
        assert_eq!(offered[0].models, vec![model("a", true)]);
    }
}
