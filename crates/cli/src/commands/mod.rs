pub mod agents;
pub mod invoke;
pub mod profile;
pub mod providers;
pub mod quota;
pub mod serve_mock;
