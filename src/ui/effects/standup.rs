//! The Standup tab's effects.

use super::changed;
use crate::domain::sprint::SprintState;
use crate::domain::standup::{NewStandup, SpeakerNotes, StandupId, StandupSettings, walk_order};
use crate::store::{Impediment, Store, StoreError};
use crate::ui::action::Action;
use crate::ui::state::{AppState, StandupData};

/// How many past standups the history shows.
const HISTORY: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandupEffect {
    Load,
    Begin(NewStandup),
    SetAttendees {
        id: StandupId,
        names: Vec<String>,
    },
    SaveNotes {
        id: StandupId,
        notes: SpeakerNotes,
    },
    Park {
        id: StandupId,
        text: String,
    },
    Raise {
        id: StandupId,
        impediment: Impediment,
    },
    /// Saves the timer's elapsed seconds; `end` ends the standup.
    SaveTime {
        id: StandupId,
        seconds: u32,
        end: bool,
    },
    SetSettings(StandupSettings),
    History,
}

pub(super) fn run(
    store: &mut dyn Store,
    state: &AppState,
    effect: StandupEffect,
) -> Result<Action, StoreError> {
    Ok(match effect {
        StandupEffect::Load => Action::StandupLoaded(Box::new(load(store, state)?)),
        StandupEffect::Begin(new) => {
            let board = store.board()?;
            Action::StandupBegun(store.begin_standup(board.id, new)?)
        }
        StandupEffect::SetAttendees { id, names } => {
            store.set_attendees(id, &names)?;
            changed(format!("{} attending", names.len()))
        }
        StandupEffect::SaveNotes { id, notes } => {
            let who = notes.name.clone();
            store.save_notes(id, &notes)?;
            changed(format!("Notes of {who} saved"))
        }
        StandupEffect::Park { id, text } => {
            store.park_topic(id, &text)?;
            changed("Parked for after the standup")
        }
        StandupEffect::Raise { id, impediment } => {
            let blocked = matches!(impediment, Impediment::Block { .. });
            let card = store.raise_impediment(id, impediment)?;
            changed(if blocked {
                format!("Impediment recorded: {card} is blocked")
            } else {
                format!("Impediment recorded as new card {card}")
            })
        }
        StandupEffect::SaveTime { id, seconds, end } => {
            store.save_standup_time(id, seconds, end)?;
            changed(if end {
                format!(
                    "Standup saved ({}:{:02}); H shows past standups",
                    seconds / 60,
                    seconds % 60
                )
            } else {
                "Paused".to_string()
            })
        }
        StandupEffect::SetSettings(settings) => {
            let board = store.board()?;
            store.set_standup_settings(board.id, settings)?;
            changed(format!(
                "Standup: {}, {} minutes{}",
                settings.format.label(),
                settings.minutes,
                settings
                    .turn_seconds
                    .map_or(String::new(), |s| format!(", {s} s a turn"))
            ))
        }
        StandupEffect::History => {
            let board = store.board()?;
            Action::StandupHistory(store.past_standups(board.id, HISTORY)?)
        }
    })
}

fn load(store: &dyn Store, state: &AppState) -> Result<StandupData, StoreError> {
    let board = store.board()?;
    let clock = store.clock();
    let today = clock.zone().day_of(clock.now());
    let sprint = store
        .sprints(board.id)?
        .into_iter()
        .find(|s| s.state == SprintState::Active);
    let scope = sprint.as_ref().map(|s| s.id);
    let current = match state.standup.id {
        Some(id) => Some(store.standup(id)?),
        None => store
            .unfinished_standup(board.id, today)?
            .map(|id| store.standup(id))
            .transpose()?,
    };
    Ok(StandupData {
        today,
        settings: store.standup_settings(board.id)?,
        walk: walk_order(store.walk_cards(&board, scope)?),
        people: store.standup_people(&board, scope)?,
        actions: store.action_items(&board)?,
        sprint,
        current,
        board,
    })
}
