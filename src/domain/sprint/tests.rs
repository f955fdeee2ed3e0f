//! Burndown and velocity on hand-built histories with known answers.

use chrono::TimeZone;

use super::*;
use crate::domain::{CardSummary, ColumnId, UTC};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

/// Monday 2 November to Sunday 15 November 2026: 14 days, 10 working days.
fn sprint() -> Sprint {
    Sprint {
        id: SprintId(1),
        name: "Sprint 1".into(),
        goal: "Customers can pay by invoice".into(),
        start: day(2),
        end: day(15),
        state: SprintState::Active,
        capacity: Some(20),
        started_at: Some(at(2, 9)),
        closed_at: None,
        committed: None,
        velocity: None,
    }
}

fn ev(card: i64, when: DateTime<Utc>, kind: BurnEventKind) -> BurnEvent {
    BurnEvent {
        card: CardId(card),
        at: when,
        kind,
    }
}

/// A (5), B (3) and C (2) are planned on day one; A is done on the 4th,
/// B re-estimated to 8 on the 5th, D (4) added on the 6th, A sent back from
/// done on the 9th, C done on the 10th; it is now noon on the 11th.
fn history() -> BurnHistory {
    use BurnEventKind::*;
    let mut events = vec![
        ev(1, at(2, 10), Planned),
        ev(2, at(2, 10), Planned),
        ev(3, at(2, 11), Planned),
        ev(1, at(3, 9), Enter { done: false }),
        ev(1, at(4, 14), Enter { done: true }),
        ev(
            2,
            at(5, 9),
            Estimated {
                old: Some(3),
                new: Some(8),
            },
        ),
        ev(4, at(6, 10), Planned),
        ev(1, at(9, 10), Enter { done: false }),
        ev(3, at(10, 16), Enter { done: true }),
    ];
    events.sort_by_key(|e| e.at);
    BurnHistory {
        events,
        points_now: [(1, 5), (2, 8), (3, 2), (4, 4)]
            .into_iter()
            .map(|(c, p)| (CardId(c), Some(p)))
            .collect(),
    }
}

#[test]
fn sprint_dates_and_working_days() {
    let s = sprint();
    assert_eq!(s.days(), 14);
    assert_eq!(s.working_days(), 10);
    assert_eq!(s.days_left(day(2)), 14);
    assert_eq!(s.days_left(day(15)), 1);
    assert_eq!(s.days_left(day(16)), 0);
    assert_eq!(
        s.days_left(day(1)),
        14,
        "before the start every day is left"
    );
}

#[test]
fn burndown_follows_done_reestimates_added_cards_and_moves_back() {
    let b = burndown(&sprint(), &history(), at(11, 12), &UTC);
    let remaining: Vec<Option<u32>> = b.days.iter().map(|d| d.remaining).collect();
    assert_eq!(
        remaining,
        vec![
            Some(10), // 2nd: A, B, C planned
            Some(10),
            Some(5),  // 4th: A done
            Some(10), // 5th: B re-estimated 3 → 8
            Some(14), // 6th: D added
            Some(14), // weekend
            Some(14),
            Some(19), // 9th: A back from done
            Some(17), // 10th: C done
            Some(17), // 11th, now
            None,
            None,
            None,
            None,
        ]
    );
    let scope: Vec<Option<u32>> = b.days.iter().map(|d| d.scope).collect();
    assert_eq!(scope[0], Some(10));
    assert_eq!(scope[3], Some(15));
    assert_eq!(scope[4], Some(19));
    assert_eq!(b.committed, 10, "the forecast is the first day's scope");
    assert_eq!((b.scope, b.done, b.remaining), (19, 2, 17));
}

#[test]
fn ideal_line_goes_down_on_working_days_only() {
    let b = burndown(&sprint(), &history(), at(11, 12), &UTC);
    let ideal: Vec<f64> = b.days.iter().map(|d| d.ideal).collect();
    assert_eq!(
        ideal,
        vec![
            9.0, 8.0, 7.0, 6.0, 5.0, 5.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0, 0.0, 0.0
        ]
    );
    let weekends: Vec<bool> = b.days.iter().map(|d| d.weekend).collect();
    assert!(weekends[5] && weekends[6] && weekends[12] && weekends[13]);
    assert_eq!(weekends.iter().filter(|w| **w).count(), 4);
}

#[test]
fn removed_and_archived_unfinished_cards_leave_the_scope() {
    use BurnEventKind::*;
    let mut h = history();
    h.events.push(ev(4, at(11, 9), Unplanned));
    h.events.push(ev(2, at(11, 10), Archived));
    let b = burndown(&sprint(), &h, at(11, 12), &UTC);
    // Left: A (5, not done) and C (2, done).
    assert_eq!((b.scope, b.done, b.remaining), (7, 2, 5));
    assert_eq!(b.days[9].remaining, Some(5));
    assert_eq!(b.days[8].remaining, Some(17), "the day before is unchanged");
}

#[test]
fn an_archived_done_card_stays_done() {
    use BurnEventKind::*;
    let mut h = history();
    h.events.push(ev(3, at(11, 10), Archived));
    let b = burndown(&sprint(), &h, at(11, 12), &UTC);
    assert_eq!((b.scope, b.done, b.remaining), (19, 2, 17));
}

#[test]
fn a_closed_sprint_is_read_as_it_closed() {
    use BurnEventKind::*;
    let mut s = sprint();
    s.state = SprintState::Closed;
    s.closed_at = Some(at(16, 10));
    let mut h = history();
    // C (2) is sent back the morning after the last day, before the close;
    // B is done after the close: not part of this sprint's story.
    h.events.push(ev(3, at(16, 9), Enter { done: false }));
    h.events.push(ev(2, at(17, 10), Enter { done: true }));
    let b = burndown(&s, &h, at(20, 12), &UTC);
    assert!(b.days.iter().all(|d| d.remaining.is_some()));
    assert_eq!(b.days.last().unwrap().remaining, Some(17));
    assert_eq!((b.done, b.remaining), (0, 19), "as the close counted it");
}

#[test]
fn a_sprint_not_started_shows_what_is_planned_so_far() {
    use BurnEventKind::*;
    let mut s = sprint();
    s.state = SprintState::Planned;
    s.start = day(16);
    s.end = day(29);
    let h = BurnHistory {
        events: vec![ev(1, at(11, 9), Planned), ev(2, at(11, 10), Planned)],
        points_now: [(CardId(1), Some(5)), (CardId(2), None)]
            .into_iter()
            .collect(),
    };
    let b = burndown(&s, &h, at(11, 12), &UTC);
    assert_eq!(b.committed, 5);
    assert!(b.days.iter().all(|d| d.remaining.is_none()));
    assert_eq!(b.days[0].ideal, 4.5);
}

#[test]
fn days_follow_the_users_zone() {
    use BurnEventKind::*;
    // 23:30 UTC on the 3rd is already the 4th in UTC+2.
    let zone = chrono::FixedOffset::east_opt(2 * 3600).unwrap();
    let mut h = history();
    h.events
        .retain(|e| e.card != CardId(1) || e.kind == Planned);
    h.events.push(ev(1, at(3, 23), Enter { done: true }));
    h.events.sort_by_key(|e| e.at);
    let b = burndown(&sprint(), &h, at(11, 12), &zone);
    assert_eq!(b.days[1].remaining, Some(10), "3rd, local time");
    assert_eq!(b.days[2].remaining, Some(5), "4th, local time");
}

fn closed(velocity: u32) -> Sprint {
    Sprint {
        state: SprintState::Closed,
        velocity: Some(velocity),
        committed: Some(velocity + 2),
        ..sprint()
    }
}

#[test]
fn average_velocity_is_over_the_last_three_closed_sprints() {
    let history = [closed(10), closed(30), closed(21), closed(24)];
    let v = velocity_stats(&history, VELOCITY_WINDOW).unwrap();
    assert_eq!(v.sprints, 3);
    assert_eq!(v.mean, 25.0);
    assert_eq!((v.min, v.max), (21, 30));
    assert_eq!(velocity_stats(&[closed(8)], 3).unwrap().mean, 8.0);
    assert!(
        velocity_stats(&[sprint()], 3).is_none(),
        "open sprints do not count"
    );
}

fn card(id: i64, points: Option<u32>) -> SprintCard {
    SprintCard {
        card: CardSummary {
            id: CardId(id),
            column: ColumnId(1),
            title: format!("card {id}"),
            assignee: None,
            tags: Vec::new(),
            points,
            blocked: false,
        },
        column: "To Do".into(),
        done: false,
        outcome: None,
        added_late: false,
    }
}

#[test]
fn plan_totals_warn_over_capacity_and_over_velocity() {
    let cards = [card(1, Some(8)), card(2, Some(13)), card(3, None)];
    let v = velocity_stats(&[closed(18), closed(22)], 3);
    let t = plan_totals(&cards, Some(25), v);
    assert_eq!((t.committed, t.cards, t.unestimated), (21, 3, 1));
    assert!(!t.over_capacity);
    assert!(t.over_velocity, "21 > mean velocity 20");
    let t = plan_totals(&cards, Some(20), None);
    assert!(t.over_capacity && !t.over_velocity);
}

#[test]
fn names_goals_and_lengths_are_checked() {
    assert_eq!(validate_name("  Sprint\n 4 ").unwrap(), "Sprint 4");
    assert!(validate_name("  ").is_err());
    assert!(validate_goal(&"x".repeat(MAX_GOAL + 1)).is_err());
    assert_eq!(validate_goal("Ship\tinvoices").unwrap(), "Ship invoices");
    assert_eq!(validate_name("\u{202E}Evil").unwrap(), "Evil");
    assert!(check_start(NaiveDate::from_ymd_opt(9999, 12, 25).unwrap()).is_err());
    assert!(validate_days(0).is_err());
    assert!(validate_days(32).is_err());
    assert_eq!(validate_days(14), Ok(14));
    let mut s = sprint();
    s.state = SprintState::Planned;
    s.goal = String::new();
    assert!(
        check_can_start(&s)
            .unwrap_err()
            .to_string()
            .contains("no goal")
    );
    s.goal = "A goal".into();
    assert!(check_can_start(&s).is_ok());
}

#[test]
fn next_sprint_names_count_up() {
    assert_eq!(next_name("Sprint 9"), "Sprint 10");
    assert_eq!(next_name("Q4-3"), "Q4-4");
    assert_eq!(next_name("Autumn"), "Autumn (next)");
    assert_eq!(
        next_name("S 18446744073709551615"),
        "S 18446744073709551615 (next)"
    );
    let long = "x".repeat(MAX_NAME);
    assert!(next_name(&long).chars().count() <= MAX_NAME);
    assert!(validate_name(&next_name(&long)).is_ok());
}

#[test]
fn a_new_sprint_ends_after_its_days() {
    let n = NewSprint {
        name: "S".into(),
        goal: String::new(),
        start: day(2),
        days: 14,
        capacity: None,
    };
    assert_eq!(n.end(), day(15));
}

/// The rules a sprint's writes check, on their own: one planned and one
/// active sprint at a time, a goal kept while active, only unfinished work
/// added or carried, only the active sprint closed.
#[test]
fn the_rules_of_planning_starting_and_closing() {
    let mut s = sprint();
    s.state = SprintState::Planned;
    assert!(check_can_plan(None).is_ok());
    let twice = check_can_plan(Some("Sprint 8")).unwrap_err().to_string();
    assert!(
        twice.contains("Sprint 8 is already being planned"),
        "{twice}"
    );
    assert!(check_start_beside(&s, None).is_ok());
    let beside = check_start_beside(&s, Some("Sprint 6"))
        .unwrap_err()
        .to_string();
    assert!(beside.contains("Sprint 6 is still active"), "{beside}");
    s.state = SprintState::Active;
    assert!(
        check_goal_edit(&s, Some("")).is_err(),
        "an active sprint keeps a goal"
    );
    assert!(check_goal_edit(&s, Some("New goal")).is_ok());
    assert!(check_goal_edit(&s, None).is_ok());
    assert!(check_open(&s).is_ok());
    assert!(check_can_add(CardId(4), false, None).is_ok());
    let done = check_can_add(CardId(4), true, None)
        .unwrap_err()
        .to_string();
    assert!(done.contains("done already"), "{done}");
    let other = check_can_add(CardId(4), false, Some("Sprint 2"))
        .unwrap_err()
        .to_string();
    assert!(other.contains("already in Sprint 2"), "{other}");
    assert!(check_close(&s, &[], &[]).is_ok());
    let stranger = check_close(&s, &[], &[CardId(9)]).unwrap_err().to_string();
    assert!(stranger.contains("not an unfinished card"), "{stranger}");
    s.state = SprintState::Closed;
    assert!(check_open(&s).is_err());
    assert!(
        check_close(&s, &[], &[]).is_err(),
        "only the active sprint closes"
    );
}

#[test]
fn the_current_sprint_is_the_active_one_else_the_one_being_planned() {
    let with = |id, state| Sprint {
        id: SprintId(id),
        state,
        ..sprint()
    };
    assert_eq!(current(&[]), None);
    assert_eq!(current(&[with(1, SprintState::Closed)]), None);
    let planned = [with(1, SprintState::Closed), with(2, SprintState::Planned)];
    assert_eq!(current(&planned).map(|s| s.id), Some(SprintId(2)));
    let both = [
        with(1, SprintState::Planned),
        with(2, SprintState::Active),
        with(3, SprintState::Closed),
    ];
    assert_eq!(current(&both).map(|s| s.id), Some(SprintId(2)));
}
