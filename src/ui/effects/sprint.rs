//! The Sprint tab's effects.

use super::changed;
use crate::domain::CardId;
use crate::domain::sprint::{NewSprint, SprintId, SprintState, VELOCITY_WINDOW, velocity_stats};
use crate::store::{SprintPatch, Store, StoreError};
use crate::ui::action::{Action, Command};
use crate::ui::keymap::key_for;
use crate::ui::state::{AppState, SprintData};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SprintEffect {
    Load,
    Create(NewSprint),
    Edit {
        sprint: SprintId,
        patch: SprintPatch,
    },
    Start(SprintId),
    Add {
        sprint: SprintId,
        card: CardId,
    },
    Remove {
        sprint: SprintId,
        card: CardId,
    },
    Close {
        sprint: SprintId,
        carry: Vec<CardId>,
    },
}

pub(super) fn run(
    store: &mut dyn Store,
    state: &AppState,
    effect: SprintEffect,
) -> Result<Action, StoreError> {
    Ok(match effect {
        SprintEffect::Load => Action::SprintLoaded(Box::new(load(store)?)),
        SprintEffect::Create(new) => {
            let name = new.name.trim().to_string();
            let board = store.board()?;
            store.create_sprint(board.id, new)?;
            changed(format!(
                "Planned {name}: move cards in with {}, then {} to start it",
                key_for(state, Command::MoveAcross),
                key_for(state, Command::StartSprint)
            ))
        }
        SprintEffect::Edit { sprint, patch } => {
            store.edit_sprint(sprint, patch)?;
            changed("Sprint saved")
        }
        SprintEffect::Start(sprint) => {
            store.start_sprint(sprint, SprintPatch::default())?;
            changed("Sprint started: its burndown is on the progress view")
        }
        SprintEffect::Add { sprint, card } => {
            store.add_to_sprint(sprint, &[card])?;
            changed(format!("Added {card} to the sprint"))
        }
        SprintEffect::Remove { sprint, card } => {
            store.remove_from_sprint(sprint, &[card])?;
            changed(format!("Took {card} out of the sprint"))
        }
        SprintEffect::Close { sprint, carry } => {
            let c = store.close_sprint(sprint, &carry)?;
            let next = c
                .next
                .as_ref()
                .map_or(String::new(), |(_, n)| format!(" (into {n})"));
            changed(format!(
                "Closed {}: velocity {} of {} committed; {} carried over{next}, {} back to the backlog",
                c.name, c.velocity, c.committed, c.carried, c.returned
            ))
        }
    })
}

fn load(store: &dyn Store) -> Result<SprintData, StoreError> {
    let board = store.board()?;
    let history = store.sprints(board.id)?;
    let report = |state| {
        history
            .iter()
            .find(|s| s.state == state)
            .map(|s| store.sprint_report(s))
            .transpose()
    };
    let clock = store.clock();
    let active = report(SprintState::Active)?;
    let chance = match &active {
        Some(r) => Some(super::sprint_chance(
            store,
            &r.sprint,
            r.cards.iter().filter(|c| !c.done).count() as u32,
        )?),
        None => None,
    };
    Ok(SprintData {
        today: clock.zone().day_of(clock.now()),
        chance,
        active,
        planned: report(SprintState::Planned)?,
        backlog: store.backlog_cards(&board)?,
        velocity: velocity_stats(&history, VELOCITY_WINDOW),
        history,
    })
}
