//! Which days a flow report covers.

use chrono::{Duration, NaiveDate};

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
