//! A retro's action items: cards on the board, made in the discussion or
//! adopted from one, and reviewed at the next retro.

use super::*;

/// The board's first column of a kind.
pub(in crate::store::sql_store) fn first_column(
    tx: &dyn Db,
    board: BoardId,
    kind: Option<&str>,
) -> Result<ColumnId> {
    tx.row(
        "SELECT id FROM columns WHERE board_id = ?1 AND deleted_at IS NULL
           AND (CAST(?2 AS TEXT) IS NULL OR kind = ?2) ORDER BY position, id LIMIT 1",
        params![board.0, kind],
        |r| r.get(0).map(ColumnId),
    )?
    .ok_or_else(|| StoreError::NotFound("the board has no such column".into()))
}

pub(in crate::store::sql_store) fn add_action(
    tx: &dyn Db,
    id: RetroId,
    text: &str,
    owner: Option<&str>,
    due: Option<NaiveDate>,
    now: i64,
    actor: &str,
) -> Result<CardId> {
    let r = allowed(tx, id, actor, Move::AddAction)?;
    let board = board_of(tx, id)?;
    let due_text = due.map_or(String::new(), |d| format!(" Due {d}."));
    let card = NewCard {
        title: text.to_string(),
        description: format!(
            "Action item from the retro \"{}\" ({}).{due_text}",
            r.title,
            r.started_at.format("%Y-%m-%d")
        ),
        assignee: owner.map(str::to_string),
        tags: vec![
            crate::domain::retro::ACTION_TAG.to_string(),
            format!("retro-{}", id.0),
        ],
        points: None,
    }
    .validated()?;
    let column = first_column(tx, board, None)?;
    let entry = write::add_card(tx, column, &card, None, now, actor)?;
    tx.execute(
        "INSERT INTO retro_actions (card_id, retro_id, due_day) VALUES (?1, ?2, ?3)",
        params![entry.card.0, id.0, due.map(|d| d.to_string())],
    )?;
    Ok(entry.card)
}

/// Makes an existing card one of the retro's action items (demo data: the
/// cards the team wrote right after it).
pub(in crate::store::sql_store) fn adopt_action(
    tx: &dyn Db,
    id: RetroId,
    card: CardId,
    due: Option<NaiveDate>,
) -> Result<()> {
    for tag in [
        crate::domain::retro::ACTION_TAG.to_string(),
        format!("retro-{}", id.0),
    ] {
        tx.execute(
            "INSERT INTO card_tags (card_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![card.0, &tag],
        )?;
    }
    tx.execute(
        "INSERT INTO retro_actions (card_id, retro_id, due_day) VALUES (?1, ?2, ?3)",
        params![card.0, id.0, due.map(|d| d.to_string())],
    )?;
    Ok(())
}

/// The item a card belongs to.
pub(in crate::store::sql_store) fn item_of(tx: &dyn Db, card: i64) -> Result<ItemId> {
    Ok(ItemId(tx.one(
        "SELECT item_id FROM retro_cards WHERE id = ?1",
        params![card],
    )?))
}

pub(in crate::store::sql_store) fn review(
    tx: &dyn Db,
    id: RetroId,
    card: CardId,
    status: ActionStatus,
    now: i64,
    actor: &str,
) -> Result<()> {
    allowed(tx, id, actor, Move::Review)?;
    let listed = to_review(tx, id)?
        .into_iter()
        .find(|(a, _)| a.card == card)
        .ok_or_else(|| {
            StoreError::NotFound(format!("{card} is not an earlier action item to review"))
        })?;
    // A mark that moved or archived the card stands: undoing it is a move
    // on the board, where it is recorded.
    if let Some(earlier) = listed.1
        && earlier != status
        && earlier != ActionStatus::Open
    {
        return Err(DomainError::Invalid(format!(
            "{card} is marked {} already (its card was {}); reopen it on the board",
            earlier.as_str(),
            if earlier == ActionStatus::Done {
                "moved to done"
            } else {
                "archived"
            }
        ))
        .into());
    }
    match (status, listed.0.status) {
        (ActionStatus::Done, ActionStatus::Open) => {
            let done = first_column(tx, board_of(tx, id)?, Some("done"))?;
            move_card(tx, card, done, Some("marked done in the retro"), now, actor)?;
        }
        (ActionStatus::Dropped, ActionStatus::Open) => archive_card(tx, card, now, actor)?,
        _ => {}
    }
    tx.execute(
        "INSERT INTO retro_reviews (retro_id, card_id, status) VALUES (?1, ?2, ?3)
         ON CONFLICT (retro_id, card_id) DO UPDATE SET status = excluded.status",
        params![id.0, card.0, status.as_str()],
    )?;
    Ok(())
}
