//! A long-lived board for measuring speed at size: `cards` cards over a year,
//! at most [`SCALE_OPEN_CARDS`] of them still open, the rest finished (nine in
//! ten) or dropped from the backlog and archived; about nine events per card.

use chrono::{DateTime, Duration, Utc};

use super::{
    DemoCard, DemoColumn, DemoEvent, DemoEventKind, DemoPlan, Rng, recipe, starter_demo_columns,
};
use crate::domain::{DomainError, WipLimit};

/// Open cards on a scale board: what a large team has on its board at once.
pub const SCALE_OPEN_CARDS: usize = 500;

/// Where the open cards sit: Backlog, To Do, In Progress, Review (per 500).
const OPEN_SPREAD: [usize; 4] = [300, 100, 60, 40];

pub fn scale_plan(now: DateTime<Utc>, seed: u64, cards: usize) -> Result<DemoPlan, DomainError> {
    let recipe = recipe()?;
    let mut rng = Rng::new(seed);
    let mut columns: Vec<DemoColumn> = starter_demo_columns();
    // A large team's limits, so the open cards respect them.
    columns[2].wip = Some(WipLimit::hard(OPEN_SPREAD[2] as u32));
    columns[3].wip = Some(WipLimit::hard(OPEN_SPREAD[3] as u32));
    let open = cards.min(SCALE_OPEN_CARDS);
    let closed = cards - open;
    let year = Duration::days(365);
    let start = now - year;
    let mut plan = DemoPlan {
        board_name: "Scale board".into(),
        columns,
        cards: Vec::with_capacity(cards),
        events: Vec::with_capacity(cards * 10),
        sprints: Vec::new(),
    };
    let hours = Duration::hours;
    for i in 0..cards {
        let title = format!(
            "{} ({})",
            recipe.titles[i % recipe.titles.len()],
            i / recipe.titles.len() + 1
        );
        plan.cards.push(DemoCard {
            title,
            description: String::new(),
            assignee: Some(rng.pick(&recipe.people).clone()),
            tags: vec![rng.pick(&recipe.tags).clone()],
            points: Some([1, 2, 3, 5, 8][rng.below(5)]),
        });
        let who = rng.pick(&recipe.people).clone();
        let mut push = |at: DateTime<Utc>, kind: DemoEventKind| {
            plan.events.push(DemoEvent {
                card: i,
                at: at.min(now),
                actor: who.clone(),
                kind,
            });
        };
        let enter = |to: usize| DemoEventKind::Enter { to, breach: None };
        if i < closed {
            // Spread over the year, with time to finish before now.
            let created =
                start + Duration::seconds((i as f64 / closed as f64 * 330.0 * 86_400.0) as i64);
            push(created, enter(0));
            if rng.chance(10) {
                push(
                    created + hours(24 * (1 + rng.below(20) as i64)),
                    DemoEventKind::Archive,
                );
                continue;
            }
            let mut t = created;
            if rng.chance(60) {
                // Pulled up, then put back when priorities changed.
                t += hours(24 * (1 + rng.below(10) as i64));
                push(t, enter(1));
                t += hours(24 * (1 + rng.below(5) as i64));
                push(t, enter(0));
            }
            t += hours(24 * (1 + rng.below(10) as i64));
            push(t, enter(1));
            t += hours(24 * (1 + rng.below(5) as i64));
            push(t, enter(2));
            if rng.chance(60) {
                t += hours(2 + rng.below(40) as i64);
                push(
                    t,
                    DemoEventKind::Block {
                        reason: rng.pick(&recipe.block_reasons).clone(),
                    },
                );
                t += hours(4 + rng.below(72) as i64);
                push(t, DemoEventKind::Unblock);
            }
            t += hours(24 * (1 + rng.below(6) as i64));
            push(t, enter(3));
            // Changes requested, then reviewed again: none, one or two rounds.
            for _ in 0..[0, 0, 0, 1, 1, 1, 1, 2, 2, 2][rng.below(10)] {
                t += hours(4 + rng.below(48) as i64);
                push(t, enter(2));
                t += hours(4 + rng.below(48) as i64);
                push(t, enter(3));
            }
            t += hours(4 + rng.below(72) as i64);
            push(t, enter(4));
            if rng.chance(40) {
                push(t + hours(24 * 14), DemoEventKind::Archive);
            }
        } else {
            // Open work, recent, placed by the spread above.
            let k = (i - closed) * SCALE_OPEN_CARDS / open.max(1);
            let column = match k {
                k if k < OPEN_SPREAD[0] => 0,
                k if k < OPEN_SPREAD[0] + OPEN_SPREAD[1] => 1,
                k if k < OPEN_SPREAD[0] + OPEN_SPREAD[1] + OPEN_SPREAD[2] => 2,
                _ => 3,
            };
            let created = now - hours(24 * (30 + rng.below(60) as i64));
            push(created, enter(0));
            let mut t = created;
            for to in 1..=column {
                t += hours(24 * (1 + rng.below(8) as i64));
                push(t, enter(to));
            }
        }
    }
    plan.events.sort_by_key(|e| e.at);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_scale_board_keeps_500_cards_open_and_about_ten_events_each() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
        let p = scale_plan(now, 1, 2_000).unwrap();
        assert_eq!(p.cards.len(), 2_000);
        let open = (0..p.cards.len())
            .filter(|&c| {
                let archived = p
                    .events
                    .iter()
                    .any(|e| e.card == c && e.kind == DemoEventKind::Archive);
                !archived && p.final_column(c) != Some(4)
            })
            .count();
        assert_eq!(open, SCALE_OPEN_CARDS);
        let per_card = p.events.len() as f64 / 1_500.0;
        assert!(
            (8.0..=12.0).contains(&per_card),
            "{per_card} events per closed card"
        );
        assert!(p.events.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(p.events.iter().all(|e| e.at <= now));
        assert_eq!(p, scale_plan(now, 1, 2_000).unwrap(), "deterministic");
    }
}
