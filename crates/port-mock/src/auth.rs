//! Access tokens: issue, reuse, expiry and revocation, and the bearer check every other route uses.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{parse_body, ApiError};
use crate::state::{lock, App};

#[derive(Default)]
pub(crate) struct TokenStore {
    inner: Mutex<Tokens>,
}

#[derive(Default)]
struct Tokens {
    seq: u64,
    /// The one active token of the configured credential set.
    current: Option<String>,
    /// Every token ever issued, with its expiry; foreign tokens are not in here.
    issued: HashMap<String, Instant>,
    revoked: HashSet<String>,
}

impl TokenStore {
    /// The active token and its remaining lifetime in seconds, issuing a new one when none is
    /// active, as Port does for a credential set.
    fn issue(&self, ttl: Duration) -> (String, u64) {
        let now = Instant::now();
        let mut tokens = lock(&self.inner);
        if let Some(current) = &tokens.current {
            if let Some(expires) = tokens.issued.get(current).filter(|e| **e > now) {
                return (current.clone(), (*expires - now).as_secs());
            }
        }
        tokens.seq += 1;
        let token = format!("mock-token-{}", tokens.seq);
        tokens.issued.insert(token.clone(), now + ttl);
        tokens.current = Some(token.clone());
        (token, ttl.as_secs())
    }

    pub(crate) fn expire_all(&self) {
        let now = Instant::now();
        let mut tokens = lock(&self.inner);
        tokens.issued.values_mut().for_each(|e| *e = now);
        tokens.current = None;
    }

    pub(crate) fn revoke(&self, token: &str) {
        lock(&self.inner).revoked.insert(token.to_owned());
    }

    /// Any non-empty token is welcome (so `--token anything` works against the demo server),
    /// except the ones this server issued that expired, and revoked ones.
    fn check(&self, token: &str) -> Result<(), ApiError> {
        let tokens = lock(&self.inner);
        if tokens.revoked.contains(token) {
            return Err(ApiError::Unauthorized(
                "The access token has been revoked".into(),
            ));
        }
        match tokens.issued.get(token) {
            Some(expires) if Instant::now() >= *expires => Err(ApiError::TokenExpired),
            _ => Ok(()),
        }
    }
}

pub(crate) fn authorize(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::Unauthorized("Missing Authorization header".into()))?;
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("Authorization header must be 'Bearer <token>'".into())
        })?;
    app.tokens.check(token)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TokenRequest {
    client_id: String,
    client_secret: String,
}

pub(crate) async fn access_token(
    State(app): State<App>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let request: TokenRequest = parse_body(&body)?;
    let config = &app.config;
    if request.client_id != config.client_id || request.client_secret != config.client_secret {
        return Err(ApiError::InvalidCredentials);
    }
    let (token, expires_in) = app.tokens.issue(Duration::from_secs(config.token_ttl_secs));
    Ok(Json(json!({
        "ok": true,
        "accessToken": token,
        "expiresIn": expires_in,
        "tokenType": "Bearer",
    })))
}
