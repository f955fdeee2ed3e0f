//! Pre- and post-mortems, on both engines: the timeline kept in order,
//! action items that are cards and show the cards' live status, a
//! pre-mortem's hidden reasons through the retro's gather mechanism, and the
//! editors on the screen; the Markdown export's exact form, and, on real
//! temporary SQLite files, what the file's tables hold and the command line.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use teamloop::domain::CardId;
use teamloop::domain::mortem::{
    ActionType, CardState, Mortem, MortemAction, MortemId, MortemKind, MortemReport, NewAction,
    PostmortemTemplate, PremortemTemplate, Priority, Risk, Stage, Status, TimelineEntry, export,
};
use teamloop::domain::retro::RetroId;
use teamloop::store::Store;
use teamloop::store::mortems::{Field, NewReason};
use teamloop::ui::App;

mod common;

use common::cli::Env;
use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, press, screen, status_line};

/// Tuesday 24 November 2026, 14:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap()
}

/// Runs a story on a board made at `t0` on each engine.
fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
}

fn action(text: &str, kind: ActionType, owner: &str) -> NewAction {
    NewAction {
        text: text.into(),
        kind: Some(kind),
        owner: Some(owner.into()),
        due: NaiveDate::from_ymd_opt(2026, 12, 8),
        priority: Priority::High,
        risk: None,
    }
}

/// A reason written while the reasons are hidden.
fn hidden(text: &str) -> NewReason {
    NewReason {
        text: text.into(),
        hidden: true,
        likelihood: None,
        impact: None,
    }
}

/// A reason said out loud once they are revealed.
fn in_the_open(text: &str) -> NewReason {
    NewReason {
        hidden: false,
        ..hidden(text)
    }
}

fn post(s: &mut dyn Store, title: &str) -> MortemId {
    let board = s.board().unwrap().id;
    s.new_postmortem(board, title, None).unwrap()
}

#[test]
fn the_timeline_is_kept_in_order_whatever_order_it_is_written_in() {
    on_both(|f| {
        let mut s = f.store();
        let id = post(&mut *s, "Queue backlog");
        s.add_timeline(id, at(14, 40), "queue drains").unwrap();
        s.add_timeline(id, at(13, 5), "consumer deploy").unwrap();
        let late = s.add_timeline(id, at(14, 0), "alert fires").unwrap();
        let order = |s: &dyn Store| -> Vec<String> {
            s.mortem_report(id)
                .unwrap()
                .timeline
                .into_iter()
                .map(|e| format!("{} {}", e.at.format("%H:%M"), e.text))
                .collect()
        };
        assert_eq!(
            order(&*s),
            [
                "13:05 consumer deploy",
                "14:00 alert fires",
                "14:40 queue drains"
            ]
        );
        // Correcting a time moves the entry.
        s.edit_timeline(id, late, at(13, 30), "alert fires")
            .unwrap();
        assert_eq!(order(&*s)[1], "13:30 alert fires");
        s.delete_timeline(id, late).unwrap();
        assert_eq!(order(&*s).len(), 2);
        assert!(s.add_timeline(id, at(15, 0), "   ").is_err());
        // An entry of one post-mortem is not another's to change.
        let other = post(&mut *s, "Other");
        assert!(s.delete_timeline(other, late).is_err());
    });
}

#[test]
fn action_items_are_cards_and_show_what_happens_to_them_on_the_board() {
    on_both(|f| {
        let mut s = f.store();
        let id = post(&mut *s, "Checkout errors");
        let card = s
            .add_mortem_action(id, action("Canary stage", ActionType::Prevent, "ben"))
            .unwrap();
        let dropped = s
            .add_mortem_action(id, action("Rewrite it all", ActionType::Mitigate, "eli"))
            .unwrap();
        // The card: on the board's first column, owned, tagged with the post-mortem.
        let c = s.card(card).unwrap();
        let board = s.board().unwrap();
        assert_eq!(c.column, board.columns[0].id);
        assert_eq!(c.assignee.as_deref(), Some("ben"));
        assert!(c.tags.contains(&"action".to_string()), "{:?}", c.tags);
        assert!(
            c.tags.contains(&format!("postmortem-{}", id.0)),
            "{:?}",
            c.tags
        );
        assert!(
            c.description
                .contains("prevent action item (high priority)")
        );
        assert!(c.description.contains("Due 2026-12-08"));
        let r = s.mortem_report(id).unwrap();
        assert_eq!(r.actions.len(), 2);
        assert!(r.actions.iter().all(|a| a.state == CardState::Open));
        assert_eq!(r.actions[0].kind, Some(ActionType::Prevent));
        // Moved to done on the board, the post-mortem says so; archived, dropped.
        let done = board.columns.iter().find(|c| c.name == "Done").unwrap().id;
        s.move_card(card, done, None).unwrap();
        s.archive_card(dropped).unwrap();
        let r = s.mortem_report(id).unwrap();
        let state = |c: CardId| r.actions.iter().find(|a| a.card == c).unwrap().state;
        assert_eq!(state(card), CardState::Done);
        assert_eq!(state(dropped), CardState::Dropped);
        // The list counts what is still open.
        let listed = &s.mortems(board.id, "").unwrap()[0];
        assert_eq!((listed.actions, listed.open_actions), (2, 0));
        // An action item needs a text; a post-mortem's names no risk.
        let mut empty = action("  ", ActionType::Detect, "ben");
        assert!(s.add_mortem_action(id, empty.clone()).is_err());
        empty.text = "x".into();
        empty.risk = Some(1);
        assert!(s.add_mortem_action(id, empty).is_err());
    });
}

#[test]
fn sections_status_and_heading_are_kept_and_checked() {
    on_both(|f| {
        let mut s = f.store();
        let id = post(&mut *s, "Cert expiry");
        s.set_section(id, "summary", "The certificate expired.\n", None)
            .unwrap();
        s.set_section(id, "root_causes", "Renewal was manual.", None)
            .unwrap();
        let err = s
            .set_section(id, "blame", "x", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a section"), "{err}");
        s.set_mortem_fields(id, &[(Field::Authors, "ana, ben")])
            .unwrap();
        s.set_mortem_fields(id, &[(Field::Date, "2026-11-20")])
            .unwrap();
        assert!(
            s.set_mortem_fields(id, &[(Field::Date, "yesterday")])
                .is_err()
        );
        assert!(s.set_mortem_fields(id, &[(Field::Title, "")]).is_err());
        // All the fields or none.
        let err = s
            .set_mortem_fields(
                id,
                &[(Field::Title, "Renamed"), (Field::Date, "2026-13-01")],
            )
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a date"), "{err}");
        assert_eq!(s.mortem_report(id).unwrap().mortem.title, "Cert expiry");
        // A section saved from another terminal since the editor opened is not
        // overwritten unseen.
        let mut other = f.store();
        other
            .set_section(id, "trigger", "The renewal job failed.", Some(""))
            .unwrap();
        let err = s
            .set_section(id, "trigger", "Mine", Some(""))
            .unwrap_err()
            .to_string();
        assert!(err.contains("saved this section while you wrote"), "{err}");
        s.set_section(id, "trigger", "Both", Some("The renewal job failed."))
            .unwrap();
        s.set_mortem_status(id, Status::InReview).unwrap();
        let r = s.mortem_report(id).unwrap();
        assert_eq!(r.mortem.section("summary"), "The certificate expired.");
        assert_eq!(r.mortem.authors, "ana, ben");
        assert_eq!(
            r.mortem.date,
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        assert_eq!(r.mortem.status, Status::InReview);
        // Clearing a section removes it.
        s.set_section(id, "summary", "  ", None).unwrap();
        assert_eq!(s.mortem_report(id).unwrap().mortem.section("summary"), "");
    });
}

#[test]
fn the_list_is_searched_through_every_text() {
    on_both(|f| {
        let mut s = f.store();
        let board = s.board().unwrap().id;
        let a = post(&mut *s, "Queue backlog");
        s.add_timeline(a, at(13, 0), "Kafka consumer lag grows")
            .unwrap();
        let b = post(&mut *s, "DNS outage");
        s.set_section(b, "resolution", "Flushed the resolver cache", None)
            .unwrap();
        let pre = s.new_premortem(board, "Mobile launch", None).unwrap();
        s.add_reason(pre, hidden("Store review is slow")).unwrap();
        let e = post(&mut *s, "Échec du déploiement");
        let found = |q: &str| -> Vec<String> {
            s.mortems(board, q)
                .unwrap()
                .into_iter()
                .map(|l| l.mortem.title)
                .collect()
        };
        assert_eq!(
            found(""),
            [
                "Échec du déploiement",
                "Mobile launch",
                "DNS outage",
                "Queue backlog"
            ]
        );
        assert_eq!(found("kafka"), ["Queue backlog"]);
        assert_eq!(found("RESOLVER"), ["DNS outage"]);
        // A hidden reason is not found: the search would reveal it.
        assert!(found("store review").is_empty());
        // Case is folded in every script, not only ASCII.
        assert!(e.0 > 0);
        assert_eq!(found("échec"), ["Échec du déploiement"]);
        assert_eq!(found("DÉPLOIEMENT"), ["Échec du déploiement"]);
    });
}

#[test]
fn a_premortem_writes_hidden_reasons_with_the_retros_mechanism() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let board = ana.board().unwrap().id;
        let card = ana
            .add_card(
                ana.board().unwrap().columns[0].id,
                teamloop::domain::NewCard::titled("Payments migration"),
                None,
            )
            .unwrap()
            .card;
        let id = ana.new_premortem(board, "Payments", Some(card)).unwrap();
        let r = ana.mortem_report(id).unwrap();
        assert_eq!(r.mortem.subject, "Payments migration");
        assert_eq!(r.mortem.stage, Some(Stage::Writing));
        // The session is a retro the Retro tab never lists, and it does not
        // stop a retro from starting.
        assert!(ana.retros(board).unwrap().is_empty());
        let session: RetroId = r.mortem.session.unwrap();

        let mine = ana
            .add_reason(id, hidden("The vendor rate-limits us"))
            .unwrap();
        ben.add_reason(id, hidden("Refunds break")).unwrap();
        ben.add_reason(id, hidden("Nobody owns the rollback"))
            .unwrap();
        let r = ben.mortem_report(id).unwrap();
        assert_eq!(r.reasons, 3);
        assert!(r.risks.is_empty(), "hidden until revealed");
        // The stored cards carry no author and no time: only a claim that
        // their writer's own key makes.
        if let Some(path) = f.path() {
            let conn = rusqlite::Connection::open(path).unwrap();
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info('retro_cards')")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(
                columns,
                ["id", "retro_id", "item_id", "prompt", "text", "claim"]
            );
        }
        // Nobody else takes it back, nor sees it as theirs.
        let not_his = ben.take_back_reason(id, mine.card).unwrap_err().to_string();
        assert!(not_his.contains("not one of yours"), "{not_his}");
        assert_eq!(ben.my_reasons(id).unwrap().len(), 2);
        // Its writer finds it again after a restart, takes it back, and
        // writes it again.
        let again = f.as_user("ana");
        let found: Vec<i64> = again
            .my_reasons(id)
            .unwrap()
            .iter()
            .map(|m| m.card)
            .collect();
        assert_eq!(found, vec![mine.card]);
        ana.take_back_reason(id, mine.card).unwrap();
        assert_eq!(ben.mortem_report(id).unwrap().reasons, 2);
        ana.add_reason(id, hidden("The vendor rate-limits us"))
            .unwrap();
        // Only the facilitator reveals.
        let err = ben
            .advance_premortem(id, Stage::Writing)
            .unwrap_err()
            .to_string();
        assert!(err.contains("only the facilitator (ana)"), "{err}");
        ana.advance_premortem(id, Stage::Writing).unwrap();
        // A confirmation of the reveal seen twice closes nothing.
        let err = ana
            .advance_premortem(id, Stage::Writing)
            .unwrap_err()
            .to_string();
        assert!(err.contains("at reading already"), "{err}");
        let r = ben.mortem_report(id).unwrap();
        assert_eq!(r.mortem.stage, Some(Stage::Reading));
        assert_eq!(r.risks.len(), r.reasons as usize);
        let mut numbers: Vec<u32> = r.risks.iter().map(|x| x.number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=r.risks.len() as u32).collect::<Vec<_>>());
        // Reading starts at R1; the facilitator moves it on.
        assert_eq!(r.reading, r.numbered(1).map(|x| x.id));
        let r2 = r.numbered(2).unwrap().id;
        assert!(ben.read_reason(id, r2).is_err());
        ana.read_reason(id, r2).unwrap();
        assert_eq!(ben.mortem_report(id).unwrap().reading, Some(r2));
        // Anyone rates; ratings are 1 to 5; the most serious comes first.
        ben.rate_risk(id, r2, Some(5), Some(4)).unwrap();
        ben.rate_risk(id, r2, None, Some(5)).unwrap();
        assert!(ben.rate_risk(id, r2, Some(6), None).is_err());
        let r = ben.mortem_report(id).unwrap();
        assert_eq!(r.risks[0].id, r2);
        assert_eq!(r.risks[0].score(), Some(25));
        // A reason added now is in the open, numbered next.
        // A reason written while hidden, saved after the reveal, is refused:
        // it would stand out as the newest, and so be known by its writer.
        let err = ben
            .add_reason(id, hidden("My secret worry"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("revealed while you wrote"), "{err}");
        assert_eq!(ben.mortem_report(id).unwrap().risks.len(), 3);
        let open = ben
            .add_reason(id, in_the_open("Support is not told"))
            .unwrap();
        let r = ben.mortem_report(id).unwrap();
        assert_eq!(r.risk(open.risk).unwrap().number, 4);
        // A mitigation is a card tagged with the pre-mortem.
        let m = ben
            .add_mortem_action(
                id,
                NewAction {
                    text: "Rehearse the rollback".into(),
                    kind: None,
                    owner: Some("ben".into()),
                    due: None,
                    priority: Priority::High,
                    risk: Some(r2),
                },
            )
            .unwrap();
        let c = ben.card(m).unwrap();
        assert!(c.tags.contains(&format!("premortem-{}", id.0)));
        assert!(c.description.contains("mitigation"));
        let r = ben.mortem_report(id).unwrap();
        assert_eq!(r.mitigations(r2).count(), 1);
        // A reason of another session is not a risk here.
        let err = ben
            .rate_risk(id, 42, Some(1), None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no reason 42"), "{err}");
        // Closing keeps ratings and mitigations possible.
        ana.advance_premortem(id, Stage::Reading).unwrap();
        assert_eq!(
            ana.mortem_report(id).unwrap().mortem.stage,
            Some(Stage::Closed)
        );
        ana.rate_risk(id, open.risk, Some(2), Some(2)).unwrap();
        assert!(ana.add_reason(id, hidden("Too late")).is_err());
        // The session is the pre-mortem's: the retro commands do not reach it.
        let err = ana.reveal_cards(session).unwrap_err().to_string();
        assert!(err.contains("no retro with id"), "{err}");
        assert!(ana.retro_report(session).is_err());
    });
}

#[test]
fn a_reason_taken_back_before_the_reveal_is_gone() {
    on_both(|f| {
        let mut ana = f.store();
        let board = ana.board().unwrap().id;
        let id = ana.new_premortem(board, "Launch", None).unwrap();
        // The pre-mortem's time of change, as a file holds it (on the
        // server there is none to read: the check is the file's).
        let changed = || -> Option<i64> {
            let conn = rusqlite::Connection::open(f.path()?).unwrap();
            let at = conn.query_row(
                "SELECT updated_at FROM mortems WHERE id = ?1",
                [id.0],
                |r| r.get(0),
            );
            Some(at.unwrap())
        };
        let before = changed();
        f.clock.set(t0() + chrono::Duration::minutes(3));
        let a = ana.add_reason(id, hidden("One")).unwrap();
        // A hidden reason leaves no time behind, not even the pre-mortem's.
        assert_eq!(changed(), before);
        ana.rate_risk(id, a.risk, Some(3), None).unwrap();
        ana.add_reason(id, hidden("Two")).unwrap();
        ana.take_back_reason(id, a.card).unwrap();
        assert_eq!(ana.mortem_report(id).unwrap().reasons, 1);
        ana.advance_premortem(id, Stage::Writing).unwrap();
        let r = ana.mortem_report(id).unwrap();
        assert_eq!(r.risks.len(), 1);
        assert_eq!(r.risks[0].text, "Two");
        // Nothing is written for nobody.
        let empty = ana.new_premortem(board, "Empty", None).unwrap();
        let err = ana
            .advance_premortem(empty, Stage::Writing)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no reasons"), "{err}");
    });
}

fn sample_post() -> MortemReport {
    let mut sections = BTreeMap::new();
    sections.insert(
        "summary".to_string(),
        "Checkout failed for 47 minutes after release 3.14.".to_string(),
    );
    sections.insert(
        "impact".to_string(),
        "- 1,180 checkouts failed\n- 41 orders refunded by hand".to_string(),
    );
    sections.insert(
        "root_causes".to_string(),
        "# A migration renamed a column | still read by the tax service.".to_string(),
    );
    let t = |h, m, text: &str| TimelineEntry {
        id: 0,
        at: Utc.with_ymd_and_hms(2026, 11, 20, h, m, 0).unwrap(),
        text: text.into(),
    };
    MortemReport {
        mortem: Mortem {
            id: MortemId(3),
            kind: MortemKind::Post,
            title: "Checkout errors after 3.14".into(),
            created_at: t0(),
            created_by: "ana".into(),
            facilitator: "ana".into(),
            status: Status::Final,
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            authors: "ana, dev".into(),
            sections,
            subject: String::new(),
            card: None,
            session: None,
            stage: None,
        },
        timeline: vec![
            t(14, 2, "Deploy of 3.14 starts"),
            t(14, 9, "Alert fires | on-call paged"),
        ],
        actions: vec![
            MortemAction {
                card: CardId(12),
                text: "Refuse migrations that break readers".into(),
                kind: Some(ActionType::Prevent),
                owner: Some("dev".into()),
                due: NaiveDate::from_ymd_opt(2026, 12, 4),
                priority: Priority::High,
                column: "Backlog".into(),
                state: CardState::Open,
                risk: None,
            },
            MortemAction {
                card: CardId(13),
                text: "Alert sooner after deploys".into(),
                kind: Some(ActionType::Detect),
                owner: None,
                due: None,
                priority: Priority::Medium,
                column: "Done".into(),
                state: CardState::Done,
                risk: None,
            },
        ],
        risks: Vec::new(),
        reasons: 0,
        reading: None,
    }
}

fn sample_pre() -> MortemReport {
    let risk = |id, number, text: &str, l, i| Risk {
        id,
        number,
        text: text.into(),
        likelihood: l,
        impact: i,
    };
    let mut risks = vec![
        risk(7, 1, "Nobody owns the rollback", Some(2), Some(5)),
        risk(9, 2, "The sandbox lies", Some(4), Some(4)),
        risk(8, 3, "Fees abroad", None, None),
    ];
    teamloop::domain::mortem::rank(&mut risks);
    MortemReport {
        mortem: Mortem {
            id: MortemId(4),
            kind: MortemKind::Pre,
            title: "Payments migration".into(),
            created_at: t0(),
            created_by: "chloe".into(),
            facilitator: "chloe".into(),
            status: Status::Draft,
            date: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            authors: "chloe".into(),
            sections: BTreeMap::new(),
            subject: "Move payments to the new provider".into(),
            card: Some(CardId(5)),
            session: Some(RetroId(2)),
            stage: Some(Stage::Closed),
        },
        timeline: Vec::new(),
        actions: vec![MortemAction {
            card: CardId(20),
            text: "Run 1% of payments through it for a week".into(),
            kind: None,
            owner: Some("ben".into()),
            due: NaiveDate::from_ymd_opt(2026, 12, 2),
            priority: Priority::High,
            column: "Doing".into(),
            state: CardState::Open,
            risk: Some(9),
        }],
        risks,
        reasons: 3,
        reading: None,
    }
}

#[test]
fn the_markdown_export_holds_its_exact_form() {
    let post = PostmortemTemplate::built_in().unwrap();
    let pre = PremortemTemplate::built_in().unwrap();
    insta::assert_snapshot!(
        "postmortem_markdown",
        export::markdown(&sample_post(), &post, &pre)
    );
    insta::assert_snapshot!(
        "premortem_markdown",
        export::markdown(&sample_pre(), &post, &pre)
    );
}

#[test]
fn the_post_mortem_on_screen_by_keys() {
    on_both(|f| {
        let mut s = f.store();
        let id = post(&mut *s, "Queue backlog");
        s.add_timeline(id, at(13, 5), "consumer deploy").unwrap();
        let mut app = App::new(f.as_user("ana"), 120, 40);
        app.state.export_dir = f.dir.path().to_path_buf();
        keys(&mut app, "6");
        let text = screen(&app);
        assert!(text.contains("Queue backlog"), "{text}");
        assert!(text.contains("post · 2026-11-24 · draft"), "{text}");
        // Open it, go to the Summary and write it: the lint runs as one types.
        press(&mut app, KeyCode::Enter);
        keys(&mut app, "jjj");
        press(&mut app, KeyCode::Enter);
        assert!(screen(&app).contains("What happened, in two or three sentences."));
        keys(&mut app, "The on-call engineer should have");
        let text = screen(&app);
        assert!(
            text.contains("⚠ warn · line 1: \"should have\" (counterfactual)"),
            "{text}"
        );
        keys(&mut app, " waited.");
        // Esc asks before anything typed is lost; no keeps the editor.
        press(&mut app, KeyCode::Esc);
        assert!(screen(&app).contains("Discard what you typed?"));
        keys(&mut app, "n");
        assert!(screen(&app).contains("should have waited"));
        app.handle_event(Event::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        )));
        assert!(
            status_line(&app).contains("Saved Summary"),
            "{}",
            status_line(&app)
        );
        assert_eq!(
            s.mortem_report(id).unwrap().mortem.section("summary"),
            "The on-call engineer should have waited."
        );
        let text = screen(&app);
        assert!(text.contains("▸ Summary  ⚠ 1"), "{text}");
        // t adds to the timeline with the current time prefilled (UTC).
        f.clock.set(at(14, 7));
        keys(&mut app, "t");
        assert!(screen(&app).contains("14:07 "), "{}", screen(&app));
        keys(&mut app, "alert fires");
        press(&mut app, KeyCode::Enter);
        let times: Vec<String> = s
            .mortem_report(id)
            .unwrap()
            .timeline
            .iter()
            .map(|e| e.at.format("%H:%M").to_string())
            .collect();
        assert_eq!(times, ["13:05", "14:07"]);
        // a: an action item, a card on the board.
        keys(&mut app, "a");
        keys(&mut app, "Canary deploys");
        press(&mut app, KeyCode::Tab);
        // The type field holds "prevent"; the owner is prefilled with you.
        press(&mut app, KeyCode::Enter);
        let r = s.mortem_report(id).unwrap();
        assert_eq!(r.actions.len(), 1, "{}", screen(&app));
        assert_eq!(r.actions[0].owner.as_deref(), Some("ana"));
        assert!(screen(&app).contains("Canary deploys · prevent · medium · ana"));
        // s: final, with the warnings left shown.
        keys(&mut app, "s3");
        let text = screen(&app);
        assert!(text.contains("Final, with 1 blame warnings left"), "{text}");
        assert!(text.contains("Summary, line 1: \"should have\""), "{text}");
        assert_eq!(s.mortem_report(id).unwrap().mortem.status, Status::Final);
        press(&mut app, KeyCode::Esc);
        // A paste goes in whole; in a one-line field its line breaks are spaces
        // (it never presses Enter).
        keys(&mut app, "t");
        app.handle_event(Event::Paste("\n09:00 first\nsecond".into()));
        assert!(screen(&app).contains("Add to the timeline"), "still open");
        assert!(screen(&app).contains("first second"), "{}", screen(&app));
        press(&mut app, KeyCode::Esc);
        keys(&mut app, "y");
        // E writes it as Markdown, to a file the user names.
        app.state.export_dir = f.dir.path().to_path_buf();
        keys(&mut app, "E");
        assert!(screen(&app).contains(&format!("postmortem-{}.md", id.0)));
        press(&mut app, KeyCode::Enter);
        let file = f.dir.path().join(format!("postmortem-{}.md", id.0));
        assert!(status_line(&app).contains("Wrote"), "{}", status_line(&app));
        let md = std::fs::read_to_string(&file).unwrap();
        assert!(md.starts_with("# Queue backlog\n"), "{md}");
        assert!(
            md.contains("| Canary deploys | prevent | ana | medium |"),
            "{md}"
        );
        // Esc goes back to the list; / searches it.
        press(&mut app, KeyCode::Esc);
        keys(&mut app, "/zzz");
        assert!(screen(&app).contains("Nothing matches"));
        press(&mut app, KeyCode::Esc);
        assert!(screen(&app).contains("Queue backlog"));
    });
}

#[test]
fn the_pre_mortem_on_screen_from_two_terminals() {
    on_both(|f| {
        let mut ana = App::new(f.as_user("ana"), 120, 40);
        ana.state.export_dir = f.dir.path().to_path_buf();
        keys(&mut ana, "6n2");
        keys(&mut ana, "Mobile launch");
        press(&mut ana, KeyCode::Enter);
        let text = screen(&ana);
        assert!(text.contains("this project has failed"), "{text}");
        assert!(text.contains("you facilitate"), "{text}");
        keys(&mut ana, "w");
        keys(&mut ana, "Store review takes weeks");
        press(&mut ana, KeyCode::Enter);
        let mut ben = App::new(f.as_user("ben"), 120, 40);
        ben.state.export_dir = f.dir.path().to_path_buf();
        keys(&mut ben, "6");
        press(&mut ben, KeyCode::Enter);
        keys(&mut ben, "w");
        keys(&mut ben, "Old phones crash");
        press(&mut ben, KeyCode::Enter);
        let text = screen(&ben);
        assert!(text.contains("2 reasons written"), "{text}");
        assert!(text.contains("• Old phones crash"), "{text}");
        assert!(
            !text.contains("Store review"),
            "another's reason is hidden: {text}"
        );
        keys(&mut ben, "R");
        assert!(status_line(&ben).contains("Only the facilitator (ana)"));
        f.notices("Ana's terminal learns of Ben's reason", || ana.tick());
        keys(&mut ana, "R");
        assert!(screen(&ana).contains("Reveal the 2 reasons"));
        keys(&mut ana, "y");
        let text = screen(&ana);
        assert!(text.contains("Now reading 1 of 2"), "{text}");
        assert!(text.contains("Store review takes weeks"), "{text}");
        assert!(text.contains("Old phones crash"), "{text}");
        // Rate the selected risk (the one being read) and mitigate it.
        keys(&mut ana, "n");
        keys(&mut ana, "r");
        keys(&mut ana, "4");
        press(&mut ana, KeyCode::Tab);
        keys(&mut ana, "5");
        press(&mut ana, KeyCode::Enter);
        assert!(screen(&ana).contains("4×5=20 high"), "{}", screen(&ana));
        // The selection stays on the rated risk, now ranked first.
        keys(&mut ana, "m");
        keys(&mut ana, "Beta on old phones");
        press(&mut ana, KeyCode::Enter);
        let text = screen(&ana);
        assert!(text.contains("✓ 1 mitigation"), "{text}");
        assert!(text.contains("Beta on old phones"), "{text}");
        let s = f.as_user("ana");
        let id = s.mortems(s.board().unwrap().id, "").unwrap()[0].mortem.id;
        let r = s.mortem_report(id).unwrap();
        assert_eq!(r.mitigations(r.risks[0].id).count(), 1, "{:?}", r.risks);
        assert_eq!(r.risks[0].score(), Some(20));
        f.notices("Ben's terminal follows the reading", || {
            ben.tick();
            screen(&ben).contains("Now reading 2 of 2")
        });
    });
}

#[test]
fn the_tab_draws_at_every_size() {
    let f = BoardFixture::file(t0());
    let mut s = f.store();
    let id = post(
        &mut *s,
        "A title long enough to be cut on a narrow terminal, surely",
    );
    s.set_section(id, "summary", "日本語のテキスト and a careless remark\n- a list item long enough to wrap onto a second line", None)
        .unwrap();
    s.add_timeline(id, at(9, 0), "start").unwrap();
    let board = s.board().unwrap().id;
    let pre = s.new_premortem(board, "Launch", None).unwrap();
    s.add_reason(pre, hidden("A reason")).unwrap();
    s.advance_premortem(pre, Stage::Writing).unwrap();
    for (w, h) in [(40, 12), (52, 14), (80, 24), (120, 40), (200, 60)] {
        for row in ["", "j"] {
            let mut app = App::new(f.as_user("ana"), w, h);
            app.state.export_dir = f.dir.path().to_path_buf();
            keys(&mut app, "6");
            keys(&mut app, row);
            press(&mut app, KeyCode::Enter);
            let text = common::text(&common::render(&app, w, h));
            assert!(!text.trim().is_empty(), "{w}×{h}");
            keys(&mut app, "?");
            common::render(&app, w, h);
        }
    }
}

#[test]
fn the_command_line_writes_and_reads_mortems() {
    let env = Env::new();
    env.run(&["init"]).assert_ok();
    let id = env.run(&[
        "postmortem",
        "new",
        "Checkout outage",
        "--date",
        "2026-11-20",
    ]);
    id.assert_ok();
    let id = id.stdout.trim().to_string();
    env.run(&["postmortem", "timeline", &id, "14:40 error rate passes 5%"])
        .assert_ok();
    let r = env.run(&[
        "postmortem",
        "timeline",
        &id,
        "2026-11-20 14:02 deploy starts",
    ]);
    assert_eq!(r.stdout.trim(), "2026-11-20 14:02 UTC deploy starts");
    env.run(&["postmortem", "timeline", &id, "later it broke"])
        .assert_fails_with("not a timeline entry");
    let card = env.run(&[
        "postmortem",
        "action",
        &id,
        "Add a canary",
        "--type",
        "prevent",
        "--owner",
        "ben",
        "--due",
        "2026-12-04",
        "--priority",
        "high",
    ]);
    card.assert_ok();
    let card: i64 = card.stdout.trim().parse().unwrap();
    assert_eq!(env.column_of(card), "Backlog");
    env.run(&[
        "postmortem",
        "action",
        &id,
        "x",
        "--type",
        "fix",
        "--owner",
        "ben",
    ])
    .assert_fails_with("not an action type");
    // A section from standard input: its warnings, one a line.
    let w = env.run_piped(
        "tester",
        &["postmortem", "write", &id, "root_causes", "-"],
        "Human error. The deploy tool allowed it.",
    );
    w.assert_ok();
    assert_eq!(
        w.stdout.trim(),
        "line 1: error: \"Human error\" (human error as a cause): Name the system condition instead: a missing guardrail, unclear documentation, tooling that made the slip likely."
    );
    let shown = env.run(&["mortem", "show", &id, "--json"]).json();
    assert_eq!(shown["mortem"]["title"], "Checkout outage");
    let times: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["deploy starts", "error rate passes 5%"]);
    assert_eq!(shown["actions"][0]["kind"], "prevent");
    assert_eq!(shown["actions"][0]["state"], "open");
    assert_eq!(shown["warnings"][0]["category"], "human error as a cause");
    // Final lists the warnings left.
    let f = env.run(&["postmortem", "status", &id, "final"]);
    assert!(f.stdout.contains("1 blame warning"), "{}", f.stdout);
    // Export: to a file, atomically.
    let out = env.dir.path().join("pm.md");
    env.run(&["mortem", "export", &id, "-o", out.to_str().unwrap()])
        .assert_ok();
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.starts_with("# Checkout outage\n"));
    assert!(md.contains("| 2026-11-20 14:02 | deploy starts |"), "{md}");
    // Lint a text from standard input: warnings one a line, exit 0.
    let l = env.run_piped(
        "tester",
        &["mortem", "lint", "-"],
        "They should have known.\nIt was careless.",
    );
    l.assert_ok();
    let lines: Vec<&str> = l.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", l.stdout);
    assert!(lines[0].starts_with("line 1: info: \"should have known\""));
    assert!(lines[1].starts_with("line 2: error: \"careless\""));
    env.run(&["mortem", "lint", "/no/such/file"])
        .assert_fails_with("cannot read");
    // Without a database, the text is linted without names, and no
    // database is made for it.
    let nowhere = env.dir.path().join("none.db");
    let r = common::cli::run_at(&nowhere, &["mortem", "lint", "/dev/null"]);
    r.assert_ok();
    assert!(!nowhere.exists());
    env.run(&["mortem", "show", "99"])
        .assert_fails_with("no pre- or post-mortem");

    // A pre-mortem from a script.
    let pre = env.run_as("ana", &["premortem", "new", "Payments"]);
    pre.assert_ok();
    let pre = pre.stdout.trim().to_string();
    // A hidden reason's ratings never go on the command line, where others
    // could see who is rating it: they are typed after its text.
    env.run_as(
        "ben",
        &[
            "premortem",
            "risk",
            &pre,
            "Refunds break",
            "--likelihood",
            "3",
        ],
    )
    .assert_fails_with("can see a command's arguments");
    let r = env.run_piped("ben", &["premortem", "risk", &pre], "Refunds break\n3 5\n");
    assert!(r.stdout.contains("once they are revealed"), "{}", r.stdout);
    env.run_as("ben", &["premortem", "rate", &pre, "R1", "--impact", "2"])
        .assert_fails_with("still hidden");
    env.run_as("ben", &["premortem", "reveal", &pre])
        .assert_fails_with("only the facilitator");
    env.run_as("ana", &["premortem", "reveal", &pre])
        .assert_ok();
    env.run_as("ben", &["premortem", "risk", &pre, "Late and secret"])
        .assert_fails_with("revealed while you wrote");
    let r = env.run_as("ben", &["premortem", "risk", &pre, "Said aloud", "--open"]);
    assert_eq!(r.stdout.trim(), "R2");
    env.run_as(
        "ana",
        &[
            "premortem",
            "risk",
            &pre,
            "Support is not told",
            "--open",
            "--impact",
            "9",
        ],
    )
    .assert_fails_with("impact is 1 to 5");
    let m = env.run_as(
        "ben",
        &[
            "premortem",
            "mitigate",
            &pre,
            "R1",
            "Keep the old provider for refunds",
            "--owner",
            "dev",
        ],
    );
    m.assert_ok();
    let shown = env.run(&["mortem", "show", &pre, "--json"]).json();
    assert_eq!(shown["risks"][0]["likelihood"], 3);
    assert_eq!(shown["risks"][0]["impact"], 5);
    assert_eq!(shown["actions"][0]["risk"], shown["risks"][0]["id"]);
    let list = env.run(&["mortem", "list", "refunds"]);
    assert!(list.stdout.contains("Payments"), "{}", list.stdout);
    assert!(!list.stdout.contains("Checkout outage"), "{}", list.stdout);
}

#[test]
fn a_pre_mortem_whose_facilitator_is_gone_is_taken_over_and_the_first_terminal_is_told() {
    on_both(|f| {
        let mut ana = App::new(f.as_user("ana"), 120, 40);
        keys(&mut ana, "6n2");
        keys(&mut ana, "Mobile launch");
        press(&mut ana, KeyCode::Enter);
        keys(&mut ana, "w");
        keys(&mut ana, "Store review takes weeks");
        press(&mut ana, KeyCode::Enter);
        let mut ben = App::new(f.as_user("ben"), 120, 40);
        keys(&mut ben, "6");
        press(&mut ben, KeyCode::Enter);
        keys(&mut ben, "R");
        assert!(status_line(&ben).contains("Only the facilitator (ana)"));
        keys(&mut ben, "T");
        let text = screen(&ben);
        assert!(
            text.contains("Take over the pre-mortem \"Mobile launch\" from ana?"),
            "{text}"
        );
        keys(&mut ben, "y");
        assert!(screen(&ben).contains("you facilitate"));
        f.notices("ana's terminal notices", || {
            ana.tick();
            ana.state
                .status
                .text
                .contains("ben took the pre-mortem over from you")
        });
        assert!(
            status_line(&ana).contains("ben took the pre-mortem over from you"),
            "{}",
            status_line(&ana)
        );
        assert!(screen(&ana).contains("facilitated by ben (took over from ana)"));
        keys(&mut ana, "R");
        assert!(status_line(&ana).contains("Only the facilitator (ben)"));
        keys(&mut ben, "Ry");
        assert!(screen(&ben).contains("Store review takes weeks"));
        let id = f
            .as_user("ben")
            .mortems(f.as_user("ben").board().unwrap().id, "")
            .unwrap()[0]
            .mortem
            .id;
        let said: Vec<String> = f
            .as_user("chloe")
            .handovers(teamloop::domain::handover::Ritual::Premortem, id.0)
            .unwrap()
            .iter()
            .map(|h| h.sentence())
            .collect();
        assert_eq!(said, ["ben took over from ana"]);
    });
}
