//! Printing: JSON lines, errors and the process exit status.

use std::io::Write;

use port_api::{ErrorCode, PortError};
use serde_json::Value;

/// An error that ends the CLI: Port's, or a usage error found before anything was sent.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Port(#[from] PortError),
    #[error("{0}")]
    Usage(String),
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Port(err) => exit_code_for(err.code),
        }
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
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("a\nb", 10), "a b");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
