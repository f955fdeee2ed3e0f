//! The whole database in and out: a versioned JSON document (docs/FORMAT.md)
//! that holds every table, row for row, and an online backup.
//!
//! The export reads every table of the schema, so a table a later feature
//! adds is carried without a change here. The import builds a new file at
//! the document's schema version, checks every row and every reference in
//! one transaction, brings it to this build's schema, and only then puts it
//! in place: the target is never half-written, and a refused import leaves
//! it exactly as it was.
//!
//! Both are written over [`Db`], for either engine: the same board gives
//! the same bytes from the file and from the server, and an export of
//! either imports into either ([`export_db`], [`import_into`]). What is the
//! file's alone (its scratch copy, its application id, `VACUUM`, its
//! backup) stays in the functions that take a [`SqliteStore`] or a path.

mod backup;
mod import;

pub use backup::{backup, restore};
pub(crate) use import::dangling_sql;
pub use import::{import_from, import_into, import_json};

use std::fmt::Write as _;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::open::{APPLICATION_ID, migrate_to, schema_version};
use super::sql::schema::{self, Table};
use super::sql::{Db, DbExt, Engine, Value};
use super::{Result, SqliteStore, StoreError};
use crate::domain::DomainError;

/// The document's own name and version (of its layout, not of the schema).
pub const FORMAT: &str = "teamloop";
pub const FORMAT_VERSION: i64 = 1;

fn bad(text: impl Into<String>) -> StoreError {
    StoreError::Rule(DomainError::Invalid(text.into()))
}

/// How a table's rows are ordered: by their primary key (a table without
/// one, by all its columns), text by its bytes on either engine.
fn order_by(engine: Engine, table: &Table) -> String {
    let columns = if table.key.is_empty() {
        table.column_names()
    } else {
        table.key.clone()
    };
    columns
        .iter()
        .map(|c| {
            let quoted = format!("\"{c}\"");
            if table.is_text(c) {
                engine.bytewise(&quoted)
            } else {
                quoted
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_of(value: &Value, table: &str) -> Result<serde_json::Value> {
    Ok(match value {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .ok_or_else(|| bad(format!("{table}: a number that JSON cannot hold ({f})")))?,
        Value::Text(t) => serde_json::Value::String(t.clone()),
        Value::Blob(b) => {
            let mut hex = String::with_capacity(b.len() * 2);
            for byte in b {
                let _ = write!(hex, "{byte:02x}");
            }
            serde_json::json!({ "blob": hex })
        }
    })
}

/// What may not leave the database while a ritual is open: for each table
/// holding anonymous or hidden rows, the condition that hides a row, and
/// what the export says it left out. A row is hidden while it can still be
/// tied to the one person who just wrote it, or while the screens hide it:
/// cards before the reveal, dots while voting, a poll while open or below
/// its threshold, a pulse's answers while open or below its thresholds,
/// a poker vote's picks before their reveal.
/// A poll's distribution shows with at least `MIN_ANSWERS_SHOWN` answers;
/// a pulse is open until its close is recorded (by hand, or by date).
fn withheld(engine: Engine) -> Vec<(&'static str, String, &'static str)> {
    let unrevealed = "retro_id IN (SELECT id FROM retros WHERE revealed = 0)";
    let open_pulse = "pulse_id IN (SELECT id FROM pulses WHERE closed_day IS NULL)";
    let min_answers = crate::domain::retro::MIN_ANSWERS_SHOWN;
    vec![
        (
            "retro_cards",
            unrevealed.to_string(),
            "cards and pre-mortem reasons not yet revealed",
        ),
        ("retro_items", unrevealed.to_string(), ""),
        (
            "premortem_risks",
            "item_id IN (SELECT i.id FROM retro_items i JOIN retros r ON r.id = i.retro_id
                         WHERE r.revealed = 0)"
                .to_string(),
            "",
        ),
        // (How many dots are cast is hidden while voting: no count is said.)
        (
            "retro_dots",
            "1 = 1".to_string(),
            "the votes of a retro still voting",
        ),
        (
            "retro_polls",
            format!(
                "NOT EXISTS (SELECT 1 FROM retros r WHERE r.id = retro_id
                     AND CASE poll WHEN 'safety' THEN r.safety_closed ELSE r.roti_closed END = 1)
                 OR {} < {min_answers}",
                engine.json_sum("counts")
            ),
            "the answers to a safety check or ROTI still open, or closed below 3 answers",
        ),
        (
            "poker_picks",
            "EXISTS (SELECT 1 FROM poker_cards c WHERE c.round_id = poker_picks.round_id
                 AND c.card_id = poker_picks.card_id AND c.vote = poker_picks.vote
                 AND c.state = 'voting' AND c.revealed = 0)"
                .to_string(),
            "the picks of a poker vote not yet revealed",
        ),
        ("pulse_respondents", open_pulse.to_string(), ""),
        (
            "pulse_answers",
            format!(
                "{open_pulse}
                 OR {} < (SELECT min_responses FROM pulses WHERE id = pulse_id)",
                engine.json_length("responses")
            ),
            "the answers to a pulse still open, or closed below its threshold",
        ),
        (
            "pulse_comments",
            format!(
                "{open_pulse}
                 OR {} < (SELECT min_comments FROM pulses WHERE id = pulse_id)",
                engine.json_length("comments")
            ),
            "the comments of a pulse still open, or with fewer than its threshold",
        ),
    ]
}

/// Columns whose value is hidden for some rows: the expression exported
/// in its place. A retro's vote totals are hidden until the discussion.
const WITHHELD_VALUES: &[(&str, &str, &str)] = &[(
    "retro_items",
    "votes",
    "CASE WHEN retro_id IN (SELECT id FROM retros WHERE phase = 'vote') THEN 0 ELSE votes END",
)];

/// The JSON document, and what it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    /// One line per kind of row left out, with how many.
    pub withheld: Vec<String>,
}

/// The whole database as the JSON document: the same data gives the same
/// bytes. What the board hides while a ritual is open (see [`withheld`])
/// is left out, and said in `withheld`: an import of the document is a
/// working board in which those rituals start again from what was shown.
/// Every character a terminal could act on is escaped, so the document can
/// be printed as it is.
/// The board's document, read in one snapshot (see [`Store::export_json`]).
pub fn export_json(store: &dyn super::Store) -> Result<Export> {
    store.export_json()
}

/// The document of any database, on either engine: the same rows give the
/// same bytes from both. Run it in one read transaction, so that it reads
/// one state while others write.
pub fn export_db(db: &dyn Db) -> Result<Export> {
    let engine = db.engine();
    let schema = schema::version_of(db)?;
    let withheld_rows = withheld(engine);
    let mut out = String::new();
    let mut withheld = Vec::new();
    let _ = write!(
        out,
        "{{\n  \"format\": \"{FORMAT}\",\n  \"version\": {FORMAT_VERSION},\n  \"schema\": {schema},\n  \"tables\": ["
    );
    for (n, table) in schema::tables(schema)?.iter().enumerate() {
        let name = table.name.as_str();
        let columns = table.column_names();
        let cols = serde_json::to_string(&columns).map_err(|e| bad(e.to_string()))?;
        let _ = write!(
            out,
            "{}\n    {{\n      \"name\": {},\n      \"columns\": {cols},\n      \"rows\": [",
            if n == 0 { "" } else { "," },
            serde_json::Value::String(name.to_string())
        );
        let list = columns
            .iter()
            .map(|c| {
                WITHHELD_VALUES
                    .iter()
                    .find(|(t, col, _)| *t == name && col == c)
                    .map_or(format!("\"{c}\""), |(_, _, expr)| expr.to_string())
            })
            .collect::<Vec<_>>()
            .join(", ");
        let hidden = withheld_rows.iter().find(|(t, _, _)| *t == name);
        let filter = hidden.map_or("1 = 1".to_string(), |(_, cond, _)| format!("NOT ({cond})"));
        if let Some((_, cond, what)) = hidden.filter(|(_, _, what)| !what.is_empty()) {
            let sql = format!("SELECT count(*) FROM \"{name}\" WHERE {cond}");
            let left: i64 = db.one(&sql, &[])?;
            if left > 0 && name == "retro_dots" {
                withheld.push(what.to_string());
            } else if left > 0 {
                withheld.push(format!(
                    "{what} ({})",
                    crate::domain::text::count(left.unsigned_abs(), "row")
                ));
            }
        }
        let sql = format!(
            "SELECT {list} FROM \"{name}\" WHERE {filter} ORDER BY {}",
            order_by(engine, table)
        );
        let mut first = true;
        db.each(&sql, &[], &mut |row| {
            let values = row
                .0
                .iter()
                .map(|v| json_of(v, name))
                .collect::<Result<Vec<_>>>()?;
            let line = serde_json::to_string(&values).map_err(|e| bad(e.to_string()))?;
            let line = crate::domain::text::json_for_terminal(&line);
            let _ = write!(out, "{}\n        {line}", if first { "" } else { "," });
            first = false;
            Ok(())
        })?;
        let _ = write!(out, "{}]\n    }}", if first { "" } else { "\n      " });
    }
    let _ = writeln!(out, "\n  ]\n}}");
    Ok(Export {
        text: out,
        withheld,
    })
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Rows per table, in the document's order.
    pub rows: Vec<(String, usize)>,
    /// The document's schema, and the one the file has now.
    pub from_schema: i64,
    pub schema: i64,
}

/// Whether the file at `path` holds nothing of a team's yet: missing, empty,
/// or a teamloop database with at most its untouched starter board.
fn holds_nothing(path: &Path) -> Result<bool> {
    if let Some(why) = crate::files::refuse_database(path) {
        return Err(StoreError::Refused(why));
    }
    if !path.exists() {
        return Ok(true);
    }
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(1) == 0 {
        return Ok(true);
    }
    // Read and write (not create): closing it, as its last user, leaves no
    // side files behind.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|_| StoreError::NotSqlite(path.to_path_buf()))?;
    let app: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|_| StoreError::NotSqlite(path.to_path_buf()))?;
    if app != APPLICATION_ID {
        return Err(StoreError::NotOurs(path.to_path_buf()));
    }
    holds_nothing_in(&conn)
}

/// Whether a database holds nothing of a team's: every table is empty but
/// the one starter board, with its starter columns as `init` made them. A
/// board used only for retros, pulses, mortems or sprints, or whose columns
/// were changed, holds the team's work.
pub(crate) fn holds_nothing_in(db: &dyn Db) -> Result<bool> {
    for table in schema::tables(schema::version_of(db)?)? {
        if table.name != "boards" && table.name != "columns" {
            let rows: i64 = db.one(&format!("SELECT count(*) FROM \"{}\"", table.name), &[])?;
            if rows > 0 {
                return Ok(false);
            }
        }
    }
    if db.one::<i64>("SELECT count(*) FROM boards", &[])? > 1 {
        return Ok(false);
    }
    let columns: Vec<(String, String, Option<i64>, String, bool)> = db.rows(
        "SELECT name, kind, wip_limit, wip_policy, deleted_at IS NOT NULL
         FROM columns ORDER BY position, id",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let starter: Vec<(String, String, Option<i64>, String, bool)> =
        crate::domain::board::starter_columns()
            .into_iter()
            .map(|(name, kind, wip)| {
                (
                    name.to_string(),
                    kind.as_str().to_string(),
                    wip.map(|w| i64::from(w.limit)),
                    wip.map_or("hard", |w| w.policy.as_str()).to_string(),
                    false,
                )
            })
            .collect();
    Ok(columns.is_empty() || columns == starter)
}

/// Every row of every table gone (the starter board of an empty database,
/// before an import), the rows pointing at others first.
fn clear(db: &dyn Db, tables: &[Table]) -> Result<()> {
    for table in tables.iter().rev() {
        db.execute(&format!("DELETE FROM \"{}\"", table.name), &[])?;
    }
    Ok(())
}

/// Moves the built file's rows into the existing empty database at
/// `target`, in one transaction: whoever else has it open sees all of it
/// or nothing, and its file stays the one they have open.
fn fill(target: &Path, built: &Path) -> Result<()> {
    if let Some(why) = crate::files::refuse_database(target) {
        return Err(StoreError::Refused(why));
    }
    let mut conn = Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // The empty file may be of an older schema: brought up to date first.
    migrate_to(&mut conn, schema_version())?;
    conn.execute("ATTACH DATABASE ?1 AS built", [built.to_string_lossy()])?;
    let order = schema::tables(schema_version())?;
    let tx = conn.transaction()?;
    tx.pragma_update(None, "defer_foreign_keys", true)?;
    if !holds_nothing_in(&tx)? {
        return Err(bad(format!(
            "{} was changed while the import ran: nothing was imported",
            target.display()
        )));
    }
    crate::store::kept::clear(&tx)?;
    clear(&tx, &order)?;
    for table in &order {
        let (name, list) = (
            &table.name,
            crate::store::sql::quoted_columns(&table.column_names()),
        );
        tx.execute(
            &format!("INSERT INTO main.\"{name}\" ({list}) SELECT {list} FROM built.\"{name}\""),
            &[],
        )?;
    }
    crate::store::kept::rebuild(&tx)?;
    // A change of the board's data for whoever has the file open (not a
    // heartbeat): see `SqliteFile::changed`.
    crate::store::sqlite::mark_content_written(&tx)?;
    tx.commit()?;
    conn.execute("DETACH DATABASE built", [])?;
    Ok(())
}

/// Every page and every reference read: what is damaged, or nothing.
pub fn check(store: &SqliteStore) -> Result<Vec<String>> {
    let conn = store.connection();
    let mut problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    problems.retain(|p| p != "ok");
    let mut stmt = conn.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
    for row in stmt.query_map([], |r| {
        Ok(format!(
            "{} row {}: points at a missing {} row",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            r.get::<_, String>(2)?
        ))
    })? {
        problems.push(row?);
    }
    Ok(problems)
}
