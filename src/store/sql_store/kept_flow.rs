//! The flow figures kept as events are written (schema 11; what they are
//! is `domain::flow::kept`): each card's walk, stepped by the one function
//! that writes events, in its transaction; and, from scratch, the same
//! figures replayed from every event, to build them again and to check
//! them.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::flow::{flow_event, flow_kind};
use super::from_ms;
use crate::domain::flow::kept::{Change, Slot, slots_from, slots_of, step};
use crate::domain::flow::walk::{CardWalk, WalkEvent};
use crate::domain::flow::{FlowEvent, FlowEventKind, group_by_card};
use crate::domain::{ColumnId, ColumnKind};
use crate::sql_params as params;
use crate::store::Result;
use crate::store::sql::{Db, DbExt, Row};

/// A card's walk as kept, with its board and the time of its last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Walk {
    board: i64,
    last_at: i64,
    walk: CardWalk<ColumnId>,
}

/// The kept figures, or changes to them, in memory.
#[derive(Debug, Default, PartialEq, Eq)]
struct Figures {
    walks: BTreeMap<i64, Walk>,
    /// Per column and slot: net count, visits ended, their length in ms.
    counts: BTreeMap<(i64, Slot), [i64; 3]>,
    /// Per board and slot: finishes.
    finishes: BTreeMap<(i64, Slot), i64>,
    /// Ended spells: board, card, from, until.
    spells: Vec<(i64, i64, i64, i64)>,
}

impl Figures {
    /// Adds one change of a card on `board` (`sign` -1 takes it back).
    fn add(&mut self, board: i64, card: i64, change: Change<ColumnId>, sign: i64) {
        let mut counts = |column: ColumnId, slots: [Slot; 4], d: [i64; 3]| {
            for s in slots {
                let row = self.counts.entry((column.0, s)).or_default();
                for i in 0..3 {
                    row[i] += sign * d[i];
                }
            }
        };
        match change {
            Change::Count { column, at, delta } => counts(column, slots_of(at), [delta, 0, 0]),
            Change::Visit { column, at, ms } => counts(column, slots_from(at), [0, 1, ms]),
            Change::Finish { at, delta } => {
                for s in slots_from(at) {
                    *self.finishes.entry((board, s)).or_default() += sign * delta;
                }
            }
            Change::Spell { from, until } => self.spells.push((board, card, from, until)),
        }
    }

    /// Leaves out what adds up to nothing, so that two ways to the same
    /// figures compare equal.
    fn tidy(&mut self) {
        self.counts.retain(|_, v| *v != [0; 3]);
        self.finishes.retain(|_, v| *v != 0);
        self.spells.sort_unstable();
    }
}

/// Walks one card's flow events (in the order they came) from scratch, as
/// the flow report does: in time order, ties in the order written.
fn walk_card(
    board: i64,
    events: &mut [FlowEvent],
    kinds: &HashMap<i64, (i64, ColumnKind)>,
    out: &mut Figures,
) {
    events.sort_by_key(|e| e.at);
    let Some(first) = events.first() else {
        return;
    };
    let card = first.card.0;
    let mut w = CardWalk::new(first.at);
    for e in events.iter() {
        step(&mut w, walk_event(e.kind, board, kinds), e.at, &mut |c| {
            out.add(board, card, c, 1)
        });
    }
    out.walks.insert(
        card,
        Walk {
            board,
            last_at: events
                .iter()
                .map(|e| e.at.timestamp_millis())
                .max()
                .unwrap_or(0),
            walk: w,
        },
    );
}

fn walk_event(
    kind: FlowEventKind,
    board: i64,
    kinds: &HashMap<i64, (i64, ColumnKind)>,
) -> WalkEvent<ColumnId> {
    kind.walk(|to| {
        kinds
            .get(&to.0)
            .filter(|(b, _)| *b == board)
            .map(|(_, k)| (to, *k))
    })
}

/// Every column's board and kind (retired ones too).
fn column_kinds(db: &dyn Db, board: Option<i64>) -> Result<HashMap<i64, (i64, ColumnKind)>> {
    let mut out = HashMap::new();
    db.each(
        "SELECT id, board_id, kind FROM columns WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
        &mut |r| {
            out.insert(r.get(0)?, (r.get(1)?, kind_of(r, 2)?));
            Ok(())
        },
    )?;
    Ok(out)
}

fn kind_of(r: &Row, i: usize) -> Result<ColumnKind> {
    r.get::<String>(i)?
        .parse()
        .map_err(|e| crate::store::StoreError::Query(format!("column kind: {e}")))
}

/// The figures of every card (of one board, or of all), from every event.
fn replay(db: &dyn Db, board: Option<i64>) -> Result<Figures> {
    let kinds = column_kinds(db, board)?;
    let mut boards = HashMap::new();
    db.each(
        "SELECT id, board_id FROM cards WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
        &mut |r| {
            boards.insert(r.get::<i64>(0)?, r.get::<i64>(1)?);
            Ok(())
        },
    )?;
    let mut events = Vec::new();
    db.each(
        "SELECT card_id, at, kind, to_column FROM card_events ORDER BY id",
        &[],
        &mut |r| {
            if let Some(e) = flow_event(r)?
                && boards.contains_key(&e.card.0)
            {
                events.push(e);
            }
            Ok(())
        },
    )?;
    group_by_card(&mut events);
    let mut out = Figures::default();
    for card in events.chunk_by_mut(|a, b| a.card == b.card) {
        let board = boards[&card[0].card.0];
        walk_card(board, card, &kinds, &mut out);
    }
    out.tidy();
    Ok(out)
}

/// The figures as kept (of one board, or of all).
fn read(db: &dyn Db, board: Option<i64>) -> Result<Figures> {
    let mut out = Figures::default();
    db.each(
        "SELECT card_id, board_id, created, last_at, column_id, column_kind, column_since,
                started, done_entry, archived, blocked_since
         FROM card_walks WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
        &mut |r| {
            out.walks.insert(r.get(0)?, walk_from_row(r, 1)?);
            Ok(())
        },
    )?;
    db.each(
        "SELECT k.column_id, k.grain, k.part, k.day, k.net, k.visits, k.visit_ms
         FROM flow_counts k JOIN columns c ON c.id = k.column_id
         WHERE CAST(?1 AS BIGINT) IS NULL OR c.board_id = ?1",
        params![board],
        &mut |r| {
            out.counts.insert(
                (r.get(0)?, slot_from_row(r, 1)?),
                [r.get(4)?, r.get(5)?, r.get(6)?],
            );
            Ok(())
        },
    )?;
    db.each(
        "SELECT board_id, grain, part, day, n FROM flow_finishes
         WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
        &mut |r| {
            out.finishes
                .insert((r.get(0)?, slot_from_row(r, 1)?), r.get(4)?);
            Ok(())
        },
    )?;
    db.each(
        "SELECT board_id, card_id, from_ms, until_ms FROM flow_spells
         WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
        &mut |r| {
            out.spells
                .push((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
            Ok(())
        },
    )?;
    out.tidy();
    Ok(out)
}

fn slot_from_row(r: &Row, i: usize) -> Result<Slot> {
    Ok(Slot {
        grain: r.get::<i64>(i)? as u8,
        part: r.get::<i64>(i + 1)? as u8,
        day: r.get(i + 2)?,
    })
}

fn walk_from_row(r: &Row, i: usize) -> Result<Walk> {
    let t = |j: usize| -> Result<Option<DateTime<Utc>>> {
        Ok(r.get::<Option<i64>>(i + j)?.map(from_ms))
    };
    let column = match (r.get::<Option<i64>>(i + 3)?, t(5)?) {
        (Some(c), Some(since)) => Some((ColumnId(c), kind_of(r, i + 4)?, since)),
        _ => None,
    };
    Ok(Walk {
        board: r.get(i)?,
        last_at: r.get(i + 2)?,
        walk: CardWalk {
            created: from_ms(r.get(i + 1)?),
            column,
            started: t(6)?,
            done_entry: t(7)?,
            archived: r.get::<i64>(i + 8)? != 0,
            blocked_since: t(9)?,
        },
    })
}

/// Writes figures (changes, or all of them into empty tables).
fn write(db: &dyn Db, f: &Figures) -> Result<()> {
    let ms = |t: Option<DateTime<Utc>>| t.map(|t| t.timestamp_millis());
    for (card, w) in &f.walks {
        let c = w.walk.column;
        db.execute(
            "INSERT INTO card_walks (card_id, board_id, created, last_at, column_id, column_kind,
                                     column_since, started, done_entry, archived, blocked_since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (card_id) DO UPDATE SET
                 created = excluded.created, last_at = excluded.last_at,
                 column_id = excluded.column_id,
                 column_kind = excluded.column_kind, column_since = excluded.column_since,
                 started = excluded.started, done_entry = excluded.done_entry,
                 archived = excluded.archived, blocked_since = excluded.blocked_since",
            params![
                *card,
                w.board,
                w.walk.created.timestamp_millis(),
                w.last_at,
                c.map(|c| c.0.0),
                c.map(|c| c.1.as_str()),
                ms(c.map(|c| c.2)),
                ms(w.walk.started),
                ms(w.walk.done_entry),
                i64::from(w.walk.archived),
                ms(w.walk.blocked_since),
            ],
        )?;
    }
    for ((column, s), [net, visits, visit_ms]) in &f.counts {
        db.execute(
            "INSERT INTO flow_counts (column_id, grain, part, day, net, visits, visit_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (column_id, grain, part, day) DO UPDATE SET
                 net = flow_counts.net + excluded.net,
                 visits = flow_counts.visits + excluded.visits,
                 visit_ms = flow_counts.visit_ms + excluded.visit_ms",
            params![
                *column,
                i64::from(s.grain),
                i64::from(s.part),
                s.day,
                *net,
                *visits,
                *visit_ms
            ],
        )?;
    }
    for ((board, s), n) in &f.finishes {
        db.execute(
            "INSERT INTO flow_finishes (board_id, grain, part, day, n) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (board_id, grain, part, day) DO UPDATE SET n = flow_finishes.n + excluded.n",
            params![*board, i64::from(s.grain), i64::from(s.part), s.day, *n],
        )?;
    }
    for (board, card, from, until) in &f.spells {
        db.execute(
            "INSERT INTO flow_spells (board_id, card_id, from_ms, until_ms) VALUES (?1, ?2, ?3, ?4)",
            params![*board, *card, *from, *until],
        )?;
    }
    Ok(())
}

thread_local! {
    /// Set while many events are written at once (a demo board): the
    /// figures are built once at the end instead of stepped per event.
    static DEFERRED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (one write) without stepping the kept flow figures, then
/// builds them from scratch, in the same transaction.
pub(crate) fn deferred<T>(db: &dyn Db, f: impl FnOnce() -> Result<T>) -> Result<T> {
    DEFERRED.with(|d| d.set(true));
    let out = f();
    DEFERRED.with(|d| d.set(false));
    let out = out?;
    rebuild(db, None)?;
    Ok(out)
}

/// Steps the card's walk with the event just written (`kind`, `to` as
/// stored). An event with an earlier time than the card's last one (a
/// clock set back) walks the card again from its first event.
pub(super) fn on_event(db: &dyn Db, card: i64, at: i64, kind: &str, to: Option<i64>) -> Result<()> {
    if DEFERRED.with(Cell::get) {
        return Ok(());
    }
    let Some(kind) = flow_kind(kind, to) else {
        return Ok(());
    };
    let kept = db.row(
        "SELECT board_id, created, last_at, column_id, column_kind, column_since,
                started, done_entry, archived, blocked_since
         FROM card_walks WHERE card_id = ?1",
        params![card],
        |r| walk_from_row(r, 0),
    )?;
    let board = match kept {
        Some(w) => w.board,
        None => db.one("SELECT board_id FROM cards WHERE id = ?1", params![card])?,
    };
    if kept.is_some_and(|w| at < w.last_at) {
        return rewalk(db, board, card);
    }
    let mut w = kept.map_or(CardWalk::new(from_ms(at)), |w| w.walk);
    let mut entered = None;
    if let FlowEventKind::Enter(to) = kind {
        entered = db.row(
            "SELECT kind FROM columns WHERE id = ?1 AND board_id = ?2",
            params![to.0, board],
            |r| kind_of(r, 0),
        )?;
    }
    let event = kind.walk(|to| entered.map(|k| (to, k)));
    let mut changes = Figures::default();
    step(&mut w, event, from_ms(at), &mut |c| {
        changes.add(board, card, c, 1)
    });
    changes.walks.insert(
        card,
        Walk {
            board,
            last_at: at,
            walk: w,
        },
    );
    write(db, &changes)
}

/// Walks one card again from all its events: what its walk added before
/// the event just written (the one with the highest id) is taken back,
/// and what the walk of all its events adds is put in.
fn rewalk(db: &dyn Db, board: i64, card: i64) -> Result<()> {
    let kinds = column_kinds(db, Some(board))?;
    let figures = |sql: &str| -> Result<Figures> {
        let mut events: Vec<FlowEvent> = db
            .rows(sql, params![card], flow_event)?
            .into_iter()
            .flatten()
            .collect();
        let mut out = Figures::default();
        walk_card(board, &mut events, &kinds, &mut out);
        Ok(out)
    };
    let new = figures(
        "SELECT card_id, at, kind, to_column FROM card_events WHERE card_id = ?1 ORDER BY id",
    )?;
    let old = figures(
        "SELECT card_id, at, kind, to_column FROM card_events
         WHERE card_id = ?1 AND id < (SELECT max(id) FROM card_events WHERE card_id = ?1)
         ORDER BY id",
    )?;
    let mut change = Figures {
        walks: new.walks,
        counts: new.counts,
        finishes: new.finishes,
        spells: new.spells,
    };
    for (k, v) in old.counts {
        let row = change.counts.entry(k).or_default();
        for i in 0..3 {
            row[i] -= v[i];
        }
    }
    for (k, v) in old.finishes {
        *change.finishes.entry(k).or_default() -= v;
    }
    db.execute("DELETE FROM flow_spells WHERE card_id = ?1", params![card])?;
    write(db, &change)
}

/// Every kept flow figure (of one board, or of all) built again from the
/// events.
pub(crate) fn rebuild(db: &dyn Db, board: Option<i64>) -> Result<()> {
    clear(db, board)?;
    write(db, &replay(db, board)?)
}

/// Every kept flow figure built from the events, into empty tables (as a
/// migration makes them, or after `kept::clear`).
pub(crate) fn build(db: &dyn Db) -> Result<()> {
    write(db, &replay(db, None)?)
}

/// Every kept flow figure (of one board, or of all) thrown away.
pub(crate) fn clear(db: &dyn Db, board: Option<i64>) -> Result<()> {
    db.execute(
        "DELETE FROM flow_spells WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
    )?;
    db.execute(
        "DELETE FROM flow_finishes WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
    )?;
    db.execute(
        "DELETE FROM flow_counts WHERE column_id IN
             (SELECT id FROM columns WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1)",
        params![board],
    )?;
    db.execute(
        "DELETE FROM card_walks WHERE CAST(?1 AS BIGINT) IS NULL OR board_id = ?1",
        params![board],
    )?;
    Ok(())
}

/// What differs between the kept flow figures and a replay of every
/// event, one line per kind of figure.
pub(crate) fn check(db: &dyn Db) -> Result<Vec<String>> {
    let (kept, replayed) = (read(db, None)?, replay(db, None)?);
    let mut problems = Vec::new();
    let mut compare = |what: &str, differ: usize| {
        if differ > 0 {
            problems.push(format!(
                "{what}: {differ} differ from a replay of every event"
            ));
        }
    };
    compare("card walks", differ(&kept.walks, &replayed.walks));
    compare("flow counts", differ(&kept.counts, &replayed.counts));
    compare("finishes", differ(&kept.finishes, &replayed.finishes));
    let spells = kept.spells.len().abs_diff(replayed.spells.len())
        + kept
            .spells
            .iter()
            .zip(&replayed.spells)
            .filter(|(a, b)| a != b)
            .count();
    compare("blocked spells", spells);
    Ok(problems)
}

/// How many keys of either map have different values (or are missing).
fn differ<K: Ord, V: PartialEq>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>) -> usize {
    a.iter().filter(|(k, v)| b.get(k) != Some(v)).count()
        + b.keys().filter(|k| !a.contains_key(k)).count()
}
