//! Portdesk's local history: every conversation and invocation, with every event, in one SQLite
//! file shared by the desktop app and `portdesk-cli` (Tauri-free).
//!
//! - [`HistoryStore::open_in`] opens `<data dir>/history.sqlite` (WAL, `busy_timeout`, foreign
//!   keys), upgrades an older file after backing it up, refuses a newer one untouched, and marks
//!   invocations a dead writer left streaming as interrupted.
//! - [`Recorder`] (from [`HistoryStore::recorder`]) records invocations as they stream: one writer
//!   thread owns the write connection and appends events in batched transactions, committed at
//!   most [`FLUSH_INTERVAL`] after they arrive.
//! - Queries: keyset-paged [`HistoryStore::list`], full-text [`HistoryStore::search`] that accepts
//!   any text, [`HistoryStore::show`], [`HistoryStore::stats`], exports and imports.
//! - Quota snapshots and the rate limiter's state (migration 4), as plain rows for the `quota` crate.

mod assemble;
mod error;
mod export;
mod export_markdown;
mod filter;
mod import;
mod liveness;
mod maintenance;
mod model;
mod port_import;
mod query;
mod quota_rows;
mod schema;
mod search;
pub mod seed;
mod stats;
mod store;
mod time;
mod writer;

pub use error::{HistoryError, Result};
pub use model::*;
pub use quota_rows::{LimiterRow, QuotaSnapshotRow, SnapshotKind, UsageRow};
pub use schema::{FILE_NAME, SCHEMA_VERSION};
pub use search::fts_query;
pub use store::HistoryStore;
pub use time::{format_time, parse_time};
pub use writer::{Recorder, FLUSH_INTERVAL};
