//! Velocity history: points committed and done, per closed sprint.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup};

use crate::ui::screens::flow::panel;
use crate::ui::state::SprintData;
use crate::ui::text::safe_fit;
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, data: &SprintData, theme: &Theme) {
    let closed: Vec<_> = data.closed().collect();
    let text = match data.velocity {
        Some(v) => Line::from(vec![
            Span::styled(format!("Average velocity {:.1}", v.mean), theme.title),
            Span::raw(format!(
                " over the last {} closed sprints (min {}, max {}). Velocity is this team's own measure: never compare teams by it.",
                v.sprints, v.min, v.max
            )),
        ]),
        None => Line::from(Span::styled(
            "No closed sprint yet: velocity is the points done when a sprint closes.",
            theme.dim,
        )),
    };
    let chart = crate::ui::widgets::summary::render_above(frame, area, vec![text]);
    let block = panel(
        "Velocity per sprint · C points committed  D points done".to_string(),
        theme,
    );
    let inner = block.inner(chart);
    frame.render_widget(block, chart);
    if closed.is_empty() || inner.width < 8 {
        return;
    }
    // Two bars and a gap per sprint; the oldest drop out when they do not fit.
    let per = (inner.width / closed.len() as u16).clamp(5, 17);
    let bar = ((per - 2) / 2).max(1);
    let fit = (inner.width / per).max(1) as usize;
    let shown = &closed[closed.len().saturating_sub(fit)..];
    let groups: Vec<BarGroup> = shown
        .iter()
        .map(|s| {
            let committed = u64::from(s.committed.unwrap_or(0));
            let done = u64::from(s.velocity.unwrap_or(0));
            BarGroup::default()
                .label(Line::from(safe_fit(&s.name, (bar * 2 + 1) as usize)))
                .bars(&[
                    Bar::default()
                        .value(committed)
                        .label(Line::from("C"))
                        .style(theme.committed),
                    Bar::default()
                        .value(done)
                        .label(Line::from("D"))
                        .style(theme.bar),
                ])
        })
        .collect();
    let mut chart = BarChart::default()
        .bar_width(bar)
        .bar_gap(1)
        .group_gap(per.saturating_sub(bar * 2 + 1))
        .value_style(theme.base);
    for g in groups {
        chart = chart.data(g);
    }
    frame.render_widget(chart, inner);
}
