//! For the request being composed: every tool's final availability and approval mode, and the
//! rule that decided each, from the tool-patterns engine.

use std::collections::BTreeMap;

use port_api::{ApprovalMode, ChatMode};
use serde::{Deserialize, Serialize};
use tauri::State;
use tool_patterns::{resolve, Availability, ModeSource, PatternSet, ResolveOptions};

use crate::catalog::WorkspaceCatalog;
use crate::commands::patterns::{display_order, group_label};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResolveRequest {
    pub patterns: Vec<String>,
    /// Per-invocation `toolApprovalOverrides`: tool-name pattern → mode.
    pub overrides: BTreeMap<String, ApprovalMode>,
    pub chat_mode: Option<ChatMode>,
    /// The request carries a `tools` array (the general assistant's always does), which takes
    /// control over the saved disabled list.
    pub explicit_tools: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedTool {
    pub name: String,
    pub group: String,
    pub available: bool,
    /// Why it is or is not available, in words.
    pub reason: String,
    /// The first pattern that matched it.
    pub decided_by: Option<u32>,
    /// "approval" or "automatic".
    pub mode: String,
    /// Which rule decided the mode, in words.
    pub mode_source: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    pub tools: Vec<ResolvedTool>,
    pub problems: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_tools(
    state: State<'_, AppState>,
    request: ResolveRequest,
) -> Result<Resolution, AppError> {
    let client = state.client()?;
    let built = state.catalog.get_or_build(&client).await?;
    Ok(resolve_request(&built, &request))
}

pub fn resolve_request(built: &WorkspaceCatalog, request: &ResolveRequest) -> Resolution {
    let set = PatternSet::compile(&request.patterns);
    let options = ResolveOptions {
        overrides: request.overrides.clone(),
        chat_mode: request.chat_mode,
        explicit_tools: request.explicit_tools,
    };
    let resolution = resolve(&set, &built.catalog, &built.preferences, &options);
    let catalog_tools = built.catalog.tools();
    let tools = display_order(built)
        .into_iter()
        .filter_map(|i| Some((resolution.tools.get(i)?, catalog_tools.get(i)?)))
        .map(|(r, t)| {
            let first = r.matched_by.first().copied();
            let pattern = |i: u32| {
                request
                    .patterns
                    .get(i as usize)
                    .map(|p| format!("#{} {p}", i + 1))
                    .unwrap_or_default()
            };
            let reason = match r.availability {
                Availability::Available if r.disabled => format!(
                    "let in by {}; disabled in your preferences, but this request's tools array takes control",
                    first.map(pattern).unwrap_or_default()
                ),
                Availability::Available => {
                    format!("let in by {}", first.map(pattern).unwrap_or_default())
                }
                Availability::NoPatternMatched if request.patterns.is_empty() => {
                    "no patterns: an empty set lets nothing in".to_string()
                }
                Availability::NoPatternMatched if t.connector.is_some() => format!(
                    "no pattern starting with {}_ matches it",
                    t.connector.as_deref().unwrap_or_default()
                ),
                Availability::NoPatternMatched => "no pattern matches it".to_string(),
                Availability::DisabledByPreference => {
                    "disabled in your saved preferences".to_string()
                }
                Availability::ExcludedByChatMode => {
                    "changes data: hidden in ask chat mode".to_string()
                }
            };
            let mut mode_source = match &r.mode_source {
                ModeSource::Override { pattern } => format!("this request's override {pattern}"),
                ModeSource::Saved => "your saved preference".to_string(),
                ModeSource::SavedUnrecognized { mode } => format!(
                    "saved as \u{201c}{mode}\u{201d}, a mode newer than Portdesk (shown as approval)"
                ),
                ModeSource::Default => "the tool's default".to_string(),
            };
            if !r.shadowed_overrides.is_empty() {
                mode_source.push_str(&format!(
                    "; also matched, and outranked: {}",
                    r.shadowed_overrides.join(", ")
                ));
            }
            ResolvedTool {
                name: r.name.clone(),
                group: group_label(&t.group, t.group_kind),
                available: r.available,
                reason,
                decided_by: first,
                mode: match r.mode {
                    ApprovalMode::Approval => "approval",
                    ApprovalMode::Automatic => "automatic",
                }
                .to_string(),
                mode_source,
            }
        })
        .collect();
    let problems = resolution
        .override_errors
        .iter()
        .map(|e| {
            format!(
                "The override {} does not compile ({}): Port ignores it.",
                e.pattern, e.error.message
            )
        })
        .collect();
    Resolution { tools, problems }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::build_catalog;
    use port_api::ApprovalPreferences;

    fn workspace() -> WorkspaceCatalog {
        let mut preferences = ApprovalPreferences::default();
        preferences.set_mode("run_action", Some(ApprovalMode::Approval));
        preferences.set_mode("list_entities", Some(ApprovalMode::Automatic));
        preferences.set_disabled("delete_entity", true);
        WorkspaceCatalog {
            revision: 1,
            catalog: build_catalog(&preferences, &[], &[]),
            previous: None,
            preferences,
            actions: Vec::new(),
            extra: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn tool<'a>(resolution: &'a Resolution, name: &str) -> &'a ResolvedTool {
        resolution
            .tools
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name} resolved"))
    }

    #[test]
    fn each_tool_says_which_rule_decided_it() {
        let built = workspace();
        let resolution = resolve_request(
            &built,
            &ResolveRequest {
                patterns: vec!["list_.*".into(), ".*_entity$".into(), "run_action".into()],
                overrides: BTreeMap::from([("^run_".to_string(), ApprovalMode::Automatic)]),
                chat_mode: None,
                explicit_tools: false,
            },
        );
        let list = tool(&resolution, "list_entities");
        assert!(list.available);
        assert!(list.reason.contains("#1 list_.*"), "{}", list.reason);
        assert_eq!(list.mode_source, "your saved preference");
        let delete = tool(&resolution, "delete_entity");
        assert!(!delete.available);
        assert_eq!(delete.reason, "disabled in your saved preferences");
        let run = tool(&resolution, "run_action");
        assert_eq!(run.mode, "automatic");
        assert!(
            run.mode_source.contains("override ^run_"),
            "{}",
            run.mode_source
        );
    }

    #[test]
    fn ask_mode_hides_write_tools_and_an_explicit_tools_array_overrides_disabled() {
        let built = workspace();
        let resolution = resolve_request(
            &built,
            &ResolveRequest {
                patterns: vec![".*".into()],
                overrides: BTreeMap::new(),
                chat_mode: Some(ChatMode::Ask),
                explicit_tools: true,
            },
        );
        let upsert = tool(&resolution, "upsert_entity");
        assert!(!upsert.available);
        assert!(upsert.reason.contains("ask chat mode"));
        assert!(tool(&resolution, "list_entities").available);
        let bad = resolve_request(
            &built,
            &ResolveRequest {
                patterns: vec![],
                overrides: BTreeMap::from([("(".to_string(), ApprovalMode::Automatic)]),
                chat_mode: None,
                explicit_tools: true,
            },
        );
        assert_eq!(bad.problems.len(), 1);
        assert!(bad.tools.iter().all(|t| !t.available));
    }
}
