//! The Pulse tab: the team's pulses, the selected one's results once they
//! may show (closed, enough responses), the trend of the score, and the
//! answering screen, one item at a time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::pulse::{Distribution, PulseResults};
use crate::ui::action::Command;
use crate::ui::keymap::key_for;
use crate::ui::overlay::AnswerDialog;
use crate::ui::screens::flow::panel;
use crate::ui::state::{AppState, PulseData, PulseTabState};
use crate::ui::text::{pad, safe_fit, sanitize, width};
use crate::ui::theme::Theme;
use crate::ui::widgets::popup;

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, hint: &str, theme: &Theme) {
    let keys = Keys {
        open: key_for(state, Command::NewPulse),
        answer: key_for(state, Command::AnswerPulse),
    };
    render(frame, area, &state.pulse, hint, &keys, theme);
}

/// The user's keys the tab's own lines name, from the live keymap: the
/// one that opens a pulse and the one that answers it.
pub struct Keys {
    pub open: String,
    pub answer: String,
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    st: &PulseTabState,
    hint: &str,
    keys: &Keys,
    theme: &Theme,
) {
    let Some(data) = st.data.as_deref() else {
        frame.render_widget(Paragraph::new("Loading the pulses…").style(theme.dim), area);
        return;
    };
    let [top, trend, hints] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(if area.height >= 24 { 9 } else { 0 }),
        Constraint::Length(1),
    ])
    .areas(area);
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(35), Constraint::Percentage(65)]).areas(top);
    render_list(frame, list, st, data, &keys.open, theme);
    render_detail(frame, detail, st, data, &keys.answer, theme);
    if trend.height > 0 {
        render_trend(frame, trend, data, theme);
    }
    frame.render_widget(Paragraph::new(hint).style(theme.key), hints);
}

fn render_list(
    frame: &mut Frame,
    area: Rect,
    st: &PulseTabState,
    data: &PulseData,
    new_key: &str,
    theme: &Theme,
) {
    let block = panel(format!("Pulses · {}", data.pulses.len()), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.pulses.is_empty() {
        frame.render_widget(
            Paragraph::new(format!("No pulse yet. {new_key} opens one: Edmondson's seven questions on how safe the team feels to speak up, answered anonymously."))
                .style(theme.dim)
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let mut lines = Vec::new();
    for (i, p) in data.pulses.iter().enumerate() {
        let state = if p.is_closed(data.now) {
            "closed".to_string()
        } else {
            p.closes.map_or("open".to_string(), |d| {
                format!("open to {}", d.format("%d %b"))
            })
        };
        let mine = if data.responded.get(i).copied().unwrap_or(false) {
            " ✓"
        } else {
            ""
        };
        let style = if i == st.row {
            theme.card_selected
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            pad(&safe_fit(&format!("{}{mine}", p.title), w), w),
            style.patch(theme.title),
        )));
        lines.push(Line::from(Span::styled(
            safe_fit(
                &format!(
                    "  {} · {state} · {} responses",
                    theme.day(p.opened),
                    p.responses
                ),
                w,
            ),
            if i == st.row { style } else { theme.dim },
        )));
    }
    let first = (st.row * 2 + 2).saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

/// A distribution as bars, one per point of the scale.
fn bars(d: &Distribution, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let rows =
        d.0.iter()
            .enumerate()
            .map(|(i, n)| (pad(&(i + 1).to_string(), 2), *n))
            .collect();
    crate::ui::widgets::bars::bar_lines(rows, w.saturating_sub(6).max(1), theme)
}

fn render_detail(
    frame: &mut Frame,
    area: Rect,
    st: &PulseTabState,
    data: &PulseData,
    answer_key: &str,
    theme: &Theme,
) {
    let Some(p) = st.selected() else {
        let block = panel("Results".into(), theme);
        frame.render_widget(block, area);
        return;
    };
    let block = panel(format!("{} · {}", p.title, p.instrument.name), theme);
    let inner = block.inner(area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    match &data.results {
        Some(Ok(r)) => lines.extend(results_lines(r, w, theme)),
        Some(Err(why)) => {
            lines.push(Line::from(Span::styled(
                sanitize(why).into_owned(),
                theme.title,
            )));
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!(
                    "Results show only once the pulse is closed, and only with {} responses or more (never fewer than 3), so no one's answers can be worked out.",
                    p.min_responses
                ),
                theme.dim,
            )));
            if !p.is_closed(data.now) {
                lines.push(Line::default());
                let answered = data.responded.get(st.row).copied().unwrap_or(false);
                lines.push(Line::from(Span::styled(
                    if answered {
                        "You have answered: thank you. Your answers are stored without your name."
                            .to_string()
                    } else {
                        format!(
                            "Press {answer_key} to answer: one question at a time, anonymous, once."
                        )
                    },
                    theme.key,
                )));
            }
        }
        None => {}
    }
    if !p.instrument.source.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!("Source: {}", sanitize(&p.instrument.source)),
            theme.dim,
        )));
    }
    // Scrolled no further than the last line can come up; the border says
    // which way there is more.
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = para.line_count(inner.width) as u16;
    let scroll = st.scroll.min(total.saturating_sub(inner.height));
    let more = match (scroll > 0, scroll + inner.height < total) {
        (false, false) => "",
        (false, true) => " more ↓ ",
        (true, true) => " ↑ more ↓ ",
        (true, false) => " ↑ more ",
    };
    let block = if more.is_empty() {
        block
    } else {
        block.title_bottom(Line::from(Span::styled(more, theme.dim)).right_aligned())
    };
    frame.render_widget(block, area);
    frame.render_widget(para.scroll((scroll, 0)), inner);
}

fn results_lines(r: &PulseResults, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("Team score {:.1}", r.score), theme.goal),
            Span::raw(format!(
                " on 1-{} · {} responses · the mean of each person's score after reverse-scored items are turned around",
                r.scale, r.responses
            )),
        ]),
        Line::default(),
        Line::from(Span::styled("People's scores", theme.title)),
    ];
    lines.extend(bars(&r.distribution, w.min(60), theme));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Items: mean answer (after reversal) and how the answers fell, 1 to the scale's top",
        theme.title,
    )));
    for (i, item) in r.items.iter().enumerate() {
        let spark: String = {
            let max = item
                .distribution
                .0
                .iter()
                .copied()
                .max()
                .unwrap_or(0)
                .max(1);
            item.distribution
                .0
                .iter()
                .map(|n| ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'][(*n as usize * 7) / max as usize])
                .collect()
        };
        let head = format!(
            "{}{} {:.1} {} ",
            i + 1,
            if item.reverse { " (R)" } else { "    " },
            item.scored_mean,
            spark
        );
        lines.push(Line::from(vec![
            Span::styled(head.clone(), theme.key),
            Span::raw(safe_fit(&item.text, w.saturating_sub(width(&head)))),
        ]));
    }
    lines.push(Line::from(Span::styled(
        "(R) reverse-scored: disagreeing is the safe answer; the mean shown is after turning it around",
        theme.dim,
    )));
    if r.comment_count > 0 {
        lines.push(Line::default());
        if r.comments.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} free-text answers: too few to show without giving people away",
                    r.comment_count
                ),
                theme.dim,
            )));
        } else {
            lines.push(Line::from(Span::styled(
                "Free-text answers, shuffled, apart from the scores",
                theme.title,
            )));
            for c in &r.comments {
                lines.push(Line::from(format!("• {}", sanitize(c))));
            }
        }
    }
    lines
}

fn render_trend(frame: &mut Frame, area: Rect, data: &PulseData, theme: &Theme) {
    let scored: Vec<_> = data.trend.iter().filter(|t| t.score.is_some()).collect();
    let block = panel(
        format!(
            "Trend · team score per closed pulse · {}",
            crate::domain::text::count(data.trend.len() as u64, "pulse")
        ),
        theme,
    );
    if scored.is_empty() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new("No closed pulse with enough responses yet.").style(theme.dim),
            inner,
        );
        return;
    }
    let top = f64::from(data.trend.iter().map(|t| t.scale).max().unwrap_or(7));
    let n = data.trend.len().max(2) as f64 - 1.0;
    // A pulse below its threshold has no score: a gap in the line with its
    // number of responses, never a dot that would read as a fall.
    let points: Vec<(f64, Option<f64>, String)> = data
        .trend
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let label = match t.score {
                Some(s) => format!("{s:.1} n={}", t.responses),
                None => format!("n={}, too few to show", t.responses),
            };
            (i as f64, t.score, label)
        })
        .collect();
    let line = theme.bar.fg.unwrap_or(Color::Blue);
    let dot = theme.dot;
    let dim = theme.dim;
    let canvas = Canvas::default()
        .block(block)
        .marker(Marker::Braille)
        .x_bounds([-0.3, n + 0.6])
        .y_bounds([0.5, top + 0.8])
        .paint(move |ctx| {
            for pair in points.windows(2) {
                if let (Some(a), Some(b)) = (pair[0].1, pair[1].1) {
                    ctx.draw(&CanvasLine::new(pair[0].0, a, pair[1].0, b, line));
                }
            }
            ctx.layer();
            for (x, y, label) in &points {
                match y {
                    Some(y) => {
                        ctx.print(*x, *y, Span::styled("●", dot));
                        ctx.print(*x + 0.05, y + 0.5, Span::raw(label.clone()));
                    }
                    None => ctx.print(*x, top, Span::styled(label.clone(), dim)),
                }
            }
        });
    frame.render_widget(canvas, area);
}

/// The answering screen, drawn above the tab.
pub fn render_answer(frame: &mut Frame, area: Rect, d: &AnswerDialog, theme: &Theme) {
    let rect = popup::centered(area, 90, 22);
    let inner = popup::frame(
        frame,
        rect,
        Line::from(format!(" {} ", sanitize(&d.title))),
        theme.border_selected,
    );
    let items = d.instrument.items.len();
    let mut lines = Vec::new();
    if d.step < items {
        let item = &d.instrument.items[d.step];
        lines.push(Line::from(Span::styled(
            format!("Question {} of {items}", d.step + 1),
            theme.dim,
        )));
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            sanitize(&item.text).into_owned(),
            theme.goal,
        )));
        lines.push(Line::default());
        for (i, label) in d.instrument.labels.iter().enumerate() {
            let chosen = d.answers[d.step] == Some(i as u32 + 1);
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ", i + 1),
                    if chosen { theme.tab_active } else { theme.key },
                ),
                Span::raw(format!(" {}", sanitize(label))),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "a number answers · ← back · → next · Esc leave without sending",
            theme.key,
        )));
    } else if Some(d.step) == d.free_text_step() {
        let q = d.instrument.free_text.clone().unwrap_or_default();
        lines.push(Line::from(Span::styled(
            sanitize(&q).into_owned(),
            theme.goal,
        )));
        lines.push(Line::from(Span::styled(
            "Optional. Kept apart from your scores and shown only with enough other answers, shuffled.",
            theme.dim,
        )));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        let field = Rect::new(
            inner.x,
            inner.y + 3,
            inner.width,
            inner.height.saturating_sub(5),
        );
        frame.render_widget(&d.comment.area, field);
        frame.render_widget(
            Paragraph::new("Enter continues · Shift-Tab back · Esc leave").style(theme.key),
            Rect::new(
                inner.x,
                inner.y + inner.height.saturating_sub(1),
                inner.width,
                1,
            ),
        );
        return;
    } else {
        lines.push(Line::from(Span::styled(
            "Your answers, before they are sent",
            theme.title,
        )));
        lines.push(Line::default());
        let w = inner.width as usize;
        for (i, (item, a)) in d.instrument.items.iter().zip(&d.answers).enumerate() {
            let head = format!(
                "{} {} ",
                i + 1,
                a.map_or("–".to_string(), |a| a.to_string())
            );
            lines.push(Line::from(vec![
                Span::styled(head.clone(), theme.key),
                Span::raw(safe_fit(&item.text, w.saturating_sub(width(&head)))),
            ]));
        }
        if d.free_text_step().is_some() {
            let c = d.comment.text();
            lines.push(Line::from(Span::styled(
                if c.trim().is_empty() {
                    "(no free-text answer)".to_string()
                } else {
                    safe_fit(&c.replace('\n', " "), w)
                },
                theme.dim,
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Sent without your name: only that you responded is kept, apart from the answers.",
            theme.dim,
        )));
        lines.push(Line::from(Span::styled(
            "Enter sends · ← change an answer · Esc leave without sending",
            theme.key,
        )));
    }
    if let Some(e) = &d.error {
        lines.push(Line::from(Span::styled(
            sanitize(e).into_owned(),
            theme.status_error,
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
