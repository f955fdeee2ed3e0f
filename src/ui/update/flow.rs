//! The Flow tab: choosing the range and scrolling the aging work.

use crate::domain::flow::FlowReport;
use crate::ui::action::Command;
use crate::ui::effects::Effect;
use crate::ui::state::AppState;

pub(super) fn loaded(state: &mut AppState, report: Box<FlowReport>) -> Vec<Effect> {
    state.flow.scroll = state.flow.scroll.min(report.aging.len().saturating_sub(1));
    state.flow.report = Some(report);
    Vec::new()
}

pub(super) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
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
        Command::ScrollDown => {
            let n = flow.report.as_ref().map_or(0, |r| r.aging.len());
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
