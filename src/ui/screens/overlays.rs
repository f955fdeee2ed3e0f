//! Drawing the dialogs stacked above a screen.

use chrono::Local;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::domain::standup::{ItemKind, clock_text};
use crate::store::ColumnPage;
use crate::ui::overlay::{
    CardDialog, ColumnsDialog, ConfirmDialog, HelpDialog, HistoryDialog, InputDialog, NoticeDialog,
    Overlay, PickDialog,
};
use crate::ui::strings;
use crate::ui::text::{safe_fit, sanitize, width};
use crate::ui::theme::Theme;
use crate::ui::widgets::popup;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    overlay: &Overlay,
    pages: &[ColumnPage],
    keys: &crate::ui::keymap::Keymap,
    theme: &Theme,
) {
    match overlay {
        Overlay::Input(d) => input(frame, area, d, theme),
        Overlay::Confirm(c) => confirm(frame, area, c, theme),
        Overlay::Card(c) => card(frame, area, c, keys, theme),
        Overlay::Columns(c) => columns(frame, area, c, pages, keys, theme),
        Overlay::Help(h) => help(frame, area, h, theme),
        Overlay::StandupHistory(h) => standup_history(frame, area, h, theme),
        Overlay::Pick(p) => pick(frame, area, p, theme),
        Overlay::PulseAnswer(d) => super::pulse::render_answer(frame, area, d, theme),
        Overlay::Notice(n) => notice(frame, area, n, theme),
        Overlay::Palette(p) => palette(frame, area, p, theme),
        Overlay::Poker(d) => super::poker::render(frame, area, d, keys, theme),
    }
}

fn title(text: &str) -> Line<'static> {
    Line::from(format!(" {} ", sanitize(text)))
}

fn input(frame: &mut Frame, area: Rect, d: &InputDialog, theme: &Theme) {
    let multi = d.is_multi();
    let height = if multi {
        area.height.saturating_sub(4).min(24)
    } else {
        8
    };
    let wide = if d.notes.is_empty() && !d.fields.iter().any(|f| f.multiline) {
        72
    } else {
        area.width.saturating_sub(8).clamp(72, 110)
    };
    let rect = popup::centered(area, wide, height);
    let inner = popup::frame(frame, rect, title(&d.title), theme.border_selected);
    // Notes under the fields (the lint's warnings), at most a third of it.
    let note_rows = (d.notes.len() as u16).min(inner.height / 3);
    // Fields share the space; a multi-line field takes what single-line ones leave.
    let footer = 2u16 + note_rows;
    let fixed: u16 = d.fields.iter().filter(|f| !f.multiline).count() as u16 * 3;
    let multis = d.fields.iter().filter(|f| f.multiline).count() as u16;
    let flexible = inner.height.saturating_sub(fixed + footer) / multis.max(1);
    let mut y = inner.y;
    for (i, f) in d.fields.iter().enumerate() {
        let h = if f.multiline { flexible.max(3) } else { 3 };
        let h = h.min((inner.y + inner.height).saturating_sub(y + footer));
        if h == 0 {
            break;
        }
        let focused = i == d.focus;
        let block = Block::bordered()
            .border_type(BorderType::Plain)
            .border_style(if focused {
                theme.border_selected
            } else {
                theme.border
            })
            .title(format!(" {} ", f.label));
        let r = Rect::new(inner.x, y, inner.width, h);
        let field_inner = block.inner(r);
        frame.render_widget(block, r);
        if f.area.search_pattern().is_some() {
            // Phrases the lint warns about, marked in the theme's style.
            let mut area = f.area.clone();
            area.set_search_style(theme.blame);
            frame.render_widget(&area, field_inner);
        } else {
            frame.render_widget(&f.area, field_inner);
        }
        y += h;
    }
    let notes_y = inner.y + inner.height.saturating_sub(2 + note_rows);
    for (i, n) in d.notes.iter().take(note_rows as usize).enumerate() {
        let more = d.notes.len() > note_rows as usize && i + 1 == note_rows as usize;
        let text = if more {
            format!("… and {} more warnings", d.notes.len() - i)
        } else {
            n.clone()
        };
        frame.render_widget(
            Paragraph::new(safe_fit(&text, inner.width as usize)).style(theme.status_warn),
            Rect::new(inner.x, notes_y + i as u16, inner.width, 1),
        );
    }
    let err_y = inner.y + inner.height.saturating_sub(2);
    if let Some(e) = &d.error {
        frame.render_widget(
            Paragraph::new(safe_fit(e, inner.width as usize)).style(theme.status_error),
            Rect::new(inner.x, err_y, inner.width, 1),
        );
    } else if let Some(h) = &d.hint {
        frame.render_widget(
            Paragraph::new(safe_fit(h, inner.width as usize)).style(theme.dim),
            Rect::new(inner.x, err_y, inner.width, 1),
        );
    }
    let keys = if multi {
        strings::INPUT_HINT_MULTI
    } else {
        strings::INPUT_HINT_SINGLE
    };
    frame.render_widget(
        Paragraph::new(keys).style(theme.key).right_aligned(),
        Rect::new(inner.x, err_y + 1, inner.width, 1),
    );
}

fn confirm(frame: &mut Frame, area: Rect, c: &ConfirmDialog, theme: &Theme) {
    let rect = popup::centered(area, 60, 6);
    let inner = popup::frame(frame, rect, title("Confirm"), theme.wip_at_limit);
    let lines = vec![
        Line::from(sanitize(&c.message).into_owned()),
        Line::default(),
        Line::from(Span::styled(strings::CONFIRM_HINT, theme.key)),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn field(label: &str, value: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<10}"), theme.dim),
        Span::raw(value),
    ])
}

fn card(
    frame: &mut Frame,
    area: Rect,
    c: &CardDialog,
    keys: &crate::ui::keymap::Keymap,
    theme: &Theme,
) {
    let d = &c.detail;
    let card = &d.card;
    let rect = popup::centered(area, 90, area.height.saturating_sub(2));
    let inner = popup::frame(
        frame,
        rect,
        title(&format!("{} {}", card.id, card.title)),
        theme.border_selected,
    );
    let fmt = |t: chrono::DateTime<chrono::Utc>| {
        let local = t.with_timezone(&Local);
        format!(
            "{} {}",
            theme.day(local.date_naive()),
            local.format("%H:%M")
        )
    };
    let mut lines = vec![
        field("Column", sanitize(&d.column).into_owned(), theme),
        field(
            "Assignee",
            card.assignee
                .as_deref()
                .map_or("nobody".to_string(), |a| sanitize(a).into_owned()),
            theme,
        ),
        field(
            "Points",
            card.points.map_or("–".to_string(), |p| p.to_string()),
            theme,
        ),
        field(
            "Tags",
            if card.tags.is_empty() {
                "–".to_string()
            } else {
                card.tags
                    .iter()
                    .map(|t| format!("#{}", sanitize(t)))
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            theme,
        ),
        field("Created", fmt(card.created_at), theme),
        field("Updated", fmt(card.updated_at), theme),
    ];
    if let Some(reason) = &card.blocked {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10}", "BLOCKED"), theme.blocked),
            Span::styled(sanitize(reason).into_owned(), theme.blocked),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Description", theme.title)));
    if card.description.trim().is_empty() {
        let edit = crate::ui::keymap::label_in(
            keys,
            crate::ui::keymap::CARD_DETAIL,
            crate::ui::action::Command::EditCard,
        );
        lines.push(Line::from(Span::styled(
            format!("(none: press {} to write one)", edit.unwrap_or_default()),
            theme.dim,
        )));
    } else {
        for l in card.description.lines() {
            lines.push(Line::from(sanitize(l).into_owned()));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("History", theme.title)));
    for e in &d.history {
        lines.push(Line::from(vec![
            Span::styled(format!("{}  ", fmt(e.at)), theme.dim),
            Span::styled(format!("{:<10} ", safe_fit(&e.actor, 10)), theme.key),
            Span::raw(sanitize(&e.describe()).into_owned()),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "j/k scroll · e edit · Esc close",
        theme.key,
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((c.scroll, 0)),
        inner,
    );
}

fn columns(
    frame: &mut Frame,
    area: Rect,
    c: &ColumnsDialog,
    pages: &[ColumnPage],
    keys: &crate::ui::keymap::Keymap,
    theme: &Theme,
) {
    use crate::ui::keymap::{COLUMN_HINTS, COLUMNS, hints_in};
    let rect = popup::centered(area, 74, pages.len() as u16 + 6);
    let inner = popup::frame(frame, rect, title("Column settings"), theme.border_selected);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "  {:<24} {:<8} {:<12} {:>5}",
            "Column", "Kind", "WIP limit", "Cards"
        ),
        theme.dim,
    ))];
    for (i, p) in pages.iter().enumerate() {
        let wip = p.column.wip.map_or("none".to_string(), |w| {
            format!("{} {}", w.limit, w.policy.as_str())
        });
        let text = format!(
            "{} {:<24} {:<8} {:<12} {:>5}",
            if i == c.selected { "▶" } else { " " },
            safe_fit(&p.column.name, 24),
            p.column.kind.as_str(),
            wip,
            p.count
        );
        let style = if i == c.selected {
            theme.card_selected
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::default());
    // The dialog's own keys, as the user set them, on as many lines as fit.
    let hint = hints_in(keys, &[("", COLUMNS)], COLUMN_HINTS);
    let mut line = String::new();
    for part in hint.split(" · ") {
        if !line.is_empty() && width(&line) + 3 + width(part) > usize::from(inner.width) {
            lines.push(Line::from(Span::styled(
                std::mem::take(&mut line),
                theme.key,
            )));
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(part);
    }
    lines.push(Line::from(Span::styled(line, theme.key)));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn help(frame: &mut Frame, area: Rect, h: &HelpDialog, theme: &Theme) {
    let rows: usize = h.sections.iter().map(|(_, t)| t.len() + 2).sum();
    let rect = popup::centered(area, 84, rows as u16 + 3);
    let inner = popup::frame(frame, rect, title("Keys"), theme.border_selected);
    let mut lines = Vec::new();
    for (heading, table) in &h.sections {
        lines.push(Line::from(Span::styled(*heading, theme.title)));
        for (keys, help) in table {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), theme.key),
                Span::raw(*help),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "j/k scroll · Esc close",
        theme.dim,
    )));
    frame.render_widget(Paragraph::new(lines).scroll((h.scroll, 0)), inner);
}

fn standup_history(frame: &mut Frame, area: Rect, h: &HistoryDialog, theme: &Theme) {
    let rect = popup::centered(area, 100, area.height.saturating_sub(2));
    let inner = popup::frame(frame, rect, title("Past standups"), theme.border_selected);
    let mut lines = Vec::new();
    for (i, s) in h.standups.iter().enumerate() {
        let duration = clock_text(chrono::Duration::seconds(i64::from(s.elapsed_seconds())));
        let state = if s.ended_at.is_some() {
            ""
        } else {
            " (not ended)"
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {}", s.date.format("%a"), theme.day(s.date)),
                theme.title,
            ),
            Span::raw(format!(
                "  {duration} long{state} · {} · facilitated by {}",
                s.format.label(),
                safe_fit(&s.facilitator, 20)
            )),
        ]));
        let who = if s.attendees.is_empty() {
            "–".to_string()
        } else {
            s.attendees
                .iter()
                .map(|a| sanitize(a).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        lines.push(field("Attending", who, theme));
        for t in h.handovers.get(i).into_iter().flatten() {
            lines.push(field(
                "Took over",
                format!(
                    "{} at {}",
                    sanitize(&t.sentence()),
                    t.at.format("%H:%M UTC")
                ),
                theme,
            ));
        }
        for n in &s.notes {
            let mut parts = Vec::new();
            for (label, text) in [
                ("yesterday", &n.yesterday),
                ("today", &n.today),
                ("blockers", &n.blockers),
            ] {
                if !text.is_empty() {
                    parts.push(format!("{label}: {}", sanitize(text)));
                }
            }
            lines.push(field(
                "Notes",
                format!("{}: {}", sanitize(&n.name), parts.join(" · ")),
                theme,
            ));
        }
        for i in &s.items {
            let label = match i.kind {
                ItemKind::Impediment => "Impeded",
                ItemKind::Parking => "Parked",
            };
            let card = i.card.map_or(String::new(), |c| format!("{c} "));
            lines.push(field(label, format!("{card}{}", sanitize(&i.text)), theme));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "j/k scroll · Esc close",
        theme.key,
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((h.scroll, 0)),
        inner,
    );
}

fn palette(frame: &mut Frame, area: Rect, p: &crate::ui::palette::PaletteDialog, theme: &Theme) {
    let rows = area.height.saturating_sub(6).clamp(3, 18);
    let rect = popup::centered(area, 90, rows + 5);
    let inner = popup::frame(frame, rect, title("Run an action"), theme.border_selected);
    let w = inner.width as usize;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(": ", theme.key),
            Span::raw(safe_fit(&p.query.text(), w.saturating_sub(3))),
            Span::styled("█", theme.key),
        ])),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let shown = rows as usize;
    let first = p.selected.saturating_sub(shown.saturating_sub(1));
    let mut lines = Vec::new();
    for (n, i) in p.matches.iter().enumerate().skip(first).take(shown) {
        let e = &p.entries[*i];
        let keys = if e.keys.is_empty() {
            String::new()
        } else {
            format!("  {} ", e.keys)
        };
        let room = w.saturating_sub(crate::ui::text::width(&keys) + 1);
        let label = crate::ui::text::pad(&safe_fit(&e.label, room), room);
        let style = if n == p.selected {
            theme.card_selected
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {label}"), style),
            Span::styled(keys, style.patch(theme.key)),
        ]));
    }
    if p.matches.is_empty() {
        lines.push(Line::from(Span::styled(" No action matches.", theme.dim)));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(inner.x, inner.y + 2, inner.width, rows),
    );
    frame.render_widget(
        Paragraph::new(format!(
            "{} of {} · ↑↓ choose · Enter run · Esc close",
            p.matches.len(),
            p.entries.len()
        ))
        .style(theme.dim)
        .right_aligned(),
        Rect::new(
            inner.x,
            inner.y + inner.height.saturating_sub(1),
            inner.width,
            1,
        ),
    );
}

fn notice(frame: &mut Frame, area: Rect, n: &NoticeDialog, theme: &Theme) {
    // Two rows a line (they wrap), a blank between, and the keys.
    let want = (n.lines.len() as u16 * 3 + 3).min(area.height.saturating_sub(4));
    let rect = popup::centered(area, 100, want);
    let inner = popup::frame(frame, rect, title(&n.title), theme.wip_at_limit);
    let mut lines: Vec<Line> = Vec::new();
    for l in &n.lines {
        lines.push(Line::from(sanitize(l).into_owned()));
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "They never block. j/k scroll · Esc close",
        theme.key,
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((n.scroll, 0)),
        inner,
    );
}

fn pick(frame: &mut Frame, area: Rect, p: &PickDialog, theme: &Theme) {
    let rows = p.options.len() as u16 * 2 + 4 + u16::from(p.note.is_some()) * 2;
    let rect = popup::centered(area, 86, rows);
    let inner = popup::frame(frame, rect, title(&p.title), theme.border_selected);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    for (i, (label, about)) in p.options.iter().enumerate() {
        let style = if i == p.selected {
            theme.card_selected
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!("{} {}", i + 1, safe_fit(label, w.saturating_sub(3))),
            style.patch(theme.title),
        )));
        lines.push(Line::from(Span::styled(
            format!("  {}", safe_fit(about, w.saturating_sub(3))),
            theme.dim,
        )));
    }
    if let Some(n) = &p.note {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            sanitize(n).into_owned(),
            theme.dim,
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "a number or j/k and Enter chooses · Esc cancels",
        theme.key,
    )));
    // The selected option stays in sight on a short terminal.
    let top = (p.selected as u16 * 2 + 2).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((top, 0)),
        inner,
    );
}
