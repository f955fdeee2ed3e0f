//! Presence on screen, on both engines: terminals acting in turns on one
//! board see each other in the header with their tabs; a heartbeat reads
//! presence again and never the board; a quit is seen at once, a silent
//! terminal expires; a ritual running in another terminal is one line on
//! every other tab; a facilitator is told of a takeover on any tab; and
//! an anonymous answer or card leaves presence exactly as it was.

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::crossterm::event::KeyCode;
use teamloop::domain::NewCard;
use teamloop::domain::presence::PERIOD;
use teamloop::domain::pulse::Instrument;
use teamloop::domain::retro::Phase;
use teamloop::store::{NewPulse, Store};
use teamloop::ui::App;

mod common;

use common::engines::{BoardFixture, on_both_engines_at};
use common::{keys, press, screen, status_line};

/// Tuesday 24 November 2026, 14:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap()
}

fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

fn period() -> Duration {
    Duration::from_std(PERIOD).unwrap()
}

/// The header's second line (the presence line).
fn presence_line(app: &App) -> String {
    screen(app).lines().nth(1).unwrap_or_default().to_string()
}

/// Looks for changes until `app`'s presence line says `what`.
fn sees(f: &BoardFixture, app: &mut App, what: &str) {
    f.notices(&format!("the presence line says {what}"), || {
        app.check_changes();
        presence_line(app).contains(what)
    });
}

fn start_retro(store: &mut dyn Store, title: &str) -> teamloop::domain::retro::RetroId {
    let board = store.board().unwrap().id;
    store.start_retro(board, common::new_retro(title)).unwrap()
}

#[test]
fn two_apps_see_each_other_with_their_tabs_and_a_heartbeat_reloads_no_board() {
    on_both(|f| {
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        assert!(
            presence_line(&ben).contains("ana (Board)"),
            "{}",
            screen(&ben)
        );
        sees(f, &mut ana, "ben (Board)");
        assert!(!presence_line(&ana).contains("ana ("), "not herself");
        // Ben shows the Retro tab: said at his next heartbeat, not before.
        keys(&mut ben, "5");
        let reloads = ana.state.reloads;
        f.clock.advance(period());
        ben.tick();
        sees(f, &mut ana, "ben (Retro)");
        assert_eq!(
            ana.state.reloads, reloads,
            "a heartbeat reads presence again, never Ana's board"
        );
        // A change of the board is read as one.
        let mut store = f.as_user("ben");
        let board = store.board().unwrap();
        store
            .add_card(board.columns[0].id, NewCard::titled("From Ben"), None)
            .unwrap();
        f.notices("Ana's board is read again", || {
            ana.check_changes();
            ana.state.reloads > reloads
        });
        assert!(screen(&ana).contains("From Ben"));
        // His second terminal counts once, with both tabs.
        let _ben_too = f.app("ben", 120, 40);
        sees(f, &mut ana, "ben (Board, Retro)");
    });
}

#[test]
fn a_quit_removes_presence_at_once_and_a_silent_terminal_expires() {
    on_both(|f| {
        let mut ana = f.app("ana", 120, 40);
        let mut ben = f.app("ben", 120, 40);
        let chloe = f.app("chloe", 120, 40);
        sees(f, &mut ana, "chloe (Board)");
        keys(&mut ben, "q");
        assert!(ben.state.quit);
        f.notices("Ben's quit is seen", || {
            ana.check_changes();
            !presence_line(&ana).contains("ben")
        });
        assert!(presence_line(&ana).contains("chloe (Board)"));
        // Chloe's terminal is killed: nothing says she left.
        std::mem::forget(chloe);
        f.clock.advance(period() * 3);
        ana.tick();
        assert!(
            presence_line(&ana).contains("chloe"),
            "three periods still show"
        );
        f.clock.advance(period());
        ana.tick();
        assert!(
            !screen(&ana).contains("chloe"),
            "silent for four periods, gone:\n{}",
            screen(&ana)
        );
        assert_eq!(ana.store().present().unwrap().len(), 1, "only Ana");
    });
}

#[test]
fn a_retro_running_elsewhere_is_one_line_on_the_board_and_its_facilitator_is_told_of_a_takeover() {
    on_both(|f| {
        let mut ana = f.app("ana", 80, 24);
        let id = start_retro(&mut *f.as_user("ana"), "Sprint 9");
        f.notices("Ana's board tab names the retro", || {
            ana.check_changes();
            presence_line(&ana).contains("Retro 'Sprint 9' is at Set the stage: 5 to join")
        });
        // Not on the retro's own tab, where it is said already.
        keys(&mut ana, "5");
        assert!(!screen(&ana).contains("5 to join"), "{}", screen(&ana));
        keys(&mut ana, "1");
        // Ben takes it over from his terminal while Ana's shows the board.
        let mut ben = f.as_user("ben");
        ben.take_over_retro(id, "ana").unwrap();
        f.notices("Ana is told on the Board tab", || {
            ana.check_changes();
            status_line(&ana).contains("ben took the retro \"Sprint 9\" over from you")
        });
        assert_eq!(ana.state.tab, teamloop::ui::state::Tab::Board);
        // Told once: the retro's own tab, shown now, does not say it again.
        keys(&mut ana, "5");
        assert!(
            !status_line(&ana).contains("over from you"),
            "{}",
            status_line(&ana)
        );
        assert!(
            screen(&ana).contains("took over from ana"),
            "{}",
            screen(&ana)
        );
        keys(&mut ana, "1");
        // The line fits 80 columns, and follows the phase.
        ben.set_phase(id, Phase::Review).unwrap();
        f.notices("the line follows the phase", || {
            ana.check_changes();
            presence_line(&ana).contains("is at Last time")
        });
        assert!(presence_line(&ana).chars().count() <= 80);
    });
}

/// Every presence row as stored, on the file.
fn rows(f: &BoardFixture) -> Vec<(String, String, String, i64)> {
    let conn = rusqlite::Connection::open(f.path().unwrap()).unwrap();
    let mut stmt = conn
        .prepare("SELECT session, person, tab, seen_at FROM presence ORDER BY session")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn an_anonymous_card_or_answer_leaves_presence_exactly_as_it_was() {
    let f = BoardFixture::file(t0());
    let id = start_retro(&mut *f.as_user("ana"), "Sprint 9");
    f.as_user("ana").set_phase(id, Phase::Review).unwrap();
    let mut ana = f.as_user("ana");
    ana.set_phase(id, Phase::Facts).unwrap();
    ana.set_phase(id, Phase::Gather).unwrap();
    let board = ana.board().unwrap().id;
    ana.open_pulse(
        board,
        NewPulse {
            title: "Q4".into(),
            instrument: Instrument::edmondson().unwrap(),
            closes: None,
            min_responses: 3,
            min_comments: 3,
        },
    )
    .unwrap();
    let mut watcher = f.app("ana", 120, 40);
    let mut ben = f.app("ben", 120, 40);
    keys(&mut ben, "5");
    f.clock.advance(period());
    ben.tick();
    watcher.tick();
    let before = rows(&f);
    assert_eq!(before.len(), 2, "{before:?}");
    assert!(before.iter().any(|r| r.1 == "ben" && r.2 == "Retro"));
    // Time passes within a period, Ben writes a card: nothing of presence
    // moves, at the card or at the next look or tick of either terminal.
    f.clock.advance(Duration::seconds(3));
    keys(&mut ben, "a");
    keys(&mut ben, "Reviews wait too long");
    press(&mut ben, KeyCode::Enter);
    assert!(
        screen(&ben).contains("Reviews wait too long"),
        "{}",
        screen(&ben)
    );
    ben.tick();
    watcher.tick();
    assert_eq!(rows(&f), before, "a card moves no presence row");
    // He answers the pulse: the same.
    keys(&mut ben, "7a");
    keys(&mut ben, "6666666");
    press(&mut ben, KeyCode::Enter);
    assert!(status_line(&ben).contains("Thank you"), "{}", screen(&ben));
    ben.tick();
    watcher.tick();
    assert_eq!(rows(&f), before, "an answer moves no presence row");
    assert_eq!(ana.pulses(board).unwrap()[0].responses, 1);
    // Only the period does, for every terminal alike, with the tab alone.
    f.clock.advance(period());
    ben.tick();
    watcher.tick();
    let after = rows(&f);
    assert!(after.iter().all(|r| r.3 > before[0].3.max(before[1].3)));
    assert!(after.iter().any(|r| r.1 == "ben" && r.2 == "Pulse"));
}

#[test]
fn the_presence_line_fits_80_columns_and_names_everyone_at_200() {
    let f = BoardFixture::file(t0());
    start_retro(&mut *f.as_user("ana"), "Sprint 24 retro");
    let mut store = f.as_user("ana");
    let board = store.board().unwrap().id;
    store
        .open_pulse(
            board,
            NewPulse {
                title: "Q4 safety".into(),
                instrument: Instrument::edmondson().unwrap(),
                closes: None,
                min_responses: 3,
                min_comments: 3,
            },
        )
        .unwrap();
    let team: Vec<App> = ["ben", "chloe", "dev", "eli", "fay"]
        .iter()
        .map(|who| f.app(who, 80, 24))
        .collect();
    let mut narrow = f.app("ana", 80, 24);
    narrow.check_changes();
    let line = presence_line(&narrow);
    assert!(line.chars().count() <= 80);
    assert!(line.contains(": 5 to join"), "the key is never cut: {line}");
    assert!(line.contains("+1 running"), "{line}");
    assert!(line.contains("here: ben") && line.contains(" +"), "{line}");
    // The board keeps its rows: the columns' last row is above the status line.
    let text = screen(&narrow);
    assert!(text.lines().nth(22).unwrap().starts_with('╰'), "{text}");
    let mut wide = f.app("ana", 200, 50);
    wide.check_changes();
    let line = presence_line(&wide);
    assert!(
        line.contains("Retro 'Sprint 24 retro' is at Set the stage: 5 to join · Pulse 'Q4 safety' is open: 7 to answer"),
        "{line}"
    );
    assert!(
        line.contains("here: ben (Board), chloe (Board), dev (Board), eli (Board), fay (Board)"),
        "{line}"
    );
    drop(team);
}
