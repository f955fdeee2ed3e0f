//! What the flow metrics read: every column the board ever had, and its card
//! events in one pass over the event table.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, params_from_iter};

use super::columns::{COLUMN_FIELDS, column_from_row};
use super::from_ms;
use crate::domain::flow::{FlowColumn, FlowEvent, FlowEventKind, FlowHistory};
use crate::domain::{Board, CardId, ColumnId};
use crate::store::Result;

pub(super) fn history(conn: &Connection, board: &Board) -> Result<FlowHistory> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMN_FIELDS}, deleted_at IS NULL FROM columns
         WHERE board_id = ?1 ORDER BY position, id"
    ))?;
    let columns = stmt
        .query_map([board.id.0], |r| {
            let c = column_from_row(r)?;
            Ok(FlowColumn {
                id: c.id,
                name: c.name,
                kind: c.kind,
                wip: c.wip,
                live: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A straight scan of the table in id order is the fastest read; the
    // events are then grouped by card in Rust (ids grow with time, and the
    // sort is stable, so each card's events stay in the order they happened).
    // With one board, every event is this board's and needs no join.
    let only_board: bool = conn.query_row("SELECT count(*) = 1 FROM boards", [], |r| r.get(0))?;
    let mut stmt = if only_board {
        conn.prepare_cached(
            "SELECT card_id, at, kind, to_column FROM card_events WHERE ?1 > 0 ORDER BY id",
        )?
    } else {
        conn.prepare_cached(
            "SELECT e.card_id, e.at, e.kind, e.to_column
             FROM card_events e CROSS JOIN cards c ON c.id = e.card_id
             WHERE c.board_id = ?1
             ORDER BY e.id",
        )?
    };
    let mut rows = stmt.query([board.id.0])?;
    let mut events = Vec::new();
    while let Some(r) = rows.next()? {
        let kind = match r.get_ref(2)? {
            ValueRef::Text(kind) => match kind {
                // A card brought back enters the column it left.
                b"created" | b"moved" | b"restored" => match r.get::<_, Option<i64>>(3)? {
                    Some(to) => FlowEventKind::Enter(ColumnId(to)),
                    None => continue,
                },
                b"blocked" => FlowEventKind::Block,
                b"unblocked" => FlowEventKind::Unblock,
                b"archived" => FlowEventKind::Archive,
                _ => continue,
            },
            _ => continue,
        };
        events.push(FlowEvent {
            card: CardId(r.get(0)?),
            at: from_ms(r.get(1)?),
            kind,
        });
    }
    crate::domain::flow::group_by_card(&mut events);
    Ok(FlowHistory { columns, events })
}

pub(super) fn titles(conn: &Connection, ids: &[CardId]) -> Result<HashMap<CardId, String>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt = conn.prepare(&format!(
            "SELECT id, title FROM cards WHERE id IN ({marks})"
        ))?;
        let rows = stmt.query_map(params_from_iter(chunk.iter().map(|c| c.0)), |r| {
            Ok((CardId(r.get(0)?), r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, title) = row?;
            out.insert(id, title);
        }
    }
    Ok(out)
}
