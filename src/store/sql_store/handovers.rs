//! Facilitation taken over: each write changes the one column that says
//! who facilitates (a retro's and a pre-mortem's session's `facilitator`, a
//! standup's `facilitator`, a pulse's `opened_by`, whoever closes it by
//! hand), in the same transaction as the record of who took over from whom.

use super::{from_ms, mortems, pulses, retros, standups};
use crate::domain::handover::{Handover, Ritual, check_take_over};
use crate::domain::mortem::MortemId;
use crate::domain::pulse::{PulseId, check_not_closed};
use crate::domain::retro::{Phase, RetroId};
use crate::domain::standup::StandupId;
use crate::sql_params as params;
use crate::store::Result;
use crate::store::sql::{Db, DbExt};

/// The ritual's takeovers, oldest first.
pub(super) fn handovers(conn: &dyn Db, ritual: Ritual, id: i64) -> Result<Vec<Handover>> {
    if ritual == Ritual::Poker {
        return super::poker::handovers(conn, id);
    }
    conn.rows(
        "SELECT from_name, to_name, at FROM handovers WHERE ritual = ?1 AND ritual_id = ?2
         ORDER BY at, id",
        params![ritual.as_str(), id],
        |r| {
            Ok(Handover {
                from: r.get(0)?,
                to: r.get(1)?,
                at: from_ms(r.get(2)?),
            })
        },
    )
}

/// Sets `table.column` of row `id` to the actor, if it still says
/// `current` (checked against `seen` first), and records the takeover.
#[allow(clippy::too_many_arguments)]
fn hand_over(
    tx: &dyn Db,
    ritual: Ritual,
    (table, column, row): (&str, &str, i64),
    id: i64,
    current: &str,
    seen: &str,
    over: Option<&str>,
    now: i64,
    actor: &str,
) -> Result<Handover> {
    check_take_over(ritual, current, seen, actor, over)?;
    let board: i64 = tx.one(
        &format!("SELECT board_id FROM {table} WHERE id = ?1"),
        params![row],
    )?;
    tx.execute(
        &format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1 AND {column} = ?3"),
        params![row, actor, current],
    )?;
    tx.execute(
        "INSERT INTO handovers (board_id, ritual, ritual_id, from_name, to_name, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![board, ritual.as_str(), id, current, actor, now],
    )?;
    Ok(Handover {
        from: current.to_string(),
        to: actor.to_string(),
        at: from_ms(now),
    })
}

pub(super) fn take_over_retro(
    tx: &dyn Db,
    id: RetroId,
    seen: &str,
    now: i64,
    actor: &str,
) -> Result<Handover> {
    let r = retros::retro(tx, id)?;
    let closed = format!("\"{}\" is closed", r.title);
    let over = (r.phase == Phase::Closed).then_some(closed.as_str());
    hand_over(
        tx,
        Ritual::Retro,
        ("retros", "facilitator", id.0),
        id.0,
        &r.facilitator,
        seen,
        over,
        now,
        actor,
    )
}

pub(super) fn take_over_standup(
    tx: &dyn Db,
    id: StandupId,
    seen: &str,
    now: i64,
    actor: &str,
) -> Result<Handover> {
    let s = standups::standup(tx, id)?;
    let over = s.ended_at.is_some().then_some("this standup has ended");
    hand_over(
        tx,
        Ritual::Standup,
        ("standups", "facilitator", id.0),
        id.0,
        &s.facilitator,
        seen,
        over,
        now,
        actor,
    )
}

pub(super) fn take_over_premortem(
    tx: &dyn Db,
    id: MortemId,
    seen: &str,
    now: i64,
    actor: &str,
) -> Result<Handover> {
    let (m, session) = mortems::premortem_session(tx, id)?;
    let r = retros::retro(tx, session)?;
    let closed = format!("\"{}\" is closed", m.title);
    let over = (r.phase == Phase::Closed).then_some(closed.as_str());
    hand_over(
        tx,
        Ritual::Premortem,
        ("retros", "facilitator", session.0),
        id.0,
        &r.facilitator,
        seen,
        over,
        now,
        actor,
    )
}

pub(super) fn take_over_pulse(
    tx: &dyn Db,
    id: PulseId,
    seen: &str,
    now: i64,
    actor: &str,
) -> Result<Handover> {
    let p = pulses::pulse(tx, id)?;
    let closed = check_not_closed(&p, from_ms(now))
        .err()
        .map(|e| e.to_string());
    let over = closed.as_deref();
    hand_over(
        tx,
        Ritual::Pulse,
        ("pulses", "opened_by", id.0),
        id.0,
        &p.opened_by,
        seen,
        over,
        now,
        actor,
    )
}

#[cfg(test)]
mod tests;
