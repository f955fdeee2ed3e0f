//! What a card's walk adds to the flow figures kept as events are written:
//! each column's entries and exits, the visits that ended, the finishes,
//! and the blocked spells, each at the moment it happened, summed into
//! time slots that any user's days are made of.
//!
//! A slot holds what happened after its start and up to its end (the
//! moment itself included), so the sums of every slot that ends by a
//! moment `m` are what happened at or before `m`: a card counted in a
//! column at `m` entered it at or before `m` and left it after. Slots come
//! in four grains (a UTC day, six hours, an hour, a quarter hour), so a
//! day of any zone (whose midnight falls on a quarter hour) is a run of
//! whole UTC days and a few slots at either end: a report over all history
//! reads a few rows per day, not one per event.

use chrono::{DateTime, Utc};

use super::walk::{CardWalk, Closed, WalkEvent};
use crate::domain::ColumnKind;

pub const DAY_MS: i64 = 86_400_000;
pub const QUARTER_MS: i64 = 900_000;
/// Quarter hours in a day.
pub const QUARTERS: i64 = DAY_MS / QUARTER_MS;

/// The grains, as how many quarter hours each slot spans, coarsest first.
pub const GRAINS: [i64; 4] = [QUARTERS, 24, 4, 1];

/// A slot of one grain: its UTC day (days since 1970-01-01) and which of
/// the day's slots of that grain it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    /// Index into [`GRAINS`].
    pub grain: u8,
    pub part: u8,
    pub day: i64,
}

/// The slots of every grain that the moment `ms` falls in, each slot
/// holding its end: what sums to "at or before a moment" (a card is
/// counted in a column at a moment it entered by then).
pub fn slots_of(ms: i64) -> [Slot; 4] {
    slots_at(ms.saturating_sub(1))
}

/// The slots of every grain that the moment `ms` falls in, each slot
/// holding its start: what sums to "before a moment" (a finish or a visit
/// ends on the day that begins at its midnight).
pub fn slots_from(ms: i64) -> [Slot; 4] {
    slots_at(ms)
}

fn slots_at(u: i64) -> [Slot; 4] {
    let day = u.div_euclid(DAY_MS);
    let quarter = u.rem_euclid(DAY_MS) / QUARTER_MS;
    std::array::from_fn(|g| Slot {
        grain: g as u8,
        part: (quarter / GRAINS[g]) as u8,
        day,
    })
}

/// What happened at or before `ms`, as slots: `(day, whole, inside)`
/// means every UTC day before `day` plus the `inside` slots of `day`
/// (`whole = false`), or every UTC day up to and including `day` minus the
/// `inside` slots (`whole = true`), whichever takes fewer slots (at most
/// nine). `None` when `ms` is not on a quarter hour.
pub fn cut(ms: i64) -> Option<(i64, bool, Vec<Slot>)> {
    if ms.rem_euclid(QUARTER_MS) != 0 {
        return None;
    }
    let day = ms.div_euclid(DAY_MS);
    let k = ms.rem_euclid(DAY_MS) / QUARTER_MS;
    // The shorter way: the quarters before `k`, or those from `k` on.
    let (whole, from, to) = if k <= QUARTERS / 2 {
        (false, 0, k)
    } else {
        (true, k, QUARTERS)
    };
    Some((day, whole, cover(day, from, to)))
}

/// The fewest slots of the grains below a day that cover quarters
/// `from..to` of `day`.
fn cover(day: i64, mut from: i64, to: i64) -> Vec<Slot> {
    let mut out = Vec::new();
    while from < to {
        let g = (1..GRAINS.len())
            .find(|&g| from % GRAINS[g] == 0 && from + GRAINS[g] <= to)
            .unwrap_or(GRAINS.len() - 1);
        out.push(Slot {
            grain: g as u8,
            part: (from / GRAINS[g]) as u8,
            day,
        });
        from += GRAINS[g];
    }
    out
}

/// One change to the kept figures, at a moment (ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change<C> {
    /// A card began (`+1`) or ended (`-1`) being counted in `column`.
    Count { column: C, at: i64, delta: i64 },
    /// A visit to a column that is not done ended at `at`, after `ms`.
    Visit { column: C, at: i64, ms: i64 },
    /// A card became finished at `at` (`+1`), or a finish at `at` stopped
    /// being one (`-1`: the card left done).
    Finish { at: i64, delta: i64 },
    /// A blocked spell ended.
    Spell { from: i64, until: i64 },
}

/// When the card finished, as the flow report counts it: its entry into
/// done, while it is in a done column.
pub fn finished_at<C>(w: &CardWalk<C>) -> Option<DateTime<Utc>> {
    match w.column {
        Some((_, ColumnKind::Done, _)) => w.done_entry,
        _ => None,
    }
}

/// Steps the walk with one event at `at` and tells `out` what changed.
pub fn step<C: Copy + PartialEq>(
    w: &mut CardWalk<C>,
    event: WalkEvent<C>,
    at: DateTime<Utc>,
    out: &mut impl FnMut(Change<C>),
) {
    let (was_in, was_finished) = (w.column, finished_at(w));
    // A stay closed and one opened at the same moment in the same column
    // look alike: the close says a new one began.
    let mut left = false;
    w.step(event, at, &mut |c| match c {
        Closed::Stay {
            column,
            kind,
            from,
            until,
        } => {
            left = true;
            let until = until.timestamp_millis();
            out(Change::Count {
                column,
                at: until,
                delta: -1,
            });
            if kind != ColumnKind::Done {
                out(Change::Visit {
                    column,
                    at: until,
                    ms: until - from.timestamp_millis(),
                });
            }
        }
        Closed::Blocked { from, until } => out(Change::Spell {
            from: from.timestamp_millis(),
            until: until.timestamp_millis(),
        }),
    });
    if let Some((column, _, since)) = w.column
        && (left || w.column != was_in)
    {
        out(Change::Count {
            column,
            at: since.timestamp_millis(),
            delta: 1,
        });
    }
    let finished = finished_at(w);
    if finished != was_finished {
        for (t, delta) in [(was_finished, -1), (finished, 1)] {
            if let Some(t) = t {
                out(Change::Finish {
                    at: t.timestamp_millis(),
                    delta,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_on_a_slots_end_belongs_to_that_slot() {
        let day = 20_000;
        let midnight = day * DAY_MS;
        assert_eq!(
            slots_of(midnight)[0].day,
            day - 1,
            "midnight ends the day before"
        );
        assert_eq!(slots_of(midnight + 1)[0].day, day);
        let s = slots_of(midnight + 5 * 3_600_000 + 1);
        assert_eq!((s[1].part, s[2].part, s[3].part), (0, 5, 20));
    }

    #[test]
    fn a_cut_covers_exactly_the_quarters_on_its_shorter_side() {
        let day = 20_000;
        for k in 0..QUARTERS {
            let (d, whole, slots) = cut(day * DAY_MS + k * QUARTER_MS).unwrap();
            assert_eq!(d, day);
            let covered: i64 = slots.iter().map(|s| GRAINS[s.grain as usize]).sum();
            assert_eq!(covered, if whole { QUARTERS - k } else { k }, "k = {k}");
            assert!(slots.len() <= 9, "k = {k}: {slots:?}");
            // Every quarter covered lies on the right side of the cut.
            for s in &slots {
                let first = i64::from(s.part) * GRAINS[s.grain as usize];
                assert!(if whole { first >= k } else { first < k });
            }
        }
        assert!(cut(day * DAY_MS + 60_000).is_none());
    }
}
