//! The app's state: one struct per screen, plus the overlays and status line.

pub mod forecast;
pub mod mortem;
pub mod presence;
pub mod pulse;
pub mod reselect;
pub mod retro;
pub mod sprint;
pub mod standup;

pub use mortem::{MortemData, MortemTabState, MyReason, Part};
pub use presence::{Presence, PresenceState};
pub use pulse::{PulseData, PulseTabState};
pub use retro::{RetroData, RetroTabState};
pub use sprint::{Pane, SprintData, SprintTabState, SprintView};
pub use standup::{StandupData, StandupTabState};

pub use super::tabs::Tab;

use chrono::{DateTime, Utc};

use super::overlay::Overlay;
use crate::domain::flow::{FlowRange, FlowReport};
use crate::domain::{Board, CardId, CardSummary, ColumnId};
use crate::store::ColumnPage;

/// The Flow tab: its date range and the last report loaded for it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowState {
    pub range: FlowRange,
    pub report: Option<Box<FlowReport>>,
    /// First aging card shown (the list scrolls with j/k).
    pub scroll: usize,
    /// The forecast panel, when one is chosen: it takes the charts' place.
    pub forecast: Option<Box<forecast::FlowForecast>>,
}

impl Default for FlowState {
    fn default() -> Self {
        Self {
            range: FlowRange::Weeks(4),
            report: None,
            scroll: 0,
            forecast: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusKind {
    #[default]
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub text: String,
    pub kind: StatusKind,
}

/// A WIP breach waiting for the user's reason (key F).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingBreach {
    /// A hard limit refused this move; F forces it with a reason.
    Refused {
        card: CardId,
        to: ColumnId,
        message: String,
    },
    /// A soft limit let this move through; F adds why to its event.
    Soft { event: i64, warning: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BoardState {
    pub board: Option<Board>,
    pub pages: Vec<ColumnPage>,
    /// Selected column (index into `board.columns`).
    pub col: usize,
    /// Selected card per column: index among the column's matching cards.
    pub rows: Vec<u32>,
    /// First visible card per column.
    pub scroll: Vec<u32>,
    /// First visible column.
    pub first_col: usize,
    pub filter: String,
    pub pending: Option<PendingBreach>,
    /// A card to select once the next load arrives (e.g. one just moved).
    pub follow: Option<CardId>,
    /// The filter the pages were loaded with: a load with another one is
    /// another list, where the selection starts again from the top.
    pub shown_filter: String,
}

impl BoardState {
    pub fn columns(&self) -> usize {
        self.pages.len()
    }

    pub fn page(&self, col: usize) -> Option<&ColumnPage> {
        self.pages.get(col)
    }

    pub fn row(&self, col: usize) -> u32 {
        self.rows.get(col).copied().unwrap_or(0)
    }

    pub fn scroll_of(&self, col: usize) -> u32 {
        self.scroll.get(col).copied().unwrap_or(0)
    }

    /// The selected card, if it is loaded.
    pub fn selected(&self) -> Option<&CardSummary> {
        let page = self.page(self.col)?;
        let row = self.row(self.col);
        let i = row.checked_sub(page.offset)? as usize;
        page.cards.get(i)
    }

    pub fn selected_column(&self) -> Option<ColumnId> {
        self.page(self.col).map(|p| p.column.id)
    }
}

/// What dialogs offer first, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defaults {
    pub retro_votes: u32,
    pub pulse_threshold: u32,
    pub wip_policy: crate::domain::WipPolicy,
}

impl Default for Defaults {
    fn default() -> Self {
        let c = crate::config::Config::default();
        Self {
            retro_votes: c.retro_votes,
            pulse_threshold: c.pulse_threshold,
            wip_policy: c.wip_policy,
        }
    }
}

pub struct AppState {
    pub tab: Tab,
    pub board: BoardState,
    pub flow: FlowState,
    pub sprint: SprintTabState,
    pub standup: StandupTabState,
    pub retro: RetroTabState,
    pub mortem: MortemTabState,
    pub pulse: PulseTabState,
    /// Who else has the board open, and what is running.
    pub presence: PresenceState,
    /// How many times the board was read again for changes made elsewhere
    /// (never for a heartbeat, which reads presence alone).
    pub reloads: u64,
    /// The time as of the last event or tick, set by the app from the
    /// store's clock (update itself never reads a clock).
    pub now: DateTime<Utc>,
    /// Bells asked for so far (a timebox ran out); the app rings the
    /// terminal once for each new one.
    pub bells: u32,
    pub overlays: Vec<Overlay>,
    pub status: Status,
    /// The loads under way show changes made elsewhere (another terminal or
    /// the command line): set by an external change or `r`, cleared by the
    /// next key, click or tick. A selected item those changes took away is
    /// then said on the status line; after this terminal's own change the
    /// selection moves on silently, as its own message already says why.
    pub elsewhere: bool,
    pub width: u16,
    pub height: u16,
    pub read_only: bool,
    /// The server cannot be reached now (the status line says so).
    pub offline: bool,
    pub location: String,
    pub actor: String,
    /// Where exports are offered to go (the folder teamloop started in).
    pub export_dir: std::path::PathBuf,
    /// This terminal's changes, to undo and redo.
    pub history: super::history::History,
    /// The keys, with the user's own in place of the defaults.
    pub keys: super::keymap::Keymap,
    /// What new standups, retros and pulses start with (the settings).
    pub defaults: Defaults,
    pub quit: bool,
}

impl AppState {
    pub fn new(width: u16, height: u16, read_only: bool, location: String, actor: String) -> Self {
        Self {
            tab: Tab::Board,
            board: BoardState::default(),
            flow: FlowState::default(),
            sprint: SprintTabState::default(),
            standup: StandupTabState::default(),
            retro: RetroTabState::default(),
            mortem: MortemTabState::default(),
            pulse: PulseTabState::default(),
            presence: PresenceState::default(),
            reloads: 0,
            now: DateTime::<Utc>::default(),
            bells: 0,
            overlays: Vec::new(),
            status: Status::default(),
            elsewhere: false,
            width,
            height,
            read_only,
            location,
            actor,
            export_dir: std::path::PathBuf::from("."),
            history: super::history::History::default(),
            keys: super::keymap::Keymap::default(),
            defaults: Defaults::default(),
            quit: false,
            offline: false,
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Status {
            text: text.into(),
            kind: StatusKind::Info,
        };
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status = Status {
            text: text.into(),
            kind: StatusKind::Warn,
        };
    }

    /// Says that the item selected in a list of `tab` left it, when changes
    /// made elsewhere took it away and the tab is on screen.
    pub fn tell_left(&mut self, tab: Tab, text: impl Into<String>) {
        if self.elsewhere && self.tab == tab {
            self.warn(text);
        }
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Status {
            text: text.into(),
            kind: StatusKind::Error,
        };
    }
}
