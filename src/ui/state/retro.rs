//! The Retro tab's state: the retro on screen, what this person wrote and
//! voted (never stored with a name), and the selection.

use crate::domain::CardId;
use crate::domain::retro::{
    Action, ActionStatus, Facts, Format, Item, ItemId, Phase, Retro, RetroCard, RetroId,
    RetroReport,
};
use crate::store::RetroPeriod;

/// Everything the Retro tab shows, loaded in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct RetroData {
    /// The board's retros, newest first.
    pub retros: Vec<Retro>,
    /// The retro on screen.
    pub report: Option<RetroReport>,
    /// Cards written so far, in all.
    pub written: u32,
    /// Votes this person has used, and where (while voting is open).
    pub used: u32,
    pub my_votes: Vec<(ItemId, u32)>,
    /// This person's own cards before the reveal, found by the claims only
    /// their key makes: the database does not know whose they are.
    pub my_cards: Vec<RetroCard>,
    pub answered_safety: bool,
    pub answered_roti: bool,
    /// Earlier action items to review, with what this retro marked them.
    pub review: Vec<(Action, Option<ActionStatus>)>,
    /// The board's record for the period (loaded in the facts phase).
    pub facts: Option<Facts>,
    pub formats: Vec<Format>,
    /// What a new retro would look back over.
    pub period: RetroPeriod,
    /// Who took the retro on screen over from whom, oldest first.
    pub handovers: Vec<crate::domain::handover::Handover>,
}

impl RetroData {
    pub fn retro(&self) -> Option<&Retro> {
        self.report.as_ref().map(|r| &r.retro)
    }

    /// The items in the order the phase lists them: by vote from the
    /// discussion on (sorted so when loaded), else by prompt.
    pub fn items(&self) -> &[Item] {
        self.report.as_ref().map_or(&[], |r| &r.items)
    }
}

/// The list the Retro tab's row selects in. A list loaded again is the same
/// list only for the same retro and phase (and prompt, while writing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetroList {
    /// The board's retros (browsing, or no retro on screen).
    Retros,
    /// The earlier action items to review.
    Review(RetroId),
    /// This person's own cards under one prompt, before the reveal.
    Mine(RetroId, usize),
    /// The items to group, vote on or discuss.
    Items(RetroId, Phase),
}

/// What a row of one of those lists is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetroRow {
    Retro(RetroId),
    Action(CardId),
    Mine(i64),
    Item(ItemId),
}

/// The list the row selects in, given what is loaded, and what each of its
/// rows is; none where the row only scrolls (facts) or nothing is selected.
pub fn retro_rows(
    data: &RetroData,
    browsing: bool,
    prompt: usize,
) -> Option<(RetroList, Vec<RetroRow>)> {
    let Some(retro) = data.retro().filter(|_| !browsing) else {
        let rows = data.retros.iter().map(|r| RetroRow::Retro(r.id)).collect();
        return Some((RetroList::Retros, rows));
    };
    let id = retro.id;
    Some(match retro.phase {
        Phase::Review => (
            RetroList::Review(id),
            data.review
                .iter()
                .map(|(a, _)| RetroRow::Action(a.card))
                .collect(),
        ),
        Phase::Gather if !retro.revealed => (
            RetroList::Mine(id, prompt),
            data.my_cards
                .iter()
                .filter(|c| c.prompt == prompt)
                .map(|c| RetroRow::Mine(c.id))
                .collect(),
        ),
        Phase::Group | Phase::Vote | Phase::Discuss => (
            RetroList::Items(id, retro.phase),
            data.items().iter().map(|i| RetroRow::Item(i.id)).collect(),
        ),
        _ => return None,
    })
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RetroTabState {
    pub data: Option<Box<RetroData>>,
    /// The retro chosen from the list; without one, the newest open retro.
    pub viewing: Option<RetroId>,
    /// The list of past retros is on screen.
    pub browsing: bool,
    /// Selected row of the phase's list.
    pub row: usize,
    /// The prompt the next card goes under (gather).
    pub prompt: usize,
    /// Items marked to become one theme (group).
    pub marked: Vec<ItemId>,
    pub muted: bool,
    /// The item whose discussion timebox already rang.
    pub rang: Option<ItemId>,
}

impl RetroTabState {
    pub fn retro(&self) -> Option<&Retro> {
        self.data.as_deref().and_then(RetroData::retro)
    }

    pub fn phase(&self) -> Option<Phase> {
        self.retro().map(|r| r.phase)
    }

    /// The item under the selection.
    pub fn selected_item(&self) -> Option<&Item> {
        self.data.as_deref()?.items().get(self.row)
    }

    pub fn my_votes_on(&self, item: ItemId) -> u32 {
        self.data
            .as_deref()
            .and_then(|d| d.my_votes.iter().find(|(i, _)| *i == item))
            .map_or(0, |(_, n)| *n)
    }

    /// This person's own cards in the retro on screen, while hidden.
    pub fn my_cards(&self) -> impl Iterator<Item = &RetroCard> {
        self.data
            .as_deref()
            .into_iter()
            .flat_map(|d| d.my_cards.iter())
    }
}
