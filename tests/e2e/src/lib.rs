//! Harness for the end-to-end tests: launches the built app through tauri-driver (which drives
//! WebKitWebDriver) with isolated data, config and cache directories, and wraps the few WebDriver
//! actions the tests need, addressed by `data-testid`.

mod chat;
mod processes;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use processes::{descendants, group_runs, kill_group, pss_kib, vm_rss_kib, APP_PROCESS_NAME};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::{json, Value};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// Directories one app run owns, so nothing leaks between runs or into the developer's home.
pub struct Dirs {
    pub root: tempfile::TempDir,
}

impl Dirs {
    pub fn new() -> Result<Self> {
        let root = tempfile::Builder::new().prefix("portdesk-e2e-").tempdir()?;
        for sub in ["data", "config", "cache", "xdg-data", "log"] {
            std::fs::create_dir_all(root.path().join(sub))?;
        }
        Ok(Self { root })
    }

    pub fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    pub fn log_file(&self) -> PathBuf {
        self.root.path().join("log").join("app.log")
    }

    /// Environment for the app (and the CLI): every place it could write points inside `root`.
    pub fn env(&self) -> Vec<(String, String)> {
        let p = |s: &str| self.root.path().join(s).to_string_lossy().into_owned();
        vec![
            ("PORTDESK_DATA_DIR".into(), p("data")),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_CACHE_HOME".into(), p("cache")),
            ("XDG_DATA_HOME".into(), p("xdg-data")),
        ]
    }

    /// Every file under the directories, with its bytes (for the leak test).
    pub fn all_files(&self) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let mut out = Vec::new();
        collect_files(self.root.path(), &mut out)?;
        Ok(out)
    }
}

fn collect_files(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect_files(&entry.path(), out)?;
        } else if kind.is_file() {
            // Sockets and the like are skipped; a file that vanished meanwhile too.
            if let Ok(bytes) = std::fs::read(entry.path()) {
                out.push((entry.path(), bytes));
            }
        }
    }
    Ok(())
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The app built by scripts/test.sh (`cargo build -p portdesk --features custom-protocol`).
pub fn app_binary() -> PathBuf {
    std::env::var_os("PORTDESK_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/portdesk"))
}

pub fn cli_binary() -> PathBuf {
    std::env::var_os("PORTDESK_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/portdesk-cli"))
}

pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("tests/screenshots")
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// How a test profile signs in to Port.
pub enum Login<'a> {
    ClientSecret { id: &'a str, secret: &'a str },
    AccessToken(&'a str),
}

/// A running app under WebDriver.
pub struct App {
    pub client: Client,
    driver: Child,
    /// When the session was requested: the app process starts right after.
    pub launched_at: Instant,
}

impl App {
    pub async fn launch(dirs: &Dirs, args: &[&str], extra_env: &[(&str, &str)]) -> Result<App> {
        let binary = app_binary();
        if !binary.exists() {
            return Err(format!(
                "{} is missing: build it with scripts/test.sh (cargo build -p portdesk --features custom-protocol)",
                binary.display()
            )
            .into());
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dirs.log_file())?;
        let mut command = Command::new("tauri-driver");
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        for (k, v) in dirs.env() {
            command.env(k, v);
        }
        for (k, v) in extra_env {
            command.env(k, v);
        }
        // Its own process group: tauri-driver starts WebKitWebDriver, which starts the app, and
        // killing tauri-driver alone left WebKitWebDriver running after every test.
        command.process_group(0);
        let mut driver = command.spawn().map_err(|e| {
            format!(
                "cannot start tauri-driver ({e}): scripts/test.sh installs it with cargo install"
            )
        })?;
        wait_for_port(port, Duration::from_secs(20)).await?;

        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("wry"));
        caps.insert(
            "tauri:options".into(),
            json!({ "application": binary, "args": args }),
        );
        let launched_at = Instant::now();
        let client = match ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => client,
            Err(err) => {
                kill_group(&mut driver);
                return Err(format!("WebDriver session failed: {err}").into());
            }
        };
        Ok(App {
            client,
            driver,
            launched_at,
        })
    }

    fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    pub async fn find(&self, testid: &str) -> Result<Element> {
        Ok(self.client.find(Locator::Css(&Self::css(testid))).await?)
    }

    pub async fn find_all(&self, testid: &str) -> Result<Vec<Element>> {
        Ok(self
            .client
            .find_all(Locator::Css(&Self::css(testid)))
            .await?)
    }

    /// Waits until an element with this test id is present.
    pub async fn wait_for(&self, testid: &str, timeout: Duration) -> Result<Element> {
        Ok(self
            .client
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(&Self::css(testid)))
            .await
            .map_err(|e| {
                format!("[data-testid={testid}] did not appear within {timeout:?}: {e}")
            })?)
    }

    pub async fn click(&self, testid: &str) -> Result<()> {
        eprintln!("e2e: click {testid}");
        // An element just rendered can be found before it can take a click (still being laid
        // out, or scrolled while the transcript follows a stream): those refusals are retried.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let element = self.wait_for(testid, Duration::from_secs(10)).await?;
            match element.click().await {
                Ok(_) => return Ok(()),
                Err(err)
                    if Instant::now() < deadline
                        && (err.is_element_not_interactable()
                            || matches!(&err, CmdError::Standard(w) if w.error == ErrorStatus::ElementClickIntercepted)
                            || err.is_stale_element_reference()) =>
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => return Err(format!("click [data-testid={testid}]: {err}").into()),
            }
        }
    }

    /// Replaces an input's text with key presses. WebDriver's Clear empties the field behind
    /// React's back: a re-render before the first key put the old text back, and the keys were
    /// appended to it (a flaky filter in CI). Ctrl+A and Backspace go through the input event
    /// React listens to.
    pub async fn type_into(&self, testid: &str, text: &str) -> Result<()> {
        const CONTROL: char = '\u{E009}';
        const BACKSPACE: char = '\u{E003}';
        eprintln!("e2e: type into {testid}");
        let element = self.wait_for(testid, Duration::from_secs(10)).await?;
        // Control is sticky in Send Keys: the second one lets it go.
        element
            .send_keys(&format!("{CONTROL}a{CONTROL}{BACKSPACE}{text}"))
            .await?;
        let typed = self
            .wait_until(
                &format!("[data-testid={testid}] to hold what was typed"),
                Duration::from_secs(5),
                || async {
                    let value = element.prop("value").await?.unwrap_or_default();
                    Ok((value == text).then_some(()))
                },
            )
            .await;
        if typed.is_err() {
            let value = element.prop("value").await?.unwrap_or_default();
            return Err(format!("[data-testid={testid}] holds {value:?}, not {text:?}").into());
        }
        Ok(())
    }

    /// Empties an input with Backspace, so React sees the change (WebDriver's Clear does not fire
    /// the input event React listens to).
    pub async fn clear_input(&self, testid: &str) -> Result<()> {
        const BACKSPACE: char = '\u{E003}';
        const END: char = '\u{E010}';
        let input = self.find(testid).await?;
        let length = input
            .prop("value")
            .await?
            .unwrap_or_default()
            .chars()
            .count();
        let keys: String = std::iter::repeat_n(BACKSPACE, length).collect();
        input.click().await?;
        input.send_keys(&format!("{END}{keys}")).await?;
        Ok(())
    }

    /// Key presses as a keyboard sends them, to whatever has the focus (WebKitWebDriver does not
    /// type into a content-editable element through Element Send Keys).
    pub async fn press(&self, keys: &str) -> Result<()> {
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Replaces the text of the CodeMirror editor inside `testid` with real key presses: focus,
    /// Ctrl+A, Backspace, then `text` key by key (the editor's own typing aids apply).
    pub async fn retype_code(&self, testid: &str, text: &str) -> Result<()> {
        const CONTROL: char = '\u{E009}';
        const BACKSPACE: char = '\u{E003}';
        eprintln!("e2e: type into the editor {testid}");
        self.wait_for(testid, Duration::from_secs(10)).await?;
        let focused = self
            .client
            .execute(
                "const c = document.querySelector(arguments[0] + ' .cm-content');\
                 if (!c) return false;\
                 c.scrollIntoView({block: 'center'});\
                 c.focus();\
                 return document.activeElement === c;",
                vec![json!(Self::css(testid))],
            )
            .await?;
        if focused != json!(true) {
            return Err(format!("no editor to focus in [data-testid={testid}]").into());
        }
        let select_all = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: CONTROL })
            .then(KeyAction::Down { value: 'a' })
            .then(KeyAction::Up { value: 'a' })
            .then(KeyAction::Up { value: CONTROL });
        self.client.perform_actions(select_all).await?;
        self.press(&BACKSPACE.to_string()).await?;
        self.press(text).await
    }

    /// Chooses an option of a native `<select>`. WebKitWebDriver's option click opens a native
    /// popup that never returns under Xvfb, so the value is set and `change` dispatched, which is
    /// what the popup does on a choice.
    pub async fn select(&self, testid: &str, value: &str) -> Result<()> {
        self.wait_for(testid, Duration::from_secs(10)).await?;
        let chosen = self
            .client
            .execute(
                "const s = document.querySelector(arguments[0]);\
                 s.value = arguments[1];\
                 s.dispatchEvent(new Event('change', { bubbles: true }));\
                 return s.value;",
                vec![json!(Self::css(testid)), json!(value)],
            )
            .await?;
        if chosen.as_str() != Some(value) {
            return Err(format!("[data-testid={testid}] has no option {value:?}").into());
        }
        Ok(())
    }

    /// The rendered text (`innerText`). WebKitWebDriver's own Get Element Text answers "" for
    /// some visible elements (an ellipsized inline span), so the page is asked directly.
    pub async fn text(&self, testid: &str) -> Result<String> {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
                vec![json!(Self::css(testid))],
            )
            .await?;
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("no [data-testid={testid}]").into())
    }

    pub async fn attr(&self, testid: &str, name: &str) -> Result<Option<String>> {
        Ok(self.find(testid).await?.attr(name).await?)
    }

    /// Polls `check` until it returns `Some`, or fails after `timeout` with `what`.
    pub async fn wait_until<T, F, Fut>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: F,
    ) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<T>>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            match check().await {
                Ok(Some(value)) => return Ok(value),
                Ok(None) | Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await
                }
                Ok(None) => {
                    return Err(format!("timed out after {timeout:?} waiting for {what}").into())
                }
                Err(err) => return Err(format!("waiting for {what}: {err}").into()),
            }
        }
    }

    pub async fn eval(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Saves a PNG under tests/screenshots (ignored by git) and returns its path.
    ///
    /// Without GL compositing, WebKitWebDriver's capture waits for the web view's next paint,
    /// and a page with nothing left to paint never sends one: the capture hung. A 1 px dot at
    /// 1% opacity changes colour every frame while the capture runs, so a paint always comes.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        self.eval(
            "let dot = document.getElementById('e2e-repaint');             if (!dot) {               dot = document.createElement('div');               dot.id = 'e2e-repaint';               dot.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';               document.documentElement.appendChild(dot);             }             let dark = false;             const tick = () => {               dark = !dark;               dot.style.background = dark ? 'rgba(0,0,0,0.01)' : 'rgba(255,255,255,0.01)';               window.__e2eRepaint = requestAnimationFrame(tick);             };             tick();",
        )
        .await?;
        let captured =
            tokio::time::timeout(Duration::from_secs(30), self.client.screenshot()).await;
        self.eval(
            "cancelAnimationFrame(window.__e2eRepaint);             document.getElementById('e2e-repaint')?.remove();",
        )
        .await?;
        let png = captured.map_err(|_| format!("the screenshot {name} took over 30 s"))??;
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Onboarding's connect form, filled in for a Port at `url` and saved: a profile named
    /// `name` with a client ID and secret, or with an access token.
    pub async fn connect_profile(&self, name: &str, url: &str, login: Login<'_>) -> Result<()> {
        self.click("onboarding-connect").await?;
        self.type_into("profile-name", name).await?;
        self.select("profile-region", "custom").await?;
        self.type_into("profile-base-url", url).await?;
        match login {
            Login::ClientSecret { id, secret } => {
                self.type_into("profile-client-id", id).await?;
                self.type_into("profile-client-secret", secret).await?;
            }
            Login::AccessToken(token) => {
                self.select("profile-auth-kind", "access_token").await?;
                self.type_into("profile-token", token).await?;
            }
        }
        self.click("profile-save").await
    }

    /// A screenshot once the web view has painted what the test just saw: WebKitWebDriver's
    /// capture can lag a frame or more behind the DOM.
    pub async fn painted_screenshot(&self, name: &str) -> Result<PathBuf> {
        // Two frames make WebKit paint; the pause lets the capture catch up with the paint.
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
                vec![],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(600)).await;
        let path = self.screenshot(name).await?;
        eprintln!("e2e: screenshot {}", path.display());
        Ok(path)
    }

    /// Cold start to first paint: the app reports it once the UI has painted.
    pub async fn first_paint_ms(&self) -> Result<f64> {
        self.wait_until(
            "the first paint figure",
            Duration::from_secs(30),
            || async {
                let value = self
                    .eval(
                        "return (window.__PORTDESK__ && window.__PORTDESK__.firstPaintMs) || null;",
                    )
                    .await?;
                Ok(value.as_f64())
            },
        )
        .await
    }

    /// Resident memory of the app and its web processes, in KiB: each process's RSS, and the
    /// total as PSS (shared pages divided among the processes that map them, so libraries
    /// mapped by all three count once).
    pub fn resident_kib(&self) -> Result<(u64, Vec<(String, u64)>)> {
        let mut processes = Vec::new();
        for pid in descendants(self.driver.id())? {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .unwrap_or_default()
                .trim()
                .to_string();
            // The drivers are test scaffolding, not part of the app.
            if name.contains("WebKitWebDriver") || name.contains("tauri-driver") {
                continue;
            }
            if let (Some(rss), Some(pss)) = (vm_rss_kib(pid), pss_kib(pid)) {
                processes.push((name, rss, pss));
            }
        }
        let total_pss = processes.iter().map(|(_, _, pss)| pss).sum();
        Ok((
            total_pss,
            processes
                .into_iter()
                .map(|(name, rss, _)| (name, rss))
                .collect(),
        ))
    }

    pub async fn quit(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        // The app exits on its own once the session is closed (saving what it keeps); the
        // drivers are stopped only after that, or after 10 s.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && group_runs(&self.driver, APP_PROCESS_NAME) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        kill_group(&mut self.driver);
        closed?;
        Ok(())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

async fn wait_for_port(port: u16, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("tauri-driver did not listen on port {port} within {timeout:?}").into())
}
