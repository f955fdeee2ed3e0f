//! What the Retro tab and `teamloop retro` ask of the store. Every change
//! checks the retro's rules (who may, in which phase) with the store's actor.

use chrono::NaiveDate;

use super::Result;
use crate::domain::retro::{
    Action, ActionStatus, BreachFact, Format, ItemId, Phase, Poll, Retro, RetroCard, RetroId,
    RetroReport, SafetyKind,
};
use crate::domain::sprint::SprintId;
use crate::domain::{BoardId, CardId};

/// A retro about to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRetro {
    pub title: String,
    pub format: Format,
    pub votes: u32,
    pub safety: SafetyKind,
    pub sprint: Option<SprintId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

pub trait RetroStore {
    /// The board's retros, newest first.
    fn retros(&self, board: BoardId) -> Result<Vec<Retro>>;
    fn retro(&self, id: RetroId) -> Result<Retro>;
    /// The retro as everyone may see it: cards only once revealed, vote
    /// totals only from the discussion on, polls only when closed with
    /// enough answers.
    fn retro_report(&self, id: RetroId) -> Result<RetroReport>;
    /// How many cards have been written so far, in all: not per prompt,
    /// which would tie a writer seen typing to a prompt.
    fn retro_cards_written(&self, id: RetroId) -> Result<u32>;
    /// How many of their votes the actor has used (the dots their key
    /// claims).
    fn votes_used(&self, id: RetroId) -> Result<u32>;
    /// Where the actor's own dots are while voting is open (for them alone;
    /// deleted when voting closes).
    fn my_votes(&self, id: RetroId) -> Result<Vec<(ItemId, u32)>>;
    /// Whether the actor has answered the poll.
    fn has_answered(&self, id: RetroId, poll: Poll) -> Result<bool>;
    /// The actor's own cards while the cards are hidden, found by the
    /// claims only their key makes (after a restart too).
    fn my_retro_cards(&self, id: RetroId) -> Result<Vec<RetroCard>>;
    /// Action items of the board's earlier retros that were still open when
    /// this one started, or were reviewed in it.
    fn actions_to_review(&self, id: RetroId) -> Result<Vec<(Action, Option<ActionStatus>)>>;
    /// WIP limits passed in the period, with their reasons.
    fn wip_breaches(
        &self,
        board: BoardId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<BreachFact>>;

    /// Starts a retro; the actor facilitates it.
    fn start_retro(&mut self, board: BoardId, retro: NewRetro) -> Result<RetroId>;
    /// Moves the retro to a phase (facilitator only). Leaving gather reveals
    /// the cards; reaching the discussion puts the most-voted item up first.
    fn set_phase(&mut self, id: RetroId, phase: Phase) -> Result<()>;
    fn reveal_cards(&mut self, id: RetroId) -> Result<()>;
    /// Adds an anonymous card under prompt `prompt` (0-based); its id.
    fn add_retro_card(&mut self, id: RetroId, prompt: usize, text: &str) -> Result<i64>;
    /// Takes back one of the actor's own cards before the cards are revealed.
    fn delete_retro_card(&mut self, id: RetroId, card: i64) -> Result<()>;
    /// Merges items into one theme named `title`; the theme's id.
    fn group_items(&mut self, id: RetroId, items: &[ItemId], title: &str) -> Result<ItemId>;
    /// Splits a theme back into one item per card.
    fn split_item(&mut self, id: RetroId, item: ItemId) -> Result<()>;
    /// Adds (`delta` > 0) or takes back votes of the actor on an item;
    /// returns how many of their votes they have used.
    fn vote(&mut self, id: RetroId, item: ItemId, delta: i32) -> Result<u32>;
    /// Answers a poll (1-based choice), once.
    fn answer(&mut self, id: RetroId, poll: Poll, value: u32) -> Result<()>;
    fn close_poll(&mut self, id: RetroId, poll: Poll) -> Result<()>;
    /// Opens a closed safety check again (facilitator only): before the
    /// discussion, and only if its result was never shown (closed below
    /// three answers). Its answers stay; more come in until Discuss.
    fn reopen_poll(&mut self, id: RetroId, poll: Poll) -> Result<()>;
    /// Puts an item up for discussion and starts its timebox.
    fn discuss(&mut self, id: RetroId, item: ItemId) -> Result<()>;
    fn set_item_notes(&mut self, id: RetroId, item: ItemId, notes: &str) -> Result<()>;
    /// Adds an action item as a card on the board; its card.
    fn add_action(
        &mut self,
        id: RetroId,
        text: &str,
        owner: Option<&str>,
        due: Option<NaiveDate>,
    ) -> Result<CardId>;
    /// Marks an earlier action: done (its card moves to done), dropped (its
    /// card is archived) or still open (it comes back next time).
    fn review_action(&mut self, id: RetroId, card: CardId, status: ActionStatus) -> Result<()>;
}
