//! The server engine: a [`Db`] over a PostgreSQL client or transaction
//! (the synchronous `postgres` crate).
//!
//! Values are bound by the type the server infers for each parameter, so
//! one integer value fits a `BIGINT`, an `INTEGER` or a `SMALLINT` column,
//! and read back whatever integer, float, text or bytes type a column has.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{GenericClient, Statement};

use super::{Db, Engine, Row, Value, numbered_dollars};
use crate::store::{Result, StoreError};

type BoxError = Box<dyn Error + Sync + Send>;

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(format!("an integer cannot go into a {ty} parameter").into()),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => Err(format!("a number cannot go into a {ty} parameter").into()),
            },
            // Text and bytes only where the server reads them as such: an
            // integer parameter would take text's bytes for a number.
            Value::Text(s) if <&str as ToSql>::accepts(ty) => s.as_str().to_sql(ty, out),
            Value::Blob(b) if <&[u8] as ToSql>::accepts(ty) => b.as_slice().to_sql(ty, out),
            Value::Text(_) => Err(format!("text cannot go into a {ty} parameter").into()),
            Value::Blob(_) => Err(format!("bytes cannot go into a {ty} parameter").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Value::Int(i64::from(i16::from_sql(ty, raw)?)),
            Type::BOOL => Value::Int(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::BYTEA => Value::Blob(Vec::<u8>::from_sql(ty, raw)?),
            Type::OID => Value::Int(i64::from(u32::from_sql(ty, raw)?)),
            _ => {
                Value::Text(String::from_sql(ty, raw).map_err(|_| {
                    format!("a {ty} column cannot be read: cast it in the statement")
                })?)
            }
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Statements on a server connection or transaction, each prepared once.
/// Rows are read whole before they are handed out, so a query may run
/// another while it reads them, as on SQLite.
pub struct PgDb<'c, C: GenericClient> {
    client: RefCell<&'c mut C>,
    cache: Cache<'c>,
}

/// Prepared statements by their text: a connection's own, kept across
/// calls, or one made for a single use.
pub type Statements = RefCell<HashMap<String, Statement>>;

enum Cache<'c> {
    Own(Statements),
    Shared(&'c Statements),
}

impl Cache<'_> {
    fn get(&self) -> &Statements {
        match self {
            Cache::Own(c) => c,
            Cache::Shared(c) => c,
        }
    }
}

impl<'c, C: GenericClient> PgDb<'c, C> {
    pub fn new(client: &'c mut C) -> Self {
        Self {
            client: RefCell::new(client),
            cache: Cache::Own(RefCell::new(HashMap::new())),
        }
    }

    /// Over a connection whose statements are kept in `cache` (statements
    /// belong to the connection: a new connection needs a new cache).
    pub fn cached(client: &'c mut C, cache: &'c Statements) -> Self {
        Self {
            client: RefCell::new(client),
            cache: Cache::Shared(cache),
        }
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.cache.get().borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .client
            .borrow_mut()
            .prepare(&numbered_dollars(sql))
            .map_err(server_error)?;
        self.cache
            .get()
            .borrow_mut()
            .insert(sql.to_string(), s.clone());
        Ok(s)
    }
}

fn refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl<C: GenericClient> Db for PgDb<'_, C> {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        self.client
            .borrow_mut()
            .execute(&stmt, &refs(params))
            .map_err(server_error)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.statement(sql)?;
        let n = stmt.columns().len();
        // Read whole, and the client let go, before any row is handed out.
        let rows = self
            .client
            .borrow_mut()
            .query(&stmt, &refs(params))
            .map_err(server_error)?;
        let mut row = Row(Vec::with_capacity(n));
        for r in &rows {
            row.0.clear();
            for i in 0..n {
                row.0.push(r.try_get::<_, Value>(i).map_err(server_error)?);
            }
            each(&row)?;
        }
        Ok(())
    }
}

/// A server error as one line: its message (and detail), never the
/// connection's parameters.
pub fn server_error(e: postgres::Error) -> StoreError {
    if let Some(db) = e.as_db_error() {
        if db.code() == &postgres::error::SqlState::UNIQUE_VIOLATION {
            return StoreError::Unique(db.message().to_string());
        }
        // The server ends the session (shut down, restarting, the backend
        // terminated) or the connection failed: the connection is gone.
        let code = db.code().code();
        if code.starts_with("57P") || code.starts_with("08") {
            return StoreError::Disconnected;
        }
        // The waits every session sets (see `server::connect`).
        if code == "55P03" {
            return StoreError::Refused(
                "nothing was changed: another write has held the board for over 10 s; try again in a moment".into(),
            );
        }
        if code == "57014" {
            return StoreError::Refused(
                "nothing was changed: the server stopped a statement that ran over 60 s".into(),
            );
        }
        let mut text = db.message().to_string();
        if let Some(d) = db.detail() {
            text.push_str(" (");
            text.push_str(d);
            text.push(')');
        }
        return StoreError::Server(text);
    }
    if e.is_closed() {
        return StoreError::Disconnected;
    }
    StoreError::Server(e.to_string())
}

/// The test server's address (`TEAMLOOP_TEST_PG`, which `.ci/postgres start`
/// prints); without one the server tests say they are skipped, and fail
/// when `TEAMLOOP_REQUIRE_PG` is set (as `.ci/run` sets it).
#[doc(hidden)]
pub fn test_server() -> Option<String> {
    match std::env::var("TEAMLOOP_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("TEAMLOOP_REQUIRE_PG").is_none(),
                "TEAMLOOP_REQUIRE_PG is set but TEAMLOOP_TEST_PG is not: no server to test on"
            );
            eprintln!(
                "skipped: no PostgreSQL server for this test (eval \"$(.ci/postgres start)\" starts one)"
            );
            None
        }
    }
}
