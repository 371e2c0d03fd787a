//! Port AI client for Portdesk: regions, authentication with an in-memory token cache, invocations
//! as a typed, delta-based event stream, and the other AI endpoints (agents, quota, approval
//! preferences, LLM providers, Port's invocation records).
//!
//! Tauri-free: the desktop shell and `portdesk-cli` both build on it.

mod actions;
mod agents;
mod approvals;
mod auth;
mod client;
mod error;
mod error_body;
mod invocations;
pub mod invoke;
mod lenient;
mod providers;
mod quota;
mod region;

pub use actions::PortAction;
pub use agents::Agent;
pub use approvals::ApprovalPreferences;
pub use auth::Credentials;
pub use client::{ClientOptions, PortClient, MAX_REQUEST_BODY_BYTES};
pub use error::{ErrorCode, PortError, Result};
pub use error_body::RateLimitHeaders;
pub use invocations::{InvocationPage, InvocationResult, PortInvocation};
pub use invoke::{
    ApprovalMode, ChatMode, ExecutionMode, InvocationStatus, InvocationStream, InvokeEvent,
    InvokeRequest, ModelChoice, MonthlyQuotaUsage, RateLimitUsage, Transcript,
    DEFAULT_TOOL_PATTERNS,
};
pub use providers::{LlmDefaults, LlmModel, LlmProvider};
pub use region::{ApiBase, Region};
pub use secrets::Sensitive;
pub use tokio_util::sync::CancellationToken;
