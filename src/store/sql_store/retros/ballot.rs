//! A retro's dots and anonymous polls. A dot carries its voter's claim,
//! so how many votes someone has used is how many dots their key claims;
//! a poll keeps counts per answer and the tokens of who answered.

use super::*;
use crate::store::sql_store::anon::{add_token, to_json};

/// The ids and items of the dots `key` claims in the retro.
fn my_dots(conn: &dyn Db, id: RetroId, key: &PersonKey) -> Result<Vec<(i64, ItemId)>> {
    let rows = conn.rows(
        "SELECT id, item_id, claim FROM retro_dots WHERE retro_id = ?1",
        params![id.0],
        |r| Ok((r.get::<i64>(0)?, ItemId(r.get(1)?), r.get::<Vec<u8>>(2)?)),
    )?;
    let mut mine = Vec::new();
    for (dot, item, claim) in rows {
        if key.claim(ClaimKind::Dot, dot) == claim {
            mine.push((dot, item));
        }
    }
    Ok(mine)
}

/// How many of their votes the key's holder has used.
pub(in crate::store::sql_store) fn votes_used(
    conn: &dyn Db,
    id: RetroId,
    key: &PersonKey,
) -> Result<u32> {
    Ok(my_dots(conn, id, key)?.len() as u32)
}

/// Where the key's holder's own dots are, while voting is open.
pub(in crate::store::sql_store) fn my_votes(
    conn: &dyn Db,
    id: RetroId,
    key: &PersonKey,
) -> Result<Vec<(ItemId, u32)>> {
    let mut out: Vec<(ItemId, u32)> = Vec::new();
    for (_, item) in my_dots(conn, id, key)? {
        match out.iter_mut().find(|(i, _)| *i == item) {
            Some((_, n)) => *n += 1,
            None => out.push((item, 1)),
        }
    }
    out.sort_by_key(|(i, _)| i.0);
    Ok(out)
}

pub(in crate::store::sql_store) fn vote(
    tx: &dyn Db,
    id: RetroId,
    item: ItemId,
    delta: i32,
    actor: &str,
    key: &PersonKey,
) -> Result<u32> {
    let r = allowed(tx, id, actor, Move::Vote)?;
    let dots = my_dots(tx, id, key)?;
    if delta == 0 {
        return Ok(dots.len() as u32);
    }
    item_votes(tx, id, item)?;
    let on_item: Vec<i64> = dots
        .iter()
        .filter(|(_, i)| *i == item)
        .map(|(d, _)| *d)
        .collect();
    let used = check_vote(dots.len() as u32, delta, r.votes, on_item.len() as u32)?;
    if delta > 0 {
        for _ in 0..delta {
            let dot = random_id();
            tx.execute(
                "INSERT INTO retro_dots (id, retro_id, item_id, claim) VALUES (?1, ?2, ?3, ?4)",
                params![dot, id.0, item.0, key.claim(ClaimKind::Dot, dot)],
            )?;
        }
    } else {
        for dot in on_item.iter().take(delta.unsigned_abs() as usize) {
            tx.execute("DELETE FROM retro_dots WHERE id = ?1", params![dot])?;
        }
    }
    rewrite_shuffled(tx, "retro_dots", "retro_id", id.0)?;
    tx.execute(
        &format!(
            "UPDATE retro_items SET votes = {} WHERE id = ?1",
            tx.engine().greatest("votes + ?2", "0")
        ),
        params![item.0, delta],
    )?;
    Ok(used)
}

/// Whether the key's holder has answered the poll.
pub(in crate::store::sql_store) fn has_answered(
    conn: &dyn Db,
    id: RetroId,
    poll: Poll,
    key: &PersonKey,
) -> Result<bool> {
    let (_, takers) = poll_row(conn, id, poll)?;
    Ok(takers
        .binary_search(&key.token(poll.as_str(), id.0))
        .is_ok())
}

pub(in crate::store::sql_store) fn answer(
    tx: &dyn Db,
    id: RetroId,
    poll: Poll,
    value: u32,
    actor: &str,
    key: &PersonKey,
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
    let (mut counts, mut takers) = poll_row(tx, id, poll)?;
    if !add_token(&mut takers, key.token(poll.as_str(), id.0)) {
        return Err(DomainError::Invalid("you have answered this check already".into()).into());
    }
    counts.resize(choices.max(counts.len()), 0);
    counts[value as usize - 1] = counts[value as usize - 1].saturating_add(1);
    tx.execute(
        "INSERT INTO retro_polls (retro_id, poll, counts, takers) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (retro_id, poll) DO UPDATE SET counts = excluded.counts, takers = excluded.takers",
        params![id.0, poll.as_str(), to_json(&counts), to_json(&takers)],
    )?;
    Ok(())
}

pub(in crate::store::sql_store) fn close_poll(
    tx: &dyn Db,
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
        params![id.0],
    )?;
    Ok(())
}

/// Opens a closed safety check again (see `check_reopen`): the answers it
/// holds stay, and it takes more until the discussion.
pub(in crate::store::sql_store) fn reopen_poll(
    tx: &dyn Db,
    id: RetroId,
    poll: Poll,
    actor: &str,
) -> Result<()> {
    let r = allowed(tx, id, actor, Move::ReopenPoll(poll))?;
    let (counts, _) = poll_row(tx, id, poll)?;
    let answers = counts.iter().fold(0u32, |n, c| n.saturating_add(*c));
    check_reopen(&r, poll, answers)?;
    let column = match poll {
        Poll::Safety => "safety_closed",
        Poll::Roti => "roti_closed",
    };
    tx.execute(
        &format!("UPDATE retros SET {column} = 0 WHERE id = ?1"),
        params![id.0],
    )?;
    Ok(())
}
