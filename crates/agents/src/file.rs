//! Whole-file replacement and moving a bad file aside.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::AgentsError;

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it over
/// `path`: readers see the old file or the new one, never a torn one.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AgentsError> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let failed = |source: std::io::Error| AgentsError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    temp.write_all(bytes).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// Renames a file that could not be read to `<name>.unreadable` (one slot, replaced each time),
/// so it can be looked at later; returns where it went.
pub(crate) fn move_aside(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let backup = path.with_file_name(format!("{name}.unreadable"));
    std::fs::rename(path, &backup).ok().map(|()| backup)
}
