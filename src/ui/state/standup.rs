//! The Standup tab's state: what is loaded, whose turn it is, and the timers.

use chrono::{Duration, NaiveDate};

use crate::domain::sprint::Sprint;
use crate::domain::standup::{
    ActionItem, Standup, StandupFormat, StandupId, StandupSettings, Timer, WalkCard,
};
use crate::domain::{Board, ColumnId};

/// Everything the Standup tab shows, loaded in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct StandupData {
    pub today: NaiveDate,
    pub board: Board,
    pub settings: StandupSettings,
    /// The active sprint, if the team works in sprints.
    pub sprint: Option<Sprint>,
    /// The cards to walk, in walking order.
    pub walk: Vec<WalkCard>,
    /// Who is likely to attend.
    pub people: Vec<String>,
    pub actions: Vec<ActionItem>,
    /// The standup being run (or today's, not ended, to carry on with).
    pub current: Option<Standup>,
}

impl StandupData {
    /// Where a card raised as an impediment goes: the first column.
    pub fn first_column(&self) -> Option<ColumnId> {
        self.board.columns.first().map(|c| c.id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StandupTabState {
    pub data: Option<Box<StandupData>>,
    /// The standup record once started.
    pub id: Option<StandupId>,
    /// Speakers in order (round robin).
    pub order: Vec<String>,
    /// Whose turn: an index into the walk (walk the board) or `order`.
    pub turn: usize,
    /// The selected card of the current speaker (round robin).
    pub card_row: usize,
    pub total: Timer,
    pub turn_timer: Timer,
    pub muted: bool,
    /// Which timeboxes already rang, so each rings once.
    pub rang_total: bool,
    pub rang_turn: bool,
    pub ended: bool,
}

impl Default for StandupTabState {
    fn default() -> Self {
        Self {
            data: None,
            id: None,
            order: Vec::new(),
            turn: 0,
            card_row: 0,
            total: Timer::new(Duration::minutes(15)),
            turn_timer: Timer::new(Duration::zero()),
            muted: false,
            rang_total: false,
            rang_turn: false,
            ended: false,
        }
    }
}

impl StandupTabState {
    pub fn format(&self) -> StandupFormat {
        self.data
            .as_deref()
            .map_or(StandupFormat::default(), |d| d.settings.format)
    }

    pub fn speaker(&self) -> Option<&str> {
        self.order.get(self.turn).map(String::as_str)
    }

    /// The cards of whoever has the turn: the card being walked, or the
    /// speaker's own cards.
    pub fn turn_cards(&self) -> Vec<&WalkCard> {
        let Some(d) = self.data.as_deref() else {
            return Vec::new();
        };
        match self.format() {
            StandupFormat::WalkTheBoard => d.walk.get(self.turn).into_iter().collect(),
            StandupFormat::RoundRobin => match self.speaker() {
                Some(who) => d
                    .walk
                    .iter()
                    .filter(|w| w.card.assignee.as_deref() == Some(who))
                    .collect(),
                None => Vec::new(),
            },
        }
    }

    /// The card an impediment or Enter applies to.
    pub fn selected_card(&self) -> Option<&WalkCard> {
        let cards = self.turn_cards();
        match self.format() {
            StandupFormat::WalkTheBoard => cards.first().copied(),
            StandupFormat::RoundRobin => cards.get(self.card_row).copied(),
        }
    }

    /// How many turns there are.
    pub fn turns(&self) -> usize {
        match self.format() {
            StandupFormat::WalkTheBoard => self.data.as_deref().map_or(0, |d| d.walk.len()),
            StandupFormat::RoundRobin => self.order.len(),
        }
    }

    pub fn running(&self) -> bool {
        self.total.running()
    }
}
