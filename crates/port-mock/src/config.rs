use std::time::Duration;

/// How a [`crate::MockServer`] behaves; the defaults suit tests (no pacing, ephemeral port).
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// 0 picks an ephemeral port.
    pub port: u16,
    /// Pause between SSE events; bench scenarios ignore it.
    pub event_delay: Duration,
    pub token_ttl_secs: u64,
    pub client_id: String,
    pub client_secret: String,
    pub monthly_limit: u64,
    pub rate_max_requests: u64,
    pub rate_max_tokens: u64,
    /// Plays an organisation on its own LLM provider: Port meters nothing, so `done` carries no
    /// figures and the quota endpoint reports no monthly quota.
    pub own_llm_provider: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            port: 0,
            event_delay: Duration::ZERO,
            token_ttl_secs: 10_800,
            client_id: "demo-client-id".to_owned(),
            client_secret: "demo-client-secret".to_owned(),
            monthly_limit: 500,
            rate_max_requests: 200,
            rate_max_tokens: 500_000,
            own_llm_provider: false,
        }
    }
}

impl MockConfig {
    /// Paced so that a person watching the demo sees the answer arrive piece by piece.
    pub fn demo() -> Self {
        Self {
            event_delay: Duration::from_millis(35),
            ..Self::default()
        }
    }
}
