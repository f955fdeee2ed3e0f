//! Pure domain: the rules of the board. No terminal, no database, no wall clock.

pub mod board;
pub mod card;
pub mod clock;
pub mod demo;
pub mod error;
pub mod event;
pub mod filter;
pub mod flow;
pub mod forecast;
pub mod handover;
pub mod mortem;
pub mod person;
pub mod poker;
pub mod presence;
pub mod pulse;
pub mod retro;
pub mod rng;
pub mod sprint;
pub mod standup;
pub mod text;
pub mod wip;

pub use board::{Board, BoardId, Column, ColumnId, ColumnKind, WipLimit, WipPolicy};
pub use card::{Card, CardId, CardPatch, CardSummary, NewCard};
pub use clock::{Clock, FixedClock, LocalZone, SystemClock, UTC, Zone, parse_date};
pub use error::DomainError;
pub use event::{Breach, CardEvent, EventKind};
pub use filter::CardFilter;
pub use wip::{EntryDecision, decide_entry};
