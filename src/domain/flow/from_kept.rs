//! A flow report from the figures kept as events were written
//! ([`super::kept`]): each day's counts are sums of a few time slots, and
//! the cards listed (finished in the range, in progress, blocked in it) are
//! read from their kept walks, so a report over all history costs its days
//! and its listed cards, not its events. The same report as a replay of
//! every event ([`super::flow_report`]); a test compares the two on random
//! histories.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::assemble::{self, Counted, Span};
use super::kept::{Slot, cut};
use super::stats::round2;
use super::{
    AgingCard, BlockedCard, FinishedCard, FlowColumn, FlowQuery, FlowReport, blocked_in_range,
    days_between,
};
use crate::domain::{CardId, ColumnId, ColumnKind, Zone};

/// A cut of the history at a moment: see [`cut`].
type Cut = (i64, bool, Vec<Slot>);

/// What a report over a query needs read, once the board's first day of
/// events is known: its days, and the slots of the finer grains (by
/// grain and part, with the first and last UTC day wanted).
#[derive(Debug, Clone)]
pub struct Plan {
    pub span: Span,
    from: Cut,
    /// The cut at the end of each day but today (whose end is now: all).
    ends: Vec<Cut>,
    pub slots: BTreeMap<(u8, u8), (i64, i64)>,
}

impl Plan {
    /// `None` when a day of the user's zone does not begin on a quarter
    /// hour: its report comes from a replay.
    pub fn of(query: &FlowQuery, first_event: Option<NaiveDate>) -> Option<Plan> {
        let span = Span::of(query, first_event);
        let from = cut(span.from.timestamp_millis())?;
        let ends = span.marks[..span.days - 1]
            .iter()
            .map(|&m| cut(m))
            .collect::<Option<Vec<_>>>()?;
        let mut slots: BTreeMap<(u8, u8), (i64, i64)> = BTreeMap::new();
        for s in ends.iter().chain([&from]).flat_map(|c| &c.2) {
            let e = slots.entry((s.grain, s.part)).or_insert((s.day, s.day));
            e.0 = e.0.min(s.day);
            e.1 = e.1.max(s.day);
        }
        Some(Plan {
            span,
            from,
            ends,
            slots,
        })
    }
}

/// The day of the first event: that of the earliest of the board's first
/// day of events (a zone may turn its clocks back across midnight).
pub fn first_event_day(first_day: &[DateTime<Utc>], zone: &dyn Zone) -> Option<NaiveDate> {
    first_day.iter().map(|t| zone.day_of(*t)).min()
}

/// Sums kept per UTC day and per finer slot, for one column (or the board).
#[derive(Debug, Default, Clone)]
pub struct Sums<const N: usize> {
    /// Per UTC day, in order.
    pub days: BTreeMap<i64, [i64; N]>,
    /// The finer slots read.
    pub slots: HashMap<Slot, [i64; N]>,
}

impl<const N: usize> Sums<N> {
    /// What was kept up to a cut, and in all.
    fn prefix(&self) -> Prefix<'_, N> {
        let mut run = [0i64; N];
        let cum = self
            .days
            .iter()
            .map(|(d, v)| {
                for i in 0..N {
                    run[i] = run[i].saturating_add(v[i]);
                }
                (*d, run)
            })
            .collect();
        Prefix {
            cum,
            total: run,
            slots: &self.slots,
        }
    }
}

struct Prefix<'a, const N: usize> {
    cum: Vec<(i64, [i64; N])>,
    total: [i64; N],
    slots: &'a HashMap<Slot, [i64; N]>,
}

impl<const N: usize> Prefix<'_, N> {
    fn at(&self, (day, whole, inside): &Cut) -> [i64; N] {
        // Every day before `day` (or up to it, for a whole one).
        let n = self
            .cum
            .partition_point(|(d, _)| if *whole { d <= day } else { d < day });
        let mut out: [i64; N] = if n == 0 { [0; N] } else { self.cum[n - 1].1 };
        let sign = if *whole { -1 } else { 1 };
        for s in inside {
            if let Some(v) = self.slots.get(s) {
                for i in 0..N {
                    out[i] = out[i].saturating_add(v[i].saturating_mul(sign));
                }
            }
        }
        out
    }
}

/// A card whose walk ends in an active column, not archived.
#[derive(Debug, Clone)]
pub struct InProgress {
    pub card: CardId,
    pub column: ColumnId,
    pub since: DateTime<Utc>,
    pub started: Option<DateTime<Utc>>,
    pub blocked: bool,
}

/// A card in a done column that finished in the range.
#[derive(Debug, Clone)]
pub struct Done {
    pub card: CardId,
    pub created: DateTime<Utc>,
    pub started: Option<DateTime<Utc>>,
    pub finished: DateTime<Utc>,
}

/// A card's blocked spell.
#[derive(Debug, Clone)]
pub struct Spell {
    pub card: CardId,
    pub from: DateTime<Utc>,
    /// `None`: not ended (it counts until now).
    pub until: Option<DateTime<Utc>>,
    /// Not ended, on a card on the board (not archived).
    pub blocked_now: bool,
}

/// What the store read for a [`Plan`].
#[derive(Debug, Default)]
pub struct Kept {
    pub columns: Vec<FlowColumn>,
    /// Per column: cards in (net), visits ended, their length in ms.
    pub counts: HashMap<ColumnId, Sums<3>>,
    pub finishes: Sums<1>,
    pub done: Vec<Done>,
    pub in_progress: Vec<InProgress>,
    /// Blocked spells that end in the range or later, each card's in the
    /// order they ended.
    pub spells: Vec<Spell>,
}

/// The report over `plan`'s span from what was kept.
pub fn report(plan: &Plan, kept: Kept, query: &FlowQuery) -> FlowReport {
    let (span, now) = (&plan.span, query.now);
    let cols = &kept.columns;
    let empty = Sums::default();
    let prefixes: Vec<Prefix<'_, 3>> = cols
        .iter()
        .map(|c| kept.counts.get(&c.id).unwrap_or(&empty).prefix())
        .collect();
    // Each column's count at each day's end; today's is what is kept now.
    let at_ends: Vec<Vec<i64>> = prefixes
        .iter()
        .map(|p| {
            plan.ends
                .iter()
                .map(|c| p.at(c)[0])
                .chain([p.total[0]])
                .collect()
        })
        .collect();
    let bands = cols
        .iter()
        .zip(&at_ends)
        .filter(|(c, _)| c.live)
        .map(|(_, n)| n.iter().map(|&n| n.max(0) as u32).collect())
        .collect();
    let wip = (0..span.days)
        .map(|i| {
            cols.iter()
                .zip(&at_ends)
                .filter(|(c, _)| c.kind == ColumnKind::Active)
                .fold(0i64, |sum, (_, n)| sum.saturating_add(n[i]))
                .max(0)
        })
        .collect();
    // Visits ended from the range's first instant on.
    let ended: Vec<[i64; 3]> = prefixes
        .iter()
        .map(|p| {
            let before = p.at(&plan.from);
            [
                0,
                p.total[1].saturating_sub(before[1]),
                p.total[2].saturating_sub(before[2]),
            ]
        })
        .collect();
    let finishes = kept.finishes.prefix();
    let mut last = finishes.at(&plan.from)[0];
    let daily = plan
        .ends
        .iter()
        .map(|c| finishes.at(c)[0])
        .chain([finishes.total[0]])
        .map(|n| {
            let d = n.saturating_sub(last);
            last = n;
            d.max(0) as u32
        })
        .collect();
    let name: HashMap<ColumnId, &str> = cols.iter().map(|c| (c.id, c.name.as_str())).collect();
    assemble::report(
        cols,
        span,
        Counted {
            bands,
            wip,
            visits: ended.iter().map(|v| v[1] as u32).collect(),
            visit_ms: ended.iter().map(|v| v[2]).collect(),
            finished: finished(kept.done),
            daily,
            aging: kept
                .in_progress
                .iter()
                .map(|a| {
                    let started = a.started.unwrap_or(a.since);
                    AgingCard {
                        card: a.card,
                        title: None,
                        column: name.get(&a.column).unwrap_or(&"").to_string(),
                        started,
                        age_days: round2(days_between(started, now)),
                        blocked: a.blocked,
                    }
                })
                .collect(),
            blocked: blocked(&kept.spells, span.from, now),
        },
    )
}

fn finished(done: Vec<Done>) -> Vec<FinishedCard> {
    done.into_iter()
        .map(|d| {
            let started = d.started.filter(|s| *s <= d.finished);
            FinishedCard {
                card: d.card,
                created: d.created,
                started,
                finished: d.finished,
                cycle_days: started.map(|s| round2(days_between(s, d.finished))),
                lead_days: round2(days_between(d.created, d.finished)),
            }
        })
        .collect()
}

/// Each card's blocked days in the range, its spells taken in order.
fn blocked(spells: &[Spell], from: DateTime<Utc>, now: DateTime<Utc>) -> Vec<BlockedCard> {
    let mut out = Vec::new();
    for card in spells.chunk_by(|a, b| a.card == b.card) {
        let (mut days, mut episodes, mut now_blocked) = (0.0f64, 0u32, false);
        for s in card {
            now_blocked |= s.blocked_now;
            if let Some(d) = blocked_in_range(from, now, s.from, s.until.unwrap_or(now)) {
                days += d;
                episodes += 1;
            }
        }
        if episodes > 0 {
            out.push(BlockedCard {
                card: card[0].card,
                title: None,
                days: round2(days),
                episodes,
                blocked_now: now_blocked,
            });
        }
    }
    out
}
