//! `portdesk-cli match`: the real binary, offline.

use std::process::{Command, Output};

use serde_json::{json, Value};

const CLI: &str = env!("CARGO_BIN_EXE_portdesk-cli");

fn cli(args: &[&str]) -> Output {
    let data_dir = tempfile::tempdir().expect("temp dir");
    Command::new(CLI)
        .args(args)
        .env_remove("PORT_ACCESS_TOKEN")
        .env("PORTDESK_DATA_DIR", data_dir.path())
        .output()
        .expect("run portdesk-cli")
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn json_has_the_documented_shape_over_the_builtin_catalog() {
    let out = cli(&[
        "match",
        "--patterns",
        r#"["^(list|get)_.*", "(?i)run", "notion_.*"]"#,
        "--connector",
        "notion",
        "--json",
    ]);
    let report = json_of(&out);
    let tools = report["tools"].as_array().expect("tools");
    assert_eq!(tools.len(), 31, "Port's built-in catalog");
    assert_eq!(
        tools[0],
        json!({"name": "list_blueprints", "connector": null, "matched": true, "matchedBy": [0]})
    );
    let run = tools
        .iter()
        .find(|t| t["name"] == "run_action")
        .expect("run_action");
    assert_eq!(run["matched"], false);
    assert_eq!(run["matchedBy"], json!([]));
    let patterns = report["patterns"].as_array().expect("patterns");
    let mut keys: Vec<&String> = patterns[0].as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(keys, ["appliesTo", "error", "matches", "pattern", "valid"]);
    assert_eq!(patterns[0]["appliesTo"], "port");
    assert_eq!(patterns[0]["error"], Value::Null);
    let matched = tools.iter().filter(|t| t["matched"] == true).count();
    assert_eq!(patterns[0]["matches"], json!(matched));
    assert_eq!(patterns[1]["valid"], false);
    assert!(patterns[1]["error"]
        .as_str()
        .expect("message")
        .contains("column"));
    assert_eq!(patterns[2]["appliesTo"], "notion");
}

#[test]
fn tools_file_and_names_keep_their_order_and_the_connector_rule() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("tools.json");
    std::fs::write(
        &file,
        r#"[{"name": "notion_notion-search", "connector": "notion"},
            {"name": "run_deploy", "connector": null},
            {"name": "list_entities"}]"#,
    )
    .expect("write");
    let out = cli(&[
        "match",
        "--patterns",
        r#"[".*", "^notion_.*", "notion_notion-s"]"#,
        "--tools-file",
        file.to_str().expect("utf-8 path"),
        "--json",
        "zeta",
        "notion_notion-fetch",
        "--connector",
        "notion",
    ]);
    let report = json_of(&out);
    let rows: Vec<(String, Value, Value)> = report["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_owned(),
                t["connector"].clone(),
                t["matchedBy"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("notion_notion-search".into(), json!("notion"), json!([2])),
            ("run_deploy".into(), Value::Null, json!([0])),
            ("list_entities".into(), Value::Null, json!([0])),
            ("zeta".into(), Value::Null, json!([0])),
            ("notion_notion-fetch".into(), json!("notion"), json!([])),
        ],
        ".* and ^notion_.* are Port patterns; only notion_… reaches notion's tools"
    );
    assert_eq!(report["patterns"][1]["appliesTo"], "port");
    assert_eq!(report["patterns"][2]["appliesTo"], "notion");
}

#[test]
fn human_mode_is_a_table_with_errors_and_lints() {
    let out = cli(&["match", "--patterns", r#"["list_.*|get_.*", "ab(c"]"#]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Tools ("), "{text}");
    assert!(text.contains("✓ list_blueprints"), "{text}");
    assert!(text.contains("invalid:"), "{text}");
    assert!(
        text.contains("anchors only the first alternative"),
        "{text}"
    );
    // The caret sits under the unclosed group.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == "ab(c")
        .expect("pattern echoed");
    assert_eq!(lines[at + 1].find('^'), lines[at].find('('));
}

#[test]
fn bad_input_is_a_usage_error() {
    let out = cli(&["match", "--patterns", "list_.*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("JSON array"));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("tools.json");
    std::fs::write(&file, r#"{"name": "x"}"#).expect("write");
    let out = cli(&[
        "match",
        "--patterns",
        "[]",
        "--tools-file",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tools file"));
    let out = cli(&[
        "match",
        "--patterns",
        "[]",
        "--tools-file",
        "/nonexistent/tools.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
