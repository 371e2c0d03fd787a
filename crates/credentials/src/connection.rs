//! Checking that a profile works, before the user relies on it.

use port_api::{ApiBase, Credentials, PortClient, PortError};
use serde::Serialize;

/// What a successful connection test learned.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TestReport {
    pub remaining_quota: Option<f64>,
    pub monthly_limit: Option<f64>,
}

/// Authenticates (a token exchange for a client ID and secret), then makes one cheap authenticated
/// call, the quota, which also proves a raw access token is accepted.
pub async fn test_connection(
    base: ApiBase,
    credentials: Credentials,
) -> Result<TestReport, PortError> {
    let client = PortClient::new(base, credentials)?;
    client.authenticate().await?;
    let quota = client.monthly_quota().await?;
    Ok(TestReport {
        remaining_quota: quota.remaining_quota,
        monthly_limit: quota.monthly_limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use port_api::ErrorCode;
    use port_mock::{MockConfig, MockServer};

    async fn mock() -> (MockServer, ApiBase) {
        let server = MockServer::start(MockConfig::default())
            .await
            .expect("mock");
        let base = ApiBase::custom(&server.base_url()).expect("base");
        (server, base)
    }

    #[tokio::test]
    async fn client_secret_and_token_profiles_pass() {
        let (_server, base) = mock().await;
        let report = test_connection(
            base.clone(),
            Credentials::client_secret("demo-client-id", "demo-client-secret"),
        )
        .await
        .expect("client secret");
        assert_eq!(report.monthly_limit, Some(500.0));
        assert!(report.remaining_quota.is_some());
        test_connection(base, Credentials::access_token("any-token"))
            .await
            .expect("access token");
    }

    #[tokio::test]
    async fn a_wrong_secret_is_auth_failed() {
        let (_server, base) = mock().await;
        let err = test_connection(base, Credentials::client_secret("demo-client-id", "wrong"))
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::AuthFailed);
        assert!(!err.message.contains("wrong"));
    }
}
