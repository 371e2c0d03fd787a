pub mod agents;
pub mod history;
pub mod invoke;
pub mod profile;
pub mod providers;
pub mod quota;
pub mod serve_mock;
