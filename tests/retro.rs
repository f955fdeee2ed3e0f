//! Retrospectives: phase rules, votes under concurrent voters, action
//! items that come back, the Markdown export, two terminals on one live
//! retro and the screen driven by keys, on both engines; the anonymity of
//! what a SQLite file holds, in its tables and bytes, and the command line,
//! on real temporary files.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ratatui::crossterm::event::KeyCode;
use rusqlite::Connection;
use teamloop::domain::Board;
use teamloop::domain::handover::Ritual;
use teamloop::domain::retro::{ActionStatus, ItemId, Phase, Poll, RetroId};
use teamloop::store::{RetroStore, Store};
use teamloop::ui::App;

mod common;

use common::cli::Env;
use common::clocked::Clocked;
use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, press, screen, status_line};

/// Tuesday 24 November 2026, 14:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap()
}

fn fixture() -> Clocked {
    Clocked::new("retro.db", t0())
}

/// Runs a story on a board made at `t0` on each engine.
fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

fn start(s: &mut dyn Store, title: &str) -> RetroId {
    let board = s.board().unwrap().id;
    s.start_retro(board, common::new_retro(title)).unwrap()
}

fn item_ids(s: &dyn Store, id: RetroId) -> Vec<ItemId> {
    s.retro_report(id)
        .unwrap()
        .items
        .iter()
        .map(|i| i.id)
        .collect()
}

#[test]
fn the_facilitator_moves_the_phases_and_each_phase_allows_its_own() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let id = start(&mut *ana, "Sprint 24 retro");
        let refused = ben.set_phase(id, Phase::Gather).unwrap_err().to_string();
        assert!(refused.contains("only the facilitator (ana)"), "{refused}");
        let early = ben
            .add_retro_card(id, 0, "Too early")
            .unwrap_err()
            .to_string();
        assert!(early.contains("Gather phase"), "{early}");

        ana.set_phase(id, Phase::Gather).unwrap();
        ben.add_retro_card(id, 0, "Pair on reviews").unwrap();
        ben.add_retro_card(id, 1, "Merging on Fridays").unwrap();
        assert_eq!(ana.retro_cards_written(id).unwrap(), 2);
        assert!(
            ana.retro_report(id).unwrap().items.is_empty(),
            "hidden until revealed"
        );
        assert!(
            ben.reveal_cards(id).is_err(),
            "only the facilitator reveals"
        );
        assert!(
            ben.vote(id, ItemId(1), 1).is_err(),
            "no voting while gathering"
        );

        ana.set_phase(id, Phase::Group).unwrap();
        let report = ben.retro_report(id).unwrap();
        assert!(report.retro.revealed, "grouping reveals the cards");
        assert_eq!(report.items.len(), 2);
        assert!(ben.add_retro_card(id, 0, "Late").is_err());

        ana.set_phase(id, Phase::Vote).unwrap();
        let items = item_ids(&*ben, id);
        ben.vote(id, items[0], 2).unwrap();
        let limit = ben.vote(id, items[1], 2).unwrap_err().to_string();
        assert!(limit.contains("1 of your 3 votes left"), "{limit}");
        assert!(
            ben.retro_report(id)
                .unwrap()
                .items
                .iter()
                .all(|i| i.votes.is_none()),
            "totals stay hidden while votes come in"
        );
        ana.set_phase(id, Phase::Discuss).unwrap();
        let report = ana.retro_report(id).unwrap();
        assert_eq!(
            report.retro.discussing,
            Some(items[0]),
            "the most voted first"
        );
        assert_eq!(report.retro.discuss_started, Some(t0()));
        let votes: u32 = report.items.iter().filter_map(|i| i.votes).sum();
        assert_eq!(votes, 2);

        ana.set_phase(id, Phase::Closed).unwrap();
        assert!(
            ana.set_phase(id, Phase::Vote).is_err(),
            "a closed retro stays closed"
        );
        assert_eq!(ana.retro(id).unwrap().closed_at, Some(t0()));
    });
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn what_is_stored_cannot_tell_who_wrote_or_voted_for_what() {
    let f = fixture();
    let mut ana = f.as_user("ana");
    let id = start(&mut ana, "Anonymous");
    ana.set_phase(id, Phase::Stage).unwrap();
    for (who, v) in [("ben", 1), ("chloe", 2), ("dev", 2)] {
        f.as_user(who).answer(id, Poll::Safety, v).unwrap();
    }
    ana.set_phase(id, Phase::Gather).unwrap();
    for (who, text) in [
        ("ben", "alpha"),
        ("chloe", "bravo"),
        ("dev", "charlie"),
        ("ben", "delta"),
    ] {
        f.as_user(who).add_retro_card(id, 0, text).unwrap();
    }
    ana.set_phase(id, Phase::Vote).unwrap();
    let items = item_ids(&ana, id);
    f.as_user("ben").vote(id, items[0], 2).unwrap();
    f.as_user("chloe").vote(id, items[1], 1).unwrap();

    let conn = Connection::open(&f.path).unwrap();
    // A card is its text and prompt, and its writer's claim; an item its
    // theme, total and notes; a dot its item and its voter's claim; a poll
    // its counts and the tokens of who answered.
    assert_eq!(
        columns(&conn, "retro_cards"),
        ["id", "retro_id", "item_id", "prompt", "text", "claim"]
    );
    assert_eq!(
        columns(&conn, "retro_items"),
        ["id", "retro_id", "title", "votes", "notes"]
    );
    assert_eq!(
        columns(&conn, "retro_dots"),
        ["id", "retro_id", "item_id", "claim"]
    );
    assert_eq!(
        columns(&conn, "retro_polls"),
        ["retro_id", "poll", "counts", "takers"]
    );
    // Those who only wrote and voted are named nowhere in the file.
    drop(conn);
    let bytes = std::fs::read(&f.path).unwrap();
    for who in [&b"ben"[..], b"chloe", b"dev"] {
        assert!(
            !bytes.windows(who.len()).any(|w| w == who),
            "{} is in the file",
            String::from_utf8_lossy(who)
        );
    }
    let conn = Connection::open(&f.path).unwrap();
    // Ids are random: the rows keep no order of writing.
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM retro_cards ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(ids.len(), 4);
    assert!(ids.iter().all(|i| *i > 1_000), "{ids:?}");
    let mut sorted = ids.clone();
    sorted.sort();
    assert!(!ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    // Nothing anyone can read names a voter or an author.
    ana.set_phase(id, Phase::Discuss).unwrap();
    let json = serde_json::to_string(&ana.retro_report(id).unwrap()).unwrap();
    for who in ["ben", "chloe", "dev"] {
        assert!(!json.contains(who), "{who} appears in {json}");
    }
}

#[test]
fn concurrent_voters_never_lose_a_vote_nor_pass_the_limit() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let id = start(&mut *ana, "Busy");
        ana.set_phase(id, Phase::Gather).unwrap();
        ana.add_retro_card(id, 0, "the one item").unwrap();
        ana.set_phase(id, Phase::Vote).unwrap();
        let item = item_ids(&*ana, id)[0];
        // Two terminals each for ben and chloe, all voting at once.
        let threads: Vec<_> = ["ben", "ben", "chloe", "chloe", "dev"]
            .into_iter()
            .map(|who| {
                let place = f.place();
                std::thread::spawn(move || {
                    let mut s = place.as_user(who);
                    let mut accepted = 0;
                    for _ in 0..4 {
                        match s.vote(id, item, 1) {
                            Ok(_) => accepted += 1,
                            Err(e) => assert!(e.to_string().contains("votes left"), "{e}"),
                        }
                    }
                    (who, accepted)
                })
            })
            .collect();
        let mut accepted = std::collections::HashMap::new();
        for t in threads {
            let (who, n) = t.join().unwrap();
            *accepted.entry(who).or_insert(0) += n;
        }
        assert_eq!(accepted["ben"], 3);
        assert_eq!(accepted["chloe"], 3);
        assert_eq!(accepted["dev"], 3);
        for who in ["ben", "chloe", "dev"] {
            assert_eq!(f.as_user(who).votes_used(id).unwrap(), 3);
        }
        ana.set_phase(id, Phase::Discuss).unwrap();
        assert_eq!(ana.retro_report(id).unwrap().items[0].votes, Some(9));
    });
}

fn close_with_actions(f: &BoardFixture, title: &str, actions: &[&str]) -> RetroId {
    let mut ana = f.as_user("ana");
    let id = start(&mut *ana, title);
    ana.set_phase(id, Phase::Decide).unwrap();
    for a in actions {
        ana.add_action(id, a, Some("ben"), NaiveDate::from_ymd_opt(2026, 12, 1))
            .unwrap();
    }
    ana.set_phase(id, Phase::Closed).unwrap();
    id
}

#[test]
fn open_action_items_come_back_until_done_or_dropped() {
    on_both(|f| {
        let first = close_with_actions(f, "First", &["Write the runbook", "Fix CI", "Pair more"]);
        let mut ana = f.as_user("ana");
        let report = ana.retro_report(first).unwrap();
        let cards: Vec<_> = report.actions.iter().map(|a| a.card).collect();
        // Each action is a card on the board, owned and tagged.
        let card = ana.card(cards[0]).unwrap();
        assert_eq!(
            card.tags,
            vec!["action", format!("retro-{}", first.0).as_str()]
        );
        assert_eq!(card.assignee.as_deref(), Some("ben"));
        assert!(card.description.contains("Due 2026-12-01"));

        f.clock.set(t0() + chrono::Duration::days(14));
        let second = start(&mut *ana, "Second");
        ana.set_phase(second, Phase::Review).unwrap();
        let listed: Vec<_> = ana
            .actions_to_review(second)
            .unwrap()
            .iter()
            .map(|(a, _)| a.card)
            .collect();
        assert_eq!(listed, cards);
        ana.review_action(second, cards[0], ActionStatus::Done)
            .unwrap();
        ana.review_action(second, cards[1], ActionStatus::Dropped)
            .unwrap();
        ana.review_action(second, cards[2], ActionStatus::Open)
            .unwrap();
        let board: Board = ana.board().unwrap();
        assert_eq!(
            ana.card(cards[0]).unwrap().column,
            board.column_named("Done").unwrap().id,
            "done moves the card to done"
        );
        assert!(ana.card(cards[1]).unwrap().archived, "dropped archives it");
        // This retro still lists all three, as marked.
        let marked: Vec<_> = ana
            .actions_to_review(second)
            .unwrap()
            .iter()
            .map(|(_, m)| *m)
            .collect();
        assert_eq!(
            marked,
            vec![
                Some(ActionStatus::Done),
                Some(ActionStatus::Dropped),
                Some(ActionStatus::Open)
            ]
        );
        let ben = f.as_user("ben");
        assert!(
            ben.retro(second).is_ok()
                && f.as_user("ben")
                    .review_action(second, cards[2], ActionStatus::Done)
                    .is_err(),
            "only the facilitator marks them"
        );
        ana.set_phase(second, Phase::Closed).unwrap();

        f.clock.set(t0() + chrono::Duration::days(28));
        let third = start(&mut *ana, "Third");
        let listed: Vec<_> = ana
            .actions_to_review(third)
            .unwrap()
            .iter()
            .map(|(a, _)| a.card)
            .collect();
        assert_eq!(listed, vec![cards[2]], "only the one still open comes back");
    });
}

#[test]
fn the_markdown_export_holds_the_whole_retro() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let id = start(&mut *ana, "Sprint 24 retro");
        for (who, v) in [("ben", 1), ("chloe", 2), ("dev", 2)] {
            f.as_user(who).answer(id, Poll::Safety, v).unwrap();
        }
        ana.close_poll(id, Poll::Safety).unwrap();
        ana.set_phase(id, Phase::Gather).unwrap();
        for (p, text) in [
            (0, "Pair on reviews"),
            (0, "Pairing more often"),
            (1, "Merging on Fridays | at 5pm"),
            (2, "Demo every *Friday*"),
        ] {
            f.as_user("ben").add_retro_card(id, p, text).unwrap();
        }
        ana.set_phase(id, Phase::Group).unwrap();
        let items = ana.retro_report(id).unwrap().items;
        let pairing: Vec<ItemId> = items
            .iter()
            .filter(|i| i.label().starts_with("Pair"))
            .map(|i| i.id)
            .collect();
        let theme = ana.group_items(id, &pairing, "Pairing").unwrap();
        ana.set_phase(id, Phase::Vote).unwrap();
        f.as_user("ben").vote(id, theme, 3).unwrap();
        ana.set_phase(id, Phase::Discuss).unwrap();
        ana.set_item_notes(id, theme, "Start with reviews older than two days")
            .unwrap();
        ana.add_action(
            id,
            "Pair on every review older than two days",
            Some("ben"),
            NaiveDate::from_ymd_opt(2026, 12, 8),
        )
        .unwrap();
        ana.set_phase(id, Phase::Close).unwrap();
        for (who, v) in [("ben", 4), ("chloe", 5), ("dev", 3)] {
            f.as_user(who).answer(id, Poll::Roti, v).unwrap();
        }
        ana.close_poll(id, Poll::Roti).unwrap();
        ana.set_phase(id, Phase::Closed).unwrap();
        let md = teamloop::domain::retro::export::markdown(&ana.retro_report(id).unwrap());
        insta::assert_snapshot!("retro_export", md);
    });
}

#[test]
fn two_terminals_follow_one_live_retro() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let _ = ben.poll_changed();
        let id = start(&mut *ana, "Live");
        f.notices("ben's terminal notices", || ben.poll_changed().unwrap());
        assert_eq!(ben.retros(ana.board().unwrap().id).unwrap()[0].id, id);
        ana.set_phase(id, Phase::Gather).unwrap();
        f.notices("ben's terminal notices the phase", || {
            ben.poll_changed().unwrap()
        });
        assert_eq!(ben.retro(id).unwrap().phase, Phase::Gather);
        let _ = ana.poll_changed();
        ben.add_retro_card(id, 2, "Keep the demos").unwrap();
        f.notices("ana's terminal notices the card", || {
            ana.poll_changed().unwrap()
        });
        assert_eq!(ana.retro_cards_written(id).unwrap(), 1);
        // The screen: ana's app shows how many cards there are, then, after a
        // tick, their text once revealed from another terminal.
        let mut app = App::new(f.as_user("ana"), 120, 40);
        keys(&mut app, "5");
        let text = screen(&app);
        assert!(text.contains("1 card written so far"), "{text}");
        assert!(!text.contains("Keep the demos"), "hidden: {text}");
        f.as_user("ana").reveal_cards(id).unwrap();
        let seen = ben.retro_report(id).unwrap();
        assert_eq!(seen.items[0].label(), "Keep the demos");
        f.notices("ana's app notices the reveal", || app.tick());
        let text = screen(&app);
        assert!(text.contains("Keep the demos"), "{text}");
        let late = ben
            .add_retro_card(id, 0, "Too late")
            .unwrap_err()
            .to_string();
        assert!(late.contains("known by its author"), "{late}");
    });
}

#[test]
fn a_whole_retro_by_keys() {
    on_both(|f| {
        let mut app = App::new(f.as_user("ana"), 120, 40);
        keys(&mut app, "5");
        assert!(screen(&app).contains("No retro yet"));
        keys(&mut app, "n");
        assert!(screen(&app).contains("choose a format"));
        keys(&mut app, "4"); // Sailboat
        press(&mut app, KeyCode::Enter);
        let text = screen(&app);
        assert!(text.contains("Sailboat"), "{text}");
        assert!(text.contains("Regardless of what we discover"), "{text}");
        assert!(text.contains("Norm Kerth"), "{text}");
        keys(&mut app, "a2"); // Shopper
        assert!(screen(&app).contains("1 answered · you have answered"));
        keys(&mut app, "a");
        assert!(status_line(&app).contains("You have answered"));
        keys(&mut app, "]]"); // review, facts
        let text = screen(&app);
        assert!(
            text.contains("Finished: 0 cards"),
            "facts before gather:\n{text}"
        );
        keys(&mut app, "]"); // gather
        assert!(screen(&app).contains("Wind"));
        keys(&mut app, "a");
        keys(&mut app, "A steady release rhythm");
        press(&mut app, KeyCode::Enter);
        keys(&mut app, "l");
        keys(&mut app, "a");
        keys(&mut app, "Flaky tests");
        press(&mut app, KeyCode::Enter);
        let text = screen(&app);
        assert!(text.contains("• Flaky tests"), "{text}");
        keys(&mut app, "]");
        assert!(
            screen(&app).contains("It reveals the 2 cards"),
            "asked once"
        );
        keys(&mut app, "y]"); // group, vote
        keys(&mut app, "  ");
        assert!(screen(&app).contains("you have 1 of your 3 votes left"));
        keys(&mut app, "-");
        assert!(screen(&app).contains("you have 2 of your 3 votes left"));
        keys(&mut app, "]"); // discuss
        let text = screen(&app);
        assert!(text.contains("5:00 left of 5:00"), "{text}");
        f.clock.set(t0() + chrono::Duration::minutes(6));
        app.tick();
        assert_eq!(app.state.bells, 1, "the item's timebox rang");
        assert!(screen(&app).contains("OVER TIME"));
        keys(&mut app, "]"); // decide
        keys(&mut app, "a");
        keys(&mut app, "Quarantine the flaky tests");
        press(&mut app, KeyCode::Enter);
        assert!(screen(&app).contains("Quarantine the flaky tests"));
        keys(&mut app, "]"); // close
        keys(&mut app, "5"); // one key
        keys(&mut app, "C");
        assert!(screen(&app).contains("Only 1 answer"), "warned");
        keys(&mut app, "y]");
        let text = screen(&app);
        assert!(text.contains("CLOSED"), "{text}");
        let s = f.as_user("ana");
        let board = s.board().unwrap();
        let r = &s.retros(board.id).unwrap()[0];
        assert_eq!(r.phase, Phase::Closed);
        assert_eq!(
            s.retro_report(r.id).unwrap().roti.answers,
            1,
            "one key answered"
        );
        let cards = s.list_cards(&board, None).unwrap();
        let action = cards
            .iter()
            .find(|c| c.title == "Quarantine the flaky tests")
            .unwrap();
        assert!(action.tags.contains(&"action".to_string()));
        assert_eq!(action.assignee.as_deref(), Some("ana"));
    });
}

#[test]
fn retro_subcommands_for_scripts() {
    let env = Env::new();
    let run_as = |who: &str, args: &[&str]| env.run_as(who, args);
    let formats = env.run(&["retro", "formats"]);
    formats.assert_ok();
    assert!(formats.stdout.contains("starfish"), "{}", formats.stdout);
    run_as("ana", &["retro", "start", "--format", "nope"]).assert_fails_with("no retro format");
    let started = run_as(
        "ana",
        &["retro", "start", "--format", "daki", "--votes", "2"],
    );
    started.assert_ok();
    let id = started.stdout.trim().to_string();
    run_as("ben", &["retro", "phase", &id, "next"]).assert_fails_with("only the facilitator");
    run_as("ana", &["retro", "phase", &id, "gather"]).assert_ok();
    run_as("ben", &["retro", "add", &id, "Keep", "Code review pairs"]).assert_ok();
    run_as("ben", &["retro", "add", &id, "9", "x"]).assert_fails_with("no prompt '9'");
    run_as("ana", &["retro", "phase", &id, "vote"]).assert_ok();
    let shown = run_as("ben", &["retro", "show", &id, "--json"]).json();
    let item = shown["items"][0]["id"].as_i64().unwrap().to_string();
    assert!(shown["items"][0]["votes"].is_null());
    run_as("ben", &["retro", "vote", &id, &item, "--count", "2"]).assert_ok();
    run_as("ben", &["retro", "vote", &id, &item]).assert_fails_with("0 of your 2 votes left");
    run_as("ana", &["retro", "phase", &id, "decide"]).assert_ok();
    let action = run_as(
        "ana",
        &[
            "retro",
            "action",
            &id,
            "Rotate reviewers",
            "--owner",
            "ben",
            "--due",
            "2026-12-10",
        ],
    );
    action.assert_ok();
    run_as(
        "ana",
        &[
            "retro", "action", &id, "x", "--owner", "ben", "--due", "soon",
        ],
    )
    .assert_fails_with("not a date");
    let out = env.dir.path().join("retro.md");
    run_as(
        "ana",
        &["retro", "export", &id, "-o", out.to_str().unwrap()],
    )
    .assert_ok();
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(
        md.contains("| Rotate reviewers | ben | 2026-12-10 | open |"),
        "{md}"
    );
    assert!(md.contains("- Code review pairs (2 votes)"), "{md}");
}

#[test]
fn every_phase_draws_at_every_size() {
    let f = BoardFixture::file(t0());
    let mut ana = f.as_user("ana");
    close_with_actions(&f, "Earlier", &["An action"]);
    let id = start(&mut *ana, "Sizes");
    for phase in Phase::ALL.into_iter().chain([Phase::Closed]) {
        ana.set_phase(id, phase).unwrap();
        if phase == Phase::Gather {
            ana.add_retro_card(id, 0, "a card with a long enough text to wrap")
                .unwrap();
            ana.add_retro_card(id, 2, "日本語のカード").unwrap();
        }
        for (w, h) in [(40, 12), (52, 14), (80, 24), (120, 40), (200, 60)] {
            let mut app = App::new(f.as_user("ana"), w, h);
            keys(&mut app, "5");
            let text = common::text(&common::render(&app, w, h));
            assert!(text.contains("Sizes"), "{phase:?} at {w}×{h}:\n{text}");
            if phase == Phase::Review && w >= 52 {
                // Who and when go below a title rather than cut it short.
                assert!(
                    text.contains("An action") && text.contains("@"),
                    "{w}×{h}:\n{text}"
                );
            }
            keys(&mut app, "?");
            common::render(&app, w, h);
        }
    }
}

#[test]
fn votes_can_be_taken_back_only_by_whoever_cast_them_and_vanish_when_voting_closes() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let id = start(&mut *ana, "Honest votes");
        let again = f
            .as_user("ben")
            .start_retro(ana.board().unwrap().id, common::new_retro("Second"))
            .unwrap_err()
            .to_string();
        assert!(again.contains("one retro at a time"), "{again}");
        ana.set_phase(id, Phase::Gather).unwrap();
        ana.add_retro_card(id, 0, "A").unwrap();
        ana.add_retro_card(id, 0, "B").unwrap();
        ana.set_phase(id, Phase::Vote).unwrap();
        let items = item_ids(&*ana, id);
        let (a, b) = (items[0], items[1]);
        ana.vote(id, a, 3).unwrap();
        ben.vote(id, b, 1).unwrap();
        let stolen = ben.vote(id, a, -1).unwrap_err().to_string();
        assert!(stolen.contains("0 votes on that item"), "{stolen}");
        assert_eq!(ben.my_votes(id).unwrap(), vec![(b, 1)]);
        ben.vote(id, b, -1).unwrap();
        assert_eq!(ben.votes_used(id).unwrap(), 0);
        ben.vote(id, b, 2).unwrap();
        let regroup = ana.set_phase(id, Phase::Group).unwrap_err().to_string();
        assert!(regroup.contains("votes are cast"), "{regroup}");

        ana.set_phase(id, Phase::Discuss).unwrap();
        assert!(ben.my_votes(id).unwrap().is_empty());
        if let Some(path) = f.path() {
            let conn = Connection::open(path).unwrap();
            let marks: i64 = conn
                .query_row("SELECT count(*) FROM retro_dots", [], |r| r.get(0))
                .unwrap();
            assert_eq!(
                marks, 0,
                "the dots and their claims are gone once voting closes"
            );
        }
        let totals: Vec<Option<u32>> = ana
            .retro_report(id)
            .unwrap()
            .items
            .iter()
            .map(|i| i.votes)
            .collect();
        assert_eq!(totals, vec![Some(3), Some(2)]);
        let reopen = ana.set_phase(id, Phase::Vote).unwrap_err().to_string();
        assert!(reopen.contains("voting is closed"), "{reopen}");
    });
}

#[test]
fn a_review_mark_that_moved_a_card_stands() {
    on_both(|f| {
        let first = close_with_actions(f, "First", &["Write the runbook"]);
        let mut ana = f.as_user("ana");
        let card = ana.retro_report(first).unwrap().actions[0].card;
        f.clock.set(t0() + chrono::Duration::days(14));
        let second = start(&mut *ana, "Second");
        ana.set_phase(second, Phase::Review).unwrap();
        ana.review_action(second, card, ActionStatus::Done).unwrap();
        let undo = ana
            .review_action(second, card, ActionStatus::Open)
            .unwrap_err()
            .to_string();
        assert!(undo.contains("reopen it on the board"), "{undo}");
    });
}

/// How far `order` (a permutation of 0..n) agrees with 0..n: 1 the same
/// order, -1 reversed, near 0 unrelated.
fn kendall_tau(order: &[usize]) -> f64 {
    let n = order.len();
    let mut score = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            score += if order[i] < order[j] { 1 } else { -1 };
        }
    }
    score as f64 / (n * (n - 1) / 2) as f64
}

#[test]
fn the_file_keeps_no_order_of_writing_and_no_name_of_who_took_part() {
    let f = fixture();
    let mut ana = f.as_user("ana");
    let id = start(&mut ana, "Layout");
    let names: Vec<String> = (0..16).map(|k| format!("person{k:02}")).collect();
    for (k, who) in names.iter().enumerate() {
        f.as_user(who)
            .answer(id, Poll::Safety, (k % 4) as u32 + 1)
            .unwrap();
    }
    ana.set_phase(id, Phase::Gather).unwrap();
    let texts: Vec<String> = (0..16).map(|k| format!("card number {k:02}")).collect();
    for (who, text) in names.iter().zip(&texts) {
        f.as_user(who).add_retro_card(id, 0, text).unwrap();
    }
    let forward: Vec<usize> = (0..16).collect();
    let backward: Vec<usize> = (0..16).rev().collect();
    let read = |stage: &str| {
        let bytes = std::fs::read(&f.path).unwrap();
        let at = |needle: &str| {
            bytes
                .windows(needle.len())
                .position(|w| w == needle.as_bytes())
                .unwrap_or_else(|| panic!("{needle} not in the file ({stage})"))
        };
        let mut cards: Vec<usize> = (0..16).collect();
        cards.sort_by_key(|&k| at(&texts[k]));
        assert!(
            cards != forward && cards != backward,
            "{stage}: cards sit in the order they were written: {cards:?}"
        );
        // Nor close to it: the order in the file barely correlates with the
        // order of writing (for a random order, |tau| past 0.7 has a
        // chance of about 1 in 7,000).
        let tau = kendall_tau(&cards);
        assert!(tau.abs() < 0.7, "{stage}: tau {tau:.2} for {cards:?}");
        for who in &names {
            assert!(
                !bytes.windows(who.len()).any(|w| w == who.as_bytes()),
                "{stage}: {who} is in the file"
            );
        }
    };
    // While hidden, with the safety check still open, and once revealed.
    read("hidden");
    ana.reveal_cards(id).unwrap();
    read("revealed");
}

#[test]
fn a_writer_finds_their_own_cards_after_a_restart_and_no_one_else_can() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let id = start(&mut *ana, "Restarted");
        ana.set_phase(id, Phase::Gather).unwrap();
        let card = f
            .as_user("chloe")
            .add_retro_card(id, 0, "I am stretched thin")
            .unwrap();
        f.as_user("ben")
            .add_retro_card(id, 1, "standups run long")
            .unwrap();
        // Chloe's terminal restarts: a new store, her own key from her state.
        let chloe = f.as_user("chloe");
        let mine: Vec<String> = chloe
            .my_retro_cards(id)
            .unwrap()
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(mine, ["I am stretched thin"]);
        // Ben sees only his, and cannot take hers back, even knowing its id.
        let ben_cards = f.as_user("ben").my_retro_cards(id).unwrap();
        assert_eq!(ben_cards.len(), 1);
        let refused = f
            .as_user("ben")
            .delete_retro_card(id, card)
            .unwrap_err()
            .to_string();
        assert!(refused.contains("not one of yours"), "{refused}");
        f.as_user("chloe").delete_retro_card(id, card).unwrap();
        assert_eq!(ana.retro_cards_written(id).unwrap(), 1);
        // Once revealed, no card is anyone's: the claims are gone from the file.
        ana.reveal_cards(id).unwrap();
        assert!(f.as_user("ben").my_retro_cards(id).unwrap().is_empty());
        if let Some(path) = f.path() {
            let claims: i64 = Connection::open(path)
                .unwrap()
                .query_row("SELECT count(claim) FROM retro_cards", [], |r| r.get(0))
                .unwrap();
            assert_eq!(claims, 0);
        }
        // Closing the retro closes its polls too: no answer stays open for ever.
        ana.set_phase(id, Phase::Closed).unwrap();
        let r = ana.retro(id).unwrap();
        assert!(r.safety_closed && r.roti_closed);
    });
}

#[test]
fn after_a_restart_in_gather_a_person_still_sees_and_takes_back_their_own_cards() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let id = start(&mut *ana, "Restart");
        ana.set_phase(id, Phase::Gather).unwrap();
        f.as_user("ben")
            .add_retro_card(id, 0, "not chloe's")
            .unwrap();
        let mut chloe = App::new(f.as_user("chloe"), 120, 40);
        keys(&mut chloe, "5a");
        keys(&mut chloe, "Deploys on Friday scare me");
        press(&mut chloe, KeyCode::Enter);
        assert!(screen(&chloe).contains("Deploys on Friday scare me"));
        drop(chloe);
        // Her terminal restarts.
        let mut chloe = App::new(f.as_user("chloe"), 120, 40);
        keys(&mut chloe, "5");
        let text = screen(&chloe);
        assert!(text.contains("Deploys on Friday scare me"), "{text}");
        assert!(!text.contains("not chloe's"), "{text}");
        keys(&mut chloe, "d");
        assert!(
            status_line(&chloe).contains("Taken back")
                || !screen(&chloe).contains("Deploys on Friday")
        );
        assert_eq!(ana.retro_cards_written(id).unwrap(), 1);
    });
}

#[test]
fn revealing_asks_once_and_a_card_dialog_closes_when_the_retro_moves_on_under_it() {
    on_both(|f| {
        let id = start(&mut *f.as_user("ana"), "Moving on");
        f.as_user("ana").set_phase(id, Phase::Gather).unwrap();
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        keys(&mut ana, "5");
        keys(&mut ben, "5a");
        keys(&mut ben, "Half a thought");
        assert!(screen(&ben).contains("Your card (anonymous)"));
        // Moving on from Gather reveals the cards: ana is asked once.
        keys(&mut ana, "]");
        let text = screen(&ana);
        assert!(
            text.contains("Move on to Group? No card is written"),
            "{text}"
        );
        keys(&mut ana, "n");
        assert_eq!(f.as_user("ana").retro(id).unwrap().phase, Phase::Gather);
        keys(&mut ana, "]y");
        assert_eq!(f.as_user("ana").retro(id).unwrap().phase, Phase::Group);
        // Ben's dialog closes at his terminal's next look, and says why.
        f.notices("ben's terminal notices the phase", || {
            ben.tick();
            ben.state
                .status
                .text
                .contains("The retro moved on to Group: cards are written in Gather")
        });
        let text = screen(&ben);
        assert!(!text.contains("Your card (anonymous)"), "{text}");
        assert!(
            status_line(&ben).contains("The retro moved on to Group: cards are written in Gather"),
            "{}",
            status_line(&ben)
        );
        // A key of another phase says so at once.
        keys(&mut ben, "a");
        let said = status_line(&ben);
        assert!(
            said.contains("a does nothing at Group; in Gather: write a card"),
            "{said}"
        );
        assert!(!screen(&ben).contains("Your card (anonymous)"));
        assert_eq!(f.as_user("ben").retro_cards_written(id).unwrap(), 0);
    });
}

#[test]
fn after_the_reveal_in_gather_no_card_dialog_opens_and_an_open_one_closes() {
    on_both(|f| {
        let id = start(&mut *f.as_user("ana"), "Revealed");
        f.as_user("ana").set_phase(id, Phase::Gather).unwrap();
        f.as_user("chloe")
            .add_retro_card(id, 0, "Standups run long")
            .unwrap();
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        keys(&mut ana, "5");
        keys(&mut ben, "5a");
        keys(&mut ana, "R");
        let text = screen(&ana);
        assert!(text.contains("Reveal the 1 card to everyone?"), "{text}");
        keys(&mut ana, "y");
        assert!(f.as_user("ana").retro(id).unwrap().revealed);
        assert!(screen(&ana).contains("Standups run long"));
        keys(&mut ana, "R");
        assert!(status_line(&ana).contains("revealed already"));
        f.notices("ben's terminal notices the reveal", || {
            ben.tick();
            ben.state.status.text.contains("The cards were revealed")
        });
        assert!(!screen(&ben).contains("Your card (anonymous)"));
        assert!(status_line(&ben).contains("The cards were revealed"));
        keys(&mut ben, "a");
        assert!(!screen(&ben).contains("Your card (anonymous)"));
        assert!(
            status_line(&ben).contains("a card written now would be known by its author"),
            "{}",
            status_line(&ben)
        );
    });
}

#[test]
fn a_safety_check_closed_under_three_answers_warns_first_and_reopens_before_the_discussion() {
    on_both(|f| {
        let id = start(&mut *f.as_user("ana"), "Safety");
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        let mut chloe = f.app("chloe", 120, 40);
        keys(&mut ana, "5");
        keys(&mut ben, "5a2");
        f.notices("ana's terminal notices the answer", || {
            ana.tick();
            ana.state
                .retro
                .data
                .as_deref()
                .and_then(|d| d.report.as_ref())
                .is_some_and(|r| r.safety.answers == 1)
        });
        keys(&mut ana, "C");
        let text = screen(&ana);
        assert!(text.contains("Only 1 answer: closed now"), "{text}");
        assert!(text.contains("never shown"), "{text}");
        keys(&mut ana, "y");
        assert!(f.as_user("ana").retro(id).unwrap().safety_closed);
        // Chloe comes late: the check is closed; ana has moved on, and
        // reopens it from Last time.
        keys(&mut chloe, "5a");
        assert!(status_line(&chloe).contains("The safety check is closed"));
        keys(&mut ana, "]O");
        assert!(
            status_line(&ana).contains("open again"),
            "{}",
            status_line(&ana)
        );
        f.notices("chloe's terminal notices", || {
            chloe.tick();
            chloe.state.retro.retro().is_some_and(|r| !r.safety_closed)
        });
        assert!(
            status_line(&chloe).contains("reopened the safety check: A answers it"),
            "{}",
            status_line(&chloe)
        );
        keys(&mut chloe, "A1");
        assert!(f.as_user("chloe").has_answered(id, Poll::Safety).unwrap());
        f.as_user("dan").answer(id, Poll::Safety, 4).unwrap();
        f.notices("ana's terminal notices three answers", || {
            ana.tick();
            ana.state
                .retro
                .data
                .as_deref()
                .and_then(|d| d.report.as_ref())
                .is_some_and(|r| r.safety.answers == 3)
        });
        // Three answers: closing asks nothing, and the result shows.
        keys(&mut ana, "C");
        let r = f.as_user("ana").retro_report(id).unwrap();
        assert_eq!(r.safety.distribution, Some(vec![1, 1, 0, 1]));
        keys(&mut ana, "O");
        assert!(status_line(&ana).contains("stays closed"));
        assert!(f.as_user("ana").retro(id).unwrap().safety_closed);
    });
}

#[test]
fn when_the_facilitators_terminal_is_gone_another_takes_the_retro_over_and_the_first_is_told() {
    on_both(|f| {
        let id = start(&mut *f.as_user("ana"), "Handover");
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        keys(&mut ana, "5");
        keys(&mut ben, "5]");
        assert!(status_line(&ben).contains("Only the facilitator (ana)"));
        // Ana's terminal hangs; ben takes the retro over, asked first.
        keys(&mut ben, "T");
        let text = screen(&ben);
        assert!(
            text.contains("Take over the retro \"Handover\" from ana?"),
            "{text}"
        );
        keys(&mut ben, "n");
        assert_eq!(f.as_user("ben").retro(id).unwrap().facilitator, "ana");
        keys(&mut ben, "Ty");
        assert!(
            status_line(&ben).contains("You took over from ana"),
            "{}",
            status_line(&ben)
        );
        let text = screen(&ben);
        assert!(
            text.contains("you facilitate (took over from ana)"),
            "{text}"
        );
        keys(&mut ben, "]");
        assert_eq!(f.as_user("ben").retro(id).unwrap().phase, Phase::Review);
        // Ana's terminal, at its next look, says so, and she no longer
        // moves the retro on.
        f.notices("ana's terminal notices", || {
            ana.tick();
            ana.state
                .status
                .text
                .contains("ben took the retro over from you")
        });
        assert!(
            status_line(&ana).contains("ben took the retro over from you"),
            "{}",
            status_line(&ana)
        );
        assert!(screen(&ana).contains("facilitated by ben (took over from ana)"));
        keys(&mut ana, "]");
        assert!(status_line(&ana).contains("Only the facilitator (ben)"));
        // Chloe, who saw ana facilitate, is refused: ben was first.
        let late = f
            .as_user("chloe")
            .take_over_retro(id, "ana")
            .unwrap_err()
            .to_string();
        assert!(
            late.contains("ben took the retro over from ana meanwhile"),
            "{late}"
        );
        let record = f.as_user("chloe").handovers(Ritual::Retro, id.0).unwrap();
        assert_eq!(record.len(), 1);
        assert_eq!(record[0].sentence(), "ben took over from ana");
    });
}

#[test]
fn the_command_line_closes_a_check_saying_it_will_not_show_reopens_it_and_takes_a_retro_over() {
    let env = Env::new();
    let run_as = |who: &str, args: &[&str]| env.run_as(who, args);
    let started = run_as("ana", &["retro", "start", "--format", "daki"]);
    started.assert_ok();
    let id = started.stdout.trim().to_string();
    run_as("ben", &["retro", "answer", &id, "safety", "2"]).assert_ok();
    let closed = run_as("ana", &["retro", "close-check", &id, "safety"]);
    closed.assert_ok();
    assert!(
        closed
            .stdout
            .contains("Closed with 1 answer: the result will not be shown"),
        "{}",
        closed.stdout
    );
    run_as("ben", &["retro", "reopen-check", &id, "safety"])
        .assert_fails_with("only the facilitator");
    run_as("ana", &["retro", "reopen-check", &id, "safety"]).assert_ok();
    run_as("chloe", &["retro", "answer", &id, "safety", "1"]).assert_ok();
    run_as("ana", &["retro", "take-over", &id])
        .assert_fails_with("you facilitate the retro already");
    let taken = run_as("ben", &["retro", "take-over", &id]);
    taken.assert_ok();
    assert!(
        taken.stdout.contains("You took over from ana"),
        "{}",
        taken.stdout
    );
    run_as("ana", &["retro", "phase", &id, "next"]).assert_fails_with("only the facilitator (ben)");
    run_as("ben", &["retro", "phase", &id, "next"]).assert_ok();
    let shown = run_as("chloe", &["retro", "show", &id]);
    assert!(
        shown.stdout.contains("ben took over from ana"),
        "{}",
        shown.stdout
    );
    let json = run_as("chloe", &["retro", "show", &id, "--json"]).json();
    assert_eq!(json["handovers"][0]["from"], "ana");
    assert_eq!(json["handovers"][0]["to"], "ben");
}
