//! A standup's whole life gives the same answers on both engines: the
//! board's settings, what is walked, who attends, notes, the parking lot,
//! impediments and the timer.

use super::*;
use crate::domain::ColumnId;
use crate::domain::sprint::NewSprint;
use crate::domain::standup::StandupFormat;
use crate::store::sql::testing::on_both;
use crate::store::sql_store::{columns, read, sprints};

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

        // The timer: saved at a pause, and the first end is kept.
        save_time(db, id, 300, false, t0 + 300_000).unwrap();
        assert_eq!(standup(db, id).unwrap().ended_at, None);
        save_time(db, id, 420, true, t0 + 420_000).unwrap();
        save_time(db, id, 480, true, t0 + 480_000).unwrap();
        assert_eq!(unfinished(db, board_id, day0()).unwrap(), None);

        let s = standup(db, id).unwrap();
        assert_eq!(s.date, day0());
        assert_eq!(s.started_at, super::super::from_ms(t0));
        assert_eq!(s.ended_at, Some(super::super::from_ms(t0 + 420_000)));
        assert_eq!(s.elapsed_seconds, 480);
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
