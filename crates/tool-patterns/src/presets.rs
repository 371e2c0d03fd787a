//! Pattern sets from Port's documentation ("Common Tool Selection Patterns"), verbatim.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    pub id: String,
    pub title: String,
    /// Port's own description of the set.
    pub description: String,
    pub patterns: Vec<String>,
}

fn preset(id: &str, title: &str, description: &str, patterns: &[&str]) -> Preset {
    Preset {
        id: id.into(),
        title: title.into(),
        description: description.into(),
        patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
    }
}

/// In the order Port's docs list them. Lints apply to presets too: Port's "specific
/// integration actions" set does not match `run_action`, and "blueprint and scorecard analysis"
/// lets `delete_blueprint` in; Portdesk shows that rather than hiding it.
pub fn presets() -> Vec<Preset> {
    vec![
        preset(
            "read-only",
            "Read-only operations",
            "For monitoring dashboards and reporting, where nothing may be changed.",
            &["^(list|search|track|describe)_.*"],
        ),
        preset(
            "actions-only",
            "Action execution only",
            "Only action execution tools; data queries are blocked.",
            &["^run_.*"],
        ),
        preset(
            "specific-integrations",
            "Specific integration actions",
            "Actions of specific third-party integrations.",
            &["run_.*github.*", "run_.*jira.*", "run_.*zendesk.*"],
        ),
        preset(
            "safe-entity-operations",
            "Safe entity operations",
            "Entity operations without accidental deletions.",
            &[r"(?!delete_)\w+_entity$", "list_.*"],
        ),
        preset(
            "docs-and-help",
            "Documentation and help",
            "Documentation search and help.",
            &[".*docs.*", "search_.*", "describe_.*"],
        ),
        preset(
            "blueprint-scorecard-analysis",
            "Blueprint and scorecard analysis",
            "Catalog structure and quality metrics without action execution.",
            &[".*blueprint.*", ".*scorecard.*", "^list_.*"],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{match_tools, Catalog, PatternSet};

    fn matched(patterns: &[String]) -> Vec<String> {
        match_tools(&PatternSet::compile(patterns), &Catalog::builtin())
            .tools
            .into_iter()
            .filter(|t| t.matched)
            .map(|t| t.name)
            .collect()
    }

    #[test]
    fn presets_match_what_port_docs_say_they_match() {
        let all = presets();
        assert_eq!(all.len(), 6);
        let by_id = |id: &str| all.iter().find(|p| p.id == id).expect(id).patterns.clone();
        let read_only = matched(&by_id("read-only"));
        assert!(read_only.contains(&"describe_user_details".to_owned()));
        assert!(!read_only.iter().any(|t| t.starts_with("upsert_")));
        assert_eq!(matched(&by_id("actions-only")), vec!["run_action"]);
        let safe = matched(&by_id("safe-entity-operations"));
        assert!(safe.contains(&"upsert_entity".to_owned()));
        assert!(!safe.contains(&"delete_entity".to_owned()));
        let docs = matched(&by_id("docs-and-help"));
        assert_eq!(
            docs,
            vec!["search_port_knowledge_sources", "describe_user_details"]
        );
    }
}
