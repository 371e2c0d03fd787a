//! What invoking needs to know about an agent, read leniently from its entity: older agents
//! lack most properties, and a missing status means active.

use serde_json::Value;

use crate::org;

pub(crate) struct AgentInfo {
    pub(crate) identifier: String,
    pub(crate) active: bool,
    pub(crate) automatic: bool,
    pub(crate) provider: Option<String>,
    pub(crate) model: Option<String>,
}

pub(crate) fn find(identifier: &str) -> Option<AgentInfo> {
    let entity = org::agents()
        .iter()
        .find(|a| a["identifier"].as_str() == Some(identifier))?;
    let property = |name: &str| entity["properties"].get(name).and_then(Value::as_str);
    Some(AgentInfo {
        identifier: identifier.to_owned(),
        active: property("status") != Some("inactive"),
        automatic: property("execution_mode") == Some("Automatic"),
        provider: property("provider").map(str::to_owned),
        model: property("model").map(str::to_owned),
    })
}
