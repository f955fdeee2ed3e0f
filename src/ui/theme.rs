//! Colours and styles. Colour carries meaning (a column at or over its limit,
//! a blocked card); every such meaning is also written as text.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub tab_active: Style,
    pub tab: Style,
    pub border: Style,
    pub border_selected: Style,
    pub wip_ok: Style,
    pub wip_at_limit: Style,
    pub wip_over: Style,
    pub card_selected: Style,
    pub blocked: Style,
    pub tag: Style,
    pub status_info: Style,
    pub status_warn: Style,
    pub status_error: Style,
    pub banner: Style,
    pub key: Style,
    /// A finished card in the cycle time chart.
    pub dot: Style,
    /// Throughput bars, points remaining, points done.
    pub bar: Style,
    /// The ideal line of a burndown.
    pub ideal: Style,
    /// Points committed, beside points done.
    pub committed: Style,
    /// A sprint's goal.
    pub goal: Style,
    /// A timer with time to spare, near its end, and over.
    pub timer_ok: Style,
    pub timer_near: Style,
    pub timer_over: Style,
    /// Cumulative flow bands, one per column in board order (repeating).
    pub bands: Vec<Style>,
    /// Phrasing the blameless lint warns about.
    pub blame: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            base: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default().add_modifier(Modifier::BOLD),
            tab_active: Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab: Style::default().fg(Color::Gray),
            border: Style::default().fg(Color::DarkGray),
            border_selected: Style::default().fg(Color::Cyan),
            wip_ok: Style::default().fg(Color::Green),
            wip_at_limit: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            wip_over: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            card_selected: Style::default().bg(Color::Rgb(40, 60, 90)),
            blocked: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            tag: Style::default().fg(Color::Magenta),
            status_info: Style::default().fg(Color::Green),
            status_warn: Style::default().fg(Color::Yellow),
            status_error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            banner: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            key: Style::default().fg(Color::Cyan),
            dot: Style::default().fg(Color::Cyan),
            bar: Style::default().fg(Color::Blue),
            ideal: Style::default().fg(Color::Yellow),
            committed: Style::default().fg(Color::DarkGray),
            goal: Style::default()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            timer_ok: Style::default()
                .fg(Color::Green)
                .add_modifier(Modifier::BOLD),
            timer_near: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            timer_over: Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            bands: [
                Color::DarkGray,
                Color::Blue,
                Color::Yellow,
                Color::Magenta,
                Color::Cyan,
                Color::LightRed,
            ]
            .into_iter()
            .map(|c| Style::default().fg(c))
            .collect(),
            blame: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::UNDERLINED),
        }
    }
}
