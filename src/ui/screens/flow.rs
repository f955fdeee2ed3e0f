//! The Flow tab: the board's flow metrics as charts a scrum master reads at a
//! glance, each with its numbers beside it so the screen also reads without colour.

mod aging;
mod cfd;
mod forecast;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::domain::flow::{FlowRange, FlowReport};
use crate::ui::action::Command;
use crate::ui::keymap::key_for;
use crate::ui::state::{AppState, FlowState};
use crate::ui::strings::cards;
use crate::ui::text::{days, safe_fit};
use crate::ui::theme::Theme;

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, _hint: &str, theme: &Theme) {
    let keys = (
        key_for(state, Command::NextForecast),
        key_for(state, Command::PrevForecast),
    );
    render(frame, area, &state.flow, (&keys.0, &keys.1), theme);
}

/// `keys`: the live keys of the forecast panel's next and previous choice.
pub fn render(frame: &mut Frame, area: Rect, state: &FlowState, keys: (&str, &str), theme: &Theme) {
    let Some(report) = state.report.as_deref() else {
        frame.render_widget(
            Paragraph::new("Reading the board's history…").style(theme.dim),
            area,
        );
        return;
    };
    let lines = pack(summary(state.range, report, theme), area.width);
    let rows = (lines.len() as u16).min(area.height / 3).max(1);
    let [top_area, charts] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(lines), top_area);
    if let Some(f) = state.forecast.as_deref() {
        forecast::render(frame, charts, f, keys, theme);
        return;
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
    let [scatter, weekly] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    let [flow, aging] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    render_scatter(frame, scatter, report, theme);
    render_throughput(frame, weekly, report, theme);
    cfd::render(frame, flow, report, theme);
    aging::render(frame, aging, report, state.scroll, theme);
}

/// A chart's frame, with its title.
pub(super) fn panel<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" {} ", crate::ui::text::sanitize(&title)),
            theme.title,
        ))
}

/// Writes `text` at (`x`, `y`) of `buf`, cut at `max` cells.
pub(super) fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, max: u16, style: Style) {
    if max > 0 {
        buf.set_stringn(x, y, text, max as usize, style);
    }
}

fn range_choices(range: FlowRange, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled("Range ", theme.dim)];
    for r in FlowRange::CHOICES {
        let label = match r {
            FlowRange::Weeks(n) => format!("{n}w"),
            _ => "all".to_string(),
        };
        let style = if r == range {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    if let FlowRange::Since(d) = range {
        spans.push(Span::styled(format!(" since {d} "), theme.tab_active));
    }
    spans.push(Span::styled("  r/R change", theme.dim));
    spans
}

/// Lays out groups of spans as lines of at most `width` cells, keeping each
/// group whole where it fits and starting a new line where it does not; a
/// group marked `true` always starts a line.
pub(super) fn pack(groups: Vec<(bool, Vec<Span<'static>>)>, width: u16) -> Vec<Line<'static>> {
    const GAP: &str = "   ";
    let width = width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut used = 0usize;
    for (new_line, group) in groups {
        let w: usize = group.iter().map(|s| s.width()).sum();
        if lines.is_empty() || new_line || used + GAP.len() + w > width {
            lines.push(Line::from(group));
            used = w;
        } else if let Some(last) = lines.last_mut() {
            last.spans.push(Span::raw(GAP));
            last.spans.extend(group);
            used += GAP.len() + w;
        }
    }
    lines
}

/// The figures above the charts, as groups that wrap on narrow terminals.
fn summary(range: FlowRange, r: &FlowReport, theme: &Theme) -> Vec<(bool, Vec<Span<'static>>)> {
    let raw = |s: String| vec![Span::raw(s)];
    let mut groups = vec![
        (true, range_choices(range, theme)),
        (
            false,
            raw(format!("{} – {} ({} days)", r.from, r.to, r.days)),
        ),
    ];
    groups.push((
        true,
        raw(match &r.cycle_time {
            Some(s) => format!(
                "Cycle time  p50 {}  p85 {}  p95 {}  mean {} ({} finished)",
                days(s.p50),
                days(s.p85),
                days(s.p95),
                days(s.mean),
                s.count
            ),
            None => "Cycle time: no card finished in this range".into(),
        }),
    ));
    if let Some(s) = &r.lead_time {
        groups.push((
            false,
            raw(format!(
                "Lead time  p50 {}  p85 {}",
                days(s.p50),
                days(s.p85)
            )),
        ));
    }
    let tp = &r.throughput;
    groups.push((
        true,
        raw(format!(
            "Throughput {}, {:.1}/week",
            cards(tp.total),
            tp.per_week
        )),
    ));
    groups.push((
        false,
        raw(format!("WIP now {}, avg {:.2}", r.wip.now, r.wip.average)),
    ));
    if let Some(l) = &r.little {
        groups.push((
            false,
            raw(format!(
                "Little's law: {:.2} ≈ {:.2}/day × {} = {:.2}",
                l.average_wip,
                l.throughput_per_day,
                days(l.average_cycle_days),
                l.expected_wip
            )),
        ));
    }
    groups.extend(bottleneck(r, theme));
    groups
}

/// Where work waits: the longest average stay, and the days each limited
/// column ended at or above its WIP limit.
fn bottleneck(r: &FlowReport, theme: &Theme) -> Vec<(bool, Vec<Span<'static>>)> {
    let first = match &r.bottleneck {
        Some(b) => vec![
            Span::styled("Bottleneck ", theme.title),
            Span::styled(
                format!(
                    "{}: longest average stay ({})",
                    safe_fit(&b.column, 20),
                    days(b.average_days)
                ),
                theme.wip_at_limit,
            ),
        ],
        None => vec![
            Span::styled("Bottleneck ", theme.title),
            Span::styled("none yet", theme.dim),
        ],
    };
    let mut groups = vec![(true, first)];
    let mut limited: Vec<_> = r
        .columns
        .iter()
        .filter(|c| c.wip_limit.is_some() && c.days_at_limit > 0)
        .collect();
    limited.sort_by_key(|c| std::cmp::Reverse(c.days_at_limit));
    for (i, c) in limited.iter().enumerate() {
        let over = if c.days_over_limit > 0 {
            format!(" ({} over)", c.days_over_limit)
        } else {
            String::new()
        };
        let lead = if i == 0 { "At/above WIP limit: " } else { "" };
        groups.push((
            false,
            vec![Span::raw(format!(
                "{lead}{} {}/{} days{over}",
                safe_fit(&c.name, 16),
                c.days_at_limit,
                r.days
            ))],
        ));
    }
    groups
}

/// Each finished card a dot at its finish day and cycle time, with the 50th,
/// 85th and 95th percentile lines labelled on the right.
fn render_scatter(frame: &mut Frame, area: Rect, r: &FlowReport, theme: &Theme) {
    let block = panel(
        format!(
            "Cycle time · {} finished",
            r.cycle_time.map_or(0, |s| s.count)
        ),
        theme,
    )
    .title_bottom(Line::from(format!(" {} ", r.from)).left_aligned())
    .title_bottom(Line::from(format!(" {} ", r.to)).right_aligned());
    let Some(stats) = r.cycle_time else {
        frame.render_widget(
            Paragraph::new("No card finished in this range.")
                .style(theme.dim)
                .block(block),
            area,
        );
        return;
    };
    let x_max = f64::from(r.days.max(1));
    let y_max = (stats.max.max(stats.p95) * 1.1).max(1.0);
    let points: Vec<(f64, f64)> = r
        .finished
        .iter()
        .filter_map(|f| {
            let x = (f.finished - r.start).num_minutes() as f64 / 1440.0;
            f.cycle_days.map(|c| (x.clamp(0.0, x_max), c))
        })
        .collect();
    let lines = [
        (stats.p50, "p50", Color::Green),
        (stats.p85, "p85", Color::Yellow),
        (stats.p95, "p95", Color::Red),
    ];
    let dot = theme.dot;
    let canvas = Canvas::default()
        .block(block)
        .marker(Marker::Braille)
        .x_bounds([0.0, x_max])
        .y_bounds([0.0, y_max])
        .paint(move |ctx| {
            for (y, _, color) in lines {
                ctx.draw(&CanvasLine::new(0.0, y, x_max, y, color));
            }
            ctx.layer();
            for (x, y) in &points {
                ctx.print(*x, *y, Span::styled("●", dot));
            }
            for (y, label, color) in lines {
                ctx.print(
                    x_max * 0.86,
                    y,
                    Span::styled(format!("{label} {}", days(y)), Style::default().fg(color)),
                );
            }
            ctx.print(0.0, y_max, Span::raw(days(y_max)));
        });
    frame.render_widget(canvas, area);
}

/// Finished cards per 7-day block ending today, each bar with its count.
fn render_throughput(frame: &mut Frame, area: Rect, r: &FlowReport, theme: &Theme) {
    let tp = &r.throughput;
    let block = panel(
        format!(
            "Throughput per week · {} · {:.1}/week",
            cards(tp.total),
            tp.per_week
        ),
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 4 {
        return;
    }
    // Bars share the width (at most 9 cells each); when even one cell each is
    // too much, the oldest weeks drop out first.
    let n = u16::try_from(tp.weekly.len()).unwrap_or(u16::MAX).max(1);
    let bar = (inner.width / n).saturating_sub(1).clamp(1, 9);
    let fit = (inner.width / (bar + 1)).max(1) as usize;
    let weeks = &tp.weekly[tp.weekly.len().saturating_sub(fit)..];
    let max = weeks.iter().map(|w| w.count).max().unwrap_or(0).max(1);
    let rows = inner.height - 2;
    let buf = frame.buffer_mut();
    for (i, w) in weeks.iter().enumerate() {
        let x = inner.x + i as u16 * (bar + 1);
        let h = ((f64::from(w.count) / f64::from(max)) * f64::from(rows)).round() as u16;
        let h = if w.count > 0 { h.max(1) } else { 0 };
        for dy in 0..h {
            put(
                buf,
                x,
                inner.y + rows - dy,
                &"█".repeat(bar as usize),
                bar,
                theme.bar,
            );
        }
        let value = w.count.to_string();
        put(buf, x, inner.y + rows - h, &value, bar, theme.base);
        let label = match bar {
            5.. => w.from.format("%m-%d").to_string(),
            2.. => w.from.format("%d").to_string(),
            _ => String::new(),
        };
        put(buf, x, inner.y + rows + 1, &label, bar, theme.dim);
    }
}
