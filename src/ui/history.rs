//! Undo and redo of this terminal's own changes: a move, an edit, a block,
//! an archive, a WIP limit. Each is undone by a new change (recorded like any
//! other, so the flow history stays true), and only while nobody has changed
//! the card or column since: someone else's later work is never reverted.

use crate::domain::{Card, CardId, CardPatch, ColumnId, WipLimit};

/// A change this terminal made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Move {
        card: CardId,
        from: ColumnId,
        to: ColumnId,
    },
    /// Title, description, assignee, tags or points: every field before and
    /// after.
    Edit {
        card: CardId,
        before: CardPatch,
        after: CardPatch,
    },
    Block {
        card: CardId,
        before: Option<String>,
        after: Option<String>,
    },
    Archive {
        card: CardId,
    },
    Wip {
        column: ColumnId,
        before: Option<WipLimit>,
        after: Option<WipLimit>,
    },
}

/// What must still be there for the change to be undone (or redone): the
/// card as the change left it, or the column's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Card(Box<Card>),
    Limit(Option<WipLimit>),
}

impl Mark {
    /// Whether nothing that matters changed: every field of the card (its
    /// time of change aside, which this terminal's own undos move too), or
    /// the limit.
    pub fn still(&self, now: &Mark) -> bool {
        match (self, now) {
            (Mark::Card(a), Mark::Card(b)) => {
                Card {
                    updated_at: b.updated_at,
                    ..(**a).clone()
                } == **b
            }
            (Mark::Limit(a), Mark::Limit(b)) => a == b,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub change: Change,
    pub mark: Mark,
}

/// How many changes the undo list keeps.
pub const KEEP: usize = 100;

/// Every editable field of a card, as a patch that sets them all.
pub fn fields(card: &Card) -> CardPatch {
    CardPatch {
        title: Some(card.title.clone()),
        description: Some(card.description.clone()),
        assignee: Some(card.assignee.clone()),
        tags: Some(card.tags.clone()),
        points: Some(card.points),
    }
}

impl Change {
    /// One line for the status line: what the change did.
    pub fn describe(&self, columns: &dyn Fn(ColumnId) -> String) -> String {
        match self {
            Change::Move { card, to, .. } => format!("the move of {card} to {}", columns(*to)),
            Change::Edit { card, .. } => format!("the edit of {card}"),
            Change::Block { card, after, .. } => match after {
                Some(_) => format!("blocking {card}"),
                None => format!("unblocking {card}"),
            },
            Change::Archive { card } => format!("archiving {card}"),
            Change::Wip { column, .. } => format!("the WIP limit of {}", columns(*column)),
        }
    }

    pub fn card(&self) -> Option<CardId> {
        match self {
            Change::Move { card, .. }
            | Change::Edit { card, .. }
            | Change::Block { card, .. }
            | Change::Archive { card } => Some(*card),
            Change::Wip { .. } => None,
        }
    }
}

/// The undo and redo lists of this terminal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub undo: Vec<Done>,
    pub redo: Vec<Done>,
}

impl History {
    /// A new change: it can be undone; what was undone before is not redone
    /// any more.
    pub fn record(&mut self, done: Done) {
        self.undo.push(done);
        if self.undo.len() > KEEP {
            self.undo.remove(0);
        }
        self.redo.clear();
    }
}
