//! The real app, built with the bundled UI, driven over WebDriver under Xvfb.
//! Run by scripts/test.sh: `cargo test -p portdesk-e2e --features e2e -- --test-threads=1`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use portdesk_e2e::{cli_binary, App, Dirs, Result};

const STREAM_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn onboard_into_the_demo_and_stream_an_answer() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &[], &[]).await?;
    let first_paint = app.first_paint_ms().await?;
    println!("figure: cold start to first paint {first_paint:.0} ms");

    app.wait_for("onboarding-connect", Duration::from_secs(20))
        .await?;
    app.screenshot("01-onboarding").await?;
    app.click("onboarding-demo").await?;
    app.wait_for("prompt-input", Duration::from_secs(20))
        .await?;
    app.wait_until(
        "the demo workspace label",
        Duration::from_secs(10),
        || async {
            let label = app.text("workspace-label").await?;
            Ok(label.contains("Demo workspace").then_some(()))
        },
    )
    .await?;

    app.ask("What services do we have?").await?;
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;

    let calls = app.find_all("tool-call").await?;
    assert!(calls.len() >= 2, "tool calls shown: {}", calls.len());
    let mut names = Vec::new();
    for call in &calls {
        names.push(call.attr("data-tool-name").await?.unwrap_or_default());
        assert_eq!(call.attr("data-state").await?.as_deref(), Some("complete"));
    }
    assert!(names.iter().any(|n| n == "list_entities"), "{names:?}");
    let answer = app.text("answer").await?;
    assert!(
        answer.contains("Service catalog overview"),
        "answer: {answer}"
    );
    assert!(answer.contains("payments-api"), "answer: {answer}");
    app.screenshot("02-demo-answer").await?;

    // Idle resident memory of the app and its web processes.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (total, processes) = app.resident_kib()?;
    println!(
        "figure: idle memory {:.1} MiB PSS in total; RSS per process: {}",
        total as f64 / 1024.0,
        processes
            .iter()
            .map(|(n, k)| format!("{n} {:.1} MiB", *k as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(total > 0, "the app's processes were found");
    app.quit().await
}

#[tokio::test]
async fn demo_flag_opens_the_demo_and_a_slow_stream_can_be_cancelled() -> Result<()> {
    let dirs = Dirs::new()?;
    let app = App::launch(&dirs, &["--demo"], &[]).await?;
    app.wait_for("prompt-input", Duration::from_secs(30))
        .await?;
    app.ask("[slow] What services do we have?").await?;
    app.wait_for_run_status("streaming", STREAM_TIMEOUT).await?;
    // Let a tool call arrive (one event per 400 ms), then cancel mid-stream.
    app.wait_for("tool-call", STREAM_TIMEOUT).await?;
    app.screenshot("03-slow-stream").await?;
    app.click("cancel-button").await?;
    app.wait_for_run_status("cancelled", Duration::from_secs(3))
        .await?;
    let answer = app.text("answer").await.unwrap_or_default();
    assert!(
        !answer.contains("To see all of them"),
        "the answer's end never arrived after cancel: {answer}"
    );
    app.screenshot("04-cancelled").await?;
    app.quit().await
}

/// The demo opened over the given settings file, and the start-up notice it shows.
async fn demo_with_settings(dirs: &Dirs, settings: &[u8]) -> Result<(App, String)> {
    std::fs::write(dirs.data().join("settings.json"), settings)?;
    let app = App::launch(dirs, &["--demo"], &[]).await?;
    let banner = app
        .wait_for("notice-banner", Duration::from_secs(30))
        .await?;
    let text = banner.text().await?;
    Ok((app, text))
}

#[tokio::test]
async fn a_corrupt_settings_file_is_moved_aside_and_reported() -> Result<()> {
    let dirs = Dirs::new()?;
    let (app, text) = demo_with_settings(&dirs, b"{ this is not json").await?;
    assert!(text.contains("moved"), "notice: {text}");
    let backups: Vec<_> = std::fs::read_dir(dirs.data())?
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("settings.json.corrupt-")
        })
        .collect();
    assert_eq!(backups.len(), 1, "the unreadable file is kept aside");
    app.screenshot("05-settings-notice").await?;
    app.quit().await
}

/// The settings file once the app has saved `setting` with the given value.
async fn settings_once(
    app: &App,
    path: &std::path::Path,
    (setting, value): (&str, &str),
) -> Result<serde_json::Value> {
    app.wait_until(&format!("{setting} saved"), STREAM_TIMEOUT, || async {
        let on_disk: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
        Ok((on_disk["settings"][setting] == value).then_some(on_disk))
    })
    .await
}

/// A settings file from a newer Portdesk: a theme this version does not know and keys it has
/// never heard of. The app says which setting it could not read, changing another setting keeps
/// them all, and changing the theme replaces only the theme. The pattern set an earlier version
/// saved for an agent in the settings moves into the open workspace, unknown field and all, and
/// is the set the Tools panel shows for that agent.
#[tokio::test]
async fn a_newer_settings_file_is_read_as_far_as_it_goes_and_kept() -> Result<()> {
    let dirs = Dirs::new()?;
    let path = dirs.data().join("settings.json");
    let newer = serde_json::json!({
        "windowState": {"width": 1280},
        "settings": {
            "theme": "sepia",
            "lastAgent": null,
            "fontSize": 15,
            "agentTools": {"incident_manager": {
                "patterns": ["^run_.*", "^list_entities$"],
                "checks": [{"tool": "run_deploy_service", "expect": "match", "why": "audit"}],
                "pinned": true
            }}
        }
    });
    let (app, text) = demo_with_settings(&dirs, newer.to_string().as_bytes()).await?;
    assert!(text.contains("could not be read (theme)"), "notice: {text}");
    app.painted_screenshot("06-newer-settings-notice").await?;

    // Picking an agent writes the settings (the agent chosen last).
    app.wait_until("the agents listed", STREAM_TIMEOUT, || async {
        Ok(app.select("agent-select", "incident_manager").await.ok())
    })
    .await?;
    let on_disk = settings_once(&app, &path, ("lastAgent", "incident_manager")).await?;
    assert_eq!(on_disk["windowState"], newer["windowState"]);
    assert_eq!(
        on_disk["settings"]["theme"], "sepia",
        "not read, not changed"
    );
    assert_eq!(on_disk["settings"]["fontSize"], 15);
    // The agent's set moved into the demo workspace's prefs as it was, then left the settings.
    let prefs: serde_json::Value = serde_json::from_slice(&std::fs::read(
        dirs.data().join("agents").join("demo.prefs.json"),
    )?)?;
    assert_eq!(
        prefs["patternSets"]["incident_manager"],
        newer["settings"]["agentTools"]["incident_manager"],
        "{prefs}"
    );
    assert!(
        on_disk["settings"].get("agentTools").is_none(),
        "handed over to the workspace: {on_disk}"
    );

    // The Tools panel edits that set for the agent: the migrated one, saved, not Port's.
    app.click("nav-tools").await?;
    app.wait_until("the matcher's first result", STREAM_TIMEOUT, || async {
        let text = app.text("match-summary").await?;
        Ok(text.contains(" available").then_some(()))
    })
    .await?;
    app.select("pattern-set-target", "incident_manager").await?;
    let rows = "return [...document.querySelectorAll('[data-testid=\"pattern-row\"] .cm-content')].map(e => e.textContent);";
    app.wait_until("the agent's migrated set shown", STREAM_TIMEOUT, || async {
        let shown = app.eval(rows).await?;
        Ok((shown == serde_json::json!(["^run_.*", "^list_entities$"])).then_some(()))
    })
    .await?;
    assert_eq!(app.text("pattern-set-state").await?, "Saved");
    let checks = app
        .eval("return [...document.querySelectorAll('[data-testid=\"check\"]')].map(e => e.textContent);")
        .await?;
    assert!(
        checks.to_string().contains("run_deploy_service"),
        "the migrated check: {checks}"
    );
    // The save bar (which agent, "Saved") sits below the patterns: in view for the screenshot.
    app.eval(
        "document.querySelector('[data-testid=\"pattern-set-target\"]')\
         .scrollIntoView({block: 'center'}); return null;",
    )
    .await?;
    app.painted_screenshot("08-migrated-agent-pattern-set")
        .await?;

    app.click("nav-settings").await?;
    app.wait_for("theme-select", STREAM_TIMEOUT).await?;
    // Not `App::select`: this select shows the saved theme, so it reads "system" until Rust answers.
    app.eval(
        "const s = document.querySelector('[data-testid=\"theme-select\"]');\
         s.value = 'dark'; s.dispatchEvent(new Event('change', { bubbles: true })); return null;",
    )
    .await?;
    let on_disk = settings_once(&app, &path, ("theme", "dark")).await?;
    assert_eq!(on_disk["settings"]["fontSize"], 15);
    assert_eq!(on_disk["windowState"], newer["windowState"]);
    app.wait_until("the dark theme shown", STREAM_TIMEOUT, || async {
        let theme = app
            .eval("return document.documentElement.dataset.theme ?? null;")
            .await?;
        Ok((theme == "dark").then_some(()))
    })
    .await?;
    app.painted_screenshot("07-newer-settings-dark").await?;
    app.quit().await
}

/// A profile with a known secret, created through the app and through the CLI and used by both:
/// afterwards no file under the data, config and cache directories, and no log line, holds it.
/// Multi-threaded: the CLI runs as a blocking child process while port-mock serves it from here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_never_reach_a_file_or_a_log() -> Result<()> {
    let secret = format!("pd-canary-{}-secret", std::process::id());
    let server = port_mock::MockServer::start(port_mock::MockConfig {
        client_secret: secret.clone(),
        ..port_mock::MockConfig::default()
    })
    .await?;
    let url = server.base_url();
    let dirs = Dirs::new()?;
    let namespace = format!("dev.portdesk.e2e.{}", std::process::id());
    let env = [("PORTDESK_KEYCHAIN_NAMESPACE", namespace.as_str())];

    // Through the app: onboarding's connect form.
    let app = App::launch(&dirs, &[], &env).await?;
    app.click("onboarding-connect").await?;
    app.type_into("profile-name", "work").await?;
    app.select("profile-region", "custom").await?;
    app.type_into("profile-base-url", &url).await?;
    app.type_into("profile-client-id", "demo-client-id").await?;
    app.type_into("profile-client-secret", &secret).await?;
    // Tested before it is saved: the typed credentials go to Port, not to the keychain.
    app.click("profile-test").await?;
    let result = app.wait_for("profile-test-result", STREAM_TIMEOUT).await?;
    assert_eq!(result.attr("data-ok").await?.as_deref(), Some("true"));
    app.click("profile-save").await?;
    app.wait_for("prompt-input", STREAM_TIMEOUT).await?;
    app.ask("What services do we have?").await?;
    app.wait_for_run_status("completed", STREAM_TIMEOUT).await?;
    app.screenshot("06-profile-connected").await?;
    app.quit().await?;

    // Through the CLI: the secret from stdin, never argv.
    let mut child = Command::new(cli_binary())
        .args([
            "profile",
            "add",
            "cli",
            "--base-url",
            &url,
            "--client-id",
            "demo-client-id",
        ])
        .envs(dirs.env())
        .envs(env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(format!("{secret}\n").as_bytes())?;
    let added = child.wait_with_output()?;
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let used = Command::new(cli_binary())
        .args(["--profile", "cli", "invoke", "--json", "hello"])
        .envs(dirs.env())
        .envs(env)
        .output()?;
    assert!(
        used.status.success(),
        "{}",
        String::from_utf8_lossy(&used.stderr)
    );
    for output in [&added, &used] {
        for stream in [&output.stdout, &output.stderr] {
            assert!(
                !String::from_utf8_lossy(stream).contains(&secret),
                "the CLI printed the secret"
            );
        }
    }

    // The secret was used (the server saw it in the token exchange) ...
    let exchanges = server
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/auth/access_token")
        .count();
    assert!(
        exchanges >= 2,
        "both the app and the CLI exchanged the secret"
    );
    // ... and lives in no file, log or cache.
    let files = dirs.all_files()?;
    assert!(
        files.iter().any(|(p, _)| p.ends_with("profiles.json")),
        "profiles were saved"
    );
    for (path, bytes) in &files {
        let haystack = String::from_utf8_lossy(bytes);
        assert!(
            !haystack.contains(&secret),
            "the secret leaked into {}",
            path.display()
        );
    }

    // Clean the test's keychain entries.
    for name in ["work", "cli"] {
        let _ = Command::new(cli_binary())
            .args(["profile", "remove", name])
            .envs(dirs.env())
            .envs(env)
            .output();
    }
    Ok(())
}
