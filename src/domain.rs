//! Pure domain: the rules of the board. No terminal, no database, no wall clock.

pub mod board;
pub mod card;
pub mod clock;
pub mod demo;
pub mod error;
pub mod event;
pub mod filter;
pub mod flow;
pub mod handover;
pub mod mortem;
pub mod person;
pub mod pulse;
pub mod retro;
pub mod sprint;
pub mod standup;
pub mod text;
pub mod wip;

pub use board::{Board, BoardId, Column, ColumnId, ColumnKind, WipLimit, WipPolicy};
pub use card::{Card, CardId, CardPatch, CardSummary, NewCard};
pub use clock::{Clock, FixedClock, LocalZone, SystemClock, UTC, Zone};
pub use error::DomainError;
pub use event::{Breach, CardEvent, EventKind};
pub use filter::CardFilter;
pub use wip::{EntryDecision, decide_entry};

/// A one-line name as typed (a title): trimmed, 1 to `max` characters,
/// control characters made spaces; `what` names it in the refusal.
pub fn one_line(text: &str, what: &str, max: usize) -> Result<String, DomainError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(DomainError::Invalid(format!(
            "{what} has 1 to {max} characters"
        )));
    }
    Ok(t.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect())
}
