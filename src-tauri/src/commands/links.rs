use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

use crate::error::AppError;

/// Opens a link in the system browser. Only https: model output is untrusted, and a `file:` or
/// custom-scheme link must not be one click from running something.
#[tauri::command]
#[specta::specta]
pub fn open_external(app: AppHandle, url: String) -> Result<(), AppError> {
    if !is_safe_external(&url) {
        return Err(AppError::new(
            "invalid_request",
            "only https links open outside Portdesk",
        ));
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| AppError::new("open_failed", format!("could not open the browser: {e}")))
}

pub fn is_safe_external(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_with_a_host() {
        assert!(is_safe_external("https://app.port.io/self-serve?runId=1"));
        for bad in [
            "http://app.port.io",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://",
            "portdesk://x",
        ] {
            assert!(!is_safe_external(bad), "{bad}");
        }
    }
}
