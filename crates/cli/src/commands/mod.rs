pub mod agents;
pub mod approvals;
pub mod invoke;
pub mod patterns;
pub mod profile;
pub mod providers;
pub mod quota;
pub mod serve_mock;
