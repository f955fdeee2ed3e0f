//! Retrospectives: phases, anonymous cards, dot votes as totals, polls with
//! answers kept apart from who answered, and action items as board cards.

use chrono::NaiveDate;

use super::anon::{count_list, rewrite_shuffled, text_list};
use super::write::{self, archive_card, move_card};
use super::{day, from_ms, ms};
use crate::domain::retro::{
    Action, ActionStatus, BreachFact, Format, Item, ItemId, Move, Phase, Poll, PollView, Retro,
    RetroCard, RetroId, RetroReport, Reviewed, SafetyKind, check, check_phase_change, check_reopen,
    check_vote, validate_card,
};
use crate::domain::sprint::SprintId;
use crate::domain::{BoardId, CardId, ColumnId, DomainError, NewCard};
use crate::sql_params as params;
use crate::store::claim::{ClaimKind, PersonKey, random_id};
use crate::store::sql::{Db, DbExt, Row};
use crate::store::{NewRetro, Result, StoreError};

mod actions;
mod ballot;

pub(super) use actions::{add_action, adopt_action, first_column, item_of, review};
pub(super) use ballot::{
    answer, close_poll, has_answered, my_votes, reopen_poll, vote, votes_used,
};

const RETRO_FIELDS: &str = "id, title, format, phase, facilitator, votes, safety_kind,
    safety_closed, roti_closed, revealed, sprint_id, from_day, to_day, started_at, closed_at,
    discussing, discuss_started, discuss_minutes";

fn retro_from_row(r: &Row) -> Result<Retro> {
    let format: String = r.get(2)?;
    let format: Format = serde_json::from_str(&format).unwrap_or_else(|_| Format {
        id: "unknown".into(),
        name: "Unknown format".into(),
        about: String::new(),
        prompts: Vec::new(),
    });
    let phase: String = r.get(3)?;
    let safety: String = r.get(6)?;
    Ok(Retro {
        id: RetroId(r.get(0)?),
        title: r.get(1)?,
        format,
        phase: Phase::parse(&phase).unwrap_or(Phase::Closed),
        facilitator: r.get(4)?,
        votes: r.get(5)?,
        safety: SafetyKind::parse(&safety).unwrap_or(SafetyKind::Esvp),
        safety_closed: r.get(7)?,
        roti_closed: r.get(8)?,
        revealed: r.get(9)?,
        sprint: r.get::<Option<i64>>(10)?.map(SprintId),
        from: day(&r.get::<String>(11)?),
        to: day(&r.get::<String>(12)?),
        started_at: from_ms(r.get(13)?),
        closed_at: r.get::<Option<i64>>(14)?.map(from_ms),
        discussing: r.get::<Option<i64>>(15)?.map(ItemId),
        discuss_started: r.get::<Option<i64>>(16)?.map(from_ms),
        discuss_minutes: r.get(17)?,
    })
}

pub(super) fn retros(conn: &dyn Db, board: BoardId) -> Result<Vec<Retro>> {
    conn.rows(
        &format!(
            "SELECT {RETRO_FIELDS} FROM retros WHERE board_id = ?1 AND kind = 'retro'
             ORDER BY started_at DESC, id DESC"
        ),
        params![board.0],
        retro_from_row,
    )
}

pub(super) fn retro(conn: &dyn Db, id: RetroId) -> Result<Retro> {
    conn.row(
        &format!("SELECT {RETRO_FIELDS} FROM retros WHERE id = ?1"),
        params![id.0],
        retro_from_row,
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no retro with id {}", id.0)))
}

/// Refuses a pre-mortem's writing session where a team retro is meant: the
/// Retro tab and `teamloop retro` never see one (its pre-mortem runs it).
pub(super) fn ensure_team(conn: &dyn Db, id: RetroId) -> Result<()> {
    let kind: Option<String> = conn.row(
        "SELECT kind FROM retros WHERE id = ?1",
        params![id.0],
        |r| r.get(0),
    )?;
    match kind.as_deref() {
        Some("retro") => Ok(()),
        _ => Err(StoreError::NotFound(format!("no retro with id {}", id.0))),
    }
}

fn board_of(conn: &dyn Db, id: RetroId) -> Result<BoardId> {
    Ok(BoardId(conn.one(
        "SELECT board_id FROM retros WHERE id = ?1",
        params![id.0],
    )?))
}

/// The retro, if `who` may make this move now.
fn allowed(tx: &dyn Db, id: RetroId, who: &str, m: Move) -> Result<Retro> {
    let r = retro(tx, id)?;
    check(&r, who, m)?;
    Ok(r)
}

/// A poll as stored: how many chose each answer, and the tokens of who has
/// answered (sorted).
fn poll_row(conn: &dyn Db, id: RetroId, poll: Poll) -> Result<(Vec<u32>, Vec<String>)> {
    let row: Option<(String, String)> = conn.row(
        "SELECT counts, takers FROM retro_polls WHERE retro_id = ?1 AND poll = ?2",
        params![id.0, poll.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(match row {
        Some((counts, takers)) => {
            let mut takers = text_list(Some(takers));
            takers.sort();
            takers.dedup();
            (count_list(Some(counts)), takers)
        }
        None => (Vec::new(), Vec::new()),
    })
}

pub(super) fn items(conn: &dyn Db, r: &Retro) -> Result<Vec<Item>> {
    if !r.revealed {
        return Ok(Vec::new());
    }
    let votes_shown = r.phase >= Phase::Discuss;
    let mut items: Vec<Item> = conn.rows(
        "SELECT id, title, votes, notes FROM retro_items WHERE retro_id = ?1 ORDER BY id",
        params![r.id.0],
        |row| {
            Ok(Item {
                id: ItemId(row.get(0)?),
                title: row.get(1)?,
                votes: if votes_shown { Some(row.get(2)?) } else { None },
                notes: row.get(3)?,
                cards: Vec::new(),
            })
        },
    )?;
    let rows = conn.rows(
        "SELECT id, item_id, prompt, text FROM retro_cards WHERE retro_id = ?1 ORDER BY prompt, id",
        params![r.id.0],
        |row| {
            Ok((
                ItemId(row.get(1)?),
                RetroCard {
                    id: row.get(0)?,
                    prompt: row.get::<u32>(2)? as usize,
                    text: row.get(3)?,
                },
            ))
        },
    )?;
    for (item, card) in rows {
        if let Some(i) = items.iter_mut().find(|i| i.id == item) {
            i.cards.push(card);
        }
    }
    items.retain(|i| !i.cards.is_empty());
    // By prompt and text: an order that says nothing of who wrote when.
    items.sort_by_cached_key(|i| (i.prompt(), i.label().to_lowercase(), i.id));
    for i in &mut items {
        i.cards
            .sort_by_cached_key(|c| (c.text.to_lowercase(), c.id));
    }
    Ok(items)
}

/// Where an action's card stands: done, dropped (archived unfinished) or open.
const ACTION_FIELDS: &str = "c.id, c.title, c.assignee, a.due_day, a.retro_id, r.title,
    CASE WHEN col.kind = 'done' THEN 'done'
         WHEN c.archived_at IS NOT NULL THEN 'dropped' ELSE 'open' END";

fn action_from_row(r: &Row) -> Result<Action> {
    let due: Option<String> = r.get(3)?;
    let status: String = r.get(6)?;
    Ok(Action {
        card: CardId(r.get(0)?),
        text: r.get(1)?,
        owner: r.get(2)?,
        due: due.as_deref().map(day),
        retro: RetroId(r.get(4)?),
        retro_title: r.get(5)?,
        status: ActionStatus::parse(&status).unwrap_or(ActionStatus::Open),
    })
}

pub(super) fn report(conn: &dyn Db, id: RetroId) -> Result<RetroReport> {
    let r = retro(conn, id)?;
    let items = items(conn, &r)?;
    let safety = PollView::of_counts(
        &poll_row(conn, id, Poll::Safety)?.0,
        r.poll_choices(Poll::Safety).len(),
        r.safety_closed,
    );
    let roti = PollView::of_counts(
        &poll_row(conn, id, Poll::Roti)?.0,
        r.poll_choices(Poll::Roti).len(),
        r.roti_closed,
    );
    let actions = conn.rows(
        &format!(
            "SELECT {ACTION_FIELDS} FROM retro_actions a
             JOIN cards c ON c.id = a.card_id JOIN columns col ON col.id = c.column_id
             JOIN retros r ON r.id = a.retro_id
             WHERE a.retro_id = ?1 ORDER BY c.id"
        ),
        params![id.0],
        action_from_row,
    )?;
    let reviewed = to_review(conn, id)?
        .into_iter()
        .filter_map(|(action, marked)| marked.map(|marked| Reviewed { action, marked }))
        .collect();
    Ok(RetroReport {
        retro: r,
        items,
        safety,
        roti,
        actions,
        reviewed,
    })
}

pub(super) fn cards_written(conn: &dyn Db, id: RetroId) -> Result<u32> {
    conn.one(
        "SELECT count(*) FROM retro_cards WHERE retro_id = ?1",
        params![id.0],
    )
}

/// The actor's own cards, found by their claims, while the cards are
/// hidden: after the reveal nothing marks a card as anyone's.
pub(super) fn my_cards(conn: &dyn Db, id: RetroId, key: &PersonKey) -> Result<Vec<RetroCard>> {
    let r = retro(conn, id)?;
    if r.revealed {
        return Ok(Vec::new());
    }
    let rows = conn.rows(
        "SELECT id, prompt, text, claim FROM retro_cards WHERE retro_id = ?1 AND claim IS NOT NULL",
        params![id.0],
        |row| {
            Ok((
                RetroCard {
                    id: row.get(0)?,
                    prompt: row.get::<u32>(1)? as usize,
                    text: row.get(2)?,
                },
                row.get::<Vec<u8>>(3)?,
            ))
        },
    )?;
    let mut mine = Vec::new();
    for (card, claim) in rows {
        if key.claim(ClaimKind::Card, card.id) == claim {
            mine.push(card);
        }
    }
    mine.sort_by_cached_key(|c| (c.prompt, c.text.to_lowercase(), c.id));
    Ok(mine)
}

pub(super) fn to_review(conn: &dyn Db, id: RetroId) -> Result<Vec<(Action, Option<ActionStatus>)>> {
    let r = retro(conn, id)?;
    let board = board_of(conn, id)?;
    // Earlier retros' actions not done or dropped by the time this one
    // started, and any this retro marked.
    conn.rows(
        &format!(
            "SELECT {ACTION_FIELDS}, rv.status FROM retro_actions a
             JOIN cards c ON c.id = a.card_id JOIN columns col ON col.id = c.column_id
             JOIN retros r ON r.id = a.retro_id
             LEFT JOIN retro_reviews rv ON rv.retro_id = ?2 AND rv.card_id = a.card_id
             WHERE r.board_id = ?1 AND a.retro_id <> ?2 AND r.started_at <= ?3
               AND (rv.status IS NOT NULL
                    OR (col.kind <> 'done' AND c.archived_at IS NULL)
                    OR coalesce((SELECT max(e.at) FROM card_events e WHERE e.card_id = c.id
                                 AND e.kind IN ('moved', 'archived')), 0) >= ?3)
             ORDER BY r.started_at, c.id"
        ),
        params![board.0, id.0, ms(r.started_at)],
        |row| {
            let marked: Option<String> = row.get(7)?;
            Ok((
                action_from_row(row)?,
                marked.as_deref().and_then(ActionStatus::parse),
            ))
        },
    )
}

pub(super) fn breaches(
    conn: &dyn Db,
    board: BoardId,
    from: i64,
    to: i64,
) -> Result<Vec<BreachFact>> {
    // From the breaches' own index: the board's every card is never walked.
    conn.rows(
        &format!(
            "SELECT e.card_id, c.title, col.name, e.at, e.breach = 'forced', e.reason
             FROM card_events e {} cards c ON c.id = e.card_id
             JOIN columns col ON col.id = e.to_column
             WHERE e.breach IS NOT NULL AND e.at >= ?2 AND e.at < ?3 AND c.board_id = ?1
             ORDER BY e.at",
            conn.engine().left_first()
        ),
        params![board.0, from, to],
        |r| {
            Ok(BreachFact {
                card: CardId(r.get(0)?),
                title: r.get(1)?,
                column: r.get(2)?,
                at: from_ms(r.get(3)?),
                forced: r.get(4)?,
                reason: r.get(5)?,
            })
        },
    )
}

pub(super) fn start(
    tx: &dyn Db,
    board: BoardId,
    new: &NewRetro,
    now: i64,
    actor: &str,
) -> Result<RetroId> {
    let title = validate_title(&new.title)?;
    let open: Option<String> = tx.row(
        "SELECT title FROM retros
         WHERE board_id = ?1 AND phase <> 'closed' AND kind = 'retro' LIMIT 1",
        params![board.0],
        |r| r.get(0),
    )?;
    if let Some(t) = open {
        return Err(DomainError::Invalid(format!(
            "\"{t}\" is still open: one retro at a time (its facilitator closes it)"
        ))
        .into());
    }
    let format = serde_json::to_string(&new.format)
        .map_err(|e| DomainError::Invalid(format!("the format cannot be saved: {e}")))?;
    let id = tx.one(
        "INSERT INTO retros (board_id, title, format, phase, facilitator, votes, safety_kind,
                             sprint_id, from_day, to_day, started_at)
         VALUES (?1, ?2, ?3, 'stage', ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         RETURNING id",
        params![
            board.0,
            title,
            format,
            actor,
            crate::domain::retro::validate_votes(new.votes)?,
            new.safety.as_str(),
            new.sprint.map(|s| s.0),
            new.from.to_string(),
            new.to.max(new.from).to_string(),
            now
        ],
    )?;
    Ok(RetroId(id))
}

fn validate_title(title: &str) -> Result<String> {
    Ok(crate::domain::text::one_line_within(
        title,
        "a retro title",
        100,
    )?)
}

/// The item put up first for discussion: the most voted.
fn top_item(tx: &dyn Db, id: RetroId) -> Result<Option<i64>> {
    tx.row(
        "SELECT i.id FROM retro_items i WHERE i.retro_id = ?1
           AND EXISTS (SELECT 1 FROM retro_cards c WHERE c.item_id = i.id)
         ORDER BY i.votes DESC, i.id LIMIT 1",
        params![id.0],
        |r| r.get(0),
    )
}

pub(super) fn set_phase(
    tx: &dyn Db,
    id: RetroId,
    phase: Phase,
    now: i64,
    actor: &str,
) -> Result<()> {
    let r = allowed(tx, id, actor, Move::Advance)?;
    if phase == r.phase {
        return Ok(());
    }
    let cast: bool = tx.one(
        "SELECT EXISTS (SELECT 1 FROM retro_items WHERE retro_id = ?1 AND votes > 0)",
        params![id.0],
    )?;
    check_phase_change(&r, phase, cast)?;
    tx.execute(
        "UPDATE retros SET phase = ?2 WHERE id = ?1",
        params![id.0, phase.as_str()],
    )?;
    // Voting closed: only the totals remain; the dots and their claims go.
    if r.phase == Phase::Vote && phase != Phase::Vote {
        tx.execute("DELETE FROM retro_dots WHERE retro_id = ?1", params![id.0])?;
    }
    // A retro that closes closes its polls: their distributions show (at
    // the threshold) and no answer comes in later.
    if phase == Phase::Closed {
        tx.execute(
            "UPDATE retros SET safety_closed = 1, roti_closed = 1 WHERE id = ?1",
            params![id.0],
        )?;
    }
    // The safety check takes answers until the discussion, which closes it.
    if phase >= Phase::Discuss {
        tx.execute(
            "UPDATE retros SET safety_closed = 1 WHERE id = ?1",
            params![id.0],
        )?;
    }
    // Grouping and everything after it needs the cards in the open.
    if phase >= Phase::Group && !r.revealed {
        mark_revealed(tx, id)?;
    }
    if phase == Phase::Discuss && r.phase < Phase::Discuss {
        tx.execute(
            "UPDATE retros SET discussing = ?2, discuss_started = ?3 WHERE id = ?1",
            params![id.0, top_item(tx, id)?, now],
        )?;
    }
    let closed_at = (phase == Phase::Closed).then_some(now);
    tx.execute(
        "UPDATE retros SET closed_at = ?2 WHERE id = ?1",
        params![id.0, closed_at],
    )?;
    Ok(())
}

pub(super) fn reveal(tx: &dyn Db, id: RetroId, actor: &str) -> Result<()> {
    let r = allowed(tx, id, actor, Move::Reveal)?;
    if !r.revealed {
        mark_revealed(tx, id)?;
    }
    Ok(())
}

/// Shows the cards to everyone; their rows are written again in a random
/// order first, so where they sit in the file tells nothing of who wrote when.
fn mark_revealed(tx: &dyn Db, id: RetroId) -> Result<()> {
    rewrite_shuffled(tx, "retro_items", "retro_id", id.0)?;
    rewrite_shuffled(tx, "retro_cards", "retro_id", id.0)?;
    // Once in the open, a card is no one's: its claim goes.
    tx.execute(
        "UPDATE retro_cards SET claim = NULL WHERE retro_id = ?1",
        params![id.0],
    )?;
    tx.execute(
        "UPDATE retros SET revealed = 1 WHERE id = ?1",
        params![id.0],
    )?;
    Ok(())
}

pub(super) fn add_card(
    tx: &dyn Db,
    id: RetroId,
    prompt: usize,
    text: &str,
    actor: &str,
    key: &PersonKey,
) -> Result<i64> {
    let r = allowed(tx, id, actor, Move::AddCard)?;
    if r.revealed {
        return Err(DomainError::Invalid(
            "the cards are revealed: a card written now would be known by its author".into(),
        )
        .into());
    }
    let text = validate_card(text)?;
    if prompt >= r.format.prompts.len() {
        return Err(DomainError::Invalid(format!(
            "{} has {} prompts",
            r.format.name,
            r.format.prompts.len()
        ))
        .into());
    }
    let item = random_id();
    tx.execute(
        "INSERT INTO retro_items (id, retro_id) VALUES (?1, ?2)",
        params![item, id.0],
    )?;
    let card = random_id();
    tx.execute(
        "INSERT INTO retro_cards (id, retro_id, item_id, prompt, text, claim)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            card,
            id.0,
            item,
            prompt as i64,
            text,
            key.claim(ClaimKind::Card, card)
        ],
    )?;
    // Where the new card sits in the file would say it is the newest.
    rewrite_shuffled(tx, "retro_items", "retro_id", id.0)?;
    rewrite_shuffled(tx, "retro_cards", "retro_id", id.0)?;
    Ok(card)
}

/// Takes back one of the actor's own hidden cards: one whose claim their
/// key makes.
pub(super) fn delete_card(
    tx: &dyn Db,
    id: RetroId,
    card: i64,
    actor: &str,
    key: &PersonKey,
) -> Result<()> {
    let r = allowed(tx, id, actor, Move::AddCard)?;
    if r.revealed {
        return Err(DomainError::Invalid("the cards are revealed: they stay".into()).into());
    }
    let found: Option<(i64, Option<Vec<u8>>)> = tx.row(
        "SELECT item_id, claim FROM retro_cards WHERE id = ?1 AND retro_id = ?2",
        params![card, id.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let item = match found {
        Some((item, Some(claim))) if claim == key.claim(ClaimKind::Card, card) => item,
        Some(_) => {
            return Err(DomainError::Invalid(
                "that card is not one of yours (only its writer takes a card back)".into(),
            )
            .into());
        }
        None => return Err(StoreError::NotFound("no such card in this retro".into())),
    };
    tx.execute("DELETE FROM retro_cards WHERE id = ?1", params![card])?;
    tx.execute(
        "DELETE FROM retro_items WHERE id = ?1
           AND NOT EXISTS (SELECT 1 FROM retro_cards WHERE item_id = ?1)",
        params![item],
    )?;
    Ok(())
}

/// The item, if it is one of the retro's; its votes.
fn item_votes(tx: &dyn Db, id: RetroId, item: ItemId) -> Result<u32> {
    tx.row(
        "SELECT votes FROM retro_items WHERE id = ?1 AND retro_id = ?2",
        params![item.0, id.0],
        |r| r.get(0),
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no item {} in this retro", item.0)))
}

pub(super) fn group(
    tx: &dyn Db,
    id: RetroId,
    items: &[ItemId],
    title: &str,
    actor: &str,
) -> Result<ItemId> {
    allowed(tx, id, actor, Move::Group)?;
    let title = crate::domain::text::one_line(title);
    if title.is_empty() || title.chars().count() > 200 {
        return Err(
            DomainError::Invalid("a theme needs a name (up to 200 characters)".into()).into(),
        );
    }
    let mut unique: Vec<ItemId> = Vec::new();
    for i in items {
        item_votes(tx, id, *i)?;
        if !unique.contains(i) {
            unique.push(*i);
        }
    }
    let Some((&target, rest)) = unique.split_first() else {
        return Err(DomainError::Invalid("select the cards to group".into()).into());
    };
    for other in rest {
        tx.execute(
            "UPDATE retro_cards SET item_id = ?1 WHERE item_id = ?2",
            params![target.0, other.0],
        )?;
        tx.execute(
            "UPDATE retro_items SET votes = votes + (SELECT votes FROM retro_items WHERE id = ?2)
             WHERE id = ?1",
            params![target.0, other.0],
        )?;
        tx.execute("DELETE FROM retro_items WHERE id = ?1", params![other.0])?;
    }
    tx.execute(
        "UPDATE retro_items SET title = ?2 WHERE id = ?1",
        params![target.0, title],
    )?;
    Ok(target)
}

pub(super) fn split(tx: &dyn Db, id: RetroId, item: ItemId, actor: &str) -> Result<()> {
    allowed(tx, id, actor, Move::Group)?;
    item_votes(tx, id, item)?;
    let cards: Vec<i64> = tx.rows(
        "SELECT id FROM retro_cards WHERE item_id = ?1 ORDER BY id",
        params![item.0],
        |r| r.get(0),
    )?;
    for card in cards.iter().skip(1) {
        let new = random_id();
        tx.execute(
            "INSERT INTO retro_items (id, retro_id) VALUES (?1, ?2)",
            params![new, id.0],
        )?;
        tx.execute(
            "UPDATE retro_cards SET item_id = ?2 WHERE id = ?1",
            params![card, new],
        )?;
    }
    tx.execute(
        "UPDATE retro_items SET title = NULL WHERE id = ?1",
        params![item.0],
    )?;
    Ok(())
}

pub(super) fn discuss(tx: &dyn Db, id: RetroId, item: ItemId, now: i64, actor: &str) -> Result<()> {
    allowed(tx, id, actor, Move::Facilitate)?;
    item_votes(tx, id, item)?;
    tx.execute(
        "UPDATE retros SET discussing = ?2, discuss_started = ?3 WHERE id = ?1",
        params![id.0, item.0, now],
    )?;
    Ok(())
}

pub(super) fn set_notes(
    tx: &dyn Db,
    id: RetroId,
    item: ItemId,
    notes: &str,
    actor: &str,
) -> Result<()> {
    allowed(tx, id, actor, Move::Facilitate)?;
    item_votes(tx, id, item)?;
    if notes.chars().count() > crate::domain::retro::MAX_NOTES {
        return Err(DomainError::Invalid("the notes are too long".into()).into());
    }
    tx.execute(
        "UPDATE retro_items SET notes = ?2 WHERE id = ?1",
        params![item.0, notes.trim_end()],
    )?;
    Ok(())
}

#[cfg(test)]
pub(in crate::store::sql_store) mod tests;
