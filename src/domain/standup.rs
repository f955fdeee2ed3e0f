//! The daily standup (Daily Scrum, Scrum Guide 2020; DOMAIN.md §6): a
//! timeboxed meeting that inspects progress toward the goal.
//!
//! Two formats, chosen per board:
//! - **Walk the board** (the Kanban way): the cards in active and waiting
//!   columns from right to left, so the team talks about finishing work first;
//!   within a column blocked cards come first, then the oldest work.
//! - **Round robin**: each person in turn, with optional yesterday / today /
//!   blockers notes (the 2020 guide removed the three questions; they are an
//!   aid here, never required).
//!
//! The timer is pure: it is given the time, never reads a clock.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::sprint::SprintId;
use super::{CardId, CardSummary, DomainError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StandupId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StandupFormat {
    #[default]
    WalkTheBoard,
    RoundRobin,
}

impl StandupFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            StandupFormat::WalkTheBoard => "walk-the-board",
            StandupFormat::RoundRobin => "round-robin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StandupFormat::WalkTheBoard => "walk the board",
            StandupFormat::RoundRobin => "round robin",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-")
            .as_str()
        {
            "walk-the-board" | "walk" => Ok(StandupFormat::WalkTheBoard),
            "round-robin" | "round" => Ok(StandupFormat::RoundRobin),
            other => Err(DomainError::Invalid(format!(
                "unknown standup format '{other}' (expected walk-the-board or round-robin)"
            ))),
        }
    }

    pub fn toggled(self) -> Self {
        match self {
            StandupFormat::WalkTheBoard => StandupFormat::RoundRobin,
            StandupFormat::RoundRobin => StandupFormat::WalkTheBoard,
        }
    }
}

pub const DEFAULT_MINUTES: u32 = 15;
pub const MAX_MINUTES: u32 = 120;
pub const MAX_TURN_SECONDS: u32 = 3_600;
/// The longest duration a timebox dialog takes: a day.
const MAX_DURATION: u32 = 86_400;
/// The card tag that marks an action item from a retro or mortem.
pub const ACTION_TAG: &str = "action";
/// The tag on a card raised as an impediment during standup.
pub const IMPEDIMENT_TAG: &str = "impediment";
pub const MAX_NOTE: usize = 2_000;
pub const MAX_TOPIC: usize = 200;

/// A board's standup settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StandupSettings {
    pub format: StandupFormat,
    /// The whole standup's timebox.
    pub minutes: u32,
    /// Each turn's timebox (a person, or a card when walking the board).
    pub turn_seconds: Option<u32>,
}

impl Default for StandupSettings {
    fn default() -> Self {
        Self {
            format: StandupFormat::WalkTheBoard,
            minutes: DEFAULT_MINUTES,
            turn_seconds: None,
        }
    }
}

impl StandupSettings {
    pub fn validated(self) -> Result<Self, DomainError> {
        if self.minutes == 0 || self.minutes > MAX_MINUTES {
            return Err(DomainError::Invalid(format!(
                "the standup timebox is 1 to {MAX_MINUTES} minutes"
            )));
        }
        if let Some(s) = self.turn_seconds
            && !(10..=MAX_TURN_SECONDS).contains(&s)
        {
            return Err(DomainError::Invalid(format!(
                "a turn's timebox is 10 to {MAX_TURN_SECONDS} seconds (or none)"
            )));
        }
        Ok(self)
    }
}

/// Parses a timebox typed as `90s`, `2m`, `1:30` or a number of minutes.
pub fn parse_duration(text: &str) -> Result<Option<u32>, DomainError> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() || t == "none" || t == "-" || t == "off" {
        return Ok(None);
    }
    let bad = || {
        DomainError::Invalid(format!(
            "'{}' is not a duration (e.g. 15, 15m, 90s or 1:30)",
            text.trim()
        ))
    };
    let seconds = if let Some((m, s)) = t.split_once(':') {
        let m: u32 = m.trim().parse().map_err(|_| bad())?;
        let s: u32 = s.trim().parse().map_err(|_| bad())?;
        if s >= 60 {
            return Err(bad());
        }
        m.checked_mul(60).and_then(|m| m.checked_add(s))
    } else if let Some(s) = t.strip_suffix('s') {
        Some(s.trim().parse::<u32>().map_err(|_| bad())?)
    } else {
        let m = t.strip_suffix("min").or(t.strip_suffix('m')).unwrap_or(&t);
        m.trim().parse::<u32>().map_err(|_| bad())?.checked_mul(60)
    };
    match seconds {
        Some(s) if s <= MAX_DURATION => Ok(Some(s)),
        _ => Err(DomainError::Invalid(format!(
            "'{}' is longer than a day",
            text.trim()
        ))),
    }
}

/// `12:05`, or `-0:45` once over time.
pub fn clock_text(d: Duration) -> String {
    let secs = d.num_seconds();
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    format!("{sign}{}:{:02}", s / 60, s % 60)
}

/// How close a timer is to its end: what its colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimerPhase {
    Plenty,
    /// The last fifth of the timebox.
    Near,
    Over,
}

/// A timebox that can be started, paused and restarted. Elapsed time
/// accumulates over the running spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timer {
    pub limit: Duration,
    elapsed: Duration,
    since: Option<DateTime<Utc>>,
}

impl Timer {
    pub fn new(limit: Duration) -> Self {
        Self {
            limit,
            elapsed: Duration::zero(),
            since: None,
        }
    }

    /// A paused timer that has already run for `elapsed`.
    pub fn resumed(limit: Duration, elapsed: Duration) -> Self {
        Self {
            limit,
            elapsed,
            since: None,
        }
    }

    /// A timer that ran for `elapsed` before `since`, and runs from then
    /// on if `since` is set: the same reading wherever it is rebuilt.
    pub fn shared(limit: Duration, elapsed: Duration, since: Option<DateTime<Utc>>) -> Self {
        Self {
            limit,
            elapsed,
            since,
        }
    }

    pub fn running(&self) -> bool {
        self.since.is_some()
    }

    pub fn start(&mut self, now: DateTime<Utc>) {
        if self.since.is_none() {
            self.since = Some(now);
        }
    }

    pub fn pause(&mut self, now: DateTime<Utc>) {
        if let Some(since) = self.since.take() {
            self.elapsed += (now - since).max(Duration::zero());
        }
    }

    /// Back to zero; keeps running if it was.
    pub fn restart(&mut self, now: DateTime<Utc>) {
        self.elapsed = Duration::zero();
        if self.since.is_some() {
            self.since = Some(now);
        }
    }

    pub fn elapsed(&self, now: DateTime<Utc>) -> Duration {
        let running = self
            .since
            .map_or(Duration::zero(), |s| (now - s).max(Duration::zero()));
        (self.elapsed + running).max(Duration::zero())
    }

    /// Negative once over time.
    pub fn remaining(&self, now: DateTime<Utc>) -> Duration {
        self.limit - self.elapsed(now)
    }

    pub fn phase(&self, now: DateTime<Utc>) -> TimerPhase {
        let left = self.remaining(now);
        if left <= Duration::zero() && self.limit > Duration::zero() {
            TimerPhase::Over
        } else if left * 5 <= self.limit {
            TimerPhase::Near
        } else {
            TimerPhase::Plenty
        }
    }
}

/// A card to talk about when walking the board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkCard {
    pub card: CardSummary,
    pub column: String,
    /// The column's place on the board, left to right.
    pub column_index: usize,
    /// When it first entered an active column (its age starts there).
    pub started: Option<DateTime<Utc>>,
    pub blocked_reason: Option<String>,
}

impl WalkCard {
    pub fn age_days(&self, now: DateTime<Utc>) -> Option<f64> {
        self.started
            .map(|s| (now - s).num_minutes().max(0) as f64 / 1440.0)
    }
}

/// The walk: columns right to left; in each, blocked cards first, then the
/// oldest work, then cards not started (in their board order).
pub fn walk_order(mut cards: Vec<WalkCard>) -> Vec<WalkCard> {
    cards.sort_by(|a, b| {
        b.column_index
            .cmp(&a.column_index)
            .then(b.card.blocked.cmp(&a.card.blocked))
            .then(match (a.started, b.started) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
    });
    cards
}

/// Whose turn it is in a walk: the card being walked, wherever the walk
/// now puts it; when it has left the walk (finished, say), the card now at
/// its place (the next one), or the last.
pub fn walk_turn(walk: &[WalkCard], card: Option<CardId>, turn: usize) -> usize {
    card.and_then(|c| walk.iter().position(|w| w.card.id == c))
        .unwrap_or(turn)
        .min(walk.len().saturating_sub(1))
}

/// A deterministic shuffle (Fisher–Yates over xorshift), so the same seed
/// gives the same order and tests can check it.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..items.len()).rev() {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        items.swap(i, (r % (i as u64 + 1)) as usize);
    }
}

/// An open action item from a retro or mortem: a live card tagged `action`
/// that is not done yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionItem {
    pub card: CardId,
    pub title: String,
    pub assignee: Option<String>,
    pub column: String,
    pub created: DateTime<Utc>,
}

impl ActionItem {
    /// Whole days since it was created.
    pub fn days_open(&self, now: DateTime<Utc>) -> i64 {
        (now - self.created).num_days().max(0)
    }
}

/// One person's notes in a round-robin standup.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct SpeakerNotes {
    pub name: String,
    pub yesterday: String,
    pub today: String,
    pub blockers: String,
}

impl SpeakerNotes {
    pub fn is_empty(&self) -> bool {
        self.yesterday.trim().is_empty()
            && self.today.trim().is_empty()
            && self.blockers.trim().is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Something in the way, raised as a blocked card or a new card.
    Impediment,
    /// A topic for after the standup.
    Parking,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Impediment => "impediment",
            ItemKind::Parking => "parking",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "impediment" => Some(ItemKind::Impediment),
            "parking" => Some(ItemKind::Parking),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandupItem {
    pub kind: ItemKind,
    pub text: String,
    pub card: Option<CardId>,
}

/// A standup as the board keeps it: when, who, and what came of it; and
/// while it runs, its one shared state (the timer, whose turn, the format),
/// the same on every terminal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standup {
    pub id: StandupId,
    pub date: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// How long the timer ran before `running_since` (milliseconds); once
    /// ended, how long the standup took.
    pub elapsed_ms: u64,
    /// Since when the timer runs: `None` while paused, and once ended.
    pub running_since: Option<DateTime<Utc>>,
    /// The format it runs in (once ended, the one it ended in).
    pub format: StandupFormat,
    /// Who starts, pauses and ends it.
    pub facilitator: String,
    pub sprint: Option<SprintId>,
    /// In speaking order.
    pub attendees: Vec<String>,
    pub notes: Vec<SpeakerNotes>,
    pub items: Vec<StandupItem>,
    /// Whose turn: a place in `attendees` (round robin) or in the walk
    /// (walk the board), from 0.
    pub turn: u32,
    /// The card being walked, as of the last step (see [`walk_turn`]).
    pub walk_card: Option<CardId>,
    /// The timer's reading when the turn began (milliseconds).
    pub turn_began_ms: u64,
    /// Changes of turn, format and order so far: a change names the step
    /// it moves from, so two made at once from one step count once.
    pub step: u32,
}

fn millis(ms: u64) -> Duration {
    Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX))
}

impl Standup {
    pub fn ended(&self) -> bool {
        self.ended_at.is_some()
    }

    pub fn running(&self) -> bool {
        self.running_since.is_some() && !self.ended()
    }

    pub fn is_facilitator(&self, who: &str) -> bool {
        self.facilitator == who
    }

    /// The whole standup's timer, as it reads on any terminal.
    pub fn timer(&self, limit: Duration) -> Timer {
        let since = self.running_since.filter(|_| !self.ended());
        Timer::shared(limit, millis(self.elapsed_ms), since)
    }

    /// The turn's timer: the standup's, counted from the turn's start
    /// (which, while it runs, may lie after the standup's last start).
    pub fn turn_timer(&self, limit: Duration) -> Timer {
        let since = self.running_since.filter(|_| !self.ended());
        let run = millis(self.elapsed_ms) - millis(self.turn_began_ms);
        Timer::shared(limit, run, since)
    }

    /// How long the timer has run, in whole seconds, as of `now`.
    pub fn seconds_at(&self, now: DateTime<Utc>) -> u32 {
        let secs = self.timer(Duration::zero()).elapsed(now).num_seconds();
        u32::try_from(secs.max(0)).unwrap_or(u32::MAX)
    }

    /// How long it ran as saved (what it took, once ended), in seconds.
    pub fn elapsed_seconds(&self) -> u32 {
        u32::try_from(self.elapsed_ms / 1000).unwrap_or(u32::MAX)
    }

    pub fn items_of(&self, kind: ItemKind) -> impl Iterator<Item = &StandupItem> {
        self.items.iter().filter(move |i| i.kind == kind)
    }

    pub fn notes_of(&self, name: &str) -> Option<&SpeakerNotes> {
        self.notes.iter().find(|n| n.name == name)
    }
}

/// What a new standup starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStandup {
    pub format: StandupFormat,
    pub sprint: Option<SprintId>,
    pub attendees: Vec<String>,
}

/// A parking-lot topic or a note as typed.
pub fn validate_text(text: &str, what: &str, max: usize) -> Result<String, DomainError> {
    let t = super::text::one_line(text);
    if t.is_empty() {
        return Err(DomainError::Invalid(format!("the {what} is empty")));
    }
    if t.chars().count() > max {
        return Err(DomainError::Invalid(format!(
            "the {what} has at most {max} characters"
        )));
    }
    Ok(t.to_string())
}

/// A person's name as typed for the attendee list.
pub fn validate_person(name: &str) -> Result<String, DomainError> {
    super::card::normalize_assignee(name).ok_or_else(|| DomainError::Invalid("type a name".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ColumnId;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap() + Duration::seconds(min)
    }

    #[test]
    fn timer_runs_pauses_and_goes_over() {
        let mut timer = Timer::new(Duration::minutes(15));
        assert_eq!(timer.remaining(t(0)), Duration::minutes(15));
        timer.start(t(0));
        assert_eq!(timer.remaining(t(60)), Duration::minutes(14));
        timer.pause(t(60));
        assert_eq!(timer.remaining(t(600)), Duration::minutes(14), "paused");
        timer.start(t(600));
        assert_eq!(timer.elapsed(t(660)), Duration::minutes(2));
        assert_eq!(timer.phase(t(600 + 600)), TimerPhase::Plenty);
        // 12 minutes in: the last fifth.
        assert_eq!(timer.phase(t(600 + 660)), TimerPhase::Near);
        assert_eq!(timer.phase(t(600 + 840)), TimerPhase::Over);
        assert_eq!(clock_text(timer.remaining(t(600 + 885))), "-0:45");
        timer.restart(t(2000));
        assert!(timer.running());
        assert_eq!(timer.elapsed(t(2010)), Duration::seconds(10));
    }

    #[test]
    fn durations_parse_in_several_forms() {
        assert_eq!(parse_duration("15"), Ok(Some(900)));
        assert_eq!(parse_duration("2m"), Ok(Some(120)));
        assert_eq!(parse_duration("90s"), Ok(Some(90)));
        assert_eq!(parse_duration("1:30"), Ok(Some(90)));
        assert_eq!(parse_duration(" none "), Ok(None));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1:75").is_err());
        assert!(parse_duration("99999999:00").is_err(), "no overflow");
        assert!(parse_duration("4294967295m").is_err());
        assert_eq!(clock_text(Duration::seconds(725)), "12:05");
    }

    #[test]
    fn settings_are_checked() {
        let s = StandupSettings::default();
        assert_eq!(s.minutes, 15);
        assert!(s.validated().is_ok());
        let bad = StandupSettings { minutes: 0, ..s };
        assert!(bad.validated().is_err());
        let bad = StandupSettings {
            turn_seconds: Some(5),
            ..s
        };
        assert!(bad.validated().is_err());
    }

    fn wc(id: i64, column_index: usize, blocked: bool, started: Option<i64>) -> WalkCard {
        WalkCard {
            card: CardSummary {
                id: CardId(id),
                column: ColumnId(column_index as i64),
                title: format!("#{id}"),
                assignee: None,
                tags: Vec::new(),
                points: None,
                blocked,
            },
            column: format!("col {column_index}"),
            column_index,
            started: started.map(|d| t(0) - Duration::days(d)),
            blocked_reason: None,
        }
    }

    #[test]
    fn the_walk_goes_right_to_left_blocked_then_oldest_first() {
        let cards = vec![
            wc(1, 2, false, Some(1)),
            wc(2, 3, false, Some(2)),
            wc(3, 2, false, Some(9)),
            wc(4, 2, true, Some(1)),
            wc(5, 1, false, None),
            wc(6, 3, false, Some(5)),
        ];
        let order: Vec<i64> = walk_order(cards).iter().map(|c| c.card.id.0).collect();
        assert_eq!(order, vec![6, 2, 4, 3, 1, 5]);
    }

    #[test]
    fn shuffle_is_a_permutation_and_repeatable() {
        let mut a: Vec<u32> = (0..10).collect();
        let mut b = a.clone();
        shuffle(&mut a, 42);
        shuffle(&mut b, 42);
        assert_eq!(a, b);
        assert_ne!(a, (0..10).collect::<Vec<_>>());
        let mut sorted = a.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn formats_parse() {
        assert_eq!(
            StandupFormat::parse("Round robin"),
            Ok(StandupFormat::RoundRobin)
        );
        assert_eq!(
            StandupFormat::parse("walk"),
            Ok(StandupFormat::WalkTheBoard)
        );
        assert!(StandupFormat::parse("3 questions").is_err());
    }
}
