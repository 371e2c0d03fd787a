//! IPC commands, one module per domain (the same names as in `ui/src` and `crates/*`).

pub mod agents;
pub mod app;
pub mod approvals;
pub mod credentials;
pub mod history;
pub mod invoke;
pub mod links;
pub mod patterns;
pub mod providers;
pub mod quota;
pub mod resolution;
pub mod settings;
pub mod structured_output;
pub mod workspace;
