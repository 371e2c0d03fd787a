//! `portdesk-cli agents`.

use port_api::{PortClient, PortError};

use crate::output;

pub async fn run(client: &PortClient, json: bool) -> Result<(), PortError> {
    let agents = client.list_agents().await?;
    if json {
        output::json_line(&serde_json::to_value(&agents).unwrap_or_default());
        return Ok(());
    }
    if agents.is_empty() {
        println!("No AI agents in this organisation.");
        return Ok(());
    }
    let width = agents
        .iter()
        .map(|a| a.identifier.chars().count())
        .max()
        .unwrap_or(0);
    for agent in &agents {
        let state = if agent.is_active() { "" } else { " (inactive)" };
        println!(
            "{:<width$}  {}{state}",
            agent.identifier,
            agent.display_name()
        );
        if let Some(description) = &agent.description {
            println!("{:<width$}  {}", "", output::shorten(description, 100));
        }
    }
    Ok(())
}
