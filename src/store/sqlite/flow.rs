//! What the flow metrics read: every column the board ever had, and its card
//! events in one pass over the event table.

use std::collections::HashMap;

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
    // Ids grow with time, so (card, id) order is each card's history in order;
    // the index on (card_id, id) serves it without a sort.
    let mut stmt = conn.prepare_cached(
        "SELECT e.card_id, e.at, e.kind, e.to_column FROM card_events e
         JOIN cards c ON c.id = e.card_id
         WHERE c.board_id = ?1
         ORDER BY e.card_id, e.id",
    )?;
    let mut rows = stmt.query([board.id.0])?;
    let mut events = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(2)?;
        let kind = match kind.as_str() {
            "created" | "moved" => match r.get::<_, Option<i64>>(3)? {
                Some(to) => FlowEventKind::Enter(ColumnId(to)),
                None => continue,
            },
            "blocked" => FlowEventKind::Block,
            "unblocked" => FlowEventKind::Unblock,
            "archived" => FlowEventKind::Archive,
            _ => continue,
        };
        events.push(FlowEvent {
            card: CardId(r.get(0)?),
            at: from_ms(r.get(1)?),
            kind,
        });
    }
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
