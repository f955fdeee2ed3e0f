//! Sprints (Scrum Guide 2020; DOMAIN.md §6): a goal, fixed dates, a capacity,
//! the cards forecast for it, and what its history says about progress.
//!
//! - A sprint runs from `start` to `end`, both calendar days included; the
//!   next one starts the day after (no gap, as the guide says).
//! - **Committed**: the points in the sprint at the end of its first day:
//!   Sprint Planning happens on day one, so cards added that day are the
//!   forecast, and cards added later are scope change (shown as such).
//! - **Remaining** at the end of a day: the points of the sprint's cards that
//!   are not in a done column then; a card moved back out of done counts
//!   again, a re-estimate counts from the moment it was made, a card added or
//!   removed mid-sprint raises or lowers the scope from that moment.
//! - **Ideal line**: from the committed points at the start to zero at the end
//!   of the last day, going down on working days only, so weekends are flat:
//!   `ideal(d) = committed × (1 − working days elapsed / working days)`.
//! - **Velocity**: the points of the cards done when the sprint closed
//!   (partly done work scores nothing). The average is over the last three
//!   closed sprints, with their minimum and maximum beside it.
//! - Cards without points count as zero and are counted separately, so the
//!   screen can say how many are unestimated.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::Serialize;

use super::{CardId, CardSummary, DomainError, Zone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SprintId(pub i64);

/// Planned (being prepared), active (running; one per board), closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SprintState {
    Planned,
    Active,
    Closed,
}

impl SprintState {
    pub fn as_str(self) -> &'static str {
        match self {
            SprintState::Planned => "planned",
            SprintState::Active => "active",
            SprintState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "planned" => SprintState::Planned,
            "active" => SprintState::Active,
            "closed" => SprintState::Closed,
            _ => return None,
        })
    }
}

/// What happened to a card of a sprint when it closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Done when the sprint closed: counts for velocity.
    Done,
    /// Unfinished, back in the product backlog (in no sprint).
    Returned,
    /// Unfinished, carried over into the next sprint.
    Carried,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Returned => "returned",
            Outcome::Carried => "carried",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "done" => Outcome::Done,
            "returned" => Outcome::Returned,
            "carried" => Outcome::Carried,
            _ => return None,
        })
    }
}

pub const DEFAULT_DAYS: u32 = 14;
/// "Fixed length events of one month or less."
pub const MAX_DAYS: u32 = 31;
pub const MAX_GOAL: usize = 200;
pub const MAX_NAME: usize = 60;
pub const MAX_CAPACITY: u32 = 9_999;
/// How many closed sprints the average velocity looks back over.
pub const VELOCITY_WINDOW: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sprint {
    pub id: SprintId,
    pub name: String,
    pub goal: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day (included).
    pub end: NaiveDate,
    pub state: SprintState,
    /// Team capacity in points, if the team set one.
    pub capacity: Option<u32>,
    pub started_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Recorded when the sprint closed: points committed and points done.
    pub committed: Option<u32>,
    pub velocity: Option<u32>,
}

impl Sprint {
    /// Calendar days, both ends included.
    pub fn days(&self) -> u32 {
        u32::try_from((self.end - self.start).num_days() + 1).unwrap_or(0)
    }

    /// Days left after `today` until the end, today included; 0 once over.
    pub fn days_left(&self, today: NaiveDate) -> u32 {
        if today > self.end {
            return 0;
        }
        let from = today.max(self.start);
        u32::try_from((self.end - from).num_days() + 1).unwrap_or(0)
    }

    /// The days of the sprint, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(|d| *d <= self.end)
    }

    pub fn working_days(&self) -> u32 {
        self.dates().filter(|d| !is_weekend(*d)).count() as u32
    }
}

pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A new sprint as typed: checked by [`NewSprint::validated`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSprint {
    pub name: String,
    pub goal: String,
    pub start: NaiveDate,
    pub days: u32,
    pub capacity: Option<u32>,
}

impl NewSprint {
    pub fn validated(self) -> Result<Self, DomainError> {
        Ok(Self {
            name: validate_name(&self.name)?,
            goal: validate_goal(&self.goal)?,
            days: validate_days(self.days)?,
            capacity: self.capacity.map(validate_capacity).transpose()?,
            start: check_start(self.start)?,
        })
    }

    pub fn end(&self) -> NaiveDate {
        self.start + Duration::days(i64::from(self.days.max(1)) - 1)
    }
}

pub fn validate_name(name: &str) -> Result<String, DomainError> {
    let n = super::text::one_line(name);
    if n.is_empty() {
        return Err(DomainError::Invalid("a sprint needs a name".into()));
    }
    if n.chars().count() > MAX_NAME {
        return Err(DomainError::Invalid(format!(
            "a sprint name has at most {MAX_NAME} characters"
        )));
    }
    Ok(n)
}

/// The goal is one sentence; it may be empty while planning, but a sprint
/// does not start without one ("finalized prior to the end of Sprint Planning").
pub fn validate_goal(goal: &str) -> Result<String, DomainError> {
    let g = super::text::one_line(goal);
    if g.chars().count() > MAX_GOAL {
        return Err(DomainError::Invalid(format!(
            "a sprint goal is one sentence of at most {MAX_GOAL} characters"
        )));
    }
    Ok(g)
}

/// The latest first day a sprint may have (its end must stay a date).
pub fn check_start(start: NaiveDate) -> Result<NaiveDate, DomainError> {
    if start.year() > 9_000 {
        return Err(DomainError::Invalid(format!(
            "{start} is too far ahead for a sprint"
        )));
    }
    Ok(start)
}

pub fn validate_days(days: u32) -> Result<u32, DomainError> {
    if days == 0 || days > MAX_DAYS {
        return Err(DomainError::Invalid(format!(
            "a sprint lasts 1 to {MAX_DAYS} days (one month or less), not {days}"
        )));
    }
    Ok(days)
}

pub fn validate_capacity(capacity: u32) -> Result<u32, DomainError> {
    if capacity > MAX_CAPACITY {
        return Err(DomainError::Invalid(format!(
            "capacity is at most {MAX_CAPACITY} points"
        )));
    }
    Ok(capacity)
}

/// A number typed into a dialog; blank is `None`.
pub fn parse_optional_number(text: &str, what: &str, max: u32) -> Result<Option<u32>, DomainError> {
    let t = text.trim();
    if t.is_empty() || t == "-" || t.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => Err(DomainError::Invalid(format!(
            "'{t}' is not a number of {what} (0 to {max}, or blank)"
        ))),
    }
}

/// Checks that a sprint may start: it has a goal.
pub fn check_can_start(sprint: &Sprint) -> Result<(), DomainError> {
    if sprint.state != SprintState::Planned {
        return Err(DomainError::Invalid(format!(
            "{} is {}, not planned",
            sprint.name,
            sprint.state.as_str()
        )));
    }
    if sprint.goal.trim().is_empty() {
        return Err(DomainError::Invalid(format!(
            "{} has no goal yet: the sprint goal is set before the sprint starts",
            sprint.name
        )));
    }
    Ok(())
}

/// Checks that a new sprint may be planned: no other is being planned
/// (`planned` names it if one is).
pub fn check_can_plan(planned: Option<&str>) -> Result<(), DomainError> {
    match planned {
        Some(name) => Err(DomainError::Invalid(format!(
            "{name} is already being planned: plan one sprint at a time"
        ))),
        None => Ok(()),
    }
}

/// Checks that `sprint` may start while `active` (if any) is still the
/// board's active sprint.
pub fn check_start_beside(sprint: &Sprint, active: Option<&str>) -> Result<(), DomainError> {
    check_can_start(sprint)?;
    match active {
        Some(name) => Err(DomainError::Invalid(format!(
            "{name} is still active: close it before starting {}",
            sprint.name
        ))),
        None => Ok(()),
    }
}

/// Checks that `sprint` may still be changed: it is not closed.
pub fn check_open(sprint: &Sprint) -> Result<(), DomainError> {
    if sprint.state == SprintState::Closed {
        return Err(DomainError::Invalid(format!("{} is closed", sprint.name)));
    }
    Ok(())
}

/// Checks an edit of `sprint` that sets its goal to `goal`.
pub fn check_goal_edit(sprint: &Sprint, goal: Option<&str>) -> Result<(), DomainError> {
    if sprint.state == SprintState::Active && goal.is_some_and(str::is_empty) {
        return Err(DomainError::Invalid("an active sprint keeps a goal".into()));
    }
    Ok(())
}

/// Checks that `card` may join a sprint: it is not done (a sprint forecasts
/// work still to do) and in no other open sprint (`other` names it).
pub fn check_can_add(card: CardId, done: bool, other: Option<&str>) -> Result<(), DomainError> {
    if done {
        return Err(DomainError::Invalid(format!(
            "card {card} is done already: a sprint forecasts work still to do"
        )));
    }
    if let Some(name) = other {
        return Err(DomainError::Invalid(format!(
            "card {card} is already in {name}"
        )));
    }
    Ok(())
}

/// Checks a close of `sprint` that carries `carry` into the next one: only
/// the active sprint closes, and only its unfinished cards are carried.
pub fn check_close(
    sprint: &Sprint,
    cards: &[SprintCard],
    carry: &[CardId],
) -> Result<(), DomainError> {
    if sprint.state != SprintState::Active {
        return Err(DomainError::Invalid(format!(
            "{} is {}: only the active sprint can be closed",
            sprint.name,
            sprint.state.as_str()
        )));
    }
    for c in carry {
        if !cards.iter().any(|sc| sc.card.id == *c && !sc.done) {
            return Err(DomainError::Invalid(format!(
                "card {c} is not an unfinished card of {}",
                sprint.name
            )));
        }
    }
    Ok(())
}

/// The sprint the board works in: the active one, or else the one being
/// planned.
pub fn current(sprints: &[Sprint]) -> Option<&Sprint> {
    sprints
        .iter()
        .find(|s| s.state == SprintState::Active)
        .or_else(|| sprints.iter().find(|s| s.state == SprintState::Planned))
}

/// The next sprint's name: `Sprint 7` after `Sprint 6`, else `<name> (next)`,
/// never longer than a name may be.
pub fn next_name(name: &str) -> String {
    let next = counted_up(name);
    if next.chars().count() <= MAX_NAME {
        return next;
    }
    let keep = MAX_NAME - " (next)".len();
    format!(
        "{} (next)",
        name.chars().take(keep).collect::<String>().trim_end()
    )
}

fn counted_up(name: &str) -> String {
    let trimmed = name.trim_end();
    let digits: String = trimmed
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    match digits.parse::<u64>().ok().and_then(|n| n.checked_add(1)) {
        Some(n) => format!("{}{n}", &trimmed[..trimmed.len() - digits.len()]),
        None => format!("{trimmed} (next)"),
    }
}

/// A card of a sprint as the sprint screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SprintCard {
    pub card: CardSummary,
    pub column: String,
    /// The card sits in a done column now.
    pub done: bool,
    /// Set once the sprint closed.
    pub outcome: Option<Outcome>,
    /// Added after the sprint's first day: scope change.
    pub added_late: bool,
}

/// Sum of points; cards without points count as zero.
pub fn points<'a>(cards: impl IntoIterator<Item = &'a CardSummary>) -> u32 {
    cards.into_iter().filter_map(|c| c.points).sum()
}

/// Average velocity over the last closed sprints, with the spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VelocityStats {
    pub mean: f64,
    pub min: u32,
    pub max: u32,
    /// How many sprints the mean is over (up to [`VELOCITY_WINDOW`]).
    pub sprints: usize,
}

/// `closed` in closing order (oldest first); looks at the last `window`.
pub fn velocity_stats(closed: &[Sprint], window: usize) -> Option<VelocityStats> {
    let done: Vec<u32> = closed
        .iter()
        .filter(|s| s.state == SprintState::Closed)
        .filter_map(|s| s.velocity)
        .collect();
    let last = &done[done.len().saturating_sub(window)..];
    if last.is_empty() {
        return None;
    }
    Some(VelocityStats {
        mean: f64::from(last.iter().sum::<u32>()) / last.len() as f64,
        min: last.iter().copied().min().unwrap_or(0),
        max: last.iter().copied().max().unwrap_or(0),
        sprints: last.len(),
    })
}

/// Planning's running totals, and whether the forecast is more than the team
/// can do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanTotals {
    pub committed: u32,
    pub cards: usize,
    pub unestimated: usize,
    pub capacity: Option<u32>,
    pub velocity: Option<VelocityStats>,
    pub over_capacity: bool,
    pub over_velocity: bool,
}

pub fn plan_totals(
    cards: &[SprintCard],
    capacity: Option<u32>,
    velocity: Option<VelocityStats>,
) -> PlanTotals {
    let committed = points(cards.iter().map(|c| &c.card));
    PlanTotals {
        committed,
        cards: cards.len(),
        unestimated: cards.iter().filter(|c| c.card.points.is_none()).count(),
        capacity,
        velocity,
        over_capacity: capacity.is_some_and(|c| committed > c),
        over_velocity: velocity.is_some_and(|v| f64::from(committed) > v.mean),
    }
}

/// What the burndown reads: every event of the cards that were ever in the
/// sprint, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BurnEvent {
    pub card: CardId,
    pub at: DateTime<Utc>,
    pub kind: BurnEventKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BurnEventKind {
    /// The card joined the sprint.
    Planned,
    /// The card left the sprint.
    Unplanned,
    /// The card entered a column; `done` if it is a done column.
    Enter { done: bool },
    /// The card's points changed.
    Estimated { old: Option<u32>, new: Option<u32> },
    /// The card left the board.
    Archived,
    /// The card came back onto the board, into a column (done or not).
    Restored { done: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BurnHistory {
    pub events: Vec<BurnEvent>,
    /// Each card's points now: the value after its last re-estimate.
    pub points_now: HashMap<CardId, Option<u32>>,
}

/// One day of the sprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnDay {
    pub date: NaiveDate,
    pub weekend: bool,
    /// Points not done at the end of the day (at the present moment for
    /// today); `None` for days still to come.
    pub remaining: Option<u32>,
    /// Points in the sprint at the end of the day.
    pub scope: Option<u32>,
    pub done: Option<u32>,
    /// The ideal line at the end of the day.
    pub ideal: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Burndown {
    /// Points in the sprint at the end of its first day (the forecast).
    pub committed: u32,
    /// The last known values (today's, or the last day's once over).
    pub scope: u32,
    pub done: u32,
    pub remaining: u32,
    pub days: Vec<BurnDay>,
}

#[derive(Debug, Clone, Copy, Default)]
struct CardAt {
    in_sprint: bool,
    done: bool,
    archived: bool,
    points: Option<u32>,
}

/// Points in scope, done and remaining, for the cards as they are.
fn totals(cards: &HashMap<CardId, CardAt>) -> (u32, u32, u32) {
    let (mut scope, mut done) = (0, 0);
    for c in cards.values() {
        // A card archived unfinished left the sprint with the board.
        if !c.in_sprint || c.archived && !c.done {
            continue;
        }
        let p = c.points.unwrap_or(0);
        scope += p;
        if c.done {
            done += p;
        }
    }
    (scope, done, scope - done)
}

impl CardAt {
    fn apply(&mut self, kind: BurnEventKind) {
        match kind {
            BurnEventKind::Planned => self.in_sprint = true,
            BurnEventKind::Unplanned => self.in_sprint = false,
            BurnEventKind::Enter { done } => self.done = done,
            BurnEventKind::Estimated { new, .. } => self.points = new,
            BurnEventKind::Archived => self.archived = true,
            BurnEventKind::Restored { done } => {
                self.archived = false;
                self.done = done;
            }
        }
    }
}

/// Replays the history day by day over the sprint, as of `now`. A closed
/// sprint is read as it stood when it closed.
pub fn burndown(
    sprint: &Sprint,
    history: &BurnHistory,
    now: DateTime<Utc>,
    zone: &dyn Zone,
) -> Burndown {
    // Before its first re-estimate a card had the points that re-estimate
    // replaced; without one it always had today's.
    let mut cards: HashMap<CardId, CardAt> = HashMap::new();
    for (id, p) in &history.points_now {
        cards.entry(*id).or_default().points = *p;
    }
    let mut seen = std::collections::HashSet::new();
    for e in &history.events {
        if let BurnEventKind::Estimated { old, .. } = e.kind
            && seen.insert(e.card)
        {
            cards.entry(e.card).or_default().points = old;
        }
    }

    let until = sprint.closed_at.unwrap_or(now).min(now);
    let last_day = zone.day_of(until);
    let mut events = history.events.iter().peekable();
    // Scope, done and remaining at the end of each day that has begun.
    let mut snapshots: Vec<Option<(u32, u32, u32)>> = Vec::with_capacity(sprint.days() as usize);
    for date in sprint.dates() {
        if date > last_day {
            snapshots.push(None);
            continue;
        }
        let cutoff = if date == last_day {
            until
        } else {
            zone.midnight(date + Duration::days(1))
        };
        while let Some(e) = events.next_if(|e| e.at < cutoff || date == last_day && e.at == cutoff)
        {
            cards.entry(e.card).or_default().apply(e.kind);
        }
        snapshots.push(Some(totals(&cards)));
    }
    // What stands now, or when the sprint closed: also before its first day
    // (what is planned so far) and after its last (what closing counted).
    while let Some(e) = events.next_if(|e| e.at <= until) {
        cards.entry(e.card).or_default().apply(e.kind);
    }
    let current = totals(&cards);
    let committed = snapshots.first().copied().flatten().unwrap_or(current).0;
    let working = sprint.working_days().max(1);
    let mut worked = 0u32;
    let days = sprint
        .dates()
        .zip(snapshots)
        .map(|(date, snap)| {
            let weekend = is_weekend(date);
            if !weekend {
                worked += 1;
            }
            let ideal = f64::from(committed) * (1.0 - f64::from(worked) / f64::from(working));
            BurnDay {
                date,
                weekend,
                remaining: snap.map(|s| s.2),
                scope: snap.map(|s| s.0),
                done: snap.map(|s| s.1),
                ideal: (ideal * 100.0).round() / 100.0,
            }
        })
        .collect();
    let (scope, done, remaining) = current;
    Burndown {
        committed,
        scope,
        done,
        remaining,
        days,
    }
}

#[cfg(test)]
mod tests;
