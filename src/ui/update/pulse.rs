//! The Pulse tab: choosing a pulse, opening and closing one, and answering
//! it one item per screen.

use crate::domain::handover::Ritual;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{no_card, open_dialog as open};
use crate::domain::parse_date;
use crate::domain::pulse::{DEFAULT_MIN_COMMENTS, Instrument, check_threshold, validate_comment};
use crate::store::NewPulse;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, PulseEffect};
use crate::ui::keymap::key_for;
use crate::ui::overlay::{
    AnswerDialog, ConfirmDialog, ConfirmPurpose, Field, Form, InputDialog, InputPurpose, Overlay,
};
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::{AppState, PulseData, Tab};
use crate::ui::text::safe_fit;

fn load() -> Vec<Effect> {
    vec![Effect::Pulse(PulseEffect::Load)]
}

/// Results that arrive for the pulse still selected replace the shown ones.
pub(super) fn results_loaded(
    state: &mut AppState,
    id: crate::domain::pulse::PulseId,
    results: Result<crate::domain::pulse::PulseResults, String>,
) -> Vec<Effect> {
    if state.pulse.selected_id == Some(id)
        && let Some(d) = state.pulse.data.as_deref_mut()
    {
        d.results = Some(results);
    }
    Vec::new()
}

pub(super) fn loaded(state: &mut AppState, data: Box<PulseData>) -> Vec<Effect> {
    // A pulse this person opened, whose close someone else took over.
    let me = state.actor.clone();
    let taken: Vec<String> = state
        .pulse
        .data
        .as_deref()
        .map(|old| {
            data.pulses
                .iter()
                .filter(|p| p.opened_by != me)
                .filter(|p| old.pulses.iter().any(|o| o.id == p.id && o.opened_by == me))
                .map(|p| (p.id.0, p.opened_by.clone(), p.title.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        // Said once, wherever it was said first (see `update::presence`).
        .filter(|(id, by, _)| state.first_telling(Ritual::Pulse, *id, by))
        .map(|(_, by, title)| {
            format!(
                "{by} took the close of \"{}\" over from you",
                safe_fit(&title, 30)
            )
        })
        .collect();
    let p = &mut state.pulse;
    // Stay on the same pulse when another terminal opens one.
    let sel = reselect_in(p.row, p.selected_id, &data.pulses, |x| x.id);
    p.row = sel.row;
    p.selected_id = data.pulses.get(p.row).map(|x| x.id);
    let said = sel.left.map(|gone| {
        match p
            .data
            .as_deref()
            .and_then(|d| d.pulses.iter().find(|x| x.id == gone))
        {
            Some(x) => format!("\"{}\" is no longer in the list", safe_fit(&x.title, 30)),
            None => "The pulse you had selected is no longer in the list".to_string(),
        }
    });
    p.data = Some(data);
    if let Some(text) = said {
        state.tell_left(Tab::Pulse, text);
    }
    if let Some(text) = taken.into_iter().next() {
        state.warn(text);
    }
    Vec::new()
}

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(data) = state.pulse.data.as_deref() else {
        return Vec::new();
    };
    let n = data.pulses.len();
    match cmd {
        Command::ScrollDown => {
            state.pulse.scroll = state.pulse.scroll.saturating_add(3).min(200);
            Vec::new()
        }
        Command::ScrollUp => {
            state.pulse.scroll = state.pulse.scroll.saturating_sub(3);
            Vec::new()
        }
        Command::SelectUp | Command::SelectDown => {
            if n == 0 {
                return Vec::new();
            }
            let p = &mut state.pulse;
            let row = if cmd == Command::SelectUp {
                p.row.saturating_sub(1)
            } else {
                (p.row + 1).min(n - 1)
            };
            if row == p.row {
                return Vec::new();
            }
            p.row = row;
            p.scroll = 0;
            p.selected_id = p
                .data
                .as_deref()
                .and_then(|d| d.pulses.get(row))
                .map(|x| x.id);
            // The newly selected pulse's results, if they may show: only
            // they are read, not the whole tab again.
            match p.selected_id {
                Some(id) => vec![Effect::Pulse(PulseEffect::Results(id))],
                None => Vec::new(),
            }
        }
        Command::NewPulse => {
            let ids: Vec<&str> = data.instruments.iter().map(|i| i.id.as_str()).collect();
            let form = PulseForm {
                title: format!("Pulse {}", data.today.format("%B %Y")),
                instrument: "edmondson".into(),
                closes: String::new(),
                threshold: state.defaults.pulse_threshold.to_string(),
                question: String::new(),
            };
            let dialog =
                InputDialog::form(InputPurpose::NewPulse, "Open a pulse", &form).with_hint(
                    format!("instruments: {} · threshold: at least 3", ids.join(", ")),
                );
            open(state, dialog)
        }
        Command::AnswerPulse => {
            let Some(i) = state.pulse.selected() else {
                state.info(format!(
                    "No pulse yet: {} opens one",
                    key_for(state, Command::NewPulse)
                ));
                return Vec::new();
            };
            let p = i.clone();
            if p.is_closed(data.now) {
                state.info(format!("\"{}\" is closed", p.title));
                return Vec::new();
            }
            if p.instrument.items.is_empty() {
                state.error(format!(
                    "\"{}\" has no questions this teamloop can ask (its instrument did not load)",
                    p.title
                ));
                return Vec::new();
            }
            if data
                .responded
                .get(state.pulse.row)
                .copied()
                .unwrap_or(false)
            {
                state.info("You have answered this pulse: once each, and without your name");
                return Vec::new();
            }
            state
                .overlays
                .push(Overlay::PulseAnswer(Box::new(AnswerDialog::new(
                    p.id,
                    p.title.clone(),
                    p.instrument.clone(),
                ))));
            Vec::new()
        }
        Command::ClosePulse => {
            let Some(p) = state.pulse.selected() else {
                return no_card(state);
            };
            if p.opened_by != state.actor {
                let who = p.opened_by.clone();
                state.warn(format!(
                    "Only whoever opened it ({who}) closes a pulse by hand ({} takes that over)",
                    key_for(state, Command::TakeOver)
                ));
                return Vec::new();
            }
            if p.is_closed(data.now) {
                state.info("It is closed already");
                return Vec::new();
            }
            let message = format!(
                "Close \"{}\" now, with {} responses? Nobody can answer after.",
                p.title, p.responses
            );
            let id = p.id;
            state.overlays.push(Overlay::Confirm(ConfirmDialog {
                purpose: ConfirmPurpose::ClosePulse(id),
                message,
            }));
            Vec::new()
        }
        Command::TakeOver => {
            let Some(p) = state.pulse.selected() else {
                return no_card(state);
            };
            if p.is_closed(data.now) {
                state.info("It is closed: there is nothing to take over");
                return Vec::new();
            }
            let (id, title, current) = (p.id.0, p.title.clone(), p.opened_by.clone());
            super::ask_take_over(state, Ritual::Pulse, id, &title, &current);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// A new pulse: its title, instrument, last day, threshold and free-text
/// question, as typed. The instrument is one of those loaded, so they are
/// checked together, top to bottom, by [`PulseForm::new_pulse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PulseForm {
    pub title: String,
    pub instrument: String,
    pub closes: String,
    pub threshold: String,
    pub question: String,
}

impl Form for PulseForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Title", &self.title, false),
            Field::new("Instrument", &self.instrument, false),
            Field::new(
                "Last day to answer (YYYY-MM-DD, blank: until closed)",
                &self.closes,
                false,
            ),
            Field::new(
                "Results need at least this many responses",
                &self.threshold,
                false,
            ),
            Field::new(
                "A free-text question, asked last (optional)",
                &self.question,
                false,
            ),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [title, instrument, closes, threshold, question] = d.texts();
        Ok(Self {
            title,
            instrument,
            closes,
            threshold,
            question,
        })
    }
}

impl PulseForm {
    /// The pulse to open, with one of these instruments.
    fn new_pulse(self, instruments: &[Instrument]) -> Result<NewPulse, String> {
        let mut instrument = instruments
            .iter()
            .find(|i| i.id == self.instrument.trim())
            .cloned()
            .ok_or_else(|| format!("no instrument '{}'", self.instrument.trim()))?;
        if !self.question.trim().is_empty() {
            instrument.free_text = Some(self.question.trim().to_string());
        }
        let closes = if self.closes.trim().is_empty() {
            None
        } else {
            Some(parse_date(&self.closes).map_err(|e| e.to_string())?)
        };
        let min = self
            .threshold
            .trim()
            .parse::<u32>()
            .map_err(|_| "the threshold is a number, 3 or more".to_string())
            .and_then(|n| check_threshold(n).map_err(|e| e.to_string()))?;
        Ok(NewPulse {
            title: self.title,
            instrument,
            closes,
            min_responses: min,
            min_comments: DEFAULT_MIN_COMMENTS.max(min),
        })
    }
}

/// What saving the tab's dialog does; `None` if the dialog is not the tab's.
pub(super) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = super::dialog(state)?;
    if d.purpose != InputPurpose::NewPulse {
        return None;
    }
    let Some(data) = state.pulse.data.as_deref() else {
        return Some(Ok(Vec::new()));
    };
    Some(
        PulseForm::parse(d)
            .and_then(|f| f.new_pulse(&data.instruments))
            .map(|new| vec![Effect::Pulse(PulseEffect::Open(new))]),
    )
}

/// A key while answering.
pub(super) fn answer_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::PulseAnswer(d)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let items = d.instrument.items.len();
    let on_text = d.free_text_step() == Some(d.step);
    d.error = None;
    match key.code {
        KeyCode::Esc => {
            if d.touched() {
                state.overlays.push(Overlay::Confirm(ConfirmDialog {
                    purpose: ConfirmPurpose::DiscardInput,
                    message: "Leave without sending your answers?".into(),
                }));
            } else {
                state.overlays.pop();
            }
            Vec::new()
        }
        KeyCode::Char('c') if ctrl => {
            state.overlays.pop();
            Vec::new()
        }
        _ if on_text => {
            match key.code {
                KeyCode::Enter | KeyCode::Tab => d.step += 1,
                KeyCode::BackTab => d.step = d.step.saturating_sub(1),
                _ => {
                    d.comment.area.input(key);
                }
            }
            Vec::new()
        }
        KeyCode::Char(c) if d.step < items && c.is_ascii_digit() => {
            let a = c.to_digit(10).unwrap_or(0);
            if a >= 1 && a <= d.instrument.scale {
                d.answers[d.step] = Some(a);
                d.step += 1;
            } else {
                d.error = Some(format!("Answer with 1 to {}", d.instrument.scale));
            }
            Vec::new()
        }
        KeyCode::Left | KeyCode::Backspace | KeyCode::Char('h' | 'p') | KeyCode::BackTab => {
            d.step = d.step.saturating_sub(1);
            Vec::new()
        }
        KeyCode::Right | KeyCode::Char('l' | 'n') | KeyCode::Tab => {
            if d.step < items && d.answers[d.step].is_none() {
                d.error = Some("Answer this one first".into());
            } else {
                d.step = (d.step + 1).min(d.review_step());
            }
            Vec::new()
        }
        KeyCode::Enter if d.step == d.review_step() => {
            let Some(answers) = d.answers.iter().copied().collect::<Option<Vec<u32>>>() else {
                d.step = d.answers.iter().position(Option::is_none).unwrap_or(0);
                d.error = Some("Every item needs an answer".into());
                return Vec::new();
            };
            let comment = match validate_comment(&d.comment.text()) {
                Ok(c) => c,
                Err(e) => {
                    d.error = Some(e.to_string());
                    return Vec::new();
                }
            };
            vec![Effect::Pulse(PulseEffect::Respond {
                id: d.pulse,
                answers,
                comment,
            })]
        }
        _ => Vec::new(),
    }
}

/// The response went in.
pub(super) fn answered(state: &mut AppState, message: String) -> Vec<Effect> {
    if let Some(Overlay::PulseAnswer(_)) = state.overlays.last() {
        state.overlays.pop();
    }
    state.info(message);
    load()
}
