//! The Standup tab's forms: the timeboxes, and someone's notes.

use crate::domain::standup::parse_duration;
use crate::ui::overlay::{Field, Form, InputDialog};

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
