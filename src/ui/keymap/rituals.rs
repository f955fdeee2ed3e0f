//! The key tables of the ritual tabs: sprint, standup, retro, pulse and
//! mortems.

use ratatui::crossterm::event::KeyCode;

use super::{Binding, bind, code, k};
use crate::ui::action::Command;

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
        &[k('T')],
        Command::TakeOver,
        "take the standup over as facilitator (asks first)",
    ),
    bind(
        &[k(' ')],
        Command::ToggleTimer,
        "start the standup; pause / run its timer (facilitator)",
    ),
    bind(
        &[k('n'), code(KeyCode::Right)],
        Command::NextTurn,
        "next speaker (or next card), for everyone",
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
    bind(
        &[k('s')],
        Command::ShuffleSpeakers,
        "shuffle the speakers (facilitator)",
    ),
    bind(
        &[k('f')],
        Command::SwitchFormat,
        "format: walk the board / round robin (facilitator)",
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
        &[k('J')],
        Command::JoinStandup,
        "join the standup yourself, or leave it",
    ),
    bind(
        &[k('E')],
        Command::EndStandup,
        "end the standup and save it (facilitator)",
    ),
    bind(&[k('H')], Command::ShowStandupHistory, "past standups"),
    bind(&[code(KeyCode::Enter)], Command::OpenCard, "open the card"),
];

/// Keys of every retro phase.
pub static RETRO: &[Binding] = &[
    bind(
        &[k('T')],
        Command::TakeOver,
        "take the retro over as facilitator (asks first)",
    ),
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
    bind(
        &[k('O')],
        Command::ReopenPoll,
        "reopen a check closed under three answers (facilitator)",
    ),
];

/// Until the discussion, the safety check may be reopened and answered
/// from every phase.
pub static RETRO_SAFETY: &[Binding] = &[
    bind(
        &[k('A')],
        Command::AnswerPoll,
        "answer the safety check while it is open (anonymous)",
    ),
    bind(
        &[k('C')],
        Command::ClosePoll,
        "close the safety check (facilitator)",
    ),
    bind(
        &[k('O')],
        Command::ReopenPoll,
        "reopen the safety check closed under three answers (facilitator)",
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

pub static PULSE: &[Binding] = &[
    bind(
        &[k('T')],
        Command::TakeOver,
        "take the pulse's close over (asks first)",
    ),
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
    bind(
        &[code(KeyCode::PageDown), k('J')],
        Command::ScrollDown,
        "scroll the results down",
    ),
    bind(
        &[code(KeyCode::PageUp), k('K')],
        Command::ScrollUp,
        "scroll the results up",
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
        &[k('T')],
        Command::TakeOver,
        "take the pre-mortem over as facilitator (asks first)",
    ),
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
        &[k('T')],
        Command::TakeOver,
        "take the pre-mortem over as facilitator (asks first)",
    ),
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
