//! Standups: the board's settings, what a standup walks, and the record of each one.

use chrono::NaiveDate;

use super::columns::{COLUMN_FIELDS, column_from_row};
use super::read::{SUMMARY_FIELDS, summary_from_row};
use super::write::{add_card, live_card, set_blocked};
use super::{from_ms, ms};
use crate::domain::sprint::SprintId;
use crate::domain::standup::{
    ACTION_TAG, ActionItem, IMPEDIMENT_TAG, ItemKind, MAX_NOTE, MAX_TOPIC, NewStandup,
    SpeakerNotes, Standup, StandupFormat, StandupId, StandupItem, StandupSettings, WalkCard,
    shuffle, validate_person, validate_text, walk_order, walk_turn,
};
use crate::domain::{Board, BoardId, CardId, DomainError, NewCard};
use crate::sql_params as params;
use crate::store::sql::{Db, DbExt};
use crate::store::{Impediment, Result, StoreError};

pub(super) fn settings(conn: &dyn Db, board: BoardId) -> Result<StandupSettings> {
    conn.row(
        "SELECT standup_format, standup_minutes, standup_turn_seconds FROM boards WHERE id = ?1",
        params![board.0],
        |r| {
            let format: String = r.get(0)?;
            Ok(StandupSettings {
                format: StandupFormat::parse(&format).unwrap_or_default(),
                minutes: r.get(1)?,
                turn_seconds: r.get(2)?,
            })
        },
    )?
    .ok_or_else(|| StoreError::NotFound("no such board".into()))
}

pub(super) fn set_settings(tx: &dyn Db, board: BoardId, s: StandupSettings) -> Result<()> {
    let s = s.validated()?;
    tx.execute(
        "UPDATE boards SET standup_format = ?2, standup_minutes = ?3, standup_turn_seconds = ?4
         WHERE id = ?1",
        params![board.0, s.format.as_str(), s.minutes, s.turn_seconds],
    )?;
    Ok(())
}

/// When the card first entered an active column.
const STARTED: &str = "(SELECT min(e.at) FROM card_events e JOIN columns a ON a.id = e.to_column
                        WHERE e.card_id = c.id AND a.kind = 'active')";

pub(super) fn walk_cards(
    conn: &dyn Db,
    board: &Board,
    sprint: Option<SprintId>,
) -> Result<Vec<WalkCard>> {
    let scope = if sprint.is_some() {
        "c.id IN (SELECT card_id FROM sprint_cards WHERE sprint_id = ?2 AND outcome IS NULL)
         AND col.kind <> 'done'"
    } else {
        "col.kind = 'active' AND CAST(?2 AS BIGINT) IS NULL"
    };
    conn.rows(
        &format!(
            "SELECT {SUMMARY_FIELDS}, col.name, c.blocked_reason, {STARTED}
         FROM columns col {join} cards c ON c.column_id = col.id
         WHERE col.board_id = ?1 AND c.archived_at IS NULL AND col.deleted_at IS NULL AND {scope}
         ORDER BY col.position, c.position, c.id",
            join = conn.engine().left_first()
        ),
        params![board.id.0, sprint.map(|s| s.0)],
        |r| {
            let card = summary_from_row(r)?;
            Ok(WalkCard {
                column_index: board.column_index(card.column).unwrap_or(0),
                card,
                column: r.get(7)?,
                blocked_reason: r.get(8)?,
                started: r.get::<Option<i64>>(9)?.map(from_ms),
            })
        },
    )
}

pub(super) fn action_items(conn: &dyn Db, board: &Board) -> Result<Vec<ActionItem>> {
    conn.rows(
        &format!(
            "SELECT c.id, c.title, c.assignee, col.name, c.created_at
             FROM columns col {} cards c ON c.column_id = col.id
             WHERE col.board_id = ?1 AND col.kind <> 'done' AND c.archived_at IS NULL
               AND EXISTS (SELECT 1 FROM card_tags t WHERE t.card_id = c.id AND t.tag = ?2)
             ORDER BY c.created_at, c.id",
            conn.engine().left_first()
        ),
        params![board.id.0, ACTION_TAG],
        |r| {
            Ok(ActionItem {
                card: CardId(r.get(0)?),
                title: r.get(1)?,
                assignee: r.get(2)?,
                column: r.get(3)?,
                created: from_ms(r.get(4)?),
            })
        },
    )
}

pub(super) fn people(
    conn: &dyn Db,
    board: &Board,
    sprint: Option<SprintId>,
) -> Result<Vec<String>> {
    let mut names: Vec<String> = walk_cards(conn, board, sprint)?
        .into_iter()
        .filter_map(|w| w.card.assignee)
        .collect();
    names.extend(conn.rows(
        "SELECT a.name FROM standup_attendees a
         WHERE a.standup_id = (SELECT id FROM standups WHERE board_id = ?1
                               ORDER BY started_at DESC, id DESC LIMIT 1)",
        params![board.id.0],
        |r| r.get::<String>(0),
    )?);
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup_by_key(|n| n.to_lowercase());
    Ok(names)
}

pub(super) fn standup(conn: &dyn Db, id: StandupId) -> Result<Standup> {
    let count = |v: i64| u64::try_from(v).unwrap_or(0);
    let mut s = conn
        .row(
            "SELECT id, day, started_at, ended_at, elapsed_ms, running_since, format, facilitator,
                    sprint_id, turn, walk_card, turn_began_ms, step
             FROM standups WHERE id = ?1",
            params![id.0],
            |r| {
                let day: String = r.get(1)?;
                let format: String = r.get(6)?;
                Ok(Standup {
                    id: StandupId(r.get(0)?),
                    date: super::day(&day),
                    started_at: from_ms(r.get(2)?),
                    ended_at: r.get::<Option<i64>>(3)?.map(from_ms),
                    elapsed_ms: count(r.get(4)?),
                    running_since: r.get::<Option<i64>>(5)?.map(from_ms),
                    format: StandupFormat::parse(&format).unwrap_or_default(),
                    facilitator: r.get(7)?,
                    sprint: r.get::<Option<i64>>(8)?.map(SprintId),
                    attendees: Vec::new(),
                    notes: Vec::new(),
                    items: Vec::new(),
                    turn: r.get(9)?,
                    walk_card: r.get::<Option<i64>>(10)?.map(CardId),
                    turn_began_ms: count(r.get(11)?),
                    step: r.get(12)?,
                })
            },
        )?
        .ok_or_else(|| StoreError::NotFound(format!("no standup with id {}", id.0)))?;
    let speakers = conn.rows(
        "SELECT name, yesterday, today, blockers FROM standup_attendees
         WHERE standup_id = ?1 ORDER BY position",
        params![id.0],
        |r| {
            Ok(SpeakerNotes {
                name: r.get(0)?,
                yesterday: r.get(1)?,
                today: r.get(2)?,
                blockers: r.get(3)?,
            })
        },
    )?;
    for n in speakers {
        s.attendees.push(n.name.clone());
        if !n.is_empty() {
            s.notes.push(n);
        }
    }
    s.items = conn.rows(
        "SELECT kind, text, card_id FROM standup_items WHERE standup_id = ?1 ORDER BY id",
        params![id.0],
        |r| {
            let kind: String = r.get(0)?;
            Ok(StandupItem {
                kind: ItemKind::parse(&kind).unwrap_or(ItemKind::Parking),
                text: r.get(1)?,
                card: r.get::<Option<i64>>(2)?.map(CardId),
            })
        },
    )?;
    Ok(s)
}

pub(super) fn unfinished(
    conn: &dyn Db,
    board: BoardId,
    day: NaiveDate,
) -> Result<Option<StandupId>> {
    conn.row(
        "SELECT id FROM standups WHERE board_id = ?1 AND day = ?2 AND ended_at IS NULL
         ORDER BY id DESC LIMIT 1",
        params![board.0, day.to_string()],
        |r| r.get(0).map(StandupId),
    )
}

pub(super) fn past(conn: &dyn Db, board: BoardId, limit: u32) -> Result<Vec<Standup>> {
    let ids: Vec<i64> = conn.rows(
        "SELECT id FROM standups WHERE board_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2",
        params![board.0, limit],
        |r| r.get(0),
    )?;
    ids.into_iter()
        .map(|id| standup(conn, StandupId(id)))
        .collect()
}

/// The standup's board, as the walk reads it.
fn board_of(tx: &dyn Db, id: BoardId) -> Result<Board> {
    let name: String = tx
        .row(
            "SELECT name FROM boards WHERE id = ?1",
            params![id.0],
            |r| r.get(0),
        )?
        .ok_or_else(|| StoreError::NotFound("no such board".into()))?;
    let columns = tx.rows(
        &format!(
            "SELECT {COLUMN_FIELDS} FROM columns
             WHERE board_id = ?1 AND deleted_at IS NULL ORDER BY position, id"
        ),
        params![id.0],
        column_from_row,
    )?;
    Ok(Board { id, name, columns })
}

/// The walk as it is now, in walking order.
fn walk(tx: &dyn Db, board: BoardId, sprint: Option<SprintId>) -> Result<Vec<WalkCard>> {
    Ok(walk_order(walk_cards(tx, &board_of(tx, board)?, sprint)?))
}

fn standup_board(tx: &dyn Db, id: StandupId) -> Result<BoardId> {
    tx.row(
        "SELECT board_id FROM standups WHERE id = ?1",
        params![id.0],
        |r| r.get(0).map(BoardId),
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no standup with id {}", id.0)))
}

/// Begins today's standup, its timer running and the first turn begun;
/// refused while another is under way today (the board has one at a time).
pub(super) fn begin(
    tx: &dyn Db,
    board: BoardId,
    new: &NewStandup,
    day: NaiveDate,
    now: i64,
    actor: &str,
) -> Result<StandupId> {
    if let Some(live) = unfinished(tx, board, day)? {
        let by = standup(tx, live)?.facilitator;
        return Err(DomainError::Invalid(format!(
            "{by} has started today's standup already: you follow it here"
        ))
        .into());
    }
    let first = match new.format {
        StandupFormat::WalkTheBoard => walk(tx, board, new.sprint)?.first().map(|w| w.card.id),
        StandupFormat::RoundRobin => None,
    };
    let id = StandupId(tx.one(
        "INSERT INTO standups (board_id, sprint_id, day, started_at, running_since, format,
                               facilitator, walk_card)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)
         RETURNING id",
        params![
            board.0,
            new.sprint.map(|s| s.0),
            day.to_string(),
            now,
            new.format.as_str(),
            actor,
            first.map(|c| c.0)
        ],
    )?);
    set_attendees(tx, id, &new.attendees)?;
    Ok(id)
}

fn exists(tx: &dyn Db, id: StandupId) -> Result<()> {
    standup_board(tx, id).map(drop)
}

/// The standup as it is, if it has not ended.
fn under_way(tx: &dyn Db, id: StandupId) -> Result<Standup> {
    let s = standup(tx, id)?;
    if s.ended() {
        return Err(DomainError::Invalid("this standup has ended".into()).into());
    }
    Ok(s)
}

/// Refuses anyone but the facilitator.
fn facilitated_by(s: &Standup, actor: &str) -> Result<()> {
    if s.is_facilitator(actor) {
        Ok(())
    } else {
        Err(DomainError::Invalid(format!(
            "{} is facilitating: only they start, pause and end the standup",
            s.facilitator
        ))
        .into())
    }
}

/// The timer's reading at `now`, in milliseconds.
fn elapsed_at(s: &Standup, now: i64) -> u64 {
    let running = s
        .running_since
        .map_or(0, |since| u64::try_from(now - ms(since)).unwrap_or(0));
    s.elapsed_ms.saturating_add(running)
}

fn as_count(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Starts or pauses the timer (the facilitator's): pausing keeps the time
/// it ran. Doing what is done already changes nothing.
pub(super) fn set_running(
    tx: &dyn Db,
    id: StandupId,
    running: bool,
    now: i64,
    actor: &str,
) -> Result<()> {
    let s = under_way(tx, id)?;
    facilitated_by(&s, actor)?;
    if s.running() == running {
        return Ok(());
    }
    if running {
        tx.execute(
            "UPDATE standups SET running_since = ?2 WHERE id = ?1",
            params![id.0, now],
        )?;
    } else {
        tx.execute(
            "UPDATE standups SET elapsed_ms = ?2, running_since = NULL WHERE id = ?1",
            params![id.0, as_count(elapsed_at(&s, now))],
        )?;
    }
    Ok(())
}

/// How many turns there are, and whose it is now.
fn turns(tx: &dyn Db, s: &Standup) -> Result<(usize, usize, Vec<WalkCard>)> {
    Ok(match s.format {
        StandupFormat::RoundRobin => {
            let n = s.attendees.len();
            (n, (s.turn as usize).min(n.saturating_sub(1)), Vec::new())
        }
        StandupFormat::WalkTheBoard => {
            let walk = walk(tx, standup_board(tx, s.id)?, s.sprint)?;
            let at = walk_turn(&walk, s.walk_card, s.turn as usize);
            (walk.len(), at, walk)
        }
    })
}

/// Gives the turn to place `turn`, with the turn's timer from zero, as the
/// step after `from`; false if the standup has moved on from `from`.
fn give_turn(
    tx: &dyn Db,
    s: &Standup,
    from: u32,
    turn: usize,
    walk: &[WalkCard],
    now: i64,
) -> Result<bool> {
    let card = match s.format {
        StandupFormat::WalkTheBoard => walk.get(turn).map(|w| w.card.id.0),
        StandupFormat::RoundRobin => None,
    };
    let changed = tx.execute(
        "UPDATE standups SET turn = ?3, walk_card = ?4, turn_began_ms = ?5, step = step + 1
         WHERE id = ?1 AND step = ?2 AND ended_at IS NULL",
        params![s.id.0, from, turn, card, as_count(elapsed_at(s, now))],
    )?;
    Ok(changed == 1)
}

/// The next turn (`delta` 1) or the one before (-1), moved from step
/// `from`: anyone's. False, and nothing changed, when the standup has moved
/// on from that step (someone else moved it first). At either end of the
/// order it stays where it is.
pub(super) fn step_turn(
    tx: &dyn Db,
    id: StandupId,
    from: u32,
    delta: i32,
    now: i64,
) -> Result<bool> {
    let s = under_way(tx, id)?;
    if s.step != from {
        return Ok(false);
    }
    let (n, at, walk) = turns(tx, &s)?;
    if n == 0 {
        return Ok(true);
    }
    let to = (at as i64 + i64::from(delta)).clamp(0, n as i64 - 1) as usize;
    if to == at {
        return Ok(true);
    }
    give_turn(tx, &s, from, to, &walk, now)
}

/// Switches the format from step `from` (the facilitator's): the turn goes
/// back to the first; the board's own setting follows, so the next
/// standup starts as this one ends.
pub(super) fn set_format(
    tx: &dyn Db,
    id: StandupId,
    format: StandupFormat,
    from: u32,
    now: i64,
    actor: &str,
) -> Result<bool> {
    let mut s = under_way(tx, id)?;
    facilitated_by(&s, actor)?;
    if s.step != from {
        return Ok(false);
    }
    if s.format == format {
        return Ok(true);
    }
    tx.execute(
        "UPDATE standups SET format = ?2 WHERE id = ?1",
        params![id.0, format.as_str()],
    )?;
    tx.execute(
        "UPDATE boards SET standup_format = ?2 WHERE id = ?1",
        params![standup_board(tx, id)?.0, format.as_str()],
    )?;
    s.format = format;
    let (_, _, walk) = turns(tx, &s)?;
    give_turn(tx, &s, from, 0, &walk, now)
}

/// Shuffles the speaking order from step `from` (the facilitator's): the
/// first in the new order has the turn.
pub(super) fn shuffle_speakers(
    tx: &dyn Db,
    id: StandupId,
    from: u32,
    now: i64,
    actor: &str,
) -> Result<bool> {
    let s = under_way(tx, id)?;
    facilitated_by(&s, actor)?;
    if s.step != from {
        return Ok(false);
    }
    let mut order = s.attendees.clone();
    shuffle(&mut order, now as u64);
    set_attendees(tx, id, &order)?;
    give_turn(tx, &s, from, 0, &[], now)
}

/// Someone joins (anyone may add anyone): last in the speaking order.
pub(super) fn join(tx: &dyn Db, id: StandupId, name: &str) -> Result<String> {
    let s = under_way(tx, id)?;
    let name = validate_person(name)?;
    if let Some(there) = s
        .attendees
        .iter()
        .find(|a| a.to_lowercase() == name.to_lowercase())
    {
        return Err(DomainError::Invalid(format!("{there} is on the list already")).into());
    }
    tx.execute(
        "INSERT INTO standup_attendees (standup_id, name, position)
         VALUES (?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM standup_attendees
                          WHERE standup_id = ?1))",
        params![id.0, &name],
    )?;
    Ok(name)
}

/// Someone leaves, or is marked absent, with their notes. When it was
/// their turn (round robin), the turn passes to the one after them, as a
/// step: a "next" pressed meanwhile from the step before is refused rather
/// than skip someone.
pub(super) fn leave(tx: &dyn Db, id: StandupId, name: &str, now: i64) -> Result<()> {
    let s = under_way(tx, id)?;
    let Some(at) = s.attendees.iter().position(|a| a == name) else {
        return Err(StoreError::NotFound(format!("{name} is not on the list")));
    };
    tx.execute(
        "DELETE FROM standup_attendees WHERE standup_id = ?1 AND name = ?2",
        params![id.0, name],
    )?;
    if s.format != StandupFormat::RoundRobin {
        return Ok(());
    }
    let turn = s.turn as usize;
    if at < turn {
        tx.execute(
            "UPDATE standups SET turn = turn - 1 WHERE id = ?1",
            params![id.0],
        )?;
    } else if at == turn {
        let left = s.attendees.len() - 1;
        give_turn(tx, &s, s.step, turn.min(left.saturating_sub(1)), &[], now)?;
    }
    Ok(())
}

/// Ends the standup (the facilitator's): it keeps how long the timer ran,
/// the format it ended in and who attended.
pub(super) fn end(tx: &dyn Db, id: StandupId, now: i64, actor: &str) -> Result<()> {
    let s = under_way(tx, id)?;
    facilitated_by(&s, actor)?;
    tx.execute(
        "UPDATE standups SET elapsed_ms = ?2, running_since = NULL, ended_at = ?3
         WHERE id = ?1 AND ended_at IS NULL",
        params![id.0, as_count(elapsed_at(&s, now)), now],
    )?;
    Ok(())
}

pub(super) fn set_attendees(tx: &dyn Db, id: StandupId, names: &[String]) -> Result<()> {
    exists(tx, id)?;
    let mut clean: Vec<String> = Vec::new();
    for n in names {
        let n = validate_person(n)?;
        if !clean.contains(&n) {
            clean.push(n);
        }
    }
    // Keep the notes of people still listed; drop those of people taken off.
    let old: Vec<String> = tx.rows(
        "SELECT name FROM standup_attendees WHERE standup_id = ?1",
        params![id.0],
        |r| r.get(0),
    )?;
    for gone in old.iter().filter(|o| !clean.contains(o)) {
        tx.execute(
            "DELETE FROM standup_attendees WHERE standup_id = ?1 AND name = ?2",
            params![id.0, gone],
        )?;
    }
    for (i, n) in clean.iter().enumerate() {
        tx.execute(
            "INSERT INTO standup_attendees (standup_id, name, position) VALUES (?1, ?2, ?3)
             ON CONFLICT (standup_id, name) DO UPDATE SET position = excluded.position",
            params![id.0, n, i as i64],
        )?;
    }
    Ok(())
}

pub(super) fn save_notes(tx: &dyn Db, id: StandupId, n: &SpeakerNotes) -> Result<()> {
    exists(tx, id)?;
    let name = validate_person(&n.name)?;
    for text in [&n.yesterday, &n.today, &n.blockers] {
        if text.chars().count() > MAX_NOTE {
            return Err(
                DomainError::Invalid(format!("a note has at most {MAX_NOTE} characters")).into(),
            );
        }
    }
    tx.execute(
        "INSERT INTO standup_attendees (standup_id, name, position, yesterday, today, blockers)
         VALUES (?1, ?2, (SELECT coalesce(max(position), -1) + 1 FROM standup_attendees
                          WHERE standup_id = ?1), ?3, ?4, ?5)
         ON CONFLICT (standup_id, name) DO UPDATE SET yesterday = excluded.yesterday,
             today = excluded.today, blockers = excluded.blockers",
        params![
            id.0,
            &name,
            crate::domain::text::lines(n.yesterday.trim()),
            crate::domain::text::lines(n.today.trim()),
            crate::domain::text::lines(n.blockers.trim())
        ],
    )?;
    Ok(())
}

fn add_item(
    tx: &dyn Db,
    id: StandupId,
    kind: ItemKind,
    text: &str,
    card: Option<CardId>,
    now: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO standup_items (standup_id, kind, text, card_id, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id.0, kind.as_str(), text, card.map(|c| c.0), now],
    )?;
    Ok(())
}

pub(super) fn park(tx: &dyn Db, id: StandupId, text: &str, now: i64) -> Result<()> {
    exists(tx, id)?;
    let text = validate_text(text, "topic", MAX_TOPIC)?;
    add_item(tx, id, ItemKind::Parking, &text, None, now)
}

pub(super) fn raise(
    tx: &dyn Db,
    id: StandupId,
    impediment: &Impediment,
    now: i64,
    actor: &str,
) -> Result<CardId> {
    exists(tx, id)?;
    let board: i64 = tx.one("SELECT board_id FROM standups WHERE id = ?1", params![id.0])?;
    let elsewhere = || StoreError::NotFound("that is on another board".into());
    match impediment {
        Impediment::Block { card, reason } => {
            live_card(tx, *card)?;
            let on: i64 = tx.one("SELECT board_id FROM cards WHERE id = ?1", params![card.0])?;
            if on != board {
                return Err(elsewhere());
            }
            let reason = validate_text(reason, "reason", MAX_TOPIC)?;
            set_blocked(tx, *card, Some(&reason), now, actor)?;
            add_item(tx, id, ItemKind::Impediment, &reason, Some(*card), now)?;
            Ok(*card)
        }
        Impediment::NewCard { title, column } => {
            let on: i64 = tx
                .row(
                    "SELECT board_id FROM columns WHERE id = ?1",
                    params![column.0],
                    |r| r.get(0),
                )?
                .ok_or_else(elsewhere)?;
            if on != board {
                return Err(elsewhere());
            }
            let card = NewCard {
                title: title.clone(),
                tags: vec![IMPEDIMENT_TAG.to_string()],
                ..NewCard::default()
            }
            .validated()?;
            let entry = add_card(tx, *column, &card, None, now, actor)?;
            add_item(
                tx,
                id,
                ItemKind::Impediment,
                &card.title,
                Some(entry.card),
                now,
            )?;
            Ok(entry.card)
        }
    }
}

/// Records a standup held before (the demo's): ended at `ended`, its
/// timer having run for `seconds`.
pub(super) fn record_ended(tx: &dyn Db, id: StandupId, seconds: u32, ended: i64) -> Result<()> {
    exists(tx, id)?;
    tx.execute(
        "UPDATE standups SET elapsed_ms = ?2, running_since = NULL, ended_at = ?3 WHERE id = ?1",
        params![id.0, i64::from(seconds) * 1000, ended],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
