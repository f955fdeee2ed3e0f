//! The action-item form a retro and a mortem share: what will be done, who
//! owns it and by when, with what a mortem's action adds (its type and
//! priority). Each tab saves it its own way.

use chrono::{Duration, NaiveDate};

use crate::domain::DomainError;
use crate::domain::card::normalize_assignee;
use crate::domain::mortem::{ActionType, Priority};
use crate::domain::parse_date;
use crate::ui::overlay::{Field, Form, InputDialog, InputPurpose};
use crate::ui::state::AppState;

/// Which action item the form is for, and what it asks beyond the text,
/// owner and due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ActionFor {
    /// A retro's: nothing more, and the owner may be left blank.
    Retro,
    /// A post-mortem's: its type and priority; it needs an owner.
    Postmortem {
        kind: ActionType,
        priority: Priority,
    },
    /// A pre-mortem risk's mitigation: a priority (no type); it needs an
    /// owner.
    Mitigation { priority: Priority },
}

impl ActionFor {
    /// What a dialog with this purpose asks for, as a new one has it.
    pub(crate) fn of(purpose: &InputPurpose) -> Self {
        match purpose {
            InputPurpose::MortemAction { risk: Some(_), .. } => ActionFor::Mitigation {
                priority: Priority::Medium,
            },
            InputPurpose::MortemAction { risk: None, .. } => ActionFor::Postmortem {
                kind: ActionType::Prevent,
                priority: Priority::Medium,
            },
            _ => ActionFor::Retro,
        }
    }

    /// A mortem's type, if it has one.
    pub(crate) fn kind(self) -> Option<ActionType> {
        match self {
            ActionFor::Postmortem { kind, .. } => Some(kind),
            _ => None,
        }
    }

    pub(crate) fn priority(self) -> Priority {
        match self {
            ActionFor::Postmortem { priority, .. } | ActionFor::Mitigation { priority } => priority,
            ActionFor::Retro => Priority::Medium,
        }
    }
}

/// An action item as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ActionForm {
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub what: ActionFor,
}

impl ActionForm {
    /// A new one, owned by the user and due in two weeks.
    pub(crate) fn new(state: &AppState, what: ActionFor) -> Self {
        Self {
            text: String::new(),
            owner: Some(state.actor.clone()),
            due: Some((state.now + Duration::days(14)).date_naive()),
            what,
        }
    }
}

impl Form for ActionForm {
    fn fields(&self) -> Vec<Field> {
        let label = match self.what {
            ActionFor::Mitigation { .. } => "Mitigation",
            _ => "Action",
        };
        let mut fields = vec![Field::new(label, &self.text, false)];
        if let Some(kind) = self.what.kind() {
            fields.push(Field::new(
                "Type: prevent, mitigate, detect or process",
                kind.as_str(),
                false,
            ));
        }
        let due = match self.what {
            ActionFor::Retro => "Due",
            _ => "Due (YYYY-MM-DD or blank)",
        };
        fields.extend([
            Field::new("Owner", self.owner.as_deref().unwrap_or_default(), false),
            Field::new(
                due,
                &self.due.map(|d| d.to_string()).unwrap_or_default(),
                false,
            ),
        ]);
        if self.what != ActionFor::Retro {
            let priority = match self.what.priority() {
                Priority::Medium => "",
                other => other.as_str(),
            };
            fields.push(Field::new(
                "Priority: high, low, or blank for medium",
                priority,
                false,
            ));
        }
        fields
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let e = |e: DomainError| e.to_string();
        let what = ActionFor::of(&d.purpose);
        // The fields in the order they show, each checked in turn.
        let mut texts = d.fields.iter().map(Field::text);
        let mut next = || texts.next().unwrap_or_default();
        let text = next().trim().to_string();
        if text.is_empty() {
            return Err("Say what will be done".to_string());
        }
        let kind = match what {
            ActionFor::Postmortem { .. } => ActionType::parse(&next()).map_err(e)?,
            _ => ActionType::Prevent,
        };
        let owner = normalize_assignee(&next());
        if what != ActionFor::Retro && owner.is_none() {
            return Err("An action item needs an owner".to_string());
        }
        let due = optional_date(&next()).map_err(e)?;
        let what = match what {
            ActionFor::Retro => ActionFor::Retro,
            ActionFor::Postmortem { .. } => ActionFor::Postmortem {
                kind,
                priority: Priority::parse(&next()).map_err(e)?,
            },
            ActionFor::Mitigation { .. } => ActionFor::Mitigation {
                priority: Priority::parse(&next()).map_err(e)?,
            },
        };
        Ok(Self {
            text,
            owner,
            due,
            what,
        })
    }
}

/// A date typed into a dialog; blank is none.
pub(crate) fn optional_date(text: &str) -> Result<Option<NaiveDate>, DomainError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mortem::MortemId;
    use crate::domain::retro::RetroId;

    const RETRO: InputPurpose = InputPurpose::RetroAction { retro: RetroId(1) };
    const POSTMORTEM: InputPurpose = InputPurpose::MortemAction {
        mortem: MortemId(1),
        risk: None,
    };
    const MITIGATION: InputPurpose = InputPurpose::MortemAction {
        mortem: MortemId(1),
        risk: Some(4),
    };

    fn form(what: ActionFor, owner: &str, due: Option<NaiveDate>) -> ActionForm {
        ActionForm {
            text: "Alert on a full disk".into(),
            owner: (!owner.is_empty()).then(|| owner.to_string()),
            due,
            what,
        }
    }

    /// The dialog a form opens as, read back.
    fn round_trip(
        purpose: InputPurpose,
        f: &ActionForm,
    ) -> (Vec<&'static str>, Result<ActionForm, String>) {
        let d = InputDialog::form(purpose, "An action item", f);
        let labels = d.fields.iter().map(|f| f.label).collect();
        (labels, ActionForm::parse(&d))
    }

    #[test]
    fn each_ritual_asks_its_own_fields_and_reads_back_what_it_showed() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 1);
        let retro = form(ActionFor::Retro, "", due);
        let (labels, back) = round_trip(RETRO, &retro);
        assert_eq!(labels, ["Action", "Owner", "Due"]);
        assert_eq!(back, Ok(retro), "a retro's action may have no owner");

        let post = form(
            ActionFor::Postmortem {
                kind: ActionType::parse("detect").unwrap(),
                priority: Priority::High,
            },
            "ana",
            None,
        );
        let (labels, back) = round_trip(POSTMORTEM, &post);
        assert_eq!(
            labels,
            [
                "Action",
                "Type: prevent, mitigate, detect or process",
                "Owner",
                "Due (YYYY-MM-DD or blank)",
                "Priority: high, low, or blank for medium",
            ]
        );
        assert_eq!(back, Ok(post));

        let mitigation = form(
            ActionFor::Mitigation {
                priority: Priority::Low,
            },
            "ben",
            due,
        );
        let (labels, back) = round_trip(MITIGATION, &mitigation);
        assert_eq!(
            labels,
            [
                "Mitigation",
                "Owner",
                "Due (YYYY-MM-DD or blank)",
                "Priority: high, low, or blank for medium",
            ]
        );
        assert_eq!(back, Ok(mitigation));
    }

    #[test]
    fn an_action_says_what_will_be_done_and_a_mortems_has_an_owner() {
        let mut retro = form(ActionFor::Retro, "ana", None);
        retro.text = "  ".into();
        assert_eq!(
            round_trip(RETRO, &retro).1,
            Err("Say what will be done".into())
        );
        let mitigation = form(
            ActionFor::Mitigation {
                priority: Priority::Medium,
            },
            "",
            None,
        );
        assert_eq!(
            round_trip(MITIGATION, &mitigation).1,
            Err("An action item needs an owner".into())
        );
        let mut d = InputDialog::form(
            RETRO,
            "An action item",
            &form(ActionFor::Retro, "ana", None),
        );
        d.fields[2] = Field::new("Due", "next week", false);
        assert!(ActionForm::parse(&d).unwrap_err().contains("is not a date"));
    }
}
