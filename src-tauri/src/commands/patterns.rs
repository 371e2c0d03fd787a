//! The live matcher: the workspace's catalog, a pattern set evaluated against it by the
//! tool-patterns engine (the rules enforced exactly as displayed), presets, explanations, and
//! saving a set for new requests or one agent.
//!
//! Evaluations run on every keystroke, so their answer is compact: per tool only the indices of
//! the patterns that let it in, in catalog order (the UI has the names from the catalog).

use std::time::Instant;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_specta::Event;
use tool_patterns::{
    explain, lint, lint_matched, match_indices, new_tools_under_broad_patterns, presets,
    run_checks, Access, Check, Expectation, Explanation, GroupKind, LintCode, PatternSet, Preset,
    Severity, ToolOrigin, ToolSpec,
};

use crate::catalog::WorkspaceCatalog;
use crate::error::AppError;
use crate::events::SettingsChanged;
use crate::settings::{AppSettings, SavedPatternSet, ToolCheck};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ToolKind {
    Port,
    Action,
    Connector,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CatalogTool {
    pub name: String,
    pub connector: Option<String>,
    /// "Port · entities", "Actions", or the connector's identifier.
    pub group: String,
    pub kind: ToolKind,
    /// Changes something in Port (hidden in `ask` chat mode).
    pub write: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PatternCatalog {
    pub revision: u32,
    /// Grouped: Port's families first, then actions, then each connector.
    pub tools: Vec<CatalogTool>,
    pub connectors: Vec<String>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PatternInput {
    pub text: String,
    /// Switched off in the editor: reported, but lets nothing in.
    pub enabled: bool,
}

#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EvaluateRequest {
    pub patterns: Vec<PatternInput>,
    pub checks: Vec<ToolCheck>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub code: String,
    pub message: String,
    /// UTF-16 offsets into the pattern text, as the editor counts.
    pub start: u32,
    pub end: u32,
    pub severity: Severity,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PatternReport {
    pub valid: bool,
    pub error: Option<Marker>,
    /// "port", or the connector whose tools it applies to.
    pub applies_to: String,
    /// Tools it matches (also when switched off: what it would let in).
    pub matches: u32,
    pub lints: Vec<Marker>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub tool: String,
    pub expect: crate::settings::CheckExpect,
    pub passed: bool,
    /// The first enabled pattern that lets the tool in.
    pub matched_by: Option<u32>,
    pub in_catalog: bool,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewToolNote {
    pub tool: String,
    pub pattern: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub catalog_revision: u32,
    pub patterns: Vec<PatternReport>,
    /// Per catalog tool, in catalog order: the enabled patterns that let it in.
    pub matched_by: Vec<Vec<u32>>,
    pub available: u32,
    pub checks: Vec<CheckResult>,
    /// Tools new since the catalog was last read that a broad pattern lets in.
    pub new_tools: Vec<NewToolNote>,
    /// The engine's own time for this evaluation.
    pub engine_micros: u32,
}

/// The workspace's tools; `refresh` reads Port again instead of answering from the cache.
#[tauri::command]
#[specta::specta]
pub async fn pattern_catalog(
    state: State<'_, AppState>,
    refresh: bool,
) -> Result<PatternCatalog, AppError> {
    let client = state.client()?;
    let built = if refresh {
        state.catalog.rebuild(&client, None).await?
    } else {
        state.catalog.get_or_build(&client).await?
    };
    Ok(catalog_view(&built))
}

/// Tools to test against beside the workspace's own (a pasted list, a tools file).
#[tauri::command]
#[specta::specta]
pub async fn set_extra_tools(
    state: State<'_, AppState>,
    tools: Vec<ToolSpec>,
) -> Result<PatternCatalog, AppError> {
    let client = state.client()?;
    let tools = tools
        .into_iter()
        .filter(|t| !t.name.trim().is_empty())
        .collect();
    let built = state.catalog.rebuild(&client, Some(tools)).await?;
    Ok(catalog_view(&built))
}

/// The engine's verdict on a pattern set against the workspace's catalog.
#[tauri::command]
#[specta::specta]
pub async fn evaluate_patterns(
    state: State<'_, AppState>,
    request: EvaluateRequest,
) -> Result<Evaluation, AppError> {
    let client = state.client()?;
    let built = state.catalog.get_or_build(&client).await?;
    Ok(evaluate(&built, &request))
}

/// A plain-language reading of one pattern.
#[tauri::command]
#[specta::specta]
pub fn explain_pattern(state: State<'_, AppState>, pattern: String) -> Explanation {
    let connectors = state
        .catalog
        .get()
        .map(|c| c.catalog.connectors().to_vec())
        .unwrap_or_default();
    explain(&pattern, &connectors)
}

/// The pattern sets Port's documentation suggests.
#[tauri::command]
#[specta::specta]
pub fn pattern_presets() -> Vec<Preset> {
    presets()
}

/// Saves a set as the default for new general-assistant requests, in the settings: one default
/// for every workspace. An agent's set lives with its workspace (`save_agent_pattern_set`).
#[tauri::command]
#[specta::specta]
pub fn save_default_pattern_set(
    app: AppHandle,
    state: State<'_, AppState>,
    set: SavedPatternSet,
) -> Result<AppSettings, AppError> {
    let settings = state.settings.save_default_pattern_set(set)?;
    let _ = SettingsChanged {
        settings: settings.clone(),
    }
    .emit(&app);
    Ok(settings)
}

pub fn catalog_view(built: &WorkspaceCatalog) -> PatternCatalog {
    PatternCatalog {
        revision: built.revision,
        tools: ordered_tools(built),
        connectors: built.catalog.connectors().to_vec(),
        problems: built.problems.clone(),
    }
}

/// Catalog indices in display order (grouped); evaluations answer in this order too.
pub fn display_order(built: &WorkspaceCatalog) -> Vec<usize> {
    built
        .catalog
        .groups()
        .into_iter()
        .flat_map(|g| g.tools.into_iter().map(|i| i as usize))
        .collect()
}

fn ordered_tools(built: &WorkspaceCatalog) -> Vec<CatalogTool> {
    let tools = built.catalog.tools();
    display_order(built)
        .into_iter()
        .filter_map(|i| tools.get(i))
        .map(|t| CatalogTool {
            name: t.name.clone(),
            connector: t.connector.clone(),
            group: group_label(&t.group, t.group_kind),
            kind: match (t.group_kind, t.origin) {
                (GroupKind::Connector, _) => ToolKind::Connector,
                (GroupKind::Actions, _) | (_, ToolOrigin::Action) => ToolKind::Action,
                _ => ToolKind::Port,
            },
            write: t.access == Access::Write,
        })
        .collect()
}

pub fn group_label(group: &str, kind: GroupKind) -> String {
    match kind {
        GroupKind::PortFamily => format!("Port · {group}"),
        GroupKind::Actions => "Actions".to_string(),
        GroupKind::Connector => format!("Connector · {group}"),
    }
}

fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Runs the engine on the whole set (for per-pattern reports, also of switched-off patterns)
/// and on the enabled ones (for what Port would let in, lints, checks and new-tool alerts).
pub fn evaluate(built: &WorkspaceCatalog, request: &EvaluateRequest) -> Evaluation {
    let started = Instant::now();
    let catalog = &built.catalog;
    let texts: Vec<&str> = request.patterns.iter().map(|p| p.text.as_str()).collect();
    let full = PatternSet::compile(&texts);
    // Index in the enabled set → index in the request.
    let enabled: Vec<usize> = request
        .patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| p.enabled)
        .map(|(i, _)| i)
        .collect();
    let full_report = match_indices(&full, catalog);
    // Usually every pattern is on: the enabled set is the full one, compiled and matched once.
    let all_enabled = enabled.len() == texts.len();
    let active = if all_enabled {
        full.clone()
    } else {
        let enabled_texts: Vec<&str> = enabled.iter().map(|&i| texts[i]).collect();
        PatternSet::compile(&enabled_texts)
    };
    let to_request = |i: u32| enabled.get(i as usize).map(|&r| index_u32(r));
    let lints = if all_enabled {
        lint_matched(&active, catalog, &full_report)
    } else {
        lint(&active, catalog)
    };

    let mut patterns: Vec<PatternReport> = full_report
        .patterns
        .iter()
        .map(|p| PatternReport {
            valid: p.valid,
            error: p.error.as_ref().map(|e| Marker {
                code: "invalidPattern".into(),
                message: format!("{} — Port would ignore this pattern", e.message),
                start: e.start,
                end: e.end,
                severity: Severity::Error,
            }),
            applies_to: p.applies_to.label().to_string(),
            matches: p.matches,
            lints: Vec::new(),
        })
        .collect();
    for l in lints
        .into_iter()
        .filter(|l| l.code != LintCode::InvalidPattern)
    {
        let Some(at) = to_request(l.pattern_index) else {
            continue;
        };
        if let Some(report) = patterns.get_mut(at as usize) {
            let len = utf16_len(texts[at as usize]);
            report.lints.push(Marker {
                code: serde_json::to_value(l.code)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                message: l.message,
                start: l.start.unwrap_or(0),
                end: l.end.unwrap_or(len),
                severity: l.severity,
            });
        }
    }

    let order = display_order(built);
    let matched_by: Vec<Vec<u32>> = order
        .iter()
        .map(|&i| {
            full_report
                .tools
                .get(i)
                .map(|matched_by| {
                    matched_by
                        .iter()
                        .copied()
                        .filter(|&m| request.patterns.get(m as usize).is_some_and(|p| p.enabled))
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let available = index_u32(matched_by.iter().filter(|m| !m.is_empty()).count());

    let checks = evaluate_checks(built, &active, &request.checks, &to_request);
    let new_tools = built
        .previous
        .as_ref()
        .map(|before| new_tools_under_broad_patterns(&active, before, catalog))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|alert| {
            let pattern = alert.matched_by.first().and_then(|&m| to_request(m))?;
            Some(NewToolNote {
                tool: alert.name,
                pattern,
            })
        })
        .collect();

    Evaluation {
        catalog_revision: built.revision,
        patterns,
        matched_by,
        available,
        checks,
        new_tools,
        engine_micros: u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX),
    }
}

fn evaluate_checks(
    built: &WorkspaceCatalog,
    active: &PatternSet,
    checks: &[ToolCheck],
    to_request: &dyn Fn(u32) -> Option<u32>,
) -> Vec<CheckResult> {
    let catalog = &built.catalog;
    let engine_checks: Vec<Check> = checks
        .iter()
        .map(|c| Check {
            tool: c.tool.clone(),
            connector: connector_of(catalog.connectors(), &c.tool),
            expect: match c.expect {
                crate::settings::CheckExpect::Match => Expectation::MustMatch,
                crate::settings::CheckExpect::NoMatch => Expectation::MustNotMatch,
            },
        })
        .collect();
    run_checks(active, catalog, &engine_checks)
        .into_iter()
        .zip(checks)
        .map(|(result, check)| CheckResult {
            tool: check.tool.clone(),
            expect: check.expect,
            passed: result.passed,
            matched_by: result.matched_by.first().and_then(|&m| to_request(m)),
            in_catalog: catalog.contains(&result.check.tool, result.check.connector.as_deref()),
            message: renumber(&result.message, &result.matched_by, to_request),
        })
        .collect()
}

/// The engine numbers patterns within the enabled set; the editor numbers every row.
fn renumber(message: &str, matched_by: &[u32], to_request: &dyn Fn(u32) -> Option<u32>) -> String {
    let mut out = message.to_string();
    // Highest first, so "#1" is not rewritten inside "#12".
    let mut pairs: Vec<(u32, u32)> = matched_by
        .iter()
        .filter_map(|&m| to_request(m).map(|r| (m, r)))
        .collect();
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
    for (from, to) in pairs {
        out = out.replace(&format!("#{}", from + 1), &format!("#\u{2060}{}", to + 1));
    }
    out.replace('\u{2060}', "")
}

/// The connector a tool name belongs to: the longest declared `X` with the name starting `X_`.
pub fn connector_of(connectors: &[String], name: &str) -> Option<String> {
    connectors
        .iter()
        .filter(|c| name.starts_with(&format!("{c}_")))
        .max_by_key(|c| c.len())
        .cloned()
}

#[cfg(test)]
#[path = "patterns_tests.rs"]
mod tests;
