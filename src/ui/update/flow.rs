//! The Flow tab: choosing the range and scrolling the aging work.

use crate::domain::ColumnKind;
use crate::domain::flow::FlowReport;
use crate::ui::action::Command;
use crate::ui::effects::Effect;
use crate::ui::state::AppState;
use crate::ui::state::forecast::FlowForecast;

/// Lines of the aging list: one per card and one per active column's heading.
fn aging_lines(report: &FlowReport) -> usize {
    report.aging.len()
        + report
            .columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Active)
            .count()
}

pub(super) fn loaded(state: &mut AppState, report: Box<FlowReport>) -> Vec<Effect> {
    state.flow.scroll = state
        .flow
        .scroll
        .min(aging_lines(&report).saturating_sub(1));
    state.flow.report = Some(report);
    // The panel follows the range and the board.
    match &state.flow.forecast {
        Some(f) => vec![Effect::FlowForecast {
            current: Some(f.scope.clone()),
            step: 0,
            range: state.flow.range,
        }],
        None => Vec::new(),
    }
}

pub(super) fn forecast(
    state: &mut AppState,
    forecast: Option<Box<FlowForecast>>,
    message: String,
) -> Vec<Effect> {
    let was = state.flow.forecast.as_ref().map(|f| f.scope.clone());
    let now = forecast.as_ref().map(|f| f.scope.clone());
    state.flow.forecast = forecast;
    // A refresh of the same panel says nothing.
    if was != now || (now.is_none() && was.is_none()) {
        state.info(message);
    }
    Vec::new()
}

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let flow = &mut state.flow;
    match cmd {
        Command::NextRange | Command::PrevRange => {
            flow.range = flow
                .range
                .step(if cmd == Command::NextRange { 1 } else { -1 });
            let label = flow.range.label();
            let range = flow.range;
            state.info(format!("Flow: {label}"));
            vec![Effect::LoadFlow(range)]
        }
        Command::NextForecast | Command::PrevForecast => vec![Effect::FlowForecast {
            current: flow.forecast.as_ref().map(|f| f.scope.clone()),
            step: if cmd == Command::NextForecast { 1 } else { -1 },
            range: flow.range,
        }],
        Command::ScrollDown => {
            // The screen itself stops where the last line reaches the bottom.
            let n = flow.report.as_deref().map_or(0, aging_lines);
            flow.scroll = (flow.scroll + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        Command::ScrollUp => {
            flow.scroll = flow.scroll.saturating_sub(1);
            Vec::new()
        }
        _ => Vec::new(),
    }
}
