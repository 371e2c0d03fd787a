//! The Tools panel in the real app: the live matcher (typing, an invalid pattern and its fix,
//! the organisation's actions, keystroke latency at 5,000 tools, compositing on while it is shown),
//! and the set saved for an agent, each workspace its own.
//! Run by scripts/test.sh: `cargo test -p portdesk-e2e --features e2e --test patterns`.

mod tools_ui;

use std::time::{Duration, Instant};

use portdesk_e2e::{App, Dirs, Login, Result};
use serde_json::{json, Value};
use tools_ui::*;

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
    // Tools asks for compositing, and WebKit's settings say it is on (where switched by panel).
    wait_for_compositing(&app, if by_panel() { "on" } else { "webKitDecides" }).await?;
    // The default set is Port's read-only one.
    let first = matched_tools(&app).await?;
    assert!(first.iter().any(|t| t == "list_entities"), "{first:?}");
    assert!(!first.iter().any(|t| t == "delete_entity"), "{first:?}");
    app.screenshot("patterns-01-default").await?;

    // The organisation's self-service actions, read from Port, are tools of their own.
    app.type_into("results-filter", "run_").await?;
    app.wait_until("the demo org's actions in the list", WAIT, || async {
        let shown = app
            .eval("return [...document.querySelectorAll('[data-testid=\"result-tool\"]')].map(e => e.dataset.tool);")
            .await?;
        let shown: Vec<&str> = shown
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let filtered = !shown.is_empty() && shown.iter().all(|t| t.starts_with("run_"));
        Ok((filtered
            && shown.contains(&"run_deploy_service")
            && shown.contains(&"run_create_incident"))
        .then_some(()))
    })
    .await?;
    let groups = app
        .eval("return [...document.querySelectorAll('[data-testid=\"result-group\"]')].map(e => e.dataset.group);")
        .await?;
    assert!(
        groups.to_string().to_lowercase().contains("actions"),
        "an Actions group: {groups}"
    );
    app.screenshot("patterns-01-actions").await?;
    app.clear_input("results-filter").await?;

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
    // The Tools panel's own editors only (the Chat drawer's record theirs as "chat-drawer").
    let samples: Vec<&Value> = samples
        .as_array()
        .map(|a| {
            a.iter()
                .skip(skip)
                .filter(|s| s["editor"] == "tools")
                .collect()
        })
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
    let median_of = |key: &str| {
        let mut values: Vec<f64> = samples
            .iter()
            .filter(|s| s["tools"].as_u64() == Some(5000))
            .filter_map(|s| s[key].as_f64())
            .collect();
        values.sort_by(f64::total_cmp);
        percentile(&values, 0.5)
    };
    println!(
        "figure: live matcher at 5000 tools, where the time goes (medians): React commit of the answer {:.1} ms, then {:.1} ms to the next frame",
        median_of("commitMs"),
        median_of("frameMs"),
    );
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

    // Leaving Tools turns compositing off again (where it is switched by panel).
    app.click("nav-chat").await?;
    wait_for_compositing(&app, if by_panel() { "off" } else { "webKitDecides" }).await?;
    app.quit().await
}

/// Whether this machine switches WebKit's compositing by panel (see src-tauri's rendering.rs):
/// no GPU render node and WebKit's own switch left alone.
fn by_panel() -> bool {
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    let software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE")
        .is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
    std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() && (software || !render_node)
}

/// Waits until WebKit's settings, read back after the Tools panel's newest request, say `wanted`.
async fn wait_for_compositing(app: &App, wanted: &str) -> Result<()> {
    app.wait_until(&format!("compositing {wanted}"), WAIT, || async {
        let now = app
            .eval("return (window.__PORTDESK__ && window.__PORTDESK__.compositing) || null;")
            .await?;
        Ok((now == wanted).then_some(()))
    })
    .await
}

/// The pattern rows' texts, in order.
async fn shown_patterns(app: &App) -> Result<Value> {
    app.eval(
        "return [...document.querySelectorAll('[data-testid=\"pattern-row\"] .cm-content')]\
         .map(e => e.textContent);",
    )
    .await
}

/// Opens the Tools panel on `agent`'s saved set.
async fn edit_agent_set(app: &App, agent: &str) -> Result<()> {
    open_tools(app).await?;
    app.wait_until("the agent offered", WAIT, || async {
        Ok(app.select("pattern-set-target", agent).await.ok())
    })
    .await
}

async fn save_set(app: &App, patterns: &Value) -> Result<()> {
    app.click("patterns-edit-json").await?;
    fill_textarea(app, "patterns-json", &patterns.to_string()).await?;
    app.click("patterns-json-apply").await?;
    app.wait_until("the set replaced", WAIT, || async {
        Ok((shown_patterns(app).await? == *patterns).then_some(()))
    })
    .await?;
    app.click("pattern-set-save").await?;
    app.wait_until("the set saved", WAIT, || async {
        Ok((app.text("pattern-set-state").await? == "Saved").then_some(()))
    })
    .await
}

async fn switch_workspace(app: &App, item: &str, label: &str) -> Result<()> {
    app.click("workspace-switch").await?;
    css_click(app, item).await?;
    app.wait_until("the other workspace open", WAIT, || async {
        let shown = app.text("workspace-label").await.unwrap_or_default();
        Ok(shown.starts_with(label).then_some(()))
    })
    .await?;
    app.wait_for("prompt-input", WAIT).await?;
    Ok(())
}

/// A profile's Port and the demo both have an `incident_manager` agent: the set saved for it in
/// one workspace is not the other's, each comes back when its workspace opens again, and each
/// lives in its own workspace's prefs file (none in the settings).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_workspace_keeps_its_own_set_for_an_agent_of_the_same_name() -> Result<()> {
    let server = port_mock::MockServer::start(port_mock::MockConfig::default()).await?;
    let dirs = Dirs::new()?;
    let namespace = format!("dev.portdesk.e2e.patternsets.{}", std::process::id());
    let env = [("PORTDESK_KEYCHAIN_NAMESPACE", namespace.as_str())];
    let app = App::launch(&dirs, &[], &env).await?;
    app.connect_profile(
        "work",
        &server.base_url(),
        Login::ClientSecret {
            id: "demo-client-id",
            secret: "demo-client-secret",
        },
    )
    .await?;
    app.wait_for("prompt-input", WAIT).await?;

    let work_set = json!(["^run_.*", "^list_entities$"]);
    let demo_set = json!(["^get_.*"]);
    edit_agent_set(&app, "incident_manager").await?;
    save_set(&app, &work_set).await?;

    switch_workspace(&app, "[data-testid=\"workspace-demo\"]", "Demo").await?;
    edit_agent_set(&app, "incident_manager").await?;
    app.wait_until("the demo's own starting point", WAIT, || async {
        let shown = shown_patterns(&app).await?;
        Ok((!shown.as_array().is_none_or(|a| a.is_empty())).then_some(shown))
    })
    .await?;
    assert_ne!(
        shown_patterns(&app).await?,
        work_set,
        "the profile's set is not the demo's"
    );
    assert_eq!(app.text("pattern-set-state").await?, "Unsaved changes");
    save_set(&app, &demo_set).await?;

    switch_workspace(
        &app,
        "[data-testid=\"workspace-profile\"][data-profile=\"work\"]",
        "work",
    )
    .await?;
    edit_agent_set(&app, "incident_manager").await?;
    app.wait_until("the profile's set back", WAIT, || async {
        Ok((shown_patterns(&app).await? == work_set).then_some(()))
    })
    .await?;
    assert_eq!(app.text("pattern-set-state").await?, "Saved");
    app.eval(
        "document.querySelector('[data-testid=\"pattern-set-target\"]')\
         .scrollIntoView({block: 'center'}); return null;",
    )
    .await?;
    app.painted_screenshot("patterns-05-set-per-workspace")
        .await?;

    switch_workspace(&app, "[data-testid=\"workspace-demo\"]", "Demo").await?;
    edit_agent_set(&app, "incident_manager").await?;
    app.wait_until("the demo's set back", WAIT, || async {
        Ok((shown_patterns(&app).await? == demo_set).then_some(()))
    })
    .await?;
    app.quit().await?;

    let prefs = |stem: &str| -> Result<Value> {
        let path = dirs
            .data()
            .join("agents")
            .join(format!("{stem}.prefs.json"));
        Ok(serde_json::from_slice(&std::fs::read(path)?)?)
    };
    assert_eq!(
        prefs("profile-work")?["patternSets"]["incident_manager"]["patterns"],
        work_set
    );
    assert_eq!(
        prefs("demo")?["patternSets"]["incident_manager"]["patterns"],
        demo_set
    );
    // Nothing of them in the settings (the file exists once a setting was saved).
    if let Ok(bytes) = std::fs::read(dirs.data().join("settings.json")) {
        let settings: Value = serde_json::from_slice(&bytes)?;
        assert!(
            settings["settings"].get("agentTools").is_none(),
            "{settings}"
        );
    }
    Ok(())
}
