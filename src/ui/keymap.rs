//! Keys as data: one table per context. The help overlay is generated from
//! these tables, so it cannot drift from the real bindings.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

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
        let mods = match ev.code {
            KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
            _ => ev.modifiers,
        };
        let want = match self.code {
            KeyCode::Char(_) => self.mods - KeyModifiers::SHIFT,
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
    bind(&[k('1')], Command::GoToTab(0), "Board tab"),
    bind(&[k('2')], Command::GoToTab(1), "Flow tab"),
    bind(&[ctrl('l')], Command::Refresh, "reload and redraw"),
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
    bind(&[k('?')], Command::ShowHelp, "show these keys"),
    bind(
        &[code(KeyCode::Esc), k('c'), k('q')],
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

pub static CARD_DETAIL: &[Binding] = &[
    bind(&[code(KeyCode::Up), k('k')], Command::ScrollUp, "scroll up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::ScrollDown,
        "scroll down",
    ),
    bind(&[k('e')], Command::EditCard, "edit title and description"),
    bind(
        &[code(KeyCode::Esc), code(KeyCode::Enter), k('q')],
        Command::Close,
        "close",
    ),
];

pub static CONFIRM: &[Binding] = &[
    bind(&[k('y'), code(KeyCode::Enter)], Command::Confirm, "yes"),
    bind(&[k('n'), code(KeyCode::Esc)], Command::Deny, "no"),
];

pub static HELP: &[Binding] = &[
    bind(&[code(KeyCode::Up), k('k')], Command::ScrollUp, "scroll up"),
    bind(
        &[code(KeyCode::Down), k('j')],
        Command::ScrollDown,
        "scroll down",
    ),
    bind(
        &[code(KeyCode::Esc), k('?'), k('q')],
        Command::Close,
        "close",
    ),
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

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for table in [BOARD, COLUMNS, CARD_DETAIL, CONFIRM, HELP] {
            let mut seen = Vec::new();
            for b in table.iter().chain(if std::ptr::eq(table, BOARD) {
                GLOBAL
            } else {
                &[]
            }) {
                for key in b.keys {
                    assert!(!seen.contains(key), "{} bound twice", key.label());
                    seen.push(*key);
                }
            }
        }
    }
}
