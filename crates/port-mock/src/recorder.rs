use std::sync::Mutex;

use serde_json::Value;

use crate::state::lock;

/// One request as it reached the server, before any handling (also those answered 401 or 413).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    /// The raw body, lossily decoded as UTF-8; for bodies over the limit, the first 1 MiB.
    pub body: String,
}

impl RecordedRequest {
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }

    /// Case-insensitive, as HTTP header names are.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub(crate) struct Recorder {
    log: Mutex<Vec<RecordedRequest>>,
}

impl Recorder {
    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.log).push(request);
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        lock(&self.log).clone()
    }

    pub(crate) fn clear(&self) {
        lock(&self.log).clear();
    }
}
