//! The HTTP client every domain module goes through: base URL, auth with one retry on 401, error
//! mapping and JSON decoding.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use secrets::Sensitive;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::{Credentials, TokenSource};
use crate::error::{ErrorCode, PortError, Result};
use crate::error_body;
use crate::region::ApiBase;

/// Port rejects request bodies over 1 MiB with a 413; refusing before sending gives a clearer error
/// and does not spend a request of the rate limit.
pub const MAX_REQUEST_BODY_BYTES: usize = 1024 * 1024;

/// Tunables of a client. The defaults suit Port; tests shorten the polling interval.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    /// Deadline for ordinary JSON requests. Streams have none: an answer may take minutes.
    pub request_timeout: Duration,
    /// Between polls of `GET /v1/ai/invoke/{id}` after a 202.
    pub poll_interval: Duration,
    /// Give up polling after this long.
    pub poll_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(15),
            request_timeout: Duration::from_secs(60),
            poll_interval: Duration::from_secs(1),
            poll_timeout: Duration::from_secs(15 * 60),
        }
    }
}

/// A Port API client. Cheap to clone; clones share the token cache.
#[derive(Clone, Debug)]
pub struct PortClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    base: ApiBase,
    tokens: TokenSource,
    options: ClientOptions,
}

impl PortClient {
    pub fn new(base: ApiBase, credentials: Credentials) -> Result<Self> {
        Self::with_options(base, credentials, ClientOptions::default())
    }

    pub fn with_options(
        base: ApiBase,
        credentials: Credentials,
        options: ClientOptions,
    ) -> Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("portdesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| PortError::new(ErrorCode::Network, format!("HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base,
                tokens: TokenSource::new(credentials),
                options,
            }),
        })
    }

    pub fn base(&self) -> &ApiBase {
        &self.inner.base
    }

    pub(crate) fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// Checks the credentials: exchanges them for a token when they are a client ID and secret.
    pub async fn authenticate(&self) -> Result<()> {
        self.bearer(None).await.map(|_| ())
    }

    async fn bearer(&self, stale: Option<&Sensitive<String>>) -> Result<Sensitive<String>> {
        let url = self.inner.base.join("/v1/auth/access_token");
        self.inner.tokens.bearer(&self.inner.http, url, stale).await
    }

    /// Sends a request with auth; on 401 refreshes the token once and retries once. Returns the
    /// response only when its status is a success; everything else becomes a [`PortError`].
    pub(crate) async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&Value>,
        streaming: bool,
    ) -> Result<reqwest::Response> {
        let encoded = match body {
            Some(value) => Some(encode_body(value)?),
            None => None,
        };
        let url = self.url(path_and_query)?;
        let mut token = self.bearer(None).await?;
        let mut retried = false;
        loop {
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(token.expose());
            if !streaming {
                request = request.timeout(self.inner.options.request_timeout);
            } else {
                request = request.header(reqwest::header::ACCEPT, "text/event-stream");
            }
            if let Some(bytes) = &encoded {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(bytes.clone());
            }
            let response = request
                .send()
                .await
                .map_err(|e| PortError::from_transport(&e))?;
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !retried && self.inner.tokens.can_refresh() {
                retried = true;
                token = self.bearer(Some(&token)).await?;
                continue;
            }
            if status.is_success() {
                return Ok(response);
            }
            return Err(self.error_from(response).await);
        }
    }

    async fn error_from(&self, response: reqwest::Response) -> PortError {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap_or_default();
        let mut err = error_body::from_response(status, &headers, &body);
        if status == 401 {
            err.code = ErrorCode::AuthFailed;
            err.message = if self.inner.tokens.is_raw_token() {
                format!(
                    "Port rejected the access token ({}). Access tokens last 3 hours: generate a new one, or use a client ID and secret.",
                    err.message
                )
            } else {
                format!(
                    "Port rejected the credentials even after a token refresh ({}).",
                    err.message
                )
            };
        }
        err
    }

    fn url(&self, path_and_query: &str) -> Result<url::Url> {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        let mut url = self.inner.base.join(path);
        url.set_query(query);
        Ok(url)
    }

    /// A JSON request whose success body is decoded into `T`.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T> {
        let response = self.send(method, path, body, false).await?;
        let status = response.status().as_u16();
        let trace_id = error_body::trace_id(response.headers());
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| PortError::from_transport(&e))?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            PortError::invalid_response(format!("unreadable answer from {path}: {e}"))
                .with_status(status)
                .with_trace_id(trace_id.clone())
        })?;
        if error_body::is_error_body(&value) {
            return Err(error_body::from_response(status, &headers, &bytes));
        }
        serde_json::from_value(value).map_err(|e| {
            PortError::invalid_response(format!("unexpected answer from {path}: {e}"))
                .with_status(status)
                .with_trace_id(trace_id)
        })
    }

    pub(crate) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.json(Method::GET, path, None).await
    }
}

pub(crate) fn encode_body(value: &Value) -> Result<bytes::Bytes> {
    let bytes = serde_json::to_vec(value)
        .map_err(|e| PortError::invalid_request(format!("cannot encode the request: {e}")))?;
    if bytes.len() > MAX_REQUEST_BODY_BYTES {
        return Err(PortError::invalid_request(format!(
            "the request is {} bytes; Port accepts at most 1 MiB ({MAX_REQUEST_BODY_BYTES} bytes)",
            bytes.len()
        )));
    }
    Ok(bytes::Bytes::from(bytes))
}

/// Percent-encodes one path segment (identifiers may contain characters URLs reserve).
pub(crate) fn segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_bodies_are_refused_before_sending() {
        let big = Value::String("x".repeat(MAX_REQUEST_BODY_BYTES));
        let err = encode_body(&big).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest);
        assert!(err.message.contains("1 MiB"));
    }

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(segment("my agent/x"), "my%20agent%2Fx");
        assert_eq!(segment("ok_id-1.2"), "ok_id-1.2");
    }
}
