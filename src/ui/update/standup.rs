//! The Standup tab: the board's one standup, followed by every terminal on
//! the tab: its facilitator's timer, the turns, and what the team raises.

use crate::domain::handover::Ritual;
use chrono::Duration;

use super::{no_card, open_dialog as open};
use crate::domain::standup::{
    ItemKind, NewStandup, SpeakerNotes, StandupFormat, StandupId, StandupSettings, TimerPhase,
    clock_text, shuffle,
};
use crate::store::Impediment;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, StandupEffect};
use crate::ui::keymap::key_for;
use crate::ui::overlay::{ConfirmDialog, ConfirmPurpose, Form, InputDialog, InputPurpose, Overlay};
use crate::ui::state::{AppState, StandupData};
use crate::ui::strings;

mod forms;

use forms::{NotesForm, TimeboxForm};

pub(super) fn loaded(state: &mut AppState, data: Box<StandupData>) -> Vec<Effect> {
    let elsewhere = state.elsewhere;
    let me = state.actor.clone();
    // The same standup, now facilitated by someone else: its former
    // facilitator is told.
    let was = state
        .standup
        .current()
        .map(|c| (c.id, c.facilitator.clone()));
    let taken = match (&was, &data.current) {
        (Some((id, before)), Some(cur))
            if *id == cur.id
                && *before == me
                && cur.facilitator != me
                && state.first_telling(Ritual::Standup, id.0, &cur.facilitator) =>
        {
            Some(format!(
                "{} took the standup over from you",
                cur.facilitator
            ))
        }
        _ => None,
    };
    // The keys the messages name, the user's own.
    let key = |cmd| key_for(state, cmd);
    let (run, end, join, history) = (
        key(Command::ToggleTimer),
        key(Command::EndStandup),
        key(Command::JoinStandup),
        key(Command::ShowStandupHistory),
    );
    let st = &mut state.standup;
    let before = st.current().map(|c| (c.id, c.ended()));
    let old_settings = st.data.as_deref().map(|d| d.settings);
    let mut message = None;
    match &data.current {
        Some(cur) => {
            if st.id != Some(cur.id) {
                // A standup this terminal has not shown yet (one it began
                // has its id already): begun elsewhere, or under way when
                // teamloop was opened.
                st.rang_total = false;
                if cur.is_facilitator(&me) && !cur.ended() {
                    message = Some(format!(
                        "Today's standup is under way: you facilitate it ({run} pauses or runs it, {end} ends it)"
                    ));
                } else if !cur.ended() {
                    let join = if cur.attendees.contains(&me) {
                        String::new()
                    } else {
                        format!(" ({join} joins it)")
                    };
                    message = Some(format!(
                        "{} started the standup: you follow it here{join}",
                        cur.facilitator
                    ));
                }
            } else if before == Some((cur.id, false)) && cur.ended() && elsewhere {
                message = Some(format!(
                    "{} ended the standup ({}): {history} shows it",
                    cur.facilitator,
                    clock_text(Duration::seconds(i64::from(cur.elapsed_seconds())))
                ));
            }
            st.id = Some(cur.id);
            st.order = cur.attendees.clone();
        }
        None => {
            st.id = None;
            if st.order.is_empty() {
                st.order = data.people.clone();
            }
        }
    }
    // A new step is a new turn: its timebox may ring again, and the
    // speaker's cards are chosen from the first.
    let seen = data.current.as_ref().map(|c| (c.id, c.step));
    if st.seen != seen {
        st.seen = seen;
        st.rang_turn = false;
        st.card_row = 0;
    }
    // A new timebox rings again when it runs out.
    if let Some(old) = old_settings {
        if old.minutes != data.settings.minutes {
            st.rang_total = false;
        }
        if old.turn_seconds != data.settings.turn_seconds {
            st.rang_turn = false;
        }
    }
    st.data = Some(data);
    st.card_row = st.card_row.min(st.turn_cards().len().saturating_sub(1));
    if let Some(m) = message {
        state.info(m);
    }
    if let Some(m) = taken {
        state.warn(m);
    }
    Vec::new()
}

/// Called on every tick: rings the bell once when a timebox runs out. The
/// timers are the standup's, so every terminal rings at the same moment.
pub(super) fn tick(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let st = &mut state.standup;
    if !st.running() {
        return Vec::new();
    }
    let (total, turn) = (st.total(), st.turn_timer());
    let mut message = None;
    if !st.rang_total && total.phase(now) == TimerPhase::Over {
        st.rang_total = true;
        message = Some("The standup's timebox is over: wrap up, park the rest (P)".to_string());
    }
    if turn.limit > Duration::zero() && !st.rang_turn && turn.phase(now) == TimerPhase::Over {
        st.rang_turn = true;
        let whose = match st.format() {
            StandupFormat::RoundRobin => st
                .speaker()
                .map_or("This turn".to_string(), |s| format!("{s}'s turn")),
            StandupFormat::WalkTheBoard => "This card's turn".to_string(),
        };
        message.get_or_insert(format!("{whose} is over its timebox: n for the next"));
    }
    if let Some(m) = message {
        if !st.muted {
            state.bells += 1;
        }
        state.warn(m);
    }
    Vec::new()
}

/// Says who facilitates, when someone else presses a facilitator's key;
/// true if `state`'s user may go on.
fn facilitating(state: &mut AppState) -> bool {
    let Some(live) = state.standup.live() else {
        return true;
    };
    if live.is_facilitator(&state.actor) {
        return true;
    }
    let who = live.facilitator.clone();
    state.warn(format!(
        "{who} is facilitating ({} takes it over): only they pause, run and end it",
        key_for(state, Command::TakeOver)
    ));
    false
}

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    if state.standup.data.is_none() {
        return Vec::new();
    }
    let format = state.standup.format();
    match cmd {
        Command::TakeOver => {
            match state.standup.live() {
                Some(live) => {
                    let (id, current) = (live.id.0, live.facilitator.clone());
                    super::ask_take_over(state, Ritual::Standup, id, "", &current);
                }
                None => state.info(format!(
                    "No standup is under way: {} starts one, and you facilitate it",
                    key_for(state, Command::ToggleTimer)
                )),
            }
            Vec::new()
        }
        Command::ToggleTimer => toggle_timer(state),
        Command::NextTurn => step_turn(state, 1),
        Command::PrevTurn => step_turn(state, -1),
        Command::SelectDown | Command::SelectUp => {
            let delta = if cmd == Command::SelectDown { 1 } else { -1 };
            match format {
                // The walk's selection is its turn, the same for everyone.
                StandupFormat::WalkTheBoard if state.read_only => {
                    state.error(strings::READ_ONLY_REFUSAL);
                    Vec::new()
                }
                StandupFormat::WalkTheBoard => step_turn(state, delta),
                StandupFormat::RoundRobin => {
                    let st = &mut state.standup;
                    let n = st.turn_cards().len();
                    if n > 0 {
                        st.card_row =
                            (st.card_row as i64 + i64::from(delta)).clamp(0, n as i64 - 1) as usize;
                    }
                    Vec::new()
                }
            }
        }
        Command::ShuffleSpeakers => {
            if format == StandupFormat::WalkTheBoard {
                state.info("Walking the board goes right to left; f switches to round robin");
                return Vec::new();
            }
            if !facilitating(state) {
                return Vec::new();
            }
            match state.standup.live() {
                Some(live) => vec![Effect::Standup(StandupEffect::Shuffle {
                    id: live.id,
                    from: live.step,
                })],
                None => {
                    // Before it begins: who this terminal would begin it with.
                    let now = state.now;
                    let st = &mut state.standup;
                    shuffle(&mut st.order, now.timestamp_millis() as u64);
                    let first = st.order.first().cloned().unwrap_or("nobody".into());
                    state.info(format!("Shuffled: {first} goes first"));
                    Vec::new()
                }
            }
        }
        Command::SwitchFormat => {
            if !facilitating(state) {
                return Vec::new();
            }
            if let Some(live) = state.standup.live() {
                return vec![Effect::Standup(StandupEffect::SetFormat {
                    id: live.id,
                    format: live.format.toggled(),
                    from: live.step,
                })];
            }
            let Some(d) = state.standup.data.as_deref() else {
                return Vec::new();
            };
            let settings = StandupSettings {
                format: d.settings.format.toggled(),
                ..d.settings
            };
            state.standup.card_row = 0;
            vec![Effect::Standup(StandupEffect::SetSettings(settings))]
        }
        Command::SetTimebox => {
            let Some(d) = state.standup.data.as_deref() else {
                return Vec::new();
            };
            let s = d.settings;
            let form = TimeboxForm {
                minutes: s.minutes,
                turn_seconds: s.turn_seconds,
            };
            let dialog = InputDialog::form(InputPurpose::Timebox, "Standup timeboxes", &form)
                .with_hint("e.g. 15 or 15m; a turn: 90s, 2m, 1:30, blank for none");
            open(state, dialog)
        }
        Command::ToggleMute => {
            let st = &mut state.standup;
            st.muted = !st.muted;
            let muted = st.muted;
            state.info(if muted {
                "Bell muted here: the timer still changes colour"
            } else {
                "Bell on here: it rings when a timebox runs out"
            });
            Vec::new()
        }
        Command::RaiseBlock => with_standup(state, |state, standup| {
            let Some(w) = state.standup.selected_card() else {
                return no_card(state);
            };
            if w.card.blocked {
                let text = format!(
                    "{} is blocked already: {}",
                    w.card.id,
                    w.blocked_reason.clone().unwrap_or_default()
                );
                state.info(text);
                return Vec::new();
            }
            let card = w.card.id;
            open(
                state,
                InputDialog::single(
                    InputPurpose::ImpedimentBlock { standup, card },
                    format!("Impediment: block {card}"),
                    "What is in the way?",
                    "",
                )
                .with_hint("the card is marked blocked with this reason, and it is recorded"),
            )
        }),
        Command::RaiseCard => with_standup(state, |state, standup| {
            let Some(column) = state.standup.data.as_deref().and_then(|d| d.first_column()) else {
                return Vec::new();
            };
            open(
                state,
                InputDialog::single(
                    InputPurpose::ImpedimentCard { standup, column },
                    "Impediment: a new card",
                    "What is in the way?",
                    "",
                )
                .with_hint("a card tagged #impediment in the first column"),
            )
        }),
        Command::ParkTopic => with_standup(state, |state, standup| {
            open(
                state,
                InputDialog::single(
                    InputPurpose::Parking { standup },
                    "Parking lot",
                    "A topic for after the standup",
                    "",
                ),
            )
        }),
        Command::EditNotes => with_standup(state, |state, standup| {
            let st = &state.standup;
            let who = match st.format() {
                StandupFormat::RoundRobin => st.speaker().map(str::to_string),
                StandupFormat::WalkTheBoard => {
                    st.selected_card().and_then(|w| w.card.assignee.clone())
                }
            };
            let Some(name) = who else {
                state.warn("Notes are per person: nobody has the turn");
                return Vec::new();
            };
            let old = st
                .current()
                .and_then(|c| c.notes_of(&name))
                .cloned()
                .unwrap_or_default();
            let form = NotesForm {
                yesterday: old.yesterday,
                today: old.today,
                blockers: old.blockers,
            };
            let dialog = InputDialog::form(
                InputPurpose::Notes {
                    standup,
                    name: name.clone(),
                },
                format!("Notes of {name} (all optional)"),
                &form,
            );
            open(state, dialog)
        }),
        Command::AddAttendee => open(
            state,
            InputDialog::single(InputPurpose::Attendee, "Add someone", "Name", ""),
        ),
        Command::RemoveAttendee => {
            if format == StandupFormat::WalkTheBoard {
                state.info("The walk follows the cards; f switches to round robin");
                return Vec::new();
            }
            let Some(gone) = state.standup.speaker().map(str::to_string) else {
                return Vec::new();
            };
            match state.standup.live() {
                Some(live) => vec![Effect::Standup(StandupEffect::Leave {
                    id: live.id,
                    message: format!("{gone} is not here today"),
                    name: gone,
                })],
                None => {
                    let st = &mut state.standup;
                    st.order.retain(|o| *o != gone);
                    state.info(format!("{gone} is not here today"));
                    Vec::new()
                }
            }
        }
        Command::JoinStandup => join_or_leave(state),
        Command::EndStandup => with_standup(state, |state, _| {
            if !facilitating(state) {
                return Vec::new();
            }
            let st = &state.standup;
            let (imp, parked) = st.current().map_or((0, 0), |c| {
                (
                    c.items_of(ItemKind::Impediment).count(),
                    c.items_of(ItemKind::Parking).count(),
                )
            });
            let message = format!(
                "End the standup for everyone? It is saved with {} attending, {imp} impediments and {parked} parked topics.",
                st.order.len()
            );
            state.overlays.push(Overlay::Confirm(ConfirmDialog {
                purpose: ConfirmPurpose::EndStandup,
                message,
            }));
            Vec::new()
        }),
        Command::ShowStandupHistory => vec![Effect::Standup(StandupEffect::History)],
        Command::OpenCard => match state.standup.selected_card() {
            Some(w) => vec![Effect::OpenCard(w.card.id)],
            None => no_card(state),
        },
        _ => Vec::new(),
    }
}

/// Runs `f` with the standup under way, or says to start it first.
fn with_standup(
    state: &mut AppState,
    f: impl FnOnce(&mut AppState, StandupId) -> Vec<Effect>,
) -> Vec<Effect> {
    match state.standup.live().map(|l| l.id) {
        Some(id) => f(state, id),
        None => {
            state.warn(strings::start_standup_first(&key_for(
                state,
                Command::ToggleTimer,
            )));
            Vec::new()
        }
    }
}

/// Space: begins the standup when none is under way (whoever begins it
/// facilitates); then the facilitator's to pause and run.
fn toggle_timer(state: &mut AppState) -> Vec<Effect> {
    if !facilitating(state) {
        return Vec::new();
    }
    let st = &state.standup;
    match st.live() {
        Some(live) => vec![Effect::Standup(StandupEffect::SetRunning {
            id: live.id,
            running: !live.running(),
        })],
        None => {
            let Some(d) = st.data.as_deref() else {
                return Vec::new();
            };
            let new = NewStandup {
                format: d.settings.format,
                sprint: d.sprint.as_ref().map(|s| s.id),
                attendees: st.order.clone(),
            };
            vec![Effect::Standup(StandupEffect::Begin(new))]
        }
    }
}

fn step_turn(state: &mut AppState, delta: i32) -> Vec<Effect> {
    let st = &state.standup;
    let Some(live) = st.live() else {
        state.warn(strings::start_standup_first(&key_for(
            state,
            Command::ToggleTimer,
        )));
        return Vec::new();
    };
    let (id, from) = (live.id, live.step);
    let n = st.turns();
    if n == 0 {
        let message = match st.format() {
            StandupFormat::WalkTheBoard => "No work in progress to walk".to_string(),
            StandupFormat::RoundRobin => format!(
                "Nobody on the list: {} adds someone",
                key_for(state, Command::AddAttendee)
            ),
        };
        state.info(message);
        return Vec::new();
    }
    let next = st.turn() as i64 + i64::from(delta);
    if next >= n as i64 {
        state.info(format!(
            "That was everyone: {} parks what is left, {} ends the standup",
            key_for(state, Command::ParkTopic),
            key_for(state, Command::EndStandup)
        ));
        return Vec::new();
    }
    if next < 0 {
        return Vec::new();
    }
    vec![Effect::Standup(StandupEffect::Step { id, from, delta })]
}

/// J: you join the standup, or leave it.
fn join_or_leave(state: &mut AppState) -> Vec<Effect> {
    let me = state.actor.clone();
    let on_list = state.standup.order.contains(&me);
    match state.standup.live().map(|l| l.id) {
        Some(id) if on_list => vec![Effect::Standup(StandupEffect::Leave {
            id,
            name: me,
            message: format!(
                "You left the standup ({} joins again)",
                key_for(state, Command::JoinStandup)
            ),
        })],
        Some(id) => vec![Effect::Standup(StandupEffect::Join {
            id,
            name: me,
            message: "You joined the standup".into(),
        })],
        None => {
            let st = &mut state.standup;
            if on_list {
                st.order.retain(|o| *o != me);
                state.info("You are off the list the standup begins with");
            } else {
                st.order.push(me);
                state.info("You are on the list the standup begins with");
            }
            Vec::new()
        }
    }
}

/// The attendee dialog's name: added to the standup under way, or to the
/// list it begins with.
fn add_attendee(state: &mut AppState, name: &str) -> Result<Vec<Effect>, String> {
    let name = crate::domain::standup::validate_person(name).map_err(|e| e.to_string())?;
    if let Some(there) = state
        .standup
        .order
        .iter()
        .find(|o| o.to_lowercase() == name.to_lowercase())
    {
        return Err(format!("{there} is on the list already"));
    }
    match state.standup.live().map(|l| l.id) {
        Some(id) => Ok(vec![Effect::Standup(StandupEffect::Join {
            id,
            message: format!("{name} joined"),
            name,
        })]),
        None => {
            state.standup.order.push(name.clone());
            state.overlays.pop();
            state.info(format!("{name} joined"));
            Ok(Vec::new())
        }
    }
}

/// The standup was recorded: remember its id.
pub(super) fn begun(state: &mut AppState, id: StandupId) -> Vec<Effect> {
    state.standup.id = Some(id);
    state.standup.rang_total = false;
    let minutes = state
        .standup
        .data
        .as_deref()
        .map_or(15, |d| d.settings.minutes);
    state.info(format!(
        "Standup started ({minutes} min): you facilitate. {} pauses, {} next, {} ends",
        key_for(state, Command::ToggleTimer),
        key_for(state, Command::NextTurn),
        key_for(state, Command::EndStandup)
    ));
    vec![Effect::Standup(StandupEffect::Load)]
}

/// A step arrived after the standup had moved on: said, and shown anew.
pub(super) fn moved_on(state: &mut AppState, message: String) -> Vec<Effect> {
    state.warn(message);
    vec![Effect::Standup(StandupEffect::Load)]
}

/// The facilitator confirmed the end.
pub(super) fn end(state: &mut AppState) -> Vec<Effect> {
    match state.standup.live().map(|l| l.id) {
        Some(id) => vec![Effect::Standup(StandupEffect::End(id))],
        None => Vec::new(),
    }
}

/// What saving the tab's dialogs does; `None` if the dialog is not the tab's.
pub(super) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = super::dialog(state)?;
    let trimmed = d.text().trim().to_string();
    let effect = match &d.purpose {
        InputPurpose::Attendee => {
            let name = d.text();
            return Some(add_attendee(state, &name));
        }
        InputPurpose::Timebox => {
            return Some(TimeboxForm::parse(d).and_then(|f| {
                StandupSettings {
                    format: state
                        .standup
                        .data
                        .as_deref()
                        .map_or(StandupFormat::default(), |d| d.settings.format),
                    minutes: f.minutes,
                    turn_seconds: f.turn_seconds,
                }
                .validated()
                .map(|s| vec![Effect::Standup(StandupEffect::SetSettings(s))])
                .map_err(|e| e.to_string())
            }));
        }
        InputPurpose::Parking { standup } => StandupEffect::Park {
            id: *standup,
            text: trimmed,
        },
        InputPurpose::ImpedimentBlock { standup, card } => {
            if trimmed.is_empty() {
                return Some(Err("Say what is in the way".into()));
            }
            StandupEffect::Raise {
                id: *standup,
                impediment: Impediment::Block {
                    card: *card,
                    reason: trimmed,
                },
            }
        }
        InputPurpose::ImpedimentCard { standup, column } => StandupEffect::Raise {
            id: *standup,
            impediment: Impediment::NewCard {
                title: d.text(),
                column: *column,
            },
        },
        InputPurpose::Notes { standup, name } => match NotesForm::parse(d) {
            Ok(f) => StandupEffect::SaveNotes {
                id: *standup,
                notes: SpeakerNotes {
                    name: name.clone(),
                    yesterday: f.yesterday,
                    today: f.today,
                    blockers: f.blockers,
                },
            },
            Err(e) => return Some(Err(e)),
        },
        _ => return None,
    };
    Some(Ok(vec![Effect::Standup(effect)]))
}
