//! Which pattern matches which tool, with Port's connector rule.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::pattern::{CompiledPattern, PatternError, PatternSet};

/// The tools a pattern can apply to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", content = "connector", rename_all = "camelCase")]
pub enum AppliesTo {
    /// Port's own tools (every pattern that does not begin with a connector's `X_`).
    Port,
    /// This connector's tools only: the pattern text begins with `{connector}_`.
    Connector(String),
}

impl AppliesTo {
    /// "port" or the connector identifier, as the CLI prints it.
    pub fn label(&self) -> &str {
        match self {
            AppliesTo::Port => "port",
            AppliesTo::Connector(id) => id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PatternReport {
    pub index: u32,
    pub pattern: String,
    pub valid: bool,
    pub error: Option<PatternError>,
    pub applies_to: AppliesTo,
    /// How many catalog tools it matches.
    pub matches: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolMatch {
    pub name: String,
    pub connector: Option<String>,
    pub matched: bool,
    /// Indices of the patterns that match it, ascending.
    pub matched_by: Vec<u32>,
}

/// Tools in catalog order, patterns in set order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MatchReport {
    pub tools: Vec<ToolMatch>,
    pub patterns: Vec<PatternReport>,
}

/// Which tools each pattern applies to, decided once per (set, connectors).
pub(crate) struct Scopes {
    /// Per pattern: `None` = Port's tools; `Some(ids)` = the connectors whose prefix it starts
    /// with (several when one identifier extends another: `git_hub_…` starts with `git_` too).
    per_pattern: Vec<Option<Vec<String>>>,
}

impl Scopes {
    pub(crate) fn new(set: &PatternSet, connectors: &[String]) -> Self {
        let per_pattern = set
            .iter()
            .map(|p| {
                let ids: Vec<String> = connectors
                    .iter()
                    .filter(|c| p.text().starts_with(&format!("{c}_")))
                    .cloned()
                    .collect();
                (!ids.is_empty()).then_some(ids)
            })
            .collect();
        Self { per_pattern }
    }

    /// Whether pattern `index` applies to a tool of `connector` (`None` = a Port tool).
    pub(crate) fn applies(&self, index: usize, connector: Option<&str>) -> bool {
        match (self.per_pattern.get(index), connector) {
            (Some(None), None) => true,
            (Some(Some(ids)), Some(c)) => ids.iter().any(|id| id == c),
            _ => false,
        }
    }

    pub(crate) fn applies_to(&self, index: usize) -> AppliesTo {
        match self.per_pattern.get(index) {
            Some(Some(ids)) => ids
                .iter()
                .max_by_key(|id| id.len())
                .map(|id| AppliesTo::Connector(id.clone()))
                .unwrap_or(AppliesTo::Port),
            _ => AppliesTo::Port,
        }
    }
}

/// The indices of the patterns that match `name` (a tool of `connector`), ascending.
pub(crate) fn matching(
    set: &PatternSet,
    scopes: &Scopes,
    name: &str,
    connector: Option<&str>,
) -> Vec<u32> {
    set.iter()
        .enumerate()
        .filter(|(i, p)| scopes.applies(*i, connector) && p.test(name))
        .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
        .collect()
}

/// Calls `hit` with the index of every catalog tool that `pattern` matches, among the tools
/// `applies` admits (by connector). Patterns with a known start look only at the names that
/// begin so (a binary search over the sorted names); prefix patterns need no regex at all.
pub(crate) fn each_match(
    pattern: &CompiledPattern,
    catalog: &Catalog,
    applies: impl Fn(Option<&str>) -> bool,
    mut hit: impl FnMut(usize),
) {
    if !pattern.is_valid() {
        return;
    }
    let tools = catalog.tools();
    let (starts, exact) = match pattern.exact_prefixes() {
        Some(prefixes) => (Some(prefixes), true),
        None => (pattern.required_starts(), false),
    };
    let Some(starts) = starts else {
        for (t, tool) in tools.iter().enumerate() {
            if applies(tool.connector.as_deref()) && pattern.test(&tool.name) {
                hit(t);
            }
        }
        return;
    };
    let sorted = catalog.sorted_by_name();
    for start in starts {
        let from = sorted.partition_point(|&t| tools[t as usize].name.as_str() < start);
        for &t in &sorted[from..] {
            let tool = &tools[t as usize];
            if !tool.name.starts_with(start) {
                break;
            }
            if applies(tool.connector.as_deref()) && (exact || pattern.test(&tool.name)) {
                hit(t as usize);
            }
        }
    }
}

/// For every catalog tool, the patterns that match it (ascending, each once).
pub(crate) fn matched_by_tool(
    set: &PatternSet,
    scopes: &Scopes,
    catalog: &Catalog,
) -> Vec<Vec<u32>> {
    let mut matched: Vec<Vec<u32>> = vec![Vec::new(); catalog.len()];
    for (i, pattern) in set.iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        each_match(
            pattern,
            catalog,
            |connector| scopes.applies(i, connector),
            |t| {
                if matched[t].last() != Some(&index) {
                    matched[t].push(index);
                }
            },
        );
    }
    matched
}

/// What a set matches, by index only: the live matcher's answer without a copy of every name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchIndices {
    /// Per catalog tool, in catalog order: the patterns that match it, ascending.
    pub tools: Vec<Vec<u32>>,
    /// Per pattern, in set order.
    pub patterns: Vec<PatternReport>,
}

/// Every tool of the catalog against every pattern of the set, by index.
pub fn match_indices(set: &PatternSet, catalog: &Catalog) -> MatchIndices {
    let scopes = Scopes::new(set, catalog.connectors());
    let tools = matched_by_tool(set, &scopes, catalog);
    let mut counts = vec![0u32; set.len()];
    for &i in tools.iter().flatten() {
        if let Some(count) = counts.get_mut(i as usize) {
            *count += 1;
        }
    }
    let patterns = set
        .iter()
        .enumerate()
        .map(|(i, p)| PatternReport {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            pattern: p.text().to_owned(),
            valid: p.is_valid(),
            error: p.error().cloned(),
            applies_to: scopes.applies_to(i),
            matches: counts[i],
        })
        .collect();
    MatchIndices { tools, patterns }
}

/// Every tool of the catalog against every pattern of the set.
pub fn match_tools(set: &PatternSet, catalog: &Catalog) -> MatchReport {
    let MatchIndices { tools, patterns } = match_indices(set, catalog);
    let tools = catalog
        .tools()
        .iter()
        .zip(tools)
        .map(|(tool, matched_by)| ToolMatch {
            name: tool.name.clone(),
            connector: tool.connector.clone(),
            matched: !matched_by.is_empty(),
            matched_by,
        })
        .collect();
    MatchReport { tools, patterns }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ToolSpec;

    fn spec(name: &str, connector: Option<&str>) -> ToolSpec {
        ToolSpec {
            name: name.into(),
            connector: connector.map(str::to_owned),
        }
    }

    #[test]
    fn connector_rule() {
        let catalog = Catalog::from_specs(
            &[
                spec("list_entities", None),
                spec("notion_notion-search", Some("notion")),
            ],
            &[],
        );
        let report = match_tools(&PatternSet::compile(&[".*"]), &catalog);
        assert_eq!(
            report.tools.iter().map(|t| t.matched).collect::<Vec<_>>(),
            [true, false],
            ".* applies to Port's tools only"
        );
        let report = match_tools(&PatternSet::compile(&["^notion_.*", "notion_.*"]), &catalog);
        assert_eq!(report.tools[1].matched_by, vec![1]);
        assert_eq!(report.patterns[0].applies_to, AppliesTo::Port);
        assert_eq!(
            report.patterns[1].applies_to,
            AppliesTo::Connector("notion".into())
        );
        assert_eq!(report.patterns[0].matches, 0);
    }

    #[test]
    fn empty_set_matches_nothing() {
        let report = match_tools(&PatternSet::compile::<&str>(&[]), &Catalog::builtin());
        assert!(report.tools.iter().all(|t| !t.matched));
    }

    #[test]
    fn read_only_default_matches_the_documented_tools() {
        let report = match_tools(
            &PatternSet::compile(&["^(list|get|search|track|describe)_.*"]),
            &Catalog::builtin(),
        );
        let matched: Vec<&str> = report
            .tools
            .iter()
            .filter(|t| t.matched)
            .map(|t| t.name.as_str())
            .collect();
        assert!(matched.contains(&"list_entities"));
        assert!(matched.contains(&"track_action_run"));
        assert!(!matched.contains(&"run_action"));
        assert!(!matched.contains(&"upsert_entity"));
        assert_eq!(report.patterns[0].matches as usize, matched.len());
    }
}
