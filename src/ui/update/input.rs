//! Text dialogs and confirmations.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{board, mortem, pulse, standup};
use crate::domain::card::{normalize_assignee, parse_points};
use crate::domain::retro::{SafetyKind, validate_card, validate_votes};
use crate::domain::sprint::{NewSprint, parse_date, parse_optional_number, validate_days};
use crate::domain::standup::SpeakerNotes;
use crate::domain::{CardPatch, NewCard, WipLimit};
use crate::store::NewRetro;
use crate::store::{Impediment, SprintPatch};
use crate::ui::action::Command;
use crate::ui::effects::Effect;
use crate::ui::effects::{MortemEffect, PulseEffect, RetroEffect, SprintEffect, StandupEffect};
use crate::ui::overlay::{ConfirmDialog, ConfirmPurpose, InputDialog, InputPurpose, Overlay};
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
            let text = d.value(0);
            board::set_filter(state, text)
        }
        InputPurpose::MortemSearch => {
            let text = d.value(0);
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
    if d.changed() && d.value(0).trim() != "" || d.is_multi() && d.changed() {
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
    // Dialogs that change the screen's own state as well as the data.
    if let Some(Overlay::Input(d)) = state.overlays.last() {
        let outcome = match &d.purpose {
            InputPurpose::Attendee => {
                let name = d.value(0);
                Some(standup::add_attendee(state, &name))
            }
            InputPurpose::Timebox => {
                let (minutes, turn) = (d.value(0), d.value(1));
                Some(
                    standup::timebox(state, &minutes, &turn)
                        .map(|s| vec![Effect::Standup(StandupEffect::SetSettings(s))]),
                )
            }
            InputPurpose::NewPulse => {
                let (title, instrument, closes, min, question) =
                    (d.value(0), d.value(1), d.value(2), d.value(3), d.value(4));
                Some(pulse::new_pulse(
                    state,
                    &title,
                    &instrument,
                    &closes,
                    &min,
                    &question,
                ))
            }
            InputPurpose::RetroSetup { format } => {
                let (title, votes, safety) = (d.value(0), d.value(1), d.value(2));
                Some(retro_setup(state, *format, &title, &votes, &safety))
            }
            _ => mortem::submit(state, d),
        };
        match outcome {
            Some(Ok(effects)) => return effects,
            Some(Err(message)) => {
                if let Some(Overlay::Input(d)) = state.overlays.last_mut() {
                    d.error = Some(message);
                }
                return Vec::new();
            }
            None => {}
        }
    }
    let Some(Overlay::Input(d)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    match effect_for(d) {
        Ok(Some(effect)) => vec![effect],
        Ok(None) => {
            state.overlays.pop();
            Vec::new()
        }
        Err(message) => {
            d.error = Some(message);
            Vec::new()
        }
    }
}

/// What saving the dialog means; `Ok(None)` closes it with nothing to save.
fn effect_for(d: &InputDialog) -> Result<Option<Effect>, String> {
    let text = d.value(0);
    let trimmed = text.trim().to_string();
    Ok(Some(match &d.purpose {
        InputPurpose::NewCard { column } => Effect::AddCard {
            column: *column,
            card: NewCard::titled(&text),
        },
        InputPurpose::EditCard { card } => Effect::UpdateCard {
            card: *card,
            patch: CardPatch {
                title: Some(text),
                description: Some(d.value(1)),
                ..CardPatch::default()
            },
            message: format!("Saved {card}"),
        },
        InputPurpose::Assignee { card } => {
            let who = normalize_assignee(&text);
            Effect::UpdateCard {
                card: *card,
                message: match &who {
                    Some(w) => format!("{card} assigned to {w}"),
                    None => format!("{card} unassigned"),
                },
                patch: CardPatch {
                    assignee: Some(who),
                    ..CardPatch::default()
                },
            }
        }
        InputPurpose::Tags { card } => Effect::UpdateCard {
            card: *card,
            patch: CardPatch {
                tags: Some(board::tags_from(&text)),
                ..CardPatch::default()
            },
            message: format!("Tags of {card} saved"),
        },
        InputPurpose::Points { card } => {
            let points = parse_points(&text).map_err(|e| e.to_string())?;
            Effect::UpdateCard {
                card: *card,
                patch: CardPatch {
                    points: Some(points),
                    ..CardPatch::default()
                },
                message: format!("Points of {card} saved"),
            }
        }
        InputPurpose::BlockReason { card } => {
            if trimmed.is_empty() {
                return Err("Say what blocks the card".into());
            }
            Effect::SetBlocked {
                card: *card,
                reason: Some(trimmed),
            }
        }
        InputPurpose::ForceReason { card, to } => {
            if trimmed.is_empty() {
                return Err("A forced move needs a reason".into());
            }
            Effect::MoveCard {
                card: *card,
                to: *to,
                force: Some(trimmed),
            }
        }
        InputPurpose::BreachReason { event } => {
            if trimmed.is_empty() {
                return Err("Type the reason, or Esc to skip".into());
            }
            Effect::ExplainBreach {
                event: *event,
                reason: trimmed,
            }
        }
        InputPurpose::Filter | InputPurpose::MortemSearch => return Ok(None),
        InputPurpose::AddColumn => Effect::AddColumn { name: trimmed },
        InputPurpose::RenameColumn { column } => Effect::RenameColumn {
            column: *column,
            name: trimmed,
        },
        InputPurpose::ColumnWip { column } => {
            let limit = WipLimit::parse_limit(&text).map_err(|e| e.to_string())?;
            Effect::SetColumnWip {
                column: *column,
                limit,
            }
        }
        InputPurpose::NewSprint => {
            let f = sprint_fields(d)?;
            Effect::Sprint(SprintEffect::Create(NewSprint {
                name: text,
                goal: d.value(1),
                start: f.0,
                days: f.1,
                capacity: f.2,
            }))
        }
        InputPurpose::EditSprint { sprint } => {
            let f = sprint_fields(d)?;
            Effect::Sprint(SprintEffect::Edit {
                sprint: *sprint,
                patch: SprintPatch {
                    name: Some(text),
                    goal: Some(d.value(1)),
                    start: Some(f.0),
                    days: Some(f.1),
                    capacity: Some(f.2),
                },
            })
        }
        InputPurpose::Parking { standup } => Effect::Standup(StandupEffect::Park {
            id: *standup,
            text: trimmed,
        }),
        InputPurpose::ImpedimentBlock { standup, card } => {
            if trimmed.is_empty() {
                return Err("Say what is in the way".into());
            }
            Effect::Standup(StandupEffect::Raise {
                id: *standup,
                impediment: Impediment::Block {
                    card: *card,
                    reason: trimmed,
                },
            })
        }
        InputPurpose::ImpedimentCard { standup, column } => Effect::Standup(StandupEffect::Raise {
            id: *standup,
            impediment: Impediment::NewCard {
                title: text,
                column: *column,
            },
        }),
        InputPurpose::Notes { standup, name } => Effect::Standup(StandupEffect::SaveNotes {
            id: *standup,
            notes: SpeakerNotes {
                name: name.clone(),
                yesterday: d.value(0),
                today: d.value(1),
                blockers: d.value(2),
            },
        }),
        InputPurpose::RetroCard { retro, prompt } => Effect::Retro(RetroEffect::AddCard {
            id: *retro,
            prompt: *prompt,
            text: validate_card(&text).map_err(|e| e.to_string())?,
        }),
        InputPurpose::Theme { retro, items } => {
            if trimmed.is_empty() {
                return Err("Name the theme".into());
            }
            Effect::Retro(RetroEffect::Group {
                id: *retro,
                items: items.clone(),
                title: trimmed,
            })
        }
        InputPurpose::ItemNotes { retro, item } => Effect::Retro(RetroEffect::Notes {
            id: *retro,
            item: *item,
            notes: text,
        }),
        InputPurpose::RetroAction { retro } => {
            if trimmed.is_empty() {
                return Err("Say what will be done".into());
            }
            let due = d.value(2);
            let due = if due.trim().is_empty() {
                None
            } else {
                Some(parse_date(&due).map_err(|e| e.to_string())?)
            };
            Effect::Retro(RetroEffect::AddAction {
                id: *retro,
                text: trimmed,
                owner: normalize_assignee(&d.value(1)),
                due,
            })
        }
        // Handled in `submit`, which can change the screen's state.
        InputPurpose::Attendee
        | InputPurpose::Timebox
        | InputPurpose::RetroSetup { .. }
        | InputPurpose::NewPulse
        | InputPurpose::NewMortem { .. }
        | InputPurpose::MortemField { .. }
        | InputPurpose::MortemSection { .. }
        | InputPurpose::Timeline { .. }
        | InputPurpose::MortemAction { .. }
        | InputPurpose::Reason { .. }
        | InputPurpose::Rate { .. }
        | InputPurpose::ExportPath { .. } => {
            return Ok(None);
        }
    }))
}

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
        },
        Command::Deny => {
            state.overlays.pop();
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The sprint dialog's first day, length and capacity.
fn sprint_fields(d: &InputDialog) -> Result<(chrono::NaiveDate, u32, Option<u32>), String> {
    let start = parse_date(&d.value(2)).map_err(|e| e.to_string())?;
    let days = parse_optional_number(&d.value(3), "days", 31)
        .and_then(|n| validate_days(n.unwrap_or(0)))
        .map_err(|e| e.to_string())?;
    let capacity =
        parse_optional_number(&d.value(4), "points", crate::domain::sprint::MAX_CAPACITY)
            .map_err(|e| e.to_string())?;
    Ok((start, days, capacity))
}

/// The new retro's dialog as an effect: its format, title, votes and check.
fn retro_setup(
    state: &AppState,
    format: usize,
    title: &str,
    votes: &str,
    safety: &str,
) -> Result<Vec<Effect>, String> {
    let Some(data) = state.retro.data.as_deref() else {
        return Ok(Vec::new());
    };
    let format = data
        .formats
        .get(format)
        .cloned()
        .ok_or("that format is gone")?;
    let votes = votes
        .trim()
        .parse::<u32>()
        .map_err(|_| "votes each: a number from 1 to 20".to_string())
        .and_then(|v| validate_votes(v).map_err(|e| e.to_string()))?;
    let safety = SafetyKind::parse(&safety.trim().to_ascii_lowercase())
        .ok_or("the safety check is esvp or scale")?;
    let p = &data.period;
    Ok(vec![Effect::Retro(RetroEffect::Start(NewRetro {
        title: title.trim().to_string(),
        format,
        votes,
        safety,
        sprint: p.sprint,
        from: p.from,
        to: p.to,
    }))])
}
