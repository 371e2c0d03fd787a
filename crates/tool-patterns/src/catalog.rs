//! Every tool a pattern set can reach: Port's built-in tools, the tools Port's approval
//! preferences list, the organisation's actions (`run_<identifier>`) and MCP connector tools.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[cfg(test)]
use crate::builtin::builtin_names;
use crate::builtin::{builtin_tools, guess_access, port_group};

/// Whether a tool changes something. Port hides write tools in `ask` chat mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    Read,
    Write,
    /// A connector's tool, or a Port tool Portdesk does not know: only the server knows.
    Unknown,
}

/// Where Portdesk learnt about a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ToolOrigin {
    /// Port's documented built-in list.
    Builtin,
    /// Listed by the approval-preferences endpoint (the user's tools right now).
    Preferences,
    /// One of the organisation's self-service actions, as `run_<identifier>`.
    Action,
    /// An MCP connector's tool.
    Connector,
    /// Typed or pasted by the user (a check, a tools file).
    Manual,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum GroupKind {
    /// Port's own tools of one family (blueprints, entities, …).
    PortFamily,
    /// The organisation's actions (`run_<identifier>`).
    Actions,
    /// One MCP connector's tools.
    Connector,
}

/// One tool. `name` is the full name Port matches patterns against (`notion_notion-search`
/// for a connector tool).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub name: String,
    /// The connector identifier for a connector tool; `None` for Port's own tools.
    pub connector: Option<String>,
    pub origin: ToolOrigin,
    pub access: Access,
    /// The UI group: a Port family name, "actions", or the connector identifier.
    pub group: String,
    pub group_kind: GroupKind,
    /// Port roles that may use the tool (from Port's list; empty when unknown).
    pub roles: Vec<String>,
}

/// A tool as the caller knows it: a name, and the connector it belongs to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolSpec {
    pub name: String,
    pub connector: Option<String>,
}

/// One connector and its tools' short names (Port names them `{connector}_{tool}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorTools {
    pub connector: String,
    pub tools: Vec<String>,
}

/// Everything a catalog is built from, as the app sends it over IPC.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInput {
    /// Include Port's 31 built-in tools.
    pub builtin: bool,
    /// Tool names from `GET /v1/ai/tool-approval-preferences` (keys of `toolOverrides` and
    /// `disabledTools`). Names starting with a listed connector's `X_` become its tools.
    pub preference_tools: Vec<String>,
    /// Action identifiers; each becomes `run_<identifier>`.
    pub actions: Vec<String>,
    pub connectors: Vec<ConnectorTools>,
    /// Any other tools (typed, pasted, from a file).
    pub extra: Vec<ToolSpec>,
}

/// A UI group of tools, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolGroup {
    pub kind: GroupKind,
    /// Family name, "actions", or connector identifier.
    pub name: String,
    /// Indices into [`Catalog::tools`].
    pub tools: Vec<u32>,
}

/// The tools, in a stable order (first seen first), without duplicates.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tools: Vec<Tool>,
    connectors: Vec<String>,
    seen: HashSet<(String, Option<String>)>,
    /// Tool indices sorted by name, built on first use: prefix patterns find their tools by
    /// binary search instead of testing every name.
    by_name: OnceLock<Vec<u32>>,
}

impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        self.tools == other.tools && self.connectors == other.connectors
    }
}

impl Eq for Catalog {}

impl Catalog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Port's 31 built-in tools.
    pub fn builtin() -> Self {
        let mut catalog = Self::new();
        for tool in builtin_tools() {
            catalog.push(tool.clone());
        }
        catalog
    }

    pub fn from_input(input: &CatalogInput) -> Self {
        let mut catalog = if input.builtin {
            Self::builtin()
        } else {
            Self::new()
        };
        for connector in &input.connectors {
            catalog.add_connector(&connector.connector);
        }
        for connector in &input.connectors {
            for tool in &connector.tools {
                catalog.add_connector_tool(&connector.connector, tool);
            }
        }
        catalog.add_actions(input.actions.iter().map(String::as_str));
        catalog.add_preference_tools(input.preference_tools.iter().map(String::as_str));
        for spec in &input.extra {
            catalog.add_spec(spec, ToolOrigin::Manual);
        }
        catalog
    }

    /// Tools given by name and connector, in that order (a tools file, the CLI).
    pub fn from_specs(specs: &[ToolSpec], connectors: &[String]) -> Self {
        let mut catalog = Self::new();
        for connector in connectors {
            catalog.add_connector(connector);
        }
        for spec in specs {
            catalog.add_spec(spec, ToolOrigin::Manual);
        }
        catalog
    }

    /// Declares a connector (attached to the request) even before any of its tools is known:
    /// it decides which patterns are connector patterns.
    pub fn add_connector(&mut self, connector: &str) {
        if !self.connectors.iter().any(|c| c == connector) {
            self.connectors.push(connector.to_owned());
        }
    }

    /// A connector tool by its short name; Port names it `{connector}_{tool}`.
    pub fn add_connector_tool(&mut self, connector: &str, tool: &str) {
        self.add_connector(connector);
        self.push(Tool {
            name: format!("{connector}_{tool}"),
            connector: Some(connector.to_owned()),
            origin: ToolOrigin::Connector,
            access: Access::Unknown,
            group: connector.to_owned(),
            group_kind: GroupKind::Connector,
            roles: Vec::new(),
        });
    }

    /// Actions as Port exposes them to the model: `run_<identifier>`.
    pub fn add_actions<'a>(&mut self, identifiers: impl IntoIterator<Item = &'a str>) {
        for identifier in identifiers {
            self.push(Tool {
                name: format!("run_{identifier}"),
                connector: None,
                origin: ToolOrigin::Action,
                access: Access::Write,
                group: "actions".into(),
                group_kind: GroupKind::Actions,
                roles: Vec::new(),
            });
        }
    }

    /// Names from the approval-preferences endpoint. A name that starts with a declared
    /// connector's `X_` is that connector's tool; the rest are Port tools.
    pub fn add_preference_tools<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            let connector = self.connector_of_name(name);
            self.add_spec(
                &ToolSpec {
                    name: name.to_owned(),
                    connector,
                },
                ToolOrigin::Preferences,
            );
        }
    }

    /// Adds one tool by name; known built-ins keep their family, access and roles.
    pub fn add_spec(&mut self, spec: &ToolSpec, origin: ToolOrigin) {
        if let Some(connector) = &spec.connector {
            self.add_connector(connector);
            self.push(Tool {
                name: spec.name.clone(),
                connector: Some(connector.clone()),
                origin,
                access: Access::Unknown,
                group: connector.clone(),
                group_kind: GroupKind::Connector,
                roles: Vec::new(),
            });
            return;
        }
        if let Some(builtin) = builtin_tools().iter().find(|t| t.name == spec.name) {
            self.push(Tool {
                origin: if origin == ToolOrigin::Manual {
                    ToolOrigin::Builtin
                } else {
                    origin
                },
                ..builtin.clone()
            });
            return;
        }
        let (group, group_kind) = port_group(&spec.name);
        self.push(Tool {
            name: spec.name.clone(),
            connector: None,
            origin,
            access: guess_access(&spec.name),
            group,
            group_kind,
            roles: Vec::new(),
        });
    }

    fn push(&mut self, tool: Tool) {
        if self
            .seen
            .insert((tool.name.clone(), tool.connector.clone()))
        {
            self.tools.push(tool);
            self.by_name = OnceLock::new();
        }
    }

    /// Tool indices sorted by name.
    /// The indices of the tools named `name` (usually one), through the sorted names.
    pub(crate) fn indices_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        let sorted = self.sorted_by_name();
        let from = sorted.partition_point(|&t| self.tools[t as usize].name.as_str() < name);
        sorted[from..]
            .iter()
            .take_while(move |&&t| self.tools[t as usize].name == name)
            .map(|&t| t as usize)
    }

    pub(crate) fn sorted_by_name(&self) -> &[u32] {
        self.by_name.get_or_init(|| {
            let mut order: Vec<u32> = (0..self.tools.len())
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect();
            order.sort_by(|a, b| {
                self.tools[*a as usize]
                    .name
                    .cmp(&self.tools[*b as usize].name)
            });
            order
        })
    }

    fn connector_of_name(&self, name: &str) -> Option<String> {
        self.connectors
            .iter()
            .filter(|c| name.starts_with(&format!("{c}_")))
            .max_by_key(|c| c.len())
            .cloned()
    }

    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    pub fn len(&self) -> usize {
        self.tools.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }

    /// Connectors in the order they were declared.
    pub fn connectors(&self) -> &[String] {
        &self.connectors
    }

    pub fn contains(&self, name: &str, connector: Option<&str>) -> bool {
        self.seen
            .contains(&(name.to_owned(), connector.map(str::to_owned)))
    }

    /// Port families first (in Port's order), then actions, then each connector.
    pub fn groups(&self) -> Vec<ToolGroup> {
        let mut order: Vec<(GroupKind, String)> = Vec::new();
        let mut members: BTreeMap<(GroupKind, String), Vec<u32>> = BTreeMap::new();
        for (i, tool) in self.tools.iter().enumerate() {
            let key = (tool.group_kind, tool.group.clone());
            if !members.contains_key(&key) {
                order.push(key.clone());
            }
            members
                .entry(key)
                .or_default()
                .push(u32::try_from(i).unwrap_or(u32::MAX));
        }
        order.sort_by_key(|(kind, _)| *kind);
        order
            .into_iter()
            .map(|key| ToolGroup {
                kind: key.0,
                tools: members.remove(&key).unwrap_or_default(),
                name: key.1,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_is_port_list() {
        let catalog = Catalog::builtin();
        assert_eq!(catalog.len(), 31);
        let run = catalog
            .tools()
            .iter()
            .find(|t| t.name == "run_action")
            .expect("run_action");
        assert_eq!(run.access, Access::Write);
        assert_eq!(run.group, "actions");
    }

    #[test]
    fn builtin_list_matches_the_shared_copy() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/port-tools.json");
        let Ok(text) = std::fs::read_to_string(&shared) else {
            return; // ../shared sits beside the checkout for the team and CI, not elsewhere
        };
        let value: serde_json::Value = serde_json::from_str(&text).expect("shared list parses");
        let names: Vec<String> = value["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .filter_map(|t| t["name"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(names, builtin_names());
    }

    #[test]
    fn builds_from_every_source_without_duplicates() {
        let input = CatalogInput {
            builtin: true,
            preference_tools: vec![
                "run_action".into(),
                "notion_notion-fetch".into(),
                "list_widgets".into(),
            ],
            actions: vec!["deploy_service".into()],
            connectors: vec![ConnectorTools {
                connector: "notion".into(),
                tools: vec!["notion-search".into(), "notion-fetch".into()],
            }],
            extra: vec![],
        };
        let catalog = Catalog::from_input(&input);
        assert_eq!(catalog.len(), 31 + 2 + 1 + 1);
        assert!(catalog.contains("notion_notion-fetch", Some("notion")));
        assert!(catalog.contains("run_deploy_service", None));
        let widgets = catalog
            .tools()
            .iter()
            .find(|t| t.name == "list_widgets")
            .expect("listed");
        assert_eq!(
            (widgets.group.as_str(), widgets.access),
            ("widgets", Access::Read)
        );
        let groups = catalog.groups();
        assert_eq!(groups[0].name, "blueprints");
        let kinds: Vec<GroupKind> = groups.iter().map(|g| g.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted, "families, then actions, then connectors");
        assert_eq!(groups.last().map(|g| g.name.as_str()), Some("notion"));
    }
}
