use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::approvals::Approvals;
use crate::auth::TokenStore;
use crate::config::MockConfig;
use crate::faults::FaultQueues;
use crate::invocations::Invocations;
use crate::quota::Quota;
use crate::recorder::Recorder;

pub(crate) type App = Arc<AppState>;

/// Everything the handlers share; each part guards its own data so that no lock is held
/// across two domains.
pub(crate) struct AppState {
    pub(crate) config: MockConfig,
    pub(crate) recorder: Recorder,
    pub(crate) faults: FaultQueues,
    pub(crate) tokens: TokenStore,
    pub(crate) quota: Quota,
    pub(crate) approvals: Approvals,
    pub(crate) invocations: Invocations,
    trace_seq: AtomicU64,
    invocation_seq: AtomicU64,
    event_delay_nanos: AtomicU64,
}

impl AppState {
    pub(crate) fn new(config: MockConfig) -> Self {
        Self {
            recorder: Recorder::default(),
            faults: FaultQueues::default(),
            tokens: TokenStore::default(),
            quota: Quota::new(&config),
            approvals: Approvals::default(),
            invocations: Invocations::default(),
            trace_seq: AtomicU64::new(0),
            invocation_seq: AtomicU64::new(0),
            event_delay_nanos: AtomicU64::new(nanos(config.event_delay)),
            config,
        }
    }

    pub(crate) fn next_trace_id(&self) -> String {
        let n = self.trace_seq.fetch_add(1, Ordering::SeqCst) + 1;
        format!("mock-trace-{n:06}")
    }

    pub(crate) fn next_invocation_seq(&self) -> u64 {
        self.invocation_seq.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub(crate) fn invocation_count(&self) -> u64 {
        self.invocation_seq.load(Ordering::SeqCst)
    }

    pub(crate) fn event_delay(&self) -> Duration {
        Duration::from_nanos(self.event_delay_nanos.load(Ordering::SeqCst))
    }

    pub(crate) fn set_event_delay(&self, delay: Duration) {
        self.event_delay_nanos.store(nanos(delay), Ordering::SeqCst);
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// A panicking handler must not take the whole mock down with a poisoned lock: the data behind
/// these locks stays consistent between statements.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
