//! Planning poker on both engines: picks hidden from every reader until the
//! reveal, the reveal by everyone present or by the facilitator or by the
//! timebox, re-vote, accept writing the estimate event the burndown reads,
//! the takeover, and the export; then the ritual in three terminals and
//! the panel at 80×24 and 200×50.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::crossterm::event::KeyCode;
use teamloop::domain::handover::Ritual;
use teamloop::domain::poker::{CardState, Deck, RoundId};
use teamloop::domain::{CardId, EventKind, NewCard};
use teamloop::store::{HandoverStore, PokerStore, Store};
use teamloop::ui::App;

mod common;

use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, press, render, screen, status_line, text};

/// Wednesday 2 December 2026, 10:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap()
}

fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

fn add(store: &mut dyn Store, title: &str) -> CardId {
    let board = store.board().unwrap();
    let mut card = NewCard::titled(title);
    card.description = format!("What {title} means for the team");
    store
        .add_card(board.columns[0].id, card, None)
        .unwrap()
        .card
}

fn start(store: &mut dyn Store, cards: &[CardId], timebox: Option<u32>) -> RoundId {
    let board = store.board().unwrap().id;
    store
        .start_poker(board, cards, &Deck::fibonacci(), timebox)
        .unwrap()
}

fn err(r: Result<impl std::fmt::Debug, teamloop::store::StoreError>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn picks_are_hidden_from_everyone_until_the_reveal_then_the_outliers_are_named() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let mut chloe = f.as_user("chloe");
        let export = add(&mut *ana, "Export");
        let import = add(&mut *ana, "Import");
        let id = start(&mut *ana, &[export, import], None);
        assert_eq!(ben.pick_poker(id, "13").unwrap(), ("13".into(), false));
        assert_eq!(chloe.pick_poker(id, "3").unwrap().0, "3");
        ana.pick_poker(id, "5").unwrap();
        // Changing one's pick before the reveal.
        chloe.pick_poker(id, "2").unwrap();
        let e = err(ben.pick_poker(id, "4"));
        assert!(e.contains("'4' is not in the Fibonacci deck"), "{e}");
        for reader in [&ana, &ben, &chloe] {
            let r = reader.poker_round(id).unwrap();
            assert!(!r.revealed());
            let who: Vec<&str> = r.picks.iter().map(|p| p.person.as_str()).collect();
            assert_eq!(who, ["ana", "ben", "chloe"]);
            assert!(r.picks.iter().all(|p| p.value.is_none()), "{:?}", r.picks);
            assert_eq!(r.tally(), None);
        }
        assert_eq!(chloe.my_poker_pick(id).unwrap().as_deref(), Some("2"));
        assert_eq!(ben.my_poker_pick(id).unwrap().as_deref(), Some("13"));
        // Only the facilitator reveals, and accepts only once revealed.
        assert!(err(ben.reveal_poker(id)).contains("only ana"));
        assert!(err(ana.accept_poker(id, "5")).contains("reveal them first"));
        ana.reveal_poker(id).unwrap();
        let r = ben.poker_round(id).unwrap();
        let t = r.tally().unwrap();
        assert_eq!(t.highest, Some(("13".into(), vec!["ben".into()])));
        assert_eq!(t.lowest, Some(("2".into(), vec!["chloe".into()])));
        assert!(err(chloe.pick_poker(id, "8")).contains("revealed"));
        // A re-vote keeps the first vote and hides the second.
        assert!(err(ben.revote_poker(id)).contains("only ana"));
        ana.revote_poker(id).unwrap();
        let r = chloe.poker_round(id).unwrap();
        assert_eq!(r.current().unwrap().vote, 2);
        assert!(r.picks.is_empty() && !r.revealed());
        ben.pick_poker(id, "5").unwrap();
        chloe.pick_poker(id, "5").unwrap();
        ana.reveal_poker(id).unwrap();
        assert!(ana.poker_round(id).unwrap().tally().unwrap().agreed);
        assert!(err(ana.accept_poker(id, "?")).contains("not an estimate"));
        assert_eq!(ana.accept_poker(id, "5").unwrap(), 5);
        // The estimate as any re-estimate: on the card, and in its history.
        assert_eq!(ben.card(export).unwrap().points, Some(5));
        let last = ben.card_history(export).unwrap().pop().unwrap();
        assert_eq!(last.kind, EventKind::Estimated);
        assert_eq!((last.old_points, last.new_points), (None, Some(5)));
        assert_eq!(last.actor, "ana");
        // The next card is up, with no picks; then the round is over.
        let r = ben.poker_round(id).unwrap();
        assert_eq!(r.current().unwrap().card, import);
        assert_eq!(r.cards[0].state, CardState::Accepted);
        assert_eq!(r.cards[0].accepted.as_deref(), Some("5"));
        let running = ben.running(ben.board().unwrap().id).unwrap();
        let poker: Vec<_> = running
            .iter()
            .filter(|x| x.ritual == Ritual::Poker)
            .collect();
        assert_eq!(poker.len(), 1);
        assert_eq!(poker[0].title, "Import");
        assert_eq!(poker[0].phase, "card 2 of 2");
        ben.pick_poker(id, "8").unwrap();
        ana.reveal_poker(id).unwrap();
        ana.accept_poker(id, "8").unwrap();
        let r = chloe.poker_round(id).unwrap();
        assert!(!r.is_open());
        assert!(err(ben.pick_poker(id, "3")).contains("over"));
        let board = ben.board().unwrap().id;
        assert!(
            !ben.running(board)
                .unwrap()
                .iter()
                .any(|x| x.ritual == Ritual::Poker)
        );
        assert_eq!(ben.poker_rounds(board, true).unwrap().len(), 0);
        assert_eq!(ben.poker_rounds(board, false).unwrap().len(), 1);
    });
}

#[test]
fn the_picks_show_once_everyone_present_who_joined_has_picked() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let mut chloe = f.as_user("chloe");
        let card = add(&mut *ana, "Search");
        ana.beat("ana-1", "Board").unwrap();
        ben.beat("ben-1", "Board").unwrap();
        let id = start(&mut *ana, &[card], None);
        ben.join_poker(id).unwrap();
        // Chloe joined but has not the board open: no one waits for her.
        chloe.join_poker(id).unwrap();
        assert_eq!(ana.pick_poker(id, "3").unwrap(), ("3".into(), false));
        assert!(!chloe.poker_round(id).unwrap().revealed());
        assert_eq!(ben.pick_poker(id, "8").unwrap(), ("8".into(), true));
        let r = chloe.poker_round(id).unwrap();
        assert!(r.revealed());
        let values: Vec<_> = r.picks.iter().map(|p| p.value.clone()).collect();
        assert_eq!(values, [Some("3".into()), Some("8".into())]);
        // Someone who leaves the board no longer counts.
        ana.revote_poker(id).unwrap();
        f.clock.advance(Duration::seconds(40));
        ana.beat("ana-1", "Board").unwrap();
        assert!(ana.pick_poker(id, "5").unwrap().1, "ben is gone");
    });
}

#[test]
fn a_timebox_shows_the_picks_when_it_ends_and_ending_a_round_drops_hidden_picks() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let first = add(&mut *ana, "Login");
        let second = add(&mut *ana, "Logout");
        let id = start(&mut *ana, &[first, second], Some(60));
        ben.pick_poker(id, "2").unwrap();
        f.clock.advance(Duration::seconds(30));
        let r = ana.poker_round(id).unwrap();
        assert!(!r.revealed());
        assert_eq!(r.seconds_left(t0() + Duration::seconds(30)), Some(30));
        f.clock.advance(Duration::seconds(30));
        let r = ana.poker_round(id).unwrap();
        assert!(r.revealed(), "the timebox is over");
        assert_eq!(r.picks[0].value.as_deref(), Some("2"));
        assert!(err(ana.pick_poker(id, "3")).contains("revealed"));
        ana.accept_poker(id, "2").unwrap();
        // The next card's timebox counts from its own start.
        ben.pick_poker(id, "13").unwrap();
        assert!(!ana.poker_round(id).unwrap().revealed());
        assert!(err(ben.end_poker(id)).contains("only ana"));
        ana.end_poker(id).unwrap();
        let r = ben.poker_round(id).unwrap();
        assert!(!r.is_open());
        assert_eq!(ben.card(second).unwrap().points, None);
        let export = ben.export_json().unwrap();
        assert_eq!(
            rows_of(&export.text, "poker_picks"),
            1,
            "only the revealed pick is kept"
        );
    });
}

#[test]
fn the_facilitator_is_taken_over_as_in_the_other_rituals() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let card = add(&mut *ana, "Billing");
        let id = start(&mut *ana, &[card], None);
        assert!(err(ana.take_over_poker(id, "ana")).contains("already"));
        let h = ben.take_over_poker(id, "ana").unwrap();
        assert_eq!(h.sentence(), "ben took over from ana");
        assert_eq!(ana.handovers(Ritual::Poker, id.0).unwrap(), vec![h]);
        assert!(err(ana.reveal_poker(id)).contains("only ben"));
        let mut chloe = f.as_user("chloe");
        let e = err(chloe.take_over_poker(id, "ana"));
        assert!(e.contains("ben took the poker round over from ana"), "{e}");
        ben.reveal_poker(id).unwrap();
        ben.end_poker(id).unwrap();
        assert!(err(chloe.take_over_poker(id, "ben")).contains("over"));
    });
}

#[test]
fn an_export_leaves_out_the_picks_not_yet_revealed_and_says_so() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let mut ben = f.as_user("ben");
        let card = add(&mut *ana, "Audit");
        let id = start(&mut *ana, &[card], None);
        ben.pick_poker(id, "21").unwrap();
        let export = ana.export_json().unwrap();
        assert!(
            export.withheld.iter().any(|w| w.contains("poker vote")),
            "{:?}",
            export.withheld
        );
        assert_eq!(rows_of(&export.text, "poker_picks"), 0);
        assert!(
            !export.text.contains("\"21\""),
            "a hidden value left the store"
        );
        ana.reveal_poker(id).unwrap();
        let export = ana.export_json().unwrap();
        assert!(!export.withheld.iter().any(|w| w.contains("poker")));
        assert_eq!(rows_of(&export.text, "poker_picks"), 1);
    });
}

#[test]
fn bad_rounds_are_refused_with_a_reason() {
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let card = add(&mut *ana, "Docs");
        let board = ana.board().unwrap().id;
        let deck = Deck::fibonacci();
        let e = err(ana.start_poker(board, &[], &deck, None));
        assert!(e.contains("needs a card"), "{e}");
        let e = err(ana.start_poker(board, &[card, card], &deck, None));
        assert!(e.contains("twice"), "{e}");
        let e = err(ana.start_poker(board, &[CardId(999)], &deck, None));
        assert!(e.contains("no card #999") || e.contains("999"), "{e}");
        let e = err(ana.start_poker(board, &[card], &deck, Some(0)));
        assert!(e.contains("timebox"), "{e}");
        assert!(err(ana.poker_round(RoundId(77))).contains("no poker round 77"));
    });
}

/// How many rows of `table` an export holds.
fn rows_of(text: &str, table: &str) -> usize {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == table)
        .and_then(|t| t["rows"].as_array())
        .map_or(usize::MAX, Vec::len)
}

// The ritual on three terminals.

fn panel_of(app: &App) -> String {
    screen(app)
}

fn tick_until(f: &BoardFixture, app: &mut App, what: &str, needle: &str) {
    f.notices(what, || {
        app.check_changes();
        screen(app).contains(needle)
    });
}

#[test]
fn three_terminals_estimate_a_card_together() {
    on_both(|f| {
        let mut store = f.as_user("ana");
        let card = add(&mut *store, "Export to CSV");
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        let mut chloe = f.app("chloe", 120, 40);
        // Ana starts a round on the selected card.
        keys(&mut ana, "Z");
        let s = panel_of(&ana);
        assert!(
            s.contains("Planning poker · Fibonacci · you facilitate ·"),
            "{s}"
        );
        assert!(s.contains("Export to CSV"), "{s}");
        assert!(s.contains("What Export to CSV means for the team"), "{s}");
        // The others' header says so, with the key to join.
        for app in [&mut ben, &mut chloe] {
            tick_until(
                f,
                app,
                "the round is said",
                "Planning poker on 'Export to CSV'",
            );
            assert!(screen(app).contains("Z to join"), "{}", screen(app));
        }
        keys(&mut ben, "Z");
        assert!(panel_of(&ben).contains("ana facilitates"));
        // Ben picks 13 (→ seven times from 0), Chloe 3.
        keys(&mut ben, "lllllll");
        press(&mut ben, KeyCode::Enter);
        assert!(
            status_line(&ben).contains("You picked 21"),
            "{}",
            status_line(&ben)
        );
        keys(&mut ben, "h");
        press(&mut ben, KeyCode::Enter);
        assert!(status_line(&ben).contains("You picked 13"));
        keys(&mut chloe, "Z");
        keys(&mut chloe, "lll ");
        tick_until(f, &mut ana, "ana sees who picked", "Picked (2): ben, chloe");
        let s = screen(&ana);
        assert!(s.contains("Not yet: ana"), "{s}");
        let off_deck: Vec<&str> = s.lines().filter(|l| !l.contains("Deck:")).collect();
        assert!(
            !off_deck.iter().any(|l| l.contains("13") || l.contains("█")) && !s.contains("Highest"),
            "no value before the reveal:\n{s}"
        );
        // Only the facilitator reveals.
        keys(&mut ben, "r");
        assert!(
            status_line(&ben).contains("nly ana (who facilitates"),
            "{}",
            status_line(&ben)
        );
        keys(&mut ana, "r");
        let s = screen(&ana);
        assert!(s.contains("Highest 13: ben"), "{s}");
        assert!(s.contains("lowest 3: chloe"), "{s}");
        tick_until(f, &mut chloe, "chloe sees the reveal", "Highest 13: ben");
        // Ana accepts 5 (the cursor on 5).
        keys(&mut ana, "llll");
        keys(&mut ana, "a");
        assert!(
            status_line(&ana).contains("estimated at 5 points"),
            "{}",
            status_line(&ana)
        );
        assert_eq!(store.card(card).unwrap().points, Some(5));
        press(&mut ana, KeyCode::Esc);
        assert!(screen(&ana).contains("5pt"), "the board shows the estimate");
        tick_until(f, &mut ben, "ben sees the end", "This round is over");
        // The panel closes; the round is no longer said.
        press(&mut ben, KeyCode::Esc);
        assert!(!screen(&ben).contains("Planning poker"));
    });
}

#[test]
fn the_panel_reads_at_80_by_24_and_200_by_50() {
    let f = BoardFixture::file(t0());
    let mut store = f.as_user("ana");
    let card = add(
        &mut *store,
        "A card with a rather long title to be cut at the narrow size",
    );
    let second = add(&mut *store, "Second");
    let id = start(&mut *store, &[card, second], Some(90));
    let mut ben = f.as_user("ben");
    ben.pick_poker(id, "8").unwrap();
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let mut app = f.app("ana", w, h);
        keys(&mut app, "Z");
        let s = text(&render(&app, w, h));
        assert!(s.contains("Planning poker"), "{w}x{h}:\n{s}");
        assert!(s.contains("Deck:"), "{w}x{h}:\n{s}");
        assert!(s.contains("coffee"), "{w}x{h}: the whole deck:\n{s}");
        assert!(s.contains("Picked (1): ben"), "{w}x{h}:\n{s}");
        assert!(s.contains("Timebox: 1:30 left"), "{w}x{h}:\n{s}");
        assert!(
            !s.contains(" 8*") && !s.contains("[8]"),
            "no value of ben's:\n{s}"
        );
        assert!(s.contains("Second"), "{w}x{h}: the queue:\n{s}");
        for line in s.lines() {
            assert!(
                unicode_width::UnicodeWidthStr::width(line) <= usize::from(w),
                "{line}"
            );
        }
    }
}

/// A board with a finished round (two votes, a takeover) and one running
/// with a hidden pick.
fn board_with_rounds(f: &BoardFixture) -> (RoundId, RoundId, CardId) {
    let mut ana = f.as_user("ana");
    let mut ben = f.as_user("ben");
    let export = add(&mut *ana, "Export");
    let import = add(&mut *ana, "Import");
    let done = start(&mut *ana, &[export], None);
    ben.pick_poker(done, "3").unwrap();
    ana.pick_poker(done, "8").unwrap();
    ana.reveal_poker(done).unwrap();
    ana.revote_poker(done).unwrap();
    ben.pick_poker(done, "5").unwrap();
    ben.take_over_poker(done, "ana").unwrap();
    ben.reveal_poker(done).unwrap();
    ben.accept_poker(done, "5").unwrap();
    let running = start(&mut *ana, &[import], None);
    ben.pick_poker(running, "13").unwrap();
    (done, running, export)
}

#[test]
fn rounds_go_through_an_export_and_an_import_unchanged() {
    let f = BoardFixture::file(t0());
    let (done, running, _) = board_with_rounds(&f);
    let first = f.store().export_json().unwrap().text;
    for table in [
        "poker_rounds",
        "poker_cards",
        "poker_joined",
        "poker_picks",
        "poker_handovers",
    ] {
        assert!(rows_of(&first, table) > 0, "{table}");
    }
    assert_eq!(
        rows_of(&first, "poker_picks"),
        3,
        "the hidden pick stays out"
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    teamloop::store::import_json(&copy, &first).unwrap();
    let opened = teamloop::store::open(&copy, f.options("ana")).unwrap();
    assert_eq!(opened.export_json().unwrap().text, first);
    let before = f.store().poker_round(done).unwrap();
    assert_eq!(opened.poker_round(done).unwrap(), before);
    assert_eq!(opened.handovers(Ritual::Poker, done.0).unwrap().len(), 1);
    // The running round is there, at its vote, with no pick.
    let r = opened.poker_round(running).unwrap();
    assert!(r.is_open() && r.picks.is_empty());
}

#[test]
fn the_markdown_report_lists_the_last_months_rounds() {
    on_both(|f| {
        let (_, _, _) = board_with_rounds(f);
        let report = teamloop::store::markdown_report(&*f.store()).unwrap();
        assert!(report.contains("## Planning poker"), "{report}");
        assert!(
            report.contains("### Round 1 (2026-12-02, Fibonacci, facilitated by ben)"),
            "{report}"
        );
        assert!(report.contains("- #1 Export: **5** (2 votes)"), "{report}");
        assert!(
            report.contains("### Round 2 (2026-12-02, Fibonacci, facilitated by ana), running"),
            "{report}"
        );
        assert!(report.contains("- #2 Import: being estimated"), "{report}");
        assert!(!report.contains("13"), "no hidden value in the report");
        // A month later, nothing.
        f.clock.advance(Duration::days(31));
        let report = teamloop::store::markdown_report(&*f.store()).unwrap();
        assert!(!report.contains("Planning poker"));
    });
}

#[test]
fn the_sprint_plan_starts_a_round_on_its_cards_without_points_and_accept_moves_the_burndown() {
    use teamloop::domain::CardPatch;
    use teamloop::domain::sprint::NewSprint;
    on_both(|f| {
        let mut ana = f.as_user("ana");
        let board = ana.board().unwrap().id;
        let a = add(&mut *ana, "Alpha");
        let b = add(&mut *ana, "Beta");
        let c = add(&mut *ana, "Gamma");
        ana.update_card(
            b,
            CardPatch {
                points: Some(Some(2)),
                ..CardPatch::default()
            },
        )
        .unwrap();
        let sprint = ana
            .create_sprint(
                board,
                NewSprint {
                    name: "Sprint 9".into(),
                    goal: String::new(),
                    start: t0().date_naive(),
                    days: 14,
                    capacity: None,
                },
            )
            .unwrap();
        ana.add_to_sprint(sprint, &[a, b, c]).unwrap();
        let mut app = f.app("ana", 120, 40);
        keys(&mut app, "3");
        keys(&mut app, "Z");
        let s = screen(&app);
        assert!(s.contains("Planning poker"), "{s}");
        let round = ana.poker_rounds(board, true).unwrap().remove(0);
        let queue: Vec<CardId> = round.cards.iter().map(|c| c.card).collect();
        assert_eq!(
            queue,
            [a, c],
            "the cards without points, in the sprint's order"
        );
        // Accepting during the sprint is a re-estimate the burndown reads.
        let scope = |s: &dyn Store| {
            let sp = s
                .sprints(board)
                .unwrap()
                .into_iter()
                .find(|x| x.id == sprint)
                .unwrap();
            s.sprint_report(&sp).unwrap().burndown.scope
        };
        let before = scope(&*ana);
        ana.reveal_poker(round.id).unwrap();
        ana.accept_poker(round.id, "8").unwrap();
        assert_eq!(scope(&*ana), before + 8);
        // Read-only terminals see a round but never start one.
        let mut options = f.options("ben");
        options.read_only = true;
        let mut ro = App::new(f.open(options), 120, 40);
        keys(&mut ro, "Z");
        assert!(screen(&ro).contains("Planning poker"), "{}", screen(&ro));
    });
}
