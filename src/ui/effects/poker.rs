//! Planning poker's effects: each write goes through the store's rules,
//! then the round is read again for the panel.

use crate::domain::CardId;
use crate::domain::poker::{Deck, RoundId};
use crate::store::{Store, StoreError};
use crate::ui::action::Action;
use crate::ui::overlay::PokerData;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PokerEffect {
    /// Show the round (joining it, unless read-only).
    Open {
        id: RoundId,
        join: bool,
    },
    /// Read it again (a change elsewhere, or a timebox over).
    Load(RoundId),
    /// A new round on these cards, this person facilitating.
    Start(Vec<CardId>),
    Pick(RoundId, String),
    Reveal(RoundId),
    Revote(RoundId),
    Accept(RoundId, String),
    End(RoundId),
}

fn data(store: &dyn Store, id: RoundId) -> Result<Box<PokerData>, StoreError> {
    Ok(Box::new(PokerData {
        round: store.poker_round(id)?,
        mine: store.my_poker_pick(id)?,
    }))
}

fn loaded(
    store: &dyn Store,
    id: RoundId,
    open: bool,
    message: impl Into<String>,
) -> Result<Action, StoreError> {
    let message: String = message.into();
    Ok(Action::PokerLoaded {
        data: data(store, id)?,
        open,
        message: (!message.is_empty()).then_some(message),
    })
}

pub(super) fn run(store: &mut dyn Store, effect: PokerEffect) -> Result<Action, StoreError> {
    match effect {
        PokerEffect::Open { id, join } => {
            if join {
                store.join_poker(id)?;
            }
            loaded(store, id, true, "")
        }
        PokerEffect::Load(id) => loaded(store, id, false, ""),
        PokerEffect::Start(cards) => {
            let board = store.board()?;
            let n = cards.len();
            let id = store.start_poker(board.id, &cards, &Deck::fibonacci(), None)?;
            let what = if n == 1 {
                "one card".to_string()
            } else {
                format!("{n} cards")
            };
            loaded(
                store,
                id,
                true,
                format!(
                    "Planning poker round {id} started on {what}: everyone with the board open sees it"
                ),
            )
        }
        PokerEffect::Pick(id, value) => {
            let (label, all) = store.pick_poker(id, &value)?;
            let said = if all {
                format!("You picked {label}: everyone has picked, the picks are shown")
            } else {
                format!("You picked {label}: hidden until the reveal")
            };
            loaded(store, id, false, said)
        }
        PokerEffect::Reveal(id) => {
            store.reveal_poker(id)?;
            loaded(store, id, false, "The picks are shown")
        }
        PokerEffect::Revote(id) => {
            store.revote_poker(id)?;
            loaded(store, id, false, "A new vote: everyone picks again")
        }
        PokerEffect::Accept(id, value) => {
            let card = store.poker_round(id)?.current().map(|c| c.card);
            let points = store.accept_poker(id, &value)?;
            let said = match card {
                Some(c) => format!("{c} is estimated at {points} points"),
                None => format!("Estimated at {points} points"),
            };
            loaded(store, id, false, said)
        }
        PokerEffect::End(id) => {
            store.end_poker(id)?;
            loaded(store, id, false, "The round is over")
        }
    }
}
