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

/// What every forecast assumes, said beside it.
pub const FORECAST_ASSUMES: &str = "Assumes the days ahead finish cards as the days sampled did, \
     and that the cards left are of a size like those finished (cards are counted, not points).";

/// A forecast's sample window, in words.
pub fn forecast_sample(
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    days: usize,
    finished: u32,
) -> String {
    format!(
        "sampled from the cards finished each day {from} – {to} ({days} days, {})",
        cards(finished)
    )
}

/// A forecast's track record, in words: the 85% line's hit rate.
pub fn forecast_record(record: &crate::domain::forecast::Backtest) -> String {
    match record.rate(crate::domain::forecast::CHECKED) {
        Some(rate) => format!(
            "Track record: the {}% line held in {:.0}% of {} past forecasts like this one ({})",
            crate::domain::forecast::CHECKED,
            rate * 100.0,
            record.forecasts,
            record.judgement()
        ),
        None => format!("Track record: none yet ({})", record.judgement()),
    }
}

/// A day as a forecast gives it: `2026-12-08 (Tue, in 5 days)`.
pub fn forecast_day(day: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let n = (day - today).num_days();
    format!(
        "{day} ({}, {})",
        day.format("%a"),
        match n {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        }
    )
}

/// The chance a sprint's cards left are done by its last day, in a few
/// words (`long`: with what it is counted from and its track record).
pub fn sprint_chance(c: &crate::domain::forecast::Chance, long: bool) -> Option<String> {
    use crate::domain::forecast::CHECKED;
    if c.remaining == 0 {
        return None;
    }
    let left = format!("the {} left", cards(c.remaining));
    let by = c.by.format("%a %m-%d");
    Some(match &c.forecast {
        None if c.by == c.today => format!("Last day: {left} (a forecast counts from tomorrow)"),
        None => format!("The sprint's last day has passed with {left}"),
        Some(Err(r)) => format!(
            "No forecast for {left}: {}",
            r.to_string().trim_start_matches("no forecast: ")
        ),
        Some(Ok(f)) => {
            let p = (c.likelihood().unwrap_or(0.0) * 100.0).round();
            let short = format!("{p:.0}% likely {left} are done by {by}");
            if !long {
                return Some(match f.record.rate(CHECKED) {
                    Some(r) => format!("{short} ({CHECKED}% line held {:.0}%)", r * 100.0),
                    None => short,
                });
            }
            let record = match f.record.rate(CHECKED) {
                Some(r) => format!(
                    "; its {CHECKED}% line held in {:.0}% of {} past forecasts",
                    r * 100.0,
                    f.record.forecasts
                ),
                None => String::new(),
            };
            format!(
                "{short} (from the cards, not points, the board finished each day {} – {}{record})",
                f.sample.from, f.sample.to
            )
        }
    })
}

/// `s` with its first letter upper-case: a message that starts a line.
pub fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
