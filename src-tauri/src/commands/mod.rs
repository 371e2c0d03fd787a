//! IPC commands, one module per domain (the same names as in `ui/src` and `crates/*`).

pub mod agents;
pub mod app;
pub mod credentials;
pub mod history;
pub mod invoke;
pub mod links;
pub mod quota;
pub mod settings;
pub mod workspace;
