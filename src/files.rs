//! Files teamloop writes and reads beside the database: exports, reports,
//! backups, scratch files. The rules, in one place:
//! - a file is written whole or not at all (a temporary file beside it,
//!   renamed into place), and never onto a database, its side files, a
//!   symbolic link's target or anything but a regular file;
//! - a file teamloop makes is for the team only: 0600, or 0660 with the
//!   folder's group where the folder is shared by a group (and not by
//!   everyone);
//! - a scratch file left by a teamloop that was killed is removed the next
//!   time teamloop runs;
//! - a file read as settings is a regular file of bounded size.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn refused(text: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, text)
}

/// Whether the file at `path` begins as a SQLite database does. A file
/// that some process holds locks on is a database in use, and is not
/// opened to look (see `locked_ranges`).
pub fn is_sqlite(path: &Path) -> bool {
    if any_lock(path) {
        return true;
    }
    let mut header = [0u8; 16];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

/// What kind of thing a path that is not a regular file is.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The database a side file (`-wal`, `-shm`, `-journal`) belongs to.
pub fn side_file_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .map(|base| path.with_file_name(base))
        .filter(|base| is_sqlite(base))
}

/// Why teamloop will not write `path` as an output file, if it will not.
pub fn refuse_output(path: &Path) -> Option<String> {
    let shown = path.display();
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(_) => {
            return side_file_of(path).map(|db| {
                format!(
                    "{shown} would be a side file of the database {}",
                    db.display()
                )
            });
        }
    };
    if meta.file_type().is_symlink() {
        return Some(format!(
            "{shown} is a symbolic link: teamloop writes only to the file itself (give its own path; -o - is standard output)"
        ));
    }
    if !meta.is_file() {
        return Some(format!(
            "{shown} is {}: teamloop writes only to regular files (-o - is standard output)",
            kind_of(&meta)
        ));
    }
    if is_sqlite(path) {
        return Some(format!(
            "{shown} is a SQLite database: teamloop never writes over one"
        ));
    }
    side_file_of(path).map(|db| format!("{shown} belongs to the database {}", db.display()))
}

/// Why teamloop will not use `path` as a database file, if it will not:
/// anything but a regular file (a symbolic link to one is followed).
pub fn refuse_database(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    (!meta.is_file()).then(|| {
        format!(
            "{} is {}, not a database file",
            path.display(),
            kind_of(&meta)
        )
    })
}

/// The folder a path is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The mode and group for a new file in `folder`: the team's only.
#[cfg(unix)]
pub fn team_mode(folder: &Path) -> (u32, Option<u32>) {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(folder) {
        // Shared by a group, not by everyone (as /tmp is).
        Ok(m) if m.mode() & 0o020 != 0 && m.mode() & 0o002 == 0 => (0o660, Some(m.gid())),
        _ => (0o600, None),
    }
}

/// Gives a file teamloop made the team's mode and group.
#[cfg(unix)]
pub fn make_team_only(file: &File, folder: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::io::AsRawFd;
    let (mode, group) = team_mode(folder);
    if let Some(gid) = group {
        // SAFETY: fchown on an open descriptor; -1 keeps the owner.
        unsafe {
            libc::fchown(file.as_raw_fd(), u32::MAX, gid);
        }
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub fn make_team_only(_file: &File, _folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Gives the file at `path`, if this user may, the team's mode.
#[cfg(unix)]
pub fn set_team_mode(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let (mode, _) = team_mode(&folder_of(path));
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
pub fn set_team_mode(_path: &Path) {}

/// Creates a new file (never an existing one, never through a symbolic
/// link) for the team only.
pub fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    make_team_only(&file, &folder_of(path))?;
    Ok(file)
}

/// A name beside `target` for a file being built, with this process's id
/// (so a later teamloop can tell a dead one's leftovers) and a random part.
pub fn scratch_name(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or("teamloop".into(), |n| n.to_string_lossy().into_owned());
    let salt = crate::store::random_id() & 0xffff_ffff;
    target.with_file_name(format!(
        ".{name}.teamloop-{what}-{}-{salt:08x}",
        std::process::id()
    ))
}

/// Removes a file and the side files SQLite may have made beside it.
pub fn remove_with_side_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Whether process `pid` is running.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

/// The process id in a scratch file's name.
fn scratch_pid(name: &str) -> Option<u32> {
    let rest = &name[name.find(".teamloop-")? + ".teamloop-".len()..];
    let mut parts = rest.split('-');
    let _what = parts.next()?;
    parts.next()?.parse().ok()
}

/// Removes the scratch files in `folder` that a teamloop no longer running
/// left behind (a killed import, backup or export).
pub fn sweep(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            continue;
        }
        if let Some(pid) = scratch_pid(&name)
            && pid != std::process::id()
            && !alive(pid)
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Where scratch files outside the database's folder are listed, so that
/// the next run finds them wherever they were.
fn registry() -> Option<PathBuf> {
    crate::state::dir().map(|d| d.join("scratch"))
}

/// A scratch file being built: listed in the state folder while it exists,
/// removed (with its side files) when dropped unless it was put in place.
pub struct Scratch {
    pub path: PathBuf,
    record: Option<PathBuf>,
}

impl Scratch {
    pub fn beside(target: &Path, what: &str) -> Self {
        // What a killed teamloop left here goes first, whoever ran it.
        sweep(&folder_of(target));
        let path = scratch_name(target, what);
        let record = registry().and_then(|dir| {
            crate::state::private_dir(&dir).ok()?;
            let absolute = std::path::absolute(&path).ok()?;
            let record = dir.join(format!(
                "{}-{:08x}",
                std::process::id(),
                crate::store::random_id() & 0xffff_ffff
            ));
            std::fs::write(&record, absolute.to_string_lossy().as_bytes()).ok()?;
            Some(record)
        });
        Self { path, record }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        remove_with_side_files(&self.path);
        if let Some(r) = &self.record {
            let _ = std::fs::remove_file(r);
        }
    }
}

/// Removes what killed teamloops listed as their scratch files.
pub fn sweep_listed() {
    let Some(dir) = registry() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == std::process::id() || alive(pid) {
            continue;
        }
        if let Ok(listed) = read_small(&e.path(), 4096) {
            let listed = PathBuf::from(listed);
            // Only a scratch file's name is ever removed this way.
            if listed
                .file_name()
                .is_some_and(|n| scratch_pid(&n.to_string_lossy()) == Some(pid))
            {
                remove_with_side_files(&listed);
            }
        }
        let _ = std::fs::remove_file(e.path());
    }
}

/// Writes `text` to `path` through a scratch file beside it, renamed into
/// place: a reader never sees half a file, and a failure leaves what was
/// there before. Refused, with the reason, for anything but a new or
/// regular file that is not a database (see [`refuse_output`]).
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(why) = refuse_output(path) {
        return Err(refused(why));
    }
    if path.file_name().is_none() {
        return Err(refused(format!("{} is not a file name", path.display())));
    }
    let scratch = Scratch::beside(path, "write");
    let mut file = create_new(&scratch.path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&scratch.path, path)
}

/// Reads a small text file (settings, a team's formats): a regular file of
/// at most `limit` bytes, so that a device or an endless file is refused
/// rather than read until memory runs out.
pub fn read_small(path: &Path, limit: u64) -> std::io::Result<String> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refused(format!(
            "{} is {}, not a settings file",
            path.display(),
            kind_of(&meta)
        )));
    }
    let mut text = String::new();
    File::open(path)?
        .take(limit + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(refused(format!(
            "{} is longer than {} KiB: not read",
            path.display(),
            limit / 1024
        )));
    }
    Ok(text)
}

/// The byte ranges locked on the file at `path` by any process (this one
/// included), read from the kernel's lock table. Opening the file to ask
/// would be wrong: closing any descriptor of a file drops every lock this
/// process holds on it, SQLite's own among them, and another process could
/// then take the shared memory for unused and reset it under us.
#[cfg(target_os = "linux")]
fn locked_ranges(path: &Path) -> Option<Vec<(u64, u64)>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let dev = meta.dev();
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    let mut ranges = Vec::new();
    for line in lock_table()?.lines() {
        // "1: POSIX  ADVISORY  READ 1234 08:01:5678 128 128"; a lock
        // another is waiting for starts with "->" and holds nothing.
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) == Some(&"->") || fields.len() < 8 {
            continue;
        }
        let mut id = fields[5].split(':');
        let (Some(ma), Some(mi), Some(ino)) = (id.next(), id.next(), id.next()) else {
            continue;
        };
        let same = u64::from_str_radix(ma, 16).ok() == Some(major)
            && u64::from_str_radix(mi, 16).ok() == Some(minor)
            && ino.parse::<u64>().ok() == Some(meta.ino());
        if !same {
            continue;
        }
        let start: u64 = fields[6].parse().unwrap_or(0);
        let end: u64 = if fields[7] == "EOF" {
            u64::MAX
        } else {
            fields[7].parse().unwrap_or(u64::MAX)
        };
        ranges.push((start, end));
    }
    Some(ranges)
}

/// The kernel's lock table as text. It is generated anew at each read()
/// and the kernel's list may change between two reads, so a table read in
/// pieces can skip a lock that was held all along (the lines before it
/// moved). One large read gives a consistent table when it fits the
/// kernel's page-sized buffer; a longer table is read a few times and the
/// lines of every pass kept, so a lock held throughout is not missed.
#[cfg(target_os = "linux")]
fn lock_table() -> Option<String> {
    fn one_pass() -> Option<(String, bool)> {
        let mut file = File::open("/proc/locks").ok()?;
        let mut bytes = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut reads = 0;
        loop {
            let n = file.read(&mut buf).ok()?;
            if n == 0 {
                break;
            }
            reads += 1;
            bytes.extend_from_slice(&buf[..n]);
        }
        Some((String::from_utf8_lossy(&bytes).into_owned(), reads <= 1))
    }
    let (mut table, whole) = one_pass()?;
    if !whole {
        for _ in 0..2 {
            table.push('\n');
            table.push_str(&one_pass()?.0);
        }
    }
    Some(table)
}

/// Whether any lock on `path` overlaps bytes `from..=to`. Where the lock
/// table cannot be read, the answer is `unknown`.
fn locked(path: &Path, from: u64, to: u64, unknown: bool) -> bool {
    #[cfg(target_os = "linux")]
    {
        if !path.exists() {
            return false;
        }
        match locked_ranges(path) {
            Some(ranges) => ranges.iter().any(|(s, e)| *s <= to && *e >= from),
            None => unknown,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (path, from, to);
        unknown
    }
}

/// How long the write-ahead log beside the database at `path` is (0 when
/// there is none): asked of the file system, the file is not opened.
pub fn wal_len(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(Path::new(&wal)).map_or(0, |m| m.len())
}

/// Whether any process (this one included) holds a lock on the file.
pub fn any_lock(path: &Path) -> bool {
    locked(path, 0, u64::MAX, false)
}

fn shm_of(path: &Path) -> PathBuf {
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    PathBuf::from(shm)
}

/// Whether a teamloop (or any SQLite program, this one included) has the
/// database at `path` open now: it holds a lock on the shared-memory file
/// beside it, or on the database. Side files that nobody holds are left
/// over.
pub fn in_use(path: &Path) -> bool {
    // SQLite's locks: the shared-memory file's bytes 120 to 128, and the
    // database's lock bytes from 2^30.
    let shm = shm_of(path);
    (shm.exists() && locked(&shm, 120, 128, true))
        || (path.exists() && locked(path, 0x4000_0000, 0x4000_0000 + 511, true))
}

/// Whether a connection is in the middle of a read of the database at
/// `path`: it holds one of SQLite's read marks in the shared-memory file
/// (bytes 123 to 127). A connection between reads holds none.
pub fn reader_present(path: &Path) -> bool {
    locked(&shm_of(path), 123, 127, false)
}

/// The side files of `path` that are there.
pub fn side_files(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

/// Side files beside `path` that belong to no database open now (left by
/// a teamloop that was killed, perhaps of a file since removed or
/// replaced) are removed; side files in use are a refusal.
pub fn clear_stale_side_files(path: &Path) -> Result<(), String> {
    let found = side_files(path);
    if found.is_empty() {
        return Ok(());
    }
    if in_use(path) {
        return Err(format!(
            "{} is open in another program (its side files are in use)",
            path.display()
        ));
    }
    for p in found {
        let _ = std::fs::remove_file(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_never_go_onto_a_database_a_link_or_a_device() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("team.db");
        std::fs::write(&db, b"SQLite format 3\0and the rest").unwrap();
        assert!(refuse_output(&db).unwrap().contains("SQLite database"));
        let wal = dir.path().join("team.db-wal");
        assert!(refuse_output(&wal).unwrap().contains("side file"));
        let plain = dir.path().join("out.json");
        assert!(refuse_output(&plain).is_none());
        std::fs::write(&plain, "old").unwrap();
        assert!(
            refuse_output(&plain).is_none(),
            "a regular file may be replaced"
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&plain, &link).unwrap();
            assert!(refuse_output(&link).unwrap().contains("symbolic link"));
            assert!(
                refuse_output(Path::new("/dev/null"))
                    .unwrap()
                    .contains("device")
            );
            assert!(write_atomically(Path::new("/dev/null"), "x").is_err());
        }
        assert!(refuse_output(dir.path()).unwrap().contains("folder"));
    }

    #[test]
    fn a_written_file_is_whole_and_the_teams_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        write_atomically(&out, "one").unwrap();
        write_atomically(&out, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["out.json"], "no scratch file is left");
    }

    #[test]
    fn settings_files_are_bounded() {
        #[cfg(unix)]
        assert!(read_small(Path::new("/dev/zero"), 1024).is_err());
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, "x".repeat(2048)).unwrap();
        assert!(
            read_small(&big, 1024)
                .unwrap_err()
                .to_string()
                .contains("longer than")
        );
        std::fs::write(&big, "ok = 1").unwrap();
        assert_eq!(read_small(&big, 1024).unwrap(), "ok = 1");
    }

    #[test]
    fn leftovers_of_dead_processes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // A process id that cannot be running (beyond the kernel's limit).
        let dead = dir.path().join(".t.db.teamloop-import-999999999-0000abcd");
        let mine = scratch_name(&dir.path().join("t.db"), "import");
        std::fs::write(&dead, "x").unwrap();
        std::fs::write(&mine, "x").unwrap();
        sweep(dir.path());
        assert!(!dead.exists());
        assert!(mine.exists(), "this process's own scratch file stays");
    }
}
