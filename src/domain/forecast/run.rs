//! One forecast from the finishes per day a store reads: the sample, the
//! trials, and the record of the same forecast made on past days.

use chrono::{Duration, NaiveDate};

use super::{
    Backtest, HORIZON_DAYS, Outcomes, PERCENTILES, Question, Refusal, Sample, backtest, how_many,
    when,
};
use crate::domain::rng::Rng;

/// Past days a forecast's record is taken over.
pub const BACKTEST_DAYS: u32 = 365;
/// Trials of each past forecast: enough for its 85% line.
pub const BACKTEST_TRIALS: u32 = 1_000;

/// What is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// When this many cards are done.
    When(u32),
    /// How many cards are done by the end of this day.
    HowMany(NaiveDate),
}

/// How a forecast is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub weeks: u32,
    pub trials: u32,
    pub seed: u64,
}

/// A forecast with what it was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    pub ask: Ask,
    pub today: NaiveDate,
    pub sample: Sample,
    pub settings: Settings,
    pub outcomes: Outcomes,
    /// The same question asked on each of the last year's days.
    pub record: Backtest,
}

/// The day a forecast's outcome (days after today) falls on; `None` past
/// the horizon.
pub fn day_after(today: NaiveDate, days: u32) -> Option<NaiveDate> {
    (days <= HORIZON_DAYS).then(|| today + Duration::days(i64::from(days)))
}

impl Forecast {
    /// For "when", the day by which the cards are done `pct`% of the time
    /// (`None`: not within ten years).
    pub fn date_at(&self, pct: u32) -> Option<NaiveDate> {
        day_after(self.today, self.outcomes.at_most(pct))
    }

    /// For "how many", the cards done at least `pct`% of the time.
    pub fn count_at(&self, pct: u32) -> u32 {
        self.outcomes.at_least(pct)
    }

    /// Every likelihood's answer: a day count for "when", a card count
    /// for "how many".
    pub fn lines(&self) -> Vec<(u32, u32)> {
        PERCENTILES
            .iter()
            .map(|p| match self.ask {
                Ask::When(_) => (*p, self.outcomes.at_most(*p)),
                Ask::HowMany(_) => (*p, self.outcomes.at_least(*p)),
            })
            .collect()
    }
}

/// The complete days of `days` (the finishes per day up to today), oldest
/// first, with the first of them.
pub fn complete_days(days: &[(NaiveDate, u32)], today: NaiveDate) -> Option<(NaiveDate, Vec<u32>)> {
    let first = days.iter().map(|d| d.0).min()?;
    let s = Sample::between(days, first, today - Duration::days(1));
    Some((first, s.daily))
}

/// From which day a store's finishes per day are read for a forecast
/// over `weeks` and its record.
pub fn read_from(today: NaiveDate, weeks: u32) -> NaiveDate {
    today - Duration::days(i64::from(BACKTEST_DAYS) + 7 * i64::from(weeks.max(1)) + 1)
}

/// Makes the forecast, or says why the history cannot support one.
pub fn forecast(
    days: &[(NaiveDate, u32)],
    today: NaiveDate,
    ask: Ask,
    settings: Settings,
) -> Result<Forecast, Refusal> {
    let sample = Sample::window(days, today, settings.weeks);
    sample.check()?;
    let mut rng = Rng::new(settings.seed);
    let (outcomes, question) = match ask {
        Ask::When(items) => (
            when(&sample, items, settings.trials, &mut rng),
            Question::When { items },
        ),
        Ask::HowMany(by) => {
            let days_ahead = u32::try_from((by - today).num_days()).unwrap_or(0);
            (
                how_many(&sample, days_ahead, settings.trials, &mut rng),
                Question::HowMany { days: days_ahead },
            )
        }
    };
    let record = match complete_days(days, today) {
        Some((first, history)) => backtest(
            &history,
            first,
            settings.weeks,
            question,
            BACKTEST_DAYS,
            BACKTEST_TRIALS.min(settings.trials),
            &mut rng,
        ),
        None => backtest(&[], today, settings.weeks, question, 0, 0, &mut rng),
    };
    Ok(Forecast {
        ask,
        today,
        sample,
        settings,
        outcomes,
        record,
    })
}

/// How likely it is that `remaining` cards are done by the end of `by`.
#[derive(Debug, Clone, PartialEq)]
pub struct Chance {
    pub remaining: u32,
    pub by: NaiveDate,
    pub today: NaiveDate,
    /// `None` when nothing is left, or no day is left to forecast.
    pub forecast: Option<Result<Forecast, Refusal>>,
}

impl Chance {
    /// The share of trials (0 to 1) that finish the cards in time.
    pub fn likelihood(&self) -> Option<f64> {
        match &self.forecast {
            Some(Ok(f)) => Some(f.outcomes.share_at_least(self.remaining)),
            _ => None,
        }
    }
}

/// The chance that `remaining` cards are done by the end of `by` (a
/// sprint's last day), from the days after today.
pub fn chance(
    days: &[(NaiveDate, u32)],
    today: NaiveDate,
    remaining: u32,
    by: NaiveDate,
    settings: Settings,
) -> Chance {
    let forecast =
        (remaining > 0 && by > today).then(|| forecast(days, today, Ask::HowMany(by), settings));
    Chance {
        remaining,
        by,
        today,
        forecast,
    }
}
