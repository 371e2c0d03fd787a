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
    use super::*;

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
