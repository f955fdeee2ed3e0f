//! The Pulse tab's effects.

use super::changed;
use crate::domain::pulse::PulseId;
use crate::store::{NewPulse, Store, StoreError};
use crate::ui::action::Action;
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::{AppState, PulseData};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PulseEffect {
    Load,
    /// Only the results of the pulse just selected.
    Results(PulseId),
    Open(NewPulse),
    Respond {
        id: PulseId,
        answers: Vec<u32>,
        comment: Option<String>,
    },
    Close(PulseId),
}

pub(super) fn run(
    store: &mut dyn Store,
    state: &AppState,
    effect: PulseEffect,
) -> Result<Action, StoreError> {
    Ok(match effect {
        PulseEffect::Load => Action::PulseLoaded(Box::new(load(store, state)?)),
        PulseEffect::Results(id) => Action::PulseResults(id, Box::new(results(store, id)?)),
        PulseEffect::Open(new) => {
            let board = store.board()?;
            let title = new.title.trim().to_string();
            let n = new.min_responses;
            store.open_pulse(board.id, new)?;
            changed(format!(
                "\"{title}\" is open: everyone answers with a (results show once it closes, with {n} responses or more)"
            ))
        }
        PulseEffect::Respond {
            id,
            answers,
            comment,
        } => {
            store.respond(id, &answers, comment.as_deref())?;
            let min = store.pulse(id)?.min_responses;
            Action::PulseAnswered(format!(
                "Thank you. Your answers are stored without your name; results show once the pulse closes with at least {min} responses"
            ))
        }
        PulseEffect::Close(id) => {
            store.close_pulse(id)?;
            let p = store.pulse(id)?;
            changed(format!(
                "\"{}\" closed with {} responses",
                p.title, p.responses
            ))
        }
    })
}

/// A pulse's results, or the rule that keeps them hidden.
fn results(
    store: &dyn Store,
    id: PulseId,
) -> Result<Result<crate::domain::pulse::PulseResults, String>, StoreError> {
    match store.pulse_results(id) {
        Ok(r) => Ok(Ok(r)),
        Err(StoreError::Rule(e)) => Ok(Err(e.to_string())),
        Err(e) => Err(e),
    }
}

fn load(store: &dyn Store, state: &AppState) -> Result<PulseData, StoreError> {
    let board = store.board()?;
    let clock = store.clock();
    let now = clock.now();
    let today = clock.zone().day_of(now);
    let pulses = store.pulses(board.id)?;
    let responded = pulses
        .iter()
        .map(|p| store.has_responded(p.id))
        .collect::<Result<Vec<_>, _>>()?;
    // The one the tab will select: the same rule as its update.
    let p = &state.pulse;
    let row = reselect_in(p.row, p.selected_id, &pulses, |x| x.id).row;
    let results = match pulses.get(row) {
        Some(p) => Some(results(store, p.id)?),
        None => None,
    };
    // The instruments (built in and the user's files) are read once a session.
    let instruments = match state.pulse.data.as_deref() {
        Some(d) => d.instruments.clone(),
        None => crate::config::pulse_instruments().0,
    };
    Ok(PulseData {
        today,
        now,
        trend: store.pulse_trend(board.id)?,
        pulses,
        responded,
        results,
        instruments,
    })
}
