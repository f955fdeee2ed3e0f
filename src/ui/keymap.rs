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

mod rituals;
mod settings;
mod tables;
#[cfg(test)]
mod tests;

pub use rituals::*;
pub use settings::*;
pub use tables::*;

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
