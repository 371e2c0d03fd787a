//! The open workspace: the demo (port-mock in-process on loopback) or a profile's Port org.

use port_api::{ApiBase, Credentials, PortClient};
use port_mock::{MockConfig, MockServer};
use serde::Serialize;

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    Demo,
    Profile,
}

/// What the UI shows about the open workspace. No credentials, by construction.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionInfo {
    pub kind: ConnectionKind,
    pub profile_name: Option<String>,
    /// "Demo workspace" or "work · EU (api.port.io)".
    pub label: String,
    pub base_url: String,
}

pub struct Connection {
    pub info: ConnectionInfo,
    pub client: PortClient,
    /// Kept alive as long as the demo workspace is open; dropping it stops the server.
    _demo_server: Option<MockServer>,
}

impl Connection {
    pub async fn demo() -> Result<Self, AppError> {
        let server = MockServer::start(MockConfig::demo()).await.map_err(|e| {
            AppError::new(
                "demo_unavailable",
                format!("the demo workspace could not start: {e}"),
            )
        })?;
        let base_url = server.base_url();
        let client = PortClient::new(
            ApiBase::custom(&base_url)?,
            // The demo server accepts any token; this one is not a secret.
            Credentials::access_token("demo-workspace"),
        )?;
        Ok(Self {
            info: ConnectionInfo {
                kind: ConnectionKind::Demo,
                profile_name: None,
                label: "Demo workspace".to_string(),
                base_url,
            },
            client,
            _demo_server: Some(server),
        })
    }

    pub fn profile(
        name: &str,
        target_label: &str,
        base: ApiBase,
        credentials: Credentials,
    ) -> Result<Self, AppError> {
        let base_url = base.as_str().to_string();
        Ok(Self {
            info: ConnectionInfo {
                kind: ConnectionKind::Profile,
                profile_name: Some(name.to_string()),
                label: format!("{name} · {target_label}"),
                base_url,
            },
            client: PortClient::new(base, credentials)?,
            _demo_server: None,
        })
    }
}
