//! The organisation's agents kept on disk, one small JSON file per workspace, so the agent panel
//! opens at once and works offline (stale-while-revalidate: show the saved list, then refresh it
//! from Port), plus the user's favourites, recently used agents, the request options each
//! agent starts with in Chat and the tool-pattern set saved for each agent, for that workspace.
//!
//! Why files and not the history database: the cache is a disposable copy of what Port holds,
//! and it must work when the history cannot open (a newer version's or a damaged database is
//! left alone and the app works on without it). A damaged cache file is simply moved aside and
//! fetched again; a table in the user's permanent record would tie a throwaway snapshot to the
//! history's migrations. Favourites live beside the cache but in their own file: they are the
//! user's choices, and a damaged cache must never take them along.
//!
//! Nothing here ever sees a credential: the cache is written from the parsed agents only.

mod cache;
mod file;
mod options;
mod pattern_sets;
mod per_agent;
mod prefs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

pub use cache::{AgentsSnapshot, CACHE_FORMAT};
pub use options::RequestOptions;
pub use pattern_sets::{checks_over, CheckExpect, SavedPatternSet, ToolCheck};
pub use per_agent::keep_unknown;
pub use prefs::{AgentPrefs, AgentPrefsView, PREFS_FORMAT, RECENT_LIMIT};

/// The directory under the app's data dir that holds every workspace's agent files.
pub const AGENTS_DIR: &str = "agents";

#[derive(Debug, thiserror::Error)]
pub enum AgentsError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode the agents: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("cannot delete {path}: {source}")]
    Delete {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Request options Port would refuse: nothing is saved.
    #[error("{0}")]
    InvalidOptions(String),
}

impl AgentsError {
    /// The stable code that crosses IPC.
    pub fn code(&self) -> &'static str {
        match self {
            AgentsError::InvalidOptions(_) => "invalid_request",
            _ => "agents_cache_unwritable",
        }
    }
}

/// Which workspace a cache belongs to: the demo, or one profile (by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkspaceKey {
    Demo,
    Profile(String),
}

impl WorkspaceKey {
    /// A file-name-safe stem that maps every profile name to its own file: letters, digits, `-`
    /// and `_` stay, every other byte becomes `~XX`, so two names never share a cache.
    pub fn file_stem(&self) -> String {
        match self {
            WorkspaceKey::Demo => "demo".to_string(),
            WorkspaceKey::Profile(name) => {
                let mut out = String::from("profile-");
                for byte in name.bytes() {
                    if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
                        out.push(char::from(byte));
                    } else {
                        out.push_str(&format!("~{byte:02X}"));
                    }
                }
                out
            }
        }
    }
}

/// The agent files of every workspace, under `<data dir>/agents/`.
pub struct AgentStore {
    dir: PathBuf,
    /// Prefs are read-modify-write: one writer at a time. The lock holds, by workspace file
    /// stem, the notice of a prefs file moved aside this session: the first read after it was
    /// moved finds no file, so every read repeats the notice, whichever command reads first.
    prefs_lock: Mutex<BTreeMap<String, String>>,
}

impl AgentStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join(AGENTS_DIR),
            prefs_lock: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn cache_path(&self, key: &WorkspaceKey) -> PathBuf {
        self.dir.join(format!("{}.cache.json", key.file_stem()))
    }

    fn prefs_path(&self, key: &WorkspaceKey) -> PathBuf {
        self.dir.join(format!("{}.prefs.json", key.file_stem()))
    }

    /// The saved agents of a workspace. Never fails: a missing file is an empty snapshot, and
    /// a damaged or newer-version one is an empty snapshot with a notice (the caller refetches).
    /// `base_url` guards a profile whose address changed: another org's agents are not shown.
    pub fn load(&self, key: &WorkspaceKey, base_url: Option<&str>) -> AgentsSnapshot {
        cache::load(&self.cache_path(key), base_url)
    }

    /// Replaces the saved agents of a workspace (atomically: a crash leaves the old file or the
    /// new one, never half of one).
    pub fn save(
        &self,
        key: &WorkspaceKey,
        base_url: &str,
        agents: &[port_api::Agent],
        fetched_at_ms: i64,
    ) -> Result<AgentsSnapshot, AgentsError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| AgentsError::Write {
            path: self.dir.clone(),
            source,
        })?;
        cache::save(&self.cache_path(key), base_url, agents, fetched_at_ms)
    }

    /// The workspace's favourites and recently used agents (empty when none are saved; a
    /// damaged file is moved aside and reported).
    pub fn prefs(&self) -> PrefsHandle<'_> {
        PrefsHandle { store: self }
    }

    /// Deletes what is kept for a workspace that is gone (a removed profile): its saved agents
    /// (a damaged copy moved aside too: it is only a copy of Port's list) and its prefs. Prefs
    /// moved aside as unreadable stay: they were the user's choices, kept for them to look at.
    pub fn forget(&self, key: &WorkspaceKey) -> Result<(), AgentsError> {
        let mut notices = self
            .prefs_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        notices.remove(&key.file_stem());
        let cache = self.cache_path(key);
        let stale_cache =
            cache.with_file_name(format!("{}.cache.json.unreadable", key.file_stem()));
        for path in [cache, stale_cache, self.prefs_path(key)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(AgentsError::Delete { path, source }),
            }
        }
        Ok(())
    }
}

/// Reads and changes one workspace's favourites and recents under the store's lock.
pub struct PrefsHandle<'a> {
    store: &'a AgentStore,
}

impl PrefsHandle<'_> {
    pub fn get(&self, key: &WorkspaceKey) -> AgentPrefs {
        let mut notices = self
            .store
            .prefs_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut prefs = prefs::load(&self.store.prefs_path(key));
        remember_notice(&mut notices, key, &mut prefs);
        prefs
    }

    pub fn set_favourite(
        &self,
        key: &WorkspaceKey,
        identifier: &str,
        favourite: bool,
    ) -> Result<AgentPrefs, AgentsError> {
        self.change(key, |p| p.set_favourite(identifier, favourite))
    }

    pub fn note_used(
        &self,
        key: &WorkspaceKey,
        identifier: &str,
    ) -> Result<AgentPrefs, AgentsError> {
        self.change(key, |p| p.note_used(identifier))
    }

    /// Remembers Chat's request options for one agent ("" for the general assistant), kept
    /// apart from every other workspace's.
    pub fn save_request_options(
        &self,
        key: &WorkspaceKey,
        agent: &str,
        options: &RequestOptions,
    ) -> Result<AgentPrefs, AgentsError> {
        options.check(agent).map_err(AgentsError::InvalidOptions)?;
        let mut encoded = Ok(());
        let saved = self.change(key, |p| {
            encoded = options::write(&mut p.request_options, agent, options);
        });
        encoded?;
        saved
    }

    /// See `AgentPrefs::adopt_request_options`.
    pub fn adopt_request_options(
        &self,
        key: &WorkspaceKey,
        legacy: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<AgentPrefs, AgentsError> {
        self.change(key, |p| p.adopt_request_options(legacy))
    }

    /// Remembers the tool-pattern set saved for one agent of the workspace, kept apart from
    /// every other workspace's.
    pub fn save_pattern_set(
        &self,
        key: &WorkspaceKey,
        agent: &str,
        set: &SavedPatternSet,
    ) -> Result<AgentPrefs, AgentsError> {
        let mut encoded = Ok(());
        let saved = self.change(key, |p| {
            encoded = pattern_sets::write(&mut p.pattern_sets, agent, set);
        });
        encoded?;
        saved
    }

    /// See `AgentPrefs::adopt_pattern_sets`.
    pub fn adopt_pattern_sets(
        &self,
        key: &WorkspaceKey,
        legacy: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<AgentPrefs, AgentsError> {
        self.change(key, |p| p.adopt_pattern_sets(legacy))
    }

    fn change(
        &self,
        key: &WorkspaceKey,
        edit: impl FnOnce(&mut AgentPrefs),
    ) -> Result<AgentPrefs, AgentsError> {
        let mut notices = self
            .store
            .prefs_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let path = self.store.prefs_path(key);
        let mut current = prefs::load(&path);
        remember_notice(&mut notices, key, &mut current);
        edit(&mut current);
        std::fs::create_dir_all(&self.store.dir).map_err(|source| AgentsError::Write {
            path: self.store.dir.clone(),
            source,
        })?;
        prefs::save(&path, &current)?;
        Ok(current)
    }
}

/// Keeps the notice of a file just moved aside, or gives a later read the one kept earlier.
fn remember_notice(
    notices: &mut BTreeMap<String, String>,
    key: &WorkspaceKey,
    prefs: &mut AgentPrefs,
) {
    match &prefs.notice {
        Some(notice) => {
            notices.insert(key.file_stem(), notice.clone());
        }
        None => prefs.notice = notices.get(&key.file_stem()).cloned(),
    }
}

/// Milliseconds since the Unix epoch, as the cache records refresh times.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_name_gets_its_own_safe_file_stem() {
        assert_eq!(WorkspaceKey::Demo.file_stem(), "demo");
        assert_eq!(
            WorkspaceKey::Profile("work-eu_1".into()).file_stem(),
            "profile-work-eu_1"
        );
        let odd = WorkspaceKey::Profile("../x y".into()).file_stem();
        assert!(
            !odd.contains('/') && !odd.contains('.') && !odd.contains(' '),
            "{odd}"
        );
        assert_ne!(
            WorkspaceKey::Profile("a b".into()).file_stem(),
            WorkspaceKey::Profile("a~20b".into()).file_stem()
        );
        // "demo" the profile is not the demo workspace.
        assert_ne!(WorkspaceKey::Profile("demo".into()).file_stem(), "demo");
    }
}
