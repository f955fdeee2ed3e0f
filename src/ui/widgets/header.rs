//! The header's second line, on every tab: the rituals running on other
//! tabs (each with the key that shows it) on the left, who else has the
//! board open and on which tab on the right. Shown only when there is one
//! or the other; it never says what anyone does there.

use ratatui::text::{Line, Span};

use crate::domain::handover::Ritual;
use crate::ui::action::Command;
use crate::ui::keymap;
use crate::ui::state::AppState;
use crate::ui::state::presence::tab_of;
use crate::ui::text::{safe_fit, width};
use crate::ui::theme::Theme;

/// Each ritual running on a tab not showing: "Retro 'Sprint 9' is at
/// Vote: 5 to join", its title cut to `title` cells.
pub fn rituals(state: &AppState, title: usize) -> Vec<String> {
    state
        .presence
        .shown
        .running
        .iter()
        .filter(|r| match r.ritual {
            // Its panel, not a tab: said unless the panel shows.
            Ritual::Poker => !state.poker_showing(),
            other => tab_of(other) != state.tab,
        })
        .map(|r| {
            let title = safe_fit(&r.title, title);
            let tab = tab_of(r.ritual);
            let verb = match r.ritual {
                Ritual::Pulse => "answer",
                Ritual::Standup => "follow",
                Ritual::Retro | Ritual::Premortem | Ritual::Poker => "join",
            };
            let cmd = match r.ritual {
                Ritual::Poker => Command::OpenPoker,
                _ => Command::GoToTab(tab.number()),
            };
            match keymap::live_key(state, cmd) {
                Some(key) => format!("{}: {key} to {verb}", r.sentence(&title)),
                None => r.sentence(&title),
            }
        })
        .collect()
}

/// The rituals in at most `room` cells: all of them, or the first and how
/// many more, their titles shortened before anything else is.
fn rituals_in(state: &AppState, room: usize) -> String {
    let mut last = String::new();
    for title in [24, 12, 6] {
        let all = rituals(state, title);
        let Some(first) = all.first() else {
            return String::new();
        };
        let joined = all.join(" · ");
        if width(&joined) <= room {
            return joined;
        }
        last = format!("{first} · +{} running", all.len() - 1);
        if all.len() == 1 {
            last = first.clone();
        }
        if width(&last) <= room {
            return last;
        }
    }
    safe_fit(&last, room)
}

/// Who else is here, in at most `room` cells: "here: ben (Retro), chloe
/// (Board, Sprint) +2"; without the tabs when even one does not fit; the
/// names that do not fit are counted.
pub fn people(state: &AppState, room: usize) -> String {
    let others: Vec<_> = state.presence.others(&state.actor).collect();
    let n = others.len();
    if n == 0 {
        return String::new();
    }
    let with_tabs: Vec<String> = others
        .iter()
        .map(|p| format!("{} ({})", safe_fit(&p.person, 16), p.tabs.join(", ")))
        .collect();
    let names: Vec<String> = others.iter().map(|p| safe_fit(&p.person, 12)).collect();
    for parts in [&with_tabs, &names] {
        for k in (1..=n).rev() {
            let more = if k < n {
                format!(" +{}", n - k)
            } else {
                String::new()
            };
            let text = format!("here: {}{more}", parts[..k].join(", "));
            if width(&text) <= room {
                return text;
            }
        }
    }
    let count = format!("+{n} here");
    if width(&count) <= room {
        count
    } else {
        String::new()
    }
}

/// The presence line, or none.
pub fn line(state: &AppState, theme: &Theme, cells: usize) -> Option<Line<'static>> {
    if state.header_rows() < 2 {
        return None;
    }
    // The rituals first, leaving room for a name or two when someone is
    // here; the people get what is left.
    let everyone = width(&people(state, usize::MAX));
    let keep = everyone.min(18.min(cells / 3));
    let room = cells.saturating_sub(keep + 3);
    let rituals = rituals_in(state, room);
    let left = if rituals.is_empty() {
        String::new()
    } else {
        format!(" {rituals}")
    };
    let right = people(state, cells.saturating_sub(width(&left) + 3));
    let gap = cells.saturating_sub(width(&left) + width(&right) + 1);
    Some(Line::from(vec![
        Span::styled(left, theme.banner),
        Span::raw(" ".repeat(gap)),
        Span::styled(format!("{right} "), theme.dim),
    ]))
}
