//! The embedded engine: a board in one SQLite file, shared by the
//! terminals of one host. Writes queue for the file's write lock; other
//! processes' commits are seen through `data_version`; anonymous writes
//! are made only when the write-ahead log is empty, and it is emptied
//! again after them (see [`SqliteFile::anonymous_transaction`]). A
//! heartbeat of presence is a commit like any other, but it leaves the
//! token every other write sets as it is: a terminal that sees the file
//! change reads the token to know whether the board changed, or only who
//! has it open (see [`SqliteFile::changed`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, TransactionBehavior};

use super::backend::Backend;
use super::sql::Db;
use super::{Result, StoreError};

/// How long an anonymous write waits for readers to let the log be emptied
/// before it is refused.
const ANONYMOUS_PATIENCE: Duration = Duration::from_secs(2);

pub struct SqliteFile {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    data_version: Option<i64>,
    /// The content token as this connection last read or wrote it (see
    /// migration 9's `content_version`).
    token: Option<i64>,
    /// Another connection changed the board before a write of this one
    /// (which sets the token anew): news at the next look.
    missed: bool,
    /// Someone's presence changed (or may have) since the last look.
    presence_news: bool,
    /// The write-ahead log still holds anonymous writes to wipe.
    log_to_wipe: bool,
    busy_timeout: Duration,
    /// The file is a backup's copy: the first write makes it a board.
    pub(super) is_backup: bool,
}

impl SqliteFile {
    pub(super) fn new(
        conn: Connection,
        path: PathBuf,
        read_only: bool,
        busy_timeout: Duration,
    ) -> Self {
        Self {
            conn,
            path,
            read_only,
            data_version: None,
            token: None,
            missed: false,
            presence_news: false,
            log_to_wipe: false,
            busy_timeout,
            is_backup: false,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Waits up to `patience` for a moment when no other process is in the
    /// middle of a read and the log is empty: true if one came. (A reader
    /// that stays could otherwise keep the log from being emptied after
    /// the write.)
    fn quiet_log(&mut self, patience: Duration) -> bool {
        let until = Instant::now() + patience;
        loop {
            if !crate::files::reader_present(&self.path)
                && self.empty_log(Duration::from_millis(50))
            {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Copies the write-ahead log into the file and truncates it to
    /// nothing, waiting up to `patience` for readers; true when it is empty.
    fn empty_log(&mut self, patience: Duration) -> bool {
        let _ = self.conn.busy_timeout(patience);
        let busy: std::result::Result<i64, _> =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0));
        let _ = self.conn.busy_timeout(self.busy_timeout);
        matches!(busy, Ok(0))
    }

    /// Empties the write-ahead log if nobody is reading it now; if someone
    /// is, it is tried again at the next check for changes.
    pub(super) fn wipe_log(&mut self) {
        if self.read_only {
            return;
        }
        // Not worth a wait: a reader busy now is gone at the next try.
        self.log_to_wipe = !self.empty_log(Duration::from_millis(50));
    }
}

impl Backend for SqliteFile {
    fn read<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        f(&self.conn)
    }

    fn snapshot<T>(&self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        // A savepoint: a read transaction of its own, or, inside one
        // already open, part of it.
        self.conn.execute_batch("SAVEPOINT snapshot")?;
        let out = f(&self.conn);
        self.conn.execute_batch("RELEASE snapshot")?;
        out
    }

    fn transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if self.is_backup {
            // Written to as a board (a backup put back in place): a board
            // it is from now on, and no backup ever replaces it.
            tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
        }
        let out = f(&tx)?;
        let before = read_token(&tx);
        let after = mark_content_written(&tx)?;
        tx.commit()?;
        self.is_backup = false;
        // The token read under the write lock is the last write before
        // this one: not the one this connection knew, someone else's.
        if self.token.is_some() && before != self.token {
            self.missed = true;
        }
        self.token = after;
        Ok(out)
    }

    /// A write of presence alone: the token stays, so that the others'
    /// next look reads who is here again, not the whole board.
    fn presence_transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    fn presence_changed(&mut self) -> bool {
        std::mem::take(&mut self.presence_news)
    }

    /// A write that touches anonymous data: the same one transaction, made
    /// only when the write-ahead log is empty, and the log emptied again
    /// after it. So the log never holds this write beside another: no
    /// earlier version of a page (who had answered before, which dots were
    /// there) can be read from it. When another program holds a read open
    /// long enough to keep the log from being emptied, the write is refused
    /// rather than kept in the log.
    fn anonymous_transaction<T>(&mut self, f: impl FnOnce(&dyn Db) -> Result<T>) -> Result<T> {
        let refused = || {
            StoreError::Refused(
                "not saved: another program is reading the database at this moment, and what you wrote could stay readable in its log; try again in a moment".into(),
            )
        };
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let path = self.path.clone();
        let until = Instant::now() + ANONYMOUS_PATIENCE;
        let mut f = Some(f);
        let out = loop {
            let left = until.saturating_duration_since(Instant::now());
            if !self.quiet_log(left) {
                return Err(refused());
            }
            // Checked again once the write lock is held: another writer may
            // have written between the look and the lock, and the log must
            // hold nothing but this write when it commits. (This connection
            // reads now itself, so readers are not asked again.)
            let mut quiet = false;
            let done = self.transaction(|tx| {
                if crate::files::wal_len(&path) > 0 {
                    return Ok(None);
                }
                quiet = true;
                match f.take() {
                    Some(f) => f(tx).map(Some),
                    None => Ok(None),
                }
            })?;
            match done {
                Some(out) => break out,
                None if quiet || Instant::now() >= until => return Err(refused()),
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        // Emptied now if it can be; a reader that came in the instant since
        // is waited for, so that a command does not end with it in the log.
        if !self.quiet_log(ANONYMOUS_PATIENCE) {
            self.log_to_wipe = true;
        }
        Ok(out)
    }

    fn changed(&mut self) -> Result<bool> {
        if self.log_to_wipe {
            self.wipe_log();
        }
        let v: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        let first = self.data_version.is_none();
        let moved = self.data_version.is_some_and(|old| old != v);
        self.data_version = Some(v);
        if first || moved {
            // Read only when the file changed: a look while nothing
            // happens stays one pragma.
            let token = read_token(&self.conn);
            let board = moved && (token.is_none() || token != self.token);
            self.token = token;
            self.presence_news |= moved;
            let missed = std::mem::take(&mut self.missed);
            return Ok(board || (missed && !first));
        }
        Ok(std::mem::take(&mut self.missed))
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }
}

/// The content token, if the file has one (schema 9 on).
fn read_token(db: &Connection) -> Option<i64> {
    db.query_row("SELECT token FROM content_version WHERE id = 1", [], |r| {
        r.get(0)
    })
    .ok()
}

/// Sets the content token to a new random number in the write `tx`: the
/// board changed, for every other connection that reads it (see
/// [`SqliteFile::changed`]). Its new value, or `None` on a file without one.
pub(crate) fn mark_content_written(tx: &Connection) -> Result<Option<i64>> {
    let token = crate::store::random_id();
    let n = match tx.execute(
        "UPDATE content_version SET token = ?1 WHERE id = 1",
        [token],
    ) {
        Ok(n) => n,
        // An older schema's file (an import's scratch copy): nobody reads it.
        Err(rusqlite::Error::SqliteFailure(_, Some(m))) if m.contains("no such table") => 0,
        Err(e) => return Err(e.into()),
    };
    Ok((n > 0).then_some(token))
}
