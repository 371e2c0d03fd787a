//! `portdesk-cli providers`.

use port_api::{PortClient, PortError};
use serde_json::json;

use crate::output;

pub async fn run(client: &PortClient, json: bool) -> Result<(), PortError> {
    let (providers, defaults) = tokio::try_join!(client.llm_providers(), client.llm_defaults())?;
    if json {
        output::json_line(&json!({ "providers": providers, "defaults": defaults }));
        return Ok(());
    }
    for provider in &providers {
        let state = if provider.enabled { "" } else { " (disabled)" };
        println!("{}{state}", provider.provider);
        for model in &provider.models {
            let is_default = provider.provider == defaults.provider && model.name == defaults.model;
            let marks = match (is_default, model.enabled) {
                (true, _) => " (default)",
                (false, false) => " (disabled)",
                _ => "",
            };
            println!("  {}{marks}", model.name);
        }
    }
    Ok(())
}
