//! How the web view paints on Linux.
//!
//! WebKitGTK composites the page with OpenGL. On a machine without a GPU (a VM, a remote desktop,
//! a CI runner under Xvfb) that OpenGL is Mesa's software rasterizer, and compositing in software
//! costs the page's main thread far more than painting without compositing: with it, a fast
//! answer stream blocked the page for 100–300 ms at a time on two cores; without it, 20 ms at
//! most (the Chat end-to-end benchmark). So where no GPU can be used, compositing is turned off,
//! unless the user already decided (`WEBKIT_DISABLE_COMPOSITING_MODE` set, to anything).

use std::ffi::OsStr;

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

/// What to set before the web view starts: the variable to set, or `None` to leave WebKit alone.
fn decide<I, S>(
    user_choice: Option<&OsStr>,
    always_software: Option<&OsStr>,
    dri_entries: I,
) -> Option<(&'static str, &'static str)>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    if user_choice.is_some() || !software_gl_only(always_software, dri_entries) {
        return None;
    }
    Some((COMPOSITING_VAR, "1"))
}

/// Chooses the web view's painting mode for this machine. Call first thing in `main`, while
/// the process has one thread (the environment is not safe to change once others run).
pub fn choose_for_this_machine() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let dri: Vec<_> = std::fs::read_dir("/dev/dri")
        .map(|entries| entries.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    let user_choice = std::env::var_os(COMPOSITING_VAR);
    let always_software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE");
    if let Some((var, value)) = decide(user_choice.as_deref(), always_software.as_deref(), dri) {
        std::env::set_var(var, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    #[test]
    fn without_a_render_node_compositing_is_turned_off() {
        assert_eq!(decide(None, None, NONE), Some((COMPOSITING_VAR, "1")));
        assert_eq!(
            decide(None, None, ["card0", "by-path"]),
            Some((COMPOSITING_VAR, "1"))
        );
    }

    #[test]
    fn a_gpu_keeps_webkits_default() {
        assert_eq!(decide(None, None, ["card0", "renderD128"]), None);
        assert_eq!(decide(None, Some(OsStr::new("0")), ["renderD128"]), None);
    }

    #[test]
    fn mesa_forced_to_software_counts_as_no_gpu() {
        assert_eq!(
            decide(None, Some(OsStr::new("1")), ["renderD128"]),
            Some((COMPOSITING_VAR, "1"))
        );
    }

    #[test]
    fn the_users_own_choice_is_never_overridden() {
        assert_eq!(decide(Some(OsStr::new("0")), None, NONE), None);
        assert_eq!(decide(Some(OsStr::new("1")), None, ["renderD128"]), None);
    }
}
