//! Whether the writer that left an invocation streaming is still alive.
//!
//! Each writer holds an exclusive advisory lock on its own file under `<history>.writers/` for as
//! long as it runs. The kernel drops the lock when the process dies, however it dies (`kill -9`
//! included), and the app and the CLI each have their own file, so an opener can tell a dead
//! writer's streams (lock free: mark them interrupted) from a live one's (lock held: leave them).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{HistoryError, Result};

pub(crate) struct WriterLock {
    _file: File,
    path: PathBuf,
    pub token: String,
}

pub(crate) fn lock_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".writers");
    db.with_file_name(name)
}

fn lock_path(dir: &Path, token: &str) -> Option<PathBuf> {
    // Tokens come from the database: only a plain UUID may become a file name.
    let safe = !token.is_empty()
        && token.len() <= 64
        && token.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    safe.then(|| dir.join(format!("{token}.lock")))
}

impl WriterLock {
    pub fn acquire(db: &Path) -> Result<Self> {
        let dir = lock_dir(db);
        std::fs::create_dir_all(&dir)
            .map_err(|e| HistoryError::io(format!("create {}", dir.display()), e))?;
        let token = uuid::Uuid::new_v4().to_string();
        let path = lock_path(&dir, &token).ok_or_else(|| {
            HistoryError::InvalidInput("a writer token is not a UUID".to_string())
        })?;
        let mut file = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)
            .map_err(|e| HistoryError::io(format!("create {}", path.display()), e))?;
        file.try_lock().map_err(|e| {
            let source = match e {
                TryLockError::Error(err) => err,
                TryLockError::WouldBlock => std::io::Error::other("already locked"),
            };
            HistoryError::io(format!("lock {}", path.display()), source)
        })?;
        // The pid is for people looking at the directory; the lock is what counts.
        let _ = writeln!(file, "{}", std::process::id());
        Ok(Self {
            _file: file,
            path,
            token,
        })
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `true` while the writer with this token holds its lock. A missing file means it stopped.
pub(crate) fn is_alive(db: &Path, token: &str) -> bool {
    let Some(path) = lock_path(&lock_dir(db), token) else {
        return false;
    };
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(_) => return false,
    };
    match file.try_lock() {
        Ok(()) => false,
        Err(TryLockError::WouldBlock) => true,
        // Locks unsupported here (an odd filesystem): never declare a possibly live writer dead.
        Err(TryLockError::Error(_)) => true,
    }
}

/// Removes the lock file of a writer known to be dead.
pub(crate) fn forget(db: &Path, token: &str) {
    if let Some(path) = lock_path(&lock_dir(db), token) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_alive_and_a_released_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("h.sqlite");
        let lock = WriterLock::acquire(&db).unwrap();
        let token = lock.token.clone();
        assert!(is_alive(&db, &token));
        drop(lock);
        assert!(!is_alive(&db, &token));
        assert!(!is_alive(&db, "../../etc/passwd"));
    }
}
