//! The days a report covers, and the report made from what was counted
//! over them: the same whether the counts come from a replay of every
//! event or from the figures kept as they were written.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::stats::{Stats, round2};
use super::{
    AgingCard, Blocked, BlockedCard, Bottleneck, CfdDay, ColumnFlow, FinishedCard, FlowColumn,
    FlowQuery, FlowRange, FlowReport, Little, Throughput, WeekCount, WipSummary, range,
};
use crate::domain::ColumnKind;

/// The days of a report: from `first_day` to `today`, each counted at its
/// end (`marks`, in ms; today's is now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub first_day: NaiveDate,
    pub today: NaiveDate,
    pub days: usize,
    /// The first instant of the range.
    pub from: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub marks: Vec<i64>,
}

impl Span {
    /// The days of `query`'s range, for a board whose first event falls on
    /// `first_event` (a day of the user's).
    pub fn of(query: &FlowQuery, first_event: Option<NaiveDate>) -> Span {
        let (zone, now) = (query.zone, query.now);
        let today = zone.day_of(now);
        let first_day = match query.range {
            FlowRange::Weeks(n) => range::first_of_weeks(today, n),
            // All of it, in whole weeks, so no week bar is a partial one.
            FlowRange::All => {
                let span = first_event.map_or(0, |d| (today - d).num_days().max(0) + 1);
                today - Duration::days((span.max(1) + 6) / 7 * 7 - 1)
            }
            // Nothing happened before the first event: the range starts there.
            FlowRange::Since(d) => d.max(first_event.unwrap_or(today)),
        }
        .min(today);
        let days = (today - first_day).num_days() as usize + 1;
        let marks = (1..=days)
            .map(|i| {
                zone.midnight(first_day + Duration::days(i as i64))
                    .min(now)
                    .timestamp_millis()
            })
            .collect();
        Span {
            first_day,
            today,
            days,
            from: zone.midnight(first_day),
            now,
            marks,
        }
    }
}

/// What was counted over a span.
#[derive(Debug, Default)]
pub struct Counted {
    /// Per live column (in board order), its cards at each day's end.
    pub bands: Vec<Vec<u32>>,
    /// The cards in active columns (retired ones too) at each day's end.
    pub wip: Vec<i64>,
    /// Per column of the history: visits ended in the range (columns not
    /// done) and their length in ms.
    pub visits: Vec<u32>,
    pub visit_ms: Vec<i64>,
    /// Cards finished in the range.
    pub finished: Vec<FinishedCard>,
    /// Per day of the range, the finishes on it.
    pub daily: Vec<u32>,
    pub aging: Vec<AgingCard>,
    pub blocked: Vec<BlockedCard>,
}

/// The report from what was counted.
pub fn report(cols: &[FlowColumn], span: &Span, mut c: Counted) -> FlowReport {
    let days = span.days;
    c.finished.sort_by_key(|f| (f.finished, f.card));
    c.aging
        .sort_by(|a, b| b.age_days.total_cmp(&a.age_days).then(a.card.cmp(&b.card)));
    c.blocked
        .sort_by(|a, b| b.days.total_cmp(&a.days).then(a.card.cmp(&b.card)));
    let cfd: Vec<CfdDay> = (0..days)
        .map(|i| CfdDay {
            date: span.first_day + Duration::days(i as i64),
            counts: c.bands.iter().map(|b| b[i]).collect(),
        })
        .collect();
    let live = cols.iter().enumerate().filter(|(_, c)| c.live);
    let columns: Vec<ColumnFlow> = live
        .zip(&c.bands)
        .map(|((i, col), counts)| {
            let limit = col.wip.map(|w| w.limit);
            let at = |over: bool| {
                limit.map_or(0, |l| {
                    counts
                        .iter()
                        .filter(|&&n| if over { n > l } else { n >= l })
                        .count() as u32
                })
            };
            ColumnFlow {
                id: col.id,
                name: col.name.clone(),
                kind: col.kind,
                wip_limit: limit,
                cards_now: counts.last().copied().unwrap_or(0),
                average_days: (c.visits[i] > 0)
                    .then(|| round2(c.visit_ms[i] as f64 / 86_400_000.0 / f64::from(c.visits[i]))),
                visits: c.visits[i],
                days_at_limit: at(false),
                days_over_limit: at(true),
            }
        })
        .collect();
    let throughput = throughput(c.daily, span.first_day);
    let wip = WipSummary {
        now: c.aging.len() as u32,
        average: round2(c.wip.iter().fold(0i64, |s, n| s.saturating_add(*n)) as f64 / days as f64),
    };
    let cycles: Vec<f64> = c.finished.iter().filter_map(|f| f.cycle_days).collect();
    let leads: Vec<f64> = c.finished.iter().map(|f| f.lead_days).collect();
    let cycle_time = Stats::of(&cycles);
    // Little's law speaks of the cards that passed through WIP: those with a
    // cycle time, not those that went to done without being started.
    let little = cycle_time.map(|ct| {
        let per_day = ct.count as f64 / days as f64;
        Little {
            average_wip: wip.average,
            throughput_per_day: round2(per_day),
            average_cycle_days: ct.mean,
            expected_wip: round2(per_day * ct.mean),
        }
    });
    let bottleneck = columns
        .iter()
        .filter(|c| c.kind == ColumnKind::Active)
        .filter_map(|c| c.average_days.map(|d| (c, d)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, d)| Bottleneck {
            column: c.name.clone(),
            average_days: d,
        });
    // (+ 0.0: a sum of nothing is -0.0, which would read as "-0".)
    let total_blocked = round2(c.blocked.iter().map(|b| b.days).sum()) + 0.0;
    FlowReport {
        from: span.first_day,
        to: span.today,
        days: days as u32,
        start: span.from,
        now: span.now,
        columns,
        cycle_time,
        lead_time: Stats::of(&leads),
        throughput,
        wip,
        little,
        bottleneck,
        aging: c.aging,
        blocked: Blocked {
            total_days: total_blocked,
            cards: c.blocked,
        },
        cfd,
        finished: c.finished,
    }
}

/// Finishes per day and per 7-day block ending today.
fn throughput(daily: Vec<u32>, first_day: NaiveDate) -> Throughput {
    let days = daily.len();
    let blocks = days.div_ceil(7);
    let weekly = (0..blocks)
        .map(|b| {
            let end = days - 7 * (blocks - 1 - b);
            let start = end.saturating_sub(7);
            WeekCount {
                from: first_day + Duration::days(start as i64),
                to: first_day + Duration::days(end as i64 - 1),
                count: daily[start..end]
                    .iter()
                    .fold(0u32, |s, n| s.saturating_add(*n)),
            }
        })
        .collect();
    let total = daily.iter().fold(0u32, |s, n| s.saturating_add(*n));
    let per_day = f64::from(total) / days as f64;
    Throughput {
        total,
        per_day: round2(per_day),
        per_week: round2(per_day * 7.0),
        daily,
        weekly,
    }
}
