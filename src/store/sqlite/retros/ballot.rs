//! A retro's dots and anonymous polls: votes within each person's
//! allowance, the poll answers, and closing a poll.

use super::*;

pub(in crate::store::sqlite) fn vote(
    tx: &Transaction<'_>,
    id: RetroId,
    item: ItemId,
    delta: i32,
    actor: &str,
) -> Result<u32> {
    let r = allowed(tx, id, actor, Move::Vote)?;
    if delta == 0 {
        return votes_used(tx, id, actor);
    }
    item_votes(tx, id, item)?;
    let mine = my_votes_on(tx, id, actor, item)?;
    let used = check_vote(votes_used(tx, id, actor)?, delta, r.votes, mine)?;
    let me = voter(actor);
    tx.execute(
        "INSERT INTO retro_ballots (retro_id, voter, used) VALUES (?1, ?2, ?3)
         ON CONFLICT (retro_id, voter) DO UPDATE SET used = excluded.used",
        params![id.0, me, used],
    )?;
    let now_mine = (i64::from(mine) + i64::from(delta)).max(0);
    if now_mine == 0 {
        tx.execute(
            "DELETE FROM retro_vote_marks WHERE retro_id = ?1 AND voter = ?2 AND item_id = ?3",
            params![id.0, me, item.0],
        )?;
    } else {
        tx.execute(
            "INSERT INTO retro_vote_marks (retro_id, voter, item_id, count) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (retro_id, voter, item_id) DO UPDATE SET count = excluded.count",
            params![id.0, me, item.0, now_mine],
        )?;
    }
    tx.execute(
        "UPDATE retro_items SET votes = votes + ?2 WHERE id = ?1",
        params![item.0, delta],
    )?;
    Ok(used)
}

fn my_votes_on(conn: &Connection, id: RetroId, who: &str, item: ItemId) -> Result<u32> {
    Ok(conn
        .query_row(
            "SELECT count FROM retro_vote_marks WHERE retro_id = ?1 AND voter = ?2 AND item_id = ?3",
            params![id.0, voter(who), item.0],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// Where a voter's own dots are, while voting is open (to them alone).
pub(in crate::store::sqlite) fn my_votes(
    conn: &Connection,
    id: RetroId,
    who: &str,
) -> Result<Vec<(ItemId, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, count FROM retro_vote_marks WHERE retro_id = ?1 AND voter = ?2",
    )?;
    let rows = stmt.query_map(params![id.0, voter(who)], |r| {
        Ok((ItemId(r.get(0)?), r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(in crate::store::sqlite) fn answer(
    tx: &Transaction<'_>,
    id: RetroId,
    poll: Poll,
    value: u32,
    actor: &str,
) -> Result<()> {
    let r = allowed(tx, id, actor, Move::Answer(poll))?;
    let closed = match poll {
        Poll::Safety => r.safety_closed,
        Poll::Roti => r.roti_closed,
    };
    let choices = r.poll_choices(poll).len();
    if closed {
        return Err(DomainError::Invalid("this check is closed".into()).into());
    }
    if value == 0 || value as usize > choices {
        return Err(DomainError::Invalid(format!("answer with 1 to {choices}")).into());
    }
    let fresh = tx.execute(
        "INSERT OR IGNORE INTO retro_answered (retro_id, poll, voter) VALUES (?1, ?2, ?3)",
        params![id.0, poll.as_str(), voter(actor)],
    )?;
    if fresh == 0 {
        return Err(DomainError::Invalid("you have answered this check already".into()).into());
    }
    tx.execute(
        &format!(
            "INSERT INTO retro_answers (id, retro_id, poll, value) VALUES ({RANDOM_ID}, ?1, ?2, ?3)"
        ),
        params![id.0, poll.as_str(), value],
    )?;
    Ok(())
}

pub(in crate::store::sqlite) fn close_poll(
    tx: &Transaction<'_>,
    id: RetroId,
    poll: Poll,
    actor: &str,
) -> Result<()> {
    allowed(tx, id, actor, Move::ClosePoll(poll))?;
    let column = match poll {
        Poll::Safety => "safety_closed",
        Poll::Roti => "roti_closed",
    };
    tx.execute(
        &format!("UPDATE retros SET {column} = 1 WHERE id = ?1"),
        [id.0],
    )?;
    // Answers and who answered were written side by side: write them
    // again in random orders.
    crate::store::sqlite::pulses::reshuffle(tx, "retro_answers", "retro_id", id.0)?;
    crate::store::sqlite::pulses::reshuffle(tx, "retro_answered", "retro_id", id.0)?;
    Ok(())
}
