//! The Mortems tab: the list and its search, post-mortem parts written in
//! editors that lint as you type, the timeline, action items, and a
//! pre-mortem's hidden reasons, reveal, reading, ratings and mitigations.

use crate::domain::handover::Ritual;

use super::open_dialog as open;
use crate::domain::mortem::{
    MortemId, MortemKind, NewAction, Stage, Status, parse_rating, parse_timeline,
};
use crate::domain::retro::validate_card;
use crate::domain::{CardId, DomainError};
use crate::store::mortems::Field as MortemField;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, MortemEffect};
use crate::ui::keymap::key_for;
use crate::ui::overlay::{
    ConfirmDialog, ConfirmPurpose, Field, InputDialog, InputPurpose, NoticeDialog, Overlay,
    PickDialog, PickPurpose,
};
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::{AppState, MortemData, MyReason, Part, Tab};
use crate::ui::text::safe_fit;

mod dialogs;

use dialogs::{
    PostmortemForm, PremortemForm, action_dialog, edit_dialog, rate_dialog, timeline_dialog,
};
pub(super) use dialogs::{relint, submit};

pub(super) fn load() -> Vec<Effect> {
    vec![Effect::Mortem(MortemEffect::Load)]
}

fn effect(e: MortemEffect) -> Vec<Effect> {
    vec![Effect::Mortem(e)]
}

pub(super) fn loaded(state: &mut AppState, data: Box<MortemData>) -> Vec<Effect> {
    // The same pre-mortem, now facilitated by someone else: its former
    // facilitator is told.
    let facilitator = |r: Option<&crate::domain::mortem::MortemReport>| {
        r.filter(|r| r.mortem.kind == MortemKind::Pre)
            .map(|r| (r.mortem.id, r.mortem.facilitator.clone()))
    };
    let was = facilitator(state.mortem.report());
    let now = facilitator(data.report.as_ref());
    let taken = match (&was, &now) {
        (Some((a, before)), Some((b, after))) if a == b => {
            Some((a.0, before.clone(), after.clone()))
        }
        _ => None,
    };
    // The part selected, to find it again wherever the reload puts it.
    let was = state
        .mortem
        .selected_part()
        .and_then(|p| state.mortem.key_of(p))
        .zip(state.mortem.selected_id);
    let m = &mut state.mortem;
    // The same mortem stays selected wherever the list puts it now.
    let sel = reselect_in(m.row, m.selected_id, &data.list, |l| l.mortem.id);
    m.row = sel.row;
    let before = m.selected_id;
    m.selected_id = data.list.get(m.row).map(|l| l.mortem.id);
    if m.selected_id != before {
        m.part = 0;
    }
    let mut said = None;
    if let Some(gone) = sel.left {
        // Its neighbour's document is not opened in its place.
        m.reading = false;
        let title = m
            .data
            .as_deref()
            .and_then(|d| d.list.iter().find(|l| l.mortem.id == gone))
            .map_or("The mortem you had selected".to_string(), |l| {
                format!("\"{}\"", safe_fit(&l.mortem.title, 30))
            });
        said = Some(if m.search.is_empty() {
            format!("{title} is no longer in the list")
        } else {
            format!("{title} no longer matches the search")
        });
    }
    if data.list.is_empty() {
        m.reading = false;
    }
    m.data = Some(data);
    if let Some(text) = said {
        state.tell_left(Tab::Mortems, text);
    }
    if let Some((key, id)) = was
        && state.mortem.selected_id == Some(id)
        && let Some(i) = state.mortem.find(key)
    {
        state.mortem.part = i;
    }
    let n = state.mortem.parts().len();
    state.mortem.part = state.mortem.part.min(n.saturating_sub(1));
    if let Some((id, before, after)) = taken {
        super::tell_taken_over(state, (Ritual::Premortem, id), Some(&before), Some(&after));
    }
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
    if let Some(d) = state.mortem.data.as_deref_mut() {
        d.mine.push(MyReason { mortem, card, text });
    }
    state.info("Written. Nobody sees it until the reasons are revealed, and then not whose it is");
    load()
}

pub(super) fn taken_back(state: &mut AppState, mortem: MortemId, card: i64) -> Vec<Effect> {
    if let Some(d) = state.mortem.data.as_deref_mut() {
        d.mine.retain(|m| !(m.mortem == mortem && m.card == card));
    }
    state.info("Taken back");
    load()
}

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Some(data) = state.mortem.data.as_deref() else {
        return Vec::new();
    };
    let n = data.list.len();
    match cmd {
        Command::NewMortem => {
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
                state.info(format!(
                    "Nothing here yet: {} starts a post-mortem or a pre-mortem",
                    key_for(state, Command::NewMortem)
                ));
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
        Command::EditPart => match part {
            Some(Part::Action(i)) => match r.actions.get(i) {
                Some(a) => vec![Effect::OpenCard(a.card)],
                None => Vec::new(),
            },
            Some(Part::Timeline(i)) => timeline_dialog(state, r.timeline.get(i).map(|e| e.id)),
            Some(Part::Risk(i)) => rate_dialog(state, i),
            Some(Part::Mine(_)) => {
                state.info(format!(
                    "{} takes it back; {} writes another",
                    key_for(state, Command::DeleteMyCard),
                    key_for(state, Command::WriteCard)
                ));
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
    let facilitating = r.mortem.facilitator == state.actor;
    let only_facilitator = |state: &mut AppState| {
        state.warn(format!(
            "Only the facilitator ({}) does that ({} takes it over)",
            r.mortem.facilitator,
            key_for(state, Command::TakeOver)
        ));
        Vec::new()
    };
    match (stage, cmd) {
        (Stage::Writing | Stage::Reading, Command::TakeOver) => {
            let (title, current) = (r.mortem.title.clone(), r.mortem.facilitator.clone());
            super::ask_take_over(state, Ritual::Premortem, id.0, &title, &current);
            Vec::new()
        }
        (Stage::Closed, Command::TakeOver) => {
            state.info("This pre-mortem is closed: there is nothing to take over");
            Vec::new()
        }
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
                let form = PostmortemForm {
                    title: String::new(),
                    day: Some(today),
                };
                InputDialog::form(
                    InputPurpose::NewMortem {
                        kind: MortemKind::Post,
                    },
                    "A blameless post-mortem",
                    &form,
                )
                .with_hint("what happened, not who: the timeline, causes and actions follow")
            } else {
                let form = PremortemForm {
                    title: String::new(),
                    card: state.board.selected().map(|c| c.id),
                };
                InputDialog::form(
                    InputPurpose::NewMortem {
                        kind: MortemKind::Pre,
                    },
                    "A pre-mortem",
                    &form,
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
