//! The board screen's commands.

use super::{no_card, open_dialog as open};
use crate::domain::card::{normalize_assignee, parse_points, parse_tags};
use crate::domain::{CardId, CardPatch, ColumnId, NewCard};
use crate::ui::action::{Command, LoadedBoard, Place, Whereabouts};
use crate::ui::effects::Effect;
use crate::ui::keymap::key_for;
use crate::ui::overlay::{
    ColumnsDialog, ConfirmDialog, ConfirmPurpose, Field, Form, InputDialog, InputPurpose, Overlay,
};
use crate::ui::screens::board::layout;
use crate::ui::state::reselect::reselect;
use crate::ui::state::{AppState, BoardState, PendingBreach, Tab};
use crate::ui::strings;
use crate::ui::text::safe_fit;

pub(crate) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let vis = layout::cards_visible(state.board_height());
    let b = &mut state.board;
    match cmd {
        Command::SelectLeft => select_column(state, -1),
        Command::SelectRight => select_column(state, 1),
        Command::SelectUp => select_row(state, -1),
        Command::SelectDown => select_row(state, 1),
        Command::PageUp => select_row(state, -(vis as i64)),
        Command::PageDown => select_row(state, vis as i64),
        Command::SelectFirst => select_row(state, i64::MIN / 2),
        Command::SelectLast => select_row(state, i64::MAX / 2),
        Command::MoveCardLeft => move_card(state, -1),
        Command::MoveCardRight => move_card(state, 1),
        Command::MoveCardUp | Command::MoveCardDown => match b.selected() {
            Some(card) => {
                let id = card.id;
                let delta = if cmd == Command::MoveCardUp { -1 } else { 1 };
                b.follow = Some(id);
                vec![Effect::ReorderCard { card: id, delta }]
            }
            None => no_card(state),
        },
        Command::ForceOrExplain => force_or_explain(state),
        Command::NewCard => match b.selected_column() {
            Some(column) => {
                let name = b
                    .page(b.col)
                    .map(|p| p.column.name.clone())
                    .unwrap_or_default();
                open(
                    state,
                    InputDialog::single(
                        InputPurpose::NewCard { column },
                        format!("New card in {name}"),
                        "Title",
                        "",
                    ),
                )
            }
            None => Vec::new(),
        },
        Command::EditCard => with_card(state, |state, card| {
            // The full text lives in the detail; the summary has the title only.
            let (title, description) = match state.overlays.last() {
                Some(Overlay::Card(c)) if c.detail.card.id == card => (
                    c.detail.card.title.clone(),
                    c.detail.card.description.clone(),
                ),
                _ => return vec![Effect::EditCard(card)],
            };
            open_editor(state, card, &title, &description)
        }),
        Command::SetAssignee => with_summary(state, |s| {
            let current = s.assignee.clone().unwrap_or_default();
            InputDialog::single(
                InputPurpose::Assignee { card: s.id },
                format!("Assignee of {}", s.id),
                "Name",
                &current,
            )
            .with_hint("blank for nobody")
        }),
        Command::SetTags => with_summary(state, |s| {
            InputDialog::single(
                InputPurpose::Tags { card: s.id },
                format!("Tags of {}", s.id),
                "Tags",
                &s.tags.join(" "),
            )
            .with_hint("separate with spaces or commas")
        }),
        Command::SetPoints => with_summary(state, |s| {
            points_dialog(s.id, s.points, "a whole number; blank for none")
        }),
        Command::ToggleBlocked => match b.selected() {
            Some(s) if s.blocked => vec![Effect::SetBlocked {
                card: s.id,
                reason: None,
            }],
            Some(s) => {
                let d = InputDialog::single(
                    InputPurpose::BlockReason { card: s.id },
                    format!("Block {}", s.id),
                    "What blocks it?",
                    "",
                );
                open(state, d)
            }
            None => no_card(state),
        },
        Command::ArchiveCard => match b.selected() {
            Some(s) => {
                let message = format!("Archive {} \"{}\"?", s.id, s.title);
                state.overlays.push(Overlay::Confirm(ConfirmDialog {
                    purpose: ConfirmPurpose::ArchiveCard(s.id),
                    message,
                }));
                Vec::new()
            }
            None => no_card(state),
        },
        Command::StartFilter => {
            let current = b.filter.clone();
            open(
                state,
                InputDialog::single(InputPurpose::Filter, "Filter cards", "Filter", &current)
                    .with_hint(strings::FILTER_HELP),
            )
        }
        Command::ClearFilter => {
            if b.filter.is_empty() {
                return Vec::new();
            }
            b.filter.clear();
            reset_scroll(b);
            state.info("Filter cleared");
            vec![Effect::LoadBoard]
        }
        Command::OpenCard => match b.selected() {
            Some(s) => vec![Effect::OpenCard(s.id)],
            None => no_card(state),
        },
        Command::OpenColumns => {
            let selected = b.col;
            state
                .overlays
                .push(Overlay::Columns(ColumnsDialog { selected }));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Opens the title + description editor (after the card's text is loaded).
pub(super) fn open_editor(
    state: &mut AppState,
    card: CardId,
    title: &str,
    description: &str,
) -> Vec<Effect> {
    let form = CardForm {
        title: title.to_string(),
        description: description.to_string(),
    };
    let dialog = InputDialog::form(
        InputPurpose::EditCard { card },
        format!("Edit {card}"),
        &form,
    );
    open(state, dialog)
}

/// The dialog of a card's points (the board's, and the sprint planning's).
pub(super) fn points_dialog(card: CardId, points: Option<u32>, hint: &str) -> InputDialog {
    let current = points.map(|p| p.to_string()).unwrap_or_default();
    InputDialog::single(
        InputPurpose::Points { card },
        format!("Points of {card}"),
        "Points",
        &current,
    )
    .with_hint(hint)
}

/// A card's title and description, as the editor shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CardForm {
    pub title: String,
    pub description: String,
}

impl Form for CardForm {
    fn fields(&self) -> Vec<Field> {
        vec![
            Field::new("Title", &self.title, false),
            Field::new("Description", &self.description, true),
        ]
    }

    fn parse(d: &InputDialog) -> Result<Self, String> {
        let [title, description] = d.texts();
        Ok(Self { title, description })
    }
}

/// What saving the tab's dialogs (and the column settings') does; `None`
/// if the dialog is not the tab's.
pub(super) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = super::dialog(state)?;
    let text = d.text();
    let trimmed = text.trim().to_string();
    let effect = match &d.purpose {
        InputPurpose::NewCard { column } => Effect::AddCard {
            column: *column,
            card: NewCard::titled(&text),
        },
        InputPurpose::EditCard { card } => match CardForm::parse(d) {
            Ok(f) => Effect::UpdateCard {
                card: *card,
                patch: CardPatch {
                    title: Some(f.title),
                    description: Some(f.description),
                    ..CardPatch::default()
                },
                message: format!("Saved {card}"),
            },
            Err(e) => return Some(Err(e)),
        },
        InputPurpose::Assignee { card } => {
            let who = normalize_assignee(&text);
            Effect::UpdateCard {
                card: *card,
                message: match &who {
                    Some(w) => format!("{card} assigned to {w}"),
                    None => format!("{card} unassigned"),
                },
                patch: CardPatch {
                    assignee: Some(who),
                    ..CardPatch::default()
                },
            }
        }
        InputPurpose::Tags { card } => Effect::UpdateCard {
            card: *card,
            patch: CardPatch {
                tags: Some(parse_tags(&text)),
                ..CardPatch::default()
            },
            message: format!("Tags of {card} saved"),
        },
        InputPurpose::Points { card } => match parse_points(&text) {
            Ok(points) => Effect::UpdateCard {
                card: *card,
                patch: CardPatch {
                    points: Some(points),
                    ..CardPatch::default()
                },
                message: format!("Points of {card} saved"),
            },
            Err(e) => return Some(Err(e.to_string())),
        },
        InputPurpose::BlockReason { card } => {
            if trimmed.is_empty() {
                return Some(Err("Say what blocks the card".into()));
            }
            Effect::SetBlocked {
                card: *card,
                reason: Some(trimmed),
            }
        }
        InputPurpose::ForceReason { card, to } => {
            if trimmed.is_empty() {
                return Some(Err("A forced move needs a reason".into()));
            }
            Effect::MoveCard {
                card: *card,
                to: *to,
                force: Some(trimmed),
            }
        }
        InputPurpose::BreachReason { event } => {
            if trimmed.is_empty() {
                return Some(Err("Type the reason, or Esc to skip".into()));
            }
            Effect::ExplainBreach {
                event: *event,
                reason: trimmed,
            }
        }
        // The filter applies as it is typed: Enter only closes it.
        InputPurpose::Filter => {
            state.overlays.pop();
            return Some(Ok(Vec::new()));
        }
        _ => return super::columns::submit(state),
    };
    Some(Ok(vec![effect]))
}

fn with_card(
    state: &mut AppState,
    f: impl FnOnce(&mut AppState, CardId) -> Vec<Effect>,
) -> Vec<Effect> {
    let id = match state.overlays.last() {
        Some(Overlay::Card(c)) => Some(c.detail.card.id),
        _ => state.board.selected().map(|s| s.id),
    };
    match id {
        Some(id) => f(state, id),
        None => no_card(state),
    }
}

fn with_summary(
    state: &mut AppState,
    f: impl FnOnce(&crate::domain::CardSummary) -> InputDialog,
) -> Vec<Effect> {
    match state.board.selected() {
        Some(s) => {
            let d = f(s);
            open(state, d)
        }
        None => no_card(state),
    }
}

fn reset_scroll(b: &mut BoardState) {
    b.rows.iter_mut().for_each(|r| *r = 0);
    b.scroll.iter_mut().for_each(|s| *s = 0);
}

fn select_column(state: &mut AppState, delta: i64) -> Vec<Effect> {
    let height = state.board_height();
    let b = &mut state.board;
    let n = b.columns() as i64;
    if n == 0 {
        return Vec::new();
    }
    let col = (b.col as i64 + delta).clamp(0, n - 1) as usize;
    if col == b.col {
        return Vec::new();
    }
    b.col = col;
    keep_in_view(b, state.width, height);
    Vec::new()
}

fn select_row(state: &mut AppState, delta: i64) -> Vec<Effect> {
    let height = state.board_height();
    let b = &mut state.board;
    let Some(page) = b.page(b.col) else {
        return Vec::new();
    };
    let matching = i64::from(page.matching);
    if matching == 0 {
        return Vec::new();
    }
    let row = (i64::from(b.row(b.col)) + delta).clamp(0, matching - 1) as u32;
    if let Some(r) = b.rows.get_mut(b.col) {
        *r = row;
    }
    if keep_in_view(b, state.width, height) {
        vec![Effect::LoadBoard]
    } else {
        Vec::new()
    }
}

/// Scrolls so the selected card and column are visible. True when the card
/// window of a column moved (so it must be loaded again).
pub(super) fn keep_in_view(b: &mut BoardState, width: u16, height: u16) -> bool {
    let n = b.columns();
    b.rows.resize(n, 0);
    b.scroll.resize(n, 0);
    if n == 0 {
        return false;
    }
    b.col = b.col.min(n - 1);
    let shown = layout::columns_visible(width, n);
    if b.col < b.first_col {
        b.first_col = b.col;
    } else if b.col >= b.first_col + shown {
        b.first_col = b.col + 1 - shown;
    }
    b.first_col = b.first_col.min(n - shown.min(n));
    let vis = layout::cards_visible(height);
    let mut moved = false;
    for i in 0..n {
        let row = b.rows[i];
        let old = b.scroll[i];
        let mut s = old;
        if row < s {
            s = row;
        } else if row >= s + vis {
            s = row + 1 - vis;
        }
        b.scroll[i] = s;
        moved |= s != old;
    }
    moved
}

fn move_card(state: &mut AppState, delta: i64) -> Vec<Effect> {
    let b = &state.board;
    let Some(card) = b.selected() else {
        return no_card(state);
    };
    let target = b.col as i64 + delta;
    let Some(to) = usize::try_from(target).ok().and_then(|t| b.page(t)) else {
        state.warn("No column further that way");
        return Vec::new();
    };
    vec![Effect::MoveCard {
        card: card.id,
        to: to.column.id,
        force: None,
    }]
}

fn force_or_explain(state: &mut AppState) -> Vec<Effect> {
    match state.board.pending.clone() {
        Some(PendingBreach::Refused { card, to, message }) => open(
            state,
            InputDialog::single(
                InputPurpose::ForceReason { card, to },
                format!("Force past the limit: {message}"),
                "Why?",
                "",
            )
            .with_hint("the reason is recorded with the move, for the retro"),
        ),
        Some(PendingBreach::Soft { event, warning }) => open(
            state,
            InputDialog::single(InputPurpose::BreachReason { event }, warning, "Why?", "")
                .with_hint("recorded with the move, for the retro"),
        ),
        None => {
            state.warn(strings::nothing_to_force(&key_for(
                state,
                Command::ForceOrExplain,
            )));
            Vec::new()
        }
    }
}

/// After a save that put `card` in `column`: select it there once loaded.
pub(super) fn follow(state: &mut AppState, card: CardId, column: ColumnId) {
    let b = &mut state.board;
    if let Some(i) = b.pages.iter().position(|p| p.column.id == column) {
        b.col = i;
    }
    b.follow = Some(card);
}

pub(super) fn loaded(state: &mut AppState, loaded: LoadedBoard) -> Vec<Effect> {
    let height = state.board_height();
    let b = &mut state.board;
    // The card selected in each column, found again by id below (unless the
    // selection is about to move: onto a card just moved, or to the top of
    // a new filter's cards).
    let same_list = b.follow.is_none() && b.shown_filter == loaded.filter;
    let held: Vec<(ColumnId, u32, Option<CardId>)> = (0..b.pages.len())
        .map(|i| {
            let p = &b.pages[i];
            let row = b.row(i);
            let card = row
                .checked_sub(p.offset)
                .and_then(|j| p.cards.get(j as usize))
                .map(|c| c.id);
            (p.column.id, row, card)
        })
        .collect();
    let old_ids: Vec<ColumnId> = b.pages.iter().map(|p| p.column.id).collect();
    let new_ids: Vec<ColumnId> = loaded.pages.iter().map(|p| p.column.id).collect();
    let selected_col = b.selected_column();
    if old_ids != new_ids {
        // Columns were added, removed or reordered: keep each column's place by id.
        let rows: Vec<u32> = new_ids
            .iter()
            .map(|id| old_ids.iter().position(|o| o == id).map_or(0, |i| b.row(i)))
            .collect();
        let scroll: Vec<u32> = new_ids
            .iter()
            .map(|id| {
                old_ids
                    .iter()
                    .position(|o| o == id)
                    .map_or(0, |i| b.scroll_of(i))
            })
            .collect();
        b.rows = rows;
        b.scroll = scroll;
        if let Some(sel) = selected_col {
            b.col = new_ids.iter().position(|id| *id == sel).unwrap_or(b.col);
        }
    }
    b.board = Some(loaded.board);
    b.pages = loaded.pages;
    b.shown_filter = loaded.filter;
    let n = b.pages.len();
    b.rows.resize(n, 0);
    b.scroll.resize(n, 0);
    // Follow a card that just moved or was created.
    if let Some(card) = b.follow {
        let mut found = false;
        for (i, p) in b.pages.iter().enumerate() {
            if let Some(j) = p.cards.iter().position(|c| c.id == card) {
                b.col = i;
                b.rows[i] = p.offset + j as u32;
                found = true;
            }
        }
        if found {
            b.follow = None;
        } else if let Some(p) = b.pages.get(b.col) {
            // Not in the loaded window: new cards go last, moved cards first.
            b.rows[b.col] = p
                .matching
                .saturating_sub(1)
                .min(b.rows[b.col].max(p.matching.saturating_sub(1)));
            let needs = keep_in_view(b, state.width, height);
            b.follow = None;
            return if needs {
                vec![Effect::LoadBoard]
            } else {
                Vec::new()
            };
        }
    }
    let mut left = None;
    if same_list {
        left = reselect_cards(b, &held, loaded.whereabouts.as_ref());
    }
    for (i, p) in b.pages.iter().enumerate() {
        b.rows[i] = b.rows[i].min(p.matching.saturating_sub(1));
    }
    if let Some(text) = left {
        state.tell_left(Tab::Board, text);
    }
    let height = state.board_height();
    if keep_in_view(&mut state.board, state.width, height) {
        vec![Effect::LoadBoard]
    } else {
        Vec::new()
    }
}

/// Keeps each column's selection on the card it was on (`held`: column,
/// row and card before the load): where the loaded window shows it, or, for
/// the selected column, where the store found it. A card gone from the
/// selected column hands the selection to its neighbour, and what the
/// status line would say of it is returned.
fn reselect_cards(
    b: &mut BoardState,
    held: &[(ColumnId, u32, Option<CardId>)],
    whereabouts: Option<&Whereabouts>,
) -> Option<String> {
    let mut said = None;
    for i in 0..b.pages.len() {
        let p = &b.pages[i];
        let Some(&(_, row, Some(card))) = held.iter().find(|h| h.0 == p.column.id) else {
            continue;
        };
        let selected = i == b.col;
        let found = |id: &CardId| {
            p.cards
                .iter()
                .position(|c| c.id == *id)
                .map(|j| p.offset as usize + j)
                .or_else(|| match whereabouts {
                    Some(w) if selected && w.card == *id => match w.place {
                        Place::At(r) => Some(r as usize),
                        _ => None,
                    },
                    _ => None,
                })
        };
        let r = reselect(row as usize, Some(card), p.matching as usize, found);
        b.rows[i] = r.row as u32;
        if selected && let Some(card) = r.left {
            let w = whereabouts.filter(|w| w.card == card);
            said = Some(left_message(card, &p.column.name, w, b.board.as_ref()));
        }
    }
    said
}

/// What the status line says of a selected card that left its column.
fn left_message(
    card: CardId,
    column: &str,
    w: Option<&Whereabouts>,
    board: Option<&crate::domain::Board>,
) -> String {
    let column = safe_fit(column, 24);
    let by = w
        .and_then(|w| w.by.as_deref())
        .map_or(String::new(), |who| format!(" by {}", safe_fit(who, 20)));
    match w.map(|w| w.place) {
        Some(Place::Column(to)) => match board.and_then(|b| b.column(to)) {
            Some(c) => format!(
                "{card} left {column} (moved to {}{by})",
                safe_fit(&c.name, 24)
            ),
            None => format!("{card} left {column} (moved{by})"),
        },
        Some(Place::Archived) => format!("{card} left {column} (archived{by})"),
        Some(Place::Hidden) => format!("{card} left {column} (no longer matches the filter)"),
        _ => format!("{card} is no longer in {column}"),
    }
}

pub(super) fn click(state: &mut AppState, x: u16, y: u16) -> Vec<Effect> {
    if layout::too_small(state.width, state.height) {
        return Vec::new();
    }
    let area = ratatui::layout::Rect::new(0, 0, state.width, state.height);
    let body = layout::frame(area, state.header_rows()).body;
    let b = &mut state.board;
    for (i, rect) in layout::column_rects(body, b.columns(), b.first_col) {
        if x < rect.x || x >= rect.x + rect.width || y < rect.y || y >= rect.y + rect.height {
            continue;
        }
        b.col = i;
        if let (Some(slot), Some(page)) = (layout::slot_at(rect, x, y), b.pages.get(i)) {
            let row = b.scroll_of(i) + slot;
            if row < page.matching {
                b.rows[i] = row;
            }
        }
        return Vec::new();
    }
    Vec::new()
}

/// Applies the filter typed so far.
pub(super) fn set_filter(state: &mut AppState, text: String) -> Vec<Effect> {
    if state.board.filter == text {
        return Vec::new();
    }
    state.board.filter = text;
    reset_scroll(&mut state.board);
    vec![Effect::LoadBoard]
}
