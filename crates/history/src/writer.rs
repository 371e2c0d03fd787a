//! The writer: one thread owns the write connection. Recording sends it messages; it appends
//! events in batched transactions, committed at most [`FLUSH_INTERVAL`] after they arrive, so a
//! process killed mid-stream loses at most the last few milliseconds.
//!
//! Everything else that writes (imports, deletes, retention) runs on the same thread as a job, so
//! the app never has two write connections of its own fighting over the lock.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use port_api::InvokeEvent;
use rusqlite::Connection;

use crate::assemble::Assembler;
use crate::error::{HistoryError, Result};
use crate::liveness::WriterLock;
use crate::model::{Begun, NewInvocation, Outcome};
use crate::time::now_ms;

mod finalize;
mod record;

pub(crate) use finalize::{
    finalize, fold_events, index, recover_dead_writers, write_tool_calls, Finalize,
};
pub(crate) use record::{
    ensure_conversation, insert_event, insert_invocation, insert_labels, json_text, redact,
};

/// Events are committed at most this long after they arrive (plus the commit itself).
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(20);

/// A batch never grows past this many messages before it is committed.
const MAX_BATCH: usize = 4096;

/// Where a reply goes: a blocked thread, or an awaiting task.
pub(crate) enum Reply<T> {
    Sync(mpsc::SyncSender<Result<T>>),
    Async(tokio::sync::oneshot::Sender<Result<T>>),
}

impl<T> Reply<T> {
    pub fn send(self, value: Result<T>) {
        match self {
            Reply::Sync(tx) => {
                let _ = tx.send(value);
            }
            Reply::Async(tx) => {
                let _ = tx.send(value);
            }
        }
    }
}

pub(crate) type Job = Box<dyn FnOnce(&mut WriterCtx) + Send>;

pub(crate) enum Msg {
    Begin {
        new: Box<NewInvocation>,
        id: String,
        conversation_id: String,
        at: i64,
        reply: Reply<Begun>,
    },
    Event {
        id: String,
        at: i64,
        event: InvokeEvent,
        payload: String,
    },
    Finish {
        id: String,
        outcome: Box<Outcome>,
        at: i64,
    },
    Flush(Reply<()>),
    Job(Job),
    Shutdown,
}

impl Msg {
    /// Someone waits on it, or it ends a stream: commit without waiting for the interval.
    fn is_prompt(&self) -> bool {
        !matches!(self, Msg::Event { .. })
    }
}

/// Records invocations as they stream. Cheap to clone; every method but `begin` and `flush`
/// returns at once (a channel send).
#[derive(Clone)]
pub struct Recorder {
    tx: Sender<Msg>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").finish_non_exhaustive()
    }
}

impl Recorder {
    fn send(&self, msg: Msg) -> Result<()> {
        self.tx.send(msg).map_err(|_| HistoryError::WriterStopped)
    }

    fn begin_msg(&self, new: NewInvocation, reply: Reply<Begun>) -> Result<()> {
        let conversation_id = new
            .conversation_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.send(Msg::Begin {
            new: Box::new(new),
            id: uuid::Uuid::new_v4().to_string(),
            conversation_id,
            at: now_ms(),
            reply,
        })
    }

    /// Creates the invocation's row (status `streaming`) and returns once it is committed: call
    /// it before sending the request, so the row exists before the first byte is read. Blocks for
    /// about one commit; from async code use [`Recorder::begin_async`].
    pub fn begin(&self, new: NewInvocation) -> Result<Begun> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.begin_msg(new, Reply::Sync(tx))?;
        rx.recv().map_err(|_| HistoryError::WriterStopped)?
    }

    pub async fn begin_async(&self, new: NewInvocation) -> Result<Begun> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.begin_msg(new, Reply::Async(tx))?;
        rx.await.map_err(|_| HistoryError::WriterStopped)?
    }

    /// Appends one event, stamped with its arrival time now. Never blocks. Events for an
    /// invocation that is not streaming (finished, deleted, unknown) are dropped.
    pub fn append(&self, id: &str, event: &InvokeEvent) -> Result<()> {
        let at = now_ms();
        let payload = serde_json::to_string(event)
            .map_err(|e| HistoryError::InvalidInput(format!("unencodable event: {e}")))?;
        self.send(Msg::Event {
            id: id.to_string(),
            at,
            event: event.clone(),
            payload,
        })
    }

    /// Ends the invocation: status, error, trace id; assembles its answer and tool calls and
    /// indexes it for search. Never blocks; [`Recorder::flush`] waits for it.
    pub fn finish(&self, id: &str, outcome: Outcome) -> Result<()> {
        self.send(Msg::Finish {
            id: id.to_string(),
            outcome: Box::new(outcome),
            at: now_ms(),
        })
    }

    /// Returns once everything sent before it is committed.
    pub fn flush(&self) -> Result<()> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Msg::Flush(Reply::Sync(tx)))?;
        rx.recv().map_err(|_| HistoryError::WriterStopped)?
    }

    pub async fn flush_async(&self) -> Result<()> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.send(Msg::Flush(Reply::Async(tx)))?;
        rx.await.map_err(|_| HistoryError::WriterStopped)?
    }

    /// Runs `job` on the writer thread, after everything sent before it, and waits for its result.
    pub(crate) fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut WriterCtx) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.send(Msg::Job(Box::new(move |ctx| {
            let _ = tx.send(job(ctx));
        })))?;
        rx.recv().map_err(|_| HistoryError::WriterStopped)?
    }

    pub(crate) fn shutdown(&self) {
        let _ = self.tx.send(Msg::Shutdown);
    }
}

/// An invocation this writer is recording.
pub(crate) struct Active {
    pub rowid: i64,
    pub prompt: String,
    pub next_seq: i64,
    pub assembler: Assembler,
}

/// The writer thread's state.
pub(crate) struct WriterCtx {
    pub conn: Connection,
    pub db_path: PathBuf,
    pub lock: WriterLock,
    pub active: HashMap<String, Active>,
    /// Events that could not be written (their invocation was not streaming here).
    pub dropped_events: u64,
}

/// Starts the writer thread on `conn`; returns the recorder and the thread.
pub(crate) fn spawn(ctx: WriterCtx) -> std::io::Result<(Recorder, std::thread::JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("history-writer".into())
        .spawn(move || run(ctx, rx))?;
    Ok((Recorder { tx }, handle))
}

fn run(mut ctx: WriterCtx, rx: Receiver<Msg>) {
    while let Ok(first) = rx.recv() {
        let started = Instant::now();
        let mut batch = vec![first];
        let mut disconnected = false;
        while batch.len() < MAX_BATCH && !batch.last().is_some_and(Msg::is_prompt) {
            let left = FLUSH_INTERVAL.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match rx.recv_timeout(left) {
                Ok(msg) => batch.push(msg),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    disconnected = true;
                    break;
                }
            }
        }
        // Whatever is already queued rides along: under load, batches grow instead of lagging.
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(msg) => batch.push(msg),
                Err(_) => break,
            }
        }
        if ctx.process(batch) || disconnected {
            break;
        }
    }
    ctx.interrupt_active();
}

/// What to tell waiters once the transaction is committed (or has failed).
enum AfterCommit {
    Begun(Reply<Begun>, Result<Begun>),
    Flushed(Reply<()>),
}

impl WriterCtx {
    /// Applies a batch; returns `true` on shutdown.
    fn process(&mut self, batch: Vec<Msg>) -> bool {
        let mut in_tx = false;
        let mut after: Vec<AfterCommit> = Vec::new();
        let mut begun_here: Vec<String> = Vec::new();
        for msg in batch {
            match msg {
                Msg::Job(job) => {
                    self.commit(&mut in_tx, &mut after, &mut begun_here);
                    job(self);
                }
                Msg::Shutdown => {
                    self.commit(&mut in_tx, &mut after, &mut begun_here);
                    return true;
                }
                Msg::Flush(reply) => after.push(AfterCommit::Flushed(reply)),
                other => {
                    if !in_tx {
                        match self.begin_transaction() {
                            Ok(()) => in_tx = true,
                            Err(err) => {
                                self.fail(other, &err);
                                continue;
                            }
                        }
                    }
                    self.apply(other, &mut after, &mut begun_here);
                }
            }
        }
        self.commit(&mut in_tx, &mut after, &mut begun_here);
        false
    }

    fn begin_transaction(&self) -> rusqlite::Result<()> {
        // IMMEDIATE takes the write lock up front, so another process's writer makes us wait
        // (busy_timeout) instead of failing the transaction halfway.
        let mut attempts = 0;
        loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => return Ok(()),
                Err(err) if attempts < 5 && is_busy(&err) => attempts += 1,
                Err(err) => return Err(err),
            }
        }
    }

    fn fail(&mut self, msg: Msg, err: &rusqlite::Error) {
        match msg {
            Msg::Begin { reply, .. } => reply.send(Err(HistoryError::Database(err.to_string()))),
            Msg::Event { .. } => self.dropped_events += 1,
            _ => {}
        }
    }

    fn apply(&mut self, msg: Msg, after: &mut Vec<AfterCommit>, begun_here: &mut Vec<String>) {
        match msg {
            Msg::Begin {
                new,
                id,
                conversation_id,
                at,
                reply,
            } => {
                let result = record::insert_invocation(
                    &self.conn,
                    &self.lock.token,
                    &new,
                    &id,
                    &conversation_id,
                    at,
                );
                let result = match result {
                    Ok(rowid) => {
                        self.active.insert(
                            id.clone(),
                            Active {
                                rowid,
                                prompt: new.prompt.clone(),
                                next_seq: 0,
                                assembler: Assembler::default(),
                            },
                        );
                        begun_here.push(id.clone());
                        Ok(Begun {
                            id,
                            conversation_id,
                        })
                    }
                    Err(err) => Err(err),
                };
                after.push(AfterCommit::Begun(reply, result));
            }
            Msg::Event {
                id,
                at,
                event,
                payload,
            } => match self.active.get_mut(&id) {
                Some(active) => {
                    let seq = active.next_seq;
                    match record::insert_event(&self.conn, active.rowid, seq, &event, &payload, at)
                    {
                        Ok(()) => {
                            active.next_seq += 1;
                            active.assembler.apply(at, &event);
                        }
                        Err(_) => self.dropped_events += 1,
                    }
                }
                None => self.dropped_events += 1,
            },
            Msg::Finish { id, outcome, at } => {
                if let Some(active) = self.active.remove(&id) {
                    let done = Finalize {
                        rowid: active.rowid,
                        prompt: &active.prompt,
                        assembler: &active.assembler,
                        status: outcome.status,
                        error: outcome.error.as_ref().map(crate::query::stored_error),
                        trace_id: outcome.trace_id.as_deref(),
                        replied_at: at,
                    };
                    if finalize(&self.conn, &done).is_err() {
                        // Left streaming: the next opener folds its events and marks it.
                        self.dropped_events += 1;
                    }
                }
            }
            Msg::Flush(_) | Msg::Job(_) | Msg::Shutdown => {}
        }
    }

    fn commit(
        &mut self,
        in_tx: &mut bool,
        after: &mut Vec<AfterCommit>,
        begun_here: &mut Vec<String>,
    ) {
        let mut failure = None;
        if *in_tx {
            *in_tx = false;
            if let Err(err) = self.conn.execute_batch("COMMIT") {
                let _ = self.conn.execute_batch("ROLLBACK");
                for id in begun_here.iter() {
                    self.active.remove(id);
                }
                failure = Some(err.to_string());
            }
        }
        begun_here.clear();
        for item in after.drain(..) {
            match item {
                AfterCommit::Begun(reply, result) => reply.send(match &failure {
                    Some(err) => Err(HistoryError::Database(err.clone())),
                    None => result,
                }),
                AfterCommit::Flushed(reply) => reply.send(match &failure {
                    Some(err) => Err(HistoryError::Database(err.clone())),
                    None => Ok(()),
                }),
            }
        }
    }

    /// On shutdown: whatever is still streaming here ends as interrupted, never completed.
    fn interrupt_active(&mut self) {
        let active: Vec<(String, Active)> = self.active.drain().collect();
        if active.is_empty() {
            return;
        }
        let Ok(()) = self.begin_transaction() else {
            return;
        };
        let error = finalize::stopped_error();
        for (_, a) in &active {
            let done = Finalize {
                rowid: a.rowid,
                prompt: &a.prompt,
                assembler: &a.assembler,
                status: crate::model::HistoryStatus::Interrupted,
                error: Some(error.clone()),
                trace_id: None,
                replied_at: a.assembler.last_at().unwrap_or_else(now_ms),
            };
            let _ = finalize(&self.conn, &done);
        }
        if self.conn.execute_batch("COMMIT").is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Runs `f` in one IMMEDIATE transaction on the write connection.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.begin_transaction()?;
        match f(&self.conn) {
            Ok(value) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => Ok(value),
                Err(err) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(err.into())
                }
            },
            Err(err) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(err)
            }
        }
    }
}

fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
    )
}
