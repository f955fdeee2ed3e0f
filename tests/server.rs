//! A team on several hosts: the board on a PostgreSQL server. Each story
//! runs on a database of its own on the test server (`.ci/postgres start`
//! gives one; without it these tests have nothing to run on and pass
//! empty, unless `TEAMLOOP_REQUIRE_PG` asks for it).

use std::time::{Duration, Instant};

mod common;

use common::cli::{bare, output};
use common::{keys, press, screen, status_line};
use ratatui::crossterm::event::KeyCode;
use teamloop::domain::NewCard;
use teamloop::store::server::{ScratchDatabase, init_server, open_server};
use teamloop::store::{OpenOptions, PersonKey, ServerStore, Store};
use teamloop::ui::App;

fn options(who: &str) -> OpenOptions {
    OpenOptions::new(who).with_key(PersonKey::from_bytes([7; 32]))
}

fn until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < deadline, "{what}: not within 10 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn cli(db: &ScratchDatabase, args: &[&str]) -> common::cli::Run {
    let mut cmd = bare();
    cmd.arg("--db")
        .arg(&db.address)
        .args(["--user", "ana"])
        .args(args);
    output(cmd)
}

#[test]
fn a_team_sets_up_its_server_board_from_the_command_line() {
    let Some(db) = ScratchDatabase::new() else {
        return;
    };
    // Before init, every command says what to run.
    cli(&db, &["card", "list"]).assert_fails_with("is not a teamloop board yet");
    let first = cli(&db, &["init"]);
    first.assert_ok();
    assert!(first.stdout.contains("is ready"), "{}", first.stdout);
    let again = cli(&db, &["init"]);
    again.assert_ok();
    assert!(
        again.stdout.contains("was ready already"),
        "{}",
        again.stdout
    );
    cli(&db, &["card", "add", "Shared across hosts"]).assert_ok();
    let list = cli(&db, &["card", "list"]);
    list.assert_ok();
    assert!(
        list.stdout.contains("Shared across hosts"),
        "{}",
        list.stdout
    );
    let metrics = cli(&db, &["metrics", "--json"]);
    metrics.assert_ok();
    assert_eq!(metrics.json()["board"], "Team board");
    // What copies a file says what to use instead; nothing is written.
    cli(&db, &["backup", "/tmp/never.db"]).assert_fails_with("pg_dump");
    let checked = cli(&db, &["check"]);
    checked.assert_ok();
    assert!(checked.stdout.contains(": ok"), "{}", checked.stdout);
    cli(&db, &["--read-only", "card", "add", "No"]).assert_fails_with("read-only");
    assert_eq!(cli(&db, &["card", "list"]).stdout.lines().count(), 1);
    // A hand-made hole: a reference no longer enforced, a row pointing at
    // nothing. `check` names both, and fails.
    let mut sql = postgres::Client::connect(&db.address, postgres::NoTls).unwrap();
    sql.batch_execute(
        "ALTER TABLE card_events DROP CONSTRAINT card_events_card_id_fkey;
         INSERT INTO card_events (card_id, kind, at, actor)
             SELECT 999, kind, at, actor FROM card_events LIMIT 1",
    )
    .unwrap();
    let damaged = cli(&db, &["check"]);
    assert_eq!(damaged.code, Some(1));
    assert!(damaged.stderr.contains("is damaged"), "{}", damaged.stderr);
    assert!(
        damaged.stdout.contains("not enforced"),
        "{}",
        damaged.stdout
    );
    assert!(
        damaged.stdout.contains("points at a missing cards row"),
        "{}",
        damaged.stdout
    );
}

#[test]
fn init_leaves_a_database_that_holds_something_else_alone() {
    let Some(mut db) = ScratchDatabase::new() else {
        return;
    };
    let mut other = postgres::Client::connect(&db.address, postgres::NoTls).unwrap();
    other
        .batch_execute("CREATE TABLE cards (sku TEXT PRIMARY KEY); INSERT INTO cards VALUES ('x')")
        .unwrap();
    cli(&db, &["init"]).assert_fails_with("already has a table \"cards\"");
    let left: i64 = other
        .query_one("SELECT count(*) FROM cards", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 1, "the other table is untouched");
    drop(other);
    db.admin("SELECT 1");
}

#[test]
fn a_change_on_one_host_reaches_the_others_without_a_key() {
    let Some(db) = ScratchDatabase::new() else {
        return;
    };
    let (mut ana, made) = init_server(&db.address, options("ana")).unwrap();
    assert_eq!(made, teamloop::store::server::Setup::Made);
    let ben_store = open_server(&db.address, options("ben")).unwrap();
    let mut ben = App::new(Box::new(ben_store), 120, 30);
    let board = ana.board().unwrap();
    let entry = ana
        .add_card(board.columns[0].id, NewCard::titled("Seen by Ben"), None)
        .unwrap();
    until("Ben's board shows Ana's card", || {
        ben.check_changes();
        screen(&ben).contains("Seen by Ben")
    });
    ana.move_card(entry.card, board.columns[1].id, None)
        .unwrap();
    until("Ben's board shows the move", || {
        ben.check_changes();
        ben.state
            .board
            .pages
            .get(1)
            .is_some_and(|p| p.cards.iter().any(|c| c.title == "Seen by Ben"))
    });
}

#[test]
fn a_dropped_server_says_reconnecting_keeps_the_dialog_and_comes_back() {
    let Some(mut db) = ScratchDatabase::new() else {
        return;
    };
    let (ana_store, _) = init_server(&db.address, options("ana")).unwrap();
    let mut ana = App::new(Box::new(ana_store), 120, 30);
    press(&mut ana, KeyCode::Char('n'));
    keys(&mut ana, "Written while the server was down");
    db.shut_out();
    until("Ana is told the server is gone", || {
        ana.check_changes();
        ana.state.offline
    });
    assert!(
        status_line(&ana).contains("cannot be reached"),
        "{}",
        status_line(&ana)
    );
    assert!(screen(&ana).contains("reconnecting"));
    press(&mut ana, KeyCode::Enter);
    assert!(
        screen(&ana).contains("Written while the server was down"),
        "the dialog and its text are still there:\n{}",
        screen(&ana)
    );
    db.let_in();
    until("Ana's terminal is back", || {
        ana.check_changes();
        !ana.state.offline
    });
    assert!(status_line(&ana).contains("Connected to the server again"));
    assert!(screen(&ana).contains("Written while the server was down"));
    // Saved now, once: the refused try was not queued.
    until("the card is saved", || {
        press(&mut ana, KeyCode::Enter);
        status_line(&ana).contains("Created #1")
    });
    let check: ServerStore = open_server(&db.address, options("check")).unwrap();
    let cards = check.list_cards(&check.board().unwrap(), None).unwrap();
    assert_eq!(cards.len(), 1, "{cards:?}");
}

/// Every row version on the server carries the transaction that wrote it
/// (`xmin`), which any member with SQL access can read: were anonymous
/// cards and dots left in place, the order of their writes, and so who
/// wrote which, could be read beside the board's own history of who was
/// writing when. Each anonymous write rewrites them all: they carry one
/// transaction, and their places (`ctid`) follow no order of writing.
#[test]
fn a_member_with_sql_access_cannot_order_anonymous_rows_by_their_versions() {
    use teamloop::domain::retro::{Phase, SafetyKind, format};
    use teamloop::store::{NewRetro, RetroStore};
    let Some(db) = ScratchDatabase::new() else {
        return;
    };
    let person = |who: &str, n: u8| {
        open_server(
            &db.address,
            OpenOptions::new(who).with_key(PersonKey::from_bytes([n; 32])),
        )
        .unwrap()
    };
    let (mut ana, _) = init_server(&db.address, options("ana")).unwrap();
    let board = ana.board().unwrap().id;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let id = ana
        .start_retro(
            board,
            NewRetro {
                title: "Versions".into(),
                format: format::built_in().remove(0),
                votes: 3,
                safety: SafetyKind::Scale,
                sprint: None,
                from: day,
                to: day + chrono::Duration::days(13),
            },
        )
        .unwrap();
    ana.close_poll(id, teamloop::domain::retro::Poll::Safety)
        .unwrap();
    ana.set_phase(id, Phase::Gather).unwrap();
    let mut people = [person("ben", 1), person("chloe", 2), person("dev", 3)];
    for (i, p) in people.iter_mut().enumerate() {
        p.add_retro_card(id, 0, &format!("card {i}")).unwrap();
    }
    let mut sql = postgres::Client::connect(&db.address, postgres::NoTls).unwrap();
    let versions = |sql: &mut postgres::Client, table: &str| -> Vec<String> {
        sql.query(&format!("SELECT DISTINCT xmin::text FROM {table}"), &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    assert_eq!(
        versions(&mut sql, "retro_cards").len(),
        1,
        "one writing for all cards"
    );
    assert_eq!(versions(&mut sql, "retro_items").len(), 1);
    ana.set_phase(id, Phase::Vote).unwrap();
    let items = ana.retro_report(id).unwrap().items;
    for (i, p) in people.iter_mut().enumerate() {
        p.vote(id, items[i % items.len()].id, 1).unwrap();
    }
    assert_eq!(
        versions(&mut sql, "retro_dots").len(),
        1,
        "one writing for all dots"
    );
}

/// A team moves its board from a file to the server: the file's export
/// piped into `import` on the server, and the server's export is the same
/// bytes. The board goes on from there (a new card gets a new id), and a
/// second import over it is refused.
#[test]
fn a_board_moves_from_a_file_to_the_server_and_exports_the_same_bytes() {
    let Some(db) = ScratchDatabase::new() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.db");
    common::cli::run_at(&file, &["demo", "--cards", "40"]).assert_ok();
    let first = common::cli::run_at(&file, &["export"]);
    first.assert_ok();
    let mut import = bare();
    import
        .arg("--db")
        .arg(&db.address)
        .args(["--user", "ana", "import", "-"])
        .stdin(std::process::Stdio::piped());
    let mut child = import.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), first.stdout.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = cli(&db, &["export"]);
    second.assert_ok();
    assert!(
        first.stdout == second.stdout,
        "the server's export differs from the file's"
    );
    let before = cli(&db, &["card", "list", "--json"]).json();
    let highest = before
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_i64())
        .max()
        .unwrap();
    let added = cli(&db, &["card", "add", "After the move"]);
    added.assert_ok();
    let id: i64 = added.stdout.trim().parse().unwrap();
    assert!(id > highest, "a new id, after the imported ones: {id}");
    let path = dir.path().join("export.json");
    std::fs::write(&path, &first.stdout).unwrap();
    cli(&db, &["import", path.to_str().unwrap()]).assert_fails_with("already holds a team's data");
}

/// Eight terminals on their own connections move cards into a column with
/// a hard limit of two, all at once and over and over: the limit is
/// checked inside each write, and writes queue for the board's lock, so
/// the column never holds more than two.
#[test]
fn eight_writers_at_once_never_push_a_hard_limit_over() {
    use teamloop::domain::{WipLimit, WipPolicy};
    let Some(db) = ScratchDatabase::new() else {
        return;
    };
    let (mut setup, _) = init_server(&db.address, options("ana")).unwrap();
    let board = setup.board().unwrap();
    let (from, to) = (board.columns[0].id, board.columns[1].id);
    setup
        .set_column_wip(
            to,
            Some(WipLimit {
                limit: 2,
                policy: WipPolicy::Hard,
            }),
        )
        .unwrap();
    for i in 0..16 {
        setup
            .add_card(from, NewCard::titled(&format!("card {i}")), None)
            .unwrap();
    }
    let cards = setup.list_cards(&board, Some(from)).unwrap();
    let over = std::sync::atomic::AtomicBool::new(false);
    let admitted = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for w in 0..8 {
            let mine: Vec<_> = cards.iter().skip(w * 2).take(2).map(|c| c.id).collect();
            let address = db.address.clone();
            let (over, admitted) = (&over, &admitted);
            s.spawn(move || {
                let mut store = open_server(&address, options(&format!("w{w}"))).unwrap();
                let board = store.board().unwrap();
                for round in 0..12 {
                    let card = mine[round % 2];
                    // Into the limited column (refused when full), and out.
                    if store.move_card(card, to, None).is_ok() {
                        admitted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                    let n = store.list_cards(&board, Some(to)).unwrap().len();
                    if n > 2 {
                        over.store(true, std::sync::atomic::Ordering::SeqCst);
                    }
                    let _ = store.move_card(card, from, None);
                }
            });
        }
    });
    assert!(
        !over.load(std::sync::atomic::Ordering::SeqCst),
        "the column held more than its limit"
    );
    assert!(
        admitted.load(std::sync::atomic::Ordering::SeqCst) > 2,
        "moves into the column went through, two at a time"
    );
    let held = setup.list_cards(&board, Some(to)).unwrap().len();
    assert!(held <= 2, "{held} cards in a column limited to 2");
}
