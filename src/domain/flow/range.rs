//! Which days a flow report covers, and which history it can come from.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::FlowHistory;
use crate::domain::{ColumnId, Zone};

/// What a history of only some cards knows of the others: every card
/// without an event since `from` (and not blocked, not active) stayed
/// where it is now for the whole of any range from `from` on, so it adds
/// the same count to its column on every day. A report from such a history
/// is the whole history's for every range that starts at `from` or later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub from: DateTime<Utc>,
    /// The instants of the board's first day of events: where "all
    /// history" and a range starting before it begin.
    pub first_day: Vec<DateTime<Utc>>,
    /// Every card of the board counted in each column now (live, or
    /// archived from a done column, which keeps it).
    pub counted: HashMap<ColumnId, u32>,
}

impl FlowHistory {
    /// Whether a report over `range` can come from this history.
    pub fn covers(&self, range: FlowRange, now: DateTime<Utc>, zone: &dyn Zone) -> bool {
        match (&self.part, range_start(range, now, zone)) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(p), Some(start)) => start >= p.from,
        }
    }
}

/// The earliest moment a report over `range` can start at, as of `now`
/// (`None`: all history). It starts there or later: never before its
/// first day, nor before the board's first event.
pub fn range_start(range: FlowRange, now: DateTime<Utc>, zone: &dyn Zone) -> Option<DateTime<Utc>> {
    let today = zone.day_of(now);
    match range {
        FlowRange::Weeks(n) => Some(zone.midnight(first_of_weeks(today, n))),
        FlowRange::Since(d) => Some(zone.midnight(d.min(today))),
        FlowRange::All => None,
    }
}

/// The first day of the last `n` weeks, ending `today`.
pub(super) fn first_of_weeks(today: NaiveDate, n: u32) -> NaiveDate {
    today - Duration::days(7 * i64::from(n.max(1)) - 1)
}

/// Which days the metrics cover; every range ends today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowRange {
    Weeks(u32),
    All,
    Since(NaiveDate),
}

impl FlowRange {
    /// The ranges the Flow tab steps through.
    pub const CHOICES: [FlowRange; 4] = [
        FlowRange::Weeks(2),
        FlowRange::Weeks(4),
        FlowRange::Weeks(12),
        FlowRange::All,
    ];

    pub fn label(self) -> String {
        match self {
            FlowRange::Weeks(n) => format!("last {n} weeks"),
            FlowRange::All => "all history".into(),
            FlowRange::Since(d) => format!("since {d}"),
        }
    }

    /// The next choice (`step` = 1) or the previous one (`step` = -1).
    pub fn step(self, step: i32) -> FlowRange {
        let n = Self::CHOICES.len() as i32;
        let i = Self::CHOICES
            .iter()
            .position(|r| *r == self)
            .map(|i| i as i32)
            .unwrap_or(if step > 0 { -1 } else { n });
        Self::CHOICES[(i + step).rem_euclid(n) as usize]
    }
}
