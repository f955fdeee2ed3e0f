//! Keys as data: one table per context. The help overlay is generated from
//! these tables, so it cannot drift from the real bindings.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;
use super::state::{AppState, SprintView, Tab};
use crate::domain::mortem::{MortemKind, Stage};
use crate::domain::retro::Phase;

/// One key chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// Does a key event press this chord? Shift is part of an upper-case
    /// letter already, so it is ignored for characters.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        // Shift is part of an upper-case letter, and of Shift-Tab, already.
        let mods = match ev.code {
            KeyCode::Char(_) | KeyCode::BackTab => ev.modifiers - KeyModifiers::SHIFT,
            _ => ev.modifiers,
        };
        let want = match self.code {
            KeyCode::Char(_) | KeyCode::BackTab => self.mods - KeyModifiers::SHIFT,
            _ => self.mods,
        };
        ev.code == self.code && mods == want
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::SHIFT)
            && !matches!(self.code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            format!("Shift-{base}")
        } else {
            base
        }
    }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub command: Command,
    pub help: &'static str,
}

const fn bind(keys: &'static [Key], command: Command, help: &'static str) -> Binding {
    Binding {
        keys,
        command,
        help,
    }
}

/// Keys that work on every screen (unless a dialog is open).
pub static GLOBAL: &[Binding] = &[
    bind(&[k('q'), ctrl('c')], Command::Quit, "quit"),
    bind(&[k('?')], Command::ShowHelp, "show the keys of this screen"),
    bind(&[code(KeyCode::Tab)], Command::NextTab, "next tab"),
    bind(
        &[code(KeyCode::BackTab), shift(KeyCode::BackTab)],
        Command::PrevTab,
        "previous tab",
    ),
    bind(&[k('1')], Command::GoToTab(1), "Board tab"),
    bind(&[k('2')], Command::GoToTab(2), "Flow tab"),
    bind(&[k('3')], Command::GoToTab(3), "Sprint tab"),
    bind(&[k('4')], Command::GoToTab(4), "Standup tab"),
    bind(&[k('5')], Command::GoToTab(5), "Retro tab"),
    bind(&[k('6')], Command::GoToTab(6), "Mortems tab"),
    bind(&[k('7')], Command::GoToTab(7), "Pulse tab"),
    bind(&[ctrl('l')], Command::Refresh, "reload and redraw"),
    bind(
        &[k('u')],
        Command::Undo,
        "undo your last move, edit, block, archive or limit here",
    ),
    bind(&[ctrl('r')], Command::Redo, "redo what u undid"),
    bind(
        &[k(':')],
        Command::OpenPalette,
        "the command palette: every action by name",
    ),
];

pub static BOARD: &[Binding] = &[
    bind(
        &[code(KeyCode::Left), k('h')],
        Command::SelectLeft,
        "select the column to the left",
    ),
    bind(
        &[code(KeyCode::Right), k('l')],
        Command::SelectRight,
        "select the column to the right",
    ),
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "select the card above",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "select the card below",
    ),
    bind(
        &[code(KeyCode::Home), k('g')],
        Command::SelectFirst,
        "first card of the column",
    ),
    bind(
        &[code(KeyCode::End), k('G')],
        Command::SelectLast,
        "last card of the column",
    ),
    bind(&[code(KeyCode::PageUp)], Command::PageUp, "page up"),
    bind(&[code(KeyCode::PageDown)], Command::PageDown, "page down"),
    bind(
        &[k('H'), shift(KeyCode::Left)],
        Command::MoveCardLeft,
        "move the card one column left",
    ),
    bind(
        &[k('L'), shift(KeyCode::Right)],
        Command::MoveCardRight,
        "move the card one column right",
    ),
    bind(
        &[k('K'), shift(KeyCode::Up)],
        Command::MoveCardUp,
        "move the card up (higher priority)",
    ),
    bind(
        &[k('J'), shift(KeyCode::Down)],
        Command::MoveCardDown,
        "move the card down (lower priority)",
    ),
    bind(
        &[k('F')],
        Command::ForceOrExplain,
        "force a refused move / note why a limit was passed",
    ),
    bind(&[k('n')], Command::NewCard, "new card in this column"),
    bind(&[k('e')], Command::EditCard, "edit title and description"),
    bind(&[k('a')], Command::SetAssignee, "set the assignee"),
    bind(&[k('t')], Command::SetTags, "set tags"),
    bind(&[k('p')], Command::SetPoints, "set story points"),
    bind(
        &[k('b')],
        Command::ToggleBlocked,
        "block (with a reason) / unblock",
    ),
    bind(&[k('x')], Command::ArchiveCard, "archive the card"),
    bind(
        &[k('/')],
        Command::StartFilter,
        "filter: words, @assignee, #tag",
    ),
    bind(
        &[code(KeyCode::Esc)],
        Command::ClearFilter,
        "clear the filter",
    ),
    bind(
        &[code(KeyCode::Enter)],
        Command::OpenCard,
        "open the card with its history",
    ),
    bind(&[k('c')], Command::OpenColumns, "column settings"),
];

pub static COLUMNS: &[Binding] = &[
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "select the column above",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "select the column below",
    ),
    bind(&[k('a')], Command::AddColumn, "add a column"),
    bind(&[k('r')], Command::RenameColumn, "rename"),
    bind(
        &[k('K'), shift(KeyCode::Up)],
        Command::ShiftColumnLeft,
        "move earlier (left on the board)",
    ),
    bind(
        &[k('J'), shift(KeyCode::Down)],
        Command::ShiftColumnRight,
        "move later (right on the board)",
    ),
    bind(
        &[k('w')],
        Command::SetColumnWip,
        "set or clear the WIP limit",
    ),
    bind(
        &[k('s')],
        Command::ToggleWipPolicy,
        "switch the limit between hard and soft",
    ),
    bind(
        &[k('t')],
        Command::CycleColumnKind,
        "change kind: backlog, active, done",
    ),
    bind(&[k('d')], Command::DeleteColumn, "delete an empty column"),
    bind(&[k('u')], Command::Undo, "undo your last change here"),
    bind(&[ctrl('r')], Command::Redo, "redo what u undid"),
    bind(&[k('?')], Command::ShowHelp, "show these keys"),
    bind(
        &[code(KeyCode::Esc), k('c'), k('q'), ctrl('c')],
        Command::Close,
        "close",
    ),
];

pub static FLOW: &[Binding] = &[
    bind(
        &[k('r'), k(']')],
        Command::NextRange,
        "longer range: 2, 4, 12 weeks, all",
    ),
    bind(&[k('R'), k('[')], Command::PrevRange, "shorter range"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::ScrollDown,
        "scroll the aging work",
    ),
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::ScrollUp,
        "scroll back",
    ),
];

/// Keys of every Sprint view.
pub static SPRINT: &[Binding] = &[
    bind(
        &[k('v')],
        Command::NextSprintView,
        "next view: plan, progress, review & close, velocity",
    ),
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "select the card above",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "select the card below",
    ),
    bind(&[code(KeyCode::Enter)], Command::OpenCard, "open the card"),
    bind(&[k('n')], Command::NewSprint, "plan a new sprint"),
    bind(
        &[k('e')],
        Command::EditSprint,
        "edit the sprint: name, goal, dates, capacity",
    ),
    bind(&[k('S')], Command::StartSprint, "start the planned sprint"),
];

/// Planning: backlog on the left, the sprint on the right.
pub static SPRINT_PLAN: &[Binding] = &[
    bind(
        &[code(KeyCode::Left), k('h')],
        Command::SelectLeft,
        "the backlog",
    ),
    bind(
        &[code(KeyCode::Right), k('l')],
        Command::SelectRight,
        "the sprint",
    ),
    bind(
        &[k(' '), k('>'), k('<')],
        Command::MoveAcross,
        "move the card into / out of the sprint",
    ),
    bind(&[k('p')], Command::SetPoints, "set story points"),
];

/// Review and close.
pub static SPRINT_REVIEW: &[Binding] = &[
    bind(
        &[k('c')],
        Command::CarryOver,
        "carry the unfinished card over to the next sprint",
    ),
    bind(
        &[k('b')],
        Command::ReturnToBacklog,
        "return the unfinished card to the backlog",
    ),
    bind(
        &[k('C')],
        Command::CloseSprint,
        "close the sprint (records its velocity)",
    ),
];

pub static STANDUP: &[Binding] = &[
    bind(
        &[k(' ')],
        Command::ToggleTimer,
        "start / pause the standup timer",
    ),
    bind(
        &[k('n'), code(KeyCode::Right)],
        Command::NextTurn,
        "next speaker (or next card)",
    ),
    bind(
        &[k('p'), code(KeyCode::Left)],
        Command::PrevTurn,
        "previous speaker (or card)",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "select the next card",
    ),
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "select the previous card",
    ),
    bind(&[k('s')], Command::ShuffleSpeakers, "shuffle the speakers"),
    bind(
        &[k('f')],
        Command::SwitchFormat,
        "format: walk the board / round robin",
    ),
    bind(
        &[k('t')],
        Command::SetTimebox,
        "timeboxes: the standup, each turn",
    ),
    bind(&[k('m')], Command::ToggleMute, "mute / unmute the bell"),
    bind(
        &[k('b')],
        Command::RaiseBlock,
        "impediment: block the selected card (asks why)",
    ),
    bind(&[k('i')], Command::RaiseCard, "impediment: a new card"),
    bind(
        &[k('P')],
        Command::ParkTopic,
        "park a topic for after standup",
    ),
    bind(
        &[k('e')],
        Command::EditNotes,
        "notes: yesterday / today / blockers",
    ),
    bind(
        &[k('a')],
        Command::AddAttendee,
        "add someone to the standup",
    ),
    bind(
        &[k('x')],
        Command::RemoveAttendee,
        "take the speaker off (absent)",
    ),
    bind(
        &[k('E')],
        Command::EndStandup,
        "end the standup and save it",
    ),
    bind(&[k('H')], Command::ShowStandupHistory, "past standups"),
    bind(&[code(KeyCode::Enter)], Command::OpenCard, "open the card"),
];

/// Keys of every retro phase.
pub static RETRO: &[Binding] = &[
    bind(&[k(']')], Command::NextPhase, "next phase (facilitator)"),
    bind(
        &[k('[')],
        Command::PrevPhase,
        "previous phase (facilitator)",
    ),
    bind(&[code(KeyCode::Up), k('k')], Command::SelectUp, "select up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "select down",
    ),
    bind(&[k('n')], Command::NewRetro, "start a retro"),
    bind(&[k('L')], Command::BrowseRetros, "past retros"),
    bind(&[k('m')], Command::ToggleMute, "mute / unmute the bell"),
];

pub static RETRO_STAGE: &[Binding] = &[
    bind(
        &[k('a')],
        Command::AnswerPoll,
        "answer the safety check (anonymous)",
    ),
    bind(
        &[k('C')],
        Command::ClosePoll,
        "close the check and show it (facilitator)",
    ),
];

/// While the closing ROTI is open and unanswered: one key answers it (the
/// tab keys 1-5 come back once answered; Tab still switches tabs).
pub static RETRO_ANSWER: &[Binding] = &[
    bind(&[k('1')], Command::Pick(0), "answer 1"),
    bind(&[k('2')], Command::Pick(1), "answer 2"),
    bind(&[k('3')], Command::Pick(2), "answer 3"),
    bind(&[k('4')], Command::Pick(3), "answer 4"),
    bind(&[k('5')], Command::Pick(4), "answer 5"),
];

pub static RETRO_REVIEW: &[Binding] = &[
    bind(
        &[k('d')],
        Command::MarkDone,
        "mark the action done (facilitator)",
    ),
    bind(
        &[k('o')],
        Command::MarkOpen,
        "still open: it comes back next time",
    ),
    bind(
        &[k('x')],
        Command::MarkDropped,
        "dropped (its card is archived)",
    ),
];

pub static RETRO_GATHER: &[Binding] = &[
    bind(
        &[code(KeyCode::Left), k('h')],
        Command::SelectLeft,
        "previous prompt",
    ),
    bind(
        &[code(KeyCode::Right), k('l')],
        Command::SelectRight,
        "next prompt",
    ),
    bind(
        &[k('a'), code(KeyCode::Enter)],
        Command::WriteCard,
        "write a card under the prompt",
    ),
    bind(
        &[k('d')],
        Command::DeleteMyCard,
        "take back one of your cards (before the reveal)",
    ),
    bind(
        &[k('R')],
        Command::RevealCards,
        "reveal every card (facilitator)",
    ),
];

pub static RETRO_GROUP: &[Binding] = &[
    bind(
        &[k(' ')],
        Command::MarkItem,
        "mark / unmark the item for a theme",
    ),
    bind(
        &[k('g')],
        Command::GroupMarked,
        "group the marked items into a theme",
    ),
    bind(
        &[k('s')],
        Command::SplitTheme,
        "split a theme back into its cards",
    ),
];

pub static RETRO_VOTE: &[Binding] = &[
    bind(
        &[k(' '), k('+')],
        Command::AddVote,
        "put a vote on the item",
    ),
    bind(
        &[k('-'), code(KeyCode::Backspace)],
        Command::TakeVote,
        "take one of your votes back",
    ),
];

pub static RETRO_DISCUSS: &[Binding] = &[
    bind(
        &[code(KeyCode::Enter)],
        Command::DiscussItem,
        "discuss this item now: its timebox starts (facilitator)",
    ),
    bind(
        &[k('e')],
        Command::EditItemNotes,
        "notes on the item (facilitator)",
    ),
    bind(
        &[k('a')],
        Command::AddAction,
        "an action item: a card with an owner and a due date",
    ),
];

pub static RETRO_DECIDE: &[Binding] = &[bind(
    &[k('a'), code(KeyCode::Enter)],
    Command::AddAction,
    "an action item: a card with an owner and a due date",
)];

pub static RETRO_CLOSE: &[Binding] = &[
    bind(
        &[k('a')],
        Command::AnswerPoll,
        "how much was this retro worth? (anonymous)",
    ),
    bind(
        &[k('C')],
        Command::ClosePoll,
        "close the check and show it (facilitator)",
    ),
];

pub static RETRO_LIST: &[Binding] = &[
    bind(
        &[code(KeyCode::Enter)],
        Command::OpenRetro,
        "open the retro",
    ),
    bind(
        &[code(KeyCode::Esc)],
        Command::Close,
        "back to the current retro",
    ),
];

pub static PICK: &[Binding] = &[
    bind(&[code(KeyCode::Up), k('k')], Command::SelectUp, "up"),
    bind(&[code(KeyCode::Down), k('j')], Command::SelectDown, "down"),
    bind(&[code(KeyCode::Enter)], Command::Confirm, "choose"),
    bind(&[k('1')], Command::Pick(0), "choose 1"),
    bind(&[k('2')], Command::Pick(1), "choose 2"),
    bind(&[k('3')], Command::Pick(2), "choose 3"),
    bind(&[k('4')], Command::Pick(3), "choose 4"),
    bind(&[k('5')], Command::Pick(4), "choose 5"),
    bind(&[k('6')], Command::Pick(5), "choose 6"),
    bind(&[k('7')], Command::Pick(6), "choose 7"),
    bind(&[k('8')], Command::Pick(7), "choose 8"),
    bind(&[k('9')], Command::Pick(8), "choose 9"),
    bind(
        &[code(KeyCode::Esc), k('q'), ctrl('c')],
        Command::Close,
        "cancel",
    ),
];

pub static PULSE: &[Binding] = &[
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "the pulse above",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "the pulse below",
    ),
    bind(
        &[k('a'), code(KeyCode::Enter)],
        Command::AnswerPulse,
        "answer the pulse (anonymous, once)",
    ),
    bind(&[k('n')], Command::NewPulse, "open a pulse"),
    bind(
        &[k('C')],
        Command::ClosePulse,
        "close the pulse (whoever opened it)",
    ),
];

pub static MORTEM_LIST: &[Binding] = &[
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "the one above",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "the one below",
    ),
    bind(
        &[code(KeyCode::Enter), code(KeyCode::Right), k('l')],
        Command::OpenMortem,
        "open it: its parts take the keys",
    ),
    bind(
        &[k('n')],
        Command::NewMortem,
        "start a post-mortem or a pre-mortem",
    ),
    bind(
        &[k('t')],
        Command::AddTimelineEntry,
        "add to the post-mortem's timeline, the time prefilled",
    ),
    bind(
        &[k('/')],
        Command::StartFilter,
        "search the text of them all",
    ),
    bind(
        &[code(KeyCode::Esc)],
        Command::ClearFilter,
        "clear the search",
    ),
    bind(
        &[k('E')],
        Command::ExportMortem,
        "write it as Markdown to a file here",
    ),
];

/// Keys on an open pre- or post-mortem.
pub static MORTEM_DOC: &[Binding] = &[
    bind(
        &[code(KeyCode::Up), k('k')],
        Command::SelectUp,
        "the part above",
    ),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::SelectDown,
        "the part below",
    ),
    bind(
        &[code(KeyCode::Home), k('g')],
        Command::SelectFirst,
        "the first part",
    ),
    bind(
        &[code(KeyCode::End), k('G')],
        Command::SelectLast,
        "the last part",
    ),
    bind(
        &[code(KeyCode::Enter), k('e')],
        Command::EditPart,
        "write or change the part (an action item: open its card)",
    ),
    bind(
        &[code(KeyCode::Esc), code(KeyCode::Left), k('h')],
        Command::Close,
        "back to the list",
    ),
    bind(
        &[k('E')],
        Command::ExportMortem,
        "write it as Markdown to a file here",
    ),
];

pub static MORTEM_POST: &[Binding] = &[
    bind(
        &[k('t')],
        Command::AddTimelineEntry,
        "add to the timeline, the time prefilled (UTC)",
    ),
    bind(
        &[k('a')],
        Command::AddAction,
        "an action item: type, owner, due date, priority; a card on the board",
    ),
    bind(
        &[k('s')],
        Command::SetMortemStatus,
        "status: draft, in review, final (final shows the warnings left)",
    ),
    bind(
        &[k('x'), code(KeyCode::Delete)],
        Command::DeletePart,
        "delete the timeline entry",
    ),
];

pub static MORTEM_WRITING: &[Binding] = &[
    bind(
        &[k('w'), k('a')],
        Command::WriteCard,
        "write a reason it failed (anonymous, hidden)",
    ),
    bind(
        &[k('d'), k('x')],
        Command::DeleteMyCard,
        "take back one of your reasons",
    ),
    bind(
        &[k('R')],
        Command::RevealCards,
        "reveal every reason (facilitator)",
    ),
];

pub static MORTEM_READING: &[Binding] = &[
    bind(
        &[k('n'), k(' ')],
        Command::ReadNext,
        "read the next reason out (facilitator)",
    ),
    bind(
        &[k('p')],
        Command::ReadPrev,
        "back to the reason before (facilitator)",
    ),
    bind(
        &[k('r')],
        Command::RateRisk,
        "rate the risk: likelihood and impact, 1-5",
    ),
    bind(
        &[k('m')],
        Command::Mitigate,
        "a mitigation with an owner: a card on the board",
    ),
    bind(
        &[k('w'), k('a')],
        Command::WriteCard,
        "add a reason, in the open",
    ),
    bind(&[k('C')], Command::ClosePremortem, "close it (facilitator)"),
];

pub static REPORT: &[Binding] = &[
    bind(&[code(KeyCode::Up), k('k')], Command::ScrollUp, "scroll up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::ScrollDown,
        "scroll down",
    ),
    bind(
        &[code(KeyCode::Esc), code(KeyCode::Enter), k('q'), ctrl('c')],
        Command::Close,
        "close",
    ),
];

pub static CARD_DETAIL: &[Binding] = &[
    bind(&[code(KeyCode::Up), k('k')], Command::ScrollUp, "scroll up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::ScrollDown,
        "scroll down",
    ),
    bind(&[k('e')], Command::EditCard, "edit title and description"),
    bind(
        &[code(KeyCode::Esc), code(KeyCode::Enter), k('q'), ctrl('c')],
        Command::Close,
        "close",
    ),
];

pub static CONFIRM: &[Binding] = &[
    bind(&[k('y'), code(KeyCode::Enter)], Command::Confirm, "yes"),
    bind(
        &[k('n'), code(KeyCode::Esc), ctrl('c')],
        Command::Deny,
        "no",
    ),
];

pub static HELP: &[Binding] = &[
    bind(&[code(KeyCode::Up), k('k')], Command::ScrollUp, "scroll up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::ScrollDown,
        "scroll down",
    ),
    bind(
        &[code(KeyCode::Esc), k('?'), k('q'), ctrl('c')],
        Command::Close,
        "close",
    ),
];

/// The key tables of the screen showing now, most specific first, with a
/// heading each (for help).
pub fn screen(state: &AppState) -> Vec<(&'static str, &'static [Binding])> {
    match state.tab {
        Tab::Board => vec![("Board", BOARD)],
        Tab::Flow => vec![("Flow", FLOW)],
        Tab::Sprint => match state.sprint.view {
            SprintView::Plan => vec![("Planning", SPRINT_PLAN), ("Sprint", SPRINT)],
            SprintView::Review => vec![("Review & close", SPRINT_REVIEW), ("Sprint", SPRINT)],
            SprintView::Progress | SprintView::Velocity => vec![("Sprint", SPRINT)],
        },
        Tab::Standup => vec![("Standup", STANDUP)],
        Tab::Pulse => vec![("Pulse", PULSE)],
        Tab::Mortems => {
            let m = &state.mortem;
            match m.report().filter(|_| m.reading) {
                None => vec![("Mortems", MORTEM_LIST)],
                Some(r) => match (r.mortem.kind, r.mortem.stage) {
                    (MortemKind::Post, _) => {
                        vec![("Post-mortem", MORTEM_POST), ("Document", MORTEM_DOC)]
                    }
                    (MortemKind::Pre, Some(Stage::Writing)) => vec![
                        ("Pre-mortem: writing", MORTEM_WRITING),
                        ("Document", MORTEM_DOC),
                    ],
                    (MortemKind::Pre, _) => vec![
                        ("Pre-mortem: reading and rating", MORTEM_READING),
                        ("Document", MORTEM_DOC),
                    ],
                },
            }
        }
        Tab::Retro => {
            let r = &state.retro;
            let phase: Option<(&'static str, &'static [Binding])> = match r.phase() {
                _ if r.browsing || r.retro().is_none() => Some(("Past retros", RETRO_LIST)),
                Some(Phase::Stage) => Some(("Set the stage", RETRO_STAGE)),
                Some(Phase::Review) => Some(("Last time", RETRO_REVIEW)),
                Some(Phase::Gather) => Some(("Gather", RETRO_GATHER)),
                Some(Phase::Group) => Some(("Group", RETRO_GROUP)),
                Some(Phase::Vote) => Some(("Vote", RETRO_VOTE)),
                Some(Phase::Discuss) => Some(("Discuss", RETRO_DISCUSS)),
                Some(Phase::Decide) => Some(("Decide", RETRO_DECIDE)),
                Some(Phase::Close) => Some(("Close", RETRO_CLOSE)),
                _ => None,
            };
            let answering = r.data.as_deref().is_some_and(|d| {
                // The closing ROTI only: a safety answer is chosen with care
                // (a), never by a key meant for changing tabs.
                d.retro()
                    .is_some_and(|x| x.phase == Phase::Close && !x.roti_closed && !d.answered_roti)
            }) && !r.browsing;
            answering
                .then_some(("Answer in one key", RETRO_ANSWER))
                .into_iter()
                .chain(phase)
                .chain([("Retro", RETRO)])
                .collect()
        }
    }
}

/// Every set of tables that can be active together: a key must mean one
/// thing in each (checked by a test, and for the user's own keys).
pub static CONTEXTS: &[&[&[Binding]]] = &[
    &[MORTEM_LIST, GLOBAL],
    &[MORTEM_POST, MORTEM_DOC, GLOBAL],
    &[MORTEM_WRITING, MORTEM_DOC, GLOBAL],
    &[MORTEM_READING, MORTEM_DOC, GLOBAL],
    &[BOARD, GLOBAL],
    &[FLOW, GLOBAL],
    &[SPRINT_PLAN, SPRINT, GLOBAL],
    &[SPRINT_REVIEW, SPRINT, GLOBAL],
    &[STANDUP, GLOBAL],
    &[PULSE, GLOBAL],
    &[RETRO_STAGE, RETRO, GLOBAL],
    &[RETRO_ANSWER, RETRO_CLOSE, RETRO],
    &[RETRO_REVIEW, RETRO, GLOBAL],
    &[RETRO_GATHER, RETRO, GLOBAL],
    &[RETRO_GROUP, RETRO, GLOBAL],
    &[RETRO_VOTE, RETRO, GLOBAL],
    &[RETRO_DISCUSS, RETRO, GLOBAL],
    &[RETRO_DECIDE, RETRO, GLOBAL],
    &[RETRO_CLOSE, RETRO, GLOBAL],
    &[RETRO_LIST, RETRO, GLOBAL],
    &[PICK],
    &[COLUMNS],
    &[CARD_DETAIL],
    &[CONFIRM],
    &[HELP],
    &[REPORT],
];

/// The command a key means in a table, if any.
pub fn lookup(table: &[Binding], ev: &KeyEvent) -> Option<Command> {
    table
        .iter()
        .find(|b| b.keys.iter().any(|key| key.matches(ev)))
        .map(|b| b.command)
}

/// The keys of a binding as shown in help: `h / ←`.
pub fn keys_label(b: &Binding) -> String {
    let mut labels: Vec<String> = Vec::new();
    for l in b.keys.iter().map(Key::label) {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    labels.join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn letters_and_shifted_letters_are_distinct() {
        assert_eq!(
            lookup(BOARD, &press(KeyCode::Char('h'), KeyModifiers::NONE)),
            Some(Command::SelectLeft)
        );
        assert_eq!(
            lookup(BOARD, &press(KeyCode::Char('H'), KeyModifiers::SHIFT)),
            Some(Command::MoveCardLeft)
        );
        assert_eq!(
            lookup(BOARD, &press(KeyCode::Right, KeyModifiers::SHIFT)),
            Some(Command::MoveCardRight)
        );
        assert_eq!(
            lookup(GLOBAL, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(
            lookup(BOARD, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None
        );
    }

    fn setting(action: &str, keys: &[&str], line: usize) -> crate::config::KeySetting {
        crate::config::KeySetting {
            action: action.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            line,
        }
    }

    #[test]
    fn keys_and_actions_are_named_as_the_settings_write_them() {
        assert_eq!(action_name(Command::MoveCardLeft), "move_card_left");
        assert_eq!(action_name(Command::GoToTab(3)), "go_to_tab_3");
        assert_eq!(parse_key("ctrl-s"), Some(ctrl('s')));
        assert_eq!(parse_key("shift-tab"), Some(code(KeyCode::BackTab)));
        assert_eq!(parse_key("shift-left"), Some(shift(KeyCode::Left)));
        assert_eq!(parse_key("F5"), Some(code(KeyCode::F(5))));
        assert_eq!(parse_key("?"), Some(k('?')));
        assert_eq!(parse_key("space"), Some(k(' ')));
        assert_eq!(parse_key("hyper-x"), None);
        let names: Vec<String> = actions().into_iter().map(|(n, _, _)| n).collect();
        assert!(names.contains(&"archive_card".to_string()));
        assert!(names.contains(&"new_mortem".to_string()));
    }

    #[test]
    fn the_users_keys_replace_the_defaults_everywhere_and_help_says_so() {
        let (map, problems) = Keymap::from_settings(&[
            setting("move_card_left", &["<", "shift-left"], 3),
            setting("no_such_thing", &["z"], 4),
            setting("quit", &["hyper-x"], 5),
        ]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("line 4: keys.no_such_thing: no such action"));
        assert!(problems[1].contains("\"hyper-x\" is not a key"));
        let ev = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(map.lookup(BOARD, &ev('<')), Some(Command::MoveCardLeft));
        assert_eq!(map.lookup(BOARD, &ev('H')), None, "the default is replaced");
        let b = BOARD
            .iter()
            .find(|b| b.command == Command::MoveCardLeft)
            .unwrap();
        assert_eq!(map.label(b), "< / Shift-←");
        assert_eq!(Keymap::default().label(b), "H / Shift-←");
    }

    #[test]
    fn a_key_that_would_mean_two_things_on_a_screen_is_refused() {
        // `j` moves the selection down on the board.
        let (map, problems) = Keymap::from_settings(&[
            setting("archive_card", &["j"], 7),
            setting("new_card", &["N"], 8),
        ]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("line 7: keys.archive_card: j is select_down"),
            "{problems:?}"
        );
        let ev = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(BOARD, &ev('x')),
            Some(Command::ArchiveCard),
            "default stays"
        );
        assert_eq!(map.lookup(BOARD, &ev('j')), Some(Command::SelectDown));
        assert_eq!(
            map.lookup(
                BOARD,
                &KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT)
            ),
            Some(Command::NewCard)
        );
        assert!(map.conflict().is_none());
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for tables in CONTEXTS {
            let mut seen = Vec::new();
            for b in tables.iter().flat_map(|t| t.iter()) {
                for key in b.keys {
                    assert!(!seen.contains(key), "{} bound twice", key.label());
                    seen.push(*key);
                }
            }
        }
    }
}

/// A key as the settings write it: `H`, `?`, `ctrl-s`, `shift-tab`, `pgdn`.
pub fn parse_key(text: &str) -> Option<Key> {
    let t = text.trim();
    if t.chars().count() == 1 {
        return t.chars().next().map(k_of);
    }
    let lower = t.to_ascii_lowercase().replace('+', "-");
    let (mods, name) = if let Some(rest) = lower.strip_prefix("ctrl-") {
        (KeyModifiers::CONTROL, rest.to_string())
    } else if let Some(rest) = lower.strip_prefix("shift-") {
        (KeyModifiers::SHIFT, rest.to_string())
    } else {
        (KeyModifiers::NONE, lower.clone())
    };
    let code = match name.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if mods == KeyModifiers::SHIFT => return Some(code_of(KeyCode::BackTab)),
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        f if f.starts_with('f') && f.len() > 1 => {
            let n: u8 = f[1..].parse().ok().filter(|n| (1..=12).contains(n))?;
            KeyCode::F(n)
        }
        c if c.chars().count() == 1 && mods == KeyModifiers::CONTROL => {
            KeyCode::Char(c.chars().next()?)
        }
        _ => return None,
    };
    Some(Key { code, mods })
}

fn code_of(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

fn k_of(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

/// An action's name in the settings: `MoveCardLeft` is `move_card_left`,
/// `GoToTab(3)` is `go_to_tab_3`.
pub fn action_name(cmd: Command) -> String {
    let debug = format!("{cmd:?}");
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        match c {
            '(' => out.push('_'),
            ')' => {}
            c if c.is_ascii_uppercase() => {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            c => out.push(c),
        }
    }
    out
}

/// Every action a key can be set to, with what it does (its first help
/// line), by name.
pub fn actions() -> Vec<(String, Command, &'static str)> {
    let mut out: Vec<(String, Command, &'static str)> = Vec::new();
    for tables in CONTEXTS {
        for b in tables.iter().flat_map(|t| t.iter()) {
            if !out.iter().any(|(_, c, _)| *c == b.command) {
                out.push((action_name(b.command), b.command, b.help));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The keys as this user set them: their settings' keys in place of an
/// action's defaults, wherever the action is bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    overrides: Vec<(Command, Vec<Key>)>,
}

impl Keymap {
    /// The keys of a binding, the user's if they set them.
    pub fn keys<'a>(&'a self, b: &'a Binding) -> &'a [Key] {
        self.overrides
            .iter()
            .find(|(c, _)| *c == b.command)
            .map_or(b.keys, |(_, k)| k.as_slice())
    }

    /// The command a key means in a table, if any.
    pub fn lookup(&self, table: &[Binding], ev: &KeyEvent) -> Option<Command> {
        table
            .iter()
            .find(|b| self.keys(b).iter().any(|key| key.matches(ev)))
            .map(|b| b.command)
    }

    /// The keys of a binding as help shows them: `h / ←`.
    pub fn label(&self, b: &Binding) -> String {
        let mut labels: Vec<String> = Vec::new();
        for l in self.keys(b).iter().map(Key::label) {
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        labels.join(" / ")
    }

    /// Where two actions would share a key on one screen: their names and
    /// the key.
    fn conflict(&self) -> Option<(Command, Command, Key)> {
        for tables in CONTEXTS {
            let mut seen: Vec<(Key, Command)> = Vec::new();
            for b in tables.iter().flat_map(|t| t.iter()) {
                for key in self.keys(b) {
                    match seen.iter().find(|(k, _)| k == key) {
                        Some((_, other)) if *other != b.command => {
                            return Some((*other, b.command, *key));
                        }
                        Some(_) => {}
                        None => seen.push((*key, b.command)),
                    }
                }
            }
        }
        None
    }

    /// The user's keys from the settings, and what could not be used: an
    /// unknown action or key, or a key that would mean two things on one
    /// screen (then that action keeps its default keys).
    pub fn from_settings(settings: &[crate::config::KeySetting]) -> (Self, Vec<String>) {
        let known = actions();
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let mut lines: Vec<(Command, usize)> = Vec::new();
        for s in settings {
            let at = if s.line == 0 {
                String::new()
            } else {
                format!("line {}: ", s.line)
            };
            let Some((_, cmd, _)) = known.iter().find(|(n, _, _)| *n == s.action) else {
                problems.push(format!(
                    "{at}keys.{}: no such action (teamloop config actions lists them)",
                    s.action
                ));
                continue;
            };
            let mut keys = Vec::new();
            for k in &s.keys {
                match parse_key(k) {
                    Some(key) => keys.push(key),
                    None => problems.push(format!("{at}keys.{}: \"{k}\" is not a key", s.action)),
                }
            }
            if !keys.is_empty() {
                map.overrides.push((*cmd, keys));
                lines.push((*cmd, s.line));
            }
        }
        // A conflict drops the user's keys of an action involved, until none is left.
        while let Some((a, b, key)) = map.conflict() {
            let mine = |c: Command| map.overrides.iter().position(|(x, _)| *x == c);
            let Some(i) = mine(b).or_else(|| mine(a)) else {
                break;
            };
            let (dropped, _) = map.overrides.remove(i);
            let other = if dropped == a { b } else { a };
            let line = lines
                .iter()
                .find(|(c, _)| *c == dropped)
                .map_or(0, |(_, l)| *l);
            let at = if line == 0 {
                String::new()
            } else {
                format!("line {line}: ")
            };
            problems.push(format!(
                "{at}keys.{}: {} is {} on the same screen; the default keys stay",
                action_name(dropped),
                key.label(),
                action_name(other)
            ));
        }
        (map, problems)
    }
}
