//! Answers for requests with an `outputSchema`: a JSON object following the schema's property
//! names and types, with catalog-flavoured values picked from each property's name.

use serde_json::{json, Map, Value};

use super::{answer_chunks, tool_call, tool_result, Script};

/// Nested schemas deeper than this get empty objects; real schemas are shallow.
const MAX_DEPTH: usize = 6;

/// The schema from Port's structured-output example, used for the `[schema]` marker.
pub(super) fn docs_example_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "healthyServices": {"type": "number"},
            "unhealthyServices": {"type": "number"},
            "recommendations": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["summary", "healthyServices", "unhealthyServices"]
    })
}

pub(super) fn answer(schema: &Value) -> Script {
    let answer = sample(schema, "", 0).to_string();
    let mut events = vec![
        tool_call(
            "call_0",
            Some("list_entities"),
            r#"{"blueprintIdentifier":"service","include":["health","tier"]}"#,
            Some(true),
        ),
        tool_result(
            "call_0",
            "12 services: 10 healthy, 2 degraded (checkout-web, search-api).",
            Some(true),
        ),
    ];
    events.extend(answer_chunks(&answer, 6));
    Script::from_events(events, answer)
}

fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t),
        // `["string", "null"]`: the first non-null type.
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

fn sample(schema: &Value, name: &str, depth: usize) -> Value {
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(constant) = schema.get("const") {
        return constant.clone();
    }
    match schema_type(schema) {
        Some("object") => {
            let mut out = Map::new();
            if depth < MAX_DEPTH {
                if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                    for (key, sub) in properties {
                        out.insert(key.clone(), sample(sub, key, depth + 1));
                    }
                }
            }
            Value::Object(out)
        }
        Some("array") => {
            let items = schema.get("items").unwrap_or(&Value::Null);
            if schema_type(items) == Some("string") && items.get("enum").is_none() {
                return json!(strings_for(name));
            }
            json!([sample(items, name, depth + 1)])
        }
        Some("string") => json!(string_for(name)),
        Some("integer") => json!(number_for(name)),
        Some("number") => json!(number_for(name)),
        Some("boolean") => json!(true),
        Some("null") => Value::Null,
        _ => json!(string_for(name)),
    }
}

fn string_for(name: &str) -> String {
    let name_lower = name.to_lowercase();
    let has = |word: &str| name_lower.contains(word);
    let text = if has("summary") || has("description") {
        "12 services in the catalog: 10 healthy, 2 degraded (checkout-web, search-api)."
    } else if has("risk") || has("severity") || has("level") {
        "medium"
    } else if has("owner") || has("team") {
        "Payments"
    } else if has("status") || has("health") {
        "degraded"
    } else if has("date") || has("time") || name_lower.ends_with("_at") {
        "2026-01-15T09:40:00Z"
    } else if has("url") || has("link") {
        "https://app.port.io/serviceEntity?identifier=payments-api"
    } else if has("service") || has("name") || has("identifier") {
        "payments-api"
    } else {
        "See the service catalog for details."
    };
    text.to_owned()
}

fn strings_for(name: &str) -> Vec<&'static str> {
    let name_lower = name.to_lowercase();
    if name_lower.contains("recommend") || name_lower.contains("action") {
        vec![
            "Roll back checkout-web to v2.14.0 until INC-2041 is resolved.",
            "Add a readiness probe to search-api.",
        ]
    } else {
        vec!["auth-service", "payments-db", "checkout-web"]
    }
}

fn number_for(name: &str) -> u64 {
    let name_lower = name.to_lowercase();
    if name_lower.contains("unhealthy") || name_lower.contains("failing") {
        2
    } else if name_lower.contains("healthy") {
        10
    } else if name_lower.contains("score") {
        87
    } else if name_lower.contains("count") || name_lower.contains("total") {
        12
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_docs_example() {
        let value = sample(&docs_example_schema(), "", 0);
        assert_eq!(value["healthyServices"], json!(10));
        assert_eq!(value["unhealthyServices"], json!(2));
        assert!(value["summary"].is_string());
        assert_eq!(value["recommendations"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn follows_nested_schemas_and_enums() {
        let schema = json!({"type": "object", "properties": {
            "serviceName": {"type": "string"},
            "riskLevel": {"type": "string", "enum": ["low", "high"]},
            "owner": {"type": "object", "properties": {"team": {"type": ["string", "null"]}}},
            "dependencies": {"type": "array", "items": {"type": "string"}}
        }});
        let value = sample(&schema, "", 0);
        assert_eq!(value["serviceName"], json!("payments-api"));
        assert_eq!(value["riskLevel"], json!("low"));
        assert_eq!(value["owner"]["team"], json!("Payments"));
        assert_eq!(value["dependencies"][0], json!("auth-service"));
    }
}
