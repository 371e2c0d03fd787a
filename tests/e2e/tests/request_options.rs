//! Chat's request options in the real app, against a port-mock the test reads back: tool patterns
//! typed into the pattern rows (an invalid one marked by the Rust engine and refused before
//! sending), labels, a chat mode, a provider and model and an output schema for the general
//! assistant reach Port as set; the structured answer shows as a JSON tree checked against its schema; an invalid schema,
//! typed into the JSON editor, is marked where it is wrong and refused before sending; an agent
//! is not offered the general-only options; the options are remembered per agent of the workspace
//! across a restart, options an earlier Portdesk kept by agent only join the workspace, keys the
//! settings file holds that this version does not know survive its writes, and removing the
//! profile deletes what was kept for its workspace.
//! Run: `scripts/with-keyring.sh -- xvfb-run -a cargo test -p portdesk-e2e --features e2e --test request_options -- --test-threads=1 --nocapture`.

mod tools_ui;

use std::time::Duration;

use portdesk_e2e::{App, Dirs, Login, Result};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);
const TAB: &str = "\u{E004}";

async fn shot(app: &App, name: &str) -> Result<()> {
    app.client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
            vec![],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.screenshot(name).await?;
    Ok(())
}

/// `name` as the page is, then `name-dark` in the dark theme, and the theme put back.
async fn shots_light_and_dark(app: &App, name: &str) -> Result<()> {
    shot(app, name).await?;
    let theme = app
        .eval("const t = document.documentElement.dataset.theme ?? null; document.documentElement.dataset.theme = 'dark'; return t;")
        .await?;
    shot(app, &format!("{name}-dark")).await?;
    app.client
        .execute(
            "const t = arguments[0]; if (t === null) delete document.documentElement.dataset.theme; else document.documentElement.dataset.theme = t; return null;",
            vec![theme],
        )
        .await?;
    Ok(())
}

async fn wait_for_status(app: &App, wanted: &str) -> Result<()> {
    app.wait_until(&format!("a {wanted} run"), WAIT, || async {
        let status = app.attr("run-status", "data-status").await?;
        Ok((status.as_deref() == Some(wanted)).then_some(()))
    })
    .await
}

/// Scrolls the drawer to an element (WebDriver refuses to type into one out of view).
async fn reveal(app: &App, testid: &str) -> Result<()> {
    app.eval(&format!(
        "document.querySelector('[data-testid=\"{testid}\"]').scrollIntoView({{block: 'center'}}); return null;"
    ))
    .await?;
    Ok(())
}

/// The text under each error marker of the schema editor.
async fn schema_markers(app: &App) -> Result<Value> {
    app.eval(
        "return [...document.querySelectorAll('[data-testid=\"opt-schema\"] .cm-lintRange-error')]\
         .map(e => e.textContent);",
    )
    .await
}

/// Waits until the schema editor underlines exactly `wanted`.
async fn wait_for_markers(app: &App, wanted: &[&str]) -> Result<()> {
    let wanted = json!(wanted);
    let waited = app
        .wait_until("the schema's markers", WAIT, || async {
            Ok((schema_markers(app).await? == wanted).then_some(()))
        })
        .await;
    if let Err(error) = waited {
        let seen = schema_markers(app).await?;
        return Err(format!("{error}; the markers: {seen}, wanted {wanted}").into());
    }
    Ok(())
}

/// The text of each pattern row in the drawer, in order.
async fn pattern_texts(app: &App) -> Result<Value> {
    app.eval(PATTERN_TEXTS).await
}

const PATTERN_TEXTS: &str =
    "return [...document.querySelectorAll('[data-testid=\"opt-tools\"] [data-testid=\"pattern-input\"] .cm-line')]\
     .map(l => { const c = l.cloneNode(true);\
       c.querySelectorAll('.cm-placeholder, .cm-widgetBuffer').forEach(p => p.remove());\
       return c.textContent; });";

/// Waits until `script` returns `wanted`; if it never does, says what it returned last.
async fn wait_for_shown(app: &App, what: &str, script: &str, wanted: Value) -> Result<()> {
    let waited = app
        .wait_until(what, WAIT, || async {
            Ok((app.eval(script).await? == wanted).then_some(()))
        })
        .await;
    match waited {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("{e}: it shows {}", app.eval(script).await?).into()),
    }
}

/// Waits until the drawer's pattern rows read `wanted`: their editor is loaded when the drawer
/// first opens, so right after a start the rows may not be there yet.
async fn wait_for_pattern_texts(app: &App, wanted: Value) -> Result<()> {
    wait_for_shown(app, "the pattern rows", PATTERN_TEXTS, wanted).await
}

/// The engine's "N of M known tools" line once it has answered for the rows shown.
async fn known_tools_line(app: &App) -> Result<String> {
    app.wait_until(
        "the patterns checked against the known tools",
        WAIT,
        || async {
            let text = app.text("opt-tools-count").await?;
            Ok(text.ends_with(" known tools").then_some(text))
        },
    )
    .await
}

async fn present(app: &App, testid: &str) -> Result<bool> {
    Ok(!app.find_all(testid).await?.is_empty())
}

/// The bodies port-mock received for the general assistant, in order.
fn general_bodies(server: &port_mock::MockServer) -> Vec<Value> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/ai/invoke")
        .filter_map(|r| r.json())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_options_reach_port_and_are_remembered_per_agent() -> Result<()> {
    let server = port_mock::MockServer::start(port_mock::MockConfig::default()).await?;
    let url = server.base_url();
    let dirs = Dirs::new()?;
    let namespace = format!("dev.portdesk.e2e.options.{}", std::process::id());
    let env = [("PORTDESK_KEYCHAIN_NAMESPACE", namespace.as_str())];
    // A settings file from a newer Portdesk, with options an earlier one kept by agent only.
    let settings_file = dirs.data().join("settings.json");
    let legacy = json!({"chatMode": "build", "futureOption": {"depth": 2}});
    std::fs::write(
        &settings_file,
        json!({
            "futureStoreKey": [1, 2],
            "settings": {
                "theme": "light",
                "futureSetting": {"nested": true},
                "requestOptions": {"legacy_agent": legacy}
            }
        })
        .to_string(),
    )?;

    let app = App::launch(&dirs, &[], &env).await?;
    app.connect_profile(
        "work",
        &url,
        Login::ClientSecret {
            id: "demo-client-id",
            secret: "demo-client-secret",
        },
    )
    .await?;
    app.wait_for("prompt-input", WAIT).await?;
    app.wait_until("the agents listed", WAIT, || async {
        Ok(app.select("agent-select", "incident_manager").await.ok())
    })
    .await?;
    app.select("agent-select", "").await?;

    // The general assistant: labels, chat mode, provider and model, a schema.
    app.click("options-toggle").await?;
    app.wait_for("request-options", WAIT).await?;
    // The pattern rows load with CodeMirror, in their own chunk.
    app.wait_for("opt-tools", WAIT).await?;
    assert!(present(&app, "opt-connectors").await?, "connectors offered");
    app.click("opt-labels-add").await?;
    app.type_into("opt-labels-key", "team").await?;
    app.type_into("opt-labels-value", "sre").await?;
    app.select("opt-chat-mode", "plan").await?;
    app.wait_until("the providers loaded", WAIT, || async {
        Ok(app.select("opt-provider", "port").await.ok())
    })
    .await?;
    let model = app
        .eval("return document.querySelector('[data-testid=\"opt-model\"]').value;")
        .await?;
    let model = model.as_str().unwrap_or_default().to_string();
    assert!(!model.is_empty(), "a provider comes with a model");

    shot(&app, "request-options-00-drawer-top").await?;

    // Tool patterns, typed into the pattern rows with real key presses: the saved default set
    // first, checked by the Rust engine against the known tools.
    wait_for_pattern_texts(&app, json!(["^(list|get|search|track|describe)_.*"])).await?;
    let saved_line = known_tools_line(&app).await?;
    // The drawer is narrow: a long pattern wraps rather than scrolling out of sight.
    let overflow = app
        .eval(
            "const s = document.querySelector('[data-testid=\"opt-tools\"] .cm-scroller');\
             return s.scrollWidth - s.clientWidth;",
        )
        .await?;
    assert!(
        overflow.as_i64().is_some_and(|o| o <= 0),
        "the whole pattern is in view: {overflow}"
    );
    assert!(
        app.text("opt-tools-source")
            .await?
            .contains("saved default set"),
        "where the set comes from"
    );
    // An unbalanced group: marked in place with the engine's message, and Send refused.
    tools_ui::retype(&app, 0, "list_(").await?;
    tools_ui::wait_row_status(&app, 0, "invalid").await?;
    // The markers are drawn just after the row's status (an effect after the commit).
    app.wait_until("the engine's error marked in place", WAIT, || async {
        let marked = app
            .eval(
                "return [...document.querySelectorAll('[data-testid=\"opt-tools\"] .cm-lintRange-error')]\
                 .map(e => e.textContent).join('');",
            )
            .await?;
        Ok(marked.as_str().is_some_and(|m| !m.is_empty()).then_some(()))
    })
    .await?;
    let message = app.text("pattern-problem").await?;
    assert!(
        message.contains("Unbalanced parenthesis"),
        "the engine's own message: {message}"
    );
    assert!(app
        .text("opt-tools-invalid")
        .await?
        .contains("Pattern 1 is not valid"));
    assert!(app.text("opt-tools-source").await?.contains("Changed"));
    app.type_into("prompt-input", "Summarise service health")
        .await?;
    app.click("send-button").await?;
    let refusal = app
        .wait_until("the pattern refusal", WAIT, || async {
            let text = app.text("send-problem").await.unwrap_or_default();
            Ok(text.contains("Tool pattern 1 “list_(”").then_some(text))
        })
        .await?;
    assert!(
        refusal.contains("Unbalanced parenthesis") && refusal.contains("Port would ignore"),
        "why Send is refused: {refusal}"
    );
    assert!(general_bodies(&server).is_empty(), "nothing reached Port");
    reveal(&app, "opt-tools").await?;
    shots_light_and_dark(&app, "request-options-00-pattern-invalid").await?;

    // Fixed, and Enter adds a second row: each row is checked, the set's line follows.
    tools_ui::retype(&app, 0, "^(list|get)_.*").await?;
    tools_ui::wait_row_status(&app, 0, "ok").await?;
    tools_ui::press(&app, "\u{E007}").await?;
    app.wait_until("a second row, focused", WAIT, || async {
        let focused = app
            .eval("const r = document.activeElement.closest('[data-testid=\"pattern-row\"]'); return r ? r.dataset.index : null;")
            .await?;
        Ok((focused == json!("1")).then_some(()))
    })
    .await?;
    tools_ui::press(&app, "search_.*").await?;
    tools_ui::wait_row_status(&app, 1, "ok").await?;
    assert_eq!(
        pattern_texts(&app).await?,
        json!(["^(list|get)_.*", "search_.*"])
    );
    let edited_line = known_tools_line(&app).await?;
    assert!(app.find_all("opt-tools-invalid").await?.is_empty());
    // Tab leaves the pattern editor: it types nothing into it.
    tools_ui::press(&app, TAB).await?;
    let in_editor = app
        .eval("return !!document.activeElement.closest('.cm-editor');")
        .await?;
    assert_eq!(in_editor, json!(false), "Tab moves the focus on");
    assert_eq!(
        pattern_texts(&app).await?,
        json!(["^(list|get)_.*", "search_.*"])
    );
    reveal(&app, "opt-tools").await?;
    shot(&app, "request-options-00-pattern-edited").await?;
    eprintln!("e2e: saved set: {saved_line}; edited set: {edited_line}");

    // A schema whose root is not an object is refused before anything is sent, and marked where
    // it is wrong in the JSON editor.
    reveal(&app, "opt-schema").await?;
    app.retype_code("opt-schema", r#"{"type": "array"}"#)
        .await?;
    app.wait_for("opt-schema-error", WAIT).await?;
    wait_for_markers(&app, &["\"array\""]).await?;
    app.type_into("prompt-input", "Summarise service health")
        .await?;
    app.click("send-button").await?;
    app.wait_for("send-problem", WAIT).await?;
    assert!(
        app.text("send-problem")
            .await?
            .contains("\"type\": \"object\""),
        "the reason is said"
    );
    assert!(general_bodies(&server).is_empty(), "nothing reached Port");

    // Valid at the root, refused by Rust's validator: the marker is on the value it names.
    app.retype_code(
        "opt-schema",
        r#"{"type": "object", "properties": {"n": {"type": "integr"}}}"#,
    )
    .await?;
    wait_for_markers(&app, &["\"integr\""]).await?;
    assert!(app.text("opt-schema-error").await?.contains("integr"));
    assert_eq!(
        app.attr("opt-schema", "data-invalid").await?.as_deref(),
        Some("true")
    );
    let underline = app
        .eval(
            "const m = document.querySelector('[data-testid=\"opt-schema\"] .cm-lintRange-error');\
             const s = getComputedStyle(m);\
             return (s.textDecorationLine || s.webkitTextDecorationLine) + ' ' + (s.textDecorationStyle || s.webkitTextDecorationStyle);",
        )
        .await?;
    assert_eq!(underline, json!("underline wavy"), "the marker is drawn");
    reveal(&app, "opt-schema").await?;
    shots_light_and_dark(&app, "request-options-01-schema-error").await?;

    let schema = json!({
        "type": "object",
        "properties": {
            "summary": {"type": "string"},
            "healthy": {"type": "integer"},
            "degraded": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["summary", "healthy"]
    });
    app.retype_code("opt-schema", &schema.to_string()).await?;
    app.wait_for("opt-schema-ok", WAIT).await?;
    wait_for_markers(&app, &[]).await?;
    assert_eq!(
        app.attr("opt-schema", "data-invalid").await?.as_deref(),
        Some("false")
    );
    app.click("opt-schema-format").await?;
    app.wait_until("the schema laid out", WAIT, || async {
        let lines = app
            .eval(
                "return document.querySelectorAll('[data-testid=\"opt-schema\"] .cm-line').length;",
            )
            .await?;
        Ok((lines.as_u64() > Some(10)).then_some(()))
    })
    .await?;
    reveal(&app, "opt-schema").await?;
    shot(&app, "request-options-02-schema-valid").await?;
    // Tab leaves the editor (no focus trap) and types nothing into it.
    app.press(TAB).await?;
    let inside = app
        .eval("return document.querySelector('[data-testid=\"opt-schema\"]').contains(document.activeElement);")
        .await?;
    assert_eq!(inside, json!(false), "Tab moves the focus on");
    app.click("send-button").await?;
    wait_for_status(&app, "completed").await?;

    let bodies = general_bodies(&server);
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let body = &bodies[0];
    assert_eq!(body["userPrompt"], "Summarise service health");
    assert_eq!(body["labels"], json!({"team": "sre"}));
    assert_eq!(body["chatMode"], "plan");
    assert_eq!(body["provider"], "port");
    assert_eq!(body["model"], model.as_str());
    assert_eq!(body["outputSchema"], schema);
    assert_eq!(
        body["tools"],
        json!(["^(list|get)_.*", "search_.*"]),
        "the patterns as edited"
    );
    assert!(
        body.get("mcpServers").is_none(),
        "unset options are not sent"
    );
    assert!(body.get("toolApprovalOverrides").is_none());

    app.wait_for("structured-tree", WAIT).await?;
    app.wait_until("the answer checked", WAIT, || async {
        app.attr("structured-check", "data-ok").await
    })
    .await?;
    assert_eq!(
        app.attr("structured-check", "data-ok").await?.as_deref(),
        Some("true"),
        "{}",
        app.text("structured-check").await?
    );
    assert!(app
        .text("structured-check")
        .await?
        .contains("Valid against the schema"));
    assert!(app.text("structured-tree").await?.contains("summary"));
    shot(&app, "request-options-03-structured-answer").await?;

    // An agent: its own options, and no patterns or connectors (Port refuses them for agents).
    app.select("agent-select", "incident_manager").await?;
    app.wait_until("the agent's drawer", WAIT, || async {
        Ok((!present(&app, "opt-tools").await?).then_some(()))
    })
    .await?;
    assert!(
        !present(&app, "opt-tools").await?,
        "no patterns for an agent"
    );
    assert!(
        !present(&app, "opt-connectors").await?,
        "no connectors for an agent"
    );
    assert!(
        present(&app, "opt-labels").await?,
        "labels offered for an agent"
    );
    let mode = app
        .eval("return document.querySelector('[data-testid=\"opt-chat-mode\"]').value;")
        .await?;
    assert_eq!(
        mode, "",
        "the agent does not inherit the general assistant's options"
    );
    app.select("opt-chat-mode", "ask").await?;
    app.type_into("prompt-input", "Who is on call?").await?;
    app.click("send-button").await?;
    app.wait_until("the agent's run", WAIT, || async {
        let turns = app
            .eval("return document.querySelectorAll('article.turn').length;")
            .await?;
        Ok((turns == 2).then_some(()))
    })
    .await?;
    wait_for_status(&app, "completed").await?;
    let agent_bodies: Vec<Value> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/agent/incident_manager/invoke")
        .filter_map(|r| r.json())
        .collect();
    assert_eq!(
        agent_bodies,
        vec![json!({"prompt": "Who is on call?", "chatMode": "ask"})],
        "only the agent's own options, none of the general assistant's"
    );
    shot(&app, "request-options-04-agent").await?;
    app.quit().await?;

    // On disk: the options live with the workspace, the earlier ones joined it as they were, and
    // the settings written since (the agent chosen last) kept what this version does not know.
    let prefs_file = dirs.data().join("agents").join("profile-work.prefs.json");
    let prefs: Value = serde_json::from_slice(&std::fs::read(&prefs_file)?)?;
    let saved = &prefs["requestOptions"];
    assert_eq!(saved["legacy_agent"], legacy, "{prefs}");
    assert_eq!(saved[""]["chatMode"], "plan");
    assert_eq!(saved[""]["labels"], json!({"team": "sre"}));
    assert_eq!(saved[""]["tools"], json!(["^(list|get)_.*", "search_.*"]));
    assert_eq!(saved["incident_manager"]["chatMode"], "ask");
    let on_disk: Value = serde_json::from_slice(&std::fs::read(&settings_file)?)?;
    assert_eq!(on_disk["futureStoreKey"], json!([1, 2]), "{on_disk}");
    assert_eq!(
        on_disk["settings"]["futureSetting"],
        json!({"nested": true})
    );
    assert_eq!(on_disk["settings"]["lastAgent"], "incident_manager");
    assert!(
        on_disk["settings"].get("requestOptions").is_none(),
        "handed over to the workspace: {on_disk}"
    );

    // Remembered: a restart brings the general assistant's options back.
    let app = App::launch(&dirs, &[], &env).await?;
    app.wait_for("prompt-input", WAIT).await?;
    app.select("agent-select", "").await?;
    app.click("options-toggle").await?;
    app.wait_for("request-options", WAIT).await?;
    // The workspace's options are read after the start: the drawer shows them once they are.
    let shown =
        "const v = (id) => document.querySelector(`[data-testid=\"${id}\"]`)?.value ?? null;\
                 return [v('opt-chat-mode'), v('opt-labels-key')];";
    wait_for_shown(
        &app,
        "the remembered options shown",
        shown,
        json!(["plan", "team"]),
    )
    .await?;
    app.wait_for("opt-tools", WAIT).await?;
    wait_for_pattern_texts(&app, json!(["^(list|get)_.*", "search_.*"])).await?;
    // Back to the saved set.
    app.click("opt-tools-reset").await?;
    app.wait_until("the saved set back", WAIT, || async {
        let texts = pattern_texts(&app).await?;
        Ok((texts == json!(["^(list|get|search|track|describe)_.*"])).then_some(()))
    })
    .await?;
    assert!(app.find_all("opt-tools-reset").await?.is_empty());
    app.quit().await?;

    // Removing the profile deletes what was kept for its workspace.
    let agents_dir = dirs.data().join("agents");
    assert!(agents_dir.join("profile-work.cache.json").exists());
    let removed = std::process::Command::new(portdesk_e2e::cli_binary())
        .args(["profile", "remove", "work"])
        .envs(dirs.env())
        .envs(env)
        .output()?;
    assert!(
        removed.status.success(),
        "{}",
        String::from_utf8_lossy(&removed.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(&agents_dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("profile-work."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    Ok(())
}
