//! Sprints: their settings, their cards, and the history their burndown replays.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::read::{SUMMARY_FIELDS, summary_from_row};
use super::write::{EventRow, insert_event, live_card};
use super::{day, from_ms, ms};
use crate::domain::sprint::{
    BurnEvent, BurnEventKind, BurnHistory, NewSprint, Outcome, Sprint, SprintCard, SprintId,
    SprintState, burndown, check_can_add, check_can_plan, check_close, check_goal_edit, check_open,
    check_start, check_start_beside, next_name, validate_capacity, validate_days, validate_goal,
    validate_name,
};
use crate::domain::{BoardId, CardId, EventKind, Zone};
use crate::sql_params as params;
use crate::store::sql::{Db, DbExt, Row};
use crate::store::{Closed, Result, SprintPatch, StoreError};

const SPRINT_FIELDS: &str = "id, name, goal, start_day, end_day, state, capacity, started_at,
    closed_at, committed, velocity";

fn sprint_from_row(r: &Row) -> Result<Sprint> {
    let state: String = r.get(5)?;
    Ok(Sprint {
        id: SprintId(r.get(0)?),
        name: r.get(1)?,
        goal: r.get(2)?,
        start: day(&r.get::<String>(3)?),
        end: day(&r.get::<String>(4)?),
        state: SprintState::parse(&state).unwrap_or(SprintState::Closed),
        capacity: r.get(6)?,
        started_at: r.get::<Option<i64>>(7)?.map(from_ms),
        closed_at: r.get::<Option<i64>>(8)?.map(from_ms),
        committed: r.get(9)?,
        velocity: r.get(10)?,
    })
}

pub(super) fn sprints(conn: &dyn Db, board: BoardId) -> Result<Vec<Sprint>> {
    conn.rows(
        &format!("SELECT {SPRINT_FIELDS} FROM sprints WHERE board_id = ?1 ORDER BY start_day, id"),
        params![board.0],
        sprint_from_row,
    )
}

pub(super) fn sprint(conn: &dyn Db, id: SprintId) -> Result<Sprint> {
    conn.row(
        &format!("SELECT {SPRINT_FIELDS} FROM sprints WHERE id = ?1"),
        params![id.0],
        sprint_from_row,
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no sprint with id {}", id.0)))
}

/// The board's sprint in `state` (there is at most one planned and one
/// active), by id and name.
fn in_state(
    conn: &dyn Db,
    board: BoardId,
    state: SprintState,
) -> Result<Option<(SprintId, String)>> {
    conn.row(
        "SELECT id, name FROM sprints WHERE board_id = ?1 AND state = ?2 ORDER BY id LIMIT 1",
        params![board.0, state.as_str()],
        |r| Ok((SprintId(r.get(0)?), r.get(1)?)),
    )
}

fn board_of(conn: &dyn Db, id: SprintId) -> Result<BoardId> {
    Ok(BoardId(conn.one(
        "SELECT board_id FROM sprints WHERE id = ?1",
        params![id.0],
    )?))
}

/// The end of a sprint's first day, in milliseconds: cards added after it
/// are scope change.
fn first_day_end(s: &Sprint, zone: &dyn Zone) -> i64 {
    ms(zone.midnight(s.start + chrono::Duration::days(1)))
}

pub(super) fn sprint_cards(
    conn: &dyn Db,
    id: SprintId,
    zone: &dyn Zone,
) -> Result<Vec<SprintCard>> {
    let s = sprint(conn, id)?;
    conn.rows(
        &format!(
            "SELECT {SUMMARY_FIELDS}, col.name, col.kind = 'done', sc.outcome, sc.added_at > ?2
         FROM sprint_cards sc
         JOIN cards c ON c.id = sc.card_id
         JOIN columns col ON col.id = c.column_id
         WHERE sc.sprint_id = ?1
           AND (c.archived_at IS NULL OR col.kind = 'done' OR sc.outcome IS NOT NULL)
         ORDER BY col.position, c.position, c.id"
        ),
        params![id.0, first_day_end(&s, zone)],
        |r| {
            let outcome: Option<String> = r.get(9)?;
            Ok(SprintCard {
                card: summary_from_row(r)?,
                column: r.get(7)?,
                done: r.get(8)?,
                outcome: outcome.as_deref().and_then(Outcome::parse),
                added_late: r.get(10)?,
            })
        },
    )
}

pub(super) fn backlog_cards(conn: &dyn Db, board: BoardId) -> Result<Vec<SprintCard>> {
    conn.rows(
        &format!(
            "SELECT {SUMMARY_FIELDS}, col.name
         FROM columns col {join} cards c ON c.column_id = col.id
         WHERE col.board_id = ?1 AND c.archived_at IS NULL AND col.kind <> 'done'
           AND col.deleted_at IS NULL
           AND NOT EXISTS (
               SELECT 1 FROM sprint_cards sc JOIN sprints s ON s.id = sc.sprint_id
               WHERE sc.card_id = c.id AND sc.outcome IS NULL
                 AND s.state IN ('planned', 'active'))
         ORDER BY col.position, c.position, c.id",
            join = conn.engine().left_first()
        ),
        params![board.0],
        |r| {
            Ok(SprintCard {
                card: summary_from_row(r)?,
                column: r.get(7)?,
                done: false,
                outcome: None,
                added_late: false,
            })
        },
    )
}

pub(super) fn burn_history(conn: &dyn Db, id: SprintId) -> Result<BurnHistory> {
    let mut events = Vec::new();
    let mut cards = HashSet::new();
    conn.each(
        "SELECT e.card_id, e.at, e.kind, col.kind = 'done', e.sprint_id, e.old_points, e.new_points
         FROM card_events e LEFT JOIN columns col ON col.id = e.to_column
         WHERE e.card_id IN (SELECT card_id FROM sprint_cards WHERE sprint_id = ?1
                             UNION SELECT card_id FROM card_events WHERE sprint_id = ?1)
         ORDER BY e.at, e.id",
        params![id.0],
        &mut |r| {
            let card = CardId(r.get(0)?);
            cards.insert(card);
            let kind: String = r.get(2)?;
            let this_sprint = r.get::<Option<i64>>(4)? == Some(id.0);
            let kind = match kind.as_str() {
                "created" | "moved" => BurnEventKind::Enter {
                    done: r.get::<Option<bool>>(3)?.unwrap_or(false),
                },
                "estimated" => BurnEventKind::Estimated {
                    old: r.get(5)?,
                    new: r.get(6)?,
                },
                "planned" if this_sprint => BurnEventKind::Planned,
                "unplanned" if this_sprint => BurnEventKind::Unplanned,
                "archived" => BurnEventKind::Archived,
                "restored" => BurnEventKind::Restored {
                    done: r.get::<Option<bool>>(3)?.unwrap_or(false),
                },
                _ => return Ok(()),
            };
            events.push(BurnEvent {
                card,
                at: from_ms(r.get(1)?),
                kind,
            });
            Ok(())
        },
    )?;
    let mut points_now = std::collections::HashMap::with_capacity(cards.len());
    for card in cards {
        let p: Option<u32> = conn.one("SELECT points FROM cards WHERE id = ?1", params![card.0])?;
        points_now.insert(card, p);
    }
    Ok(BurnHistory { events, points_now })
}

pub(super) fn create_sprint(
    tx: &dyn Db,
    board: BoardId,
    s: &NewSprint,
    now: i64,
) -> Result<SprintId> {
    let planned = in_state(tx, board, SprintState::Planned)?;
    check_can_plan(planned.as_ref().map(|(_, n)| n.as_str()))?;
    Ok(SprintId(tx.one(
        "INSERT INTO sprints (board_id, name, goal, start_day, end_day, state, capacity, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'planned', ?6, ?7)
         RETURNING id",
        params![
            board.0,
            &s.name,
            &s.goal,
            s.start.to_string(),
            s.end().to_string(),
            s.capacity,
            now
        ],
    )?))
}

fn open_sprint(tx: &dyn Db, id: SprintId) -> Result<Sprint> {
    let s = sprint(tx, id)?;
    check_open(&s)?;
    Ok(s)
}

pub(super) fn edit_sprint(tx: &dyn Db, id: SprintId, p: &SprintPatch) -> Result<()> {
    let s = open_sprint(tx, id)?;
    let name = p.name.as_deref().map(validate_name).transpose()?;
    let goal = p.goal.as_deref().map(validate_goal).transpose()?;
    check_goal_edit(&s, goal.as_deref())?;
    let start = check_start(p.start.unwrap_or(s.start))?;
    let days = match p.days {
        Some(d) => validate_days(d)?,
        None => s.days(),
    };
    let capacity = match p.capacity {
        Some(c) => c.map(validate_capacity).transpose()?,
        None => s.capacity,
    };
    let end = start + chrono::Duration::days(i64::from(days) - 1);
    tx.execute(
        "UPDATE sprints SET name = ?2, goal = ?3, start_day = ?4, end_day = ?5, capacity = ?6
         WHERE id = ?1",
        params![
            id.0,
            name.unwrap_or(s.name),
            goal.unwrap_or(s.goal),
            start.to_string(),
            end.to_string(),
            capacity
        ],
    )?;
    Ok(())
}

pub(super) fn start_sprint(tx: &dyn Db, id: SprintId, now: i64, today: NaiveDate) -> Result<()> {
    let s = sprint(tx, id)?;
    let active = in_state(tx, board_of(tx, id)?, SprintState::Active)?;
    check_start_beside(&s, active.as_ref().map(|(_, n)| n.as_str()))?;
    // A sprint starts the day it is started (its forecast is measured from
    // its first day), keeping its length.
    let start = today;
    let end = today + chrono::Duration::days(i64::from(s.days()) - 1);
    tx.execute(
        "UPDATE sprints SET state = 'active', started_at = ?2, start_day = ?3, end_day = ?4
         WHERE id = ?1",
        params![id.0, now, start.to_string(), end.to_string()],
    )?;
    Ok(())
}

pub(super) fn add_to_sprint(
    tx: &dyn Db,
    id: SprintId,
    card: CardId,
    now: i64,
    actor: &str,
) -> Result<()> {
    let s = open_sprint(tx, id)?;
    let column = live_card(tx, card)?;
    let (done, board): (bool, i64) = tx
        .row(
            "SELECT col.kind = 'done', col.board_id FROM columns col WHERE col.id = ?1",
            params![column.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no column with id {}", column.0)))?;
    if BoardId(board) != board_of(tx, id)? {
        return Err(StoreError::NotFound(format!(
            "card {card} is on another board"
        )));
    }
    let other: Option<String> = tx.row(
        "SELECT s.name FROM sprint_cards sc JOIN sprints s ON s.id = sc.sprint_id
         WHERE sc.card_id = ?1 AND sc.outcome IS NULL AND s.state IN ('planned', 'active')",
        params![card.0],
        |r| r.get(0),
    )?;
    check_can_add(card, done, other.as_deref())?;
    tx.execute(
        "INSERT INTO sprint_cards (sprint_id, card_id, added_at) VALUES (?1, ?2, ?3)",
        params![s.id.0, card.0, now],
    )?;
    insert_event(
        tx,
        EventRow {
            sprint: Some(id.0),
            ..EventRow::new(card, EventKind::Planned, now, actor)
        },
    )?;
    Ok(())
}

pub(super) fn remove_from_sprint(
    tx: &dyn Db,
    id: SprintId,
    card: CardId,
    now: i64,
    actor: &str,
) -> Result<()> {
    let s = open_sprint(tx, id)?;
    let removed = tx.execute(
        "DELETE FROM sprint_cards WHERE sprint_id = ?1 AND card_id = ?2 AND outcome IS NULL",
        params![id.0, card.0],
    )?;
    if removed == 0 {
        return Err(StoreError::NotFound(format!(
            "card {card} is not in {}",
            s.name
        )));
    }
    insert_event(
        tx,
        EventRow {
            sprint: Some(id.0),
            ..EventRow::new(card, EventKind::Unplanned, now, actor)
        },
    )?;
    Ok(())
}

pub(super) fn close_sprint(
    tx: &dyn Db,
    id: SprintId,
    carry: &[CardId],
    now: DateTime<Utc>,
    zone: &dyn Zone,
    actor: &str,
) -> Result<Closed> {
    let s = sprint(tx, id)?;
    let cards = sprint_cards(tx, id, zone)?;
    let mut carry = carry.to_vec();
    carry.sort();
    carry.dedup();
    check_close(&s, &cards, &carry)?;
    let burn = burndown(&s, &burn_history(tx, id)?, now, zone);
    let at = ms(now);
    let done: Vec<&SprintCard> = cards.iter().filter(|c| c.done).collect();
    let velocity: u32 = done.iter().filter_map(|c| c.card.points).sum();
    tx.execute(
        "UPDATE sprints SET state = 'closed', closed_at = ?2, committed = ?3, velocity = ?4
         WHERE id = ?1",
        params![id.0, at, burn.committed, velocity],
    )?;
    for c in &cards {
        let outcome = if c.done {
            Outcome::Done
        } else if carry.contains(&c.card.id) {
            Outcome::Carried
        } else {
            Outcome::Returned
        };
        tx.execute(
            "UPDATE sprint_cards SET outcome = ?3 WHERE sprint_id = ?1 AND card_id = ?2",
            params![id.0, c.card.id.0, outcome.as_str()],
        )?;
    }
    // Cards archived unfinished during the sprint went back with the board.
    tx.execute(
        "UPDATE sprint_cards SET outcome = 'returned' WHERE sprint_id = ?1 AND outcome IS NULL",
        params![id.0],
    )?;
    let mut next = None;
    if !carry.is_empty() {
        let board = board_of(tx, id)?;
        let (next_id, next_name) = match in_state(tx, board, SprintState::Planned)? {
            Some(found) => found,
            None => {
                // The next sprint starts the day after this one ends (or today).
                let start = (s.end + chrono::Duration::days(1)).max(zone.day_of(now));
                let new = NewSprint {
                    name: next_name(&s.name),
                    goal: String::new(),
                    start,
                    days: s.days(),
                    capacity: s.capacity,
                }
                .validated()?;
                (create_sprint(tx, board, &new, at)?, new.name)
            }
        };
        for c in &carry {
            tx.execute(
                "INSERT INTO sprint_cards (sprint_id, card_id, added_at) VALUES (?1, ?2, ?3)",
                params![next_id.0, c.0, at],
            )?;
            insert_event(
                tx,
                EventRow {
                    sprint: Some(next_id.0),
                    ..EventRow::new(*c, EventKind::Planned, at, actor)
                },
            )?;
        }
        next = Some((next_id, next_name));
    }
    Ok(Closed {
        name: s.name,
        committed: burn.committed,
        velocity,
        done: done.len(),
        carried: carry.len(),
        returned: cards.len() - done.len() - carry.len(),
        next,
    })
}

#[cfg(test)]
mod tests;
