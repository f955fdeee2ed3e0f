//! The forecasts' track record: at each of many past days, forecast from
//! the sample window before that day only, then look at what happened.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{CHECKED, Outcomes, PERCENTILES, Sample, how_many, when};
use crate::domain::rng::Rng;

/// What each past forecast asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "question", rename_all = "snake_case")]
pub enum Question {
    /// When `items` cards are done.
    When { items: u32 },
    /// How many cards are done in the next `days` days.
    HowMany { days: u32 },
}

/// How often past forecasts held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    #[serde(flatten)]
    pub question: Question,
    /// Past days forecast from (those whose window supports a forecast
    /// and whose outcome is known).
    pub forecasts: u32,
    /// How many held, per entry of [`PERCENTILES`].
    pub held: [u32; 4],
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl Backtest {
    /// The share (0 to 1) of forecasts whose `pct` line held.
    pub fn rate(&self, pct: u32) -> Option<f64> {
        let i = PERCENTILES.iter().position(|p| *p == pct)?;
        (self.forecasts > 0).then(|| f64::from(self.held[i]) / f64::from(self.forecasts))
    }

    /// What the 85% line's record says of it, in a few words.
    pub fn judgement(&self) -> &'static str {
        match self.rate(CHECKED) {
            None => "no past day had enough history before it and its outcome known",
            Some(_) if self.forecasts < 20 => "too few past forecasts to judge",
            Some(r) if (0.80..=0.90).contains(&r) => "about as often as it should",
            Some(r) if r < 0.80 => {
                "less often than it should: throughput changed, so trust these forecasts less"
            }
            Some(_) => "more often than it should: the forecasts were cautious",
        }
    }

    /// What the 85% line's record says, in one sentence.
    pub fn verdict(&self) -> String {
        match self.rate(CHECKED) {
            Some(rate) => format!(
                "the {CHECKED}% line held in {:.0}% of {} past forecasts: {}",
                rate * 100.0,
                self.forecasts,
                self.judgement()
            ),
            None => self.judgement().to_string(),
        }
    }
}

/// Replays `history` (finishes per complete day, `first` its first day,
/// its last day the day before today): on each of the last `span` days
/// (an origin, as "today" then) a forecast from the `weeks` before it,
/// with `trials` trials, is checked against what happened after it.
pub fn backtest(
    history: &[u32],
    first: NaiveDate,
    weeks: u32,
    question: Question,
    span: u32,
    trials: u32,
    rng: &mut Rng,
) -> Backtest {
    let window = 7 * weeks.max(1) as usize;
    let days = history.len();
    let lowest = days.saturating_sub(span as usize);
    let mut result = Backtest {
        question,
        forecasts: 0,
        held: [0; 4],
        first: None,
        last: None,
    };
    // Origin `o` is "today": the sample is the days before it, the
    // forecast starts the day after it (today's rest is not forecast).
    for o in lowest.max(1)..days {
        let start = o.saturating_sub(window);
        let sample = Sample {
            from: first + Duration::days(start as i64),
            to: first + Duration::days(o as i64 - 1),
            daily: history[start..o].to_vec(),
        };
        if sample.check().is_err() {
            continue;
        }
        let after = &history[o + 1..];
        let held = match question {
            Question::HowMany { days } => {
                let Some(actual) = after.get(..days as usize).map(|d| d.iter().sum::<u32>()) else {
                    continue;
                };
                let f: Outcomes = how_many(&sample, days, trials, rng);
                PERCENTILES.map(|p| actual >= f.at_least(p))
            }
            Question::When { items } => {
                let mut done = 0u32;
                let Some(actual) = after.iter().position(|n| {
                    done += n;
                    done >= items
                }) else {
                    continue;
                };
                let f = when(&sample, items, trials, rng);
                // Day 1 is the day after the origin.
                let day = actual as u32 + 1;
                PERCENTILES.map(|p| day <= f.at_most(p))
            }
        };
        result.forecasts += 1;
        for (h, ok) in result.held.iter_mut().zip(held) {
            *h += u32::from(ok);
        }
        let day = first + Duration::days(o as i64);
        result.first.get_or_insert(day);
        result.last = Some(day);
    }
    result
}
