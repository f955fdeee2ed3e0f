//! Boards and columns.

use crate::domain::board::{starter_columns, validate_column_name};
use crate::domain::{BoardId, Column, ColumnId, ColumnKind, DomainError, WipLimit, WipPolicy};
use crate::sql_params as params;
use crate::store::sql::{Db, DbExt, Row};
use crate::store::{Result, StoreError};

pub(super) const COLUMN_FIELDS: &str = "id, name, kind, wip_limit, wip_policy";

pub(super) fn column_from_row(r: &Row) -> Result<Column> {
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
pub(super) fn live_column(tx: &dyn Db, id: ColumnId) -> Result<(Column, BoardId)> {
    tx.row(
        &format!(
            "SELECT {COLUMN_FIELDS}, board_id FROM columns WHERE id = ?1 AND deleted_at IS NULL"
        ),
        params![id.0],
        |r| Ok((column_from_row(r)?, BoardId(r.get(5)?))),
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no column with id {}", id.0)))
}

pub(super) fn create_board(tx: &dyn Db, name: &str, now: i64) -> Result<BoardId> {
    let board = BoardId(tx.one(
        "INSERT INTO boards (name, created_at) VALUES (?1, ?2) RETURNING id",
        params![name, now],
    )?);
    for (name, kind, wip) in starter_columns() {
        add_column(tx, board, name, kind, wip)?;
    }
    Ok(board)
}

fn name_taken(e: StoreError, name: &str) -> StoreError {
    match e {
        StoreError::Unique(_) => {
            DomainError::Invalid(format!("a column named '{name}' already exists")).into()
        }
        e => e,
    }
}

pub(super) fn add_column(
    tx: &dyn Db,
    board: BoardId,
    name: &str,
    kind: ColumnKind,
    wip: Option<WipLimit>,
) -> Result<ColumnId> {
    let name = validate_column_name(name)?;
    let id = tx
        .one(
            "INSERT INTO columns (board_id, name, position, kind, wip_limit, wip_policy)
         VALUES (?1, ?2,
                 (SELECT coalesce(max(position), 0) + 1 FROM columns WHERE board_id = ?1),
                 ?3, ?4, ?5)
         RETURNING id",
            params![
                board.0,
                &name,
                kind.as_str(),
                wip.map(|w| w.limit),
                wip.map_or(WipPolicy::Hard, |w| w.policy).as_str()
            ],
        )
        .map_err(|e| name_taken(e, &name))?;
    Ok(ColumnId(id))
}

pub(super) fn rename_column(tx: &dyn Db, id: ColumnId, name: &str) -> Result<()> {
    let name = validate_column_name(name)?;
    live_column(tx, id)?;
    tx.execute(
        "UPDATE columns SET name = ?2 WHERE id = ?1",
        params![id.0, &name],
    )
    .map_err(|e| name_taken(e, &name))?;
    Ok(())
}

pub(super) fn shift_column(tx: &dyn Db, id: ColumnId, delta: i32) -> Result<()> {
    let (_, board) = live_column(tx, id)?;
    let mut ids: Vec<i64> = tx.rows(
        "SELECT id FROM columns WHERE board_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        params![board.0],
        |r| r.get(0),
    )?;
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
            params![*cid, pos as i64 + 1],
        )?;
    }
    Ok(())
}

pub(super) fn delete_column(tx: &dyn Db, id: ColumnId, now: i64) -> Result<()> {
    let (col, board) = live_column(tx, id)?;
    let cards = crate::store::kept::live_cards(tx, id)?;
    if cards > 0 {
        return Err(DomainError::Invalid(format!(
            "{} still holds {cards} card{}: move or archive them first",
            col.name,
            if cards == 1 { "" } else { "s" }
        ))
        .into());
    }
    let live: i64 = tx.one(
        "SELECT count(*) FROM columns WHERE board_id = ?1 AND deleted_at IS NULL",
        params![board.0],
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

pub(super) fn set_wip(tx: &dyn Db, id: ColumnId, wip: Option<WipLimit>) -> Result<()> {
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

pub(super) fn set_kind(tx: &dyn Db, id: ColumnId, kind: ColumnKind) -> Result<()> {
    live_column(tx, id)?;
    tx.execute(
        "UPDATE columns SET kind = ?2 WHERE id = ?1",
        params![id.0, kind.as_str()],
    )?;
    // Every walk through the column reads its kind: the board's are walked
    // again.
    let board: i64 = tx.one("SELECT board_id FROM columns WHERE id = ?1", params![id.0])?;
    super::kept_flow::rebuild(tx, Some(board))
}
