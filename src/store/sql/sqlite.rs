//! The embedded engine: a rusqlite connection (or a transaction on one)
//! is a [`Db`], so a store function written over `&dyn Db` is called with
//! the connection as it is.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql, Transaction};

use super::{Db, Engine, Row, Value};
use crate::store::Result;

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// Statements on a SQLite connection, through its statement cache.
impl Db for Connection {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut stmt = self.prepare_cached(sql)?;
        Ok(stmt
            .execute(rusqlite::params_from_iter(params))
            .map_err(error)? as u64)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params))
            .map_err(error)?;
        let mut row = Row(Vec::with_capacity(n));
        while let Some(r) = rows.next().map_err(error)? {
            row.0.clear();
            for i in 0..n {
                row.0.push(value_of(r.get_ref(i)?));
            }
            each(&row)?;
        }
        Ok(())
    }
}

/// A repeated unique value is [`StoreError::Unique`] on both engines.
fn error(e: rusqlite::Error) -> crate::store::StoreError {
    const UNIQUE: i32 = 2067;
    const PRIMARY_KEY: i32 = 1555;
    match &e {
        rusqlite::Error::SqliteFailure(f, msg)
            if f.extended_code == UNIQUE || f.extended_code == PRIMARY_KEY =>
        {
            crate::store::StoreError::Unique(msg.clone().unwrap_or_default())
        }
        _ => e.into(),
    }
}

impl Db for Transaction<'_> {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64> {
        Db::execute(&**self, sql, params)
    }

    fn each(
        &self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        Db::each(&**self, sql, params, each)
    }
}
