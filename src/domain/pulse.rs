//! The psychological-safety pulse (DOMAIN.md §1.1 and §1.3): a short
//! anonymous survey, run again and again so a team sees its trend.
//!
//! - The instrument is data: Edmondson's seven items ship in
//!   `assets/pulse/edmondson.toml`; a team may add its own (1-5 or 1-7, with
//!   an optional free-text question) as TOML in the config folder.
//! - Scoring: reverse-scored items become `(min + max) − x`; a respondent's
//!   score is the mean of their items; the team score is the mean of the
//!   respondents' scores, on the instrument's scale.
//! - Anonymity: who responded is kept apart from what was answered; answers
//!   carry no identity and no time finer than the pulse; results show only
//!   once the pulse is closed and only with at least its threshold of
//!   responses (5 by default, never fewer than 3); free text has its own
//!   threshold, is shuffled, and never shown beside the scores it came with.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PulseId(pub i64);

/// No pulse shows results with fewer responses than this.
pub const HARD_FLOOR: u32 = 3;
pub const DEFAULT_MIN_RESPONSES: u32 = 5;
pub const DEFAULT_MIN_COMMENTS: u32 = 5;
pub const MAX_COMMENT: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulseItem {
    pub text: String,
    #[serde(default)]
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub source: String,
    /// The highest answer: 5 or 7 (the lowest is 1).
    pub scale: u32,
    /// One label per answer, from 1 up.
    #[serde(default)]
    pub labels: Vec<String>,
    pub items: Vec<PulseItem>,
    /// An optional free-text question, asked last.
    #[serde(default)]
    pub free_text: Option<String>,
}

const EDMONDSON: &str = include_str!("../../assets/pulse/edmondson.toml");

const LABELS_5: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];
const LABELS_7: [&str; 7] = [
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither agree nor disagree",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
];

impl Instrument {
    /// Reads an instrument file; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, DomainError> {
        let mut i: Instrument = toml::from_str(text)
            .map_err(|e| DomainError::Invalid(format!("{origin}: {}", e.message())))?;
        let bad = |what: &str| Err(DomainError::Invalid(format!("{origin}: {what}")));
        if i.id.is_empty()
            || !i
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return bad("the id is lower-case letters, digits and dashes");
        }
        if i.scale != 5 && i.scale != 7 {
            return bad("the scale is 5 or 7");
        }
        if i.items.is_empty() || i.items.len() > 20 {
            return bad("a pulse has 1 to 20 items");
        }
        if i.items.iter().any(|it| it.text.trim().is_empty()) {
            return bad("every item needs its text");
        }
        if i.labels.is_empty() {
            i.labels = match i.scale {
                5 => LABELS_5.iter().map(|s| s.to_string()).collect(),
                _ => LABELS_7.iter().map(|s| s.to_string()).collect(),
            };
        }
        if i.labels.len() != i.scale as usize {
            return bad("give one label per answer, or none");
        }
        Ok(i)
    }

    /// Edmondson's seven-item scale, as shipped.
    pub fn edmondson() -> Result<Self, DomainError> {
        Self::parse(EDMONDSON, "edmondson.toml")
    }

    /// The built-in instrument and the team's own (`extra`: file name and
    /// text); problems with a file are reported, not fatal.
    pub fn all(extra: &[(String, String)]) -> (Vec<Instrument>, Vec<String>) {
        let mut all: Vec<Instrument> = Self::edmondson().into_iter().collect();
        let mut problems = Vec::new();
        for (origin, text) in extra {
            match Self::parse(text, origin) {
                // The published scale keeps its wording under its name.
                Ok(i) if i.id == "edmondson" => problems.push(format!(
                    "{origin}: the id edmondson is the published scale's; give yours another"
                )),
                Ok(i) => match all.iter_mut().find(|b| b.id == i.id) {
                    Some(b) => *b = i,
                    None => all.push(i),
                },
                Err(e) => problems.push(e.to_string()),
            }
        }
        (all, problems)
    }

    /// An answer after reversal: what counts towards the score.
    pub fn scored(&self, item: usize, answer: u32) -> u32 {
        match self.items.get(item) {
            Some(i) if i.reverse => (self.scale + 1).saturating_sub(answer),
            _ => answer,
        }
    }

    /// A stored instrument as it should be: a known scale, items, labels.
    /// One that is not (a file edited by hand) keeps its name and loses its
    /// items, so nothing can be answered or scored against it.
    pub fn checked(mut self) -> Self {
        if (self.scale != 5 && self.scale != 7) || self.labels.len() != self.scale as usize {
            self.items.clear();
            self.scale = 7;
        }
        self
    }

    /// Checks one person's answers: one per item, each on the scale.
    pub fn check(&self, answers: &[u32]) -> Result<(), DomainError> {
        if self.items.is_empty() {
            return Err(DomainError::Invalid(
                "this pulse has no readable questions".into(),
            ));
        }
        if answers.len() != self.items.len() {
            return Err(DomainError::Invalid(format!(
                "answer all {} items",
                self.items.len()
            )));
        }
        if let Some(a) = answers.iter().find(|a| **a == 0 || **a > self.scale) {
            return Err(DomainError::Invalid(format!(
                "{a} is not on the scale of 1 to {}",
                self.scale
            )));
        }
        Ok(())
    }

    /// A respondent's score: the mean of their answers after reversal.
    pub fn person_score(&self, answers: &[u32]) -> f64 {
        let n = answers.len().max(1) as f64;
        answers
            .iter()
            .enumerate()
            .map(|(i, a)| f64::from(self.scored(i, *a)))
            .sum::<f64>()
            / n
    }
}

/// A pulse as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pulse {
    pub id: PulseId,
    pub title: String,
    pub instrument: Instrument,
    pub opened_by: String,
    pub opened: NaiveDate,
    /// It closes after this day, unless closed by hand before…
    pub closes: Option<NaiveDate>,
    /// …at this instant (midnight after it, where it was opened): the same
    /// for every terminal, whatever its time zone.
    pub closes_at: Option<DateTime<Utc>>,
    /// The day it was closed by hand.
    pub closed: Option<NaiveDate>,
    pub min_responses: u32,
    pub min_comments: u32,
    pub responses: u32,
}

impl Pulse {
    /// No answer is taken any more: closed by hand, or its last day is over
    /// by this clock.
    pub fn is_closed(&self, now: DateTime<Utc>) -> bool {
        self.closed.is_some() || self.is_due(now)
    }

    /// Its last day is over by this clock, and the close is not recorded yet.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.closed.is_none() && self.closes_at.is_some_and(|t| now >= t)
    }

    /// Why the results may not be shown yet, if they may not. They show only
    /// once the close is recorded in the database, the same for everyone:
    /// never because one terminal's clock says the pulse is over (the first
    /// teamloop that can write records a close by date).
    pub fn results_refused(&self, now: DateTime<Utc>) -> Option<String> {
        if self.instrument.items.is_empty() {
            return Some(format!("\"{}\" has no readable questions", self.title));
        }
        if self.is_due(now) {
            return Some(format!(
                "\"{}\" is closing: its results show once its close is recorded (any teamloop that can write the board does that)",
                self.title
            ));
        }
        if self.closed.is_none() {
            return Some(format!(
                "\"{}\" is still open ({} response{} so far): results show once it is closed, never while answers arrive",
                self.title,
                self.responses,
                if self.responses == 1 { "" } else { "s" }
            ));
        }
        (self.responses < self.min_responses).then(|| {
            format!(
                "{} response{}, below this pulse's threshold of {}: no results are shown, so no one's answers can be told",
                self.responses,
                if self.responses == 1 { "" } else { "s" },
                self.min_responses
            )
        })
    }
}

/// Checks a threshold as typed: at least the hard floor of three.
pub fn check_threshold(n: u32) -> Result<u32, DomainError> {
    if n < HARD_FLOOR {
        return Err(DomainError::Invalid(format!(
            "the threshold is at least {HARD_FLOOR} responses: with fewer, one person's answers could be told"
        )));
    }
    if n > 1_000 {
        return Err(DomainError::Invalid("the threshold is at most 1000".into()));
    }
    Ok(n)
}

/// Checks the last day a new pulse is given, on `today`: not one already
/// past.
pub fn check_closes(closes: Option<NaiveDate>, today: NaiveDate) -> Result<(), DomainError> {
    match closes {
        Some(c) if c < today => Err(DomainError::Invalid(format!("{c} is already past"))),
        _ => Ok(()),
    }
}

/// Checks that `pulse` still takes answers (and a facilitator) at `now`.
pub fn check_not_closed(pulse: &Pulse, now: DateTime<Utc>) -> Result<(), DomainError> {
    if pulse.is_closed(now) {
        return Err(DomainError::Invalid(format!(
            "\"{}\" is closed",
            pulse.title
        )));
    }
    Ok(())
}

/// Checks one response to `pulse` at `now`: it takes answers, the answers
/// fit its instrument, and a free-text answer comes only where it asks
/// one. The free-text answer as kept (none when blank).
pub fn check_response(
    pulse: &Pulse,
    now: DateTime<Utc>,
    answers: &[u32],
    comment: Option<&str>,
) -> Result<Option<String>, DomainError> {
    check_not_closed(pulse, now)?;
    pulse.instrument.check(answers)?;
    let comment = comment.map(validate_comment).transpose()?.flatten();
    if comment.is_some() && pulse.instrument.free_text.is_none() {
        return Err(DomainError::Invalid(
            "this pulse asks no free-text question".into(),
        ));
    }
    Ok(comment)
}

/// Checks that someone responds to `pulse` once: `again` when their token
/// is among its respondents' already.
pub fn check_first_response(pulse: &Pulse, again: bool) -> Result<(), DomainError> {
    if again {
        return Err(DomainError::Invalid(format!(
            "you have responded to \"{}\" already: once each",
            pulse.title
        )));
    }
    Ok(())
}

/// Checks a close of `pulse` by hand by `actor` at `now`: only whoever
/// opened it closes it, and only while it is open.
pub fn check_close(pulse: &Pulse, now: DateTime<Utc>, actor: &str) -> Result<(), DomainError> {
    if pulse.opened_by != actor {
        return Err(DomainError::Invalid(format!(
            "only whoever opened it ({}) closes a pulse by hand",
            pulse.opened_by
        )));
    }
    if pulse.is_closed(now) {
        return Err(DomainError::Invalid(format!(
            "\"{}\" is closed already",
            pulse.title
        )));
    }
    Ok(())
}

/// Checks that the results of `pulse` may show at `now`: once its close is
/// recorded, with readable questions (see [`Pulse::results_refused`]).
pub fn check_results_shown(pulse: &Pulse, now: DateTime<Utc>) -> Result<(), DomainError> {
    match pulse.results_refused(now) {
        Some(why) => Err(DomainError::Invalid(why)),
        None => Ok(()),
    }
}

/// Checks scored results against the pulse's threshold: answers off the
/// scale are left out of them, so the threshold holds for the ones that
/// count.
pub fn check_usable(results: &PulseResults, min_responses: u32) -> Result<(), DomainError> {
    if results.responses < min_responses {
        return Err(DomainError::Invalid(format!(
            "{} usable responses, below this pulse's threshold of {}: no results are shown, so no one's answers can be told",
            results.responses, min_responses
        )));
    }
    Ok(())
}

/// Answers per point of the scale (index 0 is answer 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distribution(pub Vec<u32>);

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    pub text: String,
    pub reverse: bool,
    /// Mean of the raw answers (as people gave them).
    pub mean: f64,
    /// Mean after reversal (what counts towards the score).
    pub scored_mean: f64,
    pub distribution: Distribution,
}

/// A closed pulse's results, shown only at or above its threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PulseResults {
    pub responses: u32,
    pub scale: u32,
    /// The team score: the mean of the respondents' scores.
    pub score: f64,
    /// Respondents' scores, rounded to the nearest point of the scale.
    pub distribution: Distribution,
    pub items: Vec<ItemResult>,
    /// Free-text answers, shuffled; empty below their own threshold.
    pub comments: Vec<String>,
    /// How many free-text answers there were (shown even when they are not).
    pub comment_count: u32,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Scores the submissions (each one person's answers, in item order).
pub fn results(
    instrument: &Instrument,
    submissions: &[Vec<u32>],
    mut comments: Vec<String>,
    min_comments: u32,
    shuffle_seed: u64,
) -> PulseResults {
    let scale = instrument.scale.max(1);
    // Only whole responses on the scale count (a file edited by hand may hold others).
    let submissions: Vec<&Vec<u32>> = submissions
        .iter()
        .filter(|s| instrument.check(s).is_ok())
        .collect();
    let n = submissions.len();
    let mut distribution = vec![0u32; scale as usize];
    let mut total = 0.0;
    for s in &submissions {
        let score = instrument.person_score(s);
        total += score;
        let bucket = (score.round() as usize).clamp(1, scale as usize) - 1;
        distribution[bucket] += 1;
    }
    let items = instrument
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut d = vec![0u32; scale as usize];
            let (mut raw, mut scored) = (0u32, 0u32);
            for s in &submissions {
                if let Some(&a) = s.get(i) {
                    raw += a;
                    scored += instrument.scored(i, a);
                    if let Some(slot) = (a as usize).checked_sub(1).and_then(|k| d.get_mut(k)) {
                        *slot += 1;
                    }
                }
            }
            let m = n.max(1) as f64;
            ItemResult {
                text: item.text.clone(),
                reverse: item.reverse,
                mean: round2(f64::from(raw) / m),
                scored_mean: round2(f64::from(scored) / m),
                distribution: Distribution(d),
            }
        })
        .collect();
    let comment_count = comments.len() as u32;
    if comment_count < min_comments {
        comments.clear();
    }
    super::standup::shuffle(&mut comments, shuffle_seed);
    PulseResults {
        responses: n as u32,
        scale,
        score: round2(total / n.max(1) as f64),
        distribution: Distribution(distribution),
        items,
        comments,
        comment_count,
    }
}

/// One point of the trend: a closed pulse and its score, if it may show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    pub pulse: PulseId,
    pub title: String,
    pub opened: NaiveDate,
    pub responses: u32,
    /// `None` below the pulse's threshold.
    pub score: Option<f64>,
    pub scale: u32,
}

pub fn validate_title(title: &str) -> Result<String, DomainError> {
    super::text::one_line_within(title, "a pulse title", 100)
}

pub fn validate_comment(text: &str) -> Result<Option<String>, DomainError> {
    let t = super::text::lines(text);
    let t = t.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > MAX_COMMENT {
        return Err(DomainError::Invalid(format!(
            "the answer has at most {MAX_COMMENT} characters"
        )));
    }
    Ok(Some(t.to_string()))
}

#[cfg(test)]
mod tests;
