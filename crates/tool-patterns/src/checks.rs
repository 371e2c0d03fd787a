//! Saved checks on a pattern set ("must match", "must not match"), and new tools that slip in
//! under a broad pattern when the catalog changes.

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::matcher::{matching, Scopes};
use crate::pattern::PatternSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Expectation {
    MustMatch,
    MustNotMatch,
}

/// One saved expectation about a tool name (which need not be in the catalog yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub tool: String,
    /// The connector of a connector tool; `None` for a Port tool.
    pub connector: Option<String>,
    pub expect: Expectation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub check: Check,
    pub passed: bool,
    /// The patterns that match the tool (the culprits of a failed "must not match").
    pub matched_by: Vec<u32>,
    pub message: String,
}

/// Evaluates every check against the set, with the catalog's connectors (and the check's own)
/// deciding which patterns apply.
pub fn run_checks(set: &PatternSet, catalog: &Catalog, checks: &[Check]) -> Vec<CheckResult> {
    checks
        .iter()
        .map(|check| {
            let mut connectors = catalog.connectors().to_vec();
            if let Some(c) = &check.connector {
                if !connectors.contains(c) {
                    connectors.push(c.clone());
                }
            }
            let scopes = Scopes::new(set, &connectors);
            let matched_by = matching(set, &scopes, &check.tool, check.connector.as_deref());
            let matched = !matched_by.is_empty();
            let patterns = matched_by
                .iter()
                .map(|i| format!("#{}", i + 1))
                .collect::<Vec<_>>()
                .join(", ");
            let (passed, message) = match (check.expect, matched) {
                (Expectation::MustMatch, true) => (
                    true,
                    format!("{} is available (pattern {patterns})", check.tool),
                ),
                (Expectation::MustMatch, false) => (
                    false,
                    format!(
                        "{} must be available, but no pattern matches it",
                        check.tool
                    ),
                ),
                (Expectation::MustNotMatch, false) => (true, format!("{} stays out", check.tool)),
                (Expectation::MustNotMatch, true) => (
                    false,
                    format!(
                        "{} must stay out, but pattern {patterns} lets it in",
                        check.tool
                    ),
                ),
            };
            CheckResult {
                check: check.clone(),
                passed,
                matched_by,
                message,
            }
        })
        .collect()
}

/// A tool that is new in the catalog and matched by a pattern that does not name it exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewToolAlert {
    pub name: String,
    pub connector: Option<String>,
    /// The broad patterns that let it in.
    pub matched_by: Vec<u32>,
}

/// Tools in `after` but not in `before` that the set lets in through a broad pattern (one
/// that is not the tool's exact name): a new `delete_…` tool under `.*` gets pointed out.
pub fn new_tools_under_broad_patterns(
    set: &PatternSet,
    before: &Catalog,
    after: &Catalog,
) -> Vec<NewToolAlert> {
    let scopes = Scopes::new(set, after.connectors());
    after
        .tools()
        .iter()
        .filter(|t| !before.contains(&t.name, t.connector.as_deref()))
        .filter_map(|t| {
            let broad: Vec<u32> = matching(set, &scopes, &t.name, t.connector.as_deref())
                .into_iter()
                .filter(|&i| {
                    set.get(i as usize)
                        .map(|p| !(p.is_literal() && p.text() == t.name))
                        .unwrap_or(false)
                })
                .collect();
            (!broad.is_empty()).then(|| NewToolAlert {
                name: t.name.clone(),
                connector: t.connector.clone(),
                matched_by: broad,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ToolOrigin, ToolSpec};

    fn check(tool: &str, connector: Option<&str>, expect: Expectation) -> Check {
        Check {
            tool: tool.into(),
            connector: connector.map(str::to_owned),
            expect,
        }
    }

    #[test]
    fn checks_pass_and_fail_with_the_culprit() {
        let set = PatternSet::compile(&["list_.*", ".*_entity"]);
        let results = run_checks(
            &set,
            &Catalog::builtin(),
            &[
                check("list_entities", None, Expectation::MustMatch),
                check("delete_entity", None, Expectation::MustNotMatch),
                check("run_action", None, Expectation::MustMatch),
                check(
                    "notion_notion-search",
                    Some("notion"),
                    Expectation::MustNotMatch,
                ),
            ],
        );
        let passed: Vec<bool> = results.iter().map(|r| r.passed).collect();
        assert_eq!(passed, [true, false, false, true]);
        assert_eq!(results[1].matched_by, vec![1]);
        assert!(results[1].message.contains("#2"));
    }

    #[test]
    fn new_tools_under_broad_patterns_are_pointed_out() {
        let before = Catalog::builtin();
        let mut after = Catalog::builtin();
        after.add_spec(
            &ToolSpec {
                name: "delete_everything".into(),
                connector: None,
            },
            ToolOrigin::Preferences,
        );
        after.add_spec(
            &ToolSpec {
                name: "list_widgets".into(),
                connector: None,
            },
            ToolOrigin::Preferences,
        );
        let set = PatternSet::compile(&[".*", "list_widgets"]);
        let alerts = new_tools_under_broad_patterns(&set, &before, &after);
        let names: Vec<(&str, Vec<u32>)> = alerts
            .iter()
            .map(|a| (a.name.as_str(), a.matched_by.clone()))
            .collect();
        assert_eq!(
            names,
            vec![("delete_everything", vec![0]), ("list_widgets", vec![0])]
        );
        let exact_only = PatternSet::compile(&["list_widgets"]);
        assert!(new_tools_under_broad_patterns(&exact_only, &before, &after).is_empty());
    }
}
