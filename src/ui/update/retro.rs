//! The Retro tab: moving the meeting through its phases, and what each phase
//! lets people do. The store checks every rule again; this only asks.

use chrono::Duration;

use super::{no_card, open_dialog as open};
use crate::domain::handover::Ritual;
use crate::domain::retro::{
    ActionStatus, ItemId, MIN_ANSWERS_SHOWN, Phase, Poll, ROTI, Retro, RetroId, SafetyKind,
};
use crate::domain::retro::{RetroCard, validate_card, validate_votes};
use crate::store::NewRetro;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, RetroEffect};
use crate::ui::keymap::{self, key_for, key_in};
use crate::ui::overlay::{
    ConfirmDialog, ConfirmPurpose, Field, Form, InputDialog, InputPurpose, Overlay, PickDialog,
    PickPurpose,
};
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::retro::{RetroRow, retro_rows};
use crate::ui::state::{AppState, RetroData, Tab};
use crate::ui::text::safe_fit;

mod forms;
mod meeting;

use crate::ui::update::action_form::{ActionFor, ActionForm};
use forms::{new_retro, setup_dialog, start};
use meeting::{ask_reveal, close_stale_dialogs, phase_command};

fn load() -> Vec<Effect> {
    vec![Effect::Retro(RetroEffect::Load)]
}

pub(super) fn loaded(state: &mut AppState, data: Box<RetroData>) -> Vec<Effect> {
    // The same retro, now facilitated by someone else: its former
    // facilitator is told.
    let was = state
        .retro
        .retro()
        .map(|x| (x.id, x.facilitator.clone(), x.safety_closed));
    if let (Some((id, before, closed)), Some(now)) = (&was, data.retro())
        && *id == now.id
    {
        // The safety check reopened by the facilitator, past Set the stage
        // (where it is on screen): everyone else is told how to answer it,
        // with the key of the phases past it.
        if *closed && !now.safety_closed && now.phase != Phase::Stage && state.elsewhere {
            state.info(format!(
                "The facilitator reopened the safety check: {} answers it, until Discuss",
                key_in(state, keymap::RETRO_SAFETY, Command::AnswerPoll)
            ));
        }
        let after = now.facilitator.clone();
        super::tell_taken_over(state, (Ritual::Retro, id.0), Some(before), Some(&after));
    }
    let r = &mut state.retro;
    let before = r.retro().map(|x| x.id);
    let now = data.retro().map(|x| x.id);
    if before != now {
        r.marked.clear();
        r.row = 0;
        r.prompt = 0;
    }
    // Marks only on items still there (another terminal may have grouped).
    let items: Vec<ItemId> = data.items().iter().map(|i| i.id).collect();
    r.marked.retain(|m| items.contains(m));
    if data.retro().is_some_and(|x| x.phase != Phase::Group) {
        r.marked.clear();
    }
    let prompts = data.retro().map_or(1, |x| x.format.prompts.len());
    r.prompt = r.prompt.min(prompts.saturating_sub(1));
    // The same list loaded again keeps its selection on the same row's item.
    let old = r
        .data
        .as_deref()
        .and_then(|d| retro_rows(d, r.browsing, r.prompt));
    let new = retro_rows(&data, r.browsing, r.prompt);
    let mut said = None;
    if let (Some((was, old_rows)), Some((list, rows))) = (&old, &new)
        && was == list
    {
        let sel = reselect_in(r.row, old_rows.get(r.row).copied(), rows, |x| *x);
        r.row = sel.row;
        if let (Some(gone), Some(old)) = (sel.left, r.data.as_deref()) {
            said = Some(left_message(old, &data, gone));
        }
    }
    let rows = match data.retro().map(|x| x.phase) {
        Some(Phase::Review) => data.review.len(),
        Some(Phase::Group | Phase::Vote | Phase::Discuss) => data.items().len(),
        _ => usize::MAX,
    };
    r.row = r.row.min(rows.saturating_sub(1));
    r.data = Some(data);
    if let Some(text) = said {
        state.tell_left(Tab::Retro, text);
    }
    close_stale_dialogs(state);
    Vec::new()
}

/// What the status line says of a selected row that left its list: where
/// an item went if it is now part of a theme.
fn left_message(old: &RetroData, new: &RetroData, gone: RetroRow) -> String {
    let quote = |s: &str| format!("\"{}\"", safe_fit(s, 30));
    match gone {
        RetroRow::Item(id) => {
            let Some(item) = old.items().iter().find(|i| i.id == id) else {
                return "The item you had selected is no longer in the list".into();
            };
            let theme = new.items().iter().find(|i| {
                i.title.is_some()
                    && i.cards
                        .iter()
                        .any(|c| item.cards.iter().any(|o| o.id == c.id))
            });
            match theme {
                Some(t) => format!(
                    "{} is now part of the theme {}",
                    quote(item.label()),
                    quote(t.label())
                ),
                None => format!("{} is no longer in the list", quote(item.label())),
            }
        }
        RetroRow::Action(card) => format!("{card} is no longer among the actions to review"),
        RetroRow::Mine(card) => match old.my_cards.iter().find(|c| c.id == card) {
            Some(c) => format!("Your card {} was taken back", quote(&c.text)),
            None => "Your card was taken back".into(),
        },
        RetroRow::Retro(id) => match old.retros.iter().find(|r| r.id == id) {
            Some(r) => format!("{} is no longer in the list", quote(&r.title)),
            None => "The retro you had selected is no longer in the list".into(),
        },
    }
}

/// Rings the bell once when the item under discussion runs out of time.
pub(super) fn tick(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let r = &mut state.retro;
    let Some(retro) = r.retro() else {
        return Vec::new();
    };
    if retro.phase != Phase::Discuss {
        return Vec::new();
    }
    let (Some(item), Some(started)) = (retro.discussing, retro.discuss_started) else {
        return Vec::new();
    };
    let limit = Duration::minutes(i64::from(retro.discuss_minutes));
    if now - started >= limit && r.rang != Some(item) {
        r.rang = Some(item);
        if !r.muted {
            state.bells += 1;
        }
        state.warn(format!(
            "This item's timebox is over: move on, or {} to give it another round",
            key_for(state, Command::DiscussItem)
        ));
    }
    Vec::new()
}

/// The retro on screen, unless it is closed.
fn open_retro(state: &AppState) -> Option<&Retro> {
    state.retro.retro().filter(|r| r.phase != Phase::Closed)
}

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(data) = state.retro.data.as_deref() else {
        return Vec::new();
    };
    if state.retro.browsing || data.report.is_none() {
        return list_command(state, cmd);
    }
    match cmd {
        Command::NewRetro => new_retro(state),
        Command::BrowseRetros => {
            state.retro.browsing = true;
            state.retro.row = 0;
            Vec::new()
        }
        Command::ToggleMute => {
            state.retro.muted = !state.retro.muted;
            let muted = state.retro.muted;
            state.info(if muted { "Bell muted" } else { "Bell on" });
            Vec::new()
        }
        Command::SelectUp | Command::SelectDown => {
            select(state, if cmd == Command::SelectUp { -1 } else { 1 });
            Vec::new()
        }
        Command::NextPhase | Command::PrevPhase => {
            let Some(r) = state.retro.retro() else {
                return Vec::new();
            };
            if !r.is_facilitator(&state.actor) {
                let who = r.facilitator.clone();
                state.warn(format!(
                    "Only the facilitator ({who}) moves the retro on ({} takes it over)",
                    key_for(state, Command::TakeOver)
                ));
                return Vec::new();
            }
            let phase = if cmd == Command::NextPhase {
                r.phase.next()
            } else {
                r.phase.prev()
            };
            if phase == r.phase {
                return Vec::new();
            }
            let id = r.id;
            // Moving on from writing reveals the cards: that is not undone.
            if r.phase == Phase::Gather && phase > r.phase && !r.revealed {
                let written = state.retro.data.as_deref().map_or(0, |d| d.written);
                ask_reveal(state, id, written, Some(phase));
                return Vec::new();
            }
            state.retro.row = 0;
            vec![Effect::Retro(RetroEffect::Phase { id, phase })]
        }
        Command::TakeOver => {
            let Some(r) = open_retro(state) else {
                state.info("This retro is closed: there is nothing to take over");
                return Vec::new();
            };
            let (id, title, current) = (r.id.0, r.title.clone(), r.facilitator.clone());
            super::ask_take_over(state, Ritual::Retro, id, &title, &current);
            Vec::new()
        }
        other => phase_command(state, other),
    }
}

fn select(state: &mut AppState, delta: i64) {
    let r = &mut state.retro;
    let Some(data) = r.data.as_deref() else {
        return;
    };
    let n = if r.browsing || data.report.is_none() {
        data.retros.len()
    } else {
        match data.retro().map(|x| x.phase) {
            Some(Phase::Review) => data.review.len(),
            Some(Phase::Gather) => r.my_cards().filter(|c| c.prompt == r.prompt).count(),
            Some(Phase::Facts | Phase::Closed | Phase::Decide) => 200,
            _ => data.items().len(),
        }
    };
    if n > 0 {
        r.row = (r.row as i64 + delta).clamp(0, n as i64 - 1) as usize;
    }
}

/// Keys while the list of retros is on screen.
fn list_command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    match cmd {
        Command::NewRetro => new_retro(state),
        Command::SelectUp | Command::SelectDown => {
            select(state, if cmd == Command::SelectUp { -1 } else { 1 });
            Vec::new()
        }
        Command::OpenRetro => {
            let r = &mut state.retro;
            let Some(id) = r
                .data
                .as_deref()
                .and_then(|d| d.retros.get(r.row))
                .map(|x| x.id)
            else {
                return Vec::new();
            };
            r.viewing = Some(id);
            r.browsing = false;
            load()
        }
        Command::Close | Command::BrowseRetros => {
            let r = &mut state.retro;
            r.browsing = false;
            r.viewing = None;
            load()
        }
        _ => Vec::new(),
    }
}

/// Keys for the picker overlay.
pub(super) fn pick(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(Overlay::Pick(p)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let n = p.options.len();
    let chosen = match cmd {
        Command::SelectUp => {
            p.selected = p.selected.saturating_sub(1);
            return Vec::new();
        }
        Command::SelectDown => {
            p.selected = (p.selected + 1).min(n.saturating_sub(1));
            return Vec::new();
        }
        Command::Confirm => p.selected,
        Command::Pick(i) if usize::from(i) < n => usize::from(i),
        Command::Close => {
            state.overlays.pop();
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    let purpose = p.purpose.clone();
    state.overlays.pop();
    match purpose {
        PickPurpose::Format => setup_dialog(state, chosen),
        PickPurpose::Answer { retro, poll } => vec![Effect::Retro(RetroEffect::Answer {
            id: retro,
            poll,
            value: chosen as u32 + 1,
        })],
        PickPurpose::MortemKind | PickPurpose::MortemStatus(_) => {
            super::mortem::picked(state, purpose, chosen)
        }
    }
}

/// This person wrote a card (the reload that follows finds it by its claim).
pub(super) fn card_added(
    state: &mut AppState,
    id: i64,
    prompt: usize,
    text: String,
) -> Vec<Effect> {
    if let Some(d) = state.retro.data.as_deref_mut() {
        d.my_cards.push(RetroCard { id, prompt, text });
    }
    if let Some(Overlay::Input(_)) = state.overlays.last() {
        state.overlays.pop();
    }
    state.info("Card added: only you see it until the facilitator reveals the cards");
    load()
}

/// This terminal's vote went through.
pub(super) fn voted(state: &mut AppState, used: u32) -> Vec<Effect> {
    let limit = state.retro.retro().map_or(0, |x| x.votes);
    state.info(format!(
        "You have {} of your {limit} votes left",
        limit.saturating_sub(used)
    ));
    load()
}

/// What saving the tab's dialogs does; `None` if the dialog is not the tab's.
pub(super) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = super::dialog(state)?;
    let text = d.text();
    let trimmed = text.trim().to_string();
    let effect = match &d.purpose {
        InputPurpose::RetroSetup { format } => return Some(start(state, *format, d)),
        InputPurpose::RetroCard { retro, prompt } => match validate_card(&text) {
            Ok(text) => RetroEffect::AddCard {
                id: *retro,
                prompt: *prompt,
                text,
            },
            Err(e) => return Some(Err(e.to_string())),
        },
        InputPurpose::Theme { retro, items } => {
            if trimmed.is_empty() {
                return Some(Err("Name the theme".into()));
            }
            RetroEffect::Group {
                id: *retro,
                items: items.clone(),
                title: trimmed,
            }
        }
        InputPurpose::ItemNotes { retro, item } => RetroEffect::Notes {
            id: *retro,
            item: *item,
            notes: text,
        },
        InputPurpose::RetroAction { retro } => match ActionForm::parse(d) {
            Ok(f) => RetroEffect::AddAction {
                id: *retro,
                text: f.text,
                owner: f.owner,
                due: f.due,
            },
            Err(e) => return Some(Err(e)),
        },
        _ => return None,
    };
    Some(Ok(vec![Effect::Retro(effect)]))
}
