//! The Standup tab's effects. Every change to the standup is a write the
//! store checks in its transaction; the tab then loads what the board now
//! holds, as every other terminal does when it sees the change.

use super::changed;
use crate::domain::sprint::SprintState;
use crate::domain::standup::{
    NewStandup, SpeakerNotes, StandupFormat, StandupId, StandupSettings, clock_text, walk_order,
};
use crate::store::{Impediment, Store, StoreError};
use crate::ui::action::{Action, Command};
use crate::ui::keymap::key_for;
use crate::ui::state::{AppState, StandupData};

/// How many past standups the history shows.
const HISTORY: u32 = 30;

/// What a terminal is told when the standup moved on before its step
/// arrived: nothing was applied twice.
pub const MOVED_ON: &str =
    "The standup had moved on already (someone pressed it first): this is where it is now";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StandupEffect {
    Load,
    Begin(NewStandup),
    /// Starts or pauses the shared timer.
    SetRunning {
        id: StandupId,
        running: bool,
    },
    /// The next or previous turn, from the step this terminal saw.
    Step {
        id: StandupId,
        from: u32,
        delta: i32,
    },
    SetFormat {
        id: StandupId,
        format: StandupFormat,
        from: u32,
    },
    Shuffle {
        id: StandupId,
        from: u32,
    },
    /// Someone joins; `message` is what the status line says then.
    Join {
        id: StandupId,
        name: String,
        message: String,
    },
    Leave {
        id: StandupId,
        name: String,
        message: String,
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
    End(StandupId),
    SetSettings(StandupSettings),
    History,
}

/// A step the store refused as moved on from: said, and the tab reloaded.
fn stepped(moved: bool, message: impl Into<String>) -> Action {
    if moved {
        changed(message)
    } else {
        Action::StandupMovedOn(MOVED_ON.to_string())
    }
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
        StandupEffect::SetRunning { id, running } => {
            store.set_standup_running(id, running)?;
            changed(if running {
                "Running again, on every screen".to_string()
            } else {
                format!(
                    "Paused: the timer stands still on every screen ({} runs it again)",
                    key_for(state, Command::ToggleTimer)
                )
            })
        }
        StandupEffect::Step { id, from, delta } => {
            stepped(store.step_standup(id, from, delta)?, String::new())
        }
        StandupEffect::SetFormat { id, format, from } => {
            let moved = store.set_standup_format(id, format, from)?;
            stepped(moved, format!("Standup: {} for everyone", format.label()))
        }
        StandupEffect::Shuffle { id, from } => {
            let moved = store.shuffle_speakers(id, from)?;
            let first = store.standup(id)?.attendees.first().cloned();
            let first = first.unwrap_or_else(|| "nobody".into());
            stepped(moved, format!("Shuffled: {first} goes first"))
        }
        StandupEffect::Join { id, name, message } => {
            store.join_standup(id, &name)?;
            changed(message)
        }
        StandupEffect::Leave { id, name, message } => {
            store.leave_standup(id, &name)?;
            changed(message)
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
        StandupEffect::End(id) => {
            store.end_standup(id)?;
            let s = store.standup(id)?;
            let took = chrono::Duration::seconds(i64::from(s.elapsed_seconds()));
            changed(format!(
                "Standup saved ({}, {}, {} attending); {} shows past standups",
                clock_text(took),
                s.format.label(),
                s.attendees.len(),
                key_for(state, Command::ShowStandupHistory)
            ))
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
            {
                let standups = store.past_standups(board.id, HISTORY)?;
                let handovers = standups
                    .iter()
                    .map(|s| store.handovers(crate::domain::handover::Ritual::Standup, s.id.0))
                    .collect::<Result<_, _>>()?;
                Action::StandupHistory(standups, handovers)
            }
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
    // The board's standup under way today, whoever began it; else the one
    // this terminal showed (it has ended since), else today's, ended.
    let current = match (store.unfinished_standup(board.id, today)?, state.standup.id) {
        (Some(id), _) | (None, Some(id)) => Some(store.standup(id)?),
        (None, None) => store
            .past_standups(board.id, 1)?
            .into_iter()
            .find(|s| s.date == today),
    };
    let chance = match &sprint {
        Some(s) => {
            let left = store.sprint_cards(s.id)?.iter().filter(|c| !c.done).count();
            Some(super::sprint_chance(store, s, left as u32)?)
        }
        None => None,
    };
    Ok(StandupData {
        today,
        chance,
        settings: store.standup_settings(board.id)?,
        walk: walk_order(store.walk_cards(&board, scope)?),
        people: store.standup_people(&board, scope)?,
        actions: store.action_items(&board)?,
        sprint,
        current,
        board,
    })
}
