//! Where things are on the board screen. Shared by drawing and by mouse
//! clicks, so a click always lands on what was drawn there.

use ratatui::layout::Rect;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// A column is at least this wide; fewer columns show when the terminal is narrow.
pub const COLUMN_MIN_WIDTH: u16 = 22;
/// Rows per card: title, details, a gap.
pub const CARD_HEIGHT: u16 = 3;

pub fn too_small(width: u16, height: u16) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// The frame split into tab bar, the presence line under it (none when
/// `header` is 1), body and status line.
pub struct Frame {
    pub tabs: Rect,
    pub presence: Rect,
    pub body: Rect,
    pub status: Rect,
}

pub fn frame(area: Rect, header: u16) -> Frame {
    let h = area.height;
    let header = header.clamp(1, 2).min(h.saturating_sub(2)).max(1);
    Frame {
        tabs: Rect::new(area.x, area.y, area.width, 1.min(h)),
        presence: Rect::new(area.x, area.y + 1, area.width, header - 1),
        body: Rect::new(
            area.x,
            area.y + header,
            area.width,
            h.saturating_sub(header + 1),
        ),
        status: Rect::new(area.x, area.y + h.saturating_sub(1), area.width, 1.min(h)),
    }
}

/// How many columns fit side by side.
pub fn columns_visible(width: u16, columns: usize) -> usize {
    ((width / COLUMN_MIN_WIDTH).max(1) as usize).min(columns.max(1))
}

/// How many cards fit in a column of a terminal `height` rows high.
pub fn cards_visible(height: u16) -> u32 {
    // Tab bar, status line, the column's two borders and its footer line.
    let rows = height.saturating_sub(2 + 2 + 1);
    u32::from((rows / CARD_HEIGHT).max(1))
}

/// The rectangles of the visible columns, with the index of the board column each shows.
pub fn column_rects(body: Rect, columns: usize, first: usize) -> Vec<(usize, Rect)> {
    let n = columns_visible(body.width, columns);
    let each = body.width / n as u16;
    (0..n)
        .filter(|i| first + i < columns)
        .map(|i| {
            let x = body.x + each * i as u16;
            let w = if i + 1 == n {
                body.width - each * i as u16
            } else {
                each
            };
            (first + i, Rect::new(x, body.y, w, body.height))
        })
        .collect()
}

/// Inside a column's border: the rows cards are drawn in (the last inner row is the footer).
pub fn card_area(column: Rect) -> Rect {
    Rect::new(
        column.x + 1,
        column.y + 1,
        column.width.saturating_sub(2),
        column.height.saturating_sub(3),
    )
}

/// The card slot (0-based from the first visible card) under a point, if any.
pub fn slot_at(column: Rect, x: u16, y: u16) -> Option<u32> {
    let area = card_area(column);
    if x < area.x || x >= area.x + area.width || y < area.y || y >= area.y + area.height {
        return None;
    }
    Some(u32::from((y - area.y) / CARD_HEIGHT))
}
