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

/// One entry of a screen's hint line: the commands whose keys it names
/// (each command's first key, as the user set it, joined by `/`) and what
/// it says. Hint lines are made from these and the live keymap, so they
/// cannot name a key that does something else.
pub struct Hint {
    pub commands: &'static [Command],
    pub text: &'static str,
}

const fn hint(commands: &'static [Command], text: &'static str) -> Hint {
    Hint { commands, text }
}

mod hints;
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
    context(state).0
}

/// The hint line of the screen showing now, in the user's own keys.
pub fn hint_line(state: &AppState) -> String {
    let (mut tables, hints) = context(state);
    tables.push(("", GLOBAL));
    hints_in(&state.keys, &tables, hints)
}

/// A hint line for these tables (a dialog's own), in the user's keys.
pub fn hints_in(keys: &Keymap, tables: &[(&str, &[Binding])], hints: &[Hint]) -> String {
    let shown: Vec<String> = hints
        .iter()
        .chain([&HELP_HINT])
        .filter_map(|h| hint_text(keys, tables, h))
        .collect();
    shown.join(" · ")
}

pub use hints::COLUMNS as COLUMN_HINTS;

const HELP_HINT: Hint = hint(&[Command::ShowHelp], "keys");

/// One hint as the keymap has it: `j/k select`; none when a command of it
/// is bound in none of the tables.
fn hint_text(keys: &Keymap, tables: &[(&str, &[Binding])], h: &Hint) -> Option<String> {
    let labels: Vec<String> = h
        .commands
        .iter()
        .map(|c| {
            tables
                .iter()
                .find_map(|(_, t)| t.iter().find(|b| b.command == *c))
                .and_then(|b| keys.keys(b).first())
                .map(Key::label)
        })
        .collect::<Option<_>>()?;
    Some(format!("{} {}", labels.join("/"), h.text))
}

/// The tables and the hint line of the screen showing now: one place that
/// knows which keys are live where.
fn context(state: &AppState) -> (Vec<(&'static str, &'static [Binding])>, &'static [Hint]) {
    match state.tab {
        Tab::Board => (vec![("Board", BOARD)], hints::BOARD),
        Tab::Flow => (vec![("Flow", FLOW)], hints::FLOW),
        Tab::Sprint => match state.sprint.view {
            SprintView::Plan => (
                vec![("Planning", SPRINT_PLAN), ("Sprint", SPRINT)],
                hints::SPRINT_PLAN,
            ),
            SprintView::Review => (
                vec![("Review & close", SPRINT_REVIEW), ("Sprint", SPRINT)],
                hints::SPRINT_REVIEW,
            ),
            SprintView::Progress | SprintView::Velocity => {
                (vec![("Sprint", SPRINT)], hints::SPRINT)
            }
        },
        Tab::Standup => (vec![("Standup", STANDUP)], hints::STANDUP),
        Tab::Pulse => (vec![("Pulse", PULSE)], hints::PULSE),
        Tab::Mortems => {
            let m = &state.mortem;
            match m.report().filter(|_| m.reading) {
                None => (vec![("Mortems", MORTEM_LIST)], hints::MORTEM_LIST),
                Some(r) => match (r.mortem.kind, r.mortem.stage) {
                    (MortemKind::Post, _) => (
                        vec![("Post-mortem", MORTEM_POST), ("Document", MORTEM_DOC)],
                        hints::MORTEM_POST,
                    ),
                    (MortemKind::Pre, Some(Stage::Writing)) => (
                        vec![
                            ("Pre-mortem: writing", MORTEM_WRITING),
                            ("Document", MORTEM_DOC),
                        ],
                        hints::MORTEM_WRITING,
                    ),
                    (MortemKind::Pre, _) => (
                        vec![
                            ("Pre-mortem: reading and rating", MORTEM_READING),
                            ("Document", MORTEM_DOC),
                        ],
                        hints::MORTEM_READING,
                    ),
                },
            }
        }
        Tab::Retro => {
            let r = &state.retro;
            let phase: Option<(&'static str, &'static [Binding], &'static [Hint])> = match r.phase()
            {
                _ if r.browsing || r.retro().is_none() => {
                    Some(("Past retros", RETRO_LIST, hints::RETRO_LIST))
                }
                Some(Phase::Stage) => Some(("Set the stage", RETRO_STAGE, hints::RETRO_STAGE)),
                Some(Phase::Review) => Some(("Last time", RETRO_REVIEW, hints::RETRO_REVIEW)),
                Some(Phase::Facts) => None,
                Some(Phase::Gather) => Some(("Gather", RETRO_GATHER, hints::RETRO_GATHER)),
                Some(Phase::Group) => Some(("Group", RETRO_GROUP, hints::RETRO_GROUP)),
                Some(Phase::Vote) => Some(("Vote", RETRO_VOTE, hints::RETRO_VOTE)),
                Some(Phase::Discuss) => Some(("Discuss", RETRO_DISCUSS, hints::RETRO_DISCUSS)),
                Some(Phase::Decide) => Some(("Decide", RETRO_DECIDE, hints::RETRO_DECIDE)),
                Some(Phase::Close) => Some(("Close", RETRO_CLOSE, hints::RETRO_CLOSE)),
                _ => None,
            };
            let hint = match (r.phase(), &phase) {
                (_, Some((_, _, h))) => *h,
                (Some(Phase::Facts), None) => hints::RETRO_FACTS,
                _ => hints::RETRO_CLOSED,
            };
            let phase = phase.map(|(name, t, _)| (name, t));
            let answering = r.data.as_deref().is_some_and(|d| {
                // The closing ROTI only: a safety answer is chosen with care
                // (a), never by a key meant for changing tabs.
                d.retro()
                    .is_some_and(|x| x.phase == Phase::Close && !x.roti_closed && !d.answered_roti)
            }) && !r.browsing;
            let tables = answering
                .then_some(("Answer in one key", RETRO_ANSWER))
                .into_iter()
                .chain(phase)
                .chain([("Retro", RETRO)])
                .collect();
            (tables, hint)
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
