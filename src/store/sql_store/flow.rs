//! What the flow metrics read: every column the board ever had, and its card
//! events in one pass over the event table.

use std::collections::HashMap;

use super::columns::{COLUMN_FIELDS, column_from_row};
use super::from_ms;
use crate::domain::flow::{FlowColumn, FlowEvent, FlowEventKind, FlowHistory, Part};
use crate::domain::{Board, CardId, ColumnId, ColumnKind};
use crate::sql_params as params;
use crate::store::Result;
use crate::store::sql::{Db, DbExt, Value};

/// Every column the board ever had, in board order, retired ones marked.
fn flow_columns(conn: &dyn Db, board: &Board) -> Result<Vec<FlowColumn>> {
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
    let kind = match &r.0[2] {
        Value::Text(kind) => match kind.as_str() {
            // A card brought back enters the column it left.
            "created" | "moved" | "restored" => match r.get::<Option<i64>>(3)? {
                Some(to) => FlowEventKind::Enter(ColumnId(to)),
                None => return Ok(None),
            },
            "blocked" => FlowEventKind::Block,
            "unblocked" => FlowEventKind::Unblock,
            "archived" => FlowEventKind::Archive,
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    Ok(Some(FlowEvent {
        card: CardId(r.get(0)?),
        at: from_ms(r.get(1)?),
        kind,
    }))
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
    Ok(FlowHistory {
        columns,
        events,
        part: None,
    })
}

/// What a report over a range starting at `from` (ms) needs: the whole
/// history of the cards whose figures can change from then on, and of
/// the others only where they are now (see [`Part`]). A board's default
/// Flow range, four weeks, then reads the cards of four weeks, not of
/// every year.
pub(super) fn history_from(conn: &dyn Db, board: &Board, from: i64) -> Result<FlowHistory> {
    let cards = cards_since(conn, board, from)?;
    // Card by card, an event costs several times what it does in one
    // straight read of them all: past a fifth of the board, read them all.
    let all: i64 = conn.one(
        "SELECT count(*) FROM cards WHERE board_id = ?1",
        params![board.id.0],
    )?;
    if cards.len() as i64 * 5 > all {
        return history(conn, board);
    }
    let mut history = history_of(conn, board, &cards)?;
    let join = conn.engine().left_first();
    // The board's first day of events, found from the events' time index.
    let first: Option<i64> = conn.row(
        &format!(
            "SELECT e.at FROM card_events e {join} cards c ON c.id = e.card_id
             WHERE c.board_id = ?1 ORDER BY e.at LIMIT 1"
        ),
        params![board.id.0],
        |r| r.get(0),
    )?;
    let first_day = match first {
        Some(first) => conn.rows(
            &format!(
                "SELECT e.at FROM card_events e {join} cards c ON c.id = e.card_id
                 WHERE c.board_id = ?1 AND e.at < ?2 AND {FLOW_KINDS}"
            ),
            params![board.id.0, first + 86_400_000],
            |r| Ok(from_ms(r.get(0)?)),
        )?,
        None => Vec::new(),
    };
    // Counted now: the live cards, as kept, and in a done column those
    // archived from it too.
    let mut counted = HashMap::new();
    for c in &history.columns {
        let mut n = crate::store::kept::live_cards(conn, c.id)?;
        if c.kind == ColumnKind::Done {
            n += conn.one::<u32>(
                "SELECT count(*) FROM cards WHERE column_id = ?1 AND archived_at IS NOT NULL",
                params![c.id.0],
            )?;
        }
        counted.insert(c.id, n);
    }
    history.part = Some(Part {
        from: from_ms(from),
        first_day,
        counted,
    });
    Ok(history)
}

/// The event kinds a card's walk reads.
const FLOW_KINDS: &str =
    "e.kind IN ('created', 'moved', 'restored', 'blocked', 'unblocked', 'archived')";

/// The whole history of only the cards whose own figures can fall on or
/// after `since` (ms): those with an event since, those blocked, and those
/// in an active column. Every card's finish, cycle and lead time, blocked
/// time and age then come out as from the whole board's history; the
/// day-by-day counts (cumulative flow, WIP) do not, and are not asked of it.
/// What a retro's facts read: the cards of its period, not the board's
/// every year.
pub(super) fn history_of_cards_since(
    conn: &dyn Db,
    board: &Board,
    since: i64,
) -> Result<FlowHistory> {
    let cards = cards_since(conn, board, since)?;
    history_of(conn, board, &cards)
}

/// The cards whose own figures can fall on or after `since` (ms), in id
/// order.
fn cards_since(conn: &dyn Db, board: &Board, since: i64) -> Result<Vec<i64>> {
    let join = conn.engine().left_first();
    // The cards first, each query on its own index (a planner asked for
    // their union may read every event in card order to merge them)...
    let mut cards = std::collections::BTreeSet::new();
    let mut add = |r: &crate::store::sql::Row| {
        cards.insert(r.get::<i64>(0)?);
        Ok(())
    };
    conn.each(
        &format!(
            "SELECT e.card_id FROM card_events e {join} cards c ON c.id = e.card_id
             WHERE e.at >= ?2 AND c.board_id = ?1"
        ),
        params![board.id.0, since],
        &mut add,
    )?;
    conn.each(
        "SELECT id FROM cards WHERE board_id = ?1 AND blocked = 1",
        params![board.id.0],
        &mut add,
    )?;
    conn.each(
        &format!(
            "SELECT c.id FROM columns col {join} cards c ON c.column_id = col.id
             WHERE col.board_id = ?1 AND col.kind = 'active' AND c.archived_at IS NULL"
        ),
        params![board.id.0],
        &mut add,
    )?;
    Ok(cards.into_iter().collect())
}

/// The whole history of these cards (in id order), each one's events
/// by its index.
fn history_of(conn: &dyn Db, board: &Board, cards: &[i64]) -> Result<FlowHistory> {
    let columns = flow_columns(conn, board)?;
    let mut events = Vec::new();
    for chunk in cards.chunks(500) {
        let marks = crate::store::sql::numbered_marks(chunk.len());
        let ids: Vec<Value> = chunk.iter().map(|&c| Value::Int(c)).collect();
        conn.each(
            &format!(
                "SELECT card_id, at, kind, to_column FROM card_events
                 WHERE card_id IN ({marks}) ORDER BY card_id, id"
            ),
            &ids,
            &mut |r| {
                events.extend(flow_event(r)?);
                Ok(())
            },
        )?;
    }
    Ok(FlowHistory {
        columns,
        events,
        part: None,
    })
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
