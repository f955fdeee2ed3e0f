//! Planning poker: a facilitator puts one card, or a queue of cards, to the
//! team; everyone who joined picks a value from the round's deck, hidden,
//! until everyone present has picked or the facilitator reveals (or the
//! card's timebox runs out). Then the spread, with the highest and lowest
//! picks and who made them, a re-vote, or "accept", which writes the points
//! onto the card as its estimate.
//!
//! A pick is not anonymous: names are shown with the values once they are
//! revealed. Before that no one but the picker sees a value, which the
//! store keeps by never reading another's value out before the reveal.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CardId, DomainError};

mod decks;
#[cfg(test)]
mod tests;

pub use decks::{Deck, DeckValue};

/// A poker round's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoundId(pub i64);

impl std::fmt::Display for RoundId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The longest timebox per card: an hour.
pub const MAX_TIMEBOX_SECS: u32 = 3600;

/// The most cards one round puts to the team.
pub const MAX_CARDS: usize = 100;

/// Where one card of the queue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    /// Still to come.
    Waiting,
    /// The one being estimated now.
    Voting,
    /// Estimated: its points written onto the card.
    Accepted,
}

impl CardState {
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::Waiting => "waiting",
            CardState::Voting => "voting",
            CardState::Accepted => "accepted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "waiting" => CardState::Waiting,
            "voting" => CardState::Voting,
            "accepted" => CardState::Accepted,
            _ => return None,
        })
    }
}

/// One card of a round's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundCard {
    pub card: CardId,
    pub title: String,
    pub description: String,
    pub state: CardState,
    /// Which vote this is on the card: 1, then one more for each re-vote.
    pub vote: u32,
    /// The facilitator revealed this vote (or everyone present picked).
    pub revealed: bool,
    /// When this vote began (its timebox counts from here).
    pub since: Option<DateTime<Utc>>,
    /// The value accepted, once it is.
    pub accepted: Option<String>,
}

/// One person's pick on the card being estimated: its value only once the
/// picks are revealed (`None` before, whatever the person picked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pick {
    pub person: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A round as every terminal reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    pub id: RoundId,
    pub facilitator: String,
    pub deck: Deck,
    /// Seconds each card's vote may take, if the round has a timebox.
    pub timebox: Option<u32>,
    pub started_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The queue, in order.
    pub cards: Vec<RoundCard>,
    /// Who joined, by name.
    pub joined: Vec<String>,
    /// The picks of the current card's current vote, by name; values only
    /// once revealed.
    pub picks: Vec<Pick>,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// The card being estimated now, if any.
    pub fn current(&self) -> Option<&RoundCard> {
        self.cards.iter().find(|c| c.state == CardState::Voting)
    }

    /// Whether the current card's picks are shown.
    pub fn revealed(&self) -> bool {
        self.current().is_some_and(|c| c.revealed)
    }

    /// How many of the queue are estimated.
    pub fn done(&self) -> usize {
        self.cards
            .iter()
            .filter(|c| c.state == CardState::Accepted)
            .count()
    }

    /// When the current vote's timebox ends, if it has one.
    pub fn deadline(&self) -> Option<DateTime<Utc>> {
        let since = self.current()?.since?;
        Some(since + chrono::Duration::seconds(i64::from(self.timebox?)))
    }

    /// Seconds left in the current vote's timebox at `now` (0 once over).
    pub fn seconds_left(&self, now: DateTime<Utc>) -> Option<i64> {
        self.deadline().map(|d| (d - now).num_seconds().max(0))
    }

    /// Who has picked in the current vote, and who of those who joined
    /// has not yet.
    pub fn picked_and_waiting(&self) -> (Vec<&str>, Vec<&str>) {
        let picked: Vec<&str> = self.picks.iter().map(|p| p.person.as_str()).collect();
        let waiting = self
            .joined
            .iter()
            .map(String::as_str)
            .filter(|j| !picked.contains(j))
            .collect();
        (picked, waiting)
    }

    /// The spread of the revealed picks.
    pub fn tally(&self) -> Option<Tally> {
        self.revealed().then(|| tally(&self.deck, &self.picks))
    }
}

/// The revealed picks of one vote, for the discussion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Each value picked, in the deck's order, with who picked it.
    pub values: Vec<(String, Vec<String>)>,
    /// The highest estimate and who picked it (absent if no one gave an
    /// estimate, only "?" or a break).
    pub highest: Option<(String, Vec<String>)>,
    pub lowest: Option<(String, Vec<String>)>,
    /// Everyone who gave an estimate gave the same one.
    pub agreed: bool,
}

/// The spread of `picks` (values known) over `deck`.
pub fn tally(deck: &Deck, picks: &[Pick]) -> Tally {
    let mut by: BTreeMap<usize, (String, Vec<String>)> = BTreeMap::new();
    for p in picks {
        let Some(v) = &p.value else { continue };
        let at = deck.position(v).unwrap_or(usize::MAX);
        by.entry(at)
            .or_insert_with(|| (v.clone(), Vec::new()))
            .1
            .push(p.person.clone());
    }
    let estimates: Vec<&(String, Vec<String>)> = by
        .iter()
        .filter(|(at, (v, _))| **at != usize::MAX && deck.is_estimate(v))
        .map(|(_, e)| e)
        .collect();
    let lowest = estimates.first().map(|e| (*e).clone());
    let highest = estimates.last().map(|e| (*e).clone());
    Tally {
        agreed: estimates.len() == 1,
        values: by.into_values().collect(),
        highest,
        lowest,
    }
}

/// A round's cards checked: one or more, each once, no more than
/// [`MAX_CARDS`]; and its timebox.
pub fn check_start(cards: &[CardId], timebox: Option<u32>) -> Result<(), DomainError> {
    if cards.is_empty() {
        return Err(DomainError::Invalid(
            "a round needs a card to estimate".into(),
        ));
    }
    if cards.len() > MAX_CARDS {
        return Err(DomainError::Invalid(format!(
            "a round estimates up to {MAX_CARDS} cards"
        )));
    }
    for (i, c) in cards.iter().enumerate() {
        if cards[..i].contains(c) {
            return Err(DomainError::Invalid(format!("{c} is in the queue twice")));
        }
    }
    if let Some(t) = timebox
        && (t == 0 || t > MAX_TIMEBOX_SECS)
    {
        return Err(DomainError::Invalid(format!(
            "a timebox is 1 to {MAX_TIMEBOX_SECS} seconds"
        )));
    }
    Ok(())
}

fn over(round: &Round) -> Result<&RoundCard, DomainError> {
    if !round.is_open() {
        return Err(DomainError::Invalid(format!(
            "poker round {} is over",
            round.id
        )));
    }
    round
        .current()
        .ok_or_else(|| DomainError::Invalid("no card is being estimated".into()))
}

fn facilitates(round: &Round, who: &str, what: &str) -> Result<(), DomainError> {
    if round.facilitator != who {
        return Err(DomainError::Invalid(format!(
            "only {} (who facilitates the round) can {what}",
            round.facilitator
        )));
    }
    Ok(())
}

/// A pick of `value` at `now`: while the round is open, before the reveal
/// and the timebox's end; the value as the deck spells it.
pub fn check_pick(round: &Round, value: &str, now: DateTime<Utc>) -> Result<String, DomainError> {
    let card = over(round)?;
    if card.revealed {
        return Err(DomainError::Invalid(
            "the picks are revealed: wait for a re-vote to pick again".into(),
        ));
    }
    if round.deadline().is_some_and(|d| now >= d) {
        return Err(DomainError::Invalid(
            "the timebox is over: the picks are shown".into(),
        ));
    }
    round.deck.value(value).map(|v| v.label.clone())
}

/// The facilitator shows the picks of the current card.
pub fn check_reveal(round: &Round, who: &str) -> Result<(), DomainError> {
    let card = over(round)?;
    facilitates(round, who, "reveal the picks")?;
    if card.revealed {
        return Err(DomainError::Invalid(
            "the picks are revealed already".into(),
        ));
    }
    Ok(())
}

/// The facilitator asks for a new vote on the current card, once revealed.
pub fn check_revote(round: &Round, who: &str) -> Result<(), DomainError> {
    let card = over(round)?;
    facilitates(round, who, "call a re-vote")?;
    if !card.revealed {
        return Err(DomainError::Invalid(
            "the picks are still hidden: reveal them before a re-vote".into(),
        ));
    }
    Ok(())
}

/// The facilitator accepts `value` for the current card, once revealed:
/// the value as the deck spells it and the points it writes.
pub fn check_accept(round: &Round, who: &str, value: &str) -> Result<(String, u32), DomainError> {
    let card = over(round)?;
    facilitates(round, who, "accept an estimate")?;
    if !card.revealed {
        return Err(DomainError::Invalid(
            "the picks are still hidden: reveal them first".into(),
        ));
    }
    round.deck.points_of(value)
}

/// The facilitator ends the round before its queue is done.
pub fn check_end(round: &Round, who: &str) -> Result<(), DomainError> {
    if !round.is_open() {
        return Err(DomainError::Invalid(format!(
            "poker round {} is over",
            round.id
        )));
    }
    facilitates(round, who, "end the round")
}

/// A person joins the round while it is open.
pub fn check_join(round: &Round) -> Result<(), DomainError> {
    if !round.is_open() {
        return Err(DomainError::Invalid(format!(
            "poker round {} is over",
            round.id
        )));
    }
    Ok(())
}

/// Whether the picks show by themselves: everyone who joined and has the
/// board open (`present`) has picked (`picked`). No one present: never
/// (the facilitator reveals).
pub fn everyone_picked(joined: &[String], present: &[String], picked: &[String]) -> bool {
    let here: Vec<&String> = joined.iter().filter(|j| present.contains(j)).collect();
    !here.is_empty() && here.iter().all(|p| picked.contains(p))
}
