//! The Sprint tab: choosing views, planning, reviewing and closing.

use chrono::{Duration, NaiveDate};

use super::{no_card, open_dialog as open};
use crate::domain::sprint::{
    DEFAULT_DAYS, MAX_CAPACITY, NewSprint, Sprint, SprintState, next_name, parse_optional_number,
    validate_days,
};
use crate::domain::{CardId, DomainError, parse_date};
use crate::store::SprintPatch;
use crate::ui::action::Command;
use crate::ui::effects::{Effect, SprintEffect};
use crate::ui::keymap::key_for;
use crate::ui::overlay::{
    ConfirmDialog, ConfirmPurpose, Field, Form, InputDialog, InputPurpose, Overlay,
};
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::sprint::{SprintList, backlog_list, planning_list, review_cards, view_list};
use crate::ui::state::{AppState, Pane, SprintData, SprintView, Tab};
use crate::ui::strings;
use crate::ui::text::safe_fit;

pub(super) fn loaded(state: &mut AppState, data: Box<SprintData>) -> Vec<Effect> {
    let s = &mut state.sprint;
    let old_view = s.view;
    if !s.view_chosen {
        s.view = if data.active.is_some() {
            SprintView::Progress
        } else {
            SprintView::Plan
        };
    }
    // Each list keeps its selection on the same card; of the list on
    // screen, a card that left is said.
    let on_screen = match s.view {
        SprintView::Plan if s.pane == Pane::Backlog => Some(SprintList::Backlog),
        SprintView::Plan => planning_list(&data).map(|l| l.0),
        view => view_list(&data, view).map(|l| l.0),
    };
    let mut said = None;
    if let Some(old) = s.data.as_deref() {
        let lists = [
            (
                &mut s.backlog_row,
                Some(backlog_list(old)),
                Some(backlog_list(&data)),
            ),
            (&mut s.sprint_row, planning_list(old), planning_list(&data)),
            (
                &mut s.row,
                view_list(old, old_view),
                view_list(&data, s.view),
            ),
        ];
        for (row, was, now) in lists {
            let (Some((was, old_cards)), Some((list, cards))) = (was, now) else {
                continue;
            };
            if was != list {
                continue;
            }
            let sel = reselect_in(*row, old_cards.get(*row).copied(), &cards, |c| *c);
            *row = sel.row;
            if let Some(card) = sel.left
                && on_screen == Some(list)
            {
                said = Some(left_message(card, list, &data));
            }
        }
    }
    let target = data.plan_target().map_or(0, |r| r.cards.len());
    s.backlog_row = s.backlog_row.min(data.backlog.len().saturating_sub(1));
    s.sprint_row = s.sprint_row.min(target.saturating_sub(1));
    let rows = match s.view {
        SprintView::Review => review_cards(&data).len(),
        _ => data.active.as_ref().map_or(0, |r| r.cards.len()),
    };
    s.row = s.row.min(rows.saturating_sub(1));
    // Carry-over choices only for cards still unfinished in the active sprint.
    let open: Vec<_> = data
        .active
        .as_ref()
        .map(|r| {
            r.cards
                .iter()
                .filter(|c| !c.done)
                .map(|c| c.card.id)
                .collect()
        })
        .unwrap_or_default();
    s.carry.retain(|c| open.contains(c));
    s.data = Some(data);
    if let Some(text) = said {
        state.tell_left(Tab::Sprint, text);
    }
    Vec::new()
}

/// What the status line says of a selected card that left its list: the
/// sprint it was planned into, or that it is back in the backlog.
fn left_message(card: CardId, list: SprintList, data: &SprintData) -> String {
    let sprint_of = |card: CardId| {
        [data.planned.as_ref(), data.active.as_ref()]
            .into_iter()
            .flatten()
            .find(|r| r.cards.iter().any(|c| c.card.id == card))
            .map(|r| safe_fit(&r.sprint.name, 24))
    };
    let name = list
        .sprint()
        .and_then(|id| {
            [data.planned.as_ref(), data.active.as_ref()]
                .into_iter()
                .flatten()
                .find(|r| r.sprint.id == id)
        })
        .map_or("the sprint".to_string(), |r| safe_fit(&r.sprint.name, 24));
    let in_backlog = data.backlog.iter().any(|c| c.card.id == card);
    match list {
        SprintList::Backlog => match sprint_of(card) {
            Some(sprint) => format!("{card} left the backlog (planned into {sprint})"),
            None => format!("{card} is no longer in the backlog"),
        },
        _ if in_backlog => format!("{card} left {name} (back in the backlog)"),
        _ => format!("{card} is no longer in {name}"),
    }
}

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let view = state.sprint.view;
    match cmd {
        Command::NextSprintView => {
            let s = &mut state.sprint;
            s.view = s.view.next();
            s.view_chosen = true;
            s.row = 0;
            let title = s.view.title();
            state.info(format!("Sprint: {title}"));
            Vec::new()
        }
        Command::SelectUp | Command::SelectDown => {
            select(state, if cmd == Command::SelectUp { -1 } else { 1 });
            Vec::new()
        }
        Command::SelectLeft if view == SprintView::Plan => {
            state.sprint.pane = Pane::Backlog;
            Vec::new()
        }
        Command::SelectRight if view == SprintView::Plan => {
            state.sprint.pane = Pane::Sprint;
            Vec::new()
        }
        Command::MoveAcross if view == SprintView::Plan => move_across(state),
        Command::SetPoints if view == SprintView::Plan => match state.sprint.selected() {
            Some(c) => {
                let dialog = super::board::points_dialog(
                    c.card.id,
                    c.card.points,
                    "a re-estimate is recorded: the burndown counts it from now",
                );
                open(state, dialog)
            }
            None => no_card(state),
        },
        Command::OpenCard => match state.sprint.selected() {
            Some(c) => vec![Effect::OpenCard(c.card.id)],
            None => no_card(state),
        },
        Command::NewSprint => new_sprint(state),
        Command::EditSprint => edit_sprint(state),
        Command::StartSprint => start_sprint(state),
        Command::CarryOver | Command::ReturnToBacklog if view == SprintView::Review => {
            decide(state, cmd == Command::CarryOver)
        }
        Command::CloseSprint if view == SprintView::Review => close_sprint(state),
        _ => Vec::new(),
    }
}

fn select(state: &mut AppState, delta: i64) {
    let s = &mut state.sprint;
    let Some(data) = s.data.as_deref() else {
        return;
    };
    let (row, len) = match s.view {
        SprintView::Plan => match s.pane {
            Pane::Backlog => (&mut s.backlog_row, data.backlog.len()),
            Pane::Sprint => (
                &mut s.sprint_row,
                data.plan_target().map_or(0, |r| r.cards.len()),
            ),
        },
        SprintView::Progress => (
            &mut s.row,
            data.active.as_ref().map_or(0, |r| r.cards.len()),
        ),
        SprintView::Review => (&mut s.row, review_cards(data).len()),
        SprintView::Velocity => return,
    };
    if len == 0 {
        return;
    }
    *row = (*row as i64 + delta).clamp(0, len as i64 - 1) as usize;
}

fn move_across(state: &mut AppState) -> Vec<Effect> {
    let s = &state.sprint;
    let Some(data) = s.data.as_deref() else {
        return Vec::new();
    };
    let Some(target) = data.plan_target().map(|r| r.sprint.id) else {
        state.warn(strings::no_sprint_to_plan(&key_for(
            state,
            Command::NewSprint,
        )));
        return Vec::new();
    };
    let Some(card) = s.selected().map(|c| c.card.id) else {
        return no_card(state);
    };
    vec![Effect::Sprint(match s.pane {
        Pane::Backlog => SprintEffect::Add {
            sprint: target,
            card,
        },
        Pane::Sprint => SprintEffect::Remove {
            sprint: target,
            card,
        },
    })]
}

/// The sprint dialog: a new sprint's, or one's being changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SprintForm {
    pub name: String,
    pub goal: String,
    pub start: NaiveDate,
    pub days: u32,
    pub capacity: Option<u32>,
}

impl Form for SprintForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Name", &self.name, false),
            Field::new(
                "Goal (one sentence: why this sprint is valuable)",
                &self.goal,
                false,
            ),
            Field::new("First day (YYYY-MM-DD)", &self.start.to_string(), false),
            Field::new("Length in days", &self.days.to_string(), false),
            Field::new(
                "Capacity in points (blank: none)",
                &self.capacity.map(|c| c.to_string()).unwrap_or_default(),
                false,
            ),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [name, goal, start, days, capacity] = d.texts();
        let e = |e: DomainError| e.to_string();
        let start = parse_date(&start).map_err(e)?;
        let days = parse_optional_number(&days, "days", 31)
            .and_then(|n| validate_days(n.unwrap_or(0)))
            .map_err(e)?;
        let capacity = parse_optional_number(&capacity, "points", MAX_CAPACITY).map_err(e)?;
        Ok(Self {
            name,
            goal,
            start,
            days,
            capacity,
        })
    }
}

fn sprint_dialog(purpose: InputPurpose, title: String, form: &SprintForm) -> InputDialog {
    InputDialog::form(purpose, title, form).with_hint("Tab next field · Enter or Ctrl-S save")
}

/// What saving the tab's dialogs does; `None` if the dialog is not the tab's.
pub(super) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = super::dialog(state)?;
    let effect = match &d.purpose {
        InputPurpose::NewSprint => SprintForm::parse(d).map(|f| {
            SprintEffect::Create(NewSprint {
                name: f.name,
                goal: f.goal,
                start: f.start,
                days: f.days,
                capacity: f.capacity,
            })
        }),
        InputPurpose::EditSprint { sprint } => SprintForm::parse(d).map(|f| SprintEffect::Edit {
            sprint: *sprint,
            patch: SprintPatch {
                name: Some(f.name),
                goal: Some(f.goal),
                start: Some(f.start),
                days: Some(f.days),
                capacity: Some(f.capacity),
            },
        }),
        _ => return None,
    };
    Some(effect.map(|e| vec![Effect::Sprint(e)]))
}

fn new_sprint(state: &mut AppState) -> Vec<Effect> {
    let Some(data) = state.sprint.data.as_deref() else {
        return Vec::new();
    };
    if let Some(p) = &data.planned {
        let name = p.sprint.name.clone();
        state.warn(format!(
            "{name} is being planned already: {} edits it, {} starts it",
            key_for(state, Command::EditSprint),
            key_for(state, Command::StartSprint)
        ));
        return Vec::new();
    }
    let last: Option<&Sprint> = data.history.last();
    let name = last.map_or("Sprint 1".to_string(), |s| next_name(&s.name));
    let start = data.active.as_ref().map_or(data.today, |a| {
        (a.sprint.end + Duration::days(1)).max(data.today)
    });
    let form = SprintForm {
        name,
        goal: String::new(),
        start,
        days: last.map_or(DEFAULT_DAYS, Sprint::days),
        capacity: last.and_then(|s| s.capacity),
    };
    open(
        state,
        sprint_dialog(InputPurpose::NewSprint, "Plan a sprint".into(), &form),
    )
}

fn edit_sprint(state: &mut AppState) -> Vec<Effect> {
    let Some(data) = state.sprint.data.as_deref() else {
        return Vec::new();
    };
    let target = match state.sprint.view {
        SprintView::Plan => data.plan_target(),
        _ => data.active.as_ref().or(data.planned.as_ref()),
    };
    let Some(r) = target else {
        state.warn(strings::no_sprint_to_plan(&key_for(
            state,
            Command::NewSprint,
        )));
        return Vec::new();
    };
    let s = &r.sprint;
    let form = SprintForm {
        name: s.name.clone(),
        goal: s.goal.clone(),
        start: s.start,
        days: s.days(),
        capacity: s.capacity,
    };
    let dialog = sprint_dialog(
        InputPurpose::EditSprint { sprint: s.id },
        format!("Edit {}", s.name),
        &form,
    );
    open(state, dialog)
}

fn start_sprint(state: &mut AppState) -> Vec<Effect> {
    let Some(data) = state.sprint.data.as_deref() else {
        return Vec::new();
    };
    let Some(p) = data.planned.as_ref() else {
        state.warn(format!(
            "No sprint is being planned: {} plans one",
            key_for(state, Command::NewSprint)
        ));
        return Vec::new();
    };
    if let Some(a) = &data.active {
        let name = a.sprint.name.clone();
        state.error(format!(
            "{name} is still active: review and close it first (v)"
        ));
        return Vec::new();
    }
    if p.sprint.goal.trim().is_empty() {
        state.error("Set the sprint goal first (e): a sprint starts with a goal");
        return Vec::new();
    }
    let committed: u32 = p.cards.iter().filter_map(|c| c.card.points).sum();
    let capacity = p
        .sprint
        .capacity
        .map_or(String::new(), |c| format!(" for a capacity of {c}"));
    let message = format!(
        "Start {} now? {} cards, {committed} points{capacity}.",
        p.sprint.name,
        p.cards.len()
    );
    state.overlays.push(Overlay::Confirm(ConfirmDialog {
        purpose: ConfirmPurpose::StartSprint(p.sprint.id),
        message,
    }));
    Vec::new()
}

fn decide(state: &mut AppState, carry: bool) -> Vec<Effect> {
    let Some(c) = state.sprint.selected() else {
        return no_card(state);
    };
    let (id, done) = (c.card.id, c.done);
    if done {
        state.info(format!("{id} is done: it counts for the velocity"));
        return Vec::new();
    }
    let s = &mut state.sprint;
    s.carry.retain(|x| *x != id);
    if carry {
        s.carry.push(id);
    }
    select(state, 1);
    state.info(if carry {
        format!("{id} will carry over to the next sprint")
    } else {
        format!("{id} will return to the backlog")
    });
    Vec::new()
}

fn close_sprint(state: &mut AppState) -> Vec<Effect> {
    let Some(data) = state.sprint.data.as_deref() else {
        return Vec::new();
    };
    let Some(a) = data.active.as_ref() else {
        state.warn("No active sprint to close");
        return Vec::new();
    };
    if a.sprint.state != SprintState::Active {
        return Vec::new();
    }
    let done: u32 = a
        .cards
        .iter()
        .filter(|c| c.done)
        .filter_map(|c| c.card.points)
        .sum();
    let open = a.cards.iter().filter(|c| !c.done).count();
    let carry = state.sprint.carry.clone();
    let message = format!(
        "Close {}? Velocity {done} points; {} carried over, {} back to the backlog.",
        a.sprint.name,
        carry.len(),
        open - carry.len().min(open)
    );
    let sprint = a.sprint.id;
    state.overlays.push(Overlay::Confirm(ConfirmDialog {
        purpose: ConfirmPurpose::CloseSprint { sprint, carry },
        message,
    }));
    Vec::new()
}
