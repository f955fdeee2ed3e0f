//! Words the user reads, kept together so the wording stays consistent.

pub const APP_NAME: &str = "teamloop";
pub const READ_ONLY_BANNER: &str = " READ-ONLY ";
pub const READ_ONLY_REFUSAL: &str = "The database is read-only: nothing can be changed here";
pub const NO_CARD_SELECTED: &str = "No card selected";
pub const HINTS: &str = "? keys · q quit";
pub const INPUT_HINT_SINGLE: &str = "Enter save · Esc cancel";
pub const INPUT_HINT_MULTI: &str = "Tab next field · Ctrl-S save · Esc cancel";
pub const CONFIRM_HINT: &str = "y yes · n no";
pub const FILTER_HELP: &str = "words match title, @name the assignee (@me: you), #tag a tag";

pub fn too_small(w: u16, h: u16, need_w: u16, need_h: u16) -> String {
    format!("Terminal too small: {w}×{h}. teamloop needs at least {need_w}×{need_h}.")
}

/// The messages below name keys: each is given the user's own (`new`
/// plans a sprint, `start` starts the standup, `force` forces a move).
pub fn no_sprint_to_plan(new: &str) -> String {
    format!("No sprint to plan: press {new} to plan one")
}

pub fn start_standup_first(start: &str) -> String {
    format!("Start the standup first ({start}): what is raised is recorded with it")
}

pub fn nothing_to_force(force: &str) -> String {
    format!("Nothing to explain: {force} follows a move refused or warned by a WIP limit")
}

pub fn refused_hint(message: &str, force: &str) -> String {
    format!("{message}. Press {force} to force the move and say why")
}

pub fn soft_hint(warning: &str, force: &str) -> String {
    format!("{warning}. Press {force} to note why")
}

/// `1 card`, `3 cards`.
pub fn cards(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 card".to_string(),
        n => format!("{n} cards"),
    }
}
