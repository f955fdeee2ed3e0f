//! The demo data recipe: a small team's board with six weeks of history.
//!
//! The plan is pure data computed from a seed and a moment (`now`), so the same
//! seed gives the same board; the store writes it. The recipe's words live in
//! `assets/demo.toml`. Work flows left to right under the starter board's WIP
//! limits, with a slow Review column (the bottleneck), blocked cards, a few
//! forced moves with reasons, and cards sent back from Review.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use serde::Deserialize;

use super::board::starter_columns;
use super::{Breach, ColumnKind, DomainError, WipLimit};
use crate::domain::rng::Rng;

mod mortems;
mod retros;
mod scale;
mod sprints;

pub use mortems::{DemoPostmortem, DemoPremortem};
pub use retros::DemoRetro;
pub use scale::{SCALE_MAX_CARDS, SCALE_OPEN_CARDS, ScalePlan, scale_plan};
pub use sprints::DemoSprint;

const RECIPE: &str = include_str!("../../assets/demo.toml");

#[derive(Debug, Deserialize)]
struct Recipe {
    people: Vec<String>,
    tags: Vec<String>,
    block_reasons: Vec<String>,
    force_reasons: Vec<String>,
    titles: Vec<String>,
    #[serde(default)]
    sprint_names: Vec<String>,
    #[serde(default)]
    sprint_goals: Vec<String>,
    #[serde(default)]
    sprint_capacity: u32,
    #[serde(default)]
    retros: Vec<RetroRecipe>,
    #[serde(default)]
    pulses: Vec<PulseRecipe>,
    #[serde(default)]
    parked: Vec<String>,
    #[serde(default)]
    postmortems: Vec<DemoPostmortem>,
    #[serde(default)]
    premortems: Vec<DemoPremortem>,
}

/// A past pulse of the demo: each respondent's answers.
#[derive(Debug, Clone, Deserialize)]
struct PulseRecipe {
    title: String,
    answers: Vec<Vec<u32>>,
    comments: Vec<String>,
}

/// A past retro of the demo: what was said, voted and decided.
#[derive(Debug, Clone, Deserialize)]
struct RetroRecipe {
    format: String,
    safety: Vec<u32>,
    roti: Vec<u32>,
    cards: Vec<RetroCardRecipe>,
    /// Votes per card, in card order.
    votes: Vec<u32>,
    actions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct RetroCardRecipe {
    prompt: usize,
    text: String,
}

/// Columns of the demo board, left to right (indexes are used by the events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoColumn {
    pub name: String,
    pub kind: ColumnKind,
    pub wip: Option<WipLimit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoEventKind {
    /// Entered column `to` (creation or move).
    Enter {
        to: usize,
        breach: Option<Breach>,
    },
    Block {
        reason: String,
    },
    Unblock,
    /// The card leaves the board; its history stays.
    Archive,
    /// The card's points change.
    Estimate {
        points: Option<u32>,
    },
    /// Sprint `sprint` (an index into `DemoPlan::sprints`) is planned; the
    /// event's card is not used.
    CreateSprint {
        sprint: usize,
    },
    /// The card joins sprint `sprint`.
    Plan {
        sprint: usize,
    },
    StartSprint {
        sprint: usize,
    },
    /// Closes the sprint, carrying these cards (indexes) into the next.
    CloseSprint {
        sprint: usize,
        carry: Vec<usize>,
    },
    /// A whole retro, held at the event's time; the event's card is not used.
    Retro(Box<DemoRetro>),
    /// Cards (plan indexes) that became retro `retro`'s action items, with
    /// their due dates; the event's card is not used.
    RetroActions {
        retro: usize,
        actions: Vec<(usize, chrono::NaiveDate)>,
    },
    /// A pulse opened, answered by each of `answers` (one person's answers
    /// each), and closed three days later; the event's card is not used.
    Pulse {
        title: String,
        /// Who responded: kept only as "has responded", apart from answers.
        respondents: Vec<String>,
        answers: Vec<Vec<u32>>,
        comments: Vec<String>,
    },
    /// A post-mortem written, finished and its action items made cards;
    /// the event's card is not used.
    Postmortem(Box<DemoPostmortem>),
    /// A pre-mortem held: reasons written, revealed, rated, mitigated and
    /// closed; the event's card is not used.
    Premortem(Box<DemoPremortem>),
    /// A standup held and ended; the event's card is not used.
    Standup {
        attendees: Vec<String>,
        parked: Vec<String>,
        seconds: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEvent {
    pub card: usize,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: DemoEventKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCard {
    pub title: String,
    pub description: String,
    pub assignee: Option<String>,
    pub tags: Vec<String>,
    pub points: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPlan {
    pub board_name: String,
    pub columns: Vec<DemoColumn>,
    pub cards: Vec<DemoCard>,
    /// Every event, in time order; the first event of each card creates it.
    pub events: Vec<DemoEvent>,
    pub sprints: Vec<DemoSprint>,
}

/// What a demo board is written from: its board, and its cards and events
/// in time order, either held in memory ([`DemoPlan`]) or made as they
/// are read ([`ScalePlan`]).
pub trait DemoSource {
    fn board_name(&self) -> &str;
    fn columns(&self) -> &[DemoColumn];
    fn sprints(&self) -> &[DemoSprint];
    /// The card an event's `card` index names.
    fn card(&self, i: usize) -> Cow<'_, DemoCard>;
    /// Every event, oldest first.
    fn events(&self) -> Box<dyn Iterator<Item = Cow<'_, DemoEvent>> + '_>;
}

impl DemoSource for DemoPlan {
    fn board_name(&self) -> &str {
        &self.board_name
    }

    fn columns(&self) -> &[DemoColumn] {
        &self.columns
    }

    fn sprints(&self) -> &[DemoSprint] {
        &self.sprints
    }

    fn card(&self, i: usize) -> Cow<'_, DemoCard> {
        Cow::Borrowed(&self.cards[i])
    }

    fn events(&self) -> Box<dyn Iterator<Item = Cow<'_, DemoEvent>> + '_> {
        Box::new(self.events.iter().map(Cow::Borrowed))
    }
}

impl DemoPlan {
    /// Index of the column a card ends in (a retro's review may have moved
    /// it to done).
    pub fn final_column(&self, card: usize) -> Option<usize> {
        let done = self.columns.iter().position(|c| c.kind == ColumnKind::Done);
        let mut column = None;
        for e in &self.events {
            match &e.kind {
                DemoEventKind::Enter { to, .. } if e.card == card => column = Some(*to),
                DemoEventKind::Retro(r)
                    if r.reviews.iter().any(|(c, s)| {
                        *c == card && *s == crate::domain::retro::ActionStatus::Done
                    }) && column != done =>
                {
                    column = done;
                }
                _ => {}
            }
        }
        column
    }
}

const DAYS: i64 = 41;

/// The words of the demo, checked.
fn recipe() -> Result<Recipe, DomainError> {
    let recipe: Recipe =
        toml::from_str(RECIPE).map_err(|e| DomainError::Invalid(format!("demo recipe: {e}")))?;
    if recipe.people.is_empty() || recipe.titles.is_empty() || recipe.block_reasons.is_empty() {
        return Err(DomainError::Invalid(
            "demo recipe has no people, titles or block reasons".into(),
        ));
    }
    Ok(recipe)
}

/// The starter board's columns, as a demo plan names them.
pub fn starter_demo_columns() -> Vec<DemoColumn> {
    starter_columns()
        .into_iter()
        .map(|(name, kind, wip)| DemoColumn {
            name: name.to_string(),
            kind,
            wip,
        })
        .collect()
}

/// Builds the demo plan: `cards` cards (about 40 makes a readable board) with
/// six weeks of history ending at `now` (42 days, today included).
pub fn demo_plan(now: DateTime<Utc>, seed: u64, cards: usize) -> Result<DemoPlan, DomainError> {
    let recipe = recipe()?;
    let columns = starter_demo_columns();
    let (backlog, todo, doing, review, done) = (0usize, 1usize, 2usize, 3usize, 4usize);
    let mut rng = Rng::new(seed);
    let day0 = (now - Duration::days(DAYS))
        .with_hour(0)
        .and_then(|t| t.with_minute(0))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now - Duration::days(DAYS));

    let mut plan = DemoPlan {
        board_name: "Team board".into(),
        columns,
        cards: Vec::with_capacity(cards),
        events: Vec::new(),
        sprints: Vec::new(),
    };
    // Where each card is now, how much work it still needs (in days), and whether it is blocked.
    let mut at: Vec<usize> = Vec::new();
    // Cards per column, kept alongside `at` so counting stays O(1).
    let mut counts = [0u32; 5];
    let mut work_left: Vec<u32> = Vec::new();
    let mut blocked: Vec<bool> = Vec::new();
    let mut assignee: Vec<Option<String>> = Vec::new();

    // A quarter of the cards exist from the start; the rest arrive over the weeks.
    let initial = cards / 4;
    let arrivals_per_day = (cards - initial) as f64 / DAYS as f64;
    let mut arrived = 0.0f64;
    for day in 0..=DAYS {
        let date = day0 + Duration::days(day);
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        // Times inside a working day, increasing through the day.
        let mut minute = 9 * 60 + rng.below(30) as i64;
        let mut tick = |rng: &mut Rng| {
            minute += 3 + rng.below(25) as i64;
            let t = date + Duration::minutes(minute.min(23 * 60 + 59));
            t.min(now)
        };
        let to_create = if day == 0 {
            initial
        } else {
            arrived += arrivals_per_day;
            // The last day brings whatever rounding held back.
            let due = if day == DAYS {
                cards - initial
            } else {
                arrived.floor() as usize
            };
            let already = plan.cards.len().saturating_sub(initial);
            due.saturating_sub(already)
        };
        for _ in 0..to_create {
            if plan.cards.len() >= cards {
                break;
            }
            let i = plan.cards.len();
            let title = recipe.titles[i % recipe.titles.len()].clone();
            let title = if i >= recipe.titles.len() {
                format!("{title} ({})", i / recipe.titles.len() + 1)
            } else {
                title
            };
            let mut tags = vec![rng.pick(&recipe.tags).clone()];
            if rng.chance(30) {
                let t = rng.pick(&recipe.tags).clone();
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            let points = [1u32, 1, 2, 2, 3, 3, 5, 5, 8, 13][rng.below(10)];
            plan.cards.push(DemoCard {
                title,
                description: "Why: raised by a customer in last month's interviews.\nDone when: shipped, checked in production, and the requester told."
                    .to_string(),
                assignee: None,
                tags,
                points: if rng.chance(85) { Some(points) } else { None },
            });
            at.push(backlog);
            counts[backlog] += 1;
            work_left.push(1 + points / 5 + rng.below(2) as u32);
            blocked.push(false);
            assignee.push(None);
            let who = rng.pick(&recipe.people).clone();
            plan.events.push(DemoEvent {
                card: i,
                at: tick(&mut rng),
                actor: who,
                kind: DemoEventKind::Enter {
                    to: backlog,
                    breach: None,
                },
            });
        }
        if weekend || day == DAYS && now.hour() < 9 {
            continue;
        }
        let enter = |plan: &mut DemoPlan,
                     card: usize,
                     to: usize,
                     breach: Option<Breach>,
                     actor: String,
                     when: DateTime<Utc>| {
            plan.events.push(DemoEvent {
                card,
                at: when,
                actor,
                kind: DemoEventKind::Enter { to, breach },
            });
        };
        // Review is the bottleneck: one reviewer, so a card waits about three
        // days there, and Review sits at its limit most days.
        for c in 0..at.len() {
            if at[c] != review || blocked[c] || !rng.chance(30) {
                continue;
            }
            let when = tick(&mut rng);
            if rng.chance(15) && counts[doing] < 3 {
                // Changes requested: back to In Progress.
                work_left[c] = 1;
                counts[at[c]] -= 1;
                counts[doing] += 1;
                at[c] = doing;
                enter(&mut plan, c, doing, None, "ana".into(), when);
            } else {
                counts[at[c]] -= 1;
                counts[done] += 1;
                at[c] = done;
                let who = assignee[c].clone().unwrap_or_else(|| "ana".into());
                enter(&mut plan, c, done, None, who, when);
            }
        }
        // Work in progress advances; finished work waits for room in Review.
        for c in 0..at.len() {
            if at[c] != doing {
                continue;
            }
            if blocked[c] {
                if rng.chance(35) {
                    blocked[c] = false;
                    let who = assignee[c].clone().unwrap_or_default();
                    plan.events.push(DemoEvent {
                        card: c,
                        at: tick(&mut rng),
                        actor: who,
                        kind: DemoEventKind::Unblock,
                    });
                }
                continue;
            }
            if rng.chance(4) {
                blocked[c] = true;
                let who = assignee[c].clone().unwrap_or_default();
                plan.events.push(DemoEvent {
                    card: c,
                    at: tick(&mut rng),
                    actor: who,
                    kind: DemoEventKind::Block {
                        reason: rng.pick(&recipe.block_reasons).clone(),
                    },
                });
                continue;
            }
            work_left[c] = work_left[c].saturating_sub(1);
            if work_left[c] == 0 {
                let n = counts[review];
                let breach = if n < 2 {
                    Some(None)
                } else if rng.chance(8) {
                    Some(Some(Breach::Forced {
                        reason: rng.pick(&recipe.force_reasons).clone(),
                    }))
                } else {
                    None
                };
                if let Some(breach) = breach {
                    counts[at[c]] -= 1;
                    counts[review] += 1;
                    at[c] = review;
                    let who = assignee[c].clone().unwrap_or_default();
                    let when = tick(&mut rng);
                    enter(&mut plan, c, review, breach, who, when);
                }
            }
        }
        // Pull new work when there is room, oldest first; while Review is full
        // the team stops starting and helps finish instead.
        for c in 0..at.len() {
            if at[c] == todo && counts[doing] < 3 && counts[review] < 2 {
                let who = rng.pick(&recipe.people).clone();
                assignee[c] = Some(who.clone());
                counts[at[c]] -= 1;
                counts[doing] += 1;
                at[c] = doing;
                let when = tick(&mut rng);
                enter(&mut plan, c, doing, None, who, when);
            }
        }
        // Now and then someone pulls past the limit, on purpose and saying why.
        if rng.chance(8)
            && counts[doing] >= 3
            && let Some(c) = (0..at.len()).find(|&c| at[c] == todo)
        {
            let who = rng.pick(&recipe.people).clone();
            assignee[c] = Some(who.clone());
            counts[at[c]] -= 1;
            counts[doing] += 1;
            at[c] = doing;
            let breach = Breach::Forced {
                reason: rng.pick(&recipe.force_reasons).clone(),
            };
            let when = tick(&mut rng);
            enter(&mut plan, c, doing, Some(breach), who, when);
        }
        // Replenish To Do from the backlog.
        for c in 0..at.len() {
            if at[c] == backlog && counts[todo] < 5 && rng.chance(50) {
                counts[at[c]] -= 1;
                counts[todo] += 1;
                at[c] = todo;
                let who = rng.pick(&recipe.people).clone();
                let when = tick(&mut rng);
                enter(&mut plan, c, todo, None, who, when);
            }
        }
    }
    // Whatever day it is, the board shows work in every column: an empty
    // In Progress or Review is topped up now, within the limits.
    let top_up = [(doing, todo), (review, doing), (doing, todo)];
    for (to, from) in top_up {
        if counts[to] > 0 {
            continue;
        }
        if let Some(c) = (0..at.len()).find(|&c| at[c] == from && !blocked[c]) {
            let who = assignee[c]
                .clone()
                .unwrap_or_else(|| rng.pick(&recipe.people).clone());
            assignee[c] = Some(who.clone());
            counts[from] -= 1;
            counts[to] += 1;
            at[c] = to;
            plan.events.push(DemoEvent {
                card: c,
                at: now,
                actor: who,
                kind: DemoEventKind::Enter { to, breach: None },
            });
        }
    }
    // A stand-up has something to talk about: one card in progress is blocked today.
    if !(0..at.len()).any(|c| at[c] == doing && blocked[c])
        && let Some(c) = (0..at.len()).find(|&c| at[c] == doing)
    {
        {
            plan.events.push(DemoEvent {
                card: c,
                at: now,
                actor: assignee[c].clone().unwrap_or_default(),
                kind: DemoEventKind::Block {
                    reason: rng.pick(&recipe.block_reasons).clone(),
                },
            });
        }
    }
    for (c, card) in plan.cards.iter_mut().enumerate() {
        card.assignee = assignee[c].clone();
    }
    plan.events.sort_by_key(|e| e.at);
    sprints::add(&mut plan, &recipe, now, &mut rng);
    retros::add(&mut plan, &recipe);
    // The pulses, two weeks apart, the last one closed a few days ago.
    let n = recipe.pulses.len() as i64;
    for (k, p) in recipe.pulses.iter().enumerate() {
        let at = (now - Duration::days(5 + 14 * (n - 1 - k as i64)))
            .with_hour(10)
            .and_then(|t| t.with_minute(0))
            .unwrap_or(now);
        plan.events.push(DemoEvent {
            card: 0,
            at,
            actor: "ana".into(),
            kind: DemoEventKind::Pulse {
                title: p.title.clone(),
                respondents: recipe
                    .people
                    .iter()
                    .cloned()
                    .chain(["fay".to_string()])
                    .collect(),
                answers: p.answers.clone(),
                comments: p.comments.clone(),
            },
        });
    }
    mortems::add(&mut plan, &recipe, now);
    plan.events.sort_by_key(|e| e.at);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
    }

    #[test]
    fn same_seed_same_plan() {
        assert_eq!(
            demo_plan(now(), 7, 40).unwrap(),
            demo_plan(now(), 7, 40).unwrap()
        );
    }

    #[test]
    fn plan_has_forty_cards_spread_over_six_weeks() {
        let p = demo_plan(now(), 1, 40).unwrap();
        assert_eq!(p.cards.len(), 40);
        let first = p.events.first().unwrap().at;
        let last = p.events.last().unwrap().at;
        assert!(
            now() - first >= Duration::days(41),
            "history starts six weeks back"
        );
        assert!(last <= now());
        // Cards are spread over every column.
        for col in 0..p.columns.len() {
            let n = (0..p.cards.len())
                .filter(|&c| p.final_column(c) == Some(col))
                .count();
            assert!(n > 0, "column {} is empty", p.columns[col].name);
        }
    }

    #[test]
    fn every_column_has_cards_whatever_the_day_and_hour() {
        for day in 0..14 {
            for hour in [0, 8, 12, 23] {
                let now = now() + Duration::days(day) - Duration::hours(15) + Duration::hours(hour);
                let p = demo_plan(now, 1, 40).unwrap();
                for col in 0..p.columns.len() {
                    assert!(
                        (0..p.cards.len()).any(|c| p.final_column(c) == Some(col)),
                        "{} is empty at {now}",
                        p.columns[col].name
                    );
                }
                assert!(p.events.windows(2).all(|w| w[0].at <= w[1].at));
            }
        }
    }

    #[test]
    fn events_are_in_time_order_and_each_card_starts_with_creation() {
        let p = demo_plan(now(), 3, 40).unwrap();
        assert!(p.events.windows(2).all(|w| w[0].at <= w[1].at));
        for c in 0..p.cards.len() {
            let first = p.events.iter().find(|e| e.card == c).unwrap();
            assert!(matches!(first.kind, DemoEventKind::Enter { to: 0, .. }));
        }
    }

    #[test]
    fn hard_limits_are_only_passed_by_forced_moves() {
        let p = demo_plan(now(), 11, 40).unwrap();
        let mut at = vec![usize::MAX; p.cards.len()];
        for e in &p.events {
            if let DemoEventKind::Enter { to, breach } = &e.kind {
                let before = at.iter().filter(|&&c| c == *to).count() as u32;
                at[e.card] = *to;
                if let Some(w) = p.columns[*to].wip
                    && before >= w.limit
                {
                    assert!(
                        breach.is_some(),
                        "unrecorded breach into {}",
                        p.columns[*to].name
                    );
                }
            }
        }
    }
}
