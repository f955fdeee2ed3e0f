//! Presence: who has the board open, and where, on both engines. A
//! heartbeat is news of presence only, never a change of the board; a quit
//! removes the terminal, a terminal not heard of expires; an export leaves
//! presence out; and no anonymous write touches it.

use chrono::{DateTime, Duration, TimeZone, Utc};
use teamloop::domain::NewCard;
use teamloop::domain::handover::Ritual;
use teamloop::domain::presence::SHOWN_FOR;
use teamloop::domain::retro::Phase;
use teamloop::store::{PresenceStore, Store};

mod common;

use common::engines::{BoardFixture, on_both_engines_at};

/// Tuesday 24 November 2026, 14:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap()
}

fn on_both(test: impl Fn(&BoardFixture)) {
    on_both_engines_at(t0(), test);
}

fn add(store: &mut dyn Store, title: &str) {
    let board = store.board().unwrap();
    store
        .add_card(board.columns[0].id, NewCard::titled(title), None)
        .unwrap();
}

/// Who is present, as (person, tabs).
fn who(store: &dyn Store) -> Vec<(String, Vec<String>)> {
    store
        .present()
        .unwrap()
        .into_iter()
        .map(|p| (p.person, p.tabs))
        .collect()
}

fn tabs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_heartbeat_is_news_of_presence_and_never_a_change_of_the_board() {
    on_both(|f| {
        let mut ana = f.store();
        let mut ben = f.as_user("ben");
        f.stays_quiet("a first look is news", || ana.poll_changed().unwrap());
        f.stays_quiet("a first look is news", || ben.poll_changed().unwrap());
        ana.presence_changed();
        ben.beat("ben-1", "Board").unwrap();
        // Ana's terminal hears of it, but not as a change of the board.
        let mut board_news = false;
        f.notices("Ana hears Ben's heartbeat", || {
            board_news |= ana.poll_changed().unwrap();
            ana.presence_changed()
        });
        assert!(!board_news, "a heartbeat is no change of the board");
        f.stays_quiet("one heartbeat is news once", || {
            ana.poll_changed().unwrap() || ana.presence_changed()
        });
        assert_eq!(who(&*ana), [("ben".to_string(), tabs(&["Board"]))]);
        // Her own heartbeat is news to nobody but Ben, and not of the board.
        ana.beat("ana-1", "Retro").unwrap();
        f.stays_quiet("her own heartbeat is news to Ana", || {
            ana.poll_changed().unwrap() || ana.presence_changed()
        });
        f.notices("Ben hears Ana's heartbeat", || {
            assert!(!ben.poll_changed().unwrap(), "not a change of the board");
            ben.presence_changed()
        });
        // A change of the board is still one.
        add(&mut *ben, "from ben");
        f.notices("Ana sees Ben's card", || ana.poll_changed().unwrap());
        // A change, then her own write, then a heartbeat, before she looks:
        // the change is still news.
        add(&mut *ben, "another from ben");
        add(&mut *ana, "from ana");
        ben.beat("ben-1", "Flow").unwrap();
        f.notices("Ana sees Ben's second card", || ana.poll_changed().unwrap());
    });
}

#[test]
fn several_terminals_of_one_person_count_once_a_quit_removes_one_and_silence_expires() {
    on_both(|f| {
        let mut ana = f.store();
        let mut ben = f.as_user("ben");
        let mut ben_too = f.as_user("ben");
        ana.beat("ana-1", "Board").unwrap();
        ben.beat("ben-1", "Retro").unwrap();
        ben_too.beat("ben-2", "Board").unwrap();
        let present = ana.present().unwrap();
        assert_eq!(present.len(), 2, "{present:?}");
        assert_eq!(present[1].person, "ben");
        assert_eq!(present[1].terminals, 2);
        assert_eq!(present[1].tabs, tabs(&["Board", "Retro"]));
        // A terminal that quits is gone at once.
        ben_too.leave("ben-2").unwrap();
        assert_eq!(
            who(&*ana),
            [
                ("ana".to_string(), tabs(&["Board"])),
                ("ben".to_string(), tabs(&["Retro"]))
            ]
        );
        // Ana goes on beating; Ben's terminal is killed and says nothing more.
        let shown = Duration::from_std(SHOWN_FOR).unwrap();
        f.clock.advance(shown - Duration::seconds(5));
        ana.beat("ana-1", "Board").unwrap();
        assert_eq!(who(&*ana).len(), 2, "still within three periods");
        f.clock.advance(Duration::seconds(10));
        ana.beat("ana-1", "Board").unwrap();
        assert_eq!(who(&*ana), [("ana".to_string(), tabs(&["Board"]))]);
        // Long gone, his row goes at the next heartbeat of anyone.
        f.clock.advance(Duration::minutes(11));
        ana.beat("ana-1", "Sprint").unwrap();
        ana.leave("ana-1").unwrap();
        if let Some(path) = f.path() {
            let conn = rusqlite::Connection::open(path).unwrap();
            let rows: i64 = conn
                .query_row("SELECT count(*) FROM presence", [], |r| r.get(0))
                .unwrap();
            assert_eq!(rows, 0, "a quit and a forgotten terminal leave no row");
        }
        assert!(ana.present().unwrap().is_empty());
    });
}

#[test]
fn what_is_running_is_read_from_the_rituals_and_a_read_only_terminal_is_not_present() {
    on_both(|f| {
        let mut ana = f.store();
        let board = ana.board().unwrap().id;
        assert!(ana.running(board).unwrap().is_empty());
        let id = ana
            .start_retro(board, common::new_retro("Sprint 9"))
            .unwrap();
        ana.set_phase(id, Phase::Review).unwrap();
        let running = ana.running(board).unwrap();
        assert_eq!(running.len(), 1, "{running:?}");
        assert_eq!(running[0].ritual, Ritual::Retro);
        assert_eq!(running[0].title, "Sprint 9");
        assert_eq!(running[0].facilitator, "ana");
        assert_eq!(
            running[0].sentence("Sprint 9"),
            "Retro 'Sprint 9' is at Last time"
        );
        let mut opts = f.options("ben");
        opts.read_only = true;
        let mut viewer = f.open(opts);
        assert!(
            viewer.beat("ben-1", "Board").is_err(),
            "read-only writes nothing"
        );
        assert!(ana.present().unwrap().is_empty());
    });
}

#[test]
fn an_export_leaves_presence_out_and_imports_and_checks_as_before() {
    let f = BoardFixture::file(t0());
    let mut ana = f.store();
    add(&mut *ana, "a card");
    let before = ana.export_json().unwrap().text;
    ana.beat("ana-1", "Board").unwrap();
    let after = ana.export_json().unwrap().text;
    assert_eq!(before, after, "a heartbeat changes no byte of the export");
    assert!(!after.contains("presence") && !after.contains("content_version"));
    let copy = f.dir.path().join("copy.db");
    teamloop::store::import_json(&copy, &after).unwrap();
    let opened = teamloop::store::open(&copy, f.options("ana")).unwrap();
    assert_eq!(opened.export_json().unwrap().text, after);
    assert!(teamloop::store::check(&opened).unwrap().is_empty());
    let live = teamloop::store::open(f.path().unwrap(), f.options("ana")).unwrap();
    assert!(teamloop::store::check(&live).unwrap().is_empty());
}

#[test]
fn who_lists_who_has_the_board_open_and_where() {
    use common::cli::Env;
    let env = Env::new();
    env.run(&["init"]).assert_ok();
    let r = env.run(&["who"]);
    r.assert_ok();
    assert_eq!(r.stdout.trim(), "Nobody has the board open");
    let mut ben = teamloop::store::open(&env.db, teamloop::store::OpenOptions::new("ben")).unwrap();
    ben.beat("ben-1", "Retro").unwrap();
    let mut ben_too =
        teamloop::store::open(&env.db, teamloop::store::OpenOptions::new("ben")).unwrap();
    ben_too.beat("ben-2", "Board").unwrap();
    let r = env.run(&["who"]);
    r.assert_ok();
    assert!(
        r.stdout
            .starts_with("ben  Board, Retro (2 terminals) · seen "),
        "{}",
        r.stdout
    );
    let json = env.run(&["who", "--json"]).assert_ok().json();
    assert_eq!(json[0]["person"], "ben");
    assert_eq!(json[0]["tabs"], serde_json::json!(["Board", "Retro"]));
    assert_eq!(json[0]["terminals"], 2);
    // Nothing of presence is in an export, and the check is content.
    let export = env.run(&["export"]).assert_ok().stdout.clone();
    assert!(!export.contains("presence") && !export.contains("\"ben\""));
    env.run(&["check"]).assert_ok();
}
