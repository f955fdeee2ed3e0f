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
use crate::store::sql::schema::{self, postgres_schema};
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
            "{shown} holds a board of schema {version}, and this teamloop writes {now}: teamloop --db '{shown}' init moves it to the new schema (then everyone needs this teamloop)"
        )
    })
}

/// What `init` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setup {
    /// The database became a board now.
    Made,
    /// The board was of an earlier schema (the one given) and was moved to
    /// this build's, its rows with it.
    Upgraded(i64),
    /// The board was there, at this build's schema.
    Ready,
}

/// Makes the database at `address` a board if it is not one yet, or moves
/// a board of an earlier schema to this build's. Safe to run twice, and by
/// two people at once: all of it is one transaction under the write lock.
pub fn init_schema(address: &Address) -> Result<Setup> {
    let shown = address.shown().to_string();
    let mut client = connect(address)?;
    let mut tx = client.transaction().map_err(server_error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .map_err(server_error)?;
    let found = look(&PgDb::new(&mut tx))?;
    let setup = match found {
        Found::Board(v) if v == schema_version() => return Ok(Setup::Ready),
        Found::Board(v) if v > schema_version() => return Err(version_refusal(&shown, v)),
        Found::Board(v) => Setup::Upgraded(v),
        Found::Other(table) => {
            return Err(StoreError::Refused(format!(
                "{shown} already has a table \"{table}\" that is not a teamloop board's: use a database of its own for the board"
            )));
        }
        Found::Nothing => Setup::Made,
    };
    // An earlier board's rows, moved through its schema's migrations in a
    // board held in memory (nothing of it on this machine's disk).
    let moved = match setup {
        Setup::Upgraded(from) => Some(migrated_copy(&PgDb::new(&mut tx), from)?),
        _ => None,
    };
    if let Setup::Upgraded(from) = setup {
        for table in schema::all_tables(from)?.iter().rev() {
            tx.batch_execute(&format!("DROP TABLE \"{}\" CASCADE", table.name))
                .map_err(server_error)?;
        }
        // Who had the board open is not carried over: it starts empty.
        for table in schema::TRANSIENT {
            tx.batch_execute(&format!("DROP TABLE IF EXISTS \"{table}\" CASCADE"))
                .map_err(server_error)?;
        }
        tx.batch_execute(&format!("DROP TABLE {MARK}"))
            .map_err(server_error)?;
    }
    for statement in postgres_schema()? {
        tx.batch_execute(&statement).map_err(server_error)?;
    }
    tx.batch_execute(&format!(
        "CREATE TABLE {MARK} (version BIGINT NOT NULL); INSERT INTO {MARK} VALUES ({})",
        schema_version()
    ))
    .map_err(server_error)?;
    if let Some(memory) = moved {
        let db = PgDb::new(&mut tx);
        let tables = schema::tables(schema_version())?;
        copy_rows(&memory, &db, &tables)?;
        for table in &tables {
            if table.integer_key() == Some("id")
                && let Some(sql) = db.engine().renumber_after_ids(&table.name)
            {
                db.rows(&sql, &[], |_| Ok(()))?;
            }
        }
        crate::store::kept::rebuild(&db)?;
    }
    tx.commit().map_err(server_error)?;
    Ok(setup)
}

/// Every row of a board at schema `from`, in a board in memory migrated
/// to this build's schema.
fn migrated_copy(db: &dyn Db, from: i64) -> Result<rusqlite::Connection> {
    let mut memory = rusqlite::Connection::open_in_memory()?;
    crate::store::open::register_functions(&memory)?;
    crate::store::open::migrate_to(&mut memory, from)?;
    memory.execute_batch("BEGIN; PRAGMA defer_foreign_keys = ON;")?;
    copy_rows(db, &memory, &schema::tables(from)?)?;
    memory.execute_batch("COMMIT")?;
    crate::store::open::migrate_to(&mut memory, schema_version())?;
    Ok(memory)
}

/// Copies every row of `tables` (parents first) from one database to
/// another, value for value, in the order the source holds them.
fn copy_rows(from: &dyn Db, to: &dyn Db, tables: &[schema::Table]) -> Result<()> {
    for table in tables {
        let columns = table.column_names();
        let list = crate::store::sql::quoted_columns(&columns);
        let marks = crate::store::sql::numbered_marks(columns.len());
        let insert = format!("INSERT INTO \"{}\" ({list}) VALUES ({marks})", table.name);
        let select = format!("SELECT {list} FROM \"{}\"", table.name);
        let mut failed = None;
        from.each(&select, &[], &mut |row| {
            if failed.is_none()
                && let Err(e) = to.execute(&insert, &row.0)
            {
                failed = Some(e);
            }
            Ok(())
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
    }
    Ok(())
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
pub fn init_server(address: &str, options: OpenOptions) -> Result<(ServerStore, Setup)> {
    let setup = init_schema(&parse(address)?)?;
    Ok((open_server(address, options)?, setup))
}

/// `teamloop check` on a server board: every table of the schema is there
/// with its columns, every reference the schema declares is a constraint
/// the server enforces, and no row points at a missing row. (The server
/// checks its own pages.) What is wrong, one line each, or nothing.
pub fn check_server(store: &ServerStore) -> Result<Vec<String>> {
    store.read(|db| {
        let version = schema::version_of(db)?;
        let mut problems = Vec::new();
        for table in schema::all_tables(version)? {
            let columns: Vec<String> = db.rows(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
                 WHERE table_schema = current_schema() AND CAST(table_name AS TEXT) = ?1
                 ORDER BY ordinal_position",
                params![&table.name],
                |r| r.get(0),
            )?;
            if columns.is_empty() {
                problems.push(format!("table {} is missing", table.name));
                continue;
            }
            for c in table.column_names() {
                if !columns.contains(&c) {
                    problems.push(format!("{}: column {c} is missing", table.name));
                }
            }
            let enforced: i64 = db.one(
                "SELECT count(*) FROM pg_catalog.pg_constraint k
                 JOIN pg_catalog.pg_class t ON t.oid = k.conrelid
                 WHERE k.contype = 'f' AND CAST(t.relname AS TEXT) = ?1
                   AND t.relnamespace = CAST(current_schema() AS regnamespace)",
                params![&table.name],
            )?;
            if usize::try_from(enforced).unwrap_or(0) < table.references.len() {
                problems.push(format!(
                    "{}: {} of its {} references are not enforced by the server",
                    table.name,
                    table.references.len() - usize::try_from(enforced).unwrap_or(0),
                    table.references.len()
                ));
            }
            for r in &table.references {
                let sql = crate::store::transfer::dangling_sql(&table, r);
                if let Some(id) = db.row(&sql, &[], |row| row.get::<Option<i64>>(1))? {
                    problems.push(format!(
                        "{} row {}: {} points at a missing {} row",
                        table.name,
                        id.unwrap_or(0),
                        r.columns[0].0,
                        r.parent
                    ));
                }
            }
        }
        Ok(problems)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::server::ScratchDatabase;
    use crate::store::{StandupStore, Store};

    /// A board made by the teamloop of schema 6 (before the live standup)
    /// on the server, with a card and an ended standup.
    fn schema_six_board(db: &ScratchDatabase) {
        let address = parse(&db.address).unwrap();
        let mut client = connect(&address).unwrap();
        for statement in schema::postgres_schema_at(6).unwrap() {
            client.batch_execute(&statement).unwrap();
        }
        client
            .batch_execute(&format!(
                "CREATE TABLE {MARK} (version BIGINT NOT NULL); INSERT INTO {MARK} VALUES (6);
                 INSERT INTO boards (id, name, created_at) VALUES (1, 'Old board', 0);
                 INSERT INTO columns (id, board_id, name, position, kind)
                     VALUES (1, 1, 'To Do', 0, 'backlog'), (2, 1, 'Done', 1, 'done');
                 INSERT INTO cards (id, board_id, column_id, position, title, created_at, updated_at)
                     VALUES (7, 1, 1, 0, 'Kept across the upgrade', 0, 0);
                 INSERT INTO standups (id, board_id, day, started_at, ended_at, elapsed_seconds,
                                       format, facilitator)
                     VALUES (3, 1, '2026-11-30', 1000, 400000, 399, 'round-robin', 'ana');"
            ))
            .unwrap();
    }

    #[test]
    fn init_moves_an_older_server_board_to_this_schema_with_its_rows() {
        let Some(db) = ScratchDatabase::new() else {
            return;
        };
        schema_six_board(&db);
        let refused = open_server(&db.address, OpenOptions::new("ana"))
            .err()
            .unwrap();
        assert!(refused.to_string().contains("init moves it"), "{refused}");
        let address = parse(&db.address).unwrap();
        assert_eq!(init_schema(&address).unwrap(), Setup::Upgraded(6));
        assert_eq!(init_schema(&address).unwrap(), Setup::Ready, "once");
        let mut store = open_server(&db.address, OpenOptions::new("ana")).unwrap();
        let board = store.board().unwrap();
        assert_eq!(board.name, "Old board");
        let cards = store.list_cards(&board, None).unwrap();
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].title, "Kept across the upgrade");
        let past = store.past_standups(board.id, 5).unwrap();
        assert_eq!(past.len(), 1, "{past:?}");
        // Ids go on after the old ones.
        let added = store
            .add_card(
                board.columns[0].id,
                crate::domain::NewCard::titled("After"),
                None,
            )
            .unwrap();
        assert_eq!(added.card.0, 8);
    }
}

#[cfg(test)]
mod waits {
    use super::*;
    use crate::store::server::ScratchDatabase;
    use crate::store::sql::postgres::server_error;

    /// A write never waits for ever behind a stuck one, and says so in one
    /// line when it gives up.
    #[test]
    fn a_write_held_up_by_another_gives_up_in_one_line() {
        let Some(db) = ScratchDatabase::new() else {
            return;
        };
        let address = parse(&db.address).unwrap();
        let mut waiter = connect(&address).unwrap();
        let shown: String = waiter.query_one("SHOW lock_timeout", &[]).unwrap().get(0);
        assert_eq!(shown, "10s", "every session waits at most 10 s");
        let mut holder = connect(&address).unwrap();
        holder
            .execute("SELECT pg_advisory_lock($1)", &[&WRITE_LOCK])
            .unwrap();
        waiter.batch_execute("SET lock_timeout = '50ms'").unwrap();
        let e = waiter
            .execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .unwrap_err();
        let said = server_error(e).to_string();
        assert!(said.contains("another write has held the board"), "{said}");
        assert!(!said.contains('\n'));
    }
}
