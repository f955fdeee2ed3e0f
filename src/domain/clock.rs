//! Time is passed in, never read directly, so every rule can be tested with a fixed clock.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use std::sync::{Arc, Mutex};

use super::DomainError;

/// A day as a person types it, wherever they type it (a command's
/// `--since`, `--start`, `--due`, `--closes` or `--date`, a dialog's date
/// field, the day part of a timeline entry): `YYYY-MM-DD`, with space
/// around it allowed. Anything else, an impossible day such as
/// `2026-02-30` included, is refused with the same message everywhere.
pub fn parse_date(text: &str) -> Result<NaiveDate, DomainError> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| not_a_date(t))
}

/// The one refusal of a date typed wrong.
fn not_a_date(text: &str) -> DomainError {
    DomainError::Invalid(format!(
        "'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-12-03"
    ))
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// The machine's own clock, which may step back or be set wrong (a
    /// clock for tests or replayed history is not).
    fn is_wall(&self) -> bool {
        false
    }
    /// Where the user's days begin and end.
    fn zone(&self) -> &dyn Zone {
        &UTC
    }
}

/// UTC as a zone: days from midnight to midnight UTC.
pub const UTC: FixedOffset = match FixedOffset::east_opt(0) {
    Some(o) => o,
    None => panic!("a zero offset exists"),
};

/// A user's calendar: the UTC offset in force at each instant, which moves
/// with daylight saving time.
pub trait Zone: Send + Sync {
    fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset;

    /// The calendar day `t` falls on.
    fn day_of(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.offset_at(t)).date_naive()
    }

    /// The first instant of day `d` (the offset is the one in force then).
    fn midnight(&self, d: NaiveDate) -> DateTime<Utc> {
        let local = d.and_time(NaiveTime::MIN).and_utc();
        let guess = local - Duration::seconds(i64::from(self.offset_at(local).local_minus_utc()));
        local - Duration::seconds(i64::from(self.offset_at(guess).local_minus_utc()))
    }
}

impl Zone for FixedOffset {
    fn offset_at(&self, _: DateTime<Utc>) -> FixedOffset {
        *self
    }
}

/// The machine's time zone, daylight saving included.
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalZone;

impl Zone for LocalZone {
    fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset {
        chrono::Local.offset_from_utc_datetime(&t.naive_utc()).fix()
    }
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn is_wall(&self) -> bool {
        true
    }
    fn zone(&self) -> &dyn Zone {
        &LocalZone
    }
}

/// A clock for tests and demo data: returns a set time that can be advanced.
#[derive(Debug, Clone)]
pub struct FixedClock(Arc<Mutex<DateTime<Utc>>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut t) = self.0.lock() {
            *t = at;
        }
    }

    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut t) = self.0.lock() {
            *t += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        match self.0.lock() {
            Ok(t) => *t,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_date_is_yyyy_mm_dd_and_one_message_refuses_the_rest() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(parse_date("2026-12-03").unwrap(), d);
        assert_eq!(parse_date(" 2026-12-03\n").unwrap(), d);
        for bad in ["2026-13-01", "2026-02-30", "yesterday", "03/12/2026", ""] {
            assert_eq!(
                parse_date(bad).unwrap_err().to_string(),
                format!("'{bad}' is not a date: use YYYY-MM-DD, e.g. 2026-12-03")
            );
        }
    }
}
