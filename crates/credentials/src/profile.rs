//! What a profile is: where it connects ([`Target`]), how it authenticates ([`AuthKind`], with the
//! secret itself in [`Secret`] on the way in), and how it is shown ([`ProfileSummary`]).

use port_api::{ApiBase, PortError, Region};
use secrets::Sensitive;
use serde::{Deserialize, Serialize};

use crate::CredentialsError;

/// Where a profile connects: one of Port's regions, or a custom base URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Target {
    Region {
        region: Region,
        /// The getport.io hosts instead of the port.io ones.
        legacy: bool,
    },
    Custom {
        #[serde(rename = "baseUrl")]
        base_url: String,
    },
}

impl Target {
    pub fn api_base(&self) -> Result<ApiBase, PortError> {
        match self {
            Target::Region {
                region,
                legacy: false,
            } => Ok(ApiBase::region(*region)),
            Target::Region {
                region,
                legacy: true,
            } => Ok(ApiBase::legacy(*region)),
            Target::Custom { base_url } => ApiBase::custom(base_url),
        }
    }

    /// For people: "EU (api.port.io)", "US legacy (api.us.getport.io)", or the custom URL.
    pub fn describe(&self) -> String {
        match self {
            Target::Region { region, legacy } => {
                let name = match region {
                    Region::Eu => "EU",
                    Region::Us => "US",
                };
                let host = region_url(*region, *legacy).trim_start_matches("https://");
                if *legacy {
                    format!("{name} legacy ({host})")
                } else {
                    format!("{name} ({host})")
                }
            }
            Target::Custom { base_url } => base_url.clone(),
        }
    }

    /// The form stored in profiles.json: a custom URL checked and written the way the client will
    /// use it.
    pub(crate) fn normalized(self) -> Result<Self, CredentialsError> {
        let base = self.api_base()?;
        Ok(match self {
            Target::Custom { .. } => Target::Custom {
                base_url: base.as_str().to_string(),
            },
            region => region,
        })
    }
}

fn region_url(region: Region, legacy: bool) -> &'static str {
    if legacy {
        region.legacy_base_url()
    } else {
        region.base_url()
    }
}

/// How a profile authenticates, as stored in profiles.json: no secret here, only which keychain
/// entry holds it (and the client ID, which is not a secret on its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AuthKind {
    ClientSecret {
        #[serde(rename = "clientId")]
        client_id: String,
    },
    AccessToken,
}

impl AuthKind {
    /// The stable name used in [`ProfileSummary::auth`] and in keychain account names.
    pub fn as_str(&self) -> &'static str {
        match self {
            AuthKind::ClientSecret { .. } => "client_secret",
            AuthKind::AccessToken => "access_token",
        }
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            AuthKind::ClientSecret { .. } => "client secret",
            AuthKind::AccessToken => "access token",
        }
    }
}

/// The secret part of a profile, on its way to the keychain. `Debug` shows `<redacted>` for the
/// secret itself.
#[derive(Debug, Clone)]
pub enum Secret {
    ClientSecret {
        client_id: String,
        client_secret: Sensitive<String>,
    },
    AccessToken(Sensitive<String>),
}

impl Secret {
    /// Trims what people paste by accident (surrounding spaces, a newline) and refuses empty parts.
    pub(crate) fn normalized(self) -> Result<Self, CredentialsError> {
        let trimmed = |s: &Sensitive<String>, what: &str| {
            let t = s.expose().trim();
            if t.is_empty() {
                Err(CredentialsError::invalid_request(format!(
                    "The {what} is empty."
                )))
            } else {
                Ok(Sensitive::new(t.to_string()))
            }
        };
        match self {
            Secret::ClientSecret {
                client_id,
                client_secret,
            } => {
                let client_id = client_id.trim().to_string();
                if client_id.is_empty() {
                    return Err(CredentialsError::invalid_request("The client ID is empty."));
                }
                Ok(Secret::ClientSecret {
                    client_id,
                    client_secret: trimmed(&client_secret, "client secret")?,
                })
            }
            Secret::AccessToken(token) => Ok(Secret::AccessToken(trimmed(&token, "access token")?)),
        }
    }

    pub(crate) fn auth_kind(&self) -> AuthKind {
        match self {
            Secret::ClientSecret { client_id, .. } => AuthKind::ClientSecret {
                client_id: client_id.clone(),
            },
            Secret::AccessToken(_) => AuthKind::AccessToken,
        }
    }

    pub(crate) fn value(&self) -> &Sensitive<String> {
        match self {
            Secret::ClientSecret { client_secret, .. } => client_secret,
            Secret::AccessToken(token) => token,
        }
    }
}

/// A profile as the UI and `portdesk-cli profile list` show it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub name: String,
    pub target: Target,
    /// [`Target::describe`].
    pub target_label: String,
    /// "client_secret" or "access_token".
    pub auth: String,
    /// The client ID with its middle hidden ("abcd…wxyz"), for client-secret profiles.
    pub masked_client_id: Option<String>,
    /// Whether the keychain holds the profile's secret (false when the keychain cannot be asked).
    pub configured: bool,
    pub is_default: bool,
}

/// The keychain account holding a profile's secret of the given kind.
pub(crate) fn account(name: &str, auth: &AuthKind) -> String {
    format!("profile/{name}/{}", auth.as_str())
}

pub(crate) const MAX_NAME_CHARS: usize = 64;

/// Checks a profile name: the UI can validate as the user types, the CLI before prompting for a
/// secret. Names end up in keychain account names (`profile/<name>/…`) and on command lines, so they are
/// kept to a small, unambiguous alphabet.
pub fn validate_name(name: &str) -> Result<(), CredentialsError> {
    let count = name.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-');
    if count == 0 || count > MAX_NAME_CHARS {
        return Err(CredentialsError::invalid_profile(format!(
            "A profile name must be 1 to {MAX_NAME_CHARS} characters long."
        )));
    }
    if let Some(bad) = name.chars().find(|c| !allowed(*c)) {
        return Err(CredentialsError::invalid_profile(format!(
            "A profile name may contain only letters, digits, spaces, '_', '.' and '-' (not {bad:?})."
        )));
    }
    if name.trim() != name {
        return Err(CredentialsError::invalid_profile(
            "A profile name cannot start or end with a space.",
        ));
    }
    Ok(())
}

/// Enough of a client ID to tell profiles apart, not enough to copy it.
pub(crate) fn mask_client_id(client_id: &str) -> String {
    let chars: Vec<char> = client_id.chars().collect();
    if chars.len() < 10 {
        return "••••".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_describe_themselves() {
        let region = |region, legacy| Target::Region { region, legacy };
        assert_eq!(region(Region::Eu, false).describe(), "EU (api.port.io)");
        assert_eq!(
            region(Region::Eu, true).describe(),
            "EU legacy (api.getport.io)"
        );
        assert_eq!(region(Region::Us, false).describe(), "US (api.us.port.io)");
        assert_eq!(
            region(Region::Us, true).describe(),
            "US legacy (api.us.getport.io)"
        );
        let custom = Target::Custom {
            base_url: "http://127.0.0.1:9/".into(),
        };
        assert_eq!(custom.describe(), "http://127.0.0.1:9/");
        assert_eq!(
            custom.normalized().unwrap().describe(),
            "http://127.0.0.1:9"
        );
        assert_eq!(
            region(Region::Us, true).api_base().unwrap().as_str(),
            "https://api.us.getport.io"
        );
    }

    #[test]
    fn bad_custom_urls_are_invalid_requests() {
        let err = Target::Custom {
            base_url: "http://example.com".into(),
        }
        .normalized()
        .unwrap_err();
        assert_eq!(err.code, "invalid_request");
    }

    #[test]
    fn serialized_shapes_are_camel_case_and_tagged() {
        let json = serde_json::to_value(Target::Custom {
            base_url: "https://x.example".into(),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "custom", "baseUrl": "https://x.example"})
        );
        let json = serde_json::to_value(Target::Region {
            region: Region::Us,
            legacy: true,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "region", "region": "us", "legacy": true})
        );
        let json = serde_json::to_value(AuthKind::ClientSecret {
            client_id: "id".into(),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "clientSecret", "clientId": "id"})
        );
        assert_eq!(
            serde_json::to_value(AuthKind::AccessToken).unwrap(),
            serde_json::json!({"kind": "accessToken"})
        );
    }

    #[test]
    fn names_are_checked() {
        for good in ["work", "Work EU", "a", "prod_1.2-x", &"x".repeat(64)] {
            assert!(validate_name(good).is_ok(), "{good:?}");
        }
        for bad in [
            "",
            " lead",
            "trail ",
            "a/b",
            "ümlaut",
            "tab\t",
            &"x".repeat(65),
        ] {
            assert_eq!(
                validate_name(bad).unwrap_err().code,
                "invalid_profile",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn client_ids_are_masked() {
        assert_eq!(mask_client_id("abcdefghijwxyz"), "abcd…wxyz");
        assert_eq!(mask_client_id("abcdefghij"), "abcd…ghij");
        assert_eq!(mask_client_id("abcdefghi"), "••••");
        assert_eq!(mask_client_id(""), "••••");
    }

    #[test]
    fn secrets_are_trimmed_checked_and_never_debug_printed() {
        let secret = Secret::ClientSecret {
            client_id: " id ".into(),
            client_secret: Sensitive::new(" hunter2-value\n".into()),
        };
        assert!(!format!("{secret:?}").contains("hunter2"));
        let Secret::ClientSecret {
            client_id,
            client_secret,
        } = secret.normalized().unwrap()
        else {
            panic!("kind changed");
        };
        assert_eq!(client_id, "id");
        assert_eq!(client_secret.expose(), "hunter2-value");
        let empty = Secret::AccessToken(Sensitive::new("  ".into()));
        assert_eq!(empty.normalized().unwrap_err().code, "invalid_request");
    }
}
