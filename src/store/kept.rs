//! Figures kept as the history is written (schema 10): each is derived from
//! the team's own rows, updated in the transaction of the event it counts
//! (so no crash can leave one behind its event), never exported, built
//! again from scratch after an import or an upgrade, and compared with a
//! count from scratch by `teamloop check`.
//!
//! - `column_cards`: the live cards of each column, what its WIP limit
//!   counts and its header shows. A board's first frame and a move then
//!   cost the same at 200,000 cards as at 1,000, where counting the cards
//!   of a column grows with them.

use crate::domain::{ColumnId, EventKind};
use crate::sql_params as params;
use crate::store::Result;
use crate::store::sql::{Db, DbExt};

/// The tables of kept figures, in the order they are emptied and built.
pub const TABLES: &[&str] = &[
    "column_cards",
    "card_walks",
    "flow_counts",
    "flow_finishes",
    "flow_spells",
];

/// What an event changes in the kept figures: the column a card left and
/// the one it entered (a move), or one of them (a creation, an archive, a
/// restore).
pub fn on_event(
    db: &dyn Db,
    kind: EventKind,
    from: Option<ColumnId>,
    to: Option<ColumnId>,
) -> Result<()> {
    let (left, entered) = match kind {
        EventKind::Created | EventKind::Restored => (None, to),
        EventKind::Moved => (from, to),
        EventKind::Archived => (from, None),
        _ => (None, None),
    };
    if let Some(c) = left {
        db.execute(
            "UPDATE column_cards SET live = live - 1 WHERE column_id = ?1",
            params![c.0],
        )?;
    }
    if let Some(c) = entered {
        db.execute(
            "INSERT INTO column_cards (column_id, live) VALUES (?1, 1)
             ON CONFLICT (column_id) DO UPDATE SET live = column_cards.live + 1",
            params![c.0],
        )?;
    }
    Ok(())
}

/// The live cards of `column`, as kept.
pub fn live_cards(db: &dyn Db, column: ColumnId) -> Result<u32> {
    db.one(
        "SELECT coalesce((SELECT live FROM column_cards WHERE column_id = ?1), 0)",
        params![column.0],
    )
}

/// Every kept figure thrown away and built again from the team's rows:
/// after an import, an upgrade, or anything that wrote rows around the
/// events.
pub fn rebuild(db: &dyn Db) -> Result<()> {
    clear(db)?;
    db.execute(COUNT_COLUMNS, &[])?;
    crate::store::sql_store::kept_flow::build(db)
}

/// Every kept figure thrown away (before the rows they count go).
pub fn clear(db: &dyn Db) -> Result<()> {
    for table in TABLES.iter().rev() {
        db.execute(&format!("DELETE FROM \"{table}\""), &[])?;
    }
    Ok(())
}

const COUNT_COLUMNS: &str = "INSERT INTO column_cards (column_id, live)
     SELECT column_id, count(*) FROM cards WHERE archived_at IS NULL GROUP BY column_id";

/// Each kept figure that differs from a count from scratch, one line each.
pub fn check(db: &dyn Db) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    db.each(
        "SELECT c.id, c.name, coalesce(k.live, 0),
                (SELECT count(*) FROM cards WHERE column_id = c.id AND archived_at IS NULL)
         FROM columns c LEFT JOIN column_cards k ON k.column_id = c.id
         ORDER BY c.id",
        &[],
        &mut |r| {
            let (kept, counted): (i64, i64) = (r.get(2)?, r.get(3)?);
            if kept != counted {
                problems.push(format!(
                    "column {} \"{}\": {kept} live cards kept, {counted} in the history",
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?
                ));
            }
            Ok(())
        },
    )?;
    problems.extend(crate::store::sql_store::kept_flow::check(db)?);
    Ok(problems)
}
