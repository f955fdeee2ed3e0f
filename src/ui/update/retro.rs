//! The Retro tab: moving the meeting through its phases, and what each phase
//! lets people do. The store checks every rule again; this only asks.

use chrono::{Duration, NaiveDate};

use super::{no_card, open_dialog as open};
use crate::domain::card::normalize_assignee;
use crate::domain::handover::Ritual;
use crate::domain::parse_date;
use crate::domain::retro::{
    ActionStatus, ItemId, MIN_ANSWERS_SHOWN, Phase, Poll, ROTI, Retro, RetroId, SafetyKind,
};
use crate::domain::retro::{RetroCard, validate_card, validate_votes};
use crate::store::NewRetro;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, RetroEffect};
use crate::ui::overlay::{
    ConfirmDialog, ConfirmPurpose, Field, Form, InputDialog, InputPurpose, Overlay, PickDialog,
    PickPurpose,
};
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::retro::{RetroRow, retro_rows};
use crate::ui::state::{AppState, RetroData, Tab};
use crate::ui::text::safe_fit;

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
        // (where it is on screen): everyone else is told how to answer it.
        if *closed && !now.safety_closed && now.phase != Phase::Stage && state.elsewhere {
            state.info("The facilitator reopened the safety check: A answers it, until Discuss");
        }
        let after = now.facilitator.clone();
        super::tell_taken_over(state, Ritual::Retro, Some(before), Some(&after));
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
        state.warn("This item's timebox is over: move on, or Enter to give it another round");
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
                    "Only the facilitator ({who}) moves the retro on (T takes it over)"
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

fn new_retro(state: &mut AppState) -> Vec<Effect> {
    let Some(data) = state.retro.data.as_deref() else {
        return Vec::new();
    };
    if let Some(open) = data.retros.iter().find(|r| r.phase != Phase::Closed) {
        let title = open.title.clone();
        state.warn(format!(
            "{title} is still open: close it first (its facilitator moves it to Closed)"
        ));
        return Vec::new();
    }
    let options = data
        .formats
        .iter()
        .map(|f| {
            let prompts: Vec<&str> = f.prompts.iter().map(|p| p.name.as_str()).collect();
            (f.name.clone(), prompts.join(" · "))
        })
        .collect();
    state.overlays.push(Overlay::Pick(PickDialog {
        purpose: PickPurpose::Format,
        title: "Start a retro: choose a format".into(),
        options,
        selected: 0,
        note: Some("Your own formats: TOML files in the config folder's retro/ directory".into()),
    }));
    Vec::new()
}

/// The dialog that follows choosing a format.
fn setup_dialog(state: &mut AppState, format: usize) -> Vec<Effect> {
    let Some(data) = state.retro.data.as_deref() else {
        return Vec::new();
    };
    let Some(f) = data.formats.get(format) else {
        return Vec::new();
    };
    let form = SetupForm {
        title: data.period.title.clone(),
        votes: state.defaults.retro_votes,
        safety: SafetyKind::Esvp,
    };
    let dialog = InputDialog::form(
        InputPurpose::RetroSetup { format },
        format!("{}: {}", f.name, data.period.title),
        &form,
    )
    .with_hint(format!(
        "Facts from {} to {}. Safety check: esvp (Explorer…Prisoner) or scale (1-5)",
        data.period.from, data.period.to
    ));
    open(state, dialog)
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

fn phase_command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(retro) = open_retro(state).cloned() else {
        state.info("This retro is closed: n starts a new one, L lists them");
        return Vec::new();
    };
    let id = retro.id;
    let facilitating = retro.is_facilitator(&state.actor);
    let only_facilitator = |state: &mut AppState| {
        state.warn(format!(
            "Only the facilitator ({}) does that (T takes it over)",
            retro.facilitator
        ));
        Vec::new()
    };
    match (retro.phase, cmd) {
        (p, Command::AnswerPoll) if p < Phase::Discuss || p == Phase::Close => {
            let closed = if p == Phase::Close {
                retro.roti_closed
            } else {
                retro.safety_closed
            };
            if closed {
                state.info(if p == Phase::Close {
                    "The ROTI is closed"
                } else {
                    "The safety check is closed: the facilitator may reopen it (O) until Discuss"
                });
                return Vec::new();
            }
            let (poll, done) = if retro.phase < Phase::Discuss {
                (
                    Poll::Safety,
                    state
                        .retro
                        .data
                        .as_deref()
                        .is_some_and(|d| d.answered_safety),
                )
            } else {
                (
                    Poll::Roti,
                    state.retro.data.as_deref().is_some_and(|d| d.answered_roti),
                )
            };
            if done {
                state.info("You have answered: once each, and without your name");
                return Vec::new();
            }
            let title = match (poll, retro.safety) {
                (Poll::Safety, SafetyKind::Esvp) => "How do you come to this retro?",
                (Poll::Safety, SafetyKind::Scale) => "How safe do you feel to speak?",
                (Poll::Roti, _) => "Return on the time you invested",
            };
            let choices = retro.poll_choices(poll);
            state.overlays.push(Overlay::Pick(PickDialog {
                purpose: PickPurpose::Answer { retro: id, poll },
                title: title.into(),
                options: choices
                    .iter()
                    .map(|(l, d)| (l.to_string(), d.to_string()))
                    .collect(),
                selected: 0,
                note: Some(
                    "Anonymous: your answer is stored without your name; the team sees only the tally, once closed, with three answers or more".into(),
                ),
            }));
            Vec::new()
        }
        (Phase::Close, Command::Pick(i)) if usize::from(i) < ROTI.len() => {
            vec![Effect::Retro(RetroEffect::Answer {
                id,
                poll: Poll::Roti,
                value: u32::from(i) + 1,
            })]
        }
        (p, Command::ReopenPoll) if p < Phase::Discuss => {
            if !facilitating {
                return only_facilitator(state);
            }
            let Some(view) = state
                .retro
                .data
                .as_deref()
                .and_then(|d| d.report.as_ref())
                .map(|r| r.safety.clone())
            else {
                return Vec::new();
            };
            if !view.closed {
                state.info("The safety check is open");
                return Vec::new();
            }
            if view.distribution.is_some() {
                state.info(
                    "Its result was shown: it stays closed (the next answer could be read off the difference)",
                );
                return Vec::new();
            }
            vec![Effect::Retro(RetroEffect::ReopenPoll(id))]
        }
        (p, Command::ClosePoll) if p < Phase::Discuss || p == Phase::Close => {
            if !facilitating {
                return only_facilitator(state);
            }
            let (poll, view) = match state.retro.data.as_deref().and_then(|d| d.report.as_ref()) {
                Some(r) if retro.phase < Phase::Discuss => (Poll::Safety, r.safety.clone()),
                Some(r) => (Poll::Roti, r.roti.clone()),
                None => return Vec::new(),
            };
            if view.closed {
                state.info(if poll == Poll::Safety && view.distribution.is_none() {
                    "The check is closed: O reopens it (its result was never shown)"
                } else {
                    "The check is closed already"
                });
                return Vec::new();
            }
            if view.answers < MIN_ANSWERS_SHOWN {
                let answers = match view.answers {
                    0 => "No answers".to_string(),
                    1 => "Only 1 answer".to_string(),
                    n => format!("Only {n} answers"),
                };
                let after = if poll == Poll::Safety {
                    "O reopens it until Discuss"
                } else {
                    "it does not reopen"
                };
                state.overlays.push(Overlay::Confirm(ConfirmDialog {
                    purpose: ConfirmPurpose::ClosePollEarly { retro: id, poll },
                    message: format!(
                        "{answers}: closed now, its result is never shown ({MIN_ANSWERS_SHOWN} are needed); {after}. Close it?"
                    ),
                }));
                return Vec::new();
            }
            vec![Effect::Retro(RetroEffect::ClosePoll { id, poll })]
        }
        (Phase::Review, Command::MarkDone | Command::MarkOpen | Command::MarkDropped) => {
            if !facilitating {
                return only_facilitator(state);
            }
            let Some((action, _)) = state
                .retro
                .data
                .as_deref()
                .and_then(|d| d.review.get(state.retro.row))
            else {
                return no_card(state);
            };
            let status = match cmd {
                Command::MarkDone => ActionStatus::Done,
                Command::MarkOpen => ActionStatus::Open,
                _ => ActionStatus::Dropped,
            };
            let card = action.card;
            select(state, 1);
            vec![Effect::Retro(RetroEffect::Review { id, card, status })]
        }
        (Phase::Gather, Command::SelectLeft | Command::SelectRight) => {
            let n = retro.format.prompts.len();
            let r = &mut state.retro;
            r.prompt = if cmd == Command::SelectLeft {
                r.prompt.saturating_sub(1)
            } else {
                (r.prompt + 1).min(n.saturating_sub(1))
            };
            r.row = 0;
            Vec::new()
        }
        (Phase::Gather, Command::WriteCard) if retro.revealed => {
            state.info("The cards are revealed: a card written now would be known by its author");
            Vec::new()
        }
        (Phase::Gather, Command::WriteCard) => {
            let prompt = state.retro.prompt;
            let Some(p) = retro.format.prompts.get(prompt) else {
                return Vec::new();
            };
            let dialog = InputDialog::single(
                InputPurpose::RetroCard { retro: id, prompt },
                format!("{}: {}", p.name, p.hint),
                "Your card (anonymous)",
                "",
            )
            .with_hint(
                "no name is stored with it; others see it once the facilitator reveals the cards",
            );
            open(state, dialog)
        }
        (Phase::Gather, Command::DeleteMyCard) => {
            let r = &state.retro;
            let mine: Vec<&RetroCard> = r.my_cards().filter(|c| c.prompt == r.prompt).collect();
            match mine.get(r.row) {
                Some(c) if !retro.revealed => {
                    let card = c.id;
                    if let Some(d) = state.retro.data.as_deref_mut() {
                        d.my_cards.retain(|m| m.id != card);
                    }
                    vec![Effect::Retro(RetroEffect::DeleteCard { id, card })]
                }
                Some(_) => {
                    state.info("The cards are revealed: they stay");
                    Vec::new()
                }
                None => {
                    state.info("Only your own cards, written here, can be taken back");
                    Vec::new()
                }
            }
        }
        (Phase::Gather, Command::RevealCards) => {
            if !facilitating {
                return only_facilitator(state);
            }
            if retro.revealed {
                state.info("The cards are revealed already: ] moves on to Group");
                return Vec::new();
            }
            let written = state.retro.data.as_deref().map_or(0, |d| d.written);
            ask_reveal(state, id, written, None);
            Vec::new()
        }
        (Phase::Group, Command::MarkItem) => {
            let Some(item) = state.retro.selected_item().map(|i| i.id) else {
                return Vec::new();
            };
            let r = &mut state.retro;
            if r.marked.contains(&item) {
                r.marked.retain(|m| *m != item);
            } else {
                r.marked.push(item);
            }
            select(state, 1);
            Vec::new()
        }
        (Phase::Group, Command::GroupMarked) => {
            let items = state.retro.marked.clone();
            if items.len() < 2 {
                state.info("Mark two items or more with Space, then g names the theme");
                return Vec::new();
            }
            let dialog = InputDialog::single(
                InputPurpose::Theme { retro: id, items },
                "Name the theme",
                "Theme",
                "",
            );
            open(state, dialog)
        }
        (Phase::Group, Command::SplitTheme) => match state.retro.selected_item() {
            Some(i) if i.cards.len() > 1 => {
                let item = i.id;
                vec![Effect::Retro(RetroEffect::Split { id, item })]
            }
            _ => {
                state.info("That is a single card already");
                Vec::new()
            }
        },
        (Phase::Vote, Command::AddVote | Command::TakeVote) => {
            let Some(item) = state.retro.selected_item().map(|i| i.id) else {
                return Vec::new();
            };
            let delta = if cmd == Command::AddVote { 1 } else { -1 };
            if delta < 0 && state.retro.my_votes_on(item) == 0 {
                state.info("None of your votes are on this item");
                return Vec::new();
            }
            vec![Effect::Retro(RetroEffect::Vote { id, item, delta })]
        }
        (Phase::Discuss, Command::DiscussItem) => {
            if !facilitating {
                return only_facilitator(state);
            }
            let Some(item) = state.retro.selected_item().map(|i| i.id) else {
                return Vec::new();
            };
            state.retro.rang = None;
            vec![Effect::Retro(RetroEffect::Discuss { id, item })]
        }
        (Phase::Discuss, Command::EditItemNotes) => {
            if !facilitating {
                return only_facilitator(state);
            }
            let Some(i) = state.retro.selected_item() else {
                return Vec::new();
            };
            let (item, notes, label) = (i.id, i.notes.clone(), i.label().to_string());
            let dialog = InputDialog::multiline(
                InputPurpose::ItemNotes { retro: id, item },
                format!("Notes: {label}"),
                "Notes",
                &notes,
            );
            open(state, dialog)
        }
        (Phase::Discuss | Phase::Decide, Command::AddAction) => {
            let form = ActionForm {
                text: String::new(),
                owner: Some(state.actor.clone()),
                due: Some((state.now + Duration::days(14)).date_naive()),
            };
            let dialog = InputDialog::form(
                InputPurpose::RetroAction { retro: id },
                "An action item: it becomes a card on the board",
                &form,
            )
            .with_hint("actionable, specific, bounded; the due date is YYYY-MM-DD or blank");
            open(state, dialog)
        }
        _ => Vec::new(),
    }
}

/// Asks once before the cards are revealed (by `R`, or by moving on to
/// `then`): nobody can take a card back after, nor write one.
fn ask_reveal(state: &mut AppState, retro: RetroId, written: u32, then: Option<Phase>) {
    let cards = match written {
        0 => None,
        1 => Some("the 1 card".to_string()),
        n => Some(format!("the {n} cards")),
    };
    let message = match (then, cards) {
        (Some(p), Some(cards)) => format!(
            "Move on to {}? It reveals {cards} to everyone: nobody can take theirs back or write another after.",
            p.title()
        ),
        (Some(p), None) => format!(
            "Move on to {}? No card is written yet, and none can be after.",
            p.title()
        ),
        (None, Some(cards)) => format!(
            "Reveal {cards} to everyone? Nobody can take theirs back or write another after."
        ),
        (None, None) => {
            "No card is written yet: reveal anyway? None can be written after.".to_string()
        }
    };
    state.overlays.push(Overlay::Confirm(ConfirmDialog {
        purpose: ConfirmPurpose::RevealRetro { retro, then },
        message,
    }));
}

/// Why a dialog of the retro can no longer be saved, now that the retro is
/// as `now` says (moved on, or revealed, from another terminal); `None`
/// while it still can.
fn stale_dialog(overlay: &Overlay, now: &Retro) -> Option<String> {
    let moved = |p: Phase, what: &str| {
        if now.phase == Phase::Closed {
            format!("The retro is closed: {what} in {}", p.title())
        } else {
            format!(
                "The retro moved on to {}: {what} in {}",
                now.phase.title(),
                p.title()
            )
        }
    };
    let in_phase = |phases: &[Phase]| now.phase != Phase::Closed && phases.contains(&now.phase);
    match overlay {
        Overlay::Input(d) => {
            match &d.purpose {
                InputPurpose::RetroCard { retro, .. } if *retro == now.id => {
                    if !in_phase(&[Phase::Gather]) {
                        Some(moved(Phase::Gather, "cards are written"))
                    } else if now.revealed {
                        Some("The cards were revealed: a card written now would be known by its author".into())
                    } else {
                        None
                    }
                }
                InputPurpose::Theme { retro, .. } if *retro == now.id => {
                    (!in_phase(&[Phase::Group])).then(|| moved(Phase::Group, "themes are made"))
                }
                InputPurpose::ItemNotes { retro, .. } if *retro == now.id => {
                    (!in_phase(&[Phase::Discuss]))
                        .then(|| moved(Phase::Discuss, "notes are written"))
                }
                InputPurpose::RetroAction { retro } if *retro == now.id => {
                    (!in_phase(&[Phase::Discuss, Phase::Decide]))
                        .then(|| moved(Phase::Decide, "action items are added"))
                }
                _ => None,
            }
        }
        Overlay::Pick(p) => match p.purpose {
            PickPurpose::Answer { retro, poll } if retro == now.id => {
                let (phase, closed) = match poll {
                    Poll::Safety => (Phase::Stage, now.safety_closed),
                    Poll::Roti => (Phase::Close, now.roti_closed),
                };
                if !in_phase(&[phase]) {
                    Some(moved(phase, "the check is answered"))
                } else if closed {
                    Some("The facilitator closed the check: it takes no more answers".into())
                } else {
                    None
                }
            }
            _ => None,
        },
        Overlay::Confirm(c) => match c.purpose {
            ConfirmPurpose::RevealRetro { retro, .. } if retro == now.id => (now.revealed
                || now.phase != Phase::Gather)
                .then(|| "The cards are revealed already".to_string()),
            ConfirmPurpose::ClosePollEarly { retro, poll } if retro == now.id => {
                let closed = match poll {
                    Poll::Safety => now.safety_closed || now.phase != Phase::Stage,
                    Poll::Roti => now.roti_closed || now.phase != Phase::Close,
                };
                closed.then(|| "The check is closed already".to_string())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Closes the retro's dialog on top (and the question over it, if any)
/// when the retro moved on under it, saying why.
fn close_stale_dialogs(state: &mut AppState) {
    let Some(now) = state.retro.retro().cloned() else {
        return;
    };
    let n = state.overlays.len();
    // "Discard what you typed?" over a dialog goes with it.
    let below = match state.overlays.last() {
        Some(Overlay::Confirm(c)) if c.purpose == ConfirmPurpose::DiscardInput && n >= 2 => 2,
        _ => 1,
    };
    let Some(why) = n
        .checked_sub(below)
        .and_then(|i| state.overlays.get(i))
        .and_then(|o| stale_dialog(o, &now))
    else {
        return;
    };
    state.overlays.truncate(n - below);
    state.warn(why);
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

/// A new retro's title, votes each and safety check (its format is chosen
/// before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SetupForm {
    pub title: String,
    pub votes: u32,
    pub safety: SafetyKind,
}

impl Form for SetupForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Title", &self.title, false),
            Field::new("Votes each", &self.votes.to_string(), false),
            Field::new("Safety check", self.safety.as_str(), false),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [title, votes, safety] = d.texts();
        let votes = votes
            .trim()
            .parse::<u32>()
            .map_err(|_| "votes each: a number from 1 to 20".to_string())
            .and_then(|v| validate_votes(v).map_err(|e| e.to_string()))?;
        let safety = SafetyKind::parse(&safety.trim().to_ascii_lowercase())
            .ok_or("the safety check is esvp or scale")?;
        Ok(Self {
            title: title.trim().to_string(),
            votes,
            safety,
        })
    }
}

/// An action item the team decides on: what, who, and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ActionForm {
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
}

impl Form for ActionForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Action", &self.text, false),
            Field::new("Owner", self.owner.as_deref().unwrap_or_default(), false),
            Field::new(
                "Due",
                &self.due.map(|d| d.to_string()).unwrap_or_default(),
                false,
            ),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [text, owner, due] = d.texts();
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err("Say what will be done".into());
        }
        let due = if due.trim().is_empty() {
            None
        } else {
            Some(parse_date(&due).map_err(|e| e.to_string())?)
        };
        Ok(Self {
            text,
            owner: normalize_assignee(&owner),
            due,
        })
    }
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

/// The new retro's dialog as an effect: its format, title, votes and check.
fn start(state: &AppState, format: usize, d: &InputDialog) -> Result<Vec<Effect>, String> {
    let Some(data) = state.retro.data.as_deref() else {
        return Ok(Vec::new());
    };
    let format = data
        .formats
        .get(format)
        .cloned()
        .ok_or("that format is gone")?;
    let form = SetupForm::parse(d)?;
    let p = &data.period;
    Ok(vec![Effect::Retro(RetroEffect::Start(NewRetro {
        title: form.title,
        format,
        votes: form.votes,
        safety: form.safety,
        sprint: p.sprint,
        from: p.from,
        to: p.to,
    }))])
}
