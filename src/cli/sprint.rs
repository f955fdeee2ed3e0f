//! `teamloop sprint …`: plan, start, fill, show and close sprints from a script.

use std::fmt::Write;

use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;

use super::{Failure, Outcome, emit, fail, parse_id, to_json};
use crate::domain::sprint::{
    BurnDay, DEFAULT_DAYS, NewSprint, Sprint, SprintState, VELOCITY_WINDOW, velocity_stats,
};
use crate::domain::{BoardId, CardId, parse_date};
use crate::store::{SprintPatch, SprintReport, Store};
use crate::ui::text::sanitize;

#[derive(Debug, Subcommand)]
pub enum SprintCmd {
    /// Plan the next sprint (its cards are added with `sprint add --next`)
    Plan {
        /// The sprint's name
        name: String,
        /// The sprint goal: one sentence (needed before it starts)
        #[arg(long, default_value = "")]
        goal: String,
        /// First day (YYYY-MM-DD) [default: today, or the day after the active sprint]
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        /// Length in days (1 to 31)
        #[arg(long, default_value_t = DEFAULT_DAYS)]
        days: u32,
        /// Team capacity in points
        #[arg(long)]
        capacity: Option<u32>,
    },
    /// Start a sprint today: the planned one of that name, or a new one
    Start {
        /// The sprint's name
        name: String,
        /// The sprint goal: one sentence
        #[arg(long)]
        goal: Option<String>,
        /// Length in days (1 to 31) [default: 14, or the planned length]
        #[arg(long)]
        days: Option<u32>,
        /// Team capacity in points
        #[arg(long)]
        capacity: Option<u32>,
    },
    /// Add cards to the active sprint (or to the planned one)
    Add {
        /// Card ids (12 or #12)
        #[arg(required = true)]
        cards: Vec<String>,
        /// Add to the sprint being planned, even while one is active
        #[arg(long)]
        next: bool,
    },
    /// Take cards out of the active sprint (or of the planned one)
    Remove {
        /// Card ids (12 or #12)
        #[arg(required = true)]
        cards: Vec<String>,
        /// Take them out of the sprint being planned
        #[arg(long)]
        next: bool,
    },
    /// Close the active sprint: record its velocity; unfinished cards return
    /// to the backlog unless carried over
    Close {
        /// Carry this unfinished card over to the next sprint (repeat for more)
        #[arg(long = "carry", value_name = "CARD_ID")]
        carry: Vec<String>,
        /// Carry every unfinished card over
        #[arg(long, conflicts_with = "carry")]
        carry_all: bool,
    },
    /// The current sprint: goal, points committed, done and remaining, burndown
    Show {
        /// A sprint by name or id [default: the active one, else the planned one]
        #[arg(long)]
        sprint: Option<String>,
        /// JSON output
        #[arg(long)]
        json: bool,
    },
    /// Every sprint with its points committed and done (velocity history)
    List {
        /// JSON output
        #[arg(long)]
        json: bool,
    },
}

fn find(store: &dyn Store, board: BoardId, which: Option<&str>) -> Result<Sprint, Failure> {
    let all = store.sprints(board)?;
    match which {
        Some(w) => {
            // Read as a sprint's name is kept: the name typed finds it.
            let w = crate::domain::text::one_line(w);
            all.iter()
                .find(|s| s.name.eq_ignore_ascii_case(&w) || s.id.0.to_string() == w)
                .cloned()
                .ok_or_else(|| fail(format!("no sprint named '{w}'")))
        }
        None => store.current_sprint(board)?.ok_or_else(|| {
            fail("no active or planned sprint: start one with teamloop sprint start NAME --goal TEXT")
        }),
    }
}

/// The sprint `add`/`remove` work on.
fn target(store: &dyn Store, board: BoardId, next: bool) -> Result<Sprint, Failure> {
    let all = store.sprints(board)?;
    let wanted = if next {
        SprintState::Planned
    } else {
        all.iter()
            .find(|s| s.state == SprintState::Active)
            .map_or(SprintState::Planned, |s| s.state)
    };
    all.into_iter()
        .find(|s| s.state == wanted)
        .ok_or_else(|| match wanted {
            SprintState::Planned => fail("no sprint is being planned: teamloop sprint plan NAME"),
            _ => fail("no active sprint"),
        })
}

fn ids(texts: &[String]) -> Result<Vec<CardId>, Failure> {
    texts.iter().map(|t| parse_id(t)).collect()
}

pub fn run(store: &mut dyn Store, cmd: &SprintCmd) -> Outcome {
    let board = store.board()?;
    let clock = store.clock();
    let today = clock.zone().day_of(clock.now());
    match cmd {
        SprintCmd::Plan {
            name,
            goal,
            start,
            days,
            capacity,
        } => {
            let start = match start {
                Some(s) => parse_date(s)?,
                None => default_start(store, board.id, today)?,
            };
            let id = store.create_sprint(
                board.id,
                NewSprint {
                    name: name.clone(),
                    goal: goal.clone(),
                    start,
                    days: *days,
                    capacity: *capacity,
                },
            )?;
            let s = find(store, board.id, Some(&id.0.to_string()))?;
            say!(
                "Planned {} from {} to {}",
                sanitize(&s.name),
                s.start,
                s.end
            );
            Ok(())
        }
        SprintCmd::Start {
            name,
            goal,
            days,
            capacity,
        } => {
            let planned = store
                .sprints(board.id)?
                .into_iter()
                .find(|s| s.state == SprintState::Planned);
            // Each way is one transaction: a refused start changes nothing.
            let id = match planned {
                Some(p)
                    if p.name
                        .eq_ignore_ascii_case(&crate::domain::text::one_line(name)) =>
                {
                    let patch = SprintPatch {
                        goal: goal.clone(),
                        days: *days,
                        capacity: capacity.map(Some),
                        ..SprintPatch::default()
                    };
                    store.start_sprint(p.id, patch)?;
                    p.id
                }
                Some(p) => {
                    return Err(fail(format!(
                        "{} is being planned: start it by its name, or plan a different one after it",
                        p.name
                    )));
                }
                None if goal.as_deref().is_none_or(|g| g.trim().is_empty()) => {
                    return Err(fail(
                        "a sprint starts with a goal: add --goal \"one sentence\"",
                    ));
                }
                None => store.start_new_sprint(
                    board.id,
                    NewSprint {
                        name: name.clone(),
                        goal: goal.clone().unwrap_or_default(),
                        start: today,
                        days: days.unwrap_or(DEFAULT_DAYS),
                        capacity: *capacity,
                    },
                )?,
            };
            let s = find(store, board.id, Some(&id.0.to_string()))?;
            say!(
                "Started {} ({} to {}): {}",
                sanitize(&s.name),
                s.start,
                s.end,
                sanitize(&s.goal)
            );
            Ok(())
        }
        SprintCmd::Add { cards, next } => {
            let s = target(store, board.id, *next)?;
            let ids = ids(cards)?;
            store.add_to_sprint(s.id, &ids)?;
            for id in ids {
                say!("Added {id} to {}", sanitize(&s.name));
            }
            Ok(())
        }
        SprintCmd::Remove { cards, next } => {
            let s = target(store, board.id, *next)?;
            let ids = ids(cards)?;
            store.remove_from_sprint(s.id, &ids)?;
            for id in ids {
                say!("Took {id} out of {}", sanitize(&s.name));
            }
            Ok(())
        }
        SprintCmd::Close { carry, carry_all } => {
            let s = store
                .sprints(board.id)?
                .into_iter()
                .find(|s| s.state == SprintState::Active)
                .ok_or_else(|| fail("no active sprint to close"))?;
            let carry = if *carry_all {
                store
                    .sprint_cards(s.id)?
                    .iter()
                    .filter(|c| !c.done)
                    .map(|c| c.card.id)
                    .collect()
            } else {
                ids(carry)?
            };
            let closed = store.close_sprint(s.id, &carry)?;
            say!(
                "Closed {}: velocity {} of {} points committed; {} done, {} carried over, {} back to the backlog",
                sanitize(&closed.name),
                closed.velocity,
                closed.committed,
                closed.done,
                closed.carried,
                closed.returned
            );
            if let Some((_, next)) = &closed.next {
                say!("Carried cards are in {}", sanitize(next));
            }
            Ok(())
        }
        SprintCmd::Show { sprint, json } => {
            let s = find(store, board.id, sprint.as_deref())?;
            let report = store.sprint_report(&s)?;
            let history = store.sprints(board.id)?;
            let velocity = velocity_stats(&history, VELOCITY_WINDOW);
            if *json {
                say!("{}", to_json(&show_json(&report, today, velocity)?)?);
            } else {
                emit(&show_text(&report, today, velocity));
            }
            Ok(())
        }
        SprintCmd::List { json } => {
            let all = store.sprints(board.id)?;
            if *json {
                say!("{}", to_json(&all)?);
            } else {
                for s in &all {
                    say!(
                        "{:>4}  {:<20} {:<8} {} – {}  {}",
                        s.id.0,
                        crate::ui::text::safe_fit(&s.name, 20),
                        s.state.as_str(),
                        s.start,
                        s.end,
                        match (s.committed, s.velocity) {
                            (Some(c), Some(v)) => format!("{v} done of {c} committed"),
                            _ => String::new(),
                        }
                    );
                }
            }
            Ok(())
        }
    }
}

/// A new sprint starts today, or the day after the active one ends.
fn default_start(
    store: &dyn Store,
    board: BoardId,
    today: NaiveDate,
) -> Result<NaiveDate, Failure> {
    Ok(store
        .sprints(board)?
        .iter()
        .find(|s| s.state == SprintState::Active)
        .map_or(today, |s| (s.end + chrono::Duration::days(1)).max(today)))
}

#[derive(Serialize)]
struct CardJson<'a> {
    id: i64,
    title: &'a str,
    column: &'a str,
    points: Option<u32>,
    assignee: Option<&'a str>,
    done: bool,
    added_late: bool,
    outcome: Option<crate::domain::sprint::Outcome>,
}

#[derive(Serialize)]
struct ShowJson<'a> {
    id: i64,
    name: &'a str,
    goal: &'a str,
    state: SprintState,
    start: NaiveDate,
    end: NaiveDate,
    days: u32,
    days_left: u32,
    capacity: Option<u32>,
    committed: u32,
    scope: u32,
    done: u32,
    remaining: u32,
    average_velocity: Option<f64>,
    cards: Vec<CardJson<'a>>,
    burndown: &'a [BurnDay],
}

fn show_json<'a>(
    r: &'a SprintReport,
    today: NaiveDate,
    velocity: Option<crate::domain::sprint::VelocityStats>,
) -> Result<ShowJson<'a>, Failure> {
    let s = &r.sprint;
    let b = &r.burndown;
    Ok(ShowJson {
        id: s.id.0,
        name: &s.name,
        goal: &s.goal,
        state: s.state,
        start: s.start,
        end: s.end,
        days: s.days(),
        days_left: s.days_left(today),
        capacity: s.capacity,
        committed: b.committed,
        scope: b.scope,
        done: b.done,
        remaining: b.remaining,
        average_velocity: velocity.map(|v| (v.mean * 100.0).round() / 100.0),
        cards: r
            .cards
            .iter()
            .map(|c| CardJson {
                id: c.card.id.0,
                title: &c.card.title,
                column: &c.column,
                points: c.card.points,
                assignee: c.card.assignee.as_deref(),
                done: c.done,
                added_late: c.added_late,
                outcome: c.outcome,
            })
            .collect(),
        burndown: &b.days,
    })
}

fn show_text(
    r: &SprintReport,
    today: NaiveDate,
    velocity: Option<crate::domain::sprint::VelocityStats>,
) -> String {
    let s = &r.sprint;
    let b = &r.burndown;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}), {} to {}, {} days left",
        sanitize(&s.name),
        s.state.as_str(),
        s.start,
        s.end,
        s.days_left(today)
    );
    let _ = writeln!(out, "Goal: {}", sanitize(&s.goal));
    let _ = writeln!(
        out,
        "Committed {} points · done {} · remaining {} · scope now {}{}",
        b.committed,
        b.done,
        b.remaining,
        b.scope,
        s.capacity
            .map_or(String::new(), |c| format!(" · capacity {c}"))
    );
    if let Some(v) = velocity {
        let _ = writeln!(
            out,
            "Average velocity {:.1} over the last {} sprints (min {}, max {})",
            v.mean, v.sprints, v.min, v.max
        );
    }
    let _ = writeln!(out, "\nBurndown (remaining points at the end of each day)");
    for d in &b.days {
        let _ = writeln!(
            out,
            "  {} {}  {:>5}  ideal {:>6.1}",
            d.date,
            d.date.format("%a"),
            d.remaining.map_or("·".to_string(), |v| v.to_string()),
            d.ideal
        );
    }
    let _ = writeln!(out, "\nCards");
    for c in &r.cards {
        let _ = writeln!(
            out,
            "  {:>6}  {:<14} {:>4}  {}{}",
            c.card.id.0,
            crate::ui::text::safe_fit(&c.column, 14),
            c.card.points.map_or("–".to_string(), |p| format!("{p}pt")),
            sanitize(&c.card.title),
            if c.added_late { "  (added late)" } else { "" }
        );
    }
    out
}
