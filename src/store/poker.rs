//! Planning poker: what the poker panel and `teamloop poker …` ask of the
//! store. Every rule (who may reveal or accept, a pick only while the vote
//! is open and from the round's deck) is checked inside the write that
//! applies it; before a reveal no read gives another person's value.

use super::Result;
use crate::domain::BoardId;
use crate::domain::CardId;
use crate::domain::handover::Handover;
use crate::domain::poker::{Deck, Round, RoundId};

pub trait PokerStore {
    /// Starts a round on these cards (live cards of the board, each once)
    /// with this deck and an optional timebox per card, in seconds; the
    /// actor facilitates it and has joined it. Its id.
    fn start_poker(
        &mut self,
        board: BoardId,
        cards: &[CardId],
        deck: &Deck,
        timebox: Option<u32>,
    ) -> Result<RoundId>;
    /// A round as everyone reads it: the values of the current vote's
    /// picks only once they are revealed (or its timebox is over).
    fn poker_round(&self, id: RoundId) -> Result<Round>;
    /// The actor's own pick on the current vote, if any.
    fn my_poker_pick(&self, id: RoundId) -> Result<Option<String>>;
    /// The board's rounds, newest first (`open_only`: those not over).
    fn poker_rounds(&self, board: BoardId, open_only: bool) -> Result<Vec<Round>>;
    /// The actor joins the round (a pick joins too).
    fn join_poker(&mut self, id: RoundId) -> Result<()>;
    /// The actor picks `value` (or changes their pick) on the current
    /// vote: the value as the deck spells it, and whether the picks are
    /// revealed now (everyone who joined and has the board open picked).
    fn pick_poker(&mut self, id: RoundId, value: &str) -> Result<(String, bool)>;
    /// Shows the current vote's picks (facilitator).
    fn reveal_poker(&mut self, id: RoundId) -> Result<()>;
    /// A new vote on the current card, its earlier picks kept (facilitator).
    fn revote_poker(&mut self, id: RoundId) -> Result<()>;
    /// Accepts `value` for the current card: its points written onto the
    /// card as an estimate, and the next card of the queue put to the vote
    /// (or the round over). The points written (facilitator).
    fn accept_poker(&mut self, id: RoundId, value: &str) -> Result<u32>;
    /// Ends the round before its queue is done; the current vote's hidden
    /// picks are dropped, never shown (facilitator).
    fn end_poker(&mut self, id: RoundId) -> Result<()>;
    /// Takes the round over as its facilitator (see
    /// [`HandoverStore`](super::HandoverStore)).
    fn take_over_poker(&mut self, id: RoundId, seen: &str) -> Result<Handover>;
}
