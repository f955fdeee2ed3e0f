//! The retro's meeting keys, phase by phase, and the dialogs a phase that
//! moved on under them closes.

use super::*;

pub(super) fn phase_command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(retro) = open_retro(state).cloned() else {
        state.info(format!(
            "This retro is closed: {} starts a new one, {} lists them",
            key_for(state, Command::NewRetro),
            key_for(state, Command::BrowseRetros)
        ));
        return Vec::new();
    };
    let id = retro.id;
    let facilitating = retro.is_facilitator(&state.actor);
    let only_facilitator = |state: &mut AppState| {
        state.warn(format!(
            "Only the facilitator ({}) does that ({} takes it over)",
            retro.facilitator,
            key_for(state, Command::TakeOver)
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
                    format!(
                        "The check is closed: {} reopens it (its result was never shown)",
                        key_for(state, Command::ReopenPoll)
                    )
                } else {
                    "The check is closed already".to_string()
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
                    format!(
                        "{} reopens it until Discuss",
                        key_for(state, Command::ReopenPoll)
                    )
                } else {
                    "it does not reopen".to_string()
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
                state.info(format!(
                    "Mark two items or more with {}, then {} names the theme",
                    key_for(state, Command::MarkItem),
                    key_for(state, Command::GroupMarked)
                ));
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
            let form = ActionForm::new(state, ActionFor::Retro);
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
pub(super) fn ask_reveal(state: &mut AppState, retro: RetroId, written: u32, then: Option<Phase>) {
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
pub(super) fn stale_dialog(overlay: &Overlay, now: &Retro) -> Option<String> {
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
pub(super) fn close_stale_dialogs(state: &mut AppState) {
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
