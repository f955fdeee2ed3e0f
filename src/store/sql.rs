//! The one SQL layer under the store: statements written once, run on the
//! embedded SQLite file or on a PostgreSQL server.
//!
//! The store's statements are plain SQL that both engines accept, with
//! numbered parameters written `?1`, `?2`… (SQLite's own form; the server
//! adapter rewrites them to `$1`, `$2`… outside quotes). What the engines
//! spell differently goes through [`Engine`]'s few hooks. Values cross as
//! [`Value`]: integers (flags are 0/1, as SQLite keeps them; the server
//! schema uses `BIGINT` for both), reals, text and bytes.
//!
//! Conventions that keep a statement portable, checked by the tests of
//! both adapters:
//! - aggregates over integers are cast back (`CAST(sum(x) AS BIGINT)`): the
//!   server's `sum` of a `BIGINT` is a `NUMERIC`;
//! - new rows give their id with `RETURNING id`, duplicates are skipped with
//!   `ON CONFLICT DO NOTHING`, lists are joined with `string_agg`;
//! - a parameter whose type nothing around it fixes (`SELECT ?1`, a
//!   function's argument) is cast: the server would take it for text;
//! - random ids are drawn in Rust and bound, never by the engine's
//!   `random()`; times are milliseconds taken in the write's transaction.

pub mod postgres;
pub mod schema;
pub mod sqlite;

use super::{Result, StoreError};

/// Which engine a statement runs on, for the few things they spell
/// differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// A join that reads its left table first, then the right one's rows
    /// by index: SQLite's `CROSS JOIN` (its planner, with no statistics,
    /// would otherwise start from the larger table), the server's `JOIN`.
    /// "The board's columns, then each column's live cards" costs what the
    /// columns hold, not what the board has ever finished.
    pub fn left_first(self) -> &'static str {
        match self {
            Engine::Sqlite => "CROSS JOIN",
            Engine::Postgres => "JOIN",
        }
    }

    /// Where `needle` first occurs in `hay`, counted from 1 (0: nowhere).
    pub fn position(self, needle: &str, hay: &str) -> String {
        match self {
            Engine::Sqlite => format!("instr({hay}, {needle})"),
            Engine::Postgres => format!("strpos({hay}, {needle})"),
        }
    }

    /// `a LIKE b` with ASCII case ignored, as SQLite's `LIKE` does.
    pub fn like_any_case(self, a: &str, b: &str) -> String {
        match self {
            Engine::Sqlite => format!("{a} LIKE {b}"),
            Engine::Postgres => format!("{a} ILIKE {b}"),
        }
    }

    /// Text in lower case for every script, for a search that ignores case
    /// (the needle is folded in Rust with `str::to_lowercase`): SQLite's
    /// own `lower()` folds ASCII only, so the file registers `tl_fold`; the
    /// server's `lower()` folds by its database's locale.
    pub fn fold(self, text: &str) -> String {
        match self {
            Engine::Sqlite => format!("tl_fold({text})"),
            Engine::Postgres => format!("lower({text})"),
        }
    }

    /// The larger of two values (SQLite's two-argument `max`).
    pub fn greatest(self, a: &str, b: &str) -> String {
        match self {
            Engine::Sqlite => format!("max({a}, {b})"),
            Engine::Postgres => format!("greatest({a}, {b})"),
        }
    }

    /// A text column ordered by its bytes, as the file orders text (the
    /// server's own order follows its database's locale).
    pub fn bytewise(self, text: &str) -> String {
        match self {
            Engine::Sqlite => text.to_string(),
            Engine::Postgres => format!("{text} COLLATE \"C\""),
        }
    }

    /// How many elements the JSON array kept as text in `json` holds.
    pub fn json_length(self, json: &str) -> String {
        match self {
            Engine::Sqlite => format!("json_array_length({json})"),
            Engine::Postgres => format!("json_array_length(CAST({json} AS json))"),
        }
    }

    /// The sum of the numbers in the JSON array kept as text in `json` (0
    /// for an empty one).
    pub fn json_sum(self, json: &str) -> String {
        match self {
            Engine::Sqlite => format!("(SELECT total(value) FROM json_each({json}))"),
            Engine::Postgres => format!(
                "(SELECT coalesce(sum(CAST(value AS DOUBLE PRECISION)), 0)
                  FROM json_array_elements_text(CAST({json} AS json)))"
            ),
        }
    }

    /// The statement after which, until the transaction ends, references
    /// are checked at its end: rows may leave and come back, or come before
    /// the rows they point at, within one write.
    pub fn defer_references(self) -> &'static str {
        match self {
            Engine::Sqlite => "PRAGMA defer_foreign_keys = ON",
            Engine::Postgres => "SET CONSTRAINTS ALL DEFERRED",
        }
    }

    /// The query that moves the numbering of `table`'s `id` past the
    /// largest id it holds, once rows were written with their own ids, so
    /// that the next new row does not take one of theirs: the file's rowid
    /// takes the next after the largest by itself; the server's identity
    /// counts on from where it was.
    pub fn renumber_after_ids(self, table: &str) -> Option<String> {
        match self {
            Engine::Sqlite => None,
            Engine::Postgres => Some(format!(
                "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), max(id))
                 FROM \"{table}\" HAVING max(id) > 0"
            )),
        }
    }
}

/// One value going into or coming out of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<&i64> for Value {
    fn from(v: &i64) -> Self {
        Value::Int(*v)
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl From<&u32> for Value {
    fn from(v: &u32) -> Self {
        Value::Int(i64::from(*v))
    }
}
impl<T: Clone + Into<Value>> From<&Option<T>> for Value {
    fn from(v: &Option<T>) -> Self {
        v.clone().map_or(Value::Null, Into::into)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Parameters as a slice of values: `params![id, name, None::<i64>]`.
#[macro_export]
macro_rules! sql_params {
    () => { &[] as &[$crate::store::sql::Value] };
    ($($v:expr),+ $(,)?) => { &[$($crate::store::sql::Value::from($v)),+] as &[$crate::store::sql::Value] };
}

/// A value read back as a Rust type.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> std::result::Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(*i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}
impl FromValue for u32 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        let i = i64::from_value(v)?;
        u32::try_from(i).map_err(|_| format!("{i} is out of range"))
    }
}
impl FromValue for i32 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        let i = i64::from_value(v)?;
        i32::try_from(i).map_err(|_| format!("{i} is out of range"))
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            Value::Text(s) => Ok(s.clone().into_bytes()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    /// Column `i` as a `T`; a mismatch is a store error naming the column.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self
            .0
            .get(i)
            .ok_or_else(|| StoreError::Query(format!("no column {i} in the row")))?;
        T::from_value(v).map_err(|e| StoreError::Query(format!("column {i}: {e}")))
    }
}

/// A connection (or a transaction on one) that runs statements. Shared
/// (`&self`), as a rusqlite connection is: a query may run another while
/// it hands out rows.
pub trait Db {
    fn engine(&self) -> Engine;
    /// Runs a statement; how many rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Runs a query, handing each row to `each` in order.
    fn each(
        &self,
        sql: &str,
        params: &[Value],
        each: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()>;
}

/// What every [`Db`] can do, built on its two methods.
pub trait DbExt: Db {
    /// Every row, each made into a `T`.
    fn rows<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, if any.
    fn row<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut first = None;
        self.each(sql, params, &mut |r| {
            if first.is_none() {
                first = Some(r.clone());
            }
            Ok(())
        })?;
        first.as_ref().map(f).transpose()
    }

    /// The first column of the first row (a query that always has one).
    fn one<T: FromValue>(&self, sql: &str, params: &[Value]) -> Result<T> {
        self.row(sql, params, |r| r.get(0))?
            .ok_or_else(|| StoreError::Query(format!("no row from: {}", first_words(sql))))
    }
}

impl<D: Db + ?Sized> DbExt for D {}

fn first_words(sql: &str) -> String {
    sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
}

/// Column names quoted for a statement built from the schema: `"a", "b"`.
pub fn quoted_columns(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The parameters `?1, ?2, …` of a statement that takes `n`.
pub fn numbered_marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `?N` parameters as `$N`, outside quoted text and identifiers, for the
/// server; a bare `?` takes the next number.
pub fn numbered_dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next = 1;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                if digits.is_empty() {
                    digits = next.to_string();
                }
                next = digits.parse::<usize>().unwrap_or(next) + 1;
                out.push('$');
                out.push_str(&digits);
            }
            c => out.push(c),
        }
    }
    out
}

/// Fresh, empty boards on both engines for the store's tests: the same
/// test body runs on a migrated in-memory SQLite file and, when a test
/// server is given (`TEAMLOOP_TEST_PG`), on the server schema in a schema
/// of its own, dropped afterwards.
#[cfg(test)]
pub(crate) mod testing {
    use super::Db;

    /// A migrated in-memory file with the file's functions.
    pub fn sqlite() -> rusqlite::Connection {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::open::register_functions(&conn).unwrap();
        crate::store::open::migrate_to(&mut conn, crate::store::schema_version()).unwrap();
        conn
    }

    /// Runs `f` as one write: the real store runs each in a transaction, and
    /// a rewrite in a random order needs one (its foreign keys are checked at
    /// the end). The file's foreign keys are on, as the store opens it.
    pub fn in_tx<T>(
        db: &dyn Db,
        f: impl FnOnce(&dyn Db) -> crate::store::Result<T>,
    ) -> crate::store::Result<T> {
        if db.engine() == super::Engine::Sqlite {
            db.execute("PRAGMA foreign_keys = ON", &[]).unwrap();
        }
        db.execute("BEGIN", &[]).unwrap();
        let out = f(db);
        db.execute(if out.is_ok() { "COMMIT" } else { "ROLLBACK" }, &[])
            .unwrap();
        out
    }

    /// Runs `f` on a fresh SQLite board, then on a fresh server one.
    pub fn on_both(mut f: impl FnMut(&dyn Db)) {
        f(&sqlite());
        in_server_schema(true, |db| f(db));
    }

    /// Runs `f` in a schema of its own on the test server (with the
    /// board's tables if `tables`), dropped afterwards; nothing without a
    /// test server.
    pub fn in_server_schema(tables: bool, f: impl FnOnce(&dyn Db)) {
        let Some(url) = super::postgres::test_server() else {
            return;
        };
        let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        let schema = format!("t_{}", crate::store::random_id());
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema}"
            ))
            .unwrap();
        if tables {
            for statement in super::schema::postgres_schema().unwrap() {
                client.batch_execute(&statement).unwrap();
            }
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            f(&super::postgres::PgDb::new(&mut client));
        }));
        client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_dollars_outside_quotes_only() {
        assert_eq!(
            numbered_dollars("SELECT '?1', \"a?\" FROM t WHERE a = ?1 AND b = ?12 OR c = ?"),
            "SELECT '?1', \"a?\" FROM t WHERE a = $1 AND b = $12 OR c = $13"
        );
        assert_eq!(numbered_dollars("VALUES (?, ?)"), "VALUES ($1, $2)");
        assert_eq!(numbered_dollars("it''s ?1"), "it''s $1");
    }

    #[test]
    fn values_read_back_as_the_types_the_store_uses() {
        let r = Row(vec![
            Value::Int(3),
            Value::Null,
            Value::Text("a".into()),
            Value::Int(1),
            Value::Int(-1),
        ]);
        assert_eq!(r.get::<u32>(0).unwrap(), 3);
        assert_eq!(r.get::<Option<i64>>(1).unwrap(), None);
        assert_eq!(r.get::<String>(2).unwrap(), "a");
        assert!(r.get::<bool>(3).unwrap());
        assert!(
            r.get::<u32>(4).is_err(),
            "a negative count is an error, not a wrap"
        );
        assert!(r.get::<i64>(2).is_err());
        assert!(r.get::<i64>(9).is_err());
    }
}

/// The same statements through both adapters: what the store relies on.
#[cfg(test)]
mod engines {
    use super::*;

    fn portable_script(db: &dyn Db) {
        db.execute(
            "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, points BIGINT, done BIGINT NOT NULL DEFAULT 0)",
            &[],
        )
        .unwrap();
        let id: i64 = db
            .one(
                "INSERT INTO t (id, name, points) VALUES (?1, ?2, ?3) RETURNING id",
                sql_params![7_i64, "ana's card", 3_u32],
            )
            .unwrap();
        assert_eq!(id, 7);
        db.execute(
            "INSERT INTO t (id, name, points, done) VALUES (?1, ?2, ?3, ?4)",
            sql_params![8_i64, "ben", None::<i64>, true],
        )
        .unwrap();
        let skipped = db
            .execute(
                "INSERT INTO t (id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                sql_params![9_i64, "ben"],
            )
            .unwrap();
        assert_eq!(skipped, 0, "a duplicate is skipped, not an error");
        let taken = db
            .execute(
                "INSERT INTO t (id, name) VALUES (?1, ?2)",
                sql_params![10_i64, "ben"],
            )
            .unwrap_err();
        assert!(matches!(taken, StoreError::Unique(_)), "{taken:?}");
        let (sum, n, names): (i64, u32, String) = db
            .row(
                "SELECT CAST(coalesce(sum(points), 0) AS BIGINT), count(*), string_agg(name, ',' ORDER BY id) FROM t",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
            .unwrap();
        assert_eq!((sum, n, names.as_str()), (3, 2, "ana's card,ben"));
        let done: Vec<(String, bool, Option<u32>)> = db
            .rows(
                "SELECT name, done, points FROM t WHERE id >= ?1 ORDER BY id",
                sql_params![0_i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            done,
            vec![
                ("ana's card".to_string(), false, Some(3)),
                ("ben".to_string(), true, None)
            ]
        );
        let engine = db.engine();
        let found: i64 = db
            .one(
                &format!(
                    "SELECT count(*) FROM t WHERE {} > 0 AND {}",
                    engine.position("'card'", "name"),
                    engine.like_any_case("name", "?1")
                ),
                sql_params!["ANA%"],
            )
            .unwrap();
        assert_eq!(found, 1);
        let bigger: i64 = db
            .one(
                &format!(
                    "SELECT {}",
                    engine.greatest("CAST(?1 AS BIGINT)", "CAST(?2 AS BIGINT)")
                ),
                sql_params![2_i64, 5_i64],
            )
            .unwrap();
        assert_eq!(bigger, 5);
        // A query may run another while it hands out rows.
        let mut nested = Vec::new();
        db.each("SELECT id FROM t ORDER BY id", &[], &mut |r| {
            let id: i64 = r.get(0)?;
            nested.push(db.one::<String>("SELECT name FROM t WHERE id = ?1", sql_params![id])?);
            Ok(())
        })
        .unwrap();
        assert_eq!(nested, ["ana's card", "ben"]);
        assert!(
            db.row(
                "SELECT name FROM t WHERE id = ?1",
                sql_params![99_i64],
                |r| r.get::<String>(0)
            )
            .unwrap()
            .is_none()
        );
    }

    #[test]
    fn a_fresh_board_on_each_engine_folds_case_alike() {
        testing::on_both(|db| {
            let e = db.engine();
            let found: i64 = db
                .one(
                    &format!(
                        "SELECT count(*) FROM boards WHERE {} = ?1 OR ?1 = 'x'",
                        e.fold("'TeAm'")
                    ),
                    crate::sql_params!["team"],
                )
                .unwrap();
            assert_eq!(found, 0, "a fresh schema holds no board");
            let folded: String = db
                .one(&format!("SELECT {}", e.fold("'ÉMILE Team'")), &[])
                .unwrap();
            assert_eq!(folded, "émile team");
        });
    }

    #[test]
    fn the_portable_statements_run_on_sqlite() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        portable_script(&conn);
    }

    #[test]
    fn the_portable_statements_run_on_postgres() {
        testing::in_server_schema(false, portable_script);
    }
}
