//! `portdesk-cli history …`: the same history file as the desktop app.

use std::io::Write;

use history::{
    AgentFilter, HistoryError, HistoryFilter, HistoryStatus, HistoryStore, LabelFilter,
    PageRequest, Retention,
};
use serde_json::{json, Value};

use crate::args::GlobalArgs;
use crate::history_args::*;
use crate::output::{self, CliError};

mod print;
mod transfer;

/// Opens the history in the shared data directory, telling the user what opening did.
pub fn open_store() -> Result<HistoryStore, HistoryError> {
    let store = HistoryStore::open_in(&credentials::data_dir())?;
    let report = store.open_report();
    if let (Some(from), Some(backup)) = (report.migrated_from, &report.backup) {
        eprintln!(
            "note: upgraded the history from version {from} to {}; the old file is kept at {backup}",
            report.schema_version
        );
    }
    if !report.interrupted.is_empty() {
        eprintln!(
            "note: {} invocation(s) left streaming by a Portdesk that stopped were marked interrupted",
            report.interrupted.len()
        );
    }
    Ok(store)
}

pub fn filter_from(args: &FilterArgs, global: &GlobalArgs) -> Result<HistoryFilter, CliError> {
    let mut filter = HistoryFilter {
        agent: match (&args.agent, args.general) {
            (Some(agent), _) => Some(AgentFilter::Agent(agent.clone())),
            (None, true) => Some(AgentFilter::General),
            (None, false) => None,
        },
        profile: global.profile.clone(),
        tool: args.tool.clone(),
        conversation_id: args.in_conversation.clone(),
        ..HistoryFilter::default()
    };
    for status in &args.statuses {
        filter.statuses.extend(HistoryStatus::parse(status));
    }
    for label in &args.labels {
        filter.labels.push(match label.split_once('=') {
            Some((key, value)) => LabelFilter {
                key: key.to_string(),
                value: Some(value.to_string()),
            },
            None => LabelFilter {
                key: label.clone(),
                value: None,
            },
        });
    }
    let time = |text: &Option<String>, end: bool, flag: &str| -> Result<Option<i64>, CliError> {
        match text {
            None => Ok(None),
            Some(t) => history::parse_time(t, end).map(Some).ok_or_else(|| {
                CliError::usage(format!(
                    "{flag} {t:?}: expected a date (YYYY-MM-DD) or an RFC 3339 time"
                ))
            }),
        }
    };
    filter.from_ms = time(&args.since, false, "--since")?;
    filter.to_ms = time(&args.until, true, "--until")?;
    Ok(filter)
}

pub async fn run(command: &HistoryCommand, global: &GlobalArgs) -> Result<u8, CliError> {
    if let HistoryCommand::ImportPort(args) = command {
        return transfer::import_port(global, args.json).await;
    }
    let store = open_store()?;
    match command {
        HistoryCommand::List(args) => list(&store, args, global),
        HistoryCommand::Search(args) => search(&store, args, global),
        HistoryCommand::Show(args) => {
            let detail = store.show(&args.id)?;
            if args.json {
                output::json_line(&serde_json::to_value(&detail).unwrap_or(Value::Null));
            } else {
                print::detail(&detail);
            }
            Ok(0)
        }
        HistoryCommand::Export(args) => transfer::export(&store, args, global),
        HistoryCommand::Import(args) => transfer::import(&store, args),
        HistoryCommand::Stats(args) => {
            let stats = store.stats(&filter_from(&args.filter, global)?)?;
            if args.json {
                output::json_line(&serde_json::to_value(&stats).unwrap_or(Value::Null));
            } else {
                print::stats(&stats);
            }
            Ok(0)
        }
        HistoryCommand::Delete(args) => delete(&store, args),
        HistoryCommand::Retention(args) => retention(&store, args),
        HistoryCommand::SeedBench(args) => {
            let events = history::seed::seed(&store, args.count, args.events)?;
            eprintln!("seeded {} invocations ({events} events)", args.count);
            Ok(0)
        }
        HistoryCommand::ImportPort(_) => Ok(0),
    }
}

fn list(store: &HistoryStore, args: &ListArgs, global: &GlobalArgs) -> Result<u8, CliError> {
    let page = store.list(
        &filter_from(&args.filter, global)?,
        &PageRequest {
            limit: args.limit,
            cursor: args.cursor.clone(),
        },
    )?;
    for item in &page.items {
        if args.json {
            output::json_line(&serde_json::to_value(item).unwrap_or(Value::Null));
        } else {
            print::summary(item);
        }
    }
    if let Some(cursor) = &page.next_cursor {
        eprintln!("more: --cursor {cursor}");
    }
    Ok(0)
}

fn search(store: &HistoryStore, args: &SearchArgs, global: &GlobalArgs) -> Result<u8, CliError> {
    let page = store.search(
        &args.query,
        &filter_from(&args.filter, global)?,
        &PageRequest {
            limit: args.limit,
            cursor: args.cursor.clone(),
        },
    )?;
    for hit in &page.items {
        if args.json {
            let mut line = serde_json::to_value(&hit.invocation).unwrap_or(Value::Null);
            if let Some(map) = line.as_object_mut() {
                map.insert("field".into(), Value::from(hit.field.clone()));
                map.insert(
                    "snippet".into(),
                    serde_json::to_value(&hit.snippet).unwrap_or(Value::Null),
                );
            }
            output::json_line(&line);
        } else {
            print::hit(hit);
        }
    }
    if let Some(cursor) = &page.next_cursor {
        eprintln!("more: --cursor {cursor}");
    }
    if page.items.is_empty() && !args.json {
        eprintln!("no matches");
    }
    Ok(0)
}

fn delete(store: &HistoryStore, args: &DeleteArgs) -> Result<u8, CliError> {
    let (what, count) = if args.all {
        ("all", store.wipe()?)
    } else if let Some(conversation) = &args.conversation {
        ("conversation", store.delete_conversation(conversation)?)
    } else if let Some(id) = &args.id {
        store.delete_invocation(id)?;
        ("invocation", 1)
    } else {
        return Err(CliError::usage(
            "say what to delete: ID, --conversation ID or --all --yes",
        ));
    };
    if args.json {
        output::json_line(&json!({ "deleted": what, "invocations": count }));
    } else {
        eprintln!("deleted {count} invocation(s)");
    }
    Ok(0)
}

fn retention(store: &HistoryStore, args: &RetentionArgs) -> Result<u8, CliError> {
    let deleted = match (args.days, args.forever) {
        (Some(days), _) => Some(store.set_retention(Retention::Days(days))?),
        (None, true) => Some(store.set_retention(Retention::Forever)?),
        (None, false) => None,
    };
    let current = store.retention()?;
    if args.json {
        output::json_line(&json!({ "retention": current, "deleted": deleted }));
    } else {
        match current {
            Retention::Forever => println!("keeping invocations forever"),
            Retention::Days(days) => println!("keeping invocations {days} days"),
        }
        if let Some(n) = deleted.filter(|n| *n > 0) {
            eprintln!("deleted {n} older invocation(s)");
        }
    }
    let _ = std::io::stdout().flush();
    Ok(0)
}
