//! The cumulative flow diagram: one band per column, stacked in board order
//! with Done at the bottom (DOMAIN.md §5.4), each band drawn in its own
//! colour and its own pattern, so it reads on a monochrome terminal too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pack, panel, put};
use crate::domain::ColumnKind;
use crate::domain::flow::FlowReport;
use crate::ui::text::safe_fit;
use crate::ui::theme::Theme;

/// Patterns for the bands that are not done; done work is solid.
const PATTERNS: [&str; 4] = ["░", "▒", "▓", "▚"];

/// The pattern and style of band `b`.
pub(super) fn band_look(r: &FlowReport, b: usize, theme: &Theme) -> (&'static str, Style) {
    if r.columns[b].kind == ColumnKind::Done {
        return ("█", Style::default().fg(Color::Green));
    }
    let style = theme
        .bands
        .get(b % theme.bands.len().max(1))
        .copied()
        .unwrap_or_default();
    (PATTERNS[b % PATTERNS.len()], style)
}

pub fn render(frame: &mut Frame, area: Rect, r: &FlowReport, theme: &Theme) {
    let block = panel(format!("Cumulative flow · {} days", r.days), theme)
        .title_bottom(Line::from(format!(" {} ", r.from)).left_aligned())
        .title_bottom(Line::from(format!(" {} ", r.to)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let n = r.columns.len();
    if inner.height < 3 || inner.width < 10 || r.cfd.is_empty() || n == 0 {
        return;
    }
    let max_total = r
        .cfd
        .iter()
        .map(|d| d.counts.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    // The legend: each band's pattern, name and count today, in board order.
    let today = r.cfd.last().map(|d| d.counts.clone()).unwrap_or_default();
    let groups = r
        .columns
        .iter()
        .enumerate()
        .map(|(b, c)| {
            let (pattern, style) = band_look(r, b, theme);
            let label = format!(
                " {} {}",
                safe_fit(&c.name, 12),
                today.get(b).copied().unwrap_or(0)
            );
            (false, vec![Span::styled(pattern, style), Span::raw(label)])
        })
        .collect();
    let legend = pack(groups, inner.width);
    let legend_rows = (legend.len() as u16).min(inner.height - 2);
    let axis = max_total.to_string().len() as u16 + 1;
    let chart = Rect::new(
        inner.x + axis,
        inner.y,
        inner.width - axis,
        inner.height - legend_rows,
    );
    let h = f64::from(chart.height);
    let rows = |v: u32| ((f64::from(v) / f64::from(max_total)) * h).round() as u16;
    let looks: Vec<(&str, Style)> = (0..n).map(|b| band_look(r, b, theme)).collect();
    let buf = frame.buffer_mut();
    for x in 0..chart.width {
        let day = &r.cfd[x as usize * r.cfd.len() / chart.width as usize];
        let mut acc = 0u32;
        for b in (0..n).rev() {
            let lo = rows(acc);
            acc += day.counts.get(b).copied().unwrap_or(0);
            let hi = rows(acc).min(chart.height);
            for row in lo..hi {
                let (pattern, style) = looks[b];
                put(
                    buf,
                    chart.x + x,
                    chart.bottom() - 1 - row,
                    pattern,
                    1,
                    style,
                );
            }
        }
    }
    put(
        buf,
        inner.x,
        chart.y,
        &max_total.to_string(),
        axis,
        theme.dim,
    );
    put(buf, inner.x, chart.bottom() - 1, "0", axis, theme.dim);
    let area = Rect::new(inner.x, chart.bottom(), inner.width, legend_rows);
    frame.render_widget(Paragraph::new(legend), area);
}
