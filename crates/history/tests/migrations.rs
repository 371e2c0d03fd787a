//! Opening files from other versions: a version-1 history is backed up and upgraded; a newer or
//! unreadable file is refused with a clear error and left byte for byte as it was.

use history::{HistoryFilter, HistoryStatus, HistoryStore, PageRequest, SCHEMA_VERSION};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/history-v1.sqlite");

fn copy_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join(history::FILE_NAME);
    std::fs::copy(FIXTURE, &path).unwrap();
    path
}

#[test]
fn a_version_1_history_is_backed_up_then_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_fixture(dir.path());
    let original = std::fs::read(&path).unwrap();

    let store = HistoryStore::open(&path).unwrap();
    let report = store.open_report().clone();
    assert_eq!(report.migrated_from, Some(1));
    assert_eq!(report.schema_version as usize, SCHEMA_VERSION);

    // The backup is a complete version-1 database with the same rows.
    let backup = std::path::PathBuf::from(report.backup.expect("a backup"));
    assert!(backup.exists());
    let b = rusqlite::Connection::open(&backup).unwrap();
    let version: i64 = b
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let rows: i64 = b
        .query_row("SELECT count(*) FROM invocations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 3);
    assert_ne!(
        std::fs::read(&path).unwrap(),
        original,
        "the live file was upgraded"
    );

    // Data survives, version 2's search covers it, and version 1's dead stream is interrupted.
    let page = store
        .list(&HistoryFilter::default(), &PageRequest::first(10))
        .unwrap();
    assert_eq!(page.items.len(), 3);
    let done = store.show("inv-v1-0001").unwrap();
    assert_eq!(done.status, HistoryStatus::Completed);
    assert_eq!(done.tool_calls[0].name.as_deref(), Some("list_entities"));
    assert_eq!(done.events.len(), 8);
    let hits = store
        .search("ledger", &HistoryFilter::default(), &PageRequest::first(10))
        .unwrap();
    assert_eq!(hits.items.len(), 1, "answers written by v1 are searchable");
    let tool_hit = store
        .search(
            "list_entities",
            &HistoryFilter::default(),
            &PageRequest::first(10),
        )
        .unwrap();
    assert_eq!(tool_hit.items[0].invocation.id, "inv-v1-0001");
    assert_eq!(report.interrupted, vec!["inv-v1-0003".to_string()]);
    let interrupted = store.show("inv-v1-0003").unwrap();
    assert_eq!(interrupted.status, HistoryStatus::Interrupted);
    assert_eq!(interrupted.answer, "Checkout has one open incident");
    let failed = store.show("inv-v1-0002").unwrap();
    assert_eq!(failed.error.unwrap().details["retryAfterSecs"], 30);
    drop(store);

    // A second open has nothing left to do.
    let again = HistoryStore::open(&path).unwrap();
    assert_eq!(again.open_report().migrated_from, None);
    assert!(again.open_report().backup.is_none());
}

#[test]
fn a_history_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(history::FILE_NAME);
    drop(HistoryStore::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let files_before = std::fs::read_dir(dir.path()).unwrap().count();
    let err = HistoryStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "history_newer_version");
    let message = err.to_string();
    assert!(message.contains("newer Portdesk"), "{message}");
    assert!(message.contains("99"), "{message}");
    assert!(message.contains("untouched"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        files_before,
        "no backup, no new files"
    );
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(history::FILE_NAME);
    let garbage =
        b"this is not SQLite at all, just some text that someone saved here\n".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let err = HistoryStore::open(&path).unwrap_err();
    assert_eq!(err.code(), "history_corrupt");
    assert!(
        err.to_string().contains("not a readable SQLite database"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), garbage);

    // A truncated real database: the header survives, the rest does not.
    let path2 = dir.path().join("truncated.sqlite");
    std::fs::copy(FIXTURE, &path2).unwrap();
    let bytes = std::fs::read(&path2).unwrap();
    std::fs::write(&path2, &bytes[..4096 + 100]).unwrap();
    let err = HistoryStore::open(&path2).unwrap_err();
    assert!(
        matches!(
            err.code(),
            "history_corrupt"
                | "history_database"
                | "history_migration_failed"
                | "history_backup_failed"
        ),
        "{}: {err}",
        err.code()
    );
}
