//! The Standup tab's state: what is loaded, and this terminal's own part of
//! it (its bell, which card it has selected). The standup itself (its
//! timer, whose turn, the format, who attends) is the board's, loaded with
//! the rest: every terminal shows the same one.

use chrono::{Duration, NaiveDate};

use crate::domain::sprint::Sprint;
use crate::domain::standup::{
    ActionItem, Standup, StandupFormat, StandupId, StandupSettings, Timer, WalkCard, walk_turn,
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
    /// How likely the sprint's cards left are done by its last day.
    pub chance: Option<crate::domain::forecast::Chance>,
    /// The cards to walk, in walking order.
    pub walk: Vec<WalkCard>,
    /// Who is likely to attend.
    pub people: Vec<String>,
    pub actions: Vec<ActionItem>,
    /// The board's standup under way today, or the one this terminal saw
    /// end (or today's, ended).
    pub current: Option<Standup>,
}

impl StandupData {
    /// Where a card raised as an impediment goes: the first column.
    pub fn first_column(&self) -> Option<ColumnId> {
        self.board.columns.first().map(|c| c.id)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StandupTabState {
    pub data: Option<Box<StandupData>>,
    /// The standup shown (see [`StandupData::current`]).
    pub id: Option<StandupId>,
    /// Who speaks, in order: the standup's attendees once it has begun;
    /// before, who this terminal would begin it with.
    pub order: Vec<String>,
    /// The selected card of the current speaker (round robin): this
    /// terminal's own.
    pub card_row: usize,
    pub muted: bool,
    /// Which timeboxes already rang here, so each rings once: the
    /// standup's, and the turn's (until the next step).
    pub rang_total: bool,
    pub rang_turn: bool,
    /// The standup and step last loaded: a new step is a new turn.
    pub seen: Option<(StandupId, u32)>,
}

impl StandupTabState {
    /// The standup shown, under way or ended.
    pub fn current(&self) -> Option<&Standup> {
        self.data.as_deref().and_then(|d| d.current.as_ref())
    }

    /// The standup under way, if one is.
    pub fn live(&self) -> Option<&Standup> {
        self.current().filter(|c| !c.ended())
    }

    pub fn ended(&self) -> bool {
        self.current().is_some_and(Standup::ended)
    }

    pub fn format(&self) -> StandupFormat {
        match (self.current(), self.data.as_deref()) {
            (Some(c), _) => c.format,
            (None, Some(d)) => d.settings.format,
            (None, None) => StandupFormat::default(),
        }
    }

    fn settings(&self) -> StandupSettings {
        self.data
            .as_deref()
            .map_or(StandupSettings::default(), |d| d.settings)
    }

    /// The whole standup's timer, as every terminal reads it.
    pub fn total(&self) -> Timer {
        let limit = Duration::minutes(i64::from(self.settings().minutes));
        match self.current() {
            Some(c) => c.timer(limit),
            None => Timer::new(limit),
        }
    }

    /// The turn's timer (its limit zero when turns have no timebox).
    pub fn turn_timer(&self) -> Timer {
        let limit = Duration::seconds(i64::from(self.settings().turn_seconds.unwrap_or(0)));
        match self.current() {
            Some(c) => c.turn_timer(limit),
            None => Timer::new(limit),
        }
    }

    /// Whose turn: an index into the walk (walk the board) or `order`.
    pub fn turn(&self) -> usize {
        let Some(c) = self.current() else {
            return 0;
        };
        match c.format {
            StandupFormat::WalkTheBoard => {
                let walk = self.data.as_deref().map_or(&[][..], |d| &d.walk);
                walk_turn(walk, c.walk_card, c.turn as usize)
            }
            StandupFormat::RoundRobin => (c.turn as usize).min(self.order.len().saturating_sub(1)),
        }
    }

    /// Whose turn it is (round robin); before the standup begins, who
    /// would go first.
    pub fn speaker(&self) -> Option<&str> {
        match self.format() {
            StandupFormat::RoundRobin => self.order.get(self.turn()).map(String::as_str),
            StandupFormat::WalkTheBoard => None,
        }
    }

    /// The cards of whoever has the turn: the card being walked, or the
    /// speaker's own cards.
    pub fn turn_cards(&self) -> Vec<&WalkCard> {
        let Some(d) = self.data.as_deref() else {
            return Vec::new();
        };
        match self.format() {
            StandupFormat::WalkTheBoard => d.walk.get(self.turn()).into_iter().collect(),
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

    /// The timer runs (on every terminal).
    pub fn running(&self) -> bool {
        self.live().is_some_and(Standup::running)
    }
}
