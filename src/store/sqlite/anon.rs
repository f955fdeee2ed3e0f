//! How anonymous rows are written so that nothing in the file pairs them
//! with a person: rewritten in a random order, participation kept as sorted
//! tokens, lists kept shuffled.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Transaction, params_from_iter};

use crate::store::Result;
use crate::store::claim::shuffle;

/// Writes a table's rows for one key again, in a random order: a row's place
/// in the file (which page, where in it) then tells nothing of when it was
/// written. Deleted rows are overwritten (`secure_delete` is on), and
/// nothing passes through a temporary table.
pub(super) fn rewrite_shuffled(
    tx: &Transaction<'_>,
    table: &str,
    key: &str,
    value: i64,
) -> Result<()> {
    let columns: Vec<String> = tx
        .prepare_cached(&format!(
            "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows: Vec<Vec<Value>> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT {list} FROM \"{table}\" WHERE \"{key}\" = ?1"
        ))?;
        stmt.query_map([value], |r| {
            (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect()
        })?
        .collect::<rusqlite::Result<_>>()?
    };
    if rows.len() < 2 {
        return Ok(());
    }
    shuffle(&mut rows);
    // Rows that others point to (retro items) leave and come back within
    // the transaction: foreign keys are checked at its end.
    tx.pragma_update(None, "defer_foreign_keys", true)?;
    tx.execute(
        &format!("DELETE FROM \"{table}\" WHERE \"{key}\" = ?1"),
        [value],
    )?;
    let marks = vec!["?"; columns.len()].join(", ");
    let mut insert = tx.prepare_cached(&format!(
        "INSERT INTO \"{table}\" ({list}) VALUES ({marks})"
    ))?;
    for row in rows {
        insert.execute(params_from_iter(row))?;
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
    conn: &Connection,
    table: &str,
    column: &str,
    key: &str,
    id: i64,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            &format!("SELECT \"{column}\" FROM \"{table}\" WHERE \"{key}\" = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?)
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
