//! Approval preferences in the real app, against port-mock playing the demo org: the diff
//! preview, the PUT Port receives, the re-read that confirms, a conflict, and the resolution view.
//! Run by scripts/test.sh: `cargo test -p portdesk-e2e --features e2e --test approvals`.

mod tools_ui;

use std::time::Duration;

use portdesk_e2e::{cli_binary, App, Dirs, Login, Result};
use serde_json::json;
use tools_ui::*;

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
    app.connect_profile("mock", &url, Login::AccessToken("e2e-access-token"))
        .await?;
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
