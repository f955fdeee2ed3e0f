//! The Mortems tab's dialogs: editing a part with the blame lint run as
//! the user types, timeline entries, action items and mitigations, ratings,
//! and what each dialog's answer does.

use chrono::NaiveDate;

use super::*;
use crate::ui::keymap::key_for;
use crate::ui::overlay::Form;
use crate::ui::update::action_form::{ActionFor, ActionForm, optional_date};

pub(super) fn edit_dialog(state: &mut AppState, id: MortemId, part: Part) -> Vec<Effect> {
    let Some(data) = state.mortem.data.as_deref() else {
        return Vec::new();
    };
    let Some(r) = data.report.as_ref() else {
        return Vec::new();
    };
    let m = &r.mortem;
    let single = |field: MortemField, label: &'static str, text: &str, hint: &str| {
        InputDialog::single(
            InputPurpose::MortemField { mortem: id, field },
            label,
            label,
            text,
        )
        .with_hint(hint)
    };
    let dialog = match part {
        Part::Title => single(MortemField::Title, "Title", &m.title, "1 to 120 characters"),
        Part::Date => single(
            MortemField::Date,
            "Date",
            &m.date.to_string(),
            "the day of the incident, YYYY-MM-DD",
        ),
        Part::Authors => single(
            MortemField::Authors,
            "Authors",
            &m.authors,
            "who wrote it, comma-separated",
        ),
        Part::Subject => single(
            MortemField::Subject,
            "About",
            &m.subject,
            "the project or work the pre-mortem is about",
        ),
        Part::Section(i) => {
            let Some(s) = data.post.sections.get(i) else {
                return Vec::new();
            };
            let mut d = InputDialog::multiline(
                InputPurpose::MortemSection {
                    mortem: id,
                    key: s.key.clone(),
                    base: m.section(&s.key).to_string(),
                },
                s.heading.clone(),
                "Text",
                m.section(&s.key),
            )
            .with_hint(s.hint.clone());
            relint_dialog(&mut d, data);
            d
        }
        _ => return Vec::new(),
    };
    open(state, dialog)
}

/// Runs the blame lint on a section editor's text: its warnings below the
/// text, and the phrases highlighted in it.
fn relint_dialog(d: &mut InputDialog, data: &MortemData) {
    let InputPurpose::MortemSection { key, .. } = &d.purpose else {
        return;
    };
    let Some(section) = data.post.section(key) else {
        return;
    };
    let text = d.text();
    let warnings = data.lint.check_section(&text, &data.names, section);
    d.notes = warnings
        .iter()
        .map(|w| format!("⚠ {} · {}", w.severity.as_str(), w.at_line()))
        .collect();
    let mut phrases: Vec<String> = warnings
        .iter()
        .map(|w| regex_escape(&w.phrase.to_lowercase()))
        .collect();
    phrases.sort();
    phrases.dedup();
    if let Some(f) = d.fields.first_mut() {
        let pattern = if phrases.is_empty() {
            String::new()
        } else {
            format!("(?i)\\b(?:{})\\b", phrases.join("|"))
        };
        // An empty pattern clears the highlight.
        let _ = f.area.set_search_pattern(pattern);
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// After a key in a section editor: the lint again.
pub(in crate::ui::update) fn relint(state: &mut AppState) {
    let Some(data) = state.mortem.data.as_deref() else {
        return;
    };
    if let Some(Overlay::Input(d)) = state.overlays.last_mut() {
        relint_dialog(d, data);
    }
}

pub(super) fn timeline_dialog(state: &mut AppState, entry: Option<i64>) -> Vec<Effect> {
    let Some(r) = state.mortem.report() else {
        state.info(format!(
            "Nothing selected: {} starts a post-mortem",
            key_for(state, Command::NewMortem)
        ));
        return Vec::new();
    };
    if r.mortem.kind != MortemKind::Post {
        state.info("The timeline belongs to post-mortems");
        return Vec::new();
    }
    let day = r.mortem.date;
    let (at, text) = match entry.and_then(|e| r.timeline.iter().find(|x| x.id == e)) {
        Some(e) => (e.at, e.text.clone()),
        None => (state.now, String::new()),
    };
    let time = if at.date_naive() == day {
        at.format("%H:%M").to_string()
    } else {
        at.format("%Y-%m-%d %H:%M").to_string()
    };
    let prefill = format!("{time} {text}");
    let title = if entry.is_some() {
        "Timeline entry"
    } else {
        "Add to the timeline"
    };
    let id = r.mortem.id;
    open(
        state,
        InputDialog::single(
            InputPurpose::Timeline { mortem: id, entry },
            title,
            "HH:MM (UTC) and what happened",
            &prefill,
        )
        .with_hint(format!(
            "UTC, on {day} unless you write YYYY-MM-DD HH:MM; the timeline is always sorted"
        )),
    )
}

pub(super) fn action_dialog(state: &mut AppState, id: MortemId, risk: Option<i64>) -> Vec<Effect> {
    let purpose = InputPurpose::MortemAction { mortem: id, risk };
    let form = ActionForm::new(state, ActionFor::of(&purpose));
    let title = match risk.and_then(|r| state.mortem.report()?.risk(r)) {
        Some(r) => format!("Mitigate R{}: it becomes a card on the board", r.number),
        None => "An action item: it becomes a card on the board".to_string(),
    };
    open(
        state,
        InputDialog::form(purpose, title, &form).with_hint("specific and bounded, with one owner"),
    )
}

pub(super) fn rate_dialog(state: &mut AppState, i: usize) -> Vec<Effect> {
    let Some(r) = state.mortem.report() else {
        return Vec::new();
    };
    let Some(risk) = r.risks.get(i) else {
        return Vec::new();
    };
    let form = RateForm {
        likelihood: risk.likelihood,
        impact: risk.impact,
    };
    let dialog = InputDialog::form(
        InputPurpose::Rate {
            mortem: r.mortem.id,
            risk: risk.id,
        },
        format!("Rate R{}: {}", risk.number, risk.text),
        &form,
    )
    .with_hint("a step after Klein's: the score is likelihood × impact");
    open(state, dialog)
}

fn optional_rating(text: &str, what: &str) -> Result<Option<u8>, DomainError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_rating(text, what).map(Some)
    }
}

/// A new post-mortem: its title and the day of the incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PostmortemForm {
    pub title: String,
    pub day: Option<NaiveDate>,
}

impl Form for PostmortemForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Title", &self.title, false),
            Field::new(
                "Day of the incident (YYYY-MM-DD)",
                &self.day.map(|d| d.to_string()).unwrap_or_default(),
                false,
            ),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [title, day] = d.texts();
        Ok(Self {
            title: titled(&title)?,
            day: optional_date(&day).map_err(|e| e.to_string())?,
        })
    }
}

/// A new pre-mortem: its project, and the card it is about, if one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PremortemForm {
    pub title: String,
    pub card: Option<CardId>,
}

impl Form for PremortemForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Title (the project)", &self.title, false),
            Field::new(
                "Card number (blank for a whole project)",
                &self.card.map(|c| c.0.to_string()).unwrap_or_default(),
                false,
            ),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [title, card] = d.texts();
        let title = titled(&title)?;
        let card = card.trim().trim_start_matches('#');
        let card = if card.is_empty() {
            None
        } else {
            Some(CardId(card.parse::<i64>().map_err(|_| {
                format!("'{card}' is not a card number (blank for a project)")
            })?))
        };
        Ok(Self { title, card })
    }
}

/// A new mortem's title, which it must have.
fn titled(text: &str) -> Result<String, String> {
    let title = text.trim().to_string();
    if title.is_empty() {
        return Err("Give it a title".to_string());
    }
    Ok(title)
}

/// A risk's ratings, each blank until given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RateForm {
    pub likelihood: Option<u8>,
    pub impact: Option<u8>,
}

impl Form for RateForm {
    fn fields(&self) -> Vec<Field> {
        let show = |v: Option<u8>| v.map_or(String::new(), |v| v.to_string());
        vec![
            Field::new(
                "Likelihood, 1 (rare) to 5 (almost certain)",
                &show(self.likelihood),
                false,
            ),
            Field::new("Impact, 1 (minor) to 5 (severe)", &show(self.impact), false),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [likelihood, impact] = d.texts();
        let e = |e: DomainError| e.to_string();
        Ok(Self {
            likelihood: optional_rating(&likelihood, "likelihood").map_err(e)?,
            impact: optional_rating(&impact, "impact").map_err(e)?,
        })
    }
}

/// What saving one of the tab's dialogs does; `None` if the dialog is not
/// the tab's.
pub(in crate::ui::update) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = crate::ui::update::dialog(state)?;
    let text = d.text();
    let e = |e: DomainError| e.to_string();
    let out = match &d.purpose {
        // The search applies as it is typed: Enter only closes it.
        InputPurpose::MortemSearch => {
            state.overlays.pop();
            Ok(Vec::new())
        }
        InputPurpose::NewMortem {
            kind: MortemKind::Post,
        } => PostmortemForm::parse(d).map(|f| {
            effect(MortemEffect::NewPost {
                title: f.title,
                day: f.day,
            })
        }),
        InputPurpose::NewMortem {
            kind: MortemKind::Pre,
        } => PremortemForm::parse(d).map(|f| {
            effect(MortemEffect::NewPre {
                title: f.title,
                card: f.card,
            })
        }),
        InputPurpose::MortemField { mortem, field } => Ok(effect(MortemEffect::SetField {
            id: *mortem,
            field: *field,
            text,
        })),
        InputPurpose::MortemSection { mortem, key, base } => Ok(effect(MortemEffect::SetSection {
            id: *mortem,
            key: key.clone(),
            text,
            base: base.clone(),
        })),
        InputPurpose::Timeline { mortem, entry } => (|| {
            let day = state
                .mortem
                .report()
                .filter(|r| r.mortem.id == *mortem)
                .map(|r| r.mortem.date)
                .ok_or("that post-mortem is gone")?;
            let (at, what) = parse_timeline(&text, day).map_err(e)?;
            Ok(effect(match entry {
                Some(entry) => MortemEffect::EditTimeline {
                    id: *mortem,
                    entry: *entry,
                    at,
                    text: what,
                },
                None => MortemEffect::AddTimeline {
                    id: *mortem,
                    at,
                    text: what,
                },
            }))
        })(),
        InputPurpose::MortemAction { mortem, risk } => ActionForm::parse(d).map(|f| {
            effect(MortemEffect::AddAction {
                id: *mortem,
                action: NewAction {
                    text: f.text,
                    kind: f.what.kind(),
                    owner: f.owner,
                    due: f.due,
                    priority: f.what.priority(),
                    risk: *risk,
                },
            })
        }),
        InputPurpose::Reason { mortem, hidden } => validate_card(&text).map_err(e).map(|text| {
            effect(MortemEffect::AddReason {
                id: *mortem,
                text,
                hidden: *hidden,
            })
        }),
        InputPurpose::Rate { mortem, risk } => RateForm::parse(d).map(|f| {
            effect(MortemEffect::Rate {
                id: *mortem,
                risk: *risk,
                likelihood: f.likelihood,
                impact: f.impact,
            })
        }),
        InputPurpose::ExportPath { mortem } => {
            let path = text.trim();
            if path.is_empty() {
                Err("Name the file".to_string())
            } else {
                Ok(effect(MortemEffect::Export {
                    id: *mortem,
                    path: std::path::PathBuf::from(path),
                }))
            }
        }
        _ => return None,
    };
    Some(out)
}
