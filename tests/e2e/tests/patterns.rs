//! The Tools panel in the real app: the live matcher (typing, an invalid pattern and its fix,
//! keystroke latency at 5,000 tools) and approval preferences saved to port-mock.
//! Run by scripts/test.sh: `cargo test -p portdesk-e2e --features e2e --test patterns`.

use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::Locator;
use portdesk_e2e::{cli_binary, App, Dirs, Result};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);
const BACKSPACE: char = '\u{E003}';
const END: char = '\u{E010}';

async fn open_tools(app: &App) -> Result<()> {
    app.click("nav-tools").await?;
    app.wait_until("the matcher's first result", WAIT, || async {
        let text = app.text("match-summary").await?;
        Ok(text.contains(" available").then_some(()))
    })
    .await
}

/// Focuses the CodeMirror editor of pattern row `row`, caret at the end; returns its length.
async fn focus_editor(app: &App, row: usize) -> Result<usize> {
    let length = app
        .client
        .execute(
            "const c = document.querySelector(`[data-testid=\"pattern-row\"][data-index=\"${arguments[0]}\"] .cm-content`);\
             if (!c) return null;\
             c.focus();\
             const line = c.querySelector('.cm-line').cloneNode(true);\
             line.querySelectorAll('.cm-placeholder, .cm-widgetBuffer').forEach(p => p.remove());\
             return line.textContent.length;",
            vec![json!(row)],
        )
        .await?;
    let length = length
        .as_u64()
        .ok_or(format!("no editor in pattern row {row}"))?;
    press(app, &END.to_string()).await?;
    Ok(length as usize)
}

/// Key presses as a keyboard sends them, to whatever has the focus (WebKitWebDriver does not
/// type into a content-editable element through Element Send Keys).
async fn press(app: &App, keys: &str) -> Result<()> {
    let mut actions = KeyActions::new("keyboard".into());
    for key in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    app.client.perform_actions(actions).await?;
    Ok(())
}

/// Empties row `row` with real key presses, then types `text` into it.
async fn retype(app: &App, row: usize, text: &str) -> Result<()> {
    let length = focus_editor(app, row).await?;
    // Exactly the text's length: a Backspace in an empty row removes the row.
    let clear: String = std::iter::repeat_n(BACKSPACE, length).collect();
    press(app, &clear).await?;
    press(app, text).await
}

async fn row_status(app: &App, row: usize) -> Result<Option<String>> {
    let value = app
        .client
        .execute(
            "const r = document.querySelector(`[data-testid=\"pattern-row\"][data-index=\"${arguments[0]}\"]`);\
             return r ? r.dataset.status : null;",
            vec![json!(row)],
        )
        .await?;
    Ok(value.as_str().map(str::to_string))
}

async fn wait_row_status(app: &App, row: usize, wanted: &str) -> Result<()> {
    let waited = app
        .wait_until(&format!("pattern {row} to be {wanted}"), WAIT, || async {
            Ok((row_status(app, row).await?.as_deref() == Some(wanted)).then_some(()))
        })
        .await;
    if waited.is_err() {
        let rows = app
            .eval("return [...document.querySelectorAll('[data-testid=\"pattern-row\"]')].map(r => r.dataset.status + ' ' + r.innerText);")
            .await?;
        return Err(format!(
            "{}; the rows: {rows}",
            waited.err().map(|e| e.to_string()).unwrap_or_default()
        )
        .into());
    }
    Ok(())
}

/// The names of the tools shown as let in (the visible part of the virtual list).
async fn matched_tools(app: &App) -> Result<Vec<String>> {
    let value = app
        .eval(
            "return [...document.querySelectorAll('[data-testid=\"result-tool\"][data-matched=\"true\"]')]\
             .map(e => e.dataset.tool);",
        )
        .await?;
    Ok(value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Sets a textarea's value the way typing does, so React sees it (a 5,000-entry list is too long
/// to send key by key).
async fn fill_textarea(app: &App, testid: &str, text: &str) -> Result<()> {
    app.wait_for(testid, WAIT).await?;
    app.client
        .execute(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;\
             set.call(e, arguments[1]);\
             e.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(testid), json!(text)],
        )
        .await?;
    Ok(())
}

/// 5,000 tools in all with the demo's 33: Port-like tools, actions, and a connector's tools.
fn many_tools(total: usize, already: usize) -> Value {
    let verbs = ["list", "get", "search", "upsert", "delete", "describe"];
    let tools: Vec<Value> = (0..total.saturating_sub(already))
        .map(|i| match i % 5 {
            0..=2 => {
                json!({"name": format!("{}_widget_{i}", verbs[i % verbs.len()]), "connector": null})
            }
            3 => json!({"name": format!("run_deploy_{i}"), "connector": null}),
            _ => json!({"name": format!("jira_issue_{i}"), "connector": "jira"}),
        })
        .collect();
    Value::Array(tools)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

#[tokio::test]
async fn type_a_pattern_fix_an_invalid_one_and_measure_the_matcher_at_5000_tools() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    open_tools(&app).await?;
    // The default set is Port's read-only one.
    let first = matched_tools(&app).await?;
    assert!(first.iter().any(|t| t == "list_entities"), "{first:?}");
    assert!(!first.iter().any(|t| t == "delete_entity"), "{first:?}");
    app.screenshot("patterns-01-default").await?;

    // An invalid pattern: reported with its position, lets nothing in.
    retype(&app, 0, "list_(").await?;
    wait_row_status(&app, 0, "invalid").await?;
    let problem = app.text("pattern-problem").await?;
    assert!(problem.contains("Port would ignore"), "{problem}");
    let marker = app
        .eval("return document.querySelectorAll('.cm-lintRange-error').length;")
        .await?;
    assert!(
        marker.as_u64().unwrap_or(0) >= 1,
        "an error marker in the editor"
    );
    assert!(matched_tools(&app).await?.is_empty());
    app.screenshot("patterns-02-invalid").await?;

    // Fixed: the matches follow.
    field_type(&app, 0, "entities)").await?;
    wait_row_status(&app, 0, "ok").await?;
    app.wait_until("list_entities alone to match", WAIT, || async {
        Ok((matched_tools(&app).await? == ["list_entities"]).then_some(()))
    })
    .await?;
    assert_eq!(app.text("pattern-count").await?.trim(), "1");

    // A connector pattern with a leading ^ never applies: a lint, not a match.
    app.click("pattern-add").await?;
    retype(&app, 1, "^notion_.*").await?;
    wait_row_status(&app, 1, "lint").await?;
    assert!(!matched_tools(&app)
        .await?
        .iter()
        .any(|t| t.starts_with("notion_")));
    retype(&app, 1, "notion_.*").await?;
    // The connector's group comes last in the list: find it.
    app.type_into("results-filter", "notion").await?;
    app.wait_until("notion's tools to match", WAIT, || async {
        Ok(matched_tools(&app)
            .await?
            .iter()
            .any(|t| t.starts_with("notion_"))
            .then_some(()))
    })
    .await?;
    app.screenshot("patterns-03-fixed-and-connector").await?;
    app.clear_input("results-filter").await?;

    // 5,000 tools: the extra tools the panel can test against.
    let before = app.text("catalog-summary").await?;
    let already: usize = before
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or("the catalog size")?;
    app.click("extra-tools-open").await?;
    fill_textarea(
        &app,
        "extra-tools-text",
        &many_tools(5000, already).to_string(),
    )
    .await?;
    app.click("extra-tools-apply").await?;
    app.wait_until("5,000 tools in the catalog", WAIT, || async {
        let text = app.text("catalog-summary").await?;
        Ok(text.starts_with("5000 tools").then_some(()))
    })
    .await?;
    // A realistic set: 20 patterns of every kind.
    let patterns = json!([
        "^(list|get|search|track|describe)_.*",
        "run_action",
        "^run_deploy_1.*",
        "jira_.*",
        "(?!delete_)\\w+_widget_\\d+$",
        "describe_.*",
        "upsert_widget_(1|2|3)\\d*",
        "get_(entities|widget_5.*)",
        "search_.*",
        "track_.*",
        "notion_notion-search",
        "list_blueprints",
        "^delete_widget_9$",
        "[a-z]+_issue_4\\d{2}",
        "get_.*_[02468]$",
        "upsert_entity",
        "run_deploy_(?:2|4)\\d+",
        "list_widget_\\d{3}",
        "(list|get)_widget_7",
        "simulate_.*"
    ]);
    app.click("patterns-edit-json").await?;
    fill_textarea(&app, "patterns-json", &patterns.to_string()).await?;
    app.click("patterns-json-apply").await?;
    app.wait_until("20 pattern rows", WAIT, || async {
        Ok((app.find_all("pattern-row").await?.len() == 20).then_some(()))
    })
    .await?;
    app.wait_until("the 20 patterns evaluated", WAIT, || async {
        let status = row_status(&app, 19).await?;
        Ok(matches!(status.as_deref(), Some("ok" | "lint")).then_some(()))
    })
    .await?;

    // Keystrokes one at a time into pattern 4, as a person types.
    let skip = app
        .eval("return (window.__PORTDESK__ && window.__PORTDESK__.matcher || []).length;")
        .await?
        .as_u64()
        .unwrap_or(0) as usize;
    focus_editor(&app, 3).await?;
    let typed = "|confluence_.*|list_widget_4";
    // The final text decides what is shown: pattern 4 now also lets list_widget_4… in.
    let started = Instant::now();
    for key in typed.chars() {
        press(&app, &key.to_string()).await?;
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let typing = started.elapsed();
    app.wait_until("the last keystroke's result", WAIT, || async {
        let count = app.text("pattern-count").await?;
        let summary = app.text("match-summary").await?;
        Ok((!count.contains('…') && summary.contains("of 5000")).then_some(()))
    })
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let samples = app
        .eval("return (window.__PORTDESK__ && window.__PORTDESK__.matcher || []);")
        .await?;
    let samples: Vec<&Value> = samples
        .as_array()
        .map(|a| a.iter().skip(skip).collect())
        .unwrap_or_default();
    let mut total: Vec<f64> = samples
        .iter()
        .filter(|s| s["tools"].as_u64() == Some(5000))
        .filter_map(|s| s["totalMs"].as_f64())
        .collect();
    let mut engine: Vec<f64> = samples
        .iter()
        .filter(|s| s["tools"].as_u64() == Some(5000))
        .filter_map(|s| s["engineMs"].as_f64())
        .collect();
    total.sort_by(f64::total_cmp);
    engine.sort_by(f64::total_cmp);
    // One request in flight, the newest edit wins: keystrokes faster than a round trip are
    // folded into the next evaluation, so there are fewer evaluations than keys.
    assert!(
        total.len() >= 3,
        "keystrokes were evaluated: {} of {} (samples after {skip}: {:?})",
        total.len(),
        typed.len(),
        samples.iter().rev().take(3).collect::<Vec<_>>()
    );
    let mut ipc: Vec<f64> = samples
        .iter()
        .filter(|s| s["tools"].as_u64() == Some(5000))
        .filter_map(|s| s["ipcMs"].as_f64())
        .collect();
    ipc.sort_by(f64::total_cmp);
    let mut queued: Vec<f64> = samples
        .iter()
        .filter(|s| s["tools"].as_u64() == Some(5000))
        .filter_map(|s| s["queuedMs"].as_f64())
        .collect();
    queued.sort_by(f64::total_cmp);
    println!(
        "figure: live matcher keystroke-to-painted-result at 5000 tools x 20 patterns: median {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} evaluations of {} keystrokes ({:.0} ms apart); waiting behind the previous request median {:.1} ms, IPC round trip median {:.1} ms; Rust engine alone median {:.2} ms, p95 {:.2} ms",
        percentile(&total, 0.5),
        percentile(&total, 0.95),
        total.last().copied().unwrap_or(f64::NAN),
        total.len(),
        typed.len(),
        typing.as_secs_f64() * 1000.0 / typed.len() as f64,
        percentile(&queued, 0.5),
        percentile(&ipc, 0.5),
        percentile(&engine, 0.5),
        percentile(&engine, 0.95),
    );
    app.screenshot("patterns-04-5000-tools").await?;
    app.quit().await
}

/// Types at the end of row `row` without clearing it.
async fn field_type(app: &App, row: usize, text: &str) -> Result<()> {
    focus_editor(app, row).await?;
    press(app, text).await
}

async fn css_click(app: &App, css: &str) -> Result<()> {
    eprintln!("e2e: click {css}");
    app.client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await?
        .click()
        .await?;
    Ok(())
}

async fn set_mode(app: &App, tool: &str, mode: &str) -> Result<()> {
    app.type_into("approvals-filter", tool).await?;
    css_click(
        app,
        &format!(
            "[data-testid=\"approval-row\"][data-tool=\"{tool}\"] [data-testid=\"mode-{mode}\"]"
        ),
    )
    .await?;
    app.wait_until(&format!("{tool} set to {mode}"), WAIT, || async {
        let state = app
            .client
            .execute(
                "const r = document.querySelector(`[data-testid=\"approval-row\"][data-tool=\"${arguments[0]}\"]`);\
                 return r ? r.dataset.state : null;",
                vec![json!(tool)],
            )
            .await?;
        Ok((state.as_str() == Some(mode)).then_some(()))
    })
    .await
}

/// Approval preferences against port-mock playing the demo org (and a newer Port with a mode
/// this client does not know): the PUT it receives, the re-read that confirms, a conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_preferences_are_saved_to_port_confirmed_and_guarded() -> Result<()> {
    let server = port_mock::MockServer::start(port_mock::MockConfig::demo()).await?;
    server.seed_newer_approval_preferences(json!({
        "toolOverrides": {"run_action": "approval", "load_skill": "ask_once"},
        "disabledTools": [],
        "defaultMode": {"write": "approval"}
    }));
    let url = server.base_url();
    let dirs = Dirs::new()?;
    // This run is in the dark theme (the other one in light): the settings file says so.
    std::fs::write(
        dirs.data().join("settings.json"),
        json!({"settings": {"theme": "dark"}}).to_string(),
    )?;
    let namespace = format!("dev.portdesk.e2e.patterns.{}", std::process::id());
    let env = [("PORTDESK_KEYCHAIN_NAMESPACE", namespace.as_str())];
    let app = App::launch(&dirs, &[], &env).await?;
    app.click("onboarding-connect").await?;
    app.type_into("profile-name", "mock").await?;
    app.select("profile-region", "custom").await?;
    app.type_into("profile-base-url", &url).await?;
    app.select("profile-auth-kind", "access_token").await?;
    app.type_into("profile-token", "e2e-access-token").await?;
    app.click("profile-save").await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    open_tools(&app).await?;
    app.click("tools-tab-approvals").await?;
    app.wait_for("approval-row", WAIT).await?;
    app.screenshot("patterns-05-approvals").await?;
    app.type_into("approvals-filter", "load_skill").await?;
    app.wait_for("approval-row", WAIT).await?;
    let newer = app
        .eval("const r = document.querySelector('[data-tool=\"load_skill\"]'); return r ? r.dataset.state : null;")
        .await?;

    set_mode(&app, "run_action", "automatic").await?;
    set_mode(&app, "delete_entity", "disabled").await?;
    app.clear_input("approvals-filter").await?;
    app.click("approvals-review").await?;
    let diff = app.wait_for("approvals-diff", WAIT).await?;
    let diff_text = diff.text().await?;
    assert!(
        diff_text.contains("run_action") && diff_text.contains("delete_entity"),
        "{diff_text}"
    );
    assert!(
        !diff_text.contains("load_skill"),
        "untouched tools are not in the diff: {diff_text}"
    );
    app.screenshot("patterns-06-diff").await?;
    server.clear_requests();
    app.click("approvals-save").await?;
    let outcome = app.wait_for("approvals-outcome", WAIT).await?;
    assert_eq!(
        outcome.attr("data-confirmed").await?.as_deref(),
        Some("true")
    );
    app.screenshot("patterns-07-saved").await?;

    // What Port received: one PUT with exactly the two changes and the newer mode kept, then the
    // re-read that confirms it.
    let requests = server.requests();
    let put_at = requests
        .iter()
        .position(|r| r.method == "PUT" && r.path == "/v1/ai/tool-approval-preferences")
        .ok_or("a PUT reached port-mock")?;
    let body = requests[put_at].json().ok_or("a JSON body")?;
    assert_eq!(body["toolOverrides"]["run_action"], "automatic", "{body}");
    assert_eq!(body["toolOverrides"]["load_skill"], "ask_once", "{body}");
    assert_eq!(body["defaultMode"], json!({"write": "approval"}), "{body}");
    assert_eq!(body["disabledTools"], json!(["delete_entity"]), "{body}");
    assert!(
        requests[put_at + 1..]
            .iter()
            .any(|r| r.method == "GET" && r.path == "/v1/ai/tool-approval-preferences"),
        "the save was read back"
    );
    assert_eq!(
        requests.iter().filter(|r| r.method == "PUT").count(),
        1,
        "one write"
    );

    // Someone changes Port's copy meanwhile: the next save shows both and writes nothing until
    // the user chooses.
    let client = port_api::PortClient::new(
        port_api::ApiBase::custom(&url)?,
        port_api::Credentials::access_token("someone-else"),
    )?;
    let mut theirs = client.approval_preferences().await?;
    theirs.set_disabled("upsert_entity", true);
    client.set_approval_preferences(&theirs).await?;
    set_mode(&app, "list_entities", "approval").await?;
    app.clear_input("approvals-filter").await?;
    app.click("approvals-review").await?;
    server.clear_requests();
    app.click("approvals-save").await?;
    let conflict = app.wait_for("approvals-conflict", WAIT).await?;
    assert!(conflict.text().await?.contains("upsert_entity"));
    assert!(
        server.requests().iter().all(|r| r.method != "PUT"),
        "nothing written on a conflict"
    );
    app.screenshot("patterns-08-conflict").await?;
    app.click("approvals-keep-mine").await?;
    let outcome = app.wait_for("approvals-outcome", WAIT).await?;
    assert_eq!(
        outcome.attr("data-confirmed").await?.as_deref(),
        Some("true")
    );
    let now = client.approval_preferences().await?;
    assert!(
        now.disabled_tools.iter().any(|t| t == "upsert_entity"),
        "theirs kept"
    );
    assert_eq!(
        now.tool_overrides.get("list_entities"),
        Some(&port_api::ApprovalMode::Approval),
        "mine applied"
    );
    println!("e2e: the newer mode showed as {newer}");
    assert_eq!(
        newer.as_str(),
        Some("ask_once"),
        "a newer mode is shown as Port holds it"
    );

    app.click("tools-tab-patterns").await?;
    app.wait_for("result-tool", WAIT).await?;
    app.screenshot("patterns-09-dark-matcher").await?;
    app.click("tools-tab-resolution").await?;
    app.wait_until("the resolution", WAIT, || async {
        let text = app.text("resolution-summary").await?;
        Ok(text.contains("tools available").then_some(()))
    })
    .await?;
    app.wait_for("resolved-tool", WAIT).await?;
    assert_eq!(
        app.attr("tools-tab-resolution", "aria-selected")
            .await?
            .as_deref(),
        Some("true")
    );
    // The default set lets list_entities in; the saved preference (approval, set above) decides.
    let listed = app
        .eval("const r = document.querySelector('[data-testid=\"resolved-tool\"][data-tool=\"list_entities\"]'); return r ? [r.dataset.available, r.dataset.mode, r.innerText] : null;")
        .await?;
    assert_eq!(listed[0], "true", "{listed}");
    assert_eq!(listed[1], "approval", "{listed}");
    assert!(
        listed[2]
            .as_str()
            .unwrap_or_default()
            .contains("saved preference"),
        "{listed}"
    );
    app.screenshot("patterns-10-resolution").await?;
    app.quit().await?;

    let _ = std::process::Command::new(cli_binary())
        .args(["profile", "remove", "mock"])
        .envs(dirs.env())
        .envs(env)
        .output();
    Ok(())
}
