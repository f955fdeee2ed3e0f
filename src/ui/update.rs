//! `update(state, action) -> effects`: the only place state changes.
//! No IO and no clock reads here; effects do the work and report back.

// A tab's own (seen from the tab registry, which names its commands).
mod action_form;
pub(crate) mod board;
mod columns;
pub(crate) mod flow;
mod input;
pub(crate) mod mortem;
pub(crate) mod poker;
mod presence;
pub(crate) mod pulse;
pub(crate) mod retro;
pub(crate) mod sprint;
pub(crate) mod standup;
#[cfg(test)]
mod tests;

use super::action::{Action, Command, Saved};
use super::effects::Effect;
use super::keymap;
use super::overlay::{
    CardDialog, ConfirmDialog, ConfirmPurpose, HelpDialog, HistoryDialog, InputDialog,
    InputPurpose, NoticeDialog, Overlay,
};
use super::state::{AppState, PendingBreach, Tab};
use super::strings;
use super::tabs::TABS;
use crate::domain::handover::Ritual;

pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    // Whose changes the loads that follow bring: another terminal's after
    // an external change or a refresh; this terminal's own after a key.
    match &action {
        Action::ExternalChange | Action::Command(Command::Refresh) => state.elsewhere = true,
        Action::Command(_)
        | Action::NotHere(_)
        | Action::Input(_)
        | Action::Paste(_)
        | Action::Click { .. }
        | Action::Resize { .. }
        | Action::Tick => state.elsewhere = false,
        _ => {}
    }
    match action {
        Action::Command(cmd) => command(state, cmd),
        Action::NotHere(text) => {
            state.info(text);
            Vec::new()
        }
        Action::Paste(text) => input::paste(state, &text),
        Action::Input(key) => match state.overlays.last() {
            Some(Overlay::PulseAnswer(_)) => pulse::answer_key(state, key),
            Some(Overlay::Palette(_)) => palette_key(state, key),
            _ => input::key(state, key),
        },
        Action::Click { x, y } => {
            // Only the board takes clicks: they choose its column and card.
            if state.overlays.is_empty() && state.tab == Tab::Board {
                board::click(state, x, y)
            } else {
                Vec::new()
            }
        }
        Action::Resize { width, height } => {
            state.width = width;
            state.height = height;
            let rows = state.board_height();
            board::keep_in_view(&mut state.board, width, rows);
            vec![Effect::LoadBoard]
        }
        Action::ExternalChange => {
            state.reloads += 1;
            let mut effects = reload(state);
            if let Some(Overlay::Card(c)) = state.overlays.last() {
                effects.push(Effect::OpenCard(c.detail.card.id));
            }
            effects
        }
        Action::Loaded(loaded) => board::loaded(state, *loaded),
        Action::PresenceNews => vec![Effect::LoadPresence],
        Action::PresenceLoaded(Some(seen)) => presence::loaded(state, *seen),
        Action::PresenceLoaded(None) => Vec::new(),
        Action::FlowLoaded(report) => flow::loaded(state, report),
        Action::FlowForecast(forecast, message) => flow::forecast(state, forecast, message),
        Action::SprintLoaded(data) => sprint::loaded(state, data),
        Action::StandupLoaded(data) => standup::loaded(state, data),
        Action::StandupBegun(id) => standup::begun(state, id),
        Action::StandupMovedOn(message) => standup::moved_on(state, message),
        Action::StandupHistory(standups, handovers) => {
            if standups.is_empty() {
                state.info(format!(
                    "No standup saved yet: {} starts one",
                    keymap::key_for(state, Command::ToggleTimer)
                ));
            } else {
                state.overlays.push(Overlay::StandupHistory(HistoryDialog {
                    standups,
                    handovers,
                    scroll: 0,
                }));
            }
            Vec::new()
        }
        Action::Tick => {
            let mut effects = standup::tick(state);
            effects.extend(retro::tick(state));
            effects.extend(poker::tick(state));
            effects
        }
        Action::RetroLoaded(data) => retro::loaded(state, data),
        Action::RetroCardAdded { id, prompt, text } => retro::card_added(state, id, prompt, text),
        Action::Voted { used } => retro::voted(state, used),
        Action::PulseLoaded(data) => pulse::loaded(state, data),
        Action::PokerLoaded {
            data,
            open,
            message,
        } => poker::loaded(state, *data, open, message),
        Action::PulseResults(id, results) => pulse::results_loaded(state, id, *results),
        Action::PulseAnswered(message) => pulse::answered(state, message),
        Action::MortemLoaded(data) => mortem::loaded(state, data),
        Action::MortemCreated { id, message } => mortem::created(state, id, message),
        Action::MortemNotice {
            title,
            lines,
            message,
        } => {
            if matches!(state.overlays.last(), Some(Overlay::Pick(_))) {
                state.overlays.pop();
            }
            mortem::notice(state, title, lines, message)
        }
        Action::ReasonWritten { mortem, card, text } => {
            mortem::reason_written(state, mortem, card, text)
        }
        Action::ReasonTakenBack { mortem, card } => mortem::taken_back(state, mortem, card),
        Action::Grouped(message) => {
            state.retro.marked.clear();
            saved_action(state, Saved::Changed { message })
        }
        Action::CardOpened(detail) => {
            match state.overlays.last_mut() {
                Some(Overlay::Card(c)) if c.detail.card.id == detail.card.id => c.detail = *detail,
                _ => state.overlays.push(Overlay::Card(Box::new(CardDialog {
                    detail: *detail,
                    scroll: 0,
                }))),
            }
            Vec::new()
        }
        Action::Saved(saved) => saved_action(state, saved),
        Action::Recorded { done, then } => {
            state.history.record(*done);
            update(state, *then)
        }
        Action::Undone { done, message } => {
            state.history.undo.pop();
            state.history.redo.push(*done);
            state.info(message);
            reload(state)
        }
        Action::Redone { done, message } => {
            state.history.redo.pop();
            state.history.undo.push(*done);
            state.info(message);
            reload(state)
        }
        Action::UndoStale { redo, message } => {
            if redo {
                state.history.redo.pop();
            } else {
                state.history.undo.pop();
            }
            state.warn(message);
            reload(state)
        }
        Action::MoveRefused { card, to, message } => {
            close_input(state, |p| matches!(p, InputPurpose::ForceReason { .. }));
            state.error(strings::refused_hint(
                &message,
                &keymap::key_for(state, Command::ForceOrExplain),
            ));
            state.board.pending = Some(PendingBreach::Refused { card, to, message });
            Vec::new()
        }
        Action::EditReady {
            card,
            title,
            description,
        } => board::open_editor(state, card, &title, &description),
        Action::Failed(message) => {
            // An open dialog keeps what the user typed and shows why it was not saved.
            if let Some(Overlay::Input(d)) = state.overlays.last_mut() {
                d.error = Some(message);
            } else {
                state.error(message);
            }
            Vec::new()
        }
    }
}

/// Opens a text dialog, the cursor in its first field.
fn open_dialog(state: &mut AppState, mut dialog: InputDialog) -> Vec<Effect> {
    dialog.refocus();
    state.overlays.push(Overlay::Input(Box::new(dialog)));
    Vec::new()
}

/// The text dialog on top, if any.
fn dialog(state: &AppState) -> Option<&InputDialog> {
    match state.overlays.last() {
        Some(Overlay::Input(d)) => Some(d),
        _ => None,
    }
}

/// Asks before taking `ritual` over from `current`, its facilitator as this
/// terminal sees it; says so if this person facilitates it already.
pub(crate) fn ask_take_over(
    state: &mut AppState,
    ritual: Ritual,
    id: i64,
    title: &str,
    current: &str,
) {
    if current == state.actor {
        state.info(match ritual {
            Ritual::Pulse => "You opened this pulse: you close it".to_string(),
            other => format!("You facilitate {} already", other.noun()),
        });
        return;
    }
    let what = match ritual {
        Ritual::Pulse => format!("closing the pulse \"{title}\""),
        other if title.is_empty() => other.noun().to_string(),
        other => format!("{} \"{title}\"", other.noun()),
    };
    state.overlays.push(Overlay::Confirm(ConfirmDialog {
        purpose: ConfirmPurpose::TakeOver {
            ritual,
            id,
            from: current.to_string(),
        },
        message: format!(
            "Take over {what} from {current}? Only you will {}; {current}'s terminal is told, and the record keeps it.",
            if ritual == Ritual::Pulse {
                "close it by hand"
            } else {
                "move it on"
            }
        ),
    }));
}

/// What the status line of the one who facilitated says when someone else
/// took over: `before` and `after` are the facilitator as loaded last and now.
fn tell_taken_over(
    state: &mut AppState,
    (ritual, id): (Ritual, i64),
    before: Option<&str>,
    after: Option<&str>,
) {
    if let (Some(before), Some(after)) = (before, after)
        && before == state.actor
        && after != before
        && state.first_telling(ritual, id, after)
    {
        state.warn(format!("{after} took {} over from you", ritual.noun()));
    }
}

fn no_card(state: &mut AppState) -> Vec<Effect> {
    state.warn(strings::NO_CARD_SELECTED);
    Vec::new()
}

fn close_input(state: &mut AppState, which: impl Fn(&InputPurpose) -> bool) {
    if let Some(Overlay::Input(d)) = state.overlays.last()
        && which(&d.purpose)
    {
        state.overlays.pop();
    }
}

fn saved_action(state: &mut AppState, saved: Saved) -> Vec<Effect> {
    // A save closes the dialog it came from, and only that one.
    if matches!(state.overlays.last(), Some(Overlay::Input(d)) if !matches!(d.purpose, InputPurpose::Filter | InputPurpose::MortemSearch))
        || matches!(state.overlays.last(), Some(Overlay::Confirm(_)))
    {
        state.overlays.pop();
    }
    let mut effects = reload(state);
    match saved {
        Saved::Entered {
            card,
            column,
            message,
            warning,
            breach_event,
        } => {
            state.board.pending = None;
            board::follow(state, card, column);
            match (warning, breach_event) {
                (Some(w), Some(event)) => {
                    state.warn(strings::soft_hint(
                        &format!("{message}; {w}"),
                        &keymap::key_for(state, Command::ForceOrExplain),
                    ));
                    state.board.pending = Some(PendingBreach::Soft { event, warning: w });
                }
                (Some(w), None) => state.warn(format!("{message}; {w}")),
                _ => state.info(message),
            }
        }
        Saved::Changed { message } => {
            if !message.is_empty() {
                state.info(message);
            }
        }
    }
    if let Some(Overlay::Card(c)) = state.overlays.last() {
        effects.push(Effect::OpenCard(c.detail.card.id));
    }
    effects
}

fn command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    // The one read-only check: a command that changes the board is refused
    // here, on every tab and dialog, with one message.
    if cmd.writes() && state.read_only {
        state.error(strings::READ_ONLY_REFUSAL);
        return Vec::new();
    }
    match state.overlays.last_mut() {
        Some(Overlay::Help(HelpDialog { scroll, .. }))
        | Some(Overlay::StandupHistory(HistoryDialog { scroll, .. }))
        | Some(Overlay::Notice(NoticeDialog { scroll, .. })) => {
            match cmd {
                Command::ScrollDown => *scroll = scroll.saturating_add(1),
                Command::ScrollUp => *scroll = scroll.saturating_sub(1),
                Command::Close => {
                    state.overlays.pop();
                }
                _ => {}
            }
            Vec::new()
        }
        Some(Overlay::Confirm(_)) => input::confirm(state, cmd),
        Some(Overlay::Pick(_)) => retro::pick(state, cmd),
        Some(Overlay::Card(c)) => match cmd {
            Command::ScrollDown => {
                c.scroll = c.scroll.saturating_add(1);
                Vec::new()
            }
            Command::ScrollUp => {
                c.scroll = c.scroll.saturating_sub(1);
                Vec::new()
            }
            Command::Close => {
                state.overlays.pop();
                Vec::new()
            }
            Command::EditCard => board::command(state, Command::EditCard),
            Command::ShowHelp => show_help(state),
            _ => Vec::new(),
        },
        Some(Overlay::Columns(_)) if matches!(cmd, Command::Undo | Command::Redo) => {
            undo_command(state, cmd)
        }
        Some(Overlay::Columns(_)) => columns::command(state, cmd),
        Some(Overlay::Poker(_)) => poker::command(state, cmd),
        Some(Overlay::Input(_) | Overlay::PulseAnswer(_) | Overlay::Palette(_)) => Vec::new(),
        None => match cmd {
            Command::Quit => {
                // A standup under way stays so: it is the board's, not
                // this terminal's.
                state.quit = true;
                Vec::new()
            }
            Command::ShowHelp => show_help(state),
            Command::NextTab | Command::PrevTab => {
                let n = TABS.len();
                let i = if cmd == Command::NextTab {
                    (state.tab.index() + 1) % n
                } else {
                    (state.tab.index() + n - 1) % n
                };
                switch_tab(state, TABS[i].tab)
            }
            Command::GoToTab(number) => match Tab::all().find(|t| t.number() == number) {
                Some(tab) => switch_tab(state, tab),
                None => Vec::new(),
            },
            Command::Refresh => reload(state),
            Command::OpenPoker => poker::open(state),
            Command::Undo | Command::Redo => undo_command(state, cmd),
            Command::OpenPalette => {
                let entries = crate::ui::palette::entries(state);
                state.overlays.push(Overlay::Palette(Box::new(
                    crate::ui::palette::PaletteDialog::new(entries),
                )));
                Vec::new()
            }
            other => (state.tab.def().command)(state, other),
        },
    }
}

/// A key in the palette: typing filters, arrows choose, Enter runs.
fn palette_key(state: &mut AppState, key: ratatui::crossterm::event::KeyEvent) -> Vec<Effect> {
    use crate::ui::palette::Run;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    let Some(Overlay::Palette(p)) = state.overlays.last_mut() else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let n = p.matches.len();
    match key.code {
        KeyCode::Esc => {
            state.overlays.pop();
            Vec::new()
        }
        KeyCode::Char('c') if ctrl => {
            state.overlays.pop();
            Vec::new()
        }
        KeyCode::Up | KeyCode::BackTab => {
            p.selected = p.selected.saturating_sub(1);
            Vec::new()
        }
        KeyCode::Char('p') if ctrl => {
            p.selected = p.selected.saturating_sub(1);
            Vec::new()
        }
        KeyCode::Down | KeyCode::Tab => {
            p.selected = (p.selected + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        KeyCode::Char('n') if ctrl => {
            p.selected = (p.selected + 1).min(n.saturating_sub(1));
            Vec::new()
        }
        KeyCode::Enter => {
            let Some(entry) = p.chosen().cloned() else {
                return Vec::new();
            };
            state.overlays.pop();
            match entry.run {
                Run::Command { tab: Some(t), cmd } if t != state.tab => {
                    // The tab first, loaded; then the action on it.
                    let mut effects = switch_tab(state, t);
                    effects.push(Effect::Then(cmd));
                    effects
                }
                Run::Command { cmd, .. } => command(state, cmd),
                Run::MoveTo { card, column } => vec![Effect::MoveCard {
                    card,
                    to: column,
                    force: None,
                }],
                Run::Export { markdown } => {
                    let name = format!(
                        "teamloop-{}.{}",
                        state.now.format("%Y-%m-%d-%H%M"),
                        if markdown { "md" } else { "json" }
                    );
                    vec![Effect::Export {
                        markdown,
                        path: state.export_dir.join(name),
                    }]
                }
            }
        }
        _ => {
            p.query.area.input(key);
            p.refilter();
            Vec::new()
        }
    }
}

/// `u` and Ctrl-R: this terminal's last change undone, or redone.
fn undo_command(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let redo = cmd == Command::Redo;
    let list = if redo {
        &state.history.redo
    } else {
        &state.history.undo
    };
    match list.last() {
        Some(done) if redo => vec![Effect::Redo(Box::new(done.clone()))],
        Some(done) => vec![Effect::Undo(Box::new(done.clone()))],
        None if redo => {
            state.info("Nothing to redo");
            Vec::new()
        }
        None => {
            state.info(
                "Nothing to undo: moves, edits, blocks, archives and WIP limits made here can be",
            );
            Vec::new()
        }
    }
}

/// Shows another tab; a screen built from history is loaded fresh each time.
fn switch_tab(state: &mut AppState, tab: Tab) -> Vec<Effect> {
    // What the status line said belongs to the tab it was said on.
    if state.tab != tab {
        state.status = Default::default();
    }
    state.tab = tab;
    vec![(tab.def().load)(state)]
}

/// Everything the current tab shows, loaded again: the board always (for
/// the header and the dialogs), then the tab's own load unless it is that.
fn reload(state: &AppState) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadBoard];
    match (state.tab.def().load)(state) {
        Effect::LoadBoard => {}
        own => effects.push(own),
    }
    effects.push(Effect::LoadPresence);
    if let Some(id) = poker::showing(state) {
        effects.push(Effect::Poker(crate::ui::effects::PokerEffect::Load(id)));
    }
    effects
}

pub(crate) fn show_help(state: &mut AppState) -> Vec<Effect> {
    let sections: Vec<(&'static str, &'static [keymap::Binding])> = match state.overlays.last() {
        Some(Overlay::Columns(_)) => vec![("Column settings", keymap::COLUMNS)],
        Some(Overlay::Card(_)) => vec![("Card", keymap::CARD_DETAIL)],
        Some(Overlay::StandupHistory(_)) => vec![("Past standups", keymap::REPORT)],
        Some(Overlay::Notice(_)) => vec![("Notice", keymap::REPORT)],
        Some(Overlay::Pick(_)) => vec![("Choose", keymap::PICK)],
        Some(Overlay::Poker(_)) => vec![("Planning poker", keymap::POKER)],
        _ => {
            let mut sections = keymap::screen(state);
            sections.push(("Everywhere", keymap::GLOBAL));
            sections
        }
    };
    let sections = sections
        .into_iter()
        .map(|(heading, table)| {
            let rows = table
                .iter()
                .map(|b| (state.keys.label(b), b.help))
                .collect();
            (heading, rows)
        })
        .collect();
    state.overlays.push(Overlay::Help(HelpDialog {
        sections,
        scroll: 0,
    }));
    Vec::new()
}
