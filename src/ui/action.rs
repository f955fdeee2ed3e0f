//! What can happen to the app: user commands (from the keymap), and the
//! results of effects coming back from the store.

use super::state::{MortemData, PulseData, RetroData, SprintData, StandupData};
use crate::domain::flow::FlowReport;
use crate::domain::mortem::MortemId;
use crate::domain::standup::{Standup, StandupId};
use crate::domain::{Board, Card, CardEvent, CardId, ColumnId};
use crate::store::ColumnPage;

/// Every intent a user can express with a key. Verb first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    ShowHelp,
    NextTab,
    PrevTab,
    /// The tab with this number (its key).
    GoToTab(usize),
    Refresh,
    // Board
    SelectLeft,
    SelectRight,
    SelectUp,
    SelectDown,
    SelectFirst,
    SelectLast,
    PageUp,
    PageDown,
    MoveCardLeft,
    MoveCardRight,
    MoveCardUp,
    MoveCardDown,
    ForceOrExplain,
    NewCard,
    EditCard,
    SetAssignee,
    SetTags,
    SetPoints,
    ToggleBlocked,
    ArchiveCard,
    StartFilter,
    ClearFilter,
    OpenCard,
    OpenColumns,
    // Column settings
    AddColumn,
    RenameColumn,
    ShiftColumnLeft,
    ShiftColumnRight,
    DeleteColumn,
    SetColumnWip,
    ToggleWipPolicy,
    CycleColumnKind,
    // Flow
    NextRange,
    PrevRange,
    /// The forecast panel: the next (or previous) column or tag, then off.
    NextForecast,
    PrevForecast,
    // Sprint
    NextSprintView,
    NewSprint,
    EditSprint,
    StartSprint,
    /// Planning: move the selected card into or out of the sprint.
    MoveAcross,
    CarryOver,
    ReturnToBacklog,
    CloseSprint,
    // Standup
    ToggleTimer,
    NextTurn,
    PrevTurn,
    ShuffleSpeakers,
    SwitchFormat,
    SetTimebox,
    ToggleMute,
    RaiseBlock,
    RaiseCard,
    ParkTopic,
    EditNotes,
    AddAttendee,
    RemoveAttendee,
    /// You join the standup, or leave it.
    JoinStandup,
    EndStandup,
    ShowStandupHistory,
    // Retro
    NextPhase,
    PrevPhase,
    NewRetro,
    BrowseRetros,
    OpenRetro,
    AnswerPoll,
    ClosePoll,
    ReopenPoll,
    /// Take facilitation over (retro, standup, pre-mortem, a pulse's close).
    TakeOver,
    MarkDone,
    MarkOpen,
    MarkDropped,
    WriteCard,
    DeleteMyCard,
    RevealCards,
    MarkItem,
    GroupMarked,
    SplitTheme,
    AddVote,
    TakeVote,
    DiscussItem,
    EditItemNotes,
    AddAction,
    /// Choose the n-th option of a picker (0-based).
    Pick(u8),
    // Mortems
    NewMortem,
    OpenMortem,
    EditPart,
    AddTimelineEntry,
    SetMortemStatus,
    DeletePart,
    ReadNext,
    ReadPrev,
    RateRisk,
    Mitigate,
    ClosePremortem,
    ExportMortem,
    // Planning poker
    /// Join the round running, or start one.
    OpenPoker,
    PokerPick,
    PokerReveal,
    PokerRevote,
    PokerAccept,
    EndPoker,
    // Pulse
    NewPulse,
    AnswerPulse,
    ClosePulse,
    Undo,
    Redo,
    /// `:`: every action by name.
    OpenPalette,
    // Dialogs
    Close,
    Confirm,
    Deny,
    ScrollUp,
    ScrollDown,
}

impl Command {
    /// Whether the command changes the board (refused, with one message,
    /// when the database is open read-only). One list for every tab.
    pub fn writes(self) -> bool {
        use Command::*;
        matches!(
            self,
            MoveCardLeft
                | MoveCardRight
                | MoveCardUp
                | MoveCardDown
                | ForceOrExplain
                | NewCard
                | EditCard
                | SetAssignee
                | SetTags
                | SetPoints
                | ToggleBlocked
                | ArchiveCard
                | AddColumn
                | RenameColumn
                | ShiftColumnLeft
                | ShiftColumnRight
                | DeleteColumn
                | SetColumnWip
                | ToggleWipPolicy
                | CycleColumnKind
                | NewSprint
                | EditSprint
                | StartSprint
                | MoveAcross
                | CloseSprint
                | ToggleTimer
                | NextTurn
                | PrevTurn
                | ShuffleSpeakers
                | AddAttendee
                | RemoveAttendee
                | JoinStandup
                | SwitchFormat
                | SetTimebox
                | RaiseBlock
                | RaiseCard
                | ParkTopic
                | EditNotes
                | EndStandup
                | NextPhase
                | PrevPhase
                | NewRetro
                | AnswerPoll
                | ClosePoll
                | ReopenPoll
                | TakeOver
                | MarkDone
                | MarkOpen
                | MarkDropped
                | WriteCard
                | DeleteMyCard
                | RevealCards
                | GroupMarked
                | SplitTheme
                | AddVote
                | TakeVote
                | DiscussItem
                | EditItemNotes
                | AddAction
                | Pick(_)
                | NewMortem
                | EditPart
                | AddTimelineEntry
                | SetMortemStatus
                | DeletePart
                | ReadNext
                | ReadPrev
                | RateRisk
                | Mitigate
                | ClosePremortem
                | PokerPick
                | PokerReveal
                | PokerRevote
                | PokerAccept
                | EndPoker
                | NewPulse
                | AnswerPulse
                | ClosePulse
                | Undo
                | Redo
        )
    }
}

/// The board as loaded for the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedBoard {
    pub board: Board,
    pub pages: Vec<ColumnPage>,
    /// The filter the cards were loaded with.
    pub filter: String,
    /// Where the selected card is now, when the window loaded for its
    /// column does not show it.
    pub whereabouts: Option<Whereabouts>,
}

/// Where a card is now that its column's loaded window does not show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whereabouts {
    pub card: CardId,
    pub place: Place,
    /// Who put it there, when the card's history says and it was someone
    /// else.
    pub by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Still in its column, at this row among the cards that match.
    At(u32),
    /// In another column.
    Column(ColumnId),
    Archived,
    /// Still in its column, but no longer matching the filter.
    Hidden,
    /// Not to be found (or not read).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDetail {
    pub card: Card,
    pub column: String,
    pub history: Vec<CardEvent>,
}

/// What a successful write did, so the screen can follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A card entered a column (created or moved); `breach_event` is set when
    /// it passed a soft limit, so the user can add why.
    Entered {
        card: CardId,
        column: ColumnId,
        message: String,
        warning: Option<String>,
        breach_event: Option<i64>,
    },
    Changed {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// A key that does nothing here, and what it would do elsewhere (the
    /// status line says so).
    NotHere(String),
    /// Raw key input for an open text field.
    Input(crossterm::event::KeyEvent),
    /// Text pasted into an open text field.
    Paste(String),
    Click {
        x: u16,
        y: u16,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// Another process changed the database.
    ExternalChange,
    /// Someone's presence changed (a heartbeat, a quit): read it again.
    PresenceNews,
    /// Presence and the rituals under way, as read (`None`: not read now,
    /// the old is kept).
    PresenceLoaded(Option<Box<crate::ui::state::Presence>>),
    Loaded(Box<LoadedBoard>),
    CardOpened(Box<CardDetail>),
    Saved(Saved),
    /// A hard WIP limit refused a move; F can force it with a reason.
    MoveRefused {
        card: CardId,
        to: ColumnId,
        message: String,
    },
    /// The Flow tab's report.
    FlowLoaded(Box<FlowReport>),
    /// The Flow tab's forecast panel (`None`: off), with a word for the
    /// status line.
    FlowForecast(
        Option<Box<crate::ui::state::forecast::FlowForecast>>,
        String,
    ),
    SprintLoaded(Box<SprintData>),
    StandupLoaded(Box<StandupData>),
    /// The standup record was created.
    StandupBegun(StandupId),
    /// A step the store refused because the standup had moved on from the
    /// step it named: what the status line says, and the tab loads again.
    StandupMovedOn(String),
    /// Past standups, to browse.
    /// Past standups, each with who took it over from whom.
    StandupHistory(Vec<Standup>, Vec<Vec<crate::domain::handover::Handover>>),
    RetroLoaded(Box<RetroData>),
    /// This terminal wrote a card: it remembers it, the database does not
    /// know whose it is.
    RetroCardAdded {
        id: i64,
        prompt: usize,
        text: String,
    },
    /// Items became one theme.
    Grouped(String),
    PulseLoaded(Box<PulseData>),
    /// A poker round read (after a change: with what to say); `open`: show
    /// the panel if it is not showing.
    PokerLoaded {
        data: Box<crate::ui::overlay::PokerData>,
        open: bool,
        message: Option<String>,
    },
    /// The results of one pulse, or why they are not shown.
    PulseResults(
        crate::domain::pulse::PulseId,
        Box<Result<crate::domain::pulse::PulseResults, String>>,
    ),
    MortemLoaded(Box<MortemData>),
    /// A mortem was started: it is selected and opened.
    MortemCreated {
        id: MortemId,
        message: String,
    },
    /// Something to read before going on (the warnings left on a final
    /// post-mortem).
    MortemNotice {
        title: String,
        lines: Vec<String>,
        message: String,
    },
    /// This terminal wrote a hidden reason: it remembers it, the database
    /// does not know whose it is.
    ReasonWritten {
        mortem: MortemId,
        card: i64,
        text: String,
    },
    ReasonTakenBack {
        mortem: MortemId,
        card: i64,
    },
    /// This person's response went in.
    PulseAnswered(String),
    /// This terminal's votes on an item changed.
    Voted {
        used: u32,
    },
    /// A change this terminal made, for its undo list; then what it did.
    Recorded {
        done: Box<crate::ui::history::Done>,
        then: Box<Action>,
    },
    /// A change undone, or redone: the state it left, for the other list.
    Undone {
        done: Box<crate::ui::history::Done>,
        message: String,
    },
    Redone {
        done: Box<crate::ui::history::Done>,
        message: String,
    },
    /// Undo (or redo) refused: the card or column was changed since.
    UndoStale {
        redo: bool,
        message: String,
    },
    /// The event loop's tick: timers advance (the time is `AppState::now`).
    Tick,
    Failed(String),
    /// A card's text is loaded for editing.
    EditReady {
        card: CardId,
        title: String,
        description: String,
    },
}

use ratatui::crossterm;
