//! For every tool: is it available to this request, in which approval mode, and which rule
//! decided each.
//!
//! Availability (PORT-API.md, "Approvals"): matched by an applicable pattern; then, unless the
//! request carries an explicit `tools` array (which takes full control), not disabled in the
//! saved preferences; then, in `ask` chat mode, not a write tool. The user's permissions are
//! the server's to apply on top.
//!
//! Approval mode, highest first: a per-invocation `toolApprovalOverrides` key that matches the
//! tool → the saved `toolOverrides` entry → the tool's default.

use std::collections::BTreeMap;

use port_api::{ApprovalMode, ApprovalPreferences, ChatMode};
use serde::{Deserialize, Serialize};

use crate::catalog::{Access, Catalog, Tool};
use crate::matcher::{each_match, matched_by_tool, Scopes};
use crate::pattern::{CompiledPattern, PatternError, PatternSet};

/// What the request being composed adds to the saved preferences.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResolveOptions {
    /// Per-invocation `toolApprovalOverrides`: a tool-name pattern → mode. Keys are read like
    /// tool patterns (`^` + key, ECMAScript, no flags) against the full tool name.
    pub overrides: BTreeMap<String, ApprovalMode>,
    pub chat_mode: Option<ChatMode>,
    /// The request sends an explicit `tools` array (the general assistant always does): disabled
    /// tools are then not excluded. An agent's own invocation has no such array.
    pub explicit_tools: bool,
}

/// Why a tool is or is not available. Checked in this order; the first that fails decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Availability {
    Available,
    /// No applicable pattern matches it (or the set is empty).
    NoPatternMatched,
    /// In the saved `disabledTools`, and the request has no explicit `tools` array.
    DisabledByPreference,
    /// A write tool in `ask` chat mode.
    ExcludedByChatMode,
}

/// Which source decided the approval mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ModeSource {
    /// A per-invocation override key that matches the tool.
    Override { pattern: String },
    /// The saved preference for this tool.
    Saved,
    /// A saved mode newer than this Portdesk; shown as approval, written back unchanged.
    SavedUnrecognized { mode: String },
    /// Nothing saved: Port's default for the tool. Port's GET lists every current tool with its
    /// mode, so this shows only for tools it does not list; Portdesk then assumes approval for
    /// write tools and tools of unknown access, automatic for read tools.
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedTool {
    pub name: String,
    pub connector: Option<String>,
    pub available: bool,
    pub availability: Availability,
    /// Indices of the patterns that match it.
    pub matched_by: Vec<u32>,
    /// In the saved `disabledTools` (even when an explicit `tools` array overrides that).
    pub disabled: bool,
    pub mode: ApprovalMode,
    pub mode_source: ModeSource,
    /// Per-invocation override keys that match the tool but lost to another one (a conflict).
    pub shadowed_overrides: Vec<String>,
}

/// An override key that does not compile: Port would ignore it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OverrideError {
    pub pattern: String,
    pub error: PatternError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Resolution {
    /// In catalog order.
    pub tools: Vec<ResolvedTool>,
    pub override_errors: Vec<OverrideError>,
}

/// Resolves every catalog tool for one request.
pub fn resolve(
    set: &PatternSet,
    catalog: &Catalog,
    preferences: &ApprovalPreferences,
    options: &ResolveOptions,
) -> Resolution {
    let scopes = Scopes::new(set, catalog.connectors());
    let overrides: Vec<(CompiledPattern, ApprovalMode)> = options
        .overrides
        .iter()
        .map(|(key, mode)| (CompiledPattern::compile(key), *mode))
        .collect();
    let override_errors = overrides
        .iter()
        .filter_map(|(p, _)| {
            p.error().map(|e| OverrideError {
                pattern: p.text().to_owned(),
                error: e.clone(),
            })
        })
        .collect();
    // Per tool, by catalog index: the preference lists are looked up once each, not once per
    // tool (a hash or tree lookup per tool was a tenth of a 5,000-tool resolution).
    let mut disabled = vec![false; catalog.len()];
    for name in &preferences.disabled_tools {
        for t in catalog.indices_named(name) {
            disabled[t] = true;
        }
    }
    let mut saved: Vec<Option<SavedMode>> = vec![None; catalog.len()];
    for (name, mode) in &preferences.unknown_overrides {
        for t in catalog.indices_named(name) {
            saved[t] = Some(SavedMode::Unrecognized(mode));
        }
    }
    // Known modes win over unrecognised ones for the same tool, as they did when looked up first.
    for (name, mode) in &preferences.tool_overrides {
        for t in catalog.indices_named(name) {
            saved[t] = Some(SavedMode::Known(*mode));
        }
    }
    // Override keys apply to every tool by its full name (no connector rule).
    let mut override_hits: Vec<Vec<usize>> = vec![Vec::new(); catalog.len()];
    for (k, (pattern, _)) in overrides.iter().enumerate() {
        each_match(
            pattern,
            catalog,
            |_| true,
            |t| {
                if override_hits[t].last() != Some(&k) {
                    override_hits[t].push(k);
                }
            },
        );
    }
    let tools = catalog
        .tools()
        .iter()
        .zip(matched_by_tool(set, &scopes, catalog))
        .zip(override_hits)
        .enumerate()
        .map(|(t, ((tool, matched_by), hits))| {
            let hits: Vec<&(CompiledPattern, ApprovalMode)> =
                hits.into_iter().filter_map(|k| overrides.get(k)).collect();
            resolve_tool(tool, matched_by, disabled[t], saved[t], options, &hits)
        })
        .collect();
    Resolution {
        tools,
        override_errors,
    }
}

/// A tool's saved mode in Port's preferences.
#[derive(Clone, Copy)]
enum SavedMode<'a> {
    Known(ApprovalMode),
    /// A mode this client does not know (a newer Port's), as Port sent it.
    Unrecognized(&'a serde_json::Value),
}

fn resolve_tool(
    tool: &Tool,
    matched_by: Vec<u32>,
    disabled: bool,
    saved: Option<SavedMode<'_>>,
    options: &ResolveOptions,
    override_hits: &[&(CompiledPattern, ApprovalMode)],
) -> ResolvedTool {
    let availability = if matched_by.is_empty() {
        Availability::NoPatternMatched
    } else if disabled && !options.explicit_tools {
        Availability::DisabledByPreference
    } else if options.chat_mode == Some(ChatMode::Ask) && tool.access == Access::Write {
        Availability::ExcludedByChatMode
    } else {
        Availability::Available
    };
    let (mode, mode_source, shadowed_overrides) = approval(tool, saved, override_hits);
    ResolvedTool {
        name: tool.name.clone(),
        connector: tool.connector.clone(),
        available: availability == Availability::Available,
        availability,
        matched_by,
        disabled,
        mode,
        mode_source,
        shadowed_overrides,
    }
}

/// When several override keys match and disagree, approval wins: Port does not document the
/// tie-break, and the cautious reading is the one Portdesk can promise.
fn approval(
    tool: &Tool,
    saved: Option<SavedMode<'_>>,
    hits: &[&(CompiledPattern, ApprovalMode)],
) -> (ApprovalMode, ModeSource, Vec<String>) {
    let winner = hits
        .iter()
        .find(|(_, m)| *m == ApprovalMode::Approval)
        .or_else(|| hits.first());
    if let Some((pattern, mode)) = winner {
        let shadowed = hits
            .iter()
            .filter(|(p, m)| m != mode && p.text() != pattern.text())
            .map(|(p, _)| p.text().to_owned())
            .collect();
        return (
            *mode,
            ModeSource::Override {
                pattern: pattern.text().to_owned(),
            },
            shadowed,
        );
    }
    if let Some(SavedMode::Known(mode)) = saved {
        return (mode, ModeSource::Saved, Vec::new());
    }
    if let Some(SavedMode::Unrecognized(raw)) = saved {
        let mode = raw
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| raw.to_string());
        return (
            ApprovalMode::Approval,
            ModeSource::SavedUnrecognized { mode },
            Vec::new(),
        );
    }
    let mode = match tool.access {
        Access::Read => ApprovalMode::Automatic,
        Access::Write | Access::Unknown => ApprovalMode::Approval,
    };
    (mode, ModeSource::Default, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(saved: &[(&str, ApprovalMode)], disabled: &[&str]) -> ApprovalPreferences {
        let mut p = ApprovalPreferences::default();
        for (tool, mode) in saved {
            p.tool_overrides.insert((*tool).into(), *mode);
        }
        p.disabled_tools = disabled.iter().map(|s| s.to_string()).collect();
        p
    }

    fn find<'a>(r: &'a Resolution, name: &str) -> &'a ResolvedTool {
        r.tools.iter().find(|t| t.name == name).expect("tool")
    }

    /// One row per rule: (patterns, saved, disabled, overrides, chat mode, explicit, tool) →
    /// (availability, mode, source).
    #[test]
    fn resolution_table() {
        use ApprovalMode::{Approval, Automatic};
        type Row<'a> = (
            &'a [&'a str],
            &'a [(&'a str, ApprovalMode)],
            &'a [&'a str],
            &'a [(&'a str, ApprovalMode)],
            Option<ChatMode>,
            bool,
            &'a str,
            Availability,
            ApprovalMode,
            ModeSource,
        );
        let saved = ModeSource::Saved;
        let default = ModeSource::Default;
        let over = |p: &str| ModeSource::Override { pattern: p.into() };
        let rows: Vec<Row> = vec![
            (
                &[],
                &[],
                &[],
                &[],
                None,
                true,
                "list_entities",
                Availability::NoPatternMatched,
                Automatic,
                default.clone(),
            ),
            (
                &["list_.*"],
                &[],
                &[],
                &[],
                None,
                true,
                "list_entities",
                Availability::Available,
                Automatic,
                default.clone(),
            ),
            (
                &["list_.*"],
                &[("list_entities", Approval)],
                &[],
                &[],
                None,
                true,
                "list_entities",
                Availability::Available,
                Approval,
                saved.clone(),
            ),
            (
                &["list_.*"],
                &[("list_entities", Approval)],
                &[],
                &[("list_.*", Automatic)],
                None,
                true,
                "list_entities",
                Availability::Available,
                Automatic,
                over("list_.*"),
            ),
            (
                &["run_.*"],
                &[],
                &[],
                &[],
                None,
                true,
                "run_action",
                Availability::Available,
                Approval,
                default.clone(),
            ),
            (
                &["run_.*"],
                &[("run_action", Automatic)],
                &[],
                &[("run_action", Approval), ("run_.*", Automatic)],
                None,
                true,
                "run_action",
                Availability::Available,
                Approval,
                over("run_action"),
            ),
            (
                &[".*"],
                &[],
                &["delete_entity"],
                &[],
                None,
                false,
                "delete_entity",
                Availability::DisabledByPreference,
                Approval,
                default.clone(),
            ),
            (
                &[".*"],
                &[],
                &["delete_entity"],
                &[],
                None,
                true,
                "delete_entity",
                Availability::Available,
                Approval,
                default.clone(),
            ),
            (
                &[".*"],
                &[],
                &[],
                &[],
                Some(ChatMode::Ask),
                true,
                "upsert_entity",
                Availability::ExcludedByChatMode,
                Approval,
                default.clone(),
            ),
            (
                &[".*"],
                &[],
                &[],
                &[],
                Some(ChatMode::Ask),
                true,
                "list_entities",
                Availability::Available,
                Automatic,
                default.clone(),
            ),
            (
                &[".*"],
                &[],
                &[],
                &[],
                Some(ChatMode::Build),
                true,
                "upsert_entity",
                Availability::Available,
                Approval,
                default.clone(),
            ),
            (
                &["(list"],
                &[],
                &[],
                &[],
                None,
                true,
                "list_entities",
                Availability::NoPatternMatched,
                Automatic,
                default.clone(),
            ),
        ];
        for (
            i,
            (
                patterns,
                saved_modes,
                disabled,
                overrides,
                chat_mode,
                explicit,
                tool,
                availability,
                mode,
                source,
            ),
        ) in rows.into_iter().enumerate()
        {
            let options = ResolveOptions {
                overrides: overrides
                    .iter()
                    .map(|(k, m)| ((*k).to_owned(), *m))
                    .collect(),
                chat_mode,
                explicit_tools: explicit,
            };
            let r = resolve(
                &PatternSet::compile(patterns),
                &Catalog::builtin(),
                &prefs(saved_modes, disabled),
                &options,
            );
            let t = find(&r, tool);
            assert_eq!(t.availability, availability, "row {i}");
            assert_eq!(
                t.available,
                availability == Availability::Available,
                "row {i}"
            );
            assert_eq!(t.mode, mode, "row {i}");
            assert_eq!(t.mode_source, source, "row {i}");
        }
    }

    #[test]
    fn conflicting_overrides_are_reported_and_bad_keys_listed() {
        let options = ResolveOptions {
            overrides: BTreeMap::from([
                ("run_.*".to_owned(), ApprovalMode::Automatic),
                ("run_action".to_owned(), ApprovalMode::Approval),
                ("(bad".to_owned(), ApprovalMode::Automatic),
            ]),
            chat_mode: None,
            explicit_tools: true,
        };
        let r = resolve(
            &PatternSet::compile(&[".*"]),
            &Catalog::builtin(),
            &ApprovalPreferences::default(),
            &options,
        );
        assert_eq!(find(&r, "run_action").shadowed_overrides, vec!["run_.*"]);
        assert_eq!(r.override_errors.len(), 1);
        assert_eq!(r.override_errors[0].pattern, "(bad");
    }

    #[test]
    fn unrecognized_saved_modes_show_as_approval_with_their_raw_value() {
        let mut p = ApprovalPreferences::default();
        p.unknown_overrides
            .insert("load_skill".into(), serde_json::json!("ask_once"));
        let r = resolve(
            &PatternSet::compile(&[".*"]),
            &Catalog::builtin(),
            &p,
            &ResolveOptions::default(),
        );
        let t = find(&r, "load_skill");
        assert_eq!(t.mode, ApprovalMode::Approval);
        assert_eq!(
            t.mode_source,
            ModeSource::SavedUnrecognized {
                mode: "ask_once".into()
            }
        );
    }
}
