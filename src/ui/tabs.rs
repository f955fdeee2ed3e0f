//! The tabs, written once: what each is called, where it stands on the
//! tab line, which of its screens (and so which keys) is showing, how it is
//! drawn, what loads it and what handles its commands. A new tab is its own
//! modules (its screens among [`keymap::SCREENS`]) and one entry in
//! [`TABS`].

use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Command;
use super::effects::{Effect, MortemEffect, PulseEffect, RetroEffect, SprintEffect, StandupEffect};
use super::keymap::{self, Screen};
use super::screens;
use super::state::AppState;
use super::theme::Theme;
use super::update;
use crate::domain::retro::Phase;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Board,
    Flow,
    Sprint,
    Standup,
    Retro,
    Mortems,
    Pulse,
}

/// What the app knows of a tab.
pub struct TabDef {
    pub tab: Tab,
    /// Its name on the tab line.
    pub title: &'static str,
    /// Which of its screens in [`keymap::SCREENS`] is showing: its keys,
    /// its help and its hint line.
    pub screen: fn(&AppState) -> &'static Screen,
    /// Draws it in the body of the frame, with its screen's hint line.
    pub render: fn(&mut Frame, Rect, &AppState, &str, &Theme),
    /// While true, it changes as time passes (a running timer), so each
    /// tick draws it again.
    pub ticking: fn(&AppState) -> bool,
    /// The effect that loads what it shows: run when it is shown, and
    /// again on a refresh.
    pub load: fn(&AppState) -> Effect,
    /// Its commands: those a key of its screen gives, when no dialog is
    /// open and the command is not one of every tab's.
    pub command: fn(&mut AppState, Command) -> Vec<Effect>,
}

/// Every tab, in the order of the tab line: its number (the key that shows
/// it) is its place here, from 1.
pub static TABS: [TabDef; 7] = [
    TabDef {
        tab: Tab::Board,
        title: "Board",
        screen: |_| &keymap::BOARD_SCREEN,
        render: screens::board::draw,
        ticking: |_| false,
        load: |_| Effect::LoadBoard,
        command: update::board::command,
    },
    TabDef {
        tab: Tab::Flow,
        title: "Flow",
        screen: |_| &keymap::FLOW_SCREEN,
        render: screens::flow::draw,
        ticking: |_| false,
        load: |s| Effect::LoadFlow(s.flow.range),
        command: update::flow::command,
    },
    TabDef {
        tab: Tab::Sprint,
        title: "Sprint",
        screen: keymap::sprint_screen,
        render: screens::sprint::draw,
        ticking: |_| false,
        load: |_| Effect::Sprint(SprintEffect::Load),
        command: update::sprint::command,
    },
    TabDef {
        tab: Tab::Standup,
        title: "Standup",
        screen: keymap::standup_screen,
        render: screens::standup::draw,
        ticking: |s| s.standup.running(),
        load: |_| Effect::Standup(StandupEffect::Load),
        command: update::standup::command,
    },
    TabDef {
        tab: Tab::Retro,
        title: "Retro",
        screen: keymap::retro_screen,
        render: screens::retro::draw,
        ticking: |s| s.retro.phase() == Some(Phase::Discuss),
        load: |_| Effect::Retro(RetroEffect::Load),
        command: update::retro::command,
    },
    TabDef {
        tab: Tab::Mortems,
        title: "Mortems",
        screen: keymap::mortem_screen,
        render: screens::mortem::draw,
        ticking: |_| false,
        load: |_| Effect::Mortem(MortemEffect::Load),
        command: update::mortem::command,
    },
    TabDef {
        tab: Tab::Pulse,
        title: "Pulse",
        screen: |_| &keymap::PULSE_SCREEN,
        render: screens::pulse::draw,
        ticking: |_| false,
        load: |_| Effect::Pulse(PulseEffect::Load),
        command: update::pulse::command,
    },
];

// The table is in the order of the enum, so a tab's entry is at its index.
const _: () = {
    let mut i = 0;
    while i < TABS.len() {
        assert!(
            TABS[i].tab as usize == i,
            "TABS is in the order of enum Tab"
        );
        i += 1;
    }
};

impl Tab {
    /// Every tab, in order.
    pub fn all() -> impl Iterator<Item = Tab> {
        TABS.iter().map(|d| d.tab)
    }

    pub fn def(self) -> &'static TabDef {
        &TABS[self.index()]
    }

    /// The tab's number: the key that shows it.
    pub fn number(self) -> usize {
        self.index() + 1
    }

    pub fn title(self) -> &'static str {
        self.def().title
    }

    /// Its place on the tab line, from 0.
    pub fn index(self) -> usize {
        self as usize
    }
}
