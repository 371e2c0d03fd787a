//! How the web view paints on Linux.
//!
//! WebKitGTK composites the page with OpenGL. On a machine without a GPU (a VM, a remote desktop,
//! a CI runner under Xvfb) that OpenGL is Mesa's software rasterizer, and the trade depends on the
//! page (the end-to-end benchmarks, two cores):
//! - a fast answer stream in Chat blocked the page for 100–300 ms with compositing, 20 ms at most
//!   without it;
//! - the Tools panel's live matcher at 5,000 tools painted a keystroke's result in 74 ms (median)
//!   with compositing, 141 ms without it (its many editors and rows repaint on the main thread).
//!
//! So where no GPU can be used, compositing is off except while a panel that repaints much of the
//! window at once is shown (`set_compositing`); a user's own `WEBKIT_DISABLE_COMPOSITING_MODE`
//! (set, to anything) is left to WebKit, and so is every machine with a GPU.

use std::ffi::OsStr;

use serde::Serialize;
use tokio::sync::oneshot;

const COMPOSITING_VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether OpenGL here can only be software: Mesa told to render in software, or no DRM render
/// node (`/dev/dri/renderD*`) for it to use.
fn software_gl_only<I, S>(always_software: Option<&OsStr>, dri_entries: I) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    if always_software.is_some_and(|v| !v.is_empty() && v != "0" && v != "false") {
        return true;
    }
    !dri_entries
        .into_iter()
        .any(|name| name.as_ref().to_string_lossy().starts_with("renderD"))
}

/// Whether compositing is switched by panel here: only where GL is software and the user left
/// WebKit's switch alone.
fn switch_by_panel<I, S>(
    user_choice: Option<&OsStr>,
    always_software: Option<&OsStr>,
    dri_entries: I,
) -> bool
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    user_choice.is_none() && software_gl_only(always_software, dri_entries)
}

/// How this machine's web view composites, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// WebKit decides (a GPU, or the user set WebKit's own switch).
    WebKitDefault,
    /// Software GL only: compositing on while a panel asks for it, off otherwise.
    ByPanel,
}

impl Rendering {
    pub fn for_this_machine() -> Self {
        if !cfg!(target_os = "linux") {
            return Self::WebKitDefault;
        }
        let dri: Vec<_> = std::fs::read_dir("/dev/dri")
            .map(|entries| entries.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        let user_choice = std::env::var_os(COMPOSITING_VAR);
        let always_software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE");
        if switch_by_panel(user_choice.as_deref(), always_software.as_deref(), dri) {
            Self::ByPanel
        } else {
            Self::WebKitDefault
        }
    }

    /// Turns compositing on or off for `window`'s web view; nothing where WebKit decides. The
    /// receiver gets what the web view's settings say once the change is made: read back from
    /// WebKit, not assumed.
    pub fn set_compositing(
        self,
        window: &tauri::WebviewWindow,
        on: bool,
    ) -> tauri::Result<oneshot::Receiver<Compositing>> {
        let (tell, now) = oneshot::channel();
        if self != Self::ByPanel {
            let _ = tell.send(Compositing::WebKitDecides);
            return Ok(now);
        }
        #[cfg(target_os = "linux")]
        window.with_webview(move |webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            let Some(settings) = webview.inner().settings() else {
                return;
            };
            settings.set_hardware_acceleration_policy(if on {
                HardwareAccelerationPolicy::Always
            } else {
                HardwareAccelerationPolicy::Never
            });
            let _ = tell.send(match settings.hardware_acceleration_policy() {
                HardwareAccelerationPolicy::Always => Compositing::On,
                HardwareAccelerationPolicy::Never => Compositing::Off,
                _ => Compositing::WebKitDecides,
            });
        })?;
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (window, on);
            let _ = tell.send(Compositing::WebKitDecides);
        }
        Ok(now)
    }
}

/// The web view's compositing as its settings say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Compositing {
    /// WebKit's own policy: this machine is not switched by panel.
    WebKitDecides,
    On,
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    #[test]
    fn without_a_render_node_compositing_follows_the_panel() {
        assert!(switch_by_panel(None, None, NONE));
        assert!(switch_by_panel(None, None, ["card0", "by-path"]));
    }

    #[test]
    fn a_gpu_keeps_webkits_default() {
        assert!(!switch_by_panel(None, None, ["card0", "renderD128"]));
        assert!(!switch_by_panel(
            None,
            Some(OsStr::new("0")),
            ["renderD128"]
        ));
    }

    #[test]
    fn mesa_forced_to_software_counts_as_no_gpu() {
        assert!(switch_by_panel(None, Some(OsStr::new("1")), ["renderD128"]));
    }

    #[test]
    fn the_users_own_choice_is_never_overridden() {
        assert!(!switch_by_panel(Some(OsStr::new("0")), None, NONE));
        assert!(!switch_by_panel(
            Some(OsStr::new("1")),
            None,
            ["renderD128"]
        ));
    }
}
