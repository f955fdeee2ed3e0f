//! Who else has the board open, and what is running: the header's second
//! line, on every tab.

use crate::domain::handover::Ritual;
use crate::domain::presence::{Present, Running};

use super::{AppState, Tab};

/// What the store said last of presence and of the rituals under way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Presence {
    /// Everyone who has the board open (this person too, for their other
    /// terminals), by name.
    pub people: Vec<Present>,
    /// The rituals under way on the board.
    pub running: Vec<Running>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PresenceState {
    pub shown: Presence,
    /// Read at least once (until then no takeover is news).
    pub loaded: bool,
    /// The takeovers said to this person already (ritual, id, taker):
    /// told on one tab, not again on the ritual's own when it shows.
    pub told: Vec<(Ritual, i64, String)>,
}

/// The tab a ritual is run on.
pub fn tab_of(ritual: Ritual) -> Tab {
    match ritual {
        Ritual::Retro => Tab::Retro,
        Ritual::Standup => Tab::Standup,
        Ritual::Premortem => Tab::Mortems,
        Ritual::Pulse => Tab::Pulse,
        // Its panel opens over the Board (and the Sprint tab's plan).
        Ritual::Poker => Tab::Board,
    }
}

impl PresenceState {
    /// The others who have the board open: everyone but `me`.
    pub fn others<'a>(&'a self, me: &'a str) -> impl Iterator<Item = &'a Present> + 'a {
        self.shown.people.iter().filter(move |p| p.person != me)
    }
}

impl AppState {
    /// The planning poker panel is open (on top or under a dialog).
    pub fn poker_showing(&self) -> bool {
        crate::ui::update::poker::showing(self).is_some()
    }

    /// True the first time the takeover of this ritual by `to` is to be
    /// said, on whatever tab; false once it was.
    pub fn first_telling(&mut self, ritual: Ritual, id: i64, to: &str) -> bool {
        let told = &mut self.presence.told;
        if told
            .iter()
            .any(|(r, i, t)| *r == ritual && *i == id && t == to)
        {
            return false;
        }
        told.push((ritual, id, to.to_string()));
        true
    }

    /// Rows the header takes: the tab line, and the presence line under it
    /// when someone else has the board open or a ritual runs on another
    /// tab.
    pub fn header_rows(&self) -> u16 {
        let elsewhere = self
            .presence
            .shown
            .running
            .iter()
            .any(|r| tab_of(r.ritual) != self.tab);
        if elsewhere || self.presence.others(&self.actor).next().is_some() {
            2
        } else {
            1
        }
    }

    /// The height the board's columns are laid out for: the terminal's,
    /// less the presence line when it shows (the tab line and the status
    /// line are counted by the layout).
    pub fn board_height(&self) -> u16 {
        self.height.saturating_sub(self.header_rows() - 1)
    }
}
