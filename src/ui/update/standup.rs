//! The Standup tab: the facilitator's timer, turns, and what the team raises.

use chrono::Duration;

use super::{no_card, open_dialog as open};
use crate::domain::standup::{
    NewStandup, SpeakerNotes, StandupFormat, StandupId, StandupSettings, Timer, TimerPhase,
    parse_duration, shuffle,
};
use crate::store::Impediment;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, StandupEffect};
use crate::ui::overlay::{
    ConfirmDialog, ConfirmPurpose, Field, Form, InputDialog, InputPurpose, Overlay,
};
use crate::ui::state::{AppState, StandupData, StandupTabState};
use crate::ui::strings;

fn turn_limit(settings: &StandupSettings) -> Duration {
    Duration::seconds(i64::from(settings.turn_seconds.unwrap_or(0)))
}

pub(super) fn loaded(state: &mut AppState, data: Box<StandupData>) -> Vec<Effect> {
    let st = &mut state.standup;
    // Teammates move cards while the team walks the board: the turn stays
    // on the card being discussed, wherever the walk now puts it.
    let walked = match st.format() {
        StandupFormat::WalkTheBoard => st.selected_card().map(|w| w.card.id),
        StandupFormat::RoundRobin => None,
    };
    match walked.map(|id| data.walk.iter().position(|w| w.card.id == id)) {
        Some(Some(i)) => st.turn = i,
        // The card left the walk (finished, say): the next one's turn begins.
        Some(None) => {
            st.turn_timer.restart(state.now);
            st.rang_turn = false;
        }
        None => {}
    }
    let (total, turn) = (st.total.limit, st.turn_timer.limit);
    st.total.limit = Duration::minutes(i64::from(data.settings.minutes));
    st.turn_timer.limit = turn_limit(&data.settings);
    // A new timebox rings again when it runs out.
    if st.total.limit != total {
        st.rang_total = false;
    }
    if st.turn_timer.limit != turn {
        st.rang_turn = false;
    }
    if let Some(cur) = &data.current {
        if st.id.is_none() {
            // Carry on with today's standup: its attendees and time so far.
            st.id = Some(cur.id);
            st.order = cur.attendees.clone();
            st.total = Timer::resumed(
                st.total.limit,
                Duration::seconds(i64::from(cur.elapsed_seconds)),
            );
            st.ended = cur.ended_at.is_some();
        }
    } else if st.id.is_none() && st.order.is_empty() {
        st.order = data.people.clone();
    }
    st.data = Some(data);
    st.turn = st.turn.min(st.turns().saturating_sub(1));
    st.card_row = st.card_row.min(st.turn_cards().len().saturating_sub(1));
    Vec::new()
}

/// Called on every tick: rings the bell once when a timebox runs out.
pub(super) fn tick(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let st = &mut state.standup;
    let mut message = None;
    if st.total.running() && !st.rang_total && st.total.phase(now) == TimerPhase::Over {
        st.rang_total = true;
        message = Some("The standup's timebox is over: wrap up, park the rest (P)".to_string());
    }
    if st.turn_timer.running()
        && st.turn_timer.limit > Duration::zero()
        && !st.rang_turn
        && st.turn_timer.phase(now) == TimerPhase::Over
    {
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

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    if state.standup.data.is_none() {
        return Vec::new();
    }
    let now = state.now;
    let format = state.standup.format();
    match cmd {
        Command::ToggleTimer => toggle_timer(state),
        Command::NextTurn => step_turn(state, 1),
        Command::PrevTurn => step_turn(state, -1),
        Command::SelectDown | Command::SelectUp => {
            let delta = if cmd == Command::SelectDown { 1 } else { -1 };
            match format {
                StandupFormat::WalkTheBoard => step_turn(state, delta),
                StandupFormat::RoundRobin => {
                    let st = &mut state.standup;
                    let n = st.turn_cards().len();
                    if n > 0 {
                        st.card_row = (st.card_row as i64 + delta).clamp(0, n as i64 - 1) as usize;
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
            let st = &mut state.standup;
            shuffle(&mut st.order, now.timestamp_millis() as u64);
            st.turn = 0;
            st.card_row = 0;
            st.turn_timer.restart(now);
            st.rang_turn = false;
            let first = st.speaker().unwrap_or("nobody").to_string();
            state.info(format!("Shuffled: {first} goes first"));
            attendees_changed(state)
        }
        Command::SwitchFormat => {
            let Some(d) = state.standup.data.as_deref_mut() else {
                return Vec::new();
            };
            d.settings.format = d.settings.format.toggled();
            let settings = d.settings;
            let st = &mut state.standup;
            st.turn = 0;
            st.card_row = 0;
            st.turn_timer.restart(now);
            st.rang_turn = false;
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
                "Bell muted: the timer still changes colour"
            } else {
                "Bell on: it rings when a timebox runs out"
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
                .data
                .as_deref()
                .and_then(|d| d.current.as_ref())
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
            let st = &mut state.standup;
            if st.turn >= st.order.len() {
                return Vec::new();
            }
            let gone = st.order.remove(st.turn);
            st.turn = st.turn.min(st.order.len().saturating_sub(1));
            st.card_row = 0;
            state.info(format!("{gone} is not here today"));
            attendees_changed(state)
        }
        Command::EndStandup => with_standup(state, |state, _| {
            let st = &state.standup;
            let (imp, parked) =
                st.data
                    .as_deref()
                    .and_then(|d| d.current.as_ref())
                    .map_or((0, 0), |c| {
                        (
                            c.items_of(crate::domain::standup::ItemKind::Impediment)
                                .count(),
                            c.items_of(crate::domain::standup::ItemKind::Parking)
                                .count(),
                        )
                    });
            let message = format!(
                "End the standup? It is saved with {} attending, {imp} impediments and {parked} parked topics.",
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

/// Runs `f` with the standup's id, or says to start it first.
fn with_standup(
    state: &mut AppState,
    f: impl FnOnce(&mut AppState, StandupId) -> Vec<Effect>,
) -> Vec<Effect> {
    match state.standup.id {
        Some(id) if !state.standup.ended => f(state, id),
        _ => {
            state.warn(strings::START_STANDUP_FIRST);
            Vec::new()
        }
    }
}

fn seconds(t: &Timer, now: chrono::DateTime<chrono::Utc>) -> u32 {
    u32::try_from(t.elapsed(now).num_seconds().max(0)).unwrap_or(u32::MAX)
}

fn toggle_timer(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let st = &mut state.standup;
    if st.ended {
        // Today's standup is over: Space begins a new one.
        let keep = std::mem::take(&mut st.data);
        let order = std::mem::take(&mut st.order);
        let muted = st.muted;
        *st = StandupTabState {
            data: keep,
            order,
            muted,
            ..StandupTabState::default()
        };
        if let Some(d) = st.data.as_deref_mut() {
            d.current = None;
            st.total.limit = Duration::minutes(i64::from(d.settings.minutes));
            st.turn_timer.limit = turn_limit(&d.settings);
        }
    }
    match st.id {
        None => {
            let Some(d) = st.data.as_deref() else {
                return Vec::new();
            };
            let new = NewStandup {
                format: d.settings.format,
                sprint: d.sprint.as_ref().map(|s| s.id),
                attendees: st.order.clone(),
            };
            st.total.start(now);
            st.turn_timer.start(now);
            vec![Effect::Standup(StandupEffect::Begin(new))]
        }
        Some(id) if st.running() => {
            st.total.pause(now);
            st.turn_timer.pause(now);
            vec![Effect::Standup(StandupEffect::SaveTime {
                id,
                seconds: seconds(&st.total, now),
                end: false,
            })]
        }
        Some(_) => {
            st.total.start(now);
            st.turn_timer.start(now);
            state.info("Running");
            Vec::new()
        }
    }
}

fn step_turn(state: &mut AppState, delta: i64) -> Vec<Effect> {
    let now = state.now;
    let st = &mut state.standup;
    let n = st.turns();
    if n == 0 {
        let message = match st.format() {
            StandupFormat::WalkTheBoard => "No work in progress to walk",
            StandupFormat::RoundRobin => "Nobody on the list: a adds someone",
        };
        state.info(message);
        return Vec::new();
    }
    let next = st.turn as i64 + delta;
    if next >= n as i64 {
        state.info("That was everyone: P parks what is left, E ends the standup");
        return Vec::new();
    }
    let next = next.max(0) as usize;
    if next != st.turn {
        st.turn = next;
        st.card_row = 0;
        st.turn_timer.restart(now);
        st.rang_turn = false;
    }
    Vec::new()
}

/// Saves the attendee list once the standup is recorded.
fn attendees_changed(state: &mut AppState) -> Vec<Effect> {
    match state.standup.id {
        Some(id) => vec![Effect::Standup(StandupEffect::SetAttendees {
            id,
            names: state.standup.order.clone(),
        })],
        None => Vec::new(),
    }
}

/// The attendee dialog's name, added to the list.
fn add_attendee(state: &mut AppState, name: &str) -> Result<Vec<Effect>, String> {
    let name = crate::domain::standup::validate_person(name).map_err(|e| e.to_string())?;
    if state
        .standup
        .order
        .iter()
        .any(|o| o.eq_ignore_ascii_case(&name))
    {
        return Err(format!("{name} is on the list already"));
    }
    state.standup.order.push(name.clone());
    state.overlays.pop();
    state.info(format!("{name} joined"));
    Ok(attendees_changed(state))
}

/// The standup was recorded: remember its id.
pub(super) fn begun(state: &mut AppState, id: StandupId) -> Vec<Effect> {
    state.standup.id = Some(id);
    let minutes = state.standup.total.limit.num_minutes();
    state.info(format!(
        "Standup started: {minutes} minutes. Space pauses, n next, E ends"
    ));
    vec![Effect::Standup(StandupEffect::Load)]
}

/// The app is quitting: the time the timer ran so far is kept.
pub(super) fn quitting(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let st = &mut state.standup;
    match st.id {
        Some(id) if st.running() && !st.ended => {
            st.total.pause(now);
            vec![Effect::Standup(StandupEffect::SaveTime {
                id,
                seconds: seconds(&st.total, now),
                end: false,
            })]
        }
        _ => Vec::new(),
    }
}

/// The facilitator confirmed the end.
pub(super) fn end(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let st = &mut state.standup;
    let Some(id) = st.id else {
        return Vec::new();
    };
    st.total.pause(now);
    st.turn_timer.pause(now);
    st.ended = true;
    vec![Effect::Standup(StandupEffect::SaveTime {
        id,
        seconds: seconds(&st.total, now),
        end: true,
    })]
}

/// The timebox dialog: the whole standup's, and each turn's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TimeboxForm {
    pub minutes: u32,
    pub turn_seconds: Option<u32>,
}

impl Form for TimeboxForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new(
                "The whole standup (minutes)",
                &self.minutes.to_string(),
                false,
            ),
            Field::new(
                "Each turn (blank: no per-turn timebox)",
                &self
                    .turn_seconds
                    .map(|t| format!("{t}s"))
                    .unwrap_or_default(),
                false,
            ),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [minutes, turn] = d.texts();
        let total = parse_duration(&minutes).map_err(|e| e.to_string())?;
        let minutes = match total {
            Some(s) if s % 60 == 0 => s / 60,
            Some(_) => return Err("the standup's timebox is whole minutes, e.g. 15".into()),
            None => return Err("the standup needs a timebox, e.g. 15".into()),
        };
        let turn_seconds = parse_duration(&turn).map_err(|e| e.to_string())?;
        Ok(Self {
            minutes,
            turn_seconds,
        })
    }
}

/// Someone's notes: what they did, will do, and what is in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NotesForm {
    pub yesterday: String,
    pub today: String,
    pub blockers: String,
}

impl Form for NotesForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Yesterday", &self.yesterday, false),
            Field::new("Today", &self.today, false),
            Field::new("Blockers", &self.blockers, false),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [yesterday, today, blockers] = d.texts();
        Ok(Self {
            yesterday,
            today,
            blockers,
        })
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
                    format: state.standup.format(),
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
