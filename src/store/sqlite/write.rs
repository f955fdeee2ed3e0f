//! Changes. Each function runs inside the caller's one transaction.

use rusqlite::{OptionalExtension, Transaction, params};

use super::columns::live_column;
use super::ms;
use crate::domain::{
    Breach, CardId, CardPatch, ColumnId, DomainError, EventKind, NewCard, decide_entry,
};
use crate::store::{Entry, Result, StoreError};

mod demo;

pub(super) use demo::seed_demo;

/// Live cards in a column: what its WIP limit counts.
pub(super) fn live_count(tx: &Transaction<'_>, column: ColumnId) -> Result<u32> {
    Ok(tx.query_row(
        "SELECT count(*) FROM cards WHERE column_id = ?1 AND archived_at IS NULL",
        [column.0],
        |r| r.get(0),
    )?)
}

struct EventRow<'a> {
    card: CardId,
    at: i64,
    actor: &'a str,
    kind: EventKind,
    from: Option<ColumnId>,
    to: Option<ColumnId>,
    breach: Option<&'a Breach>,
    note: Option<&'a str>,
}

fn insert_event(tx: &Transaction<'_>, e: EventRow<'_>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO card_events (card_id, at, actor, kind, from_column, to_column, breach, reason, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        e.card.0,
        e.at,
        e.actor,
        e.kind.as_str(),
        e.from.map(|c| c.0),
        e.to.map(|c| c.0),
        e.breach.map(Breach::kind_str),
        e.breach.and_then(Breach::reason),
        e.note,
    ])?;
    Ok(tx.last_insert_rowid())
}

fn set_tags(tx: &Transaction<'_>, card: CardId, tags: &[String]) -> Result<()> {
    tx.execute("DELETE FROM card_tags WHERE card_id = ?1", [card.0])?;
    let mut stmt =
        tx.prepare_cached("INSERT OR IGNORE INTO card_tags (card_id, tag) VALUES (?1, ?2)")?;
    for t in tags {
        stmt.execute(params![card.0, t])?;
    }
    Ok(())
}

/// Where a card lands: at the top of a column it moves into, so the newest
/// arrival is seen first, or at the bottom for a new card.
fn top_position(tx: &Transaction<'_>, column: ColumnId) -> Result<f64> {
    Ok(tx.query_row(
        "SELECT coalesce(min(position), 1.0) - 1.0 FROM cards WHERE column_id = ?1",
        [column.0],
        |r| r.get(0),
    )?)
}

fn bottom_position(tx: &Transaction<'_>, column: ColumnId) -> Result<f64> {
    Ok(tx.query_row(
        "SELECT coalesce(max(position), 0.0) + 1.0 FROM cards WHERE column_id = ?1",
        [column.0],
        |r| r.get(0),
    )?)
}

/// Records that card `id` entered `col` (created there, moved or restored
/// into it), with what its WIP limit decided.
#[allow(clippy::too_many_arguments)]
fn entered(
    tx: &Transaction<'_>,
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
            card: id,
            at: now,
            actor,
            kind,
            from,
            to: Some(col.id),
            breach: decision.breach.as_ref(),
            note: None,
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
    tx: &Transaction<'_>,
    column: ColumnId,
    card: &NewCard,
    force: Option<&str>,
    now: i64,
    actor: &str,
) -> Result<Entry> {
    let (col, board) = live_column(tx, column)?;
    let decision = decide_entry(&col, live_count(tx, column)?, force)?;
    tx.execute(
        "INSERT INTO cards (board_id, column_id, position, title, description, assignee, points,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            board.0,
            column.0,
            bottom_position(tx, column)?,
            card.title,
            card.description,
            card.assignee,
            card.points,
            now
        ],
    )?;
    let id = CardId(tx.last_insert_rowid());
    set_tags(tx, id, &card.tags)?;
    entered(tx, id, EventKind::Created, None, col, decision, now, actor)
}

/// The card's column, if it is live (not archived).
pub(super) fn live_card(tx: &Transaction<'_>, id: CardId) -> Result<ColumnId> {
    match card_place(tx, id)? {
        (_, true) => Err(DomainError::Invalid(format!("card {id} is archived")).into()),
        (col, false) => Ok(col),
    }
}

/// The card's column and whether it is archived; an error if there is no
/// such card.
fn card_place(tx: &Transaction<'_>, id: CardId) -> Result<(ColumnId, bool)> {
    tx.query_row(
        "SELECT column_id, archived_at IS NOT NULL FROM cards WHERE id = ?1",
        [id.0],
        |r| Ok((ColumnId(r.get(0)?), r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no card {id}")))
}

pub(super) fn update_card(
    tx: &Transaction<'_>,
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
        let old: Option<u32> =
            tx.query_row("SELECT points FROM cards WHERE id = ?1", [id.0], |r| {
                r.get(0)
            })?;
        if old != pts {
            tx.execute(
                "UPDATE cards SET points = ?2 WHERE id = ?1",
                params![id.0, pts],
            )?;
            // A re-estimate is history: burndowns count it from this moment.
            tx.prepare_cached(
                "INSERT INTO card_events (card_id, at, actor, kind, old_points, new_points)
                 VALUES (?1, ?2, ?3, 'estimated', ?4, ?5)",
            )?
            .execute(params![id.0, now, actor, old, pts])?;
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
    tx: &Transaction<'_>,
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
    let decision = decide_entry(&col, live_count(tx, to)?, force)?;
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

pub(super) fn reorder_card(tx: &Transaction<'_>, id: CardId, delta: i32) -> Result<()> {
    let column = live_card(tx, id)?;
    let (pos, _): (f64, i64) = tx.query_row(
        "SELECT position, id FROM cards WHERE id = ?1",
        [id.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
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
    let neighbour: Option<(i64, f64)> = tx
        .query_row(sql, params![column.0, pos, id.0], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
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

pub(super) fn explain_breach(tx: &Transaction<'_>, event: i64, reason: &str) -> Result<()> {
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
    tx: &Transaction<'_>,
    id: CardId,
    reason: Option<&str>,
    now: i64,
    actor: &str,
) -> Result<()> {
    live_card(tx, id)?;
    let blocked: bool = tx.query_row("SELECT blocked FROM cards WHERE id = ?1", [id.0], |r| {
        r.get(0)
    })?;
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
            card: id,
            at: now,
            actor,
            kind: if reason.is_some() {
                EventKind::Blocked
            } else {
                EventKind::Unblocked
            },
            from: None,
            to: None,
            breach: None,
            note: reason,
        },
    )?;
    Ok(())
}

pub(super) fn archive_card(tx: &Transaction<'_>, id: CardId, now: i64, actor: &str) -> Result<()> {
    let column = live_card(tx, id)?;
    tx.execute(
        "UPDATE cards SET archived_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    insert_event(
        tx,
        EventRow {
            card: id,
            at: now,
            actor,
            kind: EventKind::Archived,
            from: Some(column),
            to: None,
            breach: None,
            note: None,
        },
    )?;
    Ok(())
}

/// Brings an archived card back into the column it left, as a move into it
/// would (its WIP limit applies).
pub(super) fn restore_card(
    tx: &Transaction<'_>,
    id: CardId,
    now: i64,
    actor: &str,
) -> Result<Entry> {
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
    let decision = decide_entry(&col, live_count(tx, column)?, None)?;
    tx.execute(
        "UPDATE cards SET archived_at = NULL, updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    entered(tx, id, EventKind::Restored, None, col, decision, now, actor)
}
