//! The demo team's past retros: one at the start of each of the last two
//! sprints. Each retro's action items are cards the team created just after
//! it (their creation moves to the retro's time), and the second retro
//! reviews the first one's: done where the card was done by then, still open
//! otherwise.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{DemoEvent, DemoEventKind, DemoPlan, Recipe};
use crate::domain::retro::ActionStatus;

/// A retro as the store replays it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRetro {
    /// Which demo retro (0 first); its action items name it.
    pub index: usize,
    pub title: String,
    pub format: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub facilitator: String,
    pub people: Vec<String>,
    pub safety: Vec<u32>,
    pub roti: Vec<u32>,
    /// Prompt and text of each card.
    pub cards: Vec<(usize, String)>,
    /// Votes per card, in card order.
    pub votes: Vec<u32>,
    /// Plan cards of earlier retros' actions, as this one reviewed them.
    pub reviews: Vec<(usize, ActionStatus)>,
}

/// Where each card is just before `t`.
fn column_at(plan: &DemoPlan, card: usize, t: DateTime<Utc>) -> Option<usize> {
    plan.events
        .iter()
        .filter(|e| e.card == card && e.at < t)
        .filter_map(|e| match e.kind {
            DemoEventKind::Enter { to, .. } => Some(to),
            _ => None,
        })
        .next_back()
}

fn created(plan: &DemoPlan, card: usize) -> Option<DateTime<Utc>> {
    plan.events
        .iter()
        .find(|e| e.card == card && matches!(e.kind, DemoEventKind::Enter { .. }))
        .map(|e| e.at)
}

pub(super) fn add(plan: &mut DemoPlan, recipe: &Recipe) {
    let n = recipe.retros.len().min(plan.sprints.len());
    if n == 0 {
        return;
    }
    let mut earlier: Vec<usize> = Vec::new();
    let mut events = Vec::new();
    let first = plan.sprints.len() - n;
    for (k, r) in recipe.retros.iter().take(n).enumerate() {
        // At the start of sprint `first + k`, looking back on the one before.
        let sprint = &plan.sprints[first + k];
        let at = sprint
            .start
            .and_hms_opt(14, 0, 0)
            .unwrap_or_default()
            .and_utc();
        let (from, to) = match first + k {
            0 => (sprint.start - Duration::days(10), sprint.start),
            i => {
                let prev = &plan.sprints[i - 1];
                (
                    prev.start,
                    prev.start + Duration::days(i64::from(prev.days) - 1),
                )
            }
        };
        // Its action items: cards the team created in the days after, one
        // that got done first, so some of the follow-up shows as done.
        let next = plan
            .sprints
            .get(first + k + 1)
            .map_or(DateTime::<Utc>::MAX_UTC, |s| {
                s.start.and_hms_opt(14, 0, 0).unwrap_or_default().and_utc()
            });
        let mut candidates: Vec<usize> = (0..plan.cards.len())
            .filter(|&c| created(plan, c).is_some_and(|t| t > at && t < at + Duration::days(6)))
            .collect();
        candidates.sort_by_key(|&c| column_at(plan, c, next) != Some(4));
        let mut picked: Vec<usize> = candidates.into_iter().take(r.actions.len()).collect();
        picked.sort_unstable();
        for (i, &c) in picked.iter().enumerate() {
            plan.cards[c].title = r.actions[i].clone();
            plan.cards[c].tags = vec![crate::domain::retro::ACTION_TAG.to_string()];
            plan.cards[c].assignee = Some(recipe.people[(k + i) % recipe.people.len()].clone());
            if let Some(e) = plan
                .events
                .iter_mut()
                .find(|e| e.card == c && matches!(e.kind, DemoEventKind::Enter { .. }))
            {
                // Written down as the retro decided them.
                e.at = at + Duration::minutes(41 + i as i64);
            }
        }
        // Done where the card was done; and the team got one more done that
        // nobody had moved on the board (one with no later moves), so the
        // review moves it: follow-up shows as partly done.
        let mut marked_done = false;
        let reviews = earlier
            .iter()
            .map(|&c| {
                let untouched_after = !plan.events.iter().any(|e| {
                    e.card == c && e.at >= at && !matches!(e.kind, DemoEventKind::Retro(_))
                });
                let status = if column_at(plan, c, at) == Some(4) || !marked_done && untouched_after
                {
                    marked_done = true;
                    ActionStatus::Done
                } else {
                    ActionStatus::Open
                };
                (c, status)
            })
            .collect();
        events.push(DemoEvent {
            card: 0,
            at: at + Duration::minutes(49),
            actor: "ana".into(),
            kind: DemoEventKind::RetroActions {
                retro: k,
                actions: picked
                    .iter()
                    .map(|&c| (c, sprint.start + Duration::days(7)))
                    .collect(),
            },
        });
        events.push(DemoEvent {
            card: 0,
            at,
            actor: "ana".into(),
            kind: DemoEventKind::Retro(Box::new(DemoRetro {
                index: k,
                title: format!("{} retro", plan.sprints[(first + k).saturating_sub(1)].name),
                format: r.format.clone(),
                from,
                to,
                facilitator: "ana".into(),
                people: recipe.people.clone(),
                safety: r.safety.clone(),
                roti: r.roti.clone(),
                cards: r.cards.iter().map(|c| (c.prompt, c.text.clone())).collect(),
                votes: r.votes.clone(),
                reviews,
            })),
        });
        earlier = picked;
    }
    plan.events.extend(events);
    plan.events.sort_by_key(|e| e.at);
}
