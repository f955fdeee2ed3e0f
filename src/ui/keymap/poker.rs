//! The planning poker panel's keys, and its hint line.

use ratatui::crossterm::event::KeyCode;

use super::{Binding, Hint, bind, code, ctrl, hint, k};
use crate::ui::action::Command;

pub static POKER: &[Binding] = &[
    bind(
        &[code(KeyCode::Left), k('h')],
        Command::SelectLeft,
        "the value to the left",
    ),
    bind(
        &[code(KeyCode::Right), k('l')],
        Command::SelectRight,
        "the value to the right",
    ),
    bind(
        &[code(KeyCode::Enter), k(' ')],
        Command::PokerPick,
        "pick the value (again: change your pick, until the reveal)",
    ),
    bind(
        &[k('r')],
        Command::PokerReveal,
        "reveal everyone's picks (facilitator)",
    ),
    bind(
        &[k('v')],
        Command::PokerRevote,
        "vote again on this card, after the reveal (facilitator)",
    ),
    bind(
        &[k('a')],
        Command::PokerAccept,
        "accept the value: its points become the card's estimate (facilitator)",
    ),
    bind(
        &[k('X')],
        Command::EndPoker,
        "end the round before its queue is done (facilitator)",
    ),
    bind(
        &[k('T')],
        Command::TakeOver,
        "take the round over as facilitator (asks first)",
    ),
    bind(&[k('?')], Command::ShowHelp, "show these keys"),
    bind(
        &[code(KeyCode::Esc), k('q'), ctrl('c')],
        Command::Close,
        "close the panel (the round goes on)",
    ),
];

pub static POKER_HINTS: &[Hint] = &[
    hint(&[Command::SelectLeft, Command::SelectRight], "value"),
    hint(&[Command::PokerPick], "pick"),
    hint(&[Command::PokerReveal], "reveal"),
    hint(&[Command::PokerRevote], "re-vote"),
    hint(&[Command::PokerAccept], "accept"),
    hint(&[Command::Close], "close"),
];
