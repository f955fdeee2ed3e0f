//! The Flow tab's forecast panel: when the chosen column's or tag's cards
//! are done, as a histogram of the trials' finishing days with the 50%,
//! 85% and 95% lines, the dates written out, the track record, and what
//! the forecast assumes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pack, panel, put};
use crate::domain::forecast::Forecast;
use crate::domain::forecast::run::day_after;
use crate::ui::state::forecast::FlowForecast;
use crate::ui::strings::{FORECAST_ASSUMES, forecast_day, forecast_record, forecast_sample};
use crate::ui::theme::Theme;

/// The lines drawn across the histogram.
const MARKS: [(u32, Color); 3] = [(50, Color::Green), (85, Color::Yellow), (95, Color::Red)];
/// Likelihoods written out.
const WRITTEN: [u32; 4] = [50, 70, 85, 95];

/// `keys`: the live keys of the next and the previous choice.
pub fn render(frame: &mut Frame, area: Rect, f: &FlowForecast, keys: (&str, &str), theme: &Theme) {
    let title = format!(
        "Forecast: when are {} done? {} left · {}/{} · {} next, {} back",
        f.label, f.items, f.position.0, f.position.1, keys.0, keys.1
    );
    let block = panel(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut notes: Vec<Line<'static>> = Vec::new();
    if let Some(s) = &f.unstable {
        notes.push(Line::styled(format!("Caution: {s}"), theme.wip_at_limit));
    }
    let forecast = match &f.result {
        Ok(fc) => fc,
        Err(refusal) => {
            let mut lines = vec![Line::styled(refusal.clone(), theme.wip_at_limit)];
            lines.extend(notes);
            lines.push(Line::styled(FORECAST_ASSUMES, theme.dim));
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
            return;
        }
    };
    let dates = pack(
        WRITTEN
            .iter()
            .map(|p| {
                let day = forecast
                    .date_at(*p)
                    .map_or("not within ten years".into(), |d| {
                        forecast_day(d, forecast.today)
                    });
                (
                    false,
                    vec![
                        Span::styled(format!("{p}% "), theme.title),
                        Span::raw(format!("by {day}")),
                    ],
                )
            })
            .collect(),
        inner.width,
    );
    notes.insert(0, Line::raw(forecast_record(&forecast.record)));
    notes.push(Line::styled(
        format!(
            "{} trials {}. {FORECAST_ASSUMES}",
            forecast.settings.trials,
            forecast_sample(
                forecast.sample.from,
                forecast.sample.to,
                forecast.sample.daily.len(),
                forecast.sample.finished()
            )
        ),
        theme.dim,
    ));
    let head = Paragraph::new(dates.clone());
    let foot = Paragraph::new(notes).wrap(Wrap { trim: true });
    let head_rows = dates.len() as u16;
    let foot_rows = (foot.line_count(inner.width) as u16).min(inner.height / 2);
    let [top, chart, bottom] = Layout::vertical([
        Constraint::Length(head_rows),
        Constraint::Min(0),
        Constraint::Length(foot_rows),
    ])
    .areas(inner);
    frame.render_widget(head, top);
    frame.render_widget(foot, bottom);
    histogram(frame, chart, forecast, theme);
}

/// One bar per finishing day (or run of days) of the trials, the 50/85/95
/// lines marked above it, and the first and last day below.
fn histogram(frame: &mut Frame, area: Rect, f: &Forecast, theme: &Theme) {
    if area.height < 4 || area.width < 12 {
        return;
    }
    let rows = area.height - 2;
    let bars = f.outcomes.histogram(area.width as usize);
    let Some(tallest) = bars.iter().map(|b| b.2).max().filter(|m| *m > 0) else {
        return;
    };
    let width = (area.width / bars.len().max(1) as u16).clamp(1, 8);
    let buf = frame.buffer_mut();
    let x_of = |i: usize| area.x + i as u16 * width;
    for (i, (_, _, n)) in bars.iter().enumerate() {
        let h = ((f64::from(*n) / f64::from(tallest)) * f64::from(rows)).round() as u16;
        let h = if *n > 0 { h.max(1) } else { 0 };
        for dy in 0..h {
            put(
                buf,
                x_of(i),
                area.y + 1 + rows - 1 - dy,
                &"█".repeat(width as usize),
                width,
                theme.bar,
            );
        }
    }
    // The likelihood lines: a mark in the bar where each falls, labelled
    // on the top row (later labels give way where they would overlap).
    let mut taken = 0u16;
    for (p, color) in MARKS {
        let day = f.outcomes.at_most(p);
        let Some(i) = bars.iter().position(|b| b.0 <= day && day <= b.1) else {
            continue;
        };
        let x = x_of(i);
        let style = Style::default().fg(color);
        for dy in 0..rows {
            let cell = &mut buf[(x, area.y + 1 + dy)];
            if cell.symbol() == "█" {
                cell.set_style(style);
            } else {
                put(buf, x, area.y + 1 + dy, "│", 1, style);
            }
        }
        let label = format!("{p}%");
        let lx = x
            .min(area.right().saturating_sub(label.len() as u16))
            .max(taken);
        if lx + label.len() as u16 <= area.right() {
            put(buf, lx, area.y, &label, label.len() as u16, style);
            taken = lx + label.len() as u16 + 1;
        }
    }
    let y = area.y + area.height - 1;
    let first = bars.first().map_or(0, |b| b.0);
    let last = bars.last().map_or(0, |b| b.1);
    let label =
        |d: u32| day_after(f.today, d).map_or("later".into(), |d| d.format("%a %m-%d").to_string());
    let (a, b) = (label(first), label(last));
    put(buf, area.x, y, &a, area.width, theme.dim);
    let bx = area.right().saturating_sub(b.len() as u16);
    if bx > area.x + a.len() as u16 + 1 {
        put(buf, bx, y, &b, b.len() as u16, theme.dim);
    }
}
