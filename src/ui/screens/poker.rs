//! The planning poker panel: the card being estimated, the deck to pick
//! from, who has picked (never a value before the reveal, except this
//! person's own), then the spread with the highest and lowest picks and
//! their names; the queue below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::poker::CardState;
use crate::ui::keymap::{Keymap, POKER, POKER_HINTS, hints_in};
use crate::ui::overlay::PokerDialog;
use crate::ui::text::{safe_fit, sanitize};
use crate::ui::theme::Theme;
use crate::ui::widgets::popup;

/// What the panel says, line by line (also for the plain, linear screen).
pub fn lines(d: &PokerDialog, keys: &Keymap, theme: &Theme, room: usize) -> Vec<Line<'static>> {
    let r = &d.data.round;
    let mut out: Vec<Line<'static>> = Vec::new();
    let Some(c) = r.current() else {
        out.push(Line::styled(
            format!(
                "This round is over: {} of {} cards estimated.",
                r.done(),
                r.cards.len()
            ),
            theme.title,
        ));
        queue(d, theme, room, &mut out);
        return out;
    };
    out.push(Line::styled(
        safe_fit(&format!("{} {}", c.card, c.title), room),
        theme.title,
    ));
    for l in c.description.trim().lines().take(4) {
        out.push(Line::styled(safe_fit(l, room), theme.dim));
    }
    out.push(Line::raw(""));
    // The deck, the chosen value marked, this person's own pick starred.
    let mut deck: Vec<Span<'static>> = vec![Span::styled("Deck: ", theme.dim)];
    for (i, v) in r.deck.values.iter().enumerate() {
        let mine = d.data.mine.as_deref() == Some(v.label.as_str());
        let text = format!(
            "{}{}{}",
            if i == d.cursor { "[" } else { " " },
            v.label,
            if i == d.cursor {
                "]"
            } else if mine {
                "*"
            } else {
                " "
            }
        );
        let style = if i == d.cursor {
            theme.card_selected
        } else if mine {
            theme.key
        } else {
            theme.base
        };
        deck.push(Span::styled(text, style));
    }
    out.push(Line::from(deck));
    out.push(Line::raw(match &d.data.mine {
        Some(m) => format!(
            "Your pick: {m}{}",
            if c.revealed { "" } else { " (only you see it)" }
        ),
        None => "Your pick: none yet".to_string(),
    }));
    if let Some(left) = r.seconds_left(d.now).filter(|_| !c.revealed) {
        out.push(Line::styled(
            format!("Timebox: {}:{:02} left", left / 60, left % 60),
            if left <= 10 {
                theme.timer_near
            } else {
                theme.timer_ok
            },
        ));
    }
    out.push(Line::raw(""));
    match r.tally() {
        None => {
            let (picked, waiting) = r.picked_and_waiting();
            out.push(Line::raw(safe_fit(
                &format!(
                    "Picked ({}): {}",
                    picked.len(),
                    if picked.is_empty() {
                        "no one yet".to_string()
                    } else {
                        picked.join(", ")
                    }
                ),
                room,
            )));
            if !waiting.is_empty() {
                out.push(Line::styled(
                    safe_fit(&format!("Not yet: {}", waiting.join(", ")), room),
                    theme.dim,
                ));
            }
            out.push(Line::styled(
                "The picks stay hidden until everyone here has picked or the facilitator reveals them.",
                theme.dim,
            ));
        }
        Some(t) => {
            let widest = t
                .values
                .iter()
                .map(|(v, _)| v.chars().count())
                .max()
                .unwrap_or(1);
            for (v, people) in &t.values {
                out.push(Line::from(vec![
                    Span::styled(format!("{v:>widest$} "), theme.title),
                    Span::styled("█".repeat(people.len()), theme.bar),
                    Span::raw(safe_fit(
                        &format!(" {} {}", people.len(), people.join(", ")),
                        room,
                    )),
                ]));
            }
            if t.agreed {
                out.push(Line::styled("Everyone who estimated agrees.", theme.wip_ok));
            } else if let (Some((hv, hp)), Some((lv, lp))) = (&t.highest, &t.lowest) {
                out.push(Line::styled(
                    safe_fit(
                        &format!(
                            "Highest {hv}: {} · lowest {lv}: {} — hear them, then re-vote or accept",
                            hp.join(", "),
                            lp.join(", ")
                        ),
                        room,
                    ),
                    theme.status_warn,
                ));
            }
        }
    }
    out.push(Line::raw(""));
    queue(d, theme, room, &mut out);
    out.push(Line::raw(""));
    out.push(Line::styled(
        safe_fit(&hints_in(keys, &[("", POKER)], POKER_HINTS), room),
        theme.dim,
    ));
    out
}

fn queue(d: &PokerDialog, theme: &Theme, room: usize, out: &mut Vec<Line<'static>>) {
    let r = &d.data.round;
    if r.cards.len() < 2 && r.is_open() {
        return;
    }
    for c in &r.cards {
        let (mark, style) = match (c.state, &c.accepted) {
            (CardState::Accepted, Some(v)) => (format!("{v:>4}"), theme.dim),
            (CardState::Voting, _) => ("  ▶ ".to_string(), theme.base.add_modifier(Modifier::BOLD)),
            _ => ("  · ".to_string(), theme.base),
        };
        out.push(Line::styled(
            safe_fit(&format!("{mark} {} {}", c.card, c.title), room),
            style,
        ));
    }
}

pub fn render(frame: &mut Frame, area: Rect, d: &PokerDialog, keys: &Keymap, theme: &Theme) {
    let r = &d.data.round;
    let rect = popup::centered(area, 96, area.height.saturating_sub(2));
    let at = r
        .cards
        .iter()
        .position(|c| c.state == CardState::Voting)
        .map_or(String::new(), |i| {
            format!(" · card {} of {}", i + 1, r.cards.len())
        });
    let who = if r.facilitator == d.actor {
        "you facilitate".to_string()
    } else {
        format!("{} facilitates", sanitize(&r.facilitator))
    };
    let title = format!(" Planning poker · {} · {who}{at} ", r.deck.name);
    let inner = popup::frame(
        frame,
        rect,
        Line::styled(
            safe_fit(&title, usize::from(rect.width).saturating_sub(2)),
            Style::default(),
        ),
        theme.border_selected,
    );
    let room = usize::from(inner.width);
    frame.render_widget(
        Paragraph::new(lines(d, keys, theme, room)).wrap(Wrap { trim: false }),
        inner,
    );
}
