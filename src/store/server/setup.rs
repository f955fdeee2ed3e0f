//! Making a team's database a board (`teamloop init --db postgres://…`)
//! and opening one. The schema is the file's schema written for the
//! server (see `sql::schema`), made in one transaction under the board's
//! write lock, with the version it was made at in `teamloop_schema`: two
//! people running `init` at once make it once, and a database that holds
//! other tables, or a board of another version, is refused in one line.

use super::session::WRITE_LOCK;
use super::{Address, ServerBackend, connect, parse};
use crate::sql_params as params;
use crate::store::backend::Backend;
use crate::store::sql::postgres::{PgDb, server_error};
use crate::store::sql::schema::postgres_schema;
use crate::store::sql::{Db, DbExt};
use crate::store::{OpenOptions, Result, ServerStore, StoreError, schema_version};

/// The table that marks a database as a board, with its schema version.
const MARK: &str = "teamloop_schema";

/// What a database holds, as far as teamloop is concerned.
enum Found {
    /// No board, and none of a board's tables.
    Nothing,
    /// A board made at this schema version.
    Board(i64),
    /// Some of a board's tables without the mark: made by hand, or by an
    /// `init` that did not finish (it cannot: it is one transaction).
    Other(String),
}

fn look(db: &dyn Db) -> Result<Found> {
    let tables: Vec<String> = db.rows(
        "SELECT tablename::text FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
        params![],
        |r| r.get(0),
    )?;
    if tables.iter().any(|t| t == MARK) {
        let version: Option<i64> =
            db.one(&format!("SELECT max(version) FROM {MARK}"), params![])?;
        return Ok(Found::Board(version.unwrap_or(0)));
    }
    Ok(
        match tables.iter().find(|t| *t == "cards" || *t == "boards") {
            Some(t) => Found::Other(t.clone()),
            None => Found::Nothing,
        },
    )
}

fn version_refusal(shown: &str, version: i64) -> StoreError {
    let now = schema_version();
    StoreError::Refused(if version > now {
        format!(
            "{shown} holds a board made by a newer teamloop (schema {version}, this one knows {now}): update teamloop"
        )
    } else {
        format!(
            "{shown} holds a board of schema {version}, and this teamloop writes {now}: moving a server board to a new schema is not built yet; export it with the teamloop that made it and import it into a new database"
        )
    })
}

/// Makes the database at `address` a board if it is not one yet; true if
/// it was made now. Safe to run twice, and by two people at once.
pub fn init_schema(address: &Address) -> Result<bool> {
    let shown = address.shown().to_string();
    let mut client = connect(address)?;
    let mut tx = client.transaction().map_err(server_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .map_err(server_error)?;
    match look(&PgDb::new(&mut tx))? {
        Found::Board(v) if v == schema_version() => return Ok(false),
        Found::Board(v) => return Err(version_refusal(&shown, v)),
        Found::Other(table) => {
            return Err(StoreError::Refused(format!(
                "{shown} already has a table \"{table}\" that is not a teamloop board's: use a database of its own for the board"
            )));
        }
        Found::Nothing => {}
    }
    for statement in postgres_schema()? {
        tx.batch_execute(&statement).map_err(server_error)?;
    }
    tx.batch_execute(&format!(
        "CREATE TABLE {MARK} (version BIGINT NOT NULL); INSERT INTO {MARK} VALUES ({})",
        schema_version()
    ))
    .map_err(server_error)?;
    tx.commit().map_err(server_error)?;
    Ok(true)
}

/// The board at `address`; a database that is not one (yet) is refused in
/// one line that says what to run.
pub fn open_server(address: &str, options: OpenOptions) -> Result<ServerStore> {
    let address = parse(address)?;
    let shown = address.shown().to_string();
    let read_only = options.read_only;
    let backend = ServerBackend::open(address, read_only)?;
    match backend.read(look)? {
        Found::Board(v) if v == schema_version() => {}
        Found::Board(v) => return Err(version_refusal(&shown, v)),
        Found::Nothing | Found::Other(_) => {
            return Err(StoreError::Refused(format!(
                "{shown} is not a teamloop board yet (teamloop --db '{shown}' init makes one)"
            )));
        }
    }
    let mut store = ServerStore::new(backend, options);
    if !read_only {
        store.ensure_board()?;
        store.record_due_closes()?;
    }
    Ok(store)
}

/// `init` on a server: the schema if it is not there, then the board.
pub fn init_server(address: &str, options: OpenOptions) -> Result<(ServerStore, bool)> {
    let made = init_schema(&parse(address)?)?;
    Ok((open_server(address, options)?, made))
}
