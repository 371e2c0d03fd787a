//! Reading Port entities without failing on what older or newer orgs do differently: a missing
//! property is `None`, a property of an unexpected type is `None`, extra properties are ignored.

use std::collections::BTreeMap;

use serde_json::Value;

pub(crate) fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An array of strings; a single string counts as a one-element array.
pub(crate) fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|v| string(Some(v))).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A string → string map; non-string values are rendered as JSON.
pub(crate) fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    match value {
        Some(Value::Object(obj)) => obj
            .iter()
            .map(|(k, v)| {
                let text = string(Some(v)).unwrap_or_else(|| v.to_string());
                (k.clone(), text)
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// A relation's target identifier: Port sends a string, or an object when the relation was
/// expanded.
pub(crate) fn relation(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Object(obj) => string(obj.get("identifier")),
        other => string(Some(other)),
    }
}
