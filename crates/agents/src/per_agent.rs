//! What a workspace's prefs file keeps per agent (request options, pattern sets): the JSON read
//! from disk, one object per agent ("" is the general assistant), with this version's known
//! fields written over it. Fields a newer Portdesk added to an entry survive this one's writes,
//! and an entry this one cannot read is left as it is.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// `new` written over `old`: when both are objects, `old`'s keys that `new` does not have stay
/// (they are what this version does not know; every known field is always serialized, so a
/// missing key is never a known one). Anything else is replaced by `new`.
pub fn keep_unknown(old: Option<&Value>, new: Value) -> Value {
    match (old, new) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            let mut out = old.clone();
            out.extend(new);
            Value::Object(out)
        }
        (_, new) => new,
    }
}

/// The entries this version can read; one it cannot read is left out (the agent shows as
/// having none).
pub(crate) fn readable<T: DeserializeOwned>(
    stored: &BTreeMap<String, Value>,
) -> BTreeMap<String, T> {
    stored
        .iter()
        .filter_map(|(agent, raw)| {
            serde_json::from_value::<T>(raw.clone())
                .ok()
                .map(|entry| (agent.clone(), entry))
        })
        .collect()
}

/// Takes in entries an earlier Portdesk kept elsewhere (by agent only): each as it was, unknown
/// fields included, unless this workspace already has one for that agent.
pub(crate) fn adopt(stored: &mut BTreeMap<String, Value>, legacy: &Map<String, Value>) {
    for (agent, raw) in legacy {
        stored.entry(agent.clone()).or_insert_with(|| raw.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn adopted_entries_never_replace_the_workspace_s_own() {
        let mut stored = BTreeMap::new();
        stored.insert("ops".to_string(), json!({"chatMode": "plan"}));
        let legacy = json!({"ops": {"chatMode": "ask"}, "sre": {"chatMode": "build", "x": 1}});
        adopt(&mut stored, legacy.as_object().expect("an object"));
        assert_eq!(stored["ops"], json!({"chatMode": "plan"}));
        assert_eq!(stored["sre"], json!({"chatMode": "build", "x": 1}));
    }
}
