//! The tool-pattern set saved for one agent of one workspace: two Port organisations can each
//! have an agent called `ops`, and the set the user saved for one is not the other's.
//!
//! Kept in the workspace's prefs file per agent (see `per_agent.rs`); fields a newer Portdesk
//! added to one of a set's checks survive too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::per_agent::keep_unknown;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum CheckExpect {
    Match,
    NoMatch,
}

/// "This tool must (not) be let in by the set": re-run on every edit and catalog change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolCheck {
    pub tool: String,
    pub expect: CheckExpect,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct SavedPatternSet {
    pub patterns: Vec<String>,
    pub checks: Vec<ToolCheck>,
}

/// Writes one agent's set over what is saved for it: the set and each check keep the fields
/// this version does not know.
pub(crate) fn write(
    stored: &mut BTreeMap<String, Value>,
    agent: &str,
    set: &SavedPatternSet,
) -> Result<(), serde_json::Error> {
    stored.insert(agent.to_string(), written_over(stored.get(agent), set)?);
    Ok(())
}

/// `set` over the JSON saved before it (see `write`).
pub fn written_over(
    old: Option<&Value>,
    set: &SavedPatternSet,
) -> Result<Value, serde_json::Error> {
    let mut next = keep_unknown(old, serde_json::to_value(set)?);
    checks_over(old.and_then(|o| o.get("checks")), next.get_mut("checks"));
    Ok(next)
}

/// Each check keeps the unknown keys of the saved check it matches (same known fields).
pub fn checks_over(old: Option<&Value>, new: Option<&mut Value>) {
    let (Some(Value::Array(old)), Some(Value::Array(new))) = (old, new) else {
        return;
    };
    let mut unused: Vec<&Value> = old.iter().collect();
    for check in new.iter_mut() {
        let Some(known) = check.as_object() else {
            continue;
        };
        let same = |o: &&Value| known.iter().all(|(k, v)| o.get(k) == Some(v));
        if let Some(i) = unused.iter().position(same) {
            *check = keep_unknown(Some(unused.remove(i)), check.take());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::per_agent::readable;
    use serde_json::json;

    fn read(stored: &BTreeMap<String, Value>) -> BTreeMap<String, SavedPatternSet> {
        readable(stored)
    }

    #[test]
    fn a_set_and_its_checks_keep_what_this_version_does_not_know() {
        let mut stored = BTreeMap::new();
        stored.insert(
            "ops".to_string(),
            json!({
                "patterns": ["^run_.*"],
                "checks": [{"tool": "delete_entity", "expect": "noMatch", "why": "audit"}],
                "pinned": true
            }),
        );
        stored.insert("sre".to_string(), json!({"patterns": 7}));
        let mut ops = read(&stored).remove("ops").expect("ops reads");
        assert!(!read(&stored).contains_key("sre"), "a set it cannot read");
        ops.patterns.push("^get_.*".into());
        ops.checks.push(ToolCheck {
            tool: "get_entity".into(),
            expect: CheckExpect::Match,
        });
        write(&mut stored, "ops", &ops).unwrap();
        assert_eq!(
            stored["ops"],
            json!({
                "patterns": ["^run_.*", "^get_.*"],
                "checks": [
                    {"tool": "delete_entity", "expect": "noMatch", "why": "audit"},
                    {"tool": "get_entity", "expect": "match"}
                ],
                "pinned": true
            })
        );
        assert_eq!(stored["sre"], json!({"patterns": 7}), "left as it was");

        // A check removed takes its unknown keys along; the set keeps its own.
        ops.checks.remove(0);
        write(&mut stored, "ops", &ops).unwrap();
        assert_eq!(
            stored["ops"]["checks"],
            json!([{"tool": "get_entity", "expect": "match"}])
        );
        assert_eq!(stored["ops"]["pinned"], true);
    }
}
