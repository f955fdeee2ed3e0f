//! Words the user reads, kept together so the wording stays consistent.

pub const APP_NAME: &str = "teamloop";
pub const READ_ONLY_BANNER: &str = " READ-ONLY ";
pub const READ_ONLY_REFUSAL: &str = "The database is read-only: nothing can be changed here";
pub const NO_CARD_SELECTED: &str = "No card selected";
pub const NO_SPRINT_TO_PLAN: &str = "No sprint to plan: press n to plan one";
pub const START_STANDUP_FIRST: &str =
    "Start the standup first (Space): what is raised is recorded with it";
pub const NOTHING_TO_FORCE: &str =
    "Nothing to explain: F follows a move refused or warned by a WIP limit";
pub const HINTS: &str = "? keys · q quit";
pub const INPUT_HINT_SINGLE: &str = "Enter save · Esc cancel";
pub const INPUT_HINT_MULTI: &str = "Tab next field · Ctrl-S save · Esc cancel";
pub const CONFIRM_HINT: &str = "y yes · n no";
pub const FILTER_HELP: &str = "words match title, @name the assignee (@me: you), #tag a tag";

pub fn too_small(w: u16, h: u16, need_w: u16, need_h: u16) -> String {
    format!("Terminal too small: {w}×{h}. teamloop needs at least {need_w}×{need_h}.")
}

pub fn refused_hint(message: &str) -> String {
    format!("{message}. Press F to force the move and say why")
}

pub fn soft_hint(warning: &str) -> String {
    format!("{warning}. Press F to note why")
}

/// `1 card`, `3 cards`.
pub fn cards(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 card".to_string(),
        n => format!("{n} cards"),
    }
}
