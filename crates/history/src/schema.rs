//! The schema: ordered migrations embedded in the binary, tracked by SQLite's `user_version`, and
//! how a connection is opened and a file upgraded.
//!
//! Version 4 adds the quota snapshots and the rate limiter's state as their own tables
//! (`quota_rows.rs` reads and writes them).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};
use rusqlite_migration::{Migrations, M};

use crate::error::{HistoryError, Result};

/// The history's file name inside the data directory.
pub const FILE_NAME: &str = "history.sqlite";

/// The newest schema this build reads and writes.
pub const SCHEMA_VERSION: usize = 4;

/// How long a writer waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!("../migrations/0002_search.sql")),
        M::up(include_str!("../migrations/0003_stats.sql")),
        M::up(include_str!("../migrations/0004_quota.sql")),
    ])
}

/// Applies the per-connection settings every connection needs.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // In WAL mode NORMAL loses nothing when the process dies, only on power loss, and keeps
    // commits cheap enough to batch every few milliseconds.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

pub(crate) fn open_connection(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    configure(&conn).map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// A file that is not SQLite (or is damaged) gets the "corrupt" error with its path.
pub(crate) fn classify(path: &Path, err: rusqlite::Error) -> HistoryError {
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => HistoryError::Corrupt {
            path: path.to_path_buf(),
            detail: err.to_string(),
        },
        _ => HistoryError::Sqlite(err),
    }
}

/// What preparing the file did.
pub(crate) struct Prepared {
    pub migrated_from: Option<usize>,
    pub backup: Option<PathBuf>,
}

/// Checks the file's version, backs it up and upgrades it when it is older, refuses it when it is
/// newer. Nothing is written to a file that is refused.
pub(crate) fn prepare(path: &Path) -> Result<Prepared> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| HistoryError::io(format!("create {}", dir.display()), e))?;
    }
    let mut conn = open_connection(path)?;
    // Reading the header and the schema is what finds a file that is not a database.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > SCHEMA_VERSION {
        return Err(HistoryError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let upgrading = version > 0 && version < SCHEMA_VERSION;
    let backup = if upgrading {
        Some(backup(&conn, path, version)?)
    } else {
        None
    };
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(HistoryError::Migration(format!(
            "the history needs write-ahead logging, but SQLite kept journal mode {mode:?}"
        )));
    }
    if version < SCHEMA_VERSION || tables == 0 {
        if let Err(err) = migrations().to_latest(&mut conn) {
            // The app and the CLI starting at once may both try; the one that lost finds the
            // work done.
            let now: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| classify(path, e))?;
            if usize::try_from(now).ok() != Some(SCHEMA_VERSION) {
                return Err(HistoryError::Migration(err.to_string()));
            }
        }
    }
    Ok(Prepared {
        migrated_from: upgrading.then_some(version),
        backup,
    })
}

/// A consistent copy beside the file, named after the version it holds.
fn backup(conn: &Connection, path: &Path, version: usize) -> Result<PathBuf> {
    let stamp = crate::time::now_ms();
    let name = format!(
        "{}.v{version}-backup-{stamp}",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| FILE_NAME.to_string())
    );
    let target = path.with_file_name(name);
    let text = target.to_str().ok_or_else(|| HistoryError::Backup {
        to: SCHEMA_VERSION,
        detail: format!("the path {} is not valid UTF-8", target.display()),
    })?;
    conn.execute("VACUUM INTO ?1", [text])
        .map_err(|e| HistoryError::Backup {
            to: SCHEMA_VERSION,
            detail: e.to_string(),
        })?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
        assert_eq!(SCHEMA_VERSION, 4, "bump SCHEMA_VERSION with each migration");
    }

    fn schema_of(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// A released migration never changes: the committed version-1 fixture was written by it.
    #[test]
    fn version_1_is_frozen() {
        let fixture = Connection::open_with_flags(
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/history-v1.sqlite"),
            OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let mut fresh = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut fresh, 1).unwrap();
        assert_eq!(schema_of(&fixture), schema_of(&fresh));
        let version: i64 = fixture
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1);
    }
}
