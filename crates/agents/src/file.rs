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

/// Renames a file that could not be read to `<name>.unreadable`, replacing an earlier one, so it
/// can be looked at later; returns where it went. For copies of what Port holds, which are
/// fetched again anyway.
pub(crate) fn move_aside(path: &Path) -> Option<PathBuf> {
    let backup = aside_name(path, 1)?;
    std::fs::rename(path, &backup).ok().map(|()| backup)
}

/// Like `move_aside`, but an earlier copy is never replaced: the next free of `<name>.unreadable`,
/// `<name>.unreadable-2`, ... For the user's own choices, where each damaged copy may hold
/// something they want back.
pub(crate) fn keep_aside(path: &Path) -> Option<PathBuf> {
    let backup = (1..)
        .map_while(|n| aside_name(path, n))
        .find(|candidate| !candidate.exists())?;
    std::fs::rename(path, &backup).ok().map(|()| backup)
}

fn aside_name(path: &Path, n: u32) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    Some(path.with_file_name(match n {
        1 => format!("{name}.unreadable"),
        n => format!("{name}.unreadable-{n}"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_damaged_copy_of_the_users_choices_is_kept() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("work.prefs.json");
        let mut kept = Vec::new();
        for damaged in ["{", "[1,", "nul"] {
            std::fs::write(&path, damaged).expect("written");
            kept.push(keep_aside(&path).expect("moved aside"));
        }
        let names: Vec<_> = kept
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "work.prefs.json.unreadable",
                "work.prefs.json.unreadable-2",
                "work.prefs.json.unreadable-3"
            ]
        );
        assert_eq!(std::fs::read_to_string(&kept[0]).ok().as_deref(), Some("{"));
        assert_eq!(
            std::fs::read_to_string(&kept[2]).ok().as_deref(),
            Some("nul")
        );
        assert!(!path.exists());
    }

    #[test]
    fn a_copy_of_ports_data_takes_one_slot() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("work.cache.json");
        for damaged in ["{", "[1,"] {
            std::fs::write(&path, damaged).expect("written");
            move_aside(&path).expect("moved aside");
        }
        let aside = dir.path().join("work.cache.json.unreadable");
        assert_eq!(std::fs::read_to_string(aside).ok().as_deref(), Some("[1,"));
        assert!(!dir.path().join("work.cache.json.unreadable-2").exists());
    }
}
