//! Effects: the work `update` asks for. Each runs against the store and
//! reports back as an [`Action`]; a failure becomes a message, never a crash.

use super::action::{Action, CardDetail, Command, LoadedBoard, Place, Saved, Whereabouts};
use super::history::{Change, Done, Mark, fields};
use super::keymap::key_for;
use super::screens::board::layout;
use super::state::AppState;
use crate::domain::Card;
use crate::domain::flow::FlowRange;
use crate::domain::handover::Ritual;
use crate::domain::mortem::MortemId;
use crate::domain::poker::RoundId;
use crate::domain::pulse::PulseId;
use crate::domain::retro::RetroId;
use crate::domain::standup::StandupId;
use crate::domain::{
    CardFilter, CardId, CardPatch, ColumnId, ColumnKind, DomainError, EventKind, NewCard, WipLimit,
    WipPolicy,
};
use crate::store::{Entry, Store, StoreError, Window};

mod forecast;
mod mortem;
mod poker;
mod pulse;
mod retro;
mod sprint;
mod standup;

pub(crate) use forecast::sprint_chance;
pub use mortem::MortemEffect;
pub use poker::PokerEffect;
pub use pulse::PulseEffect;
pub use retro::RetroEffect;
pub use sprint::SprintEffect;
pub use standup::StandupEffect;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Sprint(SprintEffect),
    Standup(StandupEffect),
    Retro(RetroEffect),
    Pulse(PulseEffect),
    Mortem(MortemEffect),
    Poker(PokerEffect),
    LoadBoard,
    /// Read who has the board open, and what is running.
    LoadPresence,
    /// Take facilitation over from `from`.
    TakeOver {
        ritual: Ritual,
        id: i64,
        from: String,
    },
    LoadFlow(FlowRange),
    /// The forecast panel for the choice `step` places after `current`
    /// (0: the same one again, for a new range or a change).
    FlowForecast {
        current: Option<crate::domain::forecast::Scope>,
        step: i32,
        range: FlowRange,
    },
    OpenCard(CardId),
    /// Load a card's full text, then open the editor.
    EditCard(CardId),
    AddCard {
        column: ColumnId,
        card: NewCard,
    },
    UpdateCard {
        card: CardId,
        patch: CardPatch,
        message: String,
    },
    MoveCard {
        card: CardId,
        to: ColumnId,
        force: Option<String>,
    },
    ReorderCard {
        card: CardId,
        delta: i32,
    },
    ExplainBreach {
        event: i64,
        reason: String,
    },
    SetBlocked {
        card: CardId,
        reason: Option<String>,
    },
    ArchiveCard(CardId),
    AddColumn {
        name: String,
    },
    RenameColumn {
        column: ColumnId,
        name: String,
    },
    ShiftColumn {
        column: ColumnId,
        delta: i32,
    },
    DeleteColumn(ColumnId),
    SetColumnWip {
        column: ColumnId,
        limit: Option<u32>,
    },
    SetColumnPolicy {
        column: ColumnId,
        policy: WipPolicy,
    },
    SetColumnKind {
        column: ColumnId,
        kind: ColumnKind,
    },
    /// A command, once what comes before it (a tab's load) is done.
    Then(crate::ui::action::Command),
    /// The whole database (JSON) or the report (Markdown), to a file.
    Export {
        markdown: bool,
        path: std::path::PathBuf,
    },
    /// Undo this terminal's change (`Done` as recorded), or redo it.
    Undo(Box<Done>),
    Redo(Box<Done>),
}

/// The card windows the board screen shows now.
fn windows(state: &AppState, columns: usize) -> Vec<Window> {
    let limit = layout::cards_visible(state.height);
    (0..columns)
        .map(|i| Window {
            offset: state.board.scroll_of(i),
            limit,
        })
        .collect()
}

fn entered(entry: Entry, message: String) -> Action {
    Action::Saved(Saved::Entered {
        card: entry.card,
        column: entry.column.id,
        warning: entry.warning(),
        breach_event: matches!(
            entry.decision.breach,
            Some(crate::domain::Breach::Soft { .. })
        )
        .then_some(entry.event),
        message,
    })
}

/// A save went through: the message for the status line.
fn changed(message: impl Into<String>) -> Action {
    Action::Saved(Saved::Changed {
        message: message.into(),
    })
}

/// The Flow tab's report, read from the figures kept as the board's
/// history was written: its cost follows the range's days and the cards
/// it lists, so a change of range reads it anew.
fn load_flow(store: &dyn Store, range: FlowRange) -> Result<Action, StoreError> {
    let board = store.board()?;
    Ok(Action::FlowLoaded(Box::new(
        store.flow_report(&board, range)?,
    )))
}

pub fn run(store: &mut dyn Store, state: &AppState, effect: Effect) -> Action {
    match run_inner(store, state, effect.clone()) {
        Ok(action) => action,
        Err(StoreError::Rule(DomainError::WipLimitReached {
            column,
            count,
            limit,
        })) => {
            let message = DomainError::WipLimitReached {
                column,
                count,
                limit,
            }
            .to_string();
            match effect {
                Effect::MoveCard { card, to, .. } => Action::MoveRefused { card, to, message },
                _ => Action::Failed(message),
            }
        }
        Err(e) => Action::Failed(crate::ui::strings::capitalized(&e.to_string())),
    }
}

/// Who has the board open and what is running on it.
fn load_presence(
    store: &dyn Store,
    state: &AppState,
) -> Result<Box<crate::ui::state::Presence>, StoreError> {
    let board = match &state.board.board {
        Some(b) => b.id,
        None => store.board()?.id,
    };
    Ok(Box::new(crate::ui::state::Presence {
        people: store.present()?,
        running: store.running(board)?,
    }))
}

fn run_inner(
    store: &mut dyn Store,
    state: &AppState,
    effect: Effect,
) -> Result<Action, StoreError> {
    Ok(match effect {
        Effect::Sprint(e) => sprint::run(store, state, e)?,
        Effect::Standup(e) => standup::run(store, state, e)?,
        Effect::Retro(e) => retro::run(store, state, e)?,
        Effect::Pulse(e) => pulse::run(store, state, e)?,
        Effect::Mortem(e) => mortem::run(store, state, e)?,
        Effect::Poker(e) => poker::run(store, e)?,
        Effect::LoadBoard => Action::Loaded(Box::new(load(store, state)?)),
        Effect::LoadPresence => Action::PresenceLoaded(load_presence(store, state).ok()),
        Effect::TakeOver { ritual, id, from } => {
            match ritual {
                Ritual::Retro => store.take_over_retro(RetroId(id), &from)?,
                Ritual::Standup => store.take_over_standup(StandupId(id), &from)?,
                Ritual::Premortem => store.take_over_premortem(MortemId(id), &from)?,
                Ritual::Pulse => store.take_over_pulse(PulseId(id), &from)?,
                Ritual::Poker => store.take_over_poker(RoundId(id), &from)?,
            };
            let what = match ritual {
                Ritual::Pulse => "close the pulse".to_string(),
                other => format!("facilitate {}", other.noun()),
            };
            changed(format!("You took over from {from}: you {what} now"))
        }
        Effect::LoadFlow(range) => load_flow(store, range)?,
        Effect::FlowForecast {
            current,
            step,
            range,
        } => forecast::flow(store, state, current, step, range)?,
        Effect::OpenCard(id) => Action::CardOpened(Box::new(detail(store, id)?)),
        Effect::EditCard(id) => {
            let card = store.card(id)?;
            Action::EditReady {
                card: id,
                title: card.title,
                description: card.description,
            }
        }
        Effect::AddCard { column, card } => {
            let entry = store.add_card(column, card, None)?;
            let message = format!("Created {} in {}", entry.card, entry.column.name);
            entered(entry, message)
        }
        Effect::UpdateCard {
            card,
            patch,
            message,
        } => {
            let before = store.card(card)?;
            store.update_card(card, patch)?;
            let after = store.card(card)?;
            let change = Change::Edit {
                card,
                before: fields(&before),
                after: fields(&after),
            };
            recorded(change, after, changed(message))
        }
        Effect::MoveCard { card, to, force } => {
            let from = store.card(card)?.column;
            let entry = store.move_card(card, to, force.as_deref())?;
            let message = format!("Moved {card} to {}", entry.column.name);
            let to = entry.column.id;
            let then = entered(entry, message);
            recorded(Change::Move { card, from, to }, store.card(card)?, then)
        }
        Effect::ReorderCard { card, delta } => {
            store.reorder_card(card, delta)?;
            Action::Loaded(Box::new(load(store, state)?))
        }
        Effect::ExplainBreach { event, reason } => {
            store.explain_breach(event, &reason)?;
            changed("Reason recorded with the move")
        }
        Effect::SetBlocked { card, reason } => {
            let before = store.card(card)?.blocked;
            store.set_blocked(card, reason.as_deref())?;
            let message = match &reason {
                Some(r) => format!("{card} blocked: {r}"),
                None => format!("{card} unblocked"),
            };
            let after = store.card(card)?;
            let change = Change::Block {
                card,
                before,
                after: after.blocked.clone(),
            };
            recorded(change, after, changed(message))
        }
        Effect::ArchiveCard(card) => {
            store.archive_card(card)?;
            let then = changed(format!(
                "Archived {card} ({} brings it back)",
                key_for(state, Command::Undo)
            ));
            recorded(Change::Archive { card }, store.card(card)?, then)
        }
        Effect::AddColumn { name } => {
            let board = store.board()?;
            store.add_column(board.id, &name, ColumnKind::Active, None)?;
            changed(format!("Added column {}", name.trim()))
        }
        Effect::RenameColumn { column, name } => {
            store.rename_column(column, &name)?;
            changed(format!("Renamed the column to {}", name.trim()))
        }
        Effect::ShiftColumn { column, delta } => {
            store.shift_column(column, delta)?;
            changed("Column moved")
        }
        Effect::DeleteColumn(column) => {
            store.delete_column(column)?;
            changed("Column deleted")
        }
        Effect::SetColumnWip { column, limit } => {
            let col = current_column(store, column)?;
            // A limit keeps its policy; a new one starts with the settings'.
            let policy = col.wip.map_or(state.defaults.wip_policy, |w| w.policy);
            let after = limit.map(|limit| WipLimit { limit, policy });
            store.set_column_wip(column, after)?;
            let then = changed(match limit {
                Some(l) => format!(
                    "{} now has a {} WIP limit of {l}",
                    col.name,
                    policy.as_str()
                ),
                None => format!("{} has no WIP limit now", col.name),
            });
            limit_recorded(column, col.wip, after, then)
        }
        Effect::SetColumnPolicy { column, policy } => {
            let col = current_column(store, column)?;
            let Some(w) = col.wip else {
                return Ok(Action::Failed(format!("{} has no WIP limit", col.name)));
            };
            let after = Some(WipLimit {
                limit: w.limit,
                policy,
            });
            store.set_column_wip(column, after)?;
            let then = changed(format!(
                "{}'s WIP limit is {} now",
                col.name,
                policy.as_str()
            ));
            limit_recorded(column, col.wip, after, then)
        }
        Effect::Then(cmd) => Action::Command(cmd),
        Effect::Export { markdown, path } => {
            let (text, withheld) = if markdown {
                let report = crate::store::markdown_report(store)?;
                (
                    crate::domain::text::sanitize_lines(&report).into_owned(),
                    Vec::new(),
                )
            } else {
                let e = store.export_json()?;
                (e.text, e.withheld)
            };
            crate::files::write_atomically(&path, &text).map_err(|e| {
                StoreError::Rule(DomainError::Invalid(format!(
                    "cannot write {}: {e}",
                    path.display()
                )))
            })?;
            changed(if withheld.is_empty() {
                format!("Wrote {}", path.display())
            } else {
                format!(
                    "Wrote {}, leaving out while open: {}",
                    path.display(),
                    withheld.join("; ")
                )
            })
        }
        Effect::Undo(done) => undo(store, *done, false)?,
        Effect::Redo(done) => undo(store, *done, true)?,
        Effect::SetColumnKind { column, kind } => {
            store.set_column_kind(column, kind)?;
            changed(format!("Column kind set to {kind}"))
        }
    })
}

fn load(store: &dyn Store, state: &AppState) -> Result<LoadedBoard, StoreError> {
    let board = store.board()?;
    let filter = CardFilter::parse_for(&state.board.filter, &state.actor);
    let pages = store.board_pages(&board, &filter, &windows(state, board.columns.len()))?;
    let whereabouts = whereabouts(store, state, &board, &filter, &pages);
    Ok(LoadedBoard {
        board,
        pages,
        filter: state.board.filter.clone(),
        whereabouts,
    })
}

/// Where the selected card is now, when the window just loaded for its
/// column does not show it: further down or up the column, in another
/// column, archived or filtered out. Not looked for when the selection is
/// about to move anyway (onto a card just moved, or to a new filter's top).
fn whereabouts(
    store: &dyn Store,
    state: &AppState,
    board: &crate::domain::Board,
    filter: &CardFilter,
    pages: &[crate::store::ColumnPage],
) -> Option<Whereabouts> {
    let b = &state.board;
    if b.follow.is_some() || b.shown_filter != b.filter {
        return None;
    }
    let card = b.selected()?.id;
    let column = b.selected_column()?;
    let i = pages.iter().position(|p| p.column.id == column);
    if i.is_some_and(|i| pages[i].cards.iter().any(|c| c.id == card)) {
        return None;
    }
    let place = match (store.card(card), i) {
        (Ok(c), _) if c.archived => Place::Archived,
        (Ok(c), _) if c.column != column => Place::Column(c.column),
        (Ok(_), Some(i)) => {
            // Still in the column: its row among the cards that match.
            let all: Vec<Window> = (0..pages.len())
                .map(|j| Window {
                    offset: 0,
                    limit: if j == i { pages[i].matching } else { 0 },
                })
                .collect();
            match store.board_pages(board, filter, &all) {
                Ok(full) => full
                    .get(i)
                    .and_then(|p| p.cards.iter().position(|c| c.id == card))
                    .map_or(Place::Hidden, |row| Place::At(row as u32)),
                Err(_) => Place::Unknown,
            }
        }
        _ => Place::Unknown,
    };
    // Who moved or archived it, from its history.
    let by = match place {
        Place::Column(to) => last_actor(store, card, |e| e.to_column == Some(to)),
        Place::Archived => last_actor(store, card, |e| e.kind == EventKind::Archived),
        _ => None,
    }
    .filter(|who| who != store.actor());
    Some(Whereabouts { card, place, by })
}

/// Who made the card's latest event of a kind.
fn last_actor(
    store: &dyn Store,
    card: CardId,
    which: impl Fn(&crate::domain::CardEvent) -> bool,
) -> Option<String> {
    let history = store.card_history(card).ok()?;
    history.into_iter().rev().find(which).map(|e| e.actor)
}

/// A change this terminal made, for the undo list, then what to show.
fn recorded(change: Change, after: Card, then: Action) -> Action {
    Action::Recorded {
        done: Box::new(Done {
            change,
            mark: Mark::Card(Box::new(after)),
        }),
        then: Box::new(then),
    }
}

fn limit_recorded(
    column: ColumnId,
    before: Option<WipLimit>,
    after: Option<WipLimit>,
    then: Action,
) -> Action {
    if before == after {
        return then;
    }
    Action::Recorded {
        done: Box::new(Done {
            change: Change::Wip {
                column,
                before,
                after,
            },
            mark: Mark::Limit(after),
        }),
        then: Box::new(then),
    }
}

/// Who changed a card since this terminal did, as far as its history says.
fn changed_since(store: &dyn Store, card: CardId) -> String {
    let me = store.actor().to_string();
    match store
        .card_history(card)
        .ok()
        .and_then(|h| h.into_iter().rev().find(|e| e.actor != me))
    {
        Some(e) => format!(
            "{} {} since ({})",
            e.actor,
            e.describe(),
            e.at.format("%H:%M")
        ),
        None => "it was changed since".to_string(),
    }
}

/// Undoes (or, `redo`, does again) a change, if what it left is still
/// there; the new state is what the next undo or redo checks.
fn undo(store: &mut dyn Store, done: Done, redo: bool) -> Result<Action, StoreError> {
    let board = store.board()?;
    let name = |c: ColumnId| {
        board
            .column(c)
            .map_or_else(|| "a column".to_string(), |col| col.name.clone())
    };
    let what = done.change.describe(&name);
    let verb = if redo { "Redo" } else { "Undo" };
    // Someone else's later change is never reverted.
    let current = match &done.change {
        Change::Wip { column, .. } => Mark::Limit(current_column(store, *column)?.wip),
        change => {
            let card = change.card().unwrap_or(CardId(0));
            Mark::Card(Box::new(store.card(card)?))
        }
    };
    if !done.mark.still(&current) {
        let who = match &done.change {
            Change::Wip { .. } => "the limit was changed since".to_string(),
            change => changed_since(store, change.card().unwrap_or(CardId(0))),
        };
        return Ok(Action::UndoStale {
            redo,
            message: format!(
                "{verb} refused: {who}, and it would be overwritten. Taken off the list"
            ),
        });
    }
    let mark = match &done.change {
        Change::Move { card, from, to } => {
            store.move_card(*card, if redo { *to } else { *from }, None)?;
            Mark::Card(Box::new(store.card(*card)?))
        }
        Change::Edit {
            card,
            before,
            after,
        } => {
            store.update_card(*card, if redo { after } else { before }.clone())?;
            Mark::Card(Box::new(store.card(*card)?))
        }
        Change::Block {
            card,
            before,
            after,
        } => {
            store.set_blocked(*card, if redo { after } else { before }.as_deref())?;
            Mark::Card(Box::new(store.card(*card)?))
        }
        Change::Archive { card } => {
            if redo {
                store.archive_card(*card)?;
            } else {
                store.restore_card(*card)?;
            }
            Mark::Card(Box::new(store.card(*card)?))
        }
        Change::Wip {
            column,
            before,
            after,
        } => {
            let limit = if redo { *after } else { *before };
            store.set_column_wip(*column, limit)?;
            Mark::Limit(limit)
        }
    };
    let message = format!(
        "{}: {what} (Ctrl-R redoes, u undoes)",
        if redo { "Redone" } else { "Undone" }
    );
    let done = Box::new(Done {
        change: done.change,
        mark,
    });
    Ok(if redo {
        Action::Redone { done, message }
    } else {
        Action::Undone { done, message }
    })
}

fn current_column(
    store: &dyn Store,
    column: ColumnId,
) -> Result<crate::domain::Column, StoreError> {
    store
        .board()?
        .column(column)
        .cloned()
        .ok_or_else(|| StoreError::NotFound("that column no longer exists".into()))
}

fn detail(store: &dyn Store, id: CardId) -> Result<CardDetail, StoreError> {
    let card = store.card(id)?;
    let history = store.card_history(id)?;
    let column = history
        .iter()
        .rev()
        .find(|e| e.to_column == Some(card.column))
        .and_then(|e| e.to_name.clone())
        .unwrap_or_default();
    Ok(CardDetail {
        card,
        column,
        history,
    })
}
