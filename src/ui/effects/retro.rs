//! The Retro tab's effects.

use chrono::NaiveDate;

use super::changed;
use crate::domain::CardId;
use crate::domain::handover::Ritual;
use crate::domain::retro::{ActionStatus, ItemId, Phase, Poll, RetroId};
use crate::store::{NewRetro, Store, StoreError};
use crate::ui::action::Action;
use crate::ui::state::{AppState, RetroData};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetroEffect {
    Load,
    Start(NewRetro),
    Phase {
        id: RetroId,
        phase: Phase,
    },
    Reveal(RetroId),
    AddCard {
        id: RetroId,
        prompt: usize,
        text: String,
    },
    DeleteCard {
        id: RetroId,
        card: i64,
    },
    Group {
        id: RetroId,
        items: Vec<ItemId>,
        title: String,
    },
    Split {
        id: RetroId,
        item: ItemId,
    },
    Vote {
        id: RetroId,
        item: ItemId,
        delta: i32,
    },
    Answer {
        id: RetroId,
        poll: Poll,
        value: u32,
    },
    ClosePoll {
        id: RetroId,
        poll: Poll,
    },
    /// Open the safety check again.
    ReopenPoll(RetroId),
    Discuss {
        id: RetroId,
        item: ItemId,
    },
    Notes {
        id: RetroId,
        item: ItemId,
        notes: String,
    },
    AddAction {
        id: RetroId,
        text: String,
        owner: Option<String>,
        due: Option<NaiveDate>,
    },
    Review {
        id: RetroId,
        card: CardId,
        status: ActionStatus,
    },
}

pub(super) fn run(
    store: &mut dyn Store,
    state: &AppState,
    effect: RetroEffect,
) -> Result<Action, StoreError> {
    Ok(match effect {
        RetroEffect::Load => Action::RetroLoaded(Box::new(load(store, state)?)),
        RetroEffect::Start(new) => {
            let board = store.board()?;
            let title = new.title.clone();
            store.start_retro(board.id, new)?;
            changed(format!(
                "{title} started: you facilitate it; ] moves to the next phase"
            ))
        }
        RetroEffect::Phase { id, phase } => {
            store.set_phase(id, phase)?;
            changed(format!("{}: {}", phase.title(), phase.purpose()))
        }
        RetroEffect::Reveal(id) => {
            store.reveal_cards(id)?;
            changed("Every card is revealed")
        }
        RetroEffect::AddCard { id, prompt, text } => {
            let card = store.add_retro_card(id, prompt, &text)?;
            Action::RetroCardAdded {
                id: card,
                prompt,
                text,
            }
        }
        RetroEffect::DeleteCard { id, card } => {
            store.delete_retro_card(id, card)?;
            changed("Card taken back")
        }
        RetroEffect::Group { id, items, title } => {
            let n = items.len();
            store.group_items(id, &items, &title)?;
            Action::Grouped(format!("{n} items grouped as \"{}\"", title.trim()))
        }
        RetroEffect::Split { id, item } => {
            store.split_item(id, item)?;
            changed("Theme split into its cards")
        }
        RetroEffect::Vote { id, item, delta } => {
            let used = store.vote(id, item, delta)?;
            Action::Voted { used }
        }
        RetroEffect::Answer { id, poll, value } => {
            store.answer(id, poll, value)?;
            changed("Answered. Your answer is stored without your name")
        }
        RetroEffect::ClosePoll { id, poll } => {
            store.close_poll(id, poll)?;
            changed("Closed: the answers show if at least three people answered")
        }
        RetroEffect::ReopenPoll(id) => {
            store.reopen_poll(id, Poll::Safety)?;
            changed("The safety check is open again: it takes answers until Discuss")
        }
        RetroEffect::Discuss { id, item } => {
            store.discuss(id, item)?;
            changed("Discussing: the timebox has started")
        }
        RetroEffect::Notes { id, item, notes } => {
            store.set_item_notes(id, item, &notes)?;
            changed("Notes saved")
        }
        RetroEffect::AddAction {
            id,
            text,
            owner,
            due,
        } => {
            let card = store.add_action(id, &text, owner.as_deref(), due)?;
            changed(format!(
                "Action item {card} is on the board, tagged #action"
            ))
        }
        RetroEffect::Review { id, card, status } => {
            store.review_action(id, card, status)?;
            changed(format!("{card} marked {}", status.as_str()))
        }
    })
}

fn load(store: &dyn Store, state: &AppState) -> Result<RetroData, StoreError> {
    let board = store.board()?;
    let retros = store.retros(board.id)?;
    // The retro chosen from the list; else the one running; else the one
    // on screen a moment ago (closed just now: its summary stays).
    let shown = state
        .retro
        .viewing
        .or_else(|| {
            retros
                .iter()
                .find(|r| r.phase != Phase::Closed)
                .map(|r| r.id)
        })
        .or_else(|| {
            let before = state.retro.retro().map(|r| r.id)?;
            retros.iter().any(|r| r.id == before).then_some(before)
        });
    let mut report = shown.map(|id| store.retro_report(id)).transpose()?;
    // From the discussion on, the items stand in vote order: sorted once
    // here, not at every frame and key.
    if let Some(r) = report.as_mut().filter(|r| r.retro.phase >= Phase::Discuss) {
        crate::domain::retro::discussion_order(&mut r.items);
    }
    let (mut written, mut used, mut mine, mut safety, mut roti, mut review, mut facts) =
        (0, 0, Vec::new(), false, false, Vec::new(), None);
    let mut my_cards = Vec::new();
    if let Some(r) = &report {
        let id = r.retro.id;
        written = store.retro_cards_written(id)?;
        if r.retro.phase == Phase::Vote {
            mine = store.my_votes(id)?;
            used = mine.iter().map(|(_, n)| n).sum();
        }
        if !r.retro.revealed {
            my_cards = store.my_retro_cards(id)?;
        }
        safety = store.has_answered(id, Poll::Safety)?;
        roti = store.has_answered(id, Poll::Roti)?;
        review = store.actions_to_review(id)?;
        // The board's record is read only where it is shown, once per retro.
        if r.retro.phase == Phase::Facts {
            let known = state
                .retro
                .data
                .as_deref()
                .filter(|d| d.retro().map(|x| x.id) == Some(id))
                .and_then(|d| d.facts.clone());
            facts = Some(match known {
                Some(f) => f,
                None => store.retro_facts(&board, &r.retro)?,
            });
        }
    }
    // The formats (built in and the user's files) are read once a session.
    let formats = match state.retro.data.as_deref() {
        Some(d) => d.formats.clone(),
        None => crate::config::retro_formats().0,
    };
    let handovers = match &report {
        Some(r) => store.handovers(Ritual::Retro, r.retro.id.0)?,
        None => Vec::new(),
    };
    Ok(RetroData {
        handovers,
        period: store.retro_period(board.id)?,
        retros,
        report,
        written,
        used,
        my_votes: mine,
        my_cards,
        answered_safety: safety,
        answered_roti: roti,
        review,
        facts,
        formats,
    })
}
