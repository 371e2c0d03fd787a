//! What Port does not tell you about a pattern set.

use serde::{Deserialize, Serialize};

use crate::builtin::builtin_names;
use crate::catalog::Catalog;
use crate::matcher::{match_indices, MatchIndices, Scopes};
use crate::pattern::PatternSet;
use crate::syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// Port ignores the pattern.
    Error,
    /// Almost certainly not what was meant.
    Warning,
    /// Worth knowing.
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum LintCode {
    /// Does not compile: Port silently ignores it.
    InvalidPattern,
    /// `^X_…` for connector X: not a connector pattern, so it never reaches X's tools.
    ConnectorAnchor,
    /// `(?i)` and other inline flags: not JavaScript (or too new for it).
    InlineFlags,
    /// Matches no tool of the catalog.
    MatchesNothing,
    /// Every tool it matches is matched by other patterns too.
    Redundant,
    /// Names `run_<action>` but nothing in the set matches `run_action`, which runs every action.
    RunWithoutRunAction,
    /// A broad pattern that lets a `delete_*` tool in.
    LetsDeleteIn,
    /// A top-level `|`: Port's `^` anchors only the first alternative.
    UnanchoredAlternative,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Lint {
    pub pattern_index: u32,
    pub code: LintCode,
    pub severity: Severity,
    pub message: String,
    /// UTF-16 span in the pattern text, when the finding has a place.
    pub start: Option<u32>,
    pub end: Option<u32>,
    /// Other patterns involved (the ones that cover a redundant pattern).
    pub related: Vec<u32>,
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// UTF-16 offset of character `chars` in `text`.
fn utf16_at(text: &str, chars: usize) -> u32 {
    let units: usize = text.chars().take(chars).map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

struct Finding {
    code: LintCode,
    severity: Severity,
    message: String,
    span: Option<(u32, u32)>,
    related: Vec<u32>,
}

/// Lints for every pattern of the set against the catalog, by pattern index then code.
pub fn lint(set: &PatternSet, catalog: &Catalog) -> Vec<Lint> {
    lint_matched(set, catalog, &match_indices(set, catalog))
}

/// [`lint`] with what the set matches already worked out (`match_indices` of this set and
/// catalog): the live matcher has it, and matching is most of a lint's cost.
pub fn lint_matched(set: &PatternSet, catalog: &Catalog, report: &MatchIndices) -> Vec<Lint> {
    let scopes = Scopes::new(set, catalog.connectors());
    let mut out = Vec::new();
    // Per pattern, the catalog tools it lets in: the lints below read these instead of
    // running the patterns again.
    let mut lets_in: Vec<Vec<u32>> = vec![Vec::new(); set.len()];
    for (t, by) in report.tools.iter().enumerate() {
        for &i in by {
            if let Some(list) = lets_in.get_mut(i as usize) {
                list.push(index(t));
            }
        }
    }
    let redundant = redundant_patterns(report, &lets_in);
    let run_action_matched = set
        .iter()
        .enumerate()
        .any(|(i, p)| scopes.applies(i, None) && p.test("run_action"));
    let delete_tools: Vec<String> = {
        let mut names: Vec<String> = builtin_names()
            .into_iter()
            .chain(
                catalog
                    .tools()
                    .iter()
                    .filter(|t| t.connector.is_none())
                    .map(|t| t.name.clone()),
            )
            .filter(|n| n.starts_with("delete_"))
            .collect();
        names.sort();
        names.dedup();
        names
    };
    for (i, pattern) in set.iter().enumerate() {
        let text = pattern.text();
        let mut findings: Vec<Finding> = Vec::new();
        if let Some(error) = pattern.error() {
            findings.push(Finding {
                code: LintCode::InvalidPattern,
                severity: Severity::Error,
                message: format!(
                    "{}: Port cannot compile this pattern and silently ignores it",
                    error.message
                ),
                span: Some((error.start, error.end)),
                related: Vec::new(),
            });
        }
        for (start, end, flags) in syntax::inline_flags(text) {
            findings.push(inline_flag_finding(text, start, end, &flags));
        }
        if let Some(rest) = text.strip_prefix('^') {
            if let Some(connector) = catalog
                .connectors()
                .iter()
                .find(|c| rest.starts_with(&format!("{c}_")))
            {
                findings.push(Finding {
                    code: LintCode::ConnectorAnchor,
                    severity: Severity::Warning,
                    message: format!(
                        "starts with ^, so it is not a connector pattern: it never reaches the {connector} connector's tools. Write {rest} instead"
                    ),
                    span: Some((0, 1)),
                    related: Vec::new(),
                });
            }
        }
        if pattern.is_valid() {
            let parsed = syntax::parse(text);
            if parsed.alternatives.len() > 1 {
                let first_bar = text.chars().position(|c| c == '|').unwrap_or(0);
                findings.push(Finding {
                    code: LintCode::UnanchoredAlternative,
                    severity: Severity::Warning,
                    message: "Port adds ^ in front of the whole text, which anchors only the first alternative: the others match anywhere in a name. Wrap the alternatives in a group: (a|b)".into(),
                    span: Some((utf16_at(text, first_bar), utf16_at(text, first_bar + 1))),
                    related: Vec::new(),
                });
            }
            let count = report.patterns.get(i).map(|p| p.matches).unwrap_or(0);
            if count == 0 {
                findings.push(Finding {
                    code: LintCode::MatchesNothing,
                    severity: Severity::Warning,
                    message: match report.patterns.get(i).map(|p| p.applies_to.label()) {
                        Some("port") | None => "matches none of the catalog's Port tools".into(),
                        Some(c) => format!("matches none of the {c} connector's tools"),
                    },
                    span: None,
                    related: Vec::new(),
                });
            } else if let Some(by) = redundant.get(&i) {
                findings.push(Finding {
                    code: LintCode::Redundant,
                    severity: Severity::Info,
                    message: format!(
                        "every tool it matches is already matched by pattern{} {}",
                        if by.len() == 1 { "" } else { "s" },
                        by.iter()
                            .map(|j| format!("#{}", j + 1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    span: None,
                    related: by.clone(),
                });
            }
            if scopes.applies(i, None) {
                let lets_in = lets_in.get(i).map(Vec::as_slice).unwrap_or_default();
                if !run_action_matched && names_an_action(pattern, text, catalog, lets_in) {
                    findings.push(Finding {
                        code: LintCode::RunWithoutRunAction,
                        severity: Severity::Warning,
                        message: "names actions, but no pattern in the set matches run_action, the tool that runs every action: add run_action (or a pattern like ^run_.*)".into(),
                        span: None,
                        related: Vec::new(),
                    });
                }
                let explicit_delete = text.trim_start_matches('^').starts_with("delete_");
                let let_in: Vec<&String> =
                    delete_tools.iter().filter(|n| pattern.test(n)).collect();
                if !explicit_delete && !pattern.is_literal() && !let_in.is_empty() {
                    findings.push(Finding {
                        code: LintCode::LetsDeleteIn,
                        severity: Severity::Warning,
                        message: format!(
                            "lets {} in",
                            let_in
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        span: None,
                        related: Vec::new(),
                    });
                }
            }
        }
        out.extend(findings.into_iter().map(|f| Lint {
            pattern_index: index(i),
            code: f.code,
            severity: f.severity,
            message: f.message,
            start: f.span.map(|s| s.0),
            end: f.span.map(|s| s.1),
            related: f.related,
        }));
    }
    out
}

fn inline_flag_finding(text: &str, start: usize, end: usize, flags: &str) -> Finding {
    let message = if text.chars().nth(end.saturating_sub(1)) == Some(')') {
        format!(
            "(?{flags}) is not JavaScript: Port rejects the whole pattern and ignores it. Port's patterns take no flags; spell the cases out, e.g. [Ll]ist_"
        )
    } else {
        format!(
            "(?{flags}:…) modifier groups are new in JavaScript (ES2025): older engines, Node 20 among them, reject the pattern, so Port may ignore it"
        )
    };
    Finding {
        code: LintCode::InlineFlags,
        severity: Severity::Warning,
        message,
        span: Some((utf16_at(text, start), utf16_at(text, end))),
        related: Vec::new(),
    }
}

/// A Port-tool pattern that names `run_<something>` other than `run_action` itself, or matches
/// one of the catalog's actions (`lets_in`: the catalog tools it matches).
fn names_an_action(
    pattern: &crate::pattern::CompiledPattern,
    text: &str,
    catalog: &Catalog,
    lets_in: &[u32],
) -> bool {
    let bare = text.trim_start_matches('^');
    let names_run = bare.starts_with("run_") && !pattern.test("run_action");
    names_run
        || lets_in.iter().any(|&t| {
            catalog.tools().get(t as usize).is_some_and(|t| {
                t.connector.is_none() && t.name.starts_with("run_") && t.name != "run_action"
            })
        })
}

/// Patterns whose every match is matched by another pattern that stays. Later patterns are
/// judged first, so of two patterns with the same matches the earlier one is kept.
fn redundant_patterns(
    report: &MatchIndices,
    lets_in: &[Vec<u32>],
) -> std::collections::BTreeMap<usize, Vec<u32>> {
    let mut removed = vec![false; lets_in.len()];
    let mut found = std::collections::BTreeMap::new();
    for i in (0..lets_in.len()).rev() {
        let mine: Vec<&Vec<u32>> = lets_in[i]
            .iter()
            .filter_map(|&t| report.tools.get(t as usize))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut covering: Vec<u32> = Vec::new();
        let covered = mine.iter().all(|matched_by| {
            match matched_by
                .iter()
                .find(|&&j| j != index(i) && !removed[j as usize])
            {
                Some(&j) => {
                    if !covering.contains(&j) {
                        covering.push(j);
                    }
                    true
                }
                None => false,
            }
        });
        if covered {
            removed[i] = true;
            covering.sort_unstable();
            found.insert(i, covering);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ToolSpec;

    fn codes(patterns: &[&str], catalog: &Catalog) -> Vec<(u32, LintCode)> {
        lint(&PatternSet::compile(patterns), catalog)
            .into_iter()
            .map(|l| (l.pattern_index, l.code))
            .collect()
    }

    fn with_notion() -> Catalog {
        let mut c = Catalog::builtin();
        c.add_connector_tool("notion", "notion-search");
        c
    }

    #[test]
    fn each_lint_fires_on_its_case_and_not_on_a_clean_set() {
        let c = with_notion();
        assert!(codes(&["^(list|get)_.*", "notion_.*"], &c).is_empty());
        assert!(codes(&["^notion_.*"], &c).contains(&(0, LintCode::ConnectorAnchor)));
        let flags = codes(&["(?i)list_.*"], &c);
        assert!(flags.contains(&(0, LintCode::InlineFlags)));
        assert!(flags.contains(&(0, LintCode::InvalidPattern)));
        assert!(codes(&["frobnicate"], &c).contains(&(0, LintCode::MatchesNothing)));
        assert_eq!(
            codes(&["list_.*", "list_entities"], &c),
            vec![(1, LintCode::Redundant)]
        );
        assert!(codes(&["run_deploy"], &c).contains(&(0, LintCode::RunWithoutRunAction)));
        assert!(!codes(&["run_deploy", "run_action"], &c)
            .iter()
            .any(|(_, code)| *code == LintCode::RunWithoutRunAction));
        assert!(codes(&[".*_entity"], &c).contains(&(0, LintCode::LetsDeleteIn)));
        assert!(!codes(&["delete_entity"], &c)
            .iter()
            .any(|(_, code)| *code == LintCode::LetsDeleteIn));
        assert!(codes(&["list_.*|get_.*"], &c).contains(&(0, LintCode::UnanchoredAlternative)));
    }

    #[test]
    fn duplicates_keep_the_first() {
        let c = Catalog::builtin();
        assert_eq!(
            codes(&["run_.*", "run_.*"], &c),
            vec![(1, LintCode::Redundant)]
        );
        let lints = lint(
            &PatternSet::compile(&["list_.*", "get_.*", "(list|get)_.*"]),
            &c,
        );
        let last = lints.iter().find(|l| l.pattern_index == 2).expect("lint");
        assert_eq!(last.related, vec![0, 1]);
    }

    #[test]
    fn run_action_lint_sees_catalog_actions() {
        let c = Catalog::from_specs(
            &[ToolSpec {
                name: "run_deploy".into(),
                connector: None,
            }],
            &[],
        );
        assert!(codes(&["run_d.*"], &c).contains(&(0, LintCode::RunWithoutRunAction)));
    }

    #[test]
    fn invalid_pattern_lint_carries_the_position() {
        let lints = lint(&PatternSet::compile(&["ab(c"]), &Catalog::builtin());
        let invalid = lints
            .iter()
            .find(|l| l.code == LintCode::InvalidPattern)
            .expect("invalid");
        assert_eq!((invalid.start, invalid.end), (Some(2), Some(3)));
        assert_eq!(invalid.severity, Severity::Error);
    }
}
