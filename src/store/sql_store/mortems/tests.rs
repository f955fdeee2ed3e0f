//! Pre- and post-mortems give the same answers on both engines: the
//! writing, the search, the hidden reasons and their numbers.

use super::*;
use crate::store::PersonKey;
use crate::store::mortems::MyReason;
use crate::store::sql::testing::on_both;
use crate::store::sql_store::retros::tests::in_tx;
use crate::store::sql_store::{columns, read};

fn refused<T: std::fmt::Debug>(r: Result<T>, says: &str) {
    match r {
        Err(e) => assert!(e.to_string().contains(says), "{e} (wanted: {says})"),
        Ok(v) => panic!("allowed ({v:?}), wanted a refusal: {says}"),
    }
}

fn action(text: &str, kind: Option<ActionType>, priority: Priority) -> NewAction {
    NewAction {
        text: text.into(),
        kind,
        owner: None,
        due: None,
        priority,
        risk: None,
    }
}

fn found(db: &dyn Db, board: BoardId, search: &str) -> Vec<MortemId> {
    list(db, board, search)
        .unwrap()
        .iter()
        .map(|l| l.mortem.id)
        .collect()
}

#[test]
fn a_postmortem_is_written_and_found_alike_on_both_engines() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let incident = day("2026-02-10");
        let post = in_tx(db, |tx| {
            new_postmortem(tx, board, "Database outage", incident, 2_000, "ana")
        })
        .unwrap();
        in_tx(db, |tx| {
            set_field(tx, post, Field::Authors, "Ana, Émile", 2_100)
        })
        .unwrap();
        refused(
            in_tx(db, |tx| {
                set_field(tx, post, Field::Date, "2026-02-30", 2_101)
            }),
            "is not a date",
        );
        let summary = "Émile's query LOCKED the orders table";
        in_tx(db, |tx| {
            set_section(tx, post, "summary", summary, None, 2_200)
        })
        .unwrap();
        refused(
            in_tx(db, |tx| {
                set_section(tx, post, "summary", "mine", Some("older"), 2_201)
            }),
            "someone saved this section",
        );
        refused(
            in_tx(db, |tx| set_section(tx, post, "nope", "x", None, 2_202)),
            "'nope' is not a section",
        );
        in_tx(db, |tx| {
            set_section(tx, post, "impact", "Checkout down", None, 2_203)
        })
        .unwrap();
        in_tx(db, |tx| {
            set_section(tx, post, "impact", "  ", Some("Checkout down"), 2_204)
        })
        .unwrap();

        let paged = in_tx(db, |tx| {
            add_timeline(tx, post, from_ms(600_000), "Paged the on-call", 2_300)
        })
        .unwrap();
        let alert = in_tx(db, |tx| {
            add_timeline(tx, post, from_ms(300_000), "Alert fired", 2_301)
        })
        .unwrap();
        let noise = in_tx(db, |tx| add_timeline(tx, post, from_ms(1), "noise", 2_302)).unwrap();
        assert!(paged != alert && alert != noise);
        in_tx(db, |tx| {
            edit_timeline(
                tx,
                post,
                alert,
                Some((from_ms(300_001), "Alert fired late")),
                2_303,
            )
        })
        .unwrap();
        in_tx(db, |tx| edit_timeline(tx, post, noise, None, 2_304)).unwrap();
        refused(
            in_tx(db, |tx| edit_timeline(tx, post, noise, None, 2_305)),
            "no timeline entry",
        );

        let lock = NewAction {
            owner: Some("Émile".into()),
            due: Some(day("2026-02-20")),
            ..action(
                "Add a lock timeout",
                Some(ActionType::Prevent),
                Priority::High,
            )
        };
        let lock = in_tx(db, |tx| add_action(tx, board, post, &lock, 2_400, "ana")).unwrap();
        let runbook = action("Write a runbook", None, Priority::Low);
        in_tx(db, |tx| add_action(tx, board, post, &runbook, 2_401, "ana")).unwrap();
        let at_risk = NewAction {
            risk: Some(1),
            ..action("x", None, Priority::Low)
        };
        refused(
            in_tx(db, |tx| add_action(tx, board, post, &at_risk, 2_402, "ana")),
            "only a pre-mortem's mitigations",
        );
        in_tx(db, |tx| set_status(tx, post, Status::Final, 2_500)).unwrap();

        let rep = report(db, post).unwrap();
        assert_eq!(rep.mortem.authors, "Ana, Émile");
        assert_eq!(rep.mortem.status, Status::Final);
        assert_eq!(rep.mortem.date, incident);
        assert_eq!(rep.mortem.stage, None);
        assert_eq!(
            rep.mortem.sections.keys().collect::<Vec<_>>(),
            ["summary"],
            "an emptied section is gone"
        );
        assert_eq!(
            rep.timeline
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["Alert fired late", "Paged the on-call"],
            "oldest first"
        );
        let actions: Vec<_> = rep
            .actions
            .iter()
            .map(|a| (a.card, a.kind, a.priority, a.due, a.state))
            .collect();
        assert_eq!(
            actions[0],
            (
                lock,
                Some(ActionType::Prevent),
                Priority::High,
                Some(day("2026-02-20")),
                CardState::Open
            ),
            "high priority first"
        );
        assert_eq!(rep.actions[1].priority, Priority::Low);
        assert_eq!(rep.actions[0].owner.as_deref(), Some("Émile"));
        assert_eq!(rep.actions[0].column, "Backlog");

        // The search folds case in titles, authors, sections, timeline and
        // action cards.
        assert_eq!(found(db, board, ""), [post]);
        assert_eq!(found(db, board, "OUTAGE"), [post]);
        assert_eq!(found(db, board, "émile"), [post]);
        assert_eq!(found(db, board, "locked the ORDERS"), [post]);
        assert_eq!(found(db, board, "alert FIRED"), [post]);
        assert_eq!(found(db, board, "RUNBOOK"), [post]);
        assert!(found(db, board, "noise").is_empty(), "a deleted entry");
        assert!(found(db, board, "100%").is_empty());
        let listed = list(db, board, "").unwrap();
        assert_eq!((listed[0].actions, listed[0].open_actions), (2, 2));
        let cols = read::board(db).unwrap().columns;
        let done = cols.iter().find(|c| c.name == "Done").unwrap().id;
        write::move_card(db, lock, done, None, 2_600, "ben").unwrap();
        let listed = list(db, board, "").unwrap();
        assert_eq!((listed[0].actions, listed[0].open_actions), (2, 1));

        assert_eq!(team_names(db, board).unwrap(), ["ana", "ben", "Émile"]);
    });
}

#[test]
fn a_premortem_runs_alike_on_both_engines() {
    on_both(|db| {
        let board = columns::create_board(db, "Team board", 1_000).unwrap();
        let backlog = read::board(db).unwrap().columns[0].id;
        let launch = write::add_card(
            db,
            backlog,
            &NewCard::titled("Launch v2"),
            None,
            1_500,
            "ben",
        )
        .unwrap()
        .card;
        let today = day("2026-03-02");
        let (ana, ben, cy) = (
            PersonKey::random(),
            PersonKey::random(),
            PersonKey::random(),
        );
        refused(
            in_tx(db, |tx| {
                new_premortem(tx, board, "x", Some(CardId(999_999)), today, 1_900, "fac")
            }),
            "no card",
        );
        let pre = in_tx(db, |tx| {
            new_premortem(
                tx,
                board,
                "Launch v2 fails",
                Some(launch),
                today,
                2_000,
                "fac",
            )
        })
        .unwrap();
        let m = report(db, pre).unwrap().mortem;
        assert_eq!((m.kind, m.subject.as_str()), (MortemKind::Pre, "Launch v2"));
        assert_eq!((m.card, m.stage), (Some(launch), Some(Stage::Writing)));
        refused(
            in_tx(db, |tx| set_status(tx, pre, Status::Final, 2_001)),
            "is a pre-mortem, not a post-mortem",
        );

        // Hidden reasons: each writer finds, rates and takes back their own.
        let add = |text: &str, hidden, who: &str, key: &PersonKey| {
            in_tx(db, |tx| add_reason(tx, pre, text, hidden, 2_100, who, key))
        };
        let api = add("The API is not ready", true, "ana", &ana).unwrap();
        let safari = add("Nobody tested on Safari", true, "ben", &ben).unwrap();
        let temp = add("temp", true, "ben", &ben).unwrap();
        assert_eq!(
            my_reasons(db, pre, &ana).unwrap(),
            [MyReason {
                card: api.card,
                risk: api.risk,
                text: "The API is not ready".into()
            }]
        );
        let rate_as =
            |risk, l, i, key: &PersonKey| in_tx(db, |tx| rate(tx, pre, risk, l, i, 2_200, key));
        refused(rate_as(api.risk, Some(4), None, &ben), "only its writer");
        rate_as(api.risk, Some(4), Some(5), &ana).unwrap();
        refused(
            in_tx(db, |tx| take_back_reason(tx, pre, api.card, "ben", &ben)),
            "not one of yours",
        );
        in_tx(db, |tx| take_back_reason(tx, pre, temp.card, "ben", &ben)).unwrap();
        let rep = report(db, pre).unwrap();
        assert_eq!((rep.reasons, rep.risks.len()), (2, 0), "hidden");
        let updated: i64 = db
            .one(
                "SELECT updated_at FROM mortems WHERE id = ?1",
                params![pre.0],
            )
            .unwrap();
        assert_eq!(updated, 2_000, "a hidden write leaves no time");

        // Revealed and numbered, read from R1.
        refused(
            in_tx(db, |tx| advance(tx, pre, Stage::Reading, 3_000, "fac")),
            "at writing already",
        );
        in_tx(db, |tx| advance(tx, pre, Stage::Writing, 3_000, "fac")).unwrap();
        let rep = report(db, pre).unwrap();
        assert_eq!(rep.mortem.stage, Some(Stage::Reading));
        let mut numbers: Vec<u32> = rep.risks.iter().map(|r| r.number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, [1, 2]);
        let r1 = rep.risks.iter().find(|r| r.number == 1).unwrap().id;
        assert_eq!(
            r1,
            api.risk.min(safari.risk),
            "numbered in the order of ids"
        );
        assert_eq!(rep.reading, Some(r1));
        let rated = rep.risks.iter().find(|r| r.id == api.risk).unwrap();
        assert_eq!((rated.likelihood, rated.impact), (Some(4), Some(5)));
        assert!(my_reasons(db, pre, &ana).unwrap().is_empty());

        refused(add("late", true, "cy", &cy), "revealed while you wrote");
        let support = add("Support is not briefed", false, "cy", &cy).unwrap();
        in_tx(db, |tx| read_reason(tx, pre, support.risk, 3_100, "fac")).unwrap();
        refused(
            in_tx(db, |tx| read_reason(tx, pre, 12_345, 3_101, "fac")),
            "no reason 12345",
        );
        let anyone = PersonKey::random();
        rate_as(safari.risk, None, Some(2), &anyone).unwrap();
        rate_as(safari.risk, Some(3), None, &anyone).unwrap();
        refused(
            rate_as(safari.risk, Some(6), None, &anyone),
            "likelihood is 1 to 5",
        );
        let brief = NewAction {
            text: "Brief support".into(),
            kind: Some(ActionType::Detect),
            owner: None,
            due: None,
            priority: Priority::Medium,
            risk: Some(support.risk),
        };
        in_tx(db, |tx| add_action(tx, board, pre, &brief, 3_200, "fac")).unwrap();

        let rep = report(db, pre).unwrap();
        assert_eq!(rep.reading, Some(support.risk));
        assert_eq!(
            rep.risks
                .iter()
                .map(|r| (r.id, r.number, r.likelihood, r.impact))
                .collect::<Vec<_>>(),
            [
                (api.risk, rep.risks[0].number, Some(4), Some(5)),
                (safari.risk, rep.risks[1].number, Some(3), Some(2)),
                (support.risk, 3, None, None)
            ],
            "most serious first; a rating keeps what it is not given"
        );
        assert_eq!(rep.actions[0].kind, None, "a mitigation has no type");
        assert_eq!(rep.actions[0].risk, Some(support.risk));
        assert_eq!(
            found(db, board, "SAFARI"),
            [pre],
            "revealed reasons are searched"
        );

        in_tx(db, |tx| advance(tx, pre, Stage::Reading, 4_000, "fac")).unwrap();
        let rep = report(db, pre).unwrap();
        assert_eq!((rep.mortem.stage, rep.reading), (Some(Stage::Closed), None));
        refused(
            in_tx(db, |tx| advance(tx, pre, Stage::Closed, 4_001, "fac")),
            "is closed",
        );
    });
}
