//! The Mortems tab's effects.

use chrono::{DateTime, NaiveDate, Utc};

use super::changed;
use crate::domain::CardId;
use crate::domain::mortem::{
    MortemId, MortemKind, NewAction, PostmortemTemplate, PremortemTemplate, Stage, Status,
};
use crate::store::mortems::{Field, NewReason};
use crate::store::{Store, StoreError};
use crate::ui::action::{Action, Command};
use crate::ui::keymap::{MORTEM_READING, key_for, key_in};
use crate::ui::state::reselect::reselect_in;
use crate::ui::state::{AppState, MortemData, MyReason};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MortemEffect {
    Load,
    NewPost {
        title: String,
        day: Option<NaiveDate>,
    },
    NewPre {
        title: String,
        card: Option<CardId>,
    },
    SetField {
        id: MortemId,
        field: Field,
        text: String,
    },
    SetSection {
        id: MortemId,
        key: String,
        text: String,
        /// The text the editor started from.
        base: String,
    },
    SetStatus {
        id: MortemId,
        status: Status,
    },
    AddTimeline {
        id: MortemId,
        at: DateTime<Utc>,
        text: String,
    },
    EditTimeline {
        id: MortemId,
        entry: i64,
        at: DateTime<Utc>,
        text: String,
    },
    DeleteTimeline {
        id: MortemId,
        entry: i64,
    },
    AddAction {
        id: MortemId,
        action: NewAction,
    },
    AddReason {
        id: MortemId,
        text: String,
        /// Written while the reasons were hidden.
        hidden: bool,
    },
    TakeBack {
        id: MortemId,
        card: i64,
    },
    /// Moves a pre-mortem on from the stage the facilitator saw.
    Advance {
        id: MortemId,
        from: Stage,
    },
    Read {
        id: MortemId,
        risk: i64,
    },
    Rate {
        id: MortemId,
        risk: i64,
        likelihood: Option<u8>,
        impact: Option<u8>,
    },
    /// Writes the Markdown to a file.
    Export {
        id: MortemId,
        path: std::path::PathBuf,
    },
}

pub(super) fn run(
    store: &mut dyn Store,
    state: &AppState,
    effect: MortemEffect,
) -> Result<Action, StoreError> {
    Ok(match effect {
        MortemEffect::Load => Action::MortemLoaded(Box::new(load(store, state)?)),
        MortemEffect::NewPost { title, day } => {
            let board = store.board()?;
            let id = store.new_postmortem(board.id, &title, day)?;
            Action::MortemCreated {
                id,
                message: format!(
                    "Post-mortem \"{}\" started: {}/{} choose a part, {} writes it, {} adds to the timeline",
                    title.trim(),
                    key_for(state, Command::SelectDown),
                    key_for(state, Command::SelectUp),
                    key_for(state, Command::EditPart),
                    key_for(state, Command::AddTimelineEntry)
                ),
            }
        }
        MortemEffect::NewPre { title, card } => {
            let board = store.board()?;
            let id = store.new_premortem(board.id, &title, card)?;
            Action::MortemCreated {
                id,
                message: format!(
                    "Pre-mortem \"{}\" started: everyone writes reasons it failed (w), hidden until you reveal them (R)",
                    title.trim()
                ),
            }
        }
        MortemEffect::SetField { id, field, text } => {
            store.set_mortem_fields(id, &[(field, &text)])?;
            changed("Saved")
        }
        MortemEffect::SetSection {
            id,
            key,
            text,
            base,
        } => {
            store.set_section(id, &key, &text, Some(&base))?;
            let heading = PostmortemTemplate::built_in()?
                .section(&key)
                .map_or(key.clone(), |s| s.heading.clone());
            changed(format!("Saved {heading}"))
        }
        MortemEffect::SetStatus { id, status } => {
            store.set_mortem_status(id, status)?;
            if status != Status::Final {
                return Ok(changed(format!("Now {}", status.label())));
            }
            let report = store.mortem_report(id)?;
            let template = PostmortemTemplate::built_in()?;
            let (lint, _) = crate::config::blame_lint();
            let names = store.team_names(store.board()?.id)?;
            let left = lint.post_warnings(&report, &template, &names);
            if left.is_empty() {
                return Ok(changed("Final, with no blame warnings left"));
            }
            let lines = left
                .iter()
                .map(|(heading, w)| format!("{} · {heading}, {}", w.severity.as_str(), w.at_line()))
                .collect();
            Action::MortemNotice {
                title: format!("Final, with {} blame warnings left", left.len()),
                lines,
                message: format!(
                    "Final. {} blame warnings remain: they never block, but read them once more",
                    left.len()
                ),
            }
        }
        MortemEffect::AddTimeline { id, at, text } => {
            store.add_timeline(id, at, &text)?;
            changed(format!("Added {} to the timeline", at.format("%H:%M")))
        }
        MortemEffect::EditTimeline {
            id,
            entry,
            at,
            text,
        } => {
            store.edit_timeline(id, entry, at, &text)?;
            changed("Saved the timeline entry")
        }
        MortemEffect::DeleteTimeline { id, entry } => {
            store.delete_timeline(id, entry)?;
            changed("Deleted the timeline entry")
        }
        MortemEffect::AddAction { id, action } => {
            let card = store.add_mortem_action(id, action)?;
            changed(format!("{card} is on the board, in its first column"))
        }
        MortemEffect::AddReason { id, text, hidden } => {
            let reason = store.add_reason(
                id,
                NewReason {
                    text: text.clone(),
                    hidden,
                    likelihood: None,
                    impact: None,
                },
            )?;
            let report = store.mortem_report(id)?;
            match report.risk(reason.risk) {
                Some(r) => changed(format!("R{} added, in the open", r.number)),
                None => Action::ReasonWritten {
                    mortem: id,
                    card: reason.card,
                    text,
                },
            }
        }
        MortemEffect::TakeBack { id, card } => {
            store.take_back_reason(id, card)?;
            Action::ReasonTakenBack { mortem: id, card }
        }
        MortemEffect::Advance { id, from } => {
            store.advance_premortem(id, from)?;
            let r = store.mortem_report(id)?;
            changed(match r.mortem.stage {
                Some(Stage::Reading) => format!(
                    "{} reasons revealed: read them one by one ({} next); rate each ({})",
                    r.risks.len(),
                    key_in(state, MORTEM_READING, Command::ReadNext),
                    key_in(state, MORTEM_READING, Command::RateRisk)
                ),
                _ => format!("\"{}\" is closed", r.mortem.title),
            })
        }
        MortemEffect::Read { id, risk } => {
            store.read_reason(id, risk)?;
            changed("")
        }
        MortemEffect::Rate {
            id,
            risk,
            likelihood,
            impact,
        } => {
            store.rate_risk(id, risk, likelihood, impact)?;
            changed("Rated")
        }
        MortemEffect::Export { id, path } => {
            let text = crate::domain::mortem::export::markdown(
                &store.mortem_report(id)?,
                &PostmortemTemplate::built_in()?,
                &PremortemTemplate::built_in()?,
            );
            crate::files::write_atomically(&path, &text).map_err(|e| {
                StoreError::Rule(crate::domain::DomainError::Invalid(format!(
                    "cannot write {}: {e}",
                    path.display()
                )))
            })?;
            changed(format!("Wrote {} (Markdown, for a wiki)", path.display()))
        }
    })
}

fn load(store: &dyn Store, state: &AppState) -> Result<MortemData, StoreError> {
    let board = store.board()?;
    let clock = store.clock();
    let today = clock.zone().day_of(clock.now());
    let st = &state.mortem;
    let list = store.mortems(board.id, &st.search)?;
    // The one the tab will select: the same rule as its update.
    let row = reselect_in(st.row, st.selected_id, &list, |l| l.mortem.id).row;
    let report = list
        .get(row)
        .map(|l| store.mortem_report(l.mortem.id))
        .transpose()?;
    // The blame lists and the templates are read once a session, not at
    // every selection or change.
    let known = st.data.as_deref();
    let lint = match known {
        Some(d) => d.lint.clone(),
        None => crate::config::blame_lint().0,
    };
    let names = match &report {
        Some(r) if r.mortem.kind == MortemKind::Post => store.team_names(board.id)?,
        _ => Vec::new(),
    };
    let (post, pre) = match known {
        Some(d) => (d.post.clone(), d.pre.clone()),
        None => (
            PostmortemTemplate::built_in()?,
            PremortemTemplate::built_in()?,
        ),
    };
    let warnings = match &report {
        Some(r) if r.mortem.kind == MortemKind::Post => post
            .sections
            .iter()
            .map(|s| lint.check_section(r.mortem.section(&s.key), &names, s))
            .collect(),
        _ => Vec::new(),
    };
    // This person's own hidden reasons, found by their claims.
    let mine = match &report {
        Some(r) if r.mortem.stage == Some(Stage::Writing) => store
            .my_reasons(r.mortem.id)?
            .into_iter()
            .map(|m| MyReason {
                mortem: r.mortem.id,
                card: m.card,
                text: m.text,
            })
            .collect(),
        _ => Vec::new(),
    };
    let handovers = match &report {
        Some(r) if r.mortem.kind == crate::domain::mortem::MortemKind::Pre => {
            store.handovers(crate::domain::handover::Ritual::Premortem, r.mortem.id.0)?
        }
        _ => Vec::new(),
    };
    Ok(MortemData {
        handovers,
        today,
        list,
        report,
        mine,
        post,
        pre,
        lint,
        names,
        warnings,
    })
}
