//! Pre- and post-mortems. A pre-mortem writes its reasons through its own
//! retro session (kind 'premortem'): the same anonymous cards, the same
//! reveal, the same facilitator rules.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::retros;
use super::{RANDOM_ID, day, from_ms, ms, write};
use crate::domain::mortem::{
    ActionType, CardState, Listed, Mortem, MortemAction, MortemId, MortemKind, MortemReport,
    NewAction, PostmortemTemplate, PremortemTemplate, Priority, Risk, Stage, Status, TimelineEntry,
    rank, validate_section, validate_title,
};
use crate::domain::retro::{Format, ItemId, Phase, Prompt, RetroId, validate_card};
use crate::domain::{BoardId, CardId, DomainError, NewCard};
use crate::store::mortems::{Field, Reason};
use crate::store::{Result, StoreError};

mod premortem;

pub(super) use premortem::{add_reason, advance, my_reasons, rate, read_reason, take_back_reason};

const FIELDS: &str = "m.id, m.kind, m.title, m.status, m.day, m.authors, m.subject, m.card_id,
    m.session_id, m.created_at, m.created_by, r.phase";

fn mortem_from_row(r: &Row<'_>) -> rusqlite::Result<Mortem> {
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
        date: day(&r.get::<_, String>(4)?),
        authors: r.get(5)?,
        sections: BTreeMap::new(),
        subject: r.get(6)?,
        card: r.get::<_, Option<i64>>(7)?.map(CardId),
        session: r.get::<_, Option<i64>>(8)?.map(RetroId),
        stage: phase
            .as_deref()
            .map(|p| Stage::of(Phase::parse(p).unwrap_or(Phase::Closed))),
        created_at: from_ms(r.get(9)?),
        created_by: r.get(10)?,
    })
}

fn mortem(conn: &Connection, id: MortemId) -> Result<Mortem> {
    conn.query_row(
        &format!(
            "SELECT {FIELDS} FROM mortems m LEFT JOIN retros r ON r.id = m.session_id
             WHERE m.id = ?1"
        ),
        [id.0],
        mortem_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("no pre- or post-mortem with id {}", id.0)))
}

/// The mortem, if it is of this kind.
fn of_kind(conn: &Connection, id: MortemId, kind: MortemKind) -> Result<Mortem> {
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

pub(super) fn list(conn: &Connection, board: BoardId, search: &str) -> Result<Vec<Listed>> {
    let needle = search.trim().to_lowercase();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FIELDS},
            (SELECT count(*) FROM mortem_actions a WHERE a.mortem_id = m.id),
            (SELECT count(*) FROM mortem_actions a JOIN cards c ON c.id = a.card_id
               JOIN columns col ON col.id = c.column_id
             WHERE a.mortem_id = m.id AND {OPEN_CARD})
         FROM mortems m LEFT JOIN retros r ON r.id = m.session_id
         WHERE m.board_id = ?1 AND (?2 = ''
            OR instr(tl_fold(m.title || ' ' || m.authors || ' ' || m.subject), ?2) > 0
            OR EXISTS (SELECT 1 FROM mortem_sections s
                       WHERE s.mortem_id = m.id AND instr(tl_fold(s.text), ?2) > 0)
            OR EXISTS (SELECT 1 FROM mortem_timeline t
                       WHERE t.mortem_id = m.id AND instr(tl_fold(t.text), ?2) > 0)
            OR EXISTS (SELECT 1 FROM mortem_actions a JOIN cards c ON c.id = a.card_id
                       WHERE a.mortem_id = m.id AND instr(tl_fold(c.title), ?2) > 0)
            OR (r.revealed = 1 AND EXISTS (SELECT 1 FROM retro_cards rc
                       WHERE rc.retro_id = m.session_id AND instr(tl_fold(rc.text), ?2) > 0)))
         ORDER BY m.created_at DESC, m.id DESC"
    ))?;
    let rows = stmt.query_map(params![board.0, needle], |r| {
        Ok(Listed {
            mortem: mortem_from_row(r)?,
            actions: r.get(12)?,
            open_actions: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The team's names: whoever acted on the board or has cards (on any
/// board of the file: a name is a name), and the board's standup attendees.
/// Each distinct value is found by one step down an index, not by reading
/// every event.
pub(super) fn team_names(conn: &Connection, board: BoardId) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
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
    )?;
    let mut names: Vec<String> = stmt
        .query_map([board.0], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup_by_key(|n| n.to_lowercase());
    Ok(names)
}

fn action_from_row(r: &Row<'_>) -> rusqlite::Result<MortemAction> {
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

pub(super) fn report(conn: &Connection, id: MortemId) -> Result<MortemReport> {
    let mut m = mortem(conn, id)?;
    let mut stmt =
        conn.prepare_cached("SELECT key, text FROM mortem_sections WHERE mortem_id = ?1")?;
    for row in stmt.query_map([id.0], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (key, text): (String, String) = row?;
        m.sections.insert(key, text);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, text FROM mortem_timeline WHERE mortem_id = ?1 ORDER BY at, id",
    )?;
    let timeline = stmt
        .query_map([id.0], |r| {
            Ok(TimelineEntry {
                id: r.get(0)?,
                at: from_ms(r.get(1)?),
                text: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(&format!(
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
    ))?;
    let actions = stmt
        .query_map([id.0], action_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let (mut risks, mut reasons, mut reading) = (Vec::new(), 0, None);
    if let Some(session) = m.session {
        let r = retros::retro(conn, session)?;
        reasons = retros::cards_written(conn, session)?;
        type Rated = (Option<u32>, Option<u8>, Option<u8>);
        let mut ratings: HashMap<i64, Rated> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT item_id, number, likelihood, impact FROM premortem_risks WHERE mortem_id = ?1",
        )?;
        for row in stmt.query_map([id.0], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })? {
            let (item, rated) = row?;
            ratings.insert(item, rated);
        }
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

fn touch(tx: &Transaction<'_>, id: MortemId, now: i64) -> Result<()> {
    tx.execute(
        "UPDATE mortems SET updated_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    Ok(())
}

pub(super) fn new_postmortem(
    tx: &Transaction<'_>,
    board: BoardId,
    title: &str,
    day: NaiveDate,
    now: i64,
    actor: &str,
) -> Result<MortemId> {
    let title = validate_title(title)?;
    tx.execute(
        "INSERT INTO mortems (board_id, kind, title, day, authors, created_at, created_by,
                              updated_at)
         VALUES (?1, 'post', ?2, ?3, ?4, ?5, ?4, ?5)",
        params![board.0, title, day.to_string(), actor, now],
    )?;
    Ok(MortemId(tx.last_insert_rowid()))
}

pub(super) fn new_premortem(
    tx: &Transaction<'_>,
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
            .query_row(
                "SELECT title FROM cards WHERE id = ?1 AND board_id = ?2",
                params![card.0, board.0],
                |r| r.get::<_, String>(0),
            )
            .optional()?
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
    tx.execute(
        "INSERT INTO retros (board_id, title, format, phase, facilitator, votes, safety_kind,
                             from_day, to_day, started_at, kind)
         VALUES (?1, ?2, ?3, 'gather', ?4, 3, 'esvp', ?5, ?5, ?6, 'premortem')",
        params![board.0, title, format, actor, today.to_string(), now],
    )?;
    let session = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO mortems (board_id, kind, title, day, authors, subject, card_id, session_id,
                              created_at, created_by, updated_at)
         VALUES (?1, 'pre', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?4, ?8)",
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
    )?;
    Ok(MortemId(tx.last_insert_rowid()))
}

/// One line of free text: control characters as spaces, at most `max`.
fn line(text: &str, what: &str, max: usize) -> Result<String> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if t.chars().count() > max {
        return Err(DomainError::Invalid(format!("{what} has at most {max} characters")).into());
    }
    Ok(t)
}

pub(super) fn set_field(
    tx: &Transaction<'_>,
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
            let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                DomainError::Invalid(format!("'{}' is not a date (YYYY-MM-DD)", text.trim()))
            })?;
            ("day", d.to_string())
        }
    };
    tx.execute(
        &format!("UPDATE mortems SET {column} = ?2 WHERE id = ?1"),
        params![id.0, value],
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
    tx: &Transaction<'_>,
    id: MortemId,
    key: &str,
    text: &str,
    base: Option<&str>,
    now: i64,
) -> Result<()> {
    of_kind(tx, id, MortemKind::Post)?;
    if let Some(base) = base {
        let current: String = tx
            .query_row(
                "SELECT text FROM mortem_sections WHERE mortem_id = ?1 AND key = ?2",
                params![id.0, key],
                |r| r.get(0),
            )
            .optional()?
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

pub(super) fn set_status(
    tx: &Transaction<'_>,
    id: MortemId,
    status: Status,
    now: i64,
) -> Result<()> {
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
    tx: &Transaction<'_>,
    id: MortemId,
    at: DateTime<Utc>,
    text: &str,
    now: i64,
) -> Result<i64> {
    of_kind(tx, id, MortemKind::Post)?;
    tx.execute(
        "INSERT INTO mortem_timeline (mortem_id, at, text) VALUES (?1, ?2, ?3)",
        params![id.0, ms(at), entry_text(text)?],
    )?;
    let entry = tx.last_insert_rowid();
    touch(tx, id, now)?;
    Ok(entry)
}

pub(super) fn edit_timeline(
    tx: &Transaction<'_>,
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
fn check_risk(tx: &Transaction<'_>, session: RetroId, risk: i64) -> Result<()> {
    let found: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM retro_items WHERE id = ?1 AND retro_id = ?2)",
        params![risk, session.0],
        |r| r.get(0),
    )?;
    if !found {
        return Err(StoreError::NotFound(format!(
            "no reason {risk} in this pre-mortem"
        )));
    }
    Ok(())
}

pub(super) fn add_action(
    tx: &Transaction<'_>,
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
