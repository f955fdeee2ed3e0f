//! What each phase of a retro shows.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::View;
use crate::domain::retro::{
    ActionStatus, Item, MIN_ANSWERS_SHOWN, PRIME_DIRECTIVE, PRIME_DIRECTIVE_BY, Phase, PollView,
    ROTI, Retro,
};
use crate::domain::standup::clock_text;
use crate::domain::text::count;
use crate::ui::screens::flow::panel;
use crate::ui::state::{RetroData, RetroTabState};
use crate::ui::text::{days, pad, safe_fit, sanitize, width};
use crate::ui::theme::Theme;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    st: &RetroTabState,
    data: &RetroData,
    view: &View,
    theme: &Theme,
) {
    let Some(report) = &data.report else {
        return;
    };
    let retro = &report.retro;
    match retro.phase {
        Phase::Stage => stage(
            frame,
            area,
            retro,
            &report.safety,
            data.answered_safety,
            view,
            theme,
        ),
        Phase::Review => review(frame, area, st, data, theme),
        Phase::Facts => facts(frame, area, st, data, theme),
        Phase::Gather => gather(frame, area, st, data, theme),
        Phase::Group | Phase::Vote => items(frame, area, st, data, theme),
        Phase::Discuss => discuss(frame, area, st, data, view, theme),
        Phase::Decide => decide(frame, area, data, theme),
        Phase::Close => close(frame, area, data, view, theme),
        Phase::Closed => summary(frame, area, data, theme),
    }
}

/// A poll's state: how many answered, and the tally once it may show.
fn poll_lines(
    view: &PollView,
    choices: &[(&str, &str)],
    answered: bool,
    answer_key: Option<&str>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mine = match (answered, answer_key) {
        (true, _) => " · you have answered (stored without your name)".to_string(),
        (false, Some(k)) => format!(" · {k} answers, anonymously"),
        (false, None) => " · answers are anonymous".to_string(),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} answered", view.answers), theme.title),
        Span::styled(mine, theme.dim),
    ])];
    match (&view.distribution, view.closed) {
        (Some(d), _) => {
            let rows = choices
                .iter()
                .zip(d)
                .map(|((label, _), n)| (format!("{} ", pad(label, 11)), *n))
                .collect();
            lines.extend(crate::ui::widgets::bars::bar_lines(rows, 20, theme));
        }
        (None, true) => lines.push(Line::from(Span::styled(
            format!(
                "Closed with fewer than {MIN_ANSWERS_SHOWN} answers: the tally is not shown, so no one's answer can be told."
            ),
            theme.dim,
        ))),
        (None, false) => lines.push(Line::from(Span::styled(
            "The tally shows when the facilitator closes the check (C), never while answers come in.",
            theme.dim,
        ))),
    }
    lines
}

fn stage(
    frame: &mut Frame,
    area: Rect,
    retro: &Retro,
    safety: &PollView,
    answered: bool,
    view: &View,
    theme: &Theme,
) {
    let [directive, check] =
        Layout::vertical([Constraint::Length(7), Constraint::Min(0)]).areas(area);
    let block = panel("The Prime Directive".into(), theme);
    let inner = block.inner(directive);
    frame.render_widget(block, directive);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(format!("“{PRIME_DIRECTIVE}”"), theme.goal)),
            Line::from(Span::styled(format!("— {PRIME_DIRECTIVE_BY}"), theme.dim)),
        ])
        .wrap(Wrap { trim: true }),
        inner,
    );
    let title = match retro.safety {
        crate::domain::retro::SafetyKind::Esvp => {
            "Safety check: Explorer, Shopper, Vacationer or Prisoner?"
        }
        crate::domain::retro::SafetyKind::Scale => "Safety check: how freely will you speak? (1-5)",
    };
    let block = panel(title.into(), theme);
    let inner = block.inner(check);
    frame.render_widget(block, check);
    let mut lines: Vec<Line> = retro
        .safety
        .choices()
        .iter()
        .map(|(l, d)| {
            Line::from(vec![
                Span::styled(format!("{} ", pad(l, 11)), theme.key),
                Span::styled(d.to_string(), theme.dim),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.extend(poll_lines(
        safety,
        retro.safety.choices(),
        answered,
        view.answer_key.as_deref(),
        theme,
    ));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn review(frame: &mut Frame, area: Rect, st: &RetroTabState, data: &RetroData, theme: &Theme) {
    let block = panel(
        format!("Action items from earlier retros · {}", data.review.len()),
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.review.is_empty() {
        frame.render_widget(
            Paragraph::new("None open. Whatever this retro decides will be here next time.")
                .style(theme.dim),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected = 0..0;
    for (i, (a, marked)) in data.review.iter().enumerate() {
        let now = a.status.as_str();
        let mark = marked.map_or("–".to_string(), |m| m.as_str().to_string());
        let tail = format!(
            "  {} · due {} · from {} · now {now} · marked {mark}",
            a.owner
                .as_deref()
                .map_or("nobody".to_string(), |o| format!("@{}", safe_fit(o, 10))),
            a.due.map_or("–".to_string(), |d| d.to_string()),
            safe_fit(&a.retro_title, 20),
        );
        let style = if i == st.row {
            theme.card_selected
        } else if a.status == ActionStatus::Done {
            theme.wip_ok
        } else {
            Style::default()
        };
        let rows = titled_rows(&format!("{} ", a.card), &a.text, &tail, w);
        if i == st.row {
            selected = lines.len()..lines.len() + rows.len();
        }
        lines.extend(rows.into_iter().map(|r| Line::from(Span::styled(r, style))));
    }
    let first = selected.end.saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

/// An action as rows `w` wide: `head title … tail` on one row when the
/// title keeps room to be read, else the title on its row and the tail
/// (who, when, status) indented below it.
fn titled_rows(head: &str, title: &str, tail: &str, w: usize) -> Vec<String> {
    let room = w.saturating_sub(width(head) + width(tail));
    if room >= 24 {
        return vec![format!("{head}{}{tail}", pad(&safe_fit(title, room), room))];
    }
    let room = w.saturating_sub(width(head));
    vec![
        format!("{head}{}", pad(&safe_fit(title, room), room)),
        pad(
            &safe_fit(
                &format!("{}{}", " ".repeat(width(head)), tail.trim_start()),
                w,
            ),
            w,
        ),
    ]
}

fn facts(frame: &mut Frame, area: Rect, st: &RetroTabState, data: &RetroData, theme: &Theme) {
    let block = panel("What the board recorded for the period".into(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(f) = &data.facts else {
        frame.render_widget(
            Paragraph::new("Reading the board's history…").style(theme.dim),
            inner,
        );
        return;
    };
    let w = inner.width as usize;
    let head = |text: String| Line::from(Span::styled(text, theme.title));
    let mut lines = vec![head(format!("Finished: {} cards", f.finished.len()))];
    for c in f.finished.iter().take(12) {
        lines.push(Line::from(format!(
            "  {} {}",
            c.card,
            safe_fit(&c.title, w.saturating_sub(10))
        )));
    }
    if f.finished.len() > 12 {
        lines.push(Line::from(Span::styled(
            format!("  … and {} more", f.finished.len() - 12),
            theme.dim,
        )));
    }
    lines.push(Line::default());
    lines.push(head(format!("WIP limits passed: {}", f.breaches.len())));
    for b in &f.breaches {
        let why = b
            .reason
            .as_deref()
            .map_or("no reason given".to_string(), |r| sanitize(r).into_owned());
        lines.push(Line::from(format!(
            "  {} {} into {} ({}): {}",
            b.at.format("%m-%d"),
            b.card,
            safe_fit(&b.column, 16),
            if b.forced { "forced" } else { "soft limit" },
            safe_fit(&why, w.saturating_sub(40))
        )));
    }
    lines.push(Line::default());
    let total: f64 = f.blocked.iter().map(|b| b.days).sum();
    lines.push(head(format!(
        "Blocked: {} cards, {} in all",
        f.blocked.len(),
        days(total)
    )));
    for b in f.blocked.iter().take(8) {
        lines.push(Line::from(format!(
            "  {} {} {}{}",
            b.card,
            days(b.days),
            safe_fit(&b.title, w.saturating_sub(24)),
            if b.now { " (still blocked)" } else { "" }
        )));
    }
    lines.push(Line::default());
    lines.push(head(match f.p85_days {
        Some(p) => format!(
            "Older than the 85th percentile cycle time ({}): {}",
            days(p),
            f.aged.len()
        ),
        None => "No card finished in the period: no 85th percentile to compare with".into(),
    }));
    for a in &f.aged {
        lines.push(Line::from(format!(
            "  {} {} in {}: {}",
            a.card,
            days(a.age_days),
            safe_fit(&a.column, 14),
            safe_fit(&a.title, w.saturating_sub(30))
        )));
    }
    frame.render_widget(Paragraph::new(lines).scroll((st.row as u16, 0)), inner);
}

fn gather(frame: &mut Frame, area: Rect, st: &RetroTabState, data: &RetroData, theme: &Theme) {
    let Some(report) = &data.report else {
        return;
    };
    let retro = &report.retro;
    let [total, area] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let written = if retro.revealed {
        format!("{}, revealed to everyone", count(data.written, "card"))
    } else {
        format!(
            "{} written so far, in all · yours show here; everyone's once the facilitator reveals them",
            count(data.written, "card")
        )
    };
    frame.render_widget(Line::from(Span::styled(written, theme.dim)), total);
    let n = retro.format.prompts.len().max(1);
    let rects = Layout::horizontal(vec![Constraint::Ratio(1, n as u32); n]).split(area);
    for (i, p) in retro.format.prompts.iter().enumerate() {
        let Some(rect) = rects.get(i).copied() else {
            continue;
        };
        let block = panel(p.name.clone(), theme).border_style(if i == st.prompt {
            theme.border_selected
        } else {
            theme.border
        });
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let mut lines = vec![Line::from(Span::styled(
            sanitize(&p.hint).into_owned(),
            theme.dim,
        ))];
        lines.push(Line::default());
        if retro.revealed {
            for item in report.items.iter().filter(|it| it.prompt() == i) {
                for c in &item.cards {
                    lines.push(Line::from(format!("• {}", sanitize(&c.text))));
                }
            }
        } else {
            let mine: Vec<_> = st.my_cards().filter(|c| c.prompt == i).collect();
            for (j, c) in mine.iter().enumerate() {
                let style = if i == st.prompt && j == st.row {
                    theme.card_selected
                } else {
                    Style::default()
                };
                lines.push(Line::from(Span::styled(
                    format!("• {}", sanitize(&c.text)),
                    style,
                )));
            }
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// One item as a line: votes, label, how many cards.
fn item_line(
    item: &Item,
    prefix: String,
    w: usize,
    selected: bool,
    theme: &Theme,
) -> Line<'static> {
    let cards = if item.cards.len() > 1 {
        format!("  ({} cards)", item.cards.len())
    } else {
        String::new()
    };
    let room = w.saturating_sub(width(&prefix) + width(&cards));
    let text = format!(
        "{prefix}{}{cards}",
        pad(&safe_fit(item.label(), room), room)
    );
    let style = if selected {
        theme.card_selected
    } else if item.title.is_some() {
        theme.title
    } else {
        Style::default()
    };
    Line::from(Span::styled(text, style))
}

fn items(frame: &mut Frame, area: Rect, st: &RetroTabState, data: &RetroData, theme: &Theme) {
    let Some(report) = &data.report else {
        return;
    };
    let retro = &report.retro;
    let title = if retro.phase == Phase::Vote {
        format!(
            "Vote · you have {} of your {} votes left · only totals are kept, never who voted for what",
            retro.votes.saturating_sub(data.used),
            retro.votes
        )
    } else {
        format!(
            "Group · {} items · {} marked for a theme",
            report.items.len(),
            st.marked.len()
        )
    };
    let block = panel(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    let mut prompt = None;
    for (i, item) in data.items().iter().enumerate() {
        if prompt != Some(item.prompt()) {
            let name = retro
                .format
                .prompts
                .get(item.prompt())
                .map_or("", |p| p.name.as_str());
            lines.push(Line::from(Span::styled(
                sanitize(name).into_owned(),
                theme.key,
            )));
            prompt = Some(item.prompt());
        }
        if i == st.row {
            selected_line = lines.len();
        }
        let prefix = if retro.phase == Phase::Vote {
            let mine = st.my_votes_on(item.id) as usize;
            format!(
                "{} ",
                pad(&"●".repeat(mine.min(10)), retro.votes.min(10) as usize)
            )
        } else if st.marked.contains(&item.id) {
            "[x] ".to_string()
        } else {
            "[ ] ".to_string()
        };
        lines.push(item_line(item, prefix, w, i == st.row, theme));
        if item.title.is_some() {
            for c in &item.cards {
                lines.push(Line::from(Span::styled(
                    format!("      · {}", safe_fit(&c.text, w.saturating_sub(8))),
                    theme.dim,
                )));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No cards were written.",
            theme.dim,
        )));
    }
    let first = selected_line.saturating_sub((inner.height as usize).saturating_sub(2));
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

fn discuss(
    frame: &mut Frame,
    area: Rect,
    st: &RetroTabState,
    data: &RetroData,
    view: &View,
    theme: &Theme,
) {
    let Some(report) = &data.report else {
        return;
    };
    let retro = &report.retro;
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let block = panel("Items, most votes first".into(), theme);
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let w = inner.width as usize;
    let lines: Vec<Line> = data
        .items()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let now = if retro.discussing == Some(item.id) {
                "▶"
            } else {
                " "
            };
            let prefix = format!("{now}{:>3} ", item.votes.unwrap_or(0));
            item_line(item, prefix, w, i == st.row, theme)
        })
        .collect();
    let first = (st.row + 1).saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);

    let current = retro
        .discussing
        .and_then(|id| report.items.iter().find(|i| i.id == id));
    let block = panel("Under discussion".into(), theme);
    let inner = block.inner(detail);
    frame.render_widget(block, detail);
    let Some(item) = current else {
        frame.render_widget(
            Paragraph::new("Nothing yet: the facilitator picks an item with Enter.")
                .style(theme.dim),
            inner,
        );
        return;
    };
    let limit = Duration::minutes(i64::from(retro.discuss_minutes));
    let spent = retro
        .discuss_started
        .map_or(Duration::zero(), |s| view.now - s);
    let left = limit - spent;
    let (style, word) = if left <= Duration::zero() {
        (theme.timer_over, " OVER TIME")
    } else if left * 5 <= limit {
        (theme.timer_near, " NEARLY OUT")
    } else {
        (theme.timer_ok, "")
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!(" {} left of {}{word} ", clock_text(left), clock_text(limit)),
            style,
        )),
        Line::default(),
        Line::from(Span::styled(
            format!(
                "{} ({} votes)",
                sanitize(item.label()),
                item.votes.unwrap_or(0)
            ),
            theme.title,
        )),
    ];
    if item.cards.len() > 1 || item.title.is_some() {
        for c in &item.cards {
            lines.push(Line::from(format!("  · {}", sanitize(&c.text))));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Notes", theme.title)));
    if item.notes.trim().is_empty() {
        lines.push(Line::from(Span::styled(
            format!("(none: {} writes them)", view.notes_key),
            theme.dim,
        )));
    }
    for l in item.notes.lines() {
        lines.push(Line::from(sanitize(l).into_owned()));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn action_lines(data: &RetroData, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(report) = &data.report else {
        return Vec::new();
    };
    if report.actions.is_empty() {
        return vec![Line::from(Span::styled(
            "None yet. An action item is a card on the board, with an owner and a due date.",
            theme.dim,
        ))];
    }
    let mut lines = Vec::new();
    for a in &report.actions {
        let tail = format!(
            "  {} · due {} · {}",
            a.owner
                .as_deref()
                .map_or("nobody".to_string(), |o| format!("@{}", safe_fit(o, 10))),
            a.due.map_or("–".to_string(), |d| d.to_string()),
            a.status.as_str()
        );
        let rows = titled_rows(&format!("{} ", a.card), &a.text, &tail, w);
        let two = rows.len() > 1;
        for (i, r) in rows.into_iter().enumerate() {
            lines.push(if two && i == 1 {
                Line::from(Span::styled(r, theme.dim))
            } else {
                Line::from(r)
            });
        }
    }
    lines
}

fn decide(frame: &mut Frame, area: Rect, data: &RetroData, theme: &Theme) {
    let [actions, top] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let n = data.report.as_ref().map_or(0, |r| r.actions.len());
    let block = panel(format!("Action items · {n}"), theme);
    let inner = block.inner(actions);
    frame.render_widget(block, actions);
    frame.render_widget(
        Paragraph::new(action_lines(data, inner.width as usize, theme)),
        inner,
    );
    let block = panel("What the team voted for".into(), theme);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let w = inner.width as usize;
    let lines: Vec<Line> = data
        .items()
        .iter()
        .take(inner.height as usize)
        .map(|i| item_line(i, format!("{:>3} ", i.votes.unwrap_or(0)), w, false, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn close(frame: &mut Frame, area: Rect, data: &RetroData, view: &View, theme: &Theme) {
    let Some(report) = &data.report else {
        return;
    };
    let block = panel("Return on time invested".into(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = ROTI
        .iter()
        .map(|(l, d)| {
            Line::from(vec![
                Span::styled(format!("{l}  "), theme.key),
                Span::styled(d.to_string(), theme.dim),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.extend(poll_lines(
        &report.roti,
        &ROTI,
        data.answered_roti,
        view.answer_key.as_deref(),
        theme,
    ));
    lines.push(Line::default());
    let voted = report
        .items
        .iter()
        .filter(|i| i.votes.unwrap_or(0) > 0)
        .count();
    let noted = report
        .items
        .iter()
        .filter(|i| !i.notes.trim().is_empty())
        .count();
    lines.push(Line::from(format!(
        "{} with votes, {} with notes · {} · {} earlier actions reviewed",
        count(voted as u64, "item"),
        noted,
        count(report.actions.len() as u64, "action item"),
        report.reviewed.len()
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn summary(frame: &mut Frame, area: Rect, data: &RetroData, theme: &Theme) {
    let Some(report) = &data.report else {
        return;
    };
    let [top, actions] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let block = panel("What the team said, most votes first".into(), theme);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = data
        .items()
        .iter()
        .take(inner.height.saturating_sub(2) as usize)
        .map(|i| item_line(i, format!("{:>3} ", i.votes.unwrap_or(0)), w, false, theme))
        .collect();
    let roti = match report.roti.mean() {
        Some(m) => format!(
            "Return on time invested: {m:.1} of 5 ({} answers)",
            report.roti.answers
        ),
        None => format!(
            "Return on time invested: {} answers (not shown below three)",
            report.roti.answers
        ),
    };
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(roti, theme.title)));
    frame.render_widget(Paragraph::new(lines), inner);
    let block = panel("Action items".into(), theme);
    let inner = block.inner(actions);
    frame.render_widget(block, actions);
    frame.render_widget(
        Paragraph::new(action_lines(data, inner.width as usize, theme)),
        inner,
    );
}
