//! Where Port lives: the EU and US regions (current and legacy hosts) or a custom base URL.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::PortError;

/// Port's regions. Port has no discovery endpoint: the user picks the one their org lives in
/// (app.port.io → EU, app.us.port.io → US).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    Eu,
    Us,
}

impl Region {
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Eu => "https://api.port.io",
            Region::Us => "https://api.us.port.io",
        }
    }

    /// The getport.io hosts, still answered by Port for older integrations.
    pub fn legacy_base_url(self) -> &'static str {
        match self {
            Region::Eu => "https://api.getport.io",
            Region::Us => "https://api.us.getport.io",
        }
    }
}

impl std::str::FromStr for Region {
    type Err = PortError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "eu" => Ok(Region::Eu),
            "us" => Ok(Region::Us),
            other => Err(PortError::invalid_request(format!(
                "unknown region {other:?}: expected \"eu\" or \"us\""
            ))),
        }
    }
}

/// The base URL every request is made against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase(Url);

impl ApiBase {
    pub fn region(region: Region) -> Self {
        Self::parse_known(region.base_url())
    }

    pub fn legacy(region: Region) -> Self {
        Self::parse_known(region.legacy_base_url())
    }

    fn parse_known(url: &str) -> Self {
        match Url::parse(url) {
            Ok(url) => Self(url),
            // The region URLs are constants; a failure here is a typo caught by the tests below.
            Err(err) => unreachable!("built-in base URL {url} does not parse: {err}"),
        }
    }

    /// A self-hosted proxy, a test server or the demo workspace. Only http and https are allowed,
    /// and plain http only for loopback, so credentials never cross a network unencrypted.
    pub fn custom(url: &str) -> Result<Self, PortError> {
        let parsed = Url::parse(url.trim())
            .map_err(|e| PortError::invalid_request(format!("invalid base URL {url:?}: {e}")))?;
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(&parsed) => {}
            "http" => {
                return Err(PortError::invalid_request(format!(
                    "refusing plain http to {url}: use https (plain http is only allowed for 127.0.0.1, [::1] and localhost)"
                )))
            }
            other => {
                return Err(PortError::invalid_request(format!(
                    "unsupported scheme {other:?} in base URL {url:?}"
                )))
            }
        }
        if parsed.host_str().is_none() {
            return Err(PortError::invalid_request(format!(
                "base URL {url:?} has no host"
            )));
        }
        Ok(Self(parsed))
    }

    /// Joins an absolute API path (`/v1/...`) onto the base, keeping any path prefix of the base.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        let prefix = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{prefix}{path}"));
        url
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_have_current_and_legacy_hosts() {
        assert_eq!(
            ApiBase::region(Region::Eu)
                .join("/v1/quota/ai-invocations")
                .as_str(),
            "https://api.port.io/v1/quota/ai-invocations"
        );
        assert_eq!(
            ApiBase::region(Region::Us).as_str(),
            "https://api.us.port.io"
        );
        assert_eq!(
            ApiBase::legacy(Region::Eu).as_str(),
            "https://api.getport.io"
        );
        assert_eq!(
            ApiBase::legacy(Region::Us).as_str(),
            "https://api.us.getport.io"
        );
    }

    #[test]
    fn custom_keeps_path_prefix() {
        let base = ApiBase::custom("https://proxy.example.com/port/").unwrap();
        assert_eq!(
            base.join("/v1/ai/invoke").as_str(),
            "https://proxy.example.com/port/v1/ai/invoke"
        );
    }

    #[test]
    fn plain_http_only_on_loopback() {
        assert!(ApiBase::custom("http://127.0.0.1:8080").is_ok());
        assert!(ApiBase::custom("http://localhost:1").is_ok());
        assert!(ApiBase::custom("http://[::1]:1").is_ok());
        let err = ApiBase::custom("http://example.com").unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InvalidRequest);
        assert!(ApiBase::custom("ftp://127.0.0.1").is_err());
        assert!(ApiBase::custom("not a url").is_err());
    }

    #[test]
    fn region_parses_case_insensitively() {
        assert_eq!("EU".parse::<Region>().unwrap(), Region::Eu);
        assert_eq!("us".parse::<Region>().unwrap(), Region::Us);
        assert!("asia".parse::<Region>().is_err());
    }
}
