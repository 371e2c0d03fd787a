//! [`ProfileStore`]: profiles.json for the non-secret parts, the OS keychain for the secrets.
//!
//! Every operation reads the file again, so the app and `portdesk-cli` (separate processes) always
//! see each other's changes. Within a process, operations run one at a time.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use port_api::{ApiBase, Credentials};
use secrets::{Keychain, KeychainError, Sensitive};

use crate::file::{self, Loaded, ProfilesFile, StoredProfile};
use crate::profile::{account, mask_client_id, validate_name, AuthKind, ProfileSummary, Target};
use crate::{CredentialsError, Secret};

/// Where secrets go. The OS keychain in production; unit tests use an in-memory double so the
/// file logic can be tested on any machine.
pub(crate) trait SecretStore: std::fmt::Debug + Send + Sync {
    fn set(&self, account: &str, secret: &Sensitive<String>) -> Result<(), KeychainError>;
    fn get(&self, account: &str) -> Result<Option<Sensitive<String>>, KeychainError>;
    fn delete(&self, account: &str) -> Result<(), KeychainError>;
}

impl SecretStore for Keychain {
    fn set(&self, account: &str, secret: &Sensitive<String>) -> Result<(), KeychainError> {
        Keychain::set(self, account, secret)
    }
    fn get(&self, account: &str) -> Result<Option<Sensitive<String>>, KeychainError> {
        Keychain::get(self, account)
    }
    fn delete(&self, account: &str) -> Result<(), KeychainError> {
        Keychain::delete(self, account)
    }
}

type SaveFn = fn(&Path, &ProfilesFile) -> Result<(), CredentialsError>;

/// Connection profiles. Cheap to clone; clones share one lock. Calls block (file I/O, keychain):
/// async callers should run them on a blocking thread.
#[derive(Clone, Debug)]
pub struct ProfileStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    dir: PathBuf,
    secrets: Box<dyn SecretStore>,
    save: SaveFn,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    loaded_once: bool,
    notice: Option<Notice>,
}

#[derive(Debug)]
struct Notice {
    text: String,
    /// A file moved aside stays worth telling about after later reads find no file; a file from a
    /// newer Portdesk is only news while it is there.
    sticky: bool,
}

impl ProfileStore {
    /// Profiles in `data_dir`/profiles.json with their secrets in `keychain`. Does no I/O yet.
    pub fn open(data_dir: &Path, keychain: Keychain) -> ProfileStore {
        Self::with_parts(data_dir, Box::new(keychain), file::save)
    }

    pub(crate) fn with_parts(
        data_dir: &Path,
        secrets: Box<dyn SecretStore>,
        save: SaveFn,
    ) -> ProfileStore {
        ProfileStore {
            inner: Arc::new(Inner {
                dir: data_dir.to_path_buf(),
                secrets,
                save,
                state: Mutex::new(State::default()),
            }),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.dir
    }

    /// Something the user should be told about profiles.json: it was unusable and moved aside
    /// (the message names the backup), or it was written by a newer Portdesk and is left alone.
    /// Reads the file if no other call has yet.
    pub fn load_notice(&self) -> Option<String> {
        let mut state = self.state();
        if !state.loaded_once {
            self.load(&mut state);
        }
        state.notice.as_ref().map(|n| n.text.clone())
    }

    /// Each saved profile's name and target, from the file alone: no keychain access, so it is
    /// cheap and never prompts. For what only needs to know which profiles exist.
    pub fn targets(&self) -> Vec<(String, Target)> {
        let mut state = self.state();
        let loaded = self.load(&mut state);
        loaded
            .file
            .profiles
            .iter()
            .map(|p| (p.name.clone(), p.target.clone()))
            .collect()
    }

    /// All profiles. Works without a keychain: `configured` is then false.
    pub fn list(&self) -> Result<Vec<ProfileSummary>, CredentialsError> {
        let mut state = self.state();
        let loaded = self.load(&mut state);
        let default = loaded.file.default_profile.as_deref();
        // After one failure (no keychain, locked) asking again per profile would only repeat it,
        // and on a desktop show one unlock prompt per profile.
        let mut keychain_usable = true;
        Ok(loaded
            .file
            .profiles
            .iter()
            .map(|p| {
                let configured = keychain_usable
                    && match self.inner.secrets.get(&account(&p.name, &p.auth)) {
                        Ok(found) => found.is_some(),
                        Err(_) => {
                            keychain_usable = false;
                            false
                        }
                    };
                summary(p, default == Some(p.name.as_str()), configured)
            })
            .collect())
    }

    /// Adds a profile: the secret goes to the keychain first, then the profile to the file (so a
    /// profile in the file always had its secret stored). The first profile becomes the default.
    pub fn add(
        &self,
        name: &str,
        target: Target,
        secret: Secret,
    ) -> Result<ProfileSummary, CredentialsError> {
        validate_name(name)?;
        let target = target.normalized()?;
        let secret = secret.normalized()?;
        let mut state = self.state();
        let loaded = self.load(&mut state);
        loaded.writable()?;
        if loaded.file.find(name).is_some() {
            return Err(CredentialsError::profile_exists(name));
        }
        let auth = secret.auth_kind();
        let account = account(name, &auth);
        self.inner.secrets.set(&account, secret.value())?;

        let mut file = loaded.file;
        file.profiles.push(StoredProfile {
            name: name.to_string(),
            target,
            auth,
        });
        if file.default_profile.is_none() {
            file.default_profile = Some(name.to_string());
        }
        if let Err(err) = (self.inner.save)(&self.inner.dir, &file) {
            // No profile refers to the secret now: it must not stay behind in the keychain.
            let _ = self.inner.secrets.delete(&account);
            return Err(err);
        }
        self.summary_of(&file, name, true)
    }

    /// Changes a profile's target and, when `secret` is given, its secret (which may switch the
    /// auth kind; the old kind's keychain entry is then removed). With `None` the stored secret
    /// and auth kind stay as they are.
    pub fn update(
        &self,
        name: &str,
        target: Target,
        secret: Option<Secret>,
    ) -> Result<ProfileSummary, CredentialsError> {
        let target = target.normalized()?;
        let secret = secret.map(Secret::normalized).transpose()?;
        let mut state = self.state();
        let loaded = self.load(&mut state);
        let old_auth = match loaded.file.find(name) {
            Some(profile) => profile.auth.clone(),
            None => return Err(not_found(name, &loaded)),
        };
        loaded.writable()?;
        let mut file = loaded.file;
        let new_auth = secret.as_ref().map_or(old_auth.clone(), Secret::auth_kind);
        if let Some(profile) = file.profiles.iter_mut().find(|p| p.name == name) {
            profile.target = target;
            profile.auth = new_auth.clone();
        }

        let Some(secret) = secret else {
            (self.inner.save)(&self.inner.dir, &file)?;
            return self.summary_of(&file, name, self.has_secret(name, &new_auth));
        };
        let new_account = account(name, &new_auth);
        let old_account = account(name, &old_auth);
        // Kept so a failed save can put the keychain back the way the file still describes it.
        let previous = if new_account == old_account {
            self.inner.secrets.get(&new_account)?
        } else {
            None
        };
        self.inner.secrets.set(&new_account, secret.value())?;
        if let Err(err) = (self.inner.save)(&self.inner.dir, &file) {
            let _ = match &previous {
                Some(old) => self.inner.secrets.set(&new_account, old),
                None => self.inner.secrets.delete(&new_account),
            };
            return Err(err);
        }
        if new_account != old_account {
            // The profile no longer uses it; a failure only leaves an unused entry behind.
            let _ = self.inner.secrets.delete(&old_account);
        }
        self.summary_of(&file, name, true)
    }

    /// Removes a profile and its keychain entries. If the keychain cannot be reached the profile
    /// stays, so its secret is never left behind without a profile pointing at it.
    pub fn remove(&self, name: &str) -> Result<(), CredentialsError> {
        let mut state = self.state();
        let loaded = self.load(&mut state);
        if loaded.file.find(name).is_none() {
            return Err(not_found(name, &loaded));
        }
        loaded.writable()?;
        let kinds = [
            AuthKind::ClientSecret {
                client_id: String::new(),
            },
            AuthKind::AccessToken,
        ];
        // Both kinds: an entry of the kind not in use may be left from an earlier switch.
        for kind in kinds {
            self.inner.secrets.delete(&account(name, &kind))?;
        }
        let mut file = loaded.file;
        file.profiles.retain(|p| p.name != name);
        if file.default_profile.as_deref() == Some(name) {
            file.default_profile = file.profiles.first().map(|p| p.name.clone());
        }
        (self.inner.save)(&self.inner.dir, &file)
    }

    pub fn set_default(&self, name: &str) -> Result<(), CredentialsError> {
        let mut state = self.state();
        let loaded = self.load(&mut state);
        if loaded.file.find(name).is_none() {
            return Err(not_found(name, &loaded));
        }
        loaded.writable()?;
        let mut file = loaded.file;
        file.default_profile = Some(name.to_string());
        (self.inner.save)(&self.inner.dir, &file)
    }

    pub fn default_profile(&self) -> Result<Option<String>, CredentialsError> {
        let mut state = self.state();
        Ok(self.load(&mut state).file.default_profile)
    }

    /// What a client needs to talk to Port as this profile; reads the secret from the keychain.
    pub fn connect(&self, name: &str) -> Result<(ApiBase, Credentials), CredentialsError> {
        let mut state = self.state();
        let loaded = self.load(&mut state);
        let Some(profile) = loaded.file.find(name) else {
            return Err(not_found(name, &loaded));
        };
        let base = profile.target.api_base()?;
        let secret = self
            .inner
            .secrets
            .get(&account(name, &profile.auth))?
            .ok_or_else(|| CredentialsError::secret_missing(name, profile.auth.describe()))?;
        let credentials = match &profile.auth {
            AuthKind::ClientSecret { client_id } => Credentials::ClientSecret {
                client_id: client_id.clone(),
                client_secret: secret,
            },
            AuthKind::AccessToken => Credentials::AccessToken(secret),
        };
        Ok((base, credentials))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state is a cache of what to tell the user; one left by a panicking thread is fine.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn load(&self, state: &mut State) -> Loaded {
        let loaded = file::load(&self.inner.dir);
        state.loaded_once = true;
        match &loaded.notice {
            Some(text) => {
                state.notice = Some(Notice {
                    text: text.clone(),
                    sticky: loaded.read_only.is_none(),
                })
            }
            None => {
                if state.notice.as_ref().is_some_and(|n| !n.sticky) {
                    state.notice = None;
                }
            }
        }
        loaded
    }

    fn has_secret(&self, name: &str, auth: &AuthKind) -> bool {
        matches!(self.inner.secrets.get(&account(name, auth)), Ok(Some(_)))
    }

    fn summary_of(
        &self,
        file: &ProfilesFile,
        name: &str,
        configured: bool,
    ) -> Result<ProfileSummary, CredentialsError> {
        let profile = file
            .find(name)
            .ok_or_else(|| CredentialsError::profile_not_found(name))?;
        Ok(summary(
            profile,
            file.default_profile.as_deref() == Some(name),
            configured,
        ))
    }
}

fn summary(profile: &StoredProfile, is_default: bool, configured: bool) -> ProfileSummary {
    ProfileSummary {
        name: profile.name.clone(),
        target: profile.target.clone(),
        target_label: profile.target.describe(),
        auth: profile.auth.as_str().to_string(),
        masked_client_id: match &profile.auth {
            AuthKind::ClientSecret { client_id } => Some(mask_client_id(client_id)),
            AuthKind::AccessToken => None,
        },
        configured,
        is_default,
    }
}

/// Not found, and why the list may look empty when the file is one this version cannot use.
fn not_found(name: &str, loaded: &Loaded) -> CredentialsError {
    let mut err = CredentialsError::profile_not_found(name);
    if let Some(why) = &loaded.read_only {
        err.message.push(' ');
        err.message.push_str(why);
    }
    err
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "store_file_tests.rs"]
mod file_tests;
