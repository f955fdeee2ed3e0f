//! How anonymous rows are written so that nothing in the file pairs them
//! with a person: rewritten in a random order, participation kept as sorted
//! tokens, lists kept shuffled.

use crate::sql_params as params;
use crate::store::Result;
use crate::store::claim::shuffle;
use crate::store::sql::{Db, DbExt, Engine, Value};

/// Writes a table's rows for one key again, in a random order: a row's place
/// in the file (which page, where in it) then tells nothing of when it was
/// written. Deleted rows are overwritten in the file (`secure_delete` is
/// on); on the server they are gone for every reader, and the space they
/// held is the server's to reuse. Nothing passes through a temporary table.
pub(super) fn rewrite_shuffled(tx: &dyn Db, table: &str, key: &str, value: i64) -> Result<()> {
    let columns_sql = match tx.engine() {
        Engine::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        Engine::Postgres => format!(
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = '{table}'
             ORDER BY ordinal_position"
        ),
    };
    let columns: Vec<String> = tx.rows(&columns_sql, &[], |r| r.get(0))?;
    let list = crate::store::sql::quoted_columns(&columns);
    let mut rows: Vec<Vec<Value>> = tx.rows(
        &format!("SELECT {list} FROM \"{table}\" WHERE \"{key}\" = ?1"),
        params![value],
        |r| Ok(r.0.clone()),
    )?;
    if rows.len() < 2 {
        return Ok(());
    }
    shuffle(&mut rows);
    // Rows that others point to (retro items) leave and come back within
    // the transaction: foreign keys are checked at its end.
    tx.execute(tx.engine().defer_references(), &[])?;
    tx.execute(
        &format!("DELETE FROM \"{table}\" WHERE \"{key}\" = ?1"),
        params![value],
    )?;
    let marks = crate::store::sql::numbered_marks(columns.len());
    let insert = format!("INSERT INTO \"{table}\" ({list}) VALUES ({marks})");
    for row in rows {
        tx.execute(&insert, &row)?;
    }
    Ok(())
}

/// A JSON list of text as the schema keeps it; a value that is not one (a
/// hand-edited file) reads as empty rather than failing.
pub(super) fn text_list(json: Option<String>) -> Vec<String> {
    json.and_then(|j| serde_json::from_str::<Vec<serde_json::Value>>(&j).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// A JSON list of counts; anything but a whole number reads as 0.
pub(super) fn count_list(json: Option<String>) -> Vec<u32> {
    json.and_then(|j| serde_json::from_str::<Vec<serde_json::Value>>(&j).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|v| {
            v.as_u64()
                .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect()
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The single value stored for `key` in `table.column`, if any.
pub(super) fn value_of(
    conn: &dyn Db,
    table: &str,
    column: &str,
    key: &str,
    id: i64,
) -> Result<Option<String>> {
    conn.row(
        &format!("SELECT \"{column}\" FROM \"{table}\" WHERE \"{key}\" = ?1"),
        params![id],
        |r| r.get(0),
    )
}

/// Adds `token` to a sorted token list: false if it was there already.
pub(super) fn add_token(tokens: &mut Vec<String>, token: String) -> bool {
    match tokens.binary_search(&token) {
        Ok(_) => false,
        Err(at) => {
            tokens.insert(at, token);
            true
        }
    }
}
