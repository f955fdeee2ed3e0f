//! The key tables of the board, the Flow tab and the dialogs every tab
//! shares.

use ratatui::crossterm::event::KeyCode;

use super::{Binding, bind, code, ctrl, k, shift};
use crate::ui::action::Command;

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
        &[k('Z')],
        Command::OpenPoker,
        "planning poker: join the round, or start one on this card",
    ),
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
        &[k('f')],
        Command::NextForecast,
        "forecast when a column's or a tag's cards are done (again: the next, then off)",
    ),
    bind(
        &[k('F')],
        Command::PrevForecast,
        "forecast: the previous column or tag",
    ),
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
