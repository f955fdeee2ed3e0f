//! Which cards a forecast is for: those still to do of a tag or a column.

use crate::domain::{Board, CardSummary, ColumnId, ColumnKind};

/// The cards a forecast counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every card with this tag not yet in a done column.
    Tag(String),
    /// Every card in this column now.
    Column(ColumnId),
}

/// The cards of `scope` still to finish, from the board's live cards.
pub fn remaining<'a>(
    board: &Board,
    cards: &'a [CardSummary],
    scope: &Scope,
) -> Vec<&'a CardSummary> {
    let done = |c: &CardSummary| {
        board
            .column(c.column)
            .is_some_and(|col| col.kind == ColumnKind::Done)
    };
    cards
        .iter()
        .filter(|c| match scope {
            Scope::Tag(tag) => !done(c) && c.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
            Scope::Column(col) => c.column == *col && !done(c),
        })
        .collect()
}

/// The tags of the cards still to finish, most cards first (then by name).
pub fn open_tags(board: &Board, cards: &[CardSummary]) -> Vec<(String, u32)> {
    let mut counts: std::collections::BTreeMap<String, u32> = Default::default();
    for c in cards {
        if board
            .column(c.column)
            .is_some_and(|col| col.kind != ColumnKind::Done)
        {
            for t in &c.tags {
                *counts.entry(t.to_lowercase()).or_default() += 1;
            }
        }
    }
    let mut tags: Vec<(String, u32)> = counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    tags
}
