//! What can go wrong with the history, each with a stable code for the CLI and the desktop shell.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "the history at {} was written by a newer Portdesk (schema version {found}; this build knows up to \
         {supported}); it was left untouched: update Portdesk to open it",
        path.display()
    )]
    NewerVersion {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error(
        "the history at {} is not a readable SQLite database ({detail}); it was left untouched: move it \
         aside to start a new history",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("cannot back up the history before upgrading it to version {to}: {detail}")]
    Backup { to: usize, detail: String },
    #[error("cannot upgrade the history: {0}")]
    Migration(String),
    #[error("history file access failed ({context}): {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("history database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no {kind} {id:?} in the history")]
    NotFound { kind: &'static str, id: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error("cannot read the import: {0}")]
    Import(String),
    #[error("cannot write the export: {0}")]
    Export(String),
    #[error("the history writer has stopped; nothing more can be recorded in this session")]
    WriterStopped,
    #[error("history database error: {0}")]
    Database(String),
    #[error(transparent)]
    Port(#[from] port_api::PortError),
}

impl HistoryError {
    /// A stable, machine-readable code (never renamed: scripts and the UI match on it).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NewerVersion { .. } => "history_newer_version",
            Self::Corrupt { .. } => "history_corrupt",
            Self::Backup { .. } => "history_backup_failed",
            Self::Migration(_) => "history_migration_failed",
            Self::Io { .. } => "history_io",
            Self::Sqlite(_) => "history_database",
            Self::NotFound { .. } => "not_found",
            Self::InvalidInput(_) => "invalid_input",
            Self::Import(_) => "history_import_failed",
            Self::Export(_) => "history_export_failed",
            Self::WriterStopped => "history_writer_stopped",
            Self::Database(_) => "history_database",
            Self::Port(err) => err.code.as_str(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn not_found(kind: &'static str, id: &str) -> Self {
        Self::NotFound {
            kind,
            id: id.to_string(),
        }
    }
}

pub type Result<T, E = HistoryError> = std::result::Result<T, E>;
