//! Running invocations by run id, so that one can be cancelled while others stream on.

use std::collections::HashMap;
use std::sync::Mutex;

use port_api::CancellationToken;

use crate::error::AppError;

#[derive(Debug, Default)]
pub struct RunRegistry {
    runs: Mutex<HashMap<String, CancellationToken>>,
}

/// Removes its run from the registry when dropped, however the run ends.
pub struct RunGuard<'a> {
    registry: &'a RunRegistry,
    run_id: String,
    pub token: CancellationToken,
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut runs) = self.registry.runs.lock() {
            runs.remove(&self.run_id);
        }
    }
}

impl RunRegistry {
    pub fn start(&self, run_id: &str) -> Result<RunGuard<'_>, AppError> {
        let mut runs = self
            .runs
            .lock()
            .map_err(|_| AppError::new("internal", "the run registry is unavailable"))?;
        if runs.contains_key(run_id) {
            return Err(AppError::new(
                "invalid_request",
                format!("a run with id {run_id} is already streaming"),
            ));
        }
        let token = CancellationToken::new();
        runs.insert(run_id.to_string(), token.clone());
        Ok(RunGuard {
            registry: self,
            run_id: run_id.to_string(),
            token,
        })
    }

    /// Cancels a run; false when no such run is streaming (it may have just finished).
    pub fn cancel(&self, run_id: &str) -> bool {
        match self.runs.lock() {
            Ok(runs) => match runs.get(run_id) {
                Some(token) => {
                    token.cancel();
                    true
                }
                None => false,
            },
            Err(_) => false,
        }
    }

    /// Cancels every run (the workspace changes, the app quits).
    pub fn cancel_all(&self) {
        if let Ok(runs) = self.runs.lock() {
            for token in runs.values() {
                token.cancel();
            }
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.runs.lock().map(|r| r.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_cancelled_by_id_and_removed_when_done() {
        let registry = RunRegistry::default();
        let a = registry.start("a").unwrap();
        let b = registry.start("b").unwrap();
        assert!(registry.start("a").is_err(), "ids are unique while running");
        assert!(registry.cancel("a"));
        assert!(a.token.is_cancelled());
        assert!(!b.token.is_cancelled());
        drop(a);
        assert!(!registry.cancel("a"));
        assert_eq!(registry.len(), 1);
        registry.cancel_all();
        assert!(b.token.is_cancelled());
    }
}
