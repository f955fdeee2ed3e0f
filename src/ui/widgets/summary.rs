//! A summary above a screen's body: said whole, wrapped on as many rows as
//! it needs (at most a third of the area), never cut at the terminal's edge.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Draws `lines` wrapped at the top of `area` and returns what is left below.
pub fn render_above(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) -> Rect {
    let para = Paragraph::new(lines).wrap(Wrap { trim: true });
    let needed = para.line_count(area.width) as u16;
    let most = (area.height / 3).max(1);
    let [top, rest] =
        Layout::vertical([Constraint::Length(needed.min(most)), Constraint::Min(0)]).areas(area);
    frame.render_widget(para, top);
    rest
}
