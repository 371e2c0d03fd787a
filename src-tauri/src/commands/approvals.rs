//! Port's saved approval preferences, edited safely: a diff preview, a save that refuses to
//! overwrite changes made in Port since the preferences were loaded (unless told to), and a
//! re-read that confirms what Port now holds.
//!
//! The UI edits a plain view (tool → mode text, disabled list). Saving applies only the tools
//! the user changed onto Port's current copy, so modes newer than this client and fields it does
//! not know go back to Port untouched.

use std::collections::{BTreeMap, BTreeSet};

use port_api::{ApprovalMode, ApprovalPreferences, PortClient};
use serde::{Deserialize, Serialize};
use tauri::State;
use tool_patterns::Access;

use crate::commands::patterns::group_label;
use crate::error::AppError;
use crate::state::AppState;

/// Preferences as the UI edits them. A mode this client does not know is kept as its text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Preferences {
    pub tool_overrides: BTreeMap<String, String>,
    pub disabled_tools: Vec<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalTool {
    pub name: String,
    pub group: String,
    pub connector: Option<String>,
    /// The mode Portdesk assumes when nothing is saved (approval for tools that change things).
    pub default_mode: Option<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalsSnapshot {
    pub preferences: Preferences,
    /// The user's tools: every tool Port's preferences list, then the catalog's other tools.
    pub tools: Vec<ApprovalTool>,
}

/// One tool's state before and after: "automatic", "approval", "disabled", "default" (nothing
/// saved) or a newer mode's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalChange {
    pub tool: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalMismatch {
    pub tool: String,
    pub wanted: String,
    pub held: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum ApprovalsSaveOutcome {
    /// Written and read back: `held` is what Port holds now; `mismatches` where it differs from
    /// what was sent.
    #[serde(rename_all = "camelCase")]
    Saved {
        held: Preferences,
        changes: Vec<ApprovalChange>,
        mismatches: Vec<ApprovalMismatch>,
    },
    /// Port's copy changed since `loaded` was read: nothing was written.
    #[serde(rename_all = "camelCase")]
    Conflict {
        loaded: Preferences,
        current: Preferences,
        their_changes: Vec<ApprovalChange>,
    },
}

#[tauri::command]
#[specta::specta]
pub async fn load_approvals(state: State<'_, AppState>) -> Result<ApprovalsSnapshot, AppError> {
    let client = state.client()?;
    let preferences = client.approval_preferences().await?;
    state.catalog.replace_preferences(preferences.clone());
    let built = state.catalog.get_or_build(&client).await?;
    let listed: BTreeSet<String> = preferences.tool_names().into_iter().collect();
    let mut tools: Vec<ApprovalTool> = built
        .catalog
        .tools()
        .iter()
        .filter(|t| listed.contains(&t.name))
        .map(|t| ApprovalTool {
            name: t.name.clone(),
            group: group_label(&t.group, t.group_kind),
            connector: t.connector.clone(),
            default_mode: Some(
                if t.access == Access::Read {
                    "automatic"
                } else {
                    "approval"
                }
                .to_string(),
            ),
        })
        .collect();
    tools.sort_by(|a, b| a.group.cmp(&b.group).then_with(|| a.name.cmp(&b.name)));
    Ok(ApprovalsSnapshot {
        preferences: view(&preferences),
        tools,
    })
}

/// What saving `desired` over `base` would change, tool by tool.
#[tauri::command]
#[specta::specta]
pub fn preview_approvals(base: Preferences, desired: Preferences) -> Vec<ApprovalChange> {
    diff(&base, &desired)
}

/// Saves the user's changes (`base` → `desired`) to Port. Refused with both copies when Port's
/// changed since `base` was loaded, unless `force`: then the changes go on top of Port's copy.
#[tauri::command]
#[specta::specta]
pub async fn save_approvals(
    state: State<'_, AppState>,
    base: Preferences,
    desired: Preferences,
    force: bool,
) -> Result<ApprovalsSaveOutcome, AppError> {
    let client = state.client()?;
    let (outcome, held) = save(&client, base, desired, force).await?;
    if let Some(held) = held {
        state.catalog.replace_preferences(held);
    }
    Ok(outcome)
}

/// The save itself, Tauri-free: GET, compare with `base`, PUT, GET again. Also returns what Port
/// holds after a save.
pub async fn save(
    client: &PortClient,
    base: Preferences,
    desired: Preferences,
    force: bool,
) -> Result<(ApprovalsSaveOutcome, Option<ApprovalPreferences>), AppError> {
    let current = client.approval_preferences().await?;
    let current_view = view(&current);
    if !force && !same(&current_view, &base) {
        let outcome = ApprovalsSaveOutcome::Conflict {
            their_changes: diff(&base, &current_view),
            loaded: base,
            current: current_view,
        };
        return Ok((outcome, None));
    }
    let next = apply_changes(&current, &base, &desired);
    client.set_approval_preferences(&next).await?;
    let reread = client.approval_preferences().await?;
    let sent = view(&next);
    let held = view(&reread);
    let mismatches = diff(&sent, &held)
        .into_iter()
        .map(|c| ApprovalMismatch {
            tool: c.tool,
            wanted: c.before,
            held: c.after,
        })
        .collect();
    let outcome = ApprovalsSaveOutcome::Saved {
        changes: diff(&current_view, &sent),
        held,
        mismatches,
    };
    Ok((outcome, Some(reread)))
}

/// The editable view of Port's preferences.
pub fn view(preferences: &ApprovalPreferences) -> Preferences {
    let mut tool_overrides: BTreeMap<String, String> = preferences
        .unknown_overrides
        .iter()
        .map(|(tool, mode)| {
            let text = mode
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| mode.to_string());
            (tool.clone(), text)
        })
        .collect();
    for (tool, mode) in &preferences.tool_overrides {
        tool_overrides.insert(tool.clone(), mode_text(*mode).to_string());
    }
    Preferences {
        tool_overrides,
        disabled_tools: preferences.disabled_tools.clone(),
    }
}

fn mode_text(mode: ApprovalMode) -> &'static str {
    match mode {
        ApprovalMode::Approval => "approval",
        ApprovalMode::Automatic => "automatic",
    }
}

fn parse_mode(text: &str) -> Option<ApprovalMode> {
    match text {
        "approval" => Some(ApprovalMode::Approval),
        "automatic" => Some(ApprovalMode::Automatic),
        _ => None,
    }
}

pub fn state_of(preferences: &Preferences, tool: &str) -> String {
    if preferences.disabled_tools.iter().any(|t| t == tool) {
        return "disabled".to_string();
    }
    preferences
        .tool_overrides
        .get(tool)
        .cloned()
        .unwrap_or_else(|| "default".to_string())
}

fn same(a: &Preferences, b: &Preferences) -> bool {
    let set = |p: &Preferences| p.disabled_tools.iter().cloned().collect::<BTreeSet<_>>();
    a.tool_overrides == b.tool_overrides && set(a) == set(b)
}

/// Every tool whose state differs, by name.
pub fn diff(before: &Preferences, after: &Preferences) -> Vec<ApprovalChange> {
    let tools: BTreeSet<&String> = before
        .tool_overrides
        .keys()
        .chain(before.disabled_tools.iter())
        .chain(after.tool_overrides.keys())
        .chain(after.disabled_tools.iter())
        .collect();
    tools
        .into_iter()
        .filter_map(|tool| {
            let (b, a) = (state_of(before, tool), state_of(after, tool));
            (b != a).then(|| ApprovalChange {
                tool: tool.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}

/// `current` with only the tools that differ between `base` and `desired` changed; everything
/// else (other tools, newer modes, unknown fields) as Port has it.
pub fn apply_changes(
    current: &ApprovalPreferences,
    base: &Preferences,
    desired: &Preferences,
) -> ApprovalPreferences {
    let mut next = current.clone();
    let tools: BTreeSet<&String> = base
        .tool_overrides
        .keys()
        .chain(desired.tool_overrides.keys())
        .chain(base.disabled_tools.iter())
        .chain(desired.disabled_tools.iter())
        .collect();
    for tool in tools {
        let (was, wanted) = (
            base.tool_overrides.get(tool),
            desired.tool_overrides.get(tool),
        );
        if was != wanted {
            match wanted {
                None => next.set_mode(tool, None),
                Some(text) => {
                    if let Some(mode) = parse_mode(text) {
                        next.set_mode(tool, Some(mode));
                    }
                }
            }
        }
        let was_off = base.disabled_tools.contains(tool);
        let off = desired.disabled_tools.contains(tool);
        if was_off != off {
            next.set_disabled(tool, off);
        }
    }
    next
}

#[cfg(test)]
#[path = "approvals_tests.rs"]
mod tests;
