//! Presence read again: what the header shows, and word to a facilitator
//! whose ritual someone else took over while another tab shows.

use crate::domain::handover::Ritual;
use crate::ui::effects::Effect;
use crate::ui::state::presence::tab_of;
use crate::ui::state::{AppState, Presence};
use crate::ui::text::safe_fit;

pub(crate) fn loaded(state: &mut AppState, seen: Presence) -> Vec<Effect> {
    let me = state.actor.clone();
    if state.presence.loaded {
        // The ritual's own tab says it when it shows (its load compares the
        // facilitator too); any other tab says it here, at once.
        let news: Vec<&crate::domain::presence::Running> = seen
            .running
            .iter()
            .filter(|r| r.facilitator != me && tab_of(r.ritual) != state.tab)
            .filter(|r| {
                state
                    .presence
                    .shown
                    .running
                    .iter()
                    .any(|o| o.ritual == r.ritual && o.id == r.id && o.facilitator == me)
            })
            .collect();
        let taken: Vec<String> = news
            .into_iter()
            .filter(|r| state.first_telling(r.ritual, r.id, &r.facilitator))
            .map(|r| {
                let title = safe_fit(&r.title, 30);
                match r.ritual {
                    Ritual::Pulse => {
                        format!(
                            "{} took the close of \"{title}\" over from you",
                            r.facilitator
                        )
                    }
                    Ritual::Standup => format!("{} took the standup over from you", r.facilitator),
                    other => format!(
                        "{} took {} \"{title}\" over from you",
                        r.facilitator,
                        other.noun()
                    ),
                }
            })
            .collect();
        if !taken.is_empty() {
            state.warn(taken.join("; "));
        }
    }
    let rows = state.header_rows();
    state.presence.shown = seen;
    state.presence.loaded = true;
    // The presence line came or went: the board has a row less or more.
    let height = state.board_height();
    if state.header_rows() != rows
        && super::board::keep_in_view(&mut state.board, state.width, height)
    {
        return vec![Effect::LoadBoard];
    }
    Vec::new()
}
