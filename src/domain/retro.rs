//! Retrospectives: a meeting in phases, run by a facilitator and followed
//! live by every participant (Derby & Larsen's five stages, DOMAIN.md §4, with
//! gather split into writing, grouping and voting).
//!
//! Anonymity is built into what is stored, not only into what is shown:
//! - a card holds its text and prompt, no author and no time;
//! - votes are kept as totals per item; a separate ballot holds how many
//!   votes each person has used (what the limit needs), never on what;
//! - the safety check and the closing ROTI store each answer with no
//!   identity, and who answered in a separate set; their distribution shows
//!   only once the facilitator closes the poll and at least three answered;
//! - vote totals show from the discussion on, not while votes arrive.

pub mod export;
pub mod format;
pub mod lookback;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::sprint::SprintId;
use super::{CardId, DomainError};
pub use format::{Format, Prompt};
pub use lookback::RetroPeriod;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RetroId(pub i64);

/// A card, or a group of cards, that people vote on and discuss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemId(pub i64);

pub const PRIME_DIRECTIVE: &str = "Regardless of what we discover, we understand and truly believe that everyone did the best job they could, given what they knew at the time, their skills and abilities, the resources available, and the situation at hand.";
pub const PRIME_DIRECTIVE_BY: &str =
    "Norm Kerth, Project Retrospectives: A Handbook for Team Reviews (2001)";

/// Answers a poll needs before its distribution may be shown: with fewer,
/// one person's answer could be worked out.
pub const MIN_ANSWERS_SHOWN: u32 = 3;
pub const DEFAULT_VOTES: u32 = 3;
pub const MAX_VOTES: u32 = 20;
pub const DEFAULT_DISCUSS_MINUTES: u32 = 5;
pub const MAX_CARD: usize = 500;
pub const MAX_NOTES: usize = 5_000;
/// The tag on every action item card.
pub const ACTION_TAG: &str = super::standup::ACTION_TAG;

/// The retro's phases, in order; `Closed` follows the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Stage,
    Review,
    Facts,
    Gather,
    Group,
    Vote,
    Discuss,
    Decide,
    Close,
    Closed,
}

impl Phase {
    /// The phases a retro moves through (`Closed` is where it ends).
    pub const ALL: [Phase; 9] = [
        Phase::Stage,
        Phase::Review,
        Phase::Facts,
        Phase::Gather,
        Phase::Group,
        Phase::Vote,
        Phase::Discuss,
        Phase::Decide,
        Phase::Close,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Stage => "stage",
            Phase::Review => "review",
            Phase::Facts => "facts",
            Phase::Gather => "gather",
            Phase::Group => "group",
            Phase::Vote => "vote",
            Phase::Discuss => "discuss",
            Phase::Decide => "decide",
            Phase::Close => "close",
            Phase::Closed => "closed",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Phase::Stage => "Set the stage",
            Phase::Review => "Last time",
            Phase::Facts => "Facts",
            Phase::Gather => "Gather",
            Phase::Group => "Group",
            Phase::Vote => "Vote",
            Phase::Discuss => "Discuss",
            Phase::Decide => "Decide",
            Phase::Close => "Close",
            Phase::Closed => "Closed",
        }
    }

    /// What the phase asks of everyone, in a line.
    pub fn purpose(self) -> &'static str {
        match self {
            Phase::Stage => "The Prime Directive, and an anonymous safety check",
            Phase::Review => "Did we do what we said last time? Mark each action item",
            Phase::Facts => "What the board recorded for the period, before anyone writes",
            Phase::Gather => "Write cards under the prompts: anonymous, hidden until revealed",
            Phase::Group => "Merge cards that say the same thing into themes",
            Phase::Vote => "Dot voting: put your votes on what matters most",
            Phase::Discuss => "The items in vote order, each with a timebox",
            Phase::Decide => "Action items with an owner and a due date: they become cards",
            Phase::Close => "How much was this retro worth the time? (anonymous, 1-5)",
            Phase::Closed => "This retro is closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        Phase::ALL
            .into_iter()
            .chain([Phase::Closed])
            .find(|p| p.as_str() == s || p.title().eq_ignore_ascii_case(&s))
    }

    pub fn index(self) -> usize {
        Phase::ALL
            .iter()
            .position(|p| *p == self)
            .unwrap_or(Phase::ALL.len())
    }

    pub fn next(self) -> Phase {
        Phase::ALL
            .get(self.index() + 1)
            .copied()
            .unwrap_or(Phase::Closed)
    }

    pub fn prev(self) -> Phase {
        match self.index() {
            0 => Phase::Stage,
            i => Phase::ALL[(i - 1).min(Phase::ALL.len() - 1)],
        }
    }
}

/// The safety check of the first phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SafetyKind {
    /// Explorer, Shopper, Vacationer, Prisoner (Derby & Larsen).
    Esvp,
    /// The 1-5 safety vote (Kerth, in the funretrospectives wording).
    Scale,
}

impl SafetyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyKind::Esvp => "esvp",
            SafetyKind::Scale => "scale",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "esvp" => Some(SafetyKind::Esvp),
            "scale" => Some(SafetyKind::Scale),
            _ => None,
        }
    }

    /// The answers, in key order (1 to n), each a label and a line.
    pub fn choices(self) -> &'static [(&'static str, &'static str)] {
        match self {
            SafetyKind::Esvp => &ESVP,
            SafetyKind::Scale => &SAFETY_SCALE,
        }
    }
}

/// Derby & Larsen's ESVP (DOMAIN.md §1.2).
pub const ESVP: [(&str, &str); 4] = [
    (
        "Explorer",
        "eager to discover new ideas and insights; wants to learn everything they can",
    ),
    (
        "Shopper",
        "will look over what is there, happy to go home with one useful new idea",
    ),
    (
        "Vacationer",
        "not interested in the retro, but happy to be away from the daily grind",
    ),
    (
        "Prisoner",
        "feels forced to attend and would rather be doing something else",
    ),
];

/// The 1-5 safety vote, funretrospectives wording (DOMAIN.md §1.2).
pub const SAFETY_SCALE: [(&str, &str); 5] = [
    ("1", "I'm not going to talk at all, I don't feel safe"),
    (
        "2",
        "I'm not going to say much, I'll let others bring up issues",
    ),
    (
        "3",
        "I'll talk about some things, but others will be hard to say",
    ),
    (
        "4",
        "I'll talk about almost anything; a few things might be hard",
    ),
    ("5", "No problem, I'll talk about anything"),
];

/// Return on time invested, the closing check.
pub const ROTI: [(&str, &str); 5] = [
    ("1", "a waste of my time"),
    ("2", "worth less than the time"),
    ("3", "worth the time, no more"),
    ("4", "worth more than the time"),
    ("5", "worth much more than the time"),
];

/// An anonymous poll: the safety check or the ROTI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Poll {
    Safety,
    Roti,
}

impl Poll {
    pub fn as_str(self) -> &'static str {
        match self {
            Poll::Safety => "safety",
            Poll::Roti => "roti",
        }
    }
}

/// A poll as everyone may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PollView {
    pub answers: u32,
    pub closed: bool,
    /// Answers per choice, in choice order; only once closed with at least
    /// [`MIN_ANSWERS_SHOWN`] answers.
    pub distribution: Option<Vec<u32>>,
}

impl PollView {
    /// Builds the view from the answers given (values are 1-based choices).
    pub fn of(values: &[u32], choices: usize, closed: bool) -> Self {
        let mut counts = vec![0; choices];
        for v in values {
            if let Some(slot) = (*v as usize).checked_sub(1).and_then(|i| counts.get_mut(i)) {
                *slot += 1;
            }
        }
        Self::of_counts(&counts, choices, closed)
    }

    /// Builds the view from how many chose each answer, in choice order
    /// (counts past the last choice are left out).
    pub fn of_counts(counts: &[u32], choices: usize, closed: bool) -> Self {
        let mut d = vec![0u32; choices];
        for (slot, c) in d.iter_mut().zip(counts) {
            *slot = *c;
        }
        let answers = d.iter().fold(0u32, |n, c| n.saturating_add(*c));
        Self {
            answers,
            closed,
            distribution: (closed && answers >= MIN_ANSWERS_SHOWN).then_some(d),
        }
    }

    /// Mean of the 1-based answers, when the distribution shows.
    pub fn mean(&self) -> Option<f64> {
        let d = self.distribution.as_ref()?;
        let n: u32 = d.iter().sum();
        (n > 0).then(|| {
            let total: u32 = d.iter().enumerate().map(|(i, c)| (i as u32 + 1) * c).sum();
            f64::from(total) / f64::from(n)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retro {
    pub id: RetroId,
    pub title: String,
    pub format: Format,
    pub phase: Phase,
    pub facilitator: String,
    /// Votes each participant has.
    pub votes: u32,
    pub safety: SafetyKind,
    pub safety_closed: bool,
    pub roti_closed: bool,
    /// Cards are visible to everyone.
    pub revealed: bool,
    pub sprint: Option<SprintId>,
    /// The period the facts cover.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub started_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The item under discussion, and when its timebox began.
    pub discussing: Option<ItemId>,
    pub discuss_started: Option<DateTime<Utc>>,
    pub discuss_minutes: u32,
}

impl Retro {
    /// The choices of one of this retro's polls, in answer order (1 first).
    pub fn poll_choices(&self, poll: Poll) -> &'static [(&'static str, &'static str)] {
        match poll {
            Poll::Safety => self.safety.choices(),
            Poll::Roti => &ROTI,
        }
    }

    pub fn is_facilitator(&self, who: &str) -> bool {
        self.facilitator == who
    }
}

/// A card as written under a prompt: no author, no time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetroCard {
    pub id: i64,
    pub prompt: usize,
    pub text: String,
}

/// What people vote on: one card, or a theme of several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: ItemId,
    /// The theme's name, for a group of cards.
    pub title: Option<String>,
    pub cards: Vec<RetroCard>,
    /// Total votes; `None` while they are hidden (before the discussion).
    pub votes: Option<u32>,
    pub notes: String,
}

impl Item {
    /// What the item says: its theme, or its one card's text.
    pub fn label(&self) -> &str {
        match &self.title {
            Some(t) => t,
            None => self.cards.first().map_or("", |c| c.text.as_str()),
        }
    }

    /// The prompt of its first card.
    pub fn prompt(&self) -> usize {
        self.cards.first().map_or(0, |c| c.prompt)
    }
}

/// Items in the order they are discussed: most votes first, then as written.
pub fn discussion_order(items: &mut [Item]) {
    items.sort_by(|a, b| {
        b.votes
            .unwrap_or(0)
            .cmp(&a.votes.unwrap_or(0))
            .then(a.id.cmp(&b.id))
    });
}

/// What happened to an action item from an earlier retro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

impl ActionStatus {
    /// The status as stored and typed: `open`, `done`, `dropped`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(ActionStatus::Open),
            "done" => Some(ActionStatus::Done),
            "dropped" => Some(ActionStatus::Dropped),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
}

/// An action item: a card on the board, with its owner and due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub card: CardId,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// Where the card stands now: done, dropped (archived) or open.
    pub status: ActionStatus,
    /// The retro it came from.
    pub retro: RetroId,
    pub retro_title: String,
}

/// What the board recorded for the retro's period.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Facts {
    pub finished: Vec<FactCard>,
    pub breaches: Vec<BreachFact>,
    pub blocked: Vec<BlockedFact>,
    /// Cards in progress older than the 85th percentile cycle time.
    pub aged: Vec<AgedFact>,
    pub p85_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactCard {
    pub card: CardId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachFact {
    pub card: CardId,
    pub title: String,
    pub column: String,
    pub at: DateTime<Utc>,
    pub forced: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockedFact {
    pub card: CardId,
    pub title: String,
    pub days: f64,
    pub now: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgedFact {
    pub card: CardId,
    pub title: String,
    pub column: String,
    pub age_days: f64,
}

/// An earlier retro's action item as this retro's review found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reviewed {
    pub action: Action,
    /// What the facilitator marked it in this retro.
    pub marked: ActionStatus,
}

/// Everything a retro holds, as everyone may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetroReport {
    pub retro: Retro,
    /// Every item with its cards; `votes` show from the discussion on.
    pub items: Vec<Item>,
    pub safety: PollView,
    pub roti: PollView,
    /// Action items decided in this retro.
    pub actions: Vec<Action>,
    /// Earlier action items, as reviewed in this retro.
    pub reviewed: Vec<Reviewed>,
}

/// Something a participant does in a retro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Change the phase.
    Advance,
    Reveal,
    ClosePoll(Poll),
    /// Open a closed poll again (see [`check_reopen`]).
    ReopenPoll(Poll),
    Answer(Poll),
    AddCard,
    Group,
    Vote,
    /// Choose the item under discussion, restart its timebox, write notes.
    Facilitate,
    AddAction,
    /// Mark an earlier action done, open or dropped.
    Review,
}

/// Checks a change of phase: voting, once closed, stays closed (its totals
/// were seen), and grouping does not come back once votes are cast (it
/// would move them); cards once revealed are not gathered again (a new card
/// would be known by its author).
pub fn check_phase_change(retro: &Retro, to: Phase, votes_cast: bool) -> Result<(), DomainError> {
    let refuse = |text: &str| Err(DomainError::Invalid(text.to_string()));
    if to >= retro.phase {
        return Ok(());
    }
    if retro.phase > Phase::Vote && to <= Phase::Vote {
        return refuse("voting is closed and its totals were shown: it does not open again");
    }
    if to < Phase::Vote && votes_cast {
        return refuse("votes are cast: grouping or writing now would move or reveal them");
    }
    if to <= Phase::Gather && retro.revealed {
        return refuse("the cards are revealed: a card written now would be known by its author");
    }
    Ok(())
}

/// Who may do what, when. The facilitator is whoever started the retro.
pub fn check(retro: &Retro, who: &str, m: Move) -> Result<(), DomainError> {
    let refuse = |text: String| Err(DomainError::Invalid(text));
    if retro.phase == Phase::Closed {
        return refuse(format!("{} is closed", retro.title));
    }
    let facilitator_only = matches!(
        m,
        Move::Advance
            | Move::Reveal
            | Move::ClosePoll(_)
            | Move::ReopenPoll(_)
            | Move::Facilitate
            | Move::Review
    );
    if facilitator_only && !retro.is_facilitator(who) {
        return refuse(format!(
            "only the facilitator ({}) does that",
            retro.facilitator
        ));
    }
    // The safety check is answered (closed, reopened) until the discussion.
    if matches!(
        m,
        Move::Answer(Poll::Safety) | Move::ClosePoll(Poll::Safety) | Move::ReopenPoll(Poll::Safety)
    ) {
        return if retro.phase < Phase::Discuss {
            Ok(())
        } else {
            refuse(format!(
                "the safety check is answered before Discuss; this retro is at {}",
                retro.phase.title()
            ))
        };
    }
    let wanted = match m {
        Move::Advance | Move::Reveal => None,
        Move::ReopenPoll(_) => {
            return refuse("the ROTI closes the retro: it does not reopen".into());
        }
        Move::Answer(_) | Move::ClosePoll(_) => Some(Phase::Close),
        Move::Review => Some(Phase::Review),
        Move::AddCard => Some(Phase::Gather),
        Move::Group => Some(Phase::Group),
        Move::Vote => Some(Phase::Vote),
        Move::Facilitate => Some(Phase::Discuss),
        Move::AddAction => Some(Phase::Decide),
    };
    match wanted {
        // Action items may also come up while discussing.
        Some(Phase::Decide) if retro.phase == Phase::Discuss => Ok(()),
        Some(p) if p != retro.phase => refuse(format!(
            "that belongs to the {} phase; this retro is at {}",
            p.title(),
            retro.phase.title()
        )),
        _ => Ok(()),
    }
}

/// Whether a closed poll may open again, once [`check`] allowed the move:
/// only the safety check, before Discuss, and only if its result was never
/// shown (closed below [`MIN_ANSWERS_SHOWN`] answers). One whose tally was
/// seen stays closed: the next answer could be read off the difference.
pub fn check_reopen(retro: &Retro, poll: Poll, answers: u32) -> Result<(), DomainError> {
    let closed = match poll {
        Poll::Safety => retro.safety_closed,
        Poll::Roti => retro.roti_closed,
    };
    if !closed {
        return Err(DomainError::Invalid("the check is open".into()));
    }
    if answers >= MIN_ANSWERS_SHOWN {
        return Err(DomainError::Invalid(format!(
            "its result was shown ({answers} answers): reopened, the next answer could be read off the difference"
        )));
    }
    Ok(())
}

/// Checks a change of `delta` votes by someone who has used `used` of
/// `limit`, of which `mine` are on this item.
pub fn check_vote(used: u32, delta: i32, limit: u32, mine: u32) -> Result<u32, DomainError> {
    let after = i64::from(used) + i64::from(delta);
    if delta < 0 && mine < delta.unsigned_abs() {
        return Err(DomainError::Invalid(format!(
            "you have {mine} vote{} on that item to take back",
            if mine == 1 { "" } else { "s" }
        )));
    }
    if after > i64::from(limit) {
        let left = limit.saturating_sub(used);
        return Err(DomainError::Invalid(format!(
            "you have {left} of your {limit} votes left"
        )));
    }
    Ok(after.max(0) as u32)
}

/// A card's text as typed.
pub fn validate_card(text: &str) -> Result<String, DomainError> {
    let t = super::text::one_line(text);
    if t.is_empty() {
        return Err(DomainError::Invalid("the card is empty".into()));
    }
    if t.chars().count() > MAX_CARD {
        return Err(DomainError::Invalid(format!(
            "a card has at most {MAX_CARD} characters"
        )));
    }
    Ok(t.to_string())
}

pub fn validate_votes(n: u32) -> Result<u32, DomainError> {
    if n == 0 || n > MAX_VOTES {
        return Err(DomainError::Invalid(format!(
            "each person has 1 to {MAX_VOTES} votes"
        )));
    }
    Ok(n)
}

/// The dot-voting convention of DOMAIN.md §4.4: a third of the items,
/// between 3 and 5.
pub fn suggested_votes(items: usize) -> u32 {
    (items.div_ceil(3) as u32).clamp(3, 5)
}

#[cfg(test)]
mod tests;
