//! The person's own side: a folder only they can read (`TEAMLOOP_STATE`, else
//! the platform's state folder), holding what must never be in the shared
//! database. Today that is each person's key to their own anonymous items
//! (see `store::PersonKey`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::person;
use crate::store::PersonKey;

/// The state folder, if the system has one.
pub fn dir() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TEAMLOOP_STATE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("", "", "teamloop")?;
    Some(
        dirs.state_dir()
            .map_or_else(|| dirs.data_local_dir().join("state"), Path::to_path_buf),
    )
}

/// Makes `path` (and its parents) a folder for its owner alone.
pub fn private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

fn key_file(folder: &Path, actor: &str) -> PathBuf {
    let digest = Sha256::digest(person::fold(actor).as_bytes());
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    folder.join("keys").join(name)
}

fn parse_key(text: &str) -> Option<PersonKey> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(PersonKey::from_bytes(bytes))
}

fn read_key(path: &Path) -> std::io::Result<Option<PersonKey>> {
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(256)
        .read_to_string(&mut text)?;
    Ok(parse_key(&text))
}

/// `actor`'s key in `folder`, made on first use. Two terminals starting at
/// once agree on one key: it is written whole under a temporary name and
/// linked into place, and whoever links second reads the first one's.
pub fn key_in(folder: &Path, actor: &str) -> std::io::Result<PersonKey> {
    let path = key_file(folder, actor);
    let keys = path.parent().unwrap_or(folder);
    private_dir(keys)?;
    // A key that others could read (or put there) is no one's own.
    for p in [keys, path.as_path()] {
        if let Some(why) = open_to_others(p) {
            return Err(std::io::Error::other(why));
        }
    }
    if let Some(key) = read_key(&path).ok().flatten() {
        return Ok(key);
    }
    let key = PersonKey::random();
    let hex: String = key.bytes().iter().map(|b| format!("{b:02x}")).collect();
    let tmp = keys.join(format!(".new-{}-{}", std::process::id(), &hex[..8]));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let _ = std::fs::remove_file(&tmp);
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(hex.as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&tmp, &path));
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(key),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_key(&path)?
            .ok_or_else(|| std::io::Error::other(format!("{} is not a key", path.display()))),
        Err(e) => Err(e),
    }
}

/// Why a key folder or file is not its owner's alone, if it is not: it
/// belongs to another user, or others may read or change it.
#[cfg(unix)]
fn open_to_others(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).ok()?;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    if meta.file_type().is_symlink() {
        return Some(format!("{} is a symbolic link", path.display()));
    }
    if meta.uid() != me {
        return Some(format!("{} belongs to another user", path.display()));
    }
    (meta.mode() & 0o077 != 0).then(|| {
        format!(
            "{} is open to others (mode {:o}): make it yours alone (chmod go-rwx)",
            path.display(),
            meta.mode() & 0o777
        )
    })
}

#[cfg(not(unix))]
fn open_to_others(_path: &Path) -> Option<String> {
    None
}

/// `actor`'s key, and a warning when it cannot be kept: their own cards and
/// votes are then theirs only until this session ends.
pub fn person_key(actor: &str) -> (PersonKey, Option<String>) {
    let Some(folder) = dir() else {
        return (
            PersonKey::random(),
            Some("no state folder (set TEAMLOOP_STATE): your own retro cards and votes are known as yours only until you quit".into()),
        );
    };
    match key_in(&folder, actor) {
        Ok(key) => (key, None),
        Err(e) => (
            PersonKey::random(),
            Some(format!(
                "cannot keep your key in {} ({e}): your own retro cards and votes are known as yours only until you quit",
                folder.display()
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let a = key_in(dir.path(), "Ana").unwrap();
        assert_eq!(key_in(dir.path(), " ana ").unwrap(), a);
        assert_ne!(key_in(dir.path(), "ben").unwrap(), a);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = key_file(dir.path(), "ana");
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let folder = std::fs::metadata(file.parent().unwrap()).unwrap();
            assert_eq!(folder.permissions().mode() & 0o777, 0o700);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_key_others_could_read_or_plant_is_not_used() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        key_in(dir.path(), "ana").unwrap();
        let file = key_file(dir.path(), "ana");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = key_in(dir.path(), "ana").unwrap_err().to_string();
        assert!(refused.contains("open to others"), "{refused}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let keys = file.parent().unwrap();
        std::fs::set_permissions(keys, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(
            key_in(dir.path(), "ana").is_err(),
            "a folder anyone may write"
        );
    }

    #[test]
    fn terminals_starting_at_once_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let keys: Vec<PersonKey> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| key_in(&path, "chloe").unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(keys.windows(2).all(|w| w[0] == w[1]));
    }
}
