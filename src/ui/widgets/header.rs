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
/// Vote: 5 to join".
pub fn rituals(state: &AppState) -> Vec<String> {
    state
        .presence
        .shown
        .running
        .iter()
        .filter(|r| tab_of(r.ritual) != state.tab)
        .map(|r| {
            let title = safe_fit(&r.title, 24);
            let tab = tab_of(r.ritual);
            let verb = match r.ritual {
                Ritual::Pulse => "answer",
                Ritual::Standup => "follow",
                Ritual::Retro | Ritual::Premortem => "join",
            };
            match keymap::live_key(state, Command::GoToTab(tab.number())) {
                Some(key) => format!("{}: {key} to {verb}", r.sentence(&title)),
                None => r.sentence(&title),
            }
        })
        .collect()
}

/// Who else is here, in at most `room` cells: "ben (Retro), chloe (Board,
/// Sprint) +2"; the names that do not fit are counted.
pub fn people(state: &AppState, room: usize) -> String {
    let parts: Vec<String> = state
        .presence
        .others(&state.actor)
        .map(|p| format!("{} ({})", safe_fit(&p.person, 16), p.tabs.join(", ")))
        .collect();
    let n = parts.len();
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
    let count = if n == 0 {
        String::new()
    } else {
        format!("+{n} here")
    };
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
    let rituals = rituals(state);
    // The rituals first, as many as leave room for a few names.
    let others = state.presence.others(&state.actor).count();
    let keep = if others == 0 { 0 } else { 12 };
    let mut left = format!(" {}", rituals.join(" · "));
    if rituals.len() > 1 && width(&left) + keep > cells {
        left = format!(" {} · +{} running", rituals[0], rituals.len() - 1);
    }
    let left = safe_fit(&left, cells.saturating_sub(keep.min(cells / 3)));
    let room = cells.saturating_sub(width(&left) + 3);
    let right = people(state, room);
    let gap = cells.saturating_sub(width(&left) + width(&right) + 1);
    let mut spans = vec![Span::styled(left, theme.banner)];
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(format!("{right} "), theme.dim));
    Some(Line::from(spans))
}
