//! The forecasts the tabs show: the Flow tab's panel, and the chance that
//! a sprint's cards are done by its last day.

use chrono::NaiveDate;

use crate::domain::flow::FlowRange;
use crate::domain::forecast::run::read_from;
use crate::domain::forecast::{
    self, Ask, Chance, DEFAULT_TRIALS, DEFAULT_WEEKS, Scope, Settings, Stability,
};
use crate::domain::sprint::Sprint;
use crate::domain::{Board, ColumnKind};
use crate::store::{Store, StoreError};
use crate::ui::action::Action;
use crate::ui::state::AppState;
use crate::ui::state::forecast::FlowForecast;

/// The seed of the forecasts on screen: the same history draws the same
/// panel on every terminal and every redraw.
const SCREEN_SEED: u64 = 1;

/// The sample window of a Flow range, in weeks.
fn weeks_of(range: FlowRange, today: NaiveDate) -> u32 {
    match range {
        FlowRange::Weeks(n) => n.max(1),
        FlowRange::All => 520,
        FlowRange::Since(d) => u32::try_from(((today - d).num_days() + 7) / 7)
            .unwrap_or(1)
            .clamp(1, 520),
    }
}

/// What the panel can be for: each column not done with cards in it, in
/// board order, then each tag of the cards left, most cards first.
fn choices(board: &Board, cards: &[crate::domain::CardSummary]) -> Vec<(Scope, String, u32)> {
    let mut out: Vec<(Scope, String, u32)> = Vec::new();
    for col in board.columns.iter().filter(|c| c.kind != ColumnKind::Done) {
        let scope = Scope::Column(col.id);
        let n = forecast::remaining(board, cards, &scope).len() as u32;
        if n > 0 {
            out.push((scope, format!("the cards in {}", col.name), n));
        }
    }
    for (tag, n) in forecast::open_tags(board, cards) {
        out.push((
            Scope::Tag(tag.clone()),
            format!("the cards tagged #{tag}"),
            n,
        ));
    }
    out
}

pub(super) fn flow(
    store: &dyn Store,
    state: &AppState,
    current: Option<Scope>,
    step: i32,
    range: FlowRange,
) -> Result<Action, StoreError> {
    let board = store.board()?;
    let cards = store.list_cards(&board, None)?;
    let choices = choices(&board, &cards);
    if choices.is_empty() {
        return Ok(Action::FlowForecast(
            None,
            "Nothing to forecast: no column or tag has cards left to finish".into(),
        ));
    }
    let n = choices.len() as i32;
    let at = current
        .as_ref()
        .and_then(|c| choices.iter().position(|x| x.0 == *c))
        .map(|i| i as i32);
    let pick = match (at, step) {
        (Some(i), s) => Some(i + s).filter(|j| (0..n).contains(j)),
        (None, 0) => None,
        (None, s) if s > 0 => Some(0),
        (None, _) => Some(n - 1),
    };
    let Some(i) = pick else {
        return Ok(Action::FlowForecast(None, "Forecast off".into()));
    };
    let (scope, label, items) = choices[i as usize].clone();
    let clock = store.clock();
    let today = clock.zone().day_of(clock.now());
    let weeks = weeks_of(range, today);
    let days = store.finishes_per_day(&board, Some(read_from(today, weeks)))?;
    let settings = Settings {
        weeks,
        trials: DEFAULT_TRIALS,
        seed: SCREEN_SEED,
    };
    let result = forecast::forecast(&days, today, Ask::When(items), settings)
        .map_err(|r| crate::ui::strings::capitalized(&r.to_string()));
    // The flow report of the same range already weighed Little's law.
    let unstable = state
        .flow
        .report
        .as_ref()
        .and_then(|r| r.little.as_ref())
        .map(Stability::from_little)
        .filter(Stability::unstable);
    let message = format!("Forecast for {label}");
    Ok(Action::FlowForecast(
        Some(Box::new(FlowForecast {
            scope,
            label,
            items,
            position: (i as usize + 1, choices.len()),
            result,
            unstable,
        })),
        message,
    ))
}

/// The chance the sprint's `remaining` cards are done by its last day,
/// from the board's throughput over the default window.
pub(crate) fn sprint_chance(
    store: &dyn Store,
    sprint: &Sprint,
    remaining: u32,
) -> Result<Chance, StoreError> {
    let clock = store.clock();
    let today = clock.zone().day_of(clock.now());
    let settings = Settings {
        weeks: DEFAULT_WEEKS,
        trials: DEFAULT_TRIALS,
        seed: SCREEN_SEED,
    };
    let days = if remaining > 0 && sprint.end > today {
        let board = store.board()?;
        store.finishes_per_day(&board, Some(read_from(today, settings.weeks)))?
    } else {
        Vec::new()
    };
    Ok(forecast::chance(
        &days, today, remaining, sprint.end, settings,
    ))
}
