//! What the workspace tests share: a store on a real temporary directory, profile keys, and the
//! prefs file as it lies on disk.

// Each test file uses its own part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use agents::{AgentStore, WorkspaceKey};
use serde_json::Value;

pub fn profile(name: &str) -> WorkspaceKey {
    WorkspaceKey::Profile(name.to_string())
}

/// A store on a fresh directory, which lives as long as the returned guard.
pub fn store() -> (tempfile::TempDir, AgentStore) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = AgentStore::new(dir.path());
    (dir, store)
}

pub fn prefs_file(store: &AgentStore, key: &WorkspaceKey) -> PathBuf {
    store.dir().join(format!("{}.prefs.json", key.file_stem()))
}

/// A JSON file as it lies on disk.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("the file")).expect("JSON")
}

/// Writes `value` as the file at `path`, as another Portdesk would have left it.
pub fn write_json(path: &Path, value: Value) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("the directory");
    }
    std::fs::write(path, value.to_string()).expect("the file");
}
