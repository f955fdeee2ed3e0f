//! The server's schema, made from the embedded one: the SQLite migrations
//! stay the one definition of every table, column and rule, and the
//! server's tables are their `CREATE` statements (as SQLite keeps them once
//! migrated) spelled the way PostgreSQL reads them. A test builds both and
//! compares every table and column.
//!
//! What changes in the spelling:
//! - types: `INTEGER` is `BIGINT` (flags stay 0/1, so statements compare
//!   them the same way), `REAL` is `DOUBLE PRECISION`, `BLOB` is `BYTEA`;
//!   an `id INTEGER PRIMARY KEY` gets its numbers from an identity, as a
//!   rowid does;
//! - `STRICT` and `WITHOUT ROWID` go (the server's columns are typed);
//! - the checks on days, JSON and text use the server's functions with the
//!   same meaning: a day is a real date written `YYYY-MM-DD`, a JSON value
//!   has the same shape;
//! - an index on `name COLLATE NOCASE` is on `lower(name)`;
//! - a foreign key may be checked at the end of its transaction when a
//!   write asks (`SET CONSTRAINTS ALL DEFERRED`, as SQLite's
//!   `defer_foreign_keys`): rows rewritten in a random order leave and come
//!   back within one write.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use super::{Db, DbExt, Engine};
use crate::store::{StoreError, schema_version};

/// One table of the schema, as the migrations make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    /// Its columns in order: each name with its type as declared
    /// (`INTEGER`, `REAL`, `TEXT`, `BLOB`).
    pub columns: Vec<(String, String)>,
    /// The columns of its primary key, in the key's order.
    pub key: Vec<String>,
    /// The rows of other tables (or its own) that its rows point at.
    pub references: Vec<Reference>,
}

/// Columns of a table that point at a row of `parent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Pairs of (this table's column, the parent's column).
    pub columns: Vec<(String, String)>,
    pub parent: String,
}

impl Table {
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|(c, _)| c.clone()).collect()
    }

    pub fn is_text(&self, column: &str) -> bool {
        self.columns
            .iter()
            .any(|(c, ty)| c == column && ty == "TEXT")
    }

    /// The one integer column its rows are known by, if its key is one.
    pub fn integer_key(&self) -> Option<&str> {
        match self.key.as_slice() {
            [k] if self.columns.iter().any(|(c, ty)| c == k && ty == "INTEGER") => Some(k.as_str()),
            _ => None,
        }
    }
}

/// The database's schema version: the file's own (`user_version`, which
/// the migrations set); the server's schema is made at this build's.
pub fn version_of(db: &dyn Db) -> crate::store::Result<i64> {
    match db.engine() {
        Engine::Sqlite => db.one("PRAGMA user_version", &[]),
        // The version `init` marked the board with (see `server::setup`).
        Engine::Postgres => {
            let marked: i64 = db.one(
                "SELECT count(*) FROM pg_catalog.pg_tables
                 WHERE schemaname = current_schema() AND tablename = 'teamloop_schema'",
                &[],
            )?;
            if marked == 0 {
                return Ok(schema_version());
            }
            Ok(db
                .one::<Option<i64>>("SELECT max(version) FROM teamloop_schema", &[])?
                .unwrap_or_else(schema_version))
        }
    }
}

/// Tables of the schema that hold no data of the team's: who has the board
/// open now (see migration 9). An export, an import, a check that a board
/// is empty and a server's upgrade leave them out; each engine still makes
/// them with the rest of the schema.
pub const TRANSIENT: &[&str] = &["presence", "content_version"];

/// The tables of the team's rows at `version`: what an export holds and an
/// import fills, each after the tables it refers to (then by name), so
/// that rows written in this order point only at rows already there; a
/// cycle of references (none yet) would leave the rest in name order. The
/// [`TRANSIENT`] tables and the figures kept from the team's rows
/// ([`crate::store::kept`], built again, never carried) are left out.
pub fn tables(version: i64) -> crate::store::Result<Vec<Table>> {
    let mut all = all_tables(version)?;
    all.retain(|t| !crate::store::kept::TABLES.contains(&t.name.as_str()));
    Ok(all)
}

/// Every table of the schema at `version` but the [`TRANSIENT`] ones,
/// kept figures too, in the order of [`tables`]: what a server's upgrade
/// drops and its check looks for. Read from the migrations themselves,
/// the same for either engine, and kept once read.
pub fn all_tables(version: i64) -> crate::store::Result<Vec<Table>> {
    static READ: Mutex<BTreeMap<i64, Vec<Table>>> = Mutex::new(BTreeMap::new());
    let read = |r: &BTreeMap<i64, Vec<Table>>| r.get(&version).cloned();
    if let Some(t) = read(
        &READ
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    ) {
        return Ok(t);
    }
    let mut tables = in_order(read_tables(&migrated(version)?)?);
    tables.retain(|t| !TRANSIENT.contains(&t.name.as_str()));
    READ.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(version, tables.clone());
    Ok(tables)
}

/// Every table of a migrated file, by name.
fn read_tables(conn: &rusqlite::Connection) -> crate::store::Result<Vec<Table>> {
    let names: Vec<String> = conn.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name",
        &[],
        |r| r.get(0),
    )?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let columns: Vec<(String, String, i64)> = conn.rows(
            "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid",
            crate::sql_params![&name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut key: Vec<(i64, String)> = columns
            .iter()
            .filter(|(_, _, pk)| *pk > 0)
            .map(|(c, _, pk)| (*pk, c.clone()))
            .collect();
        key.sort();
        let links: Vec<(i64, String, String, Option<String>)> = conn.rows(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1)
             ORDER BY id, seq",
            crate::sql_params![&name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let mut references: Vec<(i64, Reference)> = Vec::new();
        for (id, parent, from, to) in links {
            // A reference without its parent's column names the parent's key.
            let to = match to {
                Some(to) => to,
                None => conn
                    .rows(
                        "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
                        crate::sql_params![&parent],
                        |r| r.get::<String>(0),
                    )?
                    .into_iter()
                    .nth(references.iter().filter(|(i, _)| *i == id).count())
                    .unwrap_or_default(),
            };
            match references.iter_mut().find(|(i, _)| *i == id) {
                Some((_, r)) => r.columns.push((from, to)),
                None => references.push((
                    id,
                    Reference {
                        columns: vec![(from, to)],
                        parent,
                    },
                )),
            }
        }
        tables.push(Table {
            name,
            columns: columns.into_iter().map(|(c, ty, _)| (c, ty)).collect(),
            key: key.into_iter().map(|(_, c)| c).collect(),
            references: references.into_iter().map(|(_, r)| r).collect(),
        });
    }
    Ok(tables)
}

/// Tables in name order put each after the tables it refers to.
fn in_order(mut left: Vec<Table>) -> Vec<Table> {
    let mut ordered: Vec<Table> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let done: HashSet<String> = ordered.iter().map(|t| t.name.clone()).collect();
        let (ready, rest): (Vec<Table>, Vec<Table>) = left.into_iter().partition(|t| {
            t.references
                .iter()
                .all(|r| r.parent == t.name || done.contains(&r.parent))
        });
        left = rest;
        if ready.is_empty() {
            ordered.append(&mut left);
            break;
        }
        ordered.extend(ready);
    }
    ordered
}

/// The PostgreSQL form of one SQLite `CREATE TABLE` or `CREATE INDEX`.
pub fn postgres_statement(sqlite: &str) -> String {
    let mut s = sqlite.to_string();
    for (from, to) in [
        (") STRICT, WITHOUT ROWID", ")"),
        (") STRICT", ")"),
        (" COLLATE NOCASE", ""),
    ] {
        s = s.replace(from, to);
    }
    if s.starts_with("CREATE UNIQUE INDEX") || s.starts_with("CREATE INDEX") {
        return lower_nocase_index(sqlite, s);
    }
    let mut out = String::with_capacity(s.len() + 64);
    for line in s.lines() {
        out.push_str(&column_line(line));
        out.push('\n');
    }
    let mut s = out.trim_end().to_string();
    s = days(&s);
    s = json_checks(&s);
    s = s.replace("instr(", "strpos(");
    deferrable(&s)
}

/// Every `REFERENCES t(c)` (with its `ON DELETE …`) made deferrable.
fn deferrable(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 64);
    let mut rest = s;
    while let Some(at) = rest.find("REFERENCES ") {
        let close = rest[at..].find(')').map_or(rest.len(), |i| at + i + 1);
        let mut end = close;
        if rest[close..].starts_with(" ON DELETE CASCADE") {
            end += " ON DELETE CASCADE".len();
        }
        out.push_str(&rest[..end]);
        out.push_str(" DEFERRABLE INITIALLY IMMEDIATE");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `name COLLATE NOCASE` in an index: `lower(name)`.
fn lower_nocase_index(sqlite: &str, mut s: String) -> String {
    if let Some(at) = sqlite.find(" COLLATE NOCASE") {
        let before = &sqlite[..at];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let column = &before[start..];
        s = s.replacen(
            &format!("{column}{}", &sqlite[at + 15..]).replace(" COLLATE NOCASE", ""),
            &format!("lower({column}){}", &sqlite[at + 15..]),
            1,
        );
    }
    s
}

/// One line of a table's columns, with the server's types.
fn column_line(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    let mut words = trimmed.splitn(2, char::is_whitespace);
    let name = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("").trim_start();
    let typed = |ty: &str| {
        rest.starts_with(ty) && !rest[ty.len()..].starts_with(|c: char| c.is_alphanumeric())
    };
    let (ty, after) = if typed("INTEGER") {
        ("BIGINT", &rest[7..])
    } else if typed("REAL") {
        ("DOUBLE PRECISION", &rest[4..])
    } else if typed("BLOB") {
        ("BYTEA", &rest[4..])
    } else if typed("TEXT") {
        ("TEXT", &rest[4..])
    } else {
        return line.to_string();
    };
    let after_trim = after.trim_start();
    if name == "id" && after_trim.starts_with("PRIMARY KEY") && !after_trim.contains("REFERENCES") {
        return format!("{indent}{name} BIGINT GENERATED BY DEFAULT AS IDENTITY {after_trim}");
    }
    format!("{indent}{name} {ty}{after}")
}

/// The checks that a text is a day: `x IS date(x, '+0 days')` is true for
/// NULL and for a real date written canonically; `julianday(a) -
/// julianday(b)` is a count of days.
fn days(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(at) = out.find(" IS date(") {
        let before = &out[..at];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let column = before[start..].to_string();
        let call = format!("{column} IS date({column}, '+0 days')");
        let with = format!(
            "({column} IS NULL OR to_char(CAST({column} AS date), 'YYYY-MM-DD') = {column})"
        );
        if !out.contains(&call) {
            break;
        }
        out = out.replacen(&call, &with, 1);
    }
    while let Some(at) = out.find("julianday(") {
        let close = out[at..].find(')').map_or(out.len(), |i| at + i);
        let column = out[at + 10..close].to_string();
        out.replace_range(at..=close, &format!("CAST({column} AS date)"));
    }
    out
}

/// The checks on JSON text: valid, and its fields of the right kinds.
fn json_checks(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(at) = out.find("json_valid(") {
        let close = out[at..].find(')').map_or(out.len(), |i| at + i);
        let column = out[at + 11..close].to_string();
        out.replace_range(at..=close, &format!("CAST({column} AS jsonb) IS NOT NULL"));
    }
    while let Some(at) = out.find("json_type(") {
        let close = out[at..].find(')').map_or(out.len(), |i| at + i);
        let args: Vec<String> = out[at + 10..close]
            .split(',')
            .map(|a| a.trim().to_string())
            .collect();
        let target = match args.as_slice() {
            [column] => format!("CAST({column} AS jsonb)"),
            [column, path] => {
                let key = path.trim_matches('\'').trim_start_matches("$.");
                format!("(CAST({column} AS jsonb) -> '{key}')")
            }
            _ => break,
        };
        // `json_type(…) IS 'text'` → `jsonb_typeof(…) = 'string'`.
        let rest = &out[close + 1..];
        let Some(kind_start) = rest.find('\'') else {
            break;
        };
        let kind_end = rest[kind_start + 1..]
            .find('\'')
            .map_or(rest.len(), |i| kind_start + 1 + i);
        let kind = &rest[kind_start + 1..kind_end];
        let pg_kind = match kind {
            "text" => "string",
            "integer" | "real" => "number",
            other => other,
        };
        let replaced = format!("jsonb_typeof({target}) = '{pg_kind}'");
        out.replace_range(at..close + 1 + kind_end + 1, &replaced);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_as_the_server_spells_it() {
        let sqlite = "CREATE TABLE \"t\" (\n    id        INTEGER PRIMARY KEY,\n    card_id   INTEGER NOT NULL REFERENCES cards(id),\n    position  REAL    NOT NULL,\n    claim     BLOB CHECK (claim IS NULL OR length(claim) = 32),\n    day       TEXT    NOT NULL CHECK (day IS date(day, '+0 days')),\n    counts    TEXT    NOT NULL CHECK (json_valid(counts) AND json_type(counts) IS 'array'),\n    format    TEXT    NOT NULL CHECK (json_type(format, '$.id') IS 'text'),\n    tag       TEXT    NOT NULL CHECK (instr(tag, ' ') = 0)\n) STRICT, WITHOUT ROWID";
        let pg = postgres_statement(sqlite);
        assert!(
            pg.contains("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
            "{pg}"
        );
        assert!(
            pg.contains(
                "card_id BIGINT NOT NULL REFERENCES cards(id) DEFERRABLE INITIALLY IMMEDIATE,"
            ),
            "{pg}"
        );
        assert!(pg.contains("position DOUBLE PRECISION    NOT NULL"), "{pg}");
        assert!(pg.contains("claim BYTEA CHECK"), "{pg}");
        assert!(
            pg.contains("(day IS NULL OR to_char(CAST(day AS date), 'YYYY-MM-DD') = day)"),
            "{pg}"
        );
        assert!(
            pg.contains("CAST(counts AS jsonb) IS NOT NULL AND jsonb_typeof(CAST(counts AS jsonb)) = 'array'"),
            "{pg}"
        );
        assert!(
            pg.contains("jsonb_typeof((CAST(format AS jsonb) -> 'id')) = 'string'"),
            "{pg}"
        );
        assert!(pg.contains("strpos(tag, ' ') = 0"), "{pg}");
        assert!(pg.ends_with(')'), "{pg}");
        assert!(!pg.contains("STRICT") && !pg.contains("ROWID"), "{pg}");
    }

    #[test]
    fn the_tables_come_each_after_those_they_point_at_at_every_version() {
        let now = tables(crate::store::schema_version()).unwrap();
        let names: Vec<&str> = now.iter().map(|t| t.name.as_str()).collect();
        for t in &now {
            let at = names.iter().position(|n| *n == t.name).unwrap();
            for r in &t.references {
                let parent = names.iter().position(|n| *n == r.parent).unwrap();
                assert!(parent <= at, "{} before {}", r.parent, t.name);
            }
        }
        let cards = now.iter().find(|t| t.name == "cards").unwrap();
        assert_eq!(cards.integer_key(), Some("id"));
        assert!(cards.is_text("title") && !cards.is_text("points"));
        let tags = now.iter().find(|t| t.name == "card_tags").unwrap();
        assert_eq!(tags.key, ["card_id", "tag"]);
        assert_eq!(tags.integer_key(), None);
        // An older schema's tables are its own: schema 5 kept vote marks.
        let old = tables(5).unwrap();
        assert!(old.iter().any(|t| t.name == "retro_vote_marks"));
        assert!(!names.contains(&"retro_vote_marks"));
        assert!(tables(crate::store::schema_version() + 1).is_err());
    }

    #[test]
    fn an_index_without_case_is_on_the_lower_case() {
        assert_eq!(
            postgres_statement(
                "CREATE UNIQUE INDEX columns_live_name ON columns (board_id, name COLLATE NOCASE)\n    WHERE deleted_at IS NULL"
            ),
            "CREATE UNIQUE INDEX columns_live_name ON columns (board_id, lower(name))\n    WHERE deleted_at IS NULL"
        );
        assert_eq!(
            postgres_statement("CREATE INDEX a ON t (x, y)"),
            "CREATE INDEX a ON t (x, y)"
        );
    }
}

/// A database made by the migrations up to `version`, in memory: the one
/// definition of the schema, read for what it holds.
fn migrated(version: i64) -> crate::store::Result<rusqlite::Connection> {
    if version > schema_version() {
        return Err(StoreError::Query(format!(
            "schema {version} is newer than this build's ({})",
            schema_version()
        )));
    }
    let mut conn = rusqlite::Connection::open_in_memory()?;
    crate::store::open::register_functions(&conn)?;
    crate::store::open::migrate_to(&mut conn, version)?;
    Ok(conn)
}

/// Every statement of the server's schema at this build's version: the
/// tables in the order they were made (a table before those referring to
/// it), then the indexes.
pub fn postgres_schema() -> crate::store::Result<Vec<String>> {
    postgres_schema_at(schema_version())
}

/// The server's schema as it was at `version`.
pub fn postgres_schema_at(version: i64) -> crate::store::Result<Vec<String>> {
    let conn = migrated(version)?;
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index')
         ORDER BY type = 'index', rowid",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for sql in rows {
        out.push(postgres_statement(&sql?));
    }
    Ok(out)
}

#[cfg(test)]
mod both {
    use super::*;

    /// Each table's columns as (name, type, not null), in order.
    type Columns = Vec<(String, String, bool)>;

    fn sqlite_tables() -> std::collections::BTreeMap<String, Columns> {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::store::open::register_functions(&conn).unwrap();
        crate::store::open::migrate_to(&mut conn, crate::store::schema_version()).unwrap();
        let names: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        names
            .into_iter()
            .map(|t| {
                let cols = conn
                    .prepare(&format!("SELECT name, type, \"notnull\", pk FROM pragma_table_info('{t}') ORDER BY cid"))
                    .unwrap()
                    .query_map([], |r| {
                        let ty: String = r.get(1)?;
                        let pg = match ty.as_str() {
                            "INTEGER" => "bigint",
                            "REAL" => "double precision",
                            "BLOB" => "bytea",
                            _ => "text",
                        };
                        // A primary key's columns are never null on the server.
                        let not_null = r.get::<_, i64>(2)? == 1 || r.get::<_, i64>(3)? > 0;
                        Ok((r.get::<_, String>(0)?, pg.to_string(), not_null))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                (t, cols)
            })
            .collect()
    }

    #[test]
    fn the_server_schema_has_every_table_and_column_of_the_file() {
        let Some(url) = crate::store::sql::postgres::test_server() else {
            return;
        };
        let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls).unwrap();
        let schema = format!("s_{}", crate::store::random_id());
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema}; SET search_path TO {schema}"
            ))
            .unwrap();
        for statement in postgres_schema().unwrap() {
            client
                .batch_execute(&statement)
                .unwrap_or_else(|e| panic!("{e}\n{statement}"));
        }
        let mut server = std::collections::BTreeMap::<String, Columns>::new();
        for row in client
            .query(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
                 FROM information_schema.columns WHERE table_schema = $1
                 ORDER BY table_name, ordinal_position",
                &[&schema],
            )
            .unwrap()
        {
            server.entry(row.get(0)).or_default().push((
                row.get(1),
                row.get(2),
                row.get::<_, String>(3) == "NO",
            ));
        }
        assert_eq!(server, sqlite_tables());
        let indexes: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = $1",
                &[&schema],
            )
            .unwrap()
            .get(0);
        assert!(indexes >= 24, "{indexes} indexes");
        // The checks hold there as here: a day that is no day is refused.
        client
            .batch_execute("INSERT INTO boards (name, created_at) VALUES ('b', 0)")
            .unwrap();
        let bad = client.batch_execute(
            "INSERT INTO sprints (board_id, name, start_day, end_day, state, created_at)
             VALUES (1, 's', '2026-02-30', '2026-03-02', 'planned', 0)",
        );
        assert!(bad.is_err(), "30 February is no day");
        client
            .batch_execute(
                "INSERT INTO sprints (board_id, name, start_day, end_day, state, created_at)
                 VALUES (1, 's', '2026-02-16', '2026-02-27', 'planned', 0)",
            )
            .unwrap();
        client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
    }
}
