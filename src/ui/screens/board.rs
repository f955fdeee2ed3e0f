//! The Board tab: columns side by side with their WIP state and cards.

pub mod layout;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::domain::CardSummary;
use crate::domain::board::ColumnLoad;
use crate::store::ColumnPage;
use crate::ui::state::{AppState, BoardState};
use crate::ui::text::{safe_fit, sanitize, width};
use crate::ui::theme::Theme;

/// The tab in the frame's body, as the tab registry draws it.
pub fn draw(frame: &mut Frame, area: Rect, state: &AppState, hint: &str, theme: &Theme) {
    render(frame, area, &state.board, hint, theme);
}

pub fn render(frame: &mut Frame, area: Rect, state: &BoardState, hint: &str, theme: &Theme) {
    if state.pages.is_empty() {
        frame.render_widget(Paragraph::new("Loading the board…").style(theme.dim), area);
        return;
    }
    let empty = state.filter.is_empty() && state.pages.iter().all(|p| p.count == 0);
    let n = state.pages.len();
    let rects = layout::column_rects(area, n, state.first_col);
    let last_shown = rects.last().map_or(0, |(i, _)| *i);
    for (i, rect) in rects {
        let page = &state.pages[i];
        let more_left = i == state.first_col && i > 0;
        let more_right = i == last_shown && i + 1 < n;
        render_column(frame, rect, state, i, page, (more_left, more_right), theme);
    }
    if empty {
        render_welcome(frame, area, hint, theme);
    }
}

/// The header's count: `3/3 full`, `4/3 OVER`; with a filter, `1 of 3/3`.
pub fn count_label(page: &ColumnPage, filtered: bool) -> (String, ColumnLoad) {
    let load = page.column.load(page.count);
    let mut s = if filtered {
        format!("{} of {}", page.matching, page.count)
    } else {
        page.count.to_string()
    };
    if let Some(w) = page.column.wip {
        s.push_str(&format!("/{}", w.limit));
        match load {
            ColumnLoad::AtLimit => s.push_str(" full"),
            ColumnLoad::Over => s.push_str(" OVER"),
            _ => {}
        }
    }
    (s, load)
}

fn render_column(
    frame: &mut Frame,
    rect: Rect,
    state: &BoardState,
    i: usize,
    page: &ColumnPage,
    (more_left, more_right): (bool, bool),
    theme: &Theme,
) {
    let selected_col = i == state.col;
    let (mut count, load) = count_label(page, !state.filter.is_empty());
    // Borders, and a space each side of the name and the count.
    let avail = (rect.width as usize).saturating_sub(7);
    if width(&page.column.name) + width(&count) > avail && count.ends_with(" full") {
        // The colour still says "full"; the name matters more than the word.
        count.truncate(count.len() - " full".len());
    }
    let load_style = match load {
        ColumnLoad::Over => theme.wip_over,
        ColumnLoad::AtLimit => theme.wip_at_limit,
        ColumnLoad::Under => theme.wip_ok,
        ColumnLoad::Unlimited => theme.dim,
    };
    let border = match load {
        ColumnLoad::Over => theme.wip_over,
        _ if selected_col => theme.border_selected,
        _ => theme.border,
    };
    let room = avail.saturating_sub(width(&count));
    let mut name = String::new();
    if more_left {
        name.push_str("◀ ");
    }
    name.push_str(&safe_fit(
        &page.column.name,
        room.saturating_sub(if more_left { 2 } else { 0 }),
    ));
    let title_style = if selected_col {
        theme.title.patch(theme.border_selected)
    } else {
        theme.title
    };
    let mut right = vec![Span::styled(format!(" {count} "), load_style)];
    if more_right {
        right.push(Span::styled("▶", theme.border_selected));
    }
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(border)
        .title(Line::from(Span::styled(format!(" {name} "), title_style)))
        .title(Line::from(right).right_aligned());
    frame.render_widget(block, rect);

    let cards = layout::card_area(rect);
    // (The layout counts the terminal's rows: the body's, the tab and status lines.)
    let vis = layout::cards_visible(rect.height + 2);
    let scroll = state.scroll_of(i);
    let selected_row = selected_col.then(|| state.row(i));
    for slot in 0..vis {
        let row = scroll + slot;
        let Some(card) = row
            .checked_sub(page.offset)
            .and_then(|j| page.cards.get(j as usize))
        else {
            break;
        };
        let y = cards.y + slot as u16 * layout::CARD_HEIGHT;
        if y >= cards.y + cards.height {
            break;
        }
        let area = Rect::new(cards.x, y, cards.width, 2.min(cards.y + cards.height - y));
        render_card(frame, area, card, selected_row == Some(row), theme);
    }
    // Footer: where the window is, or why the column is empty.
    let footer = Rect::new(cards.x, cards.y + cards.height, cards.width, 1);
    let text = if page.matching == 0 {
        if state.filter.is_empty() {
            "empty".to_string()
        } else {
            "no match".to_string()
        }
    } else if page.matching > vis {
        let first = scroll + 1;
        let last = (scroll + vis).min(page.matching);
        format!(
            "{}{}–{} of {}{}",
            if scroll > 0 { "↑ " } else { "" },
            first,
            last,
            page.matching,
            if last < page.matching { " ↓" } else { "" }
        )
    } else {
        String::new()
    };
    frame.render_widget(
        Paragraph::new(text).style(theme.dim).right_aligned(),
        footer,
    );
}

fn render_card(frame: &mut Frame, area: Rect, card: &CardSummary, selected: bool, theme: &Theme) {
    let w = area.width as usize;
    let base = if selected {
        theme.card_selected
    } else {
        Style::default()
    };
    let marker = if selected {
        Span::styled("▌", theme.border_selected.patch(base))
    } else {
        Span::styled(" ", base)
    };
    let id = format!("#{} ", card.id.0);
    let title = safe_fit(&card.title, w.saturating_sub(1 + width(&id)));
    let line1 = Line::from(vec![
        marker.clone(),
        Span::styled(id, theme.dim.patch(base)),
        Span::styled(title, theme.title.patch(base)),
    ]);
    let mut parts: Vec<Span> = vec![marker];
    let mut used = 1;
    let mut push = |parts: &mut Vec<Span<'static>>, text: String, style: Style| {
        let room = w.saturating_sub(used);
        if room == 0 {
            return;
        }
        let t = safe_fit(&text, room);
        used += width(&t);
        parts.push(Span::styled(t, style.patch(base)));
    };
    if card.blocked {
        push(&mut parts, "BLOCKED ".into(), theme.blocked);
    }
    if let Some(a) = &card.assignee {
        push(&mut parts, format!("@{} ", sanitize(a)), theme.key);
    }
    if let Some(p) = card.points {
        push(&mut parts, format!("{p}pt "), theme.base);
    }
    for t in &card.tags {
        push(&mut parts, format!("#{} ", sanitize(t)), theme.tag);
    }
    let line2 = Line::from(parts);
    frame.render_widget(Paragraph::new(vec![line1, line2]).style(base), area);
}

/// A board with no card yet says how to begin, in the user's own keys.
fn render_welcome(frame: &mut Frame, area: Rect, hint: &str, theme: &Theme) {
    let lines = vec![
        Line::from(Span::styled("No cards yet", theme.title)),
        Line::default(),
        Line::from(Span::styled(hint.to_string(), theme.key)),
        Line::default(),
        Line::from(Span::styled(
            "Each column's header counts its cards against its WIP limit.",
            theme.dim,
        )),
        Line::from(Span::styled(
            "teamloop --demo opens a board full of sample data to try it on.",
            theme.dim,
        )),
    ];
    let w = lines
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap_or(0)
        .min(usize::from(area.width.saturating_sub(4))) as u16
        + 4;
    let rect = crate::ui::widgets::popup::centered(area, w, lines.len() as u16 + 2);
    let inner = crate::ui::widgets::popup::frame(frame, rect, " Welcome ".into(), theme.border);
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        inner,
    );
}
