//! What the flow metrics read: every column the board ever had, and its card
//! events in one pass over the event table.

use std::collections::HashMap;

use super::columns::{COLUMN_FIELDS, column_from_row};
use super::from_ms;
use crate::domain::flow::{FlowColumn, FlowEvent, FlowEventKind, FlowHistory};
use crate::domain::{Board, CardId, ColumnId};
use crate::sql_params as params;
use crate::store::Result;
use crate::store::sql::{Db, DbExt, Value};

/// Every column the board ever had, in board order, retired ones marked.
pub(super) fn flow_columns(conn: &dyn Db, board: &Board) -> Result<Vec<FlowColumn>> {
    conn.rows(
        &format!(
            "SELECT {COLUMN_FIELDS}, deleted_at IS NULL FROM columns
             WHERE board_id = ?1 ORDER BY position, id"
        ),
        params![board.id.0],
        |r| {
            let c = column_from_row(r)?;
            Ok(FlowColumn {
                id: c.id,
                name: c.name,
                kind: c.kind,
                wip: c.wip,
                live: r.get(5)?,
            })
        },
    )
}

/// An event row (card, at, kind, to column) as the walk reads it; `None`
/// for a kind the walk does not read.
pub(super) fn flow_event(r: &crate::store::sql::Row) -> Result<Option<FlowEvent>> {
    let Value::Text(kind) = &r.0[2] else {
        return Ok(None);
    };
    let Some(kind) = flow_kind(kind, r.get(3)?) else {
        return Ok(None);
    };
    Ok(Some(FlowEvent {
        card: CardId(r.get(0)?),
        at: from_ms(r.get(1)?),
        kind,
    }))
}

/// An event's kind and column entered, as stored, as the walk reads it;
/// `None` for a kind the walk does not read.
pub(super) fn flow_kind(kind: &str, to: Option<i64>) -> Option<FlowEventKind> {
    Some(match kind {
        // A card brought back enters the column it left.
        "created" | "moved" | "restored" => FlowEventKind::Enter(ColumnId(to?)),
        "blocked" => FlowEventKind::Block,
        "unblocked" => FlowEventKind::Unblock,
        "archived" => FlowEventKind::Archive,
        _ => return None,
    })
}

pub(super) fn history(conn: &dyn Db, board: &Board) -> Result<FlowHistory> {
    let columns = flow_columns(conn, board)?;
    // A straight scan of the table in id order is the fastest read; the
    // events are then grouped by card in Rust (ids grow with time, and the
    // sort is stable, so each card's events stay in the order they happened).
    // With one board, every event is this board's and needs no join.
    let only_board: bool = conn.one("SELECT count(*) = 1 FROM boards", &[])?;
    let sql = if only_board {
        "SELECT card_id, at, kind, to_column FROM card_events ORDER BY id".to_string()
    } else {
        // The scan stays on the events, in id order.
        let join = conn.engine().left_first();
        format!(
            "SELECT e.card_id, e.at, e.kind, e.to_column
             FROM card_events e {join} cards c ON c.id = e.card_id
             WHERE c.board_id = ?1
             ORDER BY e.id"
        )
    };
    let args = if only_board {
        Vec::new()
    } else {
        vec![Value::Int(board.id.0)]
    };
    let mut events = Vec::new();
    conn.each(&sql, &args, &mut |r| {
        events.extend(flow_event(r)?);
        Ok(())
    })?;
    crate::domain::flow::group_by_card(&mut events);
    Ok(FlowHistory { columns, events })
}

pub(super) fn titles(conn: &dyn Db, ids: &[CardId]) -> Result<HashMap<CardId, String>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = crate::store::sql::numbered_marks(chunk.len());
        let ids: Vec<Value> = chunk.iter().map(|c| Value::Int(c.0)).collect();
        conn.each(
            &format!("SELECT id, title FROM cards WHERE id IN ({marks})"),
            &ids,
            &mut |r| {
                out.insert(CardId(r.get(0)?), r.get::<String>(1)?);
                Ok(())
            },
        )?;
    }
    Ok(out)
}
