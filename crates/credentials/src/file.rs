//! profiles.json: read tolerantly, written atomically.
//!
//! The file is the user's data: one that cannot be used is moved aside, never deleted, and one
//! written by a newer Portdesk is left alone entirely (this version would drop what it does not
//! understand).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::profile::{validate_name, AuthKind, Target};
use crate::CredentialsError;

pub(crate) const FILE_NAME: &str = "profiles.json";
/// The newest format this version reads and the one it writes.
pub(crate) const VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProfilesFile {
    pub version: u64,
    pub default_profile: Option<String>,
    pub profiles: Vec<StoredProfile>,
}

impl Default for ProfilesFile {
    fn default() -> Self {
        Self {
            version: VERSION,
            default_profile: None,
            profiles: Vec::new(),
        }
    }
}

impl ProfilesFile {
    pub fn find(&self, name: &str) -> Option<&StoredProfile> {
        self.profiles.iter().find(|p| p.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredProfile {
    pub name: String,
    pub target: Target,
    pub auth: AuthKind,
}

/// The outcome of reading the file: always something to work with, plus what the user should be
/// told and whether the file may be written.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub file: ProfilesFile,
    /// Why the file must not be written, when it must not.
    pub read_only: Option<String>,
    pub notice: Option<String>,
}

impl Loaded {
    pub fn writable(&self) -> Result<(), CredentialsError> {
        match &self.read_only {
            Some(why) => Err(CredentialsError::settings_unwritable(why.clone())),
            None => Ok(()),
        }
    }
}

enum Problem {
    Newer(u64),
    Invalid(String),
}

pub(crate) fn path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

pub(crate) fn load(dir: &Path) -> Loaded {
    let bytes = match fs::read(path(dir)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                file: ProfilesFile::default(),
                read_only: None,
                notice: None,
            }
        }
        Err(e) => return move_aside(dir, &format!("it could not be read ({e})")),
    };
    match parse(&bytes) {
        Ok(file) => Loaded {
            file,
            read_only: None,
            notice: None,
        },
        Err(Problem::Invalid(reason)) => move_aside(dir, &reason),
        Err(Problem::Newer(version)) => {
            let why = format!(
                "profiles.json was written by a newer Portdesk (version {version} of the file; this Portdesk reads version {VERSION}). It was left untouched: no profiles are shown and profile changes cannot be saved until you update Portdesk."
            );
            Loaded {
                file: ProfilesFile::default(),
                read_only: Some(why.clone()),
                notice: Some(why),
            }
        }
    }
}

fn parse(bytes: &[u8]) -> Result<ProfilesFile, Problem> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Problem::Invalid(format!("it is not valid JSON ({e})")))?;
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| Problem::Invalid("it has no format version".into()))?;
    if version > VERSION {
        return Err(Problem::Newer(version));
    }
    if version < VERSION {
        return Err(Problem::Invalid(format!(
            "its format version {version} is unknown"
        )));
    }
    let mut file: ProfilesFile = serde_json::from_value(value)
        .map_err(|e| Problem::Invalid(format!("its content has an unexpected shape ({e})")))?;
    for (i, profile) in file.profiles.iter().enumerate() {
        validate_name(&profile.name).map_err(|e| {
            Problem::Invalid(format!("profile {:?} has a bad name: {e}", profile.name))
        })?;
        if file.profiles[..i].iter().any(|p| p.name == profile.name) {
            return Err(Problem::Invalid(format!(
                "the profile name {:?} appears twice",
                profile.name
            )));
        }
    }
    // A default that names no profile is harmless: drop it rather than the whole file.
    if let Some(default) = &file.default_profile {
        if file.find(default).is_none() {
            file.default_profile = None;
        }
    }
    Ok(file)
}

fn move_aside(dir: &Path, reason: &str) -> Loaded {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut backup = dir.join(format!("{FILE_NAME}.corrupt-{secs}"));
    let mut n = 1;
    while backup.exists() {
        backup = dir.join(format!("{FILE_NAME}.corrupt-{secs}-{n}"));
        n += 1;
    }
    match fs::rename(path(dir), &backup) {
        Ok(()) => Loaded {
            file: ProfilesFile::default(),
            read_only: None,
            notice: Some(format!(
                "profiles.json could not be used: {reason}. It was moved aside to {} and Portdesk started with no profiles.",
                backup.display()
            )),
        },
        Err(e) => {
            let why = format!(
                "profiles.json could not be used ({reason}) nor moved aside ({e}): fix or remove {} and try again.",
                path(dir).display()
            );
            Loaded {
                file: ProfilesFile::default(),
                read_only: Some(why.clone()),
                notice: Some(why),
            }
        }
    }
}

/// Writes the whole file through a temporary file in the same directory and a rename, so a crash
/// leaves either the old or the new file, never half of one.
pub(crate) fn save(dir: &Path, file: &ProfilesFile) -> Result<(), CredentialsError> {
    let target = path(dir);
    let fail = |e: &dyn std::fmt::Display| {
        CredentialsError::settings_unwritable(format!(
            "Portdesk could not save {}: {e}. Check that the folder is writable and the disk is not full.",
            target.display()
        ))
    };
    create_dir(dir).map_err(|e| fail(&e))?;
    let mut json = serde_json::to_vec_pretty(file).map_err(|e| fail(&e))?;
    json.push(b'\n');
    let mut builder = tempfile::Builder::new();
    builder.prefix(".profiles.json.").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| fail(&e))?;
    tmp.write_all(&json).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(&target).map_err(|e| fail(&e.error))?;
    // Makes the rename itself durable; failing here loses nothing already written.
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}
