//! Export, import and Port import from the command line.

use std::fs::File;
use std::io::{BufWriter, Read, Write};

use history::{ConversationFormat, ExportFormat, HistoryStore};
use serde_json::{json, Value};

use super::{filter_from, open_store};
use crate::args::GlobalArgs;
use crate::connect;
use crate::history_args::{ExportArgs, ImportArgs};
use crate::output::{self, CliError};

fn write_to(path: &Option<std::path::PathBuf>) -> Result<Box<dyn Write>, CliError> {
    Ok(match path {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|e| {
            CliError::usage(format!("cannot write {}: {e}", path.display()))
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

pub fn export(
    store: &HistoryStore,
    args: &ExportArgs,
    global: &GlobalArgs,
) -> Result<u8, CliError> {
    let format = if args.json {
        "json"
    } else {
        args.format.as_str()
    };
    let mut out = write_to(&args.output)?;
    let flush = |out: &mut Box<dyn Write>| {
        out.flush()
            .map_err(|e| CliError::usage(format!("cannot write the export: {e}")))
    };
    if let Some(conversation) = &args.conversation {
        let format = match format {
            "md" | "markdown" => ConversationFormat::Markdown,
            "json" => ConversationFormat::Json,
            other => {
                return Err(CliError::usage(format!(
                    "a conversation exports as md or json, not {other}"
                )))
            }
        };
        let text = store.export_conversation(conversation, format)?;
        out.write_all(text.as_bytes())
            .map_err(|e| CliError::usage(format!("cannot write the export: {e}")))?;
        flush(&mut out)?;
        return Ok(0);
    }
    let format = match format {
        "json" => ExportFormat::Json,
        "jsonl" => ExportFormat::Jsonl,
        "csv" => ExportFormat::Csv,
        other => {
            return Err(CliError::usage(format!(
                "--format {other} is for one conversation: add --conversation ID"
            )))
        }
    };
    let count = store.export(&filter_from(&args.filter, global)?, format, &mut out)?;
    flush(&mut out)?;
    if args.output.is_some() {
        eprintln!("exported {count} invocation(s)");
    }
    Ok(0)
}

pub fn import(store: &HistoryStore, args: &ImportArgs) -> Result<u8, CliError> {
    let mut input: Box<dyn Read> =
        if args.file.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(File::open(&args.file).map_err(|e| {
                CliError::usage(format!("cannot read {}: {e}", args.file.display()))
            })?)
        };
    let report = store.import_json(&mut input)?;
    if args.json {
        output::json_line(&serde_json::to_value(&report).unwrap_or(Value::Null));
    } else {
        eprintln!(
            "imported {} invocation(s), skipped {} already present",
            report.invocations_added, report.invocations_skipped
        );
    }
    Ok(0)
}

pub async fn import_port(global: &GlobalArgs, json: bool) -> Result<u8, CliError> {
    let client = connect::client(global)?;
    let store = open_store()?;
    let report = store
        .import_from_port(&client, global.profile.clone())
        .await?;
    if json {
        output::json_line(&serde_json::to_value(&report).unwrap_or(json!(null)));
    } else {
        eprintln!(
            "imported {} invocation(s) from Port; {} already in the history; {} still in progress",
            report.invocations_added, report.invocations_skipped, report.in_progress_skipped
        );
    }
    Ok(0)
}
