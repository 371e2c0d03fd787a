//! Invocations served so far, as `_ai_invocations` entities and as poll results for
//! `GET /v1/ai/invoke/{id}`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::clock;
use crate::error::ApiError;
use crate::state::{lock, App};

/// The demo user every invocation is asked by.
const ASKED_BY: &str = "dana.levi@acme-demo.io";

/// Polls of an accepted (202) invocation that still answer "In Progress".
const POLLS_IN_PROGRESS: u32 = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    InProgress,
    Completed,
    Failed,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "In Progress",
            Self::Completed => "Completed",
            Self::Failed => "Failed",
        }
    }
}

pub(crate) struct NewInvocation {
    pub(crate) id: String,
    pub(crate) prompt: String,
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) provider: String,
    pub(crate) model: String,
    pub(crate) agent: Option<String>,
    /// The whole answer (capped for bench streams), what polling and the entity report.
    pub(crate) answer: String,
    /// Answered 202: completes only through polling.
    pub(crate) accepted: bool,
}

struct Record {
    new: NewInvocation,
    status: Status,
    asked_at: String,
    replied_at: Option<String>,
    error: Option<String>,
    polls: u32,
}

#[derive(Default)]
pub(crate) struct Invocations {
    records: Mutex<Vec<Record>>,
}

impl Invocations {
    pub(crate) fn start(&self, new: NewInvocation) {
        lock(&self.records).push(Record {
            new,
            status: Status::InProgress,
            asked_at: clock::iso8601(clock::now_ms()),
            replied_at: None,
            error: None,
            polls: 0,
        });
    }

    /// Called when a stream ends: with `done`, or cut off (scripted disconnect, client gone).
    pub(crate) fn finish(&self, id: &str, completed: bool) {
        let mut records = lock(&self.records);
        if let Some(record) = records.iter_mut().rev().find(|r| r.new.id == id) {
            record.status = if completed {
                Status::Completed
            } else {
                Status::Failed
            };
            if !completed {
                record.error = Some("internal_error".into());
            }
            record.replied_at = Some(clock::iso8601(clock::now_ms()));
        }
    }

    fn poll(&self, id: &str) -> Option<Value> {
        let mut records = lock(&self.records);
        let record = records.iter_mut().rev().find(|r| r.new.id == id)?;
        if record.new.accepted && record.status == Status::InProgress {
            record.polls += 1;
            if record.polls > POLLS_IN_PROGRESS {
                record.status = Status::Completed;
                record.replied_at = Some(clock::iso8601(clock::now_ms()));
            }
        }
        let mut result = json!({
            "status": record.status.as_str(),
            "invocationIdentifier": record.new.id,
        });
        match record.status {
            Status::Completed => result["message"] = json!(record.new.answer),
            Status::Failed => result["error"] = json!(record.error),
            Status::InProgress => {}
        }
        if let Some(agent) = &record.new.agent {
            result["selectedAgent"] = json!(agent);
        }
        Some(result)
    }

    pub(crate) fn entities(&self) -> Vec<Value> {
        lock(&self.records).iter().map(Record::entity).collect()
    }
}

impl Record {
    fn entity(&self) -> Value {
        let title: String = self.new.prompt.chars().take(60).collect();
        let done = self.status == Status::Completed;
        json!({
            "identifier": self.new.id,
            "title": title,
            "icon": "AI",
            "blueprint": "_ai_invocations",
            "team": [],
            "properties": {
                "status": self.status.as_str(),
                "asked_at": self.asked_at,
                "replied_at": self.replied_at,
                "prompt": self.new.prompt,
                "response": if done { Some(&self.new.answer) } else { None },
                "error": self.error,
                "labels": self.new.labels,
                "provider": self.new.provider,
                "model": self.new.model,
            },
            "relations": {"agent": self.new.agent, "asked_by": ASKED_BY},
            "createdAt": self.asked_at,
            "createdBy": ASKED_BY,
            "updatedAt": self.replied_at.as_deref().unwrap_or(&self.asked_at),
            "updatedBy": ASKED_BY,
        })
    }
}

pub(crate) async fn get_invocation(
    State(app): State<App>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let result = app.invocations.poll(&id).ok_or_else(|| {
        ApiError::NotFound(format!("Invocation with identifier \"{id}\" was not found"))
    })?;
    Ok(Json(json!({"ok": true, "result": result})))
}
