//! The demo team's mortems: a finished post-mortem of an incident and a
//! pre-mortem before a risky migration, as written in `assets/demo.toml`.

use chrono::{DateTime, Duration, Timelike, Utc};
use serde::Deserialize;

use super::{DemoEvent, DemoEventKind, DemoPlan, Recipe};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoPostmortem {
    pub title: String,
    pub days_ago: i64,
    /// The hour (UTC) of the first timeline entry.
    pub hour: u32,
    pub authors: String,
    pub sections: Vec<DemoSection>,
    pub timeline: Vec<DemoEntry>,
    pub actions: Vec<DemoAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoSection {
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoEntry {
    /// Minutes after the first entry.
    pub minutes: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoAction {
    pub text: String,
    pub kind: String,
    pub owner: String,
    pub priority: String,
    /// Days after the incident.
    pub due_days: i64,
    /// Its card is done by now.
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoPremortem {
    pub title: String,
    pub days_ago: i64,
    pub facilitator: String,
    pub reasons: Vec<DemoReason>,
    pub mitigations: Vec<DemoMitigation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoReason {
    pub text: String,
    pub likelihood: u8,
    pub impact: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DemoMitigation {
    /// Index into the reasons.
    pub risk: usize,
    pub text: String,
    pub owner: String,
    pub due_days: i64,
}

fn at_hour(t: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    t.with_hour(hour.min(23))
        .and_then(|t| t.with_minute(2))
        .and_then(|t| t.with_second(0))
        .unwrap_or(t)
}

pub(super) fn add(plan: &mut DemoPlan, recipe: &Recipe, now: DateTime<Utc>) {
    for p in &recipe.postmortems {
        let at = at_hour(now - Duration::days(p.days_ago), p.hour);
        plan.events.push(DemoEvent {
            card: 0,
            at,
            actor: p
                .authors
                .split(',')
                .next()
                .unwrap_or("ana")
                .trim()
                .to_string(),
            kind: DemoEventKind::Postmortem(Box::new(p.clone())),
        });
    }
    for p in &recipe.premortems {
        plan.events.push(DemoEvent {
            card: 0,
            at: at_hour(now - Duration::days(p.days_ago), 10),
            actor: p.facilitator.clone(),
            kind: DemoEventKind::Premortem(Box::new(p.clone())),
        });
    }
}
