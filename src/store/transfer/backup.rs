//! `teamloop backup`: a consistent copy of the live database, safe while
//! others use it, written compact and whole beside its target and renamed
//! into place.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::bad;
use crate::files::{Scratch, clear_stale_side_files, is_sqlite};
use crate::store::{APPLICATION_ID, BACKUP_ID, Result, SqliteStore, StoreError};

/// Why `to` cannot take a backup of the database at `from`, if it cannot:
/// it is the database itself or one of its side files, it is not a
/// regular file, or it is a file that is not an earlier teamloop backup.
fn refuse_target(from: &Path, to: &Path) -> Option<String> {
    let shown = to.display();
    if same_file(from, to) {
        return Some(format!(
            "{shown} is the database itself: back it up to another file"
        ));
    }
    for side in crate::files::side_files(from) {
        if same_file(&side, to) {
            return Some(format!("{shown} is a side file of the database"));
        }
    }
    if let Some(db) = crate::files::side_file_of(to) {
        return Some(format!(
            "{shown} would be a side file of the database {}",
            db.display()
        ));
    }
    let meta = std::fs::symlink_metadata(to).ok()?;
    if meta.file_type().is_symlink() || !meta.is_file() {
        return crate::files::refuse_output(to);
    }
    if meta.len() == 0 {
        return None;
    }
    if crate::files::in_use(to) || crate::files::any_lock(to) {
        return Some(format!(
            "{shown} is open in a program: back up to another file"
        ));
    }
    // Read from the header's bytes: opening it with SQLite would apply
    // side files beside it, which may not be its own.
    match (is_sqlite(to), application_id(to)) {
        (true, Some(BACKUP_ID)) => None,
        (true, Some(APPLICATION_ID)) => Some(format!(
            "{shown} is a teamloop board, not a backup: a backup replaces only an earlier backup"
        )),
        _ => Some(format!(
            "{shown} holds something other than a teamloop backup: back up to a new file (or an earlier backup)"
        )),
    }
}

/// The application id in a SQLite file's header (bytes 68 to 71).
fn application_id(path: &Path) -> Option<i64> {
    use std::io::Read;
    let mut header = [0u8; 72];
    std::fs::File::open(path)
        .ok()?
        .read_exact(&mut header)
        .ok()?;
    Some(i64::from(u32::from_be_bytes([
        header[68], header[69], header[70], header[71],
    ])))
}

/// Whether two paths name one file (the same device and inode).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// A consistent copy of the live database at `to`: one read of one state
/// (`VACUUM INTO`, which others' writes do not disturb), written compact
/// (no freed page, no earlier layout of a page comes along), checked,
/// made the team's only, and renamed into place, so `to` is never half a
/// database. An earlier backup at `to` is replaced; nothing else is.
pub fn backup(store: &SqliteStore, to: &Path) -> Result<()> {
    let from = store.path().to_path_buf();
    if let Some(why) = refuse_target(&from, to) {
        return Err(StoreError::Refused(format!("nothing was written: {why}")));
    }
    let scratch = Scratch::beside(to, "backup");
    crate::files::remove_with_side_files(&scratch.path);
    // Made empty first, for the team only: the copy is written into it.
    crate::files::create_new(&scratch.path).map_err(|e| StoreError::CannotCreate {
        path: to.to_path_buf(),
        reason: e.to_string(),
    })?;
    store
        .connection()
        .execute("VACUUM INTO ?1", [scratch.path.to_string_lossy()])
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::CannotOpen) => StoreError::CannotCreate {
                path: to.to_path_buf(),
                reason: e.to_string(),
            },
            _ => StoreError::from(e),
        })?;
    {
        let copy = Connection::open_with_flags(&scratch.path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(bad(format!("the copy fails its check: {check}")));
        }
        // Marked as a backup: the only kind of file a backup replaces.
        copy.pragma_update(None, "application_id", BACKUP_ID)?;
    }
    let file = std::fs::File::open(&scratch.path).map_err(|e| StoreError::CannotCreate {
        path: to.to_path_buf(),
        reason: e.to_string(),
    })?;
    crate::files::make_team_only(&file, &crate::files::folder_of(to))
        .and_then(|()| file.sync_all())
        .map_err(|e| StoreError::CannotWrite(e.to_string()))?;
    // An earlier backup's side files belong to it, not to the new copy:
    // SQLite would apply them to it. In use, it is refused.
    clear_stale_side_files(to).map_err(|why| {
        StoreError::Refused(format!(
            "nothing was written: {why}: back up to another file"
        ))
    })?;
    std::fs::rename(&scratch.path, to).map_err(|e| StoreError::CannotCreate {
        path: to.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Puts the backup at `from` back as the database at `db`. The database it
/// replaces is kept beside it (`NAME.replaced-YYYYMMDD-HHMMSS`), never lost;
/// side files left beside it go (a copy put in place by hand would have
/// them applied); while any program has the database open, nothing is
/// done. Returns where the replaced database was kept, if there was one.
pub fn restore(db: &Path, from: &Path, stamp: &str) -> Result<Option<std::path::PathBuf>> {
    // Through a symbolic link, the board it points to is restored (the
    // link stays a link, for everyone who uses it).
    let real;
    let db = match std::fs::symlink_metadata(db) {
        Ok(m) if m.file_type().is_symlink() => {
            real = std::fs::canonicalize(db).map_err(|e| StoreError::CannotCreate {
                path: db.to_path_buf(),
                reason: e.to_string(),
            })?;
            real.as_path()
        }
        _ => db,
    };
    if let Some(why) = crate::files::refuse_database(from) {
        return Err(StoreError::Refused(why));
    }
    if !matches!(application_id(from), Some(BACKUP_ID | APPLICATION_ID)) || !is_sqlite(from) {
        return Err(StoreError::Refused(format!(
            "{} is not a teamloop backup",
            from.display()
        )));
    }
    if same_file(db, from) {
        return Err(StoreError::Refused(format!(
            "{} is the database itself",
            from.display()
        )));
    }
    if db.exists() && crate::files::in_use(db) {
        return Err(StoreError::Refused(format!(
            "{} is open in a teamloop (or another program): close every board on it first",
            db.display()
        )));
    }
    let scratch = Scratch::beside(db, "restore");
    crate::files::remove_with_side_files(&scratch.path);
    {
        let mut out =
            crate::files::create_new(&scratch.path).map_err(|e| StoreError::CannotCreate {
                path: db.to_path_buf(),
                reason: e.to_string(),
            })?;
        let mut src = std::fs::File::open(from).map_err(|e| StoreError::CannotCreate {
            path: from.to_path_buf(),
            reason: e.to_string(),
        })?;
        std::io::copy(&mut src, &mut out)
            .and_then(|_| out.sync_all())
            .map_err(|e| StoreError::CannotWrite(e.to_string()))?;
    }
    {
        let copy = Connection::open_with_flags(&scratch.path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(bad(format!("{} fails its check: {check}", from.display())));
        }
        // The board again.
        copy.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    let kept = if db.exists() {
        let name = db
            .file_name()
            .map_or("teamloop.db".into(), |n| n.to_string_lossy().into_owned());
        let kept = db.with_file_name(format!("{name}.replaced-{stamp}"));
        if kept.exists() {
            return Err(StoreError::Refused(format!(
                "{} is there already: nothing was changed",
                kept.display()
            )));
        }
        // Nobody has it open (checked above), but a board that was killed
        // may have left committed changes in its log: they go into the file
        // it keeps, and only then are its side files gone.
        if !crate::files::side_files(db).is_empty() {
            let old = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            let busy: i64 = old.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            drop(old);
            if busy != 0 {
                return Err(StoreError::Refused(format!(
                    "{} is in use: nothing was changed",
                    db.display()
                )));
            }
        }
        clear_stale_side_files(db).map_err(StoreError::Refused)?;
        std::fs::rename(db, &kept).map_err(|e| StoreError::CannotCreate {
            path: kept.clone(),
            reason: e.to_string(),
        })?;
        Some(kept)
    } else {
        clear_stale_side_files(db).map_err(StoreError::Refused)?;
        None
    };
    std::fs::rename(&scratch.path, db).map_err(|e| StoreError::CannotCreate {
        path: db.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(kept)
}
