//! What the Mortems tab and `teamloop postmortem|premortem|mortem` ask of
//! the store.

use chrono::{DateTime, NaiveDate, Utc};

use super::Result;
use crate::domain::mortem::{Listed, MortemId, MortemReport, NewAction, Stage, Status};
use crate::domain::{BoardId, CardId};

/// A field of a mortem's heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Authors,
    /// The day of the incident or of the pre-mortem, `YYYY-MM-DD`.
    Date,
    /// What a pre-mortem is about.
    Subject,
}

/// A reason to add to a pre-mortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReason {
    pub text: String,
    /// Written while the reasons were hidden, so promised anonymity: refused
    /// if they were revealed before it was saved (it would stand out as the
    /// newest, and so be known by its author).
    pub hidden: bool,
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
}

/// A reason just written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    pub card: i64,
    pub risk: i64,
}

/// One of the actor's own reasons while they are hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyReason {
    pub card: i64,
    pub risk: i64,
    pub text: String,
}

pub trait MortemStore {
    /// The board's pre- and post-mortems, newest first; with a search, those
    /// whose title, heading, sections, timeline or reasons hold it.
    fn mortems(&self, board: BoardId, search: &str) -> Result<Vec<Listed>>;
    /// Everything about one, as everyone may see it: a pre-mortem's reasons
    /// only once revealed.
    fn mortem_report(&self, id: MortemId) -> Result<MortemReport>;

    /// The names of the team: who has cards, who acted on the board, who
    /// attended standups. The lint looks for them.
    fn team_names(&self, board: BoardId) -> Result<Vec<String>>;

    /// Starts a post-mortem of an incident on `day` (today if none); the
    /// actor is its first author.
    fn new_postmortem(
        &mut self,
        board: BoardId,
        title: &str,
        day: Option<NaiveDate>,
    ) -> Result<MortemId>;
    /// Starts a pre-mortem of a project or of a card; the actor facilitates
    /// it, and its reasons are written silently from now on.
    fn new_premortem(
        &mut self,
        board: BoardId,
        title: &str,
        card: Option<CardId>,
    ) -> Result<MortemId>;
    /// Changes fields of the heading, all or none.
    fn set_mortem_fields(&mut self, id: MortemId, changes: &[(Field, &str)]) -> Result<()>;
    /// Writes a post-mortem section (a key of the template). With `base`,
    /// the text the writer started from: refused if someone else saved the
    /// section since, so that nobody's text is overwritten unseen.
    fn set_section(
        &mut self,
        id: MortemId,
        key: &str,
        text: &str,
        base: Option<&str>,
    ) -> Result<()>;
    fn set_mortem_status(&mut self, id: MortemId, status: Status) -> Result<()>;
    /// Adds a timeline entry; its id.
    fn add_timeline(&mut self, id: MortemId, at: DateTime<Utc>, text: &str) -> Result<i64>;
    fn edit_timeline(
        &mut self,
        id: MortemId,
        entry: i64,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<()>;
    fn delete_timeline(&mut self, id: MortemId, entry: i64) -> Result<()>;
    /// Adds an action item (a mitigation, for a pre-mortem) as a card on the
    /// board; its card.
    fn add_mortem_action(&mut self, id: MortemId, action: NewAction) -> Result<CardId>;

    /// Adds a reason to a pre-mortem, rated if the ratings are given (in
    /// the same transaction): anonymous and hidden while reasons are
    /// written, in the open once they are read. Its card (what its writer
    /// takes it back by) and its risk (what ratings and mitigations name).
    fn add_reason(&mut self, id: MortemId, reason: NewReason) -> Result<Reason>;
    /// Takes back a reason (by the card id `add_reason` returned) while the
    /// reasons are still hidden.
    fn take_back_reason(&mut self, id: MortemId, card: i64) -> Result<()>;
    /// The actor's own reasons while they are hidden, found by the claims
    /// only their key makes.
    fn my_reasons(&self, id: MortemId) -> Result<Vec<MyReason>>;
    /// The facilitator moves a pre-mortem on from stage `from`: writing →
    /// reading (the reasons are revealed) → closed. Refused if it is no
    /// longer at `from` (moved on from another terminal).
    fn advance_premortem(&mut self, id: MortemId, from: Stage) -> Result<()>;
    /// The facilitator puts a reason up to be read out.
    fn read_reason(&mut self, id: MortemId, risk: i64) -> Result<()>;
    /// Rates a reason 1-5 for likelihood and impact (`None` keeps
    /// the rating as it is).
    fn rate_risk(
        &mut self,
        id: MortemId,
        risk: i64,
        likelihood: Option<u8>,
        impact: Option<u8>,
    ) -> Result<()>;
}
