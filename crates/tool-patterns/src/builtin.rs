//! What Portdesk knows of Port's own tools: the built-in list (a data file of this crate), and
//! for a Port tool newer than that list, its family and whether it writes, read off its name.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::catalog::{Access, GroupKind, Tool, ToolOrigin};

/// Port's built-in tool list, owned by this crate (port-mock serves the same file).
pub const PORT_TOOLS_JSON: &str = include_str!("../data/port-tools.json");

#[derive(Deserialize)]
struct BuiltinFile {
    tools: Vec<BuiltinEntry>,
}

#[derive(Deserialize)]
struct BuiltinEntry {
    name: String,
    #[serde(default)]
    roles: Vec<String>,
    family: String,
    access: Access,
}

pub(crate) fn builtin_tools() -> &'static [Tool] {
    static TOOLS: OnceLock<Vec<Tool>> = OnceLock::new();
    TOOLS.get_or_init(|| {
        // The file is part of this crate and checked by a test; a broken copy would give an
        // empty built-in list rather than a panic at run time.
        serde_json::from_str::<BuiltinFile>(PORT_TOOLS_JSON)
            .map(|file| {
                file.tools
                    .into_iter()
                    .map(|t| Tool {
                        name: t.name,
                        connector: None,
                        origin: ToolOrigin::Builtin,
                        access: t.access,
                        group: t.family,
                        group_kind: GroupKind::PortFamily,
                        roles: t.roles,
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Port's built-in tool names, in Port's order.
pub fn builtin_names() -> Vec<String> {
    builtin_tools().iter().map(|t| t.name.clone()).collect()
}

/// A Port tool Portdesk does not know: `run_…` is an action, otherwise the family is the
/// noun after the verb (`list_widgets` → widgets).
pub(crate) fn port_group(name: &str) -> (String, GroupKind) {
    if name.starts_with("run_") {
        return ("actions".into(), GroupKind::Actions);
    }
    let family = name
        .split_once('_')
        .map(|(_, rest)| rest.split('_').next().unwrap_or(rest))
        .filter(|f| !f.is_empty())
        .unwrap_or("other");
    (family.to_string(), GroupKind::PortFamily)
}

const WRITE_VERBS: [&str; 7] = [
    "upsert_", "delete_", "update_", "create_", "trigger_", "run_", "remove_",
];
const READ_VERBS: [&str; 7] = [
    "list_",
    "get_",
    "search_",
    "track_",
    "describe_",
    "simulate_",
    "load_",
];

/// By verb, for Port tools newer than Portdesk's list; `Unknown` when the verb says nothing.
pub(crate) fn guess_access(name: &str) -> Access {
    if WRITE_VERBS.iter().any(|v| name.starts_with(v)) {
        Access::Write
    } else if READ_VERBS.iter().any(|v| name.starts_with(v)) {
        Access::Read
    } else {
        Access::Unknown
    }
}
