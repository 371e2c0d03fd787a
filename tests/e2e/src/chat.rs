//! Chat in the real app: sending prompts, reading the turns' state, scrolling the transcript.

use std::time::Duration;

use crate::{App, Result};

impl App {
    /// Types a prompt into Chat's composer and sends it.
    pub async fn ask(&self, prompt: &str) -> Result<()> {
        self.type_into("prompt-input", prompt).await?;
        self.click("send-button").await
    }

    /// How many Chat turns are shown, and the newest run's status.
    pub async fn chat_turns(&self) -> Result<(u64, Option<String>)> {
        let value = self
            .eval(
                "const turns = document.querySelectorAll('article.turn');\
                 const all = document.querySelectorAll('[data-testid=\"run-status\"]');\
                 const status = all.length ? all[all.length - 1] : null;\
                 return [turns.length, status ? status.getAttribute('data-status') : null];",
            )
            .await?;
        Ok((
            value[0].as_u64().unwrap_or(0),
            value[1].as_str().map(str::to_string),
        ))
    }

    /// Waits for `count` Chat turns, the newest with run status `status`.
    pub async fn wait_for_turns(&self, count: u64, status: &str, timeout: Duration) -> Result<()> {
        self.wait_until(
            &format!("{count} turns, the last {status}"),
            timeout,
            || async {
                let (n, s) = self.chat_turns().await?;
                Ok((n == count && s.as_deref() == Some(status)).then_some(()))
            },
        )
        .await
    }

    /// Waits until the newest Chat run has status `wanted`.
    pub async fn wait_for_run_status(&self, wanted: &str, timeout: Duration) -> Result<()> {
        self.wait_until(&format!("a {wanted} run"), timeout, || async {
            let (_, status) = self.chat_turns().await?;
            Ok((status.as_deref() == Some(wanted)).then_some(()))
        })
        .await
    }

    /// Pages the transcript up with the keyboard, as a user does: the transcript takes the focus
    /// (as a click or Tab gives it) and a real Page Up key goes to it. (WebKitWebDriver on GTK
    /// accepts wheel actions but delivers no wheel event to the page.)
    pub async fn page_up_transcript(&self) -> Result<()> {
        const PAGE_UP: char = '\u{E00E}';
        self.eval("document.querySelector('[data-testid=\"chat-scroll\"]').focus(); return null;")
            .await?;
        self.press(&PAGE_UP.to_string()).await
    }

    /// How far the transcript's view is above the end of its content, in pixels.
    pub async fn transcript_below(&self) -> Result<f64> {
        let below = self
            .eval(
                "const v = document.querySelector('[data-testid=\"chat-scroll\"]');\
                 return v.scrollHeight - v.scrollTop - v.clientHeight;",
            )
            .await?;
        below
            .as_f64()
            .ok_or_else(|| "the transcript has no scroll position".into())
    }
}
