//! Credentials and the in-memory access token cache.
//!
//! Port tokens live three hours and there is one active token per credential set (asking again
//! before expiry returns the same token with a smaller `expiresIn`). So the token is cached in
//! memory only, refreshed shortly before it expires, and refreshed once more when Port answers 401.

use std::time::{Duration, Instant};

use secrets::Sensitive;
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::error::{ErrorCode, PortError, Result};

/// How a client proves who it is.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Long-lived client ID + secret, exchanged for 3-hour access tokens.
    ClientSecret {
        client_id: String,
        client_secret: Sensitive<String>,
    },
    /// A raw access token (e.g. from the web app's "Generate API token"); cannot be refreshed.
    AccessToken(Sensitive<String>),
}

impl Credentials {
    pub fn client_secret(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::ClientSecret {
            client_id: client_id.into(),
            client_secret: Sensitive::new(client_secret.into()),
        }
    }

    pub fn access_token(token: impl Into<String>) -> Self {
        Self::AccessToken(Sensitive::new(token.into()))
    }
}

/// Refresh this long before Port says the token expires, so a request never races the expiry.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

#[derive(Debug)]
struct CachedToken {
    token: Sensitive<String>,
    refresh_at: Instant,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenResponse {
    access_token: Sensitive<String>,
    expires_in: f64,
}

/// Owns the credentials and the cached token of one client.
#[derive(Debug)]
pub(crate) struct TokenSource {
    credentials: Credentials,
    cached: Mutex<Option<CachedToken>>,
}

impl TokenSource {
    pub(crate) fn new(credentials: Credentials) -> Self {
        Self {
            credentials,
            cached: Mutex::new(None),
        }
    }

    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.credentials, Credentials::ClientSecret { .. })
    }

    pub(crate) fn is_raw_token(&self) -> bool {
        matches!(self.credentials, Credentials::AccessToken(_))
    }

    /// The bearer token to send. `stale` is the token Port just rejected: if the cache still holds
    /// it, a new one is fetched; if another request already refreshed it, the fresh one is reused.
    pub(crate) async fn bearer(
        &self,
        http: &reqwest::Client,
        token_url: url::Url,
        stale: Option<&Sensitive<String>>,
    ) -> Result<Sensitive<String>> {
        let (client_id, client_secret) = match &self.credentials {
            Credentials::AccessToken(token) => return Ok(token.clone()),
            Credentials::ClientSecret {
                client_id,
                client_secret,
            } => (client_id, client_secret),
        };
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref() {
            let rejected = stale.is_some_and(|s| s == &token.token);
            if !rejected && Instant::now() < token.refresh_at {
                return Ok(token.token.clone());
            }
        }
        let fresh = exchange(http, token_url, client_id, client_secret).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }
}

async fn exchange(
    http: &reqwest::Client,
    token_url: url::Url,
    client_id: &str,
    client_secret: &Sensitive<String>,
) -> Result<CachedToken> {
    let body = serde_json::json!({
        "clientId": client_id,
        "clientSecret": client_secret.expose(),
    });
    let response = http
        .post(token_url)
        .json(&body)
        .send()
        .await
        .map_err(|e| PortError::from_transport(&e))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| PortError::from_transport(&e))?;
    if !(200..300).contains(&status) {
        let mut err = crate::error_body::from_response(status, &headers, &bytes);
        if matches!(status, 401 | 403) || err.code == ErrorCode::AuthFailed {
            err.code = ErrorCode::AuthFailed;
            err.message = format!(
                "Port rejected the client ID and secret ({}). Check them under Credentials in Port's web app.",
                err.message
            );
        }
        return Err(err);
    }
    let parsed: TokenResponse = serde_json::from_slice(&bytes).map_err(|e| {
        PortError::invalid_response(format!("unreadable token response: {e}"))
            .with_status(status)
            .with_trace_id(crate::error_body::trace_id(&headers))
    })?;
    let lifetime = Duration::from_secs_f64(parsed.expires_in.clamp(0.0, 365.0 * 24.0 * 3600.0));
    // Short-lived tokens (tests, odd servers) refresh at 90 % of their life instead.
    let margin = REFRESH_MARGIN.min(lifetime / 10);
    Ok(CachedToken {
        token: parsed.access_token,
        refresh_at: Instant::now() + lifetime.saturating_sub(margin),
    })
}
