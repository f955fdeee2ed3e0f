//! The Mortems tab's state: the list (with its search), the document on
//! screen and the part of it selected, and the reasons this terminal wrote
//! to a pre-mortem (never stored with a name).

use chrono::NaiveDate;

use crate::domain::mortem::lint::{Lint, Warning};
use crate::domain::mortem::{
    Listed, MortemId, MortemKind, MortemReport, PostmortemTemplate, PremortemTemplate, Stage,
};

/// Everything the Mortems tab shows, loaded in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct MortemData {
    pub today: NaiveDate,
    /// The board's mortems matching the search, newest first.
    pub list: Vec<Listed>,
    /// The selected one, in full.
    pub report: Option<MortemReport>,
    pub post: PostmortemTemplate,
    pub pre: PremortemTemplate,
    pub lint: Lint,
    /// The team's names, for the lint.
    pub names: Vec<String>,
    /// Who took the pre-mortem on screen over from whom, oldest first.
    pub handovers: Vec<crate::domain::handover::Handover>,
    /// The blame warnings of each post-mortem section, in template order
    /// (found once, when loaded).
    pub warnings: Vec<Vec<Warning>>,
    /// This person's own reasons while they are hidden (found by the claims
    /// only their key makes).
    pub mine: Vec<MyReason>,
}

/// A part of the document on screen that keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Title,
    Date,
    Authors,
    Subject,
    /// A post-mortem section, by its index in the template.
    Section(usize),
    /// An action item, by its index in the report.
    Action(usize),
    /// A timeline entry, by its index (oldest first).
    Timeline(usize),
    /// A pre-mortem risk, by its index in the ranked list.
    Risk(usize),
    /// One of the reasons this terminal wrote, while they are hidden.
    Mine(usize),
}

/// What a part is, whatever its place: the selection stays on it when a
/// reload moves things (a risk re-ranked, an action item added above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKey {
    /// The heading's fields and the sections keep their place.
    Fixed(Part),
    Action(crate::domain::CardId),
    Timeline(i64),
    Risk(i64),
    Mine(i64),
}

/// A reason this person wrote: shown to its writer until the reveal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyReason {
    pub mortem: MortemId,
    pub card: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MortemTabState {
    pub data: Option<Box<MortemData>>,
    /// The selected row of the list, and its mortem (which the row follows
    /// when another terminal adds one).
    pub row: usize,
    pub selected_id: Option<MortemId>,
    pub search: String,
    /// Keys act on the document rather than the list.
    pub reading: bool,
    /// The selected part of the document (index into `parts()`).
    pub part: usize,
}

impl MortemTabState {
    pub fn report(&self) -> Option<&MortemReport> {
        self.data.as_deref()?.report.as_ref()
    }

    /// The document's parts, in the order shown.
    pub fn parts(&self) -> Vec<Part> {
        let (Some(data), Some(r)) = (self.data.as_deref(), self.report()) else {
            return Vec::new();
        };
        match r.mortem.kind {
            MortemKind::Post => {
                let mut parts = vec![Part::Title, Part::Date, Part::Authors];
                let first_part = data.post.first_part();
                parts.extend((0..first_part).map(Part::Section));
                parts.extend((0..r.actions.len()).map(Part::Action));
                parts.extend((first_part..data.post.sections.len()).map(Part::Section));
                parts.extend((0..r.timeline.len()).map(Part::Timeline));
                parts
            }
            MortemKind::Pre => {
                let mut parts = vec![Part::Title, Part::Subject];
                if r.mortem.stage == Some(Stage::Writing) {
                    parts.extend((0..self.my_reasons(r.mortem.id).len()).map(Part::Mine));
                } else {
                    parts.extend((0..r.risks.len()).map(Part::Risk));
                    parts.extend((0..r.actions.len()).map(Part::Action));
                }
                parts
            }
        }
    }

    pub fn selected_part(&self) -> Option<Part> {
        self.parts().get(self.part).copied()
    }

    /// What the part is.
    pub fn key_of(&self, part: Part) -> Option<PartKey> {
        let r = self.report()?;
        Some(match part {
            Part::Action(i) => PartKey::Action(r.actions.get(i)?.card),
            Part::Timeline(i) => PartKey::Timeline(r.timeline.get(i)?.id),
            Part::Risk(i) => PartKey::Risk(r.risks.get(i)?.id),
            Part::Mine(i) => PartKey::Mine(self.my_reasons(r.mortem.id).get(i)?.card),
            fixed => PartKey::Fixed(fixed),
        })
    }

    /// Where the part is now.
    pub fn find(&self, key: PartKey) -> Option<usize> {
        self.parts()
            .into_iter()
            .position(|p| self.key_of(p) == Some(key))
    }

    /// This person's hidden reasons to a pre-mortem.
    pub fn my_reasons(&self, id: MortemId) -> Vec<&MyReason> {
        self.data
            .as_deref()
            .map(|d| d.mine.iter().filter(|m| m.mortem == id).collect())
            .unwrap_or_default()
    }
}
