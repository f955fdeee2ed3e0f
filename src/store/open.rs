//! Opening a database file safely.
//!
//! Nothing is written to a file until it is known to be a teamloop database of
//! a schema this build understands (or a new, empty file). A file that is not
//! SQLite, another program's SQLite file, or a newer schema is refused with the
//! file left byte for byte as it was.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{M, Migrations};

use super::{PersonKey, Result, SqliteFile, SqliteStore, StoreError};
use crate::domain::{Clock, SystemClock};

/// 'TLOP': written into the SQLite header by the first migration.
pub const APPLICATION_ID: i64 = 0x544C_4F50;

/// 'TLOB': the header of a copy `teamloop backup` made. Only a file marked
/// so is ever replaced by a backup; one opened as a board and written to
/// becomes a board again ('TLOP').
pub const BACKUP_ID: i64 = 0x544C_4F42;

/// Every migration, in order, made once.
static MIGRATIONS: std::sync::LazyLock<Vec<M<'static>>> = std::sync::LazyLock::new(|| {
    vec![
        M::up(include_str!("migrations/0001_init.sql")),
        M::up(include_str!("migrations/0002_sprints_standups.sql")),
        M::up(include_str!("migrations/0003_retros.sql")),
        M::up(include_str!("migrations/0004_pulses.sql")),
        M::up(include_str!("migrations/0005_mortems.sql")),
        M::up(include_str!("migrations/0006_trust.sql")).foreign_key_check(),
        M::up(include_str!("migrations/0007_live_standup.sql")).foreign_key_check(),
        M::up(include_str!("migrations/0008_handovers.sql")),
        M::up(include_str!("migrations/0009_presence.sql")),
        M::up(include_str!("migrations/0010_kept_figures.sql")),
        M::up_with_hook(
            include_str!("migrations/0011_kept_flow.sql"),
            |tx: &rusqlite::Transaction| {
                super::sql_store::kept_flow::build(&**tx)
                    .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))
            },
        ),
        M::up(include_str!("migrations/0012_poker.sql")),
    ]
});

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub struct OpenOptions {
    /// Who is acting, recorded on events.
    pub actor: String,
    pub clock: Arc<dyn Clock>,
    /// Open without writing even if the file is writable.
    pub read_only: bool,
    pub busy_timeout: Duration,
    /// The person's own key to their anonymous items (see [`PersonKey`]).
    /// A new random one unless set: items are then theirs until the store
    /// is dropped.
    pub key: PersonKey,
}

impl OpenOptions {
    pub fn new(actor: impl Into<String>) -> Self {
        Self {
            actor: actor.into(),
            clock: Arc::new(SystemClock),
            read_only: false,
            busy_timeout: Duration::from_secs(5),
            key: PersonKey::random(),
        }
    }

    pub fn with_key(mut self, key: PersonKey) -> Self {
        self.key = key;
        self
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

/// What the file looked like before anything was written.
enum Found {
    Missing,
    Empty,
    Sqlite,
}

fn inspect_file(path: &Path) -> Result<(Found, bool)> {
    match fs::metadata(path) {
        // A link to nothing: SQLite would make its target with the umask's
        // mode, somewhere the link says.
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            Err(StoreError::Refused(format!(
                "{} is a symbolic link to a file that does not exist",
                path.display()
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !parent.is_dir() {
                return Err(StoreError::FolderMissing(parent));
            }
            Ok((Found::Missing, false))
        }
        Err(e) => Err(StoreError::CannotCreate {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
        Ok(meta) if meta.is_dir() => Err(StoreError::IsFolder(path.to_path_buf())),
        // A pipe would hang, a device would be written over.
        Ok(_) if crate::files::refuse_database(path).is_some() => Err(StoreError::Refused(
            crate::files::refuse_database(path).unwrap_or_default(),
        )),
        Ok(meta) => {
            // Read-only by its permission bits, or because we cannot open it for writing.
            let read_only = meta.permissions().readonly()
                || fs::OpenOptions::new().append(true).open(path).is_err();
            if meta.len() == 0 {
                return Ok((Found::Empty, read_only));
            }
            let mut header = [0u8; 16];
            let mut f = fs::File::open(path).map_err(|e| StoreError::CannotCreate {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
            let n = f.read(&mut header).unwrap_or(0);
            if n < 16 || &header != b"SQLite format 3\0" {
                return Err(StoreError::NotSqlite(path.to_path_buf()));
            }
            Ok((Found::Sqlite, read_only))
        }
    }
}

/// Why SQLite found a file damaged, when the reason is that it is shorter
/// than its own header says: cut short by a copy or a disk that filled up.
/// Asked only after SQLite refused the file with no write-ahead log beside
/// it: while others write, a checkpoint may have written the header before
/// the pages that lengthen the file.
fn cut_short(path: &Path) -> Option<String> {
    let mut f = fs::File::open(path).ok()?;
    let len = f.metadata().ok()?.len();
    let mut h = [0u8; 100];
    if len < 100 || f.read_exact(&mut h).is_err() {
        return Some(format!("{len} bytes, shorter than its header"));
    }
    let be32 = |at: usize| u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]]);
    let page = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536,
        p => u64::from(p),
    };
    let pages = u64::from(be32(28));
    let valid = be32(92) == be32(24);
    (valid && pages > 0 && page * pages > len).then(|| {
        format!(
            "cut short: {len} bytes of the {} its header gives",
            page * pages
        )
    })
}

struct Header {
    application_id: i64,
    user_version: i64,
    objects: i64,
}

fn read_header(conn: &Connection, path: &Path) -> Result<Header> {
    let not_sqlite = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotSqlite(path.to_path_buf()),
        _ => StoreError::from(e),
    };
    let application_id = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(not_sqlite)?;
    let user_version = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(not_sqlite)?;
    let objects = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    Ok(Header {
        application_id,
        user_version,
        objects,
    })
}

/// Opens (creating if needed) the teamloop database at `path`.
pub fn open(path: &Path, options: OpenOptions) -> Result<SqliteStore> {
    let (mut found, file_read_only) = inspect_file(path)?;
    let read_only = options.read_only || file_read_only;
    // Side files beside a missing or empty file cannot be its own: left by
    // a teamloop killed while a file since removed was open. SQLite would
    // apply that log to the new file; they go first (or, in use, refuse).
    // (An empty file whose side files are in use is another teamloop's
    // first open of it, under way.)
    if matches!(found, Found::Missing | Found::Empty)
        && let Err(why) = crate::files::clear_stale_side_files(path)
        && !path.exists()
    {
        return Err(StoreError::Refused(format!(
            "{why}, though the file is gone: is a teamloop still running on a file that was removed?"
        )));
    }
    // An empty file becoming a database becomes the team's only, as a new
    // one is (when it is this user's to change).
    if matches!(found, Found::Empty) && !read_only {
        crate::files::set_team_mode(path);
    }
    // A new database is the team's only from its first byte.
    let mut created = false;
    if matches!(found, Found::Missing) && !read_only {
        match crate::files::create_new(path) {
            Ok(_) => {
                created = true;
                found = Found::Empty;
            }
            // Another teamloop made it a moment ago: look again.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                found = inspect_file(path)?.0;
            }
            Err(e) => {
                return Err(StoreError::CannotCreate {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                });
            }
        }
    }
    // SQLite's side files made for a file that is then refused (damaged
    // further in than the checks above see) go again.
    let side = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        PathBuf::from(p)
    };
    let had_log = side("-wal").exists();
    let made: Vec<PathBuf> = [side("-wal"), side("-shm")]
        .into_iter()
        .filter(|p| !p.exists())
        .collect();
    let opened = look_then_open(path, found, read_only, options);
    // Only a file refused for what it is: after a busy wait given up, the
    // side files may be another teamloop's, in use.
    let refused = matches!(
        opened,
        Err(StoreError::NotSqlite(_)
            | StoreError::NotOurs(_)
            | StoreError::TooNew { .. }
            | StoreError::Corrupt(_)
            | StoreError::ReadOnlyEmpty(_)
            | StoreError::ReadOnlyNeedsUpgrade(_))
    );
    if refused || (created && opened.is_err()) {
        for p in made {
            let _ = fs::remove_file(p);
        }
    }
    if created && opened.is_err() {
        let _ = fs::remove_file(path);
    }
    if opened.is_ok() {
        follow_the_database(path);
    }
    match opened {
        Err(StoreError::Corrupt(sqlite)) if !had_log => Err(match cut_short(path) {
            Some(reason) => StoreError::Damaged {
                path: path.to_path_buf(),
                reason,
            },
            None => StoreError::Corrupt(sqlite),
        }),
        other => other,
    }
}

/// Side files SQLite made for this process take the database's group and
/// mode: a teammate who only read the file leaves nothing its owner cannot
/// write (the owner is kept; only an administrator could change it).
#[cfg(unix)]
fn follow_the_database(path: &Path) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(db) = fs::metadata(path) else {
        return;
    };
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    for side in crate::files::side_files(path) {
        let Ok(meta) = fs::metadata(&side) else {
            continue;
        };
        if meta.uid() != me {
            continue;
        }
        if meta.gid() != db.gid()
            && let Ok(c) = std::ffi::CString::new(side.as_os_str().as_encoded_bytes())
        {
            // SAFETY: a valid C string; -1 keeps the owner.
            unsafe {
                libc::chown(c.as_ptr(), u32::MAX, db.gid());
            }
        }
        let mode = db.mode() & 0o666;
        if meta.mode() & 0o777 != mode {
            let _ = fs::set_permissions(&side, fs::Permissions::from_mode(mode));
        }
    }
}

#[cfg(not(unix))]
fn follow_the_database(_path: &Path) {}

/// How to open a file read-only: as usual, or, where its folder cannot be
/// written and no side file is there (a read-only copy, someone else's
/// folder), as immutable: SQLite then needs no side file at all, and no
/// one can be writing it in WAL mode, which would need one there.
fn read_only_target(path: &Path) -> (PathBuf, OpenFlags) {
    let base = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let plain = (path.to_path_buf(), base);
    if !crate::files::side_files(path).is_empty() || folder_writable(path) {
        return plain;
    }
    let Ok(absolute) = std::path::absolute(path) else {
        return plain;
    };
    let mut uri = String::from("file:");
    for b in absolute.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(*b))
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    (PathBuf::from(uri), base | OpenFlags::SQLITE_OPEN_URI)
}

#[cfg(unix)]
fn folder_writable(path: &Path) -> bool {
    let folder = crate::files::folder_of(path);
    std::ffi::CString::new(folder.as_os_str().as_encoded_bytes())
        // SAFETY: a valid C string.
        .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
}

#[cfg(not(unix))]
fn folder_writable(_path: &Path) -> bool {
    true
}

fn look_then_open(
    path: &Path,
    found: Found,
    read_only: bool,
    options: OpenOptions,
) -> Result<SqliteStore> {
    // Look before writing: a read-only connection cannot change the file.
    if let Found::Sqlite = found {
        let (target, flags) = read_only_target(path);
        let conn = Connection::open_with_flags(target, flags).map_err(StoreError::from)?;
        conn.busy_timeout(options.busy_timeout)?;
        let h = read_header(&conn, path)?;
        let fresh = h.application_id == 0 && h.user_version == 0 && h.objects == 0;
        if !fresh && h.application_id != APPLICATION_ID && h.application_id != BACKUP_ID {
            return Err(StoreError::NotOurs(path.to_path_buf()));
        }
        if h.user_version > schema_version() {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: h.user_version,
                known: schema_version(),
            });
        }
        if read_only && fresh {
            return Err(StoreError::ReadOnlyEmpty(path.to_path_buf()));
        }
        if read_only && h.user_version < schema_version() {
            return Err(StoreError::ReadOnlyNeedsUpgrade(path.to_path_buf()));
        }
    } else if read_only {
        return Err(StoreError::ReadOnlyEmpty(path.to_path_buf()));
    }

    open_checked(path, &found, read_only, options)
}

fn open_checked(
    path: &Path,
    found: &Found,
    read_only: bool,
    options: OpenOptions,
) -> Result<SqliteStore> {
    let (target, flags) = if read_only {
        read_only_target(path)
    } else {
        (
            path.to_path_buf(),
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    };
    let mut conn = Connection::open_with_flags(target, flags).map_err(|e| {
        if matches!(found, Found::Missing) {
            StoreError::CannotCreate {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        } else {
            StoreError::from(e)
        }
    })?;
    conn.busy_timeout(options.busy_timeout)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Deleted rows (a retro's dots once voting closes) are overwritten, not
    // left in free pages.
    conn.pragma_update(None, "secure_delete", true)?;
    register_functions(&conn)?;
    if !read_only {
        // Two teamloops may open a new file at the same moment: switching to
        // WAL and migrating are retried while the other one holds the lock,
        // and a migration the other one finished first counts as done.
        retry_busy(options.busy_timeout, || {
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
                .map_err(StoreError::from)
        })?;
        // FULL: a committed move survives a power cut, not only a killed process.
        conn.pragma_update(None, "synchronous", "FULL")?;
        let before: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        retry_busy(options.busy_timeout, || migrate(&mut conn))?;
        // A new file is built by every migration in turn, the later ones
        // rebuilding tables: it starts compact, with no freed pages.
        if before == 0 {
            conn.execute_batch("VACUUM")?;
        }
    }
    let backup: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let mut file = SqliteFile::new(conn, path.to_path_buf(), read_only, options.busy_timeout);
    file.is_backup = backup == BACKUP_ID;
    let mut store = SqliteStore::new(file, options);
    if !read_only {
        store.ensure_board()?;
        // What a teamloop killed mid-way left in the write-ahead log goes.
        store.backend_mut().wipe_log();
        // A pulse whose last day is over is closed for everyone from now.
        store.record_due_closes()?;
    }
    Ok(store)
}

/// `tl_fold(text)`: lower case for every script, not only ASCII as SQLite's
/// own `lower()` and `LIKE` do, so a filter finds "Émile" as typed.
pub(super) fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "tl_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
    )?;
    Ok(())
}

/// Brings a new file's schema to `version` (an import builds at the
/// export's version, then goes on to this build's).
pub(super) fn migrate_to(conn: &mut Connection, version: i64) -> Result<()> {
    let version = usize::try_from(version.clamp(0, schema_version())).unwrap_or(0);
    without_foreign_keys(conn, |conn| {
        Migrations::from_slice(&MIGRATIONS)
            .to_version(conn, version)
            .map_err(|e| match e {
                rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
                other => StoreError::Migration(other.to_string()),
            })
    })
}

/// Runs migrations with foreign keys off: a table rebuilt in place must not
/// fire the cascades of the rows it drops. A migration that needs it checks
/// every reference before it commits; the connection's setting is put back.
fn without_foreign_keys<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let was: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let out = f(conn);
    conn.pragma_update(None, "foreign_keys", was)?;
    out
}

/// Brings the schema to this build's version. Succeeds when another process
/// has just done it.
fn migrate(conn: &mut Connection) -> Result<()> {
    match migrate_to(conn, schema_version()) {
        Ok(()) => Ok(()),
        Err(e) => {
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if version == schema_version() {
                return Ok(());
            }
            match e {
                StoreError::Migration(text)
                    if text.contains("already exists") || text.contains("locked") =>
                {
                    Err(StoreError::Busy)
                }
                other => Err(other),
            }
        }
    }
}

/// Runs `f` again while it reports the database busy, for up to `patience`.
fn retry_busy<T>(patience: Duration, mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let deadline = std::time::Instant::now() + patience;
    loop {
        match f() {
            Err(StoreError::Busy) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// An in-memory database for tests and throwaway use.
pub fn open_in_memory(options: OpenOptions) -> Result<SqliteStore> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", true)?;
    register_functions(&conn)?;
    migrate_to(&mut conn, schema_version())?;
    let file = SqliteFile::new(conn, PathBuf::from(":memory:"), false, options.busy_timeout);
    let mut store = SqliteStore::new(file, options);
    store.ensure_board()?;
    Ok(store)
}
