//! What a user can do that moves a card through a board's history, played
//! in order on a store, for the tests that compare kept figures with
//! counts and replays from scratch.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use teamloop::domain::{CardId, Clock, ColumnKind, NewCard};
use teamloop::store::Store;

use super::engines::BoardFixture;

#[derive(Debug, Clone, Copy)]
pub enum Step {
    Add(usize),
    Move(usize, usize),
    /// Past a hard limit, with a reason.
    Force(usize, usize),
    Archive(usize),
    Restore(usize),
    Block(usize),
    Unblock(usize),
    /// The clock moves on (or, negative, back) by this many minutes.
    Tick(i64),
    /// Column `.0` becomes of kind `.1` (0 backlog, 1 active, 2 done).
    Kind(usize, u8),
}

/// Plays the steps; refusals (a limit, an archived card) are part of real
/// use and change nothing. The cards made, and the latest the clock was
/// (a clock set back may have written events later than it is now).
pub fn play(
    board: &BoardFixture,
    store: &mut dyn Store,
    steps: &[Step],
) -> (Vec<CardId>, DateTime<Utc>) {
    let b = store.board().unwrap();
    let column = |i: usize| b.columns[i % b.columns.len()].id;
    let mut cards: Vec<CardId> = Vec::new();
    let mut latest = board.clock.now();
    let pick = |cards: &[CardId], i: usize| (!cards.is_empty()).then(|| cards[i % cards.len()]);
    for (n, step) in steps.iter().enumerate() {
        match *step {
            Step::Add(c) => {
                if let Ok(e) =
                    store.add_card(column(c), NewCard::titled(&format!("card {n}")), None)
                {
                    cards.push(e.card);
                }
            }
            Step::Move(c, to) | Step::Force(c, to) => {
                if let Some(id) = pick(&cards, c) {
                    let force = matches!(step, Step::Force(..)).then_some("release day");
                    let _ = store.move_card(id, column(to), force);
                }
            }
            Step::Archive(c) => {
                if let Some(id) = pick(&cards, c) {
                    let _ = store.archive_card(id);
                }
            }
            Step::Restore(c) => {
                if let Some(id) = pick(&cards, c) {
                    let _ = store.restore_card(id);
                }
            }
            Step::Block(c) | Step::Unblock(c) => {
                if let Some(id) = pick(&cards, c) {
                    let reason = matches!(step, Step::Block(_)).then_some("waiting on ops");
                    let _ = store.set_blocked(id, reason);
                }
            }
            Step::Tick(m) => {
                board.clock.advance(Duration::minutes(m));
                latest = latest.max(board.clock.now());
            }
            Step::Kind(c, k) => {
                let kind = [ColumnKind::Backlog, ColumnKind::Active, ColumnKind::Done][k as usize];
                let _ = store.set_column_kind(column(c), kind);
            }
        }
    }
    (cards, latest)
}

/// Adds a card with these tags to the column named `column`, at `at`.
pub fn add_at(
    f: &BoardFixture,
    s: &mut dyn Store,
    column: &str,
    title: &str,
    tags: &[&str],
    at: DateTime<Utc>,
) -> CardId {
    f.clock.set(at);
    let board = s.board().unwrap();
    let mut card = NewCard::titled(title);
    card.tags = tags.iter().map(|t| t.to_string()).collect();
    s.add_card(board.column_named(column).unwrap().id, card, None)
        .unwrap()
        .card
}

/// Moves a card to the column named `column`, at `at`.
pub fn move_at(f: &BoardFixture, s: &mut dyn Store, card: CardId, column: &str, at: DateTime<Utc>) {
    f.clock.set(at);
    let board = s.board().unwrap();
    s.move_card(card, board.column_named(column).unwrap().id, None)
        .unwrap();
}
