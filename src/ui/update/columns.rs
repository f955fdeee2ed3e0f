//! The column settings dialog.

use crate::domain::WipLimit;
use crate::ui::action::Command;
use crate::ui::effects::Effect;
use crate::ui::keymap::key_for;
use crate::ui::overlay::{ConfirmDialog, ConfirmPurpose, InputDialog, InputPurpose, Overlay};
use crate::ui::state::AppState;

pub(super) fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let n = state.board.pages.len();
    let Some(Overlay::Columns(dialog)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let selected = dialog.selected.min(n.saturating_sub(1));
    dialog.selected = selected;
    match cmd {
        Command::SelectUp => {
            dialog.selected = selected.saturating_sub(1);
            return Vec::new();
        }
        Command::SelectDown => {
            dialog.selected = (selected + 1).min(n.saturating_sub(1));
            return Vec::new();
        }
        Command::Close => {
            state.overlays.pop();
            return Vec::new();
        }
        Command::ShowHelp => return super::show_help(state),
        _ => {}
    }
    if cmd == Command::AddColumn {
        state
            .overlays
            .push(Overlay::Input(Box::new(InputDialog::single(
                InputPurpose::AddColumn,
                "Add a column (at the right end)",
                "Name",
                "",
            ))));
        return Vec::new();
    }
    let Some(page) = state.board.pages.get(selected) else {
        return Vec::new();
    };
    let col = page.column.clone();
    let count = page.count;
    let push = |state: &mut AppState, o: Overlay| {
        state.overlays.push(o);
        Vec::new()
    };
    match cmd {
        Command::RenameColumn => push(
            state,
            Overlay::Input(Box::new(InputDialog::single(
                InputPurpose::RenameColumn { column: col.id },
                format!("Rename {}", col.name),
                "Name",
                &col.name,
            ))),
        ),
        Command::SetColumnWip => {
            let current = col.wip.map(|w| w.limit.to_string()).unwrap_or_default();
            push(
                state,
                Overlay::Input(Box::new(
                    InputDialog::single(
                        InputPurpose::ColumnWip { column: col.id },
                        format!("WIP limit of {}", col.name),
                        "Limit",
                        &current,
                    )
                    .with_hint("a number; blank or 'none' for no limit"),
                )),
            )
        }
        Command::ToggleWipPolicy => match col.wip {
            Some(w) => vec![Effect::SetColumnPolicy {
                column: col.id,
                policy: w.policy.toggled(),
            }],
            None => {
                state.warn(format!(
                    "{} has no WIP limit: press {} to set one",
                    col.name,
                    key_for(state, Command::SetColumnWip)
                ));
                Vec::new()
            }
        },
        Command::CycleColumnKind => vec![Effect::SetColumnKind {
            column: col.id,
            kind: col.kind.next(),
        }],
        Command::ShiftColumnLeft | Command::ShiftColumnRight => {
            let delta = if cmd == Command::ShiftColumnLeft {
                -1
            } else {
                1
            };
            let target = selected as i64 + delta;
            if target < 0 || target >= n as i64 {
                return Vec::new();
            }
            if let Some(Overlay::Columns(d)) = state.overlays.last_mut() {
                d.selected = target as usize;
            }
            vec![Effect::ShiftColumn {
                column: col.id,
                delta: delta as i32,
            }]
        }
        Command::DeleteColumn => {
            if count > 0 {
                state.error(format!(
                    "{} still holds {count} card{}: move or archive them first",
                    col.name,
                    if count == 1 { "" } else { "s" }
                ));
                return Vec::new();
            }
            push(
                state,
                Overlay::Confirm(ConfirmDialog {
                    purpose: ConfirmPurpose::DeleteColumn(col.id),
                    message: format!("Delete the empty column {}?", col.name),
                }),
            )
        }
        _ => Vec::new(),
    }
}

/// What saving the column settings' dialogs does; `None` if the dialog is
/// not theirs.
pub(super) fn submit(state: &mut AppState) -> Option<Result<Vec<Effect>, String>> {
    let d = super::dialog(state)?;
    let text = d.text();
    let name = text.trim().to_string();
    let effect = match &d.purpose {
        InputPurpose::AddColumn => Effect::AddColumn { name },
        InputPurpose::RenameColumn { column } => Effect::RenameColumn {
            column: *column,
            name,
        },
        InputPurpose::ColumnWip { column } => match WipLimit::parse_limit(&text) {
            Ok(limit) => Effect::SetColumnWip {
                column: *column,
                limit,
            },
            Err(e) => return Some(Err(e.to_string())),
        },
        _ => return None,
    };
    Some(Ok(vec![effect]))
}
