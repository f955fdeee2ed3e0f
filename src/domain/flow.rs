//! Flow metrics from the card history.
//!
//! The four metrics are the Kanban Guide's (2025.5; DOMAIN.md §5.1), with the
//! board's column kinds as the team's Definition of Workflow:
//! - **Started**: a card's first entry into an `active` column.
//! - **Finished**: the card is in a `done` column now; it finished at its last
//!   entry into done. A card moved back out of done is not finished.
//! - **Cycle time** = finished − started, in elapsed calendar days with
//!   fractions (nights and weekends count; no "+1 day" convention). A card that
//!   went to done without ever being active has a lead time but no cycle time.
//! - **Lead time** = finished − created (DOMAIN.md §5.3: labelled explicitly).
//! - **Throughput**: finished cards (a count of items, not points) per day, and
//!   per 7-day block ending today, so the latest bar is never a partial week.
//! - **WIP**: cards in active columns at a moment. **Work item age**: now −
//!   started, for cards in active columns.
//! - **Cumulative flow**: for each day of the range, the cards in each column
//!   at the end of that day (at the present moment for today), replayed from
//!   the events, not from today's state. A card moved backwards leaves the later
//!   band, as it did on the board (DOMAIN.md §5.4 names both conventions).
//! - **Blocked time**: from each block to its unblock (or now), within the range.
//! - **Little's law** (DOMAIN.md §5.5): average WIP ≈ throughput × average
//!   cycle time over the same range; both sides are reported, as a check.
//!
//! Archiving: a card archived from a done column stays finished and stays in
//! Done; archived from anywhere else it leaves the board at that moment.
//! Column kinds and WIP limits are today's settings: history records moves.
//! Days are the user's calendar days, daylight saving time included.

mod assemble;
pub mod from_kept;
pub mod kept;
mod range;
pub mod stats;
pub mod walk;

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::{CardId, ColumnId, ColumnKind, WipLimit, Zone};
pub use assemble::{Counted, Span};
pub use range::FlowRange;
pub use stats::Stats;
use stats::round2;
use walk::{CardWalk, Closed, WalkEvent};

/// A column as the history knows it: retired columns are kept for their kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowColumn {
    pub id: ColumnId,
    pub name: String,
    pub kind: ColumnKind,
    pub wip: Option<WipLimit>,
    /// False for a retired column: it keeps its history but gets no band.
    pub live: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowEventKind {
    /// Created in, or moved into, a column.
    Enter(ColumnId),
    Block,
    Unblock,
    Archive,
}

impl FlowEventKind {
    /// The step a card's walk takes, the column entered found by
    /// `column` (`None`: one the board does not know).
    pub fn walk<C>(self, column: impl FnOnce(ColumnId) -> Option<(C, ColumnKind)>) -> WalkEvent<C> {
        match self {
            FlowEventKind::Enter(to) => WalkEvent::Enter(column(to)),
            FlowEventKind::Block => WalkEvent::Block,
            FlowEventKind::Unblock => WalkEvent::Unblock,
            FlowEventKind::Archive => WalkEvent::Archive,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowEvent {
    pub card: CardId,
    pub at: DateTime<Utc>,
    pub kind: FlowEventKind,
}

/// Everything the metrics need: the board's columns in board order, and its
/// card events grouped by card, each card's in time order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowHistory {
    pub columns: Vec<FlowColumn>,
    pub events: Vec<FlowEvent>,
}

#[derive(Clone, Copy)]
pub struct FlowQuery<'a> {
    pub now: DateTime<Utc>,
    /// Where the user's days begin and end.
    pub zone: &'a dyn Zone,
    pub range: FlowRange,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnFlow {
    pub id: ColumnId,
    pub name: String,
    pub kind: ColumnKind,
    pub wip_limit: Option<u32>,
    pub cards_now: u32,
    /// Mean days a card stayed per visit, over visits that ended in the range.
    pub average_days: Option<f64>,
    pub visits: u32,
    /// Days of the range that ended with the column at or above its limit.
    pub days_at_limit: u32,
    /// Days of the range that ended with the column above its limit.
    pub days_over_limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FinishedCard {
    pub card: CardId,
    pub created: DateTime<Utc>,
    pub started: Option<DateTime<Utc>>,
    pub finished: DateTime<Utc>,
    pub cycle_days: Option<f64>,
    pub lead_days: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekCount {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Throughput {
    pub total: u32,
    pub per_day: f64,
    pub per_week: f64,
    /// One count per day of the range, days without a finish included.
    pub daily: Vec<u32>,
    /// 7-day blocks ending today, oldest first (the first may be shorter).
    pub weekly: Vec<WeekCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WipSummary {
    pub now: u32,
    /// Mean of the end-of-day WIP over the range.
    pub average: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Little {
    pub average_wip: f64,
    pub throughput_per_day: f64,
    pub average_cycle_days: f64,
    /// throughput_per_day × average_cycle_days: what Little's law expects `average_wip` to be.
    pub expected_wip: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CfdDay {
    pub date: NaiveDate,
    /// Cards per live column at the end of the day, in board order.
    pub counts: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgingCard {
    pub card: CardId,
    pub title: Option<String>,
    pub column: String,
    pub started: DateTime<Utc>,
    pub age_days: f64,
    pub blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockedCard {
    pub card: CardId,
    pub title: Option<String>,
    /// Blocked days within the range.
    pub days: f64,
    pub episodes: u32,
    pub blocked_now: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocked {
    pub total_days: f64,
    /// Longest blocked first.
    pub cards: Vec<BlockedCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bottleneck {
    pub column: String,
    pub average_days: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    /// The first instant of the range (midnight of `from`, the user's time).
    pub start: DateTime<Utc>,
    pub now: DateTime<Utc>,
    /// The live columns, in board order (the bands of `cfd`).
    pub columns: Vec<ColumnFlow>,
    pub cycle_time: Option<Stats>,
    pub lead_time: Option<Stats>,
    pub throughput: Throughput,
    pub wip: WipSummary,
    pub little: Option<Little>,
    /// The active column where cards stay longest per visit.
    pub bottleneck: Option<Bottleneck>,
    /// Cards in active columns now, oldest first.
    pub aging: Vec<AgingCard>,
    pub blocked: Blocked,
    pub cfd: Vec<CfdDay>,
    /// Cards finished in the range, in finishing order.
    pub finished: Vec<FinishedCard>,
}

impl FlowReport {
    /// Cards whose titles the report shows: aging work and the longest blocked.
    pub fn cards_to_name(&self, blocked: usize) -> Vec<CardId> {
        let mut ids: Vec<CardId> = self.aging.iter().map(|a| a.card).collect();
        ids.extend(self.blocked.cards.iter().take(blocked).map(|b| b.card));
        ids
    }

    /// Fills in titles looked up by the caller.
    pub fn name_cards(&mut self, titles: &HashMap<CardId, String>) {
        for a in &mut self.aging {
            a.title = titles.get(&a.card).cloned();
        }
        for b in &mut self.blocked.cards {
            b.title = titles.get(&b.card).cloned();
        }
    }
}

fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_milliseconds() as f64 / 86_400_000.0
}

/// What the walks add up to, day by day and column by column.
struct Tally {
    from: DateTime<Utc>,
    now: DateTime<Utc>,
    /// The moment each day is counted at (its end, or now for today), in
    /// ms: searched twice per stay, plain integers compare fastest.
    marks: Vec<i64>,
    /// Band (live column position) of each column in `history.columns`.
    band: Vec<Option<usize>>,
    /// Per band, +1/−1 at the first and past the last day a card is counted.
    diff: Vec<Vec<i64>>,
    /// The same for every active column together: the WIP.
    active: Vec<i64>,
    visit_ms: Vec<i64>,
    visits: Vec<u32>,
}

impl Tally {
    /// A card was in column `col` from `a` until `b` (or still is).
    fn stay(&mut self, col: usize, kind: ColumnKind, a: DateTime<Utc>, b: Option<DateTime<Utc>>) {
        let (a_ms, b_ms) = (a.timestamp_millis(), b.map(|b| b.timestamp_millis()));
        let lo = self.marks.partition_point(|m| *m < a_ms);
        let hi = b_ms.map_or(self.marks.len(), |b| self.marks.partition_point(|m| *m < b));
        if lo < hi {
            if let Some(band) = self.band[col] {
                self.diff[band][lo] += 1;
                self.diff[band][hi] -= 1;
            }
            // WIP counts every active column, retired ones too.
            if kind == ColumnKind::Active {
                self.active[lo] += 1;
                self.active[hi] -= 1;
            }
        }
        if let Some(b) = b
            && kind != ColumnKind::Done
            && b >= self.from
            && b <= self.now
        {
            self.visits[col] += 1;
            self.visit_ms[col] += (b - a).num_milliseconds();
        }
    }

    /// The part of a blocked spell that falls in the range, in days.
    fn blocked_in_range(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Option<f64> {
        blocked_in_range(self.from, self.now, a, b)
    }
}

/// The part of a blocked spell from `a` to `b` that falls between `from`
/// and `now`, in days.
pub(crate) fn blocked_in_range(
    from: DateTime<Utc>,
    now: DateTime<Utc>,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Option<f64> {
    let (a, b) = (a.max(from), b.min(now));
    (b >= a).then(|| days_between(a, b))
}

/// Puts each card's events together, cards in id order, each card's events
/// in the order they came (a stable sort by card). Card ids are dense, so
/// this is a counting sort: one pass to count, one to place, where a
/// comparison sort of a year's ninety thousand events takes several times
/// as long.
pub fn group_by_card(events: &mut Vec<FlowEvent>) {
    let (Some(lo), Some(hi)) = (
        events.iter().map(|e| e.card.0).min(),
        events.iter().map(|e| e.card.0).max(),
    ) else {
        return;
    };
    let span = usize::try_from(hi - lo).unwrap_or(usize::MAX);
    if span > events.len().saturating_mul(4).saturating_add(1024) {
        // Ids too sparse for a table of counts.
        events.sort_by_key(|e| e.card);
        return;
    }
    let slot = |e: &FlowEvent| (e.card.0 - lo) as usize;
    let mut next = vec![0usize; span + 2];
    for e in events.iter() {
        next[slot(e) + 1] += 1;
    }
    for i in 1..next.len() {
        next[i] += next[i - 1];
    }
    let mut out = events.clone();
    for e in events.iter() {
        let at = &mut next[slot(e)];
        out[*at] = *e;
        *at += 1;
    }
    *events = out;
}

/// Computes every flow metric for the range: the domain's one entry point.
pub fn flow_report(history: &FlowHistory, query: &FlowQuery) -> FlowReport {
    let zone = query.zone;
    let now = query.now;
    let local_day = |t: DateTime<Utc>| zone.day_of(t);
    // The day of the earliest event: days follow instants (but for a zone
    // that turns its clocks back across midnight), so only the events of
    // the first day are looked at, not every event's day.
    let first_event = history.events.iter().map(|e| e.at).min().and_then(|first| {
        history
            .events
            .iter()
            .filter(|e| e.at < first + Duration::days(1))
            .map(|e| local_day(e.at))
            .min()
    });
    let span = Span::of(query, first_event);
    let (days, from) = (span.days, span.from);

    let cols = &history.columns;
    let index: HashMap<ColumnId, usize> = cols.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let live: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].live).collect();
    let mut band = vec![None; cols.len()];
    for (b, &i) in live.iter().enumerate() {
        band[i] = Some(b);
    }
    let mut tally = Tally {
        from,
        now,
        marks: span.marks.clone(),
        band,
        diff: vec![vec![0i64; days + 1]; live.len()],
        active: vec![0i64; days + 1],
        visit_ms: vec![0; cols.len()],
        visits: vec![0; cols.len()],
    };

    let mut finished = Vec::new();
    let mut aging = Vec::new();
    let mut blocked = Vec::new();
    let mut events: std::borrow::Cow<'_, [FlowEvent]> = (&history.events[..]).into();
    if !events.is_sorted_by_key(|e| (e.card, e.at)) {
        events.to_mut().sort_by_key(|e| (e.card, e.at));
    }
    for card_events in events.chunk_by(|a, b| a.card == b.card) {
        let card = card_events[0].card;
        let mut w: CardWalk<usize> = CardWalk::new(card_events[0].at);
        let (mut blocked_days, mut episodes) = (0.0f64, 0u32);
        let mut closed = |c: Closed<usize>| match c {
            Closed::Stay {
                column,
                kind,
                from,
                until,
            } => tally.stay(column, kind, from, Some(until)),
            Closed::Blocked { from, until } => {
                if let Some(d) = tally.blocked_in_range(from, until) {
                    blocked_days += d;
                    episodes += 1;
                }
            }
        };
        for e in card_events {
            let event = e.kind.walk(|to| index.get(&to).map(|&c| (c, cols[c].kind)));
            w.step(event, e.at, &mut closed);
        }
        let blocked_now = w.blocked_now();
        // A spell not ended counts until now.
        if let Some(from) = w.blocked_since.take() {
            closed(Closed::Blocked { from, until: now });
        }
        if episodes > 0 {
            blocked.push(BlockedCard {
                card,
                title: None,
                days: round2(blocked_days),
                episodes,
                blocked_now,
            });
        }
        let Some((c, kind, since)) = w.column else {
            continue;
        };
        tally.stay(c, kind, since, None);
        match kind {
            ColumnKind::Done => {
                if let Some(f) = w.done_entry.filter(|f| *f >= from && *f <= now) {
                    finished.push(FinishedCard {
                        card,
                        created: w.created,
                        started: w.started.filter(|s| *s <= f),
                        finished: f,
                        cycle_days: w
                            .started
                            .filter(|s| *s <= f)
                            .map(|s| round2(days_between(s, f))),
                        lead_days: round2(days_between(w.created, f)),
                    });
                }
            }
            ColumnKind::Active if !w.archived => aging.push(AgingCard {
                card,
                title: None,
                column: cols[c].name.clone(),
                started: w.started.unwrap_or(since),
                age_days: round2(days_between(w.started.unwrap_or(since), now)),
                blocked: blocked_now,
            }),
            _ => {}
        }
    }
    // Replay the stays into end-of-day counts per band.
    let running = |d: &[i64]| -> Vec<i64> {
        let mut run = 0i64;
        d[..days]
            .iter()
            .map(|x| {
                run += x;
                run.max(0)
            })
            .collect()
    };
    let bands = tally
        .diff
        .iter()
        .map(|d| running(d).into_iter().map(|n| n as u32).collect())
        .collect();
    let mut daily = vec![0u32; days];
    for f in &finished {
        let i = (local_day(f.finished) - span.first_day)
            .num_days()
            .clamp(0, days as i64 - 1) as usize;
        daily[i] += 1;
    }
    assemble::report(
        cols,
        &span,
        Counted {
            bands,
            wip: running(&tally.active),
            visits: tally.visits,
            visit_ms: tally.visit_ms,
            finished,
            daily,
            aging,
            blocked,
        },
    )
}

#[cfg(test)]
mod tests;
