//! The planning poker panel: opened over the Board or the Sprint tab (or
//! from any tab while a round runs), its keys, and what a read brings.

use crate::domain::handover::Ritual;
use crate::domain::poker::RoundId;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, PokerEffect};
use crate::ui::keymap;
use crate::ui::overlay::{Overlay, PokerData, PokerDialog};
use crate::ui::state::{AppState, SprintView, Tab};

/// The round the panel shows, if it shows.
pub fn showing(state: &AppState) -> Option<RoundId> {
    state.overlays.iter().find_map(|o| match o {
        Overlay::Poker(d) => Some(d.data.round.id),
        _ => None,
    })
}

fn dialog(state: &mut AppState) -> Option<&mut PokerDialog> {
    match state.overlays.last_mut() {
        Some(Overlay::Poker(d)) => Some(d),
        _ => None,
    }
}

/// Planning poker's key: the round running (joined), else a new one on the selected card
/// (Board) or the sprint's cards without points (Sprint planning).
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let running = state
        .presence
        .shown
        .running
        .iter()
        .find(|r| r.ritual == Ritual::Poker)
        .map(|r| RoundId(r.id));
    if let Some(id) = running {
        return vec![Effect::Poker(PokerEffect::Open {
            id,
            join: !state.read_only,
        })];
    }
    if state.read_only {
        state.error(crate::ui::strings::READ_ONLY_REFUSAL);
        return Vec::new();
    }
    let cards = match state.tab {
        Tab::Board => state
            .board
            .selected()
            .map(|c| vec![c.id])
            .unwrap_or_default(),
        Tab::Sprint if state.sprint.view == SprintView::Plan => {
            let unestimated: Vec<_> = state
                .sprint
                .data
                .as_deref()
                .and_then(|d| d.plan_target())
                .map(|s| {
                    s.cards
                        .iter()
                        .filter(|c| c.card.points.is_none() && !c.done)
                        .map(|c| c.card.id)
                        .collect()
                })
                .unwrap_or_default();
            if unestimated.is_empty() {
                state
                    .sprint
                    .selected()
                    .map(|c| vec![c.card.id])
                    .unwrap_or_default()
            } else {
                unestimated
            }
        }
        _ => Vec::new(),
    };
    if cards.is_empty() {
        let key = keymap::key_for(state, Command::OpenPoker);
        state.info(format!(
            "No poker round is running: select a card on the Board, or plan a sprint, and press {key}"
        ));
        return Vec::new();
    }
    let cards = cards
        .into_iter()
        .take(crate::domain::poker::MAX_CARDS)
        .collect();
    vec![Effect::Poker(PokerEffect::Start(cards))]
}

/// A key while the panel is on top.
pub fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(d) = dialog(state) else {
        return Vec::new();
    };
    let round = &d.data.round;
    let id = round.id;
    let n = round.deck.values.len();
    let chosen = round
        .deck
        .values
        .get(d.cursor)
        .map(|v| v.label.clone())
        .unwrap_or_default();
    match cmd {
        Command::SelectLeft => {
            d.cursor = d.cursor.saturating_sub(1);
            Vec::new()
        }
        Command::SelectRight => {
            d.cursor = (d.cursor + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        Command::PokerPick => vec![Effect::Poker(PokerEffect::Pick(id, chosen))],
        Command::PokerReveal => vec![Effect::Poker(PokerEffect::Reveal(id))],
        Command::PokerRevote => vec![Effect::Poker(PokerEffect::Revote(id))],
        Command::PokerAccept => vec![Effect::Poker(PokerEffect::Accept(id, chosen))],
        Command::EndPoker => vec![Effect::Poker(PokerEffect::End(id))],
        Command::TakeOver => {
            let title = round.current().map(|c| c.title.clone()).unwrap_or_default();
            let current = round.facilitator.clone();
            super::ask_take_over(state, Ritual::Poker, id.0, &title, &current);
            Vec::new()
        }
        Command::ShowHelp => super::show_help(state),
        Command::Close => {
            state.overlays.retain(|o| !matches!(o, Overlay::Poker(_)));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A round read: the panel shows it (opened if `open`), its cursor on
/// this person's pick when there is one.
pub fn loaded(
    state: &mut AppState,
    data: PokerData,
    open: bool,
    message: Option<String>,
) -> Vec<Effect> {
    // A change made here: the board (and the tab) show it too, an
    // accepted estimate on its card.
    let effects = match message {
        Some(m) => {
            state.info(m);
            super::reload(state)
                .into_iter()
                .filter(|e| !matches!(e, Effect::Poker(_)))
                .collect()
        }
        None => Vec::new(),
    };
    let now = state.now;
    let mine = data
        .mine
        .as_deref()
        .and_then(|m| data.round.deck.position(m));
    let showing = state.overlays.iter_mut().find_map(|o| match o {
        Overlay::Poker(d) => Some(d),
        _ => None,
    });
    match showing {
        Some(d) if d.data.round.id == data.round.id || open => {
            let n = data.round.deck.values.len();
            d.cursor = mine.unwrap_or(d.cursor).min(n.saturating_sub(1));
            d.data = data;
            d.now = now;
        }
        Some(_) => {}
        None if open => {
            let cursor = mine.unwrap_or(0);
            state.overlays.push(Overlay::Poker(Box::new(PokerDialog {
                data,
                cursor,
                actor: state.actor.clone(),
                now,
            })));
        }
        None => {}
    }
    effects
}

/// The panel's clock; a timebox just over shows the picks, read again.
pub fn tick(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let Some(d) = state.overlays.iter_mut().find_map(|o| match o {
        Overlay::Poker(d) => Some(d),
        _ => None,
    }) else {
        return Vec::new();
    };
    let before = d.now;
    d.now = now;
    let r = &d.data.round;
    match r.deadline() {
        Some(end) if !r.revealed() && before < end && now >= end => {
            vec![Effect::Poker(PokerEffect::Load(r.id))]
        }
        _ => Vec::new(),
    }
}
