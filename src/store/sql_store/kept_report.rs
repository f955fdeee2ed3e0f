//! A flow report read from the kept flow figures (see
//! `domain::flow::from_kept`): a few rows per day of the range, and the
//! cards it lists, each query on its own index.

use std::collections::HashMap;

use super::flow::flow_columns;
use super::from_ms;
use crate::domain::flow::from_kept::{self, Done, InProgress, Kept, Plan, Spell, Sums};
use crate::domain::flow::kept::{DAY_MS, Slot};
use crate::domain::flow::{FlowQuery, FlowReport};
use crate::domain::{Board, CardId, ColumnId};
use crate::sql_params as params;
use crate::store::Result;
use crate::store::sql::{Db, DbExt, Value, numbered_marks};

/// The report over `query`, or `None` when the user's days do not begin
/// on a quarter hour (the caller replays the events).
pub(super) fn report(db: &dyn Db, board: &Board, query: &FlowQuery) -> Result<Option<FlowReport>> {
    let b = board.id.0;
    let first: Option<i64> = db.one(
        "SELECT min(created) FROM card_walks WHERE board_id = ?1",
        params![b],
    )?;
    let first_day = match first {
        Some(first) => db.rows(
            "SELECT created FROM card_walks WHERE board_id = ?1 AND created < ?2",
            params![b, first.saturating_add(DAY_MS)],
            |r| Ok(from_ms(r.get(0)?)),
        )?,
        None => Vec::new(),
    };
    let Some(plan) = Plan::of(query, from_kept::first_event_day(&first_day, query.zone)) else {
        return Ok(None);
    };
    let columns = flow_columns(db, board)?;
    let (from, now) = (
        plan.span.from.timestamp_millis(),
        query.now.timestamp_millis(),
    );
    let mut kept = Kept {
        counts: counts(db, &columns.iter().map(|c| c.id).collect::<Vec<_>>(), &plan)?,
        finishes: finishes(db, b, &plan)?,
        columns,
        ..Kept::default()
    };
    kept.done = db.rows(
        "SELECT card_id, created, started, done_entry FROM card_walks
         WHERE board_id = ?1 AND column_kind = 'done' AND done_entry >= ?2 AND done_entry <= ?3",
        params![b, from, now],
        |r| {
            Ok(Done {
                card: CardId(r.get(0)?),
                created: from_ms(r.get(1)?),
                started: r.get::<Option<i64>>(2)?.map(from_ms),
                finished: from_ms(r.get(3)?),
            })
        },
    )?;
    kept.in_progress = db.rows(
        "SELECT card_id, column_id, column_since, started, blocked_since IS NOT NULL
         FROM card_walks WHERE board_id = ?1 AND column_kind = 'active' AND archived = 0",
        params![b],
        |r| {
            Ok(InProgress {
                card: CardId(r.get(0)?),
                column: ColumnId(r.get(1)?),
                since: from_ms(r.get(2)?),
                started: r.get::<Option<i64>>(3)?.map(from_ms),
                blocked: r.get(4)?,
            })
        },
    )?;
    let mut spells: Vec<(i64, i64, i64, i64, bool)> = db.rows(
        "SELECT card_id, until_ms, id, from_ms FROM flow_spells
         WHERE board_id = ?1 AND until_ms >= ?2 AND from_ms <= ?3",
        params![b, from, now],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, false)),
    )?;
    // A spell not ended comes after every ended one of its card (and
    // counts until now even on a card archived while it went on).
    db.each(
        "SELECT card_id, blocked_since, archived = 0 FROM card_walks
         WHERE board_id = ?1 AND blocked_since IS NOT NULL",
        params![b],
        &mut |r| {
            spells.push((r.get(0)?, i64::MAX, i64::MAX, r.get(1)?, r.get(2)?));
            Ok(())
        },
    )?;
    spells.sort_unstable();
    kept.spells = spells
        .into_iter()
        .map(|(card, until, _, since, on_board)| Spell {
            card: CardId(card),
            from: from_ms(since),
            until: (until != i64::MAX).then(|| from_ms(until)),
            blocked_now: until == i64::MAX && on_board,
        })
        .collect();
    Ok(Some(from_kept::report(&plan, kept, query)))
}

/// Each column's sums: every UTC day, and the finer slots the plan wants.
fn counts(db: &dyn Db, columns: &[ColumnId], plan: &Plan) -> Result<HashMap<ColumnId, Sums<3>>> {
    let mut out: HashMap<ColumnId, Sums<3>> = HashMap::new();
    if columns.is_empty() {
        return Ok(out);
    }
    let marks = numbered_marks(columns.len());
    let ids: Vec<Value> = columns.iter().map(|c| Value::Int(c.0)).collect();
    let n = ids.len();
    let sql = |fine: bool| {
        let extra = if fine {
            format!(
                " AND part = ?{} AND day BETWEEN ?{} AND ?{}",
                n + 2,
                n + 3,
                n + 4
            )
        } else {
            String::new()
        };
        format!(
            "SELECT column_id, part, day, net, visits, visit_ms FROM flow_counts
             WHERE column_id IN ({marks}) AND grain = ?{}{extra}",
            n + 1
        )
    };
    let mut read = |grain: u8, fine: Option<(u8, i64, i64)>| -> Result<()> {
        let mut args = ids.clone();
        args.push(Value::Int(i64::from(grain)));
        if let Some((part, lo, hi)) = fine {
            args.extend([Value::Int(i64::from(part)), Value::Int(lo), Value::Int(hi)]);
        }
        db.each(&sql(fine.is_some()), &args, &mut |r| {
            let sums = out.entry(ColumnId(r.get(0)?)).or_default();
            let v = [r.get(3)?, r.get(4)?, r.get(5)?];
            let day: i64 = r.get(2)?;
            if grain == 0 {
                sums.days.insert(day, v);
            } else {
                let part = r.get::<i64>(1)? as u8;
                sums.slots.insert(Slot { grain, part, day }, v);
            }
            Ok(())
        })
    };
    read(0, None)?;
    for (&(grain, part), &(lo, hi)) in &plan.slots {
        read(grain, Some((part, lo, hi)))?;
    }
    Ok(out)
}

/// The board's finishes: every UTC day, and the finer slots the plan wants.
fn finishes(db: &dyn Db, board: i64, plan: &Plan) -> Result<Sums<1>> {
    let mut out = Sums::default();
    db.each(
        "SELECT day, n FROM flow_finishes WHERE board_id = ?1 AND grain = 0",
        params![board],
        &mut |r| {
            out.days.insert(r.get(0)?, [r.get(1)?]);
            Ok(())
        },
    )?;
    for (&(grain, part), &(lo, hi)) in &plan.slots {
        db.each(
            "SELECT day, n FROM flow_finishes
             WHERE board_id = ?1 AND grain = ?2 AND part = ?3 AND day BETWEEN ?4 AND ?5",
            params![board, i64::from(grain), i64::from(part), lo, hi],
            &mut |r| {
                let slot = Slot {
                    grain,
                    part,
                    day: r.get(0)?,
                };
                out.slots.insert(slot, [r.get(1)?]);
                Ok(())
            },
        )?;
    }
    Ok(out)
}
