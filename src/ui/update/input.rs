//! Text dialogs and confirmations.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{board, mortem, pulse, retro, sprint, standup};
use crate::ui::action::Command;
use crate::ui::effects::Effect;
use crate::ui::effects::{MortemEffect, PulseEffect, RetroEffect, SprintEffect};
use crate::ui::overlay::{ConfirmDialog, ConfirmPurpose, InputPurpose, Overlay};
use crate::ui::state::AppState;

pub(super) fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::Input(d)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let multiline_focus = d.fields.get(d.focus).is_some_and(|f| f.multiline);
    match key.code {
        KeyCode::Esc => cancel(state),
        KeyCode::Char('c') if ctrl => cancel(state),
        KeyCode::Char('s') if ctrl => submit(state),
        KeyCode::Enter if !multiline_focus => submit(state),
        KeyCode::Tab | KeyCode::BackTab if d.fields.len() > 1 => {
            let n = d.fields.len();
            d.focus = if key.code == KeyCode::Tab {
                (d.focus + 1) % n
            } else {
                (d.focus + n - 1) % n
            };
            d.refocus();
            Vec::new()
        }
        _ => {
            let focus = d.focus;
            // What follows the text (a filter, the blame lint) runs when
            // it changed, not for a cursor move.
            if d.fields.get_mut(focus).is_some_and(|f| f.area.input(key)) {
                edited(state)
            } else {
                d.error = None;
                Vec::new()
            }
        }
    }
}

/// Pasted text, into the focused field in one go (and checked once): a
/// single-line field takes its line breaks as spaces, so a paste never
/// presses Enter.
pub(super) fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    let Some(Overlay::Input(d)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let focus = d.focus;
    if let Some(f) = d.fields.get_mut(focus) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if f.multiline {
            f.area.insert_str(&text);
        } else {
            f.area.insert_str(text.replace('\n', " "));
        }
    }
    edited(state)
}

/// After the text of a field changed: what follows it as it is typed.
fn edited(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::Input(d)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    d.error = None;
    match &d.purpose {
        InputPurpose::Filter => {
            let text = d.text();
            board::set_filter(state, text)
        }
        InputPurpose::MortemSearch => {
            let text = d.text();
            mortem::set_search(state, text)
        }
        InputPurpose::MortemSection { .. } => {
            mortem::relint(state);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn cancel(state: &mut AppState) -> Vec<Effect> {
    let Some(Overlay::Input(d)) = state.overlays.last() else {
        return Vec::new();
    };
    if d.purpose == InputPurpose::Filter {
        state.overlays.pop();
        return board::set_filter(state, String::new());
    }
    if d.purpose == InputPurpose::MortemSearch {
        state.overlays.pop();
        return mortem::set_search(state, String::new());
    }
    // Typed text is never thrown away without asking.
    if d.changed() && (d.is_multi() || d.text().trim() != "") {
        state.overlays.push(Overlay::Confirm(ConfirmDialog {
            purpose: ConfirmPurpose::DiscardInput,
            message: "Discard what you typed?".into(),
        }));
    } else {
        state.overlays.pop();
    }
    Vec::new()
}

fn submit(state: &mut AppState) -> Vec<Effect> {
    // Each tab's module reads its own dialogs.
    let tabs: [Submit; 6] = [
        board::submit,
        sprint::submit,
        standup::submit,
        retro::submit,
        mortem::submit,
        pulse::submit,
    ];
    match tabs.into_iter().find_map(|submit| submit(state)) {
        Some(Ok(effects)) => effects,
        Some(Err(message)) => {
            // The dialog stays, with what was typed, and says why.
            if let Some(Overlay::Input(d)) = state.overlays.last_mut() {
                d.error = Some(message);
            }
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// A tab's reading of its dialogs: the effects of saving the one on top,
/// what is wrong with it, or `None` if it is not the tab's.
type Submit = fn(&mut AppState) -> Option<Result<Vec<Effect>, String>>;

pub(super) fn confirm(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(Overlay::Confirm(c)) = state.overlays.last() else {
        return Vec::new();
    };
    let purpose = c.purpose.clone();
    match cmd {
        Command::Confirm => match purpose {
            ConfirmPurpose::ArchiveCard(card) => vec![Effect::ArchiveCard(card)],
            ConfirmPurpose::DeleteColumn(column) => vec![Effect::DeleteColumn(column)],
            ConfirmPurpose::DiscardInput => {
                state.overlays.pop();
                state.overlays.pop();
                Vec::new()
            }
            ConfirmPurpose::StartSprint(sprint) => {
                vec![Effect::Sprint(SprintEffect::Start(sprint))]
            }
            ConfirmPurpose::ClosePulse(id) => vec![Effect::Pulse(PulseEffect::Close(id))],
            // The choices stay until the close is saved (the next load
            // keeps only those of a sprint still open).
            ConfirmPurpose::CloseSprint { sprint, carry } => {
                vec![Effect::Sprint(SprintEffect::Close { sprint, carry })]
            }
            ConfirmPurpose::EndStandup => {
                state.overlays.pop();
                standup::end(state)
            }
            ConfirmPurpose::DeleteTimeline { mortem, entry } => {
                vec![Effect::Mortem(MortemEffect::DeleteTimeline {
                    id: mortem,
                    entry,
                })]
            }
            ConfirmPurpose::AdvancePremortem { mortem, from } => {
                vec![Effect::Mortem(MortemEffect::Advance { id: mortem, from })]
            }
            ConfirmPurpose::RevealRetro { retro, then } => vec![Effect::Retro(match then {
                Some(phase) => RetroEffect::Phase { id: retro, phase },
                None => RetroEffect::Reveal(retro),
            })],
            ConfirmPurpose::TakeOver { ritual, id, from } => {
                vec![Effect::TakeOver { ritual, id, from }]
            }
            ConfirmPurpose::ClosePollEarly { retro, poll } => {
                vec![Effect::Retro(RetroEffect::ClosePoll { id: retro, poll })]
            }
        },
        Command::Deny => {
            state.overlays.pop();
            Vec::new()
        }
        _ => Vec::new(),
    }
}
