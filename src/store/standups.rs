//! What the standup screen asks of the store.

use chrono::NaiveDate;

use super::Result;
use crate::domain::sprint::SprintId;
use crate::domain::standup::{
    ActionItem, NewStandup, SpeakerNotes, Standup, StandupFormat, StandupId, StandupSettings,
    WalkCard,
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
    /// Today's standup if it was started and not ended: the board's one
    /// live standup, which every terminal follows.
    fn unfinished_standup(&self, board: BoardId, day: NaiveDate) -> Result<Option<StandupId>>;
    /// The latest standups, newest first.
    fn past_standups(&self, board: BoardId, limit: u32) -> Result<Vec<Standup>>;

    /// Begins today's standup with its timer running, facilitated by whoever
    /// begins it; refused while another is under way today.
    fn begin_standup(&mut self, board: BoardId, standup: NewStandup) -> Result<StandupId>;
    /// Starts or pauses the timer: the facilitator's.
    fn set_standup_running(&mut self, id: StandupId, running: bool) -> Result<()>;
    /// The next turn (`delta` 1) or the one before (-1), moved from step
    /// `from` (the standup's `step` as this terminal saw it): anyone's.
    /// False, with nothing changed, when the standup has moved on from that
    /// step already, so two presses at once move it once.
    fn step_standup(&mut self, id: StandupId, from: u32, delta: i32) -> Result<bool>;
    /// Switches the format (and the board's setting), from step `from`: the
    /// facilitator's. False when the standup has moved on from that step.
    fn set_standup_format(
        &mut self,
        id: StandupId,
        format: StandupFormat,
        from: u32,
    ) -> Result<bool>;
    /// Shuffles the speaking order, from step `from`: the facilitator's.
    fn shuffle_speakers(&mut self, id: StandupId, from: u32) -> Result<bool>;
    /// Adds someone, last in the speaking order: anyone's. Their name as kept.
    fn join_standup(&mut self, id: StandupId, name: &str) -> Result<String>;
    /// Takes someone off (left, or absent), with their notes: anyone's.
    /// When it was their turn, it passes to the next person.
    fn leave_standup(&mut self, id: StandupId, name: &str) -> Result<()>;
    fn save_notes(&mut self, id: StandupId, notes: &SpeakerNotes) -> Result<()>;
    fn park_topic(&mut self, id: StandupId, text: &str) -> Result<()>;
    /// Blocks a card or adds one, and records it with the standup, in one
    /// transaction. Returns the card.
    fn raise_impediment(&mut self, id: StandupId, impediment: Impediment) -> Result<CardId>;
    /// Ends the standup, keeping how long its timer ran, the format it ended
    /// in and who attended: the facilitator's.
    fn end_standup(&mut self, id: StandupId) -> Result<()>;
}
