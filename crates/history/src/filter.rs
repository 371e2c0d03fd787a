//! A [`HistoryFilter`] as SQL: a WHERE clause over `invocations i` with its bound values.

use rusqlite::types::Value as SqlValue;

use crate::model::{AgentFilter, HistoryFilter};

#[derive(Default)]
pub(crate) struct Where {
    pub clauses: Vec<String>,
    pub params: Vec<SqlValue>,
}

impl Where {
    pub fn push(&mut self, clause: impl Into<String>, params: impl IntoIterator<Item = SqlValue>) {
        self.clauses.push(clause.into());
        self.params.extend(params);
    }

    /// `WHERE a AND b …`, or nothing.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

fn text(s: &str) -> SqlValue {
    SqlValue::Text(s.to_string())
}

pub(crate) fn filter_sql(filter: &HistoryFilter) -> Where {
    let mut w = Where::default();
    match &filter.agent {
        Some(AgentFilter::General) => w.push("i.agent IS NULL", []),
        Some(AgentFilter::Agent(agent)) => w.push("i.agent = ?", [text(agent)]),
        None => {}
    }
    if !filter.statuses.is_empty() {
        let marks = vec!["?"; filter.statuses.len()].join(", ");
        w.push(
            format!("i.status IN ({marks})"),
            filter.statuses.iter().map(|s| text(s.as_str())),
        );
    }
    for label in &filter.labels {
        match &label.value {
            Some(value) => w.push(
                "EXISTS (SELECT 1 FROM invocation_labels l WHERE l.invocation_id = i.id \
                 AND l.key = ? AND l.value = ?)",
                [text(&label.key), text(value)],
            ),
            None => w.push(
                "EXISTS (SELECT 1 FROM invocation_labels l WHERE l.invocation_id = i.id \
                 AND l.key = ?)",
                [text(&label.key)],
            ),
        }
    }
    if let Some(profile) = &filter.profile {
        w.push("i.profile = ?", [text(profile)]);
    }
    if let Some(tool) = &filter.tool {
        w.push(
            "EXISTS (SELECT 1 FROM tool_calls t WHERE t.invocation_id = i.id AND t.name = ?)",
            [text(tool)],
        );
    }
    if let Some(from) = filter.from_ms {
        w.push("i.asked_at >= ?", [SqlValue::Integer(from)]);
    }
    if let Some(to) = filter.to_ms {
        w.push("i.asked_at < ?", [SqlValue::Integer(to)]);
    }
    if let Some(conversation) = &filter.conversation_id {
        w.push(
            "i.conversation_id = (SELECT id FROM conversations WHERE uid = ?)",
            [text(conversation)],
        );
    }
    w
}
