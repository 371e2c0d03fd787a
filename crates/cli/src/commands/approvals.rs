//! `portdesk-cli approvals get|set`: the tool approval preferences saved in Port.

use std::io::{BufRead, IsTerminal, Write};

use port_api::{ApprovalMode, ApprovalPreferences, PortClient};
use serde_json::Value;

use crate::args::{ApprovalsCommand, ApprovalsSetArgs};
use crate::output::{self, CliError};

pub async fn run(client: &PortClient, command: &ApprovalsCommand) -> Result<u8, CliError> {
    match command {
        ApprovalsCommand::Get(flag) => {
            let prefs = client.approval_preferences().await?;
            if flag.json {
                output::json_line(&prefs.to_body());
            } else {
                print_table(&prefs);
            }
            Ok(0)
        }
        ApprovalsCommand::Set(args) => set(client, args).await,
    }
}

/// What one tool's preference is, in words.
fn state(prefs: &ApprovalPreferences, tool: &str) -> String {
    let mode = match (
        prefs.tool_overrides.get(tool),
        prefs.unknown_overrides.get(tool),
    ) {
        (Some(m), _) => mode_name(*m).to_owned(),
        (None, Some(raw)) => format!("{} (unknown to this Portdesk, kept)", raw_mode(raw)),
        (None, None) => "default".to_owned(),
    };
    if prefs.disabled_tools.iter().any(|t| t == tool) {
        format!("{mode}, disabled")
    } else {
        mode
    }
}

fn mode_name(mode: ApprovalMode) -> &'static str {
    match mode {
        ApprovalMode::Approval => "approval",
        ApprovalMode::Automatic => "automatic",
    }
}

fn raw_mode(raw: &Value) -> String {
    raw.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| raw.to_string())
}

fn print_table(prefs: &ApprovalPreferences) {
    let tools = prefs.tool_names();
    if tools.is_empty() {
        println!("No saved approval preferences.");
        return;
    }
    let width = tools.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    for tool in &tools {
        println!("{tool:<width$}  {}", state(prefs, tool));
    }
    for (key, value) in &prefs.extra {
        println!("(kept as Port sent it) {key}: {value}");
    }
}

/// The changes the command line asks for, checked before anything is sent.
struct Changes {
    modes: Vec<(String, Option<ApprovalMode>)>,
    disabled: Vec<(String, bool)>,
}

fn parse_changes(args: &ApprovalsSetArgs) -> Result<Changes, CliError> {
    let mut modes: Vec<(String, Option<ApprovalMode>)> = Vec::new();
    for item in &args.modes {
        let (tool, mode) = item.split_once('=').ok_or_else(|| {
            CliError::usage(format!(
                "--mode {item}: expected TOOL=automatic or TOOL=approval"
            ))
        })?;
        let mode = match mode {
            "automatic" => ApprovalMode::Automatic,
            "approval" => ApprovalMode::Approval,
            other => {
                return Err(CliError::usage(format!(
                    "--mode {tool}={other}: the mode is automatic or approval (to remove a saved mode use --default {tool}; to disable use --disable {tool})"
                )))
            }
        };
        modes.push((tool.to_owned(), Some(mode)));
    }
    modes.extend(args.defaults.iter().map(|t| (t.clone(), None)));
    let mut disabled: Vec<(String, bool)> =
        args.disable.iter().map(|t| (t.clone(), true)).collect();
    disabled.extend(args.enable.iter().map(|t| (t.clone(), false)));
    for list in [
        modes.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        disabled.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
    ] {
        for (i, tool) in list.iter().enumerate() {
            if tool.trim().is_empty() {
                return Err(CliError::usage("a tool name is empty"));
            }
            if list[..i].contains(tool) {
                return Err(CliError::usage(format!(
                    "{tool} is named twice: say once what it should be"
                )));
            }
        }
    }
    if modes.is_empty() && disabled.is_empty() {
        return Err(CliError::usage(
            "nothing to change: use --mode, --default, --disable or --enable",
        ));
    }
    Ok(Changes { modes, disabled })
}

fn apply(current: &ApprovalPreferences, changes: &Changes) -> ApprovalPreferences {
    let mut next = current.clone();
    for (tool, mode) in &changes.modes {
        next.set_mode(tool, *mode);
    }
    for (tool, disabled) in &changes.disabled {
        next.set_disabled(tool, *disabled);
    }
    next
}

/// One line per tool whose state changes: `tool: before → after`.
fn diff(before: &ApprovalPreferences, after: &ApprovalPreferences) -> Vec<String> {
    let mut tools = before.tool_names();
    tools.extend(after.tool_names());
    tools.sort();
    tools.dedup();
    tools
        .iter()
        .filter_map(|tool| {
            let (a, b) = (state(before, tool), state(after, tool));
            (a != b).then(|| format!("{tool}: {a} → {b}"))
        })
        .collect()
}

async fn set(client: &PortClient, args: &ApprovalsSetArgs) -> Result<u8, CliError> {
    let changes = parse_changes(args)?;
    let current = client.approval_preferences().await?;
    let next = apply(&current, &changes);
    let lines = diff(&current, &next);
    if lines.is_empty() {
        println!("Nothing to change: Port already holds that.");
        return Ok(0);
    }
    let known = current.tool_names();
    for tool in changes
        .modes
        .iter()
        .map(|(t, _)| t)
        .chain(changes.disabled.iter().map(|(t, _)| t))
    {
        if !known.contains(tool) {
            eprintln!(
                "warning: Port does not list {tool} among your tools; it may drop the change"
            );
        }
    }
    println!("Changes to your approval preferences in Port:");
    for line in &lines {
        println!("  {line}");
    }
    if !args.yes && !confirm()? {
        println!("Nothing was written.");
        return Ok(1);
    }
    client.set_approval_preferences(&next).await?;
    let held = client.approval_preferences().await?;
    let missed = not_kept(&changes, &held);
    if missed.is_empty() {
        println!(
            "Saved; Port now holds the {} change{}.",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        );
        Ok(0)
    } else {
        eprintln!("error: Port saved the preferences but holds something else for:");
        for line in &missed {
            eprintln!("  {line}");
        }
        Ok(1)
    }
}

/// The requested changes Port's re-read copy does not reflect. A removed mode may come back as
/// Port's default for the tool: that is what "default" means, not a mismatch.
fn not_kept(changes: &Changes, held: &ApprovalPreferences) -> Vec<String> {
    let mut missed = Vec::new();
    for (tool, mode) in &changes.modes {
        if let Some(mode) = mode {
            if held.tool_overrides.get(tool) != Some(mode) {
                missed.push(format!(
                    "{tool}: asked {}, Port holds {}",
                    mode_name(*mode),
                    state(held, tool)
                ));
            }
        }
    }
    for (tool, disabled) in &changes.disabled {
        if held.disabled_tools.iter().any(|t| t == tool) != *disabled {
            let asked = if *disabled { "disabled" } else { "enabled" };
            missed.push(format!(
                "{tool}: asked {asked}, Port holds {}",
                state(held, tool)
            ));
        }
    }
    missed
}

/// Asks on the terminal; a script without a terminal must pass --yes.
fn confirm() -> Result<bool, CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::usage(
            "not writing without confirmation: stdin is not a terminal, so pass --yes to save these changes",
        ));
    }
    eprint!("Save these changes to Port? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::usage(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(
        modes: &[&str],
        defaults: &[&str],
        disable: &[&str],
        enable: &[&str],
    ) -> ApprovalsSetArgs {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        ApprovalsSetArgs {
            modes: own(modes),
            defaults: own(defaults),
            disable: own(disable),
            enable: own(enable),
            yes: true,
        }
    }

    #[test]
    fn changes_touch_only_the_named_tools() {
        let mut current = ApprovalPreferences::default();
        current.set_mode("run_action", Some(ApprovalMode::Approval));
        current.set_mode("list_entities", Some(ApprovalMode::Automatic));
        current
            .unknown_overrides
            .insert("load_skill".into(), Value::from("ask_once"));
        current.set_disabled("delete_entity", true);
        let changes = parse_changes(&args(
            &["run_action=automatic"],
            &["list_entities"],
            &["upsert_entity"],
            &["delete_entity"],
        ))
        .expect("valid");
        let next = apply(&current, &changes);
        assert_eq!(
            diff(&current, &next),
            vec![
                "delete_entity: default, disabled → default",
                "list_entities: automatic → default",
                "run_action: approval → automatic",
                "upsert_entity: default → default, disabled",
            ]
        );
        assert_eq!(
            next.unknown_overrides.get("load_skill"),
            Some(&Value::from("ask_once"))
        );
    }

    #[test]
    fn bad_changes_are_refused_before_anything_is_sent() {
        assert!(parse_changes(&args(&["run_action"], &[], &[], &[])).is_err());
        assert!(parse_changes(&args(&["run_action=sometimes"], &[], &[], &[])).is_err());
        assert!(parse_changes(&args(&["a=approval"], &["a"], &[], &[])).is_err());
        assert!(parse_changes(&args(&[], &[], &["a"], &["a"])).is_err());
        assert!(parse_changes(&args(&[], &[], &[], &[])).is_err());
    }
}
