//! The store: opening the file, the read connection, and every operation as one method.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use port_api::{PortClient, PortInvocation};
use rusqlite::Connection;

use crate::error::{HistoryError, Result};
use crate::liveness::WriterLock;
use crate::model::*;
use crate::quota_rows::{self, LimiterRow, QuotaSnapshotRow, SnapshotKind, UsageRow};
use crate::schema::{self, FILE_NAME, SCHEMA_VERSION};
use crate::writer::{self, Recorder, WriterCtx};
use crate::{export, import, maintenance, port_import, query, search, stats};

/// The history of one data directory. Cheap to clone; the writer thread stops when the last
/// clone is dropped (streams it was still recording end as interrupted).
#[derive(Clone)]
pub struct HistoryStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    /// Idle read connections: each read takes one (or opens one), so a long export never makes
    /// the list wait.
    readers: Mutex<Vec<Connection>>,
    recorder: Recorder,
    thread: Mutex<Option<JoinHandle<()>>>,
    report: OpenReport,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.recorder.shutdown();
        let handle = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

/// Read connections kept open between reads.
const MAX_IDLE_READERS: usize = 4;

fn open_reader(path: &Path) -> Result<Connection> {
    let reader = schema::open_connection(path)?;
    reader.pragma_update(None, "query_only", true)?;
    Ok(reader)
}

impl std::fmt::Debug for HistoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl HistoryStore {
    /// Opens `<data_dir>/history.sqlite` (see `credentials::data_dir()`), creating it if needed.
    pub fn open_in(data_dir: &Path) -> Result<Self> {
        Self::open(&data_dir.join(FILE_NAME))
    }

    /// Opens (or creates) the history at `path`: upgrades an older file after backing it up,
    /// refuses a newer or unreadable one untouched, marks invocations left streaming by a dead
    /// writer as interrupted, and applies the retention setting.
    pub fn open(path: &Path) -> Result<Self> {
        let prepared = schema::prepare(path)?;
        let conn = schema::open_connection(path)?;
        let lock = WriterLock::acquire(path)?;
        let mut ctx = WriterCtx {
            conn,
            db_path: path.to_path_buf(),
            lock,
            active: HashMap::new(),
            dropped_events: 0,
        };
        let interrupted = writer::recover_dead_writers(&mut ctx)?;
        let expired = ctx.transaction(maintenance::apply_retention)?;
        if maintenance::fts_changes(&ctx.conn)? >= maintenance::OPTIMIZE_AFTER_CHANGES {
            ctx.transaction(maintenance::optimize)?;
        }
        let (recorder, thread) =
            writer::spawn(ctx).map_err(|e| HistoryError::io("start the history writer", e))?;
        let reader = open_reader(path)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                readers: Mutex::new(vec![reader]),
                recorder,
                thread: Mutex::new(Some(thread)),
                report: OpenReport {
                    migrated_from: prepared.migrated_from.map(|v| v as u32),
                    schema_version: SCHEMA_VERSION as u32,
                    backup: prepared.backup.map(|p| p.display().to_string()),
                    interrupted,
                    expired,
                },
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// What opening did: upgrade and backup, interrupted streams found, expired invocations.
    pub fn open_report(&self) -> &OpenReport {
        &self.inner.report
    }

    /// Records invocations as they stream.
    pub fn recorder(&self) -> Recorder {
        self.inner.recorder.clone()
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let idle = self
            .inner
            .readers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        let conn = match idle {
            Some(conn) => conn,
            None => open_reader(&self.inner.path)?,
        };
        let result = f(&conn);
        let mut idle = self.inner.readers.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.inner.recorder.run(move |ctx| ctx.transaction(f))
    }

    // Reading.

    /// Newest first, filtered, one keyset page at a time.
    pub fn list(
        &self,
        filter: &HistoryFilter,
        page: &PageRequest,
    ) -> Result<Page<InvocationSummary>> {
        self.read(|c| query::list(c, filter, page))
    }

    /// Full-text search over prompts, answers and tool calls; any text is a valid query.
    pub fn search(
        &self,
        text: &str,
        filter: &HistoryFilter,
        page: &PageRequest,
    ) -> Result<Page<SearchHit>> {
        self.read(|c| search::search(c, text, filter, page))
    }

    /// One invocation with its answer, tool calls and full event log.
    pub fn show(&self, id: &str) -> Result<InvocationDetail> {
        self.read(|c| {
            let rowid = query::rowid_of(c, id)?;
            query::detail(c, rowid, true)
        })
    }

    pub fn conversation(&self, id: &str) -> Result<ConversationDetail> {
        self.read(|c| query::conversation(c, id))
    }

    pub fn conversations(&self, page: &PageRequest) -> Result<Page<ConversationSummary>> {
        self.read(|c| query::conversations(c, page))
    }

    pub fn stats(&self, filter: &HistoryFilter) -> Result<HistoryStats> {
        self.read(|c| stats::stats(c, filter))
    }

    /// Distinct agents, profiles, tools and label keys, for the filter menus.
    pub fn facets(&self) -> Result<Facets> {
        self.read(query::facets)
    }

    pub fn retention(&self) -> Result<Retention> {
        self.read(maintenance::retention)
    }

    // Exporting.

    pub fn export_conversation(&self, id: &str, format: ConversationFormat) -> Result<String> {
        self.read(|c| export::conversation(c, id, format))
    }

    /// Writes the filtered history to `out`; returns how many invocations were written.
    pub fn export(
        &self,
        filter: &HistoryFilter,
        format: ExportFormat,
        out: &mut dyn Write,
    ) -> Result<u64> {
        self.read(|c| export::export(c, filter, format, out))
    }

    // Writing (on the writer thread).

    /// Imports a Portdesk JSON export (a document, or JSON lines): invocations already present
    /// (same id, or same Port invocation id) are skipped; unknown fields are kept.
    pub fn import_json(&self, input: &mut dyn Read) -> Result<ImportReport> {
        let document = import::read_document(input)?;
        self.write(move |c| import::import(c, document))
    }

    /// Merges Port's `_ai_invocations` records, matched on Port's invocation id.
    pub fn import_port(
        &self,
        invocations: Vec<PortInvocation>,
        profile: Option<String>,
    ) -> Result<ImportReport> {
        self.write(move |c| port_import::import(c, &invocations, profile.as_deref()))
    }

    /// Pages through every `_ai_invocations` record Port still has and merges them. The database
    /// work per page is synchronous (a few milliseconds per hundred records).
    pub async fn import_from_port(
        &self,
        client: &PortClient,
        profile: Option<String>,
    ) -> Result<ImportReport> {
        port_import::import_all(self, client, profile).await
    }

    /// Deletes one invocation (not while it streams). `Ok(false)` never happens: a missing id is
    /// a `not_found` error.
    pub fn delete_invocation(&self, id: &str) -> Result<bool> {
        let id = id.to_string();
        self.write(move |c| maintenance::delete_invocation(c, &id))
    }

    /// Deletes a conversation and its invocations; returns how many invocations went.
    pub fn delete_conversation(&self, id: &str) -> Result<u32> {
        let id = id.to_string();
        self.write(move |c| maintenance::delete_conversation(c, &id))
    }

    /// Deletes every invocation (but live streams), with the search index, and compacts the
    /// file so the deleted text is gone from disk too.
    pub fn wipe(&self) -> Result<u32> {
        self.inner.recorder.run(|ctx| {
            let deleted = ctx.transaction(maintenance::wipe)?;
            ctx.conn.execute_batch("VACUUM")?;
            ctx.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(deleted)
        })
    }

    /// Sets how long invocations are kept, and applies it now; returns how many were deleted.
    pub fn set_retention(&self, retention: Retention) -> Result<u32> {
        self.write(move |c| {
            maintenance::set_retention(c, retention)?;
            maintenance::apply_retention(c)
        })
    }

    /// Applies the retention setting now (opening the store does too).
    pub fn apply_retention(&self) -> Result<u32> {
        self.write(maintenance::apply_retention)
    }

    /// Merges the search index into one segment (opening does it after many changes).
    pub fn optimize(&self) -> Result<()> {
        self.write(maintenance::optimize)
    }

    /// Marks invocations left streaming by writers that have died since this store opened.
    pub fn recover_interrupted(&self) -> Result<Vec<String>> {
        self.inner.recorder.run(writer::recover_dead_writers)
    }

    /// The file's size in bytes, as SQLite sees it (pages in use, WAL included).
    pub fn size_bytes(&self) -> Result<i64> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |r| r.get(0),
            )?)
        })
    }

    // Quota figures and the limiter's state (what they mean is the `quota` crate's business).

    /// Stores one set of figures Port reported.
    pub fn record_quota_snapshot(&self, row: QuotaSnapshotRow) -> Result<()> {
        self.write(move |c| quota_rows::insert_snapshot(c, &row))
    }

    /// A profile's newest snapshot of this kind.
    pub fn latest_quota_snapshot(
        &self,
        profile: &str,
        kind: SnapshotKind,
    ) -> Result<Option<QuotaSnapshotRow>> {
        self.read(|c| quota_rows::latest_snapshot(c, profile, kind))
    }

    /// A profile's snapshots read at or after `since_ms`, oldest first, without `raw`.
    pub fn quota_snapshots_since(
        &self,
        profile: &str,
        since_ms: i64,
    ) -> Result<Vec<QuotaSnapshotRow>> {
        self.read(|c| quota_rows::snapshots_since(c, profile, since_ms))
    }

    /// Every profile with quota figures, most recently read first.
    pub fn quota_profiles(&self) -> Result<Vec<String>> {
        self.read(quota_rows::profiles)
    }

    pub fn limiter_state(&self, profile: &str) -> Result<Option<LimiterRow>> {
        self.read(|c| quota_rows::limiter(c, profile))
    }

    pub fn set_limiter_state(&self, row: LimiterRow) -> Result<()> {
        self.write(move |c| quota_rows::set_limiter(c, &row))
    }

    /// Forgets what the limiter learnt for `profile`; true when there was something.
    pub fn clear_limiter_state(&self, profile: &str) -> Result<bool> {
        let profile = profile.to_string();
        self.write(move |c| quota_rows::clear_limiter(c, &profile))
    }

    pub fn quota_preference(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| quota_rows::preference(c, key))
    }

    pub fn set_quota_preference(&self, key: &str, value: &str) -> Result<()> {
        let (key, value) = (key.to_string(), value.to_string());
        self.write(move |c| quota_rows::set_preference(c, &key, &value))
    }

    /// Records that an alert fired in a window; false when it already had.
    pub fn mark_quota_alert(
        &self,
        profile: &str,
        metric: &str,
        window_key: &str,
        now_ms: i64,
    ) -> Result<bool> {
        let (profile, metric, window_key) = (
            profile.to_string(),
            metric.to_string(),
            window_key.to_string(),
        );
        self.write(move |c| quota_rows::mark_alert(c, &profile, &metric, &window_key, now_ms))
    }

    /// Invocations of `profile` since `since_ms`, per day, agent and chat mode.
    pub fn quota_usage(&self, profile: &str, since_ms: i64) -> Result<Vec<UsageRow>> {
        self.read(|c| quota_rows::usage(c, profile, since_ms))
    }

    /// Runs `job` on the writer thread with the write connection (seeding, tests).
    pub(crate) fn with_writer<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut WriterCtx) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.inner.recorder.run(job)
    }
}
