//! Sprints in the store with a fixed clock, on both engines: planning
//! rules, burndown from the recorded history, closing with carry-over, and
//! the screens over them; the upgrade of an old file, the demo and the
//! command line on real temporary SQLite files.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use teamloop::domain::sprint::{NewSprint, Outcome, SprintState};
use teamloop::domain::{Board, CardId, CardPatch, EventKind, FixedClock, NewCard};
use teamloop::store::PersonKey;
use teamloop::store::{
    self, OpenOptions, RetroStore, SprintPatch, SprintStore, StandupStore, Store,
};

use common::engines::BoardFixture;

/// Monday 2 November 2026, 09:00 UTC.
fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
}

type Fixture = common::clocked::Clocked;

fn fixture() -> Fixture {
    Fixture::new("sprint.db", t(2, 9))
}

/// Runs a story on a board made on Monday 2 November at 09:00 on each engine.
fn on_both(test: impl Fn(&BoardFixture)) {
    common::engines::on_both_engines_at(t(2, 9), test);
}

fn add(s: &mut dyn Store, column: &str, title: &str, points: Option<u32>) -> CardId {
    let board = s.board().unwrap();
    let col = board.column_named(column).unwrap().id;
    let card = NewCard {
        points,
        ..NewCard::titled(title)
    };
    s.add_card(col, card, None).unwrap().card
}

fn new_sprint(name: &str, goal: &str, start: NaiveDate) -> NewSprint {
    NewSprint {
        name: name.into(),
        goal: goal.into(),
        start,
        days: 14,
        capacity: Some(20),
    }
}

/// A sprint from 2 November with these cards, started.
fn started(s: &mut dyn Store, name: &str, goal: &str, cards: &[CardId]) -> SprintId {
    let board = s.board().unwrap().id;
    let id = s
        .create_sprint(board, new_sprint(name, goal, date(2)))
        .unwrap();
    for card in cards {
        s.add_to_sprint(id, &[*card]).unwrap();
    }
    s.start_sprint(id, SprintPatch::default()).unwrap();
    id
}

fn move_to(s: &mut dyn Store, card: CardId, column: &str) {
    let board: Board = s.board().unwrap();
    let col = board.column_named(column).unwrap().id;
    s.move_card(card, col, None).unwrap();
}

#[test]
fn planning_rules_one_planned_one_active_goal_first_no_card_twice() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = add(&mut *s, "Backlog", "A", Some(3));
        let done = add(&mut *s, "Done", "Finished", Some(1));
        let sprint = s
            .create_sprint(board, new_sprint("Sprint 1", "", date(2)))
            .unwrap();
        let again = s.create_sprint(board, new_sprint("Sprint 2", "", date(16)));
        assert!(
            again
                .unwrap_err()
                .to_string()
                .contains("already being planned"),
            "one sprint is planned at a time"
        );
        s.add_to_sprint(sprint, &[a]).unwrap();
        let twice = s.add_to_sprint(sprint, &[a]).unwrap_err().to_string();
        assert!(twice.contains("already in Sprint 1"), "{twice}");
        let finished = s.add_to_sprint(sprint, &[done]).unwrap_err().to_string();
        assert!(finished.contains("done already"), "{finished}");

        let no_goal = s
            .start_sprint(sprint, SprintPatch::default())
            .unwrap_err()
            .to_string();
        assert!(no_goal.contains("no goal"), "{no_goal}");
        s.edit_sprint(
            sprint,
            SprintPatch {
                goal: Some("Invoices go out on time".into()),
                ..SprintPatch::default()
            },
        )
        .unwrap();
        s.start_sprint(sprint, SprintPatch::default()).unwrap();
        let next = s
            .create_sprint(board, new_sprint("Sprint 2", "Next", date(16)))
            .unwrap();
        let second = s
            .start_sprint(next, SprintPatch::default())
            .unwrap_err()
            .to_string();
        assert!(second.contains("Sprint 1 is still active"), "{second}");

        let all = s.sprints(board).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].state, SprintState::Active);
        assert_eq!(all[0].started_at, Some(t(2, 9)));
        assert_eq!(s.current_sprint(board).unwrap().unwrap().id, sprint);
        // A card of the active sprint is not in the backlog planning picks from.
        let backlog: Vec<CardId> = s
            .backlog_cards(&s.board().unwrap())
            .unwrap()
            .iter()
            .map(|c| c.card.id)
            .collect();
        assert!(!backlog.contains(&a) && !backlog.contains(&done));
    });
}

#[test]
fn a_sprint_starts_the_day_it_is_started_keeping_its_length() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = add(&mut *s, "To Do", "A", Some(3));
        // Planned for the 9th, started on the 2nd.
        let early = s
            .create_sprint(board, new_sprint("Early", "Goal", date(9)))
            .unwrap();
        s.start_sprint(early, SprintPatch::default()).unwrap();
        let sprint = s.sprints(board).unwrap().remove(0);
        assert_eq!((sprint.start, sprint.end), (date(2), date(15)));
        f.clock.set(t(16, 9));
        s.close_sprint(early, &[]).unwrap();
        // Planned for the 16th, filled on the 17th, started on the 18th: its
        // forecast is what it held when it began, not an empty first day.
        let late = s
            .create_sprint(board, new_sprint("Late", "Goal", date(16)))
            .unwrap();
        f.clock.set(t(17, 9));
        s.add_to_sprint(late, &[a]).unwrap();
        f.clock.set(t(18, 9));
        s.start_sprint(late, SprintPatch::default()).unwrap();
        let sprint = s.sprints(board).unwrap().remove(1);
        let first_of_december = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!((sprint.start, sprint.end), (date(18), first_of_december));
        let report = s.sprint_report(&sprint).unwrap();
        assert_eq!(report.burndown.committed, 3);
        assert!(report.cards.iter().all(|c| !c.added_late));
    });
}

#[test]
fn every_change_is_in_the_cards_history() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = add(&mut *s, "Backlog", "A", Some(3));
        let id = s
            .create_sprint(board, new_sprint("Sprint 7", "G", date(2)))
            .unwrap();
        s.add_to_sprint(id, &[a]).unwrap();
        s.update_card(
            a,
            CardPatch {
                points: Some(Some(5)),
                ..CardPatch::default()
            },
        )
        .unwrap();
        // The same points again is no re-estimate.
        s.update_card(
            a,
            CardPatch {
                points: Some(Some(5)),
                ..CardPatch::default()
            },
        )
        .unwrap();
        s.remove_from_sprint(id, &[a]).unwrap();
        let history = s.card_history(a).unwrap();
        let kinds: Vec<EventKind> = history.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                EventKind::Created,
                EventKind::Planned,
                EventKind::Estimated,
                EventKind::Unplanned
            ]
        );
        let lines: Vec<String> = history.iter().map(|e| e.describe()).collect();
        assert_eq!(lines[1], "added to Sprint 7");
        assert_eq!(lines[2], "estimate 3pt → 5pt");
        assert_eq!(lines[3], "taken out of Sprint 7");
        let gone = s.remove_from_sprint(id, &[a]).unwrap_err().to_string();
        assert!(gone.contains("not in Sprint 7"), "{gone}");
    });
}

/// The hand-built history of the domain test, made through the store.
#[test]
fn burndown_replays_what_the_store_recorded() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = add(&mut *s, "To Do", "A", Some(5));
        let b = add(&mut *s, "To Do", "B", Some(3));
        let c = add(&mut *s, "To Do", "C", Some(2));
        let d = add(&mut *s, "Backlog", "D", Some(4));
        let id = started(&mut *s, "Sprint 1", "Pay by invoice", &[a, b, c]);
        f.clock.set(t(3, 9));
        move_to(&mut *s, a, "In Progress");
        f.clock.set(t(4, 14));
        move_to(&mut *s, a, "Done");
        f.clock.set(t(5, 9));
        s.update_card(
            b,
            CardPatch {
                points: Some(Some(8)),
                ..CardPatch::default()
            },
        )
        .unwrap();
        f.clock.set(t(6, 10));
        s.add_to_sprint(id, &[d]).unwrap();
        f.clock.set(t(9, 10));
        move_to(&mut *s, a, "In Progress");
        f.clock.set(t(10, 16));
        move_to(&mut *s, c, "In Progress");
        move_to(&mut *s, c, "Review");
        move_to(&mut *s, c, "Done");
        f.clock.set(t(11, 12));

        let sprint = s.current_sprint(board).unwrap().unwrap();
        let report = s.sprint_report(&sprint).unwrap();
        let remaining: Vec<Option<u32>> =
            report.burndown.days.iter().map(|d| d.remaining).collect();
        assert_eq!(
            remaining[..10],
            [
                Some(10),
                Some(10),
                Some(5),
                Some(10),
                Some(14),
                Some(14),
                Some(14),
                Some(19),
                Some(17),
                Some(17)
            ]
        );
        assert!(remaining[10..].iter().all(Option::is_none));
        assert_eq!(report.burndown.committed, 10);
        let late: Vec<CardId> = report
            .cards
            .iter()
            .filter(|c| c.added_late)
            .map(|c| c.card.id)
            .collect();
        assert_eq!(late, vec![d], "only D was added after the first day");
    });
}

#[test]
fn closing_records_velocity_outcomes_and_carries_cards_into_the_next_sprint() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let done = add(&mut *s, "To Do", "Shipped", Some(5));
        let carried = add(&mut *s, "To Do", "Half way", Some(3));
        let returned = add(&mut *s, "To Do", "Not started", Some(2));
        let id = started(&mut *s, "Sprint 4", "Ship it", &[done, carried, returned]);
        f.clock.set(t(5, 10));
        move_to(&mut *s, done, "Done");
        move_to(&mut *s, carried, "In Progress");

        let stranger = add(&mut *s, "Backlog", "Not in the sprint", None);
        assert!(s.close_sprint(id, &[stranger]).is_err());
        assert!(
            s.close_sprint(id, &[done]).is_err(),
            "done cards are not carried"
        );
        assert_eq!(s.sprints(board).unwrap()[0].state, SprintState::Active);

        f.clock.set(t(16, 9));
        let closed = s.close_sprint(id, &[carried]).unwrap();
        assert_eq!(closed.velocity, 5);
        assert_eq!(closed.committed, 10);
        assert_eq!((closed.done, closed.carried, closed.returned), (1, 1, 1));
        let (next_id, next_name) = closed.next.clone().unwrap();
        assert_eq!(next_name, "Sprint 5");

        let sprints = s.sprints(board).unwrap();
        let old = sprints.iter().find(|x| x.id == id).unwrap();
        assert_eq!(old.state, SprintState::Closed);
        assert_eq!((old.committed, old.velocity), (Some(10), Some(5)));
        let next = sprints.iter().find(|x| x.id == next_id).unwrap();
        assert_eq!(next.state, SprintState::Planned);
        assert_eq!(next.start, date(16), "the next sprint starts the day after");
        assert_eq!(next.days(), 14);

        let outcomes: Vec<(CardId, Option<Outcome>)> = s
            .sprint_cards(id)
            .unwrap()
            .iter()
            .map(|c| (c.card.id, c.outcome))
            .collect();
        assert!(outcomes.contains(&(done, Some(Outcome::Done))));
        assert!(outcomes.contains(&(carried, Some(Outcome::Carried))));
        assert!(outcomes.contains(&(returned, Some(Outcome::Returned))));
        let next_cards: Vec<CardId> = s
            .sprint_cards(next_id)
            .unwrap()
            .iter()
            .map(|c| c.card.id)
            .collect();
        assert_eq!(next_cards, vec![carried]);
        let backlog: Vec<CardId> = s
            .backlog_cards(&s.board().unwrap())
            .unwrap()
            .iter()
            .map(|c| c.card.id)
            .collect();
        assert!(backlog.contains(&returned) && !backlog.contains(&carried));
        // The returned card stays where it is on the board: the board says where work is.
        assert_eq!(
            s.card(returned).unwrap().column,
            s.board().unwrap().column_named("To Do").unwrap().id
        );
        // The closed sprint's burndown is read as it closed.
        let report = s.sprint_report(old).unwrap();
        assert_eq!(report.burndown.remaining, 5);
        assert!(s.close_sprint(id, &[]).is_err(), "a sprint closes once");
    });
}

#[test]
fn a_version_one_database_keeps_its_events_through_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/0001_init.sql"))
            .unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO boards (id, name, created_at) VALUES (1, 'Old', 0);
             INSERT INTO columns (id, board_id, name, position, kind) VALUES (1, 1, 'Todo', 1, 'backlog');
             INSERT INTO columns (id, board_id, name, position, kind) VALUES (2, 1, 'Done', 2, 'done');
             INSERT INTO cards (id, board_id, column_id, position, title, created_at, updated_at)
                 VALUES (7, 1, 2, 1, 'Old card', 0, 0);
             INSERT INTO card_events (id, card_id, at, actor, kind, to_column)
                 VALUES (40, 7, 0, 'ben', 'created', 1);
             INSERT INTO card_events (id, card_id, at, actor, kind, from_column, to_column, breach, reason)
                 VALUES (41, 7, 1000, 'ben', 'moved', 1, 2, 'forced', 'hotfix');",
        )
        .unwrap();
    }
    let s = store::open(
        &path,
        OpenOptions::new("ana").with_key(PersonKey::for_name("ana")),
    )
    .unwrap();
    let history = s.card_history(CardId(7)).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].id, 41, "ids are kept");
    assert!(history[1].describe().contains("hotfix"));
    assert_eq!(
        s.standup_settings(s.board().unwrap().id).unwrap().minutes,
        15
    );
}

mod common;

use common::cli::Env;
use serde_json::Value;

#[test]
fn sprint_subcommands_start_fill_show_and_close() {
    let env = Env::new();
    let add = |title: &str, points: &str| -> i64 {
        let r = env.run(&[
            "card", "add", title, "--column", "To Do", "--points", points,
        ]);
        r.assert_ok();
        r.stdout.trim().parse().unwrap()
    };
    let a = add("Invoices", "5");
    let b = add("Reminder email", "3");
    let c = env.add("Spike", "Backlog");
    env.run(&["sprint", "start", "Sprint 1"])
        .assert_fails_with("--goal");
    let r = env.run(&["sprint", "list", "--json"]).json();
    assert_eq!(
        r,
        Value::Array(vec![]),
        "a refused start leaves nothing behind"
    );

    env.run(&[
        "sprint",
        "start",
        "Sprint 1",
        "--goal",
        "Customers can pay by invoice",
        "--days",
        "10",
        "--capacity",
        "7",
    ])
    .assert_ok();
    let (a_s, b_s, c_s) = (a.to_string(), b.to_string(), format!("#{c}"));
    env.run(&["sprint", "add", &a_s, &b_s, &c_s]).assert_ok();
    env.run(&["sprint", "add", &a_s])
        .assert_fails_with("already in Sprint 1");
    // All or nothing: one unknown card and none is added.
    env.run(&["sprint", "remove", &a_s, "999"])
        .assert_fails_with("card #999 is not in Sprint 1");
    env.run(&["sprint", "remove", &a_s]).assert_ok();
    env.run(&["sprint", "add", &a_s, "999"])
        .assert_fails_with("no card #999");
    let cards = env.run(&["sprint", "show", "--json"]).json()["cards"].clone();
    assert_eq!(cards.as_array().unwrap().len(), 2, "{cards}");
    env.run(&["sprint", "add", &a_s]).assert_ok();
    env.run(&["sprint", "add", "x1"])
        .assert_fails_with("not a card id");
    env.run(&["sprint", "remove", &c_s]).assert_ok();
    env.run(&["card", "move", &a_s, "In Progress"]).assert_ok();
    env.run(&["card", "move", &a_s, "Review"]).assert_ok();
    env.run(&["card", "move", &a_s, "Done"]).assert_ok();

    let show = env.run(&["sprint", "show", "--json"]).json();
    assert_eq!(show["goal"], "Customers can pay by invoice");
    assert_eq!(show["state"], "active");
    assert_eq!(show["days"], 10);
    assert_eq!(show["capacity"], 7);
    assert_eq!(show["committed"], 8);
    assert_eq!(show["done"], 5);
    assert_eq!(show["remaining"], 3);
    let burndown = show["burndown"].as_array().unwrap();
    assert_eq!(burndown.len(), 10);
    assert_eq!(burndown[0]["remaining"], 3, "today");
    assert!(burndown[1]["remaining"].is_null(), "days to come");
    assert!(burndown[0]["ideal"].is_number());
    let ids: Vec<i64> = show["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&a) && ids.contains(&b));

    let text = env.run(&["sprint", "show"]);
    text.assert_ok();
    assert!(text.stdout.contains("Goal: Customers can pay by invoice"));

    let closed = env.run(&["sprint", "close", "--carry", &b_s]);
    closed.assert_ok();
    assert!(
        closed.stdout.contains("velocity 5 of 8"),
        "{}",
        closed.stdout
    );
    assert!(closed.stdout.contains("Sprint 2"), "{}", closed.stdout);
    env.run(&["sprint", "close"])
        .assert_fails_with("no active sprint");
    // Starting a new sprint while one runs changes nothing.
    env.run(&["sprint", "start", "Sprint 2", "--goal", "Reminders"])
        .assert_ok();
    env.run(&["sprint", "start", "Sprint 3", "--goal", "More"])
        .assert_fails_with("Sprint 2 is still active");
    assert_eq!(
        env.run(&["sprint", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    env.run(&["sprint", "close", "--carry-all"]).assert_ok();
    env.run(&["sprint", "start", "Other", "--goal", "x"])
        .assert_fails_with("Sprint 3 is being planned");
    env.run(&["sprint", "start", "Sprint 3", "--goal", "Reminders"])
        .assert_ok();
    let list = env.run(&["sprint", "list", "--json"]).json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["velocity"], 5);
    assert_eq!(list[0]["committed"], 8);
    let show = env.run(&["sprint", "show", "--json"]).json();
    assert_eq!(show["name"], "Sprint 3");
    assert_eq!(show["cards"][0]["id"], b, "carried over twice");
}

use common::{keys, press, screen, status_line};
use ratatui::crossterm::event::KeyCode;
use teamloop::ui::App;

fn app(f: &BoardFixture) -> App {
    App::new(f.store(), 120, 40)
}

fn sprint_cards(s: &dyn Store, id: teamloop::domain::sprint::SprintId) -> Vec<CardId> {
    s.sprint_cards(id)
        .unwrap()
        .iter()
        .map(|c| c.card.id)
        .collect()
}

#[test]
fn planning_by_keys_moves_cards_across_and_warns_over_capacity() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = add(&mut *s, "To Do", "Invoice PDFs", Some(5));
        let b = add(&mut *s, "To Do", "Reminder emails", Some(3));
        let id = s
            .create_sprint(
                board,
                NewSprint {
                    capacity: Some(6),
                    ..new_sprint("Sprint 9", "Customers can pay by invoice", date(2))
                },
            )
            .unwrap();
        let mut app = app(f);
        keys(&mut app, "3");
        let text = screen(&app);
        assert!(
            text.contains("Goal: Customers can pay by invoice"),
            "{text}"
        );
        assert!(text.contains("Backlog · 2 cards"), "{text}");
        keys(&mut app, " ");
        assert_eq!(sprint_cards(&*f.store(), id), vec![a]);
        keys(&mut app, " ");
        assert_eq!(sprint_cards(&*f.store(), id).len(), 2);
        let text = screen(&app);
        assert!(text.contains("Committed 8 pt in 2 cards"), "{text}");
        assert!(text.contains("OVER CAPACITY +2"), "{text}");
        // To the sprint's list, and the second card back out.
        keys(&mut app, "lj ");
        assert_eq!(sprint_cards(&*f.store(), id), vec![a]);
        assert!(status_line(&app).contains(&format!("Took {b} out")));
        // Re-estimating in planning is recorded like any other.
        keys(&mut app, "hjp");
        press(&mut app, KeyCode::Backspace);
        keys(&mut app, "2");
        press(&mut app, KeyCode::Enter);
        assert_eq!(f.store().card(b).unwrap().points, Some(2));
    });
}

#[test]
fn starting_needs_a_goal_then_the_progress_view_shows_the_burndown() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = add(&mut *s, "To Do", "Invoice PDFs", Some(5));
        let id = s
            .create_sprint(board, new_sprint("Sprint 9", "", date(2)))
            .unwrap();
        s.add_to_sprint(id, &[a]).unwrap();
        let mut app = app(f);
        keys(&mut app, "3S");
        assert!(status_line(&app).contains("Set the sprint goal first"));
        // e edits the sprint: the goal is the second field.
        keys(&mut app, "e");
        press(&mut app, KeyCode::Tab);
        keys(&mut app, "Invoices go out");
        press(&mut app, KeyCode::Enter);
        assert_eq!(s.sprints(board).unwrap()[0].goal, "Invoices go out");
        keys(&mut app, "S");
        assert!(screen(&app).contains("Start Sprint 9 now? 1 cards, 5 points"));
        keys(&mut app, "y");
        assert_eq!(s.sprints(board).unwrap()[0].state, SprintState::Active);
        let text = screen(&app);
        assert!(text.contains("Burndown"), "{text}");
        assert!(text.contains("Day 1 of 14"), "{text}");
        assert!(text.contains("Goal: Invoices go out"), "{text}");
    });
}

/// A sprint half way through, for the screens.
fn running_sprint(f: &BoardFixture) -> (SprintId, [CardId; 3]) {
    let mut s = f.store();
    let a = add(&mut *s, "To Do", "Invoice PDFs", Some(5));
    let b = add(&mut *s, "To Do", "Reminder emails", Some(3));
    let c = add(&mut *s, "To Do", "Dunning letters", Some(2));
    let id = started(
        &mut *s,
        "Sprint 9",
        "Customers can pay by invoice",
        &[a, b, c],
    );
    f.clock.set(t(4, 10));
    move_to(&mut *s, a, "In Progress");
    move_to(&mut *s, b, "In Progress");
    f.clock.set(t(5, 15));
    move_to(&mut *s, a, "Review");
    move_to(&mut *s, a, "Done");
    f.clock.set(t(6, 12));
    (id, [a, b, c])
}

use teamloop::domain::sprint::SprintId;

#[test]
fn the_progress_view_draws_the_burndown_with_weekends_and_cards_by_column() {
    on_both(|f| {
        running_sprint(f);
        let mut app = app(f);
        keys(&mut app, "3");
        let text = screen(&app);
        let body: Vec<&str> = text.lines().skip(1).take(38).collect();
        insta::assert_snapshot!("sprint_progress", body.join("\n"));
        assert!(text.contains("Day 5 of 14 · 10 days left · committed 10 · done 5 · remaining 5"));
        assert!(text.contains("░"), "weekends are shaded");
    });
}

#[test]
fn review_carries_the_chosen_cards_and_closing_records_the_velocity() {
    on_both(|f| {
        let (id, [a, b, c]) = running_sprint(f);
        let mut app = app(f);
        keys(&mut app, "3v");
        let text = screen(&app);
        assert!(
            text.contains("Review: first the unfinished cards"),
            "{text}"
        );
        assert!(text.contains("Done: 1 cards, 5 points"), "{text}");
        // Unfinished cards in board order: c (To Do), then b (In Progress).
        // c goes back to the backlog, b carries over.
        keys(&mut app, "b");
        keys(&mut app, "c");
        assert!(screen(&app).contains("→ next sprint "));
        keys(&mut app, "C");
        assert!(screen(&app).contains("Close Sprint 9? Velocity 5 points; 1 carried over, 1 back"));
        keys(&mut app, "y");
        let s = f.store();
        let board = s.board().unwrap().id;
        let sprints = s.sprints(board).unwrap();
        assert_eq!(sprints[0].state, SprintState::Closed);
        assert_eq!(sprints[0].velocity, Some(5));
        assert_eq!(sprint_cards(&*s, sprints[1].id), vec![b]);
        let outcomes: Vec<_> = s
            .sprint_cards(id)
            .unwrap()
            .iter()
            .map(|x| (x.card.id, x.outcome))
            .collect();
        assert!(outcomes.contains(&(a, Some(Outcome::Done))));
        assert!(outcomes.contains(&(c, Some(Outcome::Returned))));
        assert!(status_line(&app).contains("Closed Sprint 9: velocity 5 of 10"));
        // The velocity view has the closed sprint.
        keys(&mut app, "v");
        let text = screen(&app);
        assert!(text.contains("Average velocity 5.0"), "{text}");
    });
}

#[test]
fn the_demo_has_three_closed_sprints_a_running_one_and_past_standups() {
    let f = fixture();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    f.clock.set(now);
    let mut s = f.store();
    let plan = teamloop::domain::demo::demo_plan(now, 1, 40).unwrap();
    s.seed_demo(&plan).unwrap();
    let board = s.board().unwrap();
    let sprints = s.sprints(board.id).unwrap();
    let states: Vec<SprintState> = sprints.iter().map(|x| x.state).collect();
    use SprintState::*;
    assert_eq!(states, vec![Closed, Closed, Closed, Active]);
    for closed in &sprints[..3] {
        assert!(closed.committed.unwrap() > 0 && closed.velocity.is_some());
        assert!(!closed.goal.is_empty());
    }
    let active = &sprints[3];
    let report = s.sprint_report(active).unwrap();
    assert!(!report.cards.is_empty());
    assert!(report.burndown.days.iter().any(|d| d.remaining.is_some()));
    assert!(
        report.cards.iter().any(|c| c.added_late),
        "scope changed mid-sprint"
    );
    let history = s.burn_history(active.id).unwrap();
    assert!(
        history.events.iter().any(|e| matches!(
            e.kind,
            teamloop::domain::sprint::BurnEventKind::Estimated { .. }
        )),
        "a card was re-estimated"
    );
    assert_eq!(s.past_standups(board.id, 10).unwrap().len(), 3);
    // Four retro actions and six of the mortems' (one of the post-mortem's
    // four is done): the standup shows them all.
    assert_eq!(
        s.action_items(&board).unwrap().len(),
        10,
        "action items not done yet"
    );
    let retros = s.retros(board.id).unwrap();
    assert_eq!(retros.len(), 2);
    let reviewed = s.retro_report(retros[0].id).unwrap().reviewed;
    assert!(
        reviewed
            .iter()
            .any(|r| r.marked == teamloop::domain::retro::ActionStatus::Done)
    );
    assert!(
        reviewed
            .iter()
            .any(|r| r.marked == teamloop::domain::retro::ActionStatus::Open)
    );
}

#[test]
fn the_demo_seeds_whatever_the_day_and_hour() {
    for day in 0..14 {
        for hour in [0, 8, 9, 23] {
            let now = Utc.with_ymd_and_hms(2026, 11, 2, hour, 30, 0).unwrap()
                + chrono::Duration::days(day);
            let clock = FixedClock::new(now);
            let mut s = store::open_in_memory(
                OpenOptions::new("ana")
                    .with_key(PersonKey::for_name("ana"))
                    .with_clock(Arc::new(clock)),
            )
            .unwrap();
            let plan = teamloop::domain::demo::demo_plan(now, 1, 40).unwrap();
            s.seed_demo(&plan)
                .unwrap_or_else(|e| panic!("demo at {now}: {e}"));
            let board = s.board().unwrap().id;
            let active = s
                .sprints(board)
                .unwrap()
                .iter()
                .filter(|x| x.state == SprintState::Active)
                .count();
            assert_eq!(active, 1, "at {now}");
        }
    }
}

#[test]
fn every_sprint_view_and_the_standup_draw_at_every_size() {
    let f = fixture();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    f.clock.set(now);
    let mut s = f.store();
    s.seed_demo(&teamloop::domain::demo::demo_plan(now, 1, 40).unwrap())
        .unwrap();
    for (w, h) in [(40, 12), (52, 14), (80, 24), (120, 40), (200, 60)] {
        let mut app = App::new(Box::new(f.store()), w, h);
        keys(&mut app, "3");
        let mut views = String::new();
        for _ in 0..4 {
            let text = common::text(&common::render(&app, w, h));
            assert!(text.contains("Goal:"), "{w}×{h}:\n{text}");
            views.push_str(&text);
            keys(&mut app, "v");
        }
        if w >= 80 {
            // Summaries wrap rather than run off the edge: said whole.
            let joined = views.split_whitespace().collect::<Vec<_>>().join(" ");
            for whole in [
                "days left",
                "never compare teams by it.",
                "(their column stays as it is)",
                "remaining",
            ] {
                assert!(joined.contains(whole), "{w}×{h}: {whole}\n{views}");
            }
        }
        keys(&mut app, "4");
        let text = common::text(&common::render(&app, w, h));
        assert!(text.contains("left of 15:00"), "{w}×{h}:\n{text}");
        keys(&mut app, "f");
        common::render(&app, w, h);
        keys(&mut app, "f");
    }
}

#[test]
fn the_burndown_follows_moves_made_in_another_terminal() {
    on_both(|f| {
        let (_, [_, b, _]) = running_sprint(f);
        let mut app = app(f);
        keys(&mut app, "3");
        assert!(screen(&app).contains("done 5 · remaining 5"));
        let mut other = f.store();
        move_to(&mut *other, b, "Review");
        move_to(&mut *other, b, "Done");
        f.notices("the app notices the moves", || app.tick());
        assert!(screen(&app).contains("done 8 · remaining 2"));
    });
}

#[test]
fn a_date_typed_wrong_is_refused_alike_by_the_commands_and_the_dialog() {
    let said = "'2026-13-01' is not a date: use YYYY-MM-DD, e.g. 2026-12-03";
    let env = Env::new();
    env.run(&["sprint", "plan", "Sprint 1", "--start", "2026-13-01"])
        .assert_fails_with(said);
    env.run(&["metrics", "--since", " 2026-13-01 "])
        .assert_fails_with(said);
    env.run(&["postmortem", "new", "Outage", "--date", "2026-13-01"])
        .assert_fails_with(said);
    on_both(|f| {
        let mut app = app(f);
        // n plans a sprint: the first day is the third field.
        keys(&mut app, "3n");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        keys(&mut app, "2026-13-01");
        press(&mut app, KeyCode::Enter);
        let text = format!("{}\n{}", screen(&app), status_line(&app));
        assert!(text.contains(said), "{text}");
    });
}
