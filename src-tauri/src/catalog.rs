//! The open workspace's tool catalog, built once from Port and kept for every keystroke of the
//! matcher: re-sending thousands of tool names per evaluation would cost more than the matching.

use std::sync::{Arc, RwLock};

use port_api::{ApprovalPreferences, PortClient};
use tool_patterns::{builtin_names, Catalog, CatalogInput, ConnectorTools, ToolSpec};

use crate::error::AppError;

/// One build of the catalog. `revision` grows with every rebuild, so the UI can tell an answer
/// about an older catalog from a current one.
pub struct WorkspaceCatalog {
    pub revision: u32,
    pub catalog: Catalog,
    /// The catalog before the last rebuild: tools new since then are pointed out.
    pub previous: Option<Catalog>,
    /// Port's saved approval preferences as read when the catalog was built.
    pub preferences: ApprovalPreferences,
    /// The organisation's self-service action identifiers (each a `run_<identifier>` tool).
    pub actions: Vec<String>,
    pub extra: Vec<ToolSpec>,
    /// What could not be read (shown, never fatal: the built-ins are always there).
    pub problems: Vec<String>,
}

#[derive(Default)]
pub struct CatalogCache {
    current: RwLock<Option<Arc<WorkspaceCatalog>>>,
}

impl CatalogCache {
    pub fn get(&self) -> Option<Arc<WorkspaceCatalog>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    pub fn clear(&self) {
        if let Ok(mut guard) = self.current.write() {
            *guard = None;
        }
    }

    /// The cached catalog, or a new one read from Port.
    pub async fn get_or_build(
        &self,
        client: &PortClient,
    ) -> Result<Arc<WorkspaceCatalog>, AppError> {
        if let Some(current) = self.get() {
            return Ok(current);
        }
        self.rebuild(client, None).await
    }

    /// Reads Port again; `extra` replaces the user's extra tools when given.
    pub async fn rebuild(
        &self,
        client: &PortClient,
        extra: Option<Vec<ToolSpec>>,
    ) -> Result<Arc<WorkspaceCatalog>, AppError> {
        let mut problems = Vec::new();
        let (preferences, actions) =
            tokio::join!(client.approval_preferences(), client.list_actions());
        let preferences = match preferences {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!(
                    "Your tools and approval preferences could not be read from Port ({}): showing Port's built-in tools only.",
                    e.message
                ));
                ApprovalPreferences::default()
            }
        };
        let actions: Vec<String> = match actions {
            Ok(list) => list.into_iter().map(|a| a.identifier).collect(),
            Err(e) => {
                problems.push(format!(
                    "Your organisation's self-service actions could not be read from Port ({}): run_<action> tools are not listed.",
                    e.message
                ));
                Vec::new()
            }
        };
        let previous = self.get();
        let extra = extra.unwrap_or_else(|| {
            previous
                .as_ref()
                .map(|p| p.extra.clone())
                .unwrap_or_default()
        });
        let catalog = build_catalog(&preferences, &actions, &extra);
        let next = Arc::new(WorkspaceCatalog {
            revision: previous.as_ref().map_or(1, |p| p.revision.wrapping_add(1)),
            previous: previous.map(|p| p.catalog.clone()),
            catalog,
            preferences,
            actions,
            extra,
            problems,
        });
        if let Ok(mut guard) = self.current.write() {
            *guard = Some(next.clone());
        }
        Ok(next)
    }

    /// After a save: the same tools, Port's preferences as it now holds them.
    pub fn replace_preferences(&self, preferences: ApprovalPreferences) {
        if let Ok(mut guard) = self.current.write() {
            if let Some(current) = guard.as_ref() {
                let extra = current.extra.clone();
                let actions = current.actions.clone();
                *guard = Some(Arc::new(WorkspaceCatalog {
                    revision: current.revision.wrapping_add(1),
                    previous: Some(current.catalog.clone()),
                    catalog: build_catalog(&preferences, &actions, &extra),
                    preferences,
                    actions,
                    extra,
                    problems: current.problems.clone(),
                }));
            }
        }
    }
}

/// Built-ins, then the preference endpoint's tools (connector tools among them), the
/// organisation's actions, then extra ones.
pub fn build_catalog(
    preferences: &ApprovalPreferences,
    actions: &[String],
    extra: &[ToolSpec],
) -> Catalog {
    let names = preferences.tool_names();
    let connectors = infer_connectors(&names);
    let input = CatalogInput {
        builtin: true,
        preference_tools: names,
        actions: actions.to_vec(),
        connectors: connectors
            .into_iter()
            .map(|connector| ConnectorTools {
                connector,
                tools: Vec::new(),
            })
            .collect(),
        extra: extra.to_vec(),
    };
    Catalog::from_input(&input)
}

/// Port has no endpoint that lists MCP connectors, but their tools come back from the
/// approval-preferences endpoint as `{connector}_{tool}`. A name whose first word is not a verb
/// any Port tool starts with (`list`, `run`, …) is taken as a connector's.
pub fn infer_connectors(names: &[String]) -> Vec<String> {
    let builtins = builtin_names();
    let verbs: Vec<&str> = builtins
        .iter()
        .filter_map(|n| n.split_once('_').map(|(verb, _)| verb))
        .chain(["run", "get", "create", "update", "remove", "delete"])
        .collect();
    let mut connectors: Vec<String> = Vec::new();
    for name in names {
        if builtins.contains(name) {
            continue;
        }
        let Some((prefix, rest)) = name.split_once('_') else {
            continue;
        };
        if prefix.is_empty() || rest.is_empty() || verbs.contains(&prefix) {
            continue;
        }
        if !connectors.iter().any(|c| c == prefix) {
            connectors.push(prefix.to_string());
        }
    }
    connectors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn connectors_are_the_first_words_that_are_not_port_verbs() {
        let found = infer_connectors(&names(&[
            "list_entities",
            "notion_notion-search",
            "notion_notion-fetch",
            "run_action",
            "list_widgets",
            "jira_create_issue",
            "plain",
        ]));
        assert_eq!(found, vec!["notion".to_string(), "jira".to_string()]);
    }

    #[test]
    fn the_catalog_holds_builtins_preference_tools_and_extra_tools() {
        let mut preferences = ApprovalPreferences::default();
        preferences.set_mode(
            "notion_notion-search",
            Some(port_api::ApprovalMode::Automatic),
        );
        preferences.set_disabled("delete_entity", true);
        let catalog = build_catalog(
            &preferences,
            &["deploy_service".to_owned()],
            &[ToolSpec {
                name: "run_deploy".into(),
                connector: None,
            }],
        );
        let tools = catalog.tools();
        assert!(tools.len() >= 33, "{}", tools.len());
        let notion = tools
            .iter()
            .find(|t| t.name == "notion_notion-search")
            .expect("the connector tool");
        assert_eq!(notion.connector.as_deref(), Some("notion"));
        assert!(tools.iter().any(|t| t.name == "run_deploy"));
        let action = tools
            .iter()
            .find(|t| t.name == "run_deploy_service")
            .expect("the action's tool");
        assert_eq!(action.group, "actions");
        assert_eq!(catalog.connectors(), ["notion".to_string()]);
    }
}
