//! Printing: JSON lines, errors and the process exit status.

use std::io::Write;

use credentials::CredentialsError;
use history::HistoryError;
use port_api::{ErrorCode, PortError};
use secrets::KeychainError;
use serde_json::Value;

/// An error that ends the CLI: Port's, a profile's, or a usage error found before anything was
/// sent.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Port(#[from] PortError),
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    History(#[from] HistoryError),
}

impl From<KeychainError> for CliError {
    fn from(err: KeychainError) -> Self {
        Self::Credentials(err.into())
    }
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Port(err) => exit_code_for(err.code),
            CliError::Credentials(err) => credentials_exit_code(&err.code),
            CliError::History(HistoryError::Port(err)) => exit_code_for(err.code),
            CliError::History(err) => match err.code() {
                "invalid_input" => 2,
                _ => 1,
            },
        }
    }

    pub fn print(&self) {
        match self {
            CliError::Port(err) => print_error(err),
            CliError::Credentials(err) => eprintln!("error[{}]: {}", err.code, err.message),
            CliError::Usage(message) => eprintln!("error: {message}"),
            CliError::History(HistoryError::Port(err)) => print_error(err),
            CliError::History(err) => eprintln!("error[{}]: {err}", err.code()),
        }
    }
}

/// Profile errors that are really Port's keep Port's exit code; a profile that does not exist or
/// cannot be saved as asked is a usage error; a missing secret is an auth failure.
fn credentials_exit_code(code: &str) -> u8 {
    if let Ok(port) = serde_json::from_value::<ErrorCode>(Value::String(code.to_string())) {
        return exit_code_for(port);
    }
    match code {
        "profile_not_found" | "profile_exists" | "invalid_profile" => 2,
        "secret_missing" => 4,
        _ => 1,
    }
}

/// Stable exit codes: 0 success, 1 failure, 2 usage, 3 interrupted, 4 auth, 5 rate/quota, 130
/// cancelled (as a shell reports Ctrl-C).
pub fn exit_code_for(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::Cancelled => 130,
        ErrorCode::StreamInterrupted => 3,
        ErrorCode::AuthFailed | ErrorCode::PermissionDenied => 4,
        ErrorCode::RateLimited | ErrorCode::QuotaExceeded => 5,
        ErrorCode::InvalidRequest => 2,
        _ => 1,
    }
}

pub fn json_line(value: &Value) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not worth a panic; the next write fails the same way.
    let _ = serde_json::to_writer(&mut out, value);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// One JSON line into `out`, unflushed: the caller decides when a batch of lines goes out.
pub fn write_json_line(out: &mut impl Write, value: &impl serde::Serialize) {
    // A closed pipe (`| head`) is not worth a panic; the next write fails the same way.
    let _ = serde_json::to_writer(&mut *out, value);
    let _ = out.write_all(b"\n");
}

pub fn print_error(err: &PortError) {
    let mut line = format!("error[{}]: {}", err.code, err.message);
    if let Some(secs) = err.retry_after_secs {
        line.push_str(&format!(" (retry in {secs} s)"));
    }
    if let Some(reset) = &err.reset_date {
        line.push_str(&format!(" (quota resets {reset})"));
    }
    if let Some(trace) = &err.trace_id {
        line.push_str(&format!(" [trace id {trace}]"));
    }
    eprintln!("{line}");
}

/// One line, at most `max` characters, for a terminal.
pub fn shorten(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_errors_have_stable_exit_codes() {
        assert_eq!(credentials_exit_code("profile_not_found"), 2);
        assert_eq!(credentials_exit_code("invalid_request"), 2);
        assert_eq!(credentials_exit_code("secret_missing"), 4);
        assert_eq!(credentials_exit_code("auth_failed"), 4);
        assert_eq!(credentials_exit_code("keychain_locked"), 1);
    }

    #[test]
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("a\nb", 10), "a b");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
