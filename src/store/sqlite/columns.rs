//! Boards and columns.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::domain::board::{starter_columns, validate_column_name};
use crate::domain::{BoardId, Column, ColumnId, ColumnKind, DomainError, WipLimit, WipPolicy};
use crate::store::{Result, StoreError};

pub(super) const COLUMN_FIELDS: &str = "id, name, kind, wip_limit, wip_policy";

pub(super) fn column_from_row(r: &Row<'_>) -> rusqlite::Result<Column> {
    let kind: String = r.get(2)?;
    let limit: Option<u32> = r.get(3)?;
    let policy: String = r.get(4)?;
    Ok(Column {
        id: ColumnId(r.get(0)?),
        name: r.get(1)?,
        kind: kind.parse().unwrap_or(ColumnKind::Active),
        wip: limit.map(|limit| WipLimit {
            limit,
            policy: policy.parse().unwrap_or(WipPolicy::Hard),
        }),
    })
}

/// A live column, or `NotFound`.
pub(super) fn live_column(tx: &Transaction<'_>, id: ColumnId) -> Result<(Column, BoardId)> {
    tx.query_row(
        &format!(
            "SELECT {COLUMN_FIELDS}, board_id FROM columns WHERE id = ?1 AND deleted_at IS NULL"
        ),
        [id.0],
        |r| Ok((column_from_row(r)?, BoardId(r.get(5)?))),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no column with id {}", id.0)))
}

pub(super) fn create_board(tx: &Transaction<'_>, name: &str, now: i64) -> Result<BoardId> {
    tx.execute(
        "INSERT INTO boards (name, created_at) VALUES (?1, ?2)",
        params![name, now],
    )?;
    let board = BoardId(tx.last_insert_rowid());
    for (name, kind, wip) in starter_columns() {
        add_column(tx, board, name, kind, wip)?;
    }
    Ok(board)
}

fn name_taken(e: rusqlite::Error, name: &str) -> StoreError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        DomainError::Invalid(format!("a column named '{name}' already exists")).into()
    } else {
        e.into()
    }
}

pub(super) fn add_column(
    tx: &Transaction<'_>,
    board: BoardId,
    name: &str,
    kind: ColumnKind,
    wip: Option<WipLimit>,
) -> Result<ColumnId> {
    let name = validate_column_name(name)?;
    tx.execute(
        "INSERT INTO columns (board_id, name, position, kind, wip_limit, wip_policy)
         VALUES (?1, ?2,
                 (SELECT coalesce(max(position), 0) + 1 FROM columns WHERE board_id = ?1),
                 ?3, ?4, ?5)",
        params![
            board.0,
            name,
            kind.as_str(),
            wip.map(|w| w.limit),
            wip.map_or(WipPolicy::Hard, |w| w.policy).as_str()
        ],
    )
    .map_err(|e| name_taken(e, &name))?;
    Ok(ColumnId(tx.last_insert_rowid()))
}

pub(super) fn rename_column(tx: &Transaction<'_>, id: ColumnId, name: &str) -> Result<()> {
    let name = validate_column_name(name)?;
    live_column(tx, id)?;
    tx.execute(
        "UPDATE columns SET name = ?2 WHERE id = ?1",
        params![id.0, name],
    )
    .map_err(|e| name_taken(e, &name))?;
    Ok(())
}

pub(super) fn shift_column(tx: &Transaction<'_>, id: ColumnId, delta: i32) -> Result<()> {
    let (_, board) = live_column(tx, id)?;
    let mut stmt = tx.prepare(
        "SELECT id FROM columns WHERE board_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
    )?;
    let mut ids: Vec<i64> = stmt
        .query_map([board.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let Some(i) = ids.iter().position(|&c| c == id.0) else {
        return Ok(());
    };
    let j = i as i64 + i64::from(delta);
    if j < 0 || j >= ids.len() as i64 {
        return Ok(());
    }
    ids.swap(i, j as usize);
    for (pos, cid) in ids.iter().enumerate() {
        tx.execute(
            "UPDATE columns SET position = ?2 WHERE id = ?1",
            params![cid, pos as i64 + 1],
        )?;
    }
    Ok(())
}

pub(super) fn delete_column(tx: &Transaction<'_>, id: ColumnId, now: i64) -> Result<()> {
    let (col, board) = live_column(tx, id)?;
    let cards = super::write::live_count(tx, id)?;
    if cards > 0 {
        return Err(DomainError::Invalid(format!(
            "{} still holds {cards} card{}: move or archive them first",
            col.name,
            if cards == 1 { "" } else { "s" }
        ))
        .into());
    }
    let live: i64 = tx.query_row(
        "SELECT count(*) FROM columns WHERE board_id = ?1 AND deleted_at IS NULL",
        [board.0],
        |r| r.get(0),
    )?;
    if live <= 1 {
        return Err(DomainError::Invalid("a board keeps at least one column".into()).into());
    }
    tx.execute(
        "UPDATE columns SET deleted_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    Ok(())
}

pub(super) fn set_wip(tx: &Transaction<'_>, id: ColumnId, wip: Option<WipLimit>) -> Result<()> {
    live_column(tx, id)?;
    if wip.is_some_and(|w| w.limit == 0) {
        return Err(DomainError::Invalid("a WIP limit must be at least 1".into()).into());
    }
    tx.execute(
        "UPDATE columns SET wip_limit = ?2, wip_policy = ?3 WHERE id = ?1",
        params![
            id.0,
            wip.map(|w| w.limit),
            wip.map_or(WipPolicy::Hard, |w| w.policy).as_str()
        ],
    )?;
    Ok(())
}

pub(super) fn set_kind(tx: &Transaction<'_>, id: ColumnId, kind: ColumnKind) -> Result<()> {
    live_column(tx, id)?;
    tx.execute(
        "UPDATE columns SET kind = ?2 WHERE id = ?1",
        params![id.0, kind.as_str()],
    )?;
    Ok(())
}
