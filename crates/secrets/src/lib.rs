//! Secrets for Portdesk.
//!
//! [`Sensitive`] wraps a value that must never reach a log, a file, the settings store or the UI by
//! accident: its `Debug` and `Display` print `<redacted>` and it refuses to serialize. Reading the
//! value takes an explicit [`Sensitive::expose`], so every place a secret leaves its wrapper is easy
//! to find in review.

mod sensitive;

pub use sensitive::Sensitive;
