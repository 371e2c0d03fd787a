//! `GET /v1/blueprints/{bp}/entities` and the paged `POST …/entities/search` for the two
//! blueprints a Port AI client reads: `_ai_agent` and `_ai_invocations`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::{parse_body, ApiError};
use crate::org;
use crate::state::App;

const DEFAULT_LIMIT: usize = 200;
const MAX_LIMIT: usize = 1000;
const CURSOR_PREFIX: &str = "pg1.";

fn entities_of(app: &App, blueprint: &str) -> Result<Vec<Value>, ApiError> {
    match blueprint {
        "_ai_agent" => Ok(org::agents().to_vec()),
        "_ai_invocations" => Ok(app.invocations.entities()),
        // `_ai_invocation` (singular) lands here too: some docs use it, clients try both.
        other => Err(ApiError::NotFound(format!(
            "Blueprint with identifier \"{other}\" was not found"
        ))),
    }
}

pub(crate) async fn list(
    State(app): State<App>,
    Path(blueprint): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let entities = entities_of(&app, &blueprint)?;
    Ok(Json(json!({"ok": true, "entities": entities})))
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchRequest {
    query: Option<Value>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    limit: Option<usize>,
    from: Option<String>,
}

pub(crate) async fn search(
    State(app): State<App>,
    Path(blueprint): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: SearchRequest = if body.iter().all(u8::is_ascii_whitespace) {
        SearchRequest::default()
    } else {
        parse_body(&body)?
    };
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::Invalid(format!(
            "body/limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    if request.query.as_ref().is_some_and(|q| !q.is_object()) {
        return Err(ApiError::Invalid("body/query must be an object".into()));
    }
    let offset = match &request.from {
        Some(cursor) => decode_cursor(cursor)?,
        None => 0,
    };
    let matching: Vec<Value> = entities_of(&app, &blueprint)?
        .into_iter()
        .filter(|e| request.query.as_ref().is_none_or(|q| matches(e, q)))
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|e| project(e, request.include.as_deref(), request.exclude.as_deref()))
        .collect();
    let mut body = json!({"ok": true, "entities": page});
    if offset + limit < matching.len() {
        body["next"] = json!(format!("{CURSOR_PREFIX}{:x}", offset + limit));
    }
    Ok(Json(body))
}

fn decode_cursor(cursor: &str) -> Result<usize, ApiError> {
    cursor
        .strip_prefix(CURSOR_PREFIX)
        .and_then(|hex| usize::from_str_radix(hex, 16).ok())
        .ok_or_else(|| ApiError::BadRequest(format!("\"{cursor}\" is not a valid page cursor")))
}

/// `$identifier`, `$title`… name top-level fields; anything else a property, then a relation.
fn field<'a>(entity: &'a Value, name: &str) -> Option<&'a Value> {
    match name.strip_prefix('$') {
        Some(meta) => entity.get(meta),
        None => entity["properties"]
            .get(name)
            .or_else(|| entity["relations"].get(name)),
    }
}

/// A small subset of Port's search rules: combinators, and the common operators. Operators it
/// does not know match everything, so a client's richer query still gets an answer.
fn matches(entity: &Value, rule: &Value) -> bool {
    if let Some(rules) = rule.get("rules").and_then(Value::as_array) {
        let mut results = rules.iter().map(|r| matches(entity, r));
        return if rule.get("combinator").and_then(Value::as_str) == Some("or") {
            results.any(|m| m)
        } else {
            results.all(|m| m)
        };
    }
    let (Some(property), Some(operator)) = (
        rule.get("property").and_then(Value::as_str),
        rule.get("operator").and_then(Value::as_str),
    ) else {
        return true;
    };
    let actual = field(entity, property).unwrap_or(&Value::Null);
    let expected = rule.get("value").unwrap_or(&Value::Null);
    match operator {
        "=" => actual == expected,
        "!=" => actual != expected,
        "in" => expected.as_array().is_some_and(|v| v.contains(actual)),
        "contains" => match (actual, expected) {
            (Value::String(a), Value::String(e)) => a.contains(e.as_str()),
            (Value::Array(a), e) => a.contains(e),
            _ => false,
        },
        "isEmpty" => is_empty(actual),
        "isNotEmpty" => !is_empty(actual),
        _ => true,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn project(entity: &Value, include: Option<&[String]>, exclude: Option<&[String]>) -> Value {
    let Value::Object(source) = entity else {
        return entity.clone();
    };
    let keep = |name: &str, meta: bool| {
        let key = if meta {
            format!("${name}")
        } else {
            name.to_owned()
        };
        let included = include.is_none_or(|names| names.contains(&key));
        let excluded = exclude.is_some_and(|names| names.contains(&key));
        included && !excluded
    };
    let mut out = Map::new();
    for (key, value) in source {
        match (key.as_str(), value) {
            ("identifier", _) => {
                out.insert(key.clone(), value.clone());
            }
            ("properties" | "relations", Value::Object(inner)) => {
                let kept: Map<String, Value> = inner
                    .iter()
                    .filter(|(name, _)| keep(name, false))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                out.insert(key.clone(), Value::Object(kept));
            }
            _ if keep(key, true) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    Value::Object(out)
}
