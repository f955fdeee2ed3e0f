//! Changes. Each function runs inside the caller's one transaction.

use super::columns::live_column;
// What a WIP limit counts, as kept: read in the write's transaction, so exact.
use super::ms;
use crate::domain::{
    Breach, CardId, CardPatch, ColumnId, DomainError, EventKind, NewCard, decide_entry,
};
use crate::sql_params as params;
use crate::store::kept::live_cards;
use crate::store::sql::{Db, DbExt};
use crate::store::{Entry, Result, StoreError};

mod demo;

pub(super) use demo::seed_demo;

/// One event in a card's history: who did what when, and what it carries
/// for its kind (columns for a move, a breach, a note, points, a sprint).
pub(super) struct EventRow<'a> {
    pub card: CardId,
    pub at: i64,
    pub actor: &'a str,
    pub kind: EventKind,
    pub from: Option<ColumnId>,
    pub to: Option<ColumnId>,
    pub breach: Option<&'a Breach>,
    pub note: Option<&'a str>,
    /// The points before and after a re-estimate.
    pub points: Option<(Option<u32>, Option<u32>)>,
    pub sprint: Option<i64>,
}

impl<'a> EventRow<'a> {
    pub(super) fn new(card: CardId, kind: EventKind, at: i64, actor: &'a str) -> Self {
        Self {
            card,
            at,
            actor,
            kind,
            from: None,
            to: None,
            breach: None,
            note: None,
            points: None,
            sprint: None,
        }
    }
}

/// The one way an event is written: its id.
pub(super) fn insert_event(tx: &dyn Db, e: EventRow<'_>) -> Result<i64> {
    crate::store::kept::on_event(tx, e.kind, e.from, e.to)?;
    let id = tx.one(
        "INSERT INTO card_events (card_id, at, actor, kind, from_column, to_column, breach, reason,
                                  note, old_points, new_points, sprint_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         RETURNING id",
        params![
            e.card.0,
            e.at,
            e.actor,
            e.kind.as_str(),
            e.from.map(|c| c.0),
            e.to.map(|c| c.0),
            e.breach.map(Breach::kind_str),
            e.breach.and_then(Breach::reason),
            e.note,
            e.points.and_then(|p| p.0),
            e.points.and_then(|p| p.1),
            e.sprint,
        ],
    )?;
    super::kept_flow::on_event(tx, e.card.0, e.at, e.kind.as_str(), e.to.map(|c| c.0))?;
    Ok(id)
}

fn set_tags(tx: &dyn Db, card: CardId, tags: &[String]) -> Result<()> {
    tx.execute("DELETE FROM card_tags WHERE card_id = ?1", params![card.0])?;
    for t in tags {
        tx.execute(
            "INSERT INTO card_tags (card_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![card.0, t],
        )?;
    }
    Ok(())
}

/// Where a card lands: at the top of a column it moves into, so the newest
/// arrival is seen first, or at the bottom for a new card.
fn top_position(tx: &dyn Db, column: ColumnId) -> Result<f64> {
    tx.one(
        "SELECT coalesce(min(position), 1.0) - 1.0 FROM cards WHERE column_id = ?1",
        params![column.0],
    )
}

fn bottom_position(tx: &dyn Db, column: ColumnId) -> Result<f64> {
    tx.one(
        "SELECT coalesce(max(position), 0.0) + 1.0 FROM cards WHERE column_id = ?1",
        params![column.0],
    )
}

/// Records that card `id` entered `col` (created there, moved or restored
/// into it), with what its WIP limit decided.
#[allow(clippy::too_many_arguments)]
fn entered(
    tx: &dyn Db,
    id: CardId,
    kind: EventKind,
    from: Option<ColumnId>,
    col: crate::domain::Column,
    decision: crate::domain::wip::EntryDecision,
    now: i64,
    actor: &str,
) -> Result<Entry> {
    let event = insert_event(
        tx,
        EventRow {
            from,
            to: Some(col.id),
            breach: decision.breach.as_ref(),
            ..EventRow::new(id, kind, now, actor)
        },
    )?;
    Ok(Entry {
        card: id,
        event,
        column: col,
        decision,
    })
}

pub(super) fn add_card(
    tx: &dyn Db,
    column: ColumnId,
    card: &NewCard,
    force: Option<&str>,
    now: i64,
    actor: &str,
) -> Result<Entry> {
    let (col, board) = live_column(tx, column)?;
    let decision = decide_entry(&col, live_cards(tx, column)?, force)?;
    let id = CardId(tx.one(
        "INSERT INTO cards (board_id, column_id, position, title, description, assignee, points,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         RETURNING id",
        params![
            board.0,
            column.0,
            bottom_position(tx, column)?,
            &card.title,
            &card.description,
            &card.assignee,
            card.points,
            now
        ],
    )?);
    set_tags(tx, id, &card.tags)?;
    entered(tx, id, EventKind::Created, None, col, decision, now, actor)
}

/// The card's column, if it is live (not archived).
pub(super) fn live_card(tx: &dyn Db, id: CardId) -> Result<ColumnId> {
    match card_place(tx, id)? {
        (_, true) => Err(DomainError::Invalid(format!("card {id} is archived")).into()),
        (col, false) => Ok(col),
    }
}

/// The card's column and whether it is archived; an error if there is no
/// such card.
fn card_place(tx: &dyn Db, id: CardId) -> Result<(ColumnId, bool)> {
    tx.row(
        "SELECT column_id, CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END
         FROM cards WHERE id = ?1",
        params![id.0],
        |r| Ok((ColumnId(r.get(0)?), r.get(1)?)),
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no card {id}")))
}

pub(super) fn update_card(
    tx: &dyn Db,
    id: CardId,
    p: &CardPatch,
    now: i64,
    actor: &str,
) -> Result<()> {
    live_card(tx, id)?;
    if let Some(t) = &p.title {
        tx.execute(
            "UPDATE cards SET title = ?2 WHERE id = ?1",
            params![id.0, t],
        )?;
    }
    if let Some(d) = &p.description {
        tx.execute(
            "UPDATE cards SET description = ?2 WHERE id = ?1",
            params![id.0, d],
        )?;
    }
    if let Some(a) = &p.assignee {
        tx.execute(
            "UPDATE cards SET assignee = ?2 WHERE id = ?1",
            params![id.0, a],
        )?;
    }
    if let Some(pts) = p.points {
        let old: Option<u32> = tx.one("SELECT points FROM cards WHERE id = ?1", params![id.0])?;
        if old != pts {
            tx.execute(
                "UPDATE cards SET points = ?2 WHERE id = ?1",
                params![id.0, pts],
            )?;
            // A re-estimate is history: burndowns count it from this moment.
            insert_event(
                tx,
                EventRow {
                    points: Some((old, pts)),
                    ..EventRow::new(id, EventKind::Estimated, now, actor)
                },
            )?;
        }
    }
    if let Some(tags) = &p.tags {
        set_tags(tx, id, tags)?;
    }
    tx.execute(
        "UPDATE cards SET updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    Ok(())
}

pub(super) fn move_card(
    tx: &dyn Db,
    id: CardId,
    to: ColumnId,
    force: Option<&str>,
    now: i64,
    actor: &str,
) -> Result<Entry> {
    let from = live_card(tx, id)?;
    let (col, _) = live_column(tx, to)?;
    if from == to {
        return Err(DomainError::Invalid(format!("card {id} is already in {}", col.name)).into());
    }
    let decision = decide_entry(&col, live_cards(tx, to)?, force)?;
    tx.execute(
        "UPDATE cards SET column_id = ?2, position = ?3, updated_at = ?4 WHERE id = ?1",
        params![id.0, to.0, top_position(tx, to)?, now],
    )?;
    entered(
        tx,
        id,
        EventKind::Moved,
        Some(from),
        col,
        decision,
        now,
        actor,
    )
}

pub(super) fn reorder_card(tx: &dyn Db, id: CardId, delta: i32) -> Result<()> {
    let column = live_card(tx, id)?;
    let pos: f64 = tx.one("SELECT position FROM cards WHERE id = ?1", params![id.0])?;
    // The neighbour in board order (position, then id), above or below.
    let sql = if delta < 0 {
        "SELECT id, position FROM cards WHERE column_id = ?1 AND archived_at IS NULL
           AND (position < ?2 OR (position = ?2 AND id < ?3))
         ORDER BY position DESC, id DESC LIMIT 1"
    } else {
        "SELECT id, position FROM cards WHERE column_id = ?1 AND archived_at IS NULL
           AND (position > ?2 OR (position = ?2 AND id > ?3))
         ORDER BY position, id LIMIT 1"
    };
    let neighbour: Option<(i64, f64)> = tx.row(sql, params![column.0, pos, id.0], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    let Some((other, other_pos)) = neighbour else {
        return Ok(());
    };
    let (mine, theirs) = if other_pos == pos {
        // Equal positions: step past the neighbour instead of swapping.
        (pos + if delta < 0 { -0.5 } else { 0.5 }, other_pos)
    } else {
        (other_pos, pos)
    };
    tx.execute(
        "UPDATE cards SET position = ?2 WHERE id = ?1",
        params![id.0, mine],
    )?;
    tx.execute(
        "UPDATE cards SET position = ?2 WHERE id = ?1",
        params![other, theirs],
    )?;
    Ok(())
}

pub(super) fn explain_breach(tx: &dyn Db, event: i64, reason: &str) -> Result<()> {
    let changed = tx.execute(
        "UPDATE card_events SET reason = ?2 WHERE id = ?1 AND breach IS NOT NULL",
        params![event, reason],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!(
            "no WIP breach recorded as event {event}"
        )));
    }
    Ok(())
}

pub(super) fn set_blocked(
    tx: &dyn Db,
    id: CardId,
    reason: Option<&str>,
    now: i64,
    actor: &str,
) -> Result<()> {
    live_card(tx, id)?;
    let blocked: bool = tx.one("SELECT blocked FROM cards WHERE id = ?1", params![id.0])?;
    let reason = reason.map(str::trim);
    match (blocked, reason) {
        (_, Some("")) => return Err(DomainError::Invalid("say what blocks the card".into()).into()),
        (true, Some(_)) => {
            return Err(DomainError::Invalid(format!("card {id} is already blocked")).into());
        }
        (false, None) => {
            return Err(DomainError::Invalid(format!("card {id} is not blocked")).into());
        }
        _ => {}
    }
    tx.execute(
        "UPDATE cards SET blocked = ?2, blocked_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![id.0, reason.is_some(), reason, now],
    )?;
    insert_event(
        tx,
        EventRow {
            note: reason,
            ..EventRow::new(
                id,
                if reason.is_some() {
                    EventKind::Blocked
                } else {
                    EventKind::Unblocked
                },
                now,
                actor,
            )
        },
    )?;
    Ok(())
}

pub(super) fn archive_card(tx: &dyn Db, id: CardId, now: i64, actor: &str) -> Result<()> {
    let column = live_card(tx, id)?;
    tx.execute(
        "UPDATE cards SET archived_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    insert_event(
        tx,
        EventRow {
            from: Some(column),
            ..EventRow::new(id, EventKind::Archived, now, actor)
        },
    )?;
    Ok(())
}

/// Brings an archived card back into the column it left, as a move into it
/// would (its WIP limit applies).
pub(super) fn restore_card(tx: &dyn Db, id: CardId, now: i64, actor: &str) -> Result<Entry> {
    let column = match card_place(tx, id)? {
        (_, false) => {
            return Err(DomainError::Invalid(format!("card {id} is not archived")).into());
        }
        (c, true) => c,
    };
    let (col, _) = live_column(tx, column).map_err(|e| match e {
        StoreError::NotFound(_) => StoreError::Rule(DomainError::Invalid(format!(
            "the column {id} was archived from is gone"
        ))),
        other => other,
    })?;
    let decision = decide_entry(&col, live_cards(tx, column)?, None)?;
    tx.execute(
        "UPDATE cards SET archived_at = NULL, updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    entered(tx, id, EventKind::Restored, None, col, decision, now, actor)
}

#[cfg(test)]
mod tests;
