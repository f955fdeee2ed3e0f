//! What the sprint screens and commands ask of the store.

use chrono::NaiveDate;

use super::Result;
use crate::domain::sprint::{BurnHistory, Burndown, NewSprint, Sprint, SprintCard, SprintId};
use crate::domain::{Board, BoardId, CardId};

/// A change to some of a sprint's settings; `None` leaves one as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SprintPatch {
    pub name: Option<String>,
    pub goal: Option<String>,
    pub start: Option<NaiveDate>,
    pub days: Option<u32>,
    pub capacity: Option<Option<u32>>,
}

/// What closing a sprint did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub name: String,
    pub committed: u32,
    /// Points done: the sprint's velocity.
    pub velocity: u32,
    pub done: usize,
    pub returned: usize,
    pub carried: usize,
    /// The sprint the carried cards went to (created if there was none).
    pub next: Option<(SprintId, String)>,
}

/// A sprint with its cards and its burndown, as of the store's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct SprintReport {
    pub sprint: Sprint,
    pub cards: Vec<SprintCard>,
    pub burndown: Burndown,
}

pub trait SprintStore {
    /// Every sprint of the board, oldest first.
    fn sprints(&self, board: BoardId) -> Result<Vec<Sprint>>;
    /// The sprint's cards in board order (archived ones only if they were done).
    fn sprint_cards(&self, sprint: SprintId) -> Result<Vec<SprintCard>>;
    /// Live cards not done and in no open sprint: what planning picks from.
    fn backlog_cards(&self, board: &Board) -> Result<Vec<SprintCard>>;
    /// The history the burndown replays.
    fn burn_history(&self, sprint: SprintId) -> Result<BurnHistory>;

    /// A new planned sprint (a board has at most one being planned).
    fn create_sprint(&mut self, board: BoardId, sprint: NewSprint) -> Result<SprintId>;
    fn edit_sprint(&mut self, id: SprintId, patch: SprintPatch) -> Result<()>;
    /// Applies `patch` to a planned sprint and starts it, in one transaction.
    /// It needs a goal; a board has one active sprint at a time. A sprint
    /// starts the day it is started, keeping its length.
    fn start_sprint(&mut self, id: SprintId, patch: SprintPatch) -> Result<()>;
    /// Creates a sprint and starts it, in one transaction.
    fn start_new_sprint(&mut self, board: BoardId, sprint: NewSprint) -> Result<SprintId>;
    /// Adds cards to a sprint: all of them, or none.
    fn add_to_sprint(&mut self, sprint: SprintId, cards: &[CardId]) -> Result<()>;
    /// Takes cards out of a sprint: all of them, or none.
    fn remove_from_sprint(&mut self, sprint: SprintId, cards: &[CardId]) -> Result<()>;
    /// Closes the active sprint: done cards count for velocity, the cards in
    /// `carry` go to the next sprint, every other unfinished card returns to
    /// the backlog. All of it is recorded.
    fn close_sprint(&mut self, id: SprintId, carry: &[CardId]) -> Result<Closed>;
}
