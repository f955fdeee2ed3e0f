//! Monte Carlo forecasts from the board's own throughput (DOMAIN.md §8).
//!
//! The sample is the number of cards finished on each complete day of a
//! window (the flow report's throughput: a card's entry into a done
//! column, counted on the user's calendar day; days without a finish are
//! zeros). A trial walks forward from tomorrow, each day adding the count
//! of a day drawn at random from the sample, until the items are done
//! ("when") or the date is reached ("how many"). Percentiles over the
//! trials give the answer; [`backtest`] replays history to show how often
//! such forecasts came true. Cards are counted, never points.
//!
//! The random generator is passed in: the same seed gives the same answer.

pub mod backtest;
pub mod run;
pub mod scope;

use std::fmt;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::rng::Rng;

pub use backtest::{Backtest, Question, backtest};
pub use run::{Ask, Chance, Forecast, Settings, chance, forecast};
pub use scope::{Scope, open_tags, remaining};

/// The likelihoods every forecast is given at.
pub const PERCENTILES: [u32; 4] = [50, 70, 85, 95];
/// The line a backtest checks, and the one the screens lead with.
pub const CHECKED: u32 = 85;
/// The sample window when none is asked for.
pub const DEFAULT_WEEKS: u32 = 12;
pub const DEFAULT_TRIALS: u32 = 10_000;
pub const MAX_TRIALS: u32 = 1_000_000;
/// Fewer finishes than this in the window: no forecast.
pub const MIN_FINISHED: u32 = 10;
/// A "when" trial stops here (ten years): the items are not done in it.
pub const HORIZON_DAYS: u32 = 3_650;

/// The daily finish counts a forecast draws from: complete days only,
/// `from` to `to`, the last the day before the forecast is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub daily: Vec<u32>,
}

impl Sample {
    /// The last `weeks` complete days before `today` of a board's finishes
    /// per day (`days`, oldest first, from the board's first day on; a
    /// day not listed had none), or all of them when the board is younger.
    pub fn window(days: &[(NaiveDate, u32)], today: NaiveDate, weeks: u32) -> Sample {
        let to = today - Duration::days(1);
        let first = days.iter().map(|d| d.0).min().unwrap_or(today);
        let from = (today - Duration::days(7 * i64::from(weeks.max(1)))).max(first);
        Sample::between(days, from, to)
    }

    /// The days `from` to `to` of `days`, zeros where a day is not listed.
    pub fn between(days: &[(NaiveDate, u32)], from: NaiveDate, to: NaiveDate) -> Sample {
        let len = usize::try_from((to - from).num_days() + 1).unwrap_or(0);
        let mut daily = vec![0u32; len];
        for (day, n) in days {
            if let Ok(i) = usize::try_from((*day - from).num_days())
                && i < len
            {
                daily[i] += n;
            }
        }
        Sample { from, to, daily }
    }

    pub fn finished(&self) -> u32 {
        self.daily.iter().sum()
    }

    /// The longest run of days without a finish: its length and first day.
    pub fn longest_empty(&self) -> (u32, NaiveDate) {
        let (mut best, mut best_at, mut run) = (0u32, self.from, 0u32);
        for (i, n) in self.daily.iter().enumerate() {
            run = if *n == 0 { run + 1 } else { 0 };
            if run > best {
                best = run;
                best_at = self.from + Duration::days(i as i64 + 1 - i64::from(run));
            }
        }
        (best, best_at)
    }

    /// Whether this history can support a forecast: at least
    /// [`MIN_FINISHED`] finishes, and no stretch without a finish longer
    /// than a quarter of the window (and at least two weeks long).
    pub fn check(&self) -> Result<(), Refusal> {
        let days = self.daily.len() as u32;
        if days == 0 {
            return Err(Refusal::NoHistory);
        }
        let finished = self.finished();
        if finished < MIN_FINISHED {
            return Err(Refusal::TooFew { finished, days });
        }
        let (empty, from) = self.longest_empty();
        if empty >= 14 && empty * 4 > days {
            return Err(Refusal::Empty {
                days: empty,
                from,
                window: days,
            });
        }
        Ok(())
    }
}

/// Why a history cannot support a forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// No complete day in the window yet.
    NoHistory,
    TooFew {
        finished: u32,
        days: u32,
    },
    /// `days` without a finish from `from`, in a window of `window` days.
    Empty {
        days: u32,
        from: NaiveDate,
        window: u32,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoHistory => write!(
                f,
                "no forecast: the board has no complete day of history yet"
            ),
            Refusal::TooFew { finished, days } => write!(
                f,
                "no forecast: {finished} card{} finished in the {days} days sampled, \
                 and a forecast needs at least {MIN_FINISHED}",
                if *finished == 1 { "" } else { "s" }
            ),
            Refusal::Empty { days, from, window } => write!(
                f,
                "no forecast: {days} days without a finish from {from}, in a sample of \
                 {window} days: that history says little about the days ahead"
            ),
        }
    }
}

/// The outcome of every trial, smallest first: a day count (1 = tomorrow)
/// for "when", a card count for "how many".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    pub sorted: Vec<u32>,
}

impl Outcomes {
    fn of(mut values: Vec<u32>) -> Outcomes {
        values.sort_unstable();
        Outcomes { sorted: values }
    }

    /// The smallest outcome at least `pct`% of the trials did not exceed:
    /// for "when", the day by which the items are done that often.
    pub fn at_most(&self, pct: u32) -> u32 {
        let n = self.sorted.len();
        if n == 0 {
            return 0;
        }
        let rank = (n * pct as usize).div_ceil(100).clamp(1, n);
        self.sorted[rank - 1]
    }

    /// The largest outcome at least `pct`% of the trials reached: for
    /// "how many", at least this many that often.
    pub fn at_least(&self, pct: u32) -> u32 {
        let n = self.sorted.len();
        if n == 0 {
            return 0;
        }
        let rank = (n * pct as usize).div_ceil(100).clamp(1, n);
        self.sorted[n - rank]
    }

    /// The share of trials (0 to 1) whose outcome is at least `value`.
    pub fn share_at_least(&self, value: u32) -> f64 {
        if self.sorted.is_empty() {
            return 0.0;
        }
        let below = self.sorted.partition_point(|v| *v < value);
        (self.sorted.len() - below) as f64 / self.sorted.len() as f64
    }

    /// The share of trials (0 to 1) whose outcome is at most `value`.
    pub fn share_at_most(&self, value: u32) -> f64 {
        if self.sorted.is_empty() {
            return 0.0;
        }
        let upto = self.sorted.partition_point(|v| *v <= value);
        upto as f64 / self.sorted.len() as f64
    }

    /// How many trials had each outcome, from the smallest to the largest,
    /// in at most `bars` bars of equal width: `(first, last, trials)`.
    pub fn histogram(&self, bars: usize) -> Vec<(u32, u32, u32)> {
        let (Some(&lo), Some(&hi)) = (self.sorted.first(), self.sorted.last()) else {
            return Vec::new();
        };
        let span = u64::from(hi - lo) + 1;
        let width = span.div_ceil(bars.max(1) as u64).max(1);
        let count = span.div_ceil(width) as usize;
        let mut out: Vec<(u32, u32, u32)> = (0..count)
            .map(|i| {
                let a = u64::from(lo) + i as u64 * width;
                (a as u32, (a + width - 1).min(u64::from(hi)) as u32, 0)
            })
            .collect();
        for v in &self.sorted {
            out[(u64::from(v - lo) / width) as usize].2 += 1;
        }
        out
    }
}

/// The trials' generator: each trial has a stream of its own, drawn from
/// `rng`, so "when" and "how many" from the same generator walk the same
/// days and agree with each other exactly.
fn streams(rng: &mut Rng) -> u64 {
    rng.next_u64()
}

/// On which day (1 = tomorrow) each trial finishes `items` cards;
/// [`HORIZON_DAYS`] + 1 for a trial not done by then.
pub fn when(sample: &Sample, items: u32, trials: u32, rng: &mut Rng) -> Outcomes {
    let base = streams(rng);
    let daily = &sample.daily;
    let values = (0..u64::from(trials))
        .map(|t| {
            let mut r = Rng::stream(base, t);
            let mut done = 0u32;
            for day in 1..=HORIZON_DAYS {
                if done >= items {
                    return day - 1;
                }
                done += daily[r.below(daily.len())];
            }
            if done >= items {
                HORIZON_DAYS
            } else {
                HORIZON_DAYS + 1
            }
        })
        .collect();
    Outcomes::of(values)
}

/// How many cards each trial finishes in the next `days` days.
pub fn how_many(sample: &Sample, days: u32, trials: u32, rng: &mut Rng) -> Outcomes {
    let base = streams(rng);
    let daily = &sample.daily;
    let values = (0..u64::from(trials))
        .map(|t| {
            let mut r = Rng::stream(base, t);
            (0..days).map(|_| daily[r.below(daily.len())]).sum()
        })
        .collect();
    Outcomes::of(values)
}

/// Little's law's two sides over the sample window, and whether they are
/// so far apart that the system was not stable (more than a quarter of
/// the larger side, and a card or more): then throughput is a weak guide to the days ahead.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stability {
    pub average_wip: f64,
    pub expected_wip: f64,
    /// (average − expected) / the larger of the two.
    pub gap: f64,
}

impl Stability {
    pub fn of(average_wip: f64, expected_wip: f64) -> Stability {
        let larger = average_wip.max(expected_wip);
        let gap = if larger > 0.0 {
            (average_wip - expected_wip) / larger
        } else {
            0.0
        };
        Stability {
            average_wip,
            expected_wip,
            gap,
        }
    }

    /// The flow report's check over the same window.
    pub fn from_little(l: &super::flow::Little) -> Stability {
        Stability::of(l.average_wip, l.expected_wip)
    }

    /// Apart by more than a quarter and by a card or more.
    pub fn unstable(&self) -> bool {
        self.gap.abs() > 0.25 && (self.average_wip - self.expected_wip).abs() >= 1.0
    }
}

impl fmt::Display for Stability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Little's law gap: average WIP {:.2} against {:.2} expected from throughput × cycle time \
             ({:+.0}%): {}, so the flow was not stable",
            self.average_wip,
            self.expected_wip,
            self.gap * 100.0,
            if self.gap > 0.0 {
                "work was started faster than it was finished"
            } else {
                "work in progress ran down"
            }
        )
    }
}

#[cfg(test)]
mod tests;
