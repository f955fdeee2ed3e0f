//! The demo team's sprints and standups, laid over the six weeks of board
//! history: three closed 10-day sprints and a running one, each started with
//! the cards waiting and in progress, one card re-estimated and one added
//! mid-sprint, unfinished work in progress carried over at each close; and
//! a standup on each of the last working days.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use super::{DemoEvent, DemoEventKind, DemoPlan, Recipe, Rng};

/// A sprint of the demo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSprint {
    pub name: String,
    pub goal: String,
    pub start: NaiveDate,
    pub days: u32,
    pub capacity: u32,
}

const SPRINT_DAYS: i64 = 10;

/// Column indexes of the starter board.
const TODO: usize = 1;
const DOING: usize = 2;
const REVIEW: usize = 3;
const DONE: usize = 4;

/// The first working day on or after `day`.
fn working(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + Duration::days(2),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, 0)
        .unwrap_or_default()
        .and_utc()
}

/// Where each card is at `t`, replaying the plan's events (sorted by time).
fn columns_at(plan: &DemoPlan, t: DateTime<Utc>) -> Vec<Option<usize>> {
    let mut col = vec![None; plan.cards.len()];
    for e in plan.events.iter().take_while(|e| e.at < t) {
        match e.kind {
            DemoEventKind::Enter { to, .. } => col[e.card] = Some(to),
            DemoEventKind::Archive => col[e.card] = None,
            _ => {}
        }
    }
    col
}

fn points(plan: &DemoPlan, card: usize, estimates: &[(usize, u32)]) -> u32 {
    estimates
        .iter()
        .rev()
        .find(|(c, _)| *c == card)
        .map(|(_, p)| *p)
        .or(plan.cards[card].points)
        .unwrap_or(0)
}

/// Adds the sprints and standups to `plan`, as of `now`.
pub(super) fn add(plan: &mut DemoPlan, recipe: &Recipe, now: DateTime<Utc>, rng: &mut Rng) {
    let names = &recipe.sprint_names;
    if names.is_empty() || plan.cards.is_empty() {
        return;
    }
    let today = now.date_naive();
    let n = names.len() as i64;
    let first = today - Duration::days(SPRINT_DAYS * (n - 1) + 5);
    let mut events: Vec<DemoEvent> = Vec::new();
    let mut estimates: Vec<(usize, u32)> = Vec::new();
    let mut open: BTreeSet<usize> = BTreeSet::new();
    let sprint_event = |at, kind| DemoEvent {
        card: 0,
        at,
        actor: "ana".into(),
        kind,
    };
    for (k, name) in names.iter().enumerate() {
        let start = first + Duration::days(SPRINT_DAYS * k as i64);
        plan.sprints.push(DemoSprint {
            name: name.clone(),
            goal: recipe.sprint_goals.get(k).cloned().unwrap_or_default(),
            start,
            days: SPRINT_DAYS as u32,
            capacity: recipe.sprint_capacity,
        });
        let col = columns_at(plan, at(start, 8, 40));
        events.push(sprint_event(
            at(start, 8, 40),
            DemoEventKind::CreateSprint { sprint: k },
        ));
        if k > 0 {
            // Work in progress carries over; what never started goes back.
            let carry: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&c| matches!(col[c], Some(DOING | REVIEW)))
                .collect();
            events.push(sprint_event(
                at(start, 8, 45),
                DemoEventKind::CloseSprint {
                    sprint: k - 1,
                    carry: carry.clone(),
                },
            ));
            open = carry.into_iter().collect();
        }
        // Sprint Planning: the waiting work, oldest first, up to the capacity.
        let mut committed: u32 = open.iter().map(|&c| points(plan, c, &estimates)).sum();
        let mut minute = 46;
        for (c, column) in col.iter().enumerate() {
            let in_play = matches!(column, Some(TODO | DOING | REVIEW));
            if !in_play || open.contains(&c) {
                continue;
            }
            let p = points(plan, c, &estimates);
            if committed + p > recipe.sprint_capacity && *column == Some(TODO) {
                continue;
            }
            committed += p;
            open.insert(c);
            minute = (minute + 1).min(54);
            events.push(DemoEvent {
                card: c,
                at: at(start, 8, minute),
                actor: "ana".into(),
                kind: DemoEventKind::Plan { sprint: k },
            });
        }
        events.push(sprint_event(
            at(start, 8, 55),
            DemoEventKind::StartSprint { sprint: k },
        ));
        // Two days in, the team learns a card is bigger than it looked.
        let learned = at(working(start + Duration::days(2)), 11, 0);
        if learned <= now {
            let col = columns_at(plan, learned);
            let mut candidates: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&c| col[c] != Some(DONE) && plan.cards[c].points.is_some())
                .collect();
            candidates.sort_unstable();
            if !candidates.is_empty() {
                let c = candidates[rng.below(candidates.len())];
                let p = points(plan, c, &estimates) + 3;
                estimates.push((c, p));
                events.push(DemoEvent {
                    card: c,
                    at: learned,
                    actor: "ben".into(),
                    kind: DemoEventKind::Estimate { points: Some(p) },
                });
            }
        }
        // Three days in, an urgent card joins: scope change.
        let urgent = at(working(start + Duration::days(3)), 12, 0);
        if urgent <= now {
            let col = columns_at(plan, urgent);
            if let Some(c) =
                (0..plan.cards.len()).find(|c| col[*c] == Some(TODO) && !open.contains(c))
            {
                open.insert(c);
                events.push(DemoEvent {
                    card: c,
                    at: urgent,
                    actor: "ana".into(),
                    kind: DemoEventKind::Plan { sprint: k },
                });
            }
        }
        // Cards that finished leave the open set at the next close.
        let end = at(start + Duration::days(SPRINT_DAYS), 8, 44).min(now);
        let col = columns_at(plan, end);
        open.retain(|&c| col[c] != Some(DONE) && col[c].is_some());
    }
    standups(recipe, now, &mut events);
    plan.events.extend(events);
    plan.events.sort_by_key(|e| e.at);
}

/// A standup at 09:30 on each of the three working days before today.
fn standups(recipe: &Recipe, now: DateTime<Utc>, events: &mut Vec<DemoEvent>) {
    let mut day = now.date_naive();
    let mut held = 0;
    while held < 3 {
        day -= Duration::days(1);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let parked = recipe
            .parked
            .get(held % recipe.parked.len().max(1))
            .cloned()
            .into_iter()
            .collect();
        // One person is away now and then.
        let attendees: Vec<String> = recipe
            .people
            .iter()
            .enumerate()
            .filter(|(i, _)| (i + held) % 5 != 4)
            .map(|(_, p)| p.clone())
            .collect();
        events.push(DemoEvent {
            card: 0,
            at: at(day, 9, 30),
            actor: "ana".into(),
            kind: DemoEventKind::Standup {
                attendees,
                parked,
                seconds: 11 * 60 + 40 * held as u32,
            },
        });
        held += 1;
    }
}
