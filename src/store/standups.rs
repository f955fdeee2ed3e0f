//! What the standup screen asks of the store.

use chrono::NaiveDate;

use super::Result;
use crate::domain::sprint::SprintId;
use crate::domain::standup::{
    ActionItem, NewStandup, SpeakerNotes, Standup, StandupId, StandupSettings, WalkCard,
};
use crate::domain::{Board, BoardId, CardId, ColumnId};

/// Something in the way, raised during standup in one keypress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Impediment {
    /// Blocks a card, with the reason.
    Block { card: CardId, reason: String },
    /// A new card (tagged `impediment`) in a column.
    NewCard { title: String, column: ColumnId },
}

pub trait StandupStore {
    fn standup_settings(&self, board: BoardId) -> Result<StandupSettings>;
    fn set_standup_settings(&mut self, board: BoardId, settings: StandupSettings) -> Result<()>;
    /// The cards to walk: with a sprint, its cards not done; without, the
    /// cards in active columns. Unordered (see `walk_order`).
    fn walk_cards(&self, board: &Board, sprint: Option<SprintId>) -> Result<Vec<WalkCard>>;
    /// Live cards tagged `action` that are not done, oldest first.
    fn action_items(&self, board: &Board) -> Result<Vec<ActionItem>>;
    /// Who is likely to attend: the assignees of the work in scope and the
    /// last standup's attendees, in alphabetical order.
    fn standup_people(&self, board: &Board, sprint: Option<SprintId>) -> Result<Vec<String>>;
    fn standup(&self, id: StandupId) -> Result<Standup>;
    /// Today's standup if it was started and not ended (to carry on with).
    fn unfinished_standup(&self, board: BoardId, day: NaiveDate) -> Result<Option<StandupId>>;
    /// The latest standups, newest first.
    fn past_standups(&self, board: BoardId, limit: u32) -> Result<Vec<Standup>>;

    fn begin_standup(&mut self, board: BoardId, standup: NewStandup) -> Result<StandupId>;
    /// The attendees in speaking order; notes of people still listed are kept.
    fn set_attendees(&mut self, id: StandupId, names: &[String]) -> Result<()>;
    fn save_notes(&mut self, id: StandupId, notes: &SpeakerNotes) -> Result<()>;
    fn park_topic(&mut self, id: StandupId, text: &str) -> Result<()>;
    /// Blocks a card or adds one, and records it with the standup, in one
    /// transaction. Returns the card.
    fn raise_impediment(&mut self, id: StandupId, impediment: Impediment) -> Result<CardId>;
    /// Saves how long the timer ran; `end` also ends the standup.
    fn save_standup_time(&mut self, id: StandupId, elapsed_seconds: u32, end: bool) -> Result<()>;
}
