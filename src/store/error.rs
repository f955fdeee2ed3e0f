use std::path::PathBuf;

use thiserror::Error;

use crate::domain::DomainError;

/// Every way the store can say no, each with a one-line message for the user.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{} is not a SQLite database", .0.display())]
    NotSqlite(PathBuf),
    #[error("{} is a SQLite database, but not a teamloop one", .0.display())]
    NotOurs(PathBuf),
    #[error(
        "{} was created by a newer teamloop (schema {found}; this build knows up to {known}): upgrade teamloop",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("the folder {} does not exist", .0.display())]
    FolderMissing(PathBuf),
    #[error("{} is a folder, not a database file", .0.display())]
    IsFolder(PathBuf),
    /// A file teamloop will not open or write (a device, a pipe, side files
    /// in use), with why.
    #[error("{0}")]
    Refused(String),
    #[error("cannot create {}: {reason}", path.display())]
    CannotCreate { path: PathBuf, reason: String },
    #[error("{} is read-only and has no teamloop data yet", .0.display())]
    ReadOnlyEmpty(PathBuf),
    #[error("{} needs a schema upgrade, but it is read-only", .0.display())]
    ReadOnlyNeedsUpgrade(PathBuf),
    #[error("the database is open read-only: nothing was changed")]
    ReadOnly,
    #[error("the database is busy (another teamloop is writing): try again")]
    Busy,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Rule(#[from] DomainError),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// The server refused a statement (its message, never the connection's).
    #[error("database server: {0}")]
    Server(String),
    /// The connection to the server is down; nothing was changed.
    #[error("the database server cannot be reached: nothing was changed (reconnecting…)")]
    Disconnected,
    /// A row would repeat a value that must be unique (a name taken).
    #[error("already exists: {0}")]
    Unique(String),
    /// A statement's result was not what the store expected.
    #[error("unexpected result from the database: {0}")]
    Query(String),
    #[error("schema migration failed: {0}")]
    Migration(String),
    #[error(
        "{} is damaged ({reason}): nothing was changed; restore it from a backup (teamloop backup makes one)",
        path.display()
    )]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "the database file is damaged (SQLite: {0}): nothing more was changed; restore it from a backup (teamloop backup makes one)"
    )]
    Corrupt(String),
    #[error(
        "could not write the database: the disk is full or failing ({0}); this change was not saved"
    )]
    CannotWrite(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => {
                StoreError::CannotWrite(e.to_string())
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    /// True when the user asked for something a rule refused (as opposed to a failure).
    pub fn is_refusal(&self) -> bool {
        matches!(self, StoreError::Rule(_) | StoreError::NotFound(_))
    }
}
