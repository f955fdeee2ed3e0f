//! A sprint's whole life gives the same answers on both engines: planning,
//! starting, scope change, the burndown's history and the close.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

use super::*;
use crate::domain::NewCard;
use crate::domain::sprint::{BurnEventKind, Outcome};
use crate::store::sql::testing::on_both;
use crate::store::sql_store::{columns, read, write};

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 3, 4).unwrap()
}

/// `hours` into the sprint's `day`-th day (0 is its first), in UTC.
fn at(day: i64, hours: i64) -> DateTime<Utc> {
    let zone = FixedOffset::east_opt(0).unwrap();
    zone.midnight(first_day() + Duration::days(day)) + Duration::hours(hours)
}

fn t(day: i64, hours: i64) -> i64 {
    ms(at(day, hours))
}

fn card(db: &dyn Db, column: crate::domain::ColumnId, title: &str, points: u32) -> CardId {
    let new = NewCard {
        points: Some(points),
        ..NewCard::titled(title)
    };
    write::add_card(db, column, &new, None, t(-3, 0), "ana")
        .unwrap()
        .card
}

fn ids(cards: &[SprintCard]) -> Vec<CardId> {
    cards.iter().map(|c| c.card.id).collect()
}

#[test]
fn a_sprint_is_planned_run_and_closed_alike_on_both_engines() {
    on_both(|db| {
        let zone = FixedOffset::east_opt(0).unwrap();
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let b = read::board(db).unwrap();
        let (todo, doing, done_col) = (b.columns[1].id, b.columns[2].id, b.columns[4].id);
        let a = card(db, todo, "Login", 3);
        let bb = card(db, todo, "Signup", 5);
        let c = card(db, todo, "Docs", 2);
        let gone = card(db, todo, "Spike", 1);
        let shipped = card(db, done_col, "Shipped already", 8);

        // Planning: one sprint at a time, cards not done and in no sprint.
        let new = NewSprint {
            name: "Sprint 1".into(),
            goal: String::new(),
            start: first_day(),
            days: 10,
            capacity: Some(20),
        }
        .validated()
        .unwrap();
        let id = create_sprint(db, board, &new, t(-2, 0)).unwrap();
        let again = create_sprint(db, board, &new, t(-2, 1)).unwrap_err();
        assert!(
            again.to_string().contains("already being planned"),
            "{again}"
        );
        let s = sprint(db, id).unwrap();
        assert_eq!(
            (s.state, s.start, s.days()),
            (SprintState::Planned, first_day(), 10)
        );
        assert_eq!(s.end, NaiveDate::from_ymd_opt(2030, 3, 13).unwrap());
        assert_eq!(s.capacity, Some(20));
        assert_eq!(ids(&backlog_cards(db, board).unwrap()), [a, bb, c, gone]);

        for card in [a, bb, gone] {
            add_to_sprint(db, id, card, t(-1, 0), "ana").unwrap();
        }
        let done_already = add_to_sprint(db, id, shipped, t(-1, 0), "ana").unwrap_err();
        assert!(
            done_already.to_string().contains("done already"),
            "{done_already}"
        );
        let twice = add_to_sprint(db, id, a, t(-1, 0), "ana").unwrap_err();
        assert!(twice.to_string().contains("already in Sprint 1"), "{twice}");
        remove_from_sprint(db, id, bb, t(-1, 1), "ana").unwrap();
        assert!(matches!(
            remove_from_sprint(db, id, bb, t(-1, 1), "ana"),
            Err(StoreError::NotFound(_))
        ));
        add_to_sprint(db, id, bb, t(-1, 2), "ana").unwrap();
        assert_eq!(ids(&backlog_cards(db, board).unwrap()), [c]);

        // Settings: a goal and a shorter length; no start without a goal.
        assert!(start_sprint(db, id, t(0, 1), first_day()).is_err());
        edit_sprint(
            db,
            id,
            &SprintPatch {
                goal: Some("  Ship   the login ".into()),
                days: Some(7),
                ..SprintPatch::default()
            },
        )
        .unwrap();
        let s = sprint(db, id).unwrap();
        assert_eq!((s.goal.as_str(), s.days()), ("Ship the login", 7));
        start_sprint(db, id, t(0, 1), first_day()).unwrap();
        let s = sprint(db, id).unwrap();
        assert_eq!(s.state, SprintState::Active);
        assert_eq!(s.started_at, Some(at(0, 1)));
        assert_eq!(s.end, NaiveDate::from_ymd_opt(2030, 3, 10).unwrap());
        let no_goal = edit_sprint(
            db,
            id,
            &SprintPatch {
                goal: Some(String::new()),
                ..SprintPatch::default()
            },
        )
        .unwrap_err();
        assert!(no_goal.to_string().contains("keeps a goal"), "{no_goal}");

        // The sprint runs: scope added late, work done, a re-estimate, a
        // card archived unfinished.
        add_to_sprint(db, id, c, t(2, 3), "ben").unwrap();
        write::move_card(db, a, doing, None, t(1, 2), "ben").unwrap();
        write::move_card(db, a, done_col, None, t(3, 2), "ben").unwrap();
        write::update_card(
            db,
            bb,
            &crate::domain::CardPatch {
                points: Some(Some(8)),
                ..crate::domain::CardPatch::default()
            },
            t(2, 4),
            "ben",
        )
        .unwrap();
        write::archive_card(db, gone, t(3, 5), "ben").unwrap();
        let cards = sprint_cards(db, id, &zone).unwrap();
        assert_eq!(
            ids(&cards),
            [bb, c, a],
            "board order; archived unfinished left"
        );
        let late: Vec<bool> = cards.iter().map(|c| c.added_late).collect();
        assert_eq!(late, [false, true, false]);
        let done: Vec<bool> = cards.iter().map(|c| c.done).collect();
        assert_eq!(done, [false, false, true]);
        assert_eq!(cards[2].column, "Done");
        assert!(cards.iter().all(|c| c.outcome.is_none()));

        let h = burn_history(db, id).unwrap();
        let of = |card: CardId| -> Vec<BurnEventKind> {
            h.events
                .iter()
                .filter(|e| e.card == card)
                .map(|e| e.kind)
                .collect()
        };
        assert_eq!(
            of(bb),
            [
                BurnEventKind::Enter { done: false },
                BurnEventKind::Planned,
                BurnEventKind::Unplanned,
                BurnEventKind::Planned,
                BurnEventKind::Estimated {
                    old: Some(5),
                    new: Some(8)
                },
            ]
        );
        assert_eq!(
            of(a),
            [
                BurnEventKind::Enter { done: false },
                BurnEventKind::Planned,
                BurnEventKind::Enter { done: false },
                BurnEventKind::Enter { done: true },
            ]
        );
        assert_eq!(of(gone).last(), Some(&BurnEventKind::Archived));
        assert!(
            h.events.windows(2).all(|w| w[0].at <= w[1].at),
            "in time order"
        );
        assert_eq!(h.points_now.len(), 4);
        assert_eq!(h.points_now[&bb], Some(8));
        assert!(!h.points_now.contains_key(&shipped));

        // A sprint event is a card event with its sprint, written once.
        let history = read::card_history(db, bb).unwrap();
        let planned: Vec<_> = history
            .iter()
            .filter(|e| e.kind == EventKind::Planned || e.kind == EventKind::Unplanned)
            .collect();
        assert_eq!(planned.len(), 3);
        assert!(
            planned
                .iter()
                .all(|e| e.sprint.as_deref() == Some("Sprint 1"))
        );
        assert_eq!(planned[1].kind, EventKind::Unplanned);
        assert_eq!(planned[0].actor, "ana");

        // The close: done cards count, carried ones go to a new sprint,
        // the rest return to the backlog.
        let wrong = close_sprint(db, id, &[shipped], at(6, 20), &zone, "ana").unwrap_err();
        assert!(
            wrong.to_string().contains("not an unfinished card"),
            "{wrong}"
        );
        let closed = close_sprint(db, id, &[bb, bb], at(6, 20), &zone, "ana").unwrap();
        assert_eq!(closed.name, "Sprint 1");
        assert_eq!(
            closed.committed,
            1 + 3 + 5,
            "the points at the end of day one"
        );
        assert_eq!(closed.velocity, 3);
        assert_eq!((closed.done, closed.carried, closed.returned), (1, 1, 1));
        let (next, next_name) = closed.next.clone().unwrap();
        assert_eq!(next_name, "Sprint 2");

        let s = sprint(db, id).unwrap();
        assert_eq!(s.state, SprintState::Closed);
        assert_eq!((s.committed, s.velocity), (Some(9), Some(3)));
        assert_eq!(s.closed_at, Some(at(6, 20)));
        let outcomes: Vec<(CardId, Option<Outcome>)> = sprint_cards(db, id, &zone)
            .unwrap()
            .iter()
            .map(|c| (c.card.id, c.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [
                (bb, Some(Outcome::Carried)),
                (c, Some(Outcome::Returned)),
                (gone, Some(Outcome::Returned)),
                (a, Some(Outcome::Done)),
            ],
            "a card archived unfinished went back with the board"
        );
        assert!(close_sprint(db, id, &[], at(6, 21), &zone, "ana").is_err());
        assert!(edit_sprint(db, id, &SprintPatch::default()).is_err());

        let n = sprint(db, next).unwrap();
        assert_eq!(n.state, SprintState::Planned);
        assert_eq!(n.start, NaiveDate::from_ymd_opt(2030, 3, 11).unwrap());
        assert_eq!((n.days(), n.capacity, n.goal.as_str()), (7, Some(20), ""));
        assert_eq!(ids(&sprint_cards(db, next, &zone).unwrap()), [bb]);
        let carried = read::card_history(db, bb).unwrap();
        assert_eq!(carried.last().unwrap().sprint.as_deref(), Some("Sprint 2"));
        assert_eq!(ids(&backlog_cards(db, board).unwrap()), [c]);
        let names: Vec<String> = sprints(db, board)
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["Sprint 1", "Sprint 2"], "by first day");

        // One active sprint at a time.
        edit_sprint(
            db,
            next,
            &SprintPatch {
                goal: Some("Signup".into()),
                ..SprintPatch::default()
            },
        )
        .unwrap();
        start_sprint(db, next, t(7, 1), first_day() + Duration::days(7)).unwrap();
        let third = create_sprint(db, board, &new, t(7, 2)).unwrap();
        edit_sprint(
            db,
            third,
            &SprintPatch {
                goal: Some("More".into()),
                ..SprintPatch::default()
            },
        )
        .unwrap();
        let busy = start_sprint(db, third, t(7, 3), first_day()).unwrap_err();
        assert!(
            busy.to_string().contains("Sprint 2 is still active"),
            "{busy}"
        );
    });
}
