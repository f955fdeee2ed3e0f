//! Planning poker over either engine: a round, its queue, who joined and
//! the picks. A read never carries another person's value before the
//! reveal (the SQL gives none); each write checks the domain's rule on the
//! round as it is inside the transaction, and an accepted estimate is
//! written onto the card by the one function that writes a card's changes.

use super::*;
use crate::domain::DomainError;
use crate::domain::handover::check_take_over;
use crate::domain::poker::{
    self, CardState, Deck, Pick, Round, RoundCard, RoundId, check_accept, check_end, check_join,
    check_pick, check_reveal, check_revote, check_start,
};
use crate::domain::presence::SHOWN_FOR;
use crate::store::poker::PokerStore;

type RoundRow = (i64, String, String, Option<u32>, i64, Option<i64>);

fn round_row(conn: &dyn Db, id: RoundId) -> Result<RoundRow> {
    conn.row(
        "SELECT board_id, facilitator, deck, timebox_secs, started_at, closed_at
         FROM poker_rounds WHERE id = ?1",
        params![id.0],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )?
    .ok_or_else(|| StoreError::NotFound(format!("no poker round {id}")))
}

/// The round as of `now` (a timebox over reveals): another person's value
/// only once revealed.
pub(super) fn round(conn: &dyn Db, id: RoundId, now: i64) -> Result<Round> {
    let (_, facilitator, deck, timebox, started_at, closed_at) = round_row(conn, id)?;
    let deck: Deck = serde_json::from_str(&deck).unwrap_or_else(|_| Deck::fibonacci());
    let mut cards = conn.rows(
        "SELECT p.card_id, c.title, c.description, p.state, p.vote, p.revealed, p.since, p.accepted
         FROM poker_cards p JOIN cards c ON c.id = p.card_id
         WHERE p.round_id = ?1 ORDER BY p.position",
        params![id.0],
        |r| {
            Ok(RoundCard {
                card: CardId(r.get(0)?),
                title: r.get(1)?,
                description: r.get(2)?,
                state: CardState::parse(&r.get::<String>(3)?).unwrap_or(CardState::Waiting),
                vote: r.get(4)?,
                revealed: r.get(5)?,
                since: r.get::<Option<i64>>(6)?.map(from_ms),
                accepted: r.get(7)?,
            })
        },
    )?;
    // The timebox over shows the picks, for every reader at once.
    for c in &mut cards {
        if let (CardState::Voting, Some(since), Some(t)) = (c.state, c.since, timebox)
            && ms(since) + i64::from(t) * 1000 <= now
        {
            c.revealed = true;
        }
    }
    let joined = conn.rows(
        "SELECT person FROM poker_joined WHERE round_id = ?1 ORDER BY person",
        params![id.0],
        |r| r.get(0),
    )?;
    let mut round = Round {
        id,
        facilitator,
        deck,
        timebox,
        started_at: from_ms(started_at),
        closed_at: closed_at.map(from_ms),
        cards,
        joined,
        picks: Vec::new(),
    };
    if let Some(c) = round.current() {
        let (card, vote, shown) = (c.card, c.vote, c.revealed);
        round.picks = conn.rows(
            "SELECT person, CASE WHEN ?4 = 1 THEN value END FROM poker_picks
             WHERE round_id = ?1 AND card_id = ?2 AND vote = ?3 ORDER BY person",
            params![id.0, card.0, vote, shown],
            |r| {
                Ok(Pick {
                    person: r.get(0)?,
                    value: r.get(1)?,
                })
            },
        )?;
    }
    Ok(round)
}

fn my_pick(conn: &dyn Db, id: RoundId, now: i64, actor: &str) -> Result<Option<String>> {
    let r = round(conn, id, now)?;
    let Some(c) = r.current() else {
        return Ok(None);
    };
    conn.row(
        "SELECT value FROM poker_picks
         WHERE round_id = ?1 AND card_id = ?2 AND vote = ?3 AND person = ?4",
        params![id.0, c.card.0, c.vote, actor],
        |r| r.get(0),
    )
}

fn rounds(conn: &dyn Db, board: BoardId, open_only: bool, now: i64) -> Result<Vec<Round>> {
    let ids: Vec<i64> = conn.rows(
        "SELECT id FROM poker_rounds WHERE board_id = ?1 AND (?2 = 0 OR closed_at IS NULL)
         ORDER BY started_at DESC, id DESC",
        params![board.0, open_only],
        |r| r.get(0),
    )?;
    ids.into_iter()
        .map(|id| round(conn, RoundId(id), now))
        .collect()
}

fn start(
    tx: &dyn Db,
    board: BoardId,
    cards: &[CardId],
    deck: &Deck,
    timebox: Option<u32>,
    now: i64,
    actor: &str,
) -> Result<RoundId> {
    check_start(cards, timebox)?;
    for c in cards {
        let on: Option<i64> = tx.row(
            "SELECT board_id FROM cards WHERE id = ?1 AND archived_at IS NULL",
            params![c.0],
            |r| r.get(0),
        )?;
        if on != Some(board.0) {
            return Err(StoreError::NotFound(format!("no card {c} on the board")));
        }
    }
    let json = serde_json::to_string(deck)
        .map_err(|e| DomainError::Invalid(format!("the deck cannot be saved: {e}")))?;
    let id: i64 = tx.one(
        "INSERT INTO poker_rounds (board_id, facilitator, deck, timebox_secs, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![board.0, actor, json, timebox, now],
    )?;
    for (i, c) in cards.iter().enumerate() {
        let first = i == 0;
        tx.execute(
            "INSERT INTO poker_cards (round_id, position, card_id, state, since)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                i as i64,
                c.0,
                if first { "voting" } else { "waiting" },
                first.then_some(now)
            ],
        )?;
    }
    join(tx, RoundId(id), now, actor)?;
    Ok(RoundId(id))
}

fn join(tx: &dyn Db, id: RoundId, now: i64, actor: &str) -> Result<()> {
    check_join(&round(tx, id, now)?)?;
    tx.execute(
        "INSERT INTO poker_joined (round_id, person) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![id.0, actor],
    )?;
    Ok(())
}

fn pick(tx: &dyn Db, id: RoundId, value: &str, now: i64, actor: &str) -> Result<(String, bool)> {
    let r = round(tx, id, now)?;
    let label = check_pick(&r, value, from_ms(now))?;
    let Some(c) = r.current() else {
        return Err(DomainError::Invalid("no card is being estimated".into()).into());
    };
    join(tx, id, now, actor)?;
    tx.execute(
        "INSERT INTO poker_picks (round_id, card_id, vote, person, value, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (round_id, card_id, vote, person)
         DO UPDATE SET value = excluded.value, at = excluded.at",
        params![id.0, c.card.0, c.vote, actor, &label, now],
    )?;
    let present: Vec<String> = tx.rows(
        "SELECT DISTINCT person FROM presence WHERE seen_at >= ?1",
        params![now - SHOWN_FOR.as_millis() as i64],
        |r| r.get(0),
    )?;
    let picked: Vec<String> = tx.rows(
        "SELECT person FROM poker_picks WHERE round_id = ?1 AND card_id = ?2 AND vote = ?3",
        params![id.0, c.card.0, c.vote],
        |r| r.get(0),
    )?;
    let mut joined = r.joined.clone();
    joined.push(actor.to_string());
    let all = poker::everyone_picked(&joined, &present, &picked);
    if all {
        set_revealed(tx, id, c.card)?;
    }
    Ok((label, all))
}

fn set_revealed(tx: &dyn Db, id: RoundId, card: CardId) -> Result<()> {
    tx.execute(
        "UPDATE poker_cards SET revealed = 1 WHERE round_id = ?1 AND card_id = ?2",
        params![id.0, card.0],
    )?;
    Ok(())
}

fn current(r: &Round) -> Result<CardId> {
    r.current()
        .map(|c| c.card)
        .ok_or_else(|| DomainError::Invalid("no card is being estimated".into()).into())
}

fn reveal(tx: &dyn Db, id: RoundId, now: i64, actor: &str) -> Result<()> {
    let r = round(tx, id, now)?;
    check_reveal(&r, actor)?;
    set_revealed(tx, id, current(&r)?)
}

fn revote(tx: &dyn Db, id: RoundId, now: i64, actor: &str) -> Result<()> {
    let r = round(tx, id, now)?;
    check_revote(&r, actor)?;
    tx.execute(
        "UPDATE poker_cards SET vote = vote + 1, revealed = 0, since = ?3
         WHERE round_id = ?1 AND card_id = ?2",
        params![id.0, current(&r)?.0, now],
    )?;
    Ok(())
}

fn accept(tx: &dyn Db, id: RoundId, value: &str, now: i64, actor: &str) -> Result<u32> {
    let r = round(tx, id, now)?;
    let (label, points) = check_accept(&r, actor, value)?;
    let card = current(&r)?;
    // The estimate as any re-estimate is written: an `estimated` event
    // the burndown reads.
    write::update_card(
        tx,
        card,
        &CardPatch {
            points: Some(Some(points)),
            ..CardPatch::default()
        },
        now,
        actor,
    )?;
    tx.execute(
        "UPDATE poker_cards SET state = 'accepted', revealed = 1, accepted = ?3, points = ?4
         WHERE round_id = ?1 AND card_id = ?2",
        params![id.0, card.0, &label, points],
    )?;
    let next: Option<i64> = tx.row(
        "SELECT card_id FROM poker_cards WHERE round_id = ?1 AND state = 'waiting'
         ORDER BY position LIMIT 1",
        params![id.0],
        |r| r.get(0),
    )?;
    match next {
        Some(n) => tx.execute(
            "UPDATE poker_cards SET state = 'voting', since = ?3 WHERE round_id = ?1 AND card_id = ?2",
            params![id.0, n, now],
        )?,
        None => tx.execute(
            "UPDATE poker_rounds SET closed_at = ?2 WHERE id = ?1",
            params![id.0, now],
        )?,
    };
    Ok(points)
}

fn end(tx: &dyn Db, id: RoundId, now: i64, actor: &str) -> Result<()> {
    let r = round(tx, id, now)?;
    check_end(&r, actor)?;
    if let Some(c) = r.current().filter(|c| !c.revealed) {
        // Never shown, so never kept.
        tx.execute(
            "DELETE FROM poker_picks WHERE round_id = ?1 AND card_id = ?2 AND vote = ?3",
            params![id.0, c.card.0, c.vote],
        )?;
    }
    tx.execute(
        "UPDATE poker_rounds SET closed_at = ?2 WHERE id = ?1",
        params![id.0, now],
    )?;
    Ok(())
}

fn take_over(tx: &dyn Db, id: RoundId, seen: &str, now: i64, actor: &str) -> Result<Handover> {
    let r = round(tx, id, now)?;
    let over = format!("poker round {id} is over");
    check_take_over(
        Ritual::Poker,
        &r.facilitator,
        seen,
        actor,
        (!r.is_open()).then_some(over.as_str()),
    )?;
    tx.execute(
        "UPDATE poker_rounds SET facilitator = ?2 WHERE id = ?1 AND facilitator = ?3",
        params![id.0, actor, &r.facilitator],
    )?;
    tx.execute(
        "INSERT INTO poker_handovers (round_id, from_name, to_name, at) VALUES (?1, ?2, ?3, ?4)",
        params![id.0, &r.facilitator, actor, now],
    )?;
    join(tx, id, now, actor)?;
    Ok(Handover {
        from: r.facilitator,
        to: actor.to_string(),
        at: from_ms(now),
    })
}

/// A round's takeovers, oldest first.
pub(super) fn handovers(conn: &dyn Db, id: i64) -> Result<Vec<Handover>> {
    conn.rows(
        "SELECT from_name, to_name, at FROM poker_handovers WHERE round_id = ?1 ORDER BY at, id",
        params![id],
        |r| {
            Ok(Handover {
                from: r.get(0)?,
                to: r.get(1)?,
                at: from_ms(r.get(2)?),
            })
        },
    )
}

impl<B: Backend> PokerStore for SqlStore<B> {
    fn start_poker(
        &mut self,
        board: BoardId,
        cards: &[CardId],
        deck: &Deck,
        timebox: Option<u32>,
    ) -> Result<RoundId> {
        self.write(|tx, now, actor| start(tx, board, cards, deck, timebox, now, actor))
    }

    fn poker_round(&self, id: RoundId) -> Result<Round> {
        let now = ms(self.clock.now());
        self.read(|db| round(db, id, now))
    }

    fn my_poker_pick(&self, id: RoundId) -> Result<Option<String>> {
        let now = ms(self.clock.now());
        self.read(|db| my_pick(db, id, now, &self.actor))
    }

    fn poker_rounds(&self, board: BoardId, open_only: bool) -> Result<Vec<Round>> {
        let now = ms(self.clock.now());
        self.read(|db| rounds(db, board, open_only, now))
    }

    fn join_poker(&mut self, id: RoundId) -> Result<()> {
        self.write(|tx, now, actor| join(tx, id, now, actor))
    }

    fn pick_poker(&mut self, id: RoundId, value: &str) -> Result<(String, bool)> {
        self.write(|tx, now, actor| pick(tx, id, value, now, actor))
    }

    fn reveal_poker(&mut self, id: RoundId) -> Result<()> {
        self.write(|tx, now, actor| reveal(tx, id, now, actor))
    }

    fn revote_poker(&mut self, id: RoundId) -> Result<()> {
        self.write(|tx, now, actor| revote(tx, id, now, actor))
    }

    fn accept_poker(&mut self, id: RoundId, value: &str) -> Result<u32> {
        self.write(|tx, now, actor| accept(tx, id, value, now, actor))
    }

    fn end_poker(&mut self, id: RoundId) -> Result<()> {
        self.write(|tx, now, actor| end(tx, id, now, actor))
    }

    fn take_over_poker(&mut self, id: RoundId, seen: &str) -> Result<Handover> {
        self.write(|tx, now, actor| take_over(tx, id, seen, now, actor))
    }
}
