//! What a retro looks back on: the period a new one covers, and the facts
//! the board recorded over it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{AgedFact, BlockedFact, BreachFact, FactCard, Facts, Retro};
use crate::domain::CardId;
use crate::domain::flow::{FinishedCard, FlowReport};
use crate::domain::sprint::{Sprint, SprintId, SprintState};

/// The period and title a new retro starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetroPeriod {
    pub sprint: Option<SprintId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub title: String,
}

/// What a new retro looks back over on `today`: the running sprint (to
/// today), else a sprint closed since the `last` retro, else the days since
/// the last retro (or the last two weeks); with a title to suggest.
/// `sprints` oldest first, as the store lists them.
pub fn period(today: NaiveDate, last: Option<&Retro>, sprints: &[Sprint]) -> RetroPeriod {
    let since_last =
        |s: &&Sprint| last.is_none_or(|r| s.closed_at.is_some_and(|c| c > r.started_at));
    let closed = sprints
        .iter()
        .rev()
        .filter(|s| s.state == SprintState::Closed)
        .find(since_last);
    // A sprint that began today or yesterday has little to look back
    // on: the one that just closed is what the retro is about.
    let active = sprints
        .iter()
        .find(|s| s.state == SprintState::Active)
        .filter(|s| closed.is_none() || s.start < today - Duration::days(1));
    match active.or(closed) {
        Some(s) => RetroPeriod {
            sprint: Some(s.id),
            from: s.start,
            to: s.end.min(today),
            title: format!("{} retro", s.name),
        },
        None => RetroPeriod {
            sprint: None,
            from: last.map_or(today - Duration::days(13), |r| {
                (r.to + Duration::days(1)).min(today)
            }),
            to: today,
            title: format!("Retro {today}"),
        },
    }
}

/// The cards finished before `end` (the midnight after a retro's last
/// day), in finishing order.
pub fn finished_before(finished: &[FinishedCard], end: DateTime<Utc>) -> Vec<CardId> {
    finished
        .iter()
        .filter(|f| f.finished < end)
        .map(|f| f.card)
        .collect()
}

/// The facts of a retro's period from the board's flow `report` over it:
/// the `finished` cards (with the titles in `titles`), the WIP limits
/// passed, the `named` longest-blocked cards, and the work in progress
/// older than the period's 85th percentile cycle time.
pub fn facts(
    report: &FlowReport,
    finished: &[CardId],
    titles: &HashMap<CardId, String>,
    breaches: Vec<BreachFact>,
    named: usize,
) -> Facts {
    let p85 = report.cycle_time.as_ref().map(|s| s.p85);
    Facts {
        finished: finished
            .iter()
            .map(|c| FactCard {
                card: *c,
                title: titles.get(c).cloned().unwrap_or_default(),
            })
            .collect(),
        breaches,
        blocked: report
            .blocked
            .cards
            .iter()
            .take(named)
            .map(|b| BlockedFact {
                card: b.card,
                title: b.title.clone().unwrap_or_default(),
                days: b.days,
                now: b.blocked_now,
            })
            .collect(),
        aged: report
            .aging
            .iter()
            .filter(|a| p85.is_some_and(|p| a.age_days > p))
            .map(|a| AgedFact {
                card: a.card,
                title: a.title.clone().unwrap_or_default(),
                column: a.column.clone(),
                age_days: a.age_days,
            })
            .collect(),
        p85_days: p85,
    }
}

#[cfg(test)]
mod tests;
