//! The Mortems tab: the list and its search, post-mortem parts written in
//! editors that lint as you type, the timeline, action items, and a
//! pre-mortem's hidden reasons, reveal, reading, ratings and mitigations.

use chrono::Duration;

use super::open_dialog as open;
use crate::domain::card::normalize_assignee;
use crate::domain::mortem::{
    ActionType, MortemId, MortemKind, NewAction, Priority, Stage, Status, parse_rating,
    parse_timeline,
};
use crate::domain::retro::validate_card;
use crate::domain::sprint::parse_date;
use crate::domain::{CardId, DomainError};
use crate::store::mortems::Field as MortemField;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, MortemEffect};
use crate::ui::overlay::{
    ConfirmDialog, ConfirmPurpose, Field, InputDialog, InputPurpose, NoticeDialog, Overlay,
    PickDialog, PickPurpose,
};
use crate::ui::state::{AppState, MortemData, MyReason, Part};
use crate::ui::strings;

pub(super) fn load() -> Vec<Effect> {
    vec![Effect::Mortem(MortemEffect::Load)]
}

fn effect(e: MortemEffect) -> Vec<Effect> {
    vec![Effect::Mortem(e)]
}

pub(super) fn loaded(state: &mut AppState, data: Box<MortemData>) -> Vec<Effect> {
    // The part selected, to find it again wherever the reload puts it.
    let was = state
        .mortem
        .selected_part()
        .and_then(|p| state.mortem.key_of(p))
        .zip(state.mortem.selected_id);
    let m = &mut state.mortem;
    if let Some(i) = m
        .selected_id
        .and_then(|id| data.list.iter().position(|l| l.mortem.id == id))
    {
        m.row = i;
    }
    m.row = m.row.min(data.list.len().saturating_sub(1));
    let before = m.selected_id;
    m.selected_id = data.list.get(m.row).map(|l| l.mortem.id);
    if m.selected_id != before {
        m.part = 0;
    }
    if data.list.is_empty() {
        m.reading = false;
    }
    // Reasons of this terminal's that are revealed need no keeping.
    if let Some(r) = &data.report
        && r.mortem.stage != Some(Stage::Writing)
    {
        m.mine.retain(|x| x.mortem != r.mortem.id);
    }
    m.data = Some(data);
    if let Some((key, id)) = was
        && state.mortem.selected_id == Some(id)
        && let Some(i) = state.mortem.find(key)
    {
        state.mortem.part = i;
    }
    let n = state.mortem.parts().len();
    state.mortem.part = state.mortem.part.min(n.saturating_sub(1));
    Vec::new()
}

pub(super) fn created(state: &mut AppState, id: MortemId, message: String) -> Vec<Effect> {
    let m = &mut state.mortem;
    m.search.clear();
    m.selected_id = Some(id);
    m.row = 0;
    m.part = 0;
    m.reading = true;
    if matches!(state.overlays.last(), Some(Overlay::Input(_))) {
        state.overlays.pop();
    }
    state.info(message);
    load()
}

pub(super) fn notice(
    state: &mut AppState,
    title: String,
    lines: Vec<String>,
    message: String,
) -> Vec<Effect> {
    state.warn(message);
    state.overlays.push(Overlay::Notice(NoticeDialog {
        title,
        lines,
        scroll: 0,
    }));
    load()
}

pub(super) fn reason_written(
    state: &mut AppState,
    mortem: MortemId,
    card: i64,
    text: String,
) -> Vec<Effect> {
    if matches!(state.overlays.last(), Some(Overlay::Input(_))) {
        state.overlays.pop();
    }
    state.mortem.mine.push(MyReason { mortem, card, text });
    state.info("Written. Nobody sees it until the reasons are revealed, and then not whose it is");
    load()
}

pub(super) fn taken_back(state: &mut AppState, mortem: MortemId, card: i64) -> Vec<Effect> {
    state
        .mortem
        .mine
        .retain(|m| !(m.mortem == mortem && m.card == card));
    state.info("Taken back");
    load()
}

fn refuse_read_only(state: &mut AppState) -> bool {
    if state.read_only {
        state.error(strings::READ_ONLY_REFUSAL);
    }
    state.read_only
}

pub(super) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(data) = state.mortem.data.as_deref() else {
        return Vec::new();
    };
    let n = data.list.len();
    match cmd {
        Command::NewMortem => {
            if refuse_read_only(state) {
                return Vec::new();
            }
            state.overlays.push(Overlay::Pick(PickDialog {
                purpose: PickPurpose::MortemKind,
                title: "Start".into(),
                options: vec![
                    (
                        "Post-mortem".into(),
                        "after an incident: blameless, with a timeline and action items".into(),
                    ),
                    (
                        "Pre-mortem".into(),
                        "before risky work: imagine it failed, write why, silently".into(),
                    ),
                ],
                selected: 0,
                note: None,
            }));
            Vec::new()
        }
        Command::StartFilter => {
            let current = state.mortem.search.clone();
            open(
                state,
                InputDialog::single(InputPurpose::MortemSearch, "Search", "Words", &current)
                    .with_hint("titles, sections, timelines, reasons and action items"),
            )
        }
        Command::ClearFilter if !state.mortem.search.is_empty() => set_search(state, String::new()),
        Command::AddTimelineEntry => timeline_dialog(state, None),
        Command::ExportMortem => match data.report.as_ref() {
            Some(r) => export_dialog(state, r.mortem.id, r.mortem.kind),
            None => Vec::new(),
        },
        _ if !state.mortem.reading => match cmd {
            Command::SelectUp | Command::SelectDown if n > 0 => {
                let m = &mut state.mortem;
                let row = if cmd == Command::SelectUp {
                    m.row.saturating_sub(1)
                } else {
                    (m.row + 1).min(n - 1)
                };
                if row == m.row {
                    return Vec::new();
                }
                m.row = row;
                m.part = 0;
                m.selected_id = m
                    .data
                    .as_deref()
                    .and_then(|d| d.list.get(row))
                    .map(|l| l.mortem.id);
                load()
            }
            Command::OpenMortem if n > 0 => {
                state.mortem.reading = true;
                Vec::new()
            }
            Command::OpenMortem => {
                state.info("Nothing here yet: n starts a post-mortem or a pre-mortem");
                Vec::new()
            }
            _ => Vec::new(),
        },
        _ => document(state, cmd),
    }
}

fn export_dialog(state: &mut AppState, id: MortemId, kind: MortemKind) -> Vec<Effect> {
    let name = match kind {
        MortemKind::Post => format!("postmortem-{}.md", id.0),
        MortemKind::Pre => format!("premortem-{}.md", id.0),
    };
    let path = state.export_dir.join(name);
    open(
        state,
        InputDialog::single(
            InputPurpose::ExportPath { mortem: id },
            "Export as Markdown",
            "File",
            &path.display().to_string(),
        )
        .with_hint("an existing file is replaced"),
    )
}

pub(super) fn set_search(state: &mut AppState, text: String) -> Vec<Effect> {
    if state.mortem.search == text {
        return Vec::new();
    }
    state.mortem.search = text;
    state.mortem.row = 0;
    state.mortem.selected_id = None;
    state.mortem.reading = false;
    load()
}

/// Keys on the open document.
fn document(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(r) = state.mortem.report().cloned() else {
        return Vec::new();
    };
    let parts = state.mortem.parts();
    let part = state.mortem.selected_part();
    let id = r.mortem.id;
    match cmd {
        Command::Close => {
            state.mortem.reading = false;
            Vec::new()
        }
        Command::SelectUp => {
            state.mortem.part = state.mortem.part.saturating_sub(1);
            Vec::new()
        }
        Command::SelectDown => {
            state.mortem.part = (state.mortem.part + 1).min(parts.len().saturating_sub(1));
            Vec::new()
        }
        Command::SelectFirst => {
            state.mortem.part = 0;
            Vec::new()
        }
        Command::SelectLast => {
            state.mortem.part = parts.len().saturating_sub(1);
            Vec::new()
        }
        _ if state.read_only => {
            state.error(strings::READ_ONLY_REFUSAL);
            Vec::new()
        }
        Command::EditPart => match part {
            Some(Part::Action(i)) => match r.actions.get(i) {
                Some(a) => vec![Effect::OpenCard(a.card)],
                None => Vec::new(),
            },
            Some(Part::Timeline(i)) => timeline_dialog(state, r.timeline.get(i).map(|e| e.id)),
            Some(Part::Risk(i)) => rate_dialog(state, i),
            Some(Part::Mine(_)) => {
                state.info("d takes it back; w writes another");
                Vec::new()
            }
            Some(p) => edit_dialog(state, id, p),
            None => Vec::new(),
        },
        Command::AddAction if r.mortem.kind == MortemKind::Post => action_dialog(state, id, None),
        Command::SetMortemStatus if r.mortem.kind == MortemKind::Post => {
            let options = [Status::Draft, Status::InReview, Status::Final]
                .iter()
                .map(|s| {
                    let about = match s {
                        Status::Draft => "being written",
                        Status::InReview => "ready for the team to read and comment",
                        Status::Final => "reviewed: the remaining blame warnings are shown",
                    };
                    (s.label().to_string(), about.to_string())
                })
                .collect();
            let selected = match r.mortem.status {
                Status::Draft => 1,
                _ => 2,
            };
            state.overlays.push(Overlay::Pick(PickDialog {
                purpose: PickPurpose::MortemStatus(id),
                title: format!("Status (now {})", r.mortem.status.label()),
                options,
                selected,
                note: None,
            }));
            Vec::new()
        }
        Command::DeletePart => match part {
            Some(Part::Timeline(i)) => {
                let Some(e) = r.timeline.get(i) else {
                    return Vec::new();
                };
                state.overlays.push(Overlay::Confirm(ConfirmDialog {
                    purpose: ConfirmPurpose::DeleteTimeline {
                        mortem: id,
                        entry: e.id,
                    },
                    message: format!(
                        "Delete the timeline entry \"{} {}\"?",
                        e.at.format("%H:%M"),
                        e.text
                    ),
                }));
                Vec::new()
            }
            Some(Part::Mine(i)) => take_back(state, id, i),
            _ => {
                state.info("Select a timeline entry to delete it; action items are cards, archived on the board");
                Vec::new()
            }
        },
        _ if r.mortem.kind == MortemKind::Pre => premortem(state, cmd, &r),
        _ => Vec::new(),
    }
}

fn take_back(state: &mut AppState, id: MortemId, i: usize) -> Vec<Effect> {
    match state.mortem.my_reasons(id).get(i) {
        Some(m) => effect(MortemEffect::TakeBack { id, card: m.card }),
        None => Vec::new(),
    }
}

fn premortem(
    state: &mut AppState,
    cmd: Command,
    r: &crate::domain::mortem::MortemReport,
) -> Vec<Effect> {
    let id = r.mortem.id;
    let stage = r.mortem.stage.unwrap_or(Stage::Closed);
    let facilitating = r.mortem.created_by == state.actor;
    let only_facilitator = |state: &mut AppState| {
        state.warn(format!(
            "Only the facilitator ({}) does that",
            r.mortem.created_by
        ));
        Vec::new()
    };
    match (stage, cmd) {
        (Stage::Writing | Stage::Reading, Command::WriteCard) => {
            let (title, hint) = if stage == Stage::Writing {
                (
                    "A reason it failed (anonymous, hidden until revealed)",
                    state
                        .mortem
                        .data
                        .as_deref()
                        .map_or(String::new(), |d| d.pre.hint.clone()),
                )
            } else {
                (
                    "A reason it failed (added now, in the open)",
                    "the reasons are revealed: this one shows at once".to_string(),
                )
            };
            open(
                state,
                InputDialog::single(
                    InputPurpose::Reason {
                        mortem: id,
                        hidden: stage == Stage::Writing,
                    },
                    title,
                    "Reason",
                    "",
                )
                .with_hint(hint),
            )
        }
        (Stage::Writing, Command::DeleteMyCard) => match state.mortem.selected_part() {
            Some(Part::Mine(i)) => take_back(state, id, i),
            _ if !state.mortem.my_reasons(id).is_empty() => {
                state.info("Select one of your reasons (j/k), then d");
                Vec::new()
            }
            _ => {
                state.info("You have written no reason here");
                Vec::new()
            }
        },
        (Stage::Writing, Command::RevealCards) => {
            if !facilitating {
                return only_facilitator(state);
            }
            if r.reasons == 0 {
                state.info("No reasons written yet: nothing to reveal");
                return Vec::new();
            }
            state.overlays.push(Overlay::Confirm(ConfirmDialog {
                purpose: ConfirmPurpose::AdvancePremortem {
                    mortem: id,
                    from: Stage::Writing,
                },
                message: format!(
                    "Reveal the {} reasons to everyone? Nobody can take theirs back after.",
                    r.reasons
                ),
            }));
            Vec::new()
        }
        (Stage::Reading, Command::ReadNext | Command::ReadPrev) => {
            if !facilitating {
                return only_facilitator(state);
            }
            let order = r.reading_order();
            if order.is_empty() {
                return Vec::new();
            }
            let now = r
                .reading
                .and_then(|cur| order.iter().position(|x| x.id == cur));
            let next = match (now, cmd) {
                (None, _) => 0,
                (Some(i), Command::ReadNext) => (i + 1).min(order.len() - 1),
                (Some(i), _) => i.saturating_sub(1),
            };
            if Some(next) == now {
                state.info(if cmd == Command::ReadNext {
                    "That was the last reason: rate them (r), then mitigate the top ones (m)"
                } else {
                    "That is the first reason"
                });
                return Vec::new();
            }
            let risk = order[next].id;
            // The selection follows the reason being read.
            if let Some(i) = r.risks.iter().position(|x| x.id == risk)
                && let Some(p) = state
                    .mortem
                    .parts()
                    .iter()
                    .position(|p| *p == Part::Risk(i))
            {
                state.mortem.part = p;
            }
            effect(MortemEffect::Read { id, risk })
        }
        (Stage::Reading | Stage::Closed, Command::RateRisk) => match state.mortem.selected_part() {
            Some(Part::Risk(i)) => rate_dialog(state, i),
            _ => {
                state.info("Select a risk (j/k), then r");
                Vec::new()
            }
        },
        (Stage::Reading | Stage::Closed, Command::Mitigate) => match state.mortem.selected_part() {
            Some(Part::Risk(i)) => {
                let risk = r.risks.get(i).map(|x| x.id);
                action_dialog(state, id, risk)
            }
            _ => {
                state.info("Select a risk (j/k), then m");
                Vec::new()
            }
        },
        (Stage::Reading, Command::ClosePremortem) => {
            if !facilitating {
                return only_facilitator(state);
            }
            state.overlays.push(Overlay::Confirm(ConfirmDialog {
                purpose: ConfirmPurpose::AdvancePremortem {
                    mortem: id,
                    from: Stage::Reading,
                },
                message: "Close the pre-mortem? Risks can still be rated and mitigated after."
                    .into(),
            }));
            Vec::new()
        }
        (Stage::Writing, Command::ReadNext | Command::RateRisk | Command::Mitigate) => {
            state.info("The reasons are hidden until the facilitator reveals them (R)");
            Vec::new()
        }
        (Stage::Closed, Command::WriteCard) => {
            state.info("This pre-mortem is closed");
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn edit_dialog(state: &mut AppState, id: MortemId, part: Part) -> Vec<Effect> {
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
            let mut d = InputDialog {
                purpose: InputPurpose::MortemSection {
                    mortem: id,
                    key: s.key.clone(),
                    base: m.section(&s.key).to_string(),
                },
                title: s.heading.clone(),
                hint: Some(s.hint.clone()),
                fields: vec![Field::new("Text", m.section(&s.key), true)],
                focus: 0,
                error: None,
                notes: Vec::new(),
            };
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
    let text = d.value(0);
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
    if let Some(f) = d.fields.get_mut(0) {
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
pub(super) fn relint(state: &mut AppState) {
    let Some(data) = state.mortem.data.as_deref() else {
        return;
    };
    if let Some(Overlay::Input(d)) = state.overlays.last_mut() {
        relint_dialog(d, data);
    }
}

fn timeline_dialog(state: &mut AppState, entry: Option<i64>) -> Vec<Effect> {
    let Some(r) = state.mortem.report() else {
        state.info("Nothing selected: n starts a post-mortem");
        return Vec::new();
    };
    if r.mortem.kind != MortemKind::Post {
        state.info("The timeline belongs to post-mortems");
        return Vec::new();
    }
    if state.read_only {
        state.error(strings::READ_ONLY_REFUSAL);
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

fn action_dialog(state: &mut AppState, id: MortemId, risk: Option<i64>) -> Vec<Effect> {
    let due = (state.now + Duration::days(14)).date_naive().to_string();
    let owner = state.actor.clone();
    let mut fields = vec![Field::new(
        if risk.is_some() {
            "Mitigation"
        } else {
            "Action"
        },
        "",
        false,
    )];
    if risk.is_none() {
        fields.push(Field::new(
            "Type: prevent, mitigate, detect or process",
            "prevent",
            false,
        ));
    }
    fields.extend([
        Field::new("Owner", &owner, false),
        Field::new("Due (YYYY-MM-DD or blank)", &due, false),
        Field::new("Priority: high, low, or blank for medium", "", false),
    ]);
    let title = match risk.and_then(|r| state.mortem.report()?.risk(r)) {
        Some(r) => format!("Mitigate R{}: it becomes a card on the board", r.number),
        None => "An action item: it becomes a card on the board".to_string(),
    };
    open(
        state,
        InputDialog::fields(
            InputPurpose::MortemAction { mortem: id, risk },
            title,
            fields,
        )
        .with_hint("specific and bounded, with one owner"),
    )
}

fn rate_dialog(state: &mut AppState, i: usize) -> Vec<Effect> {
    let Some(r) = state.mortem.report() else {
        return Vec::new();
    };
    let Some(risk) = r.risks.get(i) else {
        return Vec::new();
    };
    let show = |v: Option<u8>| v.map_or(String::new(), |v| v.to_string());
    let dialog = InputDialog::fields(
        InputPurpose::Rate {
            mortem: r.mortem.id,
            risk: risk.id,
        },
        format!("Rate R{}: {}", risk.number, risk.text),
        vec![
            Field::new(
                "Likelihood, 1 (rare) to 5 (almost certain)",
                &show(risk.likelihood),
                false,
            ),
            Field::new("Impact, 1 (minor) to 5 (severe)", &show(risk.impact), false),
        ],
    )
    .with_hint("a step after Klein's: the score is likelihood × impact");
    open(state, dialog)
}

fn optional_date(text: &str) -> Result<Option<chrono::NaiveDate>, DomainError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

fn optional_rating(text: &str, what: &str) -> Result<Option<u8>, DomainError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_rating(text, what).map(Some)
    }
}

/// What saving one of the tab's dialogs does; `None` if the dialog is not
/// the tab's.
pub(super) fn submit(state: &AppState, d: &InputDialog) -> Option<Result<Vec<Effect>, String>> {
    let text = d.value(0);
    let e = |e: DomainError| e.to_string();
    let out = match &d.purpose {
        InputPurpose::NewMortem { kind } => (|| {
            let title = text.trim().to_string();
            if title.is_empty() {
                return Err("Give it a title".to_string());
            }
            Ok(match kind {
                MortemKind::Post => effect(MortemEffect::NewPost {
                    title,
                    day: optional_date(&d.value(1)).map_err(e)?,
                }),
                MortemKind::Pre => {
                    let card = d.value(1);
                    let card = card.trim().trim_start_matches('#');
                    let card = if card.is_empty() {
                        None
                    } else {
                        Some(CardId(card.parse::<i64>().map_err(|_| {
                            format!("'{card}' is not a card number (blank for a project)")
                        })?))
                    };
                    effect(MortemEffect::NewPre { title, card })
                }
            })
        })(),
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
        InputPurpose::MortemAction { mortem, risk } => (|| {
            let what = text.trim().to_string();
            if what.is_empty() {
                return Err("Say what will be done".to_string());
            }
            let offset = usize::from(risk.is_none());
            let kind = if risk.is_none() {
                Some(ActionType::parse(&d.value(1)).map_err(e)?)
            } else {
                None
            };
            let owner = normalize_assignee(&d.value(1 + offset));
            if owner.is_none() {
                return Err("An action item needs an owner".to_string());
            }
            Ok(effect(MortemEffect::AddAction {
                id: *mortem,
                action: NewAction {
                    text: what,
                    kind,
                    owner,
                    due: optional_date(&d.value(2 + offset)).map_err(e)?,
                    priority: Priority::parse(&d.value(3 + offset)).map_err(e)?,
                    risk: *risk,
                },
            }))
        })(),
        InputPurpose::Reason { mortem, hidden } => validate_card(&text).map_err(e).map(|text| {
            effect(MortemEffect::AddReason {
                id: *mortem,
                text,
                hidden: *hidden,
            })
        }),
        InputPurpose::Rate { mortem, risk } => (|| {
            let likelihood = optional_rating(&text, "likelihood").map_err(e)?;
            let impact = optional_rating(&d.value(1), "impact").map_err(e)?;
            Ok(effect(MortemEffect::Rate {
                id: *mortem,
                risk: *risk,
                likelihood,
                impact,
            }))
        })(),
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

/// A choice in the tab's pickers.
pub(super) fn picked(state: &mut AppState, purpose: PickPurpose, chosen: usize) -> Vec<Effect> {
    match purpose {
        PickPurpose::MortemKind => {
            let today = state
                .mortem
                .data
                .as_deref()
                .map_or(state.now.date_naive(), |d| d.today);
            let dialog = if chosen == 0 {
                InputDialog::fields(
                    InputPurpose::NewMortem {
                        kind: MortemKind::Post,
                    },
                    "A blameless post-mortem",
                    vec![
                        Field::new("Title", "", false),
                        Field::new(
                            "Day of the incident (YYYY-MM-DD)",
                            &today.to_string(),
                            false,
                        ),
                    ],
                )
                .with_hint("what happened, not who: the timeline, causes and actions follow")
            } else {
                let card = state
                    .board
                    .selected()
                    .map_or(String::new(), |c| c.id.0.to_string());
                InputDialog::fields(
                    InputPurpose::NewMortem {
                        kind: MortemKind::Pre,
                    },
                    "A pre-mortem",
                    vec![
                        Field::new("Title (the project)", "", false),
                        Field::new("Card number (blank for a whole project)", &card, false),
                    ],
                )
                .with_hint("everyone then writes why it failed, silently; you reveal the reasons")
            };
            open(state, dialog)
        }
        PickPurpose::MortemStatus(id) => {
            let status = [Status::Draft, Status::InReview, Status::Final]
                .get(chosen)
                .copied()
                .unwrap_or(Status::Draft);
            effect(MortemEffect::SetStatus { id, status })
        }
        _ => Vec::new(),
    }
}
