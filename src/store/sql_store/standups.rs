//! Standups: the board's settings, what a standup walks, and the record of each one.

use chrono::NaiveDate;

use super::from_ms;
use super::read::{SUMMARY_FIELDS, summary_from_row};
use super::write::{add_card, live_card, set_blocked};
use crate::domain::sprint::SprintId;
use crate::domain::standup::{
    ACTION_TAG, ActionItem, IMPEDIMENT_TAG, ItemKind, MAX_NOTE, MAX_TOPIC, NewStandup,
    SpeakerNotes, Standup, StandupFormat, StandupId, StandupItem, StandupSettings, WalkCard,
    validate_person, validate_text,
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
         FROM cards c JOIN columns col ON col.id = c.column_id
         WHERE c.board_id = ?1 AND c.archived_at IS NULL AND col.deleted_at IS NULL AND {scope}
         ORDER BY col.position, c.position, c.id"
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
        "SELECT c.id, c.title, c.assignee, col.name, c.created_at
         FROM card_tags t JOIN cards c ON c.id = t.card_id
         JOIN columns col ON col.id = c.column_id
         WHERE t.tag = ?2 AND c.board_id = ?1 AND c.archived_at IS NULL AND col.kind <> 'done'
         ORDER BY c.created_at, c.id",
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
    let mut s = conn
        .row(
            "SELECT id, day, started_at, ended_at, elapsed_seconds, format, facilitator, sprint_id
             FROM standups WHERE id = ?1",
            params![id.0],
            |r| {
                let day: String = r.get(1)?;
                let format: String = r.get(5)?;
                Ok(Standup {
                    id: StandupId(r.get(0)?),
                    date: NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
                    started_at: from_ms(r.get(2)?),
                    ended_at: r.get::<Option<i64>>(3)?.map(from_ms),
                    elapsed_seconds: r.get(4)?,
                    format: StandupFormat::parse(&format).unwrap_or_default(),
                    facilitator: r.get(6)?,
                    sprint: r.get::<Option<i64>>(7)?.map(SprintId),
                    attendees: Vec::new(),
                    notes: Vec::new(),
                    items: Vec::new(),
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

pub(super) fn begin(
    tx: &dyn Db,
    board: BoardId,
    new: &NewStandup,
    day: NaiveDate,
    now: i64,
    actor: &str,
) -> Result<StandupId> {
    let id = StandupId(tx.one(
        "INSERT INTO standups (board_id, sprint_id, day, started_at, format, facilitator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING id",
        params![
            board.0,
            new.sprint.map(|s| s.0),
            day.to_string(),
            now,
            new.format.as_str(),
            actor
        ],
    )?);
    set_attendees(tx, id, &new.attendees)?;
    Ok(id)
}

fn exists(tx: &dyn Db, id: StandupId) -> Result<()> {
    let found: Option<i64> = tx.row(
        "SELECT id FROM standups WHERE id = ?1",
        params![id.0],
        |r| r.get(0),
    )?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound(format!("no standup with id {}", id.0))),
    }
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
            n.yesterday.trim(),
            n.today.trim(),
            n.blockers.trim()
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

pub(super) fn save_time(
    tx: &dyn Db,
    id: StandupId,
    elapsed: u32,
    end: bool,
    now: i64,
) -> Result<()> {
    exists(tx, id)?;
    tx.execute(
        "UPDATE standups SET elapsed_seconds = ?2,
             ended_at = CASE WHEN ?3 = 1 THEN coalesce(ended_at, ?4) ELSE ended_at END
         WHERE id = ?1",
        params![id.0, elapsed, end, now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
