//! The Retro tab: the phase bar on top, then what the phase is about. Every
//! participant's screen follows the facilitator's phase within a second.

mod phases;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::retro::Phase;
use crate::ui::action::Command;
use crate::ui::screens::flow::panel;
use crate::ui::state::{AppState, RetroData, RetroTabState};
use crate::ui::text::{safe_fit, width};
use crate::ui::theme::Theme;

/// What the screen needs besides the tab's state.
pub struct View<'a> {
    pub now: DateTime<Utc>,
    pub me: &'a str,
    /// The hint line, from the live keymap.
    pub hint: &'a str,
    /// The user's key that answers this screen's poll, if one is live.
    pub answer_key: Option<String>,
    /// The user's key that writes an item's notes.
    pub notes_key: String,
    /// The user's key that starts a retro.
    pub new_key: String,
}

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, hint: &str, theme: &Theme) {
    render(
        frame,
        area,
        &state.retro,
        &View {
            now: state.now,
            me: &state.actor,
            hint,
            answer_key: crate::ui::keymap::live_key(state, Command::AnswerPoll),
            notes_key: crate::ui::keymap::key_for(state, Command::EditItemNotes),
            new_key: crate::ui::keymap::key_for(state, Command::NewRetro),
        },
        theme,
    );
}

pub fn render(frame: &mut Frame, area: Rect, st: &RetroTabState, view: &View, theme: &Theme) {
    let Some(data) = st.data.as_deref() else {
        frame.render_widget(Paragraph::new("Loading the retros…").style(theme.dim), area);
        return;
    };
    let retro = data.report.as_ref().map(|r| &r.retro);
    let Some(retro) = retro.filter(|_| !st.browsing) else {
        let [list, hints] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
        render_list(frame, list, st, data, &view.new_key, theme);
        frame.render_widget(Paragraph::new(view.hint).style(theme.key), hints);
        return;
    };
    let [head, bar, purpose, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut role = if retro.is_facilitator(view.me) {
        "you facilitate".to_string()
    } else {
        format!("facilitated by {}", safe_fit(&retro.facilitator, 16))
    };
    // The record of a takeover: whom the facilitator took it over from.
    if let Some(h) = data.handovers.last() {
        role.push_str(&format!(" (took over from {})", safe_fit(&h.from, 16)));
    }
    frame.render_widget(
        Line::from(vec![
            Span::styled(safe_fit(&retro.title, 40), theme.title),
            Span::styled(
                format!(
                    " · {} · {role} · facts {} – {}",
                    safe_fit(&retro.format.name, 30),
                    retro.from,
                    retro.to
                ),
                theme.dim,
            ),
        ]),
        head,
    );
    render_phase_bar(frame, bar, retro.phase, theme);
    frame.render_widget(
        Line::from(Span::styled(retro.phase.purpose(), theme.goal)),
        purpose,
    );
    phases::render(frame, body, st, data, view, theme);
    frame.render_widget(Paragraph::new(view.hint).style(theme.key), hints);
}

fn render_phase_bar(frame: &mut Frame, area: Rect, current: Phase, theme: &Theme) {
    let mut spans = Vec::new();
    let wide = area.width >= 110;
    for (i, p) in Phase::ALL.iter().enumerate() {
        let label = if wide {
            format!(" {} {} ", i + 1, p.title())
        } else {
            format!(" {} ", p.title())
        };
        let style = match (*p).cmp(&current) {
            std::cmp::Ordering::Equal => theme.tab_active,
            std::cmp::Ordering::Less => theme.dim,
            std::cmp::Ordering::Greater => theme.tab,
        };
        spans.push(Span::styled(label, style));
    }
    if current == Phase::Closed {
        spans.push(Span::styled(" CLOSED ", theme.tab_active));
    }
    frame.render_widget(Line::from(spans), area);
}

fn render_list(
    frame: &mut Frame,
    area: Rect,
    st: &RetroTabState,
    data: &RetroData,
    new_key: &str,
    theme: &Theme,
) {
    let block = panel(format!("Retros · {}", data.retros.len()), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = crate::ui::widgets::summary::render_above(
        frame,
        inner,
        vec![
            Line::from(Span::styled(
                "teamloop retro export ID writes one as Markdown",
                theme.dim,
            )),
            Line::default(),
        ],
    );
    let mut lines = Vec::new();
    if data.retros.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "No retro yet. Press {new_key}, choose a format, and the meeting starts with the Prime Directive."
            ),
            theme.dim,
        )));
    }
    let w = inner.width as usize;
    for (i, r) in data.retros.iter().enumerate() {
        let state = if r.phase == Phase::Closed {
            "closed".to_string()
        } else {
            format!("at {}", r.phase.title())
        };
        let day = theme.day(r.started_at.date_naive());
        // The title keeps room to be read: the format, then the date give way.
        let want = width(&r.title).min(16);
        let shapes = [
            (
                format!("{:>4}  {day}  ", r.id.0),
                format!("  {state} · {}", safe_fit(&r.format.name, 24)),
            ),
            (format!("{:>4}  {day}  ", r.id.0), format!("  {state}")),
            (format!("{:>4} ", r.id.0), format!("  {state}")),
        ];
        let (head, tail) = shapes
            .iter()
            .find(|(h, t)| w.saturating_sub(width(h) + width(t)) >= want)
            .unwrap_or(&shapes[2]);
        let room = w.saturating_sub(width(head) + width(tail));
        let text = format!("{head}{}{tail}", safe_fit(&r.title, room));
        let style = if i == st.row {
            theme.card_selected
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    let first = (st.row + 1).saturating_sub(inner.height as usize);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}
