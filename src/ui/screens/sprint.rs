//! The Sprint tab: planning against capacity and velocity, the burndown of
//! the running sprint, the review that closes it, and the velocity history.
//! The goal sits on top of every view.

mod burndown;
mod velocity;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::sprint::{PlanTotals, Sprint, SprintCard, SprintState, plan_totals};
use crate::ui::action::Command;
use crate::ui::keymap::key_for;
use crate::ui::screens::flow::panel;
use crate::ui::state::sprint::review_cards;
use crate::ui::state::{AppState, Pane, SprintData, SprintTabState, SprintView};
use crate::ui::text::{pad, safe_fit, sanitize, width};
use crate::ui::theme::Theme;
use crate::ui::widgets::summary;

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, hint: &str, theme: &Theme) {
    let keys = Keys {
        hint,
        view: key_for(state, Command::NextSprintView),
        plan: key_for(state, Command::NewSprint),
        start: key_for(state, Command::StartSprint),
    };
    render(frame, area, &state.sprint, &keys, theme);
}

/// The user's keys as the tab names them, from the live keymap: the
/// view's hint line, and the keys its own lines mention (the next view,
/// planning a sprint, starting it).
pub struct Keys<'a> {
    pub hint: &'a str,
    pub view: String,
    pub plan: String,
    pub start: String,
}

/// The tab in `area`, with the view's hint line at its foot.
pub fn render(frame: &mut Frame, area: Rect, state: &SprintTabState, keys: &Keys, theme: &Theme) {
    let hint = keys.hint;
    let Some(data) = state.data.as_deref() else {
        frame.render_widget(
            Paragraph::new("Loading the sprints…").style(theme.dim),
            area,
        );
        return;
    };
    let [bar, rest, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    render_views(frame, bar, state.view, &keys.view, theme);
    let shown = match state.view {
        SprintView::Plan => data.plan_target(),
        _ => data.active.as_ref().or(data.planned.as_ref()),
    };
    let goal = goal_line(shown.map(|r| &r.sprint), data, &keys.plan, theme);
    let body = summary::render_above(frame, rest, vec![goal]);
    match state.view {
        SprintView::Plan => render_plan(frame, body, state, data, keys, theme),
        SprintView::Progress => render_progress(frame, body, state, data, keys, theme),
        SprintView::Review => render_review(frame, body, state, data, theme),
        SprintView::Velocity => velocity::render(frame, body, data, theme),
    }
    frame.render_widget(Paragraph::new(hint).style(theme.key), hints);
}

fn render_views(frame: &mut Frame, area: Rect, view: SprintView, next: &str, theme: &Theme) {
    let mut spans = Vec::new();
    for v in SprintView::ALL {
        let style = if v == view {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(format!(" {} ", v.title()), style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(format!(" {next} next view"), theme.dim));
    frame.render_widget(Line::from(spans), area);
}

/// The sprint's goal, prominent, with its name, dates and days left (on
/// a second row when the terminal is narrow).
/// `plan`: the user's key that plans a sprint, named when there is none.
fn goal_line(
    sprint: Option<&Sprint>,
    data: &SprintData,
    plan: &str,
    theme: &Theme,
) -> Line<'static> {
    match sprint {
        Some(s) => {
            let left = match s.state {
                crate::domain::sprint::SprintState::Planned => {
                    format!(
                        "{}, not started",
                        crate::domain::text::count(s.days(), "day")
                    )
                }
                _ => format!(
                    "{} left",
                    crate::domain::text::count(s.days_left(data.today), "day")
                ),
            };
            let right = format!(
                "  {} · {} · {} – {} · {left}",
                sanitize(&s.name),
                s.state.as_str(),
                theme.day(s.start),
                theme.day(s.end),
            );
            let goal = if s.goal.is_empty() {
                Span::styled("no goal yet (e sets it)", theme.wip_over)
            } else {
                Span::styled(sanitize(&s.goal).into_owned(), theme.goal)
            };
            Line::from(vec![
                Span::styled("Goal: ", theme.title),
                goal,
                Span::styled(right, theme.dim),
            ])
        }
        None => Line::from(Span::styled(
            format!("No sprint yet: {plan} plans one (name, goal, dates, capacity)"),
            theme.dim,
        )),
    }
}

/// One card as a line of a list, cut to `w` cells; with its column when
/// the list is not grouped by column.
fn card_line(
    c: &SprintCard,
    w: usize,
    selected: bool,
    with_column: bool,
    theme: &Theme,
) -> Line<'static> {
    let points = c
        .card
        .points
        .map_or("  –".to_string(), |p| format!("{p:>3}"));
    let mut tail = format!(" {points}pt");
    if with_column && w >= 50 {
        tail = format!(" {}{tail}", pad(&safe_fit(&c.column, 12), 12));
    }
    if let Some(a) = &c.card.assignee {
        tail = format!(" @{}{tail}", safe_fit(a, 8));
    }
    let mut marks = String::new();
    if c.done {
        marks.push_str("✓ ");
    }
    if c.card.blocked {
        marks.push_str("BLOCKED ");
    }
    if c.added_late {
        marks.push_str("+late ");
    }
    let head = format!("{marks}{} ", c.card.id);
    let room = w.saturating_sub(width(&head) + width(&tail));
    let text = format!("{head}{}{tail}", pad(&safe_fit(&c.card.title, room), room));
    let style = if selected {
        theme.card_selected
    } else if c.card.blocked {
        theme.blocked
    } else if c.done {
        theme.dim
    } else {
        Style::default()
    };
    Line::from(Span::styled(text, style))
}

/// A list of cards in a panel, scrolled so the selection shows.
fn card_list(
    frame: &mut Frame,
    area: Rect,
    title: String,
    cards: &[&SprintCard],
    selected: Option<usize>,
    focused: bool,
    theme: &Theme,
) {
    let block = panel(title, theme).border_style(if focused {
        theme.border_selected
    } else {
        theme.border
    });
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let h = inner.height as usize;
    if h == 0 {
        return;
    }
    let first = selected.map_or(0, |s| s.saturating_sub(h - 1));
    let lines: Vec<Line> = cards
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, c)| {
            card_line(
                c,
                inner.width as usize,
                focused && selected == Some(i),
                true,
                theme,
            )
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(Paragraph::new("(none)").style(theme.dim), inner);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn totals_line(t: &PlanTotals, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("Committed {} pt in {} cards", t.committed, t.cards),
        theme.title,
    )];
    match t.capacity {
        Some(c) => spans.push(Span::raw(format!(" · capacity {c}"))),
        None => spans.push(Span::styled(" · no capacity set", theme.dim)),
    }
    match t.velocity {
        Some(v) => spans.push(Span::raw(format!(
            " · average velocity {:.1} (last {}: {}–{})",
            v.mean, v.sprints, v.min, v.max
        ))),
        None => spans.push(Span::styled(" · no velocity yet", theme.dim)),
    }
    if t.unestimated > 0 {
        spans.push(Span::styled(
            format!(" · {} without points", t.unestimated),
            theme.wip_at_limit,
        ));
    }
    if let (true, Some(c)) = (t.over_capacity, t.capacity) {
        spans.push(Span::styled(
            format!("  ⚠ OVER CAPACITY +{}", t.committed - c),
            theme.wip_over,
        ));
    }
    if t.over_velocity {
        spans.push(Span::styled("  ⚠ ABOVE AVERAGE VELOCITY", theme.wip_over));
    }
    Line::from(spans)
}

fn render_plan(
    frame: &mut Frame,
    area: Rect,
    state: &SprintTabState,
    data: &SprintData,
    keys: &Keys,
    theme: &Theme,
) {
    let target = data.plan_target();
    let totals = target.map(|r| plan_totals(&r.cards, r.sprint.capacity, data.velocity));
    let lists = match &totals {
        Some(t) => summary::render_above(frame, area, vec![totals_line(t, theme)]),
        None => area,
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lists);
    let backlog: Vec<&SprintCard> = data.backlog.iter().collect();
    card_list(
        frame,
        left,
        format!("Backlog · {} cards", backlog.len()),
        &backlog,
        Some(state.backlog_row),
        state.pane == Pane::Backlog,
        theme,
    );
    match target.zip(totals) {
        Some((r, t)) => {
            let cards: Vec<&SprintCard> = r.cards.iter().collect();
            card_list(
                frame,
                right,
                format!(
                    "{}{} · {} cards · {} pt",
                    r.sprint.name,
                    if r.sprint.state == SprintState::Active {
                        " (running: changes are scope change)"
                    } else {
                        ""
                    },
                    cards.len(),
                    t.committed
                ),
                &cards,
                Some(state.sprint_row),
                state.pane == Pane::Sprint,
                theme,
            );
        }
        None => {
            let block = panel("Next sprint".into(), theme);
            let inner = block.inner(right);
            frame.render_widget(block, right);
            frame.render_widget(
                Paragraph::new(format!("No sprint is being planned.\n\nPress {} to plan one: a name, a goal, the dates and the team's capacity.", keys.plan))
                    .style(theme.dim)
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                inner,
            );
        }
    }
}

fn render_progress(
    frame: &mut Frame,
    area: Rect,
    state: &SprintTabState,
    data: &SprintData,
    keys: &Keys,
    theme: &Theme,
) {
    let Some(r) = data.active.as_ref() else {
        frame.render_widget(
            Paragraph::new(format!(
                "No sprint is running. Plan one ({} to the plan view, {}), then start it with {}.",
                keys.view, keys.plan, keys.start
            ))
            .style(theme.dim),
            area,
        );
        return;
    };
    let b = &r.burndown;
    let day = (data.today - r.sprint.start).num_days() + 1;
    let scope_change = i64::from(b.scope) - i64::from(b.committed);
    let mut spans = vec![
        Span::styled(
            format!(
                "Day {} of {}",
                day.clamp(0, i64::from(r.sprint.days())),
                r.sprint.days()
            ),
            theme.title,
        ),
        Span::raw(format!(
            " · {} left · committed {} · done {} · remaining {}",
            crate::domain::text::count(r.sprint.days_left(data.today), "day"),
            b.committed,
            b.done,
            b.remaining
        )),
    ];
    if scope_change != 0 {
        spans.push(Span::styled(
            format!(" · scope {} ({scope_change:+} since day one)", b.scope),
            theme.wip_at_limit,
        ));
    }
    let mut lines = vec![Line::from(spans)];
    if let Some(text) = data
        .chance
        .as_ref()
        .and_then(|c| crate::ui::strings::sprint_chance(c, true))
    {
        lines.push(Line::styled(text, theme.goal));
    }
    let rest = summary::render_above(frame, area, lines);
    let [chart, cards] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(rest);
    burndown::render(frame, chart, r, data.today, theme);
    render_cards_by_column(frame, cards, &r.cards, state.row, theme);
}

/// The sprint's cards under a heading per column, in board order.
fn render_cards_by_column(
    frame: &mut Frame,
    area: Rect,
    cards: &[SprintCard],
    selected: usize,
    theme: &Theme,
) {
    let block = panel(format!("Cards · {}", cards.len()), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    let mut column = None;
    for (i, c) in cards.iter().enumerate() {
        if column != Some(&c.column) {
            let n = cards.iter().filter(|x| x.column == c.column).count();
            lines.push(Line::from(Span::styled(
                format!("{} ({n})", safe_fit(&c.column, w.saturating_sub(6))),
                theme.title,
            )));
            column = Some(&c.column);
        }
        if i == selected {
            selected_line = lines.len();
        }
        lines.push(card_line(c, w, i == selected, false, theme));
    }
    let h = inner.height as usize;
    let first = selected_line.saturating_sub(h.saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

fn render_review(
    frame: &mut Frame,
    area: Rect,
    state: &SprintTabState,
    data: &SprintData,
    theme: &Theme,
) {
    let Some(r) = data.active.as_ref() else {
        let last = data.closed().last();
        let text = match last {
            Some(s) => format!(
                "No sprint is running. The last one, {}, closed with {} of {} points done.",
                sanitize(&s.name),
                s.velocity.unwrap_or(0),
                s.committed.unwrap_or(0)
            ),
            None => "No sprint is running: nothing to review yet.".to_string(),
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim), area);
        return;
    };
    let cards = review_cards(data);
    let done: Vec<&&SprintCard> = cards.iter().filter(|c| c.done).collect();
    let done_points: u32 = done.iter().filter_map(|c| c.card.points).sum();
    let open = cards.len() - done.len();
    let carried = state.carry.len();
    let list = summary::render_above(
        frame,
        area,
        vec![
            Line::from(vec![
                Span::styled(
                    format!("Done: {} cards, {done_points} points", done.len()),
                    theme.title,
                ),
                Span::raw(format!(
                    " of {} committed (velocity if closed now) · not done: {open}",
                    r.burndown.committed
                )),
            ]),
            Line::from(Span::styled(
                format!(
                    "Unfinished cards: {carried} carry over to the next sprint, {} return to the backlog (their column stays as it is)",
                    open - carried.min(open)
                ),
                theme.dim,
            )),
        ],
    );
    let block = panel(
        "Review: first the unfinished cards, then what was done".into(),
        theme,
    );
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let w = inner.width as usize;
    let h = inner.height as usize;
    let first = state.row.saturating_sub(h.saturating_sub(1));
    let lines: Vec<Line> = cards
        .iter()
        .enumerate()
        .skip(first)
        .take(h)
        .map(|(i, c)| {
            let decision = if c.done {
                "  done        "
            } else if state.carry.contains(&c.card.id) {
                "→ next sprint "
            } else {
                "→ backlog     "
            };
            let mut line = card_line(c, w.saturating_sub(15), i == state.row, true, theme);
            let style = if c.done { theme.wip_ok } else { theme.key };
            line.spans
                .insert(0, Span::styled(format!("{decision} "), style));
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
