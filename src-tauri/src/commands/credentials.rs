//! Connection profiles. Secrets come in from the UI once, go straight to the keychain, and never
//! come back out: the UI sees a masked client ID and "configured".

use credentials::{ProfileSummary, Secret, Target, TestReport};
use secrets::Sensitive;
use serde::Deserialize;
use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::connection::ConnectionKind;
use crate::error::AppError;
use crate::events::ConnectionChanged;
use crate::state::AppState;

/// Keychain calls block on D-Bus (and on an unlock prompt on a real desktop): never on the main
/// thread, never on the async workers.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError::new("internal", format!("a background task failed: {e}")))?
}

/// The secret part of a profile as typed in the Settings panel. No `Debug`: it holds a secret.
#[derive(Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SecretInput {
    #[serde(rename_all = "camelCase")]
    ClientSecret {
        client_id: String,
        client_secret: String,
    },
    #[serde(rename_all = "camelCase")]
    AccessToken { token: String },
}

impl SecretInput {
    fn into_secret(self) -> Result<Secret, AppError> {
        match self {
            SecretInput::ClientSecret {
                client_id,
                client_secret,
            } => {
                if client_id.trim().is_empty() || client_secret.trim().is_empty() {
                    return Err(AppError::new(
                        "invalid_profile",
                        "both the client ID and the client secret are needed",
                    ));
                }
                Ok(Secret::ClientSecret {
                    client_id: client_id.trim().to_string(),
                    client_secret: Sensitive::new(client_secret.trim().to_string()),
                })
            }
            SecretInput::AccessToken { token } => {
                if token.trim().is_empty() {
                    return Err(AppError::new(
                        "invalid_profile",
                        "the access token is empty",
                    ));
                }
                Ok(Secret::AccessToken(Sensitive::new(
                    token.trim().to_string(),
                )))
            }
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<Vec<ProfileSummary>, AppError> {
    let profiles = state.profiles.clone();
    blocking(move || Ok(profiles.list()?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_profile(
    state: State<'_, AppState>,
    name: String,
    target: Target,
    secret: SecretInput,
) -> Result<ProfileSummary, AppError> {
    let profiles = state.profiles.clone();
    let secret = secret.into_secret()?;
    blocking(move || Ok(profiles.add(name.trim(), target, secret)?)).await
}

/// Edits a profile; `secret: null` keeps the stored one.
#[tauri::command]
#[specta::specta]
pub async fn update_profile(
    state: State<'_, AppState>,
    name: String,
    target: Target,
    secret: Option<SecretInput>,
) -> Result<ProfileSummary, AppError> {
    let profiles = state.profiles.clone();
    let secret = secret.map(SecretInput::into_secret).transpose()?;
    blocking(move || Ok(profiles.update(&name, target, secret)?)).await
}

/// Removes a profile and its keychain entries, then the files kept for its workspace (saved
/// agents, favourites, request options; its history stays). If it is the open workspace, that
/// closes first, so nothing writes those files again.
#[tauri::command]
#[specta::specta]
pub async fn remove_profile(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> Result<(), AppError> {
    let profiles = state.profiles.clone();
    let removed = name.clone();
    blocking(move || Ok(profiles.remove(&removed)?)).await?;
    let open = state.connection_info().is_some_and(|info| {
        info.kind == ConnectionKind::Profile && info.profile_name.as_deref() == Some(name.as_str())
    });
    if open {
        state.replace_connection(None);
    }
    let forgotten = forget_workspace(&state.agents, name);
    if open {
        let _ = ConnectionChanged { connection: None }.emit(&app);
    }
    forgotten
}

fn forget_workspace(store: &agents::AgentStore, profile: String) -> Result<(), AppError> {
    store
        .forget(&agents::WorkspaceKey::Profile(profile))
        .map_err(|e| AppError::new(e.code(), format!("The profile was removed, but {e}.")))
}

#[tauri::command]
#[specta::specta]
pub async fn set_default_profile(state: State<'_, AppState>, name: String) -> Result<(), AppError> {
    let profiles = state.profiles.clone();
    blocking(move || Ok(profiles.set_default(&name)?)).await
}

/// Tests credentials as typed in a form, before anything is saved: they reach neither the
/// keychain nor a file. Token exchange, then a cheap authenticated call.
#[tauri::command]
#[specta::specta]
pub async fn test_credentials(target: Target, secret: SecretInput) -> Result<TestReport, AppError> {
    let base = target.api_base()?;
    let credentials = match secret.into_secret()? {
        Secret::ClientSecret {
            client_id,
            client_secret,
        } => port_api::Credentials::ClientSecret {
            client_id,
            client_secret,
        },
        Secret::AccessToken(token) => port_api::Credentials::AccessToken(token),
    };
    Ok(credentials::test_connection(base, credentials).await?)
}

/// Token exchange, then a cheap authenticated call; errors keep their specific codes.
#[tauri::command]
#[specta::specta]
pub async fn test_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<TestReport, AppError> {
    let profiles = state.profiles.clone();
    let (base, credentials) = blocking(move || Ok(profiles.connect(&name)?)).await?;
    Ok(credentials::test_connection(base, credentials).await?)
}

#[cfg(test)]
mod tests {
    use port_mock::{MockConfig, MockServer};

    use super::*;

    fn client_secret(secret: &str) -> SecretInput {
        SecretInput::ClientSecret {
            client_id: "demo-client-id".into(),
            client_secret: secret.into(),
        }
    }

    #[tokio::test]
    async fn unsaved_credentials_are_tested_against_port() {
        let server = MockServer::start(MockConfig::default()).await.unwrap();
        let target = Target::Custom {
            base_url: server.base_url(),
        };
        let report = test_credentials(target.clone(), client_secret("demo-client-secret"))
            .await
            .expect("valid credentials pass");
        assert!(report.monthly_limit.is_some());
        assert!(server
            .requests()
            .iter()
            .any(|r| r.path == "/v1/quota/ai-invocations"));

        let err = test_credentials(target, client_secret("wrong"))
            .await
            .expect_err("a wrong secret fails");
        assert_eq!(err.code, "auth_failed");
        assert!(!err.message.contains("wrong"));

        let err = test_credentials(
            Target::Custom {
                base_url: "http://example.com".into(),
            },
            client_secret("x"),
        )
        .await
        .expect_err("plain http off loopback is refused");
        assert_eq!(err.code, "invalid_request");
    }
}
