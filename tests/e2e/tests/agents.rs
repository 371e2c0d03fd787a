//! The Agents panel and the Ctrl+K switcher in the real app, against port-mock playing the demo
//! org over loopback: the list, search, filters, a favourite, picking and invoking an agent from
//! the switcher, a conversation starter, then a restart with Port gone (the saved agents, their
//! refresh time and the favourite are still there) and a damaged cache file (reported, not fatal).
//! Run: `cargo test -p portdesk-e2e --features e2e --test agents -- --test-threads=1`.

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use portdesk_e2e::{App, Dirs, Login, Result};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);
const STREAM_TIMEOUT: Duration = Duration::from_secs(30);
const CONTROL: char = '\u{E009}';
const ARROW_DOWN: char = '\u{E015}';
const ENTER: char = '\u{E007}';
const ESCAPE: char = '\u{E00C}';
const TOKEN: &str = "e2e-agents-access-token-7d2a";

/// Key presses to whatever has the focus, as a keyboard sends them; `chord` holds Control.
async fn press(app: &App, keys: &[char], chord: bool) -> Result<()> {
    let mut actions = KeyActions::new("keyboard".into());
    if chord {
        actions = actions.then(KeyAction::Down { value: CONTROL });
    }
    for &key in keys {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    if chord {
        actions = actions.then(KeyAction::Up { value: CONTROL });
    }
    app.client.perform_actions(actions).await?;
    Ok(())
}

/// Clicks `[data-testid=click]` (or presses Ctrl+K when `click` is empty) in the page and
/// answers how long until `want` elements match `selector` and a frame has painted them: the
/// time a person waits, without WebDriver's round trips.
async fn time_until(app: &App, click: &str, selector: &str, want: usize) -> Result<f64> {
    let ms = app
        .client
        .execute_async(
            "const [click, selector, want, done] = arguments;\
             const t0 = performance.now();\
             if (click) document.querySelector(`[data-testid=\"${click}\"]`).click();\
             else document.dispatchEvent(new KeyboardEvent('keydown', {key: 'k', ctrlKey: true, bubbles: true}));\
             const check = () => document.querySelectorAll(selector).length >= want\
               ? requestAnimationFrame(() => done(performance.now() - t0))\
               : requestAnimationFrame(check);\
             check();",
            vec![json!(click), json!(selector), json!(want)],
        )
        .await?;
    ms.as_f64().ok_or_else(|| format!("no time: {ms}").into())
}

/// The agent identifiers of the panel's rows, in order ("" is the general assistant).
async fn rows(app: &App) -> Result<Vec<String>> {
    let value = app
        .eval("return Array.from(document.querySelectorAll('[data-testid=\"agent-row\"]')).map(r => r.dataset.agent);")
        .await?;
    Ok(serde_json::from_value(value)?)
}

async fn wait_rows(
    app: &App,
    what: &str,
    check: impl Fn(&[String]) -> bool,
) -> Result<Vec<String>> {
    app.wait_until(what, WAIT, || async {
        let now = rows(app).await?;
        Ok(check(&now).then_some(now))
    })
    .await
}

async fn click_css(app: &App, css: &str) -> Result<()> {
    let found = app
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); if (!e) return false; e.scrollIntoView({block: 'center'}); e.click(); return true;",
            vec![json!(css)],
        )
        .await?;
    if found != Value::Bool(true) {
        return Err(format!("nothing matches {css}").into());
    }
    Ok(())
}

async fn select_row(app: &App, agent: &str) -> Result<()> {
    click_css(
        app,
        &format!("[data-testid=\"agent-row\"][data-agent=\"{agent}\"] .agent-row-main"),
    )
    .await?;
    app.wait_until("the agent's details", WAIT, || async {
        Ok(
            (app.attr("agent-details", "data-agent").await?.as_deref() == Some(agent))
                .then_some(()),
        )
    })
    .await
}

fn agents_dir(dirs: &Dirs) -> PathBuf {
    dirs.data().join("agents")
}

fn file_ending(dirs: &Dirs, suffix: &str) -> Result<PathBuf> {
    std::fs::read_dir(agents_dir(dirs))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(suffix))
        .ok_or_else(|| format!("no {suffix} in {}", agents_dir(dirs).display()).into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_panel_switcher_starters_and_an_offline_start_from_the_cache() -> Result<()> {
    let server = port_mock::MockServer::start(port_mock::MockConfig::default()).await?;
    let url = server.base_url();
    let dirs = Dirs::new()?;
    let namespace = format!("dev.portdesk.e2e.agents.{}", std::process::id());
    let env = [("PORTDESK_KEYCHAIN_NAMESPACE", namespace.as_str())];
    let app = App::launch(&dirs, &[], &env).await?;
    app.connect_profile("mock", &url, Login::AccessToken(TOKEN))
        .await?;
    app.wait_for("prompt-input", WAIT).await?;

    // The panel: the general assistant first, every agent of the org, the refresh time.
    let first = time_until(&app, "nav-agents", "[data-testid=\"agent-row\"]", 8).await?;
    println!("figure: Agents panel open to 8 rows painted, online after connecting: {first:.0} ms");
    let all = wait_rows(&app, "the org's agents", |r| r.len() >= 8).await?;
    let refresh = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; const t0 = performance.now();\
             window.__TAURI_INTERNALS__.invoke('refresh_agents').then(() => done(performance.now() - t0), e => done(String(e)));",
            vec![],
        )
        .await?;
    let refresh = refresh
        .as_f64()
        .ok_or(format!("refresh_agents failed: {refresh}"))?;
    println!(
        "figure: refresh_agents round trip (IPC + Port over loopback + atomic write): {refresh:.0} ms"
    );
    assert_eq!(all[0], "", "the general assistant first: {all:?}");
    assert!(
        all.iter().any(|a| a == "cost_reporter"),
        "inactive shown: {all:?}"
    );
    assert_eq!(
        all.last().map(String::as_str),
        Some("cost_reporter"),
        "inactive last: {all:?}"
    );
    let refreshed = app.text("agents-refreshed").await?;
    assert!(refreshed.starts_with("Refreshed just now"), "{refreshed}");
    app.painted_screenshot("agents-01-panel").await?;

    // Details: tool patterns with how many known tools each lets in, by the pattern engine.
    select_row(&app, "incident_manager").await?;
    let counts = app
        .wait_until("the pattern counts", WAIT, || async {
            let v = app
                .eval("return Array.from(document.querySelectorAll('[data-testid=\"agent-pattern-count\"]')).map(c => c.innerText);")
                .await?;
            let counts: Vec<String> = serde_json::from_value(v)?;
            Ok((!counts.is_empty() && counts.iter().all(|c| c.contains("known tools"))).then_some(counts))
        })
        .await?;
    assert_eq!(counts.len(), 3, "{counts:?}");
    let first: u32 = counts[0].split(' ').next().unwrap_or_default().parse()?;
    assert!(
        first > 0,
        "`^(list|search)_.*` lets Port's list and search tools in: {counts:?}"
    );
    assert!(app.text("agent-model").await?.contains("claude-haiku"));
    assert_eq!(app.text("agent-execution").await?, "Approval Required");
    app.painted_screenshot("agents-02-details").await?;

    // Search and filters.
    app.type_into("agents-search", "onbrd").await?;
    wait_rows(&app, "the search result", |r| r == ["onboarding_buddy"]).await?;
    app.painted_screenshot("agents-03-search").await?;
    app.clear_input("agents-search").await?;
    app.select("agents-filter-status", "inactive").await?;
    wait_rows(&app, "the inactive agent", |r| r == ["cost_reporter"]).await?;
    select_row(&app, "cost_reporter").await?;
    assert_eq!(
        app.attr("agent-chat", "disabled").await?.as_deref(),
        Some("true")
    );
    app.painted_screenshot("agents-04-inactive").await?;
    app.select("agents-filter-status", "all").await?;
    app.select("agents-filter-provider", "openai").await?;
    wait_rows(&app, "the openai agent", |r| r == ["cost_reporter"]).await?;
    app.select("agents-filter-provider", "").await?;
    wait_rows(&app, "every agent again", |r| r.len() == all.len()).await?;

    // A favourite moves up, right after the general assistant, and is saved on disk.
    click_css(&app, "[data-testid=\"agent-row\"][data-agent=\"onboarding_buddy\"] [data-testid=\"agent-favourite\"]").await?;
    wait_rows(&app, "the favourite on top", |r| {
        r.get(1).map(String::as_str) == Some("onboarding_buddy")
    })
    .await?;
    app.painted_screenshot("agents-05-favourite").await?;
    let prefs: Value = serde_json::from_slice(&std::fs::read(file_ending(&dirs, ".prefs.json")?)?)?;
    assert_eq!(prefs["favourites"], json!(["onboarding_buddy"]), "{prefs}");

    // Ctrl+K from the Agents panel: search, move, Enter, and the agent answers in Chat.
    press(&app, &['k'], true).await?;
    app.wait_for("agent-switcher", WAIT).await?;
    let focused = app
        .eval("return document.activeElement && document.activeElement.dataset.testid;")
        .await?;
    assert_eq!(focused, json!("switcher-input"));
    press(&app, &"incid".chars().collect::<Vec<_>>(), false).await?;
    app.wait_until("the switcher's match", WAIT, || async {
        let first = app.attr("switcher-option", "data-agent").await?;
        Ok((first.as_deref() == Some("incident_manager")).then_some(()))
    })
    .await?;
    app.painted_screenshot("agents-06-switcher").await?;
    press(&app, &[ENTER], false).await?;
    app.wait_until("Chat with the picked agent", WAIT, || async {
        let chosen = app.find("agent-select").await?.prop("value").await?;
        Ok((chosen.as_deref() == Some("incident_manager")).then_some(()))
    })
    .await?;
    assert!(
        app.find("agent-switcher").await.is_err(),
        "the switcher closed"
    );
    server.clear_requests();
    app.type_into("prompt-input", "Who is on call for auth-service?")
        .await?;
    app.click("send-button").await?;
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.method == "POST" && r.path == "/v1/agent/incident_manager/invoke"),
        "the picked agent was invoked"
    );
    app.painted_screenshot("agents-07-switcher-invoked").await?;

    // Esc closes the switcher without a pick; arrows move past the general assistant.
    press(&app, &['k'], true).await?;
    app.wait_for("agent-switcher", WAIT).await?;
    press(&app, &[ARROW_DOWN], false).await?;
    let selected = app
        .eval("const o = document.querySelector('[data-testid=\"switcher-option\"][aria-selected=\"true\"]'); return o && o.dataset.agent;")
        .await?;
    assert_eq!(
        selected,
        json!("onboarding_buddy"),
        "the favourite is second"
    );
    press(&app, &[ESCAPE], false).await?;
    app.wait_until("the switcher to close", WAIT, || async {
        Ok(app.find("agent-switcher").await.is_err().then_some(()))
    })
    .await?;

    // A conversation starter: one click opens Chat with that agent and the prompt.
    app.click("nav-agents").await?;
    wait_rows(&app, "the agents", |r| r.len() == all.len()).await?;
    select_row(&app, "service_explorer").await?;
    click_css(&app, "[data-testid=\"agent-starter\"]").await?;
    let prompt = app
        .wait_until("the starter in the composer", WAIT, || async {
            let value = app.find("prompt-input").await?.prop("value").await?;
            Ok(value.filter(|v| !v.is_empty()))
        })
        .await?;
    assert_eq!(prompt, "Who owns payments-api?");
    let chosen = app.find("agent-select").await?.prop("value").await?;
    assert_eq!(chosen.as_deref(), Some("service_explorer"));
    app.painted_screenshot("agents-08-starter").await?;
    server.clear_requests();
    app.click("send-button").await?;
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;
    let invoked = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/v1/agent/service_explorer/invoke")
        .ok_or("the starter's agent was invoked")?;
    assert_eq!(
        invoked.json().ok_or("a JSON body")?["prompt"],
        "Who owns payments-api?"
    );
    app.quit().await?;

    // Port is gone: a restart shows the saved agents, when they were fetched, and the favourite.
    server.shutdown().await;
    let app = App::launch(&dirs, &[], &env).await?;
    app.wait_for("prompt-input", WAIT).await?;
    // When the saved agents reached the screen (Chat's agent picker), from the page's start.
    let known = app
        .client
        .execute_async(
            "const [want, done] = arguments;\
             const check = () => document.querySelectorAll('[data-testid=\"agent-select\"] option').length >= want\
               ? requestAnimationFrame(() => done(performance.now()))\
               : requestAnimationFrame(check);\
             check();",
            vec![json!(all.len())],
        )
        .await?;
    let known = known.as_f64().unwrap_or(f64::NAN);
    println!(
        "figure: offline start: the saved agents on screen {known:.0} ms after the page started"
    );
    let opened = time_until(&app, "nav-agents", "[data-testid=\"agent-row\"]", all.len()).await?;
    println!(
        "figure: Agents panel open to {} agents painted, offline from the cache: {opened:.0} ms",
        all.len()
    );
    app.click("nav-chat").await?;
    app.wait_for("prompt-input", WAIT).await?;
    let again = time_until(&app, "nav-agents", "[data-testid=\"agent-row\"]", all.len()).await?;
    println!("figure: Agents panel opened again from Chat, offline: {again:.0} ms");
    app.wait_for("agents-error", WAIT).await?;
    let offline = wait_rows(&app, "the saved agents", |r| r.len() == all.len()).await?;
    assert_eq!(
        offline.get(1).map(String::as_str),
        Some("onboarding_buddy"),
        "{offline:?}"
    );
    let status = app.text("agents-refreshed").await?;
    assert!(
        status.contains("Port could not be reached. Showing the agents saved"),
        "{status}"
    );
    assert_eq!(
        app.attr("agents-refreshed", "data-from-cache")
            .await?
            .as_deref(),
        Some("true")
    );
    let recent = app.find_all("agent-recent").await?;
    assert!(!recent.is_empty(), "recently used agents were kept");
    app.painted_screenshot("agents-09-offline").await?;
    // Ctrl+K works offline too, from the cache.
    let switcher = time_until(&app, "", "[data-testid=\"switcher-option\"]", all.len()).await?;
    println!(
        "figure: Ctrl+K to the switcher painted with {} entries: {switcher:.0} ms",
        all.len()
    );
    app.wait_for("agent-switcher", WAIT).await?;
    assert_eq!(app.find_all("switcher-option").await?.len(), all.len());
    press(&app, &[ESCAPE], false).await?;
    app.quit().await?;

    // The cache holds the agents and nothing secret.
    let cache = std::fs::read_to_string(file_ending(&dirs, ".cache.json")?)?;
    assert!(cache.contains("service_explorer"));
    assert!(!cache.contains(TOKEN), "the token is not in the cache");
    for (path, bytes) in dirs.all_files()? {
        if path.starts_with(agents_dir(&dirs)) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(TOKEN),
                "{} holds the token",
                path.display()
            );
        }
    }

    // A damaged cache: reported, moved aside, and the app works on (here offline: empty list).
    let cache_path = file_ending(&dirs, ".cache.json")?;
    std::fs::write(&cache_path, b"{ this is not the agents")?;
    let app = App::launch(&dirs, &[], &env).await?;
    app.wait_for("prompt-input", WAIT).await?;
    app.click("nav-agents").await?;
    let notice = app.wait_for("agents-notice", WAIT).await?.text().await?;
    assert!(notice.contains("could not be read"), "{notice}");
    wait_rows(&app, "only the general assistant", |r| r == [""]).await?;
    app.painted_screenshot("agents-10-corrupt-cache").await?;
    assert!(
        file_ending(&dirs, ".cache.json.unreadable").is_ok(),
        "the damaged file was kept aside"
    );

    // Removing the open profile in Settings closes its workspace and deletes what was kept for it.
    assert!(
        file_ending(&dirs, ".prefs.json").is_ok(),
        "favourites saved"
    );
    app.click("nav-settings").await?;
    app.click("profile-remove").await?;
    app.click("profile-remove-confirm").await?;
    app.wait_for("onboarding-connect", WAIT).await?;
    app.painted_screenshot("agents-11-profile-removed").await?;
    app.quit().await?;
    let left: Vec<_> = std::fs::read_dir(agents_dir(&dirs))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("profile-mock."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    Ok(())
}
