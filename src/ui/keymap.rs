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
mod poker;
mod rituals;
mod settings;
mod tables;
#[cfg(test)]
mod tests;

pub use poker::*;
pub use rituals::*;
pub use settings::*;
pub use tables::*;

/// The key tables of the screen showing now, most specific first, with a
/// heading each (for help).
pub fn screen(state: &AppState) -> Vec<(&'static str, &'static [Binding])> {
    current(state).tables.to_vec()
}

/// The hint line of the screen showing now, in the user's own keys.
pub fn hint_line(state: &AppState) -> String {
    let screen = current(state);
    let mut tables = screen.tables.to_vec();
    if screen.global {
        tables.push(("", GLOBAL));
    }
    let mut shown = hint_parts(&state.keys, &tables, screen.hints);
    // As many as fit the terminal's width, from the first; the way to every
    // key (`? keys`) always stays.
    let room = usize::from(state.width).saturating_sub(1);
    while shown.len() > 1 && crate::ui::text::width(&shown.join(" · ")) > room {
        shown.remove(shown.len() - 2);
    }
    shown.join(" · ")
}

/// The user's key for `cmd` among the tables live on this screen (`J`,
/// `Space`), for a screen's text that names it: the same key the hint line
/// and `?` show; none when nothing on the screen runs it.
pub fn live_key(state: &AppState, cmd: Command) -> Option<String> {
    let screen = current(state);
    let mut tables = screen.tables.to_vec();
    if screen.global {
        tables.push(("", GLOBAL));
    }
    label_of(&state.keys, &tables, cmd)
}

/// The user's key for `cmd` as a message names it: the one live on this
/// screen, else the one it has on the screen another tab shows now (a
/// message may be about a ritual on another tab), else on any screen or
/// dialog. A message never names a key the user has rebound.
pub fn key_for(state: &AppState, cmd: Command) -> String {
    let showing = crate::ui::tabs::TABS.iter().map(|t| (t.screen)(state));
    live_key(state, cmd)
        .or_else(|| {
            showing
                .chain(SCREENS.iter().copied())
                .find_map(|s| label_of(&state.keys, s.tables, cmd))
        })
        .or_else(|| {
            DIALOGS
                .iter()
                .chain([&GLOBAL])
                .find_map(|t| label_in(&state.keys, t, cmd))
        })
        .unwrap_or_else(|| action_name(cmd))
}

/// The user's key for `cmd` in `table`: for a message about a screen
/// other than the one showing (a phase the meeting just moved to).
pub fn key_in(state: &AppState, table: &[Binding], cmd: Command) -> String {
    label_in(&state.keys, table, cmd).unwrap_or_else(|| key_for(state, cmd))
}

/// The key `keys` give `cmd` in `table`, if it is bound there: for a
/// dialog's own lines.
pub fn label_in(keys: &Keymap, table: &[Binding], cmd: Command) -> Option<String> {
    label_of(keys, &[("", table)], cmd)
}

/// A hint line for these tables (a dialog's own), in the user's keys.
pub fn hints_in(keys: &Keymap, tables: &[(&str, &[Binding])], hints: &[Hint]) -> String {
    hint_parts(keys, tables, hints).join(" · ")
}

/// The hint line's entries, the way to every key last.
fn hint_parts(keys: &Keymap, tables: &[(&str, &[Binding])], hints: &[Hint]) -> Vec<String> {
    hints
        .iter()
        .chain([&HELP_HINT])
        .filter_map(|h| hint_text(keys, tables, h))
        .collect()
}

pub use hints::COLUMNS as COLUMN_HINTS;

const HELP_HINT: Hint = hint(&[Command::ShowHelp], "keys");

/// One hint as the keymap has it: `j/k select`; none when a command of it
/// is bound in none of the tables.
fn hint_text(keys: &Keymap, tables: &[(&str, &[Binding])], h: &Hint) -> Option<String> {
    let labels: Vec<String> = h
        .commands
        .iter()
        .map(|c| label_of(keys, tables, *c))
        .collect::<Option<_>>()?;
    Some(format!("{} {}", labels.join("/"), h.text))
}

/// The key that runs `cmd` in these tables, as a hint names it.
fn label_of(keys: &Keymap, tables: &[(&str, &[Binding])], cmd: Command) -> Option<String> {
    tables
        .iter()
        .find_map(|(_, t)| t.iter().find(|b| b.command == cmd))
        .and_then(|b| {
            // A letter rather than an arrow: `j/k`, as people type it.
            let all = keys.keys(b);
            let arrow = |k: &&Key| {
                matches!(
                    k.code,
                    KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right
                )
            };
            match all.first() {
                Some(first) if arrow(&first) => all
                    .iter()
                    .find(|k| matches!(k.code, KeyCode::Char(_)))
                    .or(Some(first)),
                first => first,
            }
        })
        .map(Key::label)
}

/// A screen's keys: its key tables, most specific first, each with a
/// heading (for help), and its hint line. Every screen is one of
/// [`SCREENS`]: which keys are live where is written once, here, and the
/// help, the hint lines, the palette and the check of the user's keys for
/// conflicts all read it.
pub struct Screen {
    /// The tab it is a screen of.
    pub tab: Tab,
    pub tables: &'static [(&'static str, &'static [Binding])],
    pub hints: &'static [Hint],
    /// The keys of [`GLOBAL`] work here too (not while a ROTI is answered
    /// by its digit).
    pub global: bool,
}

const fn screen_of(
    tab: Tab,
    tables: &'static [(&'static str, &'static [Binding])],
    hints: &'static [Hint],
) -> Screen {
    Screen {
        tab,
        tables,
        hints,
        global: true,
    }
}

pub static BOARD_SCREEN: Screen = screen_of(Tab::Board, &[("Board", BOARD)], hints::BOARD);
pub static FLOW_SCREEN: Screen = screen_of(Tab::Flow, &[("Flow", FLOW)], hints::FLOW);
static SPRINT_PLAN_SCREEN: Screen = screen_of(
    Tab::Sprint,
    &[("Planning", SPRINT_PLAN), ("Sprint", SPRINT)],
    hints::SPRINT_PLAN,
);
static SPRINT_REVIEW_SCREEN: Screen = screen_of(
    Tab::Sprint,
    &[("Review & close", SPRINT_REVIEW), ("Sprint", SPRINT)],
    hints::SPRINT_REVIEW,
);
static SPRINT_SCREEN: Screen = screen_of(Tab::Sprint, &[("Sprint", SPRINT)], hints::SPRINT);
static SPRINT_VELOCITY_SCREEN: Screen =
    screen_of(Tab::Sprint, &[("Sprint", SPRINT)], hints::SPRINT_VELOCITY);
pub static STANDUP_SCREEN: Screen =
    screen_of(Tab::Standup, &[("Standup", STANDUP)], hints::STANDUP);
/// Someone else's standup under way: the same keys, and a hint line of
/// what anyone may do.
static STANDUP_FOLLOW_SCREEN: Screen =
    screen_of(Tab::Standup, &[("Standup", STANDUP)], hints::STANDUP_FOLLOW);
pub static PULSE_SCREEN: Screen = screen_of(Tab::Pulse, &[("Pulse", PULSE)], hints::PULSE);
static MORTEM_LIST_SCREEN: Screen = screen_of(
    Tab::Mortems,
    &[("Mortems", MORTEM_LIST)],
    hints::MORTEM_LIST,
);
static MORTEM_POST_SCREEN: Screen = screen_of(
    Tab::Mortems,
    &[("Post-mortem", MORTEM_POST), ("Document", MORTEM_DOC)],
    hints::MORTEM_POST,
);
static MORTEM_WRITING_SCREEN: Screen = screen_of(
    Tab::Mortems,
    &[
        ("Pre-mortem: writing", MORTEM_WRITING),
        ("Document", MORTEM_DOC),
    ],
    hints::MORTEM_WRITING,
);
static MORTEM_READING_SCREEN: Screen = screen_of(
    Tab::Mortems,
    &[
        ("Pre-mortem: reading and rating", MORTEM_READING),
        ("Document", MORTEM_DOC),
    ],
    hints::MORTEM_READING,
);
static RETRO_LIST_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[("Past retros", RETRO_LIST), ("Retro", RETRO)],
    hints::RETRO_LIST,
);
static RETRO_STAGE_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[("Set the stage", RETRO_STAGE), ("Retro", RETRO)],
    hints::RETRO_STAGE,
);
static RETRO_REVIEW_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[
        ("Last time", RETRO_REVIEW),
        ("Safety check", RETRO_SAFETY),
        ("Retro", RETRO),
    ],
    hints::RETRO_REVIEW,
);
static RETRO_FACTS_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[("Safety check", RETRO_SAFETY), ("Retro", RETRO)],
    hints::RETRO_FACTS,
);
static RETRO_GATHER_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[
        ("Gather", RETRO_GATHER),
        ("Safety check", RETRO_SAFETY),
        ("Retro", RETRO),
    ],
    hints::RETRO_GATHER,
);
static RETRO_GROUP_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[
        ("Group", RETRO_GROUP),
        ("Safety check", RETRO_SAFETY),
        ("Retro", RETRO),
    ],
    hints::RETRO_GROUP,
);
static RETRO_VOTE_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[
        ("Vote", RETRO_VOTE),
        ("Safety check", RETRO_SAFETY),
        ("Retro", RETRO),
    ],
    hints::RETRO_VOTE,
);
static RETRO_DISCUSS_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[("Discuss", RETRO_DISCUSS), ("Retro", RETRO)],
    hints::RETRO_DISCUSS,
);
static RETRO_DECIDE_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[("Decide", RETRO_DECIDE), ("Retro", RETRO)],
    hints::RETRO_DECIDE,
);
static RETRO_CLOSE_SCREEN: Screen = screen_of(
    Tab::Retro,
    &[("Close", RETRO_CLOSE), ("Retro", RETRO)],
    hints::RETRO_CLOSE,
);
/// The closing ROTI, answered by a digit: the tab keys 1 to 5 give way.
static RETRO_ANSWER_SCREEN: Screen = Screen {
    tab: Tab::Retro,
    tables: &[
        ("Answer in one key", RETRO_ANSWER),
        ("Close", RETRO_CLOSE),
        ("Retro", RETRO),
    ],
    hints: hints::RETRO_ANSWER,
    global: false,
};
static RETRO_CLOSED_SCREEN: Screen =
    screen_of(Tab::Retro, &[("Retro", RETRO)], hints::RETRO_CLOSED);

/// Every screen there is.
pub static SCREENS: &[&Screen] = &[
    &BOARD_SCREEN,
    &FLOW_SCREEN,
    &SPRINT_PLAN_SCREEN,
    &SPRINT_REVIEW_SCREEN,
    &SPRINT_SCREEN,
    &SPRINT_VELOCITY_SCREEN,
    &STANDUP_SCREEN,
    &STANDUP_FOLLOW_SCREEN,
    &PULSE_SCREEN,
    &MORTEM_LIST_SCREEN,
    &MORTEM_POST_SCREEN,
    &MORTEM_WRITING_SCREEN,
    &MORTEM_READING_SCREEN,
    &RETRO_LIST_SCREEN,
    &RETRO_STAGE_SCREEN,
    &RETRO_REVIEW_SCREEN,
    &RETRO_FACTS_SCREEN,
    &RETRO_GATHER_SCREEN,
    &RETRO_GROUP_SCREEN,
    &RETRO_VOTE_SCREEN,
    &RETRO_DISCUSS_SCREEN,
    &RETRO_DECIDE_SCREEN,
    &RETRO_CLOSE_SCREEN,
    &RETRO_ANSWER_SCREEN,
    &RETRO_CLOSED_SCREEN,
];

/// The dialogs' key tables, each live alone.
pub static DIALOGS: &[&[Binding]] = &[PICK, COLUMNS, CARD_DETAIL, CONFIRM, HELP, REPORT, POKER];

/// The screen showing now: its tab's choice.
pub fn current(state: &AppState) -> &'static Screen {
    (state.tab.def().screen)(state)
}

/// The Sprint tab's screen: its view's.
pub fn sprint_screen(state: &AppState) -> &'static Screen {
    match state.sprint.view {
        SprintView::Plan => &SPRINT_PLAN_SCREEN,
        SprintView::Review => &SPRINT_REVIEW_SCREEN,
        SprintView::Progress => &SPRINT_SCREEN,
        SprintView::Velocity => &SPRINT_VELOCITY_SCREEN,
    }
}

/// The Standup tab's screen: the facilitator's (or anyone's before it
/// begins), or a follower's while someone else facilitates.
pub fn standup_screen(state: &AppState) -> &'static Screen {
    match state.standup.live() {
        Some(live) if !live.is_facilitator(&state.actor) => &STANDUP_FOLLOW_SCREEN,
        _ => &STANDUP_SCREEN,
    }
}

/// The Mortems tab's screen: the list, or the document being read.
pub fn mortem_screen(state: &AppState) -> &'static Screen {
    let m = &state.mortem;
    match m.report().filter(|_| m.reading) {
        None => &MORTEM_LIST_SCREEN,
        Some(r) => match (r.mortem.kind, r.mortem.stage) {
            (MortemKind::Post, _) => &MORTEM_POST_SCREEN,
            (MortemKind::Pre, Some(Stage::Writing)) => &MORTEM_WRITING_SCREEN,
            (MortemKind::Pre, _) => &MORTEM_READING_SCREEN,
        },
    }
}

/// The Retro tab's screen: the list, or the open retro's phase.
pub fn retro_screen(state: &AppState) -> &'static Screen {
    let r = &state.retro;
    let answering = r.data.as_deref().is_some_and(|d| {
        // The closing ROTI only: a safety answer is chosen with care
        // (a), never by a key meant for changing tabs.
        d.retro()
            .is_some_and(|x| x.phase == Phase::Close && !x.roti_closed && !d.answered_roti)
    }) && !r.browsing;
    match r.phase() {
        _ if r.browsing || r.retro().is_none() => &RETRO_LIST_SCREEN,
        _ if answering => &RETRO_ANSWER_SCREEN,
        Some(p) => retro_phase_screen(p),
        None => &RETRO_CLOSED_SCREEN,
    }
}

/// The screen of a retro at this phase.
fn retro_phase_screen(phase: Phase) -> &'static Screen {
    match phase {
        Phase::Stage => &RETRO_STAGE_SCREEN,
        Phase::Review => &RETRO_REVIEW_SCREEN,
        Phase::Facts => &RETRO_FACTS_SCREEN,
        Phase::Gather => &RETRO_GATHER_SCREEN,
        Phase::Group => &RETRO_GROUP_SCREEN,
        Phase::Vote => &RETRO_VOTE_SCREEN,
        Phase::Discuss => &RETRO_DISCUSS_SCREEN,
        Phase::Decide => &RETRO_DECIDE_SCREEN,
        Phase::Close => &RETRO_CLOSE_SCREEN,
        Phase::Closed => &RETRO_CLOSED_SCREEN,
    }
}

/// What a key that does nothing here does in the nearest phase of the
/// retro on screen that has it: "a does nothing at Group; in Gather: write
/// a card under the prompt". `None` off a retro's phases, or for a key no
/// phase has.
pub fn elsewhere(state: &AppState, ev: &KeyEvent) -> Option<String> {
    let r = &state.retro;
    if state.tab != Tab::Retro || r.browsing {
        return None;
    }
    let now = r.retro()?.phase;
    let (phase, help) = Phase::ALL
        .into_iter()
        .filter(|p| *p != now)
        .filter_map(|p| {
            // A phase's own keys: its first table (the rest are the tab's).
            let (_, table) = retro_phase_screen(p).tables.first()?;
            if std::ptr::eq(*table, RETRO) || std::ptr::eq(*table, RETRO_SAFETY) {
                return None;
            }
            let cmd = state.keys.lookup(table, ev)?;
            let help = table.iter().find(|b| b.command == cmd)?.help;
            Some((p, help))
        })
        .min_by_key(|(p, _)| (p.index().abs_diff(now.index()), p.index()))?;
    let key = Key {
        code: ev.code,
        mods: ev.modifiers - KeyModifiers::SHIFT,
    }
    .label();
    let at = if now == Phase::Closed {
        "now: this retro is closed".to_string()
    } else {
        format!("at {}", now.title())
    };
    Some(format!(
        "{key} does nothing {at}; in {}: {help}",
        phase.title()
    ))
}

/// Every set of tables that can be live together, screens and dialogs: a
/// key must mean one thing in each (checked by a test, and for the user's
/// own keys).
pub fn contexts() -> Vec<Vec<&'static [Binding]>> {
    let screens = SCREENS.iter().map(|s| {
        let mut t: Vec<&'static [Binding]> = s.tables.iter().map(|(_, b)| *b).collect();
        if s.global {
            t.push(GLOBAL);
        }
        t
    });
    screens.chain(DIALOGS.iter().map(|d| vec![*d])).collect()
}
