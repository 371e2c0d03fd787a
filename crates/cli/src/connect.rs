//! Building a Port client from the global options and the environment.

use port_api::{ApiBase, Credentials, PortClient, PortError, Region};

use crate::args::GlobalArgs;

/// The client ID and secret come from the environment only: argv is visible to every process on
/// the machine, and lands in shell history.
const CLIENT_ID_ENV: &str = "PORT_CLIENT_ID";
const CLIENT_SECRET_ENV: &str = "PORT_CLIENT_SECRET";

pub fn client(global: &GlobalArgs) -> Result<PortClient, PortError> {
    let base = match (&global.base_url, &global.region) {
        (Some(url), _) => ApiBase::custom(url)?,
        (None, Some(region)) => ApiBase::region(region.parse::<Region>()?),
        (None, None) => ApiBase::region(Region::Eu),
    };
    PortClient::new(base, credentials(global)?)
}

fn credentials(global: &GlobalArgs) -> Result<Credentials, PortError> {
    if let Some(token) = global.token.as_deref().filter(|t| !t.trim().is_empty()) {
        return Ok(Credentials::access_token(token.trim()));
    }
    let id = std::env::var(CLIENT_ID_ENV).ok().filter(|v| !v.is_empty());
    let secret = std::env::var(CLIENT_SECRET_ENV)
        .ok()
        .filter(|v| !v.is_empty());
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Credentials::client_secret(id, secret)),
        (Some(_), None) => Err(PortError::new(
            port_api::ErrorCode::AuthFailed,
            format!("{CLIENT_ID_ENV} is set but {CLIENT_SECRET_ENV} is not"),
        )),
        _ => Err(PortError::new(
            port_api::ErrorCode::AuthFailed,
            format!(
                "no credentials: pass --token (or set PORT_ACCESS_TOKEN), or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}"
            ),
        )),
    }
}
