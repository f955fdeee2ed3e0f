//! A long-lived board for measuring speed at size: `cards` cards over a year,
//! at most [`SCALE_OPEN_CARDS`] of them still open, the rest finished (nine in
//! ten) or dropped from the backlog and archived; about nine events per card.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

use super::{
    DemoCard, DemoColumn, DemoEvent, DemoEventKind, DemoPlan, DemoSource, Recipe, Rng, recipe,
    starter_demo_columns,
};
use crate::domain::demo::DemoSprint;
use crate::domain::{DomainError, WipLimit};

/// Open cards on a scale board: what a large team has on its board at once.
pub const SCALE_OPEN_CARDS: usize = 500;

/// The most cards a scale board is made with.
pub const SCALE_MAX_CARDS: usize = 1_000_000;

/// Where the open cards sit: Backlog, To Do, In Progress, Review (per 500).
const OPEN_SPREAD: [usize; 4] = [300, 100, 60, 40];

/// A scale board, made as it is read: each card's fields and events come
/// from a generator of its own (seeded by the board's seed and the card),
/// and the events of all cards are handed out in time order while only the
/// cards open at that moment are held. A million cards then take as
/// little memory as a thousand.
pub struct ScalePlan {
    recipe: Recipe,
    columns: Vec<DemoColumn>,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    seed: u64,
    cards: usize,
    closed: usize,
    /// The open cards (indexes from `closed`) in the order they were created.
    open_order: Vec<(DateTime<Utc>, usize)>,
}

/// Builds the scale board's plan in memory (for tests and benchmarks of a
/// few thousand cards; `teamloop demo` writes a [`ScalePlan`] as it is read).
pub fn scale_plan(now: DateTime<Utc>, seed: u64, cards: usize) -> Result<DemoPlan, DomainError> {
    let scale = ScalePlan::new(now, seed, cards)?;
    Ok(DemoPlan {
        board_name: scale.board_name().to_string(),
        columns: scale.columns.clone(),
        cards: (0..cards).map(|i| scale.card(i).into_owned()).collect(),
        events: scale.events().collect(),
        sprints: Vec::new(),
    })
}

impl ScalePlan {
    pub fn new(now: DateTime<Utc>, seed: u64, cards: usize) -> Result<Self, DomainError> {
        if cards == 0 || cards > SCALE_MAX_CARDS {
            return Err(DomainError::Invalid(format!(
                "a scale board takes 1 to {SCALE_MAX_CARDS} cards"
            )));
        }
        let mut columns: Vec<DemoColumn> = starter_demo_columns();
        // A large team's limits, so the open cards respect them.
        columns[2].wip = Some(WipLimit::hard(OPEN_SPREAD[2] as u32));
        columns[3].wip = Some(WipLimit::hard(OPEN_SPREAD[3] as u32));
        let open = cards.min(SCALE_OPEN_CARDS);
        let closed = cards - open;
        let mut plan = ScalePlan {
            recipe: recipe()?,
            columns,
            now,
            start: now - Duration::days(365),
            seed,
            cards,
            closed,
            open_order: Vec::with_capacity(open),
        };
        let mut order: Vec<(DateTime<Utc>, usize)> = (closed..cards)
            .map(|i| (plan.walk(i).1.first().map_or(now, |e| e.0), i))
            .collect();
        order.sort();
        plan.open_order = order;
        Ok(plan)
    }

    /// The generator of card `i`: the same numbers each time it is asked.
    fn rng(&self, i: usize) -> Rng {
        let mut rng = Rng::new(
            self.seed
                .wrapping_mul(0x0000_0100_0000_01B3)
                .wrapping_add(i as u64 + 1),
        );
        rng.next_u64();
        rng
    }

    /// Card `i`'s fields, drawn first from its generator.
    fn fields(&self, i: usize, rng: &mut Rng) -> (DemoCard, String) {
        let r = &self.recipe;
        let title = format!(
            "{} ({})",
            r.titles[i % r.titles.len()],
            i / r.titles.len() + 1
        );
        let card = DemoCard {
            title,
            description: String::new(),
            assignee: Some(rng.pick(&r.people).clone()),
            tags: vec![rng.pick(&r.tags).clone()],
            points: Some([1, 2, 3, 5, 8][rng.below(5)]),
        };
        (card, rng.pick(&r.people).clone())
    }

    /// Who moves card `i`, and its events in time order (a day or so
    /// apart, never after now): its generator's numbers after its fields.
    fn walk(&self, i: usize) -> (String, Vec<(DateTime<Utc>, DemoEventKind)>) {
        let mut rng = self.rng(i);
        let (_, actor) = self.fields(i, &mut rng);
        (actor, self.events_of(i, &mut rng))
    }

    fn events_of(&self, i: usize, rng: &mut Rng) -> Vec<(DateTime<Utc>, DemoEventKind)> {
        let now = self.now;
        let mut out = Vec::with_capacity(12);
        let mut push = |at: DateTime<Utc>, kind: DemoEventKind| out.push((at.min(now), kind));
        let enter = |to: usize| DemoEventKind::Enter { to, breach: None };
        let hours = Duration::hours;
        if i < self.closed {
            let created = self.created(i);
            push(created, enter(0));
            if rng.chance(10) {
                push(
                    created + hours(24 * (1 + rng.below(20) as i64)),
                    DemoEventKind::Archive,
                );
                return out;
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
                let reason = rng.pick(&self.recipe.block_reasons).clone();
                push(t, DemoEventKind::Block { reason });
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
            let k = (i - self.closed) * SCALE_OPEN_CARDS / (self.cards - self.closed).max(1);
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
        out
    }

    /// When closed card `i` is created: spread over the year, with time to
    /// finish before now.
    fn created(&self, i: usize) -> DateTime<Utc> {
        let share = i as f64 / self.closed.max(1) as f64;
        self.start + Duration::seconds((share * 330.0 * 86_400.0) as i64)
    }

    /// Every event of the board in time order (a tie in card order), made
    /// as it is read.
    pub fn events(&self) -> ScaleEvents<'_> {
        ScaleEvents {
            plan: self,
            next_closed: 0,
            next_open: 0,
            pending: BinaryHeap::new(),
            walks: HashMap::new(),
        }
    }
}

/// A card's events still to come, oldest first.
type Walk = VecDeque<(DateTime<Utc>, DemoEventKind)>;

/// The events of a [`ScalePlan`] in time order.
pub struct ScaleEvents<'a> {
    plan: &'a ScalePlan,
    next_closed: usize,
    next_open: usize,
    /// Each card with events left: when its next one is, and the card.
    pending: BinaryHeap<Reverse<(DateTime<Utc>, usize)>>,
    walks: HashMap<usize, (String, Walk)>,
}

impl ScaleEvents<'_> {
    /// The card created next, and when.
    fn next_card(&self) -> Option<(DateTime<Utc>, usize)> {
        let closed = (self.next_closed < self.plan.closed)
            .then(|| (self.plan.created(self.next_closed), self.next_closed));
        let open = self.plan.open_order.get(self.next_open).copied();
        match (closed, open) {
            (Some(c), Some(o)) => Some(c.min(o)),
            (c, o) => c.or(o),
        }
    }

    fn take_card(&mut self, i: usize) {
        if i < self.plan.closed {
            self.next_closed += 1;
        } else {
            self.next_open += 1;
        }
        let (actor, walk) = self.plan.walk(i);
        let walk: Walk = walk.into();
        if let Some(&(at, _)) = walk.front() {
            self.pending.push(Reverse((at, i)));
            self.walks.insert(i, (actor, walk));
        }
    }
}

impl Iterator for ScaleEvents<'_> {
    type Item = DemoEvent;

    fn next(&mut self) -> Option<Self::Item> {
        // Every card created by the time of the next pending event is in.
        while let Some((created, i)) = self.next_card() {
            match self.pending.peek() {
                Some(Reverse((at, _))) if *at < created => break,
                _ => self.take_card(i),
            }
        }
        let Reverse((_, card)) = self.pending.pop()?;
        let (actor, walk) = self.walks.get_mut(&card)?;
        let (at, kind) = walk.pop_front()?;
        let event = DemoEvent {
            card,
            at,
            actor: actor.clone(),
            kind,
        };
        match walk.front() {
            Some(&(next, _)) => self.pending.push(Reverse((next, card))),
            None => {
                self.walks.remove(&card);
            }
        }
        Some(event)
    }
}

impl DemoSource for ScalePlan {
    fn board_name(&self) -> &str {
        "Scale board"
    }

    fn columns(&self) -> &[DemoColumn] {
        &self.columns
    }

    fn sprints(&self) -> &[DemoSprint] {
        &[]
    }

    fn card(&self, i: usize) -> Cow<'_, DemoCard> {
        let mut rng = self.rng(i);
        Cow::Owned(self.fields(i, &mut rng).0)
    }

    fn events(&self) -> Box<dyn Iterator<Item = Cow<'_, DemoEvent>> + '_> {
        Box::new(ScalePlan::events(self).map(Cow::Owned))
    }
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
        // Each card is created before anything else happens to it.
        let mut seen = vec![false; p.cards.len()];
        for e in &p.events {
            if !seen[e.card] {
                assert!(
                    matches!(e.kind, DemoEventKind::Enter { to: 0, .. }),
                    "{e:?}"
                );
                seen[e.card] = true;
            }
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn a_scale_board_is_made_as_it_is_read_holding_only_the_cards_open_at_the_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
        let plan = ScalePlan::new(now, 3, 20_000).unwrap();
        let mut events = plan.events();
        let (mut n, mut most_held) = (0usize, 0usize);
        while events.next().is_some() {
            n += 1;
            most_held = most_held.max(events.walks.len());
        }
        assert!(n > 150_000, "{n} events");
        // Cards live for weeks of a year: far fewer held than made.
        assert!(most_held < 20_000 / 3, "{most_held} cards held at once");
        assert!(ScalePlan::new(now, 1, SCALE_MAX_CARDS + 1).is_err());
        assert!(ScalePlan::new(now, 1, 0).is_err());
    }
}
