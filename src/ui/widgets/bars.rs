//! Horizontal bars of a count each: a poll's tally, a pulse's distribution.

use ratatui::text::{Line, Span};

use crate::ui::theme::Theme;

/// One line per row: its label as given (already padded), a bar scaled so
/// the largest count fills `room` cells, and the count.
pub fn bar_lines(rows: Vec<(String, u32)>, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    rows.into_iter()
        .map(|(label, n)| {
            Line::from(vec![
                Span::raw(label),
                Span::styled(
                    "█".repeat((n as usize * room).div_ceil(max as usize)),
                    theme.bar,
                ),
                Span::raw(format!(" {n}")),
            ])
        })
        .collect()
}
