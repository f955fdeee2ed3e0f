//! A pre-mortem's reasons, written through its retro session: added and
//! taken back while hidden, revealed and numbered, read one by one, rated.

use super::*;
use crate::store::PersonKey;
use crate::store::mortems::MyReason;

/// Numbers the revealed reasons that have none yet, after the highest
/// number given: at the reveal in the random order of their ids, later one
/// by one as they are added.
fn number_risks(tx: &dyn Db, id: MortemId, session: RetroId) -> Result<()> {
    let items: Vec<i64> = tx.rows(
        "SELECT i.id FROM retro_items i
         WHERE i.retro_id = ?1 AND EXISTS (SELECT 1 FROM retro_cards c WHERE c.item_id = i.id)
           AND NOT EXISTS (SELECT 1 FROM premortem_risks p
                           WHERE p.item_id = i.id AND p.number IS NOT NULL)
         ORDER BY i.id",
        params![session.0],
        |r| r.get(0),
    )?;
    let first: u32 = tx.one(
        "SELECT coalesce(max(number), 0) + 1 FROM premortem_risks WHERE mortem_id = ?1",
        params![id.0],
    )?;
    for (number, item) in (first..).zip(items) {
        tx.execute(
            "INSERT INTO premortem_risks (item_id, mortem_id, number) VALUES (?1, ?2, ?3)
             ON CONFLICT (item_id) DO UPDATE SET number = excluded.number",
            params![item, id.0, number],
        )?;
    }
    Ok(())
}

/// A pre-mortem and its session.
fn premortem(conn: &dyn Db, id: MortemId) -> Result<(Mortem, RetroId)> {
    let m = of_kind(conn, id, MortemKind::Pre)?;
    let session = m
        .session
        .ok_or_else(|| StoreError::NotFound(format!("{} has no writing session", m.title)))?;
    Ok((m, session))
}

pub(in crate::store::sql_store) fn add_reason(
    tx: &dyn Db,
    id: MortemId,
    text: &str,
    hidden: bool,
    now: i64,
    actor: &str,
    key: &PersonKey,
) -> Result<Reason> {
    let (_, session) = premortem(tx, id)?;
    let r = retros::retro(tx, session)?;
    if hidden && r.revealed {
        return Err(DomainError::Invalid(
            "the reasons were revealed while you wrote: yours would stand out as the newest, so it was not added (add it in the open if you still want to)".into(),
        )
        .into());
    }
    let reason = if r.revealed && r.phase != Phase::Closed {
        // Said out loud while reading: it needs no hiding.
        let text = validate_card(text)?;
        let risk = crate::store::random_id();
        tx.execute(
            "INSERT INTO retro_items (id, retro_id) VALUES (?1, ?2)",
            params![risk, session.0],
        )?;
        let card = crate::store::random_id();
        tx.execute(
            "INSERT INTO retro_cards (id, retro_id, item_id, prompt, text)
             VALUES (?1, ?2, ?3, 0, ?4)",
            params![card, session.0, risk, text],
        )?;
        number_risks(tx, id, session)?;
        touch(tx, id, now)?;
        Reason { card, risk }
    } else {
        // Hidden: nothing records when it was written, not even the
        // pre-mortem's time of change.
        let card = retros::add_card(tx, session, 0, text, actor, key)?;
        Reason {
            card,
            risk: retros::item_of(tx, card)?.0,
        }
    };
    Ok(reason)
}

pub(in crate::store::sql_store) fn take_back_reason(
    tx: &dyn Db,
    id: MortemId,
    card: i64,
    actor: &str,
    key: &PersonKey,
) -> Result<()> {
    let (_, session) = premortem(tx, id)?;
    let item: Option<i64> = tx.row(
        "SELECT item_id FROM retro_cards WHERE id = ?1 AND retro_id = ?2",
        params![card, session.0],
        |r| r.get(0),
    )?;
    if let Some(item) = item {
        tx.execute(
            "DELETE FROM premortem_risks WHERE item_id = ?1",
            params![item],
        )?;
    }
    // Refused for anyone but its writer: then nothing of this is kept.
    retros::delete_card(tx, session, card, actor, key)
}

/// The actor's own hidden reasons, found by their claims.
pub(in crate::store::sql_store) fn my_reasons(
    conn: &dyn Db,
    id: MortemId,
    key: &PersonKey,
) -> Result<Vec<MyReason>> {
    let (_, session) = premortem(conn, id)?;
    let mut out = Vec::new();
    for card in retros::my_cards(conn, session, key)? {
        let risk: i64 = conn.one(
            "SELECT item_id FROM retro_cards WHERE id = ?1",
            params![card.id],
        )?;
        out.push(MyReason {
            card: card.id,
            risk,
            text: card.text,
        });
    }
    Ok(out)
}

pub(in crate::store::sql_store) fn advance(
    tx: &dyn Db,
    id: MortemId,
    from: Stage,
    now: i64,
    actor: &str,
) -> Result<()> {
    let (m, session) = premortem(tx, id)?;
    let r = retros::retro(tx, session)?;
    let stage = Stage::of(r.phase);
    if stage != from {
        return Err(DomainError::Invalid(format!(
            "\"{}\" is at {} already: nothing was changed",
            m.title,
            stage.label()
        ))
        .into());
    }
    let to = match stage {
        Stage::Writing => {
            if retros::cards_written(tx, session)? == 0 {
                return Err(DomainError::Invalid(
                    "no reasons are written yet: there is nothing to read".into(),
                )
                .into());
            }
            Phase::Discuss
        }
        Stage::Reading => Phase::Closed,
        Stage::Closed => {
            return Err(DomainError::Invalid(format!("{} is closed", m.title)).into());
        }
    };
    retros::set_phase(tx, session, to, now, actor)?;
    if to == Phase::Discuss {
        number_risks(tx, id, session)?;
        // Revealed: the ratings written while hidden are laid out anew.
        crate::store::sql_store::anon::rewrite_shuffled(tx, "premortem_risks", "mortem_id", id.0)?;
        // Read out in the order of the numbers, from R1.
        let first: Option<i64> = tx.row(
            "SELECT item_id FROM premortem_risks WHERE mortem_id = ?1 AND number = 1",
            params![id.0],
            |r| r.get(0),
        )?;
        tx.execute(
            "UPDATE retros SET discussing = ?2 WHERE id = ?1",
            params![session.0, first],
        )?;
    }
    touch(tx, id, now)
}

pub(in crate::store::sql_store) fn read_reason(
    tx: &dyn Db,
    id: MortemId,
    risk: i64,
    now: i64,
    actor: &str,
) -> Result<()> {
    let (_, session) = premortem(tx, id)?;
    check_risk(tx, session, risk)?;
    retros::discuss(tx, session, ItemId(risk), now, actor)
}

pub(in crate::store::sql_store) fn rate(
    tx: &dyn Db,
    id: MortemId,
    risk: i64,
    likelihood: Option<u8>,
    impact: Option<u8>,
    now: i64,
    key: &PersonKey,
) -> Result<()> {
    let (_, session) = premortem(tx, id)?;
    check_risk(tx, session, risk)?;
    // While hidden, a reason is rated by its writer alone.
    if !retros::retro(tx, session)?.revealed {
        let card: Option<(i64, Option<Vec<u8>>)> = tx.row(
            "SELECT id, claim FROM retro_cards WHERE item_id = ?1",
            params![risk],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mine = card.is_some_and(|(card, claim)| {
            claim.is_some_and(|c| c == key.claim(crate::store::ClaimKind::Card, card))
        });
        if !mine {
            return Err(DomainError::Invalid(
                "the reasons are hidden: only its writer rates one until they are revealed".into(),
            )
            .into());
        }
    }
    for (what, v) in [("likelihood", likelihood), ("impact", impact)] {
        if let Some(v) = v {
            crate::domain::mortem::parse_rating(&v.to_string(), what)?;
        }
    }
    tx.execute(
        "INSERT INTO premortem_risks (item_id, mortem_id, likelihood, impact)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (item_id) DO UPDATE SET
            likelihood = coalesce(excluded.likelihood, premortem_risks.likelihood),
            impact = coalesce(excluded.impact, premortem_risks.impact)",
        params![risk, id.0, likelihood.map(u32::from), impact.map(u32::from)],
    )?;
    // A hidden reason rated by its writer leaves no time behind either,
    // nor, by where its rating sits in the file, when it was written.
    if retros::retro(tx, session)?.revealed {
        touch(tx, id, now)?;
    } else {
        crate::store::sql_store::anon::rewrite_shuffled(tx, "premortem_risks", "mortem_id", id.0)?;
    }
    Ok(())
}
