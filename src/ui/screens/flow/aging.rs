//! Aging work in progress: each card in an active column, grouped by column,
//! as a bar of its age with the 85th percentile cycle time marked, so work
//! about to become old stands out before it does (DOMAIN.md §5.7).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::panel;
use crate::domain::ColumnKind;
use crate::domain::flow::FlowReport;
use crate::ui::strings::cards;
use crate::ui::text::{days, pad, safe_fit};
use crate::ui::theme::Theme;

/// Cells for `#id title` on each line.
const TITLE_WIDTH: usize = 28;

pub fn render(frame: &mut Frame, area: Rect, r: &FlowReport, scroll: usize, theme: &Theme) {
    let p50 = r.cycle_time.map(|s| s.p50);
    let p85 = r.cycle_time.map(|s| s.p85);
    let title = match p85 {
        Some(p) => format!(
            "Aging WIP · {} in progress · │ marks p85 {}",
            r.aging.len(),
            days(p)
        ),
        None => format!("Aging WIP · {} in progress", r.aging.len()),
    };
    let block = panel(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 20 {
        return;
    }
    let w = inner.width as usize;
    let title_w = TITLE_WIDTH.min(w * 2 / 5);
    // After the bar: " " + the age (6 cells) + " >p85" + " blocked".
    let bar_w = w.saturating_sub(title_w + 1 + 1 + 6 + 5 + 8).max(4);
    let max_age = r.aging.iter().map(|a| a.age_days).fold(0.0, f64::max);
    let scale = (max_age.max(p85.unwrap_or(0.0)) * 1.1).max(1.0);
    let mark = p85.map(|p| ((p / scale) * bar_w as f64).round() as usize);

    let mut lines: Vec<Line> = Vec::new();
    for col in r.columns.iter().filter(|c| c.kind == ColumnKind::Active) {
        let cards: Vec<_> = r.aging.iter().filter(|a| a.column == col.name).collect();
        lines.push(Line::from(Span::styled(
            format!(
                "{} ({})",
                safe_fit(&col.name, w.saturating_sub(6)),
                cards.len()
            ),
            theme.title,
        )));
        for a in cards {
            let (style, flag) = match (p50, p85) {
                (_, Some(p)) if a.age_days > p => (theme.wip_over, " >p85"),
                (Some(p), _) if a.age_days > p => (theme.wip_at_limit, " >p50"),
                _ => (theme.wip_ok, ""),
            };
            let filled = ((a.age_days / scale) * bar_w as f64).round() as usize;
            let bar: String = (0..bar_w)
                .map(|i| match (mark == Some(i), i < filled) {
                    (true, _) => '│',
                    (false, true) => '█',
                    (false, false) => '·',
                })
                .collect();
            let name = format!("#{} {}", a.card.0, a.title.as_deref().unwrap_or_default());
            let mut spans = vec![
                Span::raw(format!("{} ", pad(&safe_fit(&name, title_w), title_w))),
                Span::styled(bar, style),
                Span::raw(format!(" {:>6}", days(a.age_days))),
                Span::styled(flag, style),
            ];
            if a.blocked {
                spans.push(Span::styled(" blocked", theme.blocked));
            }
            lines.push(Line::from(spans));
        }
    }
    if r.aging.is_empty() {
        lines.push(Line::from(Span::styled("Nothing in progress.", theme.dim)));
    }
    // The blocked summary keeps the last rows; the list scrolls above it.
    let blocked = blocked_lines(r, w, theme);
    let list_rows = inner.height.saturating_sub(blocked.len() as u16);
    let list = Rect::new(inner.x, inner.y, inner.width, list_rows);
    // Never scrolled past the point where the last line reaches the bottom.
    let scroll = scroll.min(lines.len().saturating_sub(list_rows as usize));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), list);
    let rest = Rect::new(
        inner.x,
        inner.y + list_rows,
        inner.width,
        inner.height - list_rows,
    );
    frame.render_widget(Paragraph::new(blocked), rest);
}

fn blocked_lines(r: &FlowReport, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let b = &r.blocked;
    let now = b.cards.iter().filter(|c| c.blocked_now).count();
    let mut lines = vec![Line::from(vec![
        Span::styled("Blocked ", theme.title),
        Span::raw(format!(
            "{} on {}, {} blocked now",
            days(b.total_days),
            cards(b.cards.len() as u64),
            now
        )),
    ])];
    if let Some(top) = b.cards.first() {
        let name = format!(
            "#{} {}",
            top.card.0,
            top.title.as_deref().unwrap_or_default()
        );
        lines.push(Line::from(Span::styled(
            safe_fit(
                &format!(
                    "longest: {name} {} in {} spell{}",
                    days(top.days),
                    top.episodes,
                    if top.episodes == 1 { "" } else { "s" }
                ),
                w,
            ),
            theme.dim,
        )));
    }
    lines
}
