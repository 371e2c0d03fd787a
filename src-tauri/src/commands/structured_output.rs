//! Structured output: the JSON Schema a request asks Port to answer in, checked before sending,
//! and the answer checked against the schema it was asked for.

use serde::Serialize;
use serde_json::Value;

/// A verdict the UI shows as is: `ok`, or the first problem in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SchemaCheck {
    pub ok: bool,
    /// The first problem, with where it is (a JSON pointer) when there is one.
    pub error: Option<String>,
    /// Where the first problem is, as a JSON pointer into the checked value ("" for the root),
    /// so an editor can mark it in place; None when the problem has no one place.
    pub pointer: Option<String>,
}

impl SchemaCheck {
    fn ok() -> Self {
        Self {
            ok: true,
            error: None,
            pointer: None,
        }
    }
    fn fail(message: impl Into<String>, pointer: Option<String>) -> Self {
        Self {
            ok: false,
            error: Some(message.into()),
            pointer,
        }
    }
    fn failed_at(error: &jsonschema::ValidationError<'_>) -> Self {
        Self::fail(describe(error), Some(error.instance_path().to_string()))
    }
}

/// What Port takes as an output schema: a valid JSON Schema with `type: "object"` at the root.
pub fn check_schema(schema: &Value) -> SchemaCheck {
    if !schema.is_object() {
        return SchemaCheck::fail("the schema must be a JSON object", Some(String::new()));
    }
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        let at = if schema.get("type").is_some() {
            "/type"
        } else {
            ""
        };
        return SchemaCheck::fail(
            "Port needs \"type\": \"object\" at the root of the schema",
            Some(at.into()),
        );
    }
    match jsonschema::meta::validate(schema) {
        Ok(()) => {}
        Err(error) => return SchemaCheck::failed_at(&error),
    }
    // The meta-schema passes some schemas the validator cannot build (a bad regex, a `$ref`
    // to nowhere): building it is the real test.
    match jsonschema::validator_for(schema) {
        Ok(_) => SchemaCheck::ok(),
        Err(error) => SchemaCheck::failed_at(&error),
    }
}

/// Whether `answer` fits `schema` (the one the request asked for).
pub fn check_answer(schema: &Value, answer: &Value) -> SchemaCheck {
    let validator = match jsonschema::validator_for(schema) {
        Ok(v) => v,
        Err(error) => {
            return SchemaCheck::fail(format!("the schema is invalid: {}", describe(&error)), None)
        }
    };
    let first = validator
        .iter_errors(answer)
        .next()
        .map(|error| SchemaCheck::failed_at(&error));
    first.unwrap_or_else(SchemaCheck::ok)
}

fn describe(error: &jsonschema::ValidationError<'_>) -> String {
    let at = error.instance_path().to_string();
    if at.is_empty() {
        error.to_string()
    } else {
        format!("{at}: {error}")
    }
}

#[tauri::command]
#[specta::specta]
pub fn check_output_schema(schema: Value) -> SchemaCheck {
    check_schema(&schema)
}

#[tauri::command]
#[specta::specta]
pub fn check_structured_answer(schema: Value, answer: Value) -> SchemaCheck {
    check_answer(&schema, &answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_valid_object_schema_passes() {
        let schema = json!({"type": "object", "properties": {"count": {"type": "integer"}}, "required": ["count"]});
        assert_eq!(check_schema(&schema), SchemaCheck::ok());
    }

    #[test]
    fn the_root_must_be_an_object_schema() {
        let array = check_schema(&json!({"type": "array"}));
        assert!(!array.ok);
        assert_eq!(
            array.pointer.as_deref(),
            Some("/type"),
            "the root's type is marked"
        );
        assert!(array.error.unwrap().contains("\"type\": \"object\""));
        assert!(!check_schema(&json!([1, 2])).ok);
        let untyped = check_schema(&json!({"properties": {}}));
        assert!(!untyped.ok);
        assert_eq!(
            untyped.pointer.as_deref(),
            Some(""),
            "no type: the root is marked"
        );
    }

    #[test]
    fn an_invalid_schema_is_refused_with_where() {
        let bad_type =
            check_schema(&json!({"type": "object", "properties": {"n": {"type": "integr"}}}));
        assert!(!bad_type.ok);
        let message = bad_type.error.unwrap();
        assert!(message.contains("integr"), "{message}");
        assert_eq!(bad_type.pointer.as_deref(), Some("/properties/n/type"));

        let bad_required = check_schema(&json!({"type": "object", "required": "count"}));
        assert!(!bad_required.ok, "required must be an array");
        assert_eq!(bad_required.pointer.as_deref(), Some("/required"));

        let bad_regex = check_schema(
            &json!({"type": "object", "properties": {"s": {"type": "string", "pattern": "(["}}}),
        );
        assert!(!bad_regex.ok, "{bad_regex:?}");
        assert_eq!(
            bad_regex.pointer.as_deref(),
            Some("/properties/s/pattern"),
            "{bad_regex:?}"
        );
    }

    #[test]
    fn answers_are_checked_against_the_schema_asked_for() {
        let schema = json!({
            "type": "object",
            "properties": {"count": {"type": "integer"}, "names": {"type": "array", "items": {"type": "string"}}},
            "required": ["count"]
        });
        assert!(check_answer(&schema, &json!({"count": 2, "names": ["a", "b"]})).ok);
        let missing = check_answer(&schema, &json!({"names": []}));
        assert!(!missing.ok);
        assert!(missing.error.unwrap().contains("count"));
        let wrong = check_answer(&schema, &json!({"count": 1, "names": [1]}));
        assert!(!wrong.ok);
        assert_eq!(wrong.pointer.as_deref(), Some("/names/0"));
        assert!(
            wrong.error.unwrap().starts_with("/names/0"),
            "the error says where"
        );
    }
}
