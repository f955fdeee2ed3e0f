//! The Standup tab: the timer always in sight (its colour changes near the
//! end, and its words say so too), the walk or the round of speakers, and
//! what the team raised: open action items, impediments, the parking lot.

use crate::ui::action::Command;
use crate::ui::keymap::{key_for, live_key};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::standup::{ItemKind, StandupFormat, Timer, TimerPhase, WalkCard, clock_text};
use crate::ui::screens::flow::panel;
use crate::ui::state::{AppState, StandupData, StandupTabState};
use crate::ui::text::{days, pad, safe_fit, sanitize, width};
use crate::ui::theme::Theme;

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, hint: &str, theme: &Theme) {
    let keys = Keys {
        hint,
        join: live_key(state, Command::JoinStandup),
        start: live_key(state, Command::ToggleTimer),
        round: [
            Command::ShuffleSpeakers,
            Command::AddAttendee,
            Command::RemoveAttendee,
        ]
        .map(|cmd| key_for(state, cmd)),
    };
    render(
        frame,
        area,
        &state.standup,
        state.now,
        &state.actor,
        &keys,
        theme,
    );
}

/// The user's keys as the screen names them: its hint line, and the keys
/// its own lines mention, both from the live keymap.
pub struct Keys<'a> {
    pub hint: &'a str,
    pub join: Option<String>,
    pub start: Option<String>,
    /// The round robin's keys: shuffle, add someone, take someone off.
    pub round: [String; 3],
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    st: &StandupTabState,
    now: DateTime<Utc>,
    me: &str,
    keys: &Keys,
    theme: &Theme,
) {
    let hint = keys.hint;
    let Some(data) = st.data.as_deref() else {
        frame.render_widget(
            Paragraph::new("Loading the standup…").style(theme.dim),
            area,
        );
        return;
    };
    let [head, goal, timer, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    render_head(frame, head, st, data, me, keys, theme);
    let chance = data
        .chance
        .as_ref()
        .and_then(|c| crate::ui::strings::sprint_chance(c, false))
        .map(|c| format!(" · {c}"))
        .unwrap_or_default();
    let goal_room = (area.width as usize)
        .saturating_sub(8 + unicode_width::UnicodeWidthStr::width(chance.as_str()))
        .max(20);
    let goal_line = match &data.sprint {
        Some(s) => Line::from(vec![
            Span::styled("Goal: ", theme.title),
            Span::styled(safe_fit(&s.goal, goal_room), theme.goal),
            Span::raw(chance),
        ]),
        None => Line::from(Span::styled(
            "No sprint running: walking the whole board's work in progress",
            theme.dim,
        )),
    };
    frame.render_widget(goal_line, goal);
    render_timer(frame, timer, st, now, keys, theme);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
    match st.format() {
        StandupFormat::WalkTheBoard => render_walk(frame, left, st, data, now, theme),
        StandupFormat::RoundRobin => render_round(frame, left, st, now, &keys.round, theme),
    }
    render_raised(frame, right, data, now, theme);
    frame.render_widget(Paragraph::new(hint).style(theme.key), hints);
}

fn render_head(
    frame: &mut Frame,
    area: Rect,
    st: &StandupTabState,
    data: &StandupData,
    me: &str,
    keys: &Keys,
    theme: &Theme,
) {
    // Who facilitates and whether you take part matter most to someone
    // following; on a narrow terminal the date shortens, then the sprint's
    // name and the date go, before they do.
    let mut tail = vec![
        Span::raw(format!(" · {} (f)", st.format().label())),
        Span::raw(format!(" · {} attending", st.order.len())),
    ];
    if let Some(c) = st.live() {
        tail.push(Span::raw(if c.is_facilitator(me) {
            " · you facilitate".to_string()
        } else {
            format!(" · {} facilitates", safe_fit(&c.facilitator, 16))
        }));
        if !st.order.iter().any(|o| o == me)
            && let Some(join) = &keys.join
        {
            tail.push(Span::styled(format!(" · {join} joins"), theme.key));
        }
    }
    let sprint = data
        .sprint
        .as_ref()
        .map(|s| Span::raw(format!(" · {}", safe_fit(&s.name, 24))));
    let long = Span::raw(format!(" · {}", data.today.format("%A %d %B")));
    let short = Span::raw(format!(" · {}", data.today.format("%a %d %b")));
    let room = area.width as usize;
    let line = [
        vec![Some(long), sprint.clone()],
        vec![Some(short.clone()), sprint],
        vec![Some(short)],
        vec![],
    ]
    .into_iter()
    .map(|middle| {
        let mut spans = vec![Span::styled("Daily standup", theme.title)];
        spans.extend(middle.into_iter().flatten());
        spans.extend(tail.iter().cloned());
        Line::from(spans)
    })
    .find_map(|l| (l.width() <= room).then_some(l))
    .unwrap_or_else(|| {
        let mut spans = vec![Span::styled("Standup", theme.title)];
        spans.extend(tail.iter().cloned());
        Line::from(spans)
    });
    let bell = if st.muted {
        "bell muted (m)"
    } else {
        "bell on (m)"
    };
    // The bell's state goes on the right when there is room for it.
    let fits = line.width() + bell.len() + 2 <= room;
    frame.render_widget(line, area);
    if fits {
        frame.render_widget(
            Line::from(Span::styled(bell, theme.dim)).right_aligned(),
            area,
        );
    }
}

fn phase_style(phase: TimerPhase, theme: &Theme) -> Style {
    match phase {
        TimerPhase::Plenty => theme.timer_ok,
        TimerPhase::Near => theme.timer_near,
        TimerPhase::Over => theme.timer_over,
    }
}

fn phase_word(phase: TimerPhase) -> &'static str {
    match phase {
        TimerPhase::Plenty => "",
        TimerPhase::Near => " NEARLY OUT",
        TimerPhase::Over => " OVER TIME",
    }
}

fn timer_span(t: &Timer, now: DateTime<Utc>, theme: &Theme) -> Span<'static> {
    let phase = t.phase(now);
    Span::styled(
        format!(
            " {} left of {}{} ",
            clock_text(t.remaining(now)),
            clock_text(t.limit),
            phase_word(phase)
        ),
        phase_style(phase, theme),
    )
}

fn render_timer(
    frame: &mut Frame,
    area: Rect,
    st: &StandupTabState,
    now: DateTime<Utc>,
    keys: &Keys,
    theme: &Theme,
) {
    let start = keys.start.as_deref();
    let state = if st.ended() {
        start.map_or("ENDED".into(), |k| format!("ENDED ({k} starts a new one)"))
    } else if st.live().is_none() {
        start.map_or("not started".into(), |k| {
            format!("not started: {k} starts it")
        })
    } else if st.running() {
        "running".into()
    } else {
        "paused".into()
    };
    let mut spans = vec![
        Span::styled("Standup ", theme.title),
        timer_span(&st.total(), now, theme),
        Span::raw(format!(" {state}")),
    ];
    let n = st.turns();
    if n > 0 && !st.ended() {
        spans.push(Span::raw(format!("   Turn {}/{n}", (st.turn() + 1).min(n))));
        let turn = st.turn_timer();
        if turn.limit > chrono::Duration::zero() {
            spans.push(Span::raw(" "));
            spans.push(timer_span(&turn, now, theme));
        } else {
            spans.push(Span::styled(
                format!(" {} (t: timebox)", clock_text(turn.elapsed(now))),
                theme.dim,
            ));
        }
    }
    frame.render_widget(Line::from(spans), area);
}

fn walk_line(
    w: &WalkCard,
    current: bool,
    width_: usize,
    now: DateTime<Utc>,
    theme: &Theme,
) -> Line<'static> {
    let marker = if current { "▶ " } else { "  " };
    let age = w
        .age_days(now)
        .map_or(String::new(), |a| format!(" {}", days(a)));
    let who = w
        .card
        .assignee
        .as_deref()
        .map_or(String::new(), |a| format!(" @{}", safe_fit(a, 10)));
    let blocked = if w.card.blocked { "BLOCKED " } else { "" };
    let head = format!("{marker}{blocked}{} ", w.card.id);
    let tail = format!("{who}{age}");
    let room = width_.saturating_sub(width(&head) + width(&tail));
    let text = format!("{head}{}{tail}", pad(&safe_fit(&w.card.title, room), room));
    let style = if current {
        theme.card_selected
    } else if w.card.blocked {
        theme.blocked
    } else {
        Style::default()
    };
    Line::from(Span::styled(text, style))
}

fn render_walk(
    frame: &mut Frame,
    area: Rect,
    st: &StandupTabState,
    data: &StandupData,
    now: DateTime<Utc>,
    theme: &Theme,
) {
    let full = format!(
        "Walk the board · right to left, blocked and oldest first · {} cards",
        data.walk.len()
    );
    // The panel's title and border corners take four columns.
    let title = if width(&full) + 4 <= area.width as usize {
        full
    } else {
        format!("Walk the board · right to left · {} cards", data.walk.len())
    };
    let block = panel(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.walk.is_empty() {
        frame.render_widget(
            Paragraph::new("No work in progress to walk. f switches to round robin.")
                .style(theme.dim),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let mut lines = Vec::new();
    let mut current_line = 0;
    let mut column = None;
    for (i, c) in data.walk.iter().enumerate() {
        if column != Some(c.column_index) {
            let n = data
                .walk
                .iter()
                .filter(|x| x.column_index == c.column_index)
                .count();
            lines.push(Line::from(Span::styled(
                format!("{} ({n})", safe_fit(&c.column, w.saturating_sub(6))),
                theme.title,
            )));
            column = Some(c.column_index);
        }
        let current = i == st.turn();
        if current {
            current_line = lines.len();
        }
        lines.push(walk_line(c, current, w, now, theme));
        if current && let Some(r) = &c.blocked_reason {
            lines.push(Line::from(Span::styled(
                format!("    blocked: {}", safe_fit(r, w.saturating_sub(13))),
                theme.blocked,
            )));
        }
    }
    let h = inner.height as usize;
    let first = current_line.saturating_sub(h / 2);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

fn render_round(
    frame: &mut Frame,
    area: Rect,
    st: &StandupTabState,
    now: DateTime<Utc>,
    [shuffle, add, absent]: &[String; 3],
    theme: &Theme,
) {
    let turn = st.turn();
    let rows = (st.order.len() as u16 + 2).max(3).min(area.height / 2);
    let [people, detail] =
        Layout::vertical([Constraint::Length(rows), Constraint::Min(0)]).areas(area);
    let block = panel(
        format!("Round robin · {shuffle} shuffles · {add} adds · {absent} absent"),
        theme,
    );
    let inner = block.inner(people);
    frame.render_widget(block, people);
    if st.order.is_empty() {
        frame.render_widget(
            Paragraph::new(format!("Nobody on the list yet: {add} adds someone.")).style(theme.dim),
            inner,
        );
    } else {
        let spans: Vec<Span> = st
            .order
            .iter()
            .enumerate()
            .flat_map(|(i, who)| {
                let (text, style) = if i == turn {
                    (format!("▶ {} ", sanitize(who)), theme.card_selected)
                } else if i < turn {
                    (format!("✓ {} ", sanitize(who)), theme.dim)
                } else {
                    (format!("  {} ", sanitize(who)), Style::default())
                };
                [Span::styled(text, style), Span::raw(" ")]
            })
            .collect();
        frame.render_widget(
            Paragraph::new(Line::from(spans)).wrap(Wrap { trim: false }),
            inner,
        );
    }
    let who = st.speaker().unwrap_or("nobody");
    let block = panel(
        format!("{} · cards and notes (e)", safe_fit(who, 30)),
        theme,
    );
    let inner = block.inner(detail);
    frame.render_widget(block, detail);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = st
        .turn_cards()
        .iter()
        .enumerate()
        .map(|(i, c)| walk_line(c, i == st.card_row, w, now, theme))
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No cards of theirs in progress.",
            theme.dim,
        )));
    }
    let notes = st
        .current()
        .and_then(|c| c.notes_of(who))
        .cloned()
        .unwrap_or_default();
    lines.push(Line::default());
    for (label, text) in [
        ("Yesterday", &notes.yesterday),
        ("Today", &notes.today),
        ("Blockers", &notes.blockers),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<10}"), theme.dim),
            Span::raw(if text.is_empty() {
                "–".to_string()
            } else {
                sanitize(text).into_owned()
            }),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Open action items, and what was raised today.
fn render_raised(
    frame: &mut Frame,
    area: Rect,
    data: &StandupData,
    now: DateTime<Utc>,
    theme: &Theme,
) {
    let items = data
        .current
        .as_ref()
        .map(|c| c.items.as_slice())
        .unwrap_or(&[]);
    let impediments: Vec<_> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Impediment)
        .collect();
    let parked: Vec<_> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Parking)
        .collect();
    let action_rows = (data.actions.len() as u16 + 2).max(3).min(area.height / 2);
    let [actions, raised] =
        Layout::vertical([Constraint::Length(action_rows), Constraint::Min(0)]).areas(area);
    let block = panel(format!("Open action items · {}", data.actions.len()), theme);
    let inner = block.inner(actions);
    frame.render_widget(block, actions);
    let w = inner.width as usize;
    let lines: Vec<Line> = if data.actions.is_empty() {
        vec![Line::from(Span::styled(
            "None open. Retro and mortem action items (cards tagged #action) show here until done.",
            theme.dim,
        ))]
    } else {
        data.actions
            .iter()
            .map(|a| {
                let open = a.days_open(now);
                let tail = format!(
                    "{} {}d open",
                    a.assignee
                        .as_deref()
                        .map_or(String::new(), |p| format!("@{}", safe_fit(p, 8))),
                    open
                );
                let head = format!("{} ", a.card);
                let room = w.saturating_sub(width(&head) + width(&tail) + 1);
                let style = if open >= 14 {
                    theme.wip_at_limit
                } else {
                    Style::default()
                };
                Line::from(Span::styled(
                    format!("{head}{} {tail}", pad(&safe_fit(&a.title, room), room)),
                    style,
                ))
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
    let block = panel(
        format!(
            "Raised today · {} impediments · {} parked",
            impediments.len(),
            parked.len()
        ),
        theme,
    );
    let inner = block.inner(raised);
    frame.render_widget(block, raised);
    let mut lines = vec![Line::from(Span::styled("Impediments (b, i)", theme.title))];
    for i in &impediments {
        let card = i.card.map_or(String::new(), |c| format!("{c} "));
        lines.push(Line::from(Span::styled(
            format!("• {card}{}", sanitize(&i.text)),
            theme.blocked,
        )));
    }
    if impediments.is_empty() {
        lines.push(Line::from(Span::styled("none", theme.dim)));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Parking lot (P)", theme.title)));
    for p in &parked {
        lines.push(Line::from(format!("• {}", sanitize(&p.text))));
    }
    if parked.is_empty() {
        lines.push(Line::from(Span::styled("none", theme.dim)));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
