//! The Sprint tab's state: which view, what is loaded, what is selected.

use chrono::NaiveDate;

use crate::domain::CardId;
use crate::domain::sprint::{Sprint, SprintCard, SprintId, SprintState, VelocityStats};
use crate::store::SprintReport;

/// The Sprint tab's views, in the order `v` steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SprintView {
    /// Backlog on the left, the sprint on the right.
    #[default]
    Plan,
    /// The active sprint: burndown, cards by column, days left.
    Progress,
    /// Done against the goal, and what becomes of unfinished cards.
    Review,
    /// Points committed and done per sprint.
    Velocity,
}

impl SprintView {
    pub const ALL: [SprintView; 4] = [
        SprintView::Plan,
        SprintView::Progress,
        SprintView::Review,
        SprintView::Velocity,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SprintView::Plan => "Plan",
            SprintView::Progress => "Progress",
            SprintView::Review => "Review & close",
            SprintView::Velocity => "Velocity",
        }
    }

    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// Which list of the planning view has the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Backlog,
    Sprint,
}

/// Everything the Sprint tab shows, loaded in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct SprintData {
    pub today: NaiveDate,
    pub active: Option<SprintReport>,
    pub planned: Option<SprintReport>,
    /// Cards in no open sprint, not done: what planning picks from.
    pub backlog: Vec<SprintCard>,
    /// Every sprint, oldest first.
    pub history: Vec<Sprint>,
    pub velocity: Option<VelocityStats>,
    /// How likely the active sprint's cards left are done by its last day.
    pub chance: Option<crate::domain::forecast::Chance>,
}

impl SprintData {
    /// The sprint planning works on: the one being planned, else the active one.
    pub fn plan_target(&self) -> Option<&SprintReport> {
        self.planned.as_ref().or(self.active.as_ref())
    }

    pub fn closed(&self) -> impl Iterator<Item = &Sprint> {
        self.history
            .iter()
            .filter(|s| s.state == SprintState::Closed)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SprintTabState {
    pub view: SprintView,
    /// Set once the user picks a view; until then the tab opens on the one
    /// that fits (progress while a sprint runs, planning otherwise).
    pub view_chosen: bool,
    pub data: Option<Box<SprintData>>,
    pub pane: Pane,
    pub backlog_row: usize,
    pub sprint_row: usize,
    /// Selected card in the progress and review lists.
    pub row: usize,
    /// Unfinished cards the user chose to carry over (the rest return to
    /// the backlog).
    pub carry: Vec<CardId>,
}

impl SprintTabState {
    /// The card under the selection in the current view.
    pub fn selected(&self) -> Option<&SprintCard> {
        let data = self.data.as_deref()?;
        match self.view {
            SprintView::Plan => match self.pane {
                Pane::Backlog => data.backlog.get(self.backlog_row),
                Pane::Sprint => data.plan_target()?.cards.get(self.sprint_row),
            },
            SprintView::Progress => data.active.as_ref()?.cards.get(self.row),
            SprintView::Review => review_cards(data).get(self.row).copied(),
            SprintView::Velocity => None,
        }
    }
}

/// The review list: unfinished cards first (they need a decision), then done.
pub fn review_cards(data: &SprintData) -> Vec<&SprintCard> {
    let Some(active) = data.active.as_ref() else {
        return Vec::new();
    };
    let mut cards: Vec<&SprintCard> = active.cards.iter().filter(|c| !c.done).collect();
    cards.extend(active.cards.iter().filter(|c| c.done));
    cards
}

/// A list of the Sprint tab, as its selection knows it: loaded again, the
/// same list (of the same sprint) keeps its selection on the same card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SprintList {
    Backlog,
    /// The cards of the sprint being planned.
    Planning(SprintId),
    /// The active sprint's cards, as the progress view lists them.
    Progress(SprintId),
    /// The active sprint's cards, as the review lists them.
    Review(SprintId),
}

impl SprintList {
    /// The sprint the list is of.
    pub fn sprint(self) -> Option<SprintId> {
        match self {
            SprintList::Backlog => None,
            SprintList::Planning(id) | SprintList::Progress(id) | SprintList::Review(id) => {
                Some(id)
            }
        }
    }
}

/// The planning view's backlog: its cards, row by row.
pub fn backlog_list(data: &SprintData) -> (SprintList, Vec<CardId>) {
    let cards = data.backlog.iter().map(|c| c.card.id).collect();
    (SprintList::Backlog, cards)
}

/// The planning view's sprint, if there is one to plan.
pub fn planning_list(data: &SprintData) -> Option<(SprintList, Vec<CardId>)> {
    let r = data.plan_target()?;
    let cards = r.cards.iter().map(|c| c.card.id).collect();
    Some((SprintList::Planning(r.sprint.id), cards))
}

/// The list `row` selects in: the progress view's or the review's.
pub fn view_list(data: &SprintData, view: SprintView) -> Option<(SprintList, Vec<CardId>)> {
    let active = data.active.as_ref()?;
    let id = active.sprint.id;
    match view {
        SprintView::Progress => Some((
            SprintList::Progress(id),
            active.cards.iter().map(|c| c.card.id).collect(),
        )),
        SprintView::Review => Some((
            SprintList::Review(id),
            review_cards(data).iter().map(|c| c.card.id).collect(),
        )),
        _ => None,
    }
}
