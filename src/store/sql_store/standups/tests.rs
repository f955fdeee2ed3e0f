//! A standup's whole life gives the same answers on both engines: the
//! board's settings, what is walked, who attends, notes, the parking lot,
//! impediments and the timer; and one standup followed from two terminals,
//! whose steps are checked where they are written.

use super::*;
use crate::domain::ColumnId;
use crate::domain::sprint::NewSprint;
use chrono::Duration;

use crate::domain::standup::StandupFormat;
use crate::store::sql::testing::on_both;
use crate::store::sql_store::{columns, read, sprints, write};

const DAY_MS: i64 = 86_400_000;

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 3, 4).unwrap()
}

fn card(
    db: &dyn Db,
    column: ColumnId,
    title: &str,
    who: Option<&str>,
    tags: &[&str],
    now: i64,
) -> CardId {
    let new = NewCard {
        assignee: who.map(str::to_string),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ..NewCard::titled(title)
    };
    add_card(db, column, &new, None, now, "ana").unwrap().card
}

fn notes(name: &str, yesterday: &str, today: &str) -> SpeakerNotes {
    SpeakerNotes {
        name: name.into(),
        yesterday: yesterday.into(),
        today: today.into(),
        blockers: String::new(),
    }
}

#[test]
fn a_standup_is_run_and_recorded_alike_on_both_engines() {
    on_both(|db| {
        let board_id = columns::create_board(db, "Team board", 1_000).unwrap();
        let board = read::board(db).unwrap();
        let (todo, doing, done) = (
            board.columns[1].id,
            board.columns[2].id,
            board.columns[4].id,
        );

        // The board's settings.
        assert_eq!(settings(db, board_id).unwrap(), StandupSettings::default());
        let mine = StandupSettings {
            format: StandupFormat::RoundRobin,
            minutes: 10,
            turn_seconds: Some(60),
        };
        set_settings(db, board_id, mine).unwrap();
        assert_eq!(settings(db, board_id).unwrap(), mine);
        let zero = StandupSettings { minutes: 0, ..mine };
        assert!(set_settings(db, board_id, zero).is_err());
        assert!(matches!(
            settings(db, BoardId(board_id.0 + 1)),
            Err(StoreError::NotFound(_))
        ));

        // What is walked: the active columns, or a sprint's cards not done.
        let login = card(db, doing, "Login", Some("Émile"), &[], 2_000);
        let docs = card(db, todo, "Docs", Some("ana"), &[], 3_000);
        let act = card(db, todo, "Fix the build", None, &[ACTION_TAG], 4_000);
        card(db, done, "Old action", None, &[ACTION_TAG], 4_500);
        card(db, doing, "Later", Some("ben"), &[], 5_000);
        let walked = walk_cards(db, &board, None).unwrap();
        let titles: Vec<&str> = walked.iter().map(|w| w.card.title.as_str()).collect();
        assert_eq!(titles, ["Login", "Later"], "active columns, in board order");
        assert_eq!(walked[0].column, "In Progress");
        assert_eq!(walked[0].column_index, 2);
        assert_eq!(walked[0].started, Some(super::super::from_ms(2_000)));
        assert_eq!(walked[0].blocked_reason, None);
        let new = NewSprint {
            name: "Sprint 1".into(),
            goal: "Ship".into(),
            start: day0(),
            days: 10,
            capacity: None,
        };
        let sprint = sprints::create_sprint(db, board_id, &new, 6_000).unwrap();
        for c in [login, docs] {
            sprints::add_to_sprint(db, sprint, c, 6_001, "ana").unwrap();
        }
        let walked = walk_cards(db, &board, Some(sprint)).unwrap();
        let ids: Vec<CardId> = walked.iter().map(|w| w.card.id).collect();
        assert_eq!(ids, [docs, login]);
        assert_eq!(walked[0].started, None, "never in an active column");
        let actions = action_items(db, &board).unwrap();
        assert_eq!(actions.len(), 1, "live and not done");
        assert_eq!(
            (actions[0].card, actions[0].column.as_str()),
            (act, "To Do")
        );

        // A standup begins; today's is unfinished until it ends.
        let t0 = 10 * DAY_MS;
        let standup_new = NewStandup {
            format: StandupFormat::WalkTheBoard,
            sprint: Some(sprint),
            attendees: vec!["ana".into(), "ben".into(), "ana".into()],
        };
        let id = begin(db, board_id, &standup_new, day0(), t0, "ana").unwrap();
        assert_eq!(unfinished(db, board_id, day0()).unwrap(), Some(id));
        assert_eq!(
            unfinished(db, board_id, day0().succ_opt().unwrap()).unwrap(),
            None
        );
        save_notes(db, id, &notes("ana", "reviews", "login")).unwrap();
        save_notes(db, id, &notes("ben", "", "")).unwrap();
        save_notes(db, id, &notes("dev", "tests", "")).unwrap();
        let long = "x".repeat(MAX_NOTE + 1);
        assert!(save_notes(db, id, &notes("ana", &long, "")).is_err());
        // Notes of people still listed stay; those taken off go.
        set_attendees(db, id, &["dev".into(), "chloe".into(), "ana".into()]).unwrap();
        save_notes(db, id, &notes("ana", "reviews", "login, then docs")).unwrap();
        assert!(matches!(
            set_attendees(db, StandupId(id.0 + 100), &[]),
            Err(StoreError::NotFound(_))
        ));

        // The parking lot and impediments, one way or the other.
        park(db, id, "  release dates  ", t0 + 60_000).unwrap();
        assert!(park(db, id, "   ", t0 + 60_001).is_err());
        let blocked = raise(
            db,
            id,
            &Impediment::Block {
                card: login,
                reason: "waiting on design".into(),
            },
            t0 + 120_000,
            "ben",
        )
        .unwrap();
        assert_eq!(blocked, login);
        let new_card = raise(
            db,
            id,
            &Impediment::NewCard {
                title: "Staging is down".into(),
                column: todo,
            },
            t0 + 180_000,
            "ben",
        )
        .unwrap();
        let elsewhere = raise(
            db,
            id,
            &Impediment::NewCard {
                title: "Nowhere".into(),
                column: ColumnId(todo.0 + 1_000),
            },
            t0 + 180_001,
            "ben",
        )
        .unwrap_err();
        assert!(
            matches!(elsewhere, StoreError::NotFound(_)),
            "{elsewhere:?}"
        );
        let c = read::card(db, new_card).unwrap();
        assert_eq!(
            (c.title.as_str(), c.tags.as_slice()),
            ("Staging is down", &[IMPEDIMENT_TAG.to_string()][..])
        );
        assert_eq!(
            read::card(db, login).unwrap().blocked.as_deref(),
            Some("waiting on design")
        );
        let walked = walk_cards(db, &board, None).unwrap();
        assert_eq!(
            walked[0].blocked_reason.as_deref(),
            Some("waiting on design")
        );

        // The timer: paused, run again and ended by the facilitator; the
        // record keeps how long it ran, and an end is not ended twice.
        set_running(db, id, false, t0 + 300_000, "ana").unwrap();
        assert_eq!(standup(db, id).unwrap().ended_at, None);
        set_running(db, id, true, t0 + 400_000, "ana").unwrap();
        end(db, id, t0 + 520_000, "ana").unwrap();
        assert!(end(db, id, t0 + 580_000, "ana").is_err());
        assert_eq!(unfinished(db, board_id, day0()).unwrap(), None);

        let s = standup(db, id).unwrap();
        assert_eq!(s.date, day0());
        assert_eq!(s.started_at, super::super::from_ms(t0));
        assert_eq!(s.ended_at, Some(super::super::from_ms(t0 + 520_000)));
        assert_eq!(s.elapsed_seconds(), 420, "the pause is not counted");
        assert_eq!(
            (s.format, s.facilitator.as_str()),
            (StandupFormat::WalkTheBoard, "ana")
        );
        assert_eq!(s.sprint, Some(sprint));
        assert_eq!(s.attendees, ["dev", "chloe", "ana"], "in speaking order");
        assert_eq!(
            s.notes,
            [
                notes("dev", "tests", ""),
                notes("ana", "reviews", "login, then docs")
            ],
            "notes kept, empty ones left out"
        );
        let items: Vec<(ItemKind, &str, Option<CardId>)> = s
            .items
            .iter()
            .map(|i| (i.kind, i.text.as_str(), i.card))
            .collect();
        assert_eq!(
            items,
            [
                (ItemKind::Parking, "release dates", None),
                (ItemKind::Impediment, "waiting on design", Some(login)),
                (ItemKind::Impediment, "Staging is down", Some(new_card)),
            ]
        );
        assert!(matches!(
            standup(db, StandupId(id.0 + 100)),
            Err(StoreError::NotFound(_))
        ));

        // The next day's standup; the latest first.
        let day1 = day0().succ_opt().unwrap();
        let next = NewStandup {
            format: StandupFormat::RoundRobin,
            sprint: None,
            attendees: vec!["Ben".into(), "eve".into()],
        };
        let id2 = begin(db, board_id, &next, day1, t0 + DAY_MS, "ben").unwrap();
        let past_ids: Vec<StandupId> = past(db, board_id, 10)
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(past_ids, [id2, id]);
        assert_eq!(past(db, board_id, 1).unwrap().len(), 1);
        // Who is likely to attend: the assignees of what is walked and the
        // last standup's attendees, once each whatever their case.
        assert_eq!(people(db, &board, None).unwrap(), ["ben", "eve", "Émile"]);
        assert_eq!(
            people(db, &board, Some(sprint)).unwrap(),
            ["ana", "Ben", "eve", "Émile"]
        );
    });
}

fn refused<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(e) => assert!(e.to_string().contains(says), "{e} (wanted: {says})"),
        Ok(v) => panic!("allowed ({v:?}), wanted a refusal: {says}"),
    }
}

/// Which card has the turn, as any terminal works it out from the board.
fn walked(db: &dyn Db, s: &Standup) -> Option<CardId> {
    let board = read::board(db).unwrap();
    let walk = walk_order(walk_cards(db, &board, s.sprint).unwrap());
    walk.get(walk_turn(&walk, s.walk_card, s.turn as usize))
        .map(|w| w.card.id)
}

#[test]
fn one_standup_is_followed_from_two_terminals_alike_on_both_engines() {
    on_both(|db| {
        let board_id = columns::create_board(db, "Team board", 1_000).unwrap();
        let board = read::board(db).unwrap();
        let (doing, review, done) = (
            board.columns[2].id,
            board.columns[3].id,
            board.columns[4].id,
        );
        let login = card(db, doing, "Login", Some("ana"), &[], 2_000);
        let docs = card(db, review, "Docs", Some("ben"), &[], 3_000);
        let at = |ms: i64| super::super::from_ms(ms);
        let fifteen = Duration::minutes(15);

        // Ana begins the standup at t0: it runs from that instant, walking
        // the board from the right (Docs, in Review).
        let t0 = 10 * DAY_MS;
        let new = NewStandup {
            format: StandupFormat::WalkTheBoard,
            sprint: None,
            attendees: vec!["ana".into(), "ben".into()],
        };
        let id = begin(db, board_id, &new, day0(), t0, "ana").unwrap();

        // A minute later Ben's terminal reads the same standup: running
        // for a minute, Docs being walked, facilitated by Ana.
        let ben_sees = standup(db, id).unwrap();
        assert!(ben_sees.running());
        assert_eq!(ben_sees.facilitator, "ana");
        assert_eq!(
            ben_sees.timer(fifteen).elapsed(at(t0 + 60_000)),
            Duration::minutes(1)
        );
        assert_eq!(walked(db, &ben_sees), Some(docs));
        // He cannot begin a second one today, nor pause or end Ana's.
        refused(
            begin(db, board_id, &new, day0(), t0 + 60_000, "ben"),
            "ana has started today's standup already",
        );
        refused(
            set_running(db, id, false, t0 + 60_000, "ben"),
            "ana is facilitating",
        );
        refused(end(db, id, t0 + 60_000, "ben"), "ana is facilitating");

        // Both press "next" from the step they saw: it moves once.
        let from = ben_sees.step;
        assert!(step_turn(db, id, from, 1, t0 + 90_000).unwrap(), "Ana's");
        assert!(
            !step_turn(db, id, from, 1, t0 + 90_001).unwrap(),
            "Ben's, from the same step, is refused"
        );
        let s = standup(db, id).unwrap();
        assert_eq!(s.step, from + 1);
        assert_eq!(walked(db, &s), Some(login), "one card on, not two");
        assert_eq!(
            s.turn_timer(Duration::zero()).elapsed(at(t0 + 100_000)),
            Duration::seconds(10)
        );
        // At the end of the walk it stays where it is.
        assert!(step_turn(db, id, s.step, 1, t0 + 95_000).unwrap());
        assert_eq!(standup(db, id).unwrap().step, s.step, "nothing to move");

        // Ben finishes Docs meanwhile: the walk shrinks, the turn stays on
        // the card being walked.
        write::move_card(db, docs, done, None, t0 + 100_000, "ben").unwrap();
        assert_eq!(walked(db, &standup(db, id).unwrap()), Some(login));

        // Ana pauses two minutes in: every terminal reads the same two
        // minutes, however late it looks.
        set_running(db, id, false, t0 + 120_000, "ana").unwrap();
        let paused = standup(db, id).unwrap();
        assert!(!paused.running());
        assert_eq!(
            paused.timer(fifteen).elapsed(at(t0 + 999_000)),
            Duration::minutes(2)
        );
        set_running(db, id, false, t0 + 130_000, "ana").unwrap();
        assert_eq!(standup(db, id).unwrap().elapsed_ms, 120_000, "paused once");

        // She switches to round robin: Ana speaks first; a switch from a
        // step already left is refused. The board's setting follows.
        assert!(
            set_format(
                db,
                id,
                StandupFormat::RoundRobin,
                paused.step,
                t0 + 130_000,
                "ana"
            )
            .unwrap()
        );
        assert!(
            !set_format(
                db,
                id,
                StandupFormat::WalkTheBoard,
                paused.step,
                t0 + 130_001,
                "ana"
            )
            .unwrap()
        );
        refused(
            set_format(
                db,
                id,
                StandupFormat::WalkTheBoard,
                paused.step + 1,
                t0 + 130_002,
                "ben",
            ),
            "ana is facilitating",
        );
        assert_eq!(
            settings(db, board_id).unwrap().format,
            StandupFormat::RoundRobin
        );
        let s = standup(db, id).unwrap();
        assert_eq!(
            (s.format, s.turn, s.walk_card),
            (StandupFormat::RoundRobin, 0, None)
        );

        // Anyone joins: Chloe, last; once.
        assert_eq!(join(db, id, " chloe ").unwrap(), "chloe");
        refused(join(db, id, "Chloe"), "chloe is on the list already");
        assert!(step_turn(db, id, s.step, 1, t0 + 131_000).unwrap());
        let s = standup(db, id).unwrap();
        assert_eq!(
            (s.attendees.as_slice(), s.turn),
            (&["ana".to_string(), "ben".into(), "chloe".into()][..], 1)
        );

        // Ben leaves on his turn: it passes to Chloe, as a step, so a
        // "next" pressed from before is refused rather than skip her.
        leave(db, id, "ben", t0 + 132_000).unwrap();
        let s2 = standup(db, id).unwrap();
        assert_eq!(s2.attendees, ["ana", "chloe"]);
        assert_eq!((s2.turn, s2.step), (1, s.step + 1));
        assert!(!step_turn(db, id, s.step, 1, t0 + 132_001).unwrap());
        refused(leave(db, id, "ben", t0 + 132_002), "ben is not on the list");
        // Someone before the speaker leaves: the turn stays with Chloe.
        join(db, id, "dev").unwrap();
        leave(db, id, "ana", t0 + 133_000).unwrap();
        let s3 = standup(db, id).unwrap();
        assert_eq!(
            (s3.attendees.as_slice(), s3.turn),
            (&["chloe".to_string(), "dev".into()][..], 0)
        );
        assert_eq!(
            s3.step, s2.step,
            "not a step: the turn did not change hands"
        );

        // Only the facilitator shuffles; the order is the same people.
        refused(
            shuffle_speakers(db, id, s3.step, t0 + 134_000, "ben"),
            "ana is facilitating",
        );
        assert!(shuffle_speakers(db, id, s3.step, t0 + 134_000, "ana").unwrap());
        let mut order = standup(db, id).unwrap().attendees;
        order.sort();
        assert_eq!(order, ["chloe", "dev"]);

        // Ana runs it again for a minute and ends it: the record says what
        // happened, round robin, three minutes, who was there at the end.
        set_running(db, id, true, t0 + 200_000, "ana").unwrap();
        end(db, id, t0 + 260_000, "ana").unwrap();
        let record = standup(db, id).unwrap();
        assert_eq!(record.ended_at, Some(at(t0 + 260_000)));
        assert_eq!(record.elapsed_seconds(), 180);
        assert_eq!(record.format, StandupFormat::RoundRobin);
        assert_eq!(record.facilitator, "ana");
        assert!(!record.running());
        assert_eq!(
            record.timer(fifteen).elapsed(at(t0 + 999_000)),
            Duration::minutes(3)
        );
        refused(step_turn(db, id, record.step, 1, t0 + 261_000), "has ended");
        refused(join(db, id, "eve"), "has ended");
        // Another may begin the same day once it has ended.
        let again = begin(db, board_id, &new, day0(), t0 + 300_000, "ben").unwrap();
        assert_eq!(unfinished(db, board_id, day0()).unwrap(), Some(again));
    });
}

#[test]
fn standups_each_terminal_began_on_one_day_become_one_under_way() {
    // A file of schema 6, where Ana and Ben each began their own standup
    // on 4 March (each terminal had its own) and one of 3 March was never
    // ended.
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    crate::store::open::register_functions(&conn).unwrap();
    crate::store::open::migrate_to(&mut conn, 6).unwrap();
    conn.execute_batch(
        "INSERT INTO boards (id, name, created_at) VALUES (1, 'Team board', 0);
         INSERT INTO standups (id, board_id, day, started_at, elapsed_seconds, format, facilitator)
         VALUES (1, 1, '2030-03-03', 1000, 60, 'walk-the-board', 'ana'),
                (2, 1, '2030-03-04', 2000, 300, 'walk-the-board', 'ana'),
                (3, 1, '2030-03-04', 3000, 120, 'round-robin', 'ben');
         INSERT INTO standup_attendees (standup_id, name, position) VALUES (2, 'ana', 0), (3, 'ben', 0);",
    )
    .unwrap();
    crate::store::open::migrate_to(&mut conn, crate::store::schema_version()).unwrap();
    let db: &dyn Db = &conn;
    let board = BoardId(1);
    assert_eq!(
        unfinished(db, board, day0()).unwrap(),
        Some(StandupId(3)),
        "the latest"
    );
    let ana = standup(db, StandupId(2)).unwrap();
    assert_eq!(
        ana.ended_at,
        Some(super::super::from_ms(2000 + 300_000)),
        "ended with its time"
    );
    assert_eq!(
        (ana.elapsed_seconds(), ana.attendees.as_slice()),
        (300, &["ana".to_string()][..])
    );
    let ben = standup(db, StandupId(3)).unwrap();
    assert_eq!(
        (ben.elapsed_ms, ben.running(), ben.step),
        (120_000, false, 0)
    );
    assert_eq!(
        unfinished(db, board, day0().pred_opt().unwrap()).unwrap(),
        Some(StandupId(1)),
        "another day's is left as it was"
    );
    // One under way a day, whatever writes the file.
    let second = db.execute(
        "INSERT INTO standups (board_id, day, started_at, format, facilitator)
         VALUES (1, '2030-03-04', 4000, 'round-robin', 'chloe')",
        &[],
    );
    assert!(matches!(second, Err(StoreError::Unique(_))), "{second:?}");
}
