//! Which period a new retro covers, and which of the board's facts it shows.

use chrono::TimeZone;

use super::*;
use crate::domain::UTC;
use crate::domain::flow::{
    AgingCard, BlockedCard, FlowHistory, FlowQuery, FlowRange, Stats, flow_report,
};
use crate::domain::retro::{DEFAULT_DISCUSS_MINUTES, Phase, RetroId, SafetyKind, format};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

/// The last retro: over the 1st to the 6th, held on the 6th at 14:00.
fn last_retro() -> Retro {
    Retro {
        id: RetroId(1),
        title: "Sprint 1 retro".into(),
        format: format::built_in().remove(0),
        phase: Phase::Closed,
        facilitator: "ana".into(),
        votes: 3,
        safety: SafetyKind::Esvp,
        safety_closed: true,
        roti_closed: true,
        revealed: true,
        sprint: None,
        from: day(1),
        to: day(6),
        started_at: at(6, 14),
        closed_at: Some(at(6, 15)),
        discussing: None,
        discuss_started: None,
        discuss_minutes: DEFAULT_DISCUSS_MINUTES,
    }
}

fn sprint(id: i64, start: u32, end: u32, state: SprintState, closed: Option<u32>) -> Sprint {
    Sprint {
        id: SprintId(id),
        name: format!("Sprint {id}"),
        goal: "Ship".into(),
        start: day(start),
        end: day(end),
        state,
        capacity: None,
        started_at: Some(at(start, 9)),
        closed_at: closed.map(|d| at(d, 17)),
        committed: None,
        velocity: None,
    }
}

#[test]
fn a_new_retro_looks_back_on_the_running_sprint_up_to_today() {
    let sprints = [sprint(2, 9, 22, SprintState::Active, None)];
    let p = period(day(16), Some(&last_retro()), &sprints);
    assert_eq!(
        p,
        RetroPeriod {
            sprint: Some(SprintId(2)),
            from: day(9),
            to: day(16),
            title: "Sprint 2 retro".into(),
        }
    );
}

#[test]
fn a_sprint_that_just_began_gives_way_to_the_one_that_just_closed() {
    let sprints = [
        sprint(2, 9, 22, SprintState::Closed, Some(22)),
        sprint(3, 23, 30, SprintState::Active, None),
    ];
    // Its second day: the closed sprint is what the retro is about.
    let p = period(day(24), Some(&last_retro()), &sprints);
    assert_eq!(
        (p.sprint, p.from, p.to),
        (Some(SprintId(2)), day(9), day(22))
    );
    // Two days in, the running one is.
    let p = period(day(25), Some(&last_retro()), &sprints);
    assert_eq!(
        (p.sprint, p.from, p.to),
        (Some(SprintId(3)), day(23), day(25))
    );
}

#[test]
fn a_sprint_closed_before_the_last_retro_is_not_looked_back_on_again() {
    let sprints = [sprint(1, 1, 6, SprintState::Closed, Some(6))];
    // Closed at 17:00 on the 6th, after the retro of 14:00: still to look at.
    assert_eq!(
        period(day(10), Some(&last_retro()), &sprints).sprint,
        Some(SprintId(1))
    );
    let mut early = sprints[0].clone();
    early.closed_at = Some(at(6, 9));
    let p = period(day(10), Some(&last_retro()), &[early]);
    // The days since the last retro, then.
    assert_eq!(
        p,
        RetroPeriod {
            sprint: None,
            from: day(7),
            to: day(10),
            title: "Retro 2026-11-10".into(),
        }
    );
}

#[test]
fn without_sprints_or_retros_a_retro_looks_back_two_weeks() {
    let p = period(day(20), None, &[]);
    assert_eq!((p.sprint, p.from, p.to), (None, day(7), day(20)));
    // A retro over a period that ends today starts today.
    let mut last = last_retro();
    last.to = day(20);
    assert_eq!(period(day(20), Some(&last), &[]).from, day(20));
}

fn finished(card: i64, d: u32) -> FinishedCard {
    FinishedCard {
        card: CardId(card),
        created: at(1, 9),
        started: None,
        finished: at(d, 12),
        cycle_days: None,
        lead_days: 1.0,
    }
}

#[test]
fn facts_name_cards_finished_in_the_period_the_longest_blocked_and_work_older_than_p85() {
    let done = [finished(1, 5), finished(2, 9), finished(3, 10)];
    let ids = finished_before(&done, at(10, 0));
    assert_eq!(ids, vec![CardId(1), CardId(2)]);

    let query = FlowQuery {
        now: at(10, 12),
        zone: &UTC,
        range: FlowRange::All,
    };
    let mut report = flow_report(&FlowHistory::default(), &query);
    report.cycle_time = Stats::of(&[1.0, 2.0, 3.0, 4.0]);
    let p85 = report.cycle_time.as_ref().unwrap().p85;
    let aging = |card, age_days| AgingCard {
        card: CardId(card),
        title: Some(format!("Card {card}")),
        column: "Doing".into(),
        started: at(1, 9),
        age_days,
        blocked: false,
    };
    report.aging = vec![aging(7, p85 + 1.0), aging(8, p85)];
    let blocked = |card, days| BlockedCard {
        card: CardId(card),
        title: None,
        days,
        episodes: 1,
        blocked_now: card == 5,
    };
    report.blocked.cards = vec![blocked(5, 3.0), blocked(6, 1.0)];
    let titles = HashMap::from([(CardId(1), "Invoices".to_string())]);

    let f = facts(&report, &ids, &titles, Vec::new(), 1);
    assert_eq!(
        f.finished,
        vec![
            FactCard {
                card: CardId(1),
                title: "Invoices".into()
            },
            FactCard {
                card: CardId(2),
                title: String::new()
            },
        ]
    );
    assert_eq!(
        f.blocked,
        vec![BlockedFact {
            card: CardId(5),
            title: String::new(),
            days: 3.0,
            now: true
        }]
    );
    let aged: Vec<CardId> = f.aged.iter().map(|a| a.card).collect();
    assert_eq!(aged, vec![CardId(7)], "only work older than p85");
    assert_eq!(f.aged[0].title, "Card 7");
    assert_eq!(f.p85_days, Some(p85));

    report.cycle_time = None;
    assert!(facts(&report, &ids, &titles, Vec::new(), 1).aged.is_empty());
}
