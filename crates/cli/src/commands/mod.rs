pub mod agents;
pub mod invoke;
pub mod providers;
pub mod quota;
pub mod serve_mock;
