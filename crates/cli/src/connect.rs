//! Building a Port client from the global options, the environment and the saved profiles.

use credentials::{CredentialsError, ProfileStore};
use port_api::{ApiBase, Credentials, ErrorCode, PortClient, PortError, Region};
use secrets::Keychain;

use crate::args::GlobalArgs;
use crate::output::CliError;

/// The client ID and secret come from the environment only: argv is visible to every process on
/// the machine, and lands in shell history.
const CLIENT_ID_ENV: &str = "PORT_CLIENT_ID";
const CLIENT_SECRET_ENV: &str = "PORT_CLIENT_SECRET";

/// The profiles the desktop app sees too: same data directory, same keychain namespace.
pub fn profile_store() -> Result<ProfileStore, CliError> {
    Ok(ProfileStore::open(
        &credentials::data_dir(),
        Keychain::for_this_build()?,
    ))
}

/// Tells the user about a profiles.json that was moved aside or is from a newer Portdesk.
pub fn print_notice(store: &ProfileStore) {
    if let Some(notice) = store.load_notice() {
        eprintln!("warning: {notice}");
    }
}

pub fn client(global: &GlobalArgs) -> Result<PortClient, CliError> {
    client_and_profile(global).map(|(client, _)| client)
}

/// The client, and the name of the profile it came from (the named or the default one).
pub fn client_and_profile(global: &GlobalArgs) -> Result<(PortClient, Option<String>), CliError> {
    let (profile_base, credentials, profile) = credentials(global)?;
    // An explicit --base-url or --region beats the profile's target.
    let base = match (&global.base_url, &global.region) {
        (Some(url), _) => ApiBase::custom(url)?,
        (None, Some(region)) => ApiBase::region(region.parse::<Region>()?),
        (None, None) => profile_base.unwrap_or_else(|| ApiBase::region(Region::Eu)),
    };
    Ok((PortClient::new(base, credentials)?, profile))
}

type Connected = (Option<ApiBase>, Credentials, Option<String>);

/// First match wins: --token / PORT_ACCESS_TOKEN, --profile, PORT_CLIENT_ID + PORT_CLIENT_SECRET,
/// the default profile. A profile also brings its target.
fn credentials(global: &GlobalArgs) -> Result<Connected, CliError> {
    if let Some(token) = global.token.as_deref().filter(|t| !t.trim().is_empty()) {
        if let Some(name) = &global.profile {
            eprintln!("warning: ignoring --profile {name}: --token (or PORT_ACCESS_TOKEN) takes precedence");
        }
        return Ok((None, Credentials::access_token(token.trim()), None));
    }
    if let Some(name) = &global.profile {
        let store = profile_store()?;
        let connected = store.connect(name);
        print_notice(&store);
        return from_profile(connected, name.clone());
    }
    let id = std::env::var(CLIENT_ID_ENV).ok().filter(|v| !v.is_empty());
    let secret = std::env::var(CLIENT_SECRET_ENV)
        .ok()
        .filter(|v| !v.is_empty());
    match (id, secret) {
        (Some(id), Some(secret)) => {
            return Ok((None, Credentials::client_secret(id, secret), None))
        }
        (Some(_), None) => {
            return Err(PortError::new(
                ErrorCode::AuthFailed,
                format!("{CLIENT_ID_ENV} is set but {CLIENT_SECRET_ENV} is not"),
            )
            .into())
        }
        _ => {}
    }
    let store = profile_store()?;
    let connected = match store.default_profile() {
        Ok(Some(name)) => Some((store.connect(&name), name)),
        Ok(None) => None,
        Err(err) => Some((Err(err), String::new())),
    };
    print_notice(&store);
    if let Some((connected, name)) = connected {
        return from_profile(connected, name);
    }
    Err(PortError::new(
        ErrorCode::AuthFailed,
        format!(
            "no credentials: pass --token (or set PORT_ACCESS_TOKEN), save a profile with `portdesk-cli profile add` \
             (then use --profile NAME, or make it the default), or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}"
        ),
    )
    .into())
}

fn from_profile(
    connected: Result<(ApiBase, Credentials), CredentialsError>,
    name: String,
) -> Result<Connected, CliError> {
    let (base, credentials) = connected?;
    Ok((Some(base), credentials, Some(name)))
}
