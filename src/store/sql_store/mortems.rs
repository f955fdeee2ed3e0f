//! Pre- and post-mortems. A pre-mortem writes its reasons through its own
//! retro session (kind 'premortem'): the same anonymous cards, the same
//! reveal, the same facilitator rules.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::retros;
use super::{day, from_ms, ms, write};
use crate::domain::mortem::{
    ActionType, CardState, Listed, Mortem, MortemAction, MortemId, MortemKind, MortemReport,
    NewAction, PostmortemTemplate, PremortemTemplate, Priority, Risk, Stage, Status, TimelineEntry,
    rank, validate_section, validate_title,
};
use crate::domain::retro::{Format, ItemId, Phase, Prompt, RetroId, validate_card};
use crate::domain::text::one_line;
use crate::domain::{BoardId, CardId, DomainError, NewCard};
use crate::sql_params as params;
use crate::store::mortems::{Field, Reason};
use crate::store::sql::{Db, DbExt, Row};
use crate::store::{Result, StoreError};

mod premortem;

pub(super) use premortem::{add_reason, advance, my_reasons, rate, read_reason, take_back_reason};

const FIELDS: &str = "m.id, m.kind, m.title, m.status, m.day, m.authors, m.subject, m.card_id,
    m.session_id, m.created_at, m.created_by, r.phase, coalesce(r.facilitator, m.created_by)";

fn mortem_from_row(r: &Row) -> Result<Mortem> {
    let kind: String = r.get(1)?;
    let status: String = r.get(3)?;
    let phase: Option<String> = r.get(11)?;
    Ok(Mortem {
        id: MortemId(r.get(0)?),
        kind: if kind == "pre" {
            MortemKind::Pre
        } else {
            MortemKind::Post
        },
        title: r.get(2)?,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        date: day(&r.get::<String>(4)?),
        authors: r.get(5)?,
        sections: BTreeMap::new(),
        subject: r.get(6)?,
        card: r.get::<Option<i64>>(7)?.map(CardId),
        session: r.get::<Option<i64>>(8)?.map(RetroId),
        stage: phase
            .as_deref()
            .map(|p| Stage::of(Phase::parse(p).unwrap_or(Phase::Closed))),
        created_at: from_ms(r.get(9)?),
        created_by: r.get(10)?,
        facilitator: r.get(12)?,
    })
}

fn mortem(conn: &dyn Db, id: MortemId) -> Result<Mortem> {
    conn.row(
        &format!(
            "SELECT {FIELDS} FROM mortems m LEFT JOIN retros r ON r.id = m.session_id
             WHERE m.id = ?1"
        ),
        params![id.0],
        mortem_from_row,
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no pre- or post-mortem with id {}", id.0)))
}

/// A pre-mortem and its writing session (whose facilitator runs it).
pub(super) fn premortem_session(conn: &dyn Db, id: MortemId) -> Result<(Mortem, RetroId)> {
    let m = of_kind(conn, id, MortemKind::Pre)?;
    let session = m
        .session
        .ok_or_else(|| StoreError::NotFound(format!("{} has no writing session", m.title)))?;
    Ok((m, session))
}

/// The mortem, if it is of this kind.
fn of_kind(conn: &dyn Db, id: MortemId, kind: MortemKind) -> Result<Mortem> {
    let m = mortem(conn, id)?;
    if m.kind != kind {
        return Err(DomainError::Invalid(format!(
            "{} is a {}, not a {}",
            m.title,
            m.kind.label(),
            kind.label()
        ))
        .into());
    }
    Ok(m)
}

/// Open actions: not in a done column, not archived.
const OPEN_CARD: &str = "col.kind <> 'done' AND c.archived_at IS NULL";

pub(super) fn list(conn: &dyn Db, board: BoardId, search: &str) -> Result<Vec<Listed>> {
    let needle = search.trim().to_lowercase();
    let e = conn.engine();
    // Whether the needle is in a text, case folded.
    let has = |text: &str| format!("{} > 0", e.position("?2", &e.fold(text)));
    conn.rows(
        &format!(
            "SELECT {FIELDS},
                (SELECT count(*) FROM mortem_actions a WHERE a.mortem_id = m.id),
                (SELECT count(*) FROM mortem_actions a JOIN cards c ON c.id = a.card_id
                   JOIN columns col ON col.id = c.column_id
                 WHERE a.mortem_id = m.id AND {OPEN_CARD})
             FROM mortems m LEFT JOIN retros r ON r.id = m.session_id
             WHERE m.board_id = ?1 AND (?2 = ''
                OR {}
                OR EXISTS (SELECT 1 FROM mortem_sections s
                           WHERE s.mortem_id = m.id AND {})
                OR EXISTS (SELECT 1 FROM mortem_timeline t
                           WHERE t.mortem_id = m.id AND {})
                OR EXISTS (SELECT 1 FROM mortem_actions a JOIN cards c ON c.id = a.card_id
                           WHERE a.mortem_id = m.id AND {})
                OR (r.revealed = 1 AND EXISTS (SELECT 1 FROM retro_cards rc
                           WHERE rc.retro_id = m.session_id AND {})))
             ORDER BY m.created_at DESC, m.id DESC",
            has("m.title || ' ' || m.authors || ' ' || m.subject"),
            has("s.text"),
            has("t.text"),
            has("c.title"),
            has("rc.text"),
        ),
        params![board.0, needle],
        |r| {
            Ok(Listed {
                mortem: mortem_from_row(r)?,
                actions: r.get(13)?,
                open_actions: r.get(14)?,
            })
        },
    )
}

/// The team's names: whoever acted on the board or has cards (on any
/// board of the file: a name is a name), and the board's standup attendees.
/// Each distinct value is found by one step down an index, not by reading
/// every event.
pub(super) fn team_names(conn: &dyn Db, board: BoardId) -> Result<Vec<String>> {
    let mut names: Vec<String> = conn.rows(
        "WITH RECURSIVE
           actors(name) AS (
             SELECT min(actor) FROM card_events
             UNION ALL
             SELECT (SELECT min(actor) FROM card_events WHERE actor > actors.name)
             FROM actors WHERE actors.name IS NOT NULL),
           assignees(name) AS (
             SELECT min(assignee) FROM cards
             UNION ALL
             SELECT (SELECT min(assignee) FROM cards WHERE assignee > assignees.name)
             FROM assignees WHERE assignees.name IS NOT NULL)
         SELECT name FROM actors WHERE name IS NOT NULL
         UNION SELECT name FROM assignees WHERE name IS NOT NULL
         UNION SELECT a.name FROM standup_attendees a JOIN standups s ON s.id = a.standup_id
               WHERE s.board_id = ?1",
        params![board.0],
        |r| r.get::<String>(0),
    )?;
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup_by_key(|n| n.to_lowercase());
    Ok(names)
}

fn action_from_row(r: &Row) -> Result<MortemAction> {
    let kind: Option<String> = r.get(2)?;
    let due: Option<String> = r.get(4)?;
    let priority: String = r.get(5)?;
    let state: String = r.get(7)?;
    Ok(MortemAction {
        card: CardId(r.get(0)?),
        text: r.get(1)?,
        kind: kind.as_deref().and_then(|k| ActionType::parse(k).ok()),
        owner: r.get(3)?,
        due: due.as_deref().map(day),
        priority: Priority::parse(&priority).unwrap_or(Priority::Medium),
        column: r.get(6)?,
        state: match state.as_str() {
            "done" => CardState::Done,
            "dropped" => CardState::Dropped,
            _ => CardState::Open,
        },
        risk: r.get(8)?,
    })
}

pub(super) fn report(conn: &dyn Db, id: MortemId) -> Result<MortemReport> {
    let mut m = mortem(conn, id)?;
    let sections: Vec<(String, String)> = conn.rows(
        "SELECT key, text FROM mortem_sections WHERE mortem_id = ?1",
        params![id.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    m.sections.extend(sections);
    let timeline = conn.rows(
        "SELECT id, at, text FROM mortem_timeline WHERE mortem_id = ?1 ORDER BY at, id",
        params![id.0],
        |r| {
            Ok(TimelineEntry {
                id: r.get(0)?,
                at: from_ms(r.get(1)?),
                text: r.get(2)?,
            })
        },
    )?;
    let actions = conn.rows(
        &format!(
            "SELECT c.id, c.title, a.type, c.assignee, a.due_day, a.priority, col.name,
                CASE WHEN col.kind = 'done' THEN 'done'
                     WHEN c.archived_at IS NOT NULL THEN 'dropped' ELSE 'open' END,
                a.risk_id
             FROM mortem_actions a JOIN cards c ON c.id = a.card_id
             JOIN columns col ON col.id = c.column_id
             WHERE a.mortem_id = ?1
             ORDER BY {OPEN_CARD} DESC,
                      CASE a.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
                      a.due_day IS NULL, a.due_day, c.id"
        ),
        params![id.0],
        action_from_row,
    )?;
    let (mut risks, mut reasons, mut reading) = (Vec::new(), 0, None);
    if let Some(session) = m.session {
        let r = retros::retro(conn, session)?;
        reasons = retros::cards_written(conn, session)?;
        type Rated = (Option<u32>, Option<u8>, Option<u8>);
        let ratings: HashMap<i64, Rated> = conn
            .rows(
                "SELECT item_id, number, likelihood, impact FROM premortem_risks
                 WHERE mortem_id = ?1",
                params![id.0],
                |r| Ok((r.get(0)?, (r.get(1)?, rating(r, 2)?, rating(r, 3)?))),
            )?
            .into_iter()
            .collect();
        risks = retros::items(conn, &r)?
            .into_iter()
            .map(|item| {
                let (number, likelihood, impact) =
                    ratings.get(&item.id.0).copied().unwrap_or_default();
                Risk {
                    id: item.id.0,
                    number: number.unwrap_or(0),
                    text: item.label().to_string(),
                    likelihood,
                    impact,
                }
            })
            .collect();
        rank(&mut risks);
        if r.phase != Phase::Closed {
            reading = r.discussing.map(|i| i.0);
        }
    }
    Ok(MortemReport {
        mortem: m,
        timeline,
        actions,
        risks,
        reasons,
        reading,
    })
}

/// A rating (1 to 5) as stored, if any.
fn rating(r: &Row, i: usize) -> Result<Option<u8>> {
    r.get::<Option<u32>>(i)?
        .map(|v| {
            u8::try_from(v)
                .map_err(|_| StoreError::Query(format!("column {i}: {v} is out of range")))
        })
        .transpose()
}

fn touch(tx: &dyn Db, id: MortemId, now: i64) -> Result<()> {
    tx.execute(
        "UPDATE mortems SET updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    Ok(())
}

pub(super) fn new_postmortem(
    tx: &dyn Db,
    board: BoardId,
    title: &str,
    day: NaiveDate,
    now: i64,
    actor: &str,
) -> Result<MortemId> {
    let title = validate_title(title)?;
    Ok(MortemId(tx.one(
        "INSERT INTO mortems (board_id, kind, title, day, authors, created_at, created_by,
                              updated_at)
         VALUES (?1, 'post', ?2, ?3, ?4, ?5, ?4, ?5)
         RETURNING id",
        params![board.0, &title, day.to_string(), actor, now],
    )?))
}

pub(super) fn new_premortem(
    tx: &dyn Db,
    board: BoardId,
    title: &str,
    card: Option<CardId>,
    today: NaiveDate,
    now: i64,
    actor: &str,
) -> Result<MortemId> {
    let title = validate_title(title)?;
    let subject = match card {
        Some(card) => tx
            .row(
                "SELECT title FROM cards WHERE id = ?1 AND board_id = ?2",
                params![card.0, board.0],
                |r| r.get::<String>(0),
            )?
            .ok_or_else(|| StoreError::NotFound(format!("no card {card} on this board")))?,
        None => title.clone(),
    };
    let t = PremortemTemplate::built_in()?;
    let format = Format {
        id: "premortem".into(),
        name: t.name.clone(),
        about: t.about.clone(),
        prompts: vec![Prompt {
            name: t.frame.clone(),
            hint: t.hint.clone(),
        }],
    };
    let format = serde_json::to_string(&format)
        .map_err(|e| DomainError::Invalid(format!("the pre-mortem cannot be saved: {e}")))?;
    let session: i64 = tx.one(
        "INSERT INTO retros (board_id, title, format, phase, facilitator, votes, safety_kind,
                             from_day, to_day, started_at, kind)
         VALUES (?1, ?2, ?3, 'gather', ?4, 3, 'esvp', ?5, ?5, ?6, 'premortem')
         RETURNING id",
        params![board.0, &title, format, actor, today.to_string(), now],
    )?;
    Ok(MortemId(tx.one(
        "INSERT INTO mortems (board_id, kind, title, day, authors, subject, card_id, session_id,
                              created_at, created_by, updated_at)
         VALUES (?1, 'pre', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?4, ?8)
         RETURNING id",
        params![
            board.0,
            title,
            today.to_string(),
            actor,
            subject,
            card.map(|c| c.0),
            session,
            now
        ],
    )?))
}

/// One line of free text (see [`one_line`]), at most `max` characters;
/// it may be left empty.
fn line(text: &str, what: &str, max: usize) -> Result<String> {
    let t = one_line(text);
    if t.chars().count() > max {
        return Err(DomainError::Invalid(format!("{what} has at most {max} characters")).into());
    }
    Ok(t)
}

pub(super) fn set_field(
    tx: &dyn Db,
    id: MortemId,
    field: Field,
    text: &str,
    now: i64,
) -> Result<()> {
    let m = mortem(tx, id)?;
    let (column, value) = match field {
        Field::Title => ("title", validate_title(text)?),
        Field::Authors => ("authors", line(text, "the authors' line", 200)?),
        Field::Subject => ("subject", line(text, "the subject", 200)?),
        Field::Date => {
            let d = crate::domain::parse_date(text)?;
            ("day", d.to_string())
        }
    };
    tx.execute(
        &format!("UPDATE mortems SET {column} = ?2 WHERE id = ?1"),
        params![id.0, &value],
    )?;
    if let (Field::Title, Some(session)) = (field, m.session) {
        tx.execute(
            "UPDATE retros SET title = ?2 WHERE id = ?1",
            params![session.0, value],
        )?;
    }
    touch(tx, id, now)
}

pub(super) fn set_section(
    tx: &dyn Db,
    id: MortemId,
    key: &str,
    text: &str,
    base: Option<&str>,
    now: i64,
) -> Result<()> {
    of_kind(tx, id, MortemKind::Post)?;
    if let Some(base) = base {
        let current: String = tx
            .row(
                "SELECT text FROM mortem_sections WHERE mortem_id = ?1 AND key = ?2",
                params![id.0, key],
                |r| r.get(0),
            )?
            .unwrap_or_default();
        if current.trim_end() != base.trim_end() {
            return Err(DomainError::Invalid(
                "someone saved this section while you wrote: copy your text, then Esc and open it again to see theirs".into(),
            )
            .into());
        }
    }
    let template = PostmortemTemplate::built_in()?;
    if template.section(key).is_none() {
        let keys: Vec<&str> = template.sections.iter().map(|s| s.key.as_str()).collect();
        return Err(DomainError::Invalid(format!(
            "'{key}' is not a section (one of {})",
            keys.join(", ")
        ))
        .into());
    }
    let text = validate_section(text)?;
    if text.trim().is_empty() {
        tx.execute(
            "DELETE FROM mortem_sections WHERE mortem_id = ?1 AND key = ?2",
            params![id.0, key],
        )?;
    } else {
        tx.execute(
            "INSERT INTO mortem_sections (mortem_id, key, text) VALUES (?1, ?2, ?3)
             ON CONFLICT (mortem_id, key) DO UPDATE SET text = excluded.text",
            params![id.0, key, text],
        )?;
    }
    touch(tx, id, now)
}

pub(super) fn set_status(tx: &dyn Db, id: MortemId, status: Status, now: i64) -> Result<()> {
    of_kind(tx, id, MortemKind::Post)?;
    tx.execute(
        "UPDATE mortems SET status = ?2 WHERE id = ?1",
        params![id.0, status.as_str()],
    )?;
    touch(tx, id, now)
}

fn entry_text(text: &str) -> Result<String> {
    let t = line(text, "a timeline entry", 500)?;
    if t.is_empty() {
        return Err(DomainError::Invalid("the timeline entry is empty".into()).into());
    }
    Ok(t)
}

pub(super) fn add_timeline(
    tx: &dyn Db,
    id: MortemId,
    at: DateTime<Utc>,
    text: &str,
    now: i64,
) -> Result<i64> {
    of_kind(tx, id, MortemKind::Post)?;
    let entry = tx.one(
        "INSERT INTO mortem_timeline (mortem_id, at, text) VALUES (?1, ?2, ?3) RETURNING id",
        params![id.0, ms(at), entry_text(text)?],
    )?;
    touch(tx, id, now)?;
    Ok(entry)
}

pub(super) fn edit_timeline(
    tx: &dyn Db,
    id: MortemId,
    entry: i64,
    change: Option<(DateTime<Utc>, &str)>,
    now: i64,
) -> Result<()> {
    let n = match change {
        Some((at, text)) => tx.execute(
            "UPDATE mortem_timeline SET at = ?3, text = ?4 WHERE id = ?2 AND mortem_id = ?1",
            params![id.0, entry, ms(at), entry_text(text)?],
        )?,
        None => tx.execute(
            "DELETE FROM mortem_timeline WHERE id = ?2 AND mortem_id = ?1",
            params![id.0, entry],
        )?,
    };
    if n == 0 {
        return Err(StoreError::NotFound(format!(
            "no timeline entry {entry} here"
        )));
    }
    touch(tx, id, now)
}

/// Whether `risk` is a reason of this pre-mortem's session.
fn check_risk(tx: &dyn Db, session: RetroId, risk: i64) -> Result<()> {
    let found: bool = tx.one(
        "SELECT EXISTS (SELECT 1 FROM retro_items WHERE id = ?1 AND retro_id = ?2)",
        params![risk, session.0],
    )?;
    if !found {
        return Err(StoreError::NotFound(format!(
            "no reason {risk} in this pre-mortem"
        )));
    }
    Ok(())
}

pub(super) fn add_action(
    tx: &dyn Db,
    board: BoardId,
    id: MortemId,
    action: &NewAction,
    now: i64,
    actor: &str,
) -> Result<CardId> {
    let m = mortem(tx, id)?;
    let risk = match (m.session, action.risk) {
        (Some(session), Some(risk)) => {
            check_risk(tx, session, risk)?;
            Some(risk)
        }
        (None, Some(_)) => {
            return Err(
                DomainError::Invalid("only a pre-mortem's mitigations name a risk".into()).into(),
            );
        }
        (_, None) => None,
    };
    let kind = action.kind.filter(|_| m.kind == MortemKind::Post);
    let what = match kind {
        Some(k) => format!("{} action item", k.as_str()),
        None if m.kind == MortemKind::Pre => "mitigation".to_string(),
        None => "action item".to_string(),
    };
    let due = action.due.map_or(String::new(), |d| format!(" Due {d}."));
    let tag = format!(
        "{}-{}",
        if m.kind == MortemKind::Pre {
            "premortem"
        } else {
            "postmortem"
        },
        id.0
    );
    let card = NewCard {
        title: action.text.clone(),
        description: format!(
            "A {what} ({} priority) from the {} \"{}\" ({}).{due}",
            action.priority.as_str(),
            m.kind.label(),
            m.title,
            m.date
        ),
        assignee: action.owner.clone(),
        tags: vec![crate::domain::retro::ACTION_TAG.to_string(), tag],
        points: None,
    }
    .validated()?;
    let column = retros::first_column(tx, board, None)?;
    let entry = write::add_card(tx, column, &card, None, now, actor)?;
    tx.execute(
        "INSERT INTO mortem_actions (card_id, mortem_id, type, priority, due_day, risk_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entry.card.0,
            id.0,
            kind.map(ActionType::as_str),
            action.priority.as_str(),
            action.due.map(|d| d.to_string()),
            risk
        ],
    )?;
    touch(tx, id, now)?;
    Ok(entry.card)
}

#[cfg(test)]
mod tests;
