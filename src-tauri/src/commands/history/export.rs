//! Exports written to a file: the path the caller gives, or a new one in the Downloads folder.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use history::{ConversationFormat, ExportFormat, HistoryStore};

use super::types::ExportRequest;
use crate::error::AppError;

pub fn write(
    store: &HistoryStore,
    request: &ExportRequest,
    path: Option<PathBuf>,
) -> Result<PathBuf, AppError> {
    let path = match path {
        Some(path) => path,
        None => unused_path(&default_dir(), &file_name(request)),
    };
    let failed = |e: std::io::Error| {
        AppError::new(
            "export_failed",
            format!("cannot write {}: {e}", path.display()),
        )
    };
    match request {
        ExportRequest::Conversation { id, format } => {
            let text = store.export_conversation(id, *format)?;
            std::fs::write(&path, text).map_err(failed)?;
        }
        ExportRequest::History { filter, format } => {
            let mut out = BufWriter::new(File::create(&path).map_err(failed)?);
            store.export(filter, *format, &mut out)?;
            out.flush().map_err(failed)?;
        }
    }
    Ok(path)
}

/// Downloads, else home, else the working directory (a desktop always has the first).
fn default_dir() -> PathBuf {
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn file_name(request: &ExportRequest) -> String {
    let stamp = chrono_free_stamp();
    match request {
        ExportRequest::Conversation { id, format } => {
            let short: String = id
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(8)
                .collect();
            let ext = match format {
                ConversationFormat::Markdown => "md",
                ConversationFormat::Json => "json",
            };
            format!("portdesk-conversation-{short}-{stamp}.{ext}")
        }
        ExportRequest::History { format, .. } => {
            let ext = match format {
                ExportFormat::Json => "json",
                ExportFormat::Jsonl => "jsonl",
                ExportFormat::Csv => "csv",
            };
            format!("portdesk-history-{stamp}.{ext}")
        }
    }
}

/// Seconds since the epoch: unique enough for a file name, sortable, no date library needed.
fn chrono_free_stamp() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `name`, or `name (2)` and so on when it exists: an export never overwrites a file.
fn unused_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}).{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use history::{HistoryFilter, NewInvocation, Outcome, Source};
    use port_api::{InvokeEvent, InvokeRequest};

    use super::*;

    fn recorded() -> (tempfile::TempDir, HistoryStore, String) {
        let dir = tempfile::tempdir().unwrap();
        let store = HistoryStore::open_in(dir.path()).unwrap();
        let recorder = store.recorder();
        let request = InvokeRequest::general("Which services failed, \"today\"?");
        let begun = recorder
            .begin(NewInvocation::from_request(&request, Source::App))
            .unwrap();
        recorder
            .append(
                &begun.id,
                &InvokeEvent::AnswerDelta {
                    delta: "payments-api failed".into(),
                },
            )
            .unwrap();
        recorder
            .finish(&begun.id, Outcome::from_error(None, None))
            .unwrap();
        recorder.flush().unwrap();
        (dir, store, begun.conversation_id)
    }

    #[test]
    fn a_conversation_and_the_history_are_written_where_asked() {
        let (dir, store, conversation) = recorded();
        let markdown = dir.path().join("c.md");
        let request = ExportRequest::Conversation {
            id: conversation,
            format: ConversationFormat::Markdown,
        };
        assert_eq!(
            write(&store, &request, Some(markdown.clone())).unwrap(),
            markdown
        );
        let text = std::fs::read_to_string(&markdown).unwrap();
        assert!(text.contains("payments-api failed"), "{text}");

        let csv = dir.path().join("all.csv");
        let request = ExportRequest::History {
            filter: HistoryFilter::default(),
            format: ExportFormat::Csv,
        };
        write(&store, &request, Some(csv.clone())).unwrap();
        let text = std::fs::read_to_string(&csv).unwrap();
        assert_eq!(text.lines().count(), 2, "a header and one row: {text}");
    }

    #[test]
    fn an_unwritable_path_is_a_clear_error() {
        let (dir, store, _) = recorded();
        let request = ExportRequest::History {
            filter: HistoryFilter::default(),
            format: ExportFormat::Jsonl,
        };
        let err = write(
            &store,
            &request,
            Some(dir.path().join("missing/dir/x.jsonl")),
        )
        .unwrap_err();
        assert_eq!(err.code, "export_failed");
        assert!(
            err.message.contains("missing/dir/x.jsonl"),
            "{}",
            err.message
        );
    }

    #[test]
    fn default_names_say_what_is_inside() {
        let conversation = ExportRequest::Conversation {
            id: "1f0c-77ab-xyz".into(),
            format: ConversationFormat::Json,
        };
        assert!(file_name(&conversation).starts_with("portdesk-conversation-1f0c77ab-"));
        assert!(file_name(&conversation).ends_with(".json"));
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "keep").unwrap();
        let next = unused_path(dir.path(), "a.csv");
        assert_eq!(next, dir.path().join("a (2).csv"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "keep"
        );
    }
}
